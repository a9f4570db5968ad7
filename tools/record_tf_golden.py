"""Record TensorFlow's output for the conformance cases and the seed examples.

Regenerate (needs TensorFlow, installed separately; never a scopeflow dependency)::

    .tf-oracle/bin/python tools/record_tf_golden.py            # everything
    .tf-oracle/bin/python tools/record_tf_golden.py names reuse  # only these topics (no examples)

TensorFlow runs in TF 1.x mode: ``import tensorflow.compat.v1 as tf; tf.disable_eager_execution();
tf.disable_resource_variables(); tf.disable_v2_behavior()``. The last call adds what the first two
leave at TF2 behaviour: TF1 ``TensorShape`` (``shape[i]`` is a ``Dimension`` with ``.value``,
unknown dimensions print as ``?``), identity ``Tensor.__eq__`` and v1 control flow -- all TF 1.x
facts that TF1 model code relies on. Each case of ``tests/conformance/cases/<topic>.py`` runs
through ``tests/conformance/harness.py`` and its printed text is written to
``tests/conformance/golden/<topic>.json``. Each ``examples/seed_*.py`` and ``examples/tf1_*.py``
runs in a subprocess with its
``import scopeflow.compat.v1 as tf`` line swapped for the TF import, and its stdout is written to
``examples/golden/<name>.txt``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCOPEFLOW_IMPORT = "import scopeflow.compat.v1 as tf"
TF_IMPORT = (
    "import tensorflow.compat.v1 as tf; tf.disable_eager_execution(); "
    "tf.disable_resource_variables(); tf.disable_v2_behavior()"
)


def tf_source(source: str) -> str:
    """The example's source with the scopeflow import line replaced by the TF1-mode import."""
    lines = source.splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.strip() == SCOPEFLOW_IMPORT]
    if len(hits) != 1:
        raise SystemExit(f"expected exactly one line {SCOPEFLOW_IMPORT!r}")
    indent = lines[hits[0]][: len(lines[hits[0]]) - len(lines[hits[0]].lstrip())]
    lines[hits[0]] = indent + TF_IMPORT + "\n"
    return "".join(lines)


def record_cases(topics: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "conformance"))
    import harness
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    if (
        any(
            t.startswith(
                (
                    "contrib_",
                    "accept_",
                    "perf_bert_",
                    "realcode_",
                    "uc_",
                    "slimt_",
                    "slimfix_",
                    "slimdata_",
                    "slimlearn_",
                    "ops_ssassign_",
                )
            )
            for t in topics
        )
        or not topics
    ):
        import tf_contrib_shim  # tf.contrib built from tf_slim (TF 1.15's contrib code)

        tf_contrib_shim.install(tf)
    with_estimator = bool(os.environ.get("TF_ESTIMATOR_SRC"))
    if with_estimator:
        import tf_estimator_shim  # tf.estimator from TF 1.15's source (TF_ESTIMATOR_SRC)

        tf_estimator_shim.install(tf)
    harness.GOLDEN_DIR.mkdir(exist_ok=True)
    for topic, module in harness.load_case_modules().items():
        if topics and topic not in topics:
            continue
        if topic.startswith("estimator_") and not with_estimator:
            print(f"{topic}: skipped (set TF_ESTIMATOR_SRC, see tools/tf_estimator_shim.py)")
            continue
        golden = {name: harness.run_case(tf, fn) for name, fn in harness.iter_cases(module)}
        path = harness.GOLDEN_DIR / f"{topic}.json"
        text = json.dumps(golden, sort_keys=True, indent=1, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")
        uncaught = sum("UNCAUGHT" in out for out in golden.values())
        print(f"{path.relative_to(ROOT)}: {len(golden)} cases ({uncaught} with UNCAUGHT)")


def record_examples() -> None:
    out_dir = EXAMPLES / "golden"
    out_dir.mkdir(exist_ok=True)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0")
    for example in sorted([*EXAMPLES.glob("seed_*.py"), *EXAMPLES.glob("tf1_*.py")]):
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / example.name
            script.write_text(tf_source(example.read_text(encoding="utf-8")), encoding="utf-8")
            proc = subprocess.run(
                [sys.executable, str(script)],
                capture_output=True,
                text=True,
                cwd=EXAMPLES,
                env=env,
                check=False,
            )
        if proc.returncode != 0:
            raise SystemExit(f"{example.name} failed under TensorFlow:\n{proc.stderr}")
        (out_dir / f"{example.stem}.txt").write_text(proc.stdout, encoding="utf-8")
        print(f"examples/golden/{example.stem}.txt: {len(proc.stdout.splitlines())} lines")


def main(argv: list[str]) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    record_cases(argv)
    if not argv:
        record_examples()


if __name__ == "__main__":
    main(sys.argv[1:])
