"""The analysis half of TF 1.x control-flow import: frames, loops, guards and conditionals.

``Analysis`` reads a GraphDef's nodes (never building anything): each node's while frame
(``Enter`` opens ``frame_name`` inside the frame of its input, ``Exit`` leaves it), each frame's
loop variables (``Enter`` -> ``Merge`` <- ``NextIteration``, ``Switch`` on the frame's
``LoopCond``, ``Exit``), each node's guard (the ``(predicate, branch)`` choices of conditional
``Switch``es it depends on) and the conditionals (``Merge``s joining the two branches of one
predicate, grouped when their branches share nodes), plus a build order in which every
``While``/``If`` can be created after everything it runs. ``_control_flow.ControlFlow`` builds
from it; the design is described there. Malformed structures raise ``UnsupportedError`` naming
the node; cycles other than ``NextIteration`` back edges are left to the ordering, which raises.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow.errors import UnsupportedError
from scopeflow.graph.tensor import Operation

BASE_TYPE = {
    "RefEnter": "Enter",
    "RefExit": "Exit",
    "RefNextIteration": "NextIteration",
    "RefSwitch": "Switch",
    "RefMerge": "Merge",
}
CF_TYPES = frozenset({"Enter", "Exit", "NextIteration", "LoopCond", "Switch", "Merge", *BASE_TYPE})

Frame = tuple[str, ...]
Guard = tuple[tuple[str, int], ...]
ParsedInput = tuple[str, int, bool]


def base_type(op: str) -> str:
    """``RefSwitch`` -> ``Switch`` (ref variants behave as their plain ops here)."""
    return BASE_TYPE.get(op, op)


class Loop:
    """One while frame: its loop variables' nodes, in the order of their ``Merge``s."""

    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        self.merges: list[str] = []
        self.enters: list[str] = []  # the non-constant Enter of each merge
        self.nexts: list[str] = []  # the NextIteration of each merge
        self.switches: list[str | None] = []
        self.loop_cond: str | None = None
        self.exits: dict[str, int] = {}  # Exit node -> loop variable index
        self.op: Operation | None = None


class CondGroup:
    """``Merge``s of one predicate whose branches share ops: rebuilt as one ``If``."""

    def __init__(self, guard: Guard, pred: tuple[str, int]) -> None:
        self.guard = guard
        self.pred = pred
        self.merges: list[str] = []
        self.branch_inputs: dict[str, tuple[str, str]] = {}  # merge -> (false input, true input)
        self.region: set[str] = set()  # the branch nodes the merges read
        self.op: Operation | None = None


class Analysis:
    """The frames and conditionals of a GraphDef: which node is what (see ``_control_flow``).

    Args:
        nodes: the GraphDef's nodes.
        parsed: each node's parsed inputs (``(src, index, is_control)``).
        topological: ``topological(nodes, skip, extra)`` orders nodes by their inputs, minus
            the ``skip`` edges ``(node, input position)``, plus ``extra[node]`` dependencies;
            raises ``ValueError`` naming a cycle.
        where: how error messages name the GraphDef (e.g. ``"GraphDef 'model.pb'"``).
    """

    def __init__(
        self,
        nodes: list[Any],
        parsed: dict[str, list[ParsedInput]],
        topological: Callable[..., list[Any]],
        where: str = "GraphDef",
    ) -> None:
        self.by_name = {n.name: n for n in nodes}
        self.parsed = parsed
        self.where = where
        self.types = {n.name: base_type(n.op) for n in nodes}
        types = self.types
        self.back_edges: set[tuple[str, int]] = set()
        for n in nodes:
            if types[n.name] != "Merge":
                continue
            for pos, (src, _, control) in enumerate(parsed[n.name]):
                if not control and types.get(src) == "NextIteration":
                    self.back_edges.add((n.name, pos))
        order = topological(nodes, self.back_edges, {})
        self.frame: dict[str, Frame] = {}
        self.loops: dict[Frame, Loop] = {}
        self.loop_merge: dict[str, Loop] = {}
        self.loop_switch: dict[str, Loop] = {}
        self.loop_exit: dict[str, Loop] = {}
        self._frames(order)
        self._loops(order)
        self.guard: dict[str, Guard] = {}
        self.index_read = {
            src for ins in parsed.values() for src, idx, control in ins if idx == 1 and not control
        }
        self.switch_guards: dict[str, tuple[Guard, Guard]] = {}
        self.groups: list[CondGroup] = []
        self.group_of: dict[str, CondGroup] = {}
        self._guards(order)
        self.order = topological(nodes, self.back_edges, self._virtual_edges())

    # --- analysis -------------------------------------------------------------------------------

    def _error(self, node: str, text: str) -> UnsupportedError:
        return UnsupportedError(f"the control flow at node {node!r} of {self.where}: {text}")

    def _data_inputs(self, name: str) -> list[tuple[int, str, int]]:
        return [
            (pos, src, idx)
            for pos, (src, idx, control) in enumerate(self.parsed[name])
            if not control and (name, pos) not in self.back_edges
        ]

    def _frames(self, order: list[Any]) -> None:
        frame = self.frame
        for node in order:
            name = node.name
            kind = self.types[name]
            ins = [
                frame[src]
                for p, (src, _, _) in enumerate(self.parsed[name])
                if (name, p) not in self.back_edges
            ]
            deepest: Frame = max(ins, key=len) if ins else ()
            for f in ins:
                if deepest[: len(f)] != f:
                    raise self._error(
                        name, f"it reads tensors of two different while frames {f} and {deepest}"
                    )
            if kind == "Enter":
                fattr = node.attr.get("frame_name")  # (``attr[k]`` would add a missing key)
                fname = "" if fattr is None else fattr.s.decode(errors="replace")
                deepest = (*deepest, fname)
            elif kind == "Exit":
                if not deepest:
                    raise self._error(name, "an Exit outside any while frame")
                deepest = deepest[:-1]
            frame[name] = deepest

    def _loops(self, order: list[Any]) -> None:
        types, frame = self.types, self.frame
        for node in order:
            name = node.name
            kind = types[name]
            if kind == "LoopCond":
                if not frame[name]:
                    raise self._error(name, "a LoopCond outside any while frame")
                loop = self.loops.setdefault(frame[name], Loop(frame[name]))
                if loop.loop_cond is not None:
                    raise self._error(name, f"a second LoopCond in frame {frame[name][-1]!r}")
                loop.loop_cond = name
        for node in order:
            name = node.name
            if types[name] != "Merge" or not any(
                (name, p) in self.back_edges for p in range(len(node.input))
            ):
                continue
            data = self._data_inputs(name)
            if len(data) != 1 or types[data[0][1]] != "Enter":
                raise self._error(name, "a loop Merge must join one Enter and one NextIteration")
            f = frame[name]
            found = self.loops.get(f)
            if found is None or found.loop_cond is None:
                raise self._error(name, "a while frame without a LoopCond")
            loop = found
            enter = data[0][1]
            const = self.by_name[enter].attr.get("is_constant")
            if const is not None and const.b:
                raise self._error(name, "a loop Merge fed by a constant Enter")
            nxt = next(
                s for p, (s, _, _) in enumerate(self.parsed[name]) if (name, p) in self.back_edges
            )
            if frame[nxt] != f:
                raise self._error(name, f"the NextIteration {nxt!r} belongs to another frame")
            loop.merges.append(name)
            loop.enters.append(enter)
            loop.nexts.append(nxt)
            loop.switches.append(None)
            self.loop_merge[name] = loop
        nexts = {n for lp in self.loops.values() for n in lp.nexts}
        for node in order:
            name = node.name
            kind = types[name]
            if kind == "Switch":
                ins = self._data_inputs(name)
                if len(ins) == 2 and types[ins[1][1]] == "LoopCond":
                    loop = self.loops[frame[ins[1][1]]]
                    merge = ins[0][1]
                    if self.loop_merge.get(merge) is not loop or ins[0][2] != 0:
                        raise self._error(name, "a loop Switch must read its frame's loop Merge")
                    k = loop.merges.index(merge)
                    if loop.switches[k] is not None:
                        raise self._error(name, f"a second loop Switch of {merge!r}")
                    loop.switches[k] = name
                    self.loop_switch[name] = loop
            elif kind == "Exit":
                ins = self._data_inputs(name)
                src, idx = (ins[0][1], ins[0][2]) if ins else ("", 0)
                loop_ = self.loop_switch.get(src)
                if loop_ is None or idx != 0:
                    raise self._error(name, "an Exit must read output 0 of a loop Switch")
                loop_.exits[name] = loop_.switches.index(src)
                self.loop_exit[name] = loop_
            elif kind == "NextIteration" and name not in nexts:
                raise self._error(name, "a NextIteration that feeds no loop Merge")
        for node in order:
            name = node.name
            if types[name] != "Merge" or name in self.loop_merge:
                continue
            for _, src, idx in self._data_inputs(name):
                if src in self.loop_merge and idx == 1:
                    raise self._error(name, "value_index of a loop Merge is read")
        for loop in self.loops.values():
            if not loop.merges:
                raise self._error(loop.loop_cond or "", "a LoopCond without loop variables")

    def _pred_key(self, src: str, idx: int) -> tuple[str, int]:
        seen = 0
        while idx == 0 and self.types.get(src) == "Identity" and seen < 1000:
            ins = self._data_inputs(src)
            if len(ins) != 1:
                break
            _, src, idx = ins[0]
            seen += 1
        return src, idx

    def _input_guard(self, src: str, idx: int) -> Guard:
        sw = self.switch_guards.get(src)
        # A control edge (``idx`` -1) from a conditional Switch waits for the Switch itself, which
        # TF runs whatever the predicate (``tf.tuple`` of a cond's gradients gates on it).
        if sw is not None and idx >= 0:
            return sw[1] if idx == 1 else sw[0]
        return self.guard.get(src, ())

    def _guards(self, order: list[Any]) -> None:
        types = self.types
        by_key: dict[tuple[Guard, tuple[str, int]], list[CondGroup]] = {}
        for node in order:
            name = node.name
            kind = types[name]
            if kind == "Merge" and name not in self.loop_merge:
                self._cond_merge(name, by_key)
                continue
            if name in self.loop_merge:
                ins = [self._input_guard(s, i) for _, s, i in self._data_inputs(name)]
            else:
                ins = [
                    self._input_guard(s, i)
                    for p, (s, i, _) in enumerate(self.parsed[name])
                    if (name, p) not in self.back_edges
                ]
            g: Guard = max(ins, key=len) if ins else ()
            for other in ins:
                if g[: len(other)] != other:
                    raise self._error(name, "it reads tensors of two different branches")
            self.guard[name] = g
            if kind == "Switch" and name not in self.loop_switch:
                ins_d = self._data_inputs(name)
                if len(ins_d) != 2:
                    raise self._error(name, "a Switch needs a data and a predicate input")
                key = self._pred_key(ins_d[1][1], ins_d[1][2])
                pkey = f"{key[0]}:{key[1]}"
                self.switch_guards[name] = ((*g, (pkey, 0)), (*g, (pkey, 1)))

    def _cond_merge(
        self, name: str, by_key: dict[tuple[Guard, tuple[str, int]], list[CondGroup]]
    ) -> None:
        ins = self._data_inputs(name)
        guards = [self._input_guard(s, i) for _, s, i in ins]
        if len(ins) != 2 or any(not g for g in guards) or guards[0][:-1] != guards[1][:-1]:
            raise self._error(name, "a Merge must join the two branches of one Switch predicate")
        (p0, b0), (p1, b1) = guards[0][-1], guards[1][-1]
        if p0 != p1 or b0 == b1:
            raise self._error(name, "a Merge must join the two branches of one Switch predicate")
        outer = guards[0][:-1]
        self.guard[name] = outer
        src, _, idx = p0.rpartition(":")
        pred = (src, int(idx))
        inputs = [self.by_name[name].input[pos] for pos, _, _ in ins]
        false_in, true_in = (inputs[0], inputs[1]) if b0 == 0 else (inputs[1], inputs[0])
        if b0 != 0 and name in self.index_read:
            raise self._error(name, "value_index of a Merge with its true branch first is read")
        region = self._region(ins, outer, p0)
        candidates = by_key.setdefault((outer, pred), [])
        hits = [c for c in candidates if region & c.region]
        if hits:
            group = hits[0]
            for other in hits[1:]:  # this merge joins several groups: fold them into one
                group.merges.extend(other.merges)
                group.branch_inputs.update(other.branch_inputs)
                group.region |= other.region
                for m in other.merges:
                    self.group_of[m] = group
                candidates.remove(other)
                self.groups.remove(other)
        else:
            group = CondGroup(outer, pred)
            candidates.append(group)
            self.groups.append(group)
        group.region |= region
        group.merges.append(name)
        group.branch_inputs[name] = (false_in, true_in)
        self.group_of[name] = group

    def _region(self, ins: list[tuple[int, str, int]], outer: Guard, pkey: str) -> set[str]:
        """The nodes of both branches that ``merge``'s inputs are computed from."""
        region: set[str] = set()
        depth = len(outer)
        stack = [(s, i) for _, s, i in ins]
        while stack:
            src, idx = stack.pop()
            g = self._input_guard(src, idx)
            if len(g) <= depth or g[depth][0] != pkey or g[:depth] != outer:
                continue
            if src in region:
                continue
            region.add(src)
            stack.extend(
                (s, i)
                for p, (s, i, _) in enumerate(self.parsed[src])
                if (src, p) not in self.back_edges
            )
        return region

    def _virtual_edges(self) -> dict[str, list[str]]:
        """Build-order dependencies: a While after its whole frame, an If after its branches."""
        extra: dict[str, list[str]] = {}
        members: dict[Frame, list[str]] = {}
        for name, f in self.frame.items():
            if f:
                members.setdefault(f, []).append(name)
        for loop in self.loops.values():
            inside = [m for m in members.get(loop.frame, []) if m not in loop.exits]
            for ex in loop.exits:
                extra[ex] = inside
        for group in self.groups:
            srcs = [s for m in group.merges for s, _, _ in self.parsed[m]]
            for m in group.merges:
                extra[m] = srcs
        return extra


__all__ = [
    "BASE_TYPE",
    "CF_TYPES",
    "Analysis",
    "CondGroup",
    "Frame",
    "Guard",
    "Loop",
    "ParsedInput",
    "base_type",
]
