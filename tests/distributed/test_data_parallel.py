"""Data-parallel training: an unmodified Horovod TF1 script under ``torchrun`` on 2 processes.

The script (``scripts/train_hvd.py``) trains on each process's half of a global batch; the
test runs it once as a single process on the whole batch and once on 2 CPU processes (gloo)
started by ``torchrun --nproc_per_node 2 -m scopeflow run``, and compares: the all-reduced
losses and the final weights equal the single process's, within float tolerance.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")
SCRIPT = str(Path(__file__).resolve().parent / "scripts" / "train_hvd.py")
TIMEOUT = 300


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=SRC, OMP_NUM_THREADS="1")
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False, env=env, cwd=cwd
    )


def _load(out: Path, rank: int) -> dict:
    return json.loads((out / f"rank{rank}.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_two_processes_train_as_one_process_on_the_combined_batch(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    single = _run([sys.executable, "-m", "scopeflow", "run", SCRIPT, str(one), "6"], tmp_path)
    assert single.returncode == 0, single.stderr
    launcher = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
    dp = _run([*launcher, "--nproc_per_node", "2", "-m", "scopeflow", "run", SCRIPT, str(two),
               "6"], tmp_path)  # fmt: skip
    assert dp.returncode == 0, dp.stderr[-4000:]
    ref = _load(one, 0)
    ranks = [_load(two, 0), _load(two, 1)]
    assert ref["size"] == 1
    assert [r["rank"] for r in ranks] == [0, 1]
    assert [(r["size"], r["local_rank"], r["local_size"]) for r in ranks] == [(2, 0, 2), (2, 1, 2)]
    for r in ranks:
        # hvd.allreduce(loss) is the mean of the two halves' losses = the combined batch's loss
        np.testing.assert_allclose(r["mean_losses"], ref["losses"], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(
            (np.array(ranks[0]["losses"]) + np.array(ranks[1]["losses"])) / 2,
            ref["losses"],
            rtol=1e-5,
            atol=1e-6,
        )
        # allgather with different first dimensions, in rank order
        assert r["gathered"] == [0, 1, 1]
        # the same weights after 6 Adam steps (dense and IndexedSlices gradients)
        assert sorted(r["weights"]) == sorted(ref["weights"])
        for name, w in ref["weights"].items():
            np.testing.assert_allclose(r["weights"][name], w, rtol=1e-5, atol=1e-6, err_msg=name)
    # the halves differ, so the per-process losses do too
    assert ranks[0]["losses"] != ranks[1]["losses"]
    # only rank 0 wrote a checkpoint (the script says ``if hvd.rank() == 0``)
    assert sorted(p.name for p in (two / "rank0").iterdir()) == [
        "checkpoint",
        "model-6.data-00000-of-00001",
        "model-6.index",
    ]
    assert not (two / "rank1").exists()
