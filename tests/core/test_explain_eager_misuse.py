"""Explanations for eager-looking misuse of a TF1 graph (issue 11).

``tf.get_variable`` run twice outside any variable scope (a loop, a re-run notebook cell) and
eager habits on graph tensors (``.numpy()``, ``if t:``) keep TF's exception type and first
line; ``e.explanation`` (a PEP 678 note on Python 3.11+) says what happened and how to fix it.
"""

from __future__ import annotations

import sys

import pytest

import scopeflow.compat.v1 as tf
from scopeflow._core.explain import EXPLAIN_HEADER

SAME_LINE = "This same line created it before"
RESET_HINT = "call tf.reset_default_graph() before building it again"
TF_EXISTS = (
    "Variable w already exists, disallowed. Did you mean to set reuse=True or "
    "reuse=tf.AUTO_REUSE in VarScope? Originally defined at:"
)
TF_BOOL = (
    "Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not None:` instead of "
    "`if t:` to test if a tensor is defined, and use TensorFlow ops such as tf.cond to execute "
    "subgraphs conditioned on the value of a tensor."
)


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def _notes(e: BaseException) -> list[str]:
    return list(getattr(e, "__notes__", []))


def test_get_variable_twice_in_a_loop_at_root_scope_hints_reset_default_graph():
    errors = []
    for _ in range(2):
        try:
            tf.get_variable("w", [2, 3])
        except ValueError as e:
            errors.append(e)
    assert len(errors) == 1
    e = errors[0]
    assert str(e).startswith(TF_EXISTS)
    text = e.explanation
    assert text.startswith(EXPLAIN_HEADER)
    assert "The call is at the root variable scope (no enclosing variable_scope)." in text
    assert SAME_LINE in text
    assert RESET_HINT in text
    assert "tf.variable_scope('model', reuse=tf.AUTO_REUSE)" in text
    if sys.version_info >= (3, 11):
        assert _notes(e) == [text]


def test_re_executed_notebook_cell_gets_the_reset_hint():
    cell = "w = tf.get_variable('w', [2, 3])\n"
    exec(compile(cell, "<ipython-input-1-0123>", "exec"), {"tf": tf})
    with pytest.raises(ValueError, match=r"^Variable w already exists, disallowed") as info:
        # the same cell run again: IPython compiles it under a new name
        exec(compile(cell, "<ipython-input-2-0123>", "exec"), {"tf": tf})
    text = info.value.explanation
    assert "w was created at <ipython-input-1-0123>:1" in text
    assert SAME_LINE not in text
    assert RESET_HINT in text


def test_following_the_hints_works():
    def build():
        return tf.get_variable("w", [2, 3])

    build()
    # tf.reset_default_graph() is checked against TF in conformance dist_x_eager_misuse (it
    # refuses to run inside this test's graph context)
    with tf.Graph().as_default():
        assert build().name == "w:0"
    for _ in range(2):
        with tf.variable_scope("model", reuse=tf.AUTO_REUSE):
            assert build().name == "model/w:0"


def test_inside_a_variable_scope_the_reuse_hint_stays():
    with tf.variable_scope("enc"):
        tf.get_variable("w", [1])
    with pytest.raises(ValueError, match=r"^Variable enc/w already exists") as info, \
            tf.variable_scope("enc"):  # fmt: skip
        tf.get_variable("w", [1])
    text = info.value.explanation
    assert "open the innermost scope with reuse=True" in text
    assert RESET_HINT not in text
    assert SAME_LINE not in text


@pytest.mark.parametrize(
    ("make", "kind", "name"),
    [
        pytest.param(lambda: tf.constant(1.0, name="c"), "Tensor", "c:0", id="tensor"),
        pytest.param(lambda: tf.Variable(1.0, name="v"), "Variable", "v:0", id="variable"),
    ],
)
def test_numpy_on_a_graph_tensor_is_explained(make, kind, name):
    t = make()
    with pytest.raises(AttributeError) as info:
        t.numpy()
    e = info.value
    # Python's (and TF 1.15's) message and attributes, unchanged
    assert str(e) == f"'{kind}' object has no attribute 'numpy'"
    assert e.name == "numpy"
    assert e.obj is t
    assert f"`.numpy()` needs a value, but {name} is a" in e.explanation
    assert "sess.run(t)" in e.explanation
    assert not hasattr(t, "numpy")


def test_other_missing_attributes_are_plain_attribute_errors():
    t = tf.constant(1.0)
    with pytest.raises(AttributeError, match=r"^'Tensor' object has no attribute 'nope'$") as info:
        _ = t.nope  # type: ignore[attr-defined]
    assert not hasattr(info.value, "explanation")
    assert getattr(t, "nope", 7) == 7


def test_python_if_on_a_graph_tensor_keeps_tf_message_and_explains():
    t = tf.constant(1.0, name="flag")

    def python_if() -> None:
        if t:
            pass

    with pytest.raises(TypeError) as info:
        python_if()
    assert str(info.value) == TF_BOOL
    assert "`if t:` (bool(t)) needs a value, but flag:0 is a tensor" in info.value.explanation


def test_the_value_comes_from_running_the_graph():
    t = tf.constant(3.0)
    with tf.Session() as sess:
        assert sess.run(t) == 3.0
        with sess.as_default():
            assert t.eval() == 3.0
