"""The variable store: ``get_variable``'s get-or-create logic, partitioning and regularizers.

``docs/tf1_semantics.md`` §5, §7, §9 and §10 as code, with checks in TF's order so that the same
mistake gets the same error. The store is keyed by the exact full name (case-sensitive); the
variable's display name is the uniquified op name the graph layer gives it.

A failed ``get_variable`` leaves the store and the collections exactly as TF does: every check
that can fail before construction runs first and writes nothing; a variable whose construction
succeeded stays in the store and its collections even if a later step fails (a raising
regularizer, a later shard of a partitioned variable), so that retrying reports what TF reports
(``Variable r already exists``, ``Partitioner returned a different partitioning``).

Must not import torch or any scopeflow layer above ``_core``.
"""

from __future__ import annotations

import collections.abc
import contextlib
import enum
import functools
import inspect
import sys
import traceback
from typing import Any

from scopeflow._core import dtypes as dtypes_mod
from scopeflow._core import explain, tensor_shape
from scopeflow._core.backend import backend
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.graph_state import get_default_graph
from scopeflow._core.name_scope import name_scope
from scopeflow._core.sites import user_site
from scopeflow._core.variable_scope import get_variable_scope
from scopeflow.errors import (
    VariableAlreadyExistsError,
    VariableDtypeMismatchError,
    VariableNotFoundError,
    VariableShapeMismatchError,
)


class VariableSynchronization(enum.Enum):
    """When a distributed variable is synchronized (stored and validated only)."""

    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregation(enum.Enum):
    """How a distributed variable is aggregated (stored and validated only)."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


def validate_synchronization_aggregation_trainable(
    synchronization: Any, aggregation: Any, trainable: Any, name: str | None = None
) -> tuple[VariableSynchronization, VariableAggregation, bool]:
    """TF's defaults and validation for these three arguments."""
    if aggregation is None:
        aggregation = VariableAggregation.NONE
    elif not isinstance(aggregation, VariableAggregation):
        try:
            aggregation = VariableAggregation(aggregation)
        except ValueError:
            raise ValueError(
                f"Invalid variable aggregation mode: {aggregation} for variable: {name}"
            ) from None
    if synchronization is None:
        synchronization = VariableSynchronization.AUTO
    else:
        try:
            synchronization = VariableSynchronization(synchronization)
        except ValueError:
            raise ValueError(
                f"Invalid variable synchronization mode: {synchronization} for variable: {name}"
            ) from None
    if trainable is None:
        trainable = synchronization != VariableSynchronization.ON_READ
    return synchronization, aggregation, trainable


class _PartitionInfo:
    """Where a shard sits in its full variable; passed to initializers as ``partition_info``.

    Validation and error texts are TF's: both arguments are sequences of equal length and every
    offset lies inside the full shape (``0 <= offset < full``).
    """

    def __init__(self, full_shape: list[int], var_offset: list[int]) -> None:
        if not isinstance(full_shape, (list, tuple)):
            raise TypeError(
                "`full_shape` must be a sequence (like tuple or list) instead of "
                + type(full_shape).__name__
            )
        if not isinstance(var_offset, (list, tuple)):
            raise TypeError(
                "`var_offset` must be a sequence (like tuple or list) instead of "
                + type(var_offset).__name__
            )
        if len(full_shape) != len(var_offset):
            raise ValueError(
                f"Expected equal length, but `var_offset` is of length {len(var_offset)} while "
                f"full_shape is of length {len(full_shape)}."
            )
        for offset, dim in zip(var_offset, full_shape, strict=True):
            if offset < 0 or offset >= dim:
                raise ValueError(
                    f"Expected 0 <= offset < shape but found offset={offset}, shape={dim} for "
                    f"var_offset={var_offset}, full_shape={full_shape}"
                )
        self._full_shape = full_shape
        self._var_offset = var_offset

    @property
    def full_shape(self) -> list[int]:
        """The shape of the whole (unpartitioned) variable."""
        return self._full_shape

    @property
    def var_offset(self) -> list[int]:
        """This shard's offset in the whole variable, per dimension."""
        return self._var_offset

    def single_offset(self, shape: list[int]) -> int:
        """The offset along the single partitioned axis (0 if not partitioned)."""
        axis = self.single_slice_dim(shape)
        return 0 if axis is None else self._var_offset[axis]

    def single_slice_dim(self, shape: list[int]) -> int | None:
        """The partitioned axis, or None if the shard is the whole variable.

        Raises:
            TypeError: ``shape`` is not a list or tuple.
            ValueError: ``shape`` has another rank than the full shape, the shard would reach
                past the full shape, or it is sliced along more than one axis.
        """
        if not isinstance(shape, (tuple, list)):
            raise TypeError(
                "`shape` must be a sequence (like tuple or list) instead of " + type(shape).__name__
            )
        full = self._full_shape
        if len(shape) != len(full):
            raise ValueError(
                f"Expected equal length, but received shape={shape} of length {len(shape)} "
                f"while self.full_shape={full} is of length {len(full)}."
            )
        for i, (offset, dim, whole) in enumerate(zip(self._var_offset, shape, full, strict=True)):
            if offset + dim > whole:
                raise ValueError(
                    f"With self.var_offset={self._var_offset}, a partition of shape={shape} "
                    f"would exceed self.full_shape={full} in dimension {i}."
                )
        slice_dim = None
        for i, (dim, whole) in enumerate(zip(shape, full, strict=True)):
            if dim == whole:
                continue
            if slice_dim is not None:
                raise ValueError(
                    f"Cannot use single_slice_dim() with shape={shape} and "
                    f"self.full_shape={full} since slice dim could be either dimension {i} "
                    f"or {slice_dim}."
                )
            slice_dim = i
        return slice_dim


class SaveSliceInfo:
    """How a shard is saved: the full variable's name and shape, and this shard's slice."""

    def __init__(
        self,
        full_name: str | None = None,
        full_shape: list[int] | None = None,
        var_offset: list[int] | None = None,
        var_shape: list[int] | None = None,
    ) -> None:
        self.full_name = full_name
        self.full_shape = full_shape
        self.var_offset = var_offset
        self.var_shape = var_shape

    @property
    def spec(self) -> str:
        """TF's slice spec string, e.g. ``'6 2 0,2:0,2'``."""
        full = " ".join(str(d) for d in self.full_shape or [])
        sl = ":".join(
            f"{o},{s}" for o, s in zip(self.var_offset or [], self.var_shape or [], strict=True)
        )
        return full + " " + sl


class PartitionedVariable:
    """A variable stored as shards ``name/part_0 ... name/part_{n-1}`` along one axis.

    ``name`` has no ``:0``; iterating yields the shards in offset order; ``as_tensor()`` is the
    concatenated value (named ``name``).
    """

    def __init__(
        self,
        name: str,
        shape: Any,
        dtype: Any,
        variable_list: list[Any],
        partitions: list[int],
    ) -> None:
        if not isinstance(variable_list, (list, tuple)):
            raise TypeError(f"variable_list is not a list or tuple: {variable_list}")
        if not isinstance(partitions, (list, tuple)):
            raise TypeError(f"partitions is not a list or tuple: {partitions}")
        if not all(p >= 1 for p in partitions):
            raise ValueError(f"partition values must be positive: {partitions}")
        if not variable_list:
            raise ValueError("variable_list may not be empty")
        self._variable_list = sorted(
            variable_list, key=lambda v: v._get_save_slice_info().var_offset
        )
        self._name = name
        self._shape = tensor_shape.as_shape(shape)
        self._dtype = dtypes_mod.as_dtype(dtype)
        self._partitions = list(partitions)
        self._as_tensor_cache: Any = None

    def __iter__(self) -> Any:
        return iter(self._variable_list)

    def __len__(self) -> int:
        num_partition_axes = len([p for p in self._partitions if p > 1])
        if num_partition_axes > 1:
            raise ValueError("Cannot get a length of a multi-axis partitioned variable.")
        return len(self._variable_list)

    def _get_variable_list(self) -> list[Any]:
        return self._variable_list

    def _get_partitions(self) -> list[int]:
        return self._partitions

    def _partition_axes(self) -> list[int]:
        if all(p == 1 for p in self._partitions):
            return [0]
        return [i for i, p in enumerate(self._partitions) if p > 1]

    def _concat(self) -> Any:
        if len(self._variable_list) == 1:
            with name_scope(None):
                return backend.convert_to_tensor(self._variable_list[0], name=self._name)
        axis = self._partition_axes()[0]
        with name_scope(None):
            return backend.concat([v.value() for v in self._variable_list], axis, name=self._name)

    def as_tensor(self) -> Any:
        """The full value, concatenated along the partition axis (new op on every call)."""
        return self._concat()

    def _as_tensor(self, dtype: Any = None, name: Any = None, as_ref: bool = False) -> Any:
        if as_ref:
            raise NotImplementedError(
                "PartitionedVariable doesn't support being used as a reference."
            )
        return self.as_tensor()

    @property
    def name(self) -> str:
        """The full name, without ``:0``."""
        return self._name

    @property
    def dtype(self) -> Any:
        """The dtype of every shard."""
        return self._dtype

    @property
    def shape(self) -> tensor_shape.TensorShape:
        """The full (unpartitioned) shape."""
        return self._shape

    def get_shape(self) -> tensor_shape.TensorShape:
        """The full (unpartitioned) shape."""
        return self._shape

    @property
    def graph(self) -> Any:
        """The graph of the shards."""
        return self._variable_list[0].graph

    def _apply_assign_fn(self, assign_fn: Any, value: Any) -> list[Any]:
        axes = self._partition_axes()
        if len(axes) > 1:
            raise NotImplementedError(
                f"Cannot do assign action along more than one dimension: {axes}.  "
                "Multi-axis partition assign action is not supported "
            )
        if isinstance(value, list):
            if len(value) != len(self._variable_list):
                raise ValueError(
                    f"Expected {len(self._variable_list)} values, one per partition, "
                    f"got {len(value)}."
                )
            values = value
        elif isinstance(value, PartitionedVariable):
            values = list(value)
        else:
            sizes = [v.shape[axes[0]].value for v in self._variable_list]
            values = backend.split(value, sizes, axis=axes[0])
        return [assign_fn(v, values[i]) for i, v in enumerate(self._variable_list)]

    def _assign(self, method: str, value: Any, use_locking: bool, name: Any,
                read_value: bool) -> list[Any]:  # fmt: skip
        out = self._apply_assign_fn(
            lambda var, val: getattr(var, method)(
                val, use_locking=use_locking, name=name, read_value=read_value
            ),
            value,
        )
        # As TF 2.21: with read_value=False the shard assignments are already ops, and TF's
        # ``[assign.op for ...]`` raises AttributeError; kept for fidelity.
        return out if read_value else [a.op for a in out]

    def assign(
        self, value: Any, use_locking: bool = False, name: Any = None, read_value: bool = True
    ) -> list[Any]:
        """Assigns each shard its slice of ``value`` (split along the partition axis).

        Returns the per-shard assignment tensors.
        """
        return self._assign("assign", value, use_locking, name, read_value)

    def assign_add(
        self, value: Any, use_locking: bool = False, name: Any = None, read_value: bool = True
    ) -> list[Any]:
        """Adds to each shard its slice of ``value``."""
        return self._assign("assign_add", value, use_locking, name, read_value)

    def assign_sub(
        self, value: Any, use_locking: bool = False, name: Any = None, read_value: bool = True
    ) -> list[Any]:
        """Subtracts from each shard its slice of ``value``."""
        return self._assign("assign_sub", value, use_locking, name, read_value)

    def __repr__(self) -> str:
        return (
            f"<tf.PartitionedVariable '{self._name}' shape={self._shape} dtype={self._dtype.name}>"
        )


class _LazyEvalTensor:
    """A regularization loss that re-runs the regularizer each time it is converted to a tensor.

    TF stores these in ``REGULARIZATION_LOSSES``; attribute access goes to the tensor made at
    creation (``_master_tensor``), conversion (``convert_to_tensor``, arithmetic, ``add_n``) makes
    a new one by calling the regularizer again.
    """

    def __init__(self, thunk: Any) -> None:
        self._thunk = thunk
        self._master_tensor = thunk()

    def _as_tensor(self, dtype: Any = None, name: Any = None, as_ref: bool = False) -> Any:
        return self._thunk()

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(self._master_tensor, attr)

    def __repr__(self) -> str:
        return repr(self._master_tensor)


def _lazy_binary(op_name: str) -> Any:
    def method(self: _LazyEvalTensor, other: Any) -> Any:
        return getattr(self._as_tensor(), op_name)(other)

    method.__name__ = op_name
    return method


for _op in (
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
    "__rtruediv__", "__neg__", "__getitem__", "__pow__", "__lt__", "__gt__", "__le__", "__ge__",
):  # fmt: skip
    if _op == "__neg__":
        setattr(_LazyEvalTensor, _op, lambda self: self._as_tensor().__neg__())
    else:
        setattr(_LazyEvalTensor, _op, _lazy_binary(_op))


def _is_scalar_shape_arg(shape: Any) -> bool:
    return (
        shape is not None
        and isinstance(shape, collections.abc.Sequence)
        and not isinstance(shape, str)
        and not shape
    )


_SIGNATURE_CACHE: dict[Any, tuple[frozenset[str], bool] | None] = {}


def _signature_info(fn: Any) -> tuple[frozenset[str], bool] | None:
    """(named parameters, has ``**kwargs``) of a callable; cached per function or class."""
    key: Any = fn if inspect.isfunction(fn) or inspect.ismethod(fn) else type(fn)
    if key is functools.partial:
        key = None
    if key is not None:
        try:
            return _SIGNATURE_CACHE[key]
        except (KeyError, TypeError):
            pass
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        info = None
    else:
        params = sig.parameters.values()
        info = (
            frozenset(
                p.name
                for p in params
                if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY, p.POSITIONAL_ONLY)
            ),
            any(p.kind is p.VAR_KEYWORD for p in params),
        )
    if key is not None:
        with contextlib.suppress(TypeError):  # unhashable callables are simply not cached
            _SIGNATURE_CACHE[key] = info
    return info


def _accepts(fn: Any, arg: str) -> bool:
    """Whether ``fn`` takes a parameter named ``arg`` (by name, not through ``**kwargs``)."""
    info = _signature_info(fn)
    return info is not None and arg in info[0]


def _has_var_keyword(fn: Any) -> bool:
    info = _signature_info(fn)
    return info is not None and info[1]


def _needs_no_arguments(fn: Any) -> bool:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    return all(
        p.default is not p.empty
        for p in sig.parameters.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.POSITIONAL_ONLY, p.KEYWORD_ONLY)
    )


_INTERNAL_PATH_MARKERS = ("/scopeflow/", "\\scopeflow\\")
_INTERNAL_CODE: dict[Any, bool] = {}


def capture_user_frames(limit: int = 5) -> tuple[tuple[str, int, str], ...]:
    """The innermost ``limit`` caller frames outside scopeflow, cheaply (no source reads)."""
    frames: list[tuple[str, int, str]] = []
    internal = _INTERNAL_CODE
    f: Any = sys._getframe(1)
    while f is not None and len(frames) < limit:
        code = f.f_code
        skip = internal.get(code)
        if skip is None:
            fn = code.co_filename
            skip = internal[code] = fn.startswith("<frozen") or any(
                m in fn for m in _INTERNAL_PATH_MARKERS
            )
        if not skip:
            frames.append((code.co_filename, f.f_lineno, code.co_name))
        f = f.f_back
    return tuple(frames)


def format_user_frames(frames: tuple[tuple[str, int, str], ...]) -> str:
    """Formats frames captured by ``capture_user_frames`` as a traceback listing."""
    summary = traceback.StackSummary.from_list([(fn, ln, name, None) for fn, ln, name in frames])
    return "".join(summary.format())


class _VariableStore:
    """Variables created by ``get_variable``, by exact full name (one store per graph)."""

    def __init__(self) -> None:
        self._vars: dict[str, Any] = {}
        self._partitioned_vars: dict[str, PartitionedVariable] = {}

    def get_variable(
        self,
        name: str,
        shape: Any = None,
        dtype: Any = dtypes_mod.float32,
        initializer: Any = None,
        regularizer: Any = None,
        reuse: Any = None,
        trainable: bool | None = None,
        collections: Any = None,
        caching_device: Any = None,
        partitioner: Any = None,
        validate_shape: bool = True,
        use_resource: bool | None = None,
        custom_getter: Any = None,
        constraint: Any = None,
        synchronization: Any = None,
        aggregation: Any = None,
    ) -> Any:
        """Gets or creates ``name``; applies ``custom_getter`` when given (§5 B)."""
        if (
            reuse is not False
            and custom_getter is None
            and partitioner is None
            and (synchronization is None or synchronization is VariableSynchronization.AUTO)
            and (aggregation is None or aggregation is VariableAggregation.NONE)
        ):
            found = self._vars.get(name)
            if found is not None:
                return _check_reuse(name, found, shape, dtype, initializer)
        if custom_getter is not None and not callable(custom_getter):
            raise ValueError(f"Passed a custom_getter which is not callable: {custom_getter}")
        base = getattr(dtype, "base_dtype", None)
        if base is not None:
            dtype = base
        synchronization, aggregation, trainable = validate_synchronization_aggregation_trainable(
            synchronization, aggregation, trainable, name
        )
        kwargs: dict[str, Any] = {
            "name": name,
            "shape": shape,
            "dtype": dtype,
            "initializer": initializer,
            "regularizer": regularizer,
            "reuse": reuse,
            "trainable": trainable,
            "collections": collections,
            "caching_device": caching_device,
            "partitioner": partitioner,
            "validate_shape": validate_shape,
            "use_resource": use_resource,
            "synchronization": synchronization,
            "aggregation": aggregation,
        }
        if custom_getter is None:
            return self._true_getter(constraint=constraint, **kwargs)
        # TF passes ``constraint`` only to getters that can take it (older getters cannot).
        if _accepts(custom_getter, "constraint") or _has_var_keyword(custom_getter):
            kwargs["constraint"] = constraint
        return custom_getter(**{"getter": self._true_getter, **kwargs})

    def _true_getter(
        self,
        name: str,
        shape: Any = None,
        dtype: Any = dtypes_mod.float32,
        initializer: Any = None,
        regularizer: Any = None,
        reuse: Any = None,
        trainable: bool | None = None,
        collections: Any = None,
        caching_device: Any = None,
        partitioner: Any = None,
        validate_shape: bool = True,
        use_resource: bool | None = None,
        constraint: Any = None,
        synchronization: Any = VariableSynchronization.AUTO,
        aggregation: Any = VariableAggregation.NONE,
    ) -> Any:
        kw = {
            "shape": shape,
            "dtype": dtype,
            "initializer": initializer,
            "regularizer": regularizer,
            "reuse": reuse,
            "trainable": trainable,
            "collections": collections,
            "caching_device": caching_device,
            "validate_shape": validate_shape,
            "use_resource": use_resource,
            "constraint": constraint,
            "synchronization": synchronization,
            "aggregation": aggregation,
        }
        if partitioner is not None and not _is_scalar_shape_arg(shape):
            if not callable(partitioner):
                raise ValueError(f"Partitioner must be callable, but received: {partitioner}")
            with name_scope(None):
                return self._get_partitioned_variable(name, partitioner, **kw)
        if reuse is True and partitioner is None and name in self._partitioned_vars:
            return self._get_partitioned_variable(name, None, **kw)
        if f"{name}/part_0" in self._vars:
            raise ValueError(
                "No partitioner was provided, but a partitioned version of the variable was "
                f"found: {name}/part_0. Perhaps a variable of the same name was already created "
                "with partitioning?"
            )
        return self._get_single_variable(name, **kw)

    def _get_partitioned_variable(
        self, name: str, partitioner: Any, *, shape: Any, dtype: Any, initializer: Any, reuse: Any,
        **kw: Any,
    ) -> PartitionedVariable:  # fmt: skip
        initializing_from_value = initializer is not None and backend.is_tensor(initializer)
        if name in self._vars:
            raise ValueError(
                "A partitioner was provided, but an unpartitioned version of the variable was "
                f"found: {name}.  Perhaps a variable of the same name was already created "
                "without partitioning?"
            )
        dtype = dtypes_mod.as_dtype(dtype)
        shape = tensor_shape.as_shape(shape)
        if initializing_from_value:
            shape = shape.merge_with(initializer.get_shape())
        partitions = None
        if not reuse or partitioner:
            partitions = _call_partitioner(partitioner, shape, dtype)
        if name in self._partitioned_vars:
            if reuse is False:
                raise ValueError(
                    f"Partitioned variable with name {name} already exists. Did you mean to set "
                    "reuse=True or reuse=tf.AUTO_REUSE in VarScope?"
                )
            existing = self._partitioned_vars[name]
            if not shape.is_compatible_with(existing.get_shape()):
                raise ValueError(
                    f"Trying to reuse partitioned variable {name}, but specified shape {shape} "
                    f"and found shape {existing.get_shape()}."
                )
            if not dtype.is_compatible_with(existing.dtype):
                raise ValueError(
                    f"Trying to reuse partitioned variable {name}, but specified dtype "
                    f"{dtype.name} and found dtype {existing.dtype.name}."
                )
            if partitions is not None and existing._get_partitions() != list(partitions):
                raise ValueError(
                    f"Trying to reuse partitioned variable {name}, but specified partitions "
                    f"{list(partitions)} and found partitions {existing._get_partitions()}."
                )
            return existing
        if reuse is True:
            raise ValueError(
                f"PartitionedVariable {name} does not exist, or was not created with "
                "tf.get_variable(). Did you mean to set reuse=False or reuse=tf.AUTO_REUSE in "
                "VarScope?"
            )
        assert partitions is not None
        slice_dim, num_slices = _get_slice_dim_and_num_slices(partitions)
        if f"{name}/part_0" in self._vars:
            if f"{name}/part_{num_slices - 1}" not in self._vars:
                raise ValueError(
                    "Partitioner returned a different partitioning than what was already found.  "
                    f"Partitioner returned {num_slices} shards, and shard {name}/part_0 was "
                    f"found, but {name}/part_{num_slices - 1} was not."
                )
            if f"{name}/part_{num_slices}" in self._vars:
                raise ValueError(
                    "Partitioner returned a different partitioning than what was already found.  "
                    f"Partitioner returned {num_slices} shards, and shard {name}/part_0 was "
                    f"found, but so was the extra shard {name}/part_{num_slices}."
                )
        full_shape = shape.as_list()
        vs: list[Any] = []
        # Shards made before a failing one stay in the store, as in TF.
        self._create_shards(name, full_shape, num_slices, slice_dim, initializer, dtype, reuse,
                            kw, vs)  # fmt: skip
        pv = PartitionedVariable(
            name=name, shape=shape, dtype=dtype, variable_list=vs, partitions=list(partitions)
        )
        self._partitioned_vars[name] = pv
        return pv

    def _create_shards(self, name: str, full_shape: list[int], num_slices: int, slice_dim: int,
                       initializer: Any, dtype: Any, reuse: Any, kw: dict[str, Any],
                       vs: list[Any]) -> None:  # fmt: skip
        for i, (var_offset, var_shape) in enumerate(
            _iter_slices(full_shape, num_slices, slice_dim)
        ):
            partition_info = _PartitionInfo(full_shape=full_shape, var_offset=var_offset)
            var_full_name = f"{name}/part_{i}"
            with name_scope(var_full_name + "/PartitionedInitializer"):
                if initializer is None:
                    init, from_value = _get_default_initializer(name, dtype)
                    init_shape = None if from_value else var_shape
                elif callable(initializer):
                    init, init_shape = initializer, var_shape
                elif backend.is_tensor(initializer):
                    init = backend.slice(initializer, var_offset, var_shape)
                    dtype = init.dtype.base_dtype
                    init_shape = None
                else:
                    init = backend.convert_to_tensor(initializer, dtype=dtype)
                    init = backend.slice(init, var_offset, var_shape)
                    init_shape = None
            with name_scope(None):
                var = self._get_single_variable(
                    var_full_name,
                    shape=init_shape,
                    dtype=dtype,
                    initializer=init,
                    partition_info=partition_info,
                    reuse=reuse,
                    **kw,
                )
            vs.append(var)
            var._set_save_slice_info(SaveSliceInfo(name, full_shape, var_offset, var_shape))

    def _get_single_variable(
        self,
        name: str,
        shape: Any = None,
        dtype: Any = dtypes_mod.float32,
        initializer: Any = None,
        regularizer: Any = None,
        partition_info: _PartitionInfo | None = None,
        reuse: Any = None,
        trainable: bool | None = None,
        collections: Any = None,
        caching_device: Any = None,
        validate_shape: bool = True,
        use_resource: bool | None = None,
        constraint: Any = None,
        synchronization: Any = VariableSynchronization.AUTO,
        aggregation: Any = VariableAggregation.NONE,
    ) -> Any:
        initializing_from_value = initializer is not None and not callable(initializer)
        if shape is not None and initializing_from_value:
            raise ValueError("If initializer is a constant, do not specify shape.")
        dtype = dtypes_mod.as_dtype(dtype)
        if shape is not None:
            shape = tensor_shape.as_shape(shape)
        found = self._vars.get(name)
        if found is not None:
            if reuse is False:
                frames = getattr(found, "_defined_at", None)
                raise VariableAlreadyExistsError(
                    name,
                    format_user_frames(frames) if frames is not None else None,
                    explanation=explain.already_exists_text(name, found),
                )
            found_shape = found.get_shape()
            if shape is not None and not shape.is_compatible_with(found_shape):
                raise VariableShapeMismatchError(
                    name, shape, found_shape, _mismatch_text(name, found, shape, dtype)
                )
            if not dtype.is_compatible_with(found.dtype):
                raise VariableDtypeMismatchError(
                    name, dtype.name, found.dtype.name, _mismatch_text(name, found, shape, dtype)
                )
            return found
        if reuse is True:
            raise VariableNotFoundError(name, explanation=explain.not_found_text(name))
        if initializer is None:
            if shape is None:
                raise ValueError(
                    f"Variable {name} did not get an initializer, so its `shape` argument must "
                    "be specified."
                )
            initializer, initializing_from_value = _get_default_initializer(name, dtype)
        if initializing_from_value:
            init_val = initializer
            variable_dtype = None
        else:
            if inspect.isclass(initializer):
                initializer = initializer()
            if shape is not None and shape.is_fully_defined():
                if _accepts(initializer, "partition_info"):
                    init_val = functools.partial(
                        initializer, shape.as_list(), dtype=dtype, partition_info=partition_info
                    )
                else:
                    init_val = functools.partial(initializer, shape.as_list(), dtype=dtype)
                variable_dtype = dtype.base_dtype
            elif _needs_no_arguments(initializer):
                init_val = initializer
                variable_dtype = None
            else:
                raise ValueError(
                    "The initializer passed is not valid. It should be a callable with no "
                    "arguments and the shape should not be provided or an instance of "
                    "`tf.keras.initializers.*' and `shape` should be fully defined."
                )
        v = backend.make_variable(
            initial_value=init_val,
            name=name,
            trainable=trainable,
            collections=collections,
            caching_device=caching_device,
            dtype=variable_dtype,
            validate_shape=validate_shape,
            constraint=constraint,
            use_resource=use_resource,
            synchronization=synchronization,
            aggregation=aggregation,
            shape=shape,
        )
        self._vars[name] = v
        if regularizer:

            def make_regularizer_op() -> Any:
                with get_default_graph().colocate_with(v), name_scope(name + "/Regularizer/"):
                    return regularizer(v)

            # A raising regularizer leaves ``v`` in the store and its collections, as in TF.
            with name_scope(None):
                first = regularizer(v)
            if first is not None:
                loss = _LazyEvalTensor(make_regularizer_op)
                get_default_graph().add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
        return v


def _check_reuse(name: str, found: Any, shape: Any, dtype: Any, initializer: Any) -> Any:
    """The reuse fast path: TF's checks on returning an existing variable, in TF's order."""
    if shape is not None and initializer is not None and not callable(initializer):
        raise ValueError("If initializer is a constant, do not specify shape.")
    dtype = dtypes_mod.as_dtype(dtype)
    found_shape = found.get_shape()
    if shape is not None and not _same_known_shape(found_shape, shape):
        shape = tensor_shape.as_shape(shape)
        if shape is not found_shape and not shape.is_compatible_with(found_shape):
            raise VariableShapeMismatchError(
                name, shape, found_shape, _mismatch_text(name, found, shape, dtype)
            )
    found_dtype = found.dtype
    if (
        dtype is not found_dtype
        and dtype is not found_dtype._base
        and (not dtype.is_compatible_with(found_dtype))
    ):
        raise VariableDtypeMismatchError(
            name, dtype.name, found_dtype.name, _mismatch_text(name, found, shape, dtype)
        )
    return found


def _mismatch_text(name: str, found: Any, shape: Any, dtype: Any) -> str:
    return explain.mismatch_text(name, found, shape, dtype, user_site(2))


def _same_known_shape(found: tensor_shape.TensorShape, shape: Any) -> bool:
    """Whether ``shape`` is a list/tuple of Python ints equal to ``found``'s known dims."""
    dims = found._dims
    if type(shape) not in (list, tuple) or dims is None or len(dims) != len(shape):
        return False
    for d, s in zip(dims, shape, strict=True):  # noqa: SIM110  (a loop: no generator frame)
        if type(s) is not int or d._value != s:
            return False
    return True


def _get_default_initializer(name: str, dtype: Any) -> tuple[Any, bool]:
    if dtype.is_floating:
        return backend.default_float_initializer(), False
    if dtype.is_integer or dtype.is_unsigned or dtype.is_bool or dtype == dtypes_mod.string:
        return backend.zeros_initializer(), False
    raise ValueError(f"An initializer for variable {name} of {dtype.base_dtype} is required")


def _call_partitioner(partitioner: Any, shape: tensor_shape.TensorShape, dtype: Any) -> Any:
    if not shape.is_fully_defined():
        raise ValueError(
            f"Shape of a new partitioned variable must be fully defined, but instead was {shape}."
        )
    if shape.ndims is not None and shape.ndims < 1:
        raise ValueError(f"A partitioned Variable must have rank at least 1, shape: {shape}")
    slicing = partitioner(shape=shape, dtype=dtype)
    if not isinstance(slicing, collections.abc.Sequence):
        raise ValueError(f"Partitioner must return a sequence, but saw: {slicing}")
    if len(slicing) != shape.ndims:
        raise ValueError(
            "Partitioner returned a partition list that does not match the Variable's rank: "
            f"{slicing} vs. {shape}"
        )
    if any(p < 1 for p in slicing):
        raise ValueError(f"Partitioner returned zero partitions for some axes: {slicing}")
    if sum(p > 1 for p in slicing) > 1:
        raise ValueError(
            f"Can only slice a variable along one dimension: shape: {shape}, "
            f"partitioning: {slicing}"
        )
    return slicing


def _get_slice_dim_and_num_slices(slicing: Any) -> tuple[int, int]:
    for slice_dim, num_slices in enumerate(slicing):
        if num_slices > 1:
            return slice_dim, num_slices
    return 0, 1


def _iter_slices(full_shape: list[int], num_slices: int, slice_dim: int) -> Any:
    excess = full_shape[slice_dim] % num_slices
    offset = [0] * len(full_shape)
    min_len = full_shape[slice_dim] // num_slices
    for i in range(num_slices):
        shape = full_shape[:]
        shape[slice_dim] = min_len + (1 if i < excess else 0)
        yield offset[:], shape
        offset[slice_dim] += shape[slice_dim]


def get_variable_store() -> _VariableStore:
    """The variable store of the default graph (shared by all threads)."""
    g = get_default_graph()
    store = g._variable_store
    if store is None:
        with g._lock:
            if g._variable_store is None:
                g._variable_store = _VariableStore()
            store = g._variable_store
    return store  # type: ignore[no-any-return]


def get_variable(
    name: str,
    shape: Any = None,
    dtype: Any = None,
    initializer: Any = None,
    regularizer: Any = None,
    trainable: bool | None = None,
    collections: Any = None,
    caching_device: Any = None,
    partitioner: Any = None,
    validate_shape: bool = True,
    use_resource: bool | None = None,
    custom_getter: Any = None,
    constraint: Any = None,
    synchronization: Any = VariableSynchronization.AUTO,
    aggregation: Any = VariableAggregation.NONE,
) -> Any:
    """Gets an existing variable with these parameters or creates a new one (TF1 semantics).

    The full name is the current variable scope's name plus ``name``; name scopes are ignored.

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.variable_scope("foo"):
    ...     v = tf.get_variable("v", [1])
    >>> print(v.name, v.shape)
    foo/v:0 (1,)
    """
    scope = get_variable_scope()
    store = get_variable_store()
    if (
        scope._reuse is not False
        and custom_getter is None
        and partitioner is None
        and scope._custom_getter is None
        and scope._partitioner is None
        and (synchronization is VariableSynchronization.AUTO or synchronization is None)
        and (aggregation is VariableAggregation.NONE or aggregation is None)
        and (dtype is None or initializer is None or callable(initializer))
    ):
        # The reuse fast path: the same checks ``VariableScope.get_variable`` and the store
        # would make on an existing variable, without building their keyword arguments.
        full_name = scope._name + "/" + name if scope._name else name
        found = store._vars.get(full_name)
        if found is not None:
            return _check_reuse(
                full_name,
                found,
                shape,
                scope._dtype if dtype is None else dtype,
                scope._initializer if initializer is None else initializer,
            )
    return scope.get_variable(
        store,
        name,
        shape=shape,
        dtype=dtype,
        initializer=initializer,
        regularizer=regularizer,
        trainable=trainable,
        collections=collections,
        caching_device=caching_device,
        partitioner=partitioner,
        validate_shape=validate_shape,
        use_resource=use_resource,
        custom_getter=custom_getter,
        constraint=constraint,
        synchronization=synchronization,
        aggregation=aggregation,
    )


def get_local_variable(
    name: str,
    shape: Any = None,
    dtype: Any = None,
    initializer: Any = None,
    regularizer: Any = None,
    trainable: bool = False,
    collections: Any = None,
    caching_device: Any = None,
    partitioner: Any = None,
    validate_shape: bool = True,
    use_resource: bool | None = None,
    custom_getter: Any = None,
    constraint: Any = None,
    synchronization: Any = VariableSynchronization.AUTO,
    aggregation: Any = VariableAggregation.NONE,
) -> Any:
    """``get_variable`` with ``trainable=False`` into ``LOCAL_VARIABLES`` (TF1 semantics).

    As in TF, a passed ``collections`` list is extended in place.
    """
    del trainable
    if collections:
        collections += [GraphKeys.LOCAL_VARIABLES]
    else:
        collections = [GraphKeys.LOCAL_VARIABLES]
    return get_variable(
        name,
        shape=shape,
        dtype=dtype,
        initializer=initializer,
        regularizer=regularizer,
        trainable=False,
        collections=collections,
        caching_device=caching_device,
        partitioner=partitioner,
        validate_shape=validate_shape,
        use_resource=use_resource,
        custom_getter=custom_getter,
        constraint=constraint,
        synchronization=synchronization,
        aggregation=aggregation,
    )


__all__ = [
    "PartitionedVariable",
    "SaveSliceInfo",
    "VariableAggregation",
    "VariableSynchronization",
    "get_local_variable",
    "get_variable",
    "get_variable_store",
    "validate_synchronization_aggregation_trainable",
]
