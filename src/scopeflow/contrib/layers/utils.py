"""``tf.contrib.layers.utils``: helpers shared by the contrib layers.

``tf.contrib.layers.utils``: output aliases and collections, static/dynamic conditionals and
argument normalisation shared by the contrib layers (TF 1.15's ``layers/python/layers/utils``).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict, namedtuple
from collections.abc import Callable
from typing import Any

import numpy as np

from scopeflow._core.tensor_shape import Dimension, TensorShape
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops._op_builder import constant_value as _static_value
from scopeflow.ops.control_flow_ops import cond

NamedOutputs = namedtuple("NamedOutputs", ["name", "outputs"])


def collect_named_outputs(collections: Any, alias: str, outputs: Any) -> Any:
    """Give ``outputs`` the alias ``alias`` and add it to ``collections`` (a name or a list).

    >>> import scopeflow.compat.v1 as tf
    >>> t = collect_named_outputs("outs", "a/b", tf.constant(1.0))
    >>> list(convert_collection_to_dict("outs"))
    ['a/b']
    """
    if collections:
        append_tensor_alias(outputs, alias)
        get_default_graph().add_to_collections(collections, outputs)
    return outputs


# Objects that cannot take a new attribute (slotted types other than Tensor) keep their
# aliases here; tensors and variables carry ``.aliases`` as in TF.
_ALIASES: weakref.WeakKeyDictionary[Any, list[str]] = weakref.WeakKeyDictionary()


def append_tensor_alias(tensor: Any, alias: str) -> Any:
    """Append ``alias`` (trailing ``/`` removed) to ``tensor.aliases`` (created if absent).

    >>> import scopeflow.compat.v1 as tf
    >>> t = append_tensor_alias(tf.constant(1.0), "a/")
    >>> t.aliases
    ['a']
    """
    if alias[-1] == "/":
        alias = alias[:-1]
    aliases = getattr(tensor, "aliases", None)
    if aliases is None:
        try:
            tensor.aliases = aliases = []
        except AttributeError:
            aliases = _ALIASES.setdefault(tensor, [])
    aliases.append(alias)
    return tensor


def gather_tensors_aliases(tensors: list[Any]) -> list[str]:
    """The aliases of each tensor, concatenated."""
    aliases = []
    for tensor in tensors:
        aliases += get_tensor_aliases(tensor)
    return aliases


def get_tensor_aliases(tensor: Any) -> list[str]:
    """The tensor's aliases if it has any, else ``[tensor.op.name]``."""
    aliases = getattr(tensor, "aliases", None) or _ALIASES.get(tensor)
    if aliases:
        return list(aliases)
    return [tensor.op.name]


def convert_collection_to_dict(
    collection: str, clear_collection: bool = False
) -> OrderedDict[str, Any]:
    """An ordered ``{alias: tensor}`` of the tensors in ``collection`` (slim's end points)."""
    graph = get_default_graph()
    output: OrderedDict[str, Any] = OrderedDict()
    for tensor in graph.get_collection(collection):
        for alias in get_tensor_aliases(tensor):
            output[alias] = tensor
    if clear_collection:
        graph.clear_collection(collection)
    return output


def constant_value(value_or_tensor_or_var: Any, dtype: Any = None) -> Any:
    """The value of a Python value or a constant tensor, else None (``utils.constant_value``)."""
    if value_or_tensor_or_var is None:
        raise ValueError("value_or_tensor_or_var cannot be None")
    value = value_or_tensor_or_var
    if isinstance(value_or_tensor_or_var, Tensor | Variable):
        if dtype and value_or_tensor_or_var.dtype != dtype:
            raise ValueError(
                f"It has the wrong type {value_or_tensor_or_var.dtype} instead of {dtype}"
            )
        if isinstance(value_or_tensor_or_var, Variable):
            value = None
        else:
            value = _static_value(value_or_tensor_or_var)
            if isinstance(value, np.ndarray) and value.ndim == 0:
                value = value.item()
    return value


def static_cond(pred: Any, fn1: Callable[[], Any], fn2: Callable[[], Any]) -> Any:
    """``fn1()`` if the Python value ``pred`` is true, else ``fn2()``."""
    if not callable(fn1):
        raise TypeError("fn1 must be callable.")
    if not callable(fn2):
        raise TypeError("fn2 must be callable.")
    if pred:
        return fn1()
    return fn2()


def smart_cond(
    pred: Any, fn1: Callable[[], Any], fn2: Callable[[], Any], name: str | None = None
) -> Any:
    """``static_cond`` when ``pred``'s value is known at graph-build time, else ``tf.cond``.

    >>> smart_cond(True, lambda: "a", lambda: "b")
    'a'
    """
    pred_value = constant_value(pred)
    if pred_value is not None:
        return static_cond(pred_value, fn1, fn2)
    return cond(pred, fn1, fn2, name=name)


def get_variable_collections(variables_collections: Any, name: str) -> Any:
    """``variables_collections[name]`` for a dict, else ``variables_collections`` itself."""
    if isinstance(variables_collections, dict):
        return variables_collections.get(name, None)
    return variables_collections


def _get_dimension(shape: Any, dim: int, min_rank: int = 1) -> int:
    dims = shape.dims
    if dims is None:
        raise ValueError("dims of shape must be known but is None")
    if len(dims) < min_rank:
        raise ValueError(f"rank of shape must be at least {min_rank} not: {len(dims)}")
    value = dims[dim].value
    if value is None:
        raise ValueError(f"dimension {dim} of shape must be known but is None: {shape}")
    return int(value)


def last_dimension(shape: Any, min_rank: int = 1) -> int:
    """The (known) last dimension of ``shape``.

    >>> import scopeflow.compat.v1 as tf
    >>> last_dimension(tf.TensorShape([None, 3]))
    3
    """
    return _get_dimension(shape, -1, min_rank=min_rank)


def two_element_tuple(int_or_tuple: Any) -> tuple[int, int]:
    """``(n, n)`` for an int, else the two-element list, tuple or TensorShape as a tuple."""
    if isinstance(int_or_tuple, list | tuple):
        if len(int_or_tuple) != 2:
            raise ValueError(f"Must be a list with 2 elements: {int_or_tuple}")
        return int(int_or_tuple[0]), int(int_or_tuple[1])
    if isinstance(int_or_tuple, int | np.integer):
        return int(int_or_tuple), int(int_or_tuple)
    if isinstance(int_or_tuple, TensorShape) and len(int_or_tuple) == 2:
        return int_or_tuple[0], int_or_tuple[1]  # type: ignore[return-value]
    raise ValueError("Must be an int, a list with 2 elements or a TensorShape of length 2")


def _as_int(v: Any) -> int:
    value = v.value if isinstance(v, Dimension) else v
    return -1 if value is None else int(value)


def n_positive_integers(n: int, value: Any) -> tuple[int, ...]:
    """``value`` (an int or ``n`` ints, all positive) as a tuple of ``n`` ints."""
    if isinstance(value, int | np.integer):
        if value > 0:
            return (int(value),) * n
    elif isinstance(value, TensorShape):
        known = [d.value for d in value.dims or []]
        if len(known) == n and all(v is not None and v > 0 for v in known):
            return tuple(int(v) for v in known if v is not None)
    else:
        values = tuple(value)
        if len(values) == n and all(isinstance(v, int | np.integer | Dimension) for v in values):
            ints = tuple(_as_int(v) for v in values)
            if all(v > 0 for v in ints):
                return ints
    raise ValueError(f"Expected {n} positive integers, got {value}")


__all__ = [
    "NamedOutputs",
    "append_tensor_alias",
    "collect_named_outputs",
    "constant_value",
    "convert_collection_to_dict",
    "gather_tensors_aliases",
    "get_tensor_aliases",
    "get_variable_collections",
    "last_dimension",
    "n_positive_integers",
    "smart_cond",
    "static_cond",
    "two_element_tuple",
]
