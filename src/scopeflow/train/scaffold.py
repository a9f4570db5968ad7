"""``tf.train.Scaffold``: the init/ready/summary ops and saver a monitored session needs.

Each piece is the constructor argument, else the single item of its graph collection
(``INIT_OP``, ``READY_OP``, ``READY_FOR_LOCAL_INIT_OP``, ``LOCAL_INIT_OP``, ``SUMMARY_OP``,
``SAVERS``), else a default built by ``finalize()`` and stored in that collection, as in TF;
``finalize()`` then finalizes the graph. The default saver is TF's: ``Saver(sharded=True,
allow_empty=True)``.

Differences from TensorFlow: scopeflow has no resource registry, so the defaults leave out TF's
``initialize_resources``/``report_uninitialized_resources`` parts (which are no-ops and empty
lists in a graph without resources); object-based ``tf.train.Checkpoint`` savers raise
``UnsupportedError``.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow.app import logging
from scopeflow.errors import UnsupportedError
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.array_ops import concat
from scopeflow.ops.constant_op import constant
from scopeflow.ops.state_ops import (
    global_variables,
    global_variables_initializer,
    group,
    local_variables_initializer,
    no_op,
    report_uninitialized_variables,
)
from scopeflow.summary.summary import merge_all
from scopeflow.train.saver import Saver

__all__ = ["Scaffold"]


def _get_saver_or_default() -> Saver:
    """The single saver of the ``SAVERS`` collection, else a new sharded one added to it."""
    graph = get_default_graph()
    savers = graph.get_collection(GraphKeys.SAVERS)
    if savers:
        if len(savers) > 1:
            raise RuntimeError(
                f"More than one item in collection {GraphKeys.SAVERS}. Please indicate which one "
                "to use by passing it to the constructor."
            )
        return savers[0]  # type: ignore[no-any-return]
    saver = Saver(sharded=True, allow_empty=True)
    graph.add_to_collection(GraphKeys.SAVERS, saver)
    return saver


def _report_uninitialized_resources() -> Any:
    # scopeflow has no resource registry: TF's result for a graph without resources
    with get_default_graph().name_scope("report_uninitialized_resources"):
        return constant([], dtype=dtypes.string)


def _initialize_resources() -> Any:
    # TF's initialize_resources([]) (no resource registry here): a NoOp named "init"
    return no_op(name="init")


def _tables_initializer() -> Any:
    initializers = get_default_graph().get_collection(GraphKeys.TABLE_INITIALIZERS)
    if initializers:
        return group(*initializers, name="init_all_tables")
    return no_op(name="init_all_tables")


class Scaffold:
    """Gathers or builds the pieces a training session needs (TF1's ``tf.train.Scaffold``).

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.Graph().as_default() as g:
    ...     v = tf.get_variable("v", initializer=1.0)
    ...     scaffold = tf.train.Scaffold().finalize()
    ...     print(scaffold.init_op.type, g.finalized)
    NoOp True
    """

    def __init__(
        self,
        init_op: Any = None,
        init_feed_dict: Any = None,
        init_fn: Callable[[Scaffold, Any], Any] | None = None,
        ready_op: Any = None,
        ready_for_local_init_op: Any = None,
        local_init_op: Any = None,
        summary_op: Any = None,
        saver: Any = None,
        copy_from_scaffold: Scaffold | None = None,
        local_init_feed_dict: Any = None,
    ) -> None:
        if copy_from_scaffold is not None:
            if not isinstance(copy_from_scaffold, Scaffold):
                raise TypeError("copy_from_scaffold is not a Scaffold instance.")

            def coalesce(a: Any, b: Any) -> Any:
                return a if a is not None else b

            src = copy_from_scaffold
            init_op = coalesce(init_op, src.init_op)
            init_feed_dict = coalesce(init_feed_dict, src.init_feed_dict)
            init_fn = coalesce(init_fn, src._user_init_fn)
            ready_op = coalesce(ready_op, src.ready_op)
            ready_for_local_init_op = coalesce(ready_for_local_init_op, src.ready_for_local_init_op)
            local_init_op = coalesce(local_init_op, src.local_init_op)
            local_init_feed_dict = coalesce(local_init_feed_dict, src.local_init_feed_dict)
            summary_op = coalesce(summary_op, src.summary_op)
            saver = coalesce(saver, src.saver)
        self._user_init_fn: Callable[[Scaffold, Any], Any] | None = init_fn
        self._init_fn: Callable[[Any], Any] | None = (
            (lambda sess: init_fn(self, sess)) if init_fn else None
        )
        self._init_op = init_op
        self._init_feed_dict = init_feed_dict
        self._ready_op = ready_op
        self._ready_for_local_init_op = ready_for_local_init_op
        self._local_init_op = local_init_op
        self._local_init_feed_dict = local_init_feed_dict
        self._summary_op = summary_op
        self._saver = saver

    def finalize(self) -> Scaffold:
        """Creates the missing pieces (see the module docstring) and finalizes the graph."""
        if self._init_op is None:

            def default_init_op() -> Any:
                graph = get_default_graph()
                return group(
                    global_variables_initializer(),
                    _initialize_resources(),
                    *graph.get_collection("saved_model_initializers"),
                )

            self._init_op = Scaffold.get_or_default("init_op", GraphKeys.INIT_OP, default_init_op)
        if self._ready_op is None:
            self._ready_op = Scaffold.get_or_default(
                "ready_op",
                GraphKeys.READY_OP,
                lambda: concat(
                    [report_uninitialized_variables(), _report_uninitialized_resources()], 0
                ),
            )
        if self._ready_for_local_init_op is None:
            self._ready_for_local_init_op = Scaffold.get_or_default(
                "ready_for_local_init_op",
                GraphKeys.READY_FOR_LOCAL_INIT_OP,
                lambda: concat(
                    [
                        report_uninitialized_variables(global_variables()),
                        _report_uninitialized_resources(),
                    ],
                    0,
                ),
            )
        if self._local_init_op is None:
            self._local_init_op = Scaffold.get_or_default(
                "local_init_op", GraphKeys.LOCAL_INIT_OP, Scaffold.default_local_init_op
            )
        if self._summary_op is None:
            self._summary_op = Scaffold.get_or_default(
                "summary_op", GraphKeys.SUMMARY_OP, merge_all
            )
        if self._saver is None:
            self._saver = _get_saver_or_default()
        if not hasattr(self._saver, "build"):
            raise UnsupportedError(
                f"Scaffold(saver={type(self._saver).__name__})",
                "Only a tf.train.Saver can save and restore in a monitored session.",
            )
        self._saver.build()
        get_default_graph().finalize()
        logging.info("Graph was finalized.")
        return self

    @property
    def init_fn(self) -> Callable[[Any], Any] | None:
        """``init_fn(scaffold, session)`` bound to this scaffold, or None."""
        return self._init_fn

    @property
    def init_op(self) -> Any:
        """The op initializing the global variables."""
        return self._init_op

    @property
    def ready_op(self) -> Any:
        """A 1-D string tensor of uninitialized variable names (empty when ready)."""
        return self._ready_op

    @property
    def ready_for_local_init_op(self) -> Any:
        """Like ``ready_op``, for the global variables ``local_init_op`` may read."""
        return self._ready_for_local_init_op

    @property
    def local_init_op(self) -> Any:
        """The op initializing local variables and tables."""
        return self._local_init_op

    @property
    def local_init_feed_dict(self) -> Any:
        """Feeds for ``local_init_op``."""
        return self._local_init_feed_dict

    @property
    def summary_op(self) -> Any:
        """The merged summary tensor (None without summaries)."""
        return self._summary_op

    @property
    def saver(self) -> Any:
        """The ``Saver`` checkpoints are saved and restored with."""
        return self._saver

    @property
    def init_feed_dict(self) -> Any:
        """Feeds for ``init_op``."""
        return self._init_feed_dict

    @staticmethod
    def get_or_default(
        arg_name: str, collection_key: str, default_constructor: Callable[[], Any]
    ) -> Any:
        """The single item of collection ``collection_key``, else a new default added to it.

        Raises:
            RuntimeError: The collection holds more than one item.
        """
        graph = get_default_graph()
        elements = graph.get_collection(collection_key)
        if elements:
            if len(elements) > 1:
                # TF passes the format arguments to RuntimeError instead of formatting them
                raise RuntimeError(
                    'More than one item in the collection "%s". Please indicate which one to '
                    "use by passing it to the tf.Scaffold constructor as:  "
                    "tf.Scaffold(%s=item to use)",
                    collection_key,
                    arg_name,
                )
            return elements[0]
        op = default_constructor()
        if op is not None:
            graph.add_to_collection(collection_key, op)
        return op

    @staticmethod
    def default_local_init_op() -> Any:
        """``group(local_variables_initializer(), tables_initializer())``."""
        return group(local_variables_initializer(), _tables_initializer(), _initialize_resources())
