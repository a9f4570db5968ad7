"""Horovod's TF1 MNIST example on 2 processes (issue 11, "real code is the test").

``test_horovod_example_runs_unmodified`` runs Horovod's own ``examples/tensorflow_mnist.py``
(the TF1 version of 2018, commit 9bdd70da of github.com/horovod/horovod: ``tf.contrib.layers``,
``tf.contrib.learn.datasets.mnist``, RMSProp, ``MonitoredTrainingSession``), read from the path
in ``SCOPEFLOW_HOROVOD_MNIST_SCRIPT`` (skipped when unset), with only the imports redirected
by ``scopeflow run``. To get it: ``git clone https://github.com/horovod/horovod`` and
``git -C horovod show 9bdd70da:examples/tensorflow_mnist.py > tensorflow_mnist.py``.
Its data are synthetic MNIST files written where the script reads them
(``MNIST-data-<rank>``; nothing is downloaded) and its training set ends after a few batches
(``scripts/run_finite_mnist.py``; the script itself trains ``20000 // size`` steps).

That example cannot equal a single process on the combined batch, by its design: dropout
with unseeded masks, a learning rate scaled by ``hvd.size()``, and a fixed 100 rows per
process with unseeded shuffling. So its test compares what must agree: both runs finish,
rank 0 alone writes checkpoints, the checkpoints hold the same variables (the distributed
optimizer adds none) at the step count each process ran, and the logged losses fall.
``test_mnist_example_two_processes_equal_one`` runs our deterministic equivalent of it
(``scripts/hvd_mnist_tf1.py``: same APIs, no dropout, unscaled learning rate, each process
on its share of one global batch) and compares the losses and final weights exactly (float
tolerance) with one process on the whole batch.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from scopeflow.train.checkpoint_utils import list_variables

HERE = Path(__file__).resolve().parent
SRC = str(HERE.parents[1] / "src")
RUNNER = str(HERE / "scripts" / "run_finite_mnist.py")
EQUIVALENT = str(HERE / "scripts" / "hvd_mnist_tf1.py")
SCRIPT_ENV = "SCOPEFLOW_HOROVOD_MNIST_SCRIPT"
TIMEOUT = 600
LAUNCHER = [sys.executable, "-m", "torch.distributed.run", "--standalone"]


def write_mnist(directory: Path, n_train: int, n_test: int, seed: int) -> None:
    """Synthetic MNIST in the four gzipped IDX files (a bright square per class + noise)."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.RandomState(seed)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        labels = rng.randint(0, 10, n).astype(np.uint8)
        images = rng.randint(0, 60, (n, 28, 28)).astype(np.uint8)
        for i, c in enumerate(labels):
            r, col = 2 + (c // 5) * 12, 2 + (c % 5) * 5
            images[i, r : r + 8, col : col + 5] = 250
        header = np.array([2051, n, 28, 28], dtype=">u4").tobytes()
        with gzip.open(directory / f"{prefix}-images-idx3-ubyte.gz", "wb") as f:
            f.write(header + images.tobytes())
        with gzip.open(directory / f"{prefix}-labels-idx1-ubyte.gz", "wb") as f:
            f.write(np.array([2049, n], dtype=">u4").tobytes() + labels.tobytes())


def _run(cmd: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, PYTHONPATH=SRC, OMP_NUM_THREADS="1", **env)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False,
                          env=full_env, cwd=cwd)  # fmt: skip


def _logged_losses(stderr: str) -> list[tuple[int, float]]:
    pattern = r"^INFO:tensorflow:loss = ([-0-9.e]+), step = (\d+)"
    return [(int(s), float(v)) for v, s in re.findall(pattern, stderr, re.MULTILINE)]


@pytest.mark.slow
def test_horovod_example_runs_unmodified(tmp_path):
    script = os.environ.get(SCRIPT_ENV)
    if not script:
        pytest.skip(f"{SCRIPT_ENV} is not set (the path of Horovod's 2018 "
                    "examples/tensorflow_mnist.py)")  # fmt: skip
    if not Path(script).is_file():
        pytest.skip(f"{SCRIPT_ENV}={script} does not exist")
    batches = 31
    one, two = tmp_path / "one", tmp_path / "two"
    for run_dir in (one, two):
        for rank in (0, 1):
            write_mnist(run_dir / f"MNIST-data-{rank}", 5600, 200, seed=rank)
    single = _run([sys.executable, RUNNER, script], one, MNIST_BATCHES=str(batches))
    assert single.returncode == 0, single.stderr[-4000:]
    dp = _run([*LAUNCHER, "--nproc_per_node", "2", RUNNER, script], two,
              MNIST_BATCHES=str(batches))  # fmt: skip
    assert dp.returncode == 0, dp.stderr[-4000:]
    # rank 0 alone saved (the script's ``checkpoint_dir`` is None on other ranks), at the
    # step each process reached
    ckpt_one = (one / "checkpoints").resolve()
    ckpt_two = (two / "checkpoints").resolve()
    assert (ckpt_two / f"model.ckpt-{batches}.index").exists()
    assert (ckpt_one / f"model.ckpt-{batches}.index").exists()
    vars_one = dict(list_variables(str(ckpt_one / f"model.ckpt-{batches}")))
    vars_two = dict(list_variables(str(ckpt_two / f"model.ckpt-{batches}")))
    assert vars_two == vars_one
    assert "conv_layer1/Conv/weights/RMSProp" in vars_two
    # both processes logged their losses (LoggingTensorHook every 10 steps), and they fell
    # (slowly: TF1 RMSProp starts its mean square at 1)
    logged = _logged_losses(dp.stderr)
    steps = sorted({s for s, _ in logged})
    assert len(steps) == 4
    assert sorted(s for s, _ in logged) == sorted(steps * 2)  # one line per process and step
    for run in (logged, _logged_losses(single.stderr)):
        first = np.mean([v for s, v in run if s == steps[0]])
        last = np.mean([v for s, v in run if s == steps[-1]])
        assert np.isfinite(last)
        assert last < first


@pytest.mark.slow
def test_mnist_example_two_processes_equal_one(tmp_path):
    data = tmp_path / "MNIST-data"
    write_mnist(data, 5400, 100, seed=3)
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    steps = "8"
    single = _run([sys.executable, "-m", "scopeflow", "run", EQUIVALENT, str(data), str(one),
                   steps], tmp_path)  # fmt: skip
    assert single.returncode == 0, single.stderr[-4000:]
    dp = _run([*LAUNCHER, "--nproc_per_node", "2", "-m", "scopeflow", "run", EQUIVALENT,
               str(data), str(two), steps], tmp_path)  # fmt: skip
    assert dp.returncode == 0, dp.stderr[-4000:]
    ref = np.load(one / "rank0.npz")
    ranks = [np.load(two / "rank0.npz"), np.load(two / "rank1.npz")]
    assert len(ref["losses"]) == int(steps)
    # each half's loss is a mean over half the rows: their mean is the whole batch's loss
    np.testing.assert_allclose((ranks[0]["losses"] + ranks[1]["losses"]) / 2, ref["losses"],
                               rtol=1e-5, atol=1e-6)  # fmt: skip
    assert not np.allclose(ranks[0]["losses"], ranks[1]["losses"])
    names = sorted(k for k in ref.files if k != "losses")
    assert "conv_layer1/Conv/weights" in names
    for r in ranks:
        assert sorted(k for k in r.files if k != "losses") == names
        for name in names:
            np.testing.assert_allclose(r[name], ref[name], rtol=1e-4, atol=1e-6, err_msg=name)
    assert (two / "checkpoints" / f"model.ckpt-{steps}.index").exists()
    assert not (two / "rank1").exists()
