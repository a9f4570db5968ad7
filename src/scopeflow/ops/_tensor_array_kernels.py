"""Run-time side of ``tf.TensorArray``: the per-run element list and the ``TensorArray*V3`` kernels.

The ``TensorArrayV3`` kernel creates a fresh ``_TAState`` each run (its handle value); write
kernels update it in place (TF's resource semantics) and return a float32 zero as the new flow.
Reads honour ``clear_after_read``; unwritten elements read as zeros when the element shape is
fully known, else raise TF's error texts.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import itertools
from typing import Any

import torch

from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError, UnimplementedError
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation

_TORCH_NAMES = {torch.float32: "float", torch.float64: "double", torch.float16: "half"}


def _dt_name(dt: torch.dtype) -> str:
    return _TORCH_NAMES.get(dt, str(dt).removeprefix("torch."))


def _full(s: TensorShape) -> list[int]:
    """The dims of a fully defined shape."""
    return [int(d) for d in s.as_list()]  # type: ignore[arg-type]


def _shape_str(s: TensorShape) -> str:
    if s.dims is None:
        return "<unknown>"
    return "[" + ",".join("?" if d.value is None else str(d.value) for d in s.dims) + "]"


class _TAState:
    """The elements of one TensorArray in one run (TF's TensorArray resource)."""

    __slots__ = ("aggregate", "clear", "closed", "dtype", "dynamic", "elem_shape", "grads",
                 "identical", "items", "name")  # fmt: skip

    def __init__(
        self,
        name: str,
        dtype: torch.dtype,
        size: int,
        dynamic: bool,
        clear: bool,
        identical: bool,
        elem_shape: TensorShape,
    ) -> None:
        self.name = name
        self.dtype = dtype
        self.items: list[Any] = [None] * size
        self.dynamic = dynamic
        self.clear = clear
        self.identical = identical
        self.elem_shape = elem_shape
        self.closed = False
        # A gradient TensorArray (``TensorArrayGradV3``) sums repeated writes; ``grads`` holds a
        # forward array's gradient arrays by ``source``.
        self.aggregate = False
        self.grads: dict[str, _TAState] = {}

    def err(self, msg: str) -> InvalidArgumentError:
        return InvalidArgumentError(None, None, f"TensorArray {self.name}: {msg}")

    def write(self, index: int, value: torch.Tensor) -> None:
        if value.dtype != self.dtype:
            raise InvalidArgumentError(
                None,
                None,
                f"TensorArray dtype is {_dt_name(self.dtype)} "
                f"but Op is trying to write dtype {_dt_name(value.dtype)}.",
            )
        n = len(self.items)
        if index < 0 or (index >= n and not self.dynamic):
            raise self.err(
                f"Tried to write to index {index} but array is not resizeable and size is: {n}"
            )
        if index >= n:
            self.items.extend([None] * (index + 1 - n))
        shp = TensorShape(list(value.shape))
        if self.identical and not shp.is_compatible_with(self.elem_shape):
            raise self.err(
                f"Could not write to TensorArray index {index} because the value shape is "
                f"{_shape_str(shp)} which is incompatible with the TensorArray's inferred element "
                f"shape: {_shape_str(self.elem_shape)} (consider setting infer_shape=False)."
            )
        if self.identical and not self.elem_shape.is_fully_defined():
            self.elem_shape = shp
        if self.items[index] is not None and self.aggregate:
            self.items[index] = self.items[index] + value
            return
        if self.items[index] is not None:
            raise self.err(
                f"Could not write to TensorArray index {index} because it has already "
                "been written to."
            )
        self.items[index] = value

    def read(self, index: int) -> torch.Tensor:
        n = len(self.items)
        if index < 0 or index >= n:
            raise InvalidArgumentError(
                None, None, f"Tried to read from index {index} but array size is: {n}"
            )
        v = self.items[index]
        if v is _CLEARED:
            raise self.err(
                f"Could not read index {index} twice because it was cleared after a previous "
                "read (perhaps try setting clear_after_read = false?)."
            )
        if v is None:
            if not self.elem_shape.is_fully_defined():
                raise self.err(
                    f"Could not read from TensorArray index {index}.  Furthermore, the element "
                    f"shape is not fully defined: {_shape_str(self.elem_shape)}.  It is possible "
                    "you are working with a resizeable TensorArray and stop_gradients is not "
                    "allowing the gradients to be written.  If you set the full element_shape "
                    "property on the forward TensorArray, the proper all-zeros tensor will be "
                    "returned instead of incurring this error."
                )
            return torch.zeros(_full(self.elem_shape), dtype=self.dtype)
        if self.clear:
            self.items[index] = _CLEARED
        return v  # type: ignore[no-any-return]

    def read_many(self, indices: list[int]) -> list[torch.Tensor]:
        vals = [self.read(i) for i in indices]
        for k in range(1, len(vals)):
            if vals[k].shape != vals[0].shape:
                raise self.err(
                    f"Could not read from TensorArray index {indices[k]}: its shape "
                    f"{list(vals[k].shape)} is incompatible with the shape of index {indices[0]}: "
                    f"{list(vals[0].shape)}"
                )
        return vals

    def empty(self, lead: list[int]) -> torch.Tensor:
        if not self.elem_shape.is_fully_defined():
            raise UnimplementedError(
                None,
                None,
                f"TensorArray has size zero, but element shape "
                f"{_shape_str(self.elem_shape)} is not fully defined. Currently only static "
                "shapes are supported when packing zero-size TensorArrays.",
            )
        return torch.zeros([*lead, *_full(self.elem_shape)], dtype=self.dtype)


_CLEARED = object()
_ZERO = torch.zeros(())


def _flow() -> torch.Tensor:
    return _ZERO.clone()


@register_kernel("TensorArrayV3", stateful=True)
def _ta_kernel(op: Operation, session: Any) -> Any:
    from scopeflow.graph._torch_dtypes import torch_dtype  # noqa: PLC0415

    a = op._attrs
    dtype = torch_dtype(a["dtype"])
    counter = (
        session._op_state_for(op, itertools.count) if session is not None else itertools.count()
    )
    base = a["tensor_array_name"] or op._name

    def kernel(size: torch.Tensor) -> tuple[_TAState, torch.Tensor]:
        state = _TAState(
            f"{base}_{next(counter)}",
            dtype,
            int(size),
            a["dynamic_size"],
            a["clear_after_read"],
            a["identical_element_shapes"],
            a["element_shape"],
        )
        return state, _flow()

    return kernel


@register_kernel("TensorArrayGradV3", stateful=True)
def _grad_kernel(op: Operation, session: Any) -> Any:
    """The gradient array of a forward array, one per ``source`` (created on first use)."""
    source = op._attrs.get("source", "")

    def kernel(h: _TAState, flow: Any) -> tuple[_TAState, torch.Tensor]:
        grad = h.grads.get(source)
        if grad is None:
            grad = _TAState(f"{h.name}@{source}", h.dtype, len(h.items), False, True, h.identical,
                            h.elem_shape)  # fmt: skip
            grad.aggregate = True
            h.grads[source] = grad
        return grad, _flow()

    return kernel


@register_kernel("TensorArrayWriteV3", stateful=True)
def _write_kernel(op: Operation, session: Any) -> Any:
    def kernel(h: _TAState, index: torch.Tensor, value: torch.Tensor, flow: Any) -> torch.Tensor:
        h.write(int(index), value)
        return _flow()

    return kernel


@register_kernel("TensorArrayScatterV3", stateful=True)
def _scatter_kernel(op: Operation, session: Any) -> Any:
    def kernel(h: _TAState, indices: torch.Tensor, value: torch.Tensor, flow: Any) -> Any:
        idx = indices.tolist()
        if len(idx) != value.shape[0]:
            raise InvalidArgumentError(
                None,
                None,
                "Expected len(indices) == values.shape[0], "
                f"but saw: {len(idx)} vs. {value.shape[0]}",
            )
        if idx and not h.dynamic and max(idx) >= len(h.items):
            raise InvalidArgumentError(
                None,
                None,
                f"Max scatter index must be < array size ({max(idx)} vs. {len(h.items)})",
            )
        for k, i in enumerate(idx):
            h.write(i, value[k])
        return _flow()

    return kernel


@register_kernel("TensorArraySplitV3", stateful=True)
def _split_kernel(op: Operation, session: Any) -> Any:
    def kernel(h: _TAState, value: torch.Tensor, lengths: torch.Tensor, flow: Any) -> Any:
        lens = lengths.tolist()
        if sum(lens) != value.shape[0]:
            raise InvalidArgumentError(
                None,
                None,
                "Expected sum of lengths to be equal to values.shape[0], but sum of "
                f"lengths is {sum(lens)} and value's shape is: {list(value.shape)}",
            )
        if not h.dynamic and len(lens) > len(h.items):
            raise InvalidArgumentError(
                None,
                None,
                f"TensorArray's size is not equal to the size "
                f"of lengths ({len(h.items)} vs. {len(lens)}), and the "
                "TensorArray is not marked as dynamically resizeable",
            )
        for k, piece in enumerate(torch.split(value, lens)):
            h.write(k, piece)
        return _flow()

    return kernel


@register_kernel("TensorArrayReadV3", stateful=True)
def _read_kernel(op: Operation, session: Any) -> Any:
    return lambda h, index, flow: h.read(int(index))


@register_kernel("TensorArrayGatherV3", stateful=True, aliases_input=True)
def _gather_kernel(op: Operation, session: Any) -> Any:
    if len(op._inputs) == 1:  # ``map_fn``/``scan`` results: their loop kernel already stacked
        return lambda x: x

    def kernel(h: _TAState, indices: torch.Tensor, flow: Any) -> torch.Tensor:
        idx = indices.tolist()
        if not idx:
            return h.empty([0])
        return torch.stack(h.read_many(idx))

    return kernel


@register_kernel("TensorArrayConcatV3", stateful=True)
def _concat_kernel(op: Operation, session: Any) -> Any:
    def kernel(h: _TAState, flow: Any) -> tuple[torch.Tensor, torch.Tensor]:
        n = len(h.items)
        if n == 0:
            return _empty_concat(h), torch.zeros(0, dtype=torch.int64)
        vals = [h.read(i) for i in range(n)]
        for i, v in enumerate(vals):
            if v.dim() == 0:
                raise h.err(
                    f"Concat saw a scalar shape at index {i} but requires at least "
                    "vectors.  Did you mean to call stack() instead?"
                )
        lengths = torch.tensor([v.shape[0] for v in vals], dtype=torch.int64)
        return torch.cat(vals), lengths

    return kernel


def _empty_concat(h: _TAState) -> torch.Tensor:
    es = h.elem_shape
    if es.dims is None or not TensorShape(es.dims[1:]).is_fully_defined():
        raise UnimplementedError(
            None,
            None,
            "TensorArray has size zero, but element shape "
            f"{_shape_str(es)} is not fully defined. Currently only static "
            "shapes are supported when concatenating zero-size "
            "TensorArrays.",
        )
    return torch.zeros([0, *_full(TensorShape(es.dims[1:]))], dtype=h.dtype)


register_kernel("TensorArraySizeV3", stateful=True)(
    lambda op, s: lambda h, flow: torch.tensor(len(h.items), dtype=torch.int32)
)


@register_kernel("TensorArrayCloseV3", stateful=True)
def _close_kernel(op: Operation, session: Any) -> Any:
    def kernel(h: _TAState) -> None:
        h.closed = True
        h.items = [_CLEARED] * len(h.items)

    return kernel


__all__: list[str] = []
