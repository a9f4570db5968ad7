"""All-reduce through shared memory for processes on one machine (gloo's TCP avoided).

On one machine gloo sends every byte of an all-reduce through the loopback TCP stack (a copy
into the kernel and one out of it per hop, plus its worker threads' wake-ups); for a 16.8 MB
gradient that costs more CPU than the copies themselves. Here the processes share one
``/dev/shm`` file mapped by every process, and do the reduce-scatter + all-gather with torch
ops on it:

1. each process copies its tensors, packed, into its input slot, except its own chunk
   (``1/size`` of the values), which nobody else reads;
2. barrier; process ``r`` reduces chunk ``r`` of the other input slots and of its own
   tensors into its output slot (``sum`` in rank order, then the average's division and the
   post-scaling: every process ends with the same bits, as after gloo's ring);
3. barrier; each process copies all output chunks into a fresh result tensor (the reduced
   tensors are views of it).

The next reduction's writes need no third barrier: a process writes its input slot again only
after the second barrier (nobody reads input slots after it), and its output slot only after
the next first barrier, which every process passes only after finishing step 3. Barriers are
one byte written into each other process's FIFO and blocking reads from its own: a waiting
process sleeps in ``read`` (no spinning, no helper threads), which matters when the processes
share the cores they compute on.

Setup is collective (every process builds the same graph and reaches the same reduction in the
same order) and verified: rank 0 creates the file and FIFOs and writes a random token; the
others check it; if any process cannot see them (processes on different machines, no
``/dev/shm``, or too little room in it for ``size * (numel + numel / size)`` values) every
process keeps using gloo. The directory is removed as soon as everything
is open, so nothing is left behind.

Must not import ``scopeflow.compat``, ``scopeflow.cli`` or ``scopeflow.run``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import select
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist

from scopeflow.distributed import _process

#: Where the shared file lives (a RAM file system on Linux).
SHM_DIR = Path("/dev/shm")
#: Seconds a barrier waits for the other processes before giving up.
BARRIER_TIMEOUT = 1800.0
_TOKEN_BYTES = 16

_COMBINE: dict[str, Any] = {
    "Sum": torch.add,
    "Average": torch.add,
    "Min": torch.minimum,
    "Max": torch.maximum,
    "Product": torch.mul,
}


def usable(info: _process.ProcessInfo, xs: list[torch.Tensor]) -> bool:
    """Whether ``xs`` can be reduced through shared memory (same machine, CPU tensors)."""
    return (
        info.distributed
        and info.local_size == info.size
        and SHM_DIR.is_dir()
        and all(x.device.type == "cpu" for x in xs)
    )


class ShmAllreduce:
    """Reduces ``numel`` values of one dtype across the processes of one machine, repeatedly.

    Construct it on every process at the same point (it synchronizes through the process
    group); ``ok`` is False on every process when shared memory is not usable by all of them.
    """

    def __init__(self, info: _process.ProcessInfo, numel: int, dtype: torch.dtype) -> None:
        self.info = info
        self.numel = numel
        self.dtype = dtype
        w, r = info.size, info.rank
        self._chunk = -(-numel // w)
        self._phase = 0
        self._counts = [0, 0]
        self._rfd = -1
        self._wfds: list[int] = []
        self.ok = False
        itemsize = torch.empty((), dtype=dtype).element_size()
        total = w * numel + w * self._chunk
        path: list[Any] = [None]
        if r == 0:
            path[0] = _create(total * itemsize + _TOKEN_BYTES, w)
        dist.broadcast_object_list(path, src=0)
        mine = False
        buf: torch.Tensor | None = None
        if path[0] is not None:
            try:
                directory, token = path[0]
                data = Path(directory) / "data"
                with data.open("rb") as f:
                    f.seek(total * itemsize)
                    mine = f.read(_TOKEN_BYTES) == token
                if mine:
                    buf = torch.from_file(str(data), shared=True, size=total, dtype=dtype)
                    self._rfd = os.open(Path(directory) / f"fifo{r}", os.O_RDWR)
            except OSError:
                mine = False
        oks: list[Any] = [None] * w
        dist.all_gather_object(oks, mine)
        if all(oks):  # the same answer on every process
            try:
                directory = path[0][0]
                self._wfds = [
                    os.open(Path(directory) / f"fifo{k}", os.O_WRONLY) for k in range(w) if k != r
                ]
            except OSError:
                mine = False
            dist.all_gather_object(oks, mine)
        dist.barrier()  # everything is open (or failed): the names can go
        if r == 0 and path[0] is not None:
            shutil.rmtree(path[0][0], ignore_errors=True)
        if not all(oks) or buf is None:
            self.close()
            return
        self.ok = True
        self._inputs = [buf[k * numel : (k + 1) * numel] for k in range(w)]
        base = w * numel
        self._outputs = [buf[base + k * self._chunk : base + (k + 1) * self._chunk]
                         for k in range(w)]  # fmt: skip

    def close(self) -> None:
        """Closes the FIFOs (the mapping goes with the tensors)."""
        for fd in [self._rfd, *self._wfds]:
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._rfd, self._wfds = -1, []

    def __del__(self) -> None:
        self.close()

    def _barrier(self) -> None:
        # Bytes carry the barrier's parity: a process can be one barrier ahead of another, and
        # its byte for the next barrier must not count for this one.
        self._phase ^= 1
        phase, need = self._phase, self.info.size - 1
        byte = bytes([phase])
        for fd in self._wfds:
            os.write(fd, byte)
        counts = self._counts
        while counts[phase] < need:
            ready, _, _ = select.select([self._rfd], [], [], BARRIER_TIMEOUT)
            if not ready:
                raise RuntimeError(
                    f"all-reduce: no answer from the other processes in {BARRIER_TIMEOUT:.0f} s"
                )
            for b in os.read(self._rfd, 64):
                counts[b] += 1
        counts[phase] -= need

    def _bounds(self, k: int) -> tuple[int, int]:
        lo = min(k * self._chunk, self.numel)
        return lo, min(lo + self._chunk, self.numel)

    def allreduce(self, xs: list[torch.Tensor], reduce_op: str, pre: float, post: float,
                  finish: Any) -> list[torch.Tensor]:  # fmt: skip
        """The reductions of ``xs`` (``numel`` values of ``dtype`` in all) over all processes.

        ``finish(y, reduce_op, post, info)`` applies the average's division and the
        post-scaling to a reduced chunk (in place when it can).
        """
        info, r = self.info, self.info.rank
        lo, hi = self._bounds(r)
        mine = self._inputs[r]
        flats = [x.reshape(-1) for x in xs]
        # Publish what the others reduce: everything but this process's own chunk, which it
        # reads from its tensors directly (unless a prescale must be applied first).
        own = lo, hi
        if pre != 1.0:
            own = lo, lo
        pos = 0
        for x in flats:
            end = pos + x.numel()
            for a, b in ((pos, min(end, own[0])), (max(pos, own[1]), end)):
                if b > a:
                    mine[a:b].copy_(x[a - pos : b - pos])
            pos = end
        if pre != 1.0:
            mine.mul_(pre)
        self._barrier()
        if hi > lo:
            out = self._outputs[r][: hi - lo]
            combine = _COMBINE[reduce_op]
            for a, b, term in self._own_chunk_terms(flats, lo, hi, pre != 1.0):
                dst = out[a - lo : b - lo]
                combine(term(0), term(1), out=dst)
                for k in range(2, info.size):
                    combine(dst, term(k), out=dst)
            done = finish(out, reduce_op, post, info)
            if done is not out:
                out.copy_(done)
        self._barrier()
        result = torch.empty(self.numel, dtype=self.dtype)
        for k in range(info.size):
            a, b = self._bounds(k)
            if b > a:
                result[a:b].copy_(self._outputs[k][: b - a])
        outs = []
        pos = 0
        for x in xs:
            n = x.numel()
            outs.append(result[pos : pos + n].view(x.shape))
            pos += n
        return outs

    def _own_chunk_terms(self, flats: list[torch.Tensor], lo: int, hi: int,
                         published: bool) -> list[tuple[int, int, Any]]:  # fmt: skip
        """Pieces ``[a, b)`` of chunk ``[lo, hi)`` with each process's term for the piece.

        ``term(k)`` is process ``k``'s values of the piece: from its input slot, or, for this
        process when it did not publish its own chunk, straight from its tensor.
        """
        r, inputs = self.info.rank, self._inputs
        pieces: list[tuple[int, int, Any]] = []
        pos = 0
        for x in flats:
            end = pos + x.numel()
            a, b = max(pos, lo), min(end, hi)
            if b > a:
                mine = inputs[r][a:b] if published else x[a - pos : b - pos]

                def term(k: int, a: int = a, b: int = b, mine: torch.Tensor = mine) -> Any:
                    return mine if k == r else inputs[k][a:b]

                pieces.append((a, b, term))
            pos = end
        return pieces


def _create(nbytes: int, size: int) -> tuple[str, bytes] | None:
    """Rank 0's part of the setup: the shared file and one FIFO a process (None on failure)."""
    try:
        directory = tempfile.mkdtemp(prefix="scopeflow-allreduce-", dir=SHM_DIR)
    except OSError:
        return None
    try:
        token = secrets.token_bytes(_TOKEN_BYTES)
        data = Path(directory) / "data"
        with data.open("wb") as f:
            # Reserve the pages now: a tmpfs too small for them (Docker's 64 MB /dev/shm) fails
            # here, falling back to gloo, instead of killing a process with SIGBUS later.
            if hasattr(os, "posix_fallocate"):
                os.posix_fallocate(f.fileno(), 0, nbytes)
            else:
                f.truncate(nbytes)
            f.seek(nbytes - _TOKEN_BYTES)
            f.write(token)
        for k in range(size):
            os.mkfifo(Path(directory) / f"fifo{k}", stat.S_IRUSR | stat.S_IWUSR)
    except OSError:
        shutil.rmtree(directory, ignore_errors=True)
        return None
    return directory, token


__all__ = ["BARRIER_TIMEOUT", "SHM_DIR", "ShmAllreduce", "usable"]
