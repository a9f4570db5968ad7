"""Record TensorFlow's output for the random scope programs of ``tests/core/scope_programs.py``.

Regenerate (needs TensorFlow, installed separately; see ``tools/setup_tf_oracle.sh``)::

    TF_PYTHON=.tf-oracle/bin/python   # or wherever you created the TF reference virtualenv
    $TF_PYTHON tools/record_scope_programs.py

Generates ``COUNT`` programs from a generator seeded with ``SEED``, runs each under TF 1.x mode
and writes the programs with TF's output to ``tests/core/golden/scope_programs.json``;
``tests/core/test_scope_programs.py`` replays them on scopeflow.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "tests" / "core" / "scope_programs.py"
GOLDEN = ROOT / "tests" / "core" / "golden" / "scope_programs.json"
SEED = 20261207
COUNT = 300


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    spec = importlib.util.spec_from_file_location("scope_programs", MODULE)
    assert spec is not None
    assert spec.loader is not None
    scope_programs = importlib.util.module_from_spec(spec)
    sys.modules["scope_programs"] = scope_programs
    spec.loader.exec_module(scope_programs)
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    records = [
        {"program": program, "output": scope_programs.run(tf, program)}
        for program in scope_programs.programs(SEED, COUNT)
    ]
    text = json.dumps({"tensorflow": tf.__version__, "seed": SEED, "records": records}, indent=0)
    GOLDEN.write_text(text + "\n", encoding="utf-8")
    errors = sum(line.startswith("E ") for r in records for line in r["output"])
    print(f"{GOLDEN.relative_to(ROOT)}: {len(records)} programs, {errors} errors recorded")


if __name__ == "__main__":
    main()
