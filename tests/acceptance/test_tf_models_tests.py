"""tensorflow/models' own TF1 unit tests, run unchanged by ``scopeflow run``.

The files are TF 1.4-era tests of tensorflow/models (``official/resnet``, ``official/mnist``,
``tutorials/image/cifar10``) written on ``tf.test.TestCase``: model functions in every Estimator
mode, static output shapes of ResNets of several sizes, the CIFAR-10 binary reader. They are
read at test time from ``$SCOPEFLOW_USER_CODE/Dzinushi+models_1_4`` (a snapshot of
tensorflow/models at r1.4; never committed), copied into a temporary directory and run in a
subprocess through ``python -m scopeflow run``; absl's ``[ RUN ]``/``[ OK ]`` lines say which
tests passed. Without the variable or the snapshot the test skips.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

_ROOT = os.environ.get("SCOPEFLOW_USER_CODE")
REPO = Path(_ROOT) / "Dzinushi+models_1_4" if _ROOT else None
SRC = Path(__file__).resolve().parents[2] / "src"

# test file -> (files it imports from its folder, tests that must pass, tests known to fail)
CASES = {
    "official/resnet/cifar10_test.py": (
        ["cifar10_main.py", "resnet_model.py"],
        {"test_cifar10_model_fn_eval_mode", "test_cifar10_model_fn_predict_mode",
         "test_cifar10_model_fn_train_mode", "test_dataset_input_fn"},
        {},
    ),
    "official/resnet/imagenet_test.py": (
        ["imagenet_main.py", "resnet_model.py", "vgg_preprocessing.py"],
        {"test_tensor_shapes_resnet_18",
         "test_tensor_shapes_resnet_34", "test_tensor_shapes_resnet_50",
         "test_tensor_shapes_resnet_101", "test_tensor_shapes_resnet_152",
         "test_tensor_shapes_resnet_200", "test_resnet_model_fn_train_mode",
         "test_resnet_model_fn_eval_mode", "test_resnet_model_fn_predict_mode"},
        {},
    ),
    "official/mnist/mnist_test.py": (
        ["mnist.py", "dataset.py"],
        {"test_mnist", "test_mnist_model_fn_train_mode", "test_mnist_model_fn_eval_mode",
         "test_mnist_model_fn_predict_mode"},
        {"test_mnist_model_fn_train_mode_multi_gpu":
         "tf.contrib.estimator.TowerOptimizer/replicate_model_fn are not built"},
    ),
    "tutorials/image/cifar10/cifar10_input_test.py": (
        ["cifar10_input.py"],
        {"testSimple"},
        {},
    ),
}  # fmt: skip


def _outcomes(output: str) -> dict[str, str]:
    """absl's per-test result lines: test method name -> ``OK``/``FAILED``/``SKIPPED``."""
    found = re.findall(r"^\[\s*(OK|FAILED|SKIPPED)\s*\] \w+\.(\w+)", output, re.M)
    return {name: status for status, name in found}


@pytest.mark.slow
@pytest.mark.parametrize("path", list(CASES))
def test_tf_models_test_file_passes(path: str, tmp_path: Path) -> None:
    if REPO is None or not (REPO / path).exists():
        pytest.skip("SCOPEFLOW_USER_CODE lacks Dzinushi+models_1_4 (tensorflow/models r1.4)")
    folder = REPO / path.rsplit("/", 1)[0]
    imports, passing, failing = CASES[path]
    for name in [path.rsplit("/", 1)[1], *imports]:
        shutil.copy(folder / name, tmp_path / name)
    proc = subprocess.run(
        [sys.executable, "-m", "scopeflow", "run", path.rsplit("/", 1)[1]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        timeout=900,
        check=False,
    )
    outcomes = _outcomes(proc.stdout + proc.stderr)
    tail = (proc.stdout + proc.stderr)[-3000:]
    assert {n for n, s in outcomes.items() if s == "OK"} >= passing, tail
    assert {n for n, s in outcomes.items() if s == "FAILED"} == set(failing), tail
