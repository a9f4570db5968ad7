"""Record TF-written checkpoints of small slim nets and TF's outputs for them.

Regenerate (needs TensorFlow and tf-slim, installed separately; never scopeflow dependencies)::

    TF_CPP_MIN_LOG_LEVEL=3 /work/tfenv/bin/python tools/record_slim_nets_checkpoints.py

For each model of ``MODELS`` (built by ``tests/contrib/slim_net_models.py``, the same code
scopeflow's test runs) this builds the net under TF 1.15's contrib code (tf_slim, installed as
``tf.contrib`` by ``tools/tf_contrib_shim.py``), sets every variable (moving statistics included)
to seeded random values, writes a V2 checkpoint to ``tests/contrib/golden/<model>/model.ckpt``
and saves the input and TF's outputs (inference, training mode, moving statistics after one
update step) to ``tests/contrib/golden/<model>/outputs.npz``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests" / "contrib"))


def main() -> None:
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    import slim_net_models
    import tf_contrib_shim

    tf_contrib_shim.install(tf)
    for name in slim_net_models.MODELS:
        out_dir = ROOT / "tests" / "contrib" / "golden" / name
        shutil.rmtree(out_dir, ignore_errors=True)
        out_dir.mkdir(parents=True)
        tf.reset_default_graph()
        graph = slim_net_models.build(tf, name)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            rng = np.random.RandomState(0)
            for v in tf.global_variables():
                shape = v.shape.as_list()
                if "moving_variance" in v.op.name:
                    value = rng.uniform(0.5, 1.5, shape)
                else:
                    value = rng.normal(0.0, 0.3, shape)
                v.load(value.astype(np.float32), sess)
            tf.train.Saver(write_version=tf.train.SaverDef.V2).save(
                sess, str(out_dir / "model.ckpt"), write_meta_graph=False
            )
            outputs = slim_net_models.run(sess, graph)
        np.savez_compressed(out_dir / "outputs.npz", **outputs)
        size = sum(p.stat().st_size for p in out_dir.iterdir())
        print(f"{out_dir.relative_to(ROOT)}: {size} bytes, {len(outputs)} arrays")


if __name__ == "__main__":
    main()
