"""``tf.contrib.framework``: ``arg_scope`` and slim's variable helpers. Re-exports only.

>>> import scopeflow.compat.v1 as tf
>>> with tf.contrib.framework.arg_scope([tf.contrib.framework.model_variable], trainable=False):
...     v = tf.contrib.framework.model_variable("w", [2])
>>> v in tf.trainable_variables()
False
"""

from scopeflow.contrib.framework import _arg_scope, _framework_ops, _variables
from scopeflow.contrib.framework._arg_scope import *  # noqa: F403
from scopeflow.contrib.framework._filter_variables import filter_variables  # slimfix
from scopeflow.contrib.framework._framework_ops import *  # noqa: F403
from scopeflow.contrib.framework._variables import *  # noqa: F403

__all__ = [  # noqa: PLE0604
    *_arg_scope.__all__,
    *_framework_ops.__all__,
    *_variables.__all__,
    "filter_variables",  # slimfix
]
