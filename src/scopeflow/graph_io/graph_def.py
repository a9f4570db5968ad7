"""``tf.Graph.as_graph_def``: a graph as TF's ``GraphDef`` proto.

Each op becomes a ``NodeDef`` with TF's op type, name, inputs (``"op"``, ``"op:1"``,
``"^control"``), device (TF's canonical form) and the attributes scopeflow records for it:
dtypes (``type``), shapes (``shape``), ints, floats, bools, strings, lists of these, and tensors
(a ``Const``'s ``value``, encoded as TF's ``make_tensor_proto`` encodes it).
``add_shapes=True`` adds TF's ``_output_shapes`` attribute. ``versions.producer`` is TF 1.15's
(134).

Differences from TensorFlow: attributes that scopeflow keeps as Python objects (kernels' private
state, callables) are left out, and TF's default-valued attributes that scopeflow never records
are missing, so a node may carry fewer attributes than TF's. ``_class`` colocation attributes are
derived for TF's variable ops (``Assign``, ``read``, ``Initializer``) only, since scopeflow does
not record ``colocate_with``. Graph functions are not exported (``library`` is
empty). ``from_version`` keeps TF 1.15's meaning (ops created after that version); TF 2's
``as_graph_def`` ignores it. Ops that scopeflow fuses (e.g. ``_FusedRandomInit`` for random
initializers) appear under scopeflow's op type, not as TF's several nodes.

Must not import torch, ``scopeflow.graph`` or any layer above.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph_io.tensor_proto import make_tensor_proto, shape_proto
from scopeflow.protos import attr_value_pb2, graph_pb2

TF1_PRODUCER = 134


def _shape_dims(shape: TensorShape) -> list[int | None] | None:
    return None if shape._dims is None else [d.value for d in shape._dims]


def _set_attr(attr: Any, value: Any, dtype_hint: Any) -> bool:
    """Fills ``attr`` (an ``AttrValue``) from a scopeflow attr value; False if not expressible."""
    if isinstance(value, dtypes.DType):
        attr.type = value.as_datatype_enum
    elif isinstance(value, TensorShape):
        attr.shape.CopyFrom(shape_proto(_shape_dims(value)))
    elif isinstance(value, (bool, np.bool_)):
        attr.b = bool(value)
    elif isinstance(value, (int, np.integer)):
        attr.i = int(value)
    elif isinstance(value, (float, np.floating)):
        attr.f = float(value)
    elif isinstance(value, str):
        attr.s = value.encode()
    elif isinstance(value, bytes):
        attr.s = value
    elif isinstance(value, np.ndarray):
        if value.dtype == object:
            dt = dtypes.string
        elif isinstance(dtype_hint, dtypes.DType):
            dt = dtype_hint
        else:
            dt = dtypes.as_dtype(value.dtype)
        attr.tensor.CopyFrom(make_tensor_proto(value, dt))
    elif isinstance(value, (list, tuple)):
        return _set_list_attr(attr, value)
    else:
        return False
    return True


def _set_list_attr(attr: Any, values: Any) -> bool:
    lst = attr.list
    attr.list.SetInParent()
    for v in values:
        if isinstance(v, dtypes.DType):
            lst.type.append(v.as_datatype_enum)
        elif isinstance(v, TensorShape):
            lst.shape.append(shape_proto(_shape_dims(v)))
        elif isinstance(v, (bool, np.bool_)):
            lst.b.append(bool(v))
        elif isinstance(v, (int, np.integer)):
            lst.i.append(int(v))
        elif isinstance(v, (float, np.floating)):
            lst.f.append(float(v))
        elif isinstance(v, str):
            lst.s.append(v.encode())
        elif isinstance(v, bytes):
            lst.s.append(v)
        else:
            return False
    return True


def canonical_device(spec: str) -> str:
    """TF's canonical device string: ``/cpu:0`` -> ``/device:CPU:0``, fields in TF's order.

    >>> canonical_device("/gpu:1"), canonical_device("/job:w/task:2/device:CPU:0")
    ('/device:GPU:1', '/job:w/task:2/device:CPU:0')
    """
    fields: dict[str, str] = {}
    for part in spec.split("/"):
        if not part:
            continue
        key, _, rest = part.partition(":")
        low = key.lower()
        if low in ("job", "replica", "task"):
            fields[low] = rest
        elif low == "device":
            dev_type, _, index = rest.partition(":")
            fields["device"] = f"{dev_type.upper()}:{index or '*'}"
        else:  # legacy "cpu:0" / "gpu:*"
            fields["device"] = f"{key.upper()}:{rest or '*'}"
    out = [f"/{k}:{fields[k]}" for k in ("job", "replica", "task") if k in fields]
    if "device" in fields:
        out.append(f"/device:{fields['device']}")
    return "".join(out)


def _input_name(t: Any) -> str:
    op = t._op
    return op._name if t._value_index == 0 else f"{op._name}:{t._value_index}"


_VARIABLE_OPS = frozenset(("VariableV2", "Variable"))
_INIT = "/Initializer/"


def _colocation(ops: list[Any]) -> dict[str, str]:
    """``op name -> variable name`` for the ops TF colocates with a ``VariableV2``.

    TF creates a variable's ``Assign`` and ``read`` under ``colocate_with(variable)``; when the
    initial value comes from a callable (``get_variable``, ``Variable(lambda: ...)``) the ops of
    ``<var>/Initializer/`` and the variable op itself get the same ``_class`` attribute.
    """
    variables = {op._name for op in ops if op._type in _VARIABLE_OPS}
    out: dict[str, str] = {}
    from_fn: set[str] = set()
    for op in ops:
        name = op._name
        head, _, tail = name.rpartition("/")
        if head in variables and (tail, op._type) in (("Assign", "Assign"), ("read", "Identity")):
            out[name] = head
            continue
        start = name.find(_INIT)
        while start != -1:
            if name[:start] in variables:
                out[name] = name[:start]
                from_fn.add(name[:start])
                break
            start = name.find(_INIT, start + 1)
    for v in from_fn:
        out[v] = v
    return out


def as_graph_def(graph: Any, from_version: int | None = None, add_shapes: bool = False) -> Any:
    """The ``GraphDef`` of ``graph`` (ops created after ``from_version`` only, if given).

    >>> import scopeflow.compat.v1 as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     x = tf.constant([1.0, 2.0], name="x")
    ...     y = tf.identity(x, name="y")
    >>> [(n.name, n.op, list(n.input)) for n in g.as_graph_def().node]
    [('x', 'Const', []), ('y', 'Identity', ['x'])]
    """
    gd = graph_pb2.GraphDef()
    gd.versions.producer = TF1_PRODUCER
    ops = graph.get_operations()
    colocated = _colocation(ops)
    for op in ops:
        if from_version is not None and op._id <= from_version:
            continue
        node = gd.node.add(name=op._name, op=op._type)
        var = colocated.get(op._name)
        if var is not None:
            node.attr["_class"].list.s.append(f"loc:@{var}".encode())
        node.input.extend(_input_name(t) for t in op._inputs)
        node.input.extend("^" + c._name for c in op._control_inputs)
        device = op._device
        if isinstance(device, str) and device:
            node.device = canonical_device(device)
        attrs = op._attrs
        dtype_hint = attrs.get("dtype")
        for key in sorted(attrs):
            value = attrs[key]
            if value is None or key.startswith("_"):
                continue
            av = attr_value_pb2.AttrValue()
            if key == "value" and "_proto_values" in attrs:  # a broadcast constant, as TF keeps it
                av.tensor.CopyFrom(
                    make_tensor_proto(attrs["_proto_values"], dtype_hint, shape=value.shape)
                )
                node.attr[key].CopyFrom(av)
            elif _set_attr(av, value, dtype_hint):
                node.attr[key].CopyFrom(av)
        if add_shapes and op._outputs:
            shapes = node.attr["_output_shapes"].list
            for t in op._outputs:
                shapes.shape.append(shape_proto(_shape_dims(t._shape)))
    return gd


__all__ = ["TF1_PRODUCER", "as_graph_def", "canonical_device"]
