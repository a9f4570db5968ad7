"""``tf.initializers``: re-exports only."""

from scopeflow.ops.init_ops import Constant as constant
from scopeflow.ops.init_ops import GlorotNormal as glorot_normal
from scopeflow.ops.init_ops import GlorotUniform as glorot_uniform
from scopeflow.ops.init_ops import Identity as identity
from scopeflow.ops.init_ops import Ones as ones
from scopeflow.ops.init_ops import Orthogonal as orthogonal
from scopeflow.ops.init_ops import RandomNormal as random_normal
from scopeflow.ops.init_ops import RandomUniform as random_uniform
from scopeflow.ops.init_ops import TruncatedNormal as truncated_normal
from scopeflow.ops.init_ops import UniformUnitScaling as uniform_unit_scaling
from scopeflow.ops.init_ops import VarianceScaling as variance_scaling
from scopeflow.ops.init_ops import Zeros as zeros
from scopeflow.ops.init_ops import he_normal, he_uniform, lecun_normal, lecun_uniform
from scopeflow.ops.state_ops import global_variables_initializer as global_variables
from scopeflow.ops.state_ops import local_variables_initializer as local_variables
from scopeflow.ops.state_ops import variables_initializer as variables

__all__ = [
    "constant",
    "global_variables",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "local_variables",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "truncated_normal",
    "uniform_unit_scaling",
    "variables",
    "variance_scaling",
    "zeros",
]
