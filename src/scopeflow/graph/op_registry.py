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
_FRESH_OUTPUT: set[tuple[str, int]] = set()


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


def declare_fresh_output(*op_types: str, output: int | None = None) -> None:
    """Declares that these ops' kernels always return new tensors that share no memory.

    (With no input, variable, constant or kept state: e.g. ``MatMul``, ``Conv2D``.) Such an
    output may be overwritten by an in-place consumer. With ``output``, only that output is
    (``FusedBatchNormV3``'s ``y``, whose other outputs may be its inputs).
    """
    if output is None:
        _FRESH.update(op_types)
    else:
        _FRESH_OUTPUT.update((t, output) for t in op_types)


def inplace_factory(op_type: str) -> InplaceFactory | None:
    """The in-place variant factory of ``op_type``, or None."""
    return _INPLACE.get(op_type)


def has_fresh_output(op_type: str, output: int = 0) -> bool:
    """Whether output ``output`` of ``op_type``'s kernel is a new tensor owned by nobody else."""
    return op_type in _FRESH or (op_type, output) in _FRESH_OUTPUT


# --- fusions (no-grad plans; differentiable ones in grad plans too: ``plan._fuse``) -----

FusionFactory = Callable[[Any, Any, Any, Any], Callable[..., Any] | None]
_FUSIONS: dict[tuple[str, str, int], FusionFactory] = {}
_GRAD_FUSIONS: set[tuple[str, str, int]] = set()  # also safe in plans that record autograd


def register_fusion(
    producer: str, consumer: str, index: int = 0, grad: bool = False
) -> Callable[[FusionFactory], FusionFactory]:
    """Decorator registering a kernel that computes ``consumer`` with ``producer`` folded in.

    ``factory(producer_op, consumer_op, session, producer_kernel)`` returns a callable taking
    the producer's inputs followed by the consumer's inputs other than ``index`` (the
    producer's output) and returning the consumer's outputs, or None when these two ops cannot
    fuse (their attrs). A no-grad plan uses it when the producer's output is read by the
    consumer only and its other outputs by nobody. ``producer_kernel`` is the kernel the plan
    would run for the producer: itself a fused one when the producer was fused with its own
    producer (``Conv2D`` + ``FusedBatchNormV3``, then ``Relu``); the producer's inputs are then
    that kernel's.

    With ``grad=True`` the fused kernel is differentiable by torch autograd as the two ops are
    (same values, same gradients), so gradient plans use it too (before their gradient op).
    """

    def deco(factory: FusionFactory) -> FusionFactory:
        key = (producer, consumer, index)
        if key in _FUSIONS:
            raise ValueError(f"A fusion of {producer!r} into {consumer!r} is already registered.")
        _FUSIONS[key] = factory
        if grad:
            _GRAD_FUSIONS.add(key)
        return factory

    return deco


def fusion_factory(
    producer: str, consumer: str, index: int, grad: bool = False
) -> FusionFactory | None:
    """The fusion of ``producer``'s output into input ``index`` of ``consumer``, or None.

    With ``grad``, only a fusion registered as differentiable (``register_fusion(grad=True)``).
    """
    key = (producer, consumer, index)
    if grad and key not in _GRAD_FUSIONS:
        return None
    return _FUSIONS.get(key)


# --- pattern fusions (used by plans, see ``pattern_fusion.fuse_patterns``) ------------------------

PatternMatcher = Callable[[Any, Any], Any]
_PATTERNS: dict[str, list[PatternMatcher]] = {}


def register_pattern(root: str) -> Callable[[PatternMatcher], PatternMatcher]:
    """Decorator registering a matcher of a subgraph that ends at an op of type ``root``.

    ``matcher(root_op, session)`` returns a ``pattern_fusion.PatternMatch`` (the ops the
    subgraph absorbs besides the root, its outside inputs and one kernel computing the root's
    outputs from them) or None. Unlike ``register_fusion`` pairs, a pattern kernel must be
    differentiable by torch autograd: plans that compute gradients use it too. The plan checks
    that no absorbed op's output is read outside the subgraph, fed, fetched or differentiated by.
    """

    def deco(matcher: PatternMatcher) -> PatternMatcher:
        _PATTERNS.setdefault(root, []).append(matcher)
        return matcher

    return deco


def pattern_matchers(root: str) -> list[PatternMatcher]:
    """The matchers registered for subgraphs ending at an op of type ``root``."""
    return _PATTERNS.get(root, [])


# --- thread-invariant kernels (plans may run them on worker threads: ``interop``) ----------

_THREAD_INVARIANT: dict[str, Callable[[Any], bool] | None] = {}


def declare_thread_invariant(*op_types: str, when: Callable[[Any], bool] | None = None) -> None:
    """Declares that these ops' kernels may run on a plan's worker threads, side by side.

    Such a kernel is thread safe, changes no state (a variable read is fine: a plan runs ops
    concurrently only when none of its ops writes one), and computes the same bits whatever
    torch's intra-op thread count: its threads split the output elements, none of them a
    reduction (``Conv2D`` on oneDNN's kernels, pooling, elementwise ops, copies). With
    ``when(op)``, only the op instances it accepts (e.g. float32 convolutions).
    """
    for t in op_types:
        _THREAD_INVARIANT[t] = when


def is_thread_invariant(op: Any) -> bool:
    """Whether ``op``'s kernel was declared thread-invariant (``declare_thread_invariant``)."""
    if op._type not in _THREAD_INVARIANT:
        return False
    when = _THREAD_INVARIANT[op._type]
    return when is None or bool(when(op))


def registered_op_types() -> list[str]:
    """All op types with a kernel, sorted."""
    return sorted(_KERNELS)


# --- kernel wrappers: an op carrying attr ``key`` runs ``wrap(op, session, kernel)`` ---------
KernelWrapper = Callable[[Any, Any, Callable[..., Any]], Callable[..., Any]]
_WRAPPERS: dict[str, KernelWrapper] = {}


def register_kernel_wrapper(attr: str, wrap: KernelWrapper) -> None:
    """Makes plans run ``wrap(op, session, kernel)`` for every op whose attrs contain ``attr``.

    Used by ``tf.RegisterGradient`` (``ops.gradient_registry``): the wrapped kernel routes
    autograd through a Python gradient function. Plans never fuse a wrapped op with another.
    """
    _WRAPPERS[attr] = wrap


def kernel_wrappers() -> dict[str, KernelWrapper]:
    """The registered kernel wrappers by attr name."""
    return _WRAPPERS


__all__ = [
    "KernelDef",
    "declare_fresh_output",
    "declare_thread_invariant",
    "fusion_factory",
    "get_kernel",
    "has_fresh_output",
    "inplace_factory",
    "is_thread_invariant",
    "kernel_wrappers",
    "pattern_matchers",
    "register_fusion",
    "register_inplace_kernel",
    "register_kernel",
    "register_kernel_wrapper",
    "register_pattern",
    "registered_op_types",
]
