"""``scopeflow.estimator``: TF 1.15's ``tf.estimator`` for local (single-process) runs.

``Estimator`` (train / evaluate / predict in fresh graphs on a ``model_dir``), ``EstimatorSpec``,
``ModeKeys``, ``RunConfig``, ``train_and_evaluate`` with ``TrainSpec`` / ``EvalSpec``,
``WarmStartSettings`` / ``VocabInfo``, and ``inputs.numpy_input_fn`` / ``pandas_input_fn``.
Training runs in ``tf.train.MonitoredTrainingSession``, so checkpoints, ``graph.pbtxt`` and event
files come out as TF writes them.

SavedModel export: ``Estimator.export_saved_model``, ``tf.estimator.export`` (serving input
receivers and export outputs) and the ``Exporter``s of ``EvalSpec(exporters=...)``
(``FinalExporter``, ``LatestExporter``, ``BestExporter``).

The canned estimators of TF 1.15 are built (``scopeflow.estimator.canned``): ``Linear*``,
``Baseline*``, ``DNN*`` and ``DNNLinearCombined*`` (each ``Classifier``, ``Regressor`` and
``Estimator``), with ``weight_column`` and ``label_vocabulary``, and
``classifier_parse_example_spec`` / ``regressor_parse_example_spec``. The boosted-trees
estimators and the Keras bridge are not built: reading one raises ``UnsupportedEstimatorError``
naming it.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from typing import Any

from scopeflow.errors import UnsupportedEstimatorError
from scopeflow.estimator import experimental, export, inputs
from scopeflow.estimator.canned import (
    BaselineClassifier,
    BaselineEstimator,
    BaselineRegressor,
    DNNClassifier,
    DNNEstimator,
    DNNLinearCombinedClassifier,
    DNNLinearCombinedEstimator,
    DNNLinearCombinedRegressor,
    DNNRegressor,
    LinearClassifier,
    LinearEstimator,
    LinearRegressor,
    classifier_parse_example_spec,
    regressor_parse_example_spec,
)
from scopeflow.estimator.estimator import Estimator
from scopeflow.estimator.exporter import BestExporter, Exporter, FinalExporter, LatestExporter
from scopeflow.estimator.extenders import add_metrics
from scopeflow.estimator.mode_keys import ModeKeys
from scopeflow.estimator.model_fn import EstimatorSpec
from scopeflow.estimator.run_config import RunConfig
from scopeflow.estimator.training import EvalSpec, TrainSpec, train_and_evaluate
from scopeflow.estimator.warm_starting import VocabInfo, WarmStartSettings

__all__ = [
    "Estimator",
    "EstimatorSpec",
    "BaselineClassifier",
    "BaselineEstimator",
    "BaselineRegressor",
    "BestExporter",
    "DNNClassifier",
    "DNNEstimator",
    "DNNLinearCombinedClassifier",
    "DNNLinearCombinedEstimator",
    "DNNLinearCombinedRegressor",
    "DNNRegressor",
    "EvalSpec",
    "Exporter",
    "FinalExporter",
    "LatestExporter",
    "LinearClassifier",
    "LinearEstimator",
    "LinearRegressor",
    "ModeKeys",
    "RunConfig",
    "TrainSpec",
    "VocabInfo",
    "WarmStartSettings",
    "add_metrics",
    "classifier_parse_example_spec",
    "experimental",
    "export",
    "inputs",
    "regressor_parse_example_spec",
    "train_and_evaluate",
]

# tf.estimator names of TF 1.15 that scopeflow does not build.
NOT_BUILT = frozenset(
    {
        "BoostedTreesClassifier",
        "BoostedTreesEstimator",
        "BoostedTreesRegressor",
        "tpu",
    }
)


def __getattr__(name: str) -> Any:
    if name in NOT_BUILT:
        raise UnsupportedEstimatorError(name)
    raise AttributeError(f"module 'scopeflow.estimator' has no attribute {name!r}")
