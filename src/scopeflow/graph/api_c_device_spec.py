"""``tf.DeviceSpec`` (TF1's mutable ``DeviceSpecV1``): parse, merge and print device strings.

A device string is ``/job:<name>/replica:<id>/task:<id>/device:<type>:<id>``; every part is
optional and the device index may be ``*`` (any). As TF 1.15, the short form ``/cpu:0`` or
``/gpu:1`` names a CPU or GPU device, ``cpu``/``gpu`` types are upper-cased, a repeated device
type or an unknown attribute raises TF's ``ValueError``, and ``to_string`` prints the parts in
the canonical order.

Differences from TensorFlow: TF also accepts the short form for the device types its runtime
registered (``TPU``, ``XLA_CPU``, ...); here the short form is only ``cpu``/``gpu`` (the
``/device:TPU:0`` form works for any type).

Pure Python; must not import any layer above ``graph``.
"""

from __future__ import annotations

from typing import Any

_SHORT_TYPES = frozenset({"CPU", "GPU"})


def _as_str_or_none(inp: Any) -> str | None:
    return None if inp is None else str(inp)


def _as_int_or_none(inp: Any) -> int | None:
    return None if inp is None else int(inp)


def _as_device_str_or_none(device_type: Any) -> str | None:
    if device_type in ("cpu", "gpu"):
        return str(device_type).upper()
    return _as_str_or_none(device_type)


def _string_to_components(spec: Any) -> tuple[Any, Any, Any, Any, Any]:
    if isinstance(spec, DeviceSpecV1):
        return spec.job, spec.replica, spec.task, spec.device_type, spec.device_index
    job = replica = task = device_type = device_index = None
    spec = spec or ""
    for part in spec.split("/"):
        y = part.split(":")
        n = len(y)
        if n == 2 and y[0] == "job":
            job = y[1]
        elif n == 2 and y[0] == "replica":
            replica = y[1]
        elif n == 2 and y[0] == "task":
            task = y[1]
        elif n in (1, 2) and y[0].upper() in _SHORT_TYPES:
            if device_type is not None:
                raise ValueError(
                    f"Multiple device types are not allowed while parsing the device spec: {spec}."
                )
            device_type = y[0].upper()
            if n == 2 and y[1] != "*":
                device_index = int(y[1])
        elif n == 3 and y[0] == "device":
            if device_type is not None:
                raise ValueError(
                    f"Multiple device types are not allowed while parsing the device spec: {spec}."
                )
            device_type = y[1]
            if y[2] != "*":
                device_index = int(y[2])
        elif n and y[0] != "":
            raise ValueError(
                f"Unknown attribute '{y[0]}' is encountered while parsing the device spec: "
                f"'{spec}'."
            )
    return job, replica, task, device_type, device_index


class DeviceSpecV1:
    """A (partial) device specification (``tf.DeviceSpec``, TF1's mutable variant).

    >>> import scopeflow.compat.v1 as tf
    >>> d = tf.DeviceSpec.from_string("/job:ps/task:1/gpu:0")
    >>> d.task = 2
    >>> d.to_string()
    '/job:ps/task:2/device:GPU:0'
    """

    def __init__(
        self,
        job: str | None = None,
        replica: int | None = None,
        task: int | None = None,
        device_type: str | None = None,
        device_index: int | None = None,
    ) -> None:
        self._job = _as_str_or_none(job)
        self._replica = _as_int_or_none(replica)
        self._task = _as_int_or_none(task)
        self._device_type = _as_device_str_or_none(device_type)
        self._device_index = _as_int_or_none(device_index)

    @property
    def job(self) -> str | None:
        """The job name, or ``None``."""
        return self._job

    @job.setter
    def job(self, job: Any) -> None:
        self._job = _as_str_or_none(job)

    @property
    def replica(self) -> int | None:
        """The replica index, or ``None``."""
        return self._replica

    @replica.setter
    def replica(self, replica: Any) -> None:
        self._replica = _as_int_or_none(replica)

    @property
    def task(self) -> int | None:
        """The task index, or ``None``."""
        return self._task

    @task.setter
    def task(self, task: Any) -> None:
        self._task = _as_int_or_none(task)

    @property
    def device_type(self) -> str | None:
        """The device type (``CPU``, ``GPU``, ...), or ``None``."""
        return self._device_type

    @device_type.setter
    def device_type(self, device_type: Any) -> None:
        self._device_type = _as_device_str_or_none(device_type)

    @property
    def device_index(self) -> int | None:
        """The device index, or ``None`` (any)."""
        return self._device_index

    @device_index.setter
    def device_index(self, device_index: Any) -> None:
        self._device_index = _as_int_or_none(device_index)

    def to_string(self) -> str:
        """The canonical device string (``""`` if nothing is set)."""
        out = []
        if self._job is not None:
            out.append(f"/job:{self._job}")
        if self._replica is not None:
            out.append(f"/replica:{self._replica}")
        if self._task is not None:
            out.append(f"/task:{self._task}")
        if self._device_type is not None:
            index = "*" if self._device_index is None else str(self._device_index)
            out.append(f"/device:{self._device_type}:{index}")
        return "".join(out)

    @classmethod
    def from_string(cls, spec: str) -> DeviceSpecV1:
        """A ``DeviceSpec`` parsed from a device string."""
        return cls(*_string_to_components(spec))

    def parse_from_string(self, spec: str) -> DeviceSpecV1:
        """Sets every field from ``spec`` (unset parts become ``None``); returns ``self``."""
        (self.job, self.replica, self.task, self.device_type,
         self.device_index) = _string_to_components(spec)  # fmt: skip
        return self

    def _combined(self, dev: DeviceSpecV1) -> tuple[Any, Any, Any, Any, Any]:
        return (
            dev.job if dev.job is not None else self.job,
            dev.replica if dev.replica is not None else self.replica,
            dev.task if dev.task is not None else self.task,
            dev.device_type if dev.device_type is not None else self.device_type,
            dev.device_index if dev.device_index is not None else self.device_index,
        )

    def merge_from(self, dev: DeviceSpecV1) -> None:
        """Overwrites the fields that ``dev`` sets (in place)."""
        (self._job, self._replica, self._task, self._device_type,
         self._device_index) = self._combined(dev)  # fmt: skip

    def make_merged_spec(self, dev: DeviceSpecV1) -> DeviceSpecV1:
        """A new ``DeviceSpec``: this one with the fields that ``dev`` sets overwritten."""
        return self.__class__(*self._combined(dev))

    def replace(self, **kwargs: Any) -> DeviceSpecV1:
        """A new ``DeviceSpec`` with the given fields replaced."""
        init: dict[str, Any] = {
            "job": self.job,
            "replica": self.replica,
            "task": self.task,
            "device_type": self.device_type,
            "device_index": self.device_index,
        }
        init.update(kwargs)
        return self.__class__(**init)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, self.__class__) and self.to_string() == other.to_string()

    def __hash__(self) -> int:
        return hash(self.to_string())

    def __repr__(self) -> str:
        return (
            f"<DeviceSpec(job={self.job}, replica={self.replica}, task={self.task}, "
            f"device_type={self.device_type}, device_index={self.device_index})>"
        )


DeviceSpec = DeviceSpecV1

__all__ = ["DeviceSpec", "DeviceSpecV1"]
