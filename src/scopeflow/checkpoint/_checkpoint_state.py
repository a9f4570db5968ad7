# ruff: noqa: PTH117, PTH118
# (String paths are joined exactly as TF's checkpoint_management does; pathlib would normalise.)
"""The ``checkpoint`` state file: which prefix is the latest (spec §11).

Responsibility: read and atomically write the text-format ``CheckpointState`` proto, and
resolve the prefixes it records: relative paths against the state file's directory, and
absolute paths that no longer exist (a checkpoint directory copied from another machine) to
the same basename next to the state file. ``latest_checkpoint`` then answers only with a
prefix whose ``.index`` exists.

Differences from TensorFlow: TF's ``latest_checkpoint`` returns ``None`` for moved checkpoints
with absolute paths; this module finds them next to the state file. A malformed state file
raises :class:`DataLossError` (TF logs a warning and returns ``None``). ``checkpoint_exists``
recognises V2 checkpoints only (``<prefix>.index``), the only kind this package reads.

Must not import: torch, tensorflow, numpy, or other scopeflow layers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scopeflow.checkpoint._atomic import atomic_write_bytes
from scopeflow.checkpoint._errors import DataLossError
from scopeflow.checkpoint._naming import index_path
from scopeflow.checkpoint._text_format import (
    TextFormatError,
    escape_string,
    format_double,
    parse_flat_message,
)

__all__ = [
    "CheckpointState",
    "checkpoint_exists",
    "get_checkpoint_state",
    "latest_checkpoint",
    "update_checkpoint_state",
]

_DEFAULT_FILENAME = "checkpoint"


@dataclass
class CheckpointState:
    """Contents of a ``checkpoint`` state file (TF's ``CheckpointState`` proto).

    Attributes:
        model_checkpoint_path: Prefix of the latest checkpoint.
        all_model_checkpoint_paths: Kept prefixes, oldest first (includes the latest).
        all_model_checkpoint_timestamps: Save times (seconds since the epoch), if recorded.
        last_preserved_timestamp: Time of the last checkpoint kept forever, or 0.
    """

    model_checkpoint_path: str
    all_model_checkpoint_paths: list[str] = field(default_factory=list)
    all_model_checkpoint_timestamps: list[float] = field(default_factory=list)
    last_preserved_timestamp: float = 0.0


def checkpoint_exists(prefix: str | os.PathLike[str]) -> bool:
    """Whether a V2 checkpoint exists at ``prefix`` (i.e. ``<prefix>.index`` is a file).

    >>> checkpoint_exists("/nonexistent/model.ckpt")
    False
    """
    return Path(index_path(prefix)).is_file()


def _state_path(checkpoint_dir: str, latest_filename: str | None) -> str:
    return os.path.join(checkpoint_dir, latest_filename or _DEFAULT_FILENAME)


def _resolve(path: str, directory: str) -> str:
    written = path if os.path.isabs(path) else os.path.join(directory, path)
    if checkpoint_exists(written):
        return written
    moved = os.path.join(directory, re.split(r"[\\/]", path)[-1])
    return moved if checkpoint_exists(moved) else written


def _parse_double(text: bytes | str, state_file: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        raise DataLossError(
            f"invalid number {text!r} in checkpoint state", path=state_file
        ) from None


def _parse_string(value: bytes | str, state_file: str) -> str:
    if not isinstance(value, bytes):
        raise DataLossError(f"expected a quoted string, got {value}", path=state_file)
    return value.decode("utf-8", "surrogateescape")


def get_checkpoint_state(
    checkpoint_dir: str | os.PathLike[str], latest_filename: str | None = None
) -> CheckpointState | None:
    """Read ``<checkpoint_dir>/checkpoint`` with every path resolved.

    Relative paths are joined to ``checkpoint_dir``. A path (relative or absolute) whose
    checkpoint does not exist is replaced by ``checkpoint_dir/<basename>`` when that one
    exists; otherwise it is returned as written (joined if relative).

    Args:
        checkpoint_dir: Directory holding the state file.
        latest_filename: Name of the state file (TF Saver's ``latest_filename``).

    Returns:
        The state, or ``None`` if the state file does not exist.

    Raises:
        DataLossError: If the file is not valid text format or has no
            ``model_checkpoint_path`` (TF: "Invalid checkpoint state loaded from").

    >>> get_checkpoint_state("/nonexistent") is None
    True
    """
    directory = os.fspath(checkpoint_dir)
    state_file = _state_path(directory, latest_filename)
    try:
        text = Path(state_file).read_bytes().decode("utf-8", "surrogateescape")
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        fields = parse_flat_message(text)
    except TextFormatError as exc:
        raise DataLossError(f"unable to parse checkpoint state: {exc}", path=state_file) from None
    models = [_parse_string(v, state_file) for v in fields.get("model_checkpoint_path", [])]
    if not models or not models[-1]:
        raise DataLossError("Invalid checkpoint state loaded from", path=state_file)
    preserved = fields.get("last_preserved_timestamp", [])
    return CheckpointState(
        model_checkpoint_path=_resolve(models[-1], directory),
        all_model_checkpoint_paths=[
            _resolve(_parse_string(v, state_file), directory)
            for v in fields.get("all_model_checkpoint_paths", [])
        ],
        all_model_checkpoint_timestamps=[
            _parse_double(v, state_file) for v in fields.get("all_model_checkpoint_timestamps", [])
        ],
        last_preserved_timestamp=_parse_double(preserved[-1], state_file) if preserved else 0.0,
    )


def latest_checkpoint(
    checkpoint_dir: str | os.PathLike[str], latest_filename: str | None = None
) -> str | None:
    """Prefix of the latest checkpoint in ``checkpoint_dir``, or ``None``.

    Like ``tf.train.latest_checkpoint`` but also finds moved checkpoints whose state file
    records absolute paths of another machine (see :func:`get_checkpoint_state`).

    Raises:
        DataLossError: If the state file exists but is malformed.

    >>> latest_checkpoint("/nonexistent") is None
    True
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None or not checkpoint_exists(state.model_checkpoint_path):
        return None
    return state.model_checkpoint_path


def _relative_to(path: str, save_dir: str) -> str:
    return os.path.relpath(path, save_dir) if os.path.isabs(path) else path


def update_checkpoint_state(
    save_dir: str | os.PathLike[str],
    model_checkpoint_path: str,
    all_model_checkpoint_paths: Sequence[str] | None = None,
    latest_filename: str | None = None,
    all_model_checkpoint_timestamps: Sequence[float] | None = None,
    last_preserved_timestamp: float | None = None,
    *,
    save_relative_paths: bool = False,
) -> None:
    """Atomically write ``<save_dir>/checkpoint`` exactly as TF's Saver does.

    Args:
        save_dir: Directory of the state file.
        model_checkpoint_path: Latest prefix; appended to ``all_model_checkpoint_paths`` if
            it is not already its last element.
        all_model_checkpoint_paths: Kept prefixes, oldest first.
        latest_filename: State file name (default ``"checkpoint"``).
        all_model_checkpoint_timestamps: One timestamp per kept prefix, or ``None``.
        last_preserved_timestamp: Written when given.
        save_relative_paths: Store absolute paths relative to ``save_dir`` (TF Saver's
            ``save_relative_paths=True``), which keeps the directory movable.

    Raises:
        ValueError: If the timestamps do not match the paths one to one.
        RuntimeError: If the state file name equals the checkpoint path (TF's check).

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     update_checkpoint_state(d, "model.ckpt-2", ["model.ckpt-1"])
    ...     print(pathlib.Path(d, "checkpoint").read_text(), end="")
    model_checkpoint_path: "model.ckpt-2"
    all_model_checkpoint_paths: "model.ckpt-1"
    all_model_checkpoint_paths: "model.ckpt-2"
    """
    directory = os.fspath(save_dir)
    paths = list(all_model_checkpoint_paths or [])
    if not paths or paths[-1] != model_checkpoint_path:
        paths.append(model_checkpoint_path)
    stamps = list(all_model_checkpoint_timestamps or [])
    if stamps and len(stamps) != len(paths):
        raise ValueError(
            f"Checkpoint timestamps, if provided, must match checkpoint paths "
            f"({len(stamps)} != {len(paths)})"
        )
    model = model_checkpoint_path
    if save_relative_paths:
        model = _relative_to(model, directory)
        paths = [_relative_to(p, directory) for p in paths]
    if not os.path.isabs(directory):
        # TF rewrites cwd-relative paths to be relative to a relative save_dir.
        model = model if os.path.isabs(model) else os.path.relpath(model, directory)
        paths = [p if os.path.isabs(p) else os.path.relpath(p, directory) for p in paths]
    state_file = _state_path(directory, latest_filename)
    if state_file == model:
        raise RuntimeError(
            f"Save path '{model_checkpoint_path}' conflicts with path used for checkpoint "
            "state.  Please use a different save path."
        )
    lines = [f'model_checkpoint_path: "{escape_string(model)}"']
    lines += [f'all_model_checkpoint_paths: "{escape_string(p)}"' for p in paths]
    lines += [f"all_model_checkpoint_timestamps: {format_double(t)}" for t in stamps]
    if last_preserved_timestamp:
        lines.append(f"last_preserved_timestamp: {format_double(last_preserved_timestamp)}")
    atomic_write_bytes(state_file, ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape"))
