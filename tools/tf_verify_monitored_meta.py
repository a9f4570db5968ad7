"""Verify with real TensorFlow that a scopeflow MonitoredTrainingSession's files load in TF.

Run with the TensorFlow virtualenv (TensorFlow is never a scopeflow dependency)::

    .tf-oracle/bin/python tools/tf_verify_monitored_meta.py [--scopeflow-python .venv/bin/python]

scopeflow (a subprocess of the project venv) trains a small graph with
``MonitoredTrainingSession`` (default Scaffold: sharded saver, TF's ready ops); then TF parses
``graph.pbtxt``, ``import_meta_graph``s the latest ``.meta``, runs the ready op before and after
``restore``, runs the training op and saves with the imported saver. Writes PASS/FAIL lines to
``tests/train/golden/tf_verify_monitored_meta.txt`` (committed; a test asserts ALL PASS).
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

REPO = Path(__file__).resolve().parents[1]
RECORD = REPO / "tests" / "train" / "golden" / "tf_verify_monitored_meta.txt"

TRAIN = textwrap.dedent(
    """
    import sys
    import scopeflow.compat.v1 as tf
    step = tf.train.get_or_create_global_step()
    v = tf.get_variable("v", initializer=[1.0, 2.0])
    loc = tf.get_variable("loc", initializer=3, collections=[tf.GraphKeys.LOCAL_VARIABLES])
    train = tf.group(tf.assign_add(v, [0.5, 0.5]), tf.assign_add(step, 1), name="train")
    hooks = [tf.train.StopAtStepHook(last_step=5)]
    with tf.train.MonitoredTrainingSession(checkpoint_dir=sys.argv[1], hooks=hooks) as sess:
        while not sess.should_stop():
            sess.run(train)
    """
)


def check(model_dir: str) -> list[str]:
    import numpy as np
    import tensorflow.compat.v1 as tf
    from google.protobuf import text_format

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    lines = []
    graph_def = text_format.Parse((Path(model_dir) / "graph.pbtxt").read_text(), tf.GraphDef())
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
    lines.append(f"PASS graph.pbtxt imports in TF ({len(graph_def.node)} nodes)")
    latest = tf.train.latest_checkpoint(model_dir)
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(latest + ".meta")
        (ready,) = tf.get_collection("ready_op")
        with tf.Session() as sess:
            before = sorted(x.decode() for x in sess.run(ready))
            saver.restore(sess, latest)
            sess.run(tf.get_collection("local_init_op"))
            after = sess.run(ready).tolist()
            step, v = sess.run(["global_step:0", "v:0"])
            assert before == ["global_step", "loc", "v"], before
            assert after == [], after
            assert step == 5, step
            assert np.array_equal(v, [3.5, 4.5]), v
            sess.run("train")
            path = saver.save(sess, str(Path(model_dir) / "tf"), global_step=6)
            assert tf.train.load_variable(path, "v").tolist() == [4.0, 5.0]
    lines.append(
        f"PASS {Path(latest).name}.meta: TF imports it, the ready op reports {before} then "
        "nothing after restore + local init, restores step 5, trains and saves with the "
        "imported sharded saver"
    )
    return lines


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--scopeflow-python", default=str(REPO / ".venv" / "bin" / "python"))
    args = p.parse_args()
    import tensorflow as tf_root

    lines = [f"TensorFlow {tf_root.__version__}"]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
        subprocess.run(
            [args.scopeflow_python, "-W", "ignore", "-c", TRAIN, tmp], check=True, env=env
        )
        try:
            lines += check(tmp)
        except Exception:
            lines.append("FAIL " + traceback.format_exc().strip().splitlines()[-1])
    ok = all(not line.startswith("FAIL") for line in lines)
    lines.append("RESULT: ALL PASS" if ok else "RESULT: FAILURES")
    RECORD.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
