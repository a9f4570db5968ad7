"""``tf.train.ClusterSpec`` (a cluster's jobs and task addresses) and ``tf.train.Server``.

``ClusterSpec`` is TF 1.15's: built from ``{job: [address, ...]}``, ``{job: {task index:
address}}`` (sparse), a ``tf.train.ClusterDef`` or another ``ClusterSpec``; ``as_dict``,
``as_cluster_def``, ``jobs``, ``num_tasks``, ``task_indices``, ``task_address`` and
``job_tasks`` answer as TF does (``replica_device_setter(cluster=...)`` reads it).

Differences from TensorFlow: ``tf.train.Server`` would start an in-process gRPC server of a
distributed TF cluster; scopeflow runs a graph in one process, so creating one raises
``UnsupportedError``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``; the protobuf classes load on use.
"""

from __future__ import annotations

from typing import Any

from scopeflow.errors import UnsupportedError


def _is_cluster_def(obj: Any) -> bool:
    descriptor = getattr(obj, "DESCRIPTOR", None)
    return getattr(descriptor, "full_name", None) == "tensorflow.ClusterDef"


def _text(value: Any, what: str) -> str:
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, str):
        return value
    raise TypeError(f"{what} {value!r} must be bytes or unicode")


class ClusterSpec:
    """A cluster as a set of tasks organised into jobs (``tf.train.ClusterSpec``).

    >>> import scopeflow.compat.v1 as tf
    >>> c = tf.train.ClusterSpec({"ps": ["ps0:2222", "ps1:2222"], "worker": {1: "w1:2222"}})
    >>> c.jobs, c.num_tasks("ps"), c.as_dict()["worker"], c.job_tasks("worker")
    (['ps', 'worker'], 2, {1: 'w1:2222'}, [None, 'w1:2222'])
    """

    def __init__(self, cluster: Any) -> None:
        self._cluster_spec: dict[str, dict[int, str]] = {}
        if isinstance(cluster, dict):
            for job_name, tasks in cluster.items():
                if isinstance(tasks, (list, tuple)):
                    job_tasks = dict(enumerate(tasks))
                elif isinstance(tasks, dict):
                    job_tasks = {int(i): task for i, task in tasks.items()}
                else:
                    raise TypeError(
                        f"The tasks for job {job_name!r} must be a list or a dictionary from "
                        "integers to strings."
                    )
                self._cluster_spec[job_name] = job_tasks
            self._cluster_def = self._make_cluster_def()
        elif isinstance(cluster, ClusterSpec) or _is_cluster_def(cluster):
            cluster_def = cluster.as_cluster_def() if isinstance(cluster, ClusterSpec) else cluster
            self._cluster_def = _cluster_def_class()()
            self._cluster_def.MergeFrom(cluster_def)
            for job_def in self._cluster_def.job:
                self._cluster_spec[job_def.name] = dict(job_def.tasks.items())
        else:
            raise TypeError(
                "`cluster` must be a dictionary mapping one or more job names to lists of "
                "network addresses, or a `ClusterDef` protocol buffer"
            )

    def __bool__(self) -> bool:
        return bool(self._cluster_spec)

    def __eq__(self, other: object) -> bool:
        return self._cluster_spec == other

    def __ne__(self, other: object) -> bool:
        return self._cluster_spec != other

    __hash__ = None  # type: ignore[assignment]  # equal to dicts, as TF's

    def __repr__(self) -> str:
        key_values = self.as_dict()
        items = [f"{k!r}: {key_values[k]!r}" for k in sorted(key_values)]
        return "ClusterSpec({" + ", ".join(items) + "})"

    def as_dict(self) -> dict[str, Any]:
        """``{job: [addresses]}`` for dense task indices, else ``{job: {index: address}}``."""
        ret: dict[str, Any] = {}
        for job in self.jobs:
            indices = self.task_indices(job)
            if not indices:
                ret[job] = {}
            elif max(indices) + 1 == len(indices):
                ret[job] = self.job_tasks(job)
            else:
                ret[job] = {i: self.task_address(job, i) for i in indices}
        return ret

    def as_cluster_def(self) -> Any:
        """This cluster as a ``tf.train.ClusterDef`` protocol buffer."""
        return self._cluster_def

    @property
    def jobs(self) -> list[str]:
        """The job names, in the order given."""
        return list(self._cluster_spec)

    def _job(self, job_name: str) -> dict[int, str]:
        try:
            return self._cluster_spec[job_name]
        except KeyError:
            raise ValueError(f"No such job in cluster: {job_name!r}") from None

    def num_tasks(self, job_name: str) -> int:
        """The number of tasks of ``job_name`` (ValueError if no such job)."""
        return len(self._job(job_name))

    def task_indices(self, job_name: str) -> list[int]:
        """The sorted task indices of ``job_name``."""
        return sorted(self._job(job_name))

    def task_address(self, job_name: str, task_index: int) -> str:
        """The address of task ``task_index`` of ``job_name``."""
        job = self._job(job_name)
        try:
            return job[task_index]
        except KeyError:
            raise ValueError(f"No task with index {task_index!r} in job {job_name!r}") from None

    def job_tasks(self, job_name: str) -> list[str | None]:
        """The addresses of ``job_name`` by task index (``None`` where a sparse job has none)."""
        job = self._job(job_name)
        ret: list[str | None] = [None] * (max(job) + 1)
        for i, task in job.items():
            ret[i] = task
        return ret

    def _make_cluster_def(self) -> Any:
        cluster_def = _cluster_def_class()()
        for job_name, tasks in sorted(self._cluster_spec.items()):
            job_def = cluster_def.job.add()
            job_def.name = _text(job_name, "Job name")
            for i, address in sorted(tasks.items()):
                job_def.tasks[i] = _text(address, "Task address")
        return cluster_def


def _cluster_def_class() -> Any:
    from scopeflow.protos.cluster_pb2 import ClusterDef  # noqa: PLC0415  (protobuf is lazy)

    return ClusterDef


_SERVER_HINT = (
    "scopeflow runs a graph in one process: build the graph without a cluster (device strings "
    "such as /job:ps are recorded on the ops and run locally) and use tf.Session() without a "
    "target."
)


class Server:
    """``tf.train.Server``: not supported (it would start a gRPC server of a TF cluster)."""

    def __init__(
        self,
        server_or_cluster_def: Any,
        job_name: str | None = None,
        task_index: int | None = None,
        protocol: str | None = None,
        config: Any = None,
        start: bool = True,
    ) -> None:
        raise UnsupportedError(
            "tf.train.Server (a distributed TensorFlow gRPC server)", _SERVER_HINT
        )

    @staticmethod
    def create_local_server(config: Any = None, start: bool = True) -> Server:
        """Not supported: raises ``UnsupportedError``."""
        raise UnsupportedError("tf.train.Server.create_local_server (a gRPC server)", _SERVER_HINT)


__all__ = ["ClusterSpec", "Server"]
