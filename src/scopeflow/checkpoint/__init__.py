"""TensorFlow checkpoint ("tensor bundle", V2) reading and writing in pure Python + NumPy.

Public surface of ``scopeflow.checkpoint`` (re-exports only):

* :class:`BundleReader` / :class:`BundleWriter` — the ``.index`` + ``.data-*`` files.
* :func:`latest_checkpoint`, :func:`get_checkpoint_state`, :func:`update_checkpoint_state`,
  :func:`checkpoint_exists`, :class:`CheckpointState` — the ``checkpoint`` state file.
* The error classes, all subclasses of :class:`CheckpointError`.

Must not import: torch, tensorflow, or other scopeflow layers (NumPy, ml_dtypes, crc32c and
cramjam only).
"""

from scopeflow.checkpoint._bundle_reader import BundleReader
from scopeflow.checkpoint._bundle_writer import BundleWriter
from scopeflow.checkpoint._checkpoint_state import (
    CheckpointState,
    checkpoint_exists,
    get_checkpoint_state,
    latest_checkpoint,
    update_checkpoint_state,
)
from scopeflow.checkpoint._errors import (
    BundleWriteError,
    CheckpointError,
    CheckpointNotFoundError,
    DataLossError,
    TensorNotFoundError,
    UnsupportedCheckpointError,
)

__all__ = [
    "BundleReader",
    "BundleWriteError",
    "BundleWriter",
    "CheckpointError",
    "CheckpointNotFoundError",
    "CheckpointState",
    "DataLossError",
    "TensorNotFoundError",
    "UnsupportedCheckpointError",
    "checkpoint_exists",
    "get_checkpoint_state",
    "latest_checkpoint",
    "update_checkpoint_state",
]
