"""Variable updates written as elementwise ops run as one pass over memory (``register_pattern``).

An optimizer written in TF ops instead of a fused ``Apply*`` op (BERT's
``AdamWeightDecayOptimizer``: ``next_m = 0.9 * m + 0.1 * g``, ``next_v = ...``, ``update =
next_m / (sqrt(next_v) + eps) + decay * param``, ``param.assign(param - lr * update)``,
``m.assign(next_m)``, ``v.assign(next_v)``) costs about fifteen passes over each variable's
memory op by op, plus a copy per ``Assign``. This fusion finds such a group from its last
``Assign``: the ``Assign`` ops and the ``AddV2``/``Sub``/``Mul``/``RealDiv``/``Sqrt``/
``Square``/``Neg``/``Identity`` ops computing their values, all of one static shape and float
dtype, whose other operands are scalars (rank 0) computed elsewhere (constants, the learning
rate), and at least two of those ops. It runs them block by block (``_CHUNK`` elements at a
time, cache-sized): each block of the inputs is read once, every op's result for it is computed
by the same function the op's kernel uses (so each element gets the same bits as op by op), and
the values are written into the variables' buffers as ``Assign`` does.

Reads come before writes inside each block; a variable input that is the buffer an ``Assign``
of the group writes is read through the same elements only (checked at run time), so this
equals the op-by-op order, where the plan runs all the math before the ``Assign`` block
(``pattern_fusion`` checks that order). Any other aliasing, an unexpected layout or dtype, or
a traced (``torch.compile``) run computes the ops whole and runs the ``Assign`` kernels
themselves.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import threading
import weakref
from collections.abc import Callable
from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow.graph.op_registry import get_kernel, register_pattern
from scopeflow.graph.pattern_fusion import PatternMatch
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._op_builder import ref_variable_name
from scopeflow.ops.unary_ops import ieee_sqrt, sqrt_into

_CHUNK = 1 << 15
"""Elements per block: a few buffers of it stay in a core's L2 cache, and torch runs each op
of a block on one thread (its intra-op grain size is 32,768)."""

_MIN_SHARED_BLOCKS = 4
"""Variables of fewer blocks run on the calling thread only."""

_pool: concurrent.futures.ThreadPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()


def _helper_pool() -> concurrent.futures.ThreadPoolExecutor | None:
    """Threads sharing a large update's blocks with the caller: torch's thread count minus one."""
    global _pool, _pool_size
    n = min(torch.get_num_threads(), 8) - 1
    if n < 1:
        return None
    with _pool_lock:
        if _pool is None or _pool_size != n:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool = concurrent.futures.ThreadPoolExecutor(n, thread_name_prefix="sf-update")
            _pool_size = n
        return _pool


_FLOATS = (dtypes.float32, dtypes.float64)
_TORCH = {dtypes.float32: torch.float32, dtypes.float64: torch.float64}

# The functions of the ops' kernels (``math_ops``/``unary_ops``); each takes ``out=``.
_FUNCS: dict[str, Callable[..., Any]] = {
    "AddV2": torch.add,
    "Sub": torch.sub,
    "Mul": torch.mul,
    "RealDiv": torch.true_divide,
    "Sqrt": lambda x, out=None: sqrt_into(x, out) if out is not None else ieee_sqrt(x),
    "Square": torch.square,
    "Neg": torch.neg,
}

_consumer_maps: weakref.WeakKeyDictionary[Any, tuple[int, dict[int, list[Operation]]]] = (
    weakref.WeakKeyDictionary()
)


def _consumers(graph: Any) -> dict[int, list[Operation]]:
    """Tensor id -> the ops of ``graph`` reading it (cached until the graph grows)."""
    ops = graph._ops
    cached = _consumer_maps.get(graph)
    if cached is not None and cached[0] == len(ops):
        return cached[1]
    out: dict[int, list[Operation]] = {}
    for op in ops:
        for t in op._inputs:
            out.setdefault(id(t), []).append(op)
    _consumer_maps[graph] = (len(ops), out)
    return out


def _shape(t: Tensor) -> tuple[int, ...] | None:
    dims = t._shape.as_list() if t._shape.ndims is not None else None
    if dims is None or any(d is None for d in dims):
        return None
    return tuple(d or 0 for d in dims)


def _math_ok(op: Operation, shape: tuple[int, ...], dt: Any) -> bool:
    """Whether ``op`` is the group's elementwise math: full shape out, full or scalar in."""
    if op._type not in _FUNCS and op._type != "Identity":
        return False
    if len(op._outputs) != 1 or op._control_inputs:
        return False
    out = op._outputs[0]
    if out._dtype.base_dtype != dt or _shape(out) != shape:
        return False
    for t in op._inputs:
        if t._dtype.base_dtype != dt:
            return False
        s = _shape(t)
        if s != shape and (s != () or op._type == "Identity"):
            return False
    return True


def _assign_ok(op: Operation, shape: tuple[int, ...], dt: Any) -> bool:
    if op._type != "Assign" or op._control_inputs:
        return False
    ref, value = op._inputs
    return (
        value._dtype.base_dtype == dt
        and ref._dtype.base_dtype == dt
        and _shape(value) == shape
        and _shape(ref) == shape
    )


def _group(root: Operation) -> list[Operation] | None:
    """The ops of the update group ending at the ``Assign`` ``root``, by creation order."""
    value = root._inputs[1]
    dt = value._dtype.base_dtype
    shape = _shape(value)
    if dt not in _FLOATS or shape is None or not _assign_ok(root, shape, dt):
        return None
    readers = _consumers(root._graph)
    members = {root._id: root}
    work = [root]
    while work:  # grow: producers of the members' inputs, readers of their outputs
        op = work.pop()
        ins = op._inputs[1:] if op._type == "Assign" else op._inputs
        found = [t._op for t in ins]
        if op._type != "Assign":
            found += readers.get(id(op._outputs[0]), [])
        for p in found:
            if p._id in members:
                continue
            if _math_ok(p, shape, dt) or (p._type == "Assign" and _assign_ok(p, shape, dt)
                                          and p._inputs[1]._op._id in members):  # fmt: skip
                members[p._id] = p
                work.append(p)
    changed = True
    while changed:  # prune: math read outside the group, or feeding no assignment
        changed = False
        for op in list(members.values()):
            if op._type == "Assign":
                if op is not root and readers.get(id(op._outputs[0])):
                    del members[op._id]
                    changed = True
                continue
            got = readers.get(id(op._outputs[0]), [])
            if not got or any(c._id not in members for c in got):
                del members[op._id]
                changed = True
    group = sorted(members.values(), key=lambda o: o._id)
    assigns = [op for op in group if op._type == "Assign"]
    names = [ref_variable_name(op._inputs[0]) for op in assigns]
    if len(set(names)) != len(names):
        return None
    if sum(op._type in _FUNCS for op in group) < 2:  # one op: little to save
        return None
    return group


def _variable_of(t: Tensor) -> str | None:
    """The variable whose buffer ``t`` is, through ``Identity`` reads, or None."""
    op = t._op
    while op._type == "Identity" and op._inputs:
        op = op._inputs[0]._op
    return op._name if op._type in ("VariableV2", "Variable") else None


class _Program:
    """The group's math as instructions over slots, run block by block or whole."""

    def __init__(self, group: list[Operation], session: Any) -> None:
        root = group[-1]
        self.shape = _shape(root._inputs[1]) or ()
        self.numel = 1
        for d in self.shape:
            self.numel *= d
        self.dtype = _TORCH[root._inputs[1]._dtype.base_dtype]
        members = {op._id for op in group}
        slot: dict[int, int] = {}  # tensor id -> slot
        self.inputs: list[Tensor] = []
        self.full: list[bool] = []  # per input slot: full shape (else a scalar)
        for op in group:
            ins = op._inputs[1:] if op._type == "Assign" else op._inputs
            for t in ins:
                if t._op._id not in members and id(t) not in slot:
                    slot[id(t)] = len(self.inputs)
                    self.inputs.append(t)
                    self.full.append(_shape(t) == self.shape)
        n_in = len(self.inputs)
        self.code: list[tuple[Callable[..., Any], tuple[int, ...], int]] = []
        n = n_in
        for op in group:
            if op._type == "Identity":
                slot[id(op._outputs[0])] = slot[id(op._inputs[0])]
            elif op._type != "Assign":
                args = tuple(slot[id(t)] for t in op._inputs)
                slot[id(op._outputs[0])] = n
                self.code.append((_FUNCS[op._type], args, n))
                n += 1
        self.n_slots = n
        self.assigns = [op for op in group if op._type == "Assign"]
        self.names = [ref_variable_name(op._inputs[0]) for op in self.assigns]
        self.values = [slot[id(op._inputs[1])] for op in self.assigns]
        self.assign_kernels = [get_kernel("Assign").factory(op, session) for op in self.assigns]
        # Which inputs are (statically) the buffer of which assigned variable.
        self.aliases = {
            (i, k)
            for i, t in enumerate(self.inputs)
            for k, name in enumerate(self.names)
            if self.full[i] and _variable_of(t) == name
        }
        last_read = dict.fromkeys(range(n_in), -1)
        for pc, (_, args, _) in enumerate(self.code):
            for a in args:
                if a < n_in:
                    last_read[a] = pc
        # A value computed by instruction ``pc`` goes straight into its variable's block when
        # no later instruction reads that variable's old value; otherwise it is copied there
        # at the end of the block.
        self.direct: dict[int, int] = {}  # instruction -> assignment written directly
        writer = {out: pc for pc, (_, _, out) in enumerate(self.code)}
        for k, s in enumerate(self.values):
            at = writer.get(s)
            if at is None or at in self.direct:
                continue
            if all(last_read[i] <= at for i, kk in self.aliases if kk == k):
                self.direct[at] = k
        self.copied = [k for k in range(len(self.assigns)) if k not in self.direct.values()]
        self.session = session

    def __call__(self, *args: Any) -> Any:
        with torch.no_grad():
            dests = self._dests(args)
            if dests is None:
                return self._whole(args)
            self._blocks(args, dests)
        return dests[-1]

    def _dests(self, args: tuple[Any, ...]) -> list[Any] | None:
        """The variables' buffers when the block-wise run is safe, else None."""
        if torch.compiler.is_compiling():
            return None
        values = self.session._variables
        dests = []
        for name in self.names:
            cur = values.get(name)
            if not self._plain(cur):
                return None
            dests.append(cur)
        spans = [(d.data_ptr(), d.data_ptr() + d.numel() * d.element_size()) for d in dests]
        for i, (a, full) in enumerate(zip(args, self.full, strict=True)):
            if not full:
                if not isinstance(a, torch.Tensor) or a.dim() != 0 or a.dtype != self.dtype:
                    return None
                continue
            if not self._plain(a):
                return None
            lo, hi = a.data_ptr(), a.data_ptr() + a.numel() * a.element_size()
            for k, (dlo, dhi) in enumerate(spans):
                if lo < dhi and dlo < hi and not (lo == dlo and (i, k) in self.aliases):
                    return None
        for k, (lo, hi) in enumerate(spans):
            if any(lo < dhi and dlo < hi for dlo, dhi in spans[k + 1 :]):
                return None
        return dests

    def _plain(self, t: Any) -> bool:
        return (
            isinstance(t, torch.Tensor)
            and t.dtype == self.dtype
            and tuple(t.shape) == self.shape
            and t.is_contiguous()
        )

    def _blocks(self, args: tuple[Any, ...], dests: list[Any]) -> None:
        """Runs the blocks on this thread and, for several blocks, on helper threads too.

        The threads take block numbers from one counter (each block is one thread's), so a
        helper the OS does not schedule soon only leaves its blocks to the others: the caller
        waits at most for a block in progress, not for a share fixed in advance.
        """
        flat_in = [a.view(-1) if full else a for a, full in zip(args, self.full, strict=True)]
        flat_dest = [d.view(-1) for d in dests]
        size = min(_CHUNK, self.numel)
        n_blocks = -(-self.numel // size)
        blocks = itertools.count()
        helpers = []
        if n_blocks >= _MIN_SHARED_BLOCKS:
            pool = _helper_pool()
            if pool is not None:
                helpers = [
                    pool.submit(self._run_blocks, blocks, n_blocks, size, flat_in, flat_dest)
                    for _ in range(_pool_size)
                ]
        self._run_blocks(blocks, n_blocks, size, flat_in, flat_dest)
        for h in helpers:
            h.result()
        for d in dests:
            torch.autograd.graph.increment_version(d)

    def _run_blocks(self, blocks: Any, n_blocks: int, size: int, flat_in: list[Any],
                    flat_dest: list[Any]) -> None:  # fmt: skip
        n_in = len(flat_in)
        bufs = [torch.empty(size, dtype=self.dtype) for _ in range(self.n_slots - n_in)]
        regs: list[Any] = [None] * self.n_slots
        code, direct, copied, values = self.code, self.direct, self.copied, self.values
        full, numel = self.full, self.numel
        with torch.no_grad():  # grad mode is per thread
            for b in blocks:
                if b >= n_blocks:
                    return
                lo = b * size
                hi = min(lo + size, numel)
                for i, a in enumerate(flat_in):
                    regs[i] = a[lo:hi] if full[i] else a
                k = hi - lo
                for pc, (fn, ins, out) in enumerate(code):
                    kk = direct.get(pc)
                    dst = flat_dest[kk][lo:hi] if kk is not None else bufs[out - n_in][:k]
                    fn(*(regs[a] for a in ins), out=dst)
                    regs[out] = dst
                for kk in copied:
                    flat_dest[kk][lo:hi].copy_(regs[values[kk]])

    def _whole(self, args: tuple[Any, ...]) -> Any:
        """Op by op on whole tensors, then the ``Assign`` kernels themselves."""
        regs: list[Any] = [*args, *([None] * (self.n_slots - len(args)))]
        for fn, ins, out in self.code:
            regs[out] = fn(*(regs[a] for a in ins))
        result = None
        for kernel, s in zip(self.assign_kernels, self.values, strict=True):
            result = kernel(None, regs[s])
        return result


@register_pattern("Assign")
def _update_pattern(root: Operation, session: Any) -> PatternMatch | None:
    """An update group ending at ``root`` (see the module doc), run as one ``_Program``."""
    group = _group(root)
    if group is None or group[-1] is not root:
        return None
    program = _Program(group, session)
    absorbed = tuple(op for op in group if op is not root)
    return PatternMatch(absorbed, tuple(program.inputs), (), program, stateful=True)


__all__: list[str] = []
