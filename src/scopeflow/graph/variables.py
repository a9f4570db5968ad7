"""Graph-mode ``tf.Variable`` (TF1 ``VariableV1``/``RefVariable``).

A variable is three ops, named as TF names them: ``<name>`` (``VariableV2``, dtype ``*_ref``),
``<name>/Assign`` (its initializer) and ``<name>/read`` (the snapshot every read goes through).
Values live in each ``Session``, not in the graph. ``tf.Variable`` names come from the *name
scope*; it never touches the variable store (``docs/tf1_semantics.md`` §2.5, §11).

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

import contextlib
import functools
from typing import TYPE_CHECKING, Any

from scopeflow._core import dtypes, tensor_shape
from scopeflow._core.backend import backend
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow._core.variable_scope import (
    current_creators,
    get_variable_scope,
    resource_variables_enabled,
)
from scopeflow._core.variable_store import (
    SaveSliceInfo,
    VariableAggregation,
    VariableSynchronization,
    capture_user_frames,
    validate_synchronization_aggregation_trainable,
)
from scopeflow.graph.conversion import convert_to_tensor, register_tensor_conversion_function
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Operation, Tensor, no_attribute_error, register_tensor_like

_SENTINEL = object()
# Builds the ``Variable.scatter_*`` ops; installed by ``scopeflow.ops.state_scatter_ops`` (the ops
# live in the ``ops`` layer, which this module may not import).
_SCATTER_HOOK: Any = None


class _VariableMeta(type):
    """Routes ``Variable(...)`` through active ``variable_creator_scope`` creators."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        creators = current_creators()
        if creators:
            return _create_through_creators(cls, creators, *args, **kwargs)
        return super(_VariableMeta, _variable_class(cls, args, kwargs)).__call__(*args, **kwargs)


def _variable_class(cls: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``ResourceVariable`` when ``use_resource`` (argument, else the scope's) asks for it."""
    if cls is not Variable:
        return cls
    use_resource = kwargs.get("use_resource")
    if use_resource is None and len(args) > 11:
        use_resource = args[11]
    if use_resource is None:
        use_resource = get_variable_scope().use_resource
    if use_resource is None:
        use_resource = resource_variables_enabled()
    return ResourceVariable if use_resource else cls


class Variable(metaclass=_VariableMeta):
    """A TF1 graph-mode variable (``tf.compat.v1.Variable``, a ``RefVariable``).

    >>> import scopeflow.compat.v1 as tf
    >>> v = tf.Variable([1], name="v1")
    >>> print(v)
    <tf.Variable 'v1:0' shape=(1,) dtype=int32_ref>
    """

    def __init__(
        self,
        initial_value: Any = None,
        trainable: bool | None = None,
        collections: Any = None,
        validate_shape: bool = True,
        caching_device: Any = None,
        name: str | None = None,
        variable_def: Any = None,
        dtype: Any = None,
        expected_shape: Any = None,
        import_scope: str | None = None,
        constraint: Any = None,
        use_resource: bool | None = None,
        synchronization: Any = None,
        aggregation: Any = None,
        shape: Any = None,
    ) -> None:
        if variable_def is not None:
            if initial_value is not None:
                raise ValueError("variable_def and initial_value are mutually exclusive.")
            self._init_from_proto(variable_def, import_scope)
            return
        self._init_from_args(
            initial_value,
            trainable,
            collections,
            validate_shape,
            caching_device,
            name,
            dtype,
            constraint,
            synchronization,
            aggregation,
            shape,
        )

    def _init_from_args(
        self,
        initial_value: Any,
        trainable: bool | None,
        collections: Any,
        validate_shape: bool,
        caching_device: Any,
        name: str | None,
        dtype: Any,
        constraint: Any,
        synchronization: Any,
        aggregation: Any,
        shape: Any,
    ) -> None:
        synchronization, aggregation, trainable = validate_synchronization_aggregation_trainable(
            synchronization, aggregation, trainable, name
        )
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        init_from_fn = callable(initial_value)
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        if not isinstance(collections, (list, tuple, set)):
            raise ValueError(
                "collections argument to Variable constructor must be a list, tuple, or set. "
                f"Got {collections} of type {type(collections)}"
            )
        if constraint is not None and not callable(constraint):
            raise ValueError("The `constraint` argument must be a callable.")
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections = [*list(collections), GraphKeys.TRAINABLE_VARIABLES]
        graph = get_default_graph()
        self._trainable = trainable
        # TF builds a variable's ops in ``init_scope``: outer control dependencies do not apply
        # (its initializer must not wait for, say, the asserts a metric wraps its updates in)
        clear = graph.control_dependencies(None) if graph._thread.control_dependencies else None
        with clear or _nullcontext(), name_scope(name, "Variable") as scope_name:
            # As TF: a callable's ops and the variable op are colocated with the variable (the
            # ``_class`` attribute) and the initial value ignores the device scopes.
            colocated = (
                graph._attr_scope({"_class": [f"loc:@{scope_name[:-1]}".encode()]})
                if init_from_fn
                else _nullcontext()
            )
            with colocated:
                if init_from_fn:
                    with name_scope("Initializer"), graph.device(None):
                        init = convert_to_tensor(initial_value(), name="initial_value", dtype=dtype)
                else:
                    init = convert_to_tensor(initial_value, name="initial_value", dtype=dtype)
                self._initial_value = init
                if shape is not None:
                    var_shape = tensor_shape.as_shape(shape)
                else:
                    var_shape = init._shape if validate_shape else tensor_shape.unknown_shape()
                base = init._dtype.base_dtype
                self._variable_op = graph._create_op(
                    "VariableV2",
                    (),
                    _shared_attrs("VariableV2", var_shape, base),
                    scope_name,
                    (base._as_ref,),
                    (var_shape,),
                )
            self._variable: Tensor = self._variable_op._out  # type: ignore[assignment]
            self._name = self._variable.name
            if validate_shape and not init._shape.is_fully_defined():
                raise ValueError(f"initial_value must have a shape specified: {init}")
            with graph.colocate_with(self._variable_op):  # TF colocates ops with a ref input
                self._initializer_op = graph._create_op(
                    "Assign",
                    (self._variable, init),
                    _shared_attrs("Assign", validate_shape, base),
                    "Assign",
                    (base._as_ref,),
                    (var_shape if validate_shape else init._shape,),
                )
            with (
                graph.device(caching_device)
                if caching_device is not None
                else graph.colocate_with(self._variable_op)
            ):
                self._snapshot: Tensor = graph._create_op(
                    "Identity",
                    (self._variable,),
                    _shared_attrs("Identity", None, base),
                    "read",
                    (base,),
                    (var_shape,),
                )._out  # type: ignore[assignment]
        graph.add_to_collections(collections, self)
        self._caching_device = caching_device
        self._save_slice_info: Any = None
        self._constraint = constraint
        self._synchronization = synchronization
        self._aggregation = aggregation
        self._defined_at = capture_user_frames()

    def _init_from_proto(self, variable_def: Any, import_scope: str | None) -> None:
        """Wraps the ops a ``VariableDef`` names (TF's ``RefVariable._init_from_proto``)."""
        if variable_def.is_resource:
            raise TypeError("scopeflow does not support resource variables (is_resource).")
        g = get_default_graph()

        def scoped(name: str) -> str:
            return f"{import_scope}/{name}" if import_scope and name else name

        self._variable = g.as_graph_element(scoped(variable_def.variable_name))
        self._variable_op = self._variable._op
        self._name = self._variable.name
        self._initializer_op = g.as_graph_element(scoped(variable_def.initializer_name))
        self._snapshot = g.as_graph_element(scoped(variable_def.snapshot_name))
        init_name = variable_def.initial_value_name
        # (old VariableDefs lack initial_value_name: the initializer's value input is the same)
        self._initial_value = (
            g.as_graph_element(scoped(init_name)) if init_name else self._initializer_op._inputs[1]
        )
        self._trainable = bool(variable_def.trainable)
        self._caching_device = None
        self._save_slice_info = None
        if variable_def.HasField("save_slice_info_def"):  # a partitioned variable's shard
            info = variable_def.save_slice_info_def
            self._save_slice_info = SaveSliceInfo(
                full_name=scoped(info.full_name),
                full_shape=list(info.full_shape),
                var_offset=list(info.var_offset),
                var_shape=list(info.var_shape),
            )
        self._constraint = None
        self._synchronization = VariableSynchronization(variable_def.synchronization or 0)
        self._aggregation = VariableAggregation(variable_def.aggregation or 0)
        self._defined_at = capture_user_frames()

    # --- identity --------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """``'<op name>:0'``."""
        return self._name

    @property
    def op(self) -> Operation:
        """The ``VariableV2`` op."""
        return self._variable_op

    @property
    def dtype(self) -> dtypes.DType:
        """The reference dtype, e.g. ``float32_ref`` (TF1 RefVariable)."""
        return self._variable._dtype

    @property
    def shape(self) -> tensor_shape.TensorShape:
        """The static shape."""
        return self._variable._shape

    def get_shape(self) -> tensor_shape.TensorShape:
        """The static shape."""
        return self._variable._shape

    @property
    def graph(self) -> Any:
        """The graph of the variable."""
        return self._variable_op._graph

    @property
    def device(self) -> str:
        """The device string of the variable op (stored only)."""
        return self._variable_op._device

    @property
    def trainable(self) -> bool:
        """Whether the variable was created trainable."""
        return bool(self._trainable)

    @property
    def constraint(self) -> Any:
        """The constraint function (applied by optimizers, never at creation)."""
        return self._constraint

    @property
    def synchronization(self) -> Any:
        """The synchronization mode (stored only)."""
        return self._synchronization

    @property
    def aggregation(self) -> Any:
        """The aggregation mode (stored only)."""
        return self._aggregation

    @property
    def initializer(self) -> Operation:
        """The ``<name>/Assign`` op that sets the initial value."""
        return self._initializer_op

    @property
    def initial_value(self) -> Tensor:
        """The tensor the variable is initialized from."""
        return self._initial_value

    def initialized_value(self) -> Tensor:
        """The variable's value, or its initial value if it is not initialized yet.

        Differences from TensorFlow: TF builds a ``tf.cond``; here one ``_InitializedValue`` op
        reads the variable if it is initialized and otherwise returns the initial value (which
        is computed either way).
        """
        g = self.graph
        with name_scope(None):
            return g._create_op(
                "_InitializedValue",
                (self._initial_value,),
                {"var_name": self._variable_op._name},
                self._variable_op._name + "/initialized_value",
                (self._variable._dtype.base_dtype,),
                (self._variable._shape,),
            )._outputs[0]

    def value(self) -> Tensor:
        """The ``<name>/read:0`` snapshot tensor."""
        return self._snapshot

    def read_value(self) -> Tensor:
        """A new ``Identity`` read of the variable (named ``read``, uniquified)."""
        g = self.graph
        return g._create_op(
            "Identity",
            (self._variable,),
            {"T": self._variable._dtype.base_dtype},
            "read",
            (self._variable._dtype.base_dtype,),
            (self._variable._shape,),
        )._outputs[0]

    def _ref(self) -> Tensor:
        return self._variable

    def _as_graph_element(self) -> Tensor:
        return self._variable

    def _as_tensor(self, dtype: Any = None, name: Any = None, as_ref: bool = False) -> Tensor:
        return self._variable if as_ref else self._snapshot

    def eval(self, session: Any = None) -> Any:
        """The variable's value in ``session`` (default: the default session)."""
        return self._variable.eval(session=session)

    def load(self, value: Any, session: Any = None) -> None:
        """Writes ``value`` into the variable in ``session`` without adding ops."""
        from scopeflow.graph.session import get_default_session  # noqa: PLC0415

        session = session or get_default_session()
        if session is None:
            raise ValueError(
                "Either session argument should be provided or default session should be "
                "established"
            )
        session._load_variable(self, value)

    # --- assignment ---------------------------------------------------------------------------

    def _assign_op(self, op_type: str, value: Any, use_locking: Any, name: Any,
                   read_value: bool) -> Any:  # fmt: skip
        base = self._variable._dtype.base_dtype
        graph = self.graph
        # TF converts the value in the variable's graph (whichever graph is the default), under
        # the op's name scope: a Python value becomes ``<op name>/value``.
        with contextlib.nullcontext() if graph is get_default_graph() else graph.as_default():
            if isinstance(value, Tensor):
                value = convert_to_tensor(value, dtype=base)
                name = name or op_type
            else:
                name = graph.unique_name(name or op_type) + "/"
                value = convert_to_tensor(value, dtype=base, name=name + "value/")
        shape = self._variable._shape
        if not shape.is_compatible_with(value._shape):
            raise ValueError(f"Shapes {shape} and {value._shape} are incompatible")
        op = self.graph._create_op(
            op_type,
            (self._variable, value),
            {"T": base, "use_locking": bool(use_locking)},
            name,
            (base._as_ref,),
            (shape,),
        )
        return op._outputs[0] if read_value else op

    def assign(self, value: Any, use_locking: bool = False, name: str | None = None,
               read_value: bool = True) -> Any:  # fmt: skip
        """An op that assigns ``value``; returns the new value (or the op if not ``read_value``)."""
        return self._assign_op("Assign", value, use_locking, name, read_value)

    def assign_add(self, delta: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> Any:  # fmt: skip
        """An op that adds ``delta`` to the variable."""
        return self._assign_op("AssignAdd", delta, use_locking, name, read_value)

    def assign_sub(self, delta: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> Any:  # fmt: skip
        """An op that subtracts ``delta`` from the variable."""
        return self._assign_op("AssignSub", delta, use_locking, name, read_value)

    def count_up_to(self, limit: int) -> Tensor:
        """``CountUpTo``: the value before incrementing; ``OutOfRangeError`` at ``limit``."""
        base = self._variable._dtype.base_dtype
        op = self.graph._create_op(
            "CountUpTo", (self._variable,), {"T": base, "limit": int(limit)}, "CountUpTo",
            (base,), (tensor_shape.TensorShape([]),),
        )  # fmt: skip
        return op._outputs[0]

    def _scatter(self, op_type: str, sparse_delta: Any, indices: Any = None,
                 use_locking: bool = False, name: str | None = None) -> Any:  # fmt: skip
        return _SCATTER_HOOK(op_type, self, sparse_delta, indices, use_locking, name)

    def scatter_update(self, sparse_delta: Any, use_locking: bool = False,
                       name: str | None = None) -> Any:  # fmt: skip
        """``ScatterUpdate`` of the ``IndexedSlices`` ``sparse_delta``; returns the variable."""
        return self._scatter("ScatterUpdate", sparse_delta, None, use_locking, name)

    def scatter_add(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Any:  # fmt: skip
        """``ScatterAdd`` of the ``IndexedSlices`` ``sparse_delta``."""
        return self._scatter("ScatterAdd", sparse_delta, None, use_locking, name)

    def scatter_sub(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Any:  # fmt: skip
        """``ScatterSub`` of the ``IndexedSlices`` ``sparse_delta``."""
        return self._scatter("ScatterSub", sparse_delta, None, use_locking, name)

    def scatter_mul(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Any:  # fmt: skip
        """``ScatterMul`` of the ``IndexedSlices`` ``sparse_delta``."""
        return self._scatter("ScatterMul", sparse_delta, None, use_locking, name)

    def scatter_div(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Any:  # fmt: skip
        """``ScatterDiv`` of the ``IndexedSlices`` ``sparse_delta``."""
        return self._scatter("ScatterDiv", sparse_delta, None, use_locking, name)

    def scatter_max(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Any:  # fmt: skip
        """``ScatterMax`` of the ``IndexedSlices`` ``sparse_delta``."""
        return self._scatter("ScatterMax", sparse_delta, None, use_locking, name)

    def scatter_min(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Any:  # fmt: skip
        """``ScatterMin`` of the ``IndexedSlices`` ``sparse_delta``."""
        return self._scatter("ScatterMin", sparse_delta, None, use_locking, name)

    def scatter_nd_update(self, indices: Any, updates: Any, name: str | None = None) -> Any:
        """``ScatterNdUpdate`` (``use_locking=True``, as TF's RefVariable)."""
        return self._scatter("ScatterNdUpdate", updates, indices, True, name)

    def scatter_nd_add(self, indices: Any, updates: Any, name: str | None = None) -> Any:
        """``ScatterNdAdd`` (``use_locking=True``, as TF's RefVariable)."""
        return self._scatter("ScatterNdAdd", updates, indices, True, name)

    def scatter_nd_sub(self, indices: Any, updates: Any, name: str | None = None) -> Any:
        """``ScatterNdSub`` (``use_locking=True``, as TF's RefVariable)."""
        return self._scatter("ScatterNdSub", updates, indices, True, name)

    # --- partitioning and saving -------------------------------------------------------------

    def _set_save_slice_info(self, save_slice_info: Any) -> None:
        self._save_slice_info = save_slice_info

    def _get_save_slice_info(self) -> Any:
        return self._save_slice_info

    def __repr__(self) -> str:
        return f"<tf.Variable '{self.name}' shape={self.get_shape()} dtype={self.dtype.name}>"

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __iter__(self) -> Any:
        raise TypeError("'Variable' object is not iterable.")

    def __bool__(self) -> bool:
        return True

    if not TYPE_CHECKING:  # mypy would otherwise accept any attribute of a Variable

        def __getattr__(self, name: str) -> Any:
            # only reached when the attribute does not exist
            raise no_attribute_error(self, name)

    def to_proto(self, export_scope: str | None = None) -> Any:
        """A dict standing in for TF's ``VariableDef``."""
        return {
            "variable_name": self.name,
            "initializer_name": self._initializer_op.name,
            "snapshot_name": self._snapshot.name,
            "initial_value_name": self._initial_value.name,
            "trainable": self.trainable,
        }


_ATTRS: dict[tuple[Any, ...], dict[str, Any]] = {}


def _shared_attrs(op_type: str, key: Any, base: dtypes.DType) -> dict[str, Any]:
    """The attrs of a variable's own ops, shared between variables of the same kind.

    Op attrs are never mutated after creation; sharing them keeps per-variable allocations (and
    garbage-collector scanning, which dominates large-graph build time) down.
    """
    k = (op_type, key, base)
    attrs = _ATTRS.get(k)
    if attrs is None:
        if op_type == "VariableV2":
            attrs = {"shape": key, "dtype": base, "container": "", "shared_name": ""}
        elif op_type == "Assign":
            attrs = {"validate_shape": key, "use_locking": True, "T": base}
        else:
            attrs = {"T": base}
        if len(_ATTRS) < 4096:
            _ATTRS[k] = attrs
    return attrs


class _nullcontext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_VARIABLE_KWARGS = (
    "initial_value",
    "trainable",
    "collections",
    "validate_shape",
    "caching_device",
    "name",
    "variable_def",
    "dtype",
    "expected_shape",
    "import_scope",
    "constraint",
    "use_resource",
    "synchronization",
    "aggregation",
    "shape",
)


def _create_through_creators(cls: Any, creators: list[Any], *args: Any, **kwargs: Any) -> Any:
    for k, v in zip(_VARIABLE_KWARGS, args, strict=False):
        kwargs[k] = v
    kwargs.pop("variable_def", None)
    kwargs.pop("expected_shape", None)
    kwargs.pop("import_scope", None)

    def base_creator(**kw: Any) -> Any:
        return type.__call__(_variable_class(cls, (), kw), **kw)

    getter = base_creator
    for creator in creators:
        getter = functools.partial(creator, getter)
    defaults = {
        "initial_value": None,
        "trainable": None,
        "collections": None,
        "validate_shape": True,
        "caching_device": None,
        "name": None,
        "dtype": None,
        "constraint": None,
        "use_resource": None,
        "synchronization": None,
        "aggregation": None,
        "shape": None,
    }
    defaults.update(kwargs)
    return getter(**defaults)


class ResourceVariable(Variable):
    """A variable created with ``use_resource=True``.

    It reports base dtypes (``float32``, not ``float32_ref``), as TF's ``ResourceVariable`` does.

    Differences from TensorFlow: execution is the same as a ``RefVariable``'s (one value per
    session); TF's resource handle ops (``VarHandleOp``/``ReadVariableOp``) are not modelled.
    """

    @property
    def dtype(self) -> dtypes.DType:
        """The base dtype, e.g. ``float32``."""
        return self._variable._dtype.base_dtype


VariableV1 = Variable
RefVariable = Variable


def _make_variable(**kwargs: Any) -> Variable:
    return Variable(**kwargs)


def _variable_conversion(v: Variable, dtype: Any = None, name: Any = None,
                         as_ref: bool = False) -> Tensor:  # fmt: skip
    return v._as_tensor(dtype, name, as_ref)


register_tensor_conversion_function(Variable, _variable_conversion)
register_tensor_like(Variable)
backend.make_variable = _make_variable


__all__ = [
    "RefVariable",
    "ResourceVariable",
    "Variable",
    "VariableV1",
    "resource_variables_enabled",
]
