"""Symbolic ``Tensor`` and ``Operation``: the nodes and edges of a TF1 graph.

A ``Tensor`` is an output of an ``Operation``; it holds a dtype, a static ``TensorShape`` and, for
small constants, the known value (``_const``) used by shape inference. Operator overloads
(``+``, ``*``, ``[...]``...) are installed by ``scopeflow.ops`` through ``register_operator``, as
TF's ``math_ops`` does, so this layer stays independent of the op library.

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from scopeflow._core import dtypes, tensor_shape
from scopeflow._core.explain import graph_value_text
from scopeflow.errors import _explained


class Operation:
    """A node in the graph: a TF op type, inputs, attributes and outputs.

    ``name`` is unique in its graph; ``type`` is TF's op type (``"Conv2D"``, ``"VariableV2"``).
    """

    __slots__ = (
        "__weakref__",
        "_attrs",
        "_control_inputs",
        "_device",
        "_graph",
        "_id",
        "_inputs",
        "_name",
        "_out",
        "_traceback",
        "_type",
    )

    def __init__(
        self,
        graph: Any,
        op_type: str,
        name: str,
        inputs: tuple[Tensor, ...],
        attrs: dict[str, Any],
        op_id: int,
    ) -> None:
        self._graph = graph
        self._type = op_type
        self._name = name
        self._inputs = inputs
        self._attrs = attrs
        # One output is held directly (a 1-tuple per op would be one more object for the cyclic
        # garbage collector to scan, which dominates the build time of large graphs).
        self._out: Tensor | tuple[Tensor, ...] = ()
        self._control_inputs: tuple[Operation, ...] = ()
        self._id = op_id
        self._device = ""
        self._traceback: Any = None

    @property
    def _outputs(self) -> tuple[Tensor, ...]:
        out = self._out
        return out if out.__class__ is tuple else (out,)  # type: ignore[return-value]

    @_outputs.setter
    def _outputs(self, outputs: tuple[Tensor, ...]) -> None:
        self._out = outputs[0] if len(outputs) == 1 else tuple(outputs)

    @property
    def name(self) -> str:
        """The unique name of this op in its graph."""
        return self._name

    @property
    def type(self) -> str:
        """TF's op type, e.g. ``'Conv2D'``."""
        return self._type

    @property
    def graph(self) -> Any:
        """The graph that owns this op."""
        return self._graph

    @property
    def inputs(self) -> tuple[Tensor, ...]:
        """The input tensors (TF's: a ``Merge`` of ``switch`` branches reads them in a sub-plan)."""
        return self._attrs.get("_tf_inputs", self._inputs)  # type: ignore[no-any-return]

    @property
    def outputs(self) -> list[Tensor]:
        """The output tensors."""
        return list(self._outputs)

    def values(self) -> tuple[Tensor, ...]:
        """The output tensors, as a tuple."""
        return self._outputs

    @property
    def control_inputs(self) -> list[Operation]:
        """Ops that must run before this one."""
        return list(self._control_inputs)

    @property
    def device(self) -> str:
        """The requested device, as TF records it (``/job:ps/task:0/device:CPU:0``, or ``''``)."""
        return self._device

    def _set_device(self, device: Any) -> None:
        """Sets the requested device (a string, stored as given, or a ``DeviceSpec``)."""
        if hasattr(device, "to_string"):
            device = device.to_string()
        self._set_device_from_string(device.decode() if isinstance(device, bytes) else device)

    def _set_device_from_string(self, device_str: str) -> None:
        self._device = device_str
        self._graph._plan_cache_version += 1  # plans place ops when they are made

    def colocation_groups(self) -> list[bytes]:
        """The ``loc:@`` entries of the op's ``_class`` attribute, else ``[b'loc:@<name>']``."""
        groups = self._graph._colocation.get(self._id) or self._attrs.get("_class") or ()
        groups = [g for g in groups if g.startswith(b"loc:@")]
        return groups or [f"loc:@{self._name}".encode()]

    @property
    def node_def(self) -> Any:
        """This op as TF's ``NodeDef`` proto (see :func:`scopeflow.graph_io.graph_def.node_def`)."""
        from scopeflow.graph_io.graph_def import node_def  # noqa: PLC0415  (protobuf is lazy)

        return node_def(self)

    @property
    def traceback(self) -> Any:
        """Where the op was created (user frames), if recorded."""
        return self._traceback

    def get_attr(self, name: str) -> Any:
        """The value of attribute ``name`` as TF returns it. Raises ValueError if absent.

        As in TF, strings come back as ``bytes``, types as ``DType``, shapes as
        ``TensorShapeProto``, tensors (``Const``'s ``value``) as ``TensorProto``, floats rounded
        to float32, lists as lists of those (see
        :func:`scopeflow.graph_io.graph_def.attr_as_tf_returns`).
        """
        if name == "_class" and self._id in self._graph._colocation:
            return list(self._graph._colocation[self._id])
        try:
            value = self._attrs[name]
        except KeyError:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.") from None
        from scopeflow.graph_io.graph_def import attr_as_tf_returns  # noqa: PLC0415  (lazy)

        return attr_as_tf_returns(self, name, value)

    def _add_control_input(self, op: Operation) -> None:
        if op not in self._control_inputs:
            self._control_inputs = (*self._control_inputs, op)
            self._graph._plan_cache_version += 1

    def _add_control_inputs(self, ops: Any) -> None:
        for op in ops:
            self._add_control_input(op)

    def run(self, feed_dict: Any = None, session: Any = None) -> None:
        """Runs this op in ``session`` (default: the default session)."""
        from scopeflow.graph.session import _run_using_default_session  # noqa: PLC0415

        _run_using_default_session(self, feed_dict, self._graph, session)

    def __repr__(self) -> str:
        return f"<tf.Operation '{self._name}' type={self._type}>"

    __str__ = __repr__


_OVERLOADS: dict[str, Callable[..., Any]] = {}
_TENSOR_LIKE: list[type] = []


def _converting(fn: Callable[..., Any]) -> Callable[..., Any]:
    def method(self: Any, *args: Any) -> Any:
        return fn(self._as_tensor(), *args)

    return method


def register_operator(name: str, fn: Callable[..., Any]) -> None:
    """Installs an operator overload (``'__add__'``...) on Tensor and on tensor-like classes."""
    _OVERLOADS[name] = fn
    setattr(Tensor, name, fn)
    for cls in _TENSOR_LIKE:
        setattr(cls, name, _converting(fn))


def register_tensor_like(cls: type) -> None:
    """Gives ``cls`` (which has ``_as_tensor()``) every Tensor operator overload.

    As TF does for Variables, the operand is converted to a tensor first.
    """
    _TENSOR_LIKE.append(cls)
    for name, fn in _OVERLOADS.items():
        setattr(cls, name, _converting(fn))


#: Attributes of eager tensors whose use on a graph tensor gets an explanation.
_EAGER_ONLY = {"numpy": "`.numpy()`", "_numpy": "`._numpy()`"}


def no_attribute_error(obj: Any, name: str) -> AttributeError:
    """Python's ``AttributeError`` for ``obj.name``, explained for eager-only attributes."""
    error = AttributeError(f"'{type(obj).__name__}' object has no attribute '{name}'")
    error.name, error.obj = name, obj
    what = _EAGER_ONLY.get(name)
    if what is not None:
        kind = "tensor" if isinstance(obj, Tensor) else "variable"
        _explained(error, graph_value_text(what, str(getattr(obj, "name", "?")), kind))
    return error


class Tensor:
    """A symbolic output of an ``Operation`` (TF1 ``tf.Tensor``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 3])
    >>> print(x.name, x.shape, x.get_shape().as_list(), x.dtype)
    Placeholder:0 (?, 3) [None, 3] <dtype: 'float32'>
    """

    # ``__dict__``: TF's Tensor takes arbitrary attributes (tensorpack's layers attach
    # ``ret.variables``; ``tf.contrib.layers.utils.append_tensor_alias`` sets ``aliases``, unset
    # until then as in TF); Python makes the dict only when one is set.
    __slots__ = (
        "__dict__",
        "__weakref__",
        "_const",
        "_dtype",
        "_op",
        "_partial_shape",
        "_shape",
        "_value_index",
    )

    # Make numpy defer to Tensor's reflected operators (np_array + tensor -> Tensor.__radd__).
    __array_priority__ = 100

    def __init__(
        self, op: Operation, value_index: int, dtype: dtypes.DType, shape: tensor_shape.TensorShape
    ) -> None:
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape
        self._const: Any = None
        # For 1-D int tensors holding a shape: the partially known value as a TensorShape.
        self._partial_shape: tensor_shape.TensorShape | None = None

    @property
    def op(self) -> Operation:
        """The op that produces this tensor."""
        return self._op

    @property
    def value_index(self) -> int:
        """The index of this tensor among its op's outputs."""
        return self._value_index

    @property
    def name(self) -> str:
        """``'<op name>:<index>'``."""
        return f"{self._op._name}:{self._value_index}"

    @property
    def dtype(self) -> dtypes.DType:
        """The element type."""
        return self._dtype

    @property
    def graph(self) -> Any:
        """The graph that owns this tensor."""
        return self._op._graph

    @property
    def device(self) -> str:
        """The device of the producing op (stored only)."""
        return self._op._device

    @property
    def shape(self) -> tensor_shape.TensorShape:
        """The static shape, possibly partially known."""
        return self._shape

    def get_shape(self) -> tensor_shape.TensorShape:
        """The static shape, possibly partially known (alias of ``shape``)."""
        return self._shape

    def set_shape(self, shape: Any) -> None:
        """Refines the static shape. Raises ValueError if ``shape`` is incompatible."""
        other = tensor_shape.as_shape(shape)
        cur = self._shape
        if cur.ndims is not None and other.ndims is not None:
            if cur.ndims != other.ndims:
                raise ValueError(
                    f"Shapes must be equal rank, but are {cur.ndims} and {other.ndims}"
                )
            for i, (a, b) in enumerate(zip(cur.as_list(), other.as_list(), strict=True)):
                if a is not None and b is not None and a != b:
                    raise ValueError(
                        f"Dimension {i} in both shapes must be equal, but are {a} and {b}. "
                        f"Shapes are {_bracket(cur)} and {_bracket(other)}."
                    )
        self._shape = cur.merge_with(other)

    def consumers(self) -> list[Operation]:
        """The ops that take this tensor as input."""
        return [op for op in self.graph.get_operations() if self in op._inputs]

    def eval(self, feed_dict: Any = None, session: Any = None) -> Any:
        """Evaluates this tensor in ``session`` (default: the default session)."""
        from scopeflow.graph.session import _run_using_default_session  # noqa: PLC0415

        return _run_using_default_session(self, feed_dict, self.graph, session)

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self) -> str:
        if self._shape.ndims is None:
            return f'Tensor("{self.name}", dtype={self._dtype.name})'
        return f'Tensor("{self.name}", shape={self._shape}, dtype={self._dtype.name})'

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        # TF 1.x: Tensor equality is identity (tensor equality ops are tf.equal).
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __bool__(self) -> bool:
        error = TypeError(
            "Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not None:` "
            "instead of `if t:` to test if a tensor is defined, and use TensorFlow ops such as "
            "tf.cond to execute subgraphs conditioned on the value of a tensor."
        )
        _explained(error, graph_value_text("`if t:` (bool(t))", self.name))
        raise error

    if not TYPE_CHECKING:  # mypy would otherwise accept any attribute of a Tensor

        def __getattr__(self, name: str) -> Any:
            # only reached when the attribute does not exist
            raise no_attribute_error(self, name)

    def __len__(self) -> int:
        raise TypeError(
            f"len is not well defined for symbolic Tensors. ({self.name}) Please call "
            "`x.shape` rather than `len(x)` for shape information."
        )

    def __iter__(self) -> Iterator[Any]:
        shape = self._shape
        if shape.ndims is None:
            raise TypeError("Cannot iterate over a tensor with unknown shape.")
        if shape.ndims == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        n = shape[0].value
        if n is None:
            raise TypeError("Cannot iterate over a tensor with unknown first dimension.")
        for i in range(n):
            yield self[i]

    if TYPE_CHECKING:
        # Declarations for the type checker only: the real operators are installed at run time
        # by ``register_operator`` (from ``scopeflow.ops``); nothing here exists at run time.
        def __add__(self, other: Any) -> Tensor: ...
        def __radd__(self, other: Any) -> Tensor: ...
        def __sub__(self, other: Any) -> Tensor: ...
        def __rsub__(self, other: Any) -> Tensor: ...
        def __mul__(self, other: Any) -> Tensor: ...
        def __rmul__(self, other: Any) -> Tensor: ...
        def __truediv__(self, other: Any) -> Tensor: ...
        def __rtruediv__(self, other: Any) -> Tensor: ...
        def __floordiv__(self, other: Any) -> Tensor: ...
        def __rfloordiv__(self, other: Any) -> Tensor: ...
        def __mod__(self, other: Any) -> Tensor: ...
        def __rmod__(self, other: Any) -> Tensor: ...
        def __pow__(self, other: Any) -> Tensor: ...
        def __rpow__(self, other: Any) -> Tensor: ...
        def __matmul__(self, other: Any) -> Tensor: ...
        def __rmatmul__(self, other: Any) -> Tensor: ...
        def __and__(self, other: Any) -> Tensor: ...
        def __rand__(self, other: Any) -> Tensor: ...
        def __or__(self, other: Any) -> Tensor: ...
        def __ror__(self, other: Any) -> Tensor: ...
        def __xor__(self, other: Any) -> Tensor: ...
        def __rxor__(self, other: Any) -> Tensor: ...
        def __lt__(self, other: Any) -> Tensor: ...
        def __le__(self, other: Any) -> Tensor: ...
        def __gt__(self, other: Any) -> Tensor: ...
        def __ge__(self, other: Any) -> Tensor: ...
        def __neg__(self) -> Tensor: ...
        def __abs__(self) -> Tensor: ...
        def __invert__(self) -> Tensor: ...
        def __getitem__(self, slice_spec: Any) -> Tensor: ...

    def _as_node_def_input(self) -> str:
        return self._op._name if self._value_index == 0 else self.name

    def __reduce__(self) -> Any:
        raise TypeError("Tensors cannot be pickled.")


def _bracket(shape: tensor_shape.TensorShape) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


def is_tensor(x: Any) -> bool:
    """Whether ``x`` is a symbolic graph tensor (``tf.is_tensor``)."""
    return isinstance(x, Tensor)


__all__ = ["Operation", "Tensor", "is_tensor", "register_operator"]
