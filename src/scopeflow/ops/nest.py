"""``tf.nest``: flatten and rebuild nested structures of lists, tuples, namedtuples and dicts.

TF's rules: lists, tuples (including namedtuples) and mappings are structure; everything else
(tensors, numbers, strings, ``None``, sets, NumPy arrays) is a leaf. Dicts are flattened in
sorted key order and rebuilt with the original key order and mapping type. ``cond``,
``while_loop`` and ``map_fn`` use this module for their nested arguments.

Must not import any layer above ``ops`` (it imports nothing from scopeflow).
"""

from __future__ import annotations

import collections.abc
from collections.abc import Callable
from typing import Any


def _is_namedtuple(x: Any) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def is_nested(seq: Any) -> bool:
    """Whether ``seq`` is a structure (list, tuple, namedtuple or mapping), not a leaf."""
    return isinstance(seq, (list, tuple, collections.abc.Mapping))


is_sequence = is_nested
is_nested_or_composite = is_nested


def _sorted_keys(d: Any) -> list[Any]:
    try:
        return sorted(d)
    except TypeError:
        raise TypeError("nest only supports dicts with sortable keys.") from None


def _children(seq: Any) -> list[Any]:
    if isinstance(seq, collections.abc.Mapping):
        return [seq[k] for k in _sorted_keys(seq)]
    return list(seq)


def flatten(structure: Any, expand_composites: bool = False) -> list[Any]:
    """The leaves of ``structure`` in TF's order (dict values by sorted key).

    >>> flatten({"b": 1, "a": [2, None]})
    [2, None, 1]
    """
    if not is_nested(structure):
        return [structure]
    out: list[Any] = []
    stack = [structure]
    # Iterative depth-first traversal keeping left-to-right order.
    while stack:
        item = stack.pop()
        if is_nested(item):
            stack.extend(reversed(_children(item)))
        else:
            out.append(item)
    return out


def _sequence_like(instance: Any, args: list[Any]) -> Any:
    """A structure of ``instance``'s type holding ``args`` (in flatten order)."""
    if isinstance(instance, collections.abc.Mapping):
        result = dict(zip(_sorted_keys(instance), args, strict=True))
        if isinstance(instance, collections.defaultdict):
            d: Any = collections.defaultdict(instance.default_factory)
        else:
            try:
                d = type(instance)()
            except TypeError:
                return {k: result[k] for k in instance}
        for k in instance:
            d[k] = result[k]
        return d
    if _is_namedtuple(instance):
        return type(instance)(*args)
    if isinstance(instance, tuple):
        return tuple(args)
    if isinstance(instance, list):
        return list(args)
    return type(instance)(args)


def _count(structure: Any) -> int:
    return len(flatten(structure))


def pack_sequence_as(structure: Any, flat_sequence: Any, expand_composites: bool = False) -> Any:
    """Rebuilds ``structure``'s nesting around the leaves of ``flat_sequence``.

    Raises:
        TypeError: ``flat_sequence`` is not a sequence.
        ValueError: the number of leaves differs (TF's texts).
    """
    if not is_nested(flat_sequence):
        raise TypeError(
            f"Attempted to pack value:\n  {flat_sequence}\ninto a structure, but found "
            f"incompatible type `{type(flat_sequence)}` instead."
        )
    flat = list(flat_sequence)
    if not is_nested(structure):
        if len(flat) != 1:
            raise ValueError(
                f"The target structure is of type `{type(structure)}`\n  {structure}\nHowever the "
                f"input is a sequence ({type(flat_sequence)}) of length {len(flat)}.\n  "
                f"{flat_sequence}\nnest cannot guarantee that it is safe to map one to the other."
            )
        return flat[0]
    n = _count(structure)
    if n != len(flat):
        raise ValueError(
            f"Could not pack sequence. Structure had {n} atoms, but flat_sequence had "
            f"{len(flat)} items.  Structure: {structure}, flat_sequence: {flat_sequence}."
        )
    pos = 0

    def build(s: Any) -> Any:
        nonlocal pos
        if not is_nested(s):
            v = flat[pos]
            pos += 1
            return v
        return _sequence_like(s, [build(c) for c in _children(s)])

    return build(structure)


def _short(s: Any) -> str:
    """TF's ``Entire structure`` rendering: leaves as ``.``."""
    if not is_nested(s):
        return "."
    if isinstance(s, collections.abc.Mapping):
        return "{" + ", ".join(f"{k!r}: {_short(s[k])}" for k in s) + "}"
    inner = ", ".join(_short(c) for c in s)
    if _is_namedtuple(s):
        return (
            f"{type(s).__name__}("
            + ", ".join(f"{f}={_short(c)}" for f, c in zip(s._fields, s, strict=True))
            + ")"
        )
    if isinstance(s, tuple):
        return f"({inner}{',' if len(s) == 1 else ''})"
    return f"[{inner}]"


def _desc(s: Any) -> str:
    return f"type={type(s).__name__} str={s}"


def _mismatch(nest1: Any, nest2: Any, check_types: bool) -> tuple[type[Exception], str] | None:
    """The first difference between two structures, as (exception type, detail), or None."""
    n1, n2 = is_nested(nest1), is_nested(nest2)
    if n1 != n2:
        seq, leaf = (nest1, nest2) if n1 else (nest2, nest1)
        return ValueError, (
            f'Substructure "{_desc(seq)}" is a sequence, while substructure "{_desc(leaf)}" is not'
        )
    if not n1:
        return None
    if check_types and type(nest1) is not type(nest2):
        both_map = isinstance(nest1, collections.abc.Mapping) and isinstance(
            nest2, collections.abc.Mapping
        )
        if not both_map:
            return TypeError, (
                "The two namedtuples don't have the same sequence type. First structure "
                f"{_desc(nest1)} has type {type(nest1).__name__}, while second structure "
                f"{_desc(nest2)} has type {type(nest2).__name__}"
            )
    if isinstance(nest1, collections.abc.Mapping) and isinstance(nest2, collections.abc.Mapping):
        k1, k2 = _sorted_keys(nest1), _sorted_keys(nest2)
        if k1 != k2:
            return ValueError, (
                "The two dictionaries don't have the same set of keys. First structure has keys "
                f"type=list str={k1}, while second structure has keys type=list str={k2}"
            )
    c1, c2 = _children(nest1), _children(nest2)
    # Pairwise first, as TF's iterator-based check: a nested mismatch is reported before a
    # difference in length.
    for a, b in zip(c1, c2, strict=False):
        m = _mismatch(a, b, check_types)
        if m is not None:
            return m
    if len(c1) != len(c2):
        return ValueError, (
            "The two structures don't have the same number of elements. First structure: "
            f"{_desc(nest1)}. Second structure: {_desc(nest2)}"
        )
    return None


def assert_same_structure(nest1: Any, nest2: Any, check_types: bool = True,
                          expand_composites: bool = False) -> None:  # fmt: skip
    """Raises if ``nest1`` and ``nest2`` differ in nesting.

    With ``check_types`` the sequence types must match too.

    Raises:
        ValueError: different nesting, lengths or dict keys.
        TypeError: different sequence types (``check_types=True``).
    """
    m = _mismatch(nest1, nest2, check_types)
    if m is None:
        return
    exc, detail = m
    raise exc(
        "The two structures don't have the same nested structure.\n\n"
        f"First structure: {_desc(nest1)}\n\nSecond structure: {_desc(nest2)}\n\n"
        f"More specifically: {detail}\nEntire first structure:\n{_short(nest1)}\n"
        f"Entire second structure:\n{_short(nest2)}"
    )


def map_structure(func: Callable[..., Any], *structure: Any, **kwargs: Any) -> Any:
    """Applies ``func`` leaf-wise to structures of the same nesting; returns the first's shape.

    >>> map_structure(lambda a, b: a + b, {"x": 1, "y": (2, 3)}, {"x": 10, "y": (20, 30)})
    {'x': 11, 'y': (22, 33)}
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got: {func}")
    if not structure:
        raise ValueError("Must provide at least one structure")
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    if kwargs:
        raise ValueError(
            "Only valid keyword arguments are `check_types` and `expand_composites`, not: "
            f"`{'`, `'.join(kwargs)}`"
        )
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types)
    flat = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*x) for x in zip(*flat, strict=True)])


def flatten_up_to(shallow_tree: Any, input_tree: Any) -> list[Any]:
    """``input_tree`` flattened only down to the leaves of ``shallow_tree``."""
    if not is_nested(shallow_tree):
        return [input_tree]
    if not is_nested(input_tree):
        raise TypeError(
            "If shallow structure is a sequence, input must also be a sequence. Input has "
            f"type: {type(input_tree)}."
        )
    out: list[Any] = []
    if isinstance(shallow_tree, collections.abc.Mapping):
        pairs = [(shallow_tree[k], input_tree[k]) for k in _sorted_keys(shallow_tree)]
    else:
        if len(shallow_tree) != len(input_tree):
            raise ValueError(
                "The two structures don't have the same sequence length. Input structure has "
                f"length {len(input_tree)}, while shallow structure has length "
                f"{len(shallow_tree)}."
            )
        pairs = list(zip(shallow_tree, input_tree, strict=True))
    for s, i in pairs:
        out.extend(flatten_up_to(s, i))
    return out


__all__ = [
    "assert_same_structure",
    "flatten",
    "flatten_up_to",
    "is_nested",
    "is_sequence",
    "map_structure",
    "pack_sequence_as",
]
