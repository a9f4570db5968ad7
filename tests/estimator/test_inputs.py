"""numpy_input_fn / pandas_input_fn batches.

TF 1.15's order comes from its feeding code (``_get_integer_indices_for_next_batch``: rows in
order, epochs concatenated, the last batch of the last epoch short, ``dequeue_many`` when
``num_epochs`` is None); the recorded TF batches are in the ``estimator_core`` conformance topic.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.estimator.inputs.numpy_io import epoch_batches
from scopeflow.estimator.inputs.pandas_io import _pandas


def _drain(tensors, limit=50):
    out = []
    with tf.Session() as sess:
        try:
            for _ in range(limit):
                out.append(sess.run(tensors))
        except tf.errors.OutOfRangeError:
            out.append("end")
    return out


@pytest.mark.parametrize(
    ("batch_size", "num_epochs", "expected"),
    [
        pytest.param(3, 1, [[0, 1, 2], [3, 4, 5], [6]], id="one-epoch"),
        pytest.param(3, 2, [[0, 1, 2], [3, 4, 5], [6, 0, 1], [2, 3, 4], [5, 6]], id="wraps"),
        pytest.param(7, 1, [[0, 1, 2, 3, 4, 5, 6]], id="exact"),
        pytest.param(10, 2, [[0, 1, 2, 3, 4, 5, 6, 0, 1, 2], [3, 4, 5, 6]], id="big-batch"),
    ],
)
def test_epoch_batches_follow_tf_feeding_order(batch_size, num_epochs, expected):
    got = [b.tolist() for b in epoch_batches(batch_size, num_epochs, lambda: np.arange(7))]
    assert got == expected


def test_numpy_input_fn_static_shapes_dtypes_and_end_of_input():
    x = {"b": np.arange(5, dtype=np.int64), "a": np.arange(10.0).reshape(5, 2)}
    y = np.arange(5, dtype=np.int32)
    features, target = tf.estimator.inputs.numpy_input_fn(
        x, y, batch_size=2, num_epochs=1, shuffle=False
    )()
    assert list(features) == ["a", "b"]  # sorted, as TF
    assert features["a"].dtype == tf.float64
    assert features["a"].shape.as_list() == [None, 2]
    assert target.dtype == tf.int32
    assert features["a"].op.type == "IteratorGetNext"
    out = _drain([features["b"], target])
    assert [o if o == "end" else o[0].tolist() for o in out] == [[0, 1], [2, 3], [4], "end"]


def test_numpy_input_fn_forever_has_a_static_batch_dimension():
    feats = tf.estimator.inputs.numpy_input_fn(
        np.arange(5.0), batch_size=4, num_epochs=None, shuffle=False
    )()
    assert feats.shape.as_list() == [4]
    out = _drain(feats, limit=3)
    assert [o.tolist() for o in out] == [[0, 1, 2, 3], [4, 0, 1, 2], [3, 4, 0, 1]]


def test_numpy_input_fn_shuffle_keeps_each_epoch_a_permutation():
    tf.set_random_seed(3)
    feats = tf.estimator.inputs.numpy_input_fn(
        np.arange(8), batch_size=4, num_epochs=2, shuffle=True
    )()
    out = _drain(feats)
    assert out[-1] == "end"
    values = np.concatenate(out[:-1])
    assert sorted(values[:8].tolist()) == list(range(8))
    assert sorted(values[8:].tolist()) == list(range(8))


def test_numpy_input_fn_dict_targets_and_errors():
    _, target = tf.estimator.inputs.numpy_input_fn(
        {"a": np.ones(3)}, {"t1": np.ones(3), "t0": np.zeros(3)}, shuffle=False
    )()
    assert sorted(target) == ["t0", "t1"]
    with pytest.raises(ValueError, match="shuffle must be provided"):
        tf.estimator.inputs.numpy_input_fn({"a": np.ones(3)})
    with pytest.raises(ValueError, match="duplicate keys"):
        tf.estimator.inputs.numpy_input_fn({"a": np.ones(3)}, {"a": np.ones(3)}, shuffle=False)()
    with pytest.raises(ValueError, match="Length of tensors in x and y is mismatched"):
        tf.estimator.inputs.numpy_input_fn({"a": np.ones(3)}, np.ones(2), shuffle=False)()


@pytest.mark.skipif(_pandas() is None, reason="pandas is not installed")
def test_pandas_input_fn_batches_in_column_order():
    pd = _pandas()
    x = pd.DataFrame({"z": np.arange(5.0), "a": np.arange(5, dtype=np.int64) * 2})
    y = pd.Series(np.arange(5, dtype=np.int64) * 10)
    features, target = tf.estimator.inputs.pandas_input_fn(
        x, y, batch_size=2, num_epochs=1, shuffle=False
    )()
    assert list(features) == ["z", "a"]
    out = _drain([features["a"], target])
    assert [o if o == "end" else o[1].tolist() for o in out] == [[0, 10], [20, 30], [40], "end"]


@pytest.mark.skipif(_pandas() is not None, reason="pandas is installed")
def test_pandas_input_fn_without_pandas_raises_tf_error():
    with pytest.raises(TypeError, match="pandas_input_fn should not be called without pandas"):
        tf.estimator.inputs.pandas_input_fn(object(), shuffle=False)
