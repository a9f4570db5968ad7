"""Canned estimators of TF 1.15 (``tf.estimator.LinearRegressor`` / ``LinearClassifier``).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.estimator.canned._linear import LinearClassifier, LinearRegressor

__all__ = ["LinearClassifier", "LinearRegressor"]
