"""Canned estimators of TF 1.15.

``Linear*``, ``Baseline*``, ``DNN*`` and ``DNNLinearCombined*`` (``Classifier``, ``Regressor``,
``Estimator``), and ``classifier_parse_example_spec`` / ``regressor_parse_example_spec``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.estimator.canned._baseline import (
    BaselineClassifier,
    BaselineEstimator,
    BaselineRegressor,
)
from scopeflow.estimator.canned._dnn import DNNClassifier, DNNEstimator, DNNRegressor
from scopeflow.estimator.canned._dnn_linear_combined import (
    DNNLinearCombinedClassifier,
    DNNLinearCombinedEstimator,
    DNNLinearCombinedRegressor,
)
from scopeflow.estimator.canned._linear import LinearClassifier, LinearEstimator, LinearRegressor
from scopeflow.estimator.canned._parsing_utils import (
    classifier_parse_example_spec,
    regressor_parse_example_spec,
)

__all__ = [
    "BaselineClassifier",
    "BaselineEstimator",
    "BaselineRegressor",
    "DNNClassifier",
    "DNNEstimator",
    "DNNLinearCombinedClassifier",
    "DNNLinearCombinedEstimator",
    "DNNLinearCombinedRegressor",
    "DNNRegressor",
    "LinearClassifier",
    "LinearEstimator",
    "LinearRegressor",
    "classifier_parse_example_spec",
    "regressor_parse_example_spec",
]
