"""Canned estimators of TF 1.15.

``LinearRegressor``, ``LinearClassifier``, ``BaselineRegressor`` and ``BaselineClassifier``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.estimator.canned._baseline import BaselineClassifier, BaselineRegressor
from scopeflow.estimator.canned._dnn import DNNClassifier, DNNEstimator, DNNRegressor
from scopeflow.estimator.canned._dnn_linear_combined import (
    DNNLinearCombinedClassifier,
    DNNLinearCombinedEstimator,
    DNNLinearCombinedRegressor,
)
from scopeflow.estimator.canned._linear import LinearClassifier, LinearRegressor

__all__ = [
    "BaselineClassifier",
    "BaselineRegressor",
    "DNNClassifier",
    "DNNEstimator",
    "DNNLinearCombinedClassifier",
    "DNNLinearCombinedEstimator",
    "DNNLinearCombinedRegressor",
    "DNNRegressor",
    "LinearClassifier",
    "LinearRegressor",
]
