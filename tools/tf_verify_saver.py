# ruff: noqa: PTH118, PTH120 (TF takes string prefixes)
"""Verify scopeflow's ``tf.train.Saver`` against real TensorFlow, in both directions.

Run with the TensorFlow virtualenv (TensorFlow is never a scopeflow dependency)::

    .tf-oracle/bin/python tools/tf_verify_saver.py [--scopeflow-python .venv/bin/python]
        [--scopeflow-src DIR]   # e.g. a clean `git archive HEAD` export's src/

scopeflow runs in a subprocess of the project venv; TF runs here. The same TF1 graph source
(the classic image filter, a 3-way partitioned embedding, int64/float16/float64/string/bool
variables, the global step) is built on both sides. Cases:

1. scopeflow ``Saver.save`` (plain and ``sharded=True`` over 3 devices) → TF builds the graph,
   ``tf.train.Saver().restore``, and compares every variable bit for bit with the values
   scopeflow saved, plus the image-filter forward pass with scopeflow's outputs.
2. TF ``Saver.save`` → scopeflow builds the graph, ``Saver().restore``, runs the forward pass
   and dumps every variable; compared here bit for bit / to 1e-5 relative.
3. The shared ``image_filter`` fixture → scopeflow restores it and reproduces
   ``expected_io.npz``.

Writes one PASS/FAIL line per case to ``tests/train/golden/tf_verify_saver.txt`` (committed; a
test asserts it says ALL PASS).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import traceback
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "tf1_checkpoints" / "image_filter"
OUTPUT = REPO / "tests" / "train" / "golden" / "tf_verify_saver.txt"

GRAPH = textwrap.dedent(
    """
    import numpy as np

    def build(tf, devices=False):
        def dev(i):
            return tf.device("/cpu:%d" % i) if devices else tf.device(None)

        def conv_relu(inp, kernel_shape, bias_shape):
            w = tf.get_variable("weights", kernel_shape,
                                initializer=tf.random_normal_initializer())
            b = tf.get_variable("biases", bias_shape, initializer=tf.constant_initializer(0.0))
            conv = tf.nn.conv2d(inp, w, strides=[1, 1, 1, 1], padding="SAME")
            return tf.nn.relu(conv + b)

        image1 = tf.placeholder(tf.float32, [1, 8, 8, 32], name="image1")
        with dev(0), tf.variable_scope("image_filters"):
            with tf.variable_scope("conv1"):
                r = conv_relu(image1, [5, 5, 32, 32], [32])
            with tf.variable_scope("conv2"):
                result = conv_relu(r, [5, 5, 32, 32], [32])
        with dev(1), tf.variable_scope("extra"):
            tf.get_variable("emb", [10, 4], partitioner=tf.fixed_size_partitioner(3),
                            initializer=tf.zeros_initializer())
            tf.get_variable("count", [], dtype=tf.int64, initializer=tf.zeros_initializer())
            tf.get_variable("half", [3], dtype=tf.float16, initializer=tf.zeros_initializer())
        with dev(2), tf.variable_scope("more"):
            tf.get_variable("dbl", [2, 2], dtype=tf.float64, initializer=tf.zeros_initializer())
            tf.get_variable("flags", [3], dtype=tf.bool, initializer=tf.zeros_initializer())
            tf.get_variable("names", initializer=tf.constant([b"a", b"\\x00b"]))
        tf.train.get_or_create_global_step()
        return image1, result

    def randomize(tf, sess, seed):
        rng = np.random.RandomState(seed)
        ops = []
        for v in tf.global_variables():
            dt = v.dtype.base_dtype
            shape = v.get_shape().as_list()
            if dt == tf.string:
                val = np.array([b"s%d" % i for i in range(int(np.prod(shape)))], object)
            elif dt == tf.bool:
                val = rng.rand(*shape) > 0.5
            else:
                val = (rng.standard_normal(shape) * 3).astype(dt.as_numpy_dtype)
            ops.append(tf.assign(v, val))
        sess.run(ops)

    def dump(tf, sess):
        return {v.op.name: sess.run(v) for v in tf.global_variables()}
    """
)

SCOPEFLOW_SCRIPT = GRAPH + textwrap.dedent(
    """
    import sys, warnings
    import scopeflow.compat.v1 as tf
    mode, prefix, out = sys.argv[1], sys.argv[2], sys.argv[3]
    image1, result = build(tf, devices=(mode == "save_sharded"))
    saver = tf.train.Saver(sharded=(mode == "save_sharded"))
    img = np.random.RandomState(7).standard_normal([1, 8, 8, 32]).astype(np.float32)
    with tf.Session() as sess:
        if mode.startswith("save"):
            sess.run(tf.global_variables_initializer())
            randomize(tf, sess, 11)
            path = saver.save(sess, prefix, global_step=5, write_meta_graph=False)
            assert path == prefix + "-5", path
        else:
            saver.restore(sess, prefix)
        values = dump(tf, sess)
        values["__result__"] = sess.run(result, {image1: img})
    np.savez(out, **{k.replace("/", "|"): (v if v.dtype != object else v.astype("S"))
                     for k, v in values.items()})
    """
)


SUBPROCESS_ENV = dict(os.environ)


def run_scopeflow(python: str, mode: str, prefix: str, out: str) -> dict[str, np.ndarray]:
    proc = subprocess.run(
        [python, "-c", SCOPEFLOW_SCRIPT, mode, prefix, out],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        env=SUBPROCESS_ENV,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"scopeflow subprocess failed:\n{proc.stderr[-3000:]}")
    with np.load(out) as npz:
        return {k.replace("|", "/"): npz[k] for k in npz.files}


def same(a: np.ndarray, b: np.ndarray) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind in "OS" or b.dtype.kind in "OS":
        return [bytes(x) for x in a.reshape(-1)] == [bytes(x) for x in b.reshape(-1)]
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def tf_namespace():
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    return tf


def case_scopeflow_to_tf(python: str, tmp: str, sharded: bool) -> str:
    tf = tf_namespace()
    env: dict = {}
    exec(GRAPH, env)
    prefix = os.path.join(tmp, "sf_sharded" if sharded else "sf_plain", "model.ckpt")
    Path(prefix).parent.mkdir()
    want = run_scopeflow(python, "save_sharded" if sharded else "save", prefix, prefix + ".npz")
    data_files = sorted(p.name for p in Path(prefix).parent.glob("model.ckpt-5.data-*"))
    expected_files = 4 if sharded else 1  # 3 pinned devices + the unpinned global step
    if len(data_files) != expected_files:
        return f"expected {expected_files} data files, got {data_files}"
    with tf.Graph().as_default():
        image1, result = env["build"](tf)
        saver = tf.train.Saver()
        img = np.random.RandomState(7).standard_normal([1, 8, 8, 32]).astype(np.float32)
        with tf.Session() as sess:
            saver.restore(sess, tf.train.latest_checkpoint(os.path.dirname(prefix)))
            got = env["dump"](tf, sess)
            out = sess.run(result, {image1: img})
    bad = [k for k in got if not same(got[k], want[k])]
    if bad:
        return f"values differ: {bad}"
    if set(got) != set(want) - {"__result__"}:
        return f"variable sets differ: {sorted(set(got) ^ (set(want) - {'__result__'}))}"
    if not np.allclose(out, want["__result__"], rtol=1e-5, atol=1e-3):
        return f"forward pass differs: max {np.abs(out - want['__result__']).max()}"
    return f"PASS ({len(got)} variables bit-exact, {len(data_files)} data file(s), forward ok)"


def case_tf_to_scopeflow(python: str, tmp: str) -> str:
    tf = tf_namespace()
    env: dict = {}
    exec(GRAPH, env)
    prefix = os.path.join(tmp, "tf_written", "model.ckpt")
    with tf.Graph().as_default():
        image1, result = env["build"](tf)
        saver = tf.train.Saver()
        img = np.random.RandomState(7).standard_normal([1, 8, 8, 32]).astype(np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            env["randomize"](tf, sess, 23)
            saved = saver.save(sess, prefix, global_step=9)
            want = env["dump"](tf, sess)
            want_out = sess.run(result, {image1: img})
    got = run_scopeflow(python, "restore", saved, prefix + ".npz")
    bad = [k for k in want if not same(want[k], got[k])]
    if bad:
        return f"values differ: {bad}"
    if not np.allclose(got["__result__"], want_out, rtol=1e-5, atol=1e-3):
        return f"forward pass differs: max {np.abs(got['__result__'] - want_out).max()}"
    return f"PASS ({len(want)} variables bit-exact, forward ok)"


FIXTURE_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import scopeflow.compat.v1 as tf
    fixture = sys.argv[1]
    def conv_relu(inp, kernel_shape, bias_shape):
        w = tf.get_variable("weights", kernel_shape, initializer=tf.random_normal_initializer())
        b = tf.get_variable("biases", bias_shape, initializer=tf.constant_initializer(0.0))
        return tf.nn.relu(tf.nn.conv2d(inp, w, strides=[1, 1, 1, 1], padding="SAME") + b)
    def my_image_filter(x):
        with tf.variable_scope("conv1"):
            r = conv_relu(x, [5, 5, 32, 32], [32])
        with tf.variable_scope("conv2"):
            return conv_relu(r, [5, 5, 32, 32], [32])
    image1 = tf.placeholder(tf.float32, [1, 8, 8, 32], name="image1")
    image2 = tf.placeholder(tf.float32, [1, 8, 8, 32], name="image2")
    with tf.variable_scope("image_filters") as scope:
        r1 = my_image_filter(image1)
        scope.reuse_variables()
        r2 = my_image_filter(image2)
    io = np.load(fixture + "/expected_io.npz")
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, tf.train.latest_checkpoint(fixture))
        o1, o2 = sess.run([r1, r2], {image1: io["image1"], image2: io["image2"]})
    print(max(float(np.abs(o1 - io["result1"]).max()), float(np.abs(o2 - io["result2"]).max())))
    """
)


def case_fixture(python: str) -> str:
    proc = subprocess.run(
        [python, "-c", FIXTURE_SCRIPT, str(FIXTURE)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        env=SUBPROCESS_ENV,
    )
    if proc.returncode != 0:
        return f"scopeflow failed: {proc.stderr[-2000:]}"
    worst = float(proc.stdout.strip().splitlines()[-1])
    if worst > 2e-3:
        return f"forward pass differs from expected_io.npz: max |diff| {worst}"
    return f"PASS (forward pass vs expected_io.npz: max |diff| {worst:.3g})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scopeflow-python", default=str(REPO / ".venv" / "bin" / "python"))
    parser.add_argument("--scopeflow-src", help="import scopeflow from this src/ directory")
    args = parser.parse_args()
    if args.scopeflow_src:
        SUBPROCESS_ENV["PYTHONPATH"] = args.scopeflow_src
    import tensorflow as tf_root

    python = args.scopeflow_python
    # No paths in the record: it is committed, and machine paths mean nothing elsewhere.
    source = "an exported src/ tree" if args.scopeflow_src else "the project virtualenv"
    lines = [f"TensorFlow {tf_root.__version__}; scopeflow run in a subprocess from {source}"]
    cases = {
        "scopeflow Saver -> TF restore (plain)": lambda tmp: case_scopeflow_to_tf(
            python, tmp, False
        ),
        "scopeflow Saver(sharded=True) -> TF restore": lambda tmp: case_scopeflow_to_tf(
            python, tmp, True
        ),
        "TF Saver -> scopeflow restore": lambda tmp: case_tf_to_scopeflow(python, tmp),
        "fixture image_filter -> scopeflow restore + forward": lambda tmp: case_fixture(python),
    }
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for name, fn in cases.items():
            try:
                result = fn(tmp)
            except Exception:
                result = "error: " + traceback.format_exc().strip().splitlines()[-1]
            passed = result.startswith("PASS")
            ok = ok and passed
            detail = result[4:].strip() if passed else result
            lines.append(f"{'PASS' if passed else 'FAIL'} {name}: {detail}")
    lines.append("RESULT: ALL PASS" if ok else "RESULT: FAIL")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
