"""Collective ops: all-reduce, all-gather and broadcast across the data-parallel processes.

Each is a graph op (Horovod's op types ``HorovodAllreduce``, ``HorovodAllgather``,
``HorovodBroadcast``) whose kernel calls ``torch.distributed`` when ``Session.run`` reaches it,
so the communication happens inside the run, in plan order. Every process builds the same graph
and so runs the same collectives in the same order, which is what the backends need. In a group
of one process the kernels compute the same results without communicating.

A ``HorovodGroupedAllreduce`` (what ``DistributedOptimizer`` creates) of CPU tensors of
processes on one machine goes through shared memory (``_shm_allreduce``) instead of gloo's
loopback TCP: the same values for less CPU time. Where the plan shows that nothing can keep
its results past the run (not fetched; read by the optimizer's updates, say: ``_run_local``),
they stay views of the shared result buffer instead of being copied out.

The all-reduce is differentiable (its gradient is the all-reduce of the incoming gradient with
the same reduction, as Horovod registers); gather and broadcast are not.

Must not import ``scopeflow.compat``, ``scopeflow.cli`` or ``scopeflow.run``.
"""

from __future__ import annotations

import re
from typing import Any

import torch
import torch.distributed as dist

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.distributed import _process
from scopeflow.distributed import _shm_allreduce as _shm
from scopeflow.errors import UnsupportedError
from scopeflow.graph._torch_dtypes import torch_dtype
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import get_kernel, has_fresh_output, register_kernel
from scopeflow.graph.plan_uses import PlanUses
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import training_ops
from scopeflow.ops._op_builder import make_op

#: Reductions, by Horovod's name (``hvd.Sum`` ...) -> torch's.
REDUCE_OPS = {
    "Sum": dist.ReduceOp.SUM,
    "Average": dist.ReduceOp.SUM,  # then divided by the group size
    "Min": dist.ReduceOp.MIN,
    "Max": dist.ReduceOp.MAX,
    "Product": dist.ReduceOp.PRODUCT,
}


def normalize_name(name: str) -> str:
    """A tensor name as Horovod turns it into an op name (``a/b:0`` -> ``a_b_0``)."""
    return re.sub("[^a-zA-Z0-9_]", "_", name)


def _require_info() -> _process.ProcessInfo:
    info = _process.info()
    if info is None:
        raise ValueError("Horovod has not been initialized; use hvd.init().")
    return info


# --- all-reduce -----------------------------------------------------------------------------------


def allreduce_op(
    tensor: Any,
    reduce_op: str = "Sum",
    prescale_factor: float = 1.0,
    postscale_factor: float = 1.0,
    name: str | None = None,
) -> Tensor:
    """The ``HorovodAllreduce`` of ``tensor`` over all processes (same shape and dtype)."""
    if reduce_op not in REDUCE_OPS:
        raise UnsupportedError(f"the all-reduce operation {reduce_op!r}",
                               f"Supported: {sorted(REDUCE_OPS)}.")  # fmt: skip
    _require_info()
    t = convert_to_tensor(tensor)
    if name is None:
        name = f"HorovodAllreduce_{normalize_name(t.name)}"
    attrs = {
        "T": t._dtype.base_dtype,
        "reduce_op": reduce_op,
        "prescale_factor": float(prescale_factor),
        "postscale_factor": float(postscale_factor),
    }
    return make_op("HorovodAllreduce", [t], attrs, name, t._dtype.base_dtype, t._shape)


def _reduce(x: torch.Tensor, reduce_op: str, pre: float, post: float,
            info: _process.ProcessInfo) -> torch.Tensor:  # fmt: skip
    y = x.detach().clone(memory_format=torch.contiguous_format)
    return _reduce_inplace(y, reduce_op, pre, post, info)


def _reduce_inplace(y: torch.Tensor, reduce_op: str, pre: float, post: float,
                    info: _process.ProcessInfo) -> torch.Tensor:  # fmt: skip
    """The reduction of ``y`` (a contiguous buffer the caller owns) over all processes."""
    if pre != 1.0:
        y.mul_(pre)
    if info.distributed:
        dist.all_reduce(y, op=REDUCE_OPS[reduce_op])
    return _finish(y, reduce_op, post, info)


def _finish(y: torch.Tensor, reduce_op: str, post: float,
            info: _process.ProcessInfo) -> torch.Tensor:  # fmt: skip
    """The steps after the collective: the average's division and the post-scaling."""
    if reduce_op == "Average" and info.size > 1:
        n = info.size
        if y.is_floating_point() and n & (n - 1) == 0:
            # Scaling by a power of two is exact: the product rounds to the same bits as the
            # quotient (also when it is subnormal), and a multiply is cheaper than a divide.
            y.mul_(1.0 / n)
        elif y.is_floating_point() or y.is_complex():
            y.div_(n)
        else:
            y = torch.div(y, info.size, rounding_mode="floor")
    if post != 1.0:
        y.mul_(post)
    return y


class _AllreduceFn(torch.autograd.Function):
    """All-reduce whose backward all-reduces the gradient with the same reduction."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, reduce_op: str, pre: float, post: float,
                info: Any) -> torch.Tensor:  # fmt: skip
        ctx.args = (reduce_op, pre, post, info)
        return _reduce(x, reduce_op, pre, post, info)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> Any:
        reduce_op, pre, post, info = ctx.args
        if reduce_op not in ("Sum", "Average"):
            raise UnsupportedError(f"the gradient of an all-reduce with {reduce_op!r}")
        return _reduce(grad, reduce_op, pre, post, info), None, None, None, None


@register_kernel("HorovodAllreduce", stateful=True)
def _allreduce_kernel(op: Operation, session: Any) -> Any:
    info = _require_info()
    a = op._attrs
    reduce_op, pre, post = a["reduce_op"], a["prescale_factor"], a["postscale_factor"]

    def kernel(x: torch.Tensor) -> torch.Tensor:
        if x.requires_grad and torch.is_grad_enabled():
            return _AllreduceFn.apply(x, reduce_op, pre, post, info)  # type: ignore[no-any-return]
        return _reduce(x, reduce_op, pre, post, info)

    return kernel


def grouped_allreduce_op(
    tensors: list[Any],
    reduce_op: str = "Sum",
    prescale_factor: float = 1.0,
    postscale_factor: float = 1.0,
    name: str | None = None,
) -> list[Tensor]:
    """One ``HorovodGroupedAllreduce`` of several tensors (one message per dtype).

    The values are packed into one buffer per dtype for the all-reduce (Horovod's tensor
    fusion), which costs one collective call instead of one per tensor.
    """
    if reduce_op not in REDUCE_OPS:
        raise UnsupportedError(f"the all-reduce operation {reduce_op!r}",
                               f"Supported: {sorted(REDUCE_OPS)}.")  # fmt: skip
    _require_info()
    ts = [convert_to_tensor(t) for t in tensors]
    if not ts:
        return []
    if name is None:
        name = normalize_name(f"HorovodGroupedAllreduce_{ts[0].name}_{ts[-1].name}")
    attrs = {
        "T": tuple(t._dtype.base_dtype for t in ts),
        "reduce_op": reduce_op,
        "prescale_factor": float(prescale_factor),
        "postscale_factor": float(postscale_factor),
    }
    g = ts[0].graph
    op = g._create_op(
        "HorovodGroupedAllreduce",
        ts,
        attrs,
        name,
        [t._dtype.base_dtype for t in ts],
        [t._shape for t in ts],
    )
    # One wait per tensor: its consumer (an optimizer's update of one variable) runs as soon as
    # that tensor's reduction is done, while the later ones are still on the wire.
    return [
        make_op(
            "HorovodAllreduceWait",
            [out],
            {"T": out._dtype.base_dtype},
            f"{op.name}_wait_{i}",
            out._dtype.base_dtype,
            out._shape,
        )
        for i, out in enumerate(op._outputs)
    ]


class _Pending:
    """All-reduces a ``HorovodGroupedAllreduce`` started and its waits have not finished.

    Also holds the op's shared-memory reducers, one per dtype (None: use gloo).
    """

    def __init__(self) -> None:
        self.works: dict[int, tuple[Any, torch.Tensor]] = {}
        self.shm: dict[tuple[torch.dtype, int], _shm.ShmAllreduce | None] = {}

    def drain(self) -> None:
        """Finishes reductions a previous run started but did not wait for."""
        for work, _ in self.works.values():
            work.wait()
        self.works.clear()


def _reduce_group(xs: list[torch.Tensor], reduce_op: str, pre: float, post: float,
                  info: _process.ProcessInfo) -> list[torch.Tensor]:  # fmt: skip
    out: list[Any] = [None] * len(xs)
    by_dtype: dict[tuple[torch.dtype, torch.device], list[int]] = {}
    for i, x in enumerate(xs):
        by_dtype.setdefault((x.dtype, x.device), []).append(i)
    for idx in by_dtype.values():
        # cat copies: the packed buffer is ours to reduce in place
        flat = torch.cat([xs[i].detach().reshape(-1) for i in idx])
        flat = _reduce_inplace(flat, reduce_op, pre, post, info)
        pos = 0
        for i in idx:
            n = xs[i].numel()
            out[i] = flat[pos : pos + n].view(xs[i].shape)
            pos += n
    return out


def _shm_reduce_group(xs: list[torch.Tensor], reduce_op: str, pre: float, post: float,
                      info: _process.ProcessInfo, pending: _Pending,
                      views: list[bool] | None = None) -> list[Any]:  # fmt: skip
    """``xs`` reduced through shared memory, one reducer per dtype (gloo where unusable).

    ``views[i]``: result ``i`` may be a view of the reducer's shared result buffer (its readers
    are done with it by the next run, see ``_run_local``); others are fresh tensors.
    """
    out: list[Any] = [None] * len(xs)
    by_dtype: dict[torch.dtype, list[int]] = {}
    for i, x in enumerate(xs):
        by_dtype.setdefault(x.dtype, []).append(i)
    for dtype, idx in by_dtype.items():
        numel = sum(xs[i].numel() for i in idx)
        key = (dtype, numel)
        if key not in pending.shm:  # collective: every process gets here in the same run
            made = _shm.ShmAllreduce(info, numel, dtype) if numel else None
            pending.shm[key] = made if made is not None and made.ok else None
        reducer = pending.shm[key]
        if reducer is None:
            reduced = _reduce_group([xs[i] for i in idx], reduce_op, pre, post, info)
        else:
            local = [views is not None and views[i] for i in idx]
            reduced = reducer.allreduce(
                [xs[i] for i in idx], reduce_op, pre, post, _finish, views=any(local)
            )
            if any(local):  # one copy each for results the caller may keep
                reduced = [r if v else r.clone() for r, v in zip(reduced, local, strict=True)]
        for i, r in zip(idx, reduced, strict=True):
            out[i] = r
    return out


#: Readers that keep nothing of an input once they return (the optimizers' update ops).
_READS_ONLY = training_ops.UPDATE_OP_TYPES
#: Most ops a reader may reach before it is known to escape (a bound on the search).
_MAX_VISITS = 10_000
#: Most identities followed from a gradient's variable to the ``MatMul`` reading it.
_MAX_IDENTITIES = 8


def _run_local(t: Tensor, uses: PlanUses) -> bool:
    """Whether no reference to ``t``'s value can outlive the plan's run.

    True when neither ``t`` nor anything that may share its memory is fed or fetched, and every
    op reading any of them keeps nothing: an update op reads it and forgets it; a stateless
    op's output is new memory when its kernel declares it fresh, or a string, and is otherwise
    followed like ``t`` (it might be a view of its input), as is the all-reduce's own wait;
    anything else (a stateful op such as ``Assign``, a queue, ``py_func``) may keep it.
    """
    todo, seen = [t], {id(t)}
    while todo:
        x = todo.pop()
        if uses.kept(x):
            return False
        for op in uses.readers(x):
            if op._type in _READS_ONLY:
                continue
            if op._type != "HorovodAllreduceWait" and get_kernel(op._type).stateful:
                return False
            if len(seen) > _MAX_VISITS:
                return False
            for k, y in enumerate(op._outputs):
                if id(y) in seen or has_fresh_output(op._type, k) or y._dtype == dtypes.string:
                    continue
                seen.add(id(y))
                todo.append(y)
    return True


def _gradient_producer(t: Tensor, op: Operation, uses: PlanUses) -> Any:
    """The ``MatMul`` kernel that may compute ``t``, an input of ``op``, into shared memory.

    ``t`` must be a gradient (of a ``SymbolicGradient`` not recording a graph) that only
    ``op`` reads once, nobody feeds or fetches, of a tensor ``x`` the plan reads only as the
    right operand of one ``MatMul``, directly or through a chain of single ``Identity`` readers
    (a step whose kernel offers ``grad_into``, alone or fused into a dense layer):
    then ``t`` is exactly that ``MatMul``'s gradient for ``x``, and no other op sees its
    memory. None otherwise.
    """
    sg = t._op
    if sg._type != "SymbolicGradient" or sg._attrs["create_graph"] or uses.kept(t):
        return None
    if uses.readers(t) != [op]:
        return None
    x = sg._inputs[sg._attrs["num_ys"] + t._value_index]
    if uses.kept(x) or sum(1 for u in sg._inputs if u is x) != 1:
        return None
    readers = [r for r in uses.readers(x) if r is not sg]
    if len(uses.readers(x)) != len(readers) + 1:
        return None
    for _ in range(_MAX_IDENTITIES):  # (a variable's value is read through ``read``)
        if len(readers) != 1:
            return None
        r = readers[0]
        if r._type != "Identity":
            break
        x = r._outputs[0]
        if uses.kept(x):
            return None
        readers = uses.readers(x)
    else:
        return None
    ins = uses.inputs(r)
    if len(ins) < 2 or ins[1] is not x or sum(1 for u in ins if u is x) != 1:
        return None
    # (``grad_into`` is offered for the gradient of the step's second input: a ``MatMul``'s
    # right operand, alone or in a dense layer's fused kernel)
    return getattr(uses.kernel(r), "grad_into", None)


def _offer_slots(op: Operation, uses: PlanUses, pending: _Pending) -> None:
    """Lets the ``MatMul``s computing inputs of ``op`` write them into the shared buffer.

    Each such gradient is computed straight into its ``ShmAllreduce.slot`` (two processes),
    so the reduction copies nothing of it: its memory is overwritten by the reduction (process
    0's holds the results), which is why only gradients nothing else reads qualify
    (``_gradient_producer``). The slot is asked for when the backward pass computes the
    gradient; before the first reduction (the reducer does not exist yet), or when the shapes
    differ from the graph's, it is a fresh tensor and the reduction copies as before.
    """
    by_dtype: dict[torch.dtype, list[Tensor]] = {}
    for t in op._inputs:
        by_dtype.setdefault(torch_dtype(t._dtype.base_dtype), []).append(t)
    for dtype, ts in by_dtype.items():
        sizes = [t._shape.num_elements() if t._shape.is_fully_defined() else None for t in ts]
        if any(n is None for n in sizes):
            continue
        key = (dtype, sum(sizes))  # type: ignore[arg-type]
        pos = 0
        for t, n in zip(ts, sizes, strict=True):
            offer = _gradient_producer(t, op, uses)
            if offer is not None:
                offer(_slot_getter(pending, key, pos, n))  # type: ignore[arg-type]
            pos += n  # type: ignore[operator]


def _slot_getter(pending: _Pending, key: tuple[torch.dtype, int], pos: int, n: int) -> Any:
    def slot(shape: torch.Size) -> torch.Tensor | None:
        reducer = pending.shm.get(key)
        if reducer is None or shape.numel() != n:
            return None
        view = reducer.slot(pos, n)
        return None if view is None else view.view(shape)

    return slot


@register_kernel("HorovodGroupedAllreduce", stateful=True)
def _grouped_allreduce_kernel(op: Operation, session: Any) -> Any:
    info = _require_info()
    a = op._attrs
    reduce_op, pre, post = a["reduce_op"], a["prescale_factor"], a["postscale_factor"]
    single = len(op._inputs) == 1
    pending: _Pending = session._op_state_for(op, _Pending)
    torch_op = REDUCE_OPS[reduce_op]
    # Which results may be views of shared memory: told by the plan (``observe_plan_uses``);
    # None (all fresh tensors) in plans that do not tell.
    views: list[list[bool] | None] = [None]

    def kernel(*xs: torch.Tensor) -> Any:
        if not info.distributed and pre == post == 1.0:
            return xs[0] if single else xs  # every reduction over one process is the identity
        if any(x.requires_grad for x in xs) and torch.is_grad_enabled():
            outs = [_AllreduceFn.apply(x, reduce_op, pre, post, info) for x in xs]
        elif not info.distributed:
            outs = _reduce_group(list(xs), reduce_op, pre, post, info)
        elif _shm.usable(info, list(xs)):
            outs = _shm_reduce_group(list(xs), reduce_op, pre, post, info, pending, views[0])
        else:
            # Start every reduction now; ``HorovodAllreduceWait`` finishes each one.
            pending.drain()
            outs = []
            for x in xs:
                y = x.detach().clone(memory_format=torch.contiguous_format)
                if pre != 1.0:
                    y.mul_(pre)
                work = dist.all_reduce(y, op=torch_op, async_op=True)
                pending.works[id(y)] = (work, y)
                outs.append(y)
        return outs[0] if single else tuple(outs)

    def observe_plan_uses(op: Operation, uses: PlanUses) -> None:
        views[0] = [_run_local(t, uses) for t in op._outputs]
        if info.distributed and info.size == 2 and info.local_size == 2 and pre == 1.0:
            _offer_slots(op, uses, pending)

    kernel.observe_plan_uses = observe_plan_uses  # type: ignore[attr-defined]
    return kernel


@register_kernel("HorovodAllreduceWait", stateful=True, aliases_input=True)
def _allreduce_wait_kernel(op: Operation, session: Any) -> Any:
    info = _require_info()
    group_op = op._inputs[0]._op
    a = group_op._attrs
    reduce_op, post = a["reduce_op"], a["postscale_factor"]
    pending: _Pending = session._op_state_for(group_op, _Pending)

    def kernel(y: torch.Tensor) -> torch.Tensor:
        entry = pending.works.pop(id(y), None)
        if entry is None:  # reduced synchronously (one process, or under autograd)
            return y
        work, buf = entry
        work.wait()
        return _finish(buf, reduce_op, post, info)

    return kernel


# --- all-gather -----------------------------------------------------------------------------------


def allgather_op(tensor: Any, name: str | None = None) -> Tensor:
    """The ``HorovodAllgather`` of ``tensor``: every process's rows, concatenated in rank order.

    The first dimension may differ between processes; the others must agree.
    """
    _require_info()
    t = convert_to_tensor(tensor)
    if name is None:
        name = f"HorovodAllgather_{normalize_name(t.name)}"
    shape = t._shape
    if shape._dims is not None:
        if not shape._dims:
            raise ValueError(f"allgather needs a tensor of rank >= 1, got the scalar {t.name}")
        shape = TensorShape([None, *shape.as_list()[1:]])
    return make_op("HorovodAllgather", [t], {"T": t._dtype.base_dtype}, name,
                   t._dtype.base_dtype, shape)  # fmt: skip


@register_kernel("HorovodAllgather", stateful=True)
def _allgather_kernel(op: Operation, session: Any) -> Any:
    info = _require_info()

    def kernel(x: torch.Tensor) -> torch.Tensor:
        x = x.detach()
        if not info.distributed:
            return x.clone()
        if x.dim() == 0:
            raise ValueError("allgather needs a tensor of rank >= 1, got a scalar")
        rows = torch.tensor([x.shape[0]], dtype=torch.int64, device=x.device)
        all_rows = [torch.empty_like(rows) for _ in range(info.size)]
        dist.all_gather(all_rows, rows)
        counts = [int(r.item()) for r in all_rows]
        most = max(counts)
        padded = x.contiguous()
        if x.shape[0] < most:
            pad = x.new_zeros((most - x.shape[0], *x.shape[1:]))
            padded = torch.cat([padded, pad])
        parts = [torch.empty_like(padded) for _ in range(info.size)]
        dist.all_gather(parts, padded)
        return torch.cat([p[:n] for p, n in zip(parts, counts, strict=True)])

    return kernel


# --- broadcast ------------------------------------------------------------------------------------


def broadcast_op(tensor: Any, root_rank: int, name: str | None = None) -> Tensor:
    """The ``HorovodBroadcast`` of ``tensor``: the value of process ``root_rank`` everywhere."""
    info = _require_info()
    if not 0 <= int(root_rank) < info.size:
        raise ValueError(f"root_rank {root_rank} is not a rank of a group of size {info.size}")
    t = convert_to_tensor(tensor)
    if name is None:
        name = f"HorovodBroadcast_{normalize_name(t.name)}"
    attrs = {"T": t._dtype.base_dtype, "root_rank": int(root_rank)}
    return make_op("HorovodBroadcast", [t], attrs, name, t._dtype.base_dtype, t._shape)


@register_kernel("HorovodBroadcast", stateful=True)
def _broadcast_kernel(op: Operation, session: Any) -> Any:
    info = _require_info()
    root = op._attrs["root_rank"]

    def kernel(x: torch.Tensor) -> torch.Tensor:
        y = x.detach().clone(memory_format=torch.contiguous_format)
        if info.distributed:
            dist.broadcast(y, src=root)
        return y

    return kernel


__all__ = [
    "REDUCE_OPS",
    "allgather_op",
    "allreduce_op",
    "broadcast_op",
    "grouped_allreduce_op",
    "normalize_name",
]
