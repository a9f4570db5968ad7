"""Error classes raised by the checkpoint (tensor bundle) layer.

Responsibility: one class per failure kind, each building its message from structured fields
(file, key, reason) so the wording cannot drift between raise sites. Every class derives from
:class:`CheckpointError` *and* from the builtin exception TensorFlow's Python API raises in the
same situation, so ``except ValueError`` / ``except OSError`` keep working.

Must not import: torch, tensorflow, or any other scopeflow layer (stdlib only).
"""

from __future__ import annotations

import os

__all__ = [
    "BundleWriteError",
    "CheckpointError",
    "CheckpointNotFoundError",
    "DataLossError",
    "TensorNotFoundError",
    "UnsupportedCheckpointError",
]


def _describe(path: str | os.PathLike[str] | None, key: str | bytes | None) -> str:
    parts = []
    if path is not None:
        parts.append(f"file '{os.fspath(path)}'")
    if key is not None:
        shown = key.decode("utf-8", "backslashreplace") if isinstance(key, bytes) else key
        parts.append(f"key '{shown}'")
    return ", ".join(parts)


class CheckpointError(Exception):
    """Base class of every error the checkpoint layer raises on purpose.

    Catch this to handle any unreadable, missing or unsupported checkpoint. Subclasses also
    derive from a builtin (``ValueError``, ``OSError``, ``KeyError``).

    Attributes:
        path: The file the problem was found in, when known.
        key: The tensor name involved, when known.
        reason: What went wrong, without the file/key context.
    """

    def __init__(
        self,
        reason: str,
        *,
        path: str | os.PathLike[str] | None = None,
        key: str | bytes | None = None,
    ) -> None:
        self.reason = reason
        self.path = None if path is None else os.fspath(path)
        self.key = key
        where = _describe(path, key)
        super().__init__(f"{reason} ({where})" if where else reason)

    def __str__(self) -> str:
        return str(self.args[0])


class DataLossError(CheckpointError, ValueError):
    """The checkpoint files are corrupt or truncated.

    Raised for a bad SSTable magic number, a block or tensor checksum mismatch, a malformed
    varint/protobuf, sizes or offsets that do not fit the file, or entries whose size does not
    match shape × dtype. TensorFlow raises ``tf.errors.DataLossError`` in these cases.
    Fix: re-download or re-save the checkpoint; the files were damaged after writing.
    """


class UnsupportedCheckpointError(CheckpointError, ValueError):
    """The checkpoint is well-formed but uses a feature this reader does not implement.

    Raised for DT_VARIANT / DT_RESOURCE / TF2-only dtypes, legacy V1 checkpoints (no
    ``.index`` file), and bundles whose version requires a newer consumer.
    """


class CheckpointNotFoundError(CheckpointError, FileNotFoundError):
    """A checkpoint file (``.index`` or a ``.data-NNNNN-of-MMMMM`` shard) does not exist.

    Check the prefix: it is ``<dir>/model.ckpt``, not a file name with an extension.
    """


class TensorNotFoundError(CheckpointError, KeyError):
    """The requested tensor name is not in the checkpoint (TF: "Key ... not found").

    Use ``BundleReader.keys()`` to see the available names; names carry no ``:0`` suffix.
    """


class BundleWriteError(CheckpointError, ValueError):
    """A tensor cannot be added to a bundle being written.

    Raised for duplicate keys, slices outside the full shape, inconsistent dtype/shape between
    slices of one variable, unsupported dtypes, or use of a writer after ``finish()``.
    """
