"""``tf.train.SessionManager``: create a session and initialize or restore the model in it.

TF's rules: ``prepare_session`` restores the latest checkpoint of ``checkpoint_dir`` (or
``checkpoint_filename_with_path``) when a saver is given and one exists, else runs ``init_op``
(with ``init_feed_dict``) and ``init_fn``; then runs ``local_init_op`` once
``ready_for_local_init_op`` reports nothing uninitialized, and checks ``ready_op``. A ready op
returns a 1-D string tensor of the names not yet initialized (empty means ready).
``recover_session`` only restores; ``wait_for_session`` polls until another party made the model
ready.

Differences from TensorFlow: sessions are in-process (``master`` must be ``''``), so
``wait_for_session`` can only succeed when the model needs nothing but its ``local_init_op``.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from scopeflow.app import logging
from scopeflow.errors import DeadlineExceededError, FailedPreconditionError
from scopeflow.graph.graph import Graph, get_default_graph
from scopeflow.graph.session import Session
from scopeflow.train import checkpoint_management

__all__ = ["SessionManager"]


def _maybe_name(obj: Any) -> str:
    if obj is None:
        return "None"
    if hasattr(obj, "name"):
        return str(obj.name)
    return f"<no name for {type(obj)}>"


def _restore(sess: Session, saver: Any, path: str) -> None:
    saved_model_init_ops = sess.graph.get_collection("saved_model_initializers")
    if saved_model_init_ops:
        sess.run(saved_model_init_ops)
    saver.restore(sess, path)


def _ready(op: Any, sess: Session, msg: str) -> tuple[bool, str | None]:
    """``(True, None)`` if ``op`` reports nothing uninitialized, else ``(False, reason)``."""
    if op is None:
        return True, None
    try:
        ready_value = sess.run(op)
    except FailedPreconditionError as e:
        if "uninitialized" not in str(e):
            logging.warning("%s : error [%s]", msg, str(e))
            raise
        return False, str(e)
    if ready_value is None or ready_value.dtype == np.int32 or ready_value.size == 0:
        return True, None
    names = ", ".join(i.decode("utf-8") if isinstance(i, bytes) else str(i) for i in ready_value)
    return False, "Variables not initialized: " + names


class SessionManager:
    """Creates sessions and restores or initializes the model in them (TF1's ``SessionManager``).

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.get_variable("v", initializer=3.0)
    ...     sm = tf.train.SessionManager(ready_op=tf.report_uninitialized_variables())
    ...     sess = sm.prepare_session("", init_op=tf.global_variables_initializer())
    ...     print(sess.run(v))
    3.0
    """

    def __init__(
        self,
        local_init_op: Any = None,
        ready_op: Any = None,
        ready_for_local_init_op: Any = None,
        graph: Graph | None = None,
        recovery_wait_secs: float = 30,
        local_init_run_options: Any = None,
        local_init_feed_dict: Any = None,
    ) -> None:
        if graph is None:
            graph = get_default_graph()
        self._local_init_op = local_init_op
        self._ready_op = ready_op
        self._ready_for_local_init_op = ready_for_local_init_op
        self._graph = graph
        self._recovery_wait_secs = recovery_wait_secs
        self._target: str | None = None
        self._local_init_run_options = local_init_run_options
        self._local_init_feed_dict = local_init_feed_dict
        if ready_for_local_init_op is not None and local_init_op is None:
            raise ValueError(
                "If you pass a ready_for_local_init_op you must also pass a local_init_op , "
                f"ready_for_local_init_op [{ready_for_local_init_op}]"
            )

    def _restore_checkpoint(
        self,
        master: str,
        saver: Any = None,
        checkpoint_dir: str | None = None,
        checkpoint_filename_with_path: str | None = None,
        wait_for_checkpoint: bool = False,
        max_wait_secs: float = 7200,
        config: Any = None,
    ) -> tuple[Session, bool]:
        self._target = master
        sess = Session(self._target, graph=self._graph, config=config)
        if checkpoint_dir and checkpoint_filename_with_path:
            raise ValueError(
                "Can not provide both checkpoint_dir and checkpoint_filename_with_path."
            )
        if not saver or not (checkpoint_dir or checkpoint_filename_with_path):
            return sess, False
        if checkpoint_filename_with_path:
            _restore(sess, saver, checkpoint_filename_with_path)
            return sess, True
        assert checkpoint_dir is not None
        wait_time = 0.0
        ckpt = checkpoint_management.get_checkpoint_state(checkpoint_dir)
        while not ckpt or not ckpt.model_checkpoint_path:
            if wait_for_checkpoint and wait_time < max_wait_secs:
                logging.info("Waiting for checkpoint to be available.")
                time.sleep(self._recovery_wait_secs)
                wait_time += self._recovery_wait_secs
                ckpt = checkpoint_management.get_checkpoint_state(checkpoint_dir)
            else:
                return sess, False
        _restore(sess, saver, ckpt.model_checkpoint_path)
        saver.recover_last_checkpoints(list(ckpt.all_model_checkpoint_paths))
        return sess, True

    def prepare_session(
        self,
        master: str,
        init_op: Any = None,
        saver: Any = None,
        checkpoint_dir: str | None = None,
        checkpoint_filename_with_path: str | None = None,
        wait_for_checkpoint: bool = False,
        max_wait_secs: float = 7200,
        config: Any = None,
        init_feed_dict: Any = None,
        init_fn: Callable[[Session], Any] | None = None,
    ) -> Session:
        """A session whose model is restored from a checkpoint or initialized, and ready.

        Raises:
            RuntimeError: Nothing can initialize the model, or it is not ready afterwards.
            ValueError: Both ``checkpoint_dir`` and ``checkpoint_filename_with_path`` given.
        """
        sess, is_loaded = self._restore_checkpoint(
            master,
            saver,
            checkpoint_dir=checkpoint_dir,
            checkpoint_filename_with_path=checkpoint_filename_with_path,
            wait_for_checkpoint=wait_for_checkpoint,
            max_wait_secs=max_wait_secs,
            config=config,
        )
        if not is_loaded:
            if init_op is None and not init_fn and self._local_init_op is None:
                raise RuntimeError(
                    "Model is not initialized and no init_op or init_fn or local_init_op was given"
                )
            if init_op is not None:
                sess.run(init_op, feed_dict=init_feed_dict)
            if init_fn:
                init_fn(sess)
        local_init_success, msg = self._try_run_local_init_op(sess)
        if not local_init_success:
            raise RuntimeError(
                "Init operations did not make model ready for local_init.  "
                f"Init op: {_maybe_name(init_op)}, init fn: {init_fn}, error: {msg}"
            )
        is_ready, msg = self._model_ready(sess)
        if not is_ready:
            raise RuntimeError(
                "Init operations did not make model ready.  "
                f"Init op: {_maybe_name(init_op)}, init fn: {init_fn}, "
                f"local_init_op: {self._local_init_op}, error: {msg}"
            )
        return sess

    def recover_session(
        self,
        master: str,
        saver: Any = None,
        checkpoint_dir: str | None = None,
        checkpoint_filename_with_path: str | None = None,
        wait_for_checkpoint: bool = False,
        max_wait_secs: float = 7200,
        config: Any = None,
    ) -> tuple[Session, bool]:
        """A new session and whether it was restored from a checkpoint and is ready."""
        sess, is_loaded = self._restore_checkpoint(
            master,
            saver,
            checkpoint_dir=checkpoint_dir,
            checkpoint_filename_with_path=checkpoint_filename_with_path,
            wait_for_checkpoint=wait_for_checkpoint,
            max_wait_secs=max_wait_secs,
            config=config,
        )
        local_init_success, msg = self._try_run_local_init_op(sess)
        if not is_loaded:
            return sess, False
        restoring_file = checkpoint_dir or checkpoint_filename_with_path
        if not local_init_success:
            logging.info(
                "Restoring model from %s did not make model ready for local init: %s",
                restoring_file,
                msg,
            )
            return sess, False
        is_ready, msg = self._model_ready(sess)
        if not is_ready:
            logging.info("Restoring model from %s did not make model ready: %s",
                         restoring_file, msg)  # fmt: skip
            return sess, False
        logging.info("Restored model from %s", restoring_file)
        return sess, is_loaded

    def wait_for_session(
        self, master: str, config: Any = None, max_wait_secs: float | None = float("Inf")
    ) -> Session:
        """A new session, once the model in it is ready (polled every ``recovery_wait_secs``).

        Raises:
            DeadlineExceededError: The model was not ready after ``max_wait_secs``.
        """
        self._target = master
        if max_wait_secs is None:
            max_wait_secs = float("Inf")
        start = time.time()
        while True:
            sess = Session(self._target, graph=self._graph, config=config)
            not_ready_msg = None
            local_init_success, not_ready_local_msg = self._try_run_local_init_op(sess)
            if local_init_success:
                is_ready, not_ready_msg = self._model_ready(sess)
                if is_ready:
                    return sess
            with contextlib.suppress(Exception):
                sess.close()
            remaining = max(0.0, max_wait_secs - (time.time() - start))
            if remaining - self._recovery_wait_secs < 0:
                raise DeadlineExceededError(
                    None, None, f"Session was not ready after waiting {int(max_wait_secs)} secs."
                )
            logging.info(
                "Waiting for model to be ready.  Ready_for_local_init_op:  %s, ready: %s",
                not_ready_local_msg,
                not_ready_msg,
            )
            time.sleep(self._recovery_wait_secs)

    def _model_ready(self, sess: Session) -> tuple[bool, str | None]:
        return _ready(self._ready_op, sess, "Model not ready")

    def _model_ready_for_local_init(self, sess: Session) -> tuple[bool, str | None]:
        return _ready(self._ready_for_local_init_op, sess, "Model not ready for local init")

    def _try_run_local_init_op(self, sess: Session) -> tuple[bool, str | None]:
        if self._local_init_op is None:
            return True, None
        is_ready, msg = self._model_ready_for_local_init(sess)
        if not is_ready:
            return False, msg
        logging.info("Running local_init_op.")
        sess.run(
            self._local_init_op,
            feed_dict=self._local_init_feed_dict,
            options=self._local_init_run_options,
        )
        logging.info("Done running local_init_op.")
        return True, None
