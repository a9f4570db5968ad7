"""``tf.contrib.predictor`` (TF 1.15): serve a SavedModel or an Estimator with ``predictor(dict)``.

``from_saved_model(export_dir)`` loads the SavedModel into its own graph and session and
serves a signature (``serving_default`` by default); ``from_estimator(estimator, receiver_fn)``
builds the Estimator's PREDICT graph and restores its latest checkpoint. Calling the predictor
with ``{input key: array}`` returns ``{output key: array}``. ``from_contrib_estimator`` (for
``tf.contrib.learn`` estimators, not built) raises ``UnsupportedError``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.contrib.predictor.predictor_factories import (
    from_contrib_estimator,
    from_estimator,
    from_saved_model,
)

__all__ = ["from_contrib_estimator", "from_estimator", "from_saved_model"]
