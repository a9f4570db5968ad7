"""``tf.contrib.training``'s training loop: ``create_train_op`` and ``train`` (TF 1.15).

``create_train_op`` runs ``UPDATE_OPS`` before the loss (through a ``update_barrier`` no-op),
computes the gradients of ``variables_to_train``, lets ``transform_grads_fn`` change them,
optionally summarizes them (``summarize_grads/<var>_gradient`` histograms and
``<var>_gradient_norm`` scalars), applies them with the global step, and returns the loss
checked for inf/nan under ``train_op/`` with the update as a control dependency (added to the
``train_op`` collection). ``train`` runs it in a ``MonitoredTrainingSession`` until a hook stops.
The gradient helpers (``clip_gradient_norms``, ``multiply_gradients``,
``add_gradients_summaries``) are shared with ``slim.learning``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow.app import logging
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.clip_ops import clip_by_norm, global_norm
from scopeflow.ops.control_flow_ops import with_dependencies
from scopeflow.ops.numerics import check_numerics
from scopeflow.ops.sparse_ops import IndexedSlices
from scopeflow.ops.state_ops import no_op, trainable_variables
from scopeflow.summary import summary
from scopeflow.train import training_util
from scopeflow.train.monitored_session import MonitoredTrainingSession
from scopeflow.train.optimizer import Optimizer

__all__ = [
    "add_gradients_summaries",
    "clip_gradient_norms",
    "clip_gradient_norms_fn",
    "create_train_op",
    "multiply_gradients",
    "train",
]

GradsAndVars = list[tuple[Any, Any]]


def add_gradients_summaries(grads_and_vars: Any, separator: str = "_") -> list[Any]:
    """A histogram and a norm scalar summary per gradient (``<var><separator>gradient[_norm]``).

    ``separator`` is ``"_"`` for ``tf.contrib.training`` and ``"/"`` for ``slim.learning``,
    as their TF 1.15 versions name the summaries.
    """
    summaries = []
    for grad, var in grads_and_vars:
        if grad is None:
            logging.info("Var %s has no gradient", var.op.name)
            continue
        values = grad.values if isinstance(grad, IndexedSlices) else grad
        summaries.append(summary.histogram(f"{var.op.name}{separator}gradient", values))
        summaries.append(
            summary.scalar(f"{var.op.name}{separator}gradient_norm", global_norm([values]))
        )
    return summaries


def clip_gradient_norms(gradients_to_variables: Any, max_norm: Any) -> GradsAndVars:
    """Each gradient clipped to norm ``max_norm`` (an ``IndexedSlices`` by its values)."""
    clipped = []
    for grad, var in gradients_to_variables:
        new: Any
        if isinstance(grad, IndexedSlices):
            new = IndexedSlices(clip_by_norm(grad.values, max_norm), grad.indices,
                                grad.dense_shape)  # fmt: skip
        else:
            new = None if grad is None else clip_by_norm(grad, max_norm)
        clipped.append((new, var))
    return clipped


def clip_gradient_norms_fn(max_norm: Any) -> Callable[[Any], GradsAndVars]:
    """A ``transform_grads_fn`` clipping each gradient to ``max_norm``."""

    def clip_norms(gradients_to_variables: Any) -> GradsAndVars:
        return clip_gradient_norms(gradients_to_variables, max_norm)

    return clip_norms


def multiply_gradients(
    grads_and_vars: Any, gradient_multipliers: Any, constant_multiplier: bool = False
) -> GradsAndVars:
    """Scale the gradients of the variables (or variable op names) in ``gradient_multipliers``.

    ``constant_multiplier`` makes a non-tensor multiplier a ``Const`` of the gradient's dtype
    (slim.learning's version) instead of converting it (contrib.training's).

    Raises:
        ValueError: ``grads_and_vars`` is not a list, the multipliers are empty or not a dict,
            or a multiplied gradient is None.
    """
    from scopeflow.graph.tensor import Tensor  # noqa: PLC0415 (light; keeps imports sorted)
    from scopeflow.ops.constant_op import constant  # noqa: PLC0415

    if not isinstance(grads_and_vars, list):
        raise ValueError("`grads_and_vars` must be a list.")
    if not gradient_multipliers:
        raise ValueError("`gradient_multipliers` is empty.")
    if not isinstance(gradient_multipliers, dict):
        raise ValueError("`gradient_multipliers` must be a dict.")
    out = []
    for raw, var in grads_and_vars:
        grad = raw
        if var in gradient_multipliers or var.op.name in gradient_multipliers:
            key = var if var in gradient_multipliers else var.op.name
            if grad is None:
                raise ValueError("Requested multiple of `None` gradient.")
            multiplier = gradient_multipliers[key]
            if constant_multiplier and not isinstance(multiplier, Tensor):
                multiplier = constant(multiplier, dtype=grad.dtype)
            else:
                multiplier = convert_to_tensor(multiplier, dtype=grad.dtype)
            if isinstance(grad, IndexedSlices):
                grad = IndexedSlices(grad.values * multiplier, grad.indices, grad.dense_shape)
            else:
                grad *= multiplier
        out.append((grad, var))
    return out


_USE_GLOBAL_STEP = 0


def create_train_op(
    total_loss: Any,
    optimizer: Any,
    global_step: Any = _USE_GLOBAL_STEP,
    update_ops: Any = None,
    variables_to_train: Any = None,
    transform_grads_fn: Any = None,
    summarize_gradients: bool = False,
    gate_gradients: int = Optimizer.GATE_OP,
    aggregation_method: Any = None,
    colocate_gradients_with_ops: bool = False,
    check_numerics: bool = True,
) -> Any:
    """A tensor that applies the gradients of ``total_loss`` and evaluates to the loss."""
    return _create_train_op(
        total_loss, optimizer, global_step, update_ops, variables_to_train, transform_grads_fn,
        summarize_gradients, gate_gradients, aggregation_method, colocate_gradients_with_ops,
        check_numerics, summary_separator="_",
    )  # fmt: skip


def _create_train_op(
    total_loss: Any,
    optimizer: Any,
    global_step: Any,
    update_ops: Any,
    variables_to_train: Any,
    transform_grads_fn: Any,
    summarize_gradients: bool,
    gate_gradients: int,
    aggregation_method: Any,
    colocate_gradients_with_ops: bool,
    check_numerics_: bool,
    summary_separator: str,
) -> Any:
    graph = get_default_graph()
    if global_step is _USE_GLOBAL_STEP:
        global_step = training_util.get_or_create_global_step()
    global_update_ops = set(graph.get_collection(GraphKeys.UPDATE_OPS))
    update_ops = global_update_ops if update_ops is None else set(update_ops)
    if not global_update_ops.issubset(update_ops):
        logging.warning(
            "update_ops in create_train_op does not contain all the update_ops in "
            "GraphKeys.UPDATE_OPS"
        )
    if update_ops:
        # TF builds the barrier from a set: its control inputs' order is not defined
        with graph.control_dependencies(sorted(update_ops, key=lambda op: op.name)):
            barrier = no_op(name="update_barrier")
        total_loss = with_dependencies([barrier], total_loss)
    if variables_to_train is None:
        variables_to_train = trainable_variables()
    else:
        trainable = trainable_variables()
        for v in variables_to_train:
            assert v.trainable or v in trainable
    assert variables_to_train
    grads = optimizer.compute_gradients(
        total_loss, variables_to_train, gate_gradients=gate_gradients,
        aggregation_method=aggregation_method,
        colocate_gradients_with_ops=colocate_gradients_with_ops,
    )  # fmt: skip
    if transform_grads_fn:
        grads = transform_grads_fn(grads)
    if summarize_gradients:
        with name_scope("summarize_grads"):
            add_gradients_summaries(grads, separator=summary_separator)
    grad_updates = optimizer.apply_gradients(grads, global_step=global_step)
    with name_scope("train_op"):
        if check_numerics_:
            total_loss = check_numerics(total_loss, "LossTensor is inf or nan")
        train_op = with_dependencies([grad_updates], total_loss)
    train_ops = graph.get_collection_ref(GraphKeys.TRAIN_OP)
    if train_op not in train_ops:
        train_ops.append(train_op)
    return train_op


def train(
    train_op: Any,
    logdir: str | None,
    master: str = "",
    is_chief: bool = True,
    scaffold: Any = None,
    hooks: Any = None,
    chief_only_hooks: Any = None,
    save_checkpoint_secs: Any = 600,
    save_summaries_steps: Any = 100,
    config: Any = None,
    max_wait_secs: float = 7200,
    run_metadata: Any = None,
) -> Any:
    """Run ``train_op`` in a ``MonitoredTrainingSession`` until stopped; the last loss.

    Raises:
        ValueError: ``logdir`` is None on the chief while checkpoints or summaries are asked for.
    """
    if logdir is None and is_chief:
        if save_summaries_steps:
            raise ValueError("logdir cannot be None when save_summaries_steps is not None")
        if save_checkpoint_secs:
            raise ValueError("logdir cannot be None when save_checkpoint_secs is not None")
    with MonitoredTrainingSession(
        master=master, is_chief=is_chief, checkpoint_dir=logdir, scaffold=scaffold, hooks=hooks,
        chief_only_hooks=chief_only_hooks, save_checkpoint_secs=save_checkpoint_secs,
        save_summaries_steps=save_summaries_steps, config=config, max_wait_secs=max_wait_secs,
    ) as session:  # fmt: skip
        loss = None
        while not session.should_stop():
            loss = session.run(train_op, run_metadata=run_metadata)
    return loss
