"""Random programs of nested scopes, variables and injected failures, run on any ``tf`` module.

A program is a JSON list of statements; ``run(tf, program)`` executes it with the given
``compat.v1`` module and returns what it printed (names of everything created, each error's
kind and first line, the scope state after each top-level statement). The same function runs
under TensorFlow (``tools/record_scope_programs.py`` records ``golden/scope_programs.json``) and
under scopeflow (``test_scope_programs.py`` replays the recording), so any difference in how
state survives a failure shows as a diff.

Statements (``body`` is a list of statements; ``guard`` true catches an error right there, else it
propagates to the nearest guarded statement, leaving every scope in between):

* ``["ns", guard, name, body]``: ``name_scope(name)``
* ``["vs", guard, name, reuse, init, body]``: ``variable_scope(name, reuse=..., initializer=...)``
  (the scope object is captured for ``vscap``)
* ``["vsd", guard, default_name, body]``: ``variable_scope(None, default_name=...)``
* ``["vsaux", guard, name, body]``: ``variable_scope(name, auxiliary_name_scope=False)``
* ``["vscap", guard, index, body]``: re-enter a captured ``VariableScope`` object
* ``["gv", guard, name, shape, dtype, init]``, ``["glv", ...]``: ``get_variable`` /
  ``get_local_variable``
* ``["gvfail", guard, how, name]``: ``get_variable`` with a failing regularizer, custom getter,
  partitioner or initializer (``how``)
* ``["var", guard, name]``: ``tf.Variable(1.0, name=name)``; ``["varfail", guard, name]``: its
  initial value raises
* ``["op", guard, name]``: ``tf.constant(1.0, name=name)``; ``["raise", guard]``: raise

This module imports neither TensorFlow nor scopeflow.
"""

from __future__ import annotations

import random
from types import ModuleType
from typing import Any

SCOPE_NAMES = ["a", "b", "A", "_u", "a/", "", "b_1"]
VAR_NAMES = ["v", "w", "V", "_v", "v_1"]
OP_NAMES = [None, "c", "_c", "Variable"]
SHAPES = [[1], [2], [0, 2], [2, 1]]
DTYPES = ["float32", "int32", "float64"]
INITS = [None, "zeros", "const0.5", "tnormal", "glorot"]
REUSE = [None, True, "auto"]
FAILS = ["regularizer", "getter", "partitioner", "initializer", "shard"]


class Boom(Exception):
    """The injected failure of a ``raise`` statement and of failing callables."""


def _initializer(tf: ModuleType, kind: str | None) -> Any:
    if kind is None:
        return None
    if kind == "zeros":
        return tf.zeros_initializer()
    if kind == "const0.5":
        return tf.constant_initializer(0.5)
    if kind == "tnormal":
        return tf.truncated_normal_initializer(stddev=0.02, seed=3)
    return tf.glorot_uniform_initializer(seed=5)


def _reuse(tf: ModuleType, kind: str | bool | None) -> Any:
    return tf.AUTO_REUSE if kind == "auto" else kind


def _error_line(exc: BaseException) -> str:
    kind = next(c.__name__ for c in type(exc).__mro__ if c.__module__ == "builtins")
    if isinstance(exc, Boom):
        kind = "Boom"
    text = str(exc).split(" Originally defined at:", 1)[0].split("\n", 1)[0]
    return f"E {kind}: {text}"


class _Runner:
    def __init__(self, tf: ModuleType) -> None:
        self.tf = tf
        self.out: list[str] = []
        self.captured: list[Any] = []

    def emit(self, text: str) -> None:
        self.out.append(text)

    def block(self, statements: list[Any]) -> None:
        for st in statements:
            self.statement(st)

    def statement(self, st: list[Any]) -> None:
        if st[1]:
            try:
                self.execute(st)
            except Exception as exc:  # an injected or TF-raised failure is the point
                self.emit(_error_line(exc))
        else:
            self.execute(st)

    def execute(self, st: list[Any]) -> None:
        tf = self.tf
        kind = st[0]
        if kind == "ns":
            with tf.name_scope(st[2]) as scope:
                self.emit(f"ns {scope}")
                self.block(st[3])
        elif kind == "vs":
            init = _initializer(tf, st[4])
            with tf.variable_scope(st[2], reuse=_reuse(tf, st[3]), initializer=init) as vs:
                self.captured.append(vs)
                self.emit(f"vs {vs.name} {vs.original_name_scope}")
                self.block(st[5])
        elif kind == "vsd":
            with tf.variable_scope(None, default_name=st[2]) as vs:
                self.emit(f"vsd {vs.name} {vs.original_name_scope}")
                self.block(st[3])
        elif kind == "vsaux":
            with tf.variable_scope(st[2], auxiliary_name_scope=False) as vs:
                self.emit(f"vsaux {vs.name} {tf.get_default_graph().get_name_scope()}")
                self.block(st[3])
        elif kind == "vscap":
            if not self.captured:
                return
            with tf.variable_scope(self.captured[st[2] % len(self.captured)]) as vs:
                self.emit(f"vscap {vs.name} {tf.get_default_graph().get_name_scope()}")
                self.block(st[3])
        elif kind in ("gv", "glv"):
            getter = tf.get_variable if kind == "gv" else tf.get_local_variable
            _, _, name, shape, dtype, init = st
            v = getter(name, shape, dtype=getattr(tf, dtype), initializer=_initializer(tf, init))
            self.emit(f"{kind} {v.name} {v.shape}")
        elif kind == "gvfail":
            self.failing_get_variable(st[2], st[3])
        elif kind == "var":
            self.emit(f"var {tf.Variable(1.0, name=st[2]).name}")
        elif kind == "varfail":

            def initial_value() -> Any:
                raise Boom("initial value")

            tf.Variable(initial_value, name=st[2])
        elif kind == "op":
            self.emit(f"op {tf.constant(1.0, name=st[2]).name}")
        elif kind == "raise":
            raise Boom("raise")
        else:  # pragma: no cover - the generator makes only the kinds above
            raise AssertionError(kind)

    def failing_get_variable(self, how: str, name: str) -> None:
        tf = self.tf

        def fail(*_args: Any, **_kwargs: Any) -> Any:
            raise Boom(how)

        if how == "regularizer":
            tf.get_variable(name, [2], regularizer=fail)
        elif how == "getter":
            tf.get_variable(name, [2], custom_getter=fail)
        elif how == "partitioner":
            tf.get_variable(name, [4, 2], partitioner=fail)
        elif how == "initializer":
            tf.get_variable(name, [2], initializer=fail)
        else:
            calls = []

            def second_shard_fails(
                shape: Any, dtype: Any = None, partition_info: Any = None
            ) -> Any:
                calls.append(shape)
                if len(calls) == 2:
                    raise Boom("shard")
                return tf.zeros(shape, dtype)

            tf.get_variable(
                name, [4, 2], initializer=second_shard_fails,
                partitioner=tf.fixed_size_partitioner(2),
            )  # fmt: skip

    def state(self) -> str:
        tf = self.tf
        g = tf.get_default_graph()
        return f"state ns={g.get_name_scope()!r} vs={tf.get_variable_scope().name!r}"


def run(tf: ModuleType, program: list[Any]) -> list[str]:
    """Runs ``program`` in a fresh default graph of ``tf``; returns its output lines."""
    tf.reset_default_graph()
    runner = _Runner(tf)
    for st in program:
        runner.statement([st[0], True, *st[2:]])  # top-level statements are always guarded
        runner.emit(runner.state())
    runner.emit("globals " + " ".join(v.name for v in tf.global_variables()))
    runner.emit("locals " + " ".join(v.name for v in tf.local_variables()))
    with tf.variable_scope(None, default_name="a") as vs:
        runner.emit(f"probe {vs.name} {tf.constant(0.0).name} {tf.Variable(0.0).name}")
    return runner.out


def generate(rng: random.Random, depth: int = 0, size: int = 6) -> list[Any]:
    """A random program (a list of statements) from ``rng``."""
    program = []
    for _ in range(rng.randint(1, size)):
        program.append(_statement(rng, depth))
    return program


def _statement(rng: random.Random, depth: int) -> list[Any]:
    guard = rng.random() < 0.4
    kinds = ["gv", "gv", "glv", "gvfail", "var", "varfail", "op", "raise"]
    if depth < 3:
        kinds += ["ns", "ns", "vs", "vs", "vsd", "vsaux", "vscap"]
    kind = rng.choice(kinds)
    if kind in ("ns", "vsd", "vsaux", "vscap"):
        arg: Any = rng.choice(SCOPE_NAMES)
        if kind == "vscap":
            arg = rng.randrange(4)
        elif kind == "vsd":
            arg = rng.choice(["d", "_d", "a"])
        elif kind == "ns" and rng.random() < 0.1:
            arg = None
        return [kind, guard, arg, generate(rng, depth + 1, 3)]
    if kind == "vs":
        return [kind, guard, rng.choice(SCOPE_NAMES), rng.choice(REUSE), rng.choice(INITS),
                generate(rng, depth + 1, 3)]  # fmt: skip
    if kind in ("gv", "glv"):
        return [kind, guard, rng.choice(VAR_NAMES), rng.choice(SHAPES), rng.choice(DTYPES),
                rng.choice(INITS)]  # fmt: skip
    if kind == "gvfail":
        return [kind, guard, rng.choice(FAILS), rng.choice(VAR_NAMES)]
    if kind in ("var", "varfail", "op"):
        return [kind, guard, rng.choice(OP_NAMES)]
    return [kind, guard]


def programs(seed: int, count: int) -> list[list[Any]]:
    """``count`` programs from a generator seeded with ``seed`` (the recorded set)."""
    rng = random.Random(seed)
    return [generate(rng) for _ in range(count)]
