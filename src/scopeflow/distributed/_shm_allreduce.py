"""All-reduce through shared memory for processes on one machine (gloo's TCP avoided).

On one machine gloo sends every byte of an all-reduce through the loopback TCP stack (a copy
into the kernel and one out of it per hop, plus its worker threads' wake-ups); for a 16.8 MB
gradient that costs more CPU than the copies themselves. Here the processes share one
``/dev/shm`` file mapped by every process, and do the reduce-scatter + all-gather with torch
ops on it:

1. each process copies the parts of its tensors that fall in another process's chunk
   (``1/size`` of the values each) where that process reduces them: process 0's values (process
   1's for chunk 0) straight into the chunk of a result buffer, the others' into blocks of
   their own;
2. barrier; process ``r`` reduces chunk ``r`` of its own tensors and of the values published
   for it into that chunk of the result buffer, in place (``sum`` in rank order, then the
   average's division and the post-scaling: every process ends with the same bits, as after
   gloo's ring); writing over values it has read saves fetching a line of fresh memory before
   writing it. The average of two processes' floats is one pass (``_fused_average``: the sum
   and the halving in one compiled loop, the same bits) where a C compiler is available;
3. barrier; every process's results are its views of the whole result buffer: a plan whose
   results are read only within the run (see ``_collective_ops._run_local``) keeps them as
   they are, others get one copy into a fresh tensor.

On two processes, process 1 publishes into a buffer of its own rather than into the result
buffer, and ``slot`` tells where each input would be published: a producer that computes an
input straight there (the backward of a variable's ``MatMul``, see ``_collective_ops``) saves
the copy of step 1, which sees by the data pointer that the values are in place. Process 0's
slots are the next result buffer (its values are then averaged in place), process 1's its
buffer (read by process 0 only between the barriers, so one buffer suffices); process 1 is
offered slots only for values mostly of chunk 0, the ones process 0 reads: its chunk-1 values
are read by itself alone and are cheaper to compute into fresh memory.

There are two result buffers, used in turn, so results stay valid until the next reduction
starts: a process writes into a buffer again two reductions later, after the second barrier
of the reduction in between, which no process passes before every process has reached it, and
so finished the run (one op runs once in a run) that read the results. The other blocks are
read only between the barriers of a reduction and written before the first of the next one.
Barriers are one byte written into each other process's FIFO and blocking reads from its own:
a waiting process sleeps in ``read`` (no spinning, no helper threads), which matters when the
processes share the cores they compute on.

Setup is collective (every process builds the same graph and reaches the same reduction in the
same order) and verified: rank 0 creates the file and FIFOs and writes a random token; the
others check it; if any process cannot see them (processes on different machines, no
``/dev/shm``, or too little room in it for ``size * numel`` values) every process keeps
using gloo. The directory is removed as soon as everything is open, so nothing is left behind.

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

from scopeflow.distributed import _fused_average, _process

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
        self._calls = 0
        self._counts = [0, 0]
        self._rfd = -1
        self._wfds: list[int] = []
        self.ok = False
        itemsize = torch.empty((), dtype=dtype).element_size()
        # Two result buffers of w chunks, then w * (w - 2) more blocks of one chunk each; on two
        # processes instead process 1's values, one buffer of w chunks (its ``slot``s).
        extra = w if w == 2 else w * (w - 2)
        total = 2 * w * self._chunk + extra * self._chunk
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
        c = self._chunk
        self._results = [buf[i * w * c : (i + 1) * w * c] for i in range(2)]
        self._others = [buf[(2 * w + i) * c : (2 * w + i + 1) * c] for i in range(w * (w - 2))]
        self._own = buf[2 * w * c : 2 * w * c + numel] if w == 2 else None

    def slot(self, pos: int, numel: int) -> torch.Tensor | None:
        """Where the next reduction would publish values ``pos:pos + numel`` of this process.

        On two processes a producer may compute an input of the next ``allreduce`` straight
        into this view (the gradient of a ``MatMul``, see ``_collective_ops``): the reduction
        then copies nothing of it. Process 0's slots are the next result buffer, process 1's
        a buffer of its own. The view is valid until that reduction returns, and only if
        nothing else writes into it in between (the producer's value must not be kept or read
        after the reduction). None on more processes or out of range, and on process 1 for
        values mostly of chunk 1 (those process 0 does not read: they stay where computed).
        """
        if self.info.size != 2 or not self.ok or pos < 0 or pos + numel > self.numel:
            return None
        if self.info.rank == 1 and 2 * min(numel, max(0, self._chunk - pos)) < numel:
            # Mostly values of chunk 1, which only this process reads (its own reduction reads
            # them where they are): a fresh tensor (the allocator's block that the previous
            # step's gradient freed) measured cheaper to compute into than the shared buffer,
            # 0.2-1.2 ms of CPU per step for the MLP's last three weight matrices (see
            # benchmarks/RESULTS.md, branch ``dpwall``); the two backward passes then cost the
            # same.
            return None
        if self.info.rank == 0:
            return self._results[(self._calls + 1) & 1][pos : pos + numel]
        assert self._own is not None
        return self._own[pos : pos + numel]

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

    def allreduce(self, xs: list[torch.Tensor], reduce_op: str, pre: float, post: float,
                  finish: Any, views: bool = False) -> list[torch.Tensor]:  # fmt: skip
        """The reductions of ``xs`` (``numel`` values of ``dtype`` in all) over all processes.

        ``finish(y, reduce_op, post, info)`` applies the average's division and the
        post-scaling to a reduced piece (in place when it can). With ``views`` the results are
        views of this reducer's shared result buffer, valid until this process starts its next
        reduction (see the module docstring); otherwise they are views of one fresh tensor.
        """
        w, r, c = self.info.size, self.info.rank, self._chunk
        self._calls += 1
        out = self._results[self._calls & 1]
        flats = [x.reshape(-1) for x in xs]
        # Publish what the others reduce: the parts of this process's values in their chunks.
        pos = 0
        for x in flats:
            end = pos + x.numel()
            for j in range(pos // c, -(-end // c)):
                if j == r:
                    continue
                a, b = max(pos, j * c), min(end, (j + 1) * c)
                if b <= a:
                    continue
                dst = self._block(out, j, r)[a - j * c : b - j * c]
                src = x[a - pos : b - pos]
                if pre != 1.0:
                    torch.mul(src, pre, out=dst)
                elif src.data_ptr() != dst.data_ptr():  # (equal: computed into its ``slot``)
                    dst.copy_(src)
            pos = end
        self._barrier()
        lo, hi = min(r * c, self.numel), min((r + 1) * c, self.numel)
        if hi > lo:
            combine = _COMBINE[reduce_op]
            # The average of two processes' floats in one pass over the chunk (the sum, then
            # the exact halving ``finish`` does, see ``_fused_average``) where it is compiled.
            fused = (
                w == 2
                and reduce_op == "Average"
                and pre == 1.0
                and post == 1.0
                and self.dtype in (torch.float32, torch.float64)
                and _fused_average.available()
            )
            # In rank order, into the result chunk, which holds process 0's or 1's values: the
            # first combine reads both of them before it writes.
            ins = [None if k == r else self._block(out, r, k) for k in range(w)]
            pos = 0
            for x in flats:
                end = pos + x.numel()
                a, b = max(pos, lo), min(end, hi)
                if b > a:
                    mine = x[a - pos : b - pos]
                    dst = out[a:b]
                    if w == 2 and r == 0:
                        # Process 1's values are in its own buffer; this process's are
                        # already in the result chunk where computed into their ``slot``.
                        other = ins[1][a - lo : b - lo]  # type: ignore[index]
                        if fused and (
                            _fused_average.average_into(other, dst, False)
                            if mine.data_ptr() == dst.data_ptr()
                            else _fused_average.average3_into(mine, other, dst)
                        ):
                            pos = end
                            continue
                        if pre != 1.0:
                            mine = mine * pre
                        combine(mine, other, out=dst)
                        if fused:
                            _finish_into(dst, finish, reduce_op, post, self.info)
                    # (this process's values come first in the sum on process 0)
                    elif not (fused and _fused_average.average_into(mine, dst, r == 0)):
                        if pre != 1.0:
                            mine = mine * pre
                        terms = [mine if t is None else t[a - lo : b - lo] for t in ins]
                        combine(terms[0], terms[1], out=dst)
                        for t in terms[2:]:
                            combine(dst, t, out=dst)
                        if fused:  # (not expected: a piece the loop does not take)
                            _finish_into(dst, finish, reduce_op, post, self.info)
                pos = end
            if not fused:
                # The division is a pass of its own (run block by block, while each block of
                # sums is still in the cache, it measured no faster).
                _finish_into(out[lo:hi], finish, reduce_op, post, self.info)
        self._barrier()
        flat = out[: self.numel]
        if not views:
            flat = flat.clone()
        outs = []
        pos = 0
        for x in xs:
            n = x.numel()
            outs.append(flat[pos : pos + n].view(x.shape))
            pos += n
        return outs

    def _block(self, out: torch.Tensor, j: int, k: int) -> torch.Tensor:
        """Where process ``k`` puts its values of chunk ``j`` for process ``j`` to reduce.

        Process 0's values go into chunk ``j`` of the result buffer ``out`` itself (process
        1's for chunk 0), the others' into blocks of their own.
        """
        w = self.info.size
        if w == 2 and k == 1:  # two processes: process 1's values stay in its buffer
            assert self._own is not None
            return self._own[j * self._chunk : (j + 1) * self._chunk]
        first = 1 if j == 0 else 0
        if k == first:
            return out[j * self._chunk : (j + 1) * self._chunk]
        i = sum(1 for m in range(k) if m not in (j, first))
        return self._others[j * (w - 2) + i]


def _finish_into(y: torch.Tensor, finish: Any, reduce_op: str, post: float,
                 info: _process.ProcessInfo) -> None:  # fmt: skip
    done = finish(y, reduce_op, post, info)
    if done is not y:
        y.copy_(done)


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
