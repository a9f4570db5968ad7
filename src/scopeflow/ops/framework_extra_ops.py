"""TF1 framework helpers and the ``tf.version`` GraphDef constants.

``tf.init_scope``, ``tf.op_scope``, ``tf.assert_variables_initialized``,
``tf.initialize_all_tables``, ``tf.make_tensor_proto`` (TF's signature and dtype inference).

``GRAPH_DEF_VERSION`` is TF 1.15's GraphDef producer version (134), the one scopeflow writes
into exported GraphDefs (``graph_io``); the minimum consumer and producer versions are TF 1.15's
(0 and 0).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.constant_op import to_numpy_value
from scopeflow.ops.lookup_ops import tables_initializer

GRAPH_DEF_VERSION = 134
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0


@contextlib.contextmanager
def init_scope() -> Iterator[None]:
    """Clears control dependencies for the block, keeping the name scope (``tf.init_scope``).

    In TF1 graph mode (no function being built) this is what TF's ``init_scope`` does: the
    outermost context is the default graph itself.

    >>> import scopeflow.compat.v1 as tf
    >>> a = tf.constant(1.0, name="a")
    >>> with tf.control_dependencies([a]):
    ...     with tf.init_scope():
    ...         b = tf.constant(2.0, name="b")
    >>> print(b.op.control_inputs)
    []
    """
    g = get_default_graph()
    scope = g.get_name_scope()
    if scope and scope[-1] != "/":
        scope += "/"
    with g.control_dependencies(None), g.name_scope(scope or None):
        yield


@contextlib.contextmanager
def op_scope(values: Any, name: str | None, default_name: str | None = None) -> Iterator[str]:
    """Deprecated TF1 alias of ``name_scope(name, default_name, values)`` (``tf.op_scope``)."""
    with name_scope(name, default_name=default_name, values=values) as scope:
        yield scope


def assert_variables_initialized(var_list: Any = None) -> Tensor | None:
    """A tensor that fails to evaluate while a variable is uninitialized (TF 1.15's op).

    One ``Rank`` op per variable, read at run time (never folded), stacked when there are
    several; ``None`` when there are no variables. Evaluating it with an uninitialized variable
    raises ``FailedPreconditionError``.
    """
    g = get_default_graph()
    if var_list is None:
        var_list = g.get_collection(GraphKeys.GLOBAL_VARIABLES) + g.get_collection(
            GraphKeys.LOCAL_VARIABLES
        )
    var_list = list(var_list)
    if not var_list:
        var_list = [
            op._outputs[0]
            for op in g.get_operations()
            if op._type in ("Variable", "VariableV2", "AutoReloadVariable")
        ]
    if not var_list:
        return None
    ranks = []
    for var in var_list:
        x = convert_to_tensor(var)
        ranks.append(
            make_op("Rank", (x,), {"T": x._dtype.base_dtype}, "Rank", dtypes.int32, TensorShape([]))
        )
    if len(ranks) == 1:
        return ranks[0]
    from scopeflow.ops.array_ops import stack  # noqa: PLC0415

    return stack(ranks)  # type: ignore[no-any-return]


def make_tensor_proto(
    values: Any,
    dtype: Any = None,
    shape: Any = None,
    verify_shape: bool = False,
    allow_broadcast: bool = False,
) -> Any:
    """``values`` as a ``TensorProto`` with TF's dtype inference (``tf.make_tensor_proto``).

    With ``shape``, fewer values than elements are stored as given (TF repeats the last one
    when reading); more raise TF's ``ValueError``; ``verify_shape`` requires the exact shape.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.make_tensor_proto([1.0, 2.0]).dtype)
    1
    """
    from scopeflow.graph_io.tensor_proto import make_tensor_proto as _proto  # noqa: PLC0415

    arr, dt = to_numpy_value(values, dtype)
    if shape is None:
        return _proto(arr, dt)
    known = TensorShape(shape).as_list()
    if any(d is None for d in known):
        raise TypeError(f"int() argument must be a number, not 'NoneType' (shape {shape})")
    dims = [int(d) for d in known if d is not None]
    size = int(np.prod(dims, dtype=np.int64))
    if verify_shape and tuple(arr.shape) != tuple(dims):
        raise TypeError(f"Expected Tensor's shape: {tuple(dims)}, but got {tuple(arr.shape)}.")
    if arr.size > size:
        raise ValueError(f"Too many elements provided. Takes at most {size}, but got {arr.size}.")
    if allow_broadcast and arr.size not in (1, size):
        raise TypeError(f"Expected Tensor's shape: {tuple(dims)}, but got {tuple(arr.shape)}.")
    return _proto(arr.reshape(dims) if arr.size == size else arr, dt, dims)


def initialize_all_tables(name: str = "init_all_tables") -> Operation:
    """Deprecated TF1 alias of ``tf.tables_initializer`` (``tf.initialize_all_tables``)."""
    return tables_initializer(name)


__all__ = [
    "GRAPH_DEF_VERSION",
    "GRAPH_DEF_VERSION_MIN_CONSUMER",
    "GRAPH_DEF_VERSION_MIN_PRODUCER",
    "assert_variables_initialized",
    "init_scope",
    "initialize_all_tables",
    "make_tensor_proto",
    "op_scope",
]
