"""Record TensorFlow's results for the "s2s" user codebases (``user_code_s2s.py``).

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_user_code_s2s.py DIR [NAME ...]

Runs each scenario on the real source files under TensorFlow 2's ``tf.compat.v1`` in graph mode
(tf-slim as ``tf.contrib``) and writes ``tests/acceptance/golden/user_code_s2s/<name>.json|npz``.

With no NAME, also the tensorpack scenarios (``TENSORPACK_SCENARIOS``). One TF 1.15 fact TF 2.21
lacks is restored for them with ``record_user_code_gan``'s shim: ``fused_batch_norm`` raises
``epsilon`` to at least 1.001e-5 (tensorpack's ``BatchNorm`` uses 1e-5 through
``tf.layers.BatchNormalization``'s fused path).

TF 2.21 lacks some TF 1.15 ``tf.contrib`` names google/seq2seq uses; the oracle gets them from
the TF 2.21 / tf-slim code that TF 1.15's contrib re-exported (no math of our own):
- ``tf.contrib.rnn``: TF 1.15 re-exported the core cells (``BasicLSTMCell``, ``LSTMCell``,
  ``GRUCell``, ``BasicRNNCell``, ``MultiRNNCell``, ``DropoutWrapper``, ``LSTMStateTuple``,
  ``RNNCell``), which TF 2.21 has as ``tf.nn.rnn_cell``. Its private ``python.ops.rnn`` module
  (``stack_bidirectional_dynamic_rnn``; only seq2seq's StackBidirectionalRNNEncoder, not run
  here, calls it) is an empty namespace.
- ``tf.contrib.learn.ModeKeys``: TF 1.15's string constants ``train``/``eval``/``infer``.
- ``tf.contrib.lookup``: ``HashTable`` and ``KeyValueTensorInitializer`` are TF 1.15's
  ``lookup_ops`` classes, in TF 2.21 ``tf.lookup.StaticHashTable`` (v1) and
  ``tf.lookup.KeyValueTensorInitializer``.
- ``tf.contrib.layers.optimize_loss``/``OPTIMIZER_CLS_NAMES``: tf-slim's
  ``layers/optimizers.py`` (TF 1.15's ``contrib/layers/python/layers/optimizers.py``).
- ``tf.contrib.framework.get_global_step``/``get_or_create_global_step``: ``tf.train``'s.
- ``tensorflow.contrib.distributions.python.ops.{bernoulli,categorical}``: TF 2.21's
  ``tensorflow.python.ops.distributions`` modules (TF 1.15's contrib re-exported them).
- ``tensorflow.contrib.slim.python.slim.nets.inception_v3``: tf-slim's ``nets.inception_v3``.
- ``control_flow_ops.while_loop``/``ops.IndexedSlices``: TF 2.21 moved them (``tf.while_loop``,
  ``tf.IndexedSlices`` are the same objects).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "acceptance" / "golden" / "user_code_s2s"


def _tf115_contrib(tf: Any) -> None:
    import tf_slim.nets
    from tensorflow.python.ops import control_flow_ops
    from tensorflow.python.ops.distributions import bernoulli, categorical
    from tf_slim.layers import optimizers

    # TF 2.21 moved while_loop out of control_flow_ops (TF 1.15 defined it there; the v1
    # tf.while_loop is that function); seq2seq's vendored dynamic_decode calls it there.
    control_flow_ops.while_loop = tf.while_loop
    # ... and ops.IndexedSlices (tf-slim's optimize_loss checks gradients against it).
    from tensorflow.python.framework import ops

    ops.IndexedSlices = tf.IndexedSlices
    cell = tf.nn.rnn_cell
    tf.contrib.rnn = SimpleNamespace(
        **{
            name: getattr(cell, name)
            for name in (
                "BasicLSTMCell",
                "LSTMCell",
                "GRUCell",
                "BasicRNNCell",
                "MultiRNNCell",
                "DropoutWrapper",
                "LSTMStateTuple",
                "RNNCell",
            )
        },
        python=SimpleNamespace(ops=SimpleNamespace(rnn=SimpleNamespace())),
    )
    tf.contrib.learn = SimpleNamespace(
        ModeKeys=SimpleNamespace(TRAIN="train", EVAL="eval", INFER="infer")
    )
    tf.contrib.lookup = SimpleNamespace(
        HashTable=tf.lookup.StaticHashTable,
        KeyValueTensorInitializer=tf.lookup.KeyValueTensorInitializer,
    )
    tf.contrib.layers.optimize_loss = optimizers.optimize_loss
    tf.contrib.layers.OPTIMIZER_CLS_NAMES = optimizers.OPTIMIZER_CLS_NAMES
    tf.contrib.framework.get_global_step = tf.train.get_global_step
    tf.contrib.framework.get_or_create_global_step = tf.train.get_or_create_global_step
    tf.contrib.distributions = SimpleNamespace(
        python=SimpleNamespace(ops=SimpleNamespace(bernoulli=bernoulli, categorical=categorical))
    )
    tf.contrib.slim.python = SimpleNamespace(
        slim=SimpleNamespace(nets=SimpleNamespace(inception_v3=tf_slim.nets.inception_v3))
    )


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "acceptance"))
    sys.path.insert(0, str(ROOT / "tools"))
    import real_code
    import record_user_code_gan
    import tensorflow.compat.v1 as tf
    import tf_contrib_shim
    import user_code_s2s

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    tf_contrib_shim.install(tf)
    _tf115_contrib(tf)
    record_user_code_gan._tf115_fused_batch_norm_epsilon(tf)
    root = Path(argv[0])
    names = argv[1:] or list(user_code_s2s.SCENARIOS)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name in names:
        repo, fn = user_code_s2s.SCENARIOS[name]
        loader = user_code_s2s.load_repo(root, repo, real_code.tensorflow_resolver(tf))
        with tf.Graph().as_default(), tempfile.TemporaryDirectory() as tmp:
            tf.set_random_seed(0)
            info, arrays = fn(tf, loader, None, Path(tmp))
        (GOLDEN / f"{name}.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
        np.savez_compressed(GOLDEN / f"{name}.npz", **arrays)
        print(name, len(info.get("global_variables", ())), "variables,", len(arrays), "arrays")
    if argv[1:]:
        return
    loader = user_code_s2s.load_tensorpack(root, real_code.tensorflow_resolver(tf))
    for name, fn in user_code_s2s.TENSORPACK_SCENARIOS.items():
        with tf.Graph().as_default(), tempfile.TemporaryDirectory() as tmp:
            tf.set_random_seed(0)
            info, arrays = fn(tf, loader, None, Path(tmp))
        (GOLDEN / f"{name}.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
        np.savez_compressed(GOLDEN / f"{name}.npz", **arrays)
        print(name, len(info.get("global_variables", ())), "variables,", len(arrays), "arrays")


if __name__ == "__main__":
    main(sys.argv[1:])
