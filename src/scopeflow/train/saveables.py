"""What a ``Saver`` saves: TF's ``op_list_to_dict`` + ``validate_and_slice_inputs``.

Responsibility: turn a ``var_list`` (list or dict; Variables, PartitionedVariables, lists of
partition shards, custom ``saveable_object.SaveableObject`` s) into sorted :class:`SaveSpec`
entries, one per tensor written — checkpoint key, slice spec, the tensor ``SaveV2`` reads and
the variable ``RestoreV2`` assigns (or the saveable that restores itself) — with TF's ordering
(by checkpoint key) and TF's error texts for duplicates.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.variable_store import PartitionedVariable
from scopeflow.graph.tensor import Tensor
from scopeflow.graph.variables import Variable
from scopeflow.train.saveable_object import SaveableObject

__all__ = ["SaveSpec", "op_list_to_dict", "saveables_for"]


@dataclass(frozen=True)
class SaveSpec:
    """One tensor of a checkpoint.

    Attributes:
        name: Checkpoint key (the full variable name for partition shards).
        spec: TF slice spec (``""`` for a whole variable).
        tensor: What ``SaveV2`` reads (the ref for whole variables, ``<part>/read`` for slices).
        variable: The variable ``RestoreV2``'s value is assigned to (``None`` for a
            custom saveable's tensor).
        dtype: Base dtype.
        full_shape: Shape of the whole checkpoint entry (``None`` if not fully known).
        slice_shape: Shape of this tensor (the slice).
        saveable: The custom :class:`SaveableObject` this tensor belongs to (its ``restore``
            receives the restored value), or ``None`` for a variable.
    """

    name: str
    spec: str
    tensor: Tensor
    variable: Variable | None
    dtype: dtypes.DType
    full_shape: tuple[int, ...] | None
    slice_shape: tuple[int, ...] | None
    saveable: SaveableObject | None = None

    @property
    def device(self) -> str:
        """The variable's device string, canonicalised like TF's (``/device:CPU:1``)."""
        if self.saveable is not None:
            return canonical_device(self.saveable.device)
        assert self.variable is not None
        return canonical_device(self.variable.device)


def canonical_device(device: str) -> str:
    """``/cpu:1`` → ``/device:CPU:1`` (other components kept in order).

    >>> canonical_device("/job:w/cpu:1"), canonical_device("")
    ('/job:w/device:CPU:1', '')
    """
    parts = []
    for comp in device.split("/"):
        if not comp:
            continue
        kind, _, rest = comp.partition(":")
        if kind.lower() in ("cpu", "gpu"):
            parts.append(f"device:{kind.upper()}:{rest or '0'}")
        elif kind == "device" and rest.count(":") == 1:
            dkind, num = rest.split(":")
            parts.append(f"device:{dkind.upper()}:{num}")
        else:
            parts.append(comp)
    return "".join("/" + p for p in parts)


def _static(shape: Any) -> tuple[int, ...] | None:
    return tuple(shape.as_list()) if shape.is_fully_defined() else None


def op_list_to_dict(var_list: Any) -> dict[str, Any]:
    """Map checkpoint keys to a Variable, a list of partition shards, or a PartitionedVariable.

    Raises:
        TypeError: If ``var_list`` is neither a list/tuple/set nor a dict.
        ValueError: ``At least two variables have the same name: <name>`` and TF's other texts.
    """
    if isinstance(var_list, dict):
        return dict(var_list)
    if not isinstance(var_list, (list, tuple, set)):
        raise TypeError(f"Variables to save should be passed in a dict or a list. Got {var_list}")
    flat: list[Any] = []
    for v in var_list:
        if isinstance(v, (list, tuple)):
            flat.extend(v)
        else:
            flat.append(v)
    flat.sort(key=lambda x: x.name)
    out: dict[str, Any] = {}
    for var in flat:
        if isinstance(var, (SaveableObject, PartitionedVariable)):
            if var.name in out:
                raise ValueError(f"At least two variables have the same name: {var.name}")
            out[var.name] = var
        elif isinstance(var, Variable) and var._get_save_slice_info() is not None:
            name = var._get_save_slice_info().full_name
            if name in out:
                if not isinstance(out[name], list):
                    raise ValueError(f"Mixing slices and non-slices with the same name: {name}")
                out[name].append(var)
            else:
                out[name] = [var]
        elif isinstance(var, Variable):
            name = var.op.name
            if name in out:
                raise ValueError(f"At least two variables have the same name: {name}")
            out[name] = var
        else:
            raise TypeError(f"Variable to save is not a Variable: {var}")
    return out


def _slices(name: str, parts: Any) -> list[SaveSpec]:
    specs = []
    slice_name = None
    for part in parts:
        if not isinstance(part, Variable):
            raise TypeError(f"Variable to save is not a Variable: {part}")
        info = part._get_save_slice_info()
        if info is None:
            raise ValueError(f"Variable {part.name} is not a slice of a partitioned variable")
        if slice_name is None:
            slice_name = info.full_name
        elif info.full_name != slice_name:
            raise ValueError(
                f"Slices must all be from the same tensor: {slice_name} != {info.full_name}"
            )
        specs.append(
            SaveSpec(
                name,
                info.spec,
                part.value(),
                part,
                part.dtype.base_dtype,
                tuple(int(d) for d in info.full_shape),
                _static(part.get_shape()),
            )
        )
    return specs


def _custom(obj: SaveableObject) -> list[SaveSpec]:
    out = []
    for spec in obj.specs:
        t = spec.tensor
        shape = _static(t.get_shape())
        dtype = dtypes.as_dtype(spec.dtype).base_dtype
        out.append(SaveSpec(spec.name, spec.slice_spec, t, None, dtype, shape, shape, obj))
    return out


def saveables_for(names_to_vars: dict[str, Any]) -> list[SaveSpec]:
    """The :class:`SaveSpec` list of a name → variable mapping, sorted by checkpoint key.

    Raises:
        ValueError: ``The same saveable will be restored with two names: <name>``.
        TypeError: For a value that is not a variable.
    """
    specs: list[SaveSpec] = []
    seen: set[int] = set()
    for name, var in sorted(names_to_vars.items(), key=lambda kv: kv[0]):
        if isinstance(var, SaveableObject):
            if id(var.op) in seen:
                raise ValueError(f"The same saveable will be restored with two names: {name}")
            seen.add(id(var.op))
            specs.extend(_custom(var))
            continue
        if isinstance(var, PartitionedVariable):
            group = _slices(name, list(var))
        elif isinstance(var, (list, tuple)):
            group = _slices(name, var)
        elif isinstance(var, Variable):
            ref = var._as_graph_element()
            group = [
                SaveSpec(
                    name,
                    "",
                    ref,
                    var,
                    var.dtype.base_dtype,
                    _static(var.get_shape()),
                    _static(var.get_shape()),
                )
            ]
        else:
            raise TypeError(
                f"Can not convert a {type(var).__name__} into a Tensor or Operation."
                if not isinstance(var, Tensor)
                else f"Variable to save is not a Variable: {var}"
            )
        for s in group:
            if id(s.variable) in seen:
                raise ValueError(f"The same saveable will be restored with two names: {name}")
            seen.add(id(s.variable))
        specs.extend(group)
    return specs
