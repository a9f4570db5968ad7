"""TF's word2vec_basic.py tutorial (nce_loss, embedding_lookup, SGD) run unmodified on scopeflow.

The script is read at test time from ``$SCOPEFLOW_WORD2VEC_BASIC`` (the path of
``tensorflow/examples/tutorials/word2vec/word2vec_basic.py``, e.g. from a TF 1.15 checkout;
not committed) and run with ``import tensorflow`` going through ``scopeflow run``'s import hook.
``word2vec_harness.py`` says what surrounds the unmodified text: a synthetic text8.zip of
text8's exact size, text8's hash for it, 2001 instead of 100001 steps through ``six.moves.xrange``,
seeded Python/NumPy generators. TensorFlow's output for the same run was recorded by
``tools/record_word2vec_basic.py`` (5 runs) into ``golden/word2vec_basic.json``.

What is compared: every printed line that does not depend on TF's random ops is TF's, exactly
(data size, counts, sample data, the seeded skip-gram batch, the validation words). The script
seeds none of TF's random ops (initial embeddings and NCE weights, the log-uniform candidate
sampler), so the loss reports differ between two TF runs too: they are compared with the spread
of TF's recorded runs. ``tests/ops`` and the ``nn_x_sampled_losses`` conformance topic check
nce_loss's values exactly on seeded graphs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import word2vec_harness

from scopeflow.run import tensorflow_import_hook

GOLDEN = Path(__file__).parent / "golden" / "word2vec_basic.json"
_SCRIPT = os.environ.get("SCOPEFLOW_WORD2VEC_BASIC")


@pytest.mark.slow
def test_word2vec_basic_matches_tensorflow(tmp_path: Path) -> None:
    if not _SCRIPT:
        pytest.skip("SCOPEFLOW_WORD2VEC_BASIC (path of TF's word2vec_basic.py) is not set")
    want = json.loads(GOLDEN.read_text())
    assert want["steps"] == word2vec_harness.STEPS
    got = word2vec_harness.parse(
        word2vec_harness.run(Path(_SCRIPT), tmp_path, tensorflow_import_hook)
    )
    assert got["lines"] == want["lines"]
    assert sorted(got["losses"]) == sorted(want["losses"][0]) == ["0", "2000"]
    for step in got["losses"]:
        tf_values = [run[step] for run in want["losses"]]
        low, high = min(tf_values), max(tf_values)
        margin = high - low  # TF's own spread over its recorded runs
        assert low - margin <= got["losses"][step] <= high + margin, (step, got, tf_values)
    # the script's own outputs after training: metadata rows, checkpoint, projector config
    log = tmp_path / "log"
    assert len((log / "metadata.tsv").read_text().splitlines()) == 50000
    assert (log / "model.ckpt.index").exists()
    config = (log / "projector_config.pbtxt").read_text()
    assert 'tensor_name: "embeddings/Variable:0"' in config


def test_synthetic_text8_passes_the_scripts_size_check(tmp_path: Path) -> None:
    """The corpus the script reads: text8's exact byte size, a full 50,000-word dictionary."""
    path = word2vec_harness.write_text8(tmp_path)
    assert path.stat().st_size == word2vec_harness.TEXT8_BYTES
    words = word2vec_harness.corpus_words()
    assert len(set(words)) >= 50000
    out = "Average loss at step  2000 :  129.5\nNearest to w3: w1, w2\nData size 4"
    assert word2vec_harness.parse(out) == {
        "lines": ["Nearest to w3:", "Data size 4"],
        "losses": {"2000": 129.5},
    }
