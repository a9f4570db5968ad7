"""Write an event file with TensorFlow's FileWriter for tests/summary (needs TensorFlow).

    .tf-oracle/bin/python tools/record_tf_event_file.py

Writes ``tests/summary/golden/tf_events/events.out.tfevents.*`` (a graph, a merged summary at
steps 1 and 2 and a SessionLog) and ``tests/summary/golden/tf_events.json`` (what TF's own
``summary_iterator`` reads back from it), which ``tests/summary/test_event_files.py`` compares
with scopeflow's ``tf.train.summary_iterator``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import tensorflow.compat.v1 as tf

tf.disable_eager_execution()
tf.disable_resource_variables()
tf.disable_v2_behavior()

OUT = Path(__file__).resolve().parent.parent / "tests" / "summary" / "golden"


def main() -> None:
    logdir = OUT / "tf_events"
    shutil.rmtree(logdir, ignore_errors=True)
    x = tf.placeholder(tf.float32, [None], name="x")
    tf.summary.scalar("mean", tf.reduce_mean(x))
    tf.summary.histogram("x", x)
    merged = tf.summary.merge_all()
    with tf.Session() as sess, tf.summary.FileWriter(str(logdir), sess.graph) as writer:
        for step, vals in ((1, [1.0, 2.0, 3.0]), (2, [-1.0, 0.5])):
            writer.add_summary(sess.run(merged, {x: vals}), global_step=step)
        writer.add_session_log(tf.SessionLog(status=tf.SessionLog.STOP), global_step=3)
    (path,) = logdir.iterdir()
    events = []
    for e in tf.train.summary_iterator(str(path)):
        kind = e.WhichOneof("what")
        item = {"kind": kind, "step": e.step}
        if kind == "summary":
            item["summary"] = e.summary.SerializeToString().hex()
        elif kind == "graph_def":
            g = tf.GraphDef.FromString(e.graph_def)
            item["nodes"] = [n.name for n in g.node]
        elif kind == "session_log":
            item["status"] = e.session_log.status
        elif kind == "file_version":
            item["file_version"] = e.file_version
        events.append(item)
    (OUT / "tf_events.json").write_text(json.dumps(events, indent=1) + "\n")
    print(path.name, len(events))


if __name__ == "__main__":
    main()
