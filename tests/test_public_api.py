"""Snapshot of the public surface: ``sorted(__all__)`` of every public namespace module.

A change to the public API shows up in review as a diff of ``tests/golden/public_api.json``.
Regenerate after an intended change with:

    .venv/bin/python tests/test_public_api.py --update
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden" / "public_api.json"
MODULES = [
    "scopeflow",
    "scopeflow.compat.v1",
    "scopeflow.compat.v1.nn",
    "scopeflow.compat.v1.math",
    "scopeflow.compat.v1.linalg",
    "scopeflow.compat.v1.image",
    "scopeflow.compat.v1.random",
    "scopeflow.compat.v1.sparse",
    "scopeflow.compat.v1.nest",
    "scopeflow.compat.v1.dtypes",
    "scopeflow.compat.v1.errors",
    "scopeflow.compat.v1.initializers",
    "scopeflow.compat.v1.keras.initializers",
    "scopeflow.compat.v1.layers",
    "scopeflow.layers",
    "scopeflow.compat.v1.losses",
    "scopeflow.compat.v1.train",
    "scopeflow.compat.v1.summary",
    "scopeflow.compat.v1.metrics",
    "scopeflow.compat.v1.app",
    "scopeflow.compat.v1.flags",
    "scopeflow.compat.v1.logging",
    "scopeflow.compat.v1.gfile",
    "scopeflow.compat.v1.io",
    "scopeflow.compat.v1.io.gfile",
    "scopeflow.compat.v1.compat",
    "scopeflow.compat.v1.python_io",
    "scopeflow.compat.v1.data",
    "scopeflow.compat.v1.queue",
    "scopeflow.compat.v1.data.experimental",
    "scopeflow.compat.v1.graph_util",
    "scopeflow.compat.v1.saved_model",
    "scopeflow.compat.v1.saved_model.builder",
    "scopeflow.compat.v1.saved_model.loader",
    "scopeflow.compat.v1.saved_model.signature_def_utils",
    "scopeflow.compat.v1.saved_model.utils",
    "scopeflow.compat.v1.saved_model.tag_constants",
    "scopeflow.compat.v1.saved_model.signature_constants",
    "scopeflow.compat.v1.saved_model.main_op",
    "scopeflow.compat.v1.saved_model.constants",
    "scopeflow.compat.v1.test",
    "scopeflow.compat.v1.config",
    "scopeflow.compat.v1.config.experimental",
    "scopeflow.graph_import",
    "scopeflow.checkpoint",
    "scopeflow.torch",
    "scopeflow.contrib",
    "scopeflow.contrib.framework",
    "scopeflow.contrib.layers",
    "scopeflow.contrib.layers.utils",
    "scopeflow.contrib.losses",
    "scopeflow.contrib.slim",
    "scopeflow.losses",
    "scopeflow.contrib.opt",
    "scopeflow.rnn",
    "scopeflow.contrib.rnn",
    "scopeflow.contrib.seq2seq",
    "scopeflow.contrib.legacy_seq2seq",
    "scopeflow.compat.v1.estimator",
    "scopeflow.estimator.inputs",
    "scopeflow.estimator.experimental",
    "scopeflow.contrib.cudnn_rnn",
    "scopeflow.estimator.export",
    "scopeflow.contrib.predictor",
    # apid: tf.signal, tf.spectral, tf.contrib.signal, tf.sets
    "scopeflow.compat.v1.sets",
    "scopeflow.compat.v1.distributions",
    "scopeflow.contrib.distributions",
    "scopeflow.compat.v1.signal",
    "scopeflow.compat.v1.spectral",
    "scopeflow.contrib.signal",
]


def surface() -> dict[str, list[str]]:
    out = {}
    for name in MODULES:
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        out[name] = sorted(getattr(mod, "__all__", []))
    return out


def test_public_api_matches_snapshot() -> None:
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert surface() == expected, "public API changed: review, then run with --update"


def test_every_exported_name_exists() -> None:
    for name, names in surface().items():
        mod = importlib.import_module(name)
        missing = [n for n in names if not hasattr(mod, n)]
        assert not missing, f"{name}.__all__ lists missing names {missing}"


if __name__ == "__main__" and "--update" in sys.argv:
    GOLDEN.write_text(json.dumps(surface(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
