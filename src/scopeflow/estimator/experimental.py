"""``tf.estimator.experimental``: TF 1.15's early-stopping hooks, logit fns, a receiver builder.

``build_raw_supervised_input_receiver_fn`` feeds train/eval meta graphs of a SavedModel export.

Its other names (``InMemoryEvaluatorHook``, the experimental canned estimators, ...) raise
``UnsupportedEstimatorError`` naming them.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from typing import Any

from scopeflow.errors import UnsupportedEstimatorError
from scopeflow.estimator.canned._dnn import dnn_logit_fn_builder
from scopeflow.estimator.canned._linear import linear_logit_fn_builder
from scopeflow.estimator.early_stopping import (
    make_early_stopping_hook,
    stop_if_higher_hook,
    stop_if_lower_hook,
    stop_if_no_decrease_hook,
    stop_if_no_increase_hook,
)
from scopeflow.estimator.export.export import build_raw_supervised_input_receiver_fn

__all__ = [
    "build_raw_supervised_input_receiver_fn",
    "dnn_logit_fn_builder",
    "linear_logit_fn_builder",
    "make_early_stopping_hook",
    "stop_if_higher_hook",
    "stop_if_lower_hook",
    "stop_if_no_decrease_hook",
    "stop_if_no_increase_hook",
]

NOT_BUILT = frozenset(
    {
        "InMemoryEvaluatorHook",
        "KMeans",
        "LinearSDCA",
        "RNNClassifier",
        "RNNEstimator",
        "call_logit_fn",
        "make_stop_at_checkpoint_step_hook",
    }
)


def __getattr__(name: str) -> Any:
    if name in NOT_BUILT:
        raise UnsupportedEstimatorError(f"experimental.{name}")
    raise AttributeError(f"module 'scopeflow.estimator.experimental' has no attribute {name!r}")
