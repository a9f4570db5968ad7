"""``tf.contrib.legacy_seq2seq`` against TF's numbers (TF 2.21 has no legacy_seq2seq).

The reference is ``tools/record_legacy_seq2seq.py``: TF 1.15's ``seq2seq.py`` rewritten with
TF's own ops and ``tf.compat.v1.nn`` cells, run under TensorFlow on the scenarios of
``legacy_seq2seq_scenarios.py`` (attention decoders with several heads, initial-state
attention, loop functions, output projections, ``feed_previous`` as a bool and as a tensor,
bucketed models, tied and one-to-many models). Compared: variable names and shapes in creation
order, outputs, final states, losses and every variable's gradient.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.contrib import legacy_seq2seq

HERE = Path(__file__).parent
NAMES = json.loads((HERE / "golden" / "legacy_seq2seq.json").read_text())
ARRAYS = np.load(HERE / "golden" / "legacy_seq2seq.npz")


def _scenarios():
    spec = importlib.util.spec_from_file_location(
        "legacy_seq2seq_scenarios", HERE / "legacy_seq2seq_scenarios.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


SCEN = _scenarios()


@pytest.mark.parametrize("scenario", SCEN.SCENARIOS, ids=lambda f: f.__name__)
def test_matches_tensorflow(scenario):
    names, arrays = SCEN.run(tf, legacy_seq2seq, scenario)
    assert [[n, s] for n, s in names] == NAMES[scenario.__name__]
    prefix = scenario.__name__ + "/"
    expected = {k[len(prefix) :]: ARRAYS[k] for k in ARRAYS.files if k.startswith(prefix)}
    assert sorted(arrays) == sorted(expected)
    for key, want in expected.items():
        np.testing.assert_allclose(arrays[key], want, rtol=2e-5, atol=2e-6, err_msg=key)


def test_attention_decoder_errors():
    att = tf.zeros([2, 3, 4])
    cell = tf.nn.rnn_cell.GRUCell(2)
    h = cell.zero_state(2, tf.float32)
    with pytest.raises(ValueError, match="Must provide at least 1 input"):
        legacy_seq2seq.attention_decoder([], h, att, cell)
    with pytest.raises(ValueError, match="With less than 1 heads"):
        legacy_seq2seq.attention_decoder([tf.zeros([2, 3])], h, att, cell, num_heads=0)
    with pytest.raises(ValueError, match=r"Shape\[2\] of attention_states must be known"):
        legacy_seq2seq.attention_decoder(
            [tf.zeros([2, 3])], h, tf.placeholder(tf.float32, [2, 3, None]), cell
        )
    with pytest.raises(ValueError, match="must be at least that of last bucket"):
        legacy_seq2seq.model_with_buckets([], [], [], [], [(1, 1)], None)
