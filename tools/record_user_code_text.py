"""Record TensorFlow's results for the "text" user codebases (``user_code_text.py``).

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_user_code_text.py DIR [NAME ...]

Runs each scenario on the real source files under TensorFlow 2's ``tf.compat.v1`` in graph mode
(tf-slim as ``tf.contrib``) and writes ``tests/acceptance/golden/user_code_text/<name>.json|npz``.

TF 2.21 lacks some TF 1.15 pieces the codebases use; the oracle gets our own equivalents of TF
1.15's published code here (``_tf115_contrib``), written from TF 1.15's sources:
- ``tf.contrib.training.HParams`` (``contrib/training/python/training/hparam.py``): keyword
  construction, attribute access, ``override_from_dict``/``set_hparam``/``add_hparam``/``values``.
- ``tf.contrib.rnn``: TF 1.15 re-exported the core cells (``BasicLSTMCell``, ``LSTMCell``,
  ``GRUCell``, ``BasicRNNCell``, ``MultiRNNCell``, ``DropoutWrapper``, ``LSTMStateTuple``), which
  TF 2.21 still has as ``tf.nn.rnn_cell``; ``NASCell`` is not provided (not used here).
- ``tf.contrib.legacy_seq2seq`` (``contrib/legacy_seq2seq/python/ops/seq2seq.py``):
  ``rnn_decoder`` (the ``rnn_decoder`` scope, ``loop_function`` reused from step 1 under
  ``variable_scope.get_variable_scope().reuse_variables()``) and ``sequence_loss_by_example``
  (``sequence_loss_by_example`` scope, per-step sparse softmax cross entropy times the weights,
  summed with ``add_n``, divided by the summed weights + 1e-12 when ``average_across_timesteps``),
  both from ``record_legacy_seq2seq.build_reference``.
- ``tf.contrib.seq2seq.sequence_loss`` (``contrib/seq2seq/python/ops/loss.py``): the
  ``sequence_loss`` scope, flattened sparse softmax cross entropy times the weights, then the
  sums over all, over timesteps or over the batch divided by the summed weights + 1e-12.
- ``tf.contrib.learn``: an empty namespace (cnn-text-classification's train.py imports it at
  the top; only its ``preprocess()``, which the scenario does not run, uses it).
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
GOLDEN = ROOT / "tests" / "acceptance" / "golden" / "user_code_text"


class HParams:
    """TF 1.15's ``tf.contrib.training.HParams``, the parts the codebases use."""

    def __init__(self, hparam_def: Any = None, model_structure: Any = None, **kwargs: Any) -> None:
        self._hparam_types: dict[str, Any] = {}
        for name, value in kwargs.items():
            self.add_hparam(name, value)

    def add_hparam(self, name: str, value: Any) -> None:
        if getattr(self, name, None) is not None:
            msg = f"Hyperparameter name is reserved: {name}"
            raise ValueError(msg)
        self._hparam_types[name] = (type(value), isinstance(value, list))
        setattr(self, name, value)

    def set_hparam(self, name: str, value: Any) -> None:
        kind, is_list = self._hparam_types[name]
        if is_list:
            setattr(self, name, [kind(v) for v in value] if value else value)
        elif value is None or kind is type(None):
            setattr(self, name, value)
        else:
            setattr(self, name, kind(value))

    def override_from_dict(self, values_dict: dict[str, Any]) -> HParams:
        for name, value in values_dict.items():
            self.set_hparam(name, value)
        return self

    def values(self) -> dict[str, Any]:
        return {n: getattr(self, n) for n in self._hparam_types}


def _sequence_loss(
    tf: Any,
    logits: Any,
    targets: Any,
    weights: Any,
    average_across_timesteps: bool = True,
    average_across_batch: bool = True,
    softmax_loss_function: Any = None,
    name: Any = None,
) -> Any:
    if softmax_loss_function is not None:
        msg = "softmax_loss_function is not needed by the recorded codebases"
        raise NotImplementedError(msg)
    with tf.name_scope(name, "sequence_loss", [logits, targets, weights]):
        num_classes = tf.shape(logits)[2]
        logits_flat = tf.reshape(logits, [-1, num_classes])
        targets = tf.reshape(targets, [-1])
        crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=targets, logits=logits_flat
        )
        crossent *= tf.reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            crossent = tf.reduce_sum(crossent)
            total_size = tf.reduce_sum(weights)
            total_size += 1e-12
            crossent /= total_size
        else:
            batch_size = tf.shape(logits)[0]
            sequence_length = tf.shape(logits)[1]
            crossent = tf.reshape(crossent, [batch_size, sequence_length])
        if average_across_timesteps and not average_across_batch:
            crossent = tf.reduce_sum(crossent, axis=[1])
            total_size = tf.reduce_sum(weights, axis=[1])
            total_size += 1e-12
            crossent /= total_size
        if not average_across_timesteps and average_across_batch:
            crossent = tf.reduce_sum(crossent, axis=[0])
            total_size = tf.reduce_sum(weights, axis=[0])
            total_size += 1e-12
            crossent /= total_size
        return crossent


def _tf115_contrib(tf: Any) -> None:
    cell = tf.nn.rnn_cell
    tf.contrib.training = SimpleNamespace(HParams=HParams)
    # cnn-text-classification's train.py imports it; the scenario never calls it.
    tf.contrib.learn = SimpleNamespace()
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
        }
    )
    tf.contrib.seq2seq = SimpleNamespace(sequence_loss=lambda *a, **k: _sequence_loss(tf, *a, **k))
    from record_legacy_seq2seq import build_reference

    reference = build_reference(tf)  # TF 1.15's legacy_seq2seq, shared with its own recorder
    tf.contrib.legacy_seq2seq = SimpleNamespace(
        rnn_decoder=reference.rnn_decoder,
        sequence_loss_by_example=reference.sequence_loss_by_example,
    )


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "acceptance"))
    sys.path.insert(0, str(ROOT / "tools"))
    import real_code
    import tensorflow.compat.v1 as tf
    import tf_contrib_shim
    import user_code_text

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    tf_contrib_shim.install(tf)
    _tf115_contrib(tf)
    root = Path(argv[0])
    names = argv[1:] or list(user_code_text.SCENARIOS)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name in names:
        repo, fn = user_code_text.SCENARIOS[name]
        mods = user_code_text.load_repo(root, repo, real_code.tensorflow_resolver(tf))
        with tf.Graph().as_default(), tempfile.TemporaryDirectory() as tmp:
            tf.set_random_seed(0)
            info, arrays = fn(tf, mods, None, Path(tmp))
        (GOLDEN / f"{name}.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
        np.savez_compressed(GOLDEN / f"{name}.npz", **arrays)
        print(name, len(info.get("global_variables", ())), "variables,", len(arrays), "arrays")


if __name__ == "__main__":
    main(sys.argv[1:])
