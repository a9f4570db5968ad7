"""``tf.estimator.ModeKeys``: the three modes a ``model_fn`` is called in.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

__all__ = ["ModeKeys"]


class ModeKeys:
    """Standard names for Estimator model modes (``tf.estimator.ModeKeys``).

    >>> ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.PREDICT
    ('train', 'eval', 'infer')
    """

    TRAIN = "train"
    EVAL = "eval"
    PREDICT = "infer"
