"""TF1's device stack: device strings, device functions and ``None`` as ``tf.device`` takes them.

``Graph.device(x)`` pushes a :class:`UserDeviceSpec`; when an op is created, the stack is
applied from the innermost entry outwards (TF's ``Graph._apply_device_functions``):

* a string or ``DeviceSpec`` merges into the op's device: fields the inner entries set are kept,
  the others are filled in (``/job:ps`` around ``/gpu:0`` gives ``/job:ps/device:GPU:0``); the
  result is TF's canonical string (``/device:CPU:0``). An empty string changes nothing;
* a function is called with the op (whose ``device`` holds what the inner entries set) and its
  result (a string, stored as returned, or a ``DeviceSpec``) becomes the op's device;
* ``None`` stops the walk: the entries outside it are ignored.

A stack of strings only resolves to one string, computed when the entry is pushed
(``UserDeviceSpec.static``), so creating an op under ``tf.device('/gpu:0')`` costs one
attribute read; functions (and ``DeviceSpec`` objects, which TF reads again for each op: a
change after ``tf.device(spec)`` applies to later ops) run once per op, when it is created.
Sessions never look at the stack: they read each op's resolved device string when a plan is
made.

Also here: ``merge_device``, ``MergeDevice``, ``check_valid``, ``canonical_name`` and
``is_device_spec`` (TF's ``tensorflow.python.framework.device``).

Pure Python; must not import torch or any layer above ``graph``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow.graph.api_c_device_spec import DeviceSpecV1
from scopeflow.graph.tensor import Operation, Tensor

DeviceSpec = DeviceSpecV1


def is_device_spec(obj: Any) -> bool:
    """Whether ``obj`` is a ``tf.DeviceSpec``."""
    return isinstance(obj, DeviceSpecV1)


def check_valid(spec: str) -> None:
    """Raises TF's ``ValueError`` if ``spec`` is not a valid device string."""
    DeviceSpecV1.from_string(spec)


def canonical_name(device: Any) -> str:
    """TF's canonical form of a device string or ``DeviceSpec`` (``''`` for ``None``).

    >>> canonical_name("/job:ps/gpu:1"), canonical_name(None)
    ('/job:ps/device:GPU:1', '')
    """
    if device is None:
        return ""
    if is_device_spec(device):
        return str(device.to_string())
    return DeviceSpecV1.from_string(device).to_string()


_string_merge_cache: dict[tuple[str, str], str] = {}


class MergeDevice:
    """A device string (or ``DeviceSpec``) as a device function: merges into an op's device.

    The fields this spec sets fill the fields the op's current device leaves unset.

    >>> m = merge_device("/job:ps/cpu:0")
    >>> m.shortcut_string_merge_device("/task:2"), m.is_null_merge
    ('/job:ps/task:2/device:CPU:0', False)
    """

    __slots__ = ("_fixed", "_spec")

    def __init__(self, spec: Any) -> None:
        # As TF: a DeviceSpec is held, not copied (changing it changes later merges).
        self._fixed = not is_device_spec(spec)
        self._spec = DeviceSpecV1.from_string(spec) if self._fixed else spec

    @property
    def _string(self) -> str:
        return str(self._spec.to_string())

    def __call__(self, node_def: Any) -> DeviceSpecV1:
        """The merged ``DeviceSpec`` of ``node_def`` (an op or ``NodeDef``)."""
        current = DeviceSpecV1.from_string(getattr(node_def, "device", "") or "")
        return self._spec.make_merged_spec(current)

    def shortcut_string_merge(self, node_def: Any) -> str:
        """The merged device of ``node_def`` (an op) as a string."""
        return self.shortcut_string_merge_device(getattr(node_def, "device", "") or "")

    def shortcut_string_merge_device(self, device: str) -> str:
        """The merge of ``device`` (an op's current device string) with this spec."""
        key = (self._string, device)
        result = _string_merge_cache.get(key)
        if result is None:
            current = DeviceSpecV1.from_string(device)
            result = self._spec.make_merged_spec(current).to_string()
            _string_merge_cache[key] = result
        return result

    @property
    def is_null_merge(self) -> bool:
        """Whether the spec is empty (merging changes nothing)."""
        return not self._string

    def __repr__(self) -> str:
        return f"MergeDevice(spec: {self._string})"


_cached_mergers: dict[str, MergeDevice] = {}


def merge_device(spec: Any) -> MergeDevice:
    """A ``MergeDevice`` for a device string or ``DeviceSpec`` (cached per string).

    Raises TF's ``ValueError`` for an invalid device string.
    """
    if isinstance(spec, MergeDevice):
        return spec
    if is_device_spec(spec):
        return MergeDevice(spec)
    merger = _cached_mergers.get(spec)
    if merger is None:
        merger = _cached_mergers[spec] = MergeDevice(spec)
    return merger


def _device_string(value: Any) -> Any:
    return value.to_string() if is_device_spec(value) else value


def _as_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode()
    raise TypeError(f"Expected binary or unicode string, got {value!r}")


class UserDeviceSpec:
    """One entry of a graph's device stack (what ``tf.device(x)`` pushed).

    ``function`` is ``None`` for ``tf.device(None)``, a ``MergeDevice`` for a string or
    ``DeviceSpec``, else the user's device function. ``static`` is the device string the stack
    from this entry down resolves to when it holds no function (``None`` when one must run).
    """

    __slots__ = ("display_name", "function", "is_null_merge", "raw_string", "static")

    def __init__(self, device_name_or_function: Any, below: UserDeviceSpec | None) -> None:
        self.display_name = str(device_name_or_function)
        self.raw_string: Any = None
        self.function: Any = device_name_or_function
        outer = "" if below is None else below.static
        if isinstance(device_name_or_function, MergeDevice):
            self.is_null_merge = device_name_or_function.is_null_merge
        elif callable(device_name_or_function):
            self.is_null_merge = False
            code = getattr(device_name_or_function, "__code__", None)
            name = getattr(device_name_or_function, "__name__", type(device_name_or_function))
            where = f"{code.co_filename}, {code.co_firstlineno}" if code else "unknown, -1"
            self.display_name = f"{name}<{where}>"
        elif device_name_or_function is None:
            self.is_null_merge = False  # a break in the stack, never skipped
        else:
            self.raw_string = device_name_or_function
            self.function = merge_device(device_name_or_function)
            self.is_null_merge = self.function.is_null_merge
        self.static: str | None
        if self.function is None:
            self.static = ""
        elif self.is_null_merge:
            self.static = outer
        elif isinstance(self.function, MergeDevice) and self.function._fixed and outer is not None:
            # the outer entries fill what this one leaves unset
            self.static = merge_device(outer).shortcut_string_merge_device(self.function._string)
        else:
            self.static = None

    def string_merge(self, op: Any) -> str:
        """The device string this entry gives ``op`` (whose ``device`` is the inner result)."""
        function = self.function
        if isinstance(function, MergeDevice):
            return function.shortcut_string_merge_device(op._device)
        return _as_str(_device_string(function(op)))


def apply_device_functions(op: Any, stack: list[UserDeviceSpec]) -> None:
    """Sets ``op``'s device from the device stack (innermost entry first; ``None`` stops)."""
    for spec in reversed(stack):
        if spec.is_null_merge:
            continue
        if spec.function is None:
            break
        if spec.static is not None:  # every entry from here down is a fixed string
            op._device = merge_device(spec.static).shortcut_string_merge_device(op._device)
            break
        op._device = spec.string_merge(op)


def merged_device(outer: str, device: str) -> str:
    """``device`` (a node's own device string) under a stack of strings resolved to ``outer``.

    >>> merged_device("/job:ps", "/gpu:0"), merged_device("/job:ps", "")
    ('/job:ps/device:GPU:0', '/job:ps')
    """
    if not device:
        return outer
    inner = merge_device(device)._string
    return merge_device(outer).shortcut_string_merge_device(inner) if outer else inner


def colocation_op(value: Any) -> Any:
    """The op ``tf.colocate_with(value)`` colocates with (a variable's or tensor's op)."""
    if value is None:
        return None
    if isinstance(value, Operation):
        return value
    if isinstance(value, Tensor):
        return value._op
    element: Callable[[], Any] | None = getattr(value, "_as_graph_element", None)
    obj = element() if element is not None else None
    if isinstance(obj, Tensor):
        return obj._op
    op = getattr(value, "op", None)
    if isinstance(op, Operation):
        return op
    as_tensor = getattr(value, "_as_tensor", None)
    if as_tensor is not None:
        return as_tensor()._op
    raise TypeError(
        f"Can not colocate with {value!r}: expected an Operation, a Tensor or a Variable."
    )


__all__ = [
    "DeviceSpec",
    "MergeDevice",
    "UserDeviceSpec",
    "apply_device_functions",
    "canonical_name",
    "check_valid",
    "colocation_op",
    "is_device_spec",
    "merge_device",
    "merged_device",
]
