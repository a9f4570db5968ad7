"""Horovod's TensorFlow 1 API (``import horovod.tensorflow as hvd``) on ``torch.distributed``.

Scripts written for Horovod run unchanged under ``torchrun --nproc_per_node N -m scopeflow run
train.py``: the import hook serves ``horovod.tensorflow`` from here. ``hvd.init()`` joins the
process group torchrun set up (see ``_process``); ``DistributedOptimizer`` wraps an optimizer so
that its gradients are averaged over the processes by an all-reduce op that runs inside
``Session.run``; ``broadcast_global_variables`` and ``BroadcastGlobalVariablesHook`` give every
process rank 0's initial values.

Differences from Horovod: one ``HorovodGroupedAllreduce`` op reduces all dense gradients of a
``compute_gradients`` call (Horovod creates one ``HorovodAllreduce`` per gradient and fuses them
at run time; the values are the same). There is no ``tf.cond`` on ``size() > 1``: in a group of
one the ops return their input. Process sets, Adasum, ``backward_passes_per_step > 1``,
``groups`` and the timeline are not supported (``UnsupportedError``).

Must not import ``scopeflow.compat``, ``scopeflow.cli`` or ``scopeflow.run``.
"""

from __future__ import annotations

import warnings
from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow.distributed import _collective_ops as cops
from scopeflow.distributed import _process
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.math_ops import cast, truediv
from scopeflow.ops.sparse_ops import IndexedSlices
from scopeflow.ops.state_ops import global_variables, group
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.session_run_hook import SessionRunHook

# Reduction operations (Horovod exposes them as module constants).
Sum = "Sum"
Average = "Average"
Min = "Min"
Max = "Max"
Product = "Product"
Adasum = "Adasum"


# --- process group ------------------------------------------------------------------------------


def init(comm: Any = None, process_sets: Any = None) -> None:
    """Joins the data-parallel process group (``torchrun``'s, or a group of one).

    Raises:
        UnsupportedError: ``comm`` (MPI communicators) or ``process_sets`` given.
    """
    if comm is not None:
        raise UnsupportedError("hvd.init(comm=...)", "Processes are started by torchrun.")
    if process_sets is not None:
        raise UnsupportedError("hvd.init(process_sets=...)")
    _process.init()


def shutdown() -> None:
    """Leaves the process group."""
    _process.shutdown()


def is_initialized() -> bool:
    """Whether ``init`` was called."""
    return _process.info() is not None


def _info() -> _process.ProcessInfo:
    info = _process.info()
    if info is None:
        raise ValueError("Horovod has not been initialized; use hvd.init().")
    return info


def rank() -> int:
    """This process's rank in ``[0, size())``."""
    return _info().rank


def size() -> int:
    """The number of processes."""
    return _info().size


def local_rank() -> int:
    """This process's rank among the processes of its machine."""
    return _info().local_rank


def local_size() -> int:
    """The number of processes on this machine."""
    return _info().local_size


def cross_rank() -> int:
    """The rank of this process's machine."""
    info = _info()
    return info.rank // max(info.local_size, 1)


def cross_size() -> int:
    """The number of machines."""
    info = _info()
    return max(info.size // max(info.local_size, 1), 1)


def is_homogeneous() -> bool:
    """Whether every machine runs the same number of processes."""
    info = _info()
    return info.size % max(info.local_size, 1) == 0


def mpi_threads_supported() -> bool:
    """False: there is no MPI."""
    return False


def mpi_enabled() -> bool:
    """False: there is no MPI."""
    return False


def mpi_built() -> bool:
    """False: there is no MPI."""
    return False


def gloo_enabled() -> bool:
    """True: CPU tensors travel over gloo."""
    return True


def gloo_built() -> bool:
    """True: CPU tensors travel over gloo."""
    return True


def nccl_built() -> bool:
    """Whether CUDA tensors can travel over NCCL."""
    return bool(torch.cuda.is_available() and torch.distributed.is_nccl_available())


def cuda_built() -> bool:
    """Whether torch was built with CUDA."""
    return torch.backends.cuda.is_built()


def rocm_built() -> bool:
    """Whether torch was built for ROCm."""
    return getattr(torch.version, "hip", None) is not None


def ddl_built() -> bool:
    """False: no IBM DDL."""
    return False


def ccl_built() -> bool:
    """False: no oneCCL."""
    return False


# --- compression ----------------------------------------------------------------------------------


class _NoneCompressor:
    """No compression."""

    @staticmethod
    def compress(tensor: Any) -> tuple[Any, Any]:
        return tensor, None

    @staticmethod
    def decompress(tensor: Any, ctx: Any) -> Any:
        return tensor


class _FP16Compressor:
    """Floating-point tensors travel as float16 and come back in their dtype."""

    @staticmethod
    def compress(tensor: Any) -> tuple[Any, Any]:
        t = convert_to_tensor(tensor)
        dt = t.dtype.base_dtype
        if dt.is_floating:
            return cast(t, dtypes.float16), dt
        return t, dt

    @staticmethod
    def decompress(tensor: Any, ctx: Any) -> Any:
        if ctx is not None and ctx.is_floating:
            return cast(tensor, ctx)
        return tensor


class Compression:
    """Gradient compression choices (``hvd.Compression.none`` / ``.fp16``)."""

    none = _NoneCompressor
    fp16 = _FP16Compressor


# --- collectives ----------------------------------------------------------------------------------


def _resolve_op(op: Any, average: Any) -> str:
    if op is not None and average is not None:
        raise ValueError("The op parameter supersedes average. Please provide only one of them.")
    if average is not None:
        warnings.warn(
            "Parameter `average` has been replaced with `op` and will be removed in v1.0",
            DeprecationWarning,
            stacklevel=3,
        )
        op = Average if average else Sum
    if op is None:
        op = Average
    if op == Adasum:
        raise UnsupportedError("the Adasum reduction")
    return str(op)


def allreduce(
    tensor: Any,
    average: Any = None,
    device_dense: str = "",
    device_sparse: str = "",
    compression: Any = Compression.none,
    op: Any = None,
    prescale_factor: float = 1.0,
    postscale_factor: float = 1.0,
    name: str | None = None,
) -> Any:
    """The reduction (default: average) of ``tensor`` over all processes.

    An ``IndexedSlices`` is all-gathered instead (values and indices), its values divided by
    ``size()`` for an average, as Horovod does.
    """
    reduce_op = _resolve_op(op, average)
    if isinstance(tensor, IndexedSlices):
        if reduce_op not in (Sum, Average):
            raise NotImplementedError(
                "Only Sum and Average ops are supported with tf.IndexedSlices"
            )
        if prescale_factor != 1.0 or postscale_factor != 1.0:
            raise NotImplementedError(
                "Pre/postscale_factor are not supported with tf.IndexedSlices"
            )
        values = cops.allgather_op(tensor.values)
        indices = cops.allgather_op(tensor.indices)
        if reduce_op == Average:
            n = convert_to_tensor(size(), dtype=values.dtype.base_dtype)
            values = truediv(values, n)
        return IndexedSlices(values, indices, dense_shape=tensor.dense_shape)
    compressed, ctx = compression.compress(tensor)
    reduced = cops.allreduce_op(compressed, reduce_op, prescale_factor, postscale_factor, name)
    return compression.decompress(reduced, ctx)


def grouped_allreduce(
    tensors: list[Any],
    average: Any = None,
    device_dense: str = "",
    device_sparse: str = "",
    compression: Any = Compression.none,
    op: Any = None,
    prescale_factor: float = 1.0,
    postscale_factor: float = 1.0,
    name: str | None = None,
) -> list[Any]:
    """``allreduce`` of a list of tensors in one collective (``IndexedSlices`` are gathered)."""
    reduce_op = _resolve_op(op, average)
    out: list[Any] = list(tensors)
    dense = [i for i, t in enumerate(tensors) if not isinstance(t, IndexedSlices)]
    for i, t in enumerate(tensors):
        if isinstance(t, IndexedSlices):
            out[i] = allreduce(t, op=reduce_op)
    if dense:
        packed = [compression.compress(tensors[i]) for i in dense]
        reduced = cops.grouped_allreduce_op(
            [c for c, _ in packed], reduce_op, prescale_factor, postscale_factor, name
        )
        for i, r, (_, ctx) in zip(dense, reduced, packed, strict=True):
            out[i] = compression.decompress(r, ctx)
    return out


def allgather(tensor: Any, name: str | None = None) -> Any:
    """Every process's ``tensor`` concatenated along dimension 0, in rank order."""
    return cops.allgather_op(tensor, name)


def broadcast(tensor: Any, root_rank: int, name: str | None = None) -> Any:
    """Process ``root_rank``'s value of ``tensor``, on every process."""
    return cops.broadcast_op(tensor, root_rank, name)


def broadcast_variables(variables: Any, root_rank: int) -> Any:
    """An op assigning each variable process ``root_rank``'s value."""
    return group(*[v.assign(broadcast(v, root_rank)) for v in variables])


def broadcast_global_variables(root_rank: int) -> Any:
    """An op giving every global variable process ``root_rank``'s value (run it after init)."""
    return broadcast_variables(global_variables(), root_rank)


class BroadcastGlobalVariablesHook(SessionRunHook):
    """A session hook that broadcasts the global variables from ``root_rank`` once.

    ``begin`` builds the broadcast op; ``after_create_session`` runs it, after the variables
    were initialized or restored.
    """

    def __init__(self, root_rank: int, device: str = "") -> None:
        self.root_rank = root_rank
        self.bcast_op: Any = None
        self.device = device

    def begin(self) -> None:
        """Builds the broadcast op in the default graph (once per graph)."""
        if not self.bcast_op or self.bcast_op.graph is not get_default_graph():
            self.bcast_op = broadcast_global_variables(self.root_rank)

    def after_create_session(self, session: Any, coord: Any) -> None:
        """Runs the broadcast."""
        session.run(self.bcast_op)


# --- the optimizer ------------------------------------------------------------------------------


class _DistributedOptimizer(Optimizer):
    """Wraps an optimizer: gradients are all-reduced before they are applied."""

    def __init__(
        self,
        optimizer: Optimizer,
        name: str | None,
        use_locking: bool,
        compression: Any,
        sparse_as_dense: bool,
        op: str,
        gradient_predivide_factor: float,
    ) -> None:
        if name is None:
            name = f"Distributed{type(optimizer).__name__}"
        super().__init__(use_locking=use_locking, name=name)
        self._optimizer = optimizer
        self._compression = compression
        self._sparse_as_dense = sparse_as_dense
        self._op = op
        if op == Average:
            self._prescale, self._postscale = (
                1.0 / gradient_predivide_factor,
                (gradient_predivide_factor),
            )
        else:
            self._prescale = self._postscale = 1.0
        self._local_vars: set[int] = set()

    def register_local_var(self, var: Any) -> None:
        """Keeps ``var``'s gradient local (not reduced; divided by ``size()``)."""
        self._local_vars.add(id(var))

    def _allreduce_grads(self, grads: list[Any]) -> list[Any]:
        with name_scope(self._name + "_Allreduce"):
            if self._sparse_as_dense:
                grads = [convert_to_tensor(g) if isinstance(g, IndexedSlices) else g for g in grads]
            present = [i for i, g in enumerate(grads) if g is not None]
            reduced = grouped_allreduce(
                [grads[i] for i in present],
                compression=self._compression,
                op=self._op,
                prescale_factor=self._prescale,
                postscale_factor=self._postscale,
            )
            out = list(grads)
            for i, r in zip(present, reduced, strict=True):
                out[i] = r
            return out

    def compute_gradients(self, *args: Any, **kwargs: Any) -> list[tuple[Any, Any]]:
        """The wrapped optimizer's gradients, all-reduced over the processes."""
        gradients = self._optimizer.compute_gradients(*args, **kwargs)
        grads = [g for g, _ in gradients]
        variables = [v for _, v in gradients]
        shared = [i for i, v in enumerate(variables) if id(v) not in self._local_vars]
        reduced = self._allreduce_grads([grads[i] for i in shared])
        out = list(grads)
        for i, r in zip(shared, reduced, strict=True):
            out[i] = r
        n = float(size())
        for i, v in enumerate(variables):
            g = out[i]
            if id(v) in self._local_vars and g is not None:
                if isinstance(g, IndexedSlices):
                    out[i] = IndexedSlices(g.values / n, g.indices, g.dense_shape)
                else:
                    out[i] = g / n
        return list(zip(out, variables, strict=True))

    def apply_gradients(self, grads_and_vars: Any, global_step: Any = None,
                        name: str | None = None) -> Any:  # fmt: skip
        """The wrapped optimizer's ``apply_gradients``."""
        return self._optimizer.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def get_slot(self, *args: Any, **kwargs: Any) -> Any:
        """The wrapped optimizer's slot."""
        return self._optimizer.get_slot(*args, **kwargs)

    def get_slot_names(self, *args: Any, **kwargs: Any) -> list[str]:
        """The wrapped optimizer's slot names."""
        return self._optimizer.get_slot_names(*args, **kwargs)

    def variables(self, *args: Any, **kwargs: Any) -> list[Any]:
        """The wrapped optimizer's variables."""
        return self._optimizer.variables(*args, **kwargs)


def DistributedOptimizer(
    optimizer: Any,
    name: str | None = None,
    use_locking: bool = False,
    device_dense: str = "",
    device_sparse: str = "",
    compression: Any = Compression.none,
    sparse_as_dense: bool = False,
    backward_passes_per_step: int = 1,
    op: Any = Average,
    gradient_predivide_factor: float = 1.0,
    average_aggregated_gradients: bool = False,
    num_groups: int = 0,
    groups: Any = None,
) -> Optimizer:
    """An optimizer applying ``optimizer``'s update with gradients averaged over the processes.

    Raises:
        ValueError: ``gradient_predivide_factor`` with an ``op`` other than ``Average``.
        UnsupportedError: Adasum, ``backward_passes_per_step > 1``, ``groups``/``num_groups``.
    """
    if not isinstance(optimizer, Optimizer):
        raise UnsupportedError(f"DistributedOptimizer of {type(optimizer).__name__}",
                               "Only tf.train optimizers are supported.")  # fmt: skip
    if gradient_predivide_factor != 1.0 and op != Average:
        raise ValueError("gradient_predivide_factor not supported with op != Average")
    if op == Adasum:
        raise UnsupportedError("DistributedOptimizer(op=hvd.Adasum)")
    if backward_passes_per_step != 1:
        raise UnsupportedError("DistributedOptimizer(backward_passes_per_step > 1)")
    if num_groups or groups is not None:
        raise UnsupportedError("DistributedOptimizer(groups=...)",
                               "All dense gradients are reduced in one group.")  # fmt: skip
    return _DistributedOptimizer(
        optimizer,
        name,
        use_locking,
        compression,
        sparse_as_dense,
        str(op),
        gradient_predivide_factor,
    )


__all__ = [
    "Adasum",
    "Average",
    "BroadcastGlobalVariablesHook",
    "Compression",
    "DistributedOptimizer",
    "Max",
    "Min",
    "Product",
    "Sum",
    "allgather",
    "allreduce",
    "broadcast",
    "broadcast_global_variables",
    "broadcast_variables",
    "ccl_built",
    "cross_rank",
    "cross_size",
    "cuda_built",
    "ddl_built",
    "gloo_built",
    "gloo_enabled",
    "grouped_allreduce",
    "init",
    "is_homogeneous",
    "is_initialized",
    "local_rank",
    "local_size",
    "mpi_built",
    "mpi_enabled",
    "mpi_threads_supported",
    "nccl_built",
    "rank",
    "rocm_built",
    "shutdown",
    "size",
]
