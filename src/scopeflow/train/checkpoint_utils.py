"""``tf.train`` checkpoint inspection and warm-starting.

``list_variables``, ``load_variable``, ``load_checkpoint`` / ``NewCheckpointReader``
(:class:`CheckpointReader`) and ``init_from_checkpoint``.

``init_from_checkpoint`` works as TF's does: each target variable's initializer is replaced by
``Assign(var, RestoreV2(...))`` (``RestoreV2`` named ``checkpoint_initializer``), so the value is
read from the checkpoint when the initializer runs, and ``initial_value`` becomes the restored
tensor. Every ``assignment_map`` form is supported, with TF's ``ValueError`` texts.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.variable_store import PartitionedVariable, get_variable_store
from scopeflow.checkpoint import BundleReader, CheckpointError, TensorNotFoundError
from scopeflow.errors import DataLossError, NotFoundError
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.variables import Variable
from scopeflow.train import io_ops
from scopeflow.train.checkpoint_management import latest_checkpoint

__all__ = [
    "CheckpointReader",
    "NewCheckpointReader",
    "init_from_checkpoint",
    "list_variables",
    "load_checkpoint",
    "load_variable",
]


class CheckpointReader:
    """TF's ``CheckpointReader`` (``tf.train.load_checkpoint`` / ``NewCheckpointReader``).

    Raises:
        NotFoundError: ``Unsuccessful TensorSliceReader constructor: Failed to find any
            matching files for <prefix>``.
    """

    def __init__(self, filepattern: str) -> None:
        self._prefix = os.fspath(filepattern)
        self._reader: BundleReader = io_ops.open_reader(self._prefix)

    def get_variable_to_shape_map(self) -> dict[str, list[int]]:
        """``{name: shape}`` of every variable (partitioned ones once, full shape)."""
        return self._reader.variable_to_shape_map()

    def get_variable_to_dtype_map(self) -> dict[str, dtypes.DType]:
        """``{name: tf.DType}`` of every variable."""
        return {k: dtypes.as_dtype(e) for k, e in self._reader.variable_to_dtype_enum_map().items()}

    def has_tensor(self, name: str) -> bool:
        """Whether ``name`` (no ``:0``) is in the checkpoint."""
        return self._reader.has_tensor(name)

    def get_tensor(self, name: str) -> Any:
        """The value of ``name`` as a NumPy array (scalars as NumPy scalars, strings as ``bytes``).

        Raises:
            NotFoundError: ``Key <name> not found in checkpoint``.
            DataLossError: The data is corrupt.
        """
        try:
            value = self._reader.get_tensor(name)
        except TensorNotFoundError:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint") from None
        except CheckpointError as e:
            raise DataLossError(None, None, str(e)) from None
        if value.ndim == 0:  # TF returns np.float32(3.0), not array(3.0)
            return value[()]
        return value

    def debug_string(self) -> bytes:
        """One ``name (DT_TYPE) [shape]`` line per variable, as TF's ``debug_string``."""
        shapes = self._reader.variable_to_shape_map()
        enums = self._reader.variable_to_dtype_enum_map()
        lines = []
        for name in sorted(shapes):
            dt = dtypes.as_dtype(enums[name]).name.upper().replace("FLOAT32", "FLOAT")
            dt = dt.replace("FLOAT64", "DOUBLE").replace("FLOAT16", "HALF")
            lines.append(f"{name} (DT_{dt}) [{','.join(map(str, shapes[name]))}]\n")
        return "".join(lines).encode()


def NewCheckpointReader(filepattern: str) -> CheckpointReader:
    """A :class:`CheckpointReader` for the checkpoint prefix ``filepattern``."""
    return CheckpointReader(filepattern)


def _checkpoint_filename(ckpt_dir_or_file: Any) -> str | None:
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):  # noqa: PTH112
        return latest_checkpoint(path)
    return path


def load_checkpoint(ckpt_dir_or_file: Any) -> CheckpointReader:
    """A reader for a checkpoint prefix, or the latest checkpoint of a directory.

    Raises:
        ValueError: A directory without checkpoints (TF's text).
        NotFoundError: The prefix does not exist.
    """
    filename = _checkpoint_filename(ckpt_dir_or_file)
    if filename is None:
        raise ValueError(
            "Couldn't find 'checkpoint' file or checkpoints in given directory "
            f"{os.fspath(ckpt_dir_or_file)}"
        )
    return NewCheckpointReader(filename)


def load_variable(ckpt_dir_or_file: Any, name: str) -> Any:
    """The value of variable ``name`` (a trailing ``:0`` is ignored) in the checkpoint."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


def list_variables(ckpt_dir_or_file: Any) -> list[tuple[str, list[int]]]:
    """``[(name, shape), ...]`` of every variable, sorted by name."""
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return [(name, shapes[name]) for name in sorted(shapes)]


# --- init_from_checkpoint ------------------------------------------------------------------------


def _is_variable(x: Any) -> bool:
    return isinstance(x, Variable)


def _collect_partitioned_variable(name: str, all_vars: Mapping[str, Any]) -> list[Any] | None:
    if f"{name}/part_0" not in all_vars:
        return None
    out = []
    i = 0
    while f"{name}/part_{i}" in all_vars:
        out.append(all_vars[f"{name}/part_{i}"])
        i += 1
    return out


def _set_checkpoint_initializer(
    variable: Variable, ckpt_file: str, tensor_name: str, slice_spec: str
) -> None:
    g = get_default_graph()
    base = variable.dtype.base_dtype
    with g.device(variable.device), g.device("/cpu:0"):
        restored = io_ops.restore_v2(
            ckpt_file, [tensor_name], [slice_spec], [base], name="checkpoint_initializer",
            shapes=[variable.get_shape()],
        )[0]  # fmt: skip
    init = g._create_op(
        "Assign",
        (variable._as_graph_element(), restored),
        {"T": base, "validate_shape": variable.get_shape().is_fully_defined(), "use_locking": True},
        "Assign",
        (base._as_ref,),
        (variable.get_shape(),),
    )
    variable._initializer_op = init
    variable._initial_value = restored


def _set_variable_or_list_initializer(var_or_list: Any, ckpt_file: str, tensor_name: str) -> None:
    if isinstance(var_or_list, (list, tuple, PartitionedVariable)):
        slice_name = None
        for v in var_or_list:
            info = v._get_save_slice_info()
            if slice_name is None:
                slice_name = info.full_name
            elif slice_name != info.full_name:
                raise ValueError(
                    f"Slices must all be from the same tensor: {slice_name} != {info.full_name}"
                )
            _set_checkpoint_initializer(v, ckpt_file, tensor_name, info.spec)
    else:
        _set_checkpoint_initializer(var_or_list, ckpt_file, tensor_name, "")


def init_from_checkpoint(ckpt_dir_or_file: Any, assignment_map: Any) -> None:
    """Initialize variables from a checkpoint by replacing their initializers (TF1 semantics).

    ``assignment_map`` (a dict or a list of pairs) maps checkpoint names to current ones:
    ``'ckpt_scope/': 'scope/'`` (every variable of the scope), ``'/': 'scope/'`` (checkpoint
    root into a scope), ``'ckpt_name': 'name'``, ``'ckpt_name': variable``,
    ``'ckpt_name': [partition shards]`` or a ``PartitionedVariable``, or the name of a
    partitioned variable.

    Raises:
        ValueError: Missing checkpoint, missing tensor, shape mismatch or a malformed map
            (TF's texts).
    """
    ckpt_file = _checkpoint_filename(ckpt_dir_or_file)
    reader = load_checkpoint(ckpt_dir_or_file)
    assert ckpt_file is not None
    variable_map = reader.get_variable_to_shape_map()
    items = assignment_map.items() if isinstance(assignment_map, Mapping) else assignment_map
    store_vars = get_variable_store()._vars
    shown_dir = os.fspath(ckpt_dir_or_file)
    for tensor_name_in_ckpt, current in sorted(items, key=lambda pair: pair[0]):
        var: Any = None
        if isinstance(current, PartitionedVariable):
            var = list(current)
        elif _is_variable(current) or (
            isinstance(current, list) and all(_is_variable(v) for v in current)
        ):
            var = current
        else:
            var = store_vars.get(current)
            if var is None:
                var = _collect_partitioned_variable(current, store_vars)
        if var is not None:
            if tensor_name_in_ckpt not in variable_map:
                raise ValueError(
                    f"Tensor {tensor_name_in_ckpt} is not found in {shown_dir} checkpoint "
                    f"{variable_map}"
                )
            if _is_variable(var) and not var.get_shape().is_compatible_with(
                variable_map[tensor_name_in_ckpt]
            ):
                raise ValueError(
                    f"Shape of variable {var.name} ({var.get_shape()}) doesn't match with shape "
                    f"of tensor {tensor_name_in_ckpt} ({variable_map[tensor_name_in_ckpt]}) from "
                    "checkpoint reader."
                )
            _set_variable_or_list_initializer(var, ckpt_file, tensor_name_in_ckpt)
            continue
        scopes = ""
        if "/" in current:
            scopes = current[: current.rindex("/")]
        if not tensor_name_in_ckpt.endswith("/"):
            raise ValueError(
                f"Assignment map with scope only name {scopes} should map to scope only "
                f"{tensor_name_in_ckpt}. Should be 'scope/': 'other_scope/'."
            )
        scope_variables = set()
        for store_name in store_vars:
            if not scopes or store_name.startswith(scopes + "/"):
                if "/part_" in store_name:
                    store_name = store_name[: store_name.index("/part_")]  # noqa: PLW2901
                scope_variables.add(store_name)
        for var_name in sorted(scope_variables):
            full_tensor_name = var_name[len(scopes) :]
            if current != "/":
                full_tensor_name = full_tensor_name[1:]
            if tensor_name_in_ckpt != "/":
                full_tensor_name = tensor_name_in_ckpt + full_tensor_name
            if full_tensor_name.endswith("/"):
                full_tensor_name = full_tensor_name[:-1]
            if full_tensor_name not in variable_map:
                raise ValueError(
                    f"Tensor {full_tensor_name} ({var_name[len(scopes) + 1 :]} in "
                    f"{tensor_name_in_ckpt}) is not found in {shown_dir} checkpoint"
                )
            target = store_vars.get(var_name)
            if target is None:
                target = _collect_partitioned_variable(var_name, store_vars)
            _set_variable_or_list_initializer(target, ckpt_file, full_tensor_name)
