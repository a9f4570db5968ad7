"""``tf.import_graph_def``: TF ``GraphDef``s (frozen ``.pb`` files...) as scopeflow ops.

Nodes are validated as a whole first (unique names, known inputs, no cycles, and every op type
supported: ONE error lists each missing op type with its node count), then built in dependency
order through the op wrappers (``_builders``) under their verbatim names.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import contextlib
import functools
import operator
from collections import Counter
from typing import Any

from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.graph.device_functions import merged_device
from scopeflow.graph.graph import Graph, get_default_graph
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.graph_import._builders import BUILDERS
from scopeflow.graph_import._control_flow import CF_TYPES, ControlFlow
from scopeflow.graph_import._fast import FAST
from scopeflow.ops import array_ops


@functools.lru_cache(maxsize=1 << 16)
def _parse_input(name: str) -> tuple[str, int, bool]:
    """``'op:1'`` -> ``('op', 1, False)``; ``'^op'`` -> ``('op', -1, True)``."""
    if name.startswith("^"):
        return name[1:], -1, True
    op, sep, index = name.rpartition(":")
    if sep and index.isdigit():
        return op, int(index), False
    return name, 0, False


@functools.lru_cache(maxsize=1 << 16)
def _tensor_key(name: str) -> str:
    op, index, control = _parse_input(name)
    return f"^{op}" if control else f"{op}:{index}"


def _topological(
    nodes: list[Any],
    skip: set[tuple[str, int]] | frozenset[tuple[str, int]] = frozenset(),
    extra: dict[str, list[str]] | None = None,
    parsed: dict[str, Any] | None = None,
) -> list[Any]:
    """The nodes in dependency order; ValueError naming the nodes of a cycle.

    ``skip`` holds the edges ``(node, input position)`` to ignore (the ``NextIteration`` back
    edges of while loops); ``extra[node]`` lists further nodes ``node`` must come after;
    ``parsed`` (each node's parsed inputs, in node order) allows a one-pass check for a GraphDef
    that is already in order.
    """
    if not skip and not extra and parsed is not None:
        # Most GraphDefs list each node after its inputs (TF writes them in creation order).
        seen: set[str] = set()
        for name, ins in parsed.items():
            for src, _, _ in ins:
                if src not in seen:
                    break
            else:
                seen.add(name)
                continue
            break
        else:
            return nodes
    by_name = {n.name: n for n in nodes}
    pending: dict[str, int] = {}
    users: dict[str, list[str]] = {}
    for n in nodes:
        name = n.name
        if skip:
            srcs = {_parse_input(i)[0] for p, i in enumerate(n.input) if (name, p) not in skip}
        else:
            srcs = {_parse_input(i)[0] for i in n.input}
        if extra and name in extra:
            srcs.update(extra[name])
            srcs.discard(name)
        pending[name] = len(srcs)
        for src in srcs:
            users.setdefault(src, []).append(name)
    ready = [n.name for n in nodes if pending[n.name] == 0]
    ready.reverse()
    order: list[Any] = []
    while ready:
        name = ready.pop()
        order.append(by_name[name])
        for user in users.get(name, ()):
            pending[user] -= 1
            if pending[user] == 0:
                ready.append(user)
    if len(order) != len(nodes):
        stuck = sorted(name for name, count in pending.items() if count > 0)
        raise ValueError(
            "GraphDef cannot be imported: it has a cycle among the nodes "
            f"{', '.join(repr(s) for s in stuck[:10])}"
            + (f" (and {len(stuck) - 10} more)" if len(stuck) > 10 else "")
            + ". (Only the NextIteration -> Merge back edges of TF1 while loops may form cycles.)"
        )
    return order


# One node as read from the proto once: (node, name, op type, input names when every input is a
# plain ``"op"`` (output 0, no control input) else None, the raw input strings).
_Item = tuple[Any, str, str, "list[str] | None", list[str]]


def _parse_all(raw: list[str]) -> list[tuple[str, int, bool]]:
    # (a plain ``op`` input, the common case, is parsed without the cache lookup)
    parse = _parse_input
    return [(i, 0, False) if ":" not in i and i[:1] != "^" else parse(i) for i in raw]


def _validate(
    nodes: list[Any], input_map: dict[str, Any]
) -> tuple[list[_Item], dict[str, Any] | None, bool]:
    """Checks names, op types and inputs, reading each node's fields once.

    Returns the nodes' items (in GraphDef order), each node's parsed inputs (None when every
    node only reads nodes listed before it, the usual order, which needs no sort) and whether
    the GraphDef has TF 1.x control flow.
    """
    # Each field is read once, by comprehensions (protobuf accesses are the cost here).
    names = [n.name for n in nodes]
    ops = [n.op for n in nodes]
    raws = [n.input[:] for n in nodes]
    count = len(names)
    at = dict(zip(names, range(count), strict=True))
    if len(at) != count:
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise ValueError(f"GraphDef has two nodes named {name!r}")
            seen.add(name)
    missing: Counter[str] = Counter()
    unknown = set(ops).difference(BUILDERS)
    has_cf = not unknown.isdisjoint(CF_TYPES)
    if not unknown.issubset(CF_TYPES):
        missing.update(op for op in ops if op in unknown and op not in CF_TYPES)
    if missing:
        listing = ", ".join(
            f"{op} ({n} node{'s' if n > 1 else ''})" for op, n in sorted(missing.items())
        )
        raise UnsupportedError(
            f"importing this GraphDef: {len(missing)} op type"
            f"{'s are' if len(missing) > 1 else ' is'} not implemented: {listing}"
        )
    # Whether every input names a node listed before it (then no sort is needed), and which
    # nodes read only output 0 of other nodes without control inputs (``srcs`` is the raw list).
    flat = [i for raw in raws for i in raw]
    owner = [k for k, raw in enumerate(raws) for _ in raw]
    joined = "".join(flat)
    srcs: list[list[str] | None]
    if ":" in joined or "^" in joined:
        srcs = [None if ":" in (j := "".join(raw)) or "^" in j else raw for raw in raws]
        parse = _parse_input
        flat = [i if ":" not in i and i[:1] != "^" else parse(i)[0] for i in flat]
    else:
        srcs = raws  # type: ignore[assignment]
    where = list(map(at.get, flat))
    in_order = None not in where and all(map(operator.lt, where, owner))  # type: ignore[arg-type]
    items: list[_Item] = list(zip(nodes, names, ops, srcs, raws, strict=True))
    if in_order and not has_cf:
        return items, None, has_cf
    parsed = {name: _parse_all(raw) for _, name, _, _, raw in items}
    for name, ins in parsed.items():
        for pos, (src, index, control) in enumerate(ins):
            if src not in parsed:
                key = f"^{src}" if control else f"{src}:{index}"
                if key not in input_map:
                    raw = raws[at[name]]
                    raise ValueError(f"Node '{name}': Unknown input node '{raw[pos]}'")
    return items, parsed, has_cf


def import_graph_def(
    graph_def: Any,
    input_map: dict[str, Any] | None = None,
    return_elements: list[str] | None = None,
    name: str | None = None,
    op_dict: Any = None,
    producer_op_list: Any = None,
) -> list[Any] | None:
    """Imports the ops of a TF ``GraphDef`` into the default graph (``tf.import_graph_def``).

    Node names get the prefix ``name`` (default ``"import"``, uniquified as a name scope;
    ``name=""`` imports without a prefix). ``input_map`` maps tensor names of ``graph_def``
    (``"x:0"`` or ``"x"``) to tensors of this graph that replace them. ``return_elements``
    names tensors (``"op:0"``) or ops (``"op"``) of ``graph_def`` to return.

    Differences from TensorFlow: op types are rebuilt through scopeflow's op wrappers, so only
    the op types in ``_builders.BUILDERS`` import (a GraphDef with others raises one
    ``UnsupportedError`` listing each missing type and its node count); TF1's legacy ``Add`` and
    ``BatchMatMul`` become ``AddV2`` and ``BatchMatMulV2``, ``ParseExample`` and
    ``FusedBatchNorm``/``V2`` become ``ParseExampleV2`` and ``FusedBatchNormV3`` (same outputs
    at the same indices), and a ``Shape`` of a fully known shape becomes a ``Const``, as
    scopeflow's wrappers build them. ``op_dict`` and ``producer_op_list`` are accepted and
    ignored (as in TF 2). TF 1.x control flow (``Enter``/``Exit``/``NextIteration``/
    ``LoopCond``/``Switch``/``Merge``) is rebuilt as ``While`` and ``If`` ops
    (``_control_flow``; fetching a tensor inside a loop or an untaken branch computes it
    instead of raising). Function libraries and ``input_map`` entries for control inputs
    (``"^op"``) are not supported.

    >>> import scopeflow.compat.v1 as tf
    >>> g1 = tf.Graph()
    >>> with g1.as_default():
    ...     x = tf.placeholder(tf.float32, [None, 2], name="x")
    ...     y = tf.nn.relu(x * 2.0, name="y")
    >>> with tf.Graph().as_default():
    ...     inp = tf.constant([[1.0, -1.0]])
    ...     out, = tf.import_graph_def(g1.as_graph_def(), {"x:0": inp}, ["y:0"], name="m")
    ...     print(out.name, tf.Session().run(out))
    m/y:0 [[2. 0.]]
    """
    del op_dict, producer_op_list
    if not hasattr(graph_def, "node"):
        raise TypeError(f"graph_def must be a GraphDef proto, got {type(graph_def).__name__}.")
    mapped: dict[str, Any] = {}
    for key, value in (input_map or {}).items():
        if not isinstance(key, str):
            raise TypeError(f"input_map keys must be strings, got {type(key).__name__}")
        if key.startswith("^"):
            raise UnsupportedError("input_map entries for control inputs ('^op')")
        if not isinstance(value, Tensor):
            raise TypeError(f"input_map values must be Tensors, got {type(value).__name__}")
        mapped[_tensor_key(key)] = value
    nodes = list(graph_def.node)
    items, parsed, has_cf = _validate(nodes, mapped)
    cf: ControlFlow | None = None
    if parsed is not None:
        if has_cf:
            cf = ControlFlow(nodes, parsed, _topological)
            order = cf.order
        else:
            order = _topological(nodes, parsed=parsed)
        by_name = {item[1]: item for item in items}
        items = [by_name[n.name] for n in order]
    graph = get_default_graph()
    prefix = "" if name == "" else graph.unique_name(name or "import") + "/"
    built: dict[str, Operation] = {}
    # Output 0 of each built op: a node whose inputs are all plain ``op`` names reads them here.
    first: dict[str, Tensor] = {}
    plain = cf is None and not mapped
    used: set[str] = set()
    ops_by_name = graph._ops_by_name
    # ``Graph._create_op`` inlined for the fast builders' ops when it would only name, number
    # and record the op (no control-dependency scope, not finalized, not a subclass's override).
    thread = graph._thread
    # The device scopes around resolve to one string unless they hold a device function.
    outer_device = thread.device_stack[-1].static if thread.device_stack else ""
    inline = (
        not graph._finalized
        and not thread.control_dependencies
        and not thread.colocation_stack
        and not graph._attr_scope_map
        and outer_device is not None
        and type(graph)._create_op is Graph._create_op
    )
    names_used = graph._names._used
    all_ops = graph._ops
    fast_builders = FAST
    for node, nname, op_type, srcs, raw in items:
        full = prefix + nname
        if full in ops_by_name:
            raise ValueError(
                f"Cannot import node {nname!r}: the graph already has an op named {full!r}"
            )
        inputs: list[Tensor] | None = None
        controls: list[Operation] = []
        if plain and srcs is not None:
            try:
                inputs = [first[src] for src in srcs]
            except KeyError:
                inputs = None  # an op without outputs: the general case below raises
        special = cf is not None and cf.special(nname)
        if inputs is None:
            inputs = []
            ins = parsed[nname] if parsed is not None else _parse_all(raw)
            for pos, (src, index, control) in enumerate(ins):
                if special and (nname, pos) in cf.back_edges:  # type: ignore[union-attr]
                    continue
                if mapped:
                    key = f"^{src}" if control else f"{src}:{index}"
                    if key in mapped:
                        used.add(key)
                        inputs.append(mapped[key])
                        continue
                op = built[src]
                if control:
                    controls.append(op)
                    continue
                single = op._out  # (``_outputs`` would build a tuple for a single-output op)
                if single.__class__ is not tuple and index == 0:
                    inputs.append(single)  # type: ignore[arg-type]
                    continue
                outs = op._outputs
                if index >= len(outs):
                    raise ValueError(
                        f"Node '{nname}': input '{raw[pos]}' refers to output {index} of an "
                        f"op with {len(outs)} outputs"
                    )
                inputs.append(outs[index])
        if cf is not None:
            if special:
                cf.prepare(nname, graph, built, prefix)
            start = len(graph._ops)
        device = node.device
        fast = None if special or controls else fast_builders.get(op_type)
        spec = None if fast is None else fast(node, inputs)
        if spec is not None:
            typ, ins_t, attrs, dt, shape, const = spec
            if inline:
                graph._last_id = op_id = graph._last_id + 1
                op = Operation(graph, typ, full, ins_t, attrs, op_id)
                op._out = out = Tensor(op, 0, dt, shape)
                if device or outer_device:
                    op._device = merged_device(outer_device, device)  # type: ignore[arg-type]
                key = full.lower()
                if key not in names_used:
                    names_used[key] = 1
                ops_by_name[full] = op
                all_ops.append(op)
            else:
                with graph.device(device) if device else contextlib.nullcontext():
                    op = graph._create_op(typ, ins_t, attrs, full + "/", (dt,), (shape,))
                out = op._out  # type: ignore[assignment]
            if const is not None:
                out._const = const
        else:
            attrs = _attrs(node)
            deps = graph.control_dependencies(controls) if controls else contextlib.nullcontext()
            dev = graph.device(device) if device else contextlib.nullcontext()
            with deps, dev:
                if special:
                    op = cf.build(node, inputs, attrs, full)  # type: ignore[union-attr]
                else:
                    op = _build(node, inputs, attrs, full)
            out = op._out  # type: ignore[assignment]
            if out.__class__ is tuple:
                if not out:
                    built[nname] = op
                    if cf is not None:
                        cf.record(nname, graph, start)
                    continue
                out = out[0]  # type: ignore[index]
        built[nname] = op
        first[nname] = out
        if cf is not None:
            cf.record(nname, graph, start)
    unused = sorted(set(mapped) - used)
    if unused:
        raise ValueError(
            f"Attempted to map inputs that were not found in graph_def: [{', '.join(unused)}]"
        )
    if return_elements is None:
        return None
    returned: list[Any] = []
    for el in return_elements:
        src, index, _ = _parse_input(el)
        found = built.get(src)
        if found is None or (":" in el and index >= len(found._outputs)):
            raise ValueError(f"Requested return_element {el!r} not found in graph_def.")
        returned.append(found._outputs[index] if ":" in el else found)
    return returned


def _attrs(node: Any) -> dict[str, Any]:
    from scopeflow.graph_import._attrs import attr_value  # noqa: PLC0415  (protobuf is lazy)

    return {k: attr_value(v, f"attr {k!r} of node {node.name!r}") for k, v in node.attr.items()}


def _build(node: Any, inputs: list[Tensor], attrs: dict[str, Any], full: str) -> Operation:
    try:
        result = BUILDERS[node.op](inputs, attrs, full + "/")
    except (KeyError, IndexError) as e:
        raise ValueError(
            f"Cannot import node {node.name!r} ({node.op}): missing input or attr ({e})"
        ) from e
    except (ValueError, TypeError) as e:
        raise type(e)(f"Cannot import node {node.name!r} ({node.op}): {e}") from e
    if isinstance(result, (tuple, list)):
        result = result[0]
    op = result if isinstance(result, Operation) else result._op
    if op._name != full:
        # The wrapper returned an existing tensor (e.g. a Cast to the same dtype): keep the
        # node's name resolvable with an Identity.
        op = array_ops.identity(result, name=full + "/")._op
    _refine_shapes(op, attrs.get("_output_shapes"))
    return op


def _refine_shapes(op: Operation, declared: Any) -> None:
    """Narrows output shapes to the node's ``_output_shapes`` (TF's inferred static shapes).

    TF's shape functions sometimes know more than scopeflow's (a ``Reshape`` whose shape is
    popped from a stack in a gradient loop); a loop variable whose shape would otherwise widen
    after an iteration then keeps its shape. Only compatible, more specific shapes are taken.
    """
    if not isinstance(declared, list) or len(declared) != len(op._outputs):
        return
    for t, s in zip(op._outputs, declared, strict=True):
        if not isinstance(s, TensorShape) or s.dims is None or t._shape == s:
            continue
        if t._shape.is_compatible_with(s):
            t._shape = t._shape.merge_with(s)


__all__ = ["import_graph_def"]
