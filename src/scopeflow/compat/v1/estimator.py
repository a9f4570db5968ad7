"""``tf.estimator`` (TF 1.15, local runs). Re-exports only.

Names TF 1.15 has but scopeflow does not build (the DNN and boosted-trees canned estimators)
raise ``UnsupportedEstimatorError`` through the re-exported module ``__getattr__``.
"""

from scopeflow.estimator import (
    BaselineClassifier,
    BaselineRegressor,
    BestExporter,
    Estimator,
    EstimatorSpec,
    EvalSpec,
    Exporter,
    FinalExporter,
    LatestExporter,
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
    export,
    inputs,
    train_and_evaluate,
)

__all__ = [
    "Estimator",
    "EstimatorSpec",
    "BaselineClassifier",
    "BaselineRegressor",
    "BestExporter",
    "EvalSpec",
    "Exporter",
    "FinalExporter",
    "LatestExporter",
    "LinearClassifier",
    "LinearRegressor",
    "ModeKeys",
    "RunConfig",
    "TrainSpec",
    "VocabInfo",
    "WarmStartSettings",
    "add_metrics",
    "experimental",
    "export",
    "inputs",
    "train_and_evaluate",
]
