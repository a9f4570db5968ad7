"""``tf.estimator.inputs.numpy_input_fn``: feed dicts of NumPy arrays to an Estimator.

The returned ``input_fn`` yields ``(features, target)`` batches in TF 1.15's order: rows are read
in order (epoch after epoch), ``batch_size`` at a time; with ``num_epochs`` set the last batch
may be smaller and the batch dimension is unknown (``dequeue_up_to``), with ``num_epochs=None``
batches wrap around epochs and have a static batch dimension (``dequeue_many``). Feature keys
come sorted; a single array ``x`` gives a single features tensor. Values keep their NumPy dtype.

Differences from TensorFlow:
    TF feeds a queue from a Python thread (``_FeedingQueueRunner``); scopeflow yields the same
    batches from a ``tf.data`` generator pipeline (an ``IteratorGetNext`` op, no queue runner),
    so ``queue_capacity`` and ``num_threads`` change nothing. With ``shuffle=True`` each epoch is
    a NumPy permutation seeded from the graph seed, not TF's ``RandomShuffleQueue`` order; like
    TF's queue it draws one op seed, so seeded initial values after it stay TF's.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow.data.dataset_ops import Dataset
from scopeflow.ops.random_ops import get_seed

__all__ = ["numpy_input_fn"]

_TARGET_KEY = "__target_key__"


def _unique_target_key(features: dict[str, Any]) -> str:
    key = _TARGET_KEY
    while key in features:
        key += "_n"
    return key


def _validate_and_convert_features(x: Any) -> collections.OrderedDict[str, Any]:
    if isinstance(x, dict):
        if not x:
            raise ValueError("x cannot be an empty dict")
        return collections.OrderedDict(sorted(x.items(), key=lambda t: t[0]))
    if isinstance(x, np.ndarray):
        if x.size == 0:
            raise ValueError("x cannot be an empty array")
        return collections.OrderedDict({"__direct_np_input__": x})
    raise TypeError(f"x must be a dict or array; got {type(x).__name__}")


def epoch_batches(
    batch_size: int, num_epochs: int | None, order: Callable[[], np.ndarray]
) -> Iterator[np.ndarray]:
    """Row indices of each batch: epochs of ``order()`` concatenated, cut ``batch_size`` long.

    The last batch of the last epoch may be short; with ``num_epochs=None`` it never ends.
    """
    pending = np.zeros([0], dtype=np.int64)
    epoch = 0
    while num_epochs is None or epoch < num_epochs:
        pending = np.concatenate([pending, order()])
        epoch += 1
        while len(pending) >= batch_size:
            yield pending[:batch_size]
            pending = pending[batch_size:]
    if len(pending):
        yield pending


def feeding_input_fn(
    data: collections.OrderedDict[str, np.ndarray],
    batch_size: int,
    num_epochs: int | None,
    shuffle: bool,
) -> dict[str, Any]:
    """A dict of batch tensors, one per column of ``data``, read through a one-shot iterator."""
    if batch_size is None or int(batch_size) <= 0:
        raise ValueError(f"batch_size must be a positive integer; got {batch_size}")
    batch_size = int(batch_size)
    columns = list(data.values())
    length = len(columns[0])
    rng = None
    if shuffle:
        # TF's RandomShuffleQueue takes one graph-derived seed (and so shifts the op seeds of
        # later random ops by one, as this call does); without shuffle nothing is drawn.
        graph_seed, op_seed = get_seed(None)
        rng = np.random.default_rng(None if graph_seed is None else [graph_seed, op_seed or 0])

    def order() -> np.ndarray:
        return rng.permutation(length) if rng is not None else np.arange(length)

    single = len(columns) == 1  # from_generator takes one component unwrapped

    def generator() -> Iterator[Any]:
        for idx in epoch_batches(batch_size, num_epochs, order):
            batch = tuple(col[idx] for col in columns)
            yield batch[0] if single else batch

    batch_dim = batch_size if num_epochs is None else None
    types = tuple(
        dtypes.string if col.dtype.kind in "OSU" else dtypes.as_dtype(col.dtype) for col in columns
    )
    shapes = tuple([batch_dim, *col.shape[1:]] for col in columns)
    dataset = Dataset.from_generator(
        generator, types[0] if single else types, shapes[0] if single else shapes
    )
    batch = dataset.make_one_shot_iterator().get_next()
    if single:
        batch = (batch,)
    return dict(zip(data.keys(), batch, strict=True))


def numpy_input_fn(
    x: Any,
    y: Any = None,
    batch_size: int = 128,
    num_epochs: int | None = 1,
    shuffle: Any = None,
    queue_capacity: int = 1000,
    num_threads: int = 1,
) -> Callable[[], Any]:
    """An ``input_fn`` feeding ``x`` (and ``y``) in batches (``tf.estimator.inputs``).

    Args:
        x: a NumPy array (one feature) or a dict of arrays.
        y: a NumPy array, a dict of arrays, or None.
        batch_size: rows a batch.
        num_epochs: passes over the data; None repeats forever.
        shuffle: must be a bool.
        queue_capacity: accepted (TF's queue size; no queue here).
        num_threads: accepted (TF's feeding threads; one generator here).

    Returns:
        A function of no arguments returning ``features`` or ``(features, target)``.

    Raises:
        ValueError: ``shuffle`` is not a bool, lengths mismatch, keys are duplicated, or empty
            input.
        TypeError: ``x`` is neither a dict nor an array.

    >>> import numpy as np
    >>> import scopeflow.compat.v1 as tf
    >>> fn = tf.estimator.inputs.numpy_input_fn(
    ...     {"a": np.arange(5)}, np.arange(5) * 10, batch_size=2, shuffle=False)
    >>> features, target = fn()
    >>> with tf.Session() as sess:
    ...     print(sess.run([features, target]))
    [{'a': array([0, 1])}, array([ 0, 10])]
    """
    del queue_capacity, num_threads
    if not isinstance(shuffle, bool):
        raise ValueError(
            "shuffle must be provided and explicitly set as boolean "
            f"(it is recommended to set it as True for training); got {shuffle}"
        )

    def input_fn() -> Any:
        data = _validate_and_convert_features(x)
        feature_keys = list(data.keys())
        target_keys: Any
        if y is None:
            target_keys = None
        elif isinstance(y, dict):
            if not y:
                raise ValueError("y cannot be empty dict, use None instead.")
            ordered_y = collections.OrderedDict(sorted(y.items(), key=lambda t: t[0]))
            target_keys = list(ordered_y.keys())
            duplicate = set(feature_keys) & set(target_keys)
            if duplicate:
                raise ValueError(
                    f"{len(duplicate)} duplicate keys are found in both x and y: {duplicate}"
                )
            data.update(ordered_y)
        else:
            target_keys = _unique_target_key(data)
            data[target_keys] = y
        if len({v.shape[0] for v in data.values()}) != 1:
            shapes_x = {k: data[k].shape for k in feature_keys}
            if target_keys is None:
                shape_y: Any = None
            elif isinstance(target_keys, str):
                shape_y = y.shape
            else:
                shape_y = {k: data[k].shape for k in target_keys}
            raise ValueError(
                "Length of tensors in x and y is mismatched. All elements in x and y must have "
                f"the same length.\nShapes in x: {shapes_x}\nShapes in y: {shape_y}\n"
            )
        batch = feeding_input_fn(data, batch_size, num_epochs, shuffle)
        if isinstance(x, np.ndarray):
            features: Any = batch["__direct_np_input__"]
        else:
            features = {k: batch[k] for k in feature_keys}
        if target_keys is None:
            return features
        if isinstance(target_keys, str):
            return features, batch[target_keys]
        return features, {k: batch[k] for k in target_keys}

    return input_fn
