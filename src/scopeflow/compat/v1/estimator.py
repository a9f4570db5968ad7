"""``tf.estimator`` (TF 1.15, local runs). Re-exports only.

Names TF 1.15 has but scopeflow does not build (the DNN and boosted-trees canned estimators,
``export``) raise ``UnsupportedEstimatorError`` through the re-exported module ``__getattr__``.
"""

from scopeflow.estimator import (
    BaselineClassifier,
    BaselineRegressor,
    Estimator,
    EstimatorSpec,
    EvalSpec,
    LinearClassifier,
    LinearRegressor,
    ModeKeys,
    RunConfig,
    TrainSpec,
    VocabInfo,
    WarmStartSettings,
    __getattr__,
    add_metrics,
    experimental,
    inputs,
    train_and_evaluate,
)

__all__ = [
    "Estimator",
    "EstimatorSpec",
    "BaselineClassifier",
    "BaselineRegressor",
    "EvalSpec",
    "LinearClassifier",
    "LinearRegressor",
    "ModeKeys",
    "RunConfig",
    "TrainSpec",
    "VocabInfo",
    "WarmStartSettings",
    "add_metrics",
    "experimental",
    "inputs",
    "train_and_evaluate",
]
