"""TF1 ``TensorShape`` and ``Dimension``: partially known static shapes.

This is TF 1.x behaviour (``tf.compat.v1.disable_v2_tensorshape()``): indexing a shape gives a
``Dimension`` with ``.value`` (``x.get_shape()[1].value`` is common TF1 code), unknown dimensions
print as ``?`` and an unknown rank as ``<unknown>``.

Must not import torch or any scopeflow layer above ``_core``.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from typing import Any


class Dimension:
    """One dimension of a shape: a non-negative int, or unknown (``value is None``).

    A ``bool`` is the int it equals, as in TF 1.15 (``int(value)``): NVlabs/stylegan builds its
    noise inputs with shape ``[1, use_noise, h, w]`` where ``use_noise=True``. TF 2 keeps the
    bool and fails when it makes a proto of the shape.

    >>> d = Dimension(3)
    >>> print(d, d.value, d + 1, Dimension(None) + 1)
    3 3 4 ?
    """

    __slots__ = ("_value",)

    def __init__(self, value: Any) -> None:
        if value is None:
            self._value = None
            return
        if isinstance(value, Dimension):
            self._value = value._value
            return
        if isinstance(value, float):
            raise TypeError(
                f"Dimension value must be integer or None or have an __index__ method, "
                f"got value '{value!r}' with type '{type(value)!r}'"
            )
        try:
            self._value = operator.index(value)
        except TypeError:
            raise TypeError(
                f"Dimension value must be integer or None or have an __index__ method, "
                f"got value '{value!r}' with type '{type(value)!r}'"
            ) from None
        if self._value < 0:
            raise ValueError(f"Dimension {self._value} must be >= 0")

    @property
    def value(self) -> int | None:
        """The int size, or None if unknown."""
        return self._value

    def __repr__(self) -> str:
        return f"Dimension({self._value!r})"

    def __str__(self) -> str:
        return "?" if self._value is None else str(self._value)

    def __int__(self) -> int:
        if self._value is None:
            raise TypeError("int() argument must be a string, a bytes-like object or a number")
        return self._value

    def __index__(self) -> int:
        if self._value is None:
            raise TypeError("Cannot convert an unknown Dimension to an index")
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __hash__(self) -> int:
        return hash(self._value)

    def __eq__(self, other: object) -> Any:
        try:
            other = as_dimension(other)
        except (TypeError, ValueError):
            return NotImplemented
        if self._value is None or other.value is None:
            return None
        return self._value == other.value

    def __ne__(self, other: object) -> Any:
        try:
            other = as_dimension(other)
        except (TypeError, ValueError):
            return NotImplemented
        if self._value is None or other.value is None:
            return None
        return self._value != other.value

    def _cmp(self, other: Any, op: Any) -> Any:
        other = as_dimension(other)
        if self._value is None or other.value is None:
            return None
        return op(self._value, other.value)

    def __lt__(self, other: Any) -> Any:
        return self._cmp(other, operator.lt)

    def __le__(self, other: Any) -> Any:
        return self._cmp(other, operator.le)

    def __gt__(self, other: Any) -> Any:
        return self._cmp(other, operator.gt)

    def __ge__(self, other: Any) -> Any:
        return self._cmp(other, operator.ge)

    def _arith(self, other: Any, op: Any) -> Dimension:
        try:
            other = as_dimension(other)
        except (TypeError, ValueError):
            return NotImplemented
        if self._value is None or other.value is None:
            return Dimension(None)
        return Dimension(op(self._value, other.value))

    def __add__(self, other: Any) -> Dimension:
        return self._arith(other, operator.add)

    def __radd__(self, other: Any) -> Dimension:
        return self._arith(other, operator.add)

    def __sub__(self, other: Any) -> Dimension:
        return self._arith(other, operator.sub)

    def __rsub__(self, other: Any) -> Dimension:
        return as_dimension(other)._arith(self, operator.sub)

    def __mul__(self, other: Any) -> Dimension:
        return self._arith(other, operator.mul)

    def __rmul__(self, other: Any) -> Dimension:
        return self._arith(other, operator.mul)

    def __floordiv__(self, other: Any) -> Dimension:
        return self._arith(other, operator.floordiv)

    def __rfloordiv__(self, other: Any) -> Dimension:
        return as_dimension(other)._arith(self, operator.floordiv)

    def __mod__(self, other: Any) -> Dimension:
        return self._arith(other, operator.mod)

    def is_compatible_with(self, other: Any) -> bool:
        """True if the two dimensions could be equal (either unknown, or the same value)."""
        other = as_dimension(other)
        return self._value is None or other.value is None or self._value == other.value

    def assert_is_compatible_with(self, other: Any) -> None:
        """Raises ValueError if ``other`` is not compatible with this dimension."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {other} are not compatible")

    def merge_with(self, other: Any) -> Dimension:
        """The more specific of two compatible dimensions; ValueError if incompatible."""
        other = as_dimension(other)
        self.assert_is_compatible_with(other)
        return Dimension(self._value if self._value is not None else other.value)


_DIM_CACHE: dict[int | None, Dimension] = {}


def _dimension(value: int | None) -> Dimension:
    """An interned ``Dimension`` for ``value`` (a validated int >= 0, or None)."""
    d = _DIM_CACHE.get(value)
    if d is None:
        d = Dimension(value)
        if len(_DIM_CACHE) < 4096:
            _DIM_CACHE[value] = d
    return d


_SHAPE_CACHE: dict[Any, TensorShape] = {}
_SHAPE_CACHE_MAX = 8192


def as_dimension(value: Any) -> Dimension:
    """Converts an int, None or Dimension to a ``Dimension``."""
    return value if isinstance(value, Dimension) else Dimension(value)


def dimension_value(dimension: Any) -> int | None:
    """The int value of a Dimension or int (TF's ``tf.compat.dimension_value``)."""
    return dimension.value if isinstance(dimension, Dimension) else dimension


class TensorShape:
    """A static shape: unknown rank (``dims is None``) or a list of ``Dimension``.

    >>> s = TensorShape([None, 3])
    >>> print(s, s.as_list(), s[1].value, s.ndims, TensorShape(None))
    (?, 3) [None, 3] 3 2 <unknown>
    """

    __slots__ = ("_dims",)

    def __init__(self, dims: Any) -> None:
        if dims is None:
            self._dims: tuple[Dimension, ...] | None = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif isinstance(dims, (str, bytes)):
            raise TypeError(f"Failed to convert '{dims!r}' to a shape: '{dims!r}'")
        elif hasattr(dims, "unknown_rank") and hasattr(dims, "dim"):  # a TensorShapeProto
            self._dims = (
                None
                if dims.unknown_rank
                else tuple(_dimension(None if d.size == -1 else d.size) for d in dims.dim)
            )
        else:
            try:
                it = iter(dims)
            except TypeError:
                self._dims = (as_dimension(dims),)
            else:
                self._dims = tuple(
                    _dimension(d) if (type(d) is int and d >= 0) or d is None else as_dimension(d)
                    for d in it
                )

    @classmethod
    def _from_known(cls, dims: tuple[int | None, ...] | None) -> TensorShape:
        """An interned shape from a validated tuple of ints/None (hot path in op creation).

        ``TensorShape`` and ``Dimension`` are immutable, so equal shapes can be one object; this
        keeps graph building from allocating (and the garbage collector from rescanning) a shape
        per op.
        """
        s = _SHAPE_CACHE.get(dims)
        if s is None:
            s = cls.__new__(cls)
            s._dims = None if dims is None else tuple(map(_dimension, dims))
            if len(_SHAPE_CACHE) < _SHAPE_CACHE_MAX:
                _SHAPE_CACHE[dims] = s
        return s

    @property
    def dims(self) -> list[Dimension] | None:
        """The list of Dimensions, or None for an unknown rank."""
        return None if self._dims is None else list(self._dims)

    @property
    def ndims(self) -> int | None:
        """The rank, or None if unknown."""
        return None if self._dims is None else len(self._dims)

    rank = ndims

    def as_list(self) -> list[int | None]:
        """The dimensions as ints/None. Raises ValueError for an unknown rank."""
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return [d.value for d in self._dims]

    def as_tuple(self) -> tuple[int | None, ...] | None:
        """The dimensions as a tuple of ints/None, or None for an unknown rank."""
        return None if self._dims is None else tuple(d.value for d in self._dims)

    def is_fully_defined(self) -> bool:
        """True if the rank and every dimension are known."""
        return self._dims is not None and all(d.value is not None for d in self._dims)

    def assert_is_fully_defined(self) -> None:
        """Raises ValueError if the shape is not fully defined."""
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    def num_elements(self) -> int | None:
        """The number of elements, or None if not fully defined."""
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:  # type: ignore[union-attr]
            n *= d.value  # type: ignore[operator]
        return n

    def is_compatible_with(self, other: Any) -> bool:
        """True if the two shapes could describe the same tensor."""
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a.is_compatible_with(b) for a, b in zip(self._dims, other._dims, strict=True))

    def assert_is_compatible_with(self, other: Any) -> None:
        """Raises ValueError if the shapes are incompatible."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def merge_with(self, other: Any) -> TensorShape:
        """The most specific shape compatible with both; ValueError if incompatible."""
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if len(self._dims) != len(other._dims):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        try:
            return TensorShape(
                [a.merge_with(b) for a, b in zip(self._dims, other._dims, strict=True)]
            )
        except ValueError:
            raise ValueError(f"Shapes {self} and {other} are not compatible") from None

    def concatenate(self, other: Any) -> TensorShape:
        """The concatenation of the two shapes' dimensions."""
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    def with_rank(self, rank: int) -> TensorShape:
        """This shape with its rank checked/set; ValueError if it has another rank."""
        try:
            return self.merge_with(unknown_shape(rank=rank))
        except ValueError:
            raise ValueError(f"Shape {self} must have rank {rank}") from None

    def with_rank_at_least(self, rank: int) -> TensorShape:
        """This shape; ValueError if its rank is known and below ``rank``."""
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank: int) -> TensorShape:
        """This shape; ValueError if its rank is known and above ``rank``."""
        if self._dims is not None and len(self._dims) > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    def assert_has_rank(self, rank: int) -> None:
        """Raises ValueError if the rank is known and differs from ``rank``."""
        if self._dims is not None and len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")

    def assert_same_rank(self, other: Any) -> None:
        """Raises ValueError if both ranks are known and differ."""
        other = as_shape(other)
        if (
            self._dims is not None
            and other._dims is not None
            and (len(self._dims) != len(other._dims))
        ):
            raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __bool__(self) -> bool:
        return self._dims is not None

    def __iter__(self) -> Iterator[Dimension]:
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key: Any) -> Any:
        if self._dims is not None:
            if isinstance(key, slice):
                return TensorShape(self._dims[key])
            return self._dims[key]
        if isinstance(key, slice):
            start, stop = key.start, key.stop
            if key.step is not None or stop is None or (start is not None and start < 0):
                return TensorShape(None)
            return unknown_shape(rank=max(0, stop - (start or 0)))
        return Dimension(None)

    def __eq__(self, other: object) -> bool:
        try:
            other = as_shape(other)
        except TypeError:
            return NotImplemented
        return self.as_tuple() == other.as_tuple()  # type: ignore[union-attr]

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return hash(self.as_tuple())

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return f"({self._dims[0]},)"
        return "(" + ", ".join(str(d) for d in self._dims) + ")"

    def __repr__(self) -> str:
        if self._dims is None:
            return "TensorShape(None)"
        return "TensorShape([" + ", ".join(repr(d) for d in self._dims) + "])"

    def __reduce__(self) -> tuple[Any, ...]:
        return TensorShape, (self.as_list() if self._dims is not None else None,)


def as_shape(shape: Any) -> TensorShape:
    """Converts a list, tuple, int, None or ``TensorShape`` to a ``TensorShape``."""
    if isinstance(shape, TensorShape):
        return shape
    if type(shape) in (list, tuple) and all(
        (type(d) is int and d >= 0) or d is None for d in shape
    ):
        return TensorShape._from_known(tuple(shape))
    return TensorShape(shape)


def unknown_shape(rank: int | None = None, **kwargs: Any) -> TensorShape:
    """A shape of unknown dimensions (and unknown rank when ``rank`` is None)."""
    if rank is None and "ndims" in kwargs:
        rank = kwargs.pop("ndims")
    if kwargs:
        raise TypeError(f"Unknown argument to unknown_shape: {sorted(kwargs)}")
    return TensorShape(None) if rank is None else TensorShape([None] * rank)


def scalar() -> TensorShape:
    """The shape of a scalar, ``()``."""
    return TensorShape([])


__all__ = [
    "Dimension",
    "TensorShape",
    "as_dimension",
    "as_shape",
    "dimension_value",
    "scalar",
    "unknown_shape",
]
