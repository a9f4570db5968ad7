"""The ``checkpoint`` state file: parsing, path resolution (incl. moved dirs) and writing."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from scopeflow.checkpoint import (
    BundleWriter,
    CheckpointState,
    DataLossError,
    checkpoint_exists,
    get_checkpoint_state,
    latest_checkpoint,
    update_checkpoint_state,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tf1_checkpoints"


def _touch_checkpoint(prefix: Path) -> None:
    with BundleWriter(prefix) as writer:
        writer.add("global_step", np.int64(1))


def test_moved_checkpoint_with_absolute_paths_resolves_next_to_state_file() -> None:
    folder = FIXTURES / "checkpoint_state"
    assert "/home/ml/tf1_train_run/model.ckpt-30" in (folder / "checkpoint").read_text()
    state = get_checkpoint_state(folder)
    assert state == CheckpointState(
        model_checkpoint_path=str(folder / "model.ckpt-30"),
        all_model_checkpoint_paths=[str(folder / "model.ckpt-20"), str(folder / "model.ckpt-30")],
    )
    assert latest_checkpoint(folder) == str(folder / "model.ckpt-30")


def test_relative_paths_join_the_state_directory(tmp_path: Path) -> None:
    _touch_checkpoint(tmp_path / "model.ckpt-5")
    (tmp_path / "checkpoint").write_text(
        'model_checkpoint_path: "model.ckpt-5"\nall_model_checkpoint_paths: "model.ckpt-5"\n'
    )
    assert latest_checkpoint(tmp_path) == str(tmp_path / "model.ckpt-5")
    assert latest_checkpoint(str(tmp_path)) == str(tmp_path / "model.ckpt-5")


def test_existing_absolute_path_is_used_as_written(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    _touch_checkpoint(elsewhere / "model.ckpt")
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    update_checkpoint_state(state_dir, str(elsewhere / "model.ckpt"))
    assert latest_checkpoint(state_dir) == str(elsewhere / "model.ckpt")


def test_windows_style_absolute_path_falls_back_to_basename(tmp_path: Path) -> None:
    _touch_checkpoint(tmp_path / "model.ckpt-9")
    (tmp_path / "checkpoint").write_text(
        'model_checkpoint_path: "C:\\\\Users\\\\me\\\\run\\\\model.ckpt-9"\n'
    )
    assert latest_checkpoint(tmp_path) == str(tmp_path / "model.ckpt-9")


def test_missing_checkpoint_gives_none(tmp_path: Path) -> None:
    assert latest_checkpoint(tmp_path) is None
    assert get_checkpoint_state(tmp_path) is None
    (tmp_path / "checkpoint").write_text('model_checkpoint_path: "/gone/model.ckpt-1"\n')
    assert latest_checkpoint(tmp_path) is None
    state = get_checkpoint_state(tmp_path)
    assert state is not None
    assert state.model_checkpoint_path == "/gone/model.ckpt-1"


def test_custom_latest_filename(tmp_path: Path) -> None:
    _touch_checkpoint(tmp_path / "m")
    update_checkpoint_state(tmp_path, "m", latest_filename="best")
    assert latest_checkpoint(tmp_path) is None
    assert latest_checkpoint(tmp_path, latest_filename="best") == str(tmp_path / "m")


def test_parser_tolerates_comments_spacing_unknown_fields_and_escapes(tmp_path: Path) -> None:
    (tmp_path / "checkpoint").write_text(
        "# written by hand\n"
        'model_checkpoint_path:"dir/m\\303\\251\\"x"   # trailing comment\n'
        "unknown_field: 12\n"
        "unknown_message { nested: 'a' deeper { x: 1 } }\n"
        "all_model_checkpoint_paths: 'a' 'b'\n"
        "all_model_checkpoint_timestamps: [1.5, 2e3]\n"
        "last_preserved_timestamp: 7\n"
    )
    state = get_checkpoint_state(tmp_path)
    assert state is not None
    assert state.model_checkpoint_path == str(tmp_path / 'dir/mé"x')
    assert state.all_model_checkpoint_paths == [str(tmp_path / "ab")]
    assert state.all_model_checkpoint_timestamps == [1.5, 2000.0]
    assert state.last_preserved_timestamp == 7.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param('model_checkpoint_path: "unterminated\n', "unexpected character", id="quote"),
        pytest.param('model_checkpoint_path "x"\n', "expected ':'", id="colon"),
        pytest.param('all_model_checkpoint_paths: "a"\n', "Invalid checkpoint state", id="empty"),
        pytest.param('model_checkpoint_path: ""\n', "Invalid checkpoint state", id="blank"),
        pytest.param("model_checkpoint_path: 12\n", "expected a quoted string", id="number"),
        pytest.param(
            'model_checkpoint_path: "a"\nlast_preserved_timestamp: x\n', "invalid number", id="nan"
        ),
        pytest.param('model_checkpoint_path: "\\q"\n', "invalid escape", id="escape"),
    ],
)
def test_malformed_state_file(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "checkpoint").write_text(text)
    with pytest.raises(DataLossError, match=message) as info:
        get_checkpoint_state(tmp_path)
    assert str(tmp_path / "checkpoint") in str(info.value)


def test_update_writes_tf_text_format(tmp_path: Path) -> None:
    update_checkpoint_state(
        tmp_path,
        str(tmp_path / "model.ckpt-30"),
        [str(tmp_path / "model.ckpt-20"), str(tmp_path / "model.ckpt-30")],
        all_model_checkpoint_timestamps=[1700000000.25, 1e22],
        last_preserved_timestamp=1.0,
        save_relative_paths=True,
    )
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "model.ckpt-30"\n'
        'all_model_checkpoint_paths: "model.ckpt-20"\n'
        'all_model_checkpoint_paths: "model.ckpt-30"\n'
        "all_model_checkpoint_timestamps: 1700000000.25\n"
        "all_model_checkpoint_timestamps: 1e+22\n"
        "last_preserved_timestamp: 1.0\n"
    )


def test_update_round_trips_unusual_names(tmp_path: Path) -> None:
    name = 'we\'ird "name"\twith\\stuff ✓'
    _touch_checkpoint(tmp_path / name)
    update_checkpoint_state(tmp_path, name)
    assert latest_checkpoint(tmp_path) == str(tmp_path / name)


def test_update_validates_like_tf(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must match checkpoint paths"):
        update_checkpoint_state(tmp_path, "m-2", ["m-1"], all_model_checkpoint_timestamps=[1.0])
    with pytest.raises(RuntimeError, match="conflicts with path used for checkpoint state"):
        update_checkpoint_state(tmp_path, str(tmp_path / "checkpoint"))


def test_checkpoint_exists(tmp_path: Path) -> None:
    assert not checkpoint_exists(tmp_path / "m")
    _touch_checkpoint(tmp_path / "m")
    assert checkpoint_exists(tmp_path / "m")
    assert checkpoint_exists(str(tmp_path / "m"))
    assert not checkpoint_exists(tmp_path / "m.index")


def test_copy_of_fixture_directory_still_resolves(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "checkpoint_state", tmp_path / "copy")
    assert latest_checkpoint(tmp_path / "copy") == str(tmp_path / "copy" / "model.ckpt-30")
