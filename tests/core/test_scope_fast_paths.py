"""The inlined ``variable_scope`` string path and the ``get_variable`` reuse fast path.

Expected values were printed by TensorFlow 2.21 ``compat.v1`` in TF1 mode with the same code.
"""

from __future__ import annotations

import gc

import numpy as np
import pytest

import scopeflow.compat.v1 as tf


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


def test_reentering_a_scope_object_keeps_its_first_name_scope_and_reuse() -> None:
    vs = tf.variable_scope("a")
    with vs as s1:
        assert (s1.name, s1.original_name_scope, s1.reuse) == ("a", "a/", False)
        assert tf.constant(1.0).name == "a/Const:0"
    with tf.variable_scope("a", reuse=True):
        pass
    with vs as s2:
        assert (s2.name, s2.original_name_scope, s2.reuse) == ("a", "a/", False)
        assert tf.constant(1.0).name == "a_2/Const:0"
    assert s1 is not s2
    with tf.variable_scope("outer", reuse=True):
        inner = tf.variable_scope("in")
        with inner as s3:
            assert (s3.name, s3.reuse, s3.original_name_scope) == ("outer/in", True, "outer/in/")
    with inner as s4:  # reuse inherited on the first entry sticks, as TF's cached pure scope
        assert (s4.name, s4.reuse, s4.original_name_scope) == ("in", True, "outer/in/")
        assert tf.constant(1.0).name == "in/Const:0"


def test_dropped_scope_restores_the_name_stack_but_not_the_variable_scope() -> None:
    def enter_and_drop() -> None:
        scope = tf.variable_scope("gone")
        scope.__enter__()
        assert tf.get_default_graph().get_name_scope() == "gone"

    enter_and_drop()
    gc.collect()
    assert tf.get_default_graph().get_name_scope() == ""
    assert tf.get_variable_scope().name == "gone"
    assert tf.constant(2.0).name == "Const:0"


def test_invalid_names_raise_tf_errors_and_leave_the_stacks() -> None:
    g = tf.get_default_graph()
    with (
        pytest.raises(ValueError, match="'-bad' is not a valid root scope name"),
        tf.variable_scope("-bad"),
    ):
        pass
    assert tf.get_default_graph() is g
    with tf.variable_scope("x"), tf.variable_scope("-ok") as s:  # valid as a nested name
        assert (s.name, tf.constant(1.0).name) == ("x/-ok", "x/-ok/Const:0")
    assert g.get_name_scope() == ""
    assert tf.get_variable_scope().name == ""


def test_improper_nesting_raises_and_restores_name_and_graph_stacks() -> None:
    g = tf.get_default_graph()
    outer = tf.variable_scope("o")
    outer.__enter__()
    inner = tf.variable_scope("i")
    inner.__enter__()
    with pytest.raises(RuntimeError, match="Improper nesting of variable_scope"):
        outer.__exit__(None, None, None)
    inner.__exit__(None, None, None)
    assert tf.get_default_graph() is g


def test_scope_in_another_graph_makes_it_the_default() -> None:
    g2 = tf.Graph()
    with g2.as_default():
        vs = tf.variable_scope("s")
    with vs as s:
        assert tf.get_default_graph() is g2
        assert s.name == "s"
        assert tf.constant(1.0).graph is g2
    assert tf.get_default_graph() is not g2


def test_reuse_fast_path_checks_shape_dtype_and_initializer() -> None:
    with tf.variable_scope("m"):
        v = tf.get_variable("w", [2, 3])
        c = tf.get_variable("c", initializer=tf.constant([1, 2]))
    with tf.variable_scope("m", reuse=True):
        assert tf.get_variable("w", [2, 3]) is v
        assert tf.get_variable("w", (2, 3)) is v
        assert tf.get_variable("w", [np.int64(2), 3]) is v
        assert tf.get_variable("w", [None, 3]) is v
        assert tf.get_variable("w") is v
        assert tf.get_variable("c", dtype=tf.int32) is c
        with pytest.raises(ValueError, match="Trying to share variable m/w, but specified shape"):
            tf.get_variable("w", [3, 2])
        with pytest.raises(ValueError, match="Trying to share variable m/w, but specified dtype"):
            tf.get_variable("w", [2, 3], dtype=tf.float64)
        with pytest.raises(ValueError, match="If initializer is a constant, do not specify shape"):
            tf.get_variable("c", [2], initializer=tf.constant([1, 2]))
        with pytest.raises(ValueError, match="don't match"):
            tf.get_variable("c", dtype=tf.float32, initializer=np.array([1, 2], np.int32))
        with pytest.raises(ValueError, match="does not exist"):
            tf.get_variable("missing", [1])
    with tf.variable_scope("m"), pytest.raises(ValueError, match="already exists"):
        tf.get_variable("w", [2, 3])


def test_reuse_with_custom_getter_still_calls_the_getter() -> None:
    calls = []

    def getter(getter: object, name: str, *args: object, **kwargs: object) -> object:
        calls.append(name)
        return getter(name, *args, **kwargs)  # type: ignore[operator]

    v = tf.get_variable("v", [1])
    with tf.variable_scope("", reuse=True, custom_getter=getter):
        assert tf.get_variable("v", [1]) is v
    assert calls == ["v"]
