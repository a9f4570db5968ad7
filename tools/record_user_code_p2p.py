"""Record TensorFlow's results for pix2pix trained by its own entry point (``tests/acceptance``).

Runs ``tests/acceptance/user_code_p2p.py``'s ``run_pix2pix`` on affinelayer/pix2pix-tensorflow
(from a directory of ``<owner>+<repo>/`` checkouts) under TensorFlow 2's ``tf.compat.v1`` in
graph mode, and writes ``tests/acceptance/golden/user_code_p2p/pix2pix.json`` / ``.npz``.

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_user_code_p2p.py DIR

TF 1.15 facts TF 2.21 lacks, restored on the oracle side only (the same shims as
``tools/record_user_code_gan.py``): ``conv2d_transpose``'s static shape is ``output_shape``'s
value, and ``fused_batch_norm`` raises ``epsilon`` to at least 1.001e-5 (pix2pix's ``batchnorm``
asks for 1e-5).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "acceptance" / "golden" / "user_code_p2p"


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "acceptance"))
    sys.path.insert(0, str(ROOT / "tools"))
    import real_code
    import record_acceptance
    import record_user_code_gan
    import tensorflow.compat.v1 as tf
    import user_code_p2p

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    record_acceptance._tf115_conv2d_transpose(tf)
    record_user_code_gan._tf115_fused_batch_norm_epsilon(tf)
    loader = real_code.Loader(Path(argv[0]), real_code.tensorflow_resolver(tf))
    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        info, arrays = user_code_p2p.run_pix2pix(tf, loader, Path(tmp))
    (GOLDEN / "pix2pix.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
    np.savez_compressed(GOLDEN / "pix2pix.npz", **arrays)
    print("pix2pix", len(info["global_variables"]), "variables,", len(arrays), "arrays")
    for key in sorted(arrays):
        if key.startswith("printed/"):
            print(key, arrays[key].tolist())


if __name__ == "__main__":
    main(sys.argv[1:])
