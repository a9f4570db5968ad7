"""Checkpoint I/O ops: ``SaveV2``, ``RestoreV2``, ``ShardedFilename``, ``MergeV2Checkpoints``.

Responsibility: the graph ops ``tf.train.Saver`` and ``init_from_checkpoint`` build, with TF's
op types, names, inputs and attrs, and their kernels over :mod:`scopeflow.checkpoint`:

* ``SaveV2(prefix, tensor_names, shape_and_slices, *tensors)`` writes one bundle through
  ``BundleWriter`` (temporary files + rename, so a killed save leaves old files intact). Slice
  specs (``"6 2 0,3:0,2"``) become ``add_slice`` calls, so a partitioned variable is stored as
  one full entry with slices, exactly as TF stores it.
* ``RestoreV2(prefix, tensor_names, shape_and_slices)`` reads each tensor (a slice of it when a
  spec is given) with TF's ``NotFoundError`` / ``InvalidArgumentError`` texts. Readers are
  cached per prefix while the ``.index`` file is unchanged, so repeated restores skip parsing.
* Sharded saves (``Saver(sharded=True)``): each per-device ``SaveV2`` hands its tensors to the
  ``MergeV2Checkpoints`` op of the same save, which writes all data shards and the index in one
  atomic ``BundleWriter(num_shards=N)``. TF instead writes temporary per-device bundles and
  merges their indexes; the resulting files are the same, but no ``<prefix>_temp`` directory
  ever exists here.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.checkpoint import (
    BundleReader,
    BundleWriter,
    CheckpointError,
    CheckpointNotFoundError,
    TensorNotFoundError,
)
from scopeflow.checkpoint._dtypes import dtype_name
from scopeflow.errors import (
    DataLossError,
    InvalidArgumentError,
    NotFoundError,
)
from scopeflow.graph._torch_dtypes import to_numpy, to_torch
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._op_builder import SCALAR, make_multi_op
from scopeflow.ops.constant_op import constant

__all__ = [
    "SliceSpec",
    "merge_v2_checkpoints",
    "open_reader",
    "parse_slice_spec",
    "read_tensor",
    "restore_v2",
    "save_v2",
    "sharded_filename",
    "tf_type_name",
]

# --- slice specs ---------------------------------------------------------------------------------


class SliceSpec:
    """A parsed TF slice spec ``"<full shape> <start,length:...>"`` (``""`` = whole tensor)."""

    __slots__ = ("full_shape", "lengths", "offsets")

    def __init__(self, full_shape: list[int], offsets: list[int], lengths: list[int]) -> None:
        self.full_shape = full_shape
        self.offsets = offsets
        self.lengths = lengths

    def index(self) -> tuple[slice, ...]:
        """NumPy index selecting this slice from the full tensor."""
        return tuple(slice(o, o + n) for o, n in zip(self.offsets, self.lengths, strict=True))


def parse_slice_spec(spec: str) -> SliceSpec | None:
    """Parse a ``shape_and_slices`` entry; ``None`` for the whole tensor.

    >>> s = parse_slice_spec("6 2 0,3:-")
    >>> s.full_shape, s.offsets, s.lengths
    ([6, 2], [0, 0], [3, 2])
    >>> parse_slice_spec("") is None
    True

    Raises:
        ValueError: For a malformed spec (TF: InvalidArgumentError at run time).
    """
    spec = spec.strip()
    if not spec:
        return None
    parts = spec.split(" ")
    try:
        full = [int(p) for p in parts[:-1]]
        offsets, lengths = [], []
        for dim, ext in zip(full, parts[-1].split(":"), strict=True):
            if ext == "-":
                offsets.append(0)
                lengths.append(dim)
            else:
                start, length = (int(x) for x in ext.split(","))
                offsets.append(start)
                lengths.append(length)
    except ValueError:
        raise ValueError(f"Unable to parse slice spec '{spec}'") from None
    return SliceSpec(full, offsets, lengths)


def _text(value: Any) -> str:
    """A string scalar (bytes, str, or a 0-d object array) as ``str``."""
    if isinstance(value, np.ndarray):
        value = value.reshape(-1)[0] if value.size == 1 else value[()]
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    return str(value)


def _texts(value: Any) -> list[str]:
    return [_text(v) for v in np.asarray(value, dtype=object).reshape(-1)]


def _const_or_none(t: Tensor) -> list[str] | None:
    return None if t._const is None else _texts(t._const)


# --- reader cache --------------------------------------------------------------------------------

_READERS: dict[str, tuple[tuple[int, int, int], BundleReader]] = {}
_READERS_LOCK = threading.Lock()
_MAX_CACHED_READERS = 4


def open_reader(prefix: str) -> BundleReader:
    """A shared ``BundleReader`` for ``prefix``, reopened when its ``.index`` file changes.

    Raises:
        NotFoundError: TF's "Unsuccessful TensorSliceReader constructor" text if the
            checkpoint does not exist.
        DataLossError: If the index is corrupt.
    """
    try:
        st = Path(f"{prefix}.index").stat()
    except OSError:
        raise NotFoundError(
            None,
            None,
            "Unsuccessful TensorSliceReader constructor: Failed to find any matching files "
            f"for {prefix}",
        ) from None
    stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
    with _READERS_LOCK:
        cached = _READERS.get(prefix)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            reader = BundleReader(prefix)
        except CheckpointNotFoundError as e:
            raise NotFoundError(None, None, str(e)) from None
        except CheckpointError as e:
            raise DataLossError(None, None, str(e)) from None
        if cached is not None:
            cached[1].close()
        elif len(_READERS) >= _MAX_CACHED_READERS:
            _, old = _READERS.pop(next(iter(_READERS)))
            old.close()
        _READERS[prefix] = (stamp, reader)
        return reader


def _forget_reader(prefix: str) -> None:
    with _READERS_LOCK:
        cached = _READERS.pop(prefix, None)
    if cached is not None:
        cached[1].close()


# --- SaveV2 --------------------------------------------------------------------------------------


def _as_array(value: Any) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        return np.asarray(to_numpy(value))
    return np.asarray(value, dtype=object if isinstance(value, (bytes, str)) else None)


def _write_entries(
    writer: BundleWriter,
    names: Sequence[str],
    specs: Sequence[str],
    values: Sequence[Any],
    shard_id: int,
) -> None:
    for name, spec, value in zip(names, specs, values, strict=True):
        array = _as_array(value)
        parsed = parse_slice_spec(spec)
        if parsed is None:
            writer.add(name, array, shard_id=shard_id)
        else:
            writer.add_slice(
                name, parsed.full_shape, parsed.offsets, parsed.lengths, array, shard_id=shard_id
            )


def _check_parent(prefix: str) -> None:
    parent = os.path.dirname(prefix) or "."  # noqa: PTH120 (TF's string semantics)
    if not Path(parent).is_dir():
        raise NotFoundError(
            None, None, f"Failed to create a NewWriteableFile: {prefix}.index : No such file"
        )


def _name_consts(
    scope: str, tensor_names: Sequence[str], shape_and_slices: Sequence[str]
) -> tuple[Tensor, Tensor]:
    with name_scope(scope):
        names_t = constant(list(tensor_names), dtype=dtypes.string, name="tensor_names")
        specs_t = constant(list(shape_and_slices), dtype=dtypes.string, name="shape_and_slices")
    return names_t, specs_t


def save_v2(
    prefix: Tensor,
    tensor_names: Sequence[str],
    shape_and_slices: Sequence[str],
    tensors: Sequence[Tensor],
    name: str = "SaveV2",
) -> Operation:
    """Add a ``SaveV2`` op (``<name>/tensor_names`` and ``<name>/shape_and_slices`` consts)."""
    from scopeflow.ops.math_ops import _scope  # noqa: PLC0415

    scope = _scope(name, "SaveV2")
    names_t, specs_t = _name_consts(scope, tensor_names, shape_and_slices)
    return make_multi_op(
        "SaveV2",
        (prefix, names_t, specs_t, *tensors),
        {"dtypes": [t.dtype.base_dtype for t in tensors]},
        scope,
        (),
        (),
    )


# Sharded saves: per-session pending shard contents, keyed by the shard's filename.
_PENDING: weakref.WeakKeyDictionary[Any, dict[str, tuple[list[str], list[str], list[Any]]]] = (
    weakref.WeakKeyDictionary()
)


@register_kernel("SaveV2", stateful=True)
def _save_v2_kernel(op: Operation, session: Any) -> Any:
    names_c = _const_or_none(op._inputs[1])
    specs_c = _const_or_none(op._inputs[2])
    sharded = op._inputs[0]._op._type == "ShardedFilename"

    def kernel(prefix: Any, names: Any, specs: Any, *values: Any) -> None:
        path = _text(prefix)
        names_l = names_c if names_c is not None else _texts(names)
        specs_l = specs_c if specs_c is not None else _texts(specs)
        if len(names_l) != len(values) or len(specs_l) != len(values):
            raise InvalidArgumentError(
                None,
                op,
                f"Expected {len(values)} tensor names and slice specs, got {len(names_l)} and "
                f"{len(specs_l)}",
            )
        if sharded:  # written by MergeV2Checkpoints
            _PENDING.setdefault(session, {})[path] = (names_l, specs_l, list(values))
            return
        _check_parent(path)
        with BundleWriter(path) as writer:
            _write_entries(writer, names_l, specs_l, values, 0)
        _forget_reader(path)

    return kernel


# --- sharded saves -------------------------------------------------------------------------------


def sharded_filename(basename: Tensor, shard: int, num_shards: Tensor, name: str) -> Tensor:
    """``ShardedFilename``: ``<basename>-<shard:05d>-of-<num_shards:05d>``."""
    from scopeflow.ops.math_ops import _scope  # noqa: PLC0415

    scope = _scope(name, "ShardedFilename")
    with name_scope(scope):
        shard_t = constant(shard, dtype=dtypes.int32, name="shard")
    return make_multi_op(
        "ShardedFilename", (basename, shard_t, num_shards), {}, scope, (dtypes.string,), (SCALAR,)
    )._outputs[0]


@register_kernel("ShardedFilename")
def _sharded_filename_kernel(op: Operation, session: Any) -> Any:
    def kernel(basename: Any, shard: Any, num: Any) -> np.ndarray:
        text = f"{_text(basename)}-{int(shard):05d}-of-{int(num):05d}"
        return np.array(text.encode("utf-8", "surrogateescape"), dtype=object)

    return kernel


def merge_v2_checkpoints(prefixes: Sequence[Tensor], destination: Tensor, name: str) -> Operation:
    """``MergeV2Checkpoints``: write the shards saved under ``prefixes`` as ``destination``.

    As TF's generated wrapper does, the shard names are packed into one string vector
    (``<name>/checkpoint_prefixes``) inside the op's name scope.
    """
    from scopeflow.ops.array_ops import stack  # noqa: PLC0415

    with name_scope(name) as scope:
        packed = stack(list(prefixes), name="checkpoint_prefixes")
        return make_multi_op(
            "MergeV2Checkpoints",
            (packed, destination),
            {"delete_old_dirs": True, "allow_missing_files": False},
            scope,
            (),
            (),
        )


@register_kernel("MergeV2Checkpoints", stateful=True)
def _merge_kernel(op: Operation, session: Any) -> Any:
    def kernel(prefixes: Any, destination: Any) -> None:
        parts = [_text(p) for p in np.asarray(prefixes, dtype=object).reshape(-1)]
        dest = _text(destination)
        pending = _PENDING.get(session, {})
        try:
            contents = [pending.pop(p) for p in parts]
        except KeyError as e:
            raise NotFoundError(None, op, f"No shard data written for {e.args[0]}") from None
        _check_parent(dest)
        with BundleWriter(dest, num_shards=len(parts)) as writer:
            for shard_id, (names, specs, values) in enumerate(contents):
                _write_entries(writer, names, specs, values, shard_id)
        _forget_reader(dest)

    return kernel


# --- RestoreV2 -----------------------------------------------------------------------------------


def restore_v2(
    prefix: Tensor | str,
    tensor_names: Sequence[str],
    shape_and_slices: Sequence[str],
    dtypes_: Sequence[dtypes.DType],
    name: str = "RestoreV2",
    shapes: Sequence[TensorShape] | None = None,
) -> list[Tensor]:
    """Add a ``RestoreV2`` op; returns its outputs (one per name).

    Args:
        prefix: Scalar string tensor, or a string (becomes ``<name>/prefix``), the prefix.
        tensor_names: Checkpoint keys.
        shape_and_slices: One slice spec per key (``""`` = whole tensor).
        dtypes_: Expected dtype of each key.
        name: Op name.
        shapes: Static output shapes (unknown when not given, as in TF).
    """
    from scopeflow.ops.math_ops import _scope  # noqa: PLC0415

    scope = _scope(name, "RestoreV2")
    if not isinstance(prefix, Tensor):
        with name_scope(scope):
            prefix = constant(prefix, dtype=dtypes.string, name="prefix")
    names_t, specs_t = _name_consts(scope, tensor_names, shape_and_slices)
    out_shapes = list(shapes) if shapes is not None else [TensorShape(None)] * len(dtypes_)
    op = make_multi_op(
        "RestoreV2",
        (prefix, names_t, specs_t),
        {"dtypes": [d.base_dtype for d in dtypes_]},
        scope,
        [d.base_dtype for d in dtypes_],
        out_shapes,
    )
    return list(op._outputs)


def read_tensor(reader: BundleReader, name: str, spec: str, dtype: dtypes.DType, op: Any) -> Any:
    """One ``RestoreV2`` output: key ``name`` (sliced by ``spec``) as a torch tensor.

    Raises:
        NotFoundError: ``Key <name> not found in checkpoint``.
        InvalidArgumentError: dtype or slice-shape mismatch (TF's texts).
        DataLossError: Corrupt data.
    """
    try:
        if not reader.has_tensor(name):
            raise NotFoundError(None, op, f"Key {name} not found in checkpoint")
        enum = reader.dtype_enum(name)
        if enum != dtype.base_dtype.as_datatype_enum:
            raise InvalidArgumentError(
                None,
                op,
                f"tensor_name = {name}; expected dtype "
                f"{tf_type_name(dtype.base_dtype.as_datatype_enum)} does not equal original "
                f"dtype {tf_type_name(enum)}",
            )
        parsed = parse_slice_spec(spec)
        if parsed is not None:
            full = list(reader.shape(name))
            if full != parsed.full_shape:
                raise InvalidArgumentError(
                    None,
                    op,
                    f"tensor_name = {name}; shape in shape_and_slice spec "
                    f"{parsed.full_shape} does not match the shape stored in checkpoint: {full}",
                )
            value = reader.get_tensor(name)[parsed.index()]
        else:
            value = reader.get_tensor(name)
    except TensorNotFoundError:
        raise NotFoundError(None, op, f"Key {name} not found in checkpoint") from None
    except CheckpointNotFoundError as e:
        raise NotFoundError(None, op, str(e)) from None
    except CheckpointError as e:
        raise DataLossError(None, op, str(e)) from None
    if dtype.base_dtype == dtypes.string:
        return value
    if not value.flags.c_contiguous:  # a slice of a partitioned tensor
        value = value.copy()
    return to_torch(value, dtype.base_dtype)


_TF_TYPE_NAMES = {1: "float", 2: "double", 19: "half"}


def tf_type_name(enum: int) -> str:
    """TF's ``DataTypeString`` of a ``DataType`` number (``float``, ``double``, ``int64``...).

    >>> tf_type_name(1), tf_type_name(9)
    ('float', 'int64')
    """
    return _TF_TYPE_NAMES.get(enum, dtype_name(enum))


@register_kernel("RestoreV2", stateful=True)
def _restore_v2_kernel(op: Operation, session: Any) -> Any:
    names_c = _const_or_none(op._inputs[1])
    specs_c = _const_or_none(op._inputs[2])
    out_dtypes = list(op._attrs["dtypes"])

    def kernel(prefix: Any, names: Any, specs: Any) -> Any:
        names_l = names_c if names_c is not None else _texts(names)
        specs_l = specs_c if specs_c is not None else _texts(specs)
        if len(names_l) != len(out_dtypes) or len(specs_l) != len(out_dtypes):
            raise InvalidArgumentError(
                None, op, f"Expected {len(out_dtypes)} tensor names and slice specs"
            )
        reader = open_reader(_text(prefix))
        out = [
            read_tensor(reader, n, s, d, op)
            for n, s, d in zip(names_l, specs_l, out_dtypes, strict=True)
        ]
        return out[0] if len(out) == 1 else tuple(out)

    return kernel
