"""Sharing errors that explain themselves, and ``scopeflow.explain``.

TF's message stays the first line (and the exception type stays the one users catch); the
explanation follows under ``scopeflow explains:``.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
from pathlib import Path

import pytest

import scopeflow
import scopeflow.compat.v1 as tf
from scopeflow._core.explain import EXPLAIN_HEADER, nearest_names
from scopeflow._core.variable_store import format_user_frames
from scopeflow.errors import VariableAlreadyExistsError, VariableNotFoundError

HERE = __file__
EXISTS, MISSING = "already exists", "does not exist"
SHAPE, DTYPE = "specified shape", "specified dtype"


def _load_harness():
    path = Path(__file__).resolve().parents[1] / "conformance" / "harness.py"
    spec = importlib.util.spec_from_file_location("_conformance_harness_explain", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


error_message = _load_harness().error_message


def _line_of(fn, marker: str) -> int:
    lines, start = inspect.getsourcelines(fn)
    return start + next(i for i, ln in enumerate(lines) if marker in ln)


def _full(e: BaseException) -> str:
    """TF's message and scopeflow's explanation, as a traceback shows them."""
    return f"{e}\n\n{e.explanation}"  # type: ignore[attr-defined]


def _build():
    with tf.variable_scope("enc"):  # ENTER-ENC
        return tf.get_variable("w", [2, 3])  # CREATE-W


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def test_already_exists_names_the_creation_site_and_the_enclosing_scopes():
    _build()
    with pytest.raises(ValueError, match=EXISTS) as info:
        _build()
    e = info.value
    assert type(e).__name__ == "VariableAlreadyExistsError"
    text = _full(e)
    first = text.splitlines()[0]
    assert first == (
        "Variable enc/w already exists, disallowed. Did you mean to set reuse=True or "
        "reuse=tf.AUTO_REUSE in VarScope? Originally defined at:"
    )
    explanation = text.split("\n\n" + EXPLAIN_HEADER, 1)[1]
    assert f"enc/w was created at {HERE}:{_line_of(_build, 'CREATE-W')}" in explanation
    assert "shape (2, 3), dtype float32" in explanation
    assert f"'enc' (reuse=False, entered at {HERE}:{_line_of(_build, 'ENTER-ENC')})" in explanation
    assert "reuse=True or reuse=tf.AUTO_REUSE" in explanation
    assert e.explanation is not None
    assert e.explanation.startswith(EXPLAIN_HEADER)


def test_nested_scopes_are_listed_innermost_first_with_their_reuse_flags():
    with tf.variable_scope("a"), tf.variable_scope("b", reuse=tf.AUTO_REUSE):
        tf.get_variable("v", [1])
    with (
        tf.variable_scope("a", reuse=True),
        tf.variable_scope("b"),
        pytest.raises(ValueError, match=MISSING) as info,
    ):
        tf.get_variable("missing", [1])
    text = _full(info.value)
    assert re.search(r"'a/b' \(reuse=True, entered at .*\)\n    'a' \(reuse=True", text)


def test_does_not_exist_lists_nearest_names_and_the_same_leaf_elsewhere():
    _build()
    with tf.variable_scope("dec"):
        tf.get_variable("w", [1])
    with tf.variable_scope("enc", reuse=True), pytest.raises(ValueError, match=MISSING) as info:
        tf.get_variable("W", [2, 3])
    text = _full(info.value)
    assert text.splitlines()[0] == (
        "Variable enc/W does not exist, or was not created with tf.get_variable(). "
        "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?"
    )
    assert "Nearest existing names: enc/w, dec/w." in text
    with tf.variable_scope("x", reuse=True), pytest.raises(ValueError, match=MISSING) as info:
        tf.get_variable("w", [1])
    assert "The same name under other scopes: enc/w, dec/w." in _full(info.value)


def test_hint_when_a_name_scope_was_used_for_a_variable_scope():
    with tf.variable_scope("model"), tf.variable_scope("enc"):
        tf.get_variable("w", [1])
    with (
        tf.variable_scope("model", reuse=True),
        tf.name_scope("enc"),
        pytest.raises(ValueError, match=MISSING) as info,
    ):
        tf.get_variable("w", [1])
    text = _full(info.value)
    assert "Hint: the name scope here is 'model_1/enc' but the variable scope is 'model'" in text
    assert "Did you mean tf.variable_scope('enc')? (model/enc/w exists)" in text


def test_hint_when_a_default_name_was_made_unique():
    x = tf.placeholder(tf.float32, [1, 4, 4, 3])
    tf.layers.conv2d(x, 2, 3)
    with (
        tf.variable_scope("conv2d_1", reuse=True),
        pytest.raises(ValueError, match=MISSING) as info,
    ):
        tf.get_variable("kernel", [3, 3, 3, 2])
    text = _full(info.value)
    assert "'conv2d_1' looks like the default name 'conv2d' made unique" in text
    assert "variables exist under 'conv2d/'" in text


def test_hint_for_a_tf_variable_of_that_name():
    tf.Variable(1.0, name="v")
    with tf.variable_scope("", reuse=True), pytest.raises(ValueError, match=MISSING) as info:
        tf.get_variable("v", [])
    assert "v was created with tf.Variable(), which tf.get_variable() cannot reuse" in _full(
        info.value
    )


def test_shape_and_dtype_mismatch_show_both_shapes_and_both_sites():
    _build()
    with tf.variable_scope("enc", reuse=True), pytest.raises(ValueError, match=SHAPE) as info:
        tf.get_variable("w", [2, 4])  # ASK-SHAPE
    e = info.value
    assert type(e).__name__ == "VariableShapeMismatchError"
    lines = _full(e).splitlines()
    assert lines[0] == (
        "Trying to share variable enc/w, but specified shape (2, 4) and found shape (2, 3)."
    )
    line = _line_of(test_shape_and_dtype_mismatch_show_both_shapes_and_both_sites, "ASK-SHAPE")
    assert f"  existing: shape (2, 3), dtype float32, created at {HERE}:" in _full(e)
    assert f"  requested: shape (2, 4), dtype float32, at {HERE}:{line}" in lines
    with tf.variable_scope("enc", reuse=True), pytest.raises(ValueError, match=DTYPE) as info:
        tf.get_variable("w", [2, 3], dtype=tf.int32)
    assert type(info.value).__name__ == "VariableDtypeMismatchError"
    assert "  requested: shape (2, 3), dtype int32, at " in _full(info.value)


def test_explain_returns_the_same_facts_for_any_name():
    _build()
    e = scopeflow.explain("enc/w")
    assert e.exists
    assert e.shape == "(2, 3)"
    assert e.dtype == "float32"
    assert e.created_at == f"{HERE}:{_line_of(_build, 'CREATE-W')}"
    assert scopeflow.explain("enc/w:0") == e
    missing = scopeflow.explain("enc/ww")
    assert not missing.exists
    assert missing.nearest == ("enc/w",)
    text = str(missing)
    assert text.startswith(EXPLAIN_HEADER)
    assert "No variable named enc/ww was created with tf.get_variable()" in text
    with tf.variable_scope("outer"):
        assert [s.name for s in scopeflow.explain("x").scopes] == ["outer"]


def test_tf_part_of_the_message_is_unchanged_for_the_harness():
    w = _build()
    with pytest.raises(ValueError, match=EXISTS) as info:
        _build()
    # what the error said before explanations existed, byte for byte, then the explanation
    plain = VariableAlreadyExistsError("enc/w", format_user_frames(w._defined_at))
    assert str(info.value) == str(plain)  # TF's message, byte for byte: programs print it
    assert info.value.explanation.startswith(EXPLAIN_HEADER)
    if sys.version_info >= (3, 11):  # shown under the traceback as a PEP 678 note
        assert info.value.__notes__ == [info.value.explanation]
    assert error_message(tf, info.value) == error_message(tf, plain)
    with tf.variable_scope("enc", reuse=True), pytest.raises(ValueError, match=MISSING) as info:
        tf.get_variable("nope", [1])
    assert error_message(tf, info.value) == str(VariableNotFoundError("enc/nope"))


def test_nearest_names_rank_by_edit_distance():
    names = ["layer/kernel", "layer/kernels", "layer_1/kernel", "other/bias"]
    assert nearest_names("layer/kernl", names) == ("layer/kernel", "layer/kernels",
                                                   "layer_1/kernel")  # fmt: skip


def test_explanations_are_not_recorded_when_nothing_fails():
    # creation sites of scopes are (file, line) pairs, not frames: nothing keeps frames alive
    with tf.variable_scope("s") as vs:
        pass
    assert vs._entered_at == (HERE, sys._getframe().f_lineno - 2)
