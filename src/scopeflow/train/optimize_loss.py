"""``tf.contrib.layers.optimize_loss``: a training op from a loss, as TF 1.15's contrib.layers.

In ``variable_scope(name, "OptimizeLoss")``: runs ``UPDATE_OPS`` before the loss, makes a float
``learning_rate`` a non-trainable variable ``OptimizeLoss/learning_rate``, applies
``learning_rate_decay_fn``, builds the optimizer from a name (``"Adam"``, ``"SGD"``...), a class,
an instance or a function, computes gradients, adds gradient noise, multipliers and clipping,
writes the requested summaries, and returns the loss after ``apply_gradients(name="train")``.

Summaries come from :mod:`scopeflow.summary`; pass ``summaries=[]`` to build without them.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.variable_scope import variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops.clip_ops import clip_by_global_norm, global_norm
from scopeflow.ops.control_flow_ops import with_dependencies
from scopeflow.ops.init_ops import constant_initializer
from scopeflow.ops.math_ops import cast
from scopeflow.ops.random_ops import truncated_normal
from scopeflow.ops.sparse_ops import IndexedSlices
from scopeflow.train.adagrad import AdagradOptimizer
from scopeflow.train.adam import AdamOptimizer
from scopeflow.train.ftrl import FtrlOptimizer
from scopeflow.train.gradient_descent import GradientDescentOptimizer
from scopeflow.train.momentum import MomentumOptimizer
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.rmsprop import RMSPropOptimizer
from scopeflow.train.training_util import assert_global_step, get_global_step

__all__ = ["OPTIMIZER_CLS_NAMES", "OPTIMIZER_SUMMARIES", "optimize_loss"]

OPTIMIZER_CLS_NAMES: dict[str, Any] = {
    "Adagrad": AdagradOptimizer,
    "Adam": AdamOptimizer,
    "Ftrl": FtrlOptimizer,
    "Momentum": lambda learning_rate: MomentumOptimizer(learning_rate, momentum=0.9),
    "RMSProp": RMSPropOptimizer,
    "SGD": GradientDescentOptimizer,
}

OPTIMIZER_SUMMARIES = [
    "learning_rate",
    "loss",
    "gradients",
    "gradient_norm",
    "global_gradient_norm",
]


def _summary_module() -> Any:
    try:
        from scopeflow import summary  # noqa: PLC0415
    except ImportError:
        raise UnsupportedError(
            "optimize_loss summaries without scopeflow.summary (pass summaries=[])"
        ) from None
    return summary


def optimize_loss(
    loss: Any,
    global_step: Any,
    learning_rate: Any,
    optimizer: Any,
    gradient_noise_scale: Any = None,
    gradient_multipliers: Any = None,
    clip_gradients: Any = None,
    learning_rate_decay_fn: Any = None,
    update_ops: Any = None,
    variables: Any = None,
    name: str | None = None,
    summaries: Any = None,
    colocate_gradients_with_ops: bool = False,
    increment_global_step: bool = True,
) -> Tensor:
    """The loss tensor after one optimizer update (``tf.contrib.layers.optimize_loss``).

    Raises:
        ValueError: TF's errors for an invalid loss, learning rate, optimizer, summary name,
            ``clip_gradients`` type, or a decay function without a global step.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.train import optimize_loss
    >>> w = tf.Variable([1.0, 2.0], name="w")
    >>> gs = tf.train.get_or_create_global_step()
    >>> train = optimize_loss(tf.reduce_sum(w * w), gs, 0.1, "SGD", summaries=[])
    >>> print(train.name)
    OptimizeLoss/control_dependency:0
    """
    loss = convert_to_tensor(loss)
    if loss.get_shape().ndims != 0:
        raise ValueError(f"Expected scalar shape for {loss.name}, saw shape: {loss.get_shape()}.")
    if global_step is None:
        global_step = get_global_step()
    else:
        assert_global_step(global_step)
    g = get_default_graph()
    with variable_scope(name, "OptimizeLoss", [loss, global_step]):
        if update_ops is None:
            update_ops = list(dict.fromkeys(g.get_collection(GraphKeys.UPDATE_OPS)))
        if update_ops:
            loss = with_dependencies(list(update_ops), loss)
        lr = None
        if learning_rate is not None:
            if isinstance(learning_rate, Tensor) and learning_rate.get_shape().ndims == 0:
                lr = learning_rate
            elif isinstance(learning_rate, float):
                if learning_rate < 0.0:
                    raise ValueError(f"Invalid learning_rate {learning_rate}.")
                lr = get_variable(
                    "learning_rate",
                    [],
                    trainable=False,
                    initializer=constant_initializer(learning_rate),
                )
            else:
                raise ValueError(
                    "Learning rate should be 0d Tensor or float. Got "
                    f"{learning_rate} of type {type(learning_rate)}"
                )
        if summaries is None:
            summaries = ["loss", "learning_rate", "global_gradient_norm"]
        else:
            for summ in summaries:
                if summ not in OPTIMIZER_SUMMARIES:
                    raise ValueError(
                        f"Summaries should be one of [{', '.join(OPTIMIZER_SUMMARIES)}], you "
                        f"provided {summ}."
                    )
        if learning_rate is not None and learning_rate_decay_fn is not None:
            if global_step is None:
                raise ValueError("global_step is required for learning_rate_decay_fn.")
            lr = learning_rate_decay_fn(lr, global_step)
            if "learning_rate" in summaries:
                _summary_module().scalar("learning_rate", lr)
        opt = _make_optimizer(optimizer, lr, learning_rate)
        if variables is None:
            variables = g.get_collection(GraphKeys.TRAINABLE_VARIABLES)
        gradients = opt.compute_gradients(
            loss, variables, colocate_gradients_with_ops=colocate_gradients_with_ops
        )
        if gradient_noise_scale is not None:
            gradients = _add_scaled_noise_to_gradients(gradients, gradient_noise_scale)
        if gradient_multipliers is not None:
            gradients = _multiply_gradients(gradients, gradient_multipliers)
            if not gradients:
                raise ValueError(
                    "Empty list of (gradient, var) pairs encountered. This is most likely to be "
                    "caused by an improper value of gradient_multipliers."
                )
        norm_summaries = "global_gradient_norm" in summaries or "gradient_norm" in summaries
        if norm_summaries:
            _summary_module().scalar(
                "global_norm/gradient_norm", global_norm([gr for gr, _ in gradients])
            )
        if isinstance(clip_gradients, float):
            grads, _ = clip_by_global_norm([gr for gr, _ in gradients], clip_gradients)
            gradients = list(zip(grads, [v for _, v in gradients], strict=True))
        elif callable(clip_gradients):
            gradients = clip_gradients(gradients)
        elif clip_gradients is not None:
            raise ValueError(f"Unknown type {type(clip_gradients)} for clip_gradients")
        if "loss" in summaries:
            _summary_module().scalar("loss", loss)
        for gradient, variable in gradients:
            values = gradient.values if isinstance(gradient, IndexedSlices) else gradient
            if values is not None:
                var_name = variable.name.replace(":", "_")
                if "gradients" in summaries:
                    _summary_module().histogram(f"gradients/{var_name}", values)
                if "gradient_norm" in summaries:
                    _summary_module().scalar(f"gradient_norm/{var_name}", global_norm([values]))
        if clip_gradients is not None and norm_summaries:
            _summary_module().scalar(
                "global_norm/clipped_gradient_norm", global_norm([gr for gr, _ in gradients])
            )
        grad_updates = opt.apply_gradients(
            gradients, global_step=global_step if increment_global_step else None, name="train"
        )
        return with_dependencies([grad_updates], loss)  # type: ignore[no-any-return]


def _make_optimizer(optimizer: Any, lr: Any, learning_rate: Any) -> Optimizer:
    if isinstance(optimizer, str):
        if lr is None:
            raise ValueError(
                "Learning rate is None, but should be specified if optimizer is string "
                f"({optimizer})."
            )
        if optimizer not in OPTIMIZER_CLS_NAMES:
            raise ValueError(
                f"Optimizer name should be one of [{', '.join(OPTIMIZER_CLS_NAMES)}], you "
                f"provided {optimizer}."
            )
        return OPTIMIZER_CLS_NAMES[optimizer](learning_rate=lr)  # type: ignore[no-any-return]
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        if lr is None:
            raise ValueError(
                "Learning rate is None, but should be specified if optimizer is class "
                f"({optimizer})."
            )
        return optimizer(learning_rate=lr)  # type: ignore[call-arg]
    if isinstance(optimizer, Optimizer):
        return optimizer
    if callable(optimizer):
        opt = optimizer(lr) if learning_rate is not None else optimizer()
        if not isinstance(opt, Optimizer):
            raise ValueError(
                f"Unrecognized optimizer: function should return subclass of Optimizer. Got {opt}."
            )
        return opt
    raise ValueError(
        "Unrecognized optimizer: should be string, subclass of Optimizer, instance of subclass "
        f"of Optimizer or function with one argument. Got {optimizer}."
    )


def _add_scaled_noise_to_gradients(grads_and_vars: Any, gradient_noise_scale: Any) -> Any:
    gradients, variables = zip(*grads_and_vars, strict=True)
    noisy: list[Any] = []
    for gradient in gradients:
        if gradient is None:
            noisy.append(None)
            continue
        if isinstance(gradient, IndexedSlices):
            gradient_shape = gradient.dense_shape
        else:
            gradient_shape = gradient.get_shape()
        noise = truncated_normal(gradient_shape) * gradient_noise_scale
        noisy.append(gradient + noise)
    return list(zip(noisy, variables, strict=True))


def _multiply_gradients(grads_and_vars: Any, gradient_multipliers: Any) -> Any:
    out = []
    for raw, var in grads_and_vars:
        grad = raw
        if grad is not None and (var in gradient_multipliers or var.name in gradient_multipliers):
            key = var if var in gradient_multipliers else var.name
            multiplier = gradient_multipliers[key]
            if isinstance(grad, IndexedSlices):
                grad = IndexedSlices(grad.values * multiplier, grad.indices, grad.dense_shape)
            else:
                grad = grad * cast(multiplier, grad.dtype)
        out.append((grad, var))
    return out
