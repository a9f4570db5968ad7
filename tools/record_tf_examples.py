"""Record TensorFlow's runs of aymericdamien/TensorFlow-Examples' TF1 programs.

    TF_USE_LEGACY_KERAS=1 TF_ESTIMATOR_SRC=/path/to/tfe15 .tf-oracle/bin/python \
        tools/record_tf_examples.py path/to/TensorFlow-Examples [NAME ...]

Runs each program of ``tests/acceptance/tf_examples.py`` (all by default) through that harness
with ``import tensorflow`` resolving to TF 2's ``tf.compat.v1`` in graph mode, and writes (merges
into) ``tests/acceptance/golden/tf_examples.json``: the masked output text, its numbers, the
default graph's global variables and the error a program raised. TF 2.21 lacks pieces of TF 1.15
the programs import; they are given here from TF 1.15's code that TF 2 still ships elsewhere:
``tf.contrib.rnn`` (``tf.nn.rnn_cell``'s cells, ``tf.nn.static_rnn``/``static_bidirectional_rnn``),
``tf.contrib.factorization.KMeans`` (TF 2 keeps it as ``tensorflow.python.ops.clustering_ops``),
``tf.contrib.layers`` (tf-slim, ``tools/tf_contrib_shim.py``), ``tf.estimator`` (TF 1.15's
source, ``tools/tf_estimator_shim.py``) and the MNIST reader (``tools/tf_mnist_input_data.py``).
``tf.contrib.tensor_forest`` and ``tf.contrib.boosted_trees`` have no TF 2 counterpart: those
programs record the ``ModuleNotFoundError``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "acceptance"))
sys.path.insert(0, str(ROOT / "tools"))

import tf_examples  # noqa: E402

GOLDEN = ROOT / "tests" / "acceptance" / "golden" / "tf_examples.json"


def _tensorflow() -> types.ModuleType:
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    import tf_contrib_shim
    import tf_estimator_shim
    from tensorflow.python.ops import clustering_ops

    tf_contrib_shim.install(tf)
    tf_estimator_shim.install(tf)
    tf.contrib.rnn = types.SimpleNamespace(
        BasicLSTMCell=tf.nn.rnn_cell.BasicLSTMCell,
        static_rnn=tf.nn.static_rnn,
        static_bidirectional_rnn=tf.nn.static_bidirectional_rnn,
    )
    tf.contrib.factorization = types.SimpleNamespace(KMeans=clustering_ops.KMeans)
    return tf


def _modules(tf: types.ModuleType) -> dict[str, object]:
    import tf_mnist_input_data

    def package(name: str, **attrs: object) -> types.ModuleType:
        module = types.ModuleType(name)
        module.__dict__.update(attrs)
        module.__path__ = []  # type: ignore[attr-defined]
        return module

    contrib = package("tensorflow.contrib", **vars(tf.contrib))
    tutorials_mnist = package("tensorflow.examples.tutorials.mnist", input_data=tf_mnist_input_data)
    return {
        "tensorflow": tf,
        "tensorflow.contrib": contrib,
        "tensorflow.contrib.factorization": tf.contrib.factorization,
        "tensorflow.examples": package("tensorflow.examples"),
        "tensorflow.examples.tutorials": package("tensorflow.examples.tutorials"),
        "tensorflow.examples.tutorials.mnist": tutorials_mnist,
        "tensorflow.examples.tutorials.mnist.input_data": tf_mnist_input_data,
    }


def main(argv: list[str]) -> None:
    root = Path(argv[1])
    names = argv[2:] or list(tf_examples.EXAMPLES)
    tf = _tensorflow()
    modules = _modules(tf)

    @contextmanager
    def hook() -> Iterator[None]:
        saved = {name: sys.modules.get(name) for name in modules}
        sys.modules.update(modules)  # type: ignore[arg-type]
        try:
            yield
        finally:
            for name, module in saved.items():
                if module is None:
                    sys.modules.pop(name, None)
                else:
                    sys.modules[name] = module

    golden = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            got = tf_examples.run(root, name, Path(tmp), hook, tf)
            record = tf_examples.parse(got["output"], Path(tmp))
        record["variables"] = got["variables"]
        record["error"] = got.get("error")
        golden[name] = record
        print(f"{name}: {record['error'] or 'ok'}", file=sys.stderr)
        print(record["text"][-400:], file=sys.stderr)
        GOLDEN.write_text(json.dumps(dict(sorted(golden.items())), indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv)
