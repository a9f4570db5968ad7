"""``tf.train.replica_device_setter``: the device function of between-graph replication.

TF 1.15's behaviour: the returned function places the ops whose type is in ``ps_ops``
(variables, by default) on ``ps_device`` with the task chosen by ``ps_strategy`` (round robin
over ``ps_tasks`` by default) and every other op on ``worker_device``; with ``merge_devices``
an op's own device fields win over both. ``cluster`` (a dict, ``ClusterSpec`` or
``ClusterDef``) gives ``ps_tasks`` as the size of the ps job; no ps job or ``ps_tasks=0``
returns ``None`` (``tf.device(None)``).

scopeflow records the resulting device strings on the ops as TF does; a session runs them on
this machine's CPU or GPU (see :mod:`scopeflow.graph.devices`).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from scopeflow.graph.api_c_device_spec import DeviceSpecV1
from scopeflow.train.server_lib import ClusterSpec

_log = logging.getLogger("scopeflow")

STANDARD_PS_OPS = (
    "Variable",
    "VariableV2",
    "AutoReloadVariable",
    "MutableHashTable",
    "MutableHashTableV2",
    "MutableHashTableOfTensors",
    "MutableHashTableOfTensorsV2",
    "MutableDenseHashTable",
    "MutableDenseHashTableV2",
    "VarHandleOp",
    "BoostedTreesEnsembleResourceHandleOp",
    "BoostedTreesQuantileStreamResourceHandleOp",
    "ResourceConditionalAccumulator",
    "DecisionTreeResource",
)


class _RoundRobinStrategy:
    """The next ps task index, cycling over ``num_tasks`` (the default ``ps_strategy``)."""

    def __init__(self, num_tasks: int) -> None:
        self._num_tasks = num_tasks
        self._next_task = 0

    def __call__(self, unused_op: Any) -> int:
        task = self._next_task
        self._next_task = (self._next_task + 1) % self._num_tasks
        return task


class _ReplicaDeviceChooser:
    """Chooses the ps or worker device of each op (see the module docstring)."""

    def __init__(
        self,
        ps_tasks: int,
        ps_device: str,
        worker_device: str,
        merge_devices: bool,
        ps_ops: Any,
        ps_strategy: Callable[[Any], int],
    ) -> None:
        self._ps_tasks = ps_tasks
        self._ps_device = ps_device
        self._worker_device = worker_device
        self._merge_devices = merge_devices
        self._ps_ops = ps_ops
        self._ps_strategy = ps_strategy

    def device_function(self, op: Any) -> str:
        """The device of ``op`` (an ``Operation`` or a ``NodeDef``)."""
        if not self._merge_devices and op.device:
            return str(op.device)
        current = DeviceSpecV1.from_string(op.device or "")
        op_type = op.op if hasattr(op, "op") and isinstance(op.op, str) else op.type
        if self._ps_tasks and self._ps_device and op_type in self._ps_ops:
            ps_device = DeviceSpecV1.from_string(self._ps_device)
            if ps_device.job and (not current.job or current.job == ps_device.job):
                ps_device = ps_device.replace(task=self._ps_strategy(op))
            return ps_device.make_merged_spec(current).to_string()
        worker = DeviceSpecV1.from_string(self._worker_device or "")
        return worker.make_merged_spec(current).to_string()


def replica_device_setter(
    ps_tasks: int = 0,
    ps_device: str = "/job:ps",
    worker_device: str = "/job:worker",
    merge_devices: bool = True,
    cluster: Any = None,
    ps_ops: Any = None,
    ps_strategy: Callable[[Any], int] | None = None,
) -> Callable[[Any], str] | None:
    """A device function for ``tf.device`` placing variables on ps tasks (TF 1.15's).

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.device(tf.train.replica_device_setter(ps_tasks=2)):
    ...     a, b = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b")
    ...     c = a + b
    >>> a.device, b.device, c.device
    ('/job:ps/task:0', '/job:ps/task:1', '/job:worker')

    Raises:
        TypeError: ``cluster`` is not a dict, ``ClusterSpec`` or ``ClusterDef``, or
            ``ps_strategy`` is not callable.
    """
    if cluster is not None:
        spec = cluster if isinstance(cluster, ClusterSpec) else ClusterSpec(cluster)
        cluster_spec = spec.as_dict()
        ps_job_name = DeviceSpecV1.from_string(ps_device).job
        if ps_job_name not in cluster_spec or cluster_spec[ps_job_name] is None:
            return None
        ps_tasks = len(cluster_spec[ps_job_name])
    if ps_tasks == 0:
        return None
    if ps_ops is None:
        ps_ops = list(STANDARD_PS_OPS)
    if not merge_devices:
        _log.warning(
            "DEPRECATION: It is recommended to set merge_devices=true in replica_device_setter"
        )
    if ps_strategy is None:
        ps_strategy = _RoundRobinStrategy(ps_tasks)
    if not callable(ps_strategy):
        raise TypeError("ps_strategy must be callable")
    chooser = _ReplicaDeviceChooser(
        ps_tasks, ps_device, worker_device, merge_devices, ps_ops, ps_strategy
    )
    return chooser.device_function


__all__ = ["STANDARD_PS_OPS", "replica_device_setter"]
