"""Record TensorFlow's results for the "big" group of users' codebases (``tests/acceptance``).

Runs each scenario of ``tests/acceptance/user_code_big.py`` on the repos' own source files (a
directory of ``<owner>+<repo>/`` checkouts, layout in that module) under TensorFlow 2's
``tf.compat.v1`` in graph mode with tf-slim as ``tf.contrib`` (``tools/tf_contrib_shim.py``) and
writes ``tests/acceptance/golden/user_code_big/<scenario>.json`` and ``.npz``.

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_user_code_big.py DIR [NAME ...]

oneDNN's graph rewrites are switched off (``TF_ENABLE_ONEDNN_OPTS=0``) before TensorFlow is
imported: TF 2.21's x86 build fuses baselines' hand-written layer norm (``tf.nn.moments``,
``(x - u) / sqrt(s + e)``) into a oneDNN layer-norm kernel whose result for a zero-variance row
differs from the unfused ops (4e-2 on ``cnn_lnlstm``'s masked LSTM state), and whose answer
changes with what else is fetched. TF 1.15 ran the ops as written.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "acceptance" / "golden" / "user_code_big"


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "acceptance"))
    sys.path.insert(0, str(ROOT / "tools"))
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
    import tensorflow.compat.v1 as tf
    import tf_contrib_shim
    import user_code_big

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    tf_contrib_shim.install(tf)
    user_code_big.install_tf_oracle_extras(tf)
    root = Path(argv[0])
    names = argv[1:] or list(user_code_big.SCENARIOS)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    loaders: dict[str, user_code_big.Loader] = {}
    for name in names:
        repo, fn = user_code_big.SCENARIOS[name]
        if repo not in loaders:
            loaders[repo] = user_code_big.Loader(root, user_code_big.tensorflow_resolver(tf))
            loaders[repo].load_repo(repo)
        with tf.Graph().as_default():
            tf.set_random_seed(0)
            info, arrays = fn(tf, loaders[repo].modules)
        (GOLDEN / f"{name}.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
        np.savez_compressed(GOLDEN / f"{name}.npz", **arrays)
        print(name, len(info["global_variables"]), "variables,", len(arrays), "arrays")


if __name__ == "__main__":
    main(sys.argv[1:])
