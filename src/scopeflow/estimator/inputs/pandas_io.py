"""``tf.estimator.inputs.pandas_input_fn``: feed a pandas ``DataFrame`` to an Estimator.

Batches come in TF 1.15's order (rows in index order, epoch after epoch, ``batch_size`` at a
time, the last batch short when ``num_epochs`` is set); feature keys are the DataFrame's columns
in their order; ``y`` (a Series, or a DataFrame for several targets) becomes the target.

Differences from TensorFlow: as ``numpy_input_fn`` (a ``tf.data`` generator instead of a fed
queue; ``shuffle=True`` order is NumPy's). pandas is imported only when the function is called.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import collections
import uuid
from collections.abc import Callable
from typing import Any

import numpy as np

from scopeflow.estimator.inputs.numpy_io import feeding_input_fn

__all__ = ["pandas_input_fn"]


def _pandas() -> Any:
    try:
        import pandas  # noqa: PLC0415
    except ImportError:
        return None
    return pandas


def _unique_target_key(features: Any, name: str) -> str:
    if name in features:
        name += "_" + str(uuid.uuid4())
    return name


def pandas_input_fn(
    x: Any,
    y: Any = None,
    batch_size: int = 128,
    num_epochs: int | None = 1,
    shuffle: Any = None,
    queue_capacity: int | None = 1000,
    num_threads: int = 1,
    target_column: Any = "target",
) -> Callable[[], Any]:
    """An ``input_fn`` feeding the DataFrame ``x`` (``tf.estimator.inputs.pandas_input_fn``).

    Raises:
        TypeError: pandas is not installed, or ``target_column`` is not a string.
        ValueError: ``shuffle`` is not a bool, ``target_column`` is already a column of ``x``,
            or the indexes of ``x`` and ``y`` differ.
    """
    del queue_capacity, num_threads
    pd = _pandas()
    if pd is None:
        raise TypeError("pandas_input_fn should not be called without pandas installed")
    if not isinstance(shuffle, bool):
        raise ValueError(
            "shuffle must be provided and explicitly set as boolean "
            f"(it is recommended to set it as True for training); got {shuffle}"
        )
    if not isinstance(target_column, str):
        raise TypeError("target_column must be a string type")
    x = x.copy()
    y_columns: list[tuple[Any, str]] = []
    target: Any = target_column
    if y is not None:
        if target_column in x:
            raise ValueError(
                f"Cannot use name {target_column} for target column: DataFrame already has a "
                f"column with that name: {x.columns}"
            )
        if not np.array_equal(x.index, y.index):
            raise ValueError(
                f"Index for x and y are mismatched.\nIndex for x: {x.index}\n"
                f"Index for y: {y.index}\n"
            )
        if isinstance(y, pd.DataFrame):
            y_columns = [(column, _unique_target_key(x, column)) for column in list(y)]
            target = [v for _, v in y_columns]
            x[target] = y
        else:
            x[target_column] = y

    def input_fn() -> Any:
        data = collections.OrderedDict((col, x[col].values) for col in x.columns)
        features = feeding_input_fn(data, batch_size, num_epochs, shuffle)
        if y is None:
            return features
        if isinstance(target, list):
            values = [features.pop(column) for column in target]
            return features, {k: v for (k, _), v in zip(y_columns, values, strict=True)}
        return features, features.pop(target)

    return input_fn
