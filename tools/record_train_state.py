"""Record training-state checkpoints exchanged between TensorFlow and scopeflow.

Run (needs TensorFlow, installed separately; never a scopeflow dependency)::

    .tf-oracle/bin/python tools/record_train_state.py --scopeflow-python .venv/bin/python

1. TF trains ``tests/train/train_state_model.py`` (Adam + EMA + global step) for
   ``STEPS_BEFORE`` steps and saves ``tf_ckpt``; then trains ``STEPS_AFTER`` more steps and
   writes every variable's value to ``tf_after.npz``.
2. scopeflow (a subprocess with ``--scopeflow-python``) trains the same model the same number
   of steps and saves ``sf_ckpt``; TF restores ``sf_ckpt`` into a fresh graph, trains
   ``STEPS_AFTER`` steps and writes ``tf_after_sf_ckpt.npz``.

``tests/train/test_train_state_checkpoints.py`` restores ``tf_ckpt`` in scopeflow and checks the
next steps against ``tf_after.npz``, and checks that scopeflow writes ``sf_ckpt``'s tensors.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "train" / "golden" / "train_state"


def _tf():
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    return tf


def _model():
    sys.path.insert(0, str(ROOT / "tests" / "train"))
    import train_state_model

    return train_state_model


def scopeflow_save() -> None:
    """Runs under scopeflow: train and save ``sf_ckpt``."""
    import scopeflow.compat.v1 as tf

    m = _model()
    train = m.build(tf)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(m.STEPS_BEFORE):
            sess.run(train)
        saver.save(sess, str(OUT / "sf_ckpt"), write_meta_graph=False, write_state=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scopeflow-python", default=None)
    parser.add_argument("--scopeflow-save", action="store_true")
    args = parser.parse_args()
    if args.scopeflow_save:
        scopeflow_save()
        return
    import numpy as np

    tf = _tf()
    m = _model()
    OUT.mkdir(parents=True, exist_ok=True)
    train = m.build(tf)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(m.STEPS_BEFORE):
            sess.run(train)
        saver.save(sess, str(OUT / "tf_ckpt"), write_meta_graph=False, write_state=False)
        for _ in range(m.STEPS_AFTER):
            sess.run(train)
        np.savez(OUT / "tf_after.npz", **m.values(tf, sess))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    subprocess.run(
        [args.scopeflow_python or sys.executable, __file__, "--scopeflow-save"],
        check=True,
        env=env,
    )
    tf.reset_default_graph()
    train = m.build(tf)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        saver.restore(sess, str(OUT / "sf_ckpt"))
        for _ in range(m.STEPS_AFTER):
            sess.run(train)
        np.savez(OUT / "tf_after_sf_ckpt.npz", **m.values(tf, sess))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
