"""Record a TensorFlow-written checkpoint of a tf.layers model for ``tests/layers``.

Regenerate (needs TensorFlow with tf-keras, installed separately; never a scopeflow dependency)::

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_layers_golden.py

Builds the DCGAN-shaped model of ``tests/layers/tf_layers_model.py`` in TF 1.x mode, runs two
training-mode steps of its batch-norm updates so the moving statistics are not their initial
values, saves a checkpoint to ``tests/layers/golden/gan/model.ckpt`` and writes
``tests/layers/golden/gan_outputs.npz`` with the variable values (by name) and the model's
inference and training outputs for a fixed input.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "layers" / "golden"


def main() -> None:
    sys.path.insert(0, str(ROOT / "tests" / "layers"))
    import tensorflow.compat.v1 as tf
    import tf_layers_model as model

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    tf.set_random_seed(2024)
    graph = model.build(tf)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(2):
            sess.run(graph["updates"], {graph["z"]: model.z_value(step)})
        (OUT / "gan").mkdir(parents=True, exist_ok=True)
        tf.train.Saver().save(sess, str(OUT / "gan" / "model.ckpt"), write_meta_graph=False)
        feed = {graph["z"]: model.z_value(7)}
        values = {v.op.name: sess.run(v) for v in tf.global_variables()}
        infer = sess.run(graph["d_fake"], {**feed, graph["training"]: False})
        train = sess.run(graph["d_fake"], feed)
    np.savez(OUT / "gan_outputs.npz", infer=infer, train=train,
             **{"var:" + k: v for k, v in values.items()})  # fmt: skip
    print(f"wrote {OUT / 'gan'} and gan_outputs.npz ({len(values)} variables)")


if __name__ == "__main__":
    main()
