"""Compare a graph's saveables with a checkpoint before restoring, reporting every problem at once.

TF stops at the first missing key (``NotFoundError``) or the first shape/dtype mismatch
(``InvalidArgumentError``). ``Saver.restore`` checks everything first and raises one
:class:`CheckpointMismatchError` listing all missing, mismatched and unused (in the checkpoint
but not restored) names. Its class also derives from the TF error TF would raise (missing keys
win), and its message starts with TF's text, so ``except tf.errors.NotFoundError`` and
message-matching code keep working.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scopeflow.checkpoint import BundleReader
from scopeflow.errors import InvalidArgumentError, NotFoundError, OpError
from scopeflow.train.io_ops import parse_slice_spec, tf_type_name
from scopeflow.train.saveables import SaveSpec

__all__ = [
    "CheckpointMismatchError",
    "CheckpointMismatchInvalidArgumentError",
    "CheckpointMismatchNotFoundError",
    "Mismatch",
    "check_against",
    "check_restore",
    "restore_error_message",
]

_MISSING_VERBIAGE = "a Variable name or other graph key that is missing"
_MISMATCH_VERBIAGE = "a mismatch between the current graph and the graph"


def restore_error_message(extra: str, original: str) -> str:
    """TF's ``_wrap_restore_error_with_msg`` text."""
    return (
        f"Restoring from checkpoint failed. This is most likely due to {extra} from the "
        "checkpoint. Please ensure that you have not altered the graph expected based on the "
        f"checkpoint. Original error:\n\n{original}"
    )


@dataclass
class Mismatch:
    """Every difference between the saveables and a checkpoint."""

    missing: list[str] = field(default_factory=list)
    shape: list[tuple[str, list[int], list[int]]] = field(default_factory=list)
    dtype: list[tuple[str, str, str]] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.shape or self.dtype)

    def first_tf_error(self) -> str:
        """The message of the error TF would have raised first."""
        if self.missing:
            return f"Key {self.missing[0]} not found in checkpoint"
        if self.dtype:
            name, want, got = self.dtype[0]
            return (
                f"tensor_name = {name}; expected dtype {want} does not equal original dtype {got}"
            )
        name, want_s, got_s = self.shape[0]
        return (
            "Assign requires shapes of both tensors to match. lhs shape= "
            f"{_fmt(want_s)} rhs shape= {_fmt(got_s)}"
        )

    def report(self, path: str) -> str:
        """The full listing appended after TF's message."""
        lines = [f"All differences between the graph's variables and checkpoint '{path}':"]
        if self.missing:
            lines.append(f"  missing from the checkpoint ({len(self.missing)}):")
            lines += [f"    {n}" for n in self.missing]
        if self.shape:
            lines.append(f"  shape mismatch ({len(self.shape)}):")
            lines += [f"    {n}: graph {_fmt(g)} vs checkpoint {_fmt(c)}" for n, g, c in self.shape]
        if self.dtype:
            lines.append(f"  dtype mismatch ({len(self.dtype)}):")
            lines += [f"    {n}: graph {g} vs checkpoint {c}" for n, g, c in self.dtype]
        if self.unexpected:
            lines.append(
                f"  in the checkpoint but not restored ({len(self.unexpected)}, not an error):"
            )
            lines += [f"    {n}" for n in self.unexpected]
        return "\n".join(lines)


def _fmt(shape: Sequence[int]) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


class CheckpointMismatchError(OpError):
    """The graph's variables and a checkpoint disagree; lists every difference.

    Raised by ``Saver.restore`` as :class:`CheckpointMismatchNotFoundError` (some keys are
    missing, TF's ``NotFoundError``) or :class:`CheckpointMismatchInvalidArgumentError` (only
    shape/dtype mismatches, TF's ``InvalidArgumentError``).

    Attributes:
        mismatch: The :class:`Mismatch` (``missing``, ``shape``, ``dtype``, ``unexpected``).
    """

    mismatch: Mismatch


class CheckpointMismatchNotFoundError(CheckpointMismatchError, NotFoundError):
    """Variables missing from the checkpoint (and possibly other differences)."""


class CheckpointMismatchInvalidArgumentError(CheckpointMismatchError, InvalidArgumentError):
    """Shape or dtype mismatches between the graph's variables and the checkpoint."""


def check_restore(
    reader: BundleReader, saveables: Sequence[SaveSpec], path: str, *, reshape: bool = False
) -> None:
    """Raise a :class:`CheckpointMismatchError` if restoring ``saveables`` would fail.

    Args:
        reader: The open checkpoint.
        saveables: What will be restored.
        path: Checkpoint prefix (for the message).
        reshape: ``Saver(reshape=True)``: only element counts must agree.
    """
    check_against(
        reader.variable_to_shape_map(),
        reader.variable_to_dtype_enum_map(),
        saveables,
        path,
        reshape=reshape,
    )


def check_against(
    shapes: Mapping[str, Sequence[int]],
    enums: Mapping[str, int],
    saveables: Sequence[SaveSpec],
    path: str,
    *,
    reshape: bool = False,
) -> None:
    """:func:`check_restore` against explicit ``{name: shape}`` / ``{name: DataType}`` maps."""
    found = Mismatch()
    used: set[str] = set()
    for s in saveables:
        if s.name in used:
            continue
        used.add(s.name)
        if s.name not in shapes:
            found.missing.append(s.name)
            continue
        want_enum = s.dtype.as_datatype_enum
        if enums[s.name] != want_enum:
            found.dtype.append((s.name, tf_type_name(want_enum), tf_type_name(enums[s.name])))
            continue
        stored = list(shapes[s.name])
        parsed = parse_slice_spec(s.spec)
        want = parsed.full_shape if parsed is not None else s.full_shape
        if want is None:
            continue
        want = list(want)
        same = want == stored or (
            reshape and parsed is None and math.prod(want) == math.prod(stored)
        )
        if not same:
            found.shape.append((s.name, want, stored))
    if not found:
        return
    found.unexpected = sorted(set(shapes) - used)
    if found.missing:
        cls: type[CheckpointMismatchError] = CheckpointMismatchNotFoundError
        verbiage = _MISSING_VERBIAGE
    else:
        cls = CheckpointMismatchInvalidArgumentError
        verbiage = _MISMATCH_VERBIAGE
    message = restore_error_message(verbiage, found.first_tf_error()) + "\n\n" + found.report(path)
    err = cls(None, None, message)
    err.mismatch = found
    raise err
