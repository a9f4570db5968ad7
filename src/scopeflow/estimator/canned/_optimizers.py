"""Optimizers by name for canned estimators (TF 1.15's ``canned/optimizers.py`` rules).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.train.adagrad import AdagradOptimizer
from scopeflow.train.adam import AdamOptimizer
from scopeflow.train.ftrl import FtrlOptimizer
from scopeflow.train.gradient_descent import GradientDescentOptimizer
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.rmsprop import RMSPropOptimizer

OPTIMIZER_CLS_NAMES = {
    "Adagrad": AdagradOptimizer,
    "Adam": AdamOptimizer,
    "Ftrl": FtrlOptimizer,
    "RMSProp": RMSPropOptimizer,
    "SGD": GradientDescentOptimizer,
}
LEARNING_RATE = 0.05  # TF's default for an optimizer given by name (DNN models)


def get_optimizer_instance(opt: Any, learning_rate: float | None = None) -> Optimizer:
    """An optimizer from a name, an instance, or a callable returning one.

    Names: ``'Adagrad'``, ``'Adam'``, ``'Ftrl'``, ``'RMSProp'``, ``'SGD'`` (built with
    ``learning_rate``).

    >>> print(type(get_optimizer_instance("Ftrl", 0.2)).__name__)
    FtrlOptimizer
    """
    if isinstance(opt, str):
        if opt in OPTIMIZER_CLS_NAMES:
            if not learning_rate:
                raise ValueError("learning_rate must be specified when opt is string.")
            return OPTIMIZER_CLS_NAMES[opt](learning_rate=learning_rate)  # type: ignore[no-any-return]
        raise ValueError(
            f"Unsupported optimizer name: {opt}. Supported names are: "
            f"{tuple(sorted(OPTIMIZER_CLS_NAMES))}"
        )
    if callable(opt) and not isinstance(opt, Optimizer):
        opt = opt()
    if not isinstance(opt, Optimizer):
        raise ValueError(f"The given object is not an Optimizer instance. Given: {opt}")
    return opt
