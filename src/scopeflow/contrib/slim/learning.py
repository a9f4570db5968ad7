"""``tf.contrib.slim.learning``: TF-Slim's training loop on a ``tf.train.Supervisor`` (TF 1.15).

``create_train_op`` is ``tf.contrib.training.create_train_op`` with slim's gradient transforms
(``multiply_grads/`` multipliers, then ``clip_grads/`` per-gradient norm clipping) and gradient
summaries named ``<var>/gradient``. ``train`` builds the ``init_ops/`` and ``train_step/`` ops
(``should_stop`` = ``global_step >= number_of_steps``, ``should_log`` every
``log_every_n_steps``), starts a ``Supervisor`` on ``logdir`` and calls ``train_step_fn`` until it
says stop, then saves a final checkpoint at the global step; it returns the last loss. With
``trace_every_n_steps``, every such step runs with ``FULL_TRACE``; its Chrome trace is written
to ``<logdir>/tf_trace-<step>.json`` and its ``RunMetadata`` to the summary writer
(``run_metadata-<step>``).

Differences from TensorFlow: ``sync_optimizer`` (``SyncReplicasOptimizer``) raises
``UnsupportedError``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from scopeflow._core.name_scope import name_scope
from scopeflow.app import logging
from scopeflow.app.gfile import GFile
from scopeflow.contrib.training._training import (
    _USE_GLOBAL_STEP,
    _create_train_op,
    clip_gradient_norms,
)
from scopeflow.contrib.training._training import add_gradients_summaries as _add_summaries
from scopeflow.contrib.training._training import multiply_gradients as _multiply
from scopeflow.errors import AbortedError, OutOfRangeError, UnsupportedError
from scopeflow.graph.config import RunOptions
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.timeline import Timeline
from scopeflow.ops.constant_op import constant
from scopeflow.ops.lookup_ops import tables_initializer
from scopeflow.ops.math_ops import equal, greater_equal, mod
from scopeflow.ops.state_ops import (
    global_variables_initializer,
    group,
    local_variables_initializer,
    report_uninitialized_variables,
)
from scopeflow.summary import summary
from scopeflow.train import training_util
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.saver import Saver
from scopeflow.train.supervisor import Supervisor

__all__ = [
    "add_gradients_summaries",
    "clip_gradient_norms",
    "create_train_op",
    "multiply_gradients",
    "train",
    "train_step",
]


def multiply_gradients(grads_and_vars: Any, gradient_multipliers: Any) -> list[tuple[Any, Any]]:
    """Scale the gradients of the variables (or variable op names) in ``gradient_multipliers``.

    Raises:
        ValueError: ``grads_and_vars`` is not a list, the multipliers are empty or not a dict,
            or a multiplied gradient is None.
    """
    return _multiply(grads_and_vars, gradient_multipliers, constant_multiplier=True)


def add_gradients_summaries(grads_and_vars: Any) -> list[Any]:
    """A ``<var>/gradient`` histogram and ``<var>/gradient_norm`` scalar per gradient."""
    return _add_summaries(grads_and_vars, separator="/")


def create_train_op(
    total_loss: Any,
    optimizer: Any,
    global_step: Any = _USE_GLOBAL_STEP,
    update_ops: Any = None,
    variables_to_train: Any = None,
    clip_gradient_norm: float = 0,
    summarize_gradients: bool = False,
    gate_gradients: int = Optimizer.GATE_OP,
    aggregation_method: Any = None,
    colocate_gradients_with_ops: bool = False,
    gradient_multipliers: Any = None,
    check_numerics: bool = True,
) -> Any:
    """A tensor that applies the gradients of ``total_loss`` and evaluates to the loss."""

    def transform_grads_fn(grads: Any) -> Any:
        if gradient_multipliers:
            with name_scope("multiply_grads"):
                grads = multiply_gradients(grads, gradient_multipliers)
        if clip_gradient_norm > 0:
            with name_scope("clip_grads"):
                grads = clip_gradient_norms(grads, clip_gradient_norm)
        return grads

    return _create_train_op(
        total_loss, optimizer, global_step, update_ops, variables_to_train, transform_grads_fn,
        summarize_gradients, gate_gradients, aggregation_method, colocate_gradients_with_ops,
        check_numerics, summary_separator="_",
    )  # fmt: skip


def _wait_for_step(sess: Any, global_step: Any, step: int) -> None:
    while training_util.global_step(sess, global_step) < step:
        time.sleep(1.0)


def train_step(sess: Any, train_op: Any, global_step: Any, train_step_kwargs: Any) -> Any:
    """One gradient step; ``(total_loss, should_stop)``.

    When ``should_trace`` evaluates to True the step runs with ``FULL_TRACE``: its Chrome trace
    goes to ``<logdir>/tf_trace-<global step>.json`` and its ``RunMetadata`` to the
    ``summary_writer`` (if given) under ``run_metadata-<global step>``.

    Raises:
        ValueError: ``should_trace`` is in ``train_step_kwargs`` without ``logdir``.
    """
    start_time = time.time()
    options = run_metadata = None
    if "should_trace" in train_step_kwargs:
        if "logdir" not in train_step_kwargs:
            raise ValueError("logdir must be present in train_step_kwargs when should_trace is "
                             "present")  # fmt: skip
        if sess.run(train_step_kwargs["should_trace"]):
            from scopeflow.protos import config_pb2  # noqa: PLC0415  (loaded when tracing)

            options = RunOptions(trace_level=RunOptions.FULL_TRACE)
            run_metadata = config_pb2.RunMetadata()
    total_loss, np_global_step = sess.run([train_op, global_step], options=options,
                                          run_metadata=run_metadata)  # fmt: skip
    time_elapsed = time.time() - start_time
    if run_metadata is not None:
        trace = Timeline(run_metadata.step_stats).generate_chrome_trace_format()
        trace_filename = os.path.join(  # noqa: PTH118  (logdir may be any gfile path)
            train_step_kwargs["logdir"], f"tf_trace-{int(np_global_step)}.json"
        )
        logging.info("Writing trace to %s", trace_filename)
        with GFile(trace_filename, "w") as f:
            f.write(trace)
        if "summary_writer" in train_step_kwargs:
            train_step_kwargs["summary_writer"].add_run_metadata(
                run_metadata, f"run_metadata-{int(np_global_step)}"
            )
    if "should_log" in train_step_kwargs and sess.run(train_step_kwargs["should_log"]):
        logging.info("global step %d: loss = %.4f (%.3f sec/step)", np_global_step, total_loss,
                     time_elapsed)  # fmt: skip
    should_stop = False
    if "should_stop" in train_step_kwargs:
        should_stop = sess.run(train_step_kwargs["should_stop"])
    return total_loss, should_stop


_USE_DEFAULT = 0


def train(
    train_op: Any,
    logdir: str | None,
    train_step_fn: Any = train_step,
    train_step_kwargs: Any = _USE_DEFAULT,
    log_every_n_steps: int = 1,
    graph: Any = None,
    master: str = "",
    is_chief: bool = True,
    global_step: Any = None,
    number_of_steps: int | None = None,
    init_op: Any = _USE_DEFAULT,
    init_feed_dict: Any = None,
    local_init_op: Any = _USE_DEFAULT,
    init_fn: Any = None,
    ready_op: Any = _USE_DEFAULT,
    summary_op: Any = _USE_DEFAULT,
    save_summaries_secs: float = 600,
    summary_writer: Any = _USE_DEFAULT,
    startup_delay_steps: int = 0,
    saver: Any = None,
    save_interval_secs: float = 600,
    sync_optimizer: Any = None,
    session_config: Any = None,
    session_wrapper: Any = None,
    trace_every_n_steps: int | None = None,
    ignore_live_threads: bool = False,
) -> Any:
    """Run ``train_step_fn`` in a ``Supervisor``-managed session until it says stop.

    Returns:
        The last loss value.

    Raises:
        ValueError: as TF (no ``train_op``; ``summary_op``/``saver``/``trace_every_n_steps``
            without ``logdir``; ``number_of_steps`` not positive).
        UnsupportedError: ``sync_optimizer`` is given.
    """
    if train_op is None:
        raise ValueError("train_op cannot be None.")
    if logdir is None:
        if summary_op != _USE_DEFAULT:
            raise ValueError("Cannot provide summary_op because logdir=None")
        if saver is not None:
            raise ValueError("Cannot provide saver because logdir=None")
        if trace_every_n_steps is not None:
            raise ValueError("Cannot provide trace_every_n_steps because logdir=None")
    if sync_optimizer is not None:
        if startup_delay_steps > 0:
            raise ValueError("startup_delay_steps must be zero when sync_optimizer is supplied.")
        raise UnsupportedError("slim.learning.train(sync_optimizer=...) (SyncReplicasOptimizer)")
    if number_of_steps is not None and number_of_steps <= 0:
        raise ValueError("`number_of_steps` must be either None or a positive number.")
    graph = graph or get_default_graph()
    with graph.as_default():
        if global_step is None:
            global_step = training_util.get_or_create_global_step()
        saver = saver or Saver()
        with name_scope("init_ops"):
            if init_op == _USE_DEFAULT:
                init_op = global_variables_initializer()
            if ready_op == _USE_DEFAULT:
                ready_op = report_uninitialized_variables()
            if local_init_op == _USE_DEFAULT:
                local_init_op = group(local_variables_initializer(), tables_initializer())
        if summary_op == _USE_DEFAULT:
            summary_op = summary.merge_all()
        if summary_writer == _USE_DEFAULT:
            summary_writer = Supervisor.USE_DEFAULT
        if train_step_kwargs == _USE_DEFAULT:
            with name_scope("train_step"):
                train_step_kwargs = {}
                if number_of_steps:
                    should_stop_op = greater_equal(global_step, number_of_steps)
                else:
                    should_stop_op = constant(False)
                train_step_kwargs["should_stop"] = should_stop_op
                if log_every_n_steps > 0:
                    train_step_kwargs["should_log"] = equal(mod(global_step, log_every_n_steps), 0)
                if is_chief and trace_every_n_steps is not None:
                    train_step_kwargs["should_trace"] = equal(
                        mod(global_step, trace_every_n_steps), 0
                    )
                    train_step_kwargs["logdir"] = logdir

    sv = Supervisor(
        graph=graph, is_chief=is_chief, logdir=logdir, init_op=init_op,
        init_feed_dict=init_feed_dict, local_init_op=local_init_op,
        ready_for_local_init_op=None, ready_op=ready_op, summary_op=summary_op,
        summary_writer=summary_writer, global_step=global_step, saver=saver,
        save_summaries_secs=save_summaries_secs, save_model_secs=save_interval_secs,
        init_fn=init_fn,
    )  # fmt: skip
    if summary_writer is not None:
        train_step_kwargs["summary_writer"] = sv.summary_writer

    total_loss = None
    should_retry = True
    while should_retry:
        try:
            should_retry = False
            with sv.managed_session(master, start_standard_services=False,
                                    config=session_config) as sess:  # fmt: skip
                logging.info("Starting Session.")
                if session_wrapper is not None:
                    logging.info("Wrapping session with wrapper function: %s", session_wrapper)
                    sess = session_wrapper(sess)  # noqa: PLW2901 (TF's wrapping)
                if is_chief:
                    if logdir:
                        sv.start_standard_services(sess)
                elif startup_delay_steps > 0:
                    first_step = min(startup_delay_steps, number_of_steps or sys.maxsize)
                    _wait_for_step(sess, global_step, first_step)
                threads = sv.start_queue_runners(sess)
                logging.info("Starting Queues.")
                try:
                    while not sv.should_stop():
                        total_loss, should_stop = train_step_fn(
                            sess, train_op, global_step, train_step_kwargs
                        )
                        if should_stop:
                            logging.info("Stopping Training.")
                            sv.request_stop()
                            break
                except OutOfRangeError as e:
                    logging.info("Caught OutOfRangeError. Stopping Training. %s", e)
                if logdir and sv.is_chief:
                    logging.info("Finished training! Saving model to disk.")
                    sv.saver.save(sess, sv.save_path, global_step=sv.global_step)
                    sv.stop(threads, close_summary_writer=True,
                            ignore_live_threads=ignore_live_threads)  # fmt: skip
        except AbortedError:
            logging.info("Retrying training!")
            should_retry = True
    return total_loss
