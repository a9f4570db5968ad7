"""``tf.TensorArray`` with TF 1.x (v1 control flow) semantics.

A ``TensorArray`` is a Python object wrapping two tensors, as in TF: ``handle`` (output 0 of the
``TensorArrayV3`` op, dtype ``resource``) and ``flow`` (a float32 scalar). Every write-like method
(``write``, ``scatter``, ``unstack``, ``split``) adds an op taking the old flow and returns a new
``TensorArray`` sharing the handle with the new flow; readers (``read``, ``gather``, ``stack``,
``concat``, ``size``) take the flow, which orders them after the writes. ``tf.while_loop``
passes a ``TensorArray`` loop variable through as its flow tensor and rebuilds it around the result.

At run time the handle's value is a ``_TAState`` (the element list) created afresh by each run of
the ``TensorArrayV3`` op and updated in place by the write kernels, as TF's resource is; the flow
value is a float32 zero. Elements keep their autograd history, so ``tf.gradients`` of a
``stack()`` reaches the written values through torch autograd.

Static shapes follow TF's Python wrapper: with ``infer_shape=True`` every write merges the value's
shape into an element shape shared by all ``TensorArray`` objects of one handle (TF's
``Inconsistent shapes`` ``ValueError``), and ``read``/``gather``/``stack``/``concat`` use it.

Differences from TensorFlow: TF's resource name in run-time errors (``TensorArray_3_7``) ends in a
process-wide counter; here it is the op name and a per-session counter. ``colocate_with_first_
write_call`` has no effect (one device). TensorArray gradients are torch autograd's, so TF's
``TensorArrayGradV3`` ops and ``grad()`` do not exist. ``tf.cond`` branches cannot return a
``TensorArray`` (only ``while_loop`` converts them to flows); return ``ta.flow`` instead.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import _tensor_array_kernels  # noqa: F401  (registers the kernels)
from scopeflow.ops._op_builder import SCALAR, UNKNOWN, make_multi_op, make_op
from scopeflow.ops.array_ops import identity, shape
from scopeflow.ops.creation_ops import range as _range
from scopeflow.ops.math_ops import _scope, cast


class TensorArray:
    """A list of tensors written and read by index inside a graph (``tf.TensorArray``, TF1).

    >>> import scopeflow.compat.v1 as tf
    >>> ta = tf.TensorArray(tf.float32, size=2).write(0, [1.0, 2.0]).write(1, [3.0, 4.0])
    >>> print(ta.stack())
    Tensor("TensorArrayStack/TensorArrayGatherV3:0", shape=(2, 2), dtype=float32)
    """

    def __init__(
        self,
        dtype: Any,
        size: Any = None,
        dynamic_size: bool | None = None,
        clear_after_read: bool | None = None,
        tensor_array_name: str | None = None,
        handle: Any = None,
        flow: Any = None,
        infer_shape: bool = True,
        element_shape: Any = None,
        colocate_with_first_write_call: bool = True,
        name: str | None = None,
    ) -> None:
        if handle is not None and tensor_array_name:
            raise ValueError(
                "Cannot provide both `handle` and `tensor_array_name` arguments at the same time."
            )
        if handle is not None and not isinstance(handle, Tensor):
            raise TypeError(
                f"Expected `handle` to be a Tensor, but got `{handle}` of type "
                f"`{type(handle)}` instead."
            )
        if handle is None and size is None:
            raise ValueError("Argument `size` must be provided if handle is not provided.")
        if handle is not None and size is not None:
            raise ValueError(
                "Cannot provide both a `handle` and `size` arguments at the same time."
            )
        if handle is not None and element_shape is not None:
            raise ValueError(
                "Cannot provide both `handle` and `element_shape` arguments at the same time."
            )
        if handle is not None and dynamic_size is not None:
            raise ValueError(
                "Cannot provide both `handle` and `dynamic_size` arguments at the same time."
            )
        if handle is not None and clear_after_read is not None:
            raise ValueError(
                "Cannot provide both `handle` and `clear_after_read` arguments at the same time."
            )
        if clear_after_read is None:
            clear_after_read = True
        self._dynamic_size = bool(dynamic_size)
        self._dtype = dtypes.as_dtype(dtype).base_dtype
        self._element_shape = [as_shape(element_shape) if element_shape is not None else UNKNOWN]
        self._infer_shape = infer_shape
        self._colocate_with_first_write_call = colocate_with_first_write_call
        self._size: Any = size
        if handle is not None:
            if flow is None:
                raise ValueError("flow must not be None if handle is not None.")
            self._handle: Tensor = handle
            self._flow: Tensor = flow
            return
        scope = _scope(name, "TensorArray")
        size_t = convert_to_tensor(size, dtype=dtypes.int32, name=scope + "size/")
        self._size = size_t
        op = make_multi_op(
            "TensorArrayV3",
            (size_t,),
            {
                "dtype": self._dtype,
                "element_shape": self._element_shape[0],
                "dynamic_size": self._dynamic_size,
                "clear_after_read": bool(clear_after_read),
                "identical_element_shapes": bool(infer_shape),
                "tensor_array_name": tensor_array_name or "",
            },
            scope,
            (dtypes.resource, dtypes.float32),
            (TensorShape([2]), SCALAR),
        )
        self._handle, self._flow = op._outputs[0], op._outputs[1]

    # --- properties ------------------------------------------------------------------------------

    @property
    def flow(self) -> Tensor:
        """The flow tensor: orders this array's reads after its writes."""
        return self._flow

    @property
    def dtype(self) -> dtypes.DType:
        """The element dtype."""
        return self._dtype

    @property
    def handle(self) -> Tensor:
        """The ``resource`` handle tensor."""
        return self._handle

    @property
    def element_shape(self) -> TensorShape:
        """The static element shape known so far."""
        return self._element_shape[0]

    def _check_element_shape(self, shape: TensorShape) -> None:
        if not shape.is_compatible_with(self.element_shape):
            raise ValueError(f"Inconsistent shapes: saw {shape} but expected {self.element_shape} ")
        if self._infer_shape:
            self._element_shape[0] = self.element_shape.merge_with(shape)

    def _with_flow(self, flow: Tensor) -> TensorArray:
        new = TensorArray(
            self._dtype,
            handle=self._handle,
            flow=flow,
            infer_shape=self._infer_shape,
            colocate_with_first_write_call=self._colocate_with_first_write_call,
        )
        new._dynamic_size = self._dynamic_size
        new._size = self._size
        new._element_shape = self._element_shape  # shared, as in TF
        return new

    def _known_size(self) -> int | None:
        if self._dynamic_size or self._size is None:
            return None
        val = self._size._const if isinstance(self._size, Tensor) else self._size
        return None if val is None else int(np.asarray(val))

    # --- writes ---------------------------------------------------------------------------------

    def _value(self, value: Any, scope: str) -> Tensor:
        return convert_to_tensor(value, preferred_dtype=self._dtype, name=scope + "value/")

    def write(self, index: Any, value: Any, name: str | None = None) -> TensorArray:
        """Writes ``value`` at ``index``; returns the array with the new flow."""
        scope = _scope(name, "TensorArrayWrite")
        v = self._value(value, scope)
        self._check_element_shape(v._shape)
        with get_default_graph().name_scope(scope):
            op_scope = _scope(name, "TensorArrayWriteV3")
            idx = convert_to_tensor(index, dtype=dtypes.int32, name=op_scope + "index/")
            flow = make_op(
                "TensorArrayWriteV3",
                (self._handle, idx, v, self._flow),
                {"T": v._dtype.base_dtype},
                op_scope,
                dtypes.float32,
                SCALAR,
            )
        return self._with_flow(flow)

    def scatter(self, indices: Any, value: Any, name: str | None = None) -> TensorArray:
        """Writes ``value[i]`` at ``indices[i]``; returns the array with the new flow."""
        scope = _scope(name, "TensorArrayScatter")
        with get_default_graph().name_scope(scope):
            return self._scatter(indices, value, name, scope)

    def _scatter(self, indices: Any, value: Any, name: str | None, scope: str) -> TensorArray:
        v = self._value(value, scope)
        if v._shape.dims is not None:
            self._check_element_shape(TensorShape(v._shape.dims[1:]))
        else:
            self._check_element_shape(UNKNOWN)
        op_scope = _scope(name, "TensorArrayScatterV3")
        idx = convert_to_tensor(indices, dtype=dtypes.int32, name=op_scope + "indices/")
        flow = make_op(
            "TensorArrayScatterV3",
            (self._handle, idx, v, self._flow),
            {"T": v._dtype.base_dtype},
            op_scope,
            dtypes.float32,
            SCALAR,
        )
        return self._with_flow(flow)

    def unstack(self, value: Any, name: str | None = None) -> TensorArray:
        """Writes the slices ``value[0], value[1], ...`` at indices 0, 1, ..."""
        scope = _scope(name, "TensorArrayUnstack")
        with get_default_graph().name_scope(scope):
            v = convert_to_tensor(value, preferred_dtype=self._dtype, name="value")
            num = shape(v)[0]
            rng = _range(0, num)
            inner = _scope(name, "TensorArrayScatter")
            with get_default_graph().name_scope(inner):
                return self._scatter(rng, v, name, inner)

    def split(self, value: Any, lengths: Any, name: str | None = None) -> TensorArray:
        """Splits ``value`` along dim 0 into pieces of ``lengths``, written at 0, 1, ..."""
        scope = _scope(name, "TensorArraySplit")
        with get_default_graph().name_scope(scope):
            v = convert_to_tensor(value, dtype=self._dtype, name="value")
            lengths_64 = cast(lengths, dtypes.int64)
            cl = lengths_64._const
            if v._shape.dims is not None and cl is not None:
                cl = np.asarray(cl)
                if cl.shape and cl.max() == cl.min():
                    self._check_element_shape(
                        TensorShape([int(cl[0])]).concatenate(TensorShape(v._shape.dims[1:]))
                    )
            op_scope = _scope(name, "TensorArraySplitV3")
            flow = make_op(
                "TensorArraySplitV3",
                (self._handle, v, lengths_64, self._flow),
                {"T": v._dtype.base_dtype},
                op_scope,
                dtypes.float32,
                SCALAR,
            )
        return self._with_flow(flow)

    # --- reads ----------------------------------------------------------------------------------

    def read(self, index: Any, name: str | None = None) -> Tensor:
        """The element at ``index`` (cleared afterwards if ``clear_after_read``)."""
        scope = _scope(name, "TensorArrayReadV3")
        idx = convert_to_tensor(index, dtype=dtypes.int32, name=scope + "index/")
        return make_op(
            "TensorArrayReadV3",
            (self._handle, idx, self._flow),
            {"dtype": self._dtype},
            scope,
            self._dtype,
            self.element_shape,
        )

    def gather(self, indices: Any, name: str | None = None) -> Tensor:
        """The elements at ``indices``, stacked."""
        return self._gather(indices, name, None)

    def _gather(self, indices: Any, name: str | None, dim0: int | None) -> Tensor:
        scope = _scope(name, "TensorArrayGatherV3")
        idx = convert_to_tensor(indices, dtype=dtypes.int32, name=scope + "indices/")
        es = self.element_shape
        out = UNKNOWN if es.dims is None else TensorShape([dim0, *es.dims])
        return make_op(
            "TensorArrayGatherV3",
            (self._handle, idx, self._flow),
            {"dtype": self._dtype, "element_shape": es},
            scope,
            self._dtype,
            out,
        )

    def stack(self, name: str | None = None) -> Tensor:
        """All elements stacked along a new dim 0."""
        scope = _scope(name, "TensorArrayStack")
        with get_default_graph().name_scope(scope):
            rng = _range(0, self.size())
            return self._gather(rng, name, self._known_size())

    def concat(self, name: str | None = None) -> Tensor:
        """All elements concatenated along dim 0."""
        scope = _scope(name, "TensorArrayConcatV3")
        es = self.element_shape
        op = make_multi_op(
            "TensorArrayConcatV3",
            (self._handle, self._flow),
            {"dtype": self._dtype},
            scope,
            (self._dtype, dtypes.int64),
            (UNKNOWN, TensorShape([None])),
        )
        value = op._outputs[0]
        if es.dims is not None:
            dim0 = None
            if self._infer_shape and es.dims:
                # TF evaluates ``self.size()`` here, creating its Const (or size op).
                size_t = self.size()
                size = None if size_t._const is None else int(size_t._const)
                if size is not None and es.dims[0].value is not None:
                    dim0 = size * es.dims[0].value
            value.set_shape(TensorShape([dim0, *es.dims[1:]]))
        return value

    def size(self, name: str | None = None) -> Tensor:
        """The number of elements (a constant unless ``dynamic_size``)."""
        if not self._dynamic_size and self._size is not None:
            known = self._known_size()
            if known is not None:
                return convert_to_tensor(np.int32(known), dtype=dtypes.int32)
            return self._size  # type: ignore[no-any-return]
        scope = _scope(name, "TensorArraySizeV3")
        return make_op(
            "TensorArraySizeV3", (self._handle, self._flow), {}, scope, dtypes.int32, SCALAR
        )

    def identity(self) -> TensorArray:
        """The same array with an ``Identity`` of the flow (for control dependencies)."""
        return self._with_flow(identity(self._flow))

    def close(self, name: str | None = None) -> Operation:
        """An op that releases the array's elements."""
        scope = _scope(name, "TensorArrayCloseV3")
        return make_multi_op("TensorArrayCloseV3", (self._handle,), {}, scope, (), ())

    def grad(self, source: Any, flow: Any = None, name: str | None = None) -> Any:
        """Not supported: gradients come from torch autograd."""
        raise UnsupportedError("TensorArray.grad", "Use tf.gradients on the stacked result.")


def to_flow(v: Any) -> Any:
    """``v.flow`` for a ``TensorArray``, else ``v`` (TF's ``_convert_tensorarray_to_flow``)."""
    return v.flow if isinstance(v, TensorArray) else v


def from_flow(old: Any, flow: Any) -> Any:
    """A ``TensorArray`` like ``old`` around ``flow`` if ``old`` is one, else ``flow``."""
    return old._with_flow(flow) if isinstance(old, TensorArray) else flow


__all__ = ["TensorArray", "from_flow", "to_flow"]
