"""``scopeflow graph ls|run|convert``: TF-written .pb/.meta/SavedModel files, TF's numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from scopeflow.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAVED = ROOT / "fixtures" / "saved_models"
FROZEN = ROOT / "graph_io" / "golden" / "frozen_convnet.pb"
META = ROOT / "graph_io" / "golden" / "tf_meta" / "model-5.meta"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["graph", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_ls_saved_model_lists_signature_and_op_types(capsys) -> None:
    code, out, _ = cli(capsys, "ls", SAVED / "mlp")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{SAVED / 'mlp'}: SavedModel, 64 nodes"
    assert "signature serving_default: tensorflow/serving/predict (shown)" in lines
    i = lines.index("inputs (1):")
    assert lines[i + 1].split() == ["x", "x:0", "float32", "[?,4]"]
    assert lines[i + 2] == "outputs (2):"
    assert lines[i + 3].split() == ["logits", "mlp/logits:0", "float32", "[?,3]"]
    assert "  MatMul                       2" in lines


def test_ls_json_graph_def_meta_and_tags(capsys) -> None:
    code, out, _ = cli(capsys, "ls", FROZEN, "--json")
    info = json.loads(out)
    assert (code, info["kind"], info["nodes"]) == (0, "GraphDef", 33)
    assert [t["name"] for t in info["inputs"]] == ["input:0"]
    assert [t["name"] for t in info["outputs"]] == ["top:0"]
    assert info["op_types"]["Conv2D"] == 1
    code, out, _ = cli(capsys, "ls", META, "--json")
    info = json.loads(out)
    assert info["kind"] == "MetaGraphDef"
    assert [t["name"] for t in info["inputs"]] == ["x:0"]
    assert [t["name"] for t in info["outputs"]] == ["z:0"]  # no save/ or init ops
    code, out, _ = cli(capsys, "ls", SAVED / "convnet" / "saved_model.pbtxt", "--tag", "train")
    assert code == 0
    assert "tag-sets: [['serve'], ['train']]; showing ['train']" in out
    assert "classes:0  int64  [?]" in out


def test_run_saved_model_gives_tf_outputs(capsys, tmp_path: Path) -> None:
    expected = np.load(SAVED / "convnet" / "expected.npz")
    np.save(tmp_path / "images.npy", expected["in:images"])
    feed = f"images={tmp_path / 'images.npy'}"
    code, out, err = cli(capsys, "run", SAVED / "convnet", "--input", feed, "--save",
                         tmp_path / "o.npz")  # fmt: skip
    assert (code, err) == (0, "")
    assert out.strip() == f"wrote 2 outputs to {tmp_path / 'o.npz'}"
    got = np.load(tmp_path / "o.npz")
    np.testing.assert_array_equal(got["classes"], expected["out:classes"])
    np.testing.assert_allclose(got["scores"], expected["out:scores"], rtol=1e-5, atol=1e-6)
    code, out, _ = cli(capsys, "run", SAVED / "convnet", "--input",
                       f"images:0={tmp_path / 'images.npy'}", "--output", "classes:0")  # fmt: skip
    assert out.splitlines()[0] == "classes:0: int64 [2]"


def test_run_meta_restores_checkpoint(capsys, tmp_path: Path) -> None:
    expected = np.load(META.parent / "expected.npz")
    np.savez(tmp_path / "feeds.npz", x=expected["x"])
    code, _, err = cli(capsys, "run", META, "--inputs", tmp_path / "feeds.npz", "--output", "z",
                       "--save", tmp_path / "o.npz")  # fmt: skip
    assert (code, err) == (0, "")
    np.testing.assert_allclose(np.load(tmp_path / "o.npz")["z"], expected["z"], rtol=1e-5,
                               atol=1e-6)  # fmt: skip


def test_convert_saved_model_frozen_and_back(capsys, tmp_path: Path) -> None:
    expected = np.load(SAVED / "mlp" / "expected.npz")
    np.save(tmp_path / "x.npy", expected["in:x"])
    code, out, _ = cli(capsys, "convert", SAVED / "mlp", tmp_path / "f.pb")
    assert code == 0
    assert out.strip().endswith("(frozen GraphDef; outputs ['mlp/logits', 'mlp/probs'])")
    from scopeflow.graph_io.files import read_graph_def

    ops = {n.op for n in read_graph_def(str(tmp_path / "f.pb")).node}
    assert "VariableV2" not in ops
    assert not ops & {"SaveV2", "RestoreV2"}
    assert cli(capsys, "convert", tmp_path / "f.pb", tmp_path / "f.pbtxt")[0] == 0
    assert cli(capsys, "convert", tmp_path / "f.pbtxt", tmp_path / "sm", "--output",
               "mlp/probs")[0] == 0  # fmt: skip
    assert cli(capsys, "convert", tmp_path / "sm", tmp_path / "m.meta")[0] == 0
    for src in ("f.pb", "f.pbtxt", "sm", "m.meta"):
        code, _, err = cli(capsys, "run", tmp_path / src, "--input", f"x={tmp_path / 'x.npy'}",
                           "--output", "mlp/probs:0", "--save", tmp_path / "o.npz")  # fmt: skip
        assert (code, err) == (0, ""), src
        np.testing.assert_allclose(np.load(tmp_path / "o.npz")["mlp/probs:0"],
                                   expected["out:probs"], rtol=1e-5, atol=1e-6)  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ls", "missing.pb"], "graph file not found: missing.pb"),
        (["ls", "{tmp}"], "is a directory without saved_model.pb or saved_model.pbtxt"),
        (["ls", "{trunc}"], "is not a valid binary GraphDef file (50 bytes; truncated"),
        (["ls", str(SAVED / "mlp"), "--tag", "gpu"], "no meta graph has the tag-set ['gpu']"),
        (["run", str(SAVED / "mlp"), "--output", "nope"], "no tensor 'nope' (signature"),
        (["run", str(SAVED / "mlp"), "--input", "x"], "--input expects NAME=FILE.npy, got 'x'"),
        (["run", str(SAVED / "mlp"), "--input", "x=none.npy"], "cannot read input file none.npy"),
        (["convert", str(FROZEN), "{tmp}/out.onnx"], "unknown kind (use .pb, .pbtxt, .meta"),
        (["convert", str(FROZEN), str(SAVED / "mlp")], "Export directory already exists"),
        (["run", str(META.with_name("model-5x.meta"))], "graph file not found"),
    ],
)
def test_errors_one_line_exit_2(capsys, tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "trunc.pb").write_bytes((SAVED / "mlp" / "saved_model.pb").read_bytes()[:50])
    args = [a.format(tmp=tmp_path, trunc=tmp_path / "trunc.pb") for a in args]
    code, out, err = cli(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.startswith("scopeflow: error: ")
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_meta_without_checkpoint_is_a_clear_error(capsys, tmp_path: Path) -> None:
    (tmp_path / "m.meta").write_bytes(META.read_bytes())
    code, _, err = cli(capsys, "run", tmp_path / "m.meta", "--output", "z")
    assert code == 2
    assert "the graph has variables but no checkpoint" in err


@pytest.mark.slow
def test_entry_point_subprocess() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "scopeflow", "graph", "ls", str(FROZEN)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"{FROZEN}: GraphDef, 33 nodes")


def test_convert_saved_model_to_saved_model_keeps_signatures(capsys, tmp_path: Path) -> None:
    code, out, _ = cli(capsys, "convert", SAVED / "convnet", tmp_path / "re")
    assert code == 0
    assert out.strip() == (
        f"wrote SavedModel {tmp_path / 're'} (tags ['serve'], signatures ['scores', "
        "'serving_default'])"
    )
    expected = np.load(SAVED / "convnet" / "expected.npz")
    np.save(tmp_path / "i.npy", expected["in:images"])
    code, _, err = cli(capsys, "run", tmp_path / "re", "--signature", "scores", "--input",
                       f"images={tmp_path / 'i.npy'}", "--save", tmp_path / "o.npz")  # fmt: skip
    assert (code, err) == (0, "")
    np.testing.assert_allclose(np.load(tmp_path / "o.npz")["scores"], expected["out:scores"],
                               rtol=1e-5, atol=1e-6)  # fmt: skip
