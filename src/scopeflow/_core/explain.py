"""Explanations of variable-sharing mistakes: the facts TF's error messages leave out.

TF says ``Variable enc/w already exists, disallowed`` or ``Variable enc/w does not exist`` and
nothing else. These functions collect what a user needs to fix it: where the existing variable
was created, which variable scopes enclose the failing call (with their reuse flags and where
each was entered), the nearest existing names, the same leaf name under other scopes, and hints
for the two classic causes (a ``name_scope`` where a ``variable_scope`` was meant; a default
name made unique, ``conv2d_1``). The store attaches them to its errors without touching TF's
message (``str(e)`` is TF's text, which programs print and match): ``e.explanation`` holds them,
starting with the ``EXPLAIN_HEADER`` line, and on Python 3.11+ they are a PEP 678 note, so an
uncaught error's traceback prints them under TF's message. ``explain(name)`` returns them for
any name.

Must not import torch or any scopeflow layer above ``_core``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from scopeflow._core import tensor_shape
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.graph_state import get_default_graph
from scopeflow._core.sites import format_site, user_site
from scopeflow._core.variable_scope import get_variable_scope

#: The first line of scopeflow's explanation (``e.explanation``, a note under TF's message).
EXPLAIN_HEADER = "scopeflow explains:"

_UNIQUIFIED = re.compile(r"^(.+)_(\d+)$")


@dataclass(frozen=True)
class ScopeEntry:
    """One enclosing variable scope: its name, reuse flag and where it was entered."""

    name: str
    reuse: Any
    entered_at: tuple[str, int] | None

    def __str__(self) -> str:
        return f"'{self.name}' (reuse={_reuse_text(self.reuse)}, entered at "\
               f"{format_site(self.entered_at)})"  # fmt: skip


@dataclass(frozen=True)
class Explanation:
    """What scopeflow knows about a variable name in the default graph's variable store.

    ``exists`` tells whether ``get_variable`` would find it. For an existing variable:
    ``created_at`` (the innermost user frame that created it, ``file:line``), ``shape`` and
    ``dtype``. For any name: ``scopes``, the variable scopes enclosing the caller now, innermost
    first; ``nearest``, existing names closest by edit distance; ``same_leaf``, existing
    variables with the same last name component under other scopes; ``hints``.
    """

    name: str
    exists: bool
    created_at: str | None = None
    shape: str | None = None
    dtype: str | None = None
    scopes: tuple[ScopeEntry, ...] = ()
    nearest: tuple[str, ...] = ()
    same_leaf: tuple[str, ...] = ()
    hints: tuple[str, ...] = field(default=())

    def lines(self) -> list[str]:
        """The facts as indented lines (what errors append after ``EXPLAIN_HEADER``)."""
        out: list[str] = []
        if self.exists:
            out.append(f"  {self.name} exists: shape {self.shape}, dtype {self.dtype}, "
                       f"created at {self.created_at}.")  # fmt: skip
        else:
            out.append(f"  No variable named {self.name} was created with tf.get_variable() "
                       "in this graph.")  # fmt: skip
            if self.nearest:
                out.append("  Nearest existing names: " + ", ".join(self.nearest) + ".")
            if self.same_leaf:
                out.append("  The same name under other scopes: " + ", ".join(self.same_leaf)
                           + ".")  # fmt: skip
        if self.scopes:
            out.append("  Enclosing variable scopes, innermost first:")
            out.extend(f"    {s}" for s in self.scopes)
        else:
            out.append("  The call is at the root variable scope (no enclosing variable_scope).")
        out.extend(f"  Hint: {h}" for h in self.hints)
        return out

    def __str__(self) -> str:
        return "\n".join([EXPLAIN_HEADER, *self.lines()])


def _reuse_text(reuse: Any) -> str:
    if reuse is True or reuse is False:
        return str(reuse)
    return "tf.AUTO_REUSE" if reuse is not None else "False"


def enclosing_scopes() -> tuple[ScopeEntry, ...]:
    """The variable scopes enclosing the caller, innermost first (the root scope omitted)."""
    out = []
    scope: Any = get_variable_scope()
    seen = 0
    while scope is not None and scope._name and seen < 64:
        out.append(ScopeEntry(scope._name, scope._reuse, scope._entered_at))
        scope = scope._parent
        seen += 1
    return tuple(out)


def created_at(var: Any) -> str:
    """``file:line`` of the innermost user frame that created ``var`` (or ``unknown``)."""
    frames = getattr(var, "_defined_at", None)
    if not frames:
        return "unknown"
    filename, line, _ = frames[0]
    return f"{filename}:{line}"


def _levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def nearest_names(name: str, names: list[str], n: int = 3) -> tuple[str, ...]:
    """Up to ``n`` of ``names`` closest to ``name`` by edit distance (difflib pre-filters)."""
    candidates = difflib.get_close_matches(name, names, n=12, cutoff=0.5)
    ranked = sorted(candidates, key=lambda c: (_levenshtein(name, c), c))
    return tuple(ranked[:n])


def _store_names(store: Any) -> list[str]:
    return list(store._vars) if store is not None else []


def _hints_for_missing(name: str, names: set[str], scope_name: str) -> list[str]:
    hints: list[str] = []
    graph = get_default_graph()
    # a tf.Variable of that name: get_variable cannot reuse it
    for v in graph.get_collection(GraphKeys.GLOBAL_VARIABLES):
        op = getattr(v, "op", None)
        if op is not None and op.name == name:
            hints.append(f"{name} was created with tf.Variable(), which tf.get_variable() "
                         "cannot reuse; create it with tf.get_variable() to share it.")  # fmt: skip
            break
    # a name_scope where a variable_scope was meant
    outer = graph._thread.get_variable_name_stack
    name_scope = graph.get_name_scope() if outer is None else outer
    ns_parts = [_strip_suffix(p) for p in name_scope.split("/")] if name_scope else []
    vs_parts = scope_name.split("/") if scope_name else []
    if (
        len(ns_parts) > len(vs_parts)
        and [_strip_suffix(p) for p in vs_parts] == ns_parts[: len(vs_parts)]
    ):
        extra = "/".join(ns_parts[len(vs_parts) :])
        short = name[len(scope_name) + 1 :] if scope_name else name
        candidate = f"{scope_name}/{extra}/{short}" if scope_name else f"{extra}/{short}"
        exists = f" ({candidate} exists)" if candidate in names else ""
        hints.append(
            f"the name scope here is '{name_scope}' but the variable scope is "
            f"'{scope_name}': tf.name_scope does not change tf.get_variable names. "
            f"Did you mean tf.variable_scope('{extra}')?{exists}"
        )
    # a default name made unique (conv2d_1 for a second conv2d)
    parts = name.split("/")
    for i, part in enumerate(parts[:-1]):
        m = _UNIQUIFIED.match(part)
        if m is None:
            continue
        base_prefix = "/".join([*parts[:i], m.group(1)]) + "/"
        if any(n.startswith(base_prefix) for n in names):
            hints.append(
                f"'{part}' looks like the default name '{m.group(1)}' made unique because "
                f"'{m.group(1)}' was already used; variables exist under '{base_prefix}'. To "
                f"share them, pass the same name explicitly (e.g. name='{m.group(1)}' or "
                f"tf.variable_scope('{m.group(1)}', reuse=True)) or re-enter the captured scope "
                "object."
            )
            break
    return hints


def _strip_suffix(part: str) -> str:
    m = _UNIQUIFIED.match(part)
    return m.group(1) if m else part


def explain(name: str, store: Any = None) -> Explanation:
    """The facts about the variable ``name`` (a full name such as ``enc/dense/kernel``).

    ``store`` defaults to the default graph's variable store. Works for names that exist and
    for names that do not (then with the nearest names and hints).
    """
    if store is None:
        store = get_default_graph()._variable_store
    if name.endswith(":0"):
        name = name[:-2]
    scopes = enclosing_scopes()
    found = store._vars.get(name) if store is not None else None
    if found is not None:
        shape = found.get_shape()
        return Explanation(
            name=name,
            exists=True,
            created_at=created_at(found),
            shape=str(shape),
            dtype=found.dtype.base_dtype.name,
            scopes=scopes,
        )
    names = _store_names(store)
    leaf = name.rsplit("/", 1)[-1]
    same_leaf = tuple(n for n in names if n != name and n.rsplit("/", 1)[-1] == leaf)[:5]
    scope_name = scopes[0].name if scopes else ""
    return Explanation(
        name=name,
        exists=False,
        scopes=scopes,
        nearest=nearest_names(name, names),
        same_leaf=same_leaf,
        hints=tuple(_hints_for_missing(name, set(names), scope_name)),
    )


def already_exists_text(name: str, found: Any) -> str:
    """The explanation appended to ``Variable ... already exists, disallowed``."""
    e = explain(name)
    lines = [
        EXPLAIN_HEADER,
        f"  {name} was created at {created_at(found)} (shape {found.get_shape()}, dtype "
        f"{found.dtype.base_dtype.name}); this call asked to create it again with reuse off.",
    ]
    lines.extend(e.lines()[1:])
    site = user_site()
    frames = getattr(found, "_defined_at", None)
    if site is not None and frames and (frames[0][0], frames[0][1]) == site:
        lines.append(
            "  This same line created it before: the code creating it ran twice in this graph "
            "(a loop, a function called twice, or a notebook cell or script run again in the "
            "same Python process)."
        )
    if not e.scopes:
        lines.append(
            "  Hint: building a model again in the same Python process (re-running a notebook "
            "cell) adds to the same default graph: call tf.reset_default_graph() before "
            "building it again, or build each model under `with tf.Graph().as_default():`. "
            "To share the variable between the calls instead, wrap them in "
            "`with tf.variable_scope('model', reuse=tf.AUTO_REUSE):`."
        )
    else:
        lines.append(
            "  Hint: to share it, open the innermost scope with reuse=True or "
            "reuse=tf.AUTO_REUSE, or call tf.get_variable_scope().reuse_variables() before "
            "this call; to get a second variable, give it another name."
        )
    return "\n".join(lines)


def not_found_text(name: str) -> str:
    """The explanation appended to ``Variable ... does not exist``."""
    return str(explain(name))


def mismatch_text(name: str, found: Any, shape: Any, dtype: Any,
                  called_at: tuple[str, int] | None) -> str:  # fmt: skip
    """The explanation appended to ``Trying to share variable ..., but specified ...``."""
    spec_shape = "unspecified" if shape is None else str(tensor_shape.as_shape(shape))
    spec_dtype = getattr(getattr(dtype, "base_dtype", dtype), "name", str(dtype))
    lines = [
        EXPLAIN_HEADER,
        f"  existing: shape {found.get_shape()}, dtype {found.dtype.base_dtype.name}, created "
        f"at {created_at(found)}",
        f"  requested: shape {spec_shape}, dtype {spec_dtype}, at {format_site(called_at)}",
    ]
    scopes = enclosing_scopes()
    if scopes:
        lines.append("  Enclosing variable scopes, innermost first:")
        lines.extend(f"    {s}" for s in scopes)
    return "\n".join(lines)


def graph_value_text(what: str, name: str, kind: str = "tensor") -> str:
    """The explanation for eager-style use of a graph tensor or variable.

    ``what`` is the use (``"`.numpy()`"``), ``name`` the tensor's or variable's name and
    ``kind`` ``"tensor"`` or ``"variable"``.
    """
    return "\n".join(
        [
            EXPLAIN_HEADER,
            f"  {what} needs a value, but {name} is a {kind} of a TF1 graph (no eager "
            "execution): it has no value while the graph is being built.",
            "  Hint: get its value by running the graph: value = sess.run(t) (or t.eval() "
            "inside `with sess.as_default():`); to branch on a value inside the graph, use "
            "tf.cond or tf.where.",
        ]
    )


__all__ = [
    "EXPLAIN_HEADER",
    "Explanation",
    "ScopeEntry",
    "already_exists_text",
    "created_at",
    "enclosing_scopes",
    "explain",
    "graph_value_text",
    "mismatch_text",
    "nearest_names",
    "not_found_text",
]
