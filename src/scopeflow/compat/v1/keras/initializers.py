"""``tf.keras.initializers`` (the v1 classes TF1 code passes to ``get_variable``): re-exports."""

from scopeflow.ops.init_ops import (
    Constant,
    GlorotNormal,
    GlorotUniform,
    Identity,
    Ones,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
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
from scopeflow.ops.init_ops import RandomNormal as random_normal
from scopeflow.ops.init_ops import RandomUniform as random_uniform
from scopeflow.ops.init_ops import TruncatedNormal as truncated_normal
from scopeflow.ops.init_ops import VarianceScaling as variance_scaling
from scopeflow.ops.init_ops import Zeros as zeros

__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "Identity",
    "Ones",
    "Orthogonal",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "constant",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "truncated_normal",
    "variance_scaling",
    "zeros",
]
