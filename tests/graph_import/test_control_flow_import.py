"""TF1 control flow v1 in imported GraphDefs: frozen graphs written by real TF give TF's outputs.

The fixtures in ``golden/`` are recorded by ``tools/record_cf_graphs.py`` (TF 2.21
``tf.compat.v1``, graph mode, ``disable_control_flow_v2``, frozen with
``convert_variables_to_constants``): ``<name>.pb`` and ``<name>.npz`` with the feeds and TF's
fetches; ``cases.json`` names them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.errors import UnsupportedError
from scopeflow.graph_io.files import read_graph_def
from scopeflow.protos import graph_pb2

GOLDEN = Path(__file__).parent / "golden"
CASES = json.loads((GOLDEN / "cases.json").read_text())


def _strings(data: Any, key: str) -> np.ndarray:
    """A string array stored as concatenated bytes + lengths (the fixtures hold no pickles)."""
    raw = data[f"strings:{key}"].tobytes()
    ends = np.cumsum(data[f"lengths:{key}"])
    out = np.empty(len(ends), dtype=object)
    out[:] = [raw[e - n : e] for e, n in zip(ends, data[f"lengths:{key}"], strict=True)]
    shape = data[f"shape:{key}"] if f"shape:{key}" in data else [len(ends)]
    return out.reshape([int(d) for d in shape])


def _feeds(g: Any, name: str, prefix: str = "") -> dict[Any, Any]:
    data = np.load(GOLDEN / f"{name}.npz")
    feeds: dict[Any, Any] = {}
    for key in CASES[name]["feeds"]:
        t = g.get_tensor_by_name(prefix + key)
        if f"in:{key}" in data:
            feeds[t] = data[f"in:{key}"]
        elif f"bytes:{key}" in data:
            feeds[t] = data[f"bytes:{key}"].tobytes()
        else:
            feeds[t] = _strings(data, key)
    return feeds


def _run_case(name: str, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    data = np.load(GOLDEN / f"{name}.npz")
    gd = read_graph_def(str(GOLDEN / f"{name}.pb"))
    fetches = [f for f in CASES[name]["fetches"] if f not in skip]
    outs = tf.import_graph_def(gd, return_elements=fetches, name="m")
    g = tf.get_default_graph()
    with tf.Session() as s:
        values = s.run(outs, _feeds(g, name, "m/"))
    for key, value in zip(fetches, values, strict=True):
        expected = data[f"out:{key}"] if f"out:{key}" in data else _strings(data, key)
        assert np.shape(value) == expected.shape, key
        if expected.dtype.kind == "f":
            np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-5, err_msg=key)
        else:
            np.testing.assert_array_equal(value, expected, err_msg=key)
    return dict(zip(fetches, values, strict=True))


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("while_counter", id="while-counter-accumulator"),
        pytest.param("nested_loops", id="nested-while-loops"),
        pytest.param("cond_in_loop", id="nested-conds-inside-a-loop"),
        pytest.param("dynamic_rnn_lstm", id="frozen-dynamic-rnn-lstm"),
        pytest.param("map_fn", id="map-fn-tensor-arrays"),
        pytest.param("ssd_postprocess", id="nms-crop-and-resize-topk-where"),
        pytest.param("ssd_batched", id="per-image-nms-in-map-fn"),
        pytest.param("example_signature", id="parse-example-and-string-ops"),
    ],
)
def test_tf_written_graph_gives_tf_outputs(name: str) -> None:
    _run_case(name)


def test_image_decode_signature() -> None:
    _run_case("image_signature", skip=("default_dct:0",))


def test_default_jpeg_dct_differs_from_tf_by_a_few_levels() -> None:
    """TF's default ``dct_method=""`` is libjpeg's fast integer DCT; scopeflow (Pillow) decodes
    with the accurate one, which equals TF's ``INTEGER_ACCURATE`` exactly (checked above)."""
    data = np.load(GOLDEN / "image_signature.npz")
    (out,) = tf.import_graph_def(
        read_graph_def(str(GOLDEN / "image_signature.pb")), return_elements=["default_dct:0"]
    )
    g = tf.get_default_graph()
    with tf.Session() as s:
        got = s.run(out, _feeds(g, "image_signature", "import/"))
    diff = np.abs(got.astype(int) - data["out:default_dct:0"].astype(int))
    assert diff.max() <= 10
    assert diff.mean() < 3


def test_loop_is_rebuilt_as_one_while_op_with_tf_names() -> None:
    gd = read_graph_def(str(GOLDEN / "while_counter.pb"))
    tf.import_graph_def(gd, name="")
    g = tf.get_default_graph()
    for node in gd.node:
        assert g.get_operation_by_name(node.name).type == node.op
    whiles = [op for op in g.get_operations() if op.type == "While"]
    assert [op.name for op in whiles] == ["loop/While"]
    assert g.get_tensor_by_name("loop/Exit_1:0").op.inputs[0] is whiles[0].outputs[1]
    assert g.get_tensor_by_name("acc:0").shape.as_list() == [3]


def test_nested_frames_and_conds_are_rebuilt() -> None:
    tf.import_graph_def(read_graph_def(str(GOLDEN / "cond_in_loop.pb")), name="")
    g = tf.get_default_graph()
    types = [op.type for op in g.get_operations()]
    assert types.count("While") == 1
    # one If per tf.cond: two inside the loop body (one nested in the other's false branch)
    # and two outside
    assert types.count("If") == 4


def test_feeding_the_loop_count_changes_the_result() -> None:
    gd = read_graph_def(str(GOLDEN / "while_counter.pb"))
    acc, count = tf.import_graph_def(gd, return_elements=["acc:0", "count:0"], name="")
    g = tf.get_default_graph()
    x, n = g.get_tensor_by_name("x:0"), g.get_tensor_by_name("n:0")
    with tf.Session() as s:
        a0, c0 = s.run([acc, count], {x: [1.0, 1.0, 1.0], n: 0})
        a2, c2 = s.run([acc, count], {x: [1.0, 1.0, 1.0], n: 2})
    np.testing.assert_array_equal(a0, [0, 0, 0])
    assert (c0, c2) == (0, 2)
    # two iterations: acc = 0.9 * (w * 0) + w * 1 = w
    np.testing.assert_allclose(a2, [0.5, -1.0, 2.0], rtol=1e-6)


def test_input_map_into_a_loop() -> None:
    gd = read_graph_def(str(GOLDEN / "while_counter.pb"))
    (acc,) = tf.import_graph_def(
        gd, input_map={"n:0": tf.constant(3)}, return_elements=["acc:0"], name="m"
    )
    x = tf.get_default_graph().get_tensor_by_name("m/x:0")
    with tf.Session() as s:
        got = s.run(acc, {x: [1.0, 2.0, 3.0]})
    w, xv = np.array([0.5, -1.0, 2.0]), np.array([1.0, 2.0, 3.0])
    ref = np.zeros(3)
    for i in range(3):
        ref = ref * 0.9 + w * xv * i
    np.testing.assert_allclose(got, ref, rtol=1e-6)


# --- hostile and malformed control flow ---------------------------------------------------------


def _node(gd: Any, name: str, op: str, inputs: list[str], **attrs: Any) -> Any:
    n = gd.node.add(name=name, op=op)
    n.input.extend(inputs)
    for k, v in attrs.items():
        if isinstance(v, bool):
            n.attr[k].b = v
        elif isinstance(v, bytes):
            n.attr[k].s = v
        elif isinstance(v, int):
            n.attr[k].type = v
    return n


def _const(gd: Any, name: str, value: int = 0, control: str = "") -> None:
    n = gd.node.add(name=name, op="Const")
    if control:
        n.input.append("^" + control)
    n.attr["dtype"].type = 3  # int32
    n.attr["value"].tensor.dtype = 3
    n.attr["value"].tensor.int_val.append(value)


def _loop_graph() -> Any:
    """``i = 0; while i < 5: i += 1`` as TF 1.x writes it."""
    gd = graph_pb2.GraphDef()
    _const(gd, "zero")
    _const(gd, "limit", 5)
    _node(gd, "w/Enter", "Enter", ["zero"], frame_name=b"w/ctx", is_constant=False, T=3)
    _node(gd, "w/Merge", "Merge", ["w/Enter", "w/NextIteration"], T=3)
    _node(gd, "w/lim", "Enter", ["limit"], frame_name=b"w/ctx", is_constant=True, T=3)
    _node(gd, "w/Less", "Less", ["w/Merge", "w/lim"], T=3)
    _node(gd, "w/LoopCond", "LoopCond", ["w/Less"])
    _node(gd, "w/Switch", "Switch", ["w/Merge", "w/LoopCond"], T=3)
    _node(gd, "w/Identity", "Identity", ["w/Switch:1"], T=3)
    _const(gd, "w/one", 1, control="w/Identity")
    _node(gd, "w/add", "AddV2", ["w/Identity", "w/one"], T=3)
    _node(gd, "w/NextIteration", "NextIteration", ["w/add"], T=3)
    _node(gd, "w/Exit", "Exit", ["w/Switch"], T=3)
    return gd


def test_handmade_loop_imports() -> None:
    (out,) = tf.import_graph_def(_loop_graph(), return_elements=["w/Exit:0"])
    with tf.Session() as s:
        assert s.run(out) == 5


def test_cycle_outside_a_loop_back_edge_is_rejected() -> None:
    gd = _loop_graph()
    _node(gd, "a", "Identity", ["b"], T=3)
    _node(gd, "b", "Identity", ["a"], T=3)
    with pytest.raises(ValueError, match=r"cycle among the nodes 'a', 'b'"):
        tf.import_graph_def(gd)


def test_next_iteration_into_a_non_merge_is_a_cycle() -> None:
    gd = graph_pb2.GraphDef()
    _node(gd, "n", "NextIteration", ["i"], T=3)
    _node(gd, "i", "Identity", ["n"], T=3)
    with pytest.raises(ValueError, match="cycle among the nodes 'i', 'n'"):
        tf.import_graph_def(gd)


def test_loop_merge_without_loop_cond_is_rejected() -> None:
    gd = _loop_graph()
    for node in gd.node:
        if node.name == "w/LoopCond":
            node.op = "Identity"
    with pytest.raises(UnsupportedError, match=r"node 'w/Merge'.*without a LoopCond"):
        tf.import_graph_def(gd)


def test_merge_of_unrelated_tensors_is_rejected() -> None:
    gd = graph_pb2.GraphDef()
    _const(gd, "a")
    _const(gd, "b")
    _node(gd, "m", "Merge", ["a", "b"], T=3)
    with pytest.raises(UnsupportedError, match=r"node 'm'.*two branches of one Switch"):
        tf.import_graph_def(gd)


def test_op_reading_both_branches_is_rejected() -> None:
    gd = graph_pb2.GraphDef()
    _const(gd, "x")
    p = gd.node.add(name="p", op="Placeholder")
    p.attr["dtype"].type = 10  # bool
    _node(gd, "s", "Switch", ["x", "p"], T=3)
    _node(gd, "both", "AddV2", ["s:0", "s:1"], T=3)
    with pytest.raises(UnsupportedError, match=r"node 'both'.*two different branches"):
        tf.import_graph_def(gd)


def test_exit_outside_a_frame_is_rejected() -> None:
    gd = graph_pb2.GraphDef()
    _const(gd, "x")
    _node(gd, "e", "Exit", ["x"], T=3)
    with pytest.raises(UnsupportedError, match=r"node 'e'.*Exit outside any while frame"):
        tf.import_graph_def(gd)


def test_non_max_suppression_padded_is_tf1_v4() -> None:
    """TF 1.15's ``non_max_suppression_padded`` is one ``NonMaxSuppressionV4`` op (TF 2's is a
    different batched algorithm), so it is checked against TF's V4 recorded in the fixture."""
    data = np.load(GOLDEN / "ssd_postprocess.npz")
    sel, valid = tf.image.non_max_suppression_padded(
        data["in:boxes:0"], data["in:scores:0"], 6, 0.5, 0.1, pad_to_max_output_size=True
    )
    assert sel.op.type == "NonMaxSuppressionV4"
    assert sel.shape.as_list() == [6]
    with tf.Session() as s:
        got, n = s.run([sel, valid])
    np.testing.assert_array_equal(got, data["out:sel4:0"])
    assert n == data["out:valid4:0"]


@pytest.mark.parametrize(
    "name", ["while_counter", "nested_loops", "cond_in_loop", "map_fn", "ssd_batched"]
)
def test_export_writes_the_tf_nodes_back(name: str) -> None:
    """An imported control-flow graph exports as TF's own nodes (no While/If), same inputs."""
    gd = read_graph_def(str(GOLDEN / f"{name}.pb"))
    tf.import_graph_def(gd, name="")
    out = tf.get_default_graph().as_graph_def()
    original = {n.name: (n.op, list(n.input)) for n in gd.node}
    exported = {n.name: (n.op, list(n.input)) for n in out.node}
    assert exported == original
    # and the exported GraphDef imports again and computes TF's values
    with tf.Graph().as_default():
        data = np.load(GOLDEN / f"{name}.npz")
        fetches = CASES[name]["fetches"]
        outs = tf.import_graph_def(out, return_elements=fetches, name="")
        g = tf.get_default_graph()
        with tf.Session() as s:
            values = s.run(outs, _feeds(g, name))
        for key, value in zip(fetches, values, strict=True):
            np.testing.assert_allclose(value, data[f"out:{key}"], rtol=1e-5, atol=1e-5)


def test_tf_runs_the_graphs_scopeflow_writes_back() -> None:
    """Recorded by ``tools/tf_verify_cf_export.py``: TF imports the re-exported graphs."""
    text = (GOLDEN / "tf_cf_export_verification.txt").read_text()
    assert text.count("PASS ") == 7
    assert text.strip().endswith("ALL PASS"), text


def test_node_def_of_the_rebuilt_while() -> None:
    tf.import_graph_def(read_graph_def(str(GOLDEN / "while_counter.pb")), name="")
    nd = tf.get_default_graph().get_operation_by_name("loop/While").node_def
    assert (nd.name, nd.op) == ("loop/While", "While")


def test_untaken_branch_does_not_run() -> None:
    """The false branch asserts; TF skips it (dead tensors) when ``p`` holds, and so does the
    rebuilt ``If``. With ``p`` false the assertion runs and fails, as in TF."""
    _run_case("cond_side_effects")
    (y,) = tf.import_graph_def(
        read_graph_def(str(GOLDEN / "cond_side_effects.pb")), return_elements=["y:0"], name=""
    )
    g = tf.get_default_graph()
    x, p = g.get_tensor_by_name("x:0"), g.get_tensor_by_name("p:0")
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(y, {x: [1.0, 2.0], p: True}), [2.0, 4.0])
        with pytest.raises(tf.errors.InvalidArgumentError, match="untaken branch ran"):
            s.run(y, {x: [1.0, 2.0], p: False})


@pytest.mark.parametrize("ref", [False, True], ids=["plain", "ref-variants"])
def test_ref_variants_import_like_the_plain_ops(ref: bool) -> None:
    gd = _loop_graph()
    if ref:
        for node in gd.node:
            if node.op in ("Enter", "Merge", "Switch", "NextIteration", "Exit"):
                node.op = "Ref" + node.op
    (out,) = tf.import_graph_def(gd, return_elements=["w/Exit:0"])
    assert out.op.type == ("RefExit" if ref else "Exit")
    with tf.Session() as s:
        assert s.run(out) == 5
    exported = {n.name: (n.op, list(n.input)) for n in tf.get_default_graph().as_graph_def().node}
    assert exported == {"import/" + n.name: (n.op, ["import/" + i if i[0] != "^" else
                        "^import/" + i[1:] for i in n.input]) for n in gd.node}  # fmt: skip


def test_meta_graph_with_a_loop_restores_and_runs() -> None:
    """``tf.train.import_meta_graph`` of TF's ``.meta`` (variables, ``while_context``) + restore."""
    meta = GOLDEN / "cf_meta"
    expected = np.load(meta / "expected.npz")
    with tf.Session() as s:
        saver = tf.train.import_meta_graph(str(meta / "model.meta"))
        saver.restore(s, str(meta / "model"))
        got = s.run("out:0", {"x:0": expected["x"]})
    np.testing.assert_allclose(got, expected["out"], rtol=1e-6)


def test_loop_constants_without_control_edges_are_captured() -> None:
    """Graph rewriters may drop the ``^while/Identity`` edges of in-loop constants; the constant
    then lives outside the frame and the While reads it as a captured input."""
    gd = read_graph_def(str(GOLDEN / "while_counter.pb"))
    for node in gd.node:
        if node.op == "Const":
            del node.input[:]
    _run_graph_def_case(gd, "while_counter")


def _run_graph_def_case(gd: Any, name: str) -> None:
    data = np.load(GOLDEN / f"{name}.npz")
    fetches = CASES[name]["fetches"]
    outs = tf.import_graph_def(gd, return_elements=fetches, name="")
    with tf.Session() as s:
        values = s.run(outs, _feeds(tf.get_default_graph(), name))
    for key, value in zip(fetches, values, strict=True):
        np.testing.assert_allclose(value, data[f"out:{key}"], rtol=1e-5, atol=1e-5)


def test_loop_cond_outside_a_frame_is_rejected() -> None:
    gd = graph_pb2.GraphDef()
    p = gd.node.add(name="p", op="Placeholder")
    p.attr["dtype"].type = 10  # bool
    _node(gd, "lc", "LoopCond", ["p"])
    _node(gd, "lc2", "LoopCond", ["p"])
    with pytest.raises(UnsupportedError, match=r"node 'lc2?'.*LoopCond outside any while frame"):
        tf.import_graph_def(gd)


def test_tensor_array_op_with_a_non_handle_input_is_rejected() -> None:
    gd = read_graph_def(str(GOLDEN / "map_fn.pb"))
    write = next(n for n in gd.node if n.op == "TensorArrayWriteV3")
    write.input[0] = write.input[2]  # the value where the handle belongs
    with pytest.raises(TypeError, match=r"Input 'handle' of 'TensorArrayWriteV3' Op has type "
                       r"float32 that does not match expected type of resource"):  # fmt: skip
        tf.import_graph_def(gd)
