"""BERT's ``AdamWeightDecayOptimizer`` update in tf ops and in NumPy float32 (donation tests)."""

from __future__ import annotations

from typing import Any

import numpy as np

import scopeflow.compat.v1 as tf


def adam_wd(g: Any, m: Any, v: Any, w: Any) -> tuple[Any, Any, Any]:
    """BERT's AdamWeightDecay update written with tf ops."""
    next_m = tf.multiply(0.9, m) + tf.multiply(0.1, g)
    next_v = tf.multiply(0.999, v) + tf.multiply(0.001, tf.square(g))
    update = next_m / (tf.sqrt(next_v) + 1e-6)
    update += 0.01 * w
    return next_m, next_v, w - 0.001 * update


def numpy_adam_wd(g: Any, m: Any, v: Any, w: Any) -> tuple[Any, Any, Any]:
    f = np.float32
    nm = f(0.9) * m + f(0.1) * g
    nv = f(0.999) * v + f(0.001) * (g * g)
    u = nm / (np.sqrt(nv) + f(1e-6)) + f(0.01) * w
    return nm, nv, w - f(0.001) * u
