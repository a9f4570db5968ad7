"""The ``RNNCell`` base class: TF 1.15's cell protocol with its ``tf.layers`` scoping behaviour.

In TF 1.15 every cell is a ``tf.layers.Layer``. The visible behaviour that matters for variable
names and sharing is reproduced here:

- a cell object gets a per-graph unique ``name`` (``lstm_cell``, ``lstm_cell_1``, ...) built from
  its snake-cased class name;
- the first call opens ``variable_scope(scope, default_name=<snake name>)`` under the current
  variable scope and captures it; every later call re-enters that captured scope with
  ``reuse=True``, so a cell called twice shares its variables;
- ops of a call are created under the captured scope's original name scope (``rnn/while/
  lstm_cell/MatMul``), variables by ``build`` through ``add_weight`` (``rnn/lstm_cell/kernel``);
- cells that create variables in ``call`` with ``get_variable`` (TF's plain ``RNNCell``
  subclasses, ``MultiRNNCell``) are called inside ``variable_scope(<scope at first call>,
  custom_getter=...)``, which records the variables the cell creates.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import inspect
import re
import weakref
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.tensor_shape import TensorShape
from scopeflow._core.variable_scope import get_variable_scope, variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import nest
from scopeflow.ops.array_ops import concat, zeros
from scopeflow.ops.constant_op import constant
from scopeflow.ops.shape_ops import expand_dims

_OBJECT_NAMES: weakref.WeakKeyDictionary[Any, dict[str, int]] = weakref.WeakKeyDictionary()

# Keyword arguments TF's Layer constructor accepts besides its named ones.
_ALLOWED_KWARGS = frozenset({
    "input_shape", "batch_input_shape", "batch_size", "weights", "activity_regularizer",
    "autocast", "implementation", "_scope", "_reuse",
})  # fmt: skip


def to_snake_case(name: str) -> str:
    """Keras's class-name-to-layer-name rule (``BasicLSTMCell`` -> ``basic_lstm_cell``)."""
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    if insecure[0] != "_":
        return insecure
    return "private" + insecure


def unique_object_name(base_name: str) -> str:
    """``base_name``, ``base_name_1``, ... per graph (TF's ``backend.unique_object_name``)."""
    counts = _OBJECT_NAMES.setdefault(get_default_graph(), {})
    n = counts.get(base_name, 0)
    counts[base_name] = n + 1
    return base_name if n == 0 else f"{base_name}_{n}"


def check_supported_dtypes(dtype: Any) -> None:
    """TF's ``_check_supported_dtypes``: cells compute in floating point only."""
    if dtype is None:
        return
    dt = dtypes.as_dtype(dtype)
    if not (dt.is_floating or dt.is_complex):
        raise ValueError(f"RNN cell only supports floating point inputs, but saw dtype: {dt.name}")


def check_rnn_cell_input_dtypes(inputs: Any) -> None:
    """Every tensor of ``inputs`` is floating point (TF's ``_check_rnn_cell_input_dtypes``)."""
    for t in nest.flatten(inputs):
        check_supported_dtypes(convert_to_tensor(t).dtype)


def shape_tuple(shape: Any) -> tuple[int | None, ...]:
    """A static shape as a tuple of ints/None (TF's ``shape_type_conversion``)."""
    s = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    if s.dims is None:
        raise ValueError("Expected inputs.shape[-1] to be known, received shape: <unknown>")
    return tuple(d.value for d in s.dims)


def _concat(prefix: Any, suffix: Any, static: bool = False) -> Any:
    """TF's ``rnn_cell_impl._concat``: ``prefix`` + ``suffix`` as a shape tensor or list."""
    if isinstance(prefix, Tensor):
        p: Any = prefix
        p_static = p._const
        if p.shape.ndims == 0:
            p = expand_dims(p, 0)
        elif p.shape.ndims != 1:
            raise ValueError(
                f"prefix tensor must be either a scalar or vector, but saw tensor: {p}"
            )
        if p_static is not None:
            p_static = [int(v) for v in (p_static.reshape(-1) if hasattr(p_static, "reshape")
                                          else [p_static])]  # fmt: skip
    else:
        ps = TensorShape(prefix)
        p_static = ps.as_list() if ps.ndims is not None else None
        p = constant(ps.as_list(), dtype=dtypes.int32) if ps.is_fully_defined() else None
    if isinstance(suffix, Tensor):
        s: Any = suffix
        s_static = s._const
        if s.shape.ndims == 0:
            s = expand_dims(s, 0)
        elif s.shape.ndims != 1:
            raise ValueError(
                f"suffix tensor must be either a scalar or vector, but saw tensor: {s}"
            )
        if s_static is not None:
            s_static = [int(v) for v in s_static.reshape(-1)]
    else:
        ss = TensorShape(suffix)
        s_static = ss.as_list() if ss.ndims is not None else None
        s = constant(ss.as_list(), dtype=dtypes.int32) if ss.is_fully_defined() else None
    if static:
        shape = TensorShape(p_static).concatenate(TensorShape(s_static))
        return shape.as_list() if shape.ndims is not None else None
    if p is None or s is None:
        raise ValueError(f"Provided a prefix or suffix of None: {prefix} and {suffix}")
    return concat((p, s), 0)


def zero_state_tensors(state_size: Any, batch_size: Any, dtype: Any) -> Any:
    """Zeros of shape ``[batch_size] + s`` for every ``s`` of ``state_size`` (TF's helper)."""

    def get_state_shape(s: Any) -> Tensor:
        c = _concat(batch_size, s)
        size = zeros(c, dtype=dtype)
        c_static = _concat(batch_size, s, static=True)
        size.set_shape(c_static)
        return size

    return nest.map_structure(get_state_shape, state_size)


class RNNCell:
    """Abstract object representing an RNN cell (``tf.nn.rnn_cell.RNNCell``).

    A subclass defines ``state_size``, ``output_size`` and ``call(inputs, state)`` returning
    ``(output, new_state)``; it may create variables in ``build(input_shape)`` with
    ``add_weight`` or, as older TF code does, with ``tf.get_variable`` inside ``call``.

    >>> import scopeflow.compat.v1 as tf
    >>> class Doubler(tf.nn.rnn_cell.RNNCell):
    ...     state_size = 3
    ...     output_size = 3
    ...     def call(self, inputs, state):
    ...         w = tf.get_variable("w", [3])
    ...         return inputs * w, state * 2.0
    >>> cell = Doubler()
    >>> out, st = cell(tf.zeros([2, 3]), cell.zero_state(2, tf.float32))
    >>> print(cell.name, [v.name for v in cell.trainable_variables])
    doubler ['doubler/w:0']

    Differences from TensorFlow: a cell is not a ``tf.keras`` layer (no ``input_spec``,
    ``get_config``, ``losses``, ``updates``); the ``tf.layers`` naming, scoping, reuse and
    variable-tracking behaviour is TF's.
    """

    # Cells whose variables come from ``build``/``add_weight`` (TF's ``LayerRNNCell``) bypass the
    # custom-getter scope that records variables created by ``get_variable`` inside ``call``.
    _layer_style = False

    def __init__(
        self, trainable: bool = True, name: str | None = None, dtype: Any = None, **kwargs: Any
    ) -> None:
        for kwarg in kwargs:
            if kwarg not in _ALLOWED_KWARGS:
                raise TypeError("Keyword argument not understood:", kwarg)
        scope = kwargs.pop("_scope", None)
        self._reuse = kwargs.pop("_reuse", None)
        self.trainable = trainable
        self._dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
        self._trainable_weights: list[Any] = []
        self._non_trainable_weights: list[Any] = []
        self.built = False
        self._current_scope: Any = None
        self._rnncell_scope: Any = None
        base_name = to_snake_case(type(self).__name__)
        if name is None or name == "":
            self._name = unique_object_name(base_name)
            self._base_name = base_name
        elif not isinstance(name, str):  # a VariableScope
            self._name = unique_object_name(base_name)
            self._base_name = name.name
        else:
            self._name = name
            self._base_name = name
        if scope:
            with variable_scope(scope) as captured:
                self._scope: Any = captured
        else:
            self._scope = None

    # --- the tf.layers surface -------------------------------------------------------------

    @property
    def name(self) -> str:
        """The cell's per-graph unique name (``lstm_cell``, ``lstm_cell_1``...)."""
        return self._name

    @property
    def dtype(self) -> str | None:
        """The cell's dtype name, known once given or inferred from the first input."""
        return None if self._dtype is None else self._dtype.name

    @property
    def scope_name(self) -> str:
        """The name of the variable scope captured at the first call."""
        if not self._scope:
            raise ValueError(
                'No name available for layer scope because the layer "' + self._name
                + '" has not been used yet. The scope name  is determined the first time the '
                "layer instance is called. You must therefore call the layer before querying "
                "`scope_name`."
            )  # fmt: skip
        return str(self._scope.name)

    def _sub_cells(self) -> list[RNNCell]:
        return []

    @property
    def trainable_weights(self) -> list[Any]:
        """Trainable variables of this cell and of the cells it wraps, in creation order."""
        if not self.trainable:
            return []
        out: list[Any] = []
        for c in self._sub_cells():
            out.extend(c.trainable_weights)
        out.extend(self._trainable_weights)
        return _dedup(out)

    @property
    def non_trainable_weights(self) -> list[Any]:
        """Non-trainable variables (all variables when ``trainable=False``)."""
        out: list[Any] = []
        for c in self._sub_cells():
            out.extend(c.non_trainable_weights)
        out.extend(self._non_trainable_weights)
        if not self.trainable:
            tw: list[Any] = []
            for c in self._sub_cells():
                tw.extend(c._trainable_weights)
            tw.extend(self._trainable_weights)
            out = tw + out
        return _dedup(out)

    @property
    def weights(self) -> list[Any]:
        """``trainable_weights + non_trainable_weights``."""
        return self.trainable_weights + self.non_trainable_weights

    @property
    def variables(self) -> list[Any]:
        """Same as ``weights``."""
        return self.weights

    @property
    def trainable_variables(self) -> list[Any]:
        """Same as ``trainable_weights``."""
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list[Any]:
        """Same as ``non_trainable_weights``."""
        return self.non_trainable_weights

    def build(self, input_shape: Any) -> None:
        """Creates the cell's variables; called once, before the first ``call``."""
        self.built = True

    def call(self, inputs: Any, state: Any) -> Any:
        """One step: ``(output, new_state)``. Subclasses implement it."""
        raise NotImplementedError("Abstract method")

    def _set_scope(self, scope: Any = None) -> None:
        if self._scope is None:
            if self._reuse:
                with variable_scope(scope if scope is not None else self._base_name) as captured:
                    self._scope = captured
            else:
                with variable_scope(scope, default_name=self._base_name) as captured:
                    self._scope = captured

    def add_weight(
        self,
        name: str,
        shape: Any = None,
        dtype: Any = None,
        initializer: Any = None,
        regularizer: Any = None,
        trainable: bool | None = None,
        constraint: Any = None,
        use_resource: bool | None = None,
        synchronization: Any = None,
        aggregation: Any = None,
        partitioner: Any = None,
        **kwargs: Any,
    ) -> Any:
        """Creates (with reuse: fetches) a variable in the cell's scope (``Layer.add_weight``)."""
        for kwarg in kwargs:
            if kwarg != "experimental_autocast":
                raise TypeError("Unknown keyword argument:", kwarg)
        if trainable is None:
            trainable = True
        if dtype is None:
            dtype = self._dtype or dtypes.float32
        self._set_scope(None)
        reuse = self.built or self._reuse
        g = get_default_graph()
        with variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as scope:
            self._current_scope = scope
            with g.name_scope(scope.original_name_scope):
                extra: dict[str, Any] = {}
                if synchronization is not None:
                    extra["synchronization"] = synchronization
                if aggregation is not None:
                    extra["aggregation"] = aggregation
                variable = get_variable(
                    name,
                    shape,
                    dtype=dtypes.as_dtype(dtype),
                    initializer=initializer,
                    regularizer=regularizer,
                    trainable=trainable and self.trainable,
                    constraint=constraint,
                    partitioner=partitioner,
                    use_resource=use_resource,
                    **extra,
                )
        trainables = g.get_collection(GraphKeys.TRAINABLE_VARIABLES)
        parts = list(variable) if not hasattr(variable, "op") else [variable]
        is_trainable = any(p is t for p in parts[:1] for t in trainables)
        target = self._trainable_weights if is_trainable else self._non_trainable_weights
        if all(variable is not v for v in target):
            target.append(variable)
        return variable

    def add_variable(self, *args: Any, **kwargs: Any) -> Any:
        """Alias of ``add_weight`` (TF 1.x)."""
        return self.add_weight(*args, **kwargs)

    def _rnn_get_variable(self, getter: Any, *args: Any, **kwargs: Any) -> Any:
        variable = getter(*args, **kwargs)
        trainables = get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES)
        first = variable if hasattr(variable, "op") else next(iter(variable))
        trainable = any(first is t for t in trainables)
        target = self._trainable_weights if trainable else self._non_trainable_weights
        if all(variable is not v for v in target):
            target.append(variable)
        return variable

    def _call_accepts_scope(self) -> bool:
        try:
            return "scope" in inspect.signature(self.call).parameters
        except (TypeError, ValueError):
            return False

    def _layer_call(self, inputs: Any, state: Any, scope: Any = None, **kwargs: Any) -> Any:
        """TF's ``tf.layers.Layer.__call__``: scope capture, build once, call."""
        self._set_scope(scope)
        reuse = True if self.built else self._reuse
        g = get_default_graph()
        with variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as vs:
            self._current_scope = vs
            with g.name_scope(vs.original_name_scope):
                if not self.built:
                    flat = [convert_to_tensor(t) for t in nest.flatten(inputs)]
                    if self._dtype is None and flat:
                        self._dtype = flat[0].dtype.base_dtype
                    shapes = nest.map_structure(lambda t: convert_to_tensor(t).shape, inputs)
                    self.build(shapes)
                    self.built = True
                if self._call_accepts_scope():
                    kwargs["scope"] = vs
                return self.call(inputs, state, **kwargs)

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> Any:
        """Runs the cell on ``inputs`` from ``state``: ``(output, new_state)``.

        Args:
            inputs: ``[batch_size, input_size]`` tensor (or structure of them).
            state: a tensor ``[batch_size, state_size]`` or a structure matching
                ``state_size``.
            scope: variable scope for the variables; None uses the class's snake name.
        """
        if self._layer_style:
            return self._layer_call(inputs, state, scope=scope)
        if scope is not None:
            with variable_scope(scope, custom_getter=self._rnn_get_variable) as vs:
                return self._layer_call(inputs, state, scope=vs)
        if self._rnncell_scope is None:
            self._rnncell_scope = get_variable_scope()
        with variable_scope(self._rnncell_scope, custom_getter=self._rnn_get_variable):
            return self._layer_call(inputs, state)

    # --- the RNNCell protocol --------------------------------------------------------------

    @property
    def state_size(self) -> Any:
        """Size(s) of the state: an int, a TensorShape or a (nested) tuple of them."""
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self) -> Any:
        """Size of the output: an int or a TensorShape."""
        raise NotImplementedError("Abstract method")

    def get_initial_state(
        self, inputs: Any = None, batch_size: Any = None, dtype: Any = None
    ) -> Any:
        """The zero state for ``inputs``'s batch size and dtype (or the given ones)."""
        if inputs is not None:
            inputs = convert_to_tensor(inputs, name="inputs")
            if batch_size is not None:
                static = batch_size._const if isinstance(batch_size, Tensor) else batch_size
                if inputs.shape.dims[0].value != static:
                    raise ValueError(
                        "batch size from input tensor is different from the input param. "
                        f"Input tensor batch: {inputs.shape.dims[0].value}, batch_size: "
                        f"{batch_size}"
                    )
            if dtype is not None and inputs.dtype != dtype:
                raise ValueError(
                    "dtype from input tensor is different from the input param. Input tensor "
                    f"dtype: {inputs.dtype}, dtype: {dtype}"
                )
            from scopeflow.ops.array_ops import shape as _shape  # noqa: PLC0415

            batch_size = inputs.shape.dims[0].value or _shape(inputs)[0]
            dtype = inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError(
                "batch_size and dtype cannot be None while constructing initial state: "
                f"batch_size={batch_size}, dtype={dtype}"
            )
        return self.zero_state(batch_size, dtype)

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        """Zero-filled state tensor(s) ``[batch_size, s]`` for each ``s`` in ``state_size``.

        >>> import scopeflow.compat.v1 as tf
        >>> print(tf.nn.rnn_cell.LSTMCell(4).zero_state(2, tf.float32).c)
        Tensor("LSTMCellZeroState/zeros:0", shape=(2, 4), dtype=float32)
        """
        state_size = self.state_size
        with get_default_graph().name_scope(type(self).__name__ + "ZeroState"):
            return zero_state_tensors(state_size, batch_size, dtype)


def _dedup(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in items:
        if all(v is not o for o in out):
            out.append(v)
    return out


def assert_like_rnncell(cell_name: str, cell: Any) -> None:
    """Raises TypeError unless ``cell`` has the RNNCell interface (TF's check and text)."""
    conditions = [
        hasattr(cell, "output_size"),
        hasattr(cell, "state_size"),
        hasattr(cell, "get_initial_state") or hasattr(cell, "zero_state"),
        callable(cell),
    ]
    errors = [
        "'output_size' property is missing",
        "'state_size' property is missing",
        "either 'zero_state' or 'get_initial_state' method is required",
        "is not callable",
    ]
    if not all(conditions):
        msgs = [error for error, cond in zip(errors, conditions, strict=True) if not cond]
        raise TypeError(f"The argument {cell_name!r} ({cell}) is not an RNNCell: "
                        + ", ".join(msgs) + ".")  # fmt: skip


__all__ = [
    "RNNCell",
    "assert_like_rnncell",
    "check_rnn_cell_input_dtypes",
    "check_supported_dtypes",
    "shape_tuple",
    "to_snake_case",
    "unique_object_name",
    "zero_state_tensors",
]
