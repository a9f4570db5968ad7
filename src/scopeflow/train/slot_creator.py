"""Slot variables of optimizers (TF's ``slot_creator``): ``w/Adam``, ``w/Adam_1``, ``w/Momentum``.

A slot of variable ``v`` for optimizer ``name`` is a non-trainable variable created with
``get_variable("")`` inside ``variable_scope(None, default_name=v.op.name + "/" + name)``; the
default name is uniquified, so an optimizer's second slot of ``v`` is ``v/<name>_1`` (Adam's
``m`` and ``v``). The enclosing scope's partitioner is switched off while the slot is created,
and a slot of a partitioned variable's shard carries the shard's save-slice information.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.variable_scope import get_variable_scope, variable_scope
from scopeflow._core.variable_store import SaveSliceInfo, get_variable
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.init_ops import zeros_initializer

__all__ = ["create_slot", "create_slot_with_initializer", "create_zeros_slot"]


def _primary_name(primary: Any) -> str:
    return primary.op.name  # type: ignore[no-any-return]


def _colocated(primary: Any, colocate: bool) -> Any:
    """TF's ``colocate_vars_with(primary)``: the slot gets the primary's device and group."""
    if not colocate:
        return contextlib.nullcontext()
    return get_default_graph().colocate_with(primary)


def _create_slot_var(
    primary: Any, val: Any, scope: str, validate_shape: bool, shape: Any, dtype: Any
) -> Any:
    current = get_variable_scope()
    partitioner = current.partitioner
    current.set_partitioner(None)
    try:
        slot = get_variable(
            scope,
            initializer=val,
            trainable=False,
            shape=shape if callable(val) else None,
            dtype=dtype,
            validate_shape=validate_shape,
        )
    finally:
        current.set_partitioner(partitioner)
    info = getattr(primary, "_save_slice_info", None)
    if info is not None:
        real_slot_name = slot.op.name[len(primary.op.name) + 1 :]
        slot._set_save_slice_info(
            SaveSliceInfo(
                info.full_name + "/" + real_slot_name,
                info.full_shape,
                info.var_offset,
                info.var_shape,
            )
        )
    return slot


def create_slot(primary: Any, val: Any, name: str, colocate_with_primary: bool = True) -> Any:
    """A slot of ``primary`` initialized to the tensor ``val``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.train import slot_creator
    >>> w = tf.Variable(tf.zeros([2]), name="w")
    >>> print(slot_creator.create_slot(w, tf.ones([2]), "Opt").name)
    w/Opt:0
    """
    val = convert_to_tensor(val)
    validate_shape = val.get_shape().is_fully_defined()
    with (
        variable_scope(None, _primary_name(primary) + "/" + name),
        _colocated(primary, colocate_with_primary),
    ):
        return _create_slot_var(primary, val, "", validate_shape, None, None)


def create_slot_with_initializer(
    primary: Any,
    initializer: Any,
    shape: Any,
    dtype: Any,
    name: str,
    colocate_with_primary: bool = True,
) -> Any:
    """A slot of ``primary`` of ``shape``/``dtype`` created by ``initializer``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.train import slot_creator
    >>> w = tf.Variable(tf.zeros([2]), name="w")
    >>> s = slot_creator.create_slot_with_initializer(w, tf.ones_initializer(), [2], tf.float32,
    ...                                               "Opt")
    >>> print(s.name, s.shape)
    w/Opt:0 (2,)
    """
    from scopeflow._core.tensor_shape import as_shape  # noqa: PLC0415

    shape = as_shape(shape)
    validate_shape = shape.is_fully_defined()
    with (
        variable_scope(None, _primary_name(primary) + "/" + name),
        _colocated(primary, colocate_with_primary),
    ):
        return _create_slot_var(primary, initializer, "", validate_shape, shape, dtype)


def create_zeros_slot(
    primary: Any, name: str, dtype: Any = None, colocate_with_primary: bool = True
) -> Any:
    """A zero-initialized slot of ``primary`` with its shape (``w/<name>``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.train import slot_creator
    >>> w = tf.Variable(tf.zeros([2, 3]), name="w")
    >>> print(slot_creator.create_zeros_slot(w, "Momentum").name)
    w/Momentum:0
    """
    if dtype is None:
        dtype = primary.dtype
    dtype = dtypes.as_dtype(dtype).base_dtype
    shape = primary.get_shape()
    if shape.is_fully_defined():
        return create_slot_with_initializer(
            primary, zeros_initializer(), shape, dtype, name, colocate_with_primary
        )
    from scopeflow.ops.array_ops import shape as shape_of  # noqa: PLC0415
    from scopeflow.ops.array_ops import zeros  # noqa: PLC0415

    source = primary.initialized_value() if hasattr(primary, "initialized_value") else primary
    val = zeros(shape_of(source), dtype=dtype)
    return create_slot(primary, val, name, colocate_with_primary)
