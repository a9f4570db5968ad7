"""Initializers, activations and constraints named by strings, as Keras's ``get`` resolves them.

``tf.keras.initializers.get('glorot_uniform')`` and a layer's ``kernel_initializer='he_normal'``
resolve to TF 1.x's (v1) initializer classes, as ``tf.compat.v1`` in graph mode does; Keras's
v1 ``RandomNormal``/``RandomUniform``/``TruncatedNormal`` default to a 0.05 scale.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow.ops import init_ops


class RandomUniform(init_ops.RandomUniform):
    """Keras's v1 ``RandomUniform``: U[-0.05, 0.05) by default (``tf.keras.initializers``).

    >>> from scopeflow.layers._initializers import RandomUniform
    >>> RandomUniform().get_config()
    {'minval': -0.05, 'maxval': 0.05, 'seed': None, 'dtype': 'float32'}
    """

    def __init__(
        self,
        minval: Any = -0.05,
        maxval: Any = 0.05,
        seed: int | None = None,
        dtype: Any = dtypes.float32,
    ) -> None:
        super().__init__(minval=minval, maxval=maxval, seed=seed, dtype=dtype)


class RandomNormal(init_ops.RandomNormal):
    """Keras's v1 ``RandomNormal``: N(0, 0.05²) by default (``tf.keras.initializers``).

    >>> from scopeflow.layers._initializers import RandomNormal
    >>> RandomNormal().get_config()
    {'mean': 0.0, 'stddev': 0.05, 'seed': None, 'dtype': 'float32'}
    """

    def __init__(
        self,
        mean: float = 0.0,
        stddev: float = 0.05,
        seed: int | None = None,
        dtype: Any = dtypes.float32,
    ) -> None:
        super().__init__(mean=mean, stddev=stddev, seed=seed, dtype=dtype)


class TruncatedNormal(init_ops.TruncatedNormal):
    """Keras's v1 ``TruncatedNormal``: N(0, 0.05²) truncated at 2 stddev by default.

    >>> from scopeflow.layers._initializers import TruncatedNormal
    >>> TruncatedNormal().get_config()
    {'mean': 0.0, 'stddev': 0.05, 'seed': None, 'dtype': 'float32'}
    """

    def __init__(
        self,
        mean: float = 0.0,
        stddev: float = 0.05,
        seed: int | None = None,
        dtype: Any = dtypes.float32,
    ) -> None:
        super().__init__(mean=mean, stddev=stddev, seed=seed, dtype=dtype)


_INITIALIZERS: dict[str, Callable[..., Any]] = {
    "zeros": init_ops.Zeros,
    "zero": init_ops.Zeros,
    "ones": init_ops.Ones,
    "one": init_ops.Ones,
    "constant": init_ops.Constant,
    "uniform": RandomUniform,
    "random_uniform": RandomUniform,
    "normal": RandomNormal,
    "random_normal": RandomNormal,
    "truncated_normal": TruncatedNormal,
    "variance_scaling": init_ops.VarianceScaling,
    "glorot_uniform": init_ops.GlorotUniform,
    "glorot_normal": init_ops.GlorotNormal,
    "orthogonal": init_ops.Orthogonal,
    "identity": init_ops.Identity,
    "he_normal": init_ops.he_normal,
    "he_uniform": init_ops.he_uniform,
    "lecun_normal": init_ops.lecun_normal,
    "lecun_uniform": init_ops.lecun_uniform,
}


def _snake(name: str) -> str:
    from scopeflow.layers._base import to_snake_case  # noqa: PLC0415

    return to_snake_case(name)


def get(identifier: Any) -> Any:
    """An initializer for ``identifier`` (``tf.keras.initializers.get``).

    ``identifier`` is None, a name, a ``{'class_name', 'config'}`` dict or a callable (returned
    unchanged).

    >>> from scopeflow.layers._initializers import get
    >>> type(get("he_normal")).__name__
    'VarianceScaling'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        name = _snake(str(identifier.get("class_name", "")))
        factory = _INITIALIZERS.get(name)
        if factory is None:
            raise ValueError(f"Unknown initializer: {identifier.get('class_name')}")
        config = dict(identifier.get("config", {}))
        if isinstance(factory, type):
            return factory.from_config(config)  # type: ignore[attr-defined]
        config.pop("dtype", None)
        return factory(**config)
    if isinstance(identifier, str):
        factory = _INITIALIZERS.get(identifier) or _INITIALIZERS.get(_snake(identifier))
        if factory is None:
            raise ValueError(
                f"Unknown initializer: '{identifier}'. Please ensure you are using a "
                "`keras.utils.custom_object_scope` and that this object is included in the scope."
            )
        return factory()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier}")


def serialize(initializer: Any) -> dict[str, Any]:
    """``{'class_name': ..., 'config': ...}`` for an initializer (``tf.keras.initializers``).

    >>> from scopeflow.layers._initializers import serialize
    >>> from scopeflow.ops.init_ops import GlorotUniform
    >>> serialize(GlorotUniform(seed=1))
    {'class_name': 'GlorotUniform', 'config': {'seed': 1, 'dtype': 'float32'}}
    """
    return {"class_name": type(initializer).__name__, "config": initializer.get_config()}


def deserialize(config: dict[str, Any], custom_objects: Any = None) -> Any:
    """The initializer ``serialize`` described (``tf.keras.initializers.deserialize``).

    Differences from TensorFlow: ``custom_objects`` is not supported (``UnsupportedError``).
    """
    if custom_objects:
        from scopeflow.errors import UnsupportedError  # noqa: PLC0415

        raise UnsupportedError("tf.keras.initializers.deserialize(custom_objects=...)")
    return get(dict(config))


__all__ = [
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "deserialize",
    "get",
    "serialize",
]
