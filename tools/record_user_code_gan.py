"""Record TensorFlow's results for the GAN/VAE user-code scenarios (``tests/acceptance``).

Runs each scenario of ``tests/acceptance/user_code_gan.py`` on the user codebases (a directory of
``<owner>+<repo>/`` checkouts) under TensorFlow 2's ``tf.compat.v1`` in graph mode with tf-slim
as ``tf.contrib``, and writes ``tests/acceptance/golden/user_code_gan/<scenario>.json`` / ``.npz``.

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_user_code_gan.py DIR [NAME ...]

TF 1.15 facts TF 2.21 lacks, restored on the oracle side only:
- ``tf.nn.conv2d_transpose``'s static shape is the value of ``output_shape`` alone (TF 1.15's
  ``Conv2DBackpropInput`` shape function; the same shim as ``tools/record_acceptance.py``).
- ``tf.nn.fused_batch_norm`` raises ``epsilon`` to at least 1.001e-5 (TF 1.15's
  ``nn_impl.fused_batch_norm``: "a requirement by CUDNN"; TF 2.x dropped the clamp). Every fused
  batch norm of TF 1.15 went through it: ``tf.contrib.layers.batch_norm(fused=None)`` and
  ``tf.layers.batch_normalization``. The collections' ``bn`` uses ``epsilon=1e-5`` and
  pix2pix's ``batchnorm`` too, so without it TF 2.21 normalizes with a different epsilon.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "acceptance" / "golden" / "user_code_gan"


def _tf115_fused_batch_norm_epsilon(tf: Any) -> None:
    from tensorflow.python.ops import nn

    original = nn.fused_batch_norm

    def fused_batch_norm(*args: Any, **kwargs: Any) -> Any:
        if "epsilon" in kwargs:
            kwargs["epsilon"] = max(float(kwargs["epsilon"]), 1.001e-5)
        elif len(args) > 5:
            args = (*args[:5], max(float(args[5]), 1.001e-5), *args[6:])
        else:
            kwargs["epsilon"] = 0.001
        return original(*args, **kwargs)

    nn.fused_batch_norm = fused_batch_norm
    tf.nn.fused_batch_norm = fused_batch_norm


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "acceptance"))
    sys.path.insert(0, str(ROOT / "tools"))
    import real_code
    import record_acceptance
    import tensorflow.compat.v1 as tf
    import tf_contrib_shim
    import user_code_gan

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    tf_contrib_shim.install(tf)
    record_acceptance._tf115_conv2d_transpose(tf)
    _tf115_fused_batch_norm_epsilon(tf)
    root = Path(argv[0])
    names = argv[1:] or list(user_code_gan.SCENARIOS)
    loader = user_code_gan.Loader(root, real_code.tensorflow_resolver(tf))
    repos = {user_code_gan.SCENARIOS[n][0] for n in names}
    for repo in user_code_gan.REPOS:
        if repo in repos:
            loader.load_repo(repo)
    mods = dict(loader.modules, stubs=loader.stubs)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name in names:
        _, fn = user_code_gan.SCENARIOS[name]
        with tf.Graph().as_default(), tempfile.TemporaryDirectory() as tmp:
            tf.set_random_seed(0)
            info, arrays = fn(tf, mods, Path(tmp))
        (GOLDEN / f"{name}.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
        if arrays:
            np.savez_compressed(GOLDEN / f"{name}.npz", **arrays)
        print(name, len(info.get("global_variables", info)), "variables,", len(arrays), "arrays")


if __name__ == "__main__":
    main(sys.argv[1:])
