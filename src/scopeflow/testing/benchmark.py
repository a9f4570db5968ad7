"""``tf.test.Benchmark``: timing ops in TF1 benchmark classes (``run_op_benchmark``).

As TF 1.15's ``Benchmark``: ``run_op_benchmark(sess, op, ...)`` runs the op ``burn_iters``
times, then times ``min_iters`` runs and reports the median wall time (and throughput when
``mbs`` is given) through ``report_benchmark``, which logs the entry (TF writes it to a file
only when ``TEST_REPORT_FILE_PREFIX`` is set; scopeflow logs it in both cases) and returns
nothing; ``run_op_benchmark`` returns the values reported. ``tf.test.main()`` runs the test
classes; benchmark methods run when called.

Differences from TensorFlow: ``store_trace``/``store_memory_usage`` record nothing (no step
stats) and raise ``UnsupportedError`` when True.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np

from scopeflow.errors import UnsupportedError

_log = logging.getLogger("tensorflow")


class Benchmark:
    """Base class of TF1 benchmarks (``tf.test.Benchmark``)."""

    def report_benchmark(
        self,
        iters: Any = None,
        cpu_time: Any = None,
        wall_time: Any = None,
        throughput: Any = None,
        extras: Any = None,
        name: str | None = None,
        metrics: Any = None,
    ) -> None:
        """Logs one benchmark entry (name defaults to ``<Class>.<method>`` of the caller)."""
        name = name or type(self).__name__
        fields = {
            "iters": iters,
            "cpu_time": cpu_time,
            "wall_time": wall_time,
            "throughput": throughput,
            "extras": extras,
            "metrics": metrics,
        }
        shown = ", ".join(f"{k}: {v}" for k, v in fields.items() if v is not None)
        _log.info("Benchmark [%s] %s", name, shown)

    def run_op_benchmark(
        self,
        sess: Any,
        op_or_tensor: Any,
        feed_dict: Any = None,
        burn_iters: int = 2,
        min_iters: int = 10,
        store_trace: bool = False,
        store_memory_usage: bool = True,
        name: str | None = None,
        extras: Any = None,
        mbs: int = 0,
    ) -> dict[str, Any]:
        """Times ``sess.run(op_or_tensor)``: the median of ``min_iters`` runs after warm-up."""
        if store_trace:
            raise UnsupportedError("Benchmark.run_op_benchmark(store_trace=True)")
        del store_memory_usage  # TF records it only with a trace
        for _ in range(burn_iters):
            sess.run(op_or_tensor, feed_dict=feed_dict)
        deltas = []
        for _ in range(min_iters):
            start = time.time()
            sess.run(op_or_tensor, feed_dict=feed_dict)
            deltas.append(time.time() - start)
        values: dict[str, Any] = {
            "iters": min_iters,
            "wall_time": float(np.median(deltas)) if deltas else 0.0,
            "extras": dict(extras or {}),
            "name": name,
        }
        if mbs and values["wall_time"]:
            values["throughput"] = mbs / values["wall_time"]
        self.report_benchmark(**values)
        return values

    def evaluate(self, tensors: Any) -> Any:
        """The values of ``tensors`` in the default session."""
        from scopeflow.graph.session import get_default_session  # noqa: PLC0415

        sess = get_default_session()
        if sess is None:
            raise ValueError("Benchmark.evaluate needs a default session")
        return sess.run(tensors)


def benchmark_config() -> Any:
    """A ``ConfigProto`` for benchmarks (``tf.test.benchmark_config``).

    TF turns off its graph rewriter's dependency optimization, which scopeflow does not have,
    so it is a default one.
    """
    from scopeflow.graph.config import ConfigProto  # noqa: PLC0415

    return ConfigProto()


__all__ = ["Benchmark", "benchmark_config"]
