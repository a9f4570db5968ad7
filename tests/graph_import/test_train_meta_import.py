"""TF-written *training* meta graphs: import, restore, keep training and get TF's numbers.

The fixtures in ``golden/train_meta/<name>/`` are recorded by ``tools/record_tf_train_meta.py``
(TF 2.21 ``tf.compat.v1``, graph mode, reference variables, control flow v1): the ``.meta`` and
checkpoint written by ``tf.train.Saver`` before any step, the fed batches of 3 training steps,
TF's loss at each step and every global variable after them.

The LSTM setups (``lstm_*``) train ``dynamic_rnn`` through TF's control-flow-v1 gradient loop:
the forward loop pushes the values the backward loop needs on stacks (``StackV2``/
``StackPushV2``/``StackPopV2``), the backward loop pops them, and ``TensorArrayGradV3`` arrays
carry the gradients of the input/output TensorArrays.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.graph_io.files import read_graph_def
from scopeflow.ops.tf_gradient_ops import _reduction_axes

TRAIN = Path(__file__).parent / "golden" / "train_meta"
NAMES = sorted(p.name for p in TRAIN.iterdir() if p.is_dir())
SUPPORTED = NAMES


def _train(name: str) -> tuple[list[float], dict[str, np.ndarray]]:
    case = json.loads((TRAIN / name / "case.json").read_text())
    data = np.load(TRAIN / name / "expected.npz")
    g = tf.get_default_graph()
    with tf.Session() as sess:
        saver = tf.train.import_meta_graph(str(TRAIN / name / "model.ckpt.meta"))
        saver.restore(sess, str(TRAIN / name / "model.ckpt"))
        train_op = tf.get_collection("train_op")[0]
        assert train_op is g.get_operation_by_name(case["train_op"])
        loss = g.get_tensor_by_name(case["loss"])
        losses = []
        for k in range(case["steps"]):
            prefix = f"feed{k}:"
            feeds = {key[len(prefix) :]: data[key] for key in data.files if key.startswith(prefix)}
            losses.append(float(sess.run([loss, train_op], feeds)[0]))
        names = [key[4:] for key in data.files if key.startswith("var:")]
        values = sess.run([f"{n}:0" for n in names])
        if "eval_loss" in data.files:  # inference after training: the flag fed False
            feeds = {key[6:]: data[key] for key in data.files if key.startswith("feed0:")}
            feeds["training:0"] = np.array(False)
            evaluated = sess.run(loss, feeds)
            np.testing.assert_allclose(evaluated, data["eval_loss"], rtol=1e-5)
    return losses, dict(zip(names, values, strict=True))


@pytest.mark.parametrize("name", SUPPORTED)
def test_training_continues_with_tf_numbers(name: str) -> None:
    data = np.load(TRAIN / name / "expected.npz")
    losses, variables = _train(name)
    np.testing.assert_allclose(losses, data["loss"], rtol=1e-5)
    for var, value in variables.items():
        np.testing.assert_allclose(value, data[f"var:{var}"], rtol=1e-5, atol=1e-6, err_msg=var)


@pytest.mark.parametrize("name", SUPPORTED)
def test_training_collections_come_back(name: str) -> None:
    g = tf.get_default_graph()
    tf.train.import_meta_graph(str(TRAIN / name / "model.ckpt.meta"))
    data = np.load(TRAIN / name / "expected.npz")
    names = {key[4:] for key in data.files if key.startswith("var:")}
    assert {v.op.name for v in tf.global_variables()} == names
    trainable = {v.op.name for v in tf.trainable_variables()}
    assert trainable
    assert trainable < names
    assert "global_step" not in trainable
    assert tf.train.get_global_step().op is g.get_operation_by_name("global_step")
    # ``minimize``/``apply_gradients`` add their op to ``train_op`` and the recorder adds it again.
    case = json.loads((TRAIN / name / "case.json").read_text())
    train_op = g.get_operation_by_name(case["train_op"])
    assert set(tf.get_collection("train_op")) == {train_op}
    assert train_op.type in ("AssignAdd", "NoOp")
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    if name == "conv_adam":  # fused batch norm: its moving averages' AssignSub ops
        assert sorted(op.type for op in updates) == ["AssignSub", "AssignSub"]
    elif name == "conv_cond_momentum":  # batch norm under a fed ``training`` flag: tf.cond Merges
        assert sorted(op.type for op in updates) == ["Merge", "Merge"]
    else:
        assert updates == []
    assert {op.name for op in updates} <= {c.name for c in _control_closure(train_op)}


def _control_closure(op: Any) -> set[Any]:
    seen: set[Any] = set()
    stack = [op]
    while stack:
        o = stack.pop()
        if o in seen:
            continue
        seen.add(o)
        stack.extend(o.control_inputs)
        stack.extend(t.op for t in o.inputs)
    return seen


def test_reduction_axes_follow_tf_bcast() -> None:
    """``BroadcastGradientArgs``: TF 2.21's outputs for these shapes (recorded by hand)."""
    assert _reduction_axes([2, 3], [3]) == ([], [0])
    assert _reduction_axes([2, 1, 4], [3, 1]) == ([1], [0, 2])
    assert _reduction_axes([1, 1], [1]) == ([0, 1], [0, 1])
    assert _reduction_axes([5, 1], [1, 7]) == ([1], [0])
    assert _reduction_axes([], [2, 2]) == ([0, 1], [])
    with pytest.raises(ValueError, match="Incompatible shapes"):
        _reduction_axes([2, 3], [4])


@pytest.mark.parametrize("name", SUPPORTED)
def test_savers_collection_comes_back(name: str, tmp_path: Path) -> None:
    """TF's ``savers`` collection (``SaverDef`` bytes): the main Saver and a trainable-only one."""
    saver = tf.train.import_meta_graph(str(TRAIN / name / "model.ckpt.meta"))
    savers = tf.get_collection(tf.GraphKeys.SAVERS)
    assert len(savers) == 2
    assert savers[0] is saver
    second = savers[1]
    assert isinstance(second, tf.train.Saver)
    assert second is not saver
    data = np.load(TRAIN / name / "expected.npz")
    trainable = tf.trainable_variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        second.restore(sess, str(TRAIN / name / "model.ckpt"))
        ckpt = tf.train.load_checkpoint(str(TRAIN / name / "model.ckpt"))
        for var in trainable:
            np.testing.assert_array_equal(sess.run(var), ckpt.get_tensor(var.op.name))
        path = second.save(sess, str(tmp_path / "trainable"))
    saved = {n for n, _ in tf.train.list_variables(path)}
    assert saved == {v.op.name for v in trainable}
    assert saved < {key[4:] for key in data.files if key.startswith("var:")}


def test_more_gradient_ops_give_tf_values() -> None:
    """Frozen TF gradients of elu, relu6, leaky_relu, rsqrt, sqrt, reciprocal, avg_pool and
    inference-mode / NCHW fused batch norm (``EluGrad``, ``AvgPoolGrad``, ...)."""
    gd = read_graph_def(str(TRAIN / "grad_ops.pb"))
    data = np.load(TRAIN / "grad_ops.npz")
    outs = [key[4:] for key in data.files if key.startswith("out:")]
    feeds = {key[3:]: data[key] for key in data.files if key.startswith("in:")}
    fetched = tf.import_graph_def(gd, return_elements=outs, name="")
    with tf.Session() as sess:
        values = sess.run(fetched, feeds)
    for key, value in zip(outs, values, strict=True):
        np.testing.assert_allclose(value, data[f"out:{key}"], rtol=1e-5, atol=1e-6, err_msg=key)


def test_stack_ops_push_pop_in_order_and_raise_tf_errors() -> None:
    from scopeflow.errors import InvalidArgumentError
    from scopeflow.ops import stack_ops

    handle = stack_ops.stack(tf.constant(2), tf.float32, "s", "stack/")
    a = stack_ops.stack_push(handle, tf.constant([1.0, 2.0]), False, "push_a/")
    with tf.control_dependencies([a]):
        b = stack_ops.stack_push(handle, tf.constant([3.0, 4.0]), False, "push_b/")
    with tf.control_dependencies([b]):
        first = stack_ops.stack_pop(handle, tf.float32, None, "pop_1/")
    with tf.control_dependencies([first]):
        second = stack_ops.stack_pop(handle, tf.float32, None, "pop_2/")
    with tf.control_dependencies([second]):
        third = stack_ops.stack_pop(handle, tf.float32, None, "pop_3/")
    with tf.control_dependencies([b]):
        over = stack_ops.stack_push(handle, tf.constant([5.0, 6.0]), False, "push_c/")
    with tf.Session() as sess:
        x, y = sess.run([first, second])
        np.testing.assert_array_equal(x, [3.0, 4.0])
        np.testing.assert_array_equal(y, [1.0, 2.0])
        with pytest.raises(InvalidArgumentError, match="Stack is empty"):
            sess.run(third)
        with pytest.raises(InvalidArgumentError, match="overflowed its max_size"):
            sess.run(over)


def test_tf_trains_the_meta_graphs_scopeflow_writes_back() -> None:
    """``tools/tf_verify_train_export.py`` ran TF on each fixture after a scopeflow round trip."""
    lines = (TRAIN / "tf_export_verification.txt").read_text().splitlines()
    assert lines[-1] == "ALL PASS"
    assert sorted(line.split()[1].rstrip(":") for line in lines[:-1]) == NAMES


@pytest.mark.parametrize("name", ["conv_cond_momentum", "lstm_rmsprop", "embed_adam"])
def test_saved_again_by_scopeflow_still_trains_with_tf_numbers(name: str, tmp_path: Path) -> None:
    """Import, save (scopeflow writes the TF gradient ops back), import that, keep training."""
    with tf.Graph().as_default(), tf.Session() as sess:
        saver = tf.train.import_meta_graph(str(TRAIN / name / "model.ckpt.meta"))
        saver.restore(sess, str(TRAIN / name / "model.ckpt"))
        path = saver.save(sess, str(tmp_path / "model.ckpt"))
    data = np.load(TRAIN / name / "expected.npz")
    case = json.loads((TRAIN / name / "case.json").read_text())
    with tf.Graph().as_default(), tf.Session() as sess:
        saver = tf.train.import_meta_graph(path + ".meta")
        saver.restore(sess, path)
        losses = []
        for k in range(case["steps"]):
            pre = f"feed{k}:"
            feeds = {key[len(pre) :]: data[key] for key in data.files if key.startswith(pre)}
            losses.append(sess.run([case["loss"], case["train_op"]], feeds)[0])
    np.testing.assert_allclose(losses, data["loss"], rtol=1e-5)
