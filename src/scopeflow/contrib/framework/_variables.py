"""slim's variable helpers.

slim's variable helpers (``tf.contrib.framework`` / ``tf.contrib.slim``): model variables,
collection queries, ``get_variables_to_restore`` and initialisation from checkpoints or values.

TF 1.15's ``tf.contrib.framework.python.ops.variables`` behaviour. ``variable``,
``model_variable``, ``local_variable`` and ``global_variable`` take ``arg_scope`` defaults.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.variable_scope import VariableScope, get_variable_scope
from scopeflow._core.variable_store import (
    VariableAggregation,
    VariableSynchronization,
    get_variable,
)
from scopeflow.contrib.framework._arg_scope import add_arg_scope
from scopeflow.graph.api_c_device_spec import DeviceSpecV1
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.variables import Variable
from scopeflow.ops.array_ops import placeholder
from scopeflow.ops.state_ops import group
from scopeflow.train.checkpoint_utils import NewCheckpointReader
from scopeflow.train.saver import Saver
from scopeflow.train.training_util import (
    assert_global_step,
    create_global_step,
    get_global_step,
    get_or_create_global_step,
)

_log = logging.getLogger("scopeflow")


def assert_or_get_global_step(graph: Any = None, global_step_tensor: Any = None) -> Any:
    """``global_step_tensor`` after checking it, or the graph's global step when it is None."""
    if global_step_tensor is None:
        global_step_tensor = get_global_step(graph)
    else:
        assert_global_step(global_step_tensor)
    return global_step_tensor


@add_arg_scope
def local_variable(
    initial_value: Any,
    validate_shape: bool = True,
    name: str | None = None,
    use_resource: bool | None = None,
) -> Variable:
    """A non-trainable ``Variable`` in ``LOCAL_VARIABLES`` only.

    >>> import scopeflow.compat.v1 as tf
    >>> local_variable(0.0, name="count").name
    'count:0'
    """
    return Variable(
        initial_value,
        trainable=False,
        collections=[GraphKeys.LOCAL_VARIABLES],
        validate_shape=validate_shape,
        name=name,
        use_resource=use_resource,
    )


@add_arg_scope
def global_variable(
    initial_value: Any,
    validate_shape: bool = True,
    name: str | None = None,
    use_resource: bool | None = None,
) -> Variable:
    """A non-trainable ``Variable`` in ``GLOBAL_VARIABLES`` only."""
    return Variable(
        initial_value,
        trainable=False,
        collections=[GraphKeys.GLOBAL_VARIABLES],
        validate_shape=validate_shape,
        name=name,
        use_resource=use_resource,
    )


def _unique(items: list[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


@add_arg_scope
def variable(
    name: str,
    shape: Any = None,
    dtype: Any = None,
    initializer: Any = None,
    regularizer: Any = None,
    trainable: bool = True,
    collections: Any = None,
    caching_device: Any = None,
    device: Any = None,
    partitioner: Any = None,
    custom_getter: Any = None,
    use_resource: bool | None = None,
    synchronization: Any = VariableSynchronization.AUTO,
    aggregation: Any = VariableAggregation.NONE,
) -> Any:
    """``get_variable`` with slim's defaults: only ``GLOBAL_VARIABLES`` unless told otherwise.

    ``custom_getter`` is called as ``custom_getter(name, ..., reuse=<current scope's reuse>)``;
    ``device`` places the variable (recorded, as every device in scopeflow).

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.variable_scope("s"):
    ...     print(variable("v", [2]).name)
    s/v:0
    """
    collections = _unique(
        list(collections if collections is not None else [GraphKeys.GLOBAL_VARIABLES])
    )
    getter: Callable[..., Any] = get_variable
    if custom_getter is not None:
        reuse = get_variable_scope().reuse

        def getter(*args: Any, **kwargs: Any) -> Any:
            return custom_getter(*args, reuse=reuse, **kwargs)

    with get_default_graph().device(device or ""):
        return getter(
            name,
            shape=shape,
            dtype=dtype,
            initializer=initializer,
            regularizer=regularizer,
            trainable=trainable,
            collections=collections,
            caching_device=caching_device,
            partitioner=partitioner,
            use_resource=use_resource,
            synchronization=synchronization,
            aggregation=aggregation,
        )


@add_arg_scope
def model_variable(
    name: str,
    shape: Any = None,
    dtype: Any = None,
    initializer: Any = None,
    regularizer: Any = None,
    trainable: bool = True,
    collections: Any = None,
    caching_device: Any = None,
    device: Any = None,
    partitioner: Any = None,
    custom_getter: Any = None,
    use_resource: bool | None = None,
    synchronization: Any = VariableSynchronization.AUTO,
    aggregation: Any = VariableAggregation.NONE,
) -> Any:
    """A ``variable`` also in ``MODEL_VARIABLES`` (what slim layers create).

    ``dtype`` defaults to float32 as TF's (``None`` is accepted and means the same).

    >>> import scopeflow.compat.v1 as tf
    >>> w = model_variable("w", [2, 3])
    >>> [v.name for v in get_model_variables()]
    ['w:0']
    """
    collections = [*list(collections or []), GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES]
    return variable(
        name,
        shape=shape,
        dtype=dtype if dtype is not None else dtypes.float32,
        initializer=initializer,
        regularizer=regularizer,
        trainable=trainable,
        collections=collections,
        caching_device=caching_device,
        device=device,
        partitioner=partitioner,
        custom_getter=custom_getter,
        use_resource=use_resource,
        synchronization=synchronization,
        aggregation=aggregation,
    )


def add_model_variable(var: Any) -> None:
    """Add ``var`` to ``MODEL_VARIABLES`` unless it is there already."""
    if var not in get_default_graph().get_collection(GraphKeys.MODEL_VARIABLES):
        get_default_graph().add_to_collection(GraphKeys.MODEL_VARIABLES, var)


def get_variables(
    scope: Any = None, suffix: str | None = None, collection: str = GraphKeys.GLOBAL_VARIABLES
) -> list[Any]:
    """The variables of ``collection`` filtered by scope and suffix.

    The variables of ``collection`` whose name matches ``scope`` (a prefix regex) and ends
    with ``suffix``.

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.variable_scope("a"):
    ...     _ = tf.get_variable("w", [1])
    >>> [v.name for v in get_variables("a")]
    ['a/w:0']
    """
    if isinstance(scope, VariableScope):
        scope = scope.name
    if suffix is not None:
        if ":" not in suffix:
            suffix += ":"
        scope = (scope or "") + ".*" + suffix
    return get_default_graph().get_collection(collection, scope)


def get_model_variables(scope: Any = None, suffix: str | None = None) -> list[Any]:
    """``get_variables`` of ``MODEL_VARIABLES``."""
    return get_variables(scope, suffix, GraphKeys.MODEL_VARIABLES)


def get_local_variables(scope: Any = None, suffix: str | None = None) -> list[Any]:
    """``get_variables`` of ``LOCAL_VARIABLES``."""
    return get_variables(scope, suffix, GraphKeys.LOCAL_VARIABLES)


def get_trainable_variables(scope: Any = None, suffix: str | None = None) -> list[Any]:
    """``get_variables`` of ``TRAINABLE_VARIABLES``."""
    return get_variables(scope, suffix, GraphKeys.TRAINABLE_VARIABLES)


def get_variables_to_restore(include: Any = None, exclude: Any = None) -> list[Any]:
    """Global variables under the ``include`` scopes (all when None) minus those under ``exclude``.

    >>> import scopeflow.compat.v1 as tf
    >>> for s in ("a", "b"):
    ...     with tf.variable_scope(s):
    ...         _ = tf.get_variable("w", [1])
    >>> [v.op.name for v in get_variables_to_restore(exclude=["b"])]
    ['a/w']
    """
    if include is None:
        vars_to_include = get_variables()
    else:
        if not isinstance(include, list | tuple):
            raise TypeError("include is provided but is not a list or a tuple.")
        vars_to_include = [v for scope in include for v in get_variables(scope)]
    vars_to_exclude: set[Any] = set()
    if exclude is not None:
        if not isinstance(exclude, list | tuple):
            raise TypeError("exclude is provided but is not a list or a tuple.")
        for scope in exclude:
            vars_to_exclude.update(get_variables(scope))
    return [v for v in vars_to_include if v not in vars_to_exclude]


def get_variables_by_suffix(suffix: str, scope: Any = None) -> list[Any]:
    """Global variables whose name ends with ``suffix``."""
    return get_variables(scope=scope, suffix=suffix)


def get_variables_by_name(given_name: str, scope: Any = None) -> list[Any]:
    """Global variables whose last name component is ``given_name``.

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.variable_scope("a"):
    ...     _ = tf.get_variable("weights", [1])
    >>> [v.name for v in get_variables_by_name("weights")]
    ['a/weights:0']
    """
    suffix = "/" + given_name + ":|^" + given_name + ":"
    return get_variables(scope=scope, suffix=suffix)


def get_unique_variable(var_op_name: str) -> Any:
    """The global variable whose op name is exactly ``var_op_name``."""
    candidates = get_variables(scope=var_op_name)
    if not candidates:
        raise ValueError(f"Couldn't find variable {var_op_name}")
    for candidate in candidates:
        if candidate.op.name == var_op_name:
            return candidate
    raise ValueError(f"Variable {var_op_name} does not uniquely identify a variable")


def _global_variable_named(var_name: str) -> Any:
    found = get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, var_name)
    if not found:
        raise ValueError(f"Variable {var_name} wasn't found")
    if len(found) == 1:
        return found[0]
    for v in found:
        if v.op.name == var_name:
            return v
    raise ValueError(f"Variable {var_name} doesn't uniquely identify a variable")


def assign_from_values(var_names_to_values: dict[str, Any]) -> tuple[Any, dict[Any, Any]]:
    """An assign op for the named global variables and the feed dict holding the values.

    Each value is fed through a placeholder named ``placeholder/<var op name>``.

    >>> import numpy as np, scopeflow.compat.v1 as tf
    >>> v = tf.get_variable("v", [2])
    >>> op, feed = assign_from_values({"v": np.ones(2, np.float32)})
    >>> with tf.Session() as sess:
    ...     _ = sess.run(op, feed)
    ...     print(sess.run(v))
    [1. 1.]
    """
    feed_dict: dict[Any, Any] = {}
    assign_ops = []
    for var_name, var_value in var_names_to_values.items():
        var = _global_variable_named(var_name)
        ph = placeholder(
            dtype=var.dtype.base_dtype, shape=var.get_shape(), name="placeholder/" + var.op.name
        )
        assign_ops.append(var.assign(ph))
        feed_dict[ph] = var_value.reshape(var.get_shape().as_list())
    return group(*assign_ops), feed_dict


def assign_from_values_fn(var_names_to_values: dict[str, Any]) -> Callable[[Any], Any]:
    """A ``callback(session)`` that runs ``assign_from_values``' op with its feed dict."""
    assign_op, feed_dict = assign_from_values(var_names_to_values)

    def callback(session: Any) -> Any:
        return session.run(assign_op, feed_dict)

    return callback


def get_variable_full_name(var: Any) -> str:
    """The checkpoint name of ``var`` (a partition's full variable name for a slice)."""
    if var._save_slice_info:
        return var._save_slice_info.full_name  # type: ignore[no-any-return]
    return var.op.name  # type: ignore[no-any-return]


def assign_from_checkpoint(
    model_path: str, var_list: Any, ignore_missing_vars: bool = False
) -> tuple[Any, dict[Any, Any]]:
    """An assign op and feed dict that set ``var_list`` from the checkpoint ``model_path``.

    ``var_list`` is a list of variables (checkpoint names are their op names; partitions
    take their slice) or a dict ``{checkpoint name: variable or list of variables}``.
    """
    grouped: dict[str, list[Any]] = {}
    if isinstance(var_list, list | tuple):
        for var in var_list:
            grouped.setdefault(get_variable_full_name(var), []).append(var)
    else:
        for ckpt_name, value in var_list.items():
            grouped[ckpt_name] = list(value) if isinstance(value, list | tuple) else [value]
    reader = NewCheckpointReader(model_path)
    feed_dict: dict[Any, Any] = {}
    assign_ops = []
    for ckpt_name, variables in grouped.items():
        if not reader.has_tensor(ckpt_name):
            message = f"Checkpoint is missing variable [{ckpt_name}]"
            if ignore_missing_vars:
                _log.warning(message)
                continue
            raise ValueError(message)
        value = reader.get_tensor(ckpt_name)
        for var in variables:
            ph = placeholder(
                dtype=var.dtype.base_dtype, shape=var.get_shape(), name="placeholder/" + var.op.name
            )
            assign_ops.append(var.assign(ph))
            info = var._save_slice_info
            if not info:
                if var.get_shape() != value.shape:
                    raise ValueError(
                        f"Total size of new array must be unchanged for {ckpt_name} lh_shape: "
                        f"[{value.shape}], rh_shape: [{var.get_shape()}]"
                    )
                feed_dict[ph] = value
            else:
                index = tuple(
                    slice(o, o + n) for o, n in zip(info.var_offset, info.var_shape, strict=True)
                )
                feed_dict[ph] = value[index].reshape(info.var_shape)
    return group(*assign_ops), feed_dict


def assign_from_checkpoint_fn(
    model_path: str,
    var_list: Any,
    ignore_missing_vars: bool = False,
    reshape_variables: bool = False,
) -> Callable[[Any], Any] | None:
    """A ``callback(session)`` restoring ``var_list`` from ``model_path`` with a ``Saver``.

    With ``ignore_missing_vars`` the variables absent from the checkpoint are skipped (with a
    warning); returns None when nothing is left to restore.
    """
    if not var_list:
        raise ValueError("var_list cannot be empty")
    if ignore_missing_vars:
        reader = NewCheckpointReader(model_path)
        var_dict = var_list if isinstance(var_list, dict) else {v.op.name: v for v in var_list}
        available = {}
        for name, var in var_dict.items():
            if reader.has_tensor(name):
                available[name] = var
            else:
                _log.warning("Variable %s missing in checkpoint %s", name, model_path)
        var_list = available
    if not var_list:
        _log.warning("No Variables to restore")
        return None
    saver = Saver(var_list, reshape=reshape_variables)

    def callback(session: Any) -> None:
        saver.restore(session, model_path)

    return callback


class VariableDeviceChooser:
    """A device function placing variables round robin on ps tasks, or on one device type.

    With ``num_tasks > 0`` each call returns the next task of ``job_name``
    (``/job:ps/task:0/device:CPU:0``, ``/job:ps/task:1/device:CPU:0``, ...), else
    ``/device:<device_type>:<device_index>`` (and ``replica`` when given), as TF 1.15's
    ``tf.contrib.framework.VariableDeviceChooser``; use it as a ``variable``'s ``device``.

    >>> chooser = VariableDeviceChooser(num_tasks=2)
    >>> [chooser(None) for _ in range(3)]
    ['/job:ps/task:0/device:CPU:0', '/job:ps/task:1/device:CPU:0', '/job:ps/task:0/device:CPU:0']
    """

    def __init__(
        self,
        num_tasks: int = 0,
        job_name: str = "ps",
        device_type: str = "CPU",
        device_index: int = 0,
        replica: int | None = None,
    ) -> None:
        self._job_name = job_name
        self._device_type = device_type
        self._device_index = device_index
        self._replica = replica
        self._num_tasks = num_tasks
        self._next_task_id = 0

    def __call__(self, op: Any) -> str:
        spec = DeviceSpecV1(
            replica=self._replica, device_type=self._device_type, device_index=self._device_index
        )
        if self._num_tasks > 0:
            task_id = self._next_task_id
            self._next_task_id = (self._next_task_id + 1) % self._num_tasks
            spec.job = self._job_name
            spec.task = task_id
        return spec.to_string()


__all__ = [
    "VariableDeviceChooser",
    "add_model_variable",
    "assert_global_step",
    "assert_or_get_global_step",
    "assign_from_checkpoint",
    "assign_from_checkpoint_fn",
    "assign_from_values",
    "assign_from_values_fn",
    "create_global_step",
    "get_global_step",
    "get_local_variables",
    "get_model_variables",
    "get_or_create_global_step",
    "get_trainable_variables",
    "get_unique_variable",
    "get_variable_full_name",
    "get_variables",
    "get_variables_by_name",
    "get_variables_by_suffix",
    "get_variables_to_restore",
    "global_variable",
    "local_variable",
    "model_variable",
    "variable",
]
