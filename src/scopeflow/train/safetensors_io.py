"""safetensors import/export of a graph's variables and TF checkpoint ↔ safetensors conversion.

Responsibility: move weights between scopeflow/TF checkpoints and the PyTorch ecosystem with the
``safetensors`` library. Tensors are keyed by their TF checkpoint name (``dense/kernel``);
partitioned variables are stored once under their full name (stitched on save, sliced on
restore), exactly as a TF checkpoint stores them. bfloat16 is kept as bfloat16. Files are
written to a temporary name and renamed, so a killed save never leaves a partial file.

Differences from a TF checkpoint: safetensors has no string or complex128 tensors; such
variables raise ``UnsupportedError`` naming them.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from scopeflow._core import dtypes
from scopeflow.checkpoint import BundleReader, BundleWriter
from scopeflow.checkpoint._atomic import fsync_directory, remove_quietly, temp_name
from scopeflow.errors import UnsupportedError
from scopeflow.graph._torch_dtypes import tf_dtype, to_numpy, to_torch
from scopeflow.train.restore_check import check_against
from scopeflow.train.saveables import SaveSpec, op_list_to_dict, saveables_for
from scopeflow.train.saver import _all_saveable_objects

__all__ = [
    "bundle_to_safetensors",
    "read_safetensors_metadata",
    "restore_safetensors",
    "safetensors_to_bundle",
    "save_safetensors",
]

Progress = Callable[[str, int], None]
"""``progress(name, nbytes)`` is called after each tensor is converted."""


def _specs(var_list: Any) -> list[SaveSpec]:
    if var_list is None:
        var_list = _all_saveable_objects()
    if not var_list:
        raise ValueError("No variables to save")
    return saveables_for(op_list_to_dict(var_list))


def _torch_value(name: str, value: Any, dtype: dtypes.DType) -> torch.Tensor:
    if dtype == dtypes.string or np.asarray(value).dtype == object:
        raise UnsupportedError(
            f"string tensor '{name}' in safetensors", "safetensors has no strings."
        )
    if dtype == dtypes.complex128:
        raise UnsupportedError(f"complex128 tensor '{name}' in safetensors")
    t = to_torch(value, dtype)
    return t.contiguous() if isinstance(t, torch.Tensor) else torch.as_tensor(t)


def _atomic_save(
    tensors: dict[str, torch.Tensor], path: str, metadata: dict[str, str] | None
) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(path)
    try:
        save_file(tensors, tmp, metadata=metadata)
        with Path(tmp).open("rb+") as f:
            os.fsync(f.fileno())
        Path(tmp).replace(path)
    except BaseException:
        remove_quietly(tmp)
        raise
    fsync_directory(str(Path(path).parent))


def save_safetensors(
    sess: Any, path: str | os.PathLike[str], var_list: Any = None,
    metadata: dict[str, str] | None = None,
) -> str:  # fmt: skip
    """Write the variables' values in ``sess`` to a ``.safetensors`` file, keyed by TF name.

    Args:
        sess: The session holding the values.
        path: Destination file.
        var_list: As ``Saver``'s (default: global variables + saveable objects).
        metadata: Optional string metadata stored in the header.

    Returns:
        ``path`` as a string.

    Raises:
        UnsupportedError: For string/complex128 variables.
    """
    specs = _specs(var_list)
    values = sess.run([s.tensor for s in specs])
    full: dict[str, np.ndarray] = {}
    dtype_of: dict[str, dtypes.DType] = {}
    for s, value in zip(specs, values, strict=True):
        dtype_of[s.name] = s.dtype
        if not s.spec:
            full[s.name] = np.asarray(value)
            continue
        from scopeflow.train.io_ops import parse_slice_spec  # noqa: PLC0415

        parsed = parse_slice_spec(s.spec)
        assert parsed is not None
        arr = np.asarray(value)
        if s.name not in full:
            full[s.name] = np.zeros(parsed.full_shape, dtype=arr.dtype)
        full[s.name][parsed.index()] = arr
    tensors = {n: _torch_value(n, v, dtype_of[n]) for n, v in full.items()}
    out = os.fspath(path)
    _atomic_save(tensors, out, metadata)
    return out


def restore_safetensors(sess: Any, path: str | os.PathLike[str], var_list: Any = None) -> None:
    """Load a ``.safetensors`` file written by :func:`save_safetensors` (or PyTorch) into ``sess``.

    Every variable of ``var_list`` must be present with its full shape and dtype; otherwise one
    ``CheckpointMismatchError`` lists all differences (as ``Saver.restore``).

    Raises:
        FileNotFoundError: If ``path`` does not exist.
    """
    specs = _specs(var_list)
    src = os.fspath(path)
    if not Path(src).is_file():
        raise FileNotFoundError(f"safetensors file not found: {src}")
    with safe_open(src, framework="pt") as f:
        shapes: dict[str, list[int]] = {}
        enums: dict[str, int] = {}
        for key in f.keys():  # noqa: SIM118 (safe_open is not a Mapping)
            sl = f.get_slice(key)
            shapes[key] = list(sl.get_shape())
            enums[key] = _enum_of(sl.get_dtype())
        check_against(shapes, enums, specs, src)
        from scopeflow.train.io_ops import parse_slice_spec  # noqa: PLC0415

        cache: dict[str, torch.Tensor] = {}
        for s in specs:
            if s.variable is None:
                raise UnsupportedError(
                    f"loading '{s.name}' of the custom saveable "
                    f"'{s.saveable.name if s.saveable else ''}' from safetensors",
                    "Restore it with tf.train.Saver from a TF checkpoint.",
                )
            value = cache.get(s.name)
            if value is None:
                value = cache[s.name] = f.get_tensor(s.name)
            parsed = parse_slice_spec(s.spec)
            part = value[parsed.index()] if parsed is not None else value
            sess._load_variable(s.variable, part.contiguous())


_ST_DTYPES = {
    "F64": dtypes.float64, "F32": dtypes.float32, "F16": dtypes.float16, "BF16": dtypes.bfloat16,
    "I64": dtypes.int64, "I32": dtypes.int32, "I16": dtypes.int16, "I8": dtypes.int8,
    "U64": dtypes.uint64, "U32": dtypes.uint32, "U16": dtypes.uint16, "U8": dtypes.uint8,
    "BOOL": dtypes.bool, "C64": dtypes.complex64,
}  # fmt: skip


def _enum_of(st_dtype: str) -> int:
    dt = _ST_DTYPES.get(st_dtype.upper())
    if dt is None:
        dt = _ST_DTYPES.get(_TORCH_NAMES.get(st_dtype, ""))
    if dt is None:
        raise UnsupportedError(f"safetensors dtype {st_dtype}")
    return dt.as_datatype_enum


_TORCH_NAMES = {
    "float64": "F64", "float32": "F32", "float16": "F16", "bfloat16": "BF16", "int64": "I64",
    "int32": "I32", "int16": "I16", "int8": "I8", "uint64": "U64", "uint32": "U32",
    "uint16": "U16", "uint8": "U8", "bool": "BOOL", "complex64": "C64",
}  # fmt: skip


def read_safetensors_metadata(path: str | os.PathLike[str]) -> Iterator[tuple[str, str, list[int]]]:
    """``(name, TF dtype name, shape)`` of every tensor of a ``.safetensors`` file, sorted."""
    with safe_open(os.fspath(path), framework="pt") as f:
        rows = []
        for key in f.keys():  # noqa: SIM118
            sl = f.get_slice(key)
            rows.append((key, dtypes.as_dtype(_enum_of(sl.get_dtype())).name, list(sl.get_shape())))
    yield from sorted(rows)


def bundle_to_safetensors(prefix: str, dst: str, progress: Progress | None = None) -> int:
    """Convert a TF checkpoint to ``.safetensors``; returns the number of tensors.

    All tensors are held in memory until the file is written (safetensors writes one header
    for the whole file).
    """
    tensors: dict[str, torch.Tensor] = {}
    with BundleReader(prefix) as reader:
        for name in reader.keys():  # noqa: SIM118 (BundleReader is not a Mapping)
            value = reader.get_tensor(name)
            dt = dtypes.as_dtype(reader.dtype_enum(name))
            tensors[name] = _torch_value(name, value, dt)
            if progress is not None:
                progress(name, int(value.nbytes))
    _atomic_save(tensors, dst, {"format": "tf_checkpoint"})
    return len(tensors)


def safetensors_to_bundle(src: str, prefix: str, progress: Progress | None = None) -> int:
    """Convert a ``.safetensors`` file to a TF V2 checkpoint at ``prefix``; returns the count."""
    count = 0
    with safe_open(src, framework="pt") as f, BundleWriter(prefix) as writer:
        for key in sorted(f.keys()):
            t = f.get_tensor(key)
            writer.add(key, np.asarray(to_numpy(t)), dtype_enum=tf_dtype(t.dtype).as_datatype_enum)
            count += 1
            if progress is not None:
                progress(key, t.numel() * t.element_size())
    return count
