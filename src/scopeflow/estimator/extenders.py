"""``tf.estimator.add_metrics``: an Estimator with extra evaluation metrics (TF 1.15).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow.estimator._fn_args import fn_args
from scopeflow.estimator.estimator import Estimator
from scopeflow.estimator.mode_keys import ModeKeys

__all__ = ["add_metrics"]

_VALID_METRIC_FN_ARGS = {"features", "labels", "predictions", "config"}


def add_metrics(estimator: Estimator, metric_fn: Callable[..., Any]) -> Estimator:
    """A new Estimator whose evaluation adds ``metric_fn``'s metrics (``tf.estimator.add_metrics``).

    ``metric_fn`` takes any of ``predictions``, ``features``, ``labels``, ``config`` and returns
    a dict of ``(value, update_op)`` pairs; a name it shares with the Estimator's own metrics
    replaces that metric. The new Estimator has the same ``model_dir``, config and warm start.

    Raises:
        ValueError: ``metric_fn`` takes other arguments (TF's message).
    """
    invalid = list(set(fn_args(metric_fn)) - _VALID_METRIC_FN_ARGS)
    if invalid:
        raise ValueError(f"metric_fn ({metric_fn}) has following not expected args: {invalid}")

    def new_model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
        spec = estimator.model_fn(features, labels, mode, config)
        if mode != ModeKeys.EVAL:
            return spec
        args = fn_args(metric_fn)
        available = {
            "features": features,
            "labels": labels,
            "predictions": spec.predictions,
            "config": config,
        }
        new_metrics = metric_fn(**{k: v for k, v in available.items() if k in args})
        all_metrics = spec.eval_metric_ops or {}
        all_metrics.update(new_metrics)
        return spec._replace(eval_metric_ops=all_metrics)

    return Estimator(
        model_fn=new_model_fn,
        model_dir=estimator.model_dir,
        config=estimator.config,
        warm_start_from=estimator._warm_start_settings,
    )
