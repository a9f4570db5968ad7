"""The scopeflow CLI, run as a subprocess with the venv's python."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from scopeflow.checkpoint import BundleReader, BundleWriter

pytestmark = pytest.mark.slow  # each test starts python + torch in a subprocess

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tf1_checkpoints"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scopeflow", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_ls_table_json_tree():
    out = run("ls", str(FIXTURES / "image_filter"))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["name", "dtype", "shape", "size"]
    assert lines[2].split()[:3] == ["image_filters/conv1/weights", "float32", "[5,5,32,32]"]
    assert lines[-1] == "4 tensors, 200.2 KiB"
    js = json.loads(run("ls", str(FIXTURES / "partitioned" / "model.ckpt"), "--json").stdout)
    assert {r["name"] for r in js} == {"part_cols", "part_int", "part_var", "plain"}
    assert next(r for r in js if r["name"] == "part_cols") == {
        "name": "part_cols",
        "dtype": "float32",
        "shape": [6, 9],
        "size": 216,
    }
    tree = run("ls", str(FIXTURES / "image_filter" / "model.ckpt.index"), "--tree")
    assert tree.returncode == 0
    assert "image_filters/" in tree.stdout
    assert "conv1/" in tree.stdout


def test_convert_round_trip_and_diff(tmp_path):
    st = tmp_path / "w.safetensors"
    back = tmp_path / "back" / "model.ckpt"
    r1 = run("convert", str(FIXTURES / "image_filter"), str(st))
    assert r1.returncode == 0, r1.stderr
    assert r1.stdout.strip() == f"wrote 4 tensors to {st} (safetensors)"
    ls = run("ls", str(st), "--json")
    assert len(json.loads(ls.stdout)) == 4
    r2 = run("convert", str(st), str(back))
    assert r2.returncode == 0, r2.stderr
    d = run("diff", str(FIXTURES / "image_filter"), str(back))
    assert d.returncode == 0
    assert d.stdout.strip() == "no differences (4 tensors)"
    d2 = run("diff", str(st), str(FIXTURES / "image_filter" / "model.ckpt"))
    assert d2.returncode == 0


def test_diff_reports_each_kind(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    with BundleWriter(a) as w:
        w.add("same", np.ones(3, np.float32))
        w.add("close", np.array([1.0, 2.0], np.float32))
        w.add("shape", np.zeros(2, np.float32))
        w.add("dtype", np.zeros(2, np.float32))
        w.add("only_a", np.zeros(1, np.float32))
    with BundleWriter(b) as w:
        w.add("same", np.ones(3, np.float32))
        w.add("close", np.array([1.0, 2.001], np.float32))
        w.add("shape", np.zeros(3, np.float32))
        w.add("dtype", np.zeros(2, np.float64))
        w.add("only_b", np.zeros(1, np.float32))
    out = run("diff", str(a), str(b))
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert "only in A: only_a" in lines
    assert "only in B: only_b" in lines
    assert "shape shape: [2] vs [3]" in lines
    assert "dtype dtype: float32 vs float64" in lines
    assert any(line.startswith("value close: 1 of 2 elements differ") for line in lines)
    assert lines[-1] == "5 difference(s)"
    tol = run("diff", str(a), str(b), "--atol", "0.01")
    assert "value close" not in tol.stdout
    assert tol.returncode == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ls", "/nonexistent/model.ckpt"), "checkpoint not found: /nonexistent/model.ckpt"),
        (("ls", "/nonexistent/x.safetensors"), "safetensors file not found"),
        (("convert", str(FIXTURES / "mixed_dtypes"), "/tmp/x.safetensors"), "in safetensors"),
    ],
)
def test_errors_are_one_line_exit_2(args, message, tmp_path):
    out = run(*args)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1
    assert out.stderr.startswith("scopeflow: error: ")
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_empty_dir_and_corrupt(tmp_path):
    out = run("ls", str(tmp_path))
    assert out.returncode == 2
    assert "no checkpoint found in directory" in out.stderr
    prefix = tmp_path / "m"
    with BundleWriter(prefix) as w:
        w.add("v", np.ones(4, np.float32))
    data = Path(f"{prefix}.data-00000-of-00001")
    data.write_bytes(b"\x00" * data.stat().st_size)
    out = run("diff", str(prefix), str(prefix))
    assert out.returncode == 2
    assert "Checksum does not match" in out.stderr
    with BundleReader(prefix) as r:
        assert r.keys() == ["v"]


def test_console_script_entry_point():
    exe = Path(sys.executable).parent / "scopeflow"
    if not exe.exists():
        pytest.skip("console script not installed in this environment")
    out = subprocess.run([str(exe), "ls", str(FIXTURES / "image_filter"), "--json"],
                         capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert out.returncode == 0
    assert len(json.loads(out.stdout)) == 4
