# ruff: noqa: PTH207 (glob patterns on prefixes)
"""``tf.train`` checkpoint-file management: state file, existence, removal, mtimes.

Responsibility: TF's ``checkpoint_management`` functions over :mod:`scopeflow.checkpoint`
(which reads and atomically writes the ``checkpoint`` state file). Differences from TF come
from that layer: moved checkpoints with absolute paths are still found, and a malformed state
file raises instead of being logged and ignored.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import contextlib
import glob
import os
from collections.abc import Sequence
from pathlib import Path

from scopeflow.checkpoint import CheckpointState, update_checkpoint_state
from scopeflow.checkpoint import checkpoint_exists as _exists
from scopeflow.checkpoint import get_checkpoint_state as _get_state
from scopeflow.checkpoint import latest_checkpoint as _latest
from scopeflow.errors import UnsupportedError

__all__ = [
    "CheckpointState",
    "checkpoint_exists",
    "get_checkpoint_mtimes",
    "get_checkpoint_state",
    "latest_checkpoint",
    "meta_graph_filename",
    "remove_checkpoint",
    "update_checkpoint_state",
]

V1 = 1
V2 = 2


def latest_checkpoint(checkpoint_dir: str, latest_filename: str | None = None) -> str | None:
    """Prefix of the latest checkpoint recorded in ``checkpoint_dir``, or ``None``."""
    return _latest(checkpoint_dir, latest_filename)


def get_checkpoint_state(
    checkpoint_dir: str, latest_filename: str | None = None
) -> CheckpointState | None:
    """The parsed ``checkpoint`` state file of ``checkpoint_dir``, or ``None``."""
    return _get_state(checkpoint_dir, latest_filename)


def checkpoint_exists(checkpoint_prefix: str) -> bool:
    """Whether a V2 checkpoint (``<prefix>.index``) exists."""
    return _exists(os.fspath(checkpoint_prefix))


def meta_graph_filename(checkpoint_filename: str, meta_graph_suffix: str = "meta") -> str:
    """``model.ckpt-123`` → ``model.ckpt-123.meta`` (TF strips a ``-?????-of-?????`` suffix).

    >>> meta_graph_filename("/d/model.ckpt-123")
    '/d/model.ckpt-123.meta'
    """
    import re  # noqa: PLC0415

    basename = re.sub(r"-[\d\?]+-of-\d+$", "", checkpoint_filename)
    return f"{basename}.{meta_graph_suffix}"


def remove_checkpoint(
    checkpoint_prefix: str, checkpoint_format_version: int = V2, meta_graph_suffix: str = "meta"
) -> None:
    """Delete ``<prefix>.index``, its data files and ``<prefix>.<meta_graph_suffix>``.

    Raises:
        UnsupportedError: For ``checkpoint_format_version`` V1.
    """
    if checkpoint_format_version != V2:
        raise UnsupportedError("V1 checkpoints (SaverDef.V1)", "Only V2 checkpoints exist here.")
    paths = [
        f"{checkpoint_prefix}.index",
        meta_graph_filename(checkpoint_prefix, meta_graph_suffix),
    ]
    paths += glob.glob(glob.escape(checkpoint_prefix) + ".data-?????-of-?????")
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            Path(path).unlink()


def get_checkpoint_mtimes(checkpoint_prefixes: Sequence[str]) -> list[float]:
    """Modification times of the ``.index`` files of the prefixes that exist."""
    mtimes = []
    for prefix in checkpoint_prefixes:
        try:
            mtimes.append(Path(f"{prefix}.index").stat().st_mtime)
        except OSError:
            continue
    return mtimes
