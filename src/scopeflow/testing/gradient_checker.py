"""``tf.test.compute_gradient`` / ``compute_gradient_error``: TF1's Jacobian check.

As TF 1.15's ``gradient_checker``: the *theoretical* Jacobian comes from ``tf.gradients(y, x,
dy)`` with ``dy`` an ``Identity`` of a ones constant that is fed a one-hot value per element of
``y`` (an ``IndexedSlices`` gradient is scattered into its rows); the *numeric* Jacobian from
central differences ``(y(x + delta) - y(x - delta)) / (2 delta)`` per element of ``x``, feeding
``x``. Both are ``[x_size, y_size]`` arrays. ``x`` defaults to ``np.random.random_sample`` of its
shape (so inside ``tf.test.TestCase``, whose ``setUp`` seeds NumPy as TF's does, the points are
TF's). Runs in the default session.

Differences from TensorFlow: complex ``x``/``y`` are not supported (scopeflow has no complex
dtypes) and raise ``UnsupportedError``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow.errors import UnsupportedError
from scopeflow.graph.session import get_default_session
from scopeflow.ops.array_ops import identity
from scopeflow.ops.constant_op import constant
from scopeflow.ops.gradients_impl import gradients

_ALLOWED = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)


def _session() -> Any:
    sess = get_default_session()
    if sess is None:
        raise ValueError(
            "Cannot compute gradients: No default session is registered. Use `with "
            "sess.as_default()` or a `tf.test.TestCase` session."
        )
    return sess


def _feeds(extra: dict[Any, Any], feeds: dict[Any, Any]) -> dict[Any, Any]:
    return {**extra, **feeds}


def _theoretical(x: Any, x_data: np.ndarray, dy: Any, y_shape: Any, dx: Any, extra: Any) -> Any:
    x_size = int(np.prod(x_data.shape))
    y_size = int(np.prod(y_shape))
    jacobian = np.zeros((x_size, y_size), dtype=x_data.dtype)
    if dx is None:  # y does not depend on x: TF's Jacobian of zeros
        return jacobian
    dy_data = np.zeros(y_shape, dtype=dy.dtype.as_numpy_dtype)
    flat = dy_data.reshape(-1)
    sess = _session()
    row_size = int(np.prod(x_data.shape[1:])) if x_data.ndim else 1
    for col in range(y_size):
        flat[col] = 1
        feed = _feeds(extra, {x: x_data, dy: dy_data})
        if type(dx).__name__ == "IndexedSlices":
            indices, values = sess.run([dx.indices, dx.values], feed)
            for i, v in zip(indices, values, strict=True):
                jacobian[i * row_size : (i + 1) * row_size, col] += v.reshape(-1)
        else:
            jacobian[:, col] = np.asarray(sess.run(dx, feed)).reshape(-1)
        flat[col] = 0
    return jacobian


def _numeric(x: Any, x_data: np.ndarray, y: Any, delta: float, extra: Any) -> Any:
    x_size = int(np.prod(x_data.shape))
    y_dtype = y.dtype.base_dtype.as_numpy_dtype
    scale = np.asarray(2 * delta, dtype=y_dtype)[()]
    sess = _session()
    jacobian: np.ndarray | None = None
    for row in range(x_size):
        x_pos, x_neg = x_data.copy(), x_data.copy()
        x_pos.reshape(-1)[row] += delta
        y_pos = np.asarray(sess.run(y, _feeds(extra, {x: x_pos})))
        x_neg.reshape(-1)[row] -= delta
        y_neg = np.asarray(sess.run(y, _feeds(extra, {x: x_neg})))
        diff = (y_pos - y_neg) / scale
        if jacobian is None:
            jacobian = np.zeros((x_size, diff.size), dtype=x_data.dtype)
        jacobian[row, :] = diff.reshape(-1)
    return jacobian if jacobian is not None else np.zeros((0, 0), dtype=x_data.dtype)


def _dx_and_dy(x: Any, y: Any, y_shape: Any) -> tuple[list[Any], Any]:
    with y.graph.as_default():
        dy = identity(constant(1.0, shape=y_shape, dtype=y.dtype.base_dtype))
    return gradients(y, x, dy), dy


def _gradient(
    x: Any, x_shape: Any, dx: Any, y: Any, y_shape: Any, dy: Any, x_init_value: Any,
    delta: float, extra: Any,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    for what, t in (("x", x), ("y", y)):
        if t.dtype.base_dtype not in _ALLOWED:
            raise UnsupportedError(f"tf.test.compute_gradient with {what} of dtype {t.dtype.name}")
    np_dtype = x.dtype.base_dtype.as_numpy_dtype
    if x_init_value is not None:
        if list(x_shape) != list(np.shape(x_init_value)):
            raise AssertionError(
                f"x_shape = {x_shape} and x_init_value shape = {np.shape(x_init_value)} mismatch"
            )
        x_data = np.asarray(x_init_value, dtype=np_dtype)
    else:
        x_data = np.random.random_sample(x_shape).astype(np_dtype)
    return (
        _theoretical(x, x_data, dy, y_shape, dx, extra),
        _numeric(x, x_data, y, delta, extra),
    )


def compute_gradient(
    x: Any,
    x_shape: Any,
    y: Any,
    y_shape: Any,
    x_init_value: Any = None,
    delta: float = 1e-3,
    init_targets: Any = None,
    extra_feed_dict: Any = None,
) -> Any:
    """``(theoretical, numeric)`` Jacobians of ``y`` w.r.t. ``x`` (a list for a list ``x``)."""
    extra = dict(extra_feed_dict or {})
    if isinstance(x, list):
        dxs, dy = _dx_and_dy(x, y, y_shape)
        for init in init_targets or ():
            init.run()
        shapes = x_shape if isinstance(x_shape, list) else [x_shape]
        inits = x_init_value if x_init_value is not None else [None] * len(x)
        return [
            _gradient(xi, si, dxi, y, y_shape, dy, ii, delta, extra)
            for xi, si, dxi, ii in zip(x, shapes, dxs, inits, strict=True)
        ]
    for init in init_targets or ():
        init.run()
    dxs, dy = _dx_and_dy(x, y, y_shape)
    return _gradient(x, x_shape, dxs[0], y, y_shape, dy, x_init_value, delta, extra)


def compute_gradient_error(
    x: Any,
    x_shape: Any,
    y: Any,
    y_shape: Any,
    x_init_value: Any = None,
    delta: float = 1e-3,
    init_targets: Any = None,
    extra_feed_dict: Any = None,
) -> float:
    """The largest absolute difference between the theoretical and numeric Jacobians."""
    grad = compute_gradient(
        x, x_shape, y, y_shape, x_init_value, delta, init_targets, extra_feed_dict
    )
    pairs = [grad] if isinstance(grad, tuple) else grad
    error = 0.0
    for j_t, j_n in pairs:
        if j_t.size or j_n.size:
            error = float(np.maximum(error, np.fabs(j_t - j_n).max()))
    return error


__all__ = ["compute_gradient", "compute_gradient_error"]
