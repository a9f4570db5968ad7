"""``tf.keras.regularizers`` ``L1L2``/``l1``/``l2``/``l1_l2`` (TF 1.15's Keras math).

``L1L2(l1, l2)(x)`` is ``l1 * reduce_sum(abs(x)) + l2 * reduce_sum(square(x))``, built as TF 1.15
builds it: starting from the Python ``0.``, each non-zero term added with ``+=`` (so only the
terms in use make ops). TF1 code (tensorpack's ``regularize.py``) uses them as variable
regularizers.
"""

from __future__ import annotations

from typing import Any

from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops.reduction_ops import reduce_sum
from scopeflow.ops.unary_ops import abs as tf_abs
from scopeflow.ops.unary_ops import square


class Regularizer:
    """Base class of the Keras regularizers (callable on a tensor)."""

    def __call__(self, x: Any) -> Any:
        return 0.0


class L1L2(Regularizer):
    """Regularizer for L1 and L2 penalties (``tf.keras.regularizers.L1L2``)."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = float(l1)
        self.l2 = float(l2)

    def __call__(self, x: Any) -> Any:
        if not self.l1 and not self.l2:
            return convert_to_tensor(0.0)
        regularization: Any = 0.0
        if self.l1:
            regularization += self.l1 * reduce_sum(tf_abs(x))
        if self.l2:
            regularization += self.l2 * reduce_sum(square(x))
        return regularization

    def get_config(self) -> dict[str, float]:
        return {"l1": self.l1, "l2": self.l2}


def l1(l: float = 0.01) -> L1L2:  # noqa: E741 - TF's argument name
    """An L1 regularizer with factor ``l``."""
    return L1L2(l1=l)


def l2(l: float = 0.01) -> L1L2:  # noqa: E741 - TF's argument name
    """An L2 regularizer with factor ``l``."""
    return L1L2(l2=l)


def l1_l2(l1: float = 0.01, l2: float = 0.01) -> L1L2:
    """An L1 and L2 regularizer."""
    return L1L2(l1=l1, l2=l2)
