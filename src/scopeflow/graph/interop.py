"""Inter-op parallelism for no-grad plans: independent branches side by side on a thread pool.

TF's executor runs every op whose inputs are ready on its inter-op pool, so the four towers of
an inception module run at the same time, each kernel on part of the cores. A plan is one
straight-line function whose torch kernels each split over all intra-op threads; at batch 1 a
convolution of a 35x35 or 17x17 map keeps two cores busy only part of the time, and the Python
between two kernels runs while the other OpenMP thread waits. So a no-grad plan runs the
independent branches of a *fork-join region* concurrently:

* ``layout`` cuts the plan's steps (after fusion) into a prologue of source steps (variable
  reads, constants and views of them, moved first) and a sequence of steps and regions. A
  *clean cut* is a point of the remaining order that only the outputs of the step just before
  it cross; between two clean cuts, the steps before the last one fall into connected
  components (the towers; the last step, e.g. the module's ``ConcatV2``, joins them). Two or
  more components with enough work make a region.
* Only steps whose kernels are declared thread-invariant (``declare_thread_invariant``: the
  same bits at any intra-op thread count, no state) go into a region, and only in plans with no
  stateful op other than such declared ones (variable reads), so results are bit for bit the
  serial plan's, whichever thread runs a branch.
* ``run_region`` hands the branches, largest estimated work first, to a process-wide pool of
  worker threads (one per intra-op thread, each running its kernels on one OpenMP thread; torch
  kernels release the GIL) and waits for all of them. The calling thread only waits, so the
  cores are not oversubscribed. A branch that raises is reported as the failing op of the
  serial order (``rank``): its exception is re-raised with the branch's traceback, which
  ``Plan.failing_op`` maps to the op.

The pool is created on first use, sized by ``torch.get_num_threads()`` (at one thread, branches
run in the calling thread), rebuilt if that count changes, and dropped in a forked child (its
threads do not exist there). A fed tensor read by several steps is a fork too (its readers'
span has no clean cut). Plans stay serial when the process's first session asked for one
inter-op thread (``config.inter_op_threads``), as TF's executor then runs one op at a time.

``run_pair`` hands two tasks to the two workers of a two-thread process (``two_workers``) and
waits for both. No plan uses it by default: running a training plan's convolution backward as
input and filter gradients side by side (as TF's executor runs ``Conv2DBackpropInput`` and
``Conv2DBackpropFilter``) was measured slower on a quiet machine (benchmarks/RESULTS.md); the
tests use it to check that the workers run one thread.

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any

import torch

from scopeflow.graph.config import inter_op_threads
from scopeflow.graph.op_registry import is_thread_invariant

# A region needs this much estimated work (multiply-adds at batch 1) outside its largest
# branch: below it, handing branches to threads costs more than it saves.
MIN_PARALLEL_WORK = 1 << 20
# ... and its longest lane of one-thread branches must take at most this share of the work:
# two threads run a batch-1 convolution ~1.6x as fast as one, so a lane of 0.62 of the work
# on one thread is about the serial plan's time (resnet's projection shortcut beside its
# three-convolution residual branch is 0.78: no gain; inception's towers are 0.5-0.6).
MAX_LANE_SHARE = 0.65
_MAX_WORKERS = 8
_WORKER_PREFIX = "scopeflow-interop-"


# --- layout ---------------------------------------------------------------------------------------


class Layout:
    """A plan's steps reordered: ``prologue`` steps, then ``items``.

    An item is a step index, or a region: a list of branches, each a list of step indices in
    the plan's order, with ``order`` (the branches by decreasing estimated work) per region.
    """

    def __init__(self, prologue: list[int], items: list[Any], orders: list[list[int]]) -> None:
        self.prologue, self.items, self.orders = prologue, items, orders


def layout(steps: Sequence[Any], kept: set[int]) -> Layout | None:
    """The fork-join layout of a no-grad plan's steps, or None when it has no region.

    ``steps`` have ``op``, ``kdef``, ``inputs``, ``refs`` and ``covers`` (the ops a fused step
    stands for besides ``op``; None for a pattern-fused step); ``kept`` holds the ids of fed
    and fetched tensors.
    """
    lanes = min(torch.get_num_threads(), _MAX_WORKERS)
    if lanes < 2:
        return None
    for st in steps:
        if st.refs or (st.kdef.stateful and not _invariant(st)):
            return None
    n = len(steps)
    producer: dict[int, int] = {}
    op_pos: dict[int, int] = {}
    for i, st in enumerate(steps):
        op_pos[st.op._id] = i
        for t in st.op._outputs:
            producer[id(t)] = i
    deps: list[set[int]] = []
    for st in steps:
        d = {producer[id(t)] for t in st.inputs if id(t) in producer}
        for op in (st.op, *(st.covers or ())):
            d.update(op_pos[c._id] for c in op._control_inputs if c._id in op_pos)
        deps.append(d)
    light = [False] * n
    for i, st in enumerate(steps):
        reads_fed = any(id(t) not in producer for t in st.inputs)
        light[i] = (
            not reads_fed
            and (not st.inputs or st.kdef.aliases_input)
            and all(light[j] for j in deps[i])
        )
    heavy = [i for i in range(n) if not light[i]]
    hpos = {i: k for k, i in enumerate(heavy)}
    last = list(range(len(heavy)))  # each heavy step's last heavy consumer
    for k, i in enumerate(heavy):
        if any(id(t) in kept for t in steps[i].op._outputs):
            last[k] = len(heavy)
        for j in deps[i]:
            if j in hpos:
                last[hpos[j]] = max(last[hpos[j]], k)
    items: list[Any] = []
    orders: list[list[int]] = []
    # A fed tensor read by several steps (a fork at the feed) crosses the cuts between its
    # first and its last reader.
    fed_readers: dict[int, list[int]] = {}
    for k, i in enumerate(heavy):
        for t in steps[i].inputs:
            if id(t) not in producer:
                fed_readers.setdefault(id(t), []).append(k)
    fed_cross = [False] * len(heavy)
    for ks in fed_readers.values():
        for k in range(ks[0], ks[-1]):
            fed_cross[k] = True
    start, reach = 0, -1
    for k in range(len(heavy)):
        # The cut after step k is clean when no earlier step's output is read after it.
        clean = reach <= k and not fed_cross[k]
        reach = max(reach, last[k])
        if not clean and k + 1 < len(heavy):
            continue
        # heavy[start..k] is a segment: a region of its steps before k, then step k.
        seg = heavy[start : k + 1]
        start = k + 1
        region = _region(seg[:-1], deps, steps, lanes)
        if region is None:
            items.extend(seg)
        else:
            branches, order = region
            items.append(branches)
            orders.append(order)
            items.append(seg[-1])
    if not orders:
        return None
    return Layout([i for i in range(n) if light[i]], items, orders)


def _invariant(st: Any) -> bool:
    if st.covers is None:
        return False
    return all(is_thread_invariant(op) for op in (st.op, *st.covers))


def _region(body: list[int], deps: list[set[int]], steps: Sequence[Any], lanes: int
            ) -> tuple[list[list[int]], list[int]] | None:  # fmt: skip
    """The branches of ``body`` (its connected components) and their order, or None."""
    if len(body) < 2 or not all(_invariant(steps[i]) for i in body):
        return None
    parent = {i: i for i in body}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in body:
        for j in deps[i]:
            if j in parent:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in body:
        groups.setdefault(find(i), []).append(i)
    branches = list(groups.values())
    if len(branches) < 2:
        return None
    work = [sum(_work(steps[i]) for i in b) for b in branches]
    if sum(work) - max(work) < MIN_PARALLEL_WORK:
        return None
    order = sorted(range(len(branches)), key=lambda b: (-work[b], b))
    # The branches go to ``lanes`` one-thread workers, largest first, each to the least
    # loaded: worth it when the longest lane takes clearly less than the serial plan's
    # kernels on all threads (``MAX_LANE_SHARE`` of the work on one thread).
    loads = [0] * lanes
    for b in order:
        loads[loads.index(min(loads))] += work[b]
    if max(loads) > MAX_LANE_SHARE * sum(work):
        return None
    return branches, order


def _numel(t: Any) -> int:
    dims = t._shape._dims
    if dims is None:
        return 1
    n = 1
    for d in dims:
        n *= d.value or 1
    return n


def _work(st: Any) -> int:
    """A step's estimated multiply-adds (batch 1): output size, times a filter's window."""
    out = max((_numel(t) for t in st.op._outputs), default=1)
    if len(st.inputs) > 1:
        wdims = st.inputs[1]._shape._dims
        if wdims is not None and len(wdims) == 4 and all(d.value for d in wdims):
            window = wdims[0].value * wdims[1].value
            ops = (st.op, *(st.covers or ()))
            if not any(op._type == "DepthwiseConv2dNative" for op in ops):
                window *= wdims[2].value
            return out * window
    return out


# --- the worker pool ------------------------------------------------------------------------------


class _Pool:
    """``n`` daemon threads taking ``(fn, index, done)`` tasks; each runs one OpenMP thread."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.pid = os.getpid()
        self.tasks: queue.SimpleQueue[Any] = queue.SimpleQueue()
        ready: queue.SimpleQueue[None] = queue.SimpleQueue()
        args = (self.tasks, ready)
        names = [f"{_WORKER_PREFIX}{i}" for i in range(n)]
        self.threads = [
            threading.Thread(target=_work_loop, args=args, name=nm, daemon=True) for nm in names
        ]
        for t in self.threads:
            t.start()
        for _ in self.threads:
            ready.get()
        # A worker's ``torch.set_num_threads(1)`` also set torch's process-wide count, which
        # threads that start using torch later inherit: put the caller's back (its own OpenMP
        # count never changed; it is per thread).
        torch.set_num_threads(n)

    def close(self) -> None:
        for _ in self.threads:
            self.tasks.put(None)


def _work_loop(tasks: queue.SimpleQueue[Any], ready: queue.SimpleQueue[None]) -> None:
    # torch sets a thread's OpenMP thread count from the process-wide one the first time the
    # thread asks for it (or runs a parallel kernel): ask first, so that this thread's count
    # stays 1 after the pool's creator restores the process-wide count.
    torch.get_num_threads()
    torch.set_num_threads(1)
    ready.put(None)
    while True:
        task = tasks.get()
        if task is None:
            return
        fn, index, done = task
        try:
            with torch.no_grad():
                out = fn()
        except BaseException as e:
            done.put((index, e, True))
        else:
            done.put((index, out, False))


_pool: _Pool | None = None
_pool_lock = threading.Lock()


def _get_pool() -> _Pool | None:
    """The process's pool for the calling thread's intra-op thread count (None at one)."""
    global _pool
    n = min(torch.get_num_threads(), _MAX_WORKERS)
    if n < 2:
        return None
    pool = _pool
    if pool is not None and pool.n == n and pool.pid == os.getpid():
        return pool
    with _pool_lock:
        pool = _pool
        if pool is None or pool.n != n or pool.pid != os.getpid():
            if pool is not None and pool.pid == os.getpid():
                pool.close()
            pool = _pool = _Pool(n)
    return pool


def _forget_pool() -> None:
    """In a forked child: the parent's worker threads do not exist here."""
    global _pool, _pool_lock
    _pool = None
    _pool_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def pool_threads() -> int:
    """The number of live worker threads of this process's pool (for tests)."""
    pool = _pool
    if pool is None or pool.pid != os.getpid():
        return 0
    return sum(t.is_alive() for t in pool.threads)


def run_region(fns: Sequence[Callable[[], Any]], order: Sequence[int],
               rank: Callable[[BaseException], int]) -> list[Any]:  # fmt: skip
    """Runs the branches ``fns`` (in ``order`` of hand-out) and returns their results.

    Waits for every branch; if some raised, re-raises the exception whose failing op comes
    first in the serial plan (the smallest ``rank``).
    """
    pool = _get_pool()
    out: list[Any] = [None] * len(fns)
    failed: list[BaseException] = []
    if pool is None:
        for i in order:
            try:
                out[i] = fns[i]()
            except Exception as e:
                failed.append(e)
    else:
        done: queue.SimpleQueue[Any] = queue.SimpleQueue()
        for i in order:
            pool.tasks.put((fns[i], i, done))
        for _ in fns:
            i, value, err = done.get()
            if err:
                failed.append(value)
            else:
                out[i] = value
    if failed:
        raise min(failed, key=rank)
    return out


def two_workers() -> bool:
    """Whether ``run_pair`` may run here, on two one-thread workers.

    True when the calling thread runs torch on exactly two intra-op threads, is not itself a
    worker, and the process did not ask for one inter-op thread (``config.inter_op_threads``).
    """
    if torch.get_num_threads() != 2 or threading.current_thread().name.startswith(_WORKER_PREFIX):
        return False
    return inter_op_threads() != 1


def run_pair(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """Runs ``first`` and ``second`` side by side on the two one-thread workers; their results.

    ``two_workers()`` must hold. The calling thread only waits. If either raises, re-raises
    ``first``'s exception, else ``second``'s (the serial order's first failure), with the
    worker's traceback.
    """
    pool = _get_pool()
    assert pool is not None
    assert pool.n == 2
    done: queue.SimpleQueue[Any] = queue.SimpleQueue()
    pool.tasks.put((first, 0, done))
    pool.tasks.put((second, 1, done))
    out: list[Any] = [None, None]
    errs: list[BaseException | None] = [None, None]
    for _ in range(2):
        i, value, err = done.get()
        if err:
            errs[i] = value
        else:
            out[i] = value
    for e in errs:
        if e is not None:
            raise e
    return out[0], out[1]


__all__ = [
    "MAX_LANE_SHARE",
    "MIN_PARALLEL_WORK",
    "Layout",
    "layout",
    "pool_threads",
    "run_pair",
    "run_region",
    "two_workers",
]
