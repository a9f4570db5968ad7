"""``tf.distributions`` / ``tf.contrib.distributions``: TF 1.15's core distributions.

``Distribution`` (TF's base class: name scopes, ``sample``, the method fallbacks),
``ReparameterizationType`` with ``FULLY_REPARAMETERIZED``/``NOT_REPARAMETERIZED``,
``kl_divergence`` and ``RegisterKL``, and the distributions ``Normal``, ``Uniform``,
``Laplace``, ``Gamma``, ``Exponential``, ``Beta``, ``StudentT``, ``Bernoulli``,
``Categorical``, ``Multinomial``, ``Dirichlet``, ``DirichletMultinomial`` with TF's formulas.
``tf.distributions`` re-exports them; ``tf.contrib.distributions`` (TF 1.15 re-exported the same
core classes there) is this package.

>>> import scopeflow.compat.v1 as tf
>>> d = tf.distributions.Normal(loc=0.0, scale=2.0)
>>> d.log_prob(1.0).name, d.reparameterization_type
('Normal/log_prob/sub:0', <Reparameterization Type: FULLY_REPARAMETERIZED>)
"""

from scopeflow.contrib.distributions._continuous import (
    Beta,
    Exponential,
    Gamma,
    Laplace,
    Normal,
    StudentT,
    Uniform,
)
from scopeflow.contrib.distributions._discrete import (
    Bernoulli,
    Categorical,
    Dirichlet,
    DirichletMultinomial,
    Multinomial,
)
from scopeflow.contrib.distributions._distribution import (
    FULLY_REPARAMETERIZED,
    NOT_REPARAMETERIZED,
    Distribution,
    RegisterKL,
    ReparameterizationType,
    kl_divergence,
)

__all__ = [
    "FULLY_REPARAMETERIZED",
    "NOT_REPARAMETERIZED",
    "Bernoulli",
    "Beta",
    "Categorical",
    "Dirichlet",
    "DirichletMultinomial",
    "Distribution",
    "Exponential",
    "Gamma",
    "Laplace",
    "Multinomial",
    "Normal",
    "RegisterKL",
    "ReparameterizationType",
    "StudentT",
    "Uniform",
    "kl_divergence",
]
