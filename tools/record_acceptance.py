"""Record TensorFlow's results for the real-code acceptance scenarios (``tests/acceptance``).

Runs each scenario of ``tests/acceptance/scenarios.py`` on the real source files (the layout in
``tests/acceptance/real_code.py``) under TensorFlow 2's ``tf.compat.v1`` in graph mode with
tf-slim as ``tf.contrib``, and writes ``tests/acceptance/golden/<scenario>.json`` and ``.npz``.

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_acceptance.py REAL_CODE_DIR [NAME ...]

One TF 1.15 fact TF 2.21 lacks is restored here: ``tf.nn.conv2d_transpose``'s static shape is
the value of ``output_shape`` alone (TF 1.15's ``Conv2DBackpropInput`` shape function,
``MakeShapeFromShapeTensor``; tensorflow/tensorflow issue 8972 shows it), where TF 2.x takes the
batch dimension from the input. DCGAN's ``deconv2d`` reshapes to that static shape and fails on
TF 2.21 without it.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "acceptance" / "golden"


def _tf115_conv2d_transpose(tf: Any) -> None:
    from tensorflow.python.framework import tensor_util

    original = tf.nn.conv2d_transpose

    def conv2d_transpose(*args: Any, **kwargs: Any) -> Any:
        out = original(*args, **kwargs)
        shape = kwargs["output_shape"] if "output_shape" in kwargs else args[2]
        static = tensor_util.constant_value_as_shape(tf.convert_to_tensor(shape, tf.int32))
        out.set_shape(static)
        return out

    tf.nn.conv2d_transpose = conv2d_transpose


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "acceptance"))
    sys.path.insert(0, str(ROOT / "tools"))
    import real_code
    import scenarios
    import tensorflow.compat.v1 as tf
    import tf_contrib_shim

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    tf_contrib_shim.install(tf)
    _tf115_conv2d_transpose(tf)
    root = Path(argv[0])
    names = [n for n in argv[1:] if n in scenarios.SCENARIOS] or (
        [] if argv[1:] else list(scenarios.SCENARIOS)
    )
    loader = real_code.Loader(root, real_code.tensorflow_resolver(tf))
    mods: dict[str, object] = {}
    for package in real_code.PACKAGES:
        loader.load_package(package)
    mods.update(loader.modules)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name in names:
        _, fn = scenarios.SCENARIOS[name]
        with tf.Graph().as_default(), tempfile.TemporaryDirectory() as tmp:
            tf.set_random_seed(0)
            info, arrays = fn(tf, mods, Path(tmp))
        (GOLDEN / f"{name}.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
        if arrays:
            np.savez_compressed(GOLDEN / f"{name}.npz", **arrays)
        print(name, len(info.get("global_variables", info)), "variables,", len(arrays), "arrays")
    if not argv[1:] or "bert_checkpoint" in argv[1:]:
        # A TF-written checkpoint of real BERT code one step into training, and TF's next step.
        ckpt = GOLDEN / "bert_checkpoint"
        ckpt.mkdir(exist_ok=True)
        with tf.Graph().as_default():
            tf.set_random_seed(0)
            arrays = scenarios.bert_write_checkpoint(tf, mods, ckpt / "model.ckpt")
        (ckpt / "checkpoint").unlink()  # the state file holds an absolute path
        np.savez_compressed(GOLDEN / "bert_checkpoint.npz", **arrays)
        print("bert_checkpoint", len(arrays), "arrays")


if __name__ == "__main__":
    main(sys.argv[1:])
