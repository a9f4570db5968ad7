"""TF1 ``tf.nn.dropout``: ``keep_prob`` (or ``rate``), ``noise_shape`` and ``seed``.

The graph is TF's: in name scope ``dropout``, ``Mul`` scales ``x`` by ``1 / keep_prob``, a
``RandomUniform`` over ``noise_shape`` (default ``Shape(x)``) is compared with ``rate`` by
``GreaterEqual``, and the result keeps the scaled value where the mask holds, else 0. The seed goes
through ``random_ops.get_seed`` like every TF random op.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import numbers
from typing import Any

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import array_ops, math_ops, random_ops
from scopeflow.ops.constant_op import constant
from scopeflow.ops.gather_scatter_ops import where_v2


def dropout(x: Any, keep_prob: Any = None, noise_shape: Any = None, seed: int | None = None,
            name: str | None = None, rate: Any = None) -> Tensor:  # fmt: skip
    """TF1 dropout (``tf.nn.dropout``) with ``keep_prob`` or ``rate``.

    Zeroes elements with probability ``rate = 1 - keep_prob`` and scales kept ones by
    ``1 / keep_prob`` (TF1 ``tf.nn.dropout``); a Python ``rate`` of 0 returns ``x`` itself.

    ``keep_prob`` may be a Python number or a scalar tensor (``1 - keep_prob`` is then a ``sub``
    op, as in TF). The result is named ``dropout/SelectV2``.

    The mask comes from the ``RandomUniform`` op, which reproduces TF's Philox stream: with the
    same graph and op seeds the mask is TF's, bit for bit (the conformance topic ``layers_core``
    records ``tf.layers.dropout`` masks from TF).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.nn.dropout(tf.ones([4, 3]), keep_prob=0.5).name)
    dropout/SelectV2:0
    """
    if keep_prob is not None:
        if rate is not None:
            raise ValueError("Cannot specify both 'rate' and 'keep_prob'")
        if isinstance(keep_prob, numbers.Real) and not 0 < float(keep_prob) <= 1:
            raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). "
                             f"Received: rate={1 - keep_prob}")  # fmt: skip
        try:
            rate = 1.0 - keep_prob
        except TypeError:
            raise ValueError(f"keep_prob must be a floating point number or Tensor (got "
                             f"{keep_prob!r})") from None  # fmt: skip
    if rate is None:
        raise ValueError("`rate` must be provided. Received: rate=None")
    g = get_default_graph()
    is_number = isinstance(rate, numbers.Real)
    if is_number and not 0 <= rate < 1:
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). "
                         f"Received: rate={rate}")  # fmt: skip
    with g.name_scope(name or "dropout") as scope:
        t = convert_to_tensor(x, name="x")
        dt = t._dtype.base_dtype
        if not dt.is_floating:
            raise ValueError(f"`x.dtype` must be a floating point tensor as `x` will be scaled. "
                             f"Received: x_dtype=<dtype: '{dt.name}'>")  # fmt: skip
        if is_number and rate == 0:
            random_ops.get_seed(seed)
            return t
        if is_number:
            scale = constant(1 / (1 - rate), dtype=dt, name="Const")
            scaled = math_ops.multiply(t, scale, name="Mul")
        else:
            rate_t = convert_to_tensor(rate, dtype=dt, name="rate")
            if rate_t._shape.ndims not in (None, 0):
                raise ValueError(f"Shape must be rank 0 but is rank {rate_t._shape.ndims}")
            keep = math_ops.subtract(constant(1, dtype=dt, name="Const"), rate_t, name="Sub")
            scaled = math_ops.real_div(t, keep, name="RealDiv")
        noise = _noise_shape(t, noise_shape)
        shape_t = array_ops.shape(t, name="Shape") if noise is None else None
        with g.name_scope("random_uniform"):
            if shape_t is None:
                shape_t = convert_to_tensor(noise, dtype=dtypes.int32, name="shape")
            rnd = random_ops._random_core("RandomUniform", shape_t, dt, seed, {})
        mask = math_ops.greater_equal(rnd, rate if is_number else rate_t, name="GreaterEqual")
        zero = constant(0, dtype=dt, name="Const_1")
        ret = where_v2(mask, scaled, zero, name=scope + "SelectV2/")
        if ret._shape.is_compatible_with(t._shape):
            ret.set_shape(t._shape)
        return ret


def _noise_shape(x: Tensor, noise_shape: Any) -> Any:
    """TF's ``_get_noise_shape``.

    TF's ``_get_noise_shape``: None stays None (``Shape(x)``); unknown entries of a static
    ``noise_shape`` are filled from ``x``'s static shape.
    """
    if noise_shape is None or isinstance(noise_shape, Tensor):
        return noise_shape
    from scopeflow._core.tensor_shape import as_shape  # noqa: PLC0415

    try:
        ns = as_shape(noise_shape)
    except (TypeError, ValueError):
        return noise_shape
    dims = ns.as_list() if ns.ndims is not None else None
    if dims is not None and x._shape.ndims == len(dims):
        dims = [d if d is not None else xd for d, xd in zip(dims, x._shape.as_list(), strict=True)]
    if dims is None or any(d is None for d in dims):
        raise ValueError(f"Cannot convert a partially known TensorShape {ns} to a Tensor.")
    return dims


__all__ = ["dropout"]
