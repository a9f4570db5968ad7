"""TF 1.x control flow in imported GraphDefs: while frames and ``Switch``/``Merge`` conditionals.

TF 1.x writes ``tf.while_loop`` and ``tf.cond`` as dataflow primitives that TF's executor runs
with frames and dead tensors: ``Enter`` moves a tensor into a loop frame (``frame_name``;
``is_constant`` for loop invariants), ``Merge`` joins the entering value with the
``NextIteration`` back edge, ``LoopCond`` + ``Switch`` route each loop variable to the body
(output 1) or out of the frame through ``Exit`` (output 0); a conditional ``Switch(x, pred)``
makes its untaken output dead, every op reading a dead tensor is skipped, and ``Merge`` forwards
its one live input (``value_index`` says which).

Design: scopeflow's executor has no frames or dead tensors, so the importer rebuilds both
constructs as scopeflow's functional control-flow ops, whose kernels run sub-plans
(``ops._subgraph``):

- **Loops**: each while frame (the nodes a frame's ``Enter``s reach before its ``Exit``s,
  nested frames included) becomes one ``While`` op, named ``<loop scope>/While``. Its inputs
  are the values entering through non-constant ``Enter``s (the loop variables, one per loop
  ``Merge``) and the outer tensors the frame reads (through ``is_constant`` Enters); its
  condition sub-plan computes the ``LoopCond`` input and its body sub-plan the ``NextIteration``
  inputs, both fed the loop ``Merge`` outputs; each ``Exit`` is an ``Exit`` op reading a
  ``While`` output. The frame's nodes stay in the graph under their names (``Enter``,
  ``NextIteration``, ``LoopCond``, ``Switch`` pass values through).
- **Conditionals**: every op gets a *guard*, the list of ``(predicate, branch)`` choices that
  must hold for TF to run it (a conditional ``Switch`` adds one, a ``Merge`` removes the last
  one; predicates are compared through ``Identity`` chains, so ``cond/pred_id`` and the pivot
  ``Switch(pred, pred)`` agree). Each ``Merge`` whose inputs are the two branches of one
  predicate is rebuilt as an output of an ``If`` op (``<cond scope>/If``) that runs only the
  taken branch's sub-plan, which is exactly the set of ops TF would not skip; ``Merge``s whose
  branch ops overlap share one ``If`` so that no op runs twice.

Anything else raises: a cycle that is not a ``NextIteration`` -> ``Merge`` back edge of a well
formed frame (cycles are never followed), a frame without exactly one ``LoopCond``, an op that
reads tensors of two different branches, a ``Merge`` that does not join the two branches of one
predicate, a loop variable whose shape after an iteration is not within its entering shape.

``as_graph_def`` writes such a graph back as TF's nodes: each rebuilt node keeps its TF inputs
(``_v1_inputs``) and the ``While``/``If`` ops the import added (``_v1_rebuilt``) are left out.

Differences from TensorFlow: loops run their iterations one after another
(``parallel_iterations`` has no effect); fetching a tensor inside a loop or an untaken branch
computes it from whatever its inputs are instead of raising.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.graph import Graph
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.graph_import._cf_analysis import (
    CF_TYPES,
    Analysis,
    CondGroup,
    Frame,
    Guard,
    Loop,
    ParsedInput,
)
from scopeflow.ops import control_flow_ops, control_flow_v1_ops
from scopeflow.ops._subgraph import Body, merge_inputs, shape_le

del control_flow_ops, control_flow_v1_ops  # imported for their kernels (While, If, Exit, Merge...)


class ControlFlow(Analysis):
    """The frames and conditionals of a GraphDef, and how to rebuild them (see module doc).

    Args: as ``Analysis``.
    """

    def __init__(
        self,
        nodes: list[Any],
        parsed: dict[str, list[ParsedInput]],
        topological: Callable[..., list[Any]],
        where: str = "GraphDef",
    ) -> None:
        super().__init__(nodes, parsed, topological, where)
        self.frame_ops: dict[Frame, set[int]] = {}
        self.node_ops: dict[str, list[int]] = {}
        self._by_prefix: dict[Guard, set[str]] | None = None

    # --- building -------------------------------------------------------------------------------

    def special(self, name: str) -> bool:
        """Whether ``name`` is built by ``build`` rather than by its op's builder."""
        return self.types[name] in CF_TYPES

    def record(self, name: str, graph: Graph, start: int) -> None:
        """Notes the ops created for node ``name`` (``graph._ops[start:]``)."""
        ids = [op._id for op in graph._ops[start:]]
        self.node_ops[name] = ids
        f = self.frame.get(name, ())
        while f:
            self.frame_ops.setdefault(f, set()).update(ids)
            f = f[:-1]

    def prepare(self, name: str, graph: Graph, built: dict[str, Operation], prefix: str) -> None:
        """Creates the ``While``/``If`` a node reads, before the node itself is built."""
        loop = self.loop_exit.get(name)
        if loop is not None and loop.op is None:
            start = len(graph._ops)
            loop.op = self._build_while(loop, graph, built, prefix)
            self._note(loop.frame[:-1], name, graph, start)
        group = self.group_of.get(name)
        if group is not None and group.op is None:
            start = len(graph._ops)
            group.op = self._build_if(group, graph, built, prefix)
            self._note(self.frame.get(name, ()), name, graph, start)

    def _note(self, frame: Frame, name: str, graph: Graph, start: int) -> None:
        """A new functional op belongs to ``frame`` and to the branch its reader ``name`` is in."""
        ids = [op._id for op in graph._ops[start:]]
        while frame:
            self.frame_ops.setdefault(frame, set()).update(ids)
            frame = frame[:-1]
        self.node_ops.setdefault(f"{name}\x00", []).extend(ids)

    def build(self, node: Any, inputs: list[Tensor], attrs: dict[str, Any], full: str) -> Operation:
        """Builds a control-flow node (``special``) named ``full``.

        The op keeps the node's TF inputs (``_v1_inputs``: what ``as_graph_def`` writes, so the
        exported GraphDef is TF's again) even where it reads a ``While``/``If`` output instead.
        """
        op = self._build_node(node, inputs, attrs, full)
        prefix = full[: len(full) - len(node.name)]
        names: list[str] = []
        k = 0
        for pos, raw in enumerate(node.input):
            if raw.startswith("^"):
                continue
            if (node.name, pos) in self.back_edges:
                names.append(prefix + raw)
            else:
                names.append(inputs[k]._as_node_def_input())
                k += 1
        op._attrs["_v1_inputs"] = tuple(names)
        return op

    def _build_node(
        self, node: Any, inputs: list[Tensor], attrs: dict[str, Any], full: str
    ) -> Operation:
        name = node.name
        kind = self.types[name]
        g = inputs[0]._op._graph if inputs else None
        if g is None:
            raise self._error(name, f"a {kind} without inputs")
        x = inputs[0]
        dt = x._dtype
        t = node.op  # the Ref variants keep their type (same kernels); ``T`` is the base dtype
        if kind == "Enter":
            a = {"T": dt.base_dtype, "frame_name": attrs.get("frame_name", ""),
                 "is_constant": bool(attrs.get("is_constant", False)),
                 "parallel_iterations": attrs.get("parallel_iterations", 10)}  # fmt: skip
            return g._create_op(t, (x,), a, full + "/", (dt,), (x._shape,))
        if kind in ("NextIteration", "LoopCond"):
            a = {"T": dt.base_dtype} if kind != "LoopCond" else {}
            return g._create_op(t, (x,), a, full + "/", (dt,), (x._shape,))
        if kind == "Merge" and name in self.loop_merge:
            shape = _declared_shape(attrs) or x._shape
            return g._create_op(t, (x,), {"T": dt.base_dtype, "N": 2}, full + "/",
                                (dt, dtypes.int32), (shape, TensorShape([])))  # fmt: skip
        if kind == "Switch":
            ins = (x,) if name in self.loop_switch else (x, inputs[1])
            return g._create_op(t, ins, {"T": dt.base_dtype}, full + "/", (dt, dt),
                                (x._shape, x._shape))  # fmt: skip
        if kind == "Exit":
            loop = self.loop_exit[name]
            assert loop.op is not None
            out = loop.op._outputs[loop.exits[name]]
            return g._create_op(t, (out,), {"T": out._dtype.base_dtype}, full + "/", (out._dtype,),
                                (out._shape,))  # fmt: skip
        group = self.group_of[name]
        assert group.op is not None
        j = group.merges.index(name)
        out, index = group.op._outputs[j], group.op._outputs[-1]
        return g._create_op(t, (out, index), {"T": out._dtype.base_dtype, "N": 2}, full + "/",
                            (out._dtype, dtypes.int32), (out._shape, TensorShape([])))  # fmt: skip

    def _tensor(self, built: dict[str, Operation], ref: str) -> Tensor:
        src, _, idx = ref.rpartition(":")
        if not src or not idx.isdigit():
            src, idx = ref, "0"
        return built[src]._outputs[int(idx)]

    def _unique(self, graph: Graph, base: str) -> str:
        name, k = base, 0
        while name in graph._ops_by_name or name in self.by_name:
            k += 1
            name = f"{base}_{k}"
        return name

    def _build_while(
        self, loop: Loop, graph: Graph, built: dict[str, Operation], prefix: str
    ) -> Operation:
        merge_outs = [built[m]._outputs[0] for m in loop.merges]
        assert loop.loop_cond is not None
        cond = built[loop.loop_cond]._outputs[0]
        results = [built[n]._outputs[0] for n in loop.nexts]
        for m, r, nxt in zip(merge_outs, results, loop.nexts, strict=True):
            if r._dtype.base_dtype != m._dtype.base_dtype:
                raise self._error(nxt, f"the loop variable enters as {m._dtype.name} but is "
                                  f"{r._dtype.name} after one iteration")  # fmt: skip
            if not shape_le(r._shape, m._shape):
                raise self._error(
                    nxt,
                    f"the loop variable enters with shape {m._shape} but has shape {r._shape} "
                    "after one iteration (give the Merge an _output_shapes attr with the "
                    "loop's shape invariant)",
                )
        inner = frozenset(self.frame_ops.get(loop.frame, set()))
        body = Body(graph)
        body.inner = inner
        caps_c, ctrl_c = body.captures([cond], merge_outs)
        caps_b, ctrl_b = body.captures(results, merge_outs)
        caps = merge_inputs(caps_c, caps_b)
        init = [built[e]._inputs[0] for e in loop.enters]
        scope = loop.merges[0].rpartition("/")[0]
        name = self._unique(graph, prefix + (scope + "/" if scope else "") + "While")
        op = graph._create_op(
            "While",
            (*init, *caps),
            {
                "_cond": ((cond,), (*merge_outs, *caps_c), inner),
                "_body": (builtins.tuple(results), (*merge_outs, *caps_b), inner),
                "back_prop": True,
                "T": builtins.tuple(m._dtype.base_dtype for m in merge_outs),
                "_v1_rebuilt": True,
            },
            name + "/",
            [m._dtype.base_dtype for m in merge_outs],
            [m._shape for m in merge_outs],
        )
        for c in ctrl_c + ctrl_b:
            if c not in op._control_inputs:
                op._control_inputs = (*op._control_inputs, c)
        return op

    def _branch_ops(self, guard: Guard) -> frozenset[int]:
        """The ops built for the nodes whose guard starts with ``guard`` (a branch's ops)."""
        if self._by_prefix is None:
            index: dict[Guard, set[str]] = {}
            for name, g in self.guard.items():
                sw = self.switch_guards.get(name)
                for full in [g] if sw is None else [sw[0], sw[1]]:
                    for depth in range(1, len(full) + 1):
                        index.setdefault(full[:depth], set()).add(name)
            self._by_prefix = index
        ids: set[int] = set()
        for name in self._by_prefix.get(guard, ()):
            ids.update(self.node_ops.get(name, ()))
            ids.update(self.node_ops.get(f"{name}\x00", ()))
        return frozenset(ids)

    def _build_if(
        self, group: CondGroup, graph: Graph, built: dict[str, Operation], prefix: str
    ) -> Operation:
        src, idx = group.pred
        pred = built[src]._outputs[idx]
        falses = [self._tensor(built, group.branch_inputs[m][0]) for m in group.merges]
        trues = [self._tensor(built, group.branch_inputs[m][1]) for m in group.merges]
        pkey = f"{src}:{idx}"
        inner_t = self._branch_ops((*group.guard, (pkey, 1)))
        inner_f = self._branch_ops((*group.guard, (pkey, 0)))
        body_t, body_f = Body(graph), Body(graph)
        body_t.inner, body_f.inner = inner_t, inner_f
        caps_t, ctrl_t = body_t.captures(trues, [])
        caps_f, ctrl_f = body_f.captures(falses, [])
        caps = merge_inputs(caps_t, caps_f)
        out_dtypes, out_shapes = [], []
        for m, t, f in zip(group.merges, trues, falses, strict=True):
            if t._dtype.base_dtype != f._dtype.base_dtype:
                raise self._error(m, f"its branches have dtypes {f._dtype.name} and "
                                  f"{t._dtype.name}")  # fmt: skip
            out_dtypes.append(t._dtype.base_dtype)
            out_shapes.append(_merge_shape(t._shape, f._shape))
        scope = group.merges[0].rpartition("/")[0]
        name = self._unique(graph, prefix + (scope + "/" if scope else "") + "If")
        op = graph._create_op(
            "If",
            (pred, *caps),
            {
                "_branches": (
                    (builtins.tuple(trues), builtins.tuple(caps_t), inner_t),
                    (builtins.tuple(falses), builtins.tuple(caps_f), inner_f),
                ),
                "Tout": builtins.tuple(out_dtypes),
                "_v1_rebuilt": True,
            },
            name + "/",
            (*out_dtypes, dtypes.int32),
            (*out_shapes, TensorShape([])),
        )
        for c in ctrl_t + ctrl_f:
            if c not in op._control_inputs:
                op._control_inputs = (*op._control_inputs, c)
        return op


def _declared_shape(attrs: dict[str, Any]) -> TensorShape | None:
    shapes = attrs.get("_output_shapes")
    if isinstance(shapes, list) and shapes and isinstance(shapes[0], TensorShape):
        return shapes[0]
    return None


def _merge_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    if a.dims is None or b.dims is None or len(a.dims) != len(b.dims):
        return TensorShape(None)
    return TensorShape(
        [x.value if x.value == y.value else None for x, y in zip(a.dims, b.dims, strict=True)]
    )


__all__ = ["CF_TYPES", "ControlFlow"]
