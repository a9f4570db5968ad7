"""``tf.contrib.learn``: the parts TF1 training scripts still use (``ModeKeys``, MNIST data sets).

Re-exports only. The rest of ``tf.contrib.learn`` (its Estimator predecessors) is not provided.

>>> import scopeflow.compat.v1 as tf
>>> tf.contrib.learn.ModeKeys.TRAIN
'train'
"""

from scopeflow.contrib.learn import datasets
from scopeflow.contrib.learn._mode_keys import ModeKeys

__all__ = ["ModeKeys", "datasets"]
