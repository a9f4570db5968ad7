"""Records TF's values for graphs built with ``control_flow_ops.switch``/``merge``.

Run under the TF oracle: ``TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python
tools/record_switch_merge.py [MODELS_CHECKOUT]``. Writes
``tests/fixtures/switch_merge/pipeline.npz`` (``tests/ops/switch_merge_pipelines.pipeline``)
and, when a ``tensorflow/models`` checkout is given (or ``SCOPEFLOW_TF_MODELS`` names one),
``tests/fixtures/switch_merge/slim_inception.npz`` (``slim_selectors`` on the checkout's
``research/slim/preprocessing/inception_preprocessing.py``, imported unmodified with
``tensorflow`` bound to ``tensorflow.compat.v1`` as TF 1.x code expects), and
``slim_vgg.npz`` (``slim_vgg`` on ``vgg_preprocessing.py``).
``tests/ops/test_switch_merge.py`` compares.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests/fixtures/switch_merge"
SLIM_FILE = "research/slim/preprocessing/inception_preprocessing.py"
VGG_FILE = "research/slim/preprocessing/vgg_preprocessing.py"


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    import tensorflow.compat.v1 as tf
    from tensorflow.python.ops import control_flow_ops

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    sys.path.insert(0, str(ROOT / "tests/ops"))
    import switch_merge_pipelines as p

    OUT.mkdir(parents=True, exist_ok=True)
    with tf.Graph().as_default():
        np.savez_compressed(OUT / "pipeline.npz", **p.run(tf, p.pipeline(tf, control_flow_ops)))
    root = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SCOPEFLOW_TF_MODELS")
    if not root:
        print("no tensorflow/models checkout given: slim_inception.npz not written")
        return
    sys.path.insert(0, str(ROOT / "tools"))
    import tf_contrib_shim

    tf_contrib_shim.install(tf)
    sys.modules["tensorflow"] = tf
    module = _load(Path(root) / SLIM_FILE, "inception_preprocessing")
    with tf.Graph().as_default():
        np.savez_compressed(OUT / "slim_inception.npz", **p.run(tf, p.slim_selectors(tf, module)))
    vgg = _load(Path(root) / VGG_FILE, "vgg_preprocessing")
    with tf.Graph().as_default():
        np.savez_compressed(OUT / "slim_vgg.npz", **p.run(tf, p.slim_vgg(tf, vgg)))


if __name__ == "__main__":
    main()
