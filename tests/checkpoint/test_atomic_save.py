"""Saves are atomic: a writer killed mid-save leaves the previous checkpoint loadable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from scopeflow.checkpoint import (
    BundleReader,
    BundleWriter,
    latest_checkpoint,
    update_checkpoint_state,
)

SRC = Path(__file__).parents[2] / "src"

SLOW_SAVE = textwrap.dedent(
    """
    import sys
    import numpy as np
    from scopeflow.checkpoint import BundleWriter

    writer = BundleWriter(sys.argv[1])
    chunk = np.full(1 << 20, 7.0, np.float32)  # 4 MiB per tensor
    for i in range(100000):
        writer.add(f"big/part_{i:06d}", chunk)
        if i == 2:
            print("started", flush=True)
    """
)


def _save_old(prefix: Path) -> dict[str, np.ndarray]:
    values = {
        "w": np.arange(10, dtype=np.float32),
        "global_step": np.array(3, np.int64),
        "names": np.array([b"old"], object),
    }
    with BundleWriter(prefix) as writer:
        for name, value in values.items():
            writer.add(name, value)
    return values


@pytest.mark.slow
def test_sigkill_mid_save_keeps_previous_checkpoint(tmp_path: Path) -> None:
    prefix = tmp_path / "model.ckpt"
    old = _save_old(prefix)
    update_checkpoint_state(tmp_path, str(prefix))
    old_index = Path(f"{prefix}.index").read_bytes()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_SAVE, str(prefix)], stdout=subprocess.PIPE, env=env, text=True
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "started"
        time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    leftovers = [p.name for p in tmp_path.iterdir() if ".tempstate" in p.name]
    assert leftovers  # the killed save got somewhere, under temporary names only
    assert all(name.startswith("model.ckpt.data-00000-of-00001.tempstate") for name in leftovers)
    assert Path(f"{prefix}.index").read_bytes() == old_index
    assert latest_checkpoint(tmp_path) == str(prefix)
    with BundleReader(prefix) as reader:
        assert reader.keys() == sorted(old)
        for name, value in old.items():
            assert reader.get_tensor(name).tolist() == value.tolist()
    # A later save to the same prefix succeeds and replaces the old checkpoint.
    with BundleWriter(prefix) as writer:
        writer.add("w", np.ones(2, np.float32))
    with BundleReader(prefix) as reader:
        assert reader.keys() == ["w"]
        assert reader.get_tensor("w").tolist() == [1.0, 1.0]


def test_failed_finish_removes_temporaries_and_keeps_old(tmp_path: Path, monkeypatch) -> None:
    prefix = tmp_path / "model.ckpt"
    old = _save_old(prefix)
    writer = BundleWriter(prefix)
    writer.add("w", np.zeros(3, np.float32))

    def broken_build_table(*args: object, **kwargs: object) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr("scopeflow.checkpoint._bundle_writer.build_table", broken_build_table)
    with pytest.raises(OSError, match="disk full"):
        writer.finish()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "model.ckpt.data-00000-of-00001",
        "model.ckpt.index",
    ]
    with BundleReader(prefix) as reader:
        assert reader.get_tensor("w").tolist() == old["w"].tolist()


def test_state_file_update_is_atomic_and_leaves_no_temp(tmp_path: Path) -> None:
    update_checkpoint_state(tmp_path, "model.ckpt-1")
    update_checkpoint_state(tmp_path, "model.ckpt-2", ["model.ckpt-1"])
    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint"]
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "model.ckpt-2"\n'
        'all_model_checkpoint_paths: "model.ckpt-1"\n'
        'all_model_checkpoint_paths: "model.ckpt-2"\n'
    )
