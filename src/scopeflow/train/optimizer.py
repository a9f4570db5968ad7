"""``tf.train.Optimizer``: TF 1.15's optimizer base class, its public and subclassing API.

``minimize`` = ``compute_gradients`` + ``apply_gradients``. ``apply_gradients`` creates the
slots (``_create_slots``, with no control dependencies, in the caller's name scope), then opens
the optimizer's name scope (``Adam``, ``Adam_1``...), calls ``_prepare`` and, for each variable,
``_apply_dense`` (a Tensor gradient) or ``_apply_sparse_duplicate_indices`` (an
``IndexedSlices``) under ``update_<var op name>``; ``_finish`` groups the updates and, with a
``global_step``, an ``AssignAdd`` named as the scope increments it. The train op is added to
``GraphKeys.TRAIN_OP``. Slots are kept per slot name and variable; ``_zeros_slot`` and
``_get_or_make_slot*`` create them with :mod:`scopeflow.train.slot_creator`; non-slot variables
(Adam's ``beta1_power``) are plain ``Variable``s named as given, one per graph.

``compute_gradients`` returns ``IndexedSlices`` gradients for a variable whose every use on the
path to the loss is an ``embedding_lookup``/``gather`` of its rows (TF's gradient of ``Gather``),
so optimizers apply TF's sparse updates to embedding tables.

Differences from TensorFlow: gradients come from ``tf.gradients`` (one op, see its docstring);
``gate_gradients=GATE_OP`` therefore needs nothing more. Resource variables and the
``Trackable`` object-checkpoint hooks (deferred slot restoration) do not exist here; variables
whose ``op.type`` is ``VarHandleOp`` raise ``UnsupportedError``.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops import control_flow_ops
from scopeflow.ops.gradients_impl import gradients
from scopeflow.ops.sparse_ops import IndexedSlices
from scopeflow.ops.state_ops import assign_add, group
from scopeflow.train import slot_creator
from scopeflow.train._sparse_grads import sparse_gradient_sources

__all__ = ["Optimizer"]

_VALID_DTYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)


def _var_key(var: Any) -> Any:
    return (var.op.graph, var.op.name)


def _flatten(x: Any) -> list[Any]:
    if isinstance(x, (list, tuple)):
        out: list[Any] = []
        for item in x:
            out.extend(_flatten(item))
        return out
    if isinstance(x, dict):
        return _flatten([x[k] for k in sorted(x)])
    return [x]


def _deduplicate_indexed_slices(values: Any, indices: Any) -> tuple[Any, Any]:
    """Sums the rows of ``values`` that share an index: ``(summed_values, unique_indices)``."""
    from scopeflow.ops.array_ops import shape  # noqa: PLC0415
    from scopeflow.ops.gather_scatter_ops import unique  # noqa: PLC0415
    from scopeflow.ops.slicing_ops import strided_slice  # noqa: PLC0415
    from scopeflow.ops.sparse_ops import unsorted_segment_sum  # noqa: PLC0415

    unique_indices, new_index_positions = unique(indices)
    n = strided_slice(shape(unique_indices), [0], [1], shrink_axis_mask=1)
    summed_values = unsorted_segment_sum(values, new_index_positions, n)
    return summed_values, unique_indices


class _RefVariableProcessor:
    """Applies an optimizer's update to a TF1 (ref) variable."""

    def __init__(self, v: Variable) -> None:
        self._v = v

    def target(self) -> Any:
        return self._v._ref()

    def update_op(self, optimizer: Optimizer, g: Any) -> Any:
        if isinstance(g, Tensor):
            update_op = optimizer._apply_dense(g, self._v)
            if self._v.constraint is not None:
                with get_default_graph().control_dependencies([update_op]):
                    return self._v.assign(self._v.constraint(self._v))
            return update_op
        if not isinstance(g, IndexedSlices):
            raise TypeError(f"Gradient must be a Tensor, IndexedSlices, or None: {g}")
        if self._v.constraint is not None:
            raise RuntimeError("Cannot use a constraint function on a sparse variable.")
        return optimizer._apply_sparse_duplicate_indices(g, self._v)


class _TensorProcessor:
    """A plain tensor in ``var_list``: it has gradients but cannot be updated."""

    def __init__(self, v: Tensor) -> None:
        self._v = v

    def target(self) -> Any:
        return self._v

    def update_op(self, optimizer: Optimizer, g: Any) -> Any:
        raise NotImplementedError(f"Trying to update a Tensor {self._v}")


def _get_processor(v: Any) -> Any:
    if isinstance(v, Variable):
        return _RefVariableProcessor(v)
    if isinstance(v, Tensor):
        if v.op.type == "VarHandleOp":
            raise UnsupportedError("optimizing resource variables (VarHandleOp)")
        return _TensorProcessor(v)
    raise NotImplementedError(f"Trying to optimize unsupported type {v}")


class Optimizer:
    """Base class for optimizers (``tf.train.Optimizer``).

    Subclasses implement ``_create_slots``, ``_prepare``, ``_apply_dense``, ``_apply_sparse``
    (and optionally ``_finish``), as in TF 1.15.

    >>> import scopeflow.compat.v1 as tf
    >>> w = tf.Variable([1.0, 2.0], name="w")
    >>> opt = tf.train.GradientDescentOptimizer(0.1)
    >>> print(opt.minimize(tf.reduce_sum(w * w)).name)
    GradientDescent
    """

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking: bool, name: str) -> None:
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots: dict[str, dict[Any, Any]] = {}
        self._non_slot_dict: dict[Any, Any] = {}
        self._deferred_slot_restorations: dict[str, Any] = {}

    def get_name(self) -> str:
        """The optimizer's name (the default name scope of its ops)."""
        return self._name

    # --- public API -----------------------------------------------------------------------

    def minimize(
        self,
        loss: Any,
        global_step: Any = None,
        var_list: Any = None,
        gate_gradients: int = GATE_OP,
        aggregation_method: Any = None,
        colocate_gradients_with_ops: bool = False,
        name: str | None = None,
        grad_loss: Any = None,
    ) -> Any:
        """``compute_gradients`` then ``apply_gradients``; returns the train op.

        Raises:
            ValueError: if no variable has a gradient.
        """
        grads_and_vars = self.compute_gradients(
            loss,
            var_list=var_list,
            gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops,
            grad_loss=grad_loss,
        )
        vars_with_grad = [v for g, v in grads_and_vars if g is not None]
        if not vars_with_grad:
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not "
                f"support gradients, between variables {[str(v) for _, v in grads_and_vars]} "
                f"and loss {loss}."
            )
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(
        self,
        loss: Any,
        var_list: Any = None,
        gate_gradients: int = GATE_OP,
        aggregation_method: Any = None,
        colocate_gradients_with_ops: bool = False,
        grad_loss: Any = None,
    ) -> list[tuple[Any, Any]]:
        """``[(gradient, variable), ...]`` of ``loss`` for ``var_list`` (default: trainables).

        A gradient is None for a variable ``loss`` does not depend on.

        Raises:
            ValueError: an invalid ``gate_gradients`` or no variables to optimize.
            TypeError: ``loss`` or a variable is not of a floating dtype.
        """
        if callable(loss):
            loss = loss()
        if gate_gradients not in (Optimizer.GATE_NONE, Optimizer.GATE_OP, Optimizer.GATE_GRAPH):
            raise ValueError(
                "gate_gradients must be one of: Optimizer.GATE_NONE, Optimizer.GATE_OP, "
                f"Optimizer.GATE_GRAPH.  Not {gate_gradients}"
            )
        self._assert_valid_dtypes([loss])
        if grad_loss is not None:
            self._assert_valid_dtypes([grad_loss])
        g = get_default_graph()
        if var_list is None:
            var_list = g.get_collection(GraphKeys.TRAINABLE_VARIABLES) + g.get_collection(
                GraphKeys.TRAINABLE_RESOURCE_VARIABLES
            )
        else:
            var_list = _flatten(var_list)
        var_list = list(var_list) + g.get_collection(GraphKeys._STREAMING_MODEL_PORTS)
        processors = [_get_processor(v) for v in var_list]
        if not var_list:
            raise ValueError("No variables to optimize.")
        var_refs = [p.target() for p in processors]
        loss_t = convert_to_tensor(loss)
        sparse = sparse_gradient_sources(loss_t, var_list)
        xs: list[Any] = []
        for v, ref in zip(var_list, var_refs, strict=True):
            lookups = sparse.get(id(v))
            xs.extend([ref] if lookups is None else [lk.output for lk in lookups])
        flat = gradients(
            loss_t,
            xs,
            grad_ys=grad_loss,
            gate_gradients=(gate_gradients == Optimizer.GATE_OP),
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops,
        )
        grads: list[Any] = []
        pos = 0
        for v in var_list:
            lookups = sparse.get(id(v))
            if lookups is None:
                grads.append(flat[pos])
                pos += 1
                continue
            parts = flat[pos : pos + len(lookups)]
            pos += len(lookups)
            grads.append(_indexed_slices_gradient(v, lookups, parts))
        if gate_gradients == Optimizer.GATE_GRAPH:
            grads = control_flow_ops.tuple(grads)
        grads_and_vars = list(zip(grads, var_list, strict=True))
        self._assert_valid_dtypes([v for gr, v in grads_and_vars if gr is not None])
        return grads_and_vars

    def apply_gradients(
        self,
        grads_and_vars: Iterable[tuple[Any, Any]],
        global_step: Any = None,
        name: str | None = None,
    ) -> Any:
        """Applies gradients to variables; returns the train op.

        Raises:
            TypeError: a gradient is not a Tensor, IndexedSlices or None.
            ValueError: no (gradient, variable) pairs, or every gradient is None.
        """
        pairs = tuple(grads_and_vars)
        if not pairs:
            raise ValueError("No variables provided.")
        converted = []
        for raw, v in pairs:
            grad = raw
            if grad is not None and not isinstance(grad, IndexedSlices):
                try:
                    grad = convert_to_tensor(raw)
                except (TypeError, ValueError):
                    raise TypeError(
                        "Gradient must be convertible to a Tensor or IndexedSlices, or None: "
                        f"{grad}"
                    ) from None
            converted.append((grad, v, _get_processor(v)))
        var_list = [v for grad, v, _ in converted if grad is not None]
        if not var_list:
            raise ValueError(
                f"No gradients provided for any variable: {[str(v) for _, v, _ in converted]}."
            )
        g = get_default_graph()
        with g.control_dependencies(None):
            self._create_slots(var_list)
        update_ops = []
        with name_scope(name, self._name) as scope:
            self._prepare()
            for grad, var, processor in converted:
                if grad is None:
                    continue
                # as TF: a variable's update ops are colocated with it
                with g.name_scope("update_" + var.op.name), g.colocate_with(var):
                    update_ops.append(processor.update_op(self, grad))
            if global_step is None:
                apply_updates = self._finish(update_ops, scope)
            else:
                with (
                    g.control_dependencies([self._finish(update_ops, "update")]),
                    g.colocate_with(global_step),
                ):
                    one = convert_to_tensor(
                        1, dtype=global_step.dtype.base_dtype, name=scope + "value/"
                    )
                    apply_updates = assign_add(global_step, one, name=scope)
            if isinstance(apply_updates, Tensor):
                apply_updates = apply_updates.op
            train_op = g.get_collection_ref(GraphKeys.TRAIN_OP)
            if apply_updates not in train_op:
                train_op.append(apply_updates)
            return apply_updates

    def get_slot(self, var: Any, name: str) -> Any:
        """The slot ``name`` created for ``var`` (e.g. Adam's ``"m"``), or None."""
        named_slots = self._slots.get(name)
        if not named_slots:
            return None
        return named_slots.get(_var_key(var))

    def get_slot_names(self) -> list[str]:
        """The sorted names of the slots this optimizer created."""
        return sorted(self._slots)

    def variables(self) -> list[Any]:
        """The optimizer's variables in the default graph (non-slot and slots), sorted by name."""
        graph = get_default_graph()
        found = [v for v in self._non_slot_variables() if v.op.graph is graph]
        for per_var in self._slots.values():
            found.extend(s for s in per_var.values() if s.op.graph is graph)
        return sorted(found, key=lambda v: v.name)

    # --- hooks for subclasses -------------------------------------------------------------

    def _assert_valid_dtypes(self, tensors: Iterable[Any]) -> None:
        valid = self._valid_dtypes()
        for t in tensors:
            dtype = t.dtype.base_dtype
            if dtype not in valid:
                raise ValueError(f"Invalid type {dtype!r} for {t.name}, expected: {list(valid)}.")

    def _valid_dtypes(self) -> set[dtypes.DType]:
        return set(_VALID_DTYPES)

    def _create_slots(self, var_list: list[Any]) -> None:
        """Creates the slots of the variables in ``var_list`` (none by default)."""

    def _prepare(self) -> None:
        """Creates the tensors of hyperparameters, inside the optimizer's name scope."""

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        raise NotImplementedError()

    def _resource_apply_dense(self, grad: Any, handle: Any) -> Any:
        raise NotImplementedError()

    def _resource_apply_sparse_duplicate_indices(self, grad: Any, handle: Any, indices: Any) -> Any:
        summed_grad, unique_indices = _deduplicate_indexed_slices(values=grad, indices=indices)
        return self._resource_apply_sparse(summed_grad, handle, unique_indices)

    def _resource_apply_sparse(self, grad: Any, handle: Any, indices: Any) -> Any:
        raise NotImplementedError()

    def _apply_sparse_duplicate_indices(self, grad: IndexedSlices, var: Any) -> Any:
        """Sums the rows of ``grad`` with the same index, then calls ``_apply_sparse``."""
        summed_values, unique_indices = _deduplicate_indexed_slices(
            values=grad.values, indices=grad.indices
        )
        deduplicated = IndexedSlices(
            indices=unique_indices, values=summed_values, dense_shape=grad.dense_shape
        )
        return self._apply_sparse(deduplicated, var)

    def _apply_sparse(self, grad: IndexedSlices, var: Any) -> Any:
        raise NotImplementedError()

    def _finish(self, update_ops: list[Any], name_scope: str) -> Any:
        """Groups ``update_ops`` into the op named ``name_scope``."""
        return group(*update_ops, name=name_scope)

    def _call_if_callable(self, param: Any) -> Any:
        return param() if callable(param) else param

    # --- slots and non-slot variables ------------------------------------------------------

    def _slot_dict(self, slot_name: str) -> dict[Any, Any]:
        return self._slots.setdefault(slot_name, {})

    def _get_or_make_slot(self, var: Any, val: Any, slot_name: str, op_name: str) -> Any:
        """The slot ``slot_name`` of ``var``, created from the tensor ``val`` if missing."""
        named_slots = self._slot_dict(slot_name)
        key = _var_key(var)
        if key not in named_slots:
            named_slots[key] = slot_creator.create_slot(var, val, op_name)
        return named_slots[key]

    def _get_or_make_slot_with_initializer(
        self, var: Any, initializer: Any, shape: Any, dtype: Any, slot_name: str, op_name: str
    ) -> Any:
        """The slot ``slot_name`` of ``var``, created by ``initializer`` if missing."""
        named_slots = self._slot_dict(slot_name)
        key = _var_key(var)
        if key not in named_slots:
            named_slots[key] = slot_creator.create_slot_with_initializer(
                var, initializer, shape, dtype, op_name
            )
        return named_slots[key]

    def _zeros_slot(self, var: Any, slot_name: str, op_name: str) -> Any:
        """The slot ``slot_name`` of ``var``, zero-initialized if created here."""
        named_slots = self._slot_dict(slot_name)
        key = _var_key(var)
        if key not in named_slots:
            named_slots[key] = slot_creator.create_zeros_slot(var, op_name)
        return named_slots[key]

    def _create_non_slot_variable(self, initial_value: Any, name: str, colocate_with: Any) -> Any:
        """A non-trainable ``Variable`` ``name`` shared by all variables (per graph)."""
        graph = colocate_with.graph
        key = (name, graph)
        v = self._non_slot_dict.get(key)
        if v is None:
            with graph.colocate_with(colocate_with):
                v = Variable(initial_value, name=name, trainable=False)
            self._non_slot_dict[key] = v
        return v

    def _get_non_slot_variable(self, name: str, graph: Any = None) -> Any:
        return self._non_slot_dict.get((name, graph))

    def _non_slot_variables(self) -> Iterable[Any]:
        return self._non_slot_dict.values()


def _indexed_slices_gradient(var: Any, lookups: list[Any], parts: list[Any]) -> Any:
    """TF's gradient of ``Gather(var, ids)``: the output gradient's rows at ``ids``."""
    from scopeflow.ops.array_ops import concat, reshape  # noqa: PLC0415

    tail = var.get_shape().as_list()[1:]
    values, indices = [], []
    for lk, part in zip(lookups, parts, strict=True):
        if part is None:
            continue
        values.append(reshape(part, [-1, *tail]))
        indices.append(reshape(lk.ids, [-1]))
    if not values:
        return None
    if len(values) == 1:
        return IndexedSlices(values[0], indices[0], _dense_shape(var))
    return IndexedSlices(concat(values, 0), concat(indices, 0), _dense_shape(var))


def _dense_shape(var: Any) -> Any:
    from scopeflow.ops.array_ops import shape  # noqa: PLC0415

    if var.get_shape().is_fully_defined():
        return convert_to_tensor(var.get_shape().as_list(), dtype=dtypes.int32)
    return shape(var)
