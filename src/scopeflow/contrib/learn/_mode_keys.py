"""``tf.contrib.learn.ModeKeys``: the mode strings of TF 1.15's ``contrib.learn``."""

from __future__ import annotations


class ModeKeys:
    """Standard names for model modes (TF 1.15's ``tf.contrib.learn.ModeKeys``)."""

    TRAIN = "train"
    EVAL = "eval"
    INFER = "infer"


__all__ = ["ModeKeys"]
