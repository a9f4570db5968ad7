"""``tf.TensorSpec`` (TF 1.15 ``framework/tensor_spec.py``): shape, dtype and name of tensors.

tensorpack's ``ModelDesc.inputs()`` returns them; its trainers make placeholders of them.

>>> import scopeflow.compat.v1 as tf
>>> tf.TensorSpec([None, 28, 28], tf.float32, "input")
TensorSpec(shape=(?, 28, 28), dtype=tf.float32, name='input')
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.graph.tensor import Tensor


class TensorSpec:
    """Describes a ``tf.Tensor``: its static ``shape``, ``dtype`` and an optional ``name``."""

    __slots__ = ("_dtype", "_name", "_shape")

    def __init__(self, shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> None:
        self._shape = as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    @classmethod
    def from_spec(cls, spec: TensorSpec, name: str | None = None) -> TensorSpec:
        """A copy of ``spec`` (renamed to ``name`` if given)."""
        return cls(spec.shape, spec.dtype, name or spec.name)

    @classmethod
    def from_tensor(cls, tensor: Any, name: str | None = None) -> TensorSpec:
        """The spec of ``tensor`` (named after its op unless ``name``)."""
        if isinstance(tensor, Tensor):
            return cls(tensor.shape, tensor.dtype, name or tensor.op.name)
        msg = f"`tensor` should be a tf.Tensor, but got type {type(tensor)}."
        raise ValueError(msg)

    @property
    def shape(self) -> TensorShape:
        """The static shape."""
        return self._shape

    @property
    def dtype(self) -> dtypes.DType:
        """The dtype."""
        return self._dtype

    @property
    def name(self) -> str | None:
        """The name, or None."""
        return self._name

    def is_compatible_with(self, spec_or_tensor: Any) -> bool:
        """True if the dtypes are equal and the shapes compatible (TF 1.15's rule)."""
        return bool(
            self._dtype.is_compatible_with(spec_or_tensor.dtype)
            and self._shape.is_compatible_with(spec_or_tensor.shape)
        )

    def __repr__(self) -> str:
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={self._name!r})"

    def __hash__(self) -> int:
        return hash((str(self._shape), self._dtype))

    def __eq__(self, other: object) -> bool:
        return (
            type(self) is type(other)
            and self._shape == other._shape  # type: ignore[attr-defined]
            and self._dtype == other._dtype  # type: ignore[attr-defined]
            and self._name == other._name  # type: ignore[attr-defined]
        )

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __reduce__(self) -> Any:
        return TensorSpec, (self._shape, self._dtype, self._name)
