"""Scope stacks balance, default-name counters stay linear, failed checks leave nothing behind.

What a failure *after* construction leaves (TF keeps the variable) is recorded from TF in
``tests/conformance/cases/core_error_state.py``.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scopeflow.compat.v1 as tf
from scopeflow._core import graph_state


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


_actions = st.recursive(
    st.sampled_from(["op", "var", "raise"]),
    lambda children: st.tuples(
        st.sampled_from(["name_scope", "variable_scope", "default_name", "aux_false", "reuse"]),
        st.lists(children, max_size=3),
    ),
    max_leaves=12,
)


class _Boom(Exception):
    pass


def _run(action: object, counter: list[int]) -> None:
    if action == "op":
        tf.constant(1.0, name="c")
    elif action == "var":
        counter[0] += 1
        tf.get_variable(f"v{counter[0]}", [1], initializer=tf.zeros_initializer())
    elif action == "raise":
        raise _Boom
    else:
        kind, body = action  # type: ignore[misc]
        if kind == "name_scope":
            cm = tf.name_scope("n")
        elif kind == "variable_scope":
            cm = tf.variable_scope("s")
        elif kind == "default_name":
            cm = tf.variable_scope(None, default_name="d")
        elif kind == "aux_false":
            cm = tf.variable_scope("x", auxiliary_name_scope=False)
        else:
            cm = tf.variable_scope("r", reuse=tf.AUTO_REUSE)
        with cm:
            for a in body:
                _run(a, counter)


@given(st.lists(_actions, max_size=5))
@settings(max_examples=150, deadline=None)
def test_scope_push_pop_balance(actions: list[object]) -> None:
    tf.reset_default_graph()
    root = tf.get_variable_scope()
    counter = [0]
    for action in actions:
        with contextlib.suppress(_Boom):
            _run(action, counter)
    assert tf.get_default_graph().get_name_scope() == ""
    assert tf.get_variable_scope() is root
    assert not graph_state._default_stack.stack


def test_scope_exit_cost_does_not_grow_with_sibling_scopes() -> None:
    """Exiting a scope zeroes only the counters below it (TF scans all; this is linear)."""
    store_for = tf.get_variable_scope
    for i in range(3000):
        with tf.variable_scope(f"s{i}"), tf.variable_scope(None, default_name="d"):
            pass
    with tf.variable_scope("s0"), tf.variable_scope(None, default_name="d") as d:
        assert d.name == "s0/d"
    assert store_for() is tf.get_variable_scope()


def _collections_snapshot() -> dict[str, list[object]]:
    g = tf.get_default_graph()
    return {k: list(v) for k, v in g._collections.items() if v}


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"shape": [2], "initializer": 1.0}, id="constant-with-shape"),
        pytest.param({"shape": [-1]}, id="negative-dim"),
        pytest.param({"shape": [2], "dtype": tf.complex64}, id="no-default-initializer"),
        pytest.param({}, id="no-shape"),
        pytest.param({"shape": [2], "partitioner": 3}, id="bad-partitioner"),
    ],
)
def test_failed_get_variable_leaves_nothing(kwargs: dict[str, object]) -> None:
    before = _collections_snapshot()
    with pytest.raises((ValueError, TypeError)):
        tf.get_variable("x", **kwargs)  # type: ignore[arg-type]
    assert _collections_snapshot() == before
    assert not tf.get_default_graph()._variable_store._vars
