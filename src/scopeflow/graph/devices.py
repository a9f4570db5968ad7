"""Devices: which torch device runs each op of a plan, TF32 policy, and device queries.

An op's requested device is the string its ``tf.device`` scopes, device functions and
colocation resolved to when it was created (:mod:`scopeflow.graph.device_functions`; TF's
canonical ``/device:GPU:1``, ``/job:ps/task:0/device:CPU:0``). Job, replica and task name
machines of a TF cluster: they are recorded and ignored here (one process). A session places it
(``Placer``) on ``cuda:N`` when that GPU exists and the ``ConfigProto`` allows it
(``device_count={'GPU': n}``), else on the CPU when ``allow_soft_placement`` is set, else it
raises TF's ``Cannot assign a device for operation ...``. On a machine without CUDA every GPU
request runs on the CPU, as with soft placement: the point of running a TF1 program here is often
a GPU-era script on a CPU machine (TF would raise unless the script set soft placement). Ops
without a request run on the CPU
(TF would prefer a GPU when one exists; scopeflow keeps such graphs on the CPU so that only the
ops the program placed move). With ``log_device_placement`` each op's device is printed the
first time a plan containing it is built, in TF's format (``name: (Type): /job:...``).

TF1 computed matmuls and convolutions in strict float32; PyTorch may use TF32 on Ampere GPUs
(cuDNN convolutions do by default). Sessions therefore switch TF32 off for matmul and cuDNN
when CUDA is present, unless ``enable_tensor_float_32_execution(True)`` was called (TF's own
switch, ``tf.config.experimental.enable_tensor_float_32_execution``).

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

import torch

from scopeflow.errors import InvalidArgumentError

_LOCAL = "/job:localhost/replica:0/task:0/device:"
_DEVICE = re.compile(r"(?:^|/)(?:device:)?(cpu|gpu|CPU|GPU)(?::(\d+|\*))?$")


def parse_device(spec: str) -> tuple[str, int | None] | None:
    """``("CPU"|"GPU", index or None)`` of a device string, or None when it names no device type.

    >>> parse_device("/gpu:1"), parse_device("/device:CPU:0"), parse_device("/job:ps")
    (('GPU', 1), ('CPU', 0), None)
    """
    if not spec:
        return None
    m = _DEVICE.search(spec)
    if m is None:
        return None
    index = m.group(2)
    return m.group(1).upper(), (int(index) if index is not None and index != "*" else None)


# --- TF32 -------------------------------------------------------------------------------------

_tf32_enabled = False


def enable_tensor_float_32_execution(enabled: bool) -> None:
    """Allows (True) or forbids (False, the default) TF32 in float32 matmuls and convolutions.

    Takes effect for sessions created afterwards (and immediately when CUDA is present).
    """
    global _tf32_enabled
    _tf32_enabled = bool(enabled)
    apply_tf32_policy()


def tensor_float_32_execution_enabled() -> bool:
    """Whether TF32 is allowed (False unless ``enable_tensor_float_32_execution(True)``)."""
    return _tf32_enabled


def apply_tf32_policy() -> None:
    """Sets torch's TF32 switches (matmul and cuDNN) from the policy, when CUDA is present."""
    if not torch.cuda.is_available():
        return
    torch.backends.cuda.matmul.allow_tf32 = _tf32_enabled
    torch.backends.cudnn.allow_tf32 = _tf32_enabled


# --- device queries -----------------------------------------------------------------------------


class PhysicalDevice(NamedTuple):
    """A physical device (``tf.config.PhysicalDevice``)."""

    name: str
    device_type: str


def gpu_count() -> int:
    """The number of CUDA devices torch sees."""
    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def list_physical_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """The CPU and every CUDA GPU (``tf.config.list_physical_devices``)."""
    devices = [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    devices.extend(PhysicalDevice(f"/physical_device:GPU:{i}", "GPU") for i in range(gpu_count()))
    if device_type is None:
        return devices
    return [d for d in devices if d.device_type == device_type.upper()]


class DeviceAttributes(NamedTuple):
    """A device as ``device_lib.list_local_devices`` reports it (``DeviceAttributes`` fields)."""

    name: str
    device_type: str
    memory_limit: int
    incarnation: int
    physical_device_desc: str


def list_local_devices(session_config: Any = None) -> list[DeviceAttributes]:
    """The CPU and every CUDA GPU as ``/device:CPU:0``, ``/device:GPU:i`` (``device_lib``).

    ``tensorflow.python.client.device_lib.list_local_devices``: scripts count GPUs with it.

    Differences from TensorFlow: ``memory_limit`` is the GPU's total memory (0 for the CPU,
    where TF reports its allocator's limit) and ``incarnation`` is 0.
    """
    devices = [DeviceAttributes("/device:CPU:0", "CPU", 0, 0, "")]
    for i in range(gpu_count()):
        props = torch.cuda.get_device_properties(i)
        devices.append(
            DeviceAttributes(f"/device:GPU:{i}", "GPU", props.total_memory, 0, props.name)
        )
    return devices


def is_built_with_cuda() -> bool:
    """Whether torch was built with CUDA (``tf.test.is_built_with_cuda``)."""
    return torch.backends.cuda.is_built()


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability: Any = None) -> bool:
    """Whether a usable GPU exists (``tf.test.is_gpu_available``).

    ``min_cuda_compute_capability`` is a ``(major, minor)`` pair a GPU must reach.
    """
    for i in range(gpu_count()):
        if min_cuda_compute_capability is None:
            return True
        if tuple(torch.cuda.get_device_capability(i)) >= tuple(min_cuda_compute_capability):
            return True
    return False


def gpu_device_name() -> str:
    """``/device:GPU:0`` when a GPU exists, else ``''`` (``tf.test.gpu_device_name``)."""
    return "/device:GPU:0" if gpu_count() else ""


# --- placement ----------------------------------------------------------------------------------


def _allowed_gpus(config: Any) -> int:
    n = gpu_count()
    counts = getattr(config, "device_count", None) or {}
    if "GPU" in counts:
        n = min(n, int(counts["GPU"]))
    visible = getattr(getattr(config, "gpu_options", None), "visible_device_list", None)
    if visible:
        n = min(n, len([v for v in str(visible).split(",") if v.strip()]))
    return n


def _cuda_available() -> bool:
    return bool(torch.cuda.is_available())


class Placer:
    """Places a session's ops on torch devices (see the module docstring)."""

    def __init__(self, config: Any) -> None:
        self.gpus = _allowed_gpus(config)
        # without CUDA, GPU requests run on the CPU as under soft placement (module docstring)
        self.soft = bool(getattr(config, "allow_soft_placement", None)) or not _cuda_available()
        self.log = bool(getattr(config, "log_device_placement", None))
        self._logged: set[int] = set()
        self._cache: dict[str, torch.device] = {}
        if self.gpus:
            memory_fraction = getattr(
                getattr(config, "gpu_options", None), "per_process_gpu_memory_fraction", None
            )
            if memory_fraction:
                for i in range(self.gpus):
                    torch.cuda.set_per_process_memory_fraction(float(memory_fraction), i)

    @property
    def active(self) -> bool:
        """Whether placement can differ from "everything on the CPU" or must be reported."""
        return self.gpus > 0 or self.log or not self.soft

    def device_of(self, op: Any) -> torch.device:
        """The torch device ``op`` runs on (raises TF's error for an impossible placement)."""
        spec = op._device
        if not spec:
            return _CPU
        dev = self._cache.get(spec)
        if dev is not None:
            return dev
        parsed = parse_device(spec)
        dev = _CPU
        if parsed is not None and parsed[0] == "GPU":
            index = parsed[1] or 0
            if index < self.gpus:
                dev = torch.device("cuda", index)
            elif not self.soft:
                available = ", ".join(
                    [f"{_LOCAL}CPU:0", *(f"{_LOCAL}GPU:{i}" for i in range(self.gpus))]
                )
                raise InvalidArgumentError(
                    None,
                    op,
                    f"Cannot assign a device for operation {op.name}: {{{{node {op.name}}}}} was "
                    f"explicitly assigned to /device:GPU:{index} but available devices are "
                    f"[ {available} ]. Make sure the device specification refers to a valid "
                    "device.",
                )
        self._cache[spec] = dev
        return dev

    def report(self, ops: list[Any], devices: list[torch.device]) -> None:
        """Prints the placement of ops not reported before (``log_device_placement``)."""
        if not self.log:
            return
        for op, dev in zip(ops, devices, strict=True):
            if op._id in self._logged:
                continue
            self._logged.add(op._id)
            kind = "GPU" if dev.type == "cuda" else "CPU"
            index = dev.index or 0
            print(f"{op.name}: ({op._type}): {_LOCAL}{kind}:{index}")  # noqa: T201


_CPU = torch.device("cpu")


def on_device(kernel: Callable[..., Any], device: torch.device, writes_back: Any = None
              ) -> Callable[..., Any]:  # fmt: skip
    """``kernel`` with its tensor inputs moved to ``device`` and its outputs produced there.

    ``writes_back(value)`` is called with an output that had to be moved (a variable read:
    the moved value replaces the stored one, so the variable lives on ``device``).
    """

    def move(x: Any) -> Any:
        if isinstance(x, torch.Tensor) and x.device != device:
            return x.to(device)
        return x

    def run(*args: Any) -> Any:
        out = kernel(*[move(a) for a in args])
        if isinstance(out, tuple):
            return tuple(move(o) for o in out)
        moved = move(out)
        if moved is not out and writes_back is not None:
            writes_back(moved)
        return moved

    for attr in ("needs_grad", "grad_sources"):
        if hasattr(kernel, attr):
            setattr(run, attr, getattr(kernel, attr))
    return run


def log_device_mapping(placer: Placer) -> None:
    """TF's ``Device mapping:`` line at session creation (stderr), with placement logging."""
    if not placer.log:
        return
    if not placer.gpus:
        sys.stderr.write("Device mapping: no known devices.\n")
        return
    lines = ["Device mapping:"]
    for i in range(placer.gpus):
        props = torch.cuda.get_device_properties(i)
        lines.append(f"{_LOCAL}GPU:{i} -> device: {i}, name: {props.name}, compute capability: "
                     f"{props.major}.{props.minor}")  # fmt: skip
    sys.stderr.write("\n".join(lines) + "\n")


__all__ = [
    "PhysicalDevice",
    "Placer",
    "apply_tf32_policy",
    "enable_tensor_float_32_execution",
    "gpu_count",
    "gpu_device_name",
    "is_built_with_cuda",
    "is_gpu_available",
    "list_physical_devices",
    "log_device_mapping",
    "on_device",
    "parse_device",
    "tensor_float_32_execution_enabled",
]
