"""Record TensorFlow's results for the glow/stylegan user-code scenarios (``tests/acceptance``).

Runs each scenario of ``tests/acceptance/user_code_glow.py`` on the user codebases (a directory of
``<owner>+<repo>/`` checkouts) under TensorFlow 2's ``tf.compat.v1`` in graph mode with tf-slim
as ``tf.contrib``, and writes ``tests/acceptance/golden/user_code_glow/<scenario>.json`` / ``.npz``.

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_user_code_glow.py DIR [NAME ...]

The oracle has no Horovod: glow's ``horovod.tensorflow`` is ``user_code_glow.horovod_one_process``
(rank 0 of 1). glow's ``tfops.py`` imports ``add_arg_scope``/``arg_scope`` from
``tensorflow.contrib.framework.python.ops`` and ``variance_scaling_initializer`` from
``tensorflow.contrib.layers``: tf-slim's functions of those names. stylegan imports ``tensorflow``
as TF 1 did (``sys.modules["tensorflow"]`` is ``tf.compat.v1`` while it runs), and TF 1.15's
``Dimension(True) == 1`` is restored (``_tf115_bool_dimension``).
"""

from __future__ import annotations

import json
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "acceptance" / "golden" / "user_code_glow"


def _tf115_bool_dimension() -> None:
    """TF 1.15's ``Dimension`` stores ``int(value)`` (``True`` is 1); TF 2 keeps the bool and
    fails making a shape proto. stylegan's noise inputs have shape ``[1, use_noise, h, w]``."""
    from tensorflow.python.framework import tensor_shape

    original = tensor_shape.Dimension.__init__

    def init(self: Any, value: Any) -> None:
        original(self, int(value) if isinstance(value, bool) else value)

    tensor_shape.Dimension.__init__ = init


def _write(name: str, info: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    (GOLDEN / f"{name}.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
    if arrays:
        np.savez_compressed(GOLDEN / f"{name}.npz", **arrays)
    print(name, len(info.get("global_variables", info)), "variables,", len(arrays), "arrays")


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "acceptance"))
    sys.path.insert(0, str(ROOT / "tools"))
    import real_code
    import tensorflow.compat.v1 as tf
    import tf_contrib_shim
    import user_code_glow

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    tf_contrib_shim.install(tf)
    import tf_slim

    root = Path(argv[0])
    names = argv[1:] or [*user_code_glow.GLOW_SCENARIOS, *user_code_glow.STYLEGAN_SCENARIOS]
    base = real_code.tensorflow_resolver(tf)

    def resolve(name: str) -> Any:
        if name == "tensorflow.contrib.framework.python.ops":
            return types.SimpleNamespace(
                add_arg_scope=tf_slim.add_arg_scope, arg_scope=tf_slim.arg_scope
            )
        return base(name)

    glow_names = [n for n in names if n in user_code_glow.GLOW_SCENARIOS]
    if glow_names:
        loader = user_code_glow.GlowLoader(root, resolve, user_code_glow.horovod_one_process(tf))
        mods = loader.load_glow()
        for name in glow_names:
            with tf.Graph().as_default(), tempfile.TemporaryDirectory() as tmp:
                tf.set_random_seed(0)
                info, arrays = user_code_glow.GLOW_SCENARIOS[name](tf, mods, Path(tmp))
            _write(name, info, arrays)
    style_names = [n for n in names if n in user_code_glow.STYLEGAN_SCENARIOS]
    if style_names:
        _tf115_bool_dimension()
        sys.modules["tensorflow"] = tf  # stylegan's ``import tensorflow as tf`` is compat.v1
        with user_code_glow.stylegan_modules(root) as mods:
            for name in style_names:
                with tf.Graph().as_default(), tempfile.TemporaryDirectory() as tmp:
                    info, arrays = user_code_glow.STYLEGAN_SCENARIOS[name](tf, mods, Path(tmp))
                _write(name, info, arrays)


if __name__ == "__main__":
    main(sys.argv[1:])
