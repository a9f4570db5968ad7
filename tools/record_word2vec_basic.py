"""Record TensorFlow's output of TF's word2vec_basic.py tutorial on the synthetic corpus.

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_word2vec_basic.py \
        path/to/tensorflow/examples/tutorials/word2vec/word2vec_basic.py [RUNS]

Runs the unmodified script ``RUNS`` times (default 5) through ``tests/acceptance/
word2vec_harness.py`` with ``import tensorflow`` resolving to TF 2's ``tf.compat.v1`` in graph
mode, and writes ``tests/acceptance/golden/word2vec_basic.json``: the printed lines that do not
depend on TF's unseeded random ops (identical in every run, checked here) and each run's
"Average loss" reports. TF 2.21 has no ``tf.contrib``: the script's
``tensorflow.contrib.tensorboard.plugins.projector`` (used after training, to write
``projector_config.pbtxt``) is given here as a small stand-in writing the same text proto.
"""

from __future__ import annotations

import json
import sys
import tempfile
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "acceptance"))

import word2vec_harness  # noqa: E402

GOLDEN = ROOT / "tests" / "acceptance" / "golden" / "word2vec_basic.json"


class _Embedding:
    def __init__(self) -> None:
        self.tensor_name = ""
        self.metadata_path = ""


class _Embeddings(list[_Embedding]):
    def add(self) -> _Embedding:
        self.append(_Embedding())
        return self[-1]


class _ProjectorConfig:
    def __init__(self) -> None:
        self.embeddings = _Embeddings()


def _visualize_embeddings(writer: Any, config: _ProjectorConfig) -> None:
    lines = []
    for e in config.embeddings:
        lines += ["embeddings {", f'  tensor_name: "{e.tensor_name}"']
        lines += [f'  metadata_path: "{e.metadata_path}"', "}"]
    (Path(writer.get_logdir()) / "projector_config.pbtxt").write_text("\n".join(lines) + "\n")


@contextmanager
def _tensorflow() -> Iterator[None]:
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    projector = types.ModuleType("tensorflow.contrib.tensorboard.plugins.projector")
    projector.ProjectorConfig = _ProjectorConfig  # type: ignore[attr-defined]
    projector.visualize_embeddings = _visualize_embeddings  # type: ignore[attr-defined]
    plugins = types.ModuleType("tensorflow.contrib.tensorboard.plugins")
    plugins.projector = projector  # type: ignore[attr-defined]
    modules = {
        "tensorflow": tf,
        "tensorflow.contrib": types.ModuleType("tensorflow.contrib"),
        "tensorflow.contrib.tensorboard": types.ModuleType("tensorflow.contrib.tensorboard"),
        "tensorflow.contrib.tensorboard.plugins": plugins,
        "tensorflow.contrib.tensorboard.plugins.projector": projector,
    }
    saved = {name: sys.modules.get(name) for name in modules}
    sys.modules.update(modules)
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def main(argv: list[str]) -> None:
    script = Path(argv[1])
    runs = int(argv[2]) if len(argv) > 2 else 5
    lines: list[str] | None = None
    losses = []
    for i in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            got = word2vec_harness.parse(word2vec_harness.run(script, Path(tmp), _tensorflow))
        if lines is not None and got["lines"] != lines:
            raise SystemExit(f"run {i}: the deterministic lines differ between TF runs")
        lines = got["lines"]
        losses.append(got["losses"])
        print(f"run {i}: {got['losses']}", file=sys.stderr)
    record = {"steps": word2vec_harness.STEPS, "lines": lines, "losses": losses}
    GOLDEN.write_text(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv)
