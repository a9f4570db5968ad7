"""``tf.nn.dilation2d`` and ``tf.nn.erosion2d``: grayscale morphology, TF's ``Dilation2D`` op.

As TF's CPU kernel: for an NHWC ``input`` and a ``[filter_height, filter_width, depth]``
``filter``, each output is the maximum over the window of ``input + filter`` (channels
independent), windows placed by ``strides`` and spread by ``rates``; positions outside the input
(``SAME`` padding) are skipped, and a window with none inside is the lowest finite value. The
gradient goes to the window position that gave the maximum (the first in row-major order on
ties), to the input and the filter alike, as TF's ``Dilation2DBackpropInput``/``Filter``.
``erosion2d(value, kernel)`` is TF's composite: ``-dilation2d(-value, reverse(kernel, [0, 1]))``
under an ``erosion2d`` scope.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.shape_ops import reverse as reverse_v2
from scopeflow.ops.unary_ops import negative

_REAL = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.int8,
         dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8)  # fmt: skip


def _geometry(size: int, k: int, stride: int, rate: int, padding: str) -> tuple[int, int]:
    """Output size and leading padding of one spatial dimension (TF's windowed output size)."""
    eff = (k - 1) * rate + 1
    if padding == "VALID":
        return max(math.ceil((size - eff + 1) / stride), 0), 0
    out = math.ceil(size / stride)
    return out, max((out - 1) * stride + eff - size, 0) // 2


def dilation2d(
    input: Any,
    filter: Any = None,
    strides: Any = None,
    rates: Any = None,
    padding: Any = None,
    name: str | None = None,
    filters: Any = None,
    dilations: Any = None,
) -> Tensor:
    """Grayscale dilation of NHWC ``input`` by ``filter`` (``tf.nn.dilation2d``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.constant([[[[1.0], [5.0]], [[2.0], [0.0]]]])
    >>> y = tf.nn.dilation2d(x, tf.zeros([2, 2, 1]), [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    >>> print(y.name, tf.Session().run(y).tolist())
    Dilation2D:0 [[[[5.0]]]]
    """
    if filters is not None:
        if filter is not None:
            raise ValueError("Cannot specify both 'filters' and 'filter'")
        filter = filters
    if dilations is not None:
        if rates is not None:
            raise ValueError("Cannot specify both 'dilations' and 'rates'")
        rates = dilations
    scope = _scope(name, "Dilation2D")
    x = convert_to_tensor(input, name=scope + "input")
    f = convert_to_tensor(filter, name=scope + "filter")
    dt = x._dtype.base_dtype
    if dt not in _REAL:
        raise TypeError(f"Value passed to parameter 'input' has DataType {dt.name} not in list of "
                        "allowed values")  # fmt: skip
    strides, rates = [int(s) for s in strides], [int(r) for r in rates]
    if padding not in ("SAME", "VALID"):
        raise ValueError(
            f"Attr 'padding' of 'Dilation2D' Op passed string '{padding}' not in: \"SAME\", "
            '"VALID".'
        )
    xs, fs = x._shape.with_rank(4).as_list(), f._shape.with_rank(3).as_list()
    oh = ow = None
    if xs[1] is not None and fs[0] is not None:
        oh = _geometry(xs[1], fs[0], strides[1], rates[1], padding)[0]
    if xs[2] is not None and fs[1] is not None:
        ow = _geometry(xs[2], fs[1], strides[2], rates[2], padding)[0]
    attrs = {"T": dt, "strides": strides, "rates": rates, "padding": padding}
    return make_op("Dilation2D", (x, f), attrs, scope, dt, TensorShape([xs[0], oh, ow, xs[3]]))


def erosion2d(
    value: Any, kernel: Any, strides: Any, rates: Any, padding: Any, name: str | None = None
) -> Tensor:
    """Grayscale erosion (``tf.nn.erosion2d``): ``-dilation2d(-value, reverse(kernel))``.

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.constant([[[[1.0], [5.0]], [[2.0], [3.0]]]])
    >>> y = tf.nn.erosion2d(x, tf.zeros([2, 2, 1]), [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    >>> print(y.name, tf.Session().run(y).tolist())
    erosion2d/Neg_1:0 [[[[1.0]]]]
    """
    with name_scope(name, "erosion2d", [value, kernel]) as scope:
        return negative(
            dilation2d(
                negative(value), reverse_v2(kernel, [0, 1]), strides, rates, padding, name=scope
            )
        )


class _Dilation(torch.autograd.Function):
    """Forward: the window maxima of ``x + f``. Backward: TF's routing (see the module)."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, f: torch.Tensor, geo: tuple[int, ...]) -> Any:
        sh, sw, rh, rw, oh, ow, top, left = geo
        b, h, w, c = x.shape
        fh, fw, _ = f.shape
        eff_h, eff_w = (fh - 1) * rh + 1, (fw - 1) * rw + 1
        bottom = max((oh - 1) * sh + eff_h - h - top, 0)
        right = max((ow - 1) * sw + eff_w - w - left, 0)
        nchw = F.pad(x.permute(0, 3, 1, 2), (left, right, top, bottom), value=float("-inf"))
        patches = F.unfold(
            nchw.reshape(b * c, 1, *nchw.shape[2:]), (fh, fw), dilation=(rh, rw), stride=(sh, sw)
        ).reshape(b, c, fh * fw, oh * ow)
        summed = patches + f.permute(2, 0, 1).reshape(1, c, fh * fw, 1)
        best, arg = summed.max(dim=2)  # the first maximum on ties, as TF's strict ``>`` scan
        low = torch.finfo(x.dtype).min
        empty = ~(best > low)  # no position inside the input beat TF's starting ``lowest``
        best = torch.where(empty, torch.full_like(best, low), best)
        ctx.save_for_backward(arg, empty)
        ctx.geo, ctx.shapes = geo, (x.shape, f.shape)
        return best.reshape(b, c, oh, ow).permute(0, 2, 3, 1)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> Any:
        arg, empty = ctx.saved_tensors
        sh, sw, rh, rw, oh, ow, top, left = ctx.geo
        (b, h, w, c), (fh, fw, _) = ctx.shapes
        g = grad.permute(0, 3, 1, 2).reshape(b, c, oh * ow)
        oy = torch.arange(oh).repeat_interleave(ow).reshape(1, 1, -1)
        ox = torch.arange(ow).repeat(oh).reshape(1, 1, -1)
        dy, dx = arg // fw, arg % fw
        # TF starts each window's argmax at its first in-bounds row/column (filter tap 0, 0)
        y = torch.where(empty, torch.clamp(oy * sh - top, min=0), oy * sh - top + dy * rh)
        x = torch.where(empty, torch.clamp(ox * sw - left, min=0), ox * sw - left + dx * rw)
        dy = torch.where(empty, torch.zeros_like(dy), dy)
        dx = torch.where(empty, torch.zeros_like(dx), dx)
        bi = torch.arange(b).reshape(b, 1, 1).expand_as(y)
        ci = torch.arange(c).reshape(1, c, 1).expand_as(y)
        gx = torch.zeros((b, h, w, c), dtype=grad.dtype)
        gx.index_put_((bi.reshape(-1), y.reshape(-1), x.reshape(-1), ci.reshape(-1)),
                      g.reshape(-1), accumulate=True)  # fmt: skip
        gf = torch.zeros((fh, fw, c), dtype=grad.dtype)
        gf.index_put_((dy.reshape(-1), dx.reshape(-1), ci.reshape(-1)), g.reshape(-1),
                      accumulate=True)  # fmt: skip
        return gx, gf, None


@register_kernel("Dilation2D")
def _dilation_kernel(op: Operation, session: Any) -> Any:
    strides, rates, padding = op._attrs["strides"], op._attrs["rates"], op._attrs["padding"]

    def kernel(x: torch.Tensor, f: torch.Tensor) -> torch.Tensor:
        if len(strides) != 4 or strides[0] != 1 or strides[3] != 1:
            raise InvalidArgumentError(
                None, op, "Dilation2D: strides must be of the form [1, stride_rows, stride_cols, 1]"
            )
        if len(rates) != 4 or rates[0] != 1 or rates[3] != 1:
            raise InvalidArgumentError(
                None, op, "Dilation2D: rates must be of the form [1, rate_rows, rate_cols, 1]"
            )
        _, h, w, _ = x.shape
        fh, fw, _ = f.shape
        oh, top = _geometry(h, fh, strides[1], rates[1], padding)
        ow, left = _geometry(w, fw, strides[2], rates[2], padding)
        geo = (strides[1], strides[2], rates[1], rates[2], oh, ow, top, left)
        if x.is_floating_point():
            out: torch.Tensor = _Dilation.apply(x, f.to(x.dtype), geo)
            return out
        with torch.no_grad():  # integer inputs: exact in float64, no gradient
            res = _Dilation.apply(x.to(torch.float64), f.to(torch.float64), geo)
            low = torch.iinfo(x.dtype).min
            return torch.clamp(res, min=low).to(x.dtype)

    return kernel


__all__ = ["dilation2d", "erosion2d"]
