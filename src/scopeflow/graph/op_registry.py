"""The op registry: for each TF op type, the torch kernel that runs it in a ``Session``.

An op is declared once (in ``scopeflow.ops``): its Python wrapper builds the graph node (name,
inputs, attrs, static output dtypes and shapes) and ``register_kernel`` records how to execute it.
A kernel *factory* ``factory(op, runtime) -> callable`` runs once per compiled plan; it reads the
op's attrs up front and returns a closure ``fn(*input_values)`` with nothing left to decide, so
``Session.run`` does little Python work per op.

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scopeflow.errors import UnsupportedError

KernelFactory = Callable[[Any, Any], Callable[..., Any]]


@dataclass(frozen=True, slots=True)
class KernelDef:
    """How to execute one TF op type."""

    op_type: str
    factory: KernelFactory
    stateful: bool
    """Stateful ops (variables, random, assign) are never constant-folded or deduplicated."""
    aliases_input: bool
    """The output may share memory with an input or a variable (Identity, VariableV2, Assign)."""
    ref_inputs: tuple[int, ...]
    """Inputs that are variable references the kernel addresses by name (``Assign``'s ``ref``):
    they are not evaluated (the kernel receives ``None``) and create no dependency."""


_KERNELS: dict[str, KernelDef] = {}


def register_kernel(
    op_type: str,
    *,
    stateful: bool = False,
    aliases_input: bool = False,
    ref_inputs: tuple[int, ...] = (),
) -> Callable[[KernelFactory], KernelFactory]:
    """Decorator registering ``factory`` as the kernel of TF op type ``op_type``."""

    def deco(factory: KernelFactory) -> KernelFactory:
        if op_type in _KERNELS:
            raise ValueError(f"A kernel for op type {op_type!r} is already registered.")
        _KERNELS[op_type] = KernelDef(op_type, factory, stateful, aliases_input, ref_inputs)
        return factory

    return deco


def get_kernel(op_type: str) -> KernelDef:
    """The kernel of ``op_type``; ``UnsupportedError`` naming the op if there is none."""
    try:
        return _KERNELS[op_type]
    except KeyError:
        raise UnsupportedError(f"the op type {op_type!r} (no kernel registered)") from None


# --- in-place variants (used by plans, see ``plan.Plan``) ----------------------------

InplaceFactory = Callable[[Any, Any, int], Callable[..., Any] | None]
_INPLACE: dict[str, InplaceFactory] = {}
_FRESH: set[str] = set()


def register_inplace_kernel(op_type: str) -> Callable[[InplaceFactory], InplaceFactory]:
    """Decorator registering an in-place variant of ``op_type``'s kernel.

    ``factory(op, session, index)`` returns a callable taking the same inputs as the kernel that
    writes the result into input ``index`` and returns it, or None when that is not possible for
    this op (its attrs, or an input order that is not commutative). A plan uses it only for an
    input nobody else can observe: produced in the same run by a fresh-output op, with no other
    consumer, not fed or fetched, and of the output's static shape and dtype (in a grad plan
    also only while no input requires grad).
    Registering a variant also declares the op's kernel output fresh (see ``declare_fresh_output``).
    """

    def deco(factory: InplaceFactory) -> InplaceFactory:
        if op_type in _INPLACE:
            raise ValueError(f"An in-place kernel for op type {op_type!r} is already registered.")
        _INPLACE[op_type] = factory
        _FRESH.add(op_type)
        return factory

    return deco


def declare_fresh_output(*op_types: str) -> None:
    """Declares that these ops' kernels always return new tensors that share no memory.

    (With no input, variable, constant or kept state: e.g. ``MatMul``, ``Conv2D``.) Such an
    output may be overwritten by an in-place consumer.
    """
    _FRESH.update(op_types)


def inplace_factory(op_type: str) -> InplaceFactory | None:
    """The in-place variant factory of ``op_type``, or None."""
    return _INPLACE.get(op_type)


def has_fresh_output(op_type: str) -> bool:
    """Whether ``op_type``'s kernel output is a new tensor owned by nobody else."""
    return op_type in _FRESH


def registered_op_types() -> list[str]:
    """All op types with a kernel, sorted."""
    return sorted(_KERNELS)


__all__ = [
    "KernelDef",
    "declare_fresh_output",
    "get_kernel",
    "has_fresh_output",
    "inplace_factory",
    "register_inplace_kernel",
    "register_kernel",
    "registered_op_types",
]
