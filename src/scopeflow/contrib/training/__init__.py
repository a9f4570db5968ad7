"""``tf.contrib.training`` (TF 1.15): ``HParams``, the training loop and evaluation helpers.

``create_train_op`` / ``train`` and the gradient helpers, ``evaluate_once`` /
``evaluate_repeatedly`` with ``checkpoints_iterator``, ``wait_for_new_checkpoint``,
``StopAfterNEvalsHook`` and ``SummaryAtEndHook``. Re-exports only.
"""

from scopeflow.contrib.training._evaluation import (
    StopAfterNEvalsHook,
    SummaryAtEndHook,
    checkpoints_iterator,
    evaluate_once,
    evaluate_repeatedly,
    get_or_create_eval_step,
    wait_for_new_checkpoint,
)
from scopeflow.contrib.training._hparam import HParams, parse_values
from scopeflow.contrib.training._training import (
    add_gradients_summaries,
    clip_gradient_norms,
    clip_gradient_norms_fn,
    create_train_op,
    multiply_gradients,
    train,
)

__all__ = [
    "HParams",
    "StopAfterNEvalsHook",
    "SummaryAtEndHook",
    "add_gradients_summaries",
    "checkpoints_iterator",
    "clip_gradient_norms",
    "clip_gradient_norms_fn",
    "create_train_op",
    "evaluate_once",
    "evaluate_repeatedly",
    "get_or_create_eval_step",
    "multiply_gradients",
    "parse_values",
    "train",
    "wait_for_new_checkpoint",
]
