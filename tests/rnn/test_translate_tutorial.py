"""The TensorFlow translate tutorial's ``Seq2SeqModel`` (``tensorflow/models``,
``tutorials/rnn/translate/seq2seq_model.py``: ``legacy_seq2seq.embedding_attention_seq2seq`` +
``model_with_buckets``), run unchanged with ``tensorflow`` served by scopeflow.

Set ``SCOPEFLOW_TF_TRANSLATE_DIR`` to that directory (with ``data_utils.py``) to run it; the
always-running equivalent is the recorded ``model_with_buckets_attention`` scenario of
``test_legacy_seq2seq_recorded.py``. ``six`` is served by a stub when not installed (the
tutorial imports ``six.moves.xrange``/``urllib``). The model runs with ``num_samples=0``
(full softmax) and one bucket: with several buckets the tutorial deep-copies a built cell,
which fails in TF >= 1.1 as here.
"""

from __future__ import annotations

import os
import random
import sys
import types
import urllib
from pathlib import Path

import numpy as np
import pytest

from scopeflow.run import tensorflow_import_hook

DIR = os.environ.get("SCOPEFLOW_TF_TRANSLATE_DIR", "")


@pytest.fixture
def tutorial_modules(monkeypatch):
    path = Path(DIR)
    if not DIR or not (path / "seq2seq_model.py").is_file():
        pytest.skip("set SCOPEFLOW_TF_TRANSLATE_DIR to tensorflow/models' tutorials/rnn/translate")
    monkeypatch.syspath_prepend(str(path))
    try:
        import six  # noqa: F401
    except ImportError:
        moves = types.ModuleType("six.moves")
        moves.xrange = range  # type: ignore[attr-defined]
        moves.urllib = urllib  # type: ignore[attr-defined]
        six_stub = types.ModuleType("six")
        six_stub.moves = moves  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "six", six_stub)
        monkeypatch.setitem(sys.modules, "six.moves", moves)
    with tensorflow_import_hook():
        for name in ("seq2seq_model", "data_utils"):
            sys.modules.pop(name, None)
        import seq2seq_model  # type: ignore[import-not-found]
        import tensorflow as tf  # type: ignore[import-not-found]

        yield seq2seq_model, tf
        for name in ("seq2seq_model", "data_utils"):
            sys.modules.pop(name, None)


def test_translate_tutorial_model_trains_and_decodes(tutorial_modules):
    seq2seq_model, tf = tutorial_modules
    random.seed(0)
    rng = np.random.RandomState(0)
    data = [[(list(rng.randint(4, 12, 2)), list(rng.randint(4, 12, 2))) for _ in range(20)]]
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        model = seq2seq_model.Seq2SeqModel(12, 12, [(3, 4)], 8, 2, 5.0, 4, 0.5, 0.99,
                                           num_samples=0)  # fmt: skip
        names = [v.op.name for v in tf.trainable_variables()]
        assert names[0] == "embedding_attention_seq2seq/rnn/embedding_wrapper/embedding"
        assert ("embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/"
                "AttnW_0") in names  # fmt: skip
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(30):
                enc, dec, weights = model.get_batch(data, 0)
                norm, loss, _ = model.step(sess, enc, dec, weights, 0, False)
                losses.append(loss)
            assert np.isfinite(norm)
            assert np.mean(losses[-5:]) < np.mean(losses[:5])
    with tf.Graph().as_default():
        model = seq2seq_model.Seq2SeqModel(12, 12, [(3, 4)], 8, 2, 5.0, 1, 0.5, 0.99,
                                           num_samples=0, forward_only=True)  # fmt: skip
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            enc, dec, weights = model.get_batch(data, 0)
            _, loss, logits = model.step(sess, enc, dec, weights, 0, True)
    assert len(logits) == 4
    assert logits[0].shape == (1, 12)
