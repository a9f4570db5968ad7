"""The process group data-parallel training runs on: ``torch.distributed`` set up once.

``init`` joins the group ``torchrun`` describes in the environment (``RANK``, ``WORLD_SIZE``,
``LOCAL_RANK``, ``LOCAL_WORLD_SIZE``, ``MASTER_ADDR``/``MASTER_PORT``), or uses a group the
program already initialized; without either, the process is a group of one (rank 0 of 1), as a
Horovod program started without ``horovodrun`` is. Gloo carries CPU tensors and NCCL CUDA
tensors when CUDA is present.

Must not import ``scopeflow.compat``, ``scopeflow.cli`` or ``scopeflow.run``.
"""

from __future__ import annotations

import atexit
import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class ProcessInfo:
    """Where this process sits in the data-parallel group."""

    rank: int
    size: int
    local_rank: int
    local_size: int

    @property
    def distributed(self) -> bool:
        """Whether collectives talk to other processes (more than one process)."""
        return self.size > 1


_info: ProcessInfo | None = None
_owns_group = False


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def init() -> ProcessInfo:
    """Joins the process group (once; later calls return the same ``ProcessInfo``)."""
    global _info, _owns_group
    if _info is not None:
        return _info
    if dist.is_available() and dist.is_initialized():
        rank, size = dist.get_rank(), dist.get_world_size()
    else:
        size = _env_int("WORLD_SIZE", 1)
        rank = _env_int("RANK", 0)
        if size > 1:
            if not dist.is_available():
                raise RuntimeError("torch.distributed is not available in this torch build.")
            backend = "cpu:gloo,cuda:nccl" if torch.cuda.is_available() else "gloo"
            dist.init_process_group(backend=backend, init_method="env://")
            _owns_group = True
            # A group still alive when the interpreter exits aborts the process in gloo's
            # destructor; leave it cleanly first.
            atexit.register(shutdown)
    local_rank = _env_int("LOCAL_RANK", rank if size > 1 else 0)
    local_size = _env_int("LOCAL_WORLD_SIZE", size)
    _info = ProcessInfo(rank, size, local_rank, local_size)
    return _info


def info() -> ProcessInfo | None:
    """The ``ProcessInfo`` after ``init``, else None."""
    return _info


def shutdown() -> None:
    """Leaves the process group (destroying it if ``init`` created it)."""
    global _info, _owns_group
    if _owns_group and dist.is_initialized():
        dist.destroy_process_group()
    _owns_group = False
    _info = None


__all__ = ["ProcessInfo", "info", "init", "shutdown"]
