"""``tf.keras.initializers`` (the v1 classes TF1 code passes to ``get_variable``): re-exports.

As in TF 1.x, ``RandomNormal``/``RandomUniform``/``TruncatedNormal`` here are Keras's (scale
0.05 by default), unlike ``tf.initializers.random_normal`` and friends.
"""

from scopeflow.layers._initializers import (
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    deserialize,
    get,
    serialize,
)
from scopeflow.layers._initializers import RandomNormal as normal
from scopeflow.layers._initializers import RandomNormal as random_normal
from scopeflow.layers._initializers import RandomUniform as random_uniform
from scopeflow.layers._initializers import RandomUniform as uniform
from scopeflow.layers._initializers import TruncatedNormal as truncated_normal
from scopeflow.ops.init_ops import (
    Constant,
    GlorotNormal,
    GlorotUniform,
    Identity,
    Initializer,
    Ones,
    Orthogonal,
    VarianceScaling,
    Zeros,
    he_normal,
    he_uniform,
    lecun_normal,
    lecun_uniform,
)
from scopeflow.ops.init_ops import Constant as constant
from scopeflow.ops.init_ops import GlorotNormal as glorot_normal
from scopeflow.ops.init_ops import GlorotUniform as glorot_uniform
from scopeflow.ops.init_ops import Identity as identity
from scopeflow.ops.init_ops import Ones as ones
from scopeflow.ops.init_ops import Orthogonal as orthogonal
from scopeflow.ops.init_ops import VarianceScaling as variance_scaling
from scopeflow.ops.init_ops import Zeros as zeros

__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "Identity",
    "Initializer",
    "Ones",
    "Orthogonal",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "constant",
    "deserialize",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "normal",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "serialize",
    "truncated_normal",
    "uniform",
    "variance_scaling",
    "zeros",
]
