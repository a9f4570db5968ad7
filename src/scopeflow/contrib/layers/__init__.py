"""``tf.contrib.layers``: TF 1.15's contrib layers. Re-exports only.

``tf.contrib.layers`` (also ``tf.contrib.slim``'s layers): TF 1.15's contrib layer functions,
regularizers, initializers and ``arg_scope``. Re-exports only.

Every layer takes ``arg_scope`` defaults and produces TF 1.15's variable names, creation order,
collections and op names.

>>> import scopeflow.compat.v1 as tf
>>> layers = tf.contrib.layers
>>> x = tf.placeholder(tf.float32, [None, 8, 8, 3])
>>> with layers.arg_scope([layers.conv2d], padding="VALID"):
...     y = layers.conv2d(x, 4, [3, 3], scope="conv1")
>>> print(y.name, y.shape)
conv1/Relu:0 (?, 6, 6, 4)
"""

from scopeflow.contrib.framework._arg_scope import add_arg_scope, arg_scope
from scopeflow.contrib.framework._variables import model_variable, variable
from scopeflow.contrib.layers import (  # slimfix: _gdn, _scale_gradient, summaries
    _conv,
    _core_layers,
    _gdn,
    _initializers,
    _more_layers,
    _normalization,
    _regularizers,
    _scale_gradient,
    summaries,
    utils,
)
from scopeflow.contrib.layers._conv import *  # noqa: F403
from scopeflow.contrib.layers._core_layers import *  # noqa: F403
from scopeflow.contrib.layers._gdn import *  # noqa: F403  # slimfix
from scopeflow.contrib.layers._initializers import *  # noqa: F403
from scopeflow.contrib.layers._more_layers import *  # noqa: F403
from scopeflow.contrib.layers._normalization import *  # noqa: F403
from scopeflow.contrib.layers._regularizers import *  # noqa: F403
from scopeflow.contrib.layers._scale_gradient import *  # noqa: F403  # slimfix
from scopeflow.contrib.layers.summaries import *  # noqa: F403  # slimfix
from scopeflow.train.adaptive_clipping import adaptive_clipping_fn  # slimfix
from scopeflow.train.optimize_loss import OPTIMIZER_CLS_NAMES, OPTIMIZER_SUMMARIES, optimize_loss

__all__ = [  # noqa: PLE0604
    *_conv.__all__,
    *_core_layers.__all__,
    *_initializers.__all__,
    *_more_layers.__all__,
    *_normalization.__all__,
    *_regularizers.__all__,
    *_gdn.__all__,  # slimfix
    *_scale_gradient.__all__,  # slimfix
    *summaries.__all__,  # slimfix
    "summaries",  # slimfix
    "OPTIMIZER_CLS_NAMES",
    "OPTIMIZER_SUMMARIES",
    "adaptive_clipping_fn",  # slimfix
    "add_arg_scope",
    "arg_scope",
    "model_variable",
    "optimize_loss",
    "utils",
    "variable",
]
