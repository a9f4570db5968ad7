"""TF 1.15's ``tf.contrib.layers.scale_gradient``: identity forward, scaled gradient backward.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops.custom_gradient import custom_gradient


def scale_gradient(inputs: Any, gradient_multiplier: Any) -> Any:
    """``inputs`` unchanged; the gradient with respect to ``inputs`` is multiplied.

    The gradient flowing back to ``inputs`` is the output's gradient times
    ``gradient_multiplier`` (broadcast to ``inputs``' shape); ``gradient_multiplier`` gets none.

    Differences from TensorFlow: TF 1.15 builds it as a ``function.Defun`` call (one op of the
    function's type); here it is ``tf.custom_gradient``'s ``IdentityN`` (as tf-slim builds it),
    with the same values, static shape and gradients.

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.constant([1.0, 2.0])
    >>> y = tf.contrib.layers.scale_gradient(x, 3.0)
    >>> print(tf.Session().run(tf.gradients(y, x)[0]))
    [3. 3.]
    """
    multiplier = convert_to_tensor(gradient_multiplier)

    # The multiplier is captured, not an argument: as in TF, it gets no gradient (None).
    @custom_gradient
    def scaled(x: Any) -> Any:
        def grad(dy: Any) -> Any:
            return dy * multiplier

        return x, grad

    return scaled(inputs)


__all__ = ["scale_gradient"]
