"""``tf.contrib.learn.datasets.mnist`` (TF 1.15's MNIST reader) on synthetic IDX files."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.contrib.learn.datasets import mnist


def _write(directory: Path, n_train: int = 30, n_test: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.RandomState(0)
    out = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = rng.randint(0, 256, (n, 28, 28)).astype(np.uint8)
        labels = rng.randint(0, 10, n).astype(np.uint8)
        header = np.array([2051, n, 28, 28], dtype=">u4").tobytes()
        with gzip.open(directory / f"{prefix}-images-idx3-ubyte.gz", "wb") as f:
            f.write(header + images.tobytes())
        with gzip.open(directory / f"{prefix}-labels-idx1-ubyte.gz", "wb") as f:
            f.write(np.array([2049, n], dtype=">u4").tobytes() + labels.tobytes())
        out[prefix] = (images, labels)
    return out


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def test_read_data_sets_splits_scales_and_reshapes(tmp_path):
    raw = _write(tmp_path)
    ds = tf.contrib.learn.datasets.mnist.read_data_sets(str(tmp_path), validation_size=10)
    assert (ds.train.num_examples, ds.validation.num_examples, ds.test.num_examples) == (20, 10, 7)
    assert ds.validation.images.shape == (10, 784)
    assert ds.validation.images.dtype == np.float32
    np.testing.assert_allclose(ds.validation.images, raw["train"][0][:10].reshape(10, 784) / 255.0,
                               rtol=1e-6)  # fmt: skip
    np.testing.assert_array_equal(ds.test.labels, raw["t10k"][1])
    hot = mnist.read_data_sets(str(tmp_path), one_hot=True, dtype=tf.uint8, reshape=False,
                               validation_size=0)  # fmt: skip
    assert hot.train.images.shape == (30, 28, 28, 1)
    assert hot.train.images.dtype == np.uint8
    np.testing.assert_array_equal(hot.train.labels.argmax(1), raw["train"][1])


def test_next_batch_shuffles_once_per_epoch_and_joins_epochs(tmp_path):
    _write(tmp_path)
    train = mnist.read_data_sets(str(tmp_path), validation_size=10, seed=3).train
    labels = train.labels.copy()
    seen = [train.next_batch(6)[1] for _ in range(3)]  # 18 of 20
    # the first epoch is a permutation of the data set
    assert sorted(np.concatenate([*seen, train.labels[18:]]).tolist()) == sorted(labels.tolist())
    tail = train.labels[18:].copy()
    images, wrapped = train.next_batch(6)  # 2 from epoch 1, 4 from epoch 2 (reshuffled)
    assert train.epochs_completed == 1
    assert images.shape == (6, 784)
    np.testing.assert_array_equal(wrapped[:2], tail)
    np.testing.assert_array_equal(wrapped[2:], train.labels[:4])
    # the same seed gives the same batches (NumPy's global generator seeded as TF does)
    again = mnist.read_data_sets(str(tmp_path), validation_size=10, seed=3).train
    np.testing.assert_array_equal(np.concatenate([again.next_batch(6)[1] for _ in range(3)]),
                                  np.concatenate(seen))  # fmt: skip


def test_graph_seed_seeds_the_shuffle(tmp_path):
    _write(tmp_path)
    runs = []
    for _ in range(2):
        with tf.Graph().as_default():
            tf.set_random_seed(11)
            train = mnist.read_data_sets(str(tmp_path), validation_size=10).train
            runs.append(train.next_batch(20)[1])
    np.testing.assert_array_equal(runs[0], runs[1])


def test_fake_data_and_mode_keys():
    ds = mnist.read_data_sets("unused", fake_data=True, one_hot=True)
    images, labels = ds.train.next_batch(3, fake_data=True)
    assert len(images) == 3
    assert len(images[0]) == 784
    assert labels[0] == [1] + [0] * 9
    assert ds.train.num_examples == 10000
    assert tf.contrib.learn.ModeKeys.TRAIN == "train"
    assert tf.contrib.learn.ModeKeys.EVAL == "eval"
    assert tf.contrib.learn.ModeKeys.INFER == "infer"


def test_errors(tmp_path):
    _write(tmp_path)
    with pytest.raises(ValueError, match=r"Validation size should be between 0 and 30\. "):
        mnist.read_data_sets(str(tmp_path), validation_size=31)
    with gzip.open(tmp_path / "t10k-labels-idx1-ubyte.gz", "wb") as f:
        f.write(np.array([2051, 0], dtype=">u4").tobytes())
    with pytest.raises(ValueError, match="Invalid magic number 2051 in MNIST label file"):
        mnist.read_data_sets(str(tmp_path))
    with pytest.raises(TypeError, match="Invalid image dtype"):
        mnist.DataSet(np.zeros((1, 28, 28, 1)), np.zeros(1), dtype=tf.int32)
