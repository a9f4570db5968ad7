"""``tf.Graph.as_graph_def``: a graph as TF's ``GraphDef`` proto.

Each op becomes a ``NodeDef`` with TF's op type, name, inputs (``"op"``, ``"op:1"``,
``"^control"``), device (as TF records it: canonical for ``tf.device`` strings, a device
function's result verbatim) and the attributes scopeflow records for it:
dtypes (``type``), shapes (``shape``), ints, floats, bools, strings, lists of these, and tensors
(a ``Const``'s ``value``, encoded as TF's ``make_tensor_proto`` encodes it).
``add_shapes=True`` adds TF's ``_output_shapes`` attribute. ``versions.producer`` is TF 1.15's
(134).

Op types and attributes follow TF's ``OpDef``s (``tf_op_attrs.json``, recorded from TF by
``tools/record_graphio_golden.py``): attributes scopeflow records for its own bookkeeping that
TF's op does not declare are dropped, so real TF imports the GraphDef. scopeflow's fused random
initializer (``_FusedRandomInit``) is written as the 7 nodes TF builds (``shape``, ``min``/``max``
or ``mean``/``stddev`` constants, the random op, ``sub``, ``mul``, the final ``AddV2``).
Ops private to scopeflow that stand for a TF subgraph (most ``Sf*`` composites) are written as
that subgraph (see :mod:`scopeflow.graph_io.tf_subgraphs`); the others (the rest of the
table's ``private`` list) keep their scopeflow type, which TensorBoard displays but TF cannot
load: :func:`check_tf_loadable` (used by ``tf.train.write_graph`` and the meta-graph export)
raises naming them.

Differences from TensorFlow: attributes that scopeflow keeps as Python objects (kernels' private
state, callables) are left out, and TF's default-valued attributes that scopeflow never records
are missing (TF's importer adds its defaults), so a node may carry fewer attributes than TF's.
``_class`` colocation attributes are those ``colocate_with`` recorded; an op without one that TF
colocates with a variable (``Assign``, ``read``, ``Initializer`` of an imported graph) gets it
derived from its name. Graph functions are
not exported (``library`` is empty). ``from_version`` keeps TF 1.15's meaning (ops created
after that version); TF 2's ``as_graph_def`` ignores it. The ``max`` constant of an exported
uniform initializer is ``min + (max - min)`` and may differ from TF's in the last bit.

Must not import torch, ``scopeflow.graph`` or any layer above.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.graph_io.tensor_proto import make_tensor_proto, shape_proto
from scopeflow.graph_io.tf_subgraphs import EXPANDERS
from scopeflow.protos import attr_value_pb2, graph_pb2

TF1_PRODUCER = 134


@functools.cache
def _tf_op_table() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """``(op type -> TF's attr names, scopeflow-private op types)`` from ``tf_op_attrs.json``."""
    text = resources.files("scopeflow.graph_io").joinpath("tf_op_attrs.json").read_text()
    data = json.loads(text)
    attrs = {k: frozenset(v) for k, v in data["attrs"].items()}
    return attrs, frozenset(data["private"])


# Attributes scopeflow records that TF's op lacks but that change the result: exported only when
# they hold the value TF's op implies.
_SEMANTIC_EXTRAS: dict[str, dict[str, Any]] = {
    "Softmax": {"axis": -1},
    "LogSoftmax": {"axis": -1},
}


def private_op_types() -> frozenset[str]:
    """The op types scopeflow has that TensorFlow does not define (TF cannot load them)."""
    return _tf_op_table()[1]


def check_tf_loadable(graph_def: Any, what: str = "the graph") -> None:
    """Raises ``UnsupportedError`` if ``graph_def`` uses op types private to scopeflow.

    The message lists every such op type with how many nodes use it and one node name each.

    >>> import scopeflow.compat.v1 as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     x = tf.ones([2, 3])
    ...     _ = tf.nn.softmax_cross_entropy_with_logits_v2(labels=x, logits=x, axis=0, name="n")
    >>> try:
    ...     check_tf_loadable(g.as_graph_def())
    ... except NotImplementedError as e:
    ...     print("1 x SfSoftmaxCrossEntropy (e.g. node 'n/Reshape_2')" in str(e))
    True
    """
    private = _tf_op_table()[1]
    found: dict[str, list[str]] = {}
    for node in graph_def.node:
        if node.op in private:
            found.setdefault(node.op, []).append(node.name)
    if found:
        listing = ", ".join(
            f"{len(names)} x {op} (e.g. node {names[0]!r})" for op, names in sorted(found.items())
        )
        raise UnsupportedError(
            f"writing {what} for TensorFlow: it uses op types private to scopeflow that "
            f"TensorFlow cannot load: {listing}. These are scopeflow's fused composites; build "
            "the graph without the ops that create them or keep it for scopeflow only"
        )


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


def attr_as_tf_returns(op: Any, key: str, value: Any) -> Any:
    """``op.get_attr(key)`` as TF returns it, from the stored ``value``.

    TF unpacks the op's ``AttrValue``: ``s`` as ``bytes``, ``type`` as a ``DType``, ``shape`` as
    a ``TensorShapeProto``, ``tensor`` as a ``TensorProto``, ``f`` rounded to float32, a list as
    a Python list of those (``[]`` when empty). A value with no ``AttrValue`` form (scopeflow's
    own bookkeeping attrs) is returned as stored.
    """
    attrs = op._attrs
    av = attr_value_pb2.AttrValue()
    if value is None:
        return None
    if key == "value" and "_proto_values" in attrs:
        av.tensor.CopyFrom(
            make_tensor_proto(attrs["_proto_values"], attrs.get("dtype"), shape=value.shape)
        )
    elif not _set_attr(av, value, attrs.get("dtype")):
        return value
    kind = av.WhichOneof("value")
    if kind == "list":
        for field in ("s", "i", "f", "b", "type", "shape", "tensor", "func"):
            items = getattr(av.list, field)
            if items:
                if field == "type":
                    return [dtypes.as_dtype(t) for t in items]
                return list(items)
        return []
    if kind == "type":
        return dtypes.as_dtype(av.type)
    return getattr(av, kind)


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
        _add_op(gd, op, colocated.get(op._name), add_shapes)
    return gd


def node_def(op: Any) -> Any:
    """``tf.Operation.node_def``: the ``NodeDef`` of ``op`` as ``as_graph_def`` writes it.

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 2], name="x")
    >>> nd = tf.nn.relu(x, name="r").op.node_def
    >>> print(nd.name, nd.op, list(nd.input), nd.attr["T"].type == tf.float32.as_datatype_enum)
    r Relu ['x'] True
    """
    gd = graph_pb2.GraphDef()
    var = _colocation(op._graph.get_operations()).get(op._name)
    _add_op(gd, op, var, add_shapes=False, whole_graph=False)
    return next(n for n in gd.node if n.name == op._name)


def _add_op(gd: Any, op: Any, var: str | None, add_shapes: bool, whole_graph: bool = True
            ) -> None:  # fmt: skip
    if op._type == "_FusedRandomInit":
        _add_random_init(gd, op, var, add_shapes)
        return
    if whole_graph and "_v1_rebuilt" in op._attrs:  # a While/If standing for imported TF1 nodes
        return
    expand = EXPANDERS.get(op._type)
    if expand is not None:
        expand(gd, op, lambda: _add_plain(gd, op, var, add_shapes), add_shapes)
        return
    _add_plain(gd, op, var, add_shapes)


def _add_plain(gd: Any, op: Any, var: str | None, add_shapes: bool) -> Any:
    attrs = op._attrs
    node = gd.node.add(name=op._name, op=op._type)
    _add_class(node, op, var)
    v1_inputs = attrs.get("_v1_inputs")  # an imported TF 1.x control-flow node's own inputs
    node.input.extend(v1_inputs or (_input_name(t) for t in op._inputs))
    node.input.extend("^" + c._name for c in op._control_inputs)
    device = op._device
    if isinstance(device, str) and device:
        node.device = device  # as resolved at creation (a device function's result verbatim)
    dtype_hint = attrs.get("dtype")
    declared = _tf_op_table()[0].get(op._type)
    for key in sorted(attrs):
        value = attrs[key]
        if value is None or key.startswith("_"):
            continue
        if declared is not None and key not in declared:
            _check_extra(op, key, value)
            continue
        av = attr_value_pb2.AttrValue()
        if key == "value" and "_proto_values" in attrs:  # a broadcast constant, as TF keeps it
            av.tensor.CopyFrom(
                make_tensor_proto(attrs["_proto_values"], dtype_hint, shape=value.shape)
            )
            node.attr[key].CopyFrom(av)
        elif _set_attr(av, value, dtype_hint):
            node.attr[key].CopyFrom(av)
    if op._type == "SymbolicGradient" and "num_ys" in attrs:
        _add_symbolic_gradient_attrs(node, attrs)
    if add_shapes and op._outputs:
        shapes = node.attr["_output_shapes"].list
        for t in op._outputs:
            shapes.shape.append(shape_proto(_shape_dims(t._shape)))
    return node


def _add_class(node: Any, op: Any, var: str | None) -> None:
    """The ``_class`` colocation attribute: the op's own (``colocate_with``), else derived."""
    groups = getattr(op._graph, "_colocation", {}).get(op._id) or op._attrs.get("_class")
    if groups:
        node.attr["_class"].list.s.extend(groups)
    elif var is not None:
        node.attr["_class"].list.s.append(f"loc:@{var}".encode())


def _add_symbolic_gradient_attrs(node: Any, attrs: dict[str, Any]) -> None:
    """The ``tf.gradients`` op's layout as underscore attrs (TF keeps and ignores them).

    Its inputs are ``ys``, ``xs``, the given ``grad_ys`` and the stopped tensors, in that order;
    ``_sf_num_ys``/``_sf_num_xs``/``_sf_num_stops``/``_sf_grad_ys_mask`` say which is which, so
    that scopeflow's importer rebuilds the op. TF cannot run it (TF's ``SymbolicGradient`` needs
    a function ``f``).
    """
    for key in ("num_ys", "num_xs", "num_stops"):
        node.attr[f"_sf_{key}"].i = int(attrs[key])
    node.attr["_sf_grad_ys_mask"].list.b.extend(bool(b) for b in attrs["grad_ys_mask"])
    node.attr["_sf_create_graph"].b = bool(attrs["create_graph"])


def _check_extra(op: Any, key: str, value: Any) -> None:
    implied = _SEMANTIC_EXTRAS.get(op._type, {})
    if key in implied and value != implied[key]:
        raise UnsupportedError(
            f"exporting op {op._name!r} ({op._type} with {key}={value!r}) as a TensorFlow "
            f"NodeDef: TF's {op._type} has no {key!r} attribute (only {key}={implied[key]!r})"
        )


# The nodes TF's random_uniform / random_normal / truncated_normal build, after the shape Const.
_RANDOM_PARTS = {
    "uniform": ("min", "max", "RandomUniform"),
    "normal": ("mean", "stddev", "RandomStandardNormal"),
    "truncated_normal": ("mean", "stddev", "TruncatedNormal"),
}


def _add_random_init(gd: Any, op: Any, var: str | None, add_shapes: bool) -> None:
    """Writes a ``_FusedRandomInit`` as TF's subgraph of 7 nodes (see ``ops.init_ops``)."""
    a = op._attrs
    name, dt, dims, kind = op._name, a["dtype"], [int(d) for d in a["shape"]], a["kind"]
    lo_name, hi_name, rand_type = _RANDOM_PARTS[kind]
    offset = np.asarray(a["offset"], dt.as_numpy_dtype)
    scale = np.asarray(a["scale"], dt.as_numpy_dtype)
    # uniform: TF's max constant, recovered as offset + (max - min); may differ in the last bit.
    second = offset + scale if kind == "uniform" else scale
    full = [int(d) for d in dims]
    scalar: list[int] = []

    def add(sub: str, op_type: str, inputs: list[str], shape: list[int]) -> Any:
        node = gd.node.add(name=f"{name}/{sub}" if sub else name, op=op_type)
        node.input.extend(inputs)
        _add_class(node, op, var)
        if op._device:
            node.device = op._device
        if add_shapes:
            node.attr["_output_shapes"].list.shape.append(shape_proto(shape))
        return node

    def const(sub: str, value: np.ndarray, vdt: dtypes.DType) -> None:
        node = add(sub, "Const", [], list(value.shape))
        node.attr["dtype"].type = vdt.as_datatype_enum
        node.attr["value"].tensor.CopyFrom(make_tensor_proto(value, vdt))

    const("shape", np.asarray(full, np.int32), dtypes.int32)
    const(lo_name, offset, dt)
    const(hi_name, second, dt)
    rnd = add(rand_type, rand_type, [f"{name}/shape"], full)
    rnd.attr["T"].type = dtypes.int32.as_datatype_enum
    rnd.attr["dtype"].type = dt.as_datatype_enum
    rnd.attr["seed"].i = int(a["seed"])
    rnd.attr["seed2"].i = int(a["seed2"])
    factor = f"{name}/{hi_name}"
    if kind == "uniform":
        sub = add("sub", "Sub", [f"{name}/max", f"{name}/min"], scalar)
        sub.attr["T"].type = dt.as_datatype_enum
        factor = f"{name}/sub"
    mul = add("mul", "Mul", [f"{name}/{rand_type}", factor], full)
    mul.attr["T"].type = dt.as_datatype_enum
    out = add("", "AddV2", [f"{name}/mul", f"{name}/{lo_name}"], full)
    out.attr["T"].type = dt.as_datatype_enum


__all__ = [
    "TF1_PRODUCER",
    "as_graph_def",
    "canonical_device",
    "check_tf_loadable",
    "node_def",
    "private_op_types",
]
