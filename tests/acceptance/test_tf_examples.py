"""aymericdamien/TensorFlow-Examples' TF1 programs run unchanged on scopeflow with TF's numbers.

The programs are read at test time from ``$SCOPEFLOW_TF_EXAMPLES`` (a checkout of
https://github.com/aymericdamien/TensorFlow-Examples; nothing of it is committed) and run through
``scopeflow run``'s import hook by ``tf_examples.py``, which says what surrounds the unmodified
text (cut step counts, synthetic MNIST/text8/JPEG data, a seeded default graph). TensorFlow's
runs of the same programs were recorded by ``tools/record_tf_examples.py`` into
``golden/tf_examples.json``. Without the variable the tests skip.

Compared for each program: the error (none, or the same as TF's), the default graph's global
variables (names, order, shapes), the printed text with numbers masked, and the numbers within
the program's tolerance (deterministic programs) or only their count (programs whose TF run is
not deterministic either). ``docs/real_code.md`` has the table of results.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import tf_examples

import scopeflow.compat.v1 as tf
from scopeflow.errors import TFModuleNotImplementedError
from scopeflow.run import tensorflow_import_hook

GOLDEN = Path(__file__).parent / "golden" / "tf_examples.json"
_ROOT = os.environ.get("SCOPEFLOW_TF_EXAMPLES")


@pytest.mark.slow
@pytest.mark.parametrize("name", list(tf_examples.EXAMPLES))
def test_tf_example_matches_tensorflow(name: str, tmp_path: Path) -> None:
    if not _ROOT:
        pytest.skip("SCOPEFLOW_TF_EXAMPLES (a TensorFlow-Examples checkout) is not set")
    example = tf_examples.EXAMPLES[name]
    want = json.loads(GOLDEN.read_text())[name]
    got = tf_examples.run(Path(_ROOT), name, tmp_path, tensorflow_import_hook, tf)
    if example.unsupported is not None:
        # TF 2 lacks the module too (its recorded error); scopeflow names the TF1 feature
        assert isinstance(got.get("exception"), TFModuleNotImplementedError), got.get("error")
        assert example.unsupported.removeprefix("tensorflow.") in got["error"]
        return
    if example.gpu_placed:
        assert want["error"].startswith("InvalidArgumentError")  # TF: no GPU here
        assert "exception" not in got, got.get("error")  # scopeflow: on the CPU
        assert got["variables"] == want["variables"]
        return
    if want["error"] is None and "exception" in got:
        raise got["exception"]
    assert got.get("error") == want["error"]
    assert got["variables"] == want["variables"]
    out = tf_examples.parse(got["output"], tmp_path)
    assert out["text"] == want["text"]
    assert len(out["numbers"]) == len(want["numbers"])
    if example.exact:
        np.testing.assert_allclose(
            out["numbers"], want["numbers"], rtol=example.rtol, atol=example.atol
        )


def test_fake_mnist_is_read_by_scopeflows_input_data(tmp_path: Path) -> None:
    """The synthetic MNIST files are in ``input_data``'s format and sizes."""
    from scopeflow.contrib.learn.datasets import mnist

    tf_examples.write_fake_mnist(tmp_path)
    data = mnist.read_data_sets(str(tmp_path), one_hot=True)
    assert data.train.images.shape == (tf_examples.N_TRAIN - 5000, 784)
    assert data.test.labels.shape == (tf_examples.N_TEST, 10)
    assert 0.05 < float(data.train.images.mean()) < 0.3  # mostly background, as MNIST


def test_substitutions_must_match_once(tmp_path: Path) -> None:
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "p.py").write_text("num_steps = 10\nnum_steps = 10\n")
    example = tf_examples.Example("p.py", (("num_steps = 10", "num_steps = 1"),))
    with pytest.raises(ValueError, match="occurs 2 times"):
        tf_examples.source(tmp_path, example, tmp_path)
    assert tf_examples.parse("Step 3, Loss= 0.25 at <x>/a", None) == {
        "text": "Step #, Loss= # at <x>/a",
        "numbers": [3.0, 0.25],
    }
