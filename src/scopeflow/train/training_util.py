"""``tf.train`` global-step helpers.

``global_step``, ``get_global_step``, ``create_global_step``, ``get_or_create_global_step`` and
``assert_global_step``.

The global step is TF's: an int64 scalar variable named ``global_step`` created with
``get_variable`` (so an enclosing ``variable_scope`` prefixes it, as in TF), zero-initialized,
not trainable, in the ``GLOBAL_VARIABLES`` and ``GLOBAL_STEP`` collections.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow._core.variable_store import VariableAggregation, get_variable
from scopeflow.graph.graph import Graph, get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops.init_ops import zeros_initializer

__all__ = [
    "assert_global_step",
    "create_global_step",
    "get_global_step",
    "get_or_create_global_step",
    "global_step",
]

GLOBAL_STEP_READ_KEY = "global_step_read_op_cache"


def global_step(sess: Any, global_step_tensor: Any) -> int:
    """The value of ``global_step_tensor`` in ``sess`` as a Python int."""
    return int(sess.run(global_step_tensor))


def assert_global_step(global_step_tensor: Any) -> None:
    """Raise ``TypeError`` unless ``global_step_tensor`` is an integer scalar variable/tensor."""
    if not isinstance(global_step_tensor, (Variable, Tensor)):
        raise TypeError(
            f'Existing "global_step" must be a Variable or Tensor: {global_step_tensor}.'
        )
    if not global_step_tensor.dtype.base_dtype.is_integer:
        raise TypeError(
            f'Existing "global_step" does not have integer type: {global_step_tensor.dtype}'
        )
    shape = global_step_tensor.get_shape()
    if shape.ndims != 0 and shape.is_fully_defined():
        raise TypeError(f'Existing "global_step" is not scalar: {shape}')


def get_global_step(graph: Graph | None = None) -> Any:
    """The global step variable of ``graph`` (default graph), or ``None``.

    Looks in the ``GLOBAL_STEP`` collection, then for a tensor named ``global_step:0``.
    """
    graph = graph or get_default_graph()
    found = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(found) == 1:
        gs = found[0]
    elif not found:
        try:
            gs = graph.get_tensor_by_name("global_step:0")
        except (KeyError, ValueError):
            return None
    else:
        return None
    assert_global_step(gs)
    return gs


def create_global_step(graph: Graph | None = None) -> Variable:
    """Create the ``global_step`` variable in ``graph``.

    Raises:
        ValueError: ``"global_step" already exists.``
    """
    graph = graph or get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    with graph.as_default(), name_scope(None):
        return get_variable(  # type: ignore[no-any-return]
            GraphKeys.GLOBAL_STEP,
            shape=[],
            dtype=dtypes.int64,
            initializer=zeros_initializer(),
            trainable=False,
            aggregation=VariableAggregation.ONLY_FIRST_REPLICA,
            collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP],
        )


def get_or_create_global_step(graph: Graph | None = None) -> Any:
    """The global step variable of ``graph``, created if it does not exist yet."""
    graph = graph or get_default_graph()
    gs = get_global_step(graph)
    if gs is None:
        gs = create_global_step(graph)
    return gs


def _get_global_step_read(graph: Graph | None = None) -> Any:
    """The cached global-step read tensor of ``graph`` (``GLOBAL_STEP_READ_KEY``), or ``None``."""
    graph = graph or get_default_graph()
    found = graph.get_collection(GLOBAL_STEP_READ_KEY)
    if len(found) > 1:
        raise RuntimeError(
            f"There are multiple items in collection {GLOBAL_STEP_READ_KEY}. "
            "There should be only one."
        )
    return found[0] if found else None


def _get_or_create_global_step_read(graph: Graph | None = None) -> Any:
    """A tensor copying the global step's value (``global_step/add:0``), created once, as TF.

    Hooks fetch it to learn the step of a ``run`` without holding a reference to the variable.
    ``None`` without a global step.

    Differences from TensorFlow: TF reads through a ``cond`` on ``IsVariableInitialized`` (the
    initial value while the variable is uninitialized); here the variable is read directly, so
    fetching it before initialization raises ``FailedPreconditionError``.
    """
    graph = graph or get_default_graph()
    read = _get_global_step_read(graph)
    if read is not None:
        return read
    gs = get_global_step(graph)
    if gs is None:
        return None
    with graph.as_default(), name_scope(None), name_scope(gs.op.name + "/"):
        value = gs.read_value() if isinstance(gs, Variable) else gs
        graph.add_to_collection(GLOBAL_STEP_READ_KEY, value + 0)
    return _get_global_step_read(graph)


def _increment_global_step(increment: Any, graph: Graph | None = None) -> Any:
    """``global_step += increment`` after reading the cached global-step read tensor (TF's).

    Raises:
        ValueError: There is no global step.
    """
    from scopeflow.ops.state_ops import assign_add  # noqa: PLC0415

    graph = graph or get_default_graph()
    gs = get_global_step(graph)
    if gs is None:
        raise ValueError(
            "Global step tensor should be created by tf.train.get_or_create_global_step before "
            "calling increment."
        )
    read = _get_or_create_global_step_read(graph)
    with (
        graph.as_default(),
        name_scope(None),
        name_scope(gs.op.name + "/"),
        graph.control_dependencies([read]),
    ):
        return assign_add(gs, increment)
