"""Run tf-slim's own unit tests (TF 1.15's contrib.slim suite) on scopeflow and read the results.

``run_file`` copies one test file of a google-research/tf-slim checkout into a scratch directory
(so that the real ``tf_slim`` package is not importable: ``scopeflow run`` serves ``tf_slim.*`` as
``tensorflow.contrib.slim.*``), runs it with ``python -m scopeflow run`` and parses absl's
``[ RUN / OK / FAILED / SKIPPED ]`` lines, taking each failure's reason from the last line of its
traceback. ``python tests/acceptance/tf_slim_suite.py --update`` rewrites the expectation
``golden/tf_slim_suite.json`` from a run (then review the diff).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = "google-research+tf-slim"
GOLDEN = Path(__file__).parent / "golden" / "tf_slim_suite.json"
SRC = Path(__file__).resolve().parents[2] / "src"

# The test files run (paths in the tf-slim checkout). Left out: nets/vgg_test.py and
# nets/overfeat_test.py (all pass, ~30 s each), and the files whose modules scopeflow does not
# provide (slim's data and queues; metrics' classification and histogram_ops).
FILES = (
    "tf_slim/layers/layers_test.py",
    "tf_slim/layers/normalization_test.py",
    "tf_slim/layers/utils_test.py",
    "tf_slim/layers/initializers_test.py",
    "tf_slim/layers/regularizers_test.py",
    "tf_slim/layers/optimizers_test.py",
    "tf_slim/losses/loss_ops_test.py",
    "tf_slim/ops/arg_scope_test.py",
    "tf_slim/ops/framework_ops_test.py",
    "tf_slim/nets/alexnet_test.py",
    "tf_slim/nets/inception_v1_test.py",
    "tf_slim/nets/inception_v2_test.py",
    "tf_slim/nets/inception_v3_test.py",
    "tf_slim/nets/resnet_v1_test.py",
    "tf_slim/nets/resnet_v2_test.py",
    # slimfix
    "tf_slim/layers/summaries_test.py",
    "tf_slim/layers/sparse_ops_test.py",
    "tf_slim/ops/variables_test.py",
    # slimdata
    "tf_slim/data/dataset_data_provider_test.py",
    "tf_slim/data/parallel_reader_test.py",
    "tf_slim/data/prefetch_queue_test.py",
    "tf_slim/data/tfexample_decoder_test.py",
    # slimlearn
    "tf_slim/learning_test.py",
    "tf_slim/evaluation_test.py",
    "tf_slim/summaries_test.py",
    "tf_slim/training/training_test.py",
    "tf_slim/training/evaluation_test.py",
    "tf_slim/metrics/metric_ops_test.py",
    "tf_slim/metrics/metric_ops_large_test.py",
)

_STATUS = re.compile(r"^\[ *(OK|FAILED|SKIPPED) *\] (\S+)")
_HEADER = re.compile(r"^(?:ERROR|FAIL): \S+ \(__main__\.(\S+)\)$")
_EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|Exit)\b.*")


def checkout() -> Path | None:
    """The tf-slim checkout under ``$SCOPEFLOW_USER_CODE``, or None."""
    root = os.environ.get("SCOPEFLOW_USER_CODE")
    if not root or not (Path(root) / REPO / "tf_slim").is_dir():
        return None
    return Path(root) / REPO


def run_file(repo: Path, rel: str, workdir: Path) -> tuple[dict[str, str], str]:
    """``({test: "pass" | "skip" | reason of failure}, output)`` of one tf-slim test file."""
    workdir.mkdir(parents=True, exist_ok=True)
    script = workdir / Path(rel).name
    shutil.copyfile(repo / rel, script)
    source = script.read_text(encoding="utf-8")
    if "from nose.tools import nottest" in source:
        _write_nose_standin(workdir)
    if "import tensorflow.compat.v2 as tf2" in source:
        script = _write_compat_v2_wrapper(workdir, script)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.run(
        [sys.executable, "-m", "scopeflow", "run", script.name],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = proc.stdout + proc.stderr
    return parse(output), output


# slimlearn: tf-slim's evaluation_test.py imports ``nose.tools.nottest`` (nose is not installed,
# and no longer installs on current Pythons) only to mark a helper function as "not a test". The
# stand-in written next to the copied test gives exactly that decorator and nothing else.
_NOSE_TOOLS = """def nottest(func):
    func.__test__ = False
    return func
"""


def _write_nose_standin(workdir: Path) -> None:
    (workdir / "nose").mkdir(exist_ok=True)
    (workdir / "nose" / "__init__.py").write_text("", encoding="utf-8")
    (workdir / "nose" / "tools.py").write_text(_NOSE_TOOLS, encoding="utf-8")


# slimlearn: tf-slim's metric_ops_test.py imports ``tensorflow.compat.v2`` (which scopeflow does
# not build: importing it raises ImportError) only to read ``tf2.Tensor`` and ``tf2.Variable``,
# the same classes as v1's. The test then runs through a wrapper that registers a module of
# just those two classes under that name before running the test file as ``__main__``.
_COMPAT_V2_WRAPPER = """import runpy
import sys
import types

import tensorflow.compat.v1 as tf

standin = types.ModuleType("tensorflow.compat.v2")
standin.Tensor = tf.Tensor
standin.Variable = tf.Variable
sys.modules["tensorflow.compat.v2"] = standin
sys.argv[0] = {script!r}
runpy.run_path({script!r}, run_name="__main__")
"""


def _write_compat_v2_wrapper(workdir: Path, script: Path) -> Path:
    wrapper = workdir / f"run_{script.name}"
    wrapper.write_text(_COMPAT_V2_WRAPPER.format(script=script.name), encoding="utf-8")
    return wrapper


def parse(output: str) -> dict[str, str]:
    """absl's per-test status lines, failures replaced by their exception's first line."""
    results: dict[str, str] = {}
    for line in output.splitlines():
        m = _STATUS.match(line)
        if m:
            status, name = m.groups()
            results[name] = {"OK": "pass", "SKIPPED": "skip"}.get(status, "failed")
    reasons: dict[str, str] = {}
    current: str | None = None
    for line in output.splitlines():
        m = _HEADER.match(line)
        if m:
            current = m.group(1)
            continue
        if current is not None and _EXCEPTION.match(line):
            reasons[current] = line.strip()[:200]  # the last one wins (chained tracebacks)
    for name, status in results.items():
        if status == "failed":
            results[name] = reasons.get(name, "failed (no traceback found)")
    return results


def expectation(results: dict[str, str]) -> dict[str, object]:
    """The golden entry for one file: passing tests, and known failures with their reason."""
    return {
        "pass": sorted(n for n, s in results.items() if s == "pass"),
        "fail": {n: s for n, s in sorted(results.items()) if s not in ("pass", "skip")},
    }


def _update() -> None:
    repo = checkout()
    if repo is None:
        raise SystemExit(f"set SCOPEFLOW_USER_CODE to a directory holding {REPO}/")
    golden = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, rel in enumerate(FILES):
            results, _ = run_file(repo, rel, Path(tmp) / str(i))
            golden[rel] = expectation(results)
            entry = golden[rel]
            print(rel, len(entry["pass"]), "pass,", len(entry["fail"]), "fail")  # type: ignore[arg-type]
    GOLDEN.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        raise SystemExit(__doc__)
    _update()
