"""``ConfigProto``, ``GPUOptions``, ``RunOptions``: accepted and stored.

TF1 programs build these to configure sessions (``config.gpu_options.allow_growth = True``). Most
fields have nothing to configure in an in-process PyTorch session and are kept for inspection
only. Used: ``graph_options.optimizer_options.global_jit_level`` (``jit_enabled``), the thread
counts ``intra_op_parallelism_threads`` / ``inter_op_parallelism_threads``
(``apply_thread_config``), and the placement fields ``device_count``, ``allow_soft_placement``,
``log_device_placement``, ``gpu_options.visible_device_list`` and
``gpu_options.per_process_gpu_memory_fraction`` (``devices.Placer``).

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

import contextlib
from typing import Any


class _Options:
    """A protobuf-like message: keyword fields, attribute access, nested messages by default."""

    _nested: dict[str, type[_Options]] = {}

    def __init__(self, **kwargs: Any) -> None:
        for name, cls in self._nested.items():
            object.__setattr__(self, name, cls())
        for k, v in kwargs.items():
            setattr(self, k, v)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return None

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({fields})"


class GPUOptions(_Options):
    """GPU options (``allow_growth``, ``per_process_gpu_memory_fraction``, ...).

    ``per_process_gpu_memory_fraction`` and ``visible_device_list`` (its length limits the GPUs
    used) are applied when CUDA is present; the rest is stored only (torch's caching allocator
    always grows on demand).
    """


class OptimizerOptions(_Options):
    """Graph optimizer options.

    ``global_jit_level`` is TF1's XLA JIT switch; in scopeflow ``ON_1``/``ON_2`` compile each
    cached ``Session.run`` plan with ``torch.compile``.
    """

    DEFAULT = 0
    OFF = -1
    ON_1 = 1
    ON_2 = 2
    L1 = 0
    L0 = -1


class GraphOptions(_Options):
    """Graph options: ``optimizer_options`` (see ``OptimizerOptions``); the rest is stored."""

    _nested = {"optimizer_options": OptimizerOptions}


class ConfigProto(_Options):
    """Session configuration (``tf.ConfigProto``).

    ``intra_op_parallelism_threads`` sets torch's intra-op thread count for the process, as TF's
    process-wide thread pool is sized by the first session created (see
    ``apply_thread_config``); ``graph_options.optimizer_options.global_jit_level`` compiles
    plans; ``device_count``, ``allow_soft_placement`` and ``log_device_placement`` govern
    placement (``scopeflow.graph.devices``). Other fields are stored only.

    >>> import scopeflow.compat.v1 as tf
    >>> config = tf.ConfigProto(allow_soft_placement=True)
    >>> config.gpu_options.allow_growth = True
    >>> config.gpu_options.allow_growth
    True
    """

    _nested = {"gpu_options": GPUOptions, "graph_options": GraphOptions}


class RunOptions(_Options):
    """Per-run options: ``trace_level`` (see ``Session.run``), the rest stored only.

    A run with ``trace_level`` above ``NO_TRACE`` and a ``run_metadata`` (``tf.RunMetadata``,
    TF's protobuf message) records per-op step stats into it (``scopeflow.graph.step_stats``);
    ``output_partition_graphs`` adds the ``GraphDef`` of the executed ops.
    """

    NO_TRACE = 0
    SOFTWARE_TRACE = 1
    HARDWARE_TRACE = 2
    FULL_TRACE = 3


def jit_enabled(config: Any) -> bool:
    """Whether a session config asks for JIT compilation (TF1's ``global_jit_level``)."""
    if config is None:
        return False
    graph_options = getattr(config, "graph_options", None)
    opts = getattr(graph_options, "optimizer_options", None)
    level = getattr(opts, "global_jit_level", None)
    return level in (OptimizerOptions.ON_1, OptimizerOptions.ON_2)


_threads_applied = False
_inter_op_threads = 0  # the first session's ``inter_op_parallelism_threads`` (0: unset)


def apply_thread_config(config: Any) -> None:
    """Sizes torch's thread pools from the first session's ``ConfigProto``, once per process.

    TF sizes its process-wide intra-op pool from the first ``DirectSession`` created
    (``intra_op_parallelism_threads``; 0 means one thread per core) and ignores the value in later
    sessions; scopeflow does the same with ``torch.set_num_threads``. A value of 0, or no config,
    leaves torch's own count (``OMP_NUM_THREADS`` or ``torch.set_num_threads`` by the user).
    ``inter_op_parallelism_threads`` sizes torch's inter-op pool when torch still allows it (only
    before its first use), and a value of 1 makes plans run their ops one at a time, as TF's
    executor does with one inter-op thread (``inter_op_threads``; plans otherwise run
    independent branches side by side, see ``interop``).
    """
    global _threads_applied, _inter_op_threads
    if _threads_applied:
        return
    _threads_applied = True
    intra = int(getattr(config, "intra_op_parallelism_threads", None) or 0)
    inter = int(getattr(config, "inter_op_parallelism_threads", None) or 0)
    _inter_op_threads = inter
    if intra <= 0 and inter <= 0:
        return
    import torch  # noqa: PLC0415  (config objects are built without torch)

    if intra > 0 and torch.get_num_threads() != intra:
        torch.set_num_threads(intra)
    if inter > 0 and torch.get_num_interop_threads() != inter:
        # Fails once torch's inter-op pool has started: its size is then fixed.
        with contextlib.suppress(RuntimeError):
            torch.set_num_interop_threads(inter)


def inter_op_threads() -> int:
    """The ``inter_op_parallelism_threads`` of the process's first session (0: unset)."""
    return _inter_op_threads


__all__ = [
    "ConfigProto",
    "GPUOptions",
    "GraphOptions",
    "OptimizerOptions",
    "RunOptions",
    "apply_thread_config",
    "inter_op_threads",
    "jit_enabled",
]
