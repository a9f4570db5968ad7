"""``ConfigProto``, ``GPUOptions``, ``RunOptions``, ``RunMetadata``: accepted and stored.

TF1 programs build these to configure sessions (``config.gpu_options.allow_growth = True``). An
in-process PyTorch session has nothing to configure, so the fields are kept for inspection only.

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

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
    """GPU options (``allow_growth``, ``per_process_gpu_memory_fraction``, ...): stored only."""


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
    """Session configuration (``tf.ConfigProto``): stored only.

    >>> import scopeflow.compat.v1 as tf
    >>> config = tf.ConfigProto(allow_soft_placement=True)
    >>> config.gpu_options.allow_growth = True
    >>> config.gpu_options.allow_growth
    True
    """

    _nested = {"gpu_options": GPUOptions, "graph_options": GraphOptions}


class RunOptions(_Options):
    """Per-run options (``trace_level``...): accepted, stored only."""

    NO_TRACE = 0
    SOFTWARE_TRACE = 1
    HARDWARE_TRACE = 2
    FULL_TRACE = 3


class RunMetadata(_Options):
    """Per-run metadata output: accepted, left empty."""


def jit_enabled(config: Any) -> bool:
    """Whether a session config asks for JIT compilation (TF1's ``global_jit_level``)."""
    if config is None:
        return False
    graph_options = getattr(config, "graph_options", None)
    opts = getattr(graph_options, "optimizer_options", None)
    level = getattr(opts, "global_jit_level", None)
    return level in (OptimizerOptions.ON_1, OptimizerOptions.ON_2)


__all__ = [
    "ConfigProto",
    "GPUOptions",
    "GraphOptions",
    "OptimizerOptions",
    "RunMetadata",
    "RunOptions",
    "jit_enabled",
]
