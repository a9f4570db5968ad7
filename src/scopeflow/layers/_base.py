"""The ``tf.layers.Layer`` base: TF1 scope naming, variable sharing, losses and updates.

A layer owns a ``VariableScope`` captured on its first use (``dense``, ``dense_1``, ... uniquified
per graph as ``variable_scope(None, default_name=...)`` does; ``name=`` or ``_scope=`` fixes it)
and creates its variables with ``get_variable`` inside it, so a layer object called twice shares
its variables and ``reuse=True`` picks up variables made by an earlier layer of the same name.
Ops go into the scope's original name scope (``dense/MatMul``, ``dense/MatMul_1`` on a second
call). Behaviour follows TF 2.21's ``tf.compat.v1.layers`` (tf_keras ``legacy_tf_layers``) in
graph mode, which is TF 1.15's API.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.variable_scope import VariableScope, variable_scope
from scopeflow._core.variable_store import (
    VariableAggregation,
    VariableSynchronization,
    get_variable,
)
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.graph.variables import Variable
from scopeflow.layers._input_spec import InputSpec, assert_input_compatibility
from scopeflow.ops import nest
from scopeflow.ops.control_flow_ops import cond
from scopeflow.ops.state_ops import global_variables

_ALLOWED_INIT_KWARGS = frozenset(
    {
        "input_dim",
        "input_shape",
        "batch_input_shape",
        "batch_size",
        "weights",
        "activity_regularizer",
        "autocast",
        "implementation",
    }
)

_object_uids: weakref.WeakKeyDictionary[Any, dict[str, int]] = weakref.WeakKeyDictionary()


def to_snake_case(name: str) -> str:
    """Keras's class-name-to-layer-name rule (``Conv2DTranspose`` -> ``conv2d_transpose``)."""
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    if insecure[0] != "_":
        return insecure
    return "private" + insecure


def unique_layer_name(base_name: str) -> str:
    """``base_name_1``, ``base_name_2``, ... per graph (Keras ``unique_object_name``).

    This is the Python ``layer.name`` of an unnamed layer; its variable scope is uniquified
    separately, by ``variable_scope`` (``dense``, ``dense_1``, ...).
    """
    uids = _object_uids.setdefault(get_default_graph(), {})
    number = uids.get(base_name, 0) + 1
    uids[base_name] = number
    return f"{base_name}_{number}"


_learning_phases: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def learning_phase() -> Any:
    """Keras's graph-level learning phase (``keras_learning_phase``).

    A bool placeholder with default False at the root of the default graph, made once per graph;
    ``training=None`` means this tensor, as in TF's legacy layers.
    """
    from scopeflow.ops.array_ops import placeholder_with_default  # noqa: PLC0415

    graph = get_default_graph()
    phase = _learning_phases.get(graph)
    if phase is None:
        with graph.name_scope(None):
            phase = placeholder_with_default(False, shape=[], name="keras_learning_phase")
        _learning_phases[graph] = phase
    return phase


def constant_value(pred: Any) -> bool | None:
    """A Python bool for ``pred`` when it is static (a bool or a constant tensor), else None."""
    if isinstance(pred, bool):
        return pred
    if isinstance(pred, int) and pred in (0, 1):
        return bool(pred)
    if isinstance(pred, Tensor):
        const = pred._const
        return None if const is None else bool(const)
    if isinstance(pred, Variable):
        return None
    raise TypeError(f"`pred` must be a Tensor, or a Python bool, or 1 or 0. Found instead: {pred}")


def smart_cond(
    pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any], name: str | None = None
) -> Any:
    """``true_fn()`` or ``false_fn()`` when ``pred`` is static, else ``tf.cond`` (TF's rule)."""
    value = constant_value(pred)
    if value is None:
        return cond(pred, true_fn, false_fn, name=name)
    return true_fn() if value else false_fn()


def add_elements_to_collection(elements: Any, collection_list: Any) -> None:
    """Appends each element not yet in each collection (by identity), as TF layers do."""
    graph = get_default_graph()
    for key in nest.flatten(collection_list):
        collection = graph.get_collection_ref(key)
        present = {id(e) for e in collection}
        for element in nest.flatten(elements):
            if id(element) not in present:
                collection.append(element)
                present.add(id(element))


class Layer:
    """Base class of TF1 layers (``tf.layers.Layer``).

    Subclasses implement ``build(input_shape)`` (creating variables with ``add_weight``) and
    ``call(inputs, ...)``. Calling the layer captures its variable scope, builds it on the first
    call, runs ``call`` in the scope's name scope and adds its updates to ``UPDATE_OPS``.

    As in TF's legacy layers, layers assigned as attributes are not tracked: a layer's
    ``weights``, ``losses`` and ``updates`` are its own.

    Differences from TensorFlow: Keras-only machinery (functional-model history, masks, dtype
    policies other than the input's dtype, ``keras_style_scope``, eager execution) is absent.

    >>> import scopeflow.compat.v1 as tf
    >>> layer = tf.layers.Dense(3)
    >>> y = layer(tf.zeros([2, 4]))
    >>> [v.name for v in layer.variables]
    ['dense/kernel:0', 'dense/bias:0']
    """

    def __init__(
        self, trainable: bool = True, name: Any = None, dtype: Any = None, **kwargs: Any
    ) -> None:
        scope = kwargs.pop("_scope", None)
        self._reuse = kwargs.pop("_reuse", None)
        for kwarg in kwargs:
            if kwarg not in _ALLOWED_INIT_KWARGS:
                raise TypeError("Keyword argument not understood:", kwarg)
        self._activity_regularizer = kwargs.pop("activity_regularizer", None)
        self.trainable = trainable
        self.built = False
        self._trainable_weights: list[Any] = []
        self._non_trainable_weights: list[Any] = []
        self._losses: list[Any] = []
        self._callable_losses: list[Callable[[], Any]] = []
        self._updates: list[Any] = []
        self._dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
        self.input_spec: Any = None
        self.supports_masking = False
        if isinstance(name, VariableScope):
            base_name = name.name
            self._name = unique_layer_name(to_snake_case(type(self).__name__))
        elif name:
            base_name = name
            self._name = name
        else:
            base_name = to_snake_case(type(self).__name__)
            self._name = unique_layer_name(base_name)
        self._base_name = base_name
        if scope:
            with variable_scope(scope) as captured:
                self._scope: VariableScope | None = captured
        else:
            self._scope = None
        self._current_scope: VariableScope | None = None
        self._reuse_scope_cm: Any = None

    # --- properties ---------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The layer's name (``dense``, ``dense_1``, ... or the ``name`` given)."""
        return self._name

    @property
    def dtype(self) -> str | None:
        """The variables' dtype name, taken from the first input when not given."""
        return None if self._dtype is None else self._dtype.name

    @property
    def activity_regularizer(self) -> Any:
        """The function applied to outputs whose result goes to ``losses``."""
        return self._activity_regularizer

    @property
    def scope_name(self) -> str:
        """The variable scope's name (known after the first call)."""
        if not self._scope:
            raise ValueError(
                'No name available for layer scope because the layer "' + self._name + '" has '
                "not been used yet. The scope name  is determined the first time the layer "
                "instance is called. You must therefore call the layer before querying "
                "`scope_name`."
            )
        return self._scope.name

    @property
    def trainable_weights(self) -> list[Any]:
        """Trainable variables (none when the layer is not trainable)."""
        return list(self._trainable_weights) if self.trainable else []

    @property
    def non_trainable_weights(self) -> list[Any]:
        """Non-trainable variables (all of them when the layer is not trainable)."""
        if self.trainable:
            return list(self._non_trainable_weights)
        return self._trainable_weights + self._non_trainable_weights

    @property
    def weights(self) -> list[Any]:
        """``trainable_weights + non_trainable_weights``."""
        return self.trainable_weights + self.non_trainable_weights

    @property
    def variables(self) -> list[Any]:
        """Alias of ``weights``."""
        return self.weights

    @property
    def trainable_variables(self) -> list[Any]:
        """Alias of ``trainable_weights``."""
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list[Any]:
        """Alias of ``non_trainable_weights``."""
        return self.non_trainable_weights

    @property
    def updates(self) -> list[Any]:
        """Update ops (empty when the layer is not trainable, as in TF)."""
        if not self.trainable:
            return []
        return [u() if callable(u) else u for u in self._updates]

    @property
    def losses(self) -> list[Any]:
        """Activity losses, then the weight-regularization losses (recomputed, as TF does)."""
        out = list(self._losses)
        for fn in self._callable_losses:
            loss = fn()
            if loss is not None:
                out.append(loss)
        return out

    @property
    def graph(self) -> None:
        """Deprecated in TF: layers no longer track their graph; always None."""
        return

    # --- subclass API ---------------------------------------------------------------------------

    def build(self, input_shape: Any) -> None:
        """Creates the layer's variables; the default creates none."""
        self.built = True

    def call(self, inputs: Any) -> Any:
        """The layer's computation; the default returns ``inputs``.

        Subclasses may take more arguments (``training``, ...), passed through ``__call__``.
        """
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The output shape for ``input_shape``; subclasses override it."""
        raise NotImplementedError(
            f"Please run in eager mode or implement the compute_output_shape method on your "
            f"layer ({type(self).__name__})."
        )

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments common to all layers."""
        return {"name": self._name, "trainable": self.trainable, "dtype": self.dtype}

    # --- variables, losses, updates -------------------------------------------------------------

    def _set_scope(self, scope: Any = None) -> None:
        if self._scope is None:
            if self._reuse:
                with variable_scope(scope if scope is not None else self._base_name) as captured:
                    self._scope = captured
            else:
                with variable_scope(scope, default_name=self._base_name) as captured:
                    self._scope = captured

    def _name_scope(self) -> str:
        assert self._current_scope is not None
        return self._current_scope.original_name_scope

    def add_weight(
        self,
        name: str,
        shape: Any,
        dtype: Any = None,
        initializer: Any = None,
        regularizer: Any = None,
        trainable: bool | None = None,
        constraint: Any = None,
        use_resource: bool | None = None,
        synchronization: Any = VariableSynchronization.AUTO,
        aggregation: Any = VariableAggregation.NONE,
        partitioner: Any = None,
        **kwargs: Any,
    ) -> Any:
        """Creates (or, when built or reusing, gets) variable ``name`` in the layer's scope.

        As TF: ``trainable`` defaults to True (False with ``synchronization=ON_READ``); a
        regularizer's loss (in name scope ``<name>/Regularizer``) goes to ``losses`` and
        ``REGULARIZATION_LOSSES`` only when the variable is new.
        """
        for kwarg in kwargs:
            if kwarg not in (
                "experimental_autocast",
                "getter",
                "collections",
                "autocast",
                "caching_device",
            ):
                raise TypeError("Unknown keyword argument:", kwarg)
        if use_resource:
            from scopeflow.errors import UnsupportedError  # noqa: PLC0415

            raise UnsupportedError("tf.layers variables with use_resource=True")
        if synchronization == VariableSynchronization.ON_READ:
            if trainable:
                raise ValueError(
                    "Synchronization value can be set to VariableSynchronization.ON_READ only "
                    "for non-trainable variables. You have specified trainable=True and "
                    "synchronization=VariableSynchronization.ON_READ."
                )
            trainable = False
        elif trainable is None:
            trainable = True
        graph = get_default_graph()
        existing = set(map(id, global_variables())) if regularizer else None
        dt = dtypes.as_dtype(dtype or self._dtype or dtypes.float32).base_dtype
        if self._dtype is None:
            self._dtype = dt
        self._set_scope(None)
        assert self._scope is not None
        reuse = self.built or self._reuse
        with variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as scope:
            self._current_scope = scope
            with graph.name_scope(self._name_scope()):
                if initializer is None:
                    initializer = scope.initializer
                if initializer is None and not dt.is_floating:
                    if dt.is_integer or dt.is_unsigned or dt.is_bool:
                        from scopeflow.ops.init_ops import Zeros  # noqa: PLC0415

                        initializer = Zeros()
                    else:
                        raise ValueError(
                            f"An initializer for variable {name} of type {dt} is required for "
                            f"layer {self._name}"
                        )
                if isinstance(initializer, str):
                    from scopeflow.layers._initializers import get  # noqa: PLC0415

                    initializer = get(initializer)
                variable = get_variable(
                    name,
                    shape=shape,
                    dtype=dt,
                    initializer=initializer,
                    trainable=trainable and self.trainable,
                    constraint=constraint,
                    partitioner=partitioner,
                    synchronization=synchronization,
                    aggregation=aggregation,
                    collections=kwargs.get("collections"),
                    caching_device=kwargs.get("caching_device"),
                )
                if regularizer is not None:
                    parts = list(variable) if _is_partitioned(variable) else [variable]
                    if all(id(p) not in existing for p in parts):  # type: ignore[operator]
                        for part in parts:
                            self._add_weight_regularization(name, part, regularizer)
                parts = list(variable) if _is_partitioned(variable) else [variable]
                if trainable and self.trainable:
                    # TF moves a variable that is not in TRAINABLE_VARIABLES (one reused from an
                    # earlier non-trainable creation) to the non-trainable weights.
                    for part in parts:
                        trained = bool(getattr(part, "trainable", True))
                        (
                            self._trainable_weights if trained else self._non_trainable_weights
                        ).append(part)
                else:
                    self._non_trainable_weights.extend(parts)
        return variable

    add_variable = add_weight

    def _add_weight_regularization(
        self, name: str, variable: Any, regularizer: Callable[[Any], Any]
    ) -> None:
        def loss_for_variable() -> Any:
            with get_default_graph().name_scope(name + "/Regularizer"):
                return regularizer(variable)

        self.add_loss(loss_for_variable)

    def add_loss(self, losses: Any, inputs: Any = None) -> None:
        """Adds loss tensors (or zero-argument callables) to ``losses``.

        The new tensors (a callable's result) also go to ``REGULARIZATION_LOSSES``, as in TF.
        """
        new: list[Any] = []
        for loss in nest.flatten(losses):
            if loss is None:
                continue
            if callable(loss):
                self._callable_losses.append(loss)
                value = loss()
                if value is not None:
                    new.append(value)
            else:
                t = loss if isinstance(loss, Tensor) else convert_to_tensor(loss)
                self._losses.append(t)
                new.append(t)
        add_elements_to_collection(new, GraphKeys.REGULARIZATION_LOSSES)

    def add_update(self, updates: Any, inputs: Any = None) -> None:
        """Adds update ops (tensors, ops or callables, called at once as in TF graph mode)."""
        for u in nest.flatten(updates) if not callable(updates) else [updates]:
            value = u() if callable(u) else u
            if isinstance(value, Operation):
                self._updates.append(value)
            elif isinstance(value, Tensor):
                self._updates.append(value._op)
            elif hasattr(value, "op"):
                self._updates.append(value.op)
            else:
                self._updates.append(convert_to_tensor(value))

    def get_weights(self) -> list[Any]:
        """The values of ``weights``, read in the default session (Keras's ``get_weights``)."""
        return list(_default_session().run(self.weights))

    def set_weights(self, weights: list[Any]) -> None:
        """Loads ``weights`` (NumPy arrays, in ``weights`` order) in the default session."""
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(
                f'You called `set_weights(weights)` on layer "{self._name}" with a weight list '
                f"of length {len(weights)}, but the layer was expecting {len(params)} weights. "
                f"Provided weights: {str(weights)[:50]}..."
            )
        sess = _default_session()
        for param, value in zip(params, weights, strict=True):
            if tuple(param.shape.as_list()) != tuple(getattr(value, "shape", ())):
                raise ValueError(
                    f"Layer {self._name} weight shape {tuple(param.shape.as_list())} is not "
                    f"compatible with provided weight shape {getattr(value, 'shape', ())}."
                )
            param.load(value, sess)

    def count_params(self) -> int:
        """The number of scalars in ``weights`` (the layer must be built)."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer {self._name}, but the layer isn't "
                "built. You can build it manually via: `"
                f"{self._name}.build(batch_input_shape)`."
            )
        total = 0
        for w in self.weights:
            n = 1
            for d in w.shape.as_list():
                n *= int(d)
            total += n
        return total

    # --- calling ------------------------------------------------------------------------------

    def apply(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """Alias of ``__call__``."""
        return self(inputs, *args, **kwargs)

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """Builds the layer on its first call and applies ``call`` in its scope."""
        scope = kwargs.pop("scope", None)
        self._set_scope(scope)
        if self.built:
            cm = self._reuse_scope_cm
            if cm is None:
                cm = self._reuse_scope_cm = variable_scope(
                    self._scope, reuse=True, auxiliary_name_scope=False
                )
        else:
            cm = variable_scope(self._scope, reuse=self._reuse, auxiliary_name_scope=False)
        graph = get_default_graph()
        with cm as vs:
            self._current_scope = vs
            if not isinstance(inputs, (Tensor, list, tuple, dict)) and not hasattr(inputs, "op"):
                inputs = convert_to_tensor(inputs)
            assert_input_compatibility(self.input_spec, inputs, self._name)
            with graph.name_scope(vs.original_name_scope):
                if not self.built:
                    first = nest.flatten(inputs)[0] if nest.flatten(inputs) else None
                    if self._dtype is None and first is not None and hasattr(first, "dtype"):
                        self._dtype = first.dtype.base_dtype
                    assert_input_compatibility(self.input_spec, inputs, self._name)
                    shapes = nest.map_structure(lambda t: t.shape, inputs)
                    self.build(shapes)
                    self.built = True
                call_fn: Any = self.call
                if _call_takes_scope(type(self)):
                    kwargs["scope"] = vs
                outputs = call_fn(inputs, *args, **kwargs)
                if outputs is None:
                    raise ValueError(
                        "A layer's `call` method should return a Tensor or a list of Tensors, "
                        "not None (layer: " + self._name + ")."
                    )
                if self._activity_regularizer is not None:
                    self._handle_activity_regularization(inputs, outputs)
        if self._updates and self.trainable:
            add_elements_to_collection(self.updates, GraphKeys.UPDATE_OPS)
        return outputs

    def _handle_activity_regularization(self, inputs: Any, outputs: Any) -> None:
        from scopeflow.ops.array_ops import shape as shape_op  # noqa: PLC0415
        from scopeflow.ops.math_ops import cast, truediv  # noqa: PLC0415

        with get_default_graph().name_scope("ActivityRegularizer"):
            for output in nest.flatten(outputs):
                loss = convert_to_tensor(self._activity_regularizer(output))
                batch = cast(shape_op(output)[0], loss.dtype)
                self.add_loss(truediv(loss, batch), inputs=inputs)


_TAKES_SCOPE: dict[type, bool] = {}


def _call_takes_scope(cls: type[Layer]) -> bool:
    """Whether ``cls.call`` has a ``scope`` parameter (TF then passes the layer's scope)."""
    takes = _TAKES_SCOPE.get(cls)
    if takes is None:
        import inspect  # noqa: PLC0415

        takes = _TAKES_SCOPE[cls] = "scope" in inspect.signature(cls.call).parameters
    return takes


def _default_session() -> Any:
    from scopeflow.graph.session import get_default_session  # noqa: PLC0415

    sess = get_default_session()
    if sess is None:
        raise ValueError(
            "Cannot get or set layer weights without a default session: run inside "
            "`with tf.Session() as sess:` (Keras would use its global session here)."
        )
    return sess


def _is_partitioned(v: Any) -> bool:
    from scopeflow._core.variable_store import PartitionedVariable  # noqa: PLC0415

    return isinstance(v, PartitionedVariable)


__all__ = [
    "InputSpec",
    "Layer",
    "add_elements_to_collection",
    "assert_input_compatibility",
    "constant_value",
    "smart_cond",
    "to_snake_case",
    "unique_layer_name",
]
