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


def registered_op_types() -> list[str]:
    """All op types with a kernel, sorted."""
    return sorted(_KERNELS)


__all__ = ["KernelDef", "get_kernel", "register_kernel", "registered_op_types"]
