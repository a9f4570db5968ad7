"""``Graph``: operations and tensors on top of the pure-Python ``GraphState``.

Op creation is the hot path of graph building: ``_create_op`` does the name work once (the
uniquifier from ``_core.names``), records control dependencies and device, and appends the op;
dtype and static shape come precomputed from the op wrapper.

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from scopeflow._core import dtypes, graph_state, names, tensor_shape
from scopeflow._core.graph_state import GraphState
from scopeflow.errors import UnsupportedError
from scopeflow.graph.device_functions import UserDeviceSpec, apply_device_functions, colocation_op
from scopeflow.graph.tensor import Operation, Tensor

_valid_op_name = names.VALID_OP_NAME_REGEX.match


def _control_op(c: Any) -> Operation:
    """The op behind a control input (an Operation, a Tensor or a Variable)."""
    el = getattr(c, "_as_graph_element", None)
    obj = el() if el is not None else c
    if isinstance(obj, Tensor):
        return obj.op
    if isinstance(obj, Operation):
        return obj
    conv = getattr(obj, "op", None)
    if isinstance(conv, Operation):
        return conv
    raise TypeError(f"Control input must be Operation or Tensor: {c}")


class _ControlFrame:
    __slots__ = ("control_inputs", "created")

    def __init__(self, control_inputs: list[Operation] | None) -> None:
        self.control_inputs = control_inputs
        self.created: set[int] = set()


class Graph(GraphState):
    """A TF1 dataflow graph (``tf.Graph``).

    >>> import scopeflow.compat.v1 as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     c = tf.constant(1.0, name="c")
    >>> c.graph is g, g.get_tensor_by_name("c:0") is c
    (True, True)
    """

    def __init__(self) -> None:
        super().__init__()
        self._ops_by_name: dict[str, Operation] = {}
        self._ops: list[Operation] = []
        self._plan_cache_version = 0
        self._gradient_override_map: dict[str, str] = {}
        self._unfetchable: set[Any] = set()
        self._unfeedable: set[Any] = set()
        self.building_function = False
        self._attr_scope_map: dict[str, Any] = {}
        self._container = ""
        # op id -> its ``_class`` colocation groups (kept off the op's attrs, which variables'
        # ops share)
        self._colocation: dict[int, list[bytes]] = {}

    # --- ops ---------------------------------------------------------------------------------

    def _create_op(
        self,
        op_type: str,
        inputs: Sequence[Tensor],
        attrs: dict[str, Any],
        name: str | None,
        out_dtypes: Sequence[dtypes.DType],
        out_shapes: Sequence[tensor_shape.TensorShape],
    ) -> Operation:
        """Adds an op; a ``name`` ending in ``/`` is used verbatim, any other is uniquified.

        As TF's op wrappers do (``ops._get_graph_from_inputs``), an op whose inputs all belong
        to another graph is created in that graph, and inputs from two graphs raise TF's
        ``ValueError``.
        """
        for t in inputs:
            if t._op._graph is not self:
                if name and name[-1] == "/":  # a scope of this graph: renamed in the other one
                    name = name[:-1].rpartition("/")[2]
                return _graph_of_inputs(inputs)._create_op(
                    op_type, inputs, attrs, name, out_dtypes, out_shapes
                )
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        thread = self._thread
        if not name:
            name = op_type
        if name[-1] == "/":
            name = name[:-1]
            self._names.mark_used(name)
        else:
            name = self._names.unique_name(name, thread.name_stack)
            if not _valid_op_name(name):
                raise ValueError(
                    f"`{name}` is not a valid node name. Accepted names conform to Regex "
                    f"/{names.VALID_OP_NAME_REGEX}/"
                )
        if self._container and attrs.get("container") == "":  # TF: stateful ops' empty container
            attrs = {**attrs, "container": self._container}
        self._last_id = op_id = self._last_id + 1
        if op_type in self._gradient_override_map:  # TF records the override on the op
            mapped = self._gradient_override_map[op_type]
            attrs = {**attrs, "_gradient_op_type": mapped.encode()}
        op = Operation(self, op_type, name, tuple(inputs), attrs, op_id)
        if len(out_dtypes) == 1:
            op._out = Tensor(op, 0, out_dtypes[0], out_shapes[0])
        elif out_dtypes:
            op._outputs = tuple(
                Tensor(op, i, dt, sh)
                for i, (dt, sh) in enumerate(zip(out_dtypes, out_shapes, strict=True))
            )
        if thread.control_dependencies:
            op._control_inputs = tuple(self._control_deps_for(op))
            for frame in thread.control_dependencies:
                frame.created.add(op_id)
        stack = thread.device_stack
        if stack:  # strings only: resolved when the scope was entered (``static``)
            static = stack[-1].static
            if static is not None:
                op._device = static
            else:
                apply_device_functions(op, stack)
        if self._attr_scope_map:
            self._apply_attr_scope(op)
        if thread.colocation_stack:
            _colocate(op, thread.colocation_stack)
        self._ops_by_name[name] = op
        self._ops.append(op)
        return op

    def _control_deps_for(self, op: Operation) -> list[Operation]:
        input_ops = {id(t._op) for t in op._inputs}
        ret: dict[int, Operation] = {}  # insertion-ordered, O(1) dedup (a group can be huge)
        for frame in self._thread.control_dependencies:
            if frame.control_inputs is None:
                ret = {}
                continue
            if any(o in frame.created for o in (t._op._id for t in op._inputs)):
                continue
            for c in frame.control_inputs:
                if id(c) not in input_ops:
                    ret.setdefault(id(c), c)
        return list(ret.values())

    def get_operations(self) -> list[Operation]:
        """All ops, in creation order."""
        return list(self._ops)

    def get_operation_by_name(self, name: str) -> Operation:
        """The op called ``name``; KeyError (TF's text) if none."""
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        op = self._ops_by_name.get(name)
        if op is None:
            raise KeyError(f"The name '{name}' refers to an Operation not in the graph.")
        return op

    def get_tensor_by_name(self, name: str) -> Tensor:
        """The tensor ``'op:index'``; KeyError/ValueError with TF's text."""
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)  # type: ignore[no-any-return]

    def as_graph_element(
        self, obj: Any, allow_tensor: bool = True, allow_operation: bool = True
    ) -> Any:
        """Resolves a Tensor, Operation, Variable or name string to an element of this graph."""
        conv = getattr(obj, "_as_graph_element", None)
        if conv is not None and not isinstance(obj, type):
            obj = conv()
        elif not isinstance(obj, (Tensor, Operation, str)) and hasattr(obj, "_as_tensor"):
            obj = obj._as_tensor()  # e.g. a lazily evaluated regularization loss
        if isinstance(obj, str):
            if ":" in obj and allow_tensor:
                op_name, out_n = obj.rsplit(":", 1)
                try:
                    idx = int(out_n)
                except ValueError:
                    raise ValueError(
                        f"The name {obj!r} looks a like a Tensor name, but is not a valid one. "
                        'Tensor names must be of the form "<op_name>:<output_index>".'
                    ) from None
                op = self._ops_by_name.get(op_name)
                if op is None:
                    raise KeyError(
                        f"The name {obj!r} refers to a Tensor which does not exist. The operation, "
                        f"{op_name!r}, does not exist in the graph."
                    )
                if idx >= len(op._outputs):
                    raise KeyError(
                        f"The name {obj!r} refers to a Tensor which does not exist. The operation, "
                        f"{op_name!r}, exists but only has {len(op._outputs)} outputs."
                    )
                return op._outputs[idx]
            if ":" in obj:
                raise ValueError(f"Name {obj!r} appears to refer to a Tensor, not a Operation.")
            if allow_operation:
                op = self._ops_by_name.get(obj)
                if op is None:
                    raise KeyError(f"The name {obj!r} refers to an Operation not in the graph.")
                return op
            raise ValueError(
                f"The name {obj!r} looks like an (invalid) Operation name, not a Tensor. Tensor "
                'names must be of the form "<op_name>:<output_index>".'
            )
        if isinstance(obj, Tensor) and allow_tensor:
            if obj.graph is not self:
                raise ValueError(f"Tensor {obj} is not an element of this graph.")
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj.graph is not self:
                raise ValueError(f"Operation {obj} is not an element of this graph.")
            return obj
        types = (
            "Tensor or Operation"
            if allow_tensor and allow_operation
            else ("Tensor" if allow_tensor else "Operation")
        )
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {types}.")

    @property
    def version(self) -> int:
        """The number of ops created so far."""
        return self._last_id

    def as_graph_def(self, from_version: int | None = None, add_shapes: bool = False) -> Any:
        """This graph as a ``tensorflow.GraphDef`` proto (see :mod:`scopeflow.graph_io`)."""
        from scopeflow.graph_io.graph_def import as_graph_def  # noqa: PLC0415  (protobuf is lazy)

        return as_graph_def(self, from_version=from_version, add_shapes=add_shapes)

    @property
    def graph_def_versions(self) -> Any:
        """TF's producer version record (a fixed stand-in)."""
        return {"producer": 1}

    def is_fetchable(self, tensor_or_op: Any) -> bool:
        """False if ``prevent_fetching`` was called on it."""
        return tensor_or_op not in self._unfetchable

    def prevent_fetching(self, op: Any) -> None:
        """Marks ``op`` as not fetchable."""
        self._unfetchable.add(op)

    def is_feedable(self, tensor: Any) -> bool:
        """False if ``prevent_feeding`` was called on it."""
        return tensor not in self._unfeedable

    def prevent_feeding(self, tensor: Any) -> None:
        """Marks ``tensor`` as not feedable."""
        self._unfeedable.add(tensor)

    # --- context managers ----------------------------------------------------------------------

    def as_default(self) -> graph_state.default_graph:
        """Makes this graph the default graph of the current thread inside the block."""
        return graph_state.default_graph(self)

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs: Any) -> Iterator[None]:
        """Ops created inside depend on ``control_inputs`` (``None`` clears outer deps)."""
        if control_inputs is None:
            frame = _ControlFrame(None)
        else:
            ops: dict[int, Operation] = {}
            for c in control_inputs:
                op = _control_op(c)
                ops.setdefault(id(op), op)
            frame = _ControlFrame(list(ops.values()))
        stack = self._thread.control_dependencies
        stack.append(frame)
        try:
            yield
        finally:
            stack.pop()

    def _add_device_to_stack(self, device_name_or_function: Any, offset: int = 0) -> Any:
        """Pushes a device (string, ``DeviceSpec``, function or ``None``) on the device stack."""
        del offset  # TF's traceback bookkeeping
        stack = self._thread.device_stack
        spec = UserDeviceSpec(device_name_or_function, stack[-1] if stack else None)
        stack.append(spec)
        return spec

    @contextlib.contextmanager
    def device(self, device_name_or_function: Any) -> Iterator[None]:
        """Ops created inside get their device from this string, ``DeviceSpec`` or function.

        As TF: a string merges with the devices of inner scopes (``/job:ps`` around ``/gpu:0``
        gives ``/job:ps/device:GPU:0``), ``''`` changes nothing, ``None`` ignores the outer
        scopes, a function is called with each new op and returns its device (see
        :mod:`scopeflow.graph.device_functions`). Sessions place ops by these strings.

        Raises:
            ValueError: an invalid device string (TF's message).
            RuntimeError: device scopes exited out of order.
        """
        spec = self._add_device_to_stack(device_name_or_function)
        try:
            yield
        finally:
            stack = self._thread.device_stack
            if not stack or stack[-1] is not spec:
                raise RuntimeError("Exiting device scope without proper scope nesting.")
            stack.pop()

    def _apply_device_functions(self, op: Operation) -> None:
        """Sets ``op``'s device from the current device stack (TF's private method)."""
        apply_device_functions(op, self._thread.device_stack)

    @contextlib.contextmanager
    def container(self, container_name: str) -> Iterator[str]:
        """Stateful ops created inside get ``container_name`` as their empty ``container`` attr."""
        original = self._container
        self._container = container_name
        try:
            yield self._container
        finally:
            self._container = original

    @contextlib.contextmanager
    def colocate_with(self, op: Any, ignore_existing: bool = False) -> Iterator[None]:
        """Ops created inside are colocated with ``op`` (an op, tensor or variable).

        As TF: they get ``op``'s device (the first op of the colocation stack that has one)
        and a ``_class`` attribute listing the colocation groups (``loc:@<name>``) of every op
        on the stack; the device scopes around are reset inside. ``op=None`` with
        ``ignore_existing=True`` resets colocation and devices.
        """
        if op is None and not ignore_existing:
            raise ValueError(
                "Trying to reset colocation (op is None) but ignore_existing is not True"
            )
        target = colocation_op(op)
        thread = self._thread
        devices = thread.device_stack
        thread.device_stack = []
        outer = thread.colocation_stack
        if ignore_existing:
            thread.colocation_stack = []
        if target is not None:
            thread.colocation_stack.append(target)
        try:
            yield
        finally:
            thread.device_stack = devices
            if target is not None:
                thread.colocation_stack.pop()
            if ignore_existing:
                thread.colocation_stack = outer

    @contextlib.contextmanager
    def _colocate_with_for_gradient(
        self, op: Any, gradient_uid: Any, ignore_existing: bool = False
    ) -> Iterator[None]:
        del gradient_uid  # TF's control-flow bookkeeping
        with self.colocate_with(op, ignore_existing):
            yield

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map: dict[str, str]) -> Iterator[None]:
        """Records gradient overrides by op type (used by ``tf.gradients``)."""
        old = dict(self._gradient_override_map)
        self._gradient_override_map.update(op_type_map)
        try:
            yield
        finally:
            self._gradient_override_map = old

    def _apply_attr_scope(self, op: Operation) -> None:
        """Adds the ``_attr_scope`` attributes ``op`` does not have (TF's ``_create_op_helper``)."""
        added = {}
        for key, value in self._attr_scope_map.items():
            if key in op._attrs or (key == "_class" and op._id in self._colocation):
                continue
            stored = _attr_value_python(key, value(op.node_def) if callable(value) else value)
            if stored is None or stored == []:
                continue
            if key == "_class":
                self._colocation[op._id] = list(stored)
            else:
                added[key] = stored
        if added:
            op._attrs = {**op._attrs, **added}

    @contextlib.contextmanager
    def _attr_scope(self, attr_map: dict[str, Any]) -> Iterator[None]:
        old = dict(self._attr_scope_map)
        self._attr_scope_map.update(attr_map)
        try:
            yield
        finally:
            self._attr_scope_map = old

    def __repr__(self) -> str:
        return f"<scopeflow.Graph object at {id(self):#x}>"


graph_state.set_graph_factory(Graph)


def _colocate(op: Operation, stack: list[Operation]) -> None:
    """TF's colocation of a new op: the first stack op's device, every op's groups."""
    groups: set[bytes] = set()
    device_set = False
    for other in reversed(stack):
        groups.update(other.colocation_groups())
        if other._device and not device_set:
            op._device = other._device
            device_set = True
    op._graph._colocation[op._id] = sorted(groups)


def _attr_value_python(key: str, value: Any) -> Any:
    """The stored form of an ``_attr_scope`` value (an ``AttrValue`` proto or a Python value)."""
    which = getattr(value, "WhichOneof", None)
    if which is None:
        return value
    kind = which("value")
    if kind is None:
        return None
    if kind == "list":
        for field in ("s", "i", "f", "b"):
            items = getattr(value.list, field)
            if items:
                return list(items)
        return []
    if kind in ("s", "i", "f", "b"):
        return getattr(value, kind)
    raise UnsupportedError(f"an _attr_scope value of kind {kind!r} (attribute {key!r})")


def _graph_of_inputs(inputs: Sequence[Tensor]) -> Graph:
    """The graph of ``inputs`` (the first one's), checking that they all share it."""
    first = inputs[0]
    graph = first._op._graph
    for t in inputs[1:]:
        if t._op._graph is not graph:
            raise ValueError(
                f"{t} must be from the same graph as {first} (graphs are {t._op._graph!r} and "
                f"{graph!r})."
            )
    return graph  # type: ignore[no-any-return]


def get_default_graph() -> Graph:
    """The default graph of the calling thread (``tf.get_default_graph``)."""
    return graph_state.get_default_graph()  # type: ignore[no-any-return]


def reset_default_graph() -> None:
    """Clears the default graph stack and resets the global default graph."""
    graph_state.reset_default_graph()


__all__ = ["Graph", "get_default_graph", "reset_default_graph"]
