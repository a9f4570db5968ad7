"""Every TF-written fixture reads bit-exact against its recorded expected.json / expected.npz."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from scopeflow.checkpoint import BundleReader, latest_checkpoint

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tf1_checkpoints"
GENERIC = ["image_filter", "mixed_dtypes", "partitioned", "multi_shard", "large"]


def _expected(folder: str) -> tuple[dict, dict[str, np.ndarray]]:
    meta = json.loads((FIXTURES / folder / "expected.json").read_text())
    with np.load(FIXTURES / folder / "expected.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    return meta, arrays


def _assert_bit_exact(actual: np.ndarray, expected: np.ndarray) -> None:
    assert actual.shape == expected.shape
    assert actual.dtype.itemsize == expected.dtype.itemsize
    assert actual.tobytes() == expected.tobytes()


def _check_variable(reader: BundleReader, var: dict, arrays: dict[str, np.ndarray]) -> None:
    name = var["name"]
    assert reader.dtype_enum(name) == var["dtype_enum"]
    assert list(reader.shape(name)) == var["shape"]
    value = reader.get_tensor(name)
    assert list(value.shape) == var["shape"]
    if var["dtype"] == "string":
        assert value.dtype == object
        assert [v.hex() for v in value.reshape(-1)] == var["values_hex"]
        assert all(type(v) is bytes for v in value.reshape(-1))
        return
    assert value.dtype.name == var["dtype"]
    if var.get("npz_key") is not None:
        expected = arrays[var["npz_key"]]
        if var["dtype"] == "bfloat16":
            _assert_bit_exact(value.view(np.uint16), expected)
        else:
            _assert_bit_exact(value, expected)
    else:
        digest = hashlib.sha256(value.astype("<f4").tobytes()).hexdigest()
        assert digest == var["sha256_le_bytes"]
        assert value.reshape(-1)[:8].tolist() == var["first_values"]
        assert value.reshape(-1)[-4:].tolist() == var["last_values"]


@pytest.mark.parametrize("folder", [pytest.param(f, id=f) for f in GENERIC])
def test_fixture_reads_bit_exact(folder: str) -> None:
    meta, arrays = _expected(folder)
    prefix = latest_checkpoint(FIXTURES / folder)
    assert prefix == str(FIXTURES / folder / meta["checkpoint_prefix"])
    with BundleReader(prefix) as reader:
        assert reader.header.num_shards == meta["num_shards"]
        assert reader.keys() == [v["name"] for v in meta["variables"]]
        for var in meta["variables"]:
            _check_variable(reader, var, arrays)


def test_variable_maps_hide_slice_keys() -> None:
    with BundleReader(FIXTURES / "partitioned" / "model.ckpt") as reader:
        assert reader.variable_to_shape_map() == {
            "part_cols": [6, 9],
            "part_int": [5],
            "part_var": [10, 4],
            "plain": [2, 2],
        }
        assert reader.variable_to_dtype_enum_map() == {
            "part_cols": 1,
            "part_int": 9,
            "part_var": 1,
            "plain": 1,
        }
        assert set(reader.variable_to_dtype_map().values()) == {np.dtype("f4"), np.dtype("i8")}
        assert reader.has_tensor("part_var")
        assert not reader.has_tensor(b"\x00part_var\x00\x01\x01\x02\x84\x83\x80\x84")
        assert not reader.has_tensor("")
        assert not reader.has_tensor("part_var/part_0")


def test_mmap_returns_read_only_view_with_same_bits() -> None:
    with BundleReader(FIXTURES / "image_filter" / "model.ckpt") as reader:
        names = reader.keys()
        for key in names:
            view = reader.get_tensor(key, mmap=True)
            assert not view.flags.writeable
            assert view.tobytes() == reader.get_tensor(key).tobytes()
        copy = reader.get_tensor(names[0])
    assert copy.flags.writeable
    assert copy.flags.c_contiguous


@pytest.mark.slow
def test_many_vars_reads_all_16000() -> None:
    meta = json.loads((FIXTURES / "many_vars" / "expected.json").read_text())
    with np.load(FIXTURES / "many_vars" / "expected.npz") as npz:
        names, ranks, values = npz["names"], npz["ranks"], npz["values_concat"]
    with BundleReader(FIXTURES / "many_vars" / "model.ckpt") as reader:
        assert reader._table.num_blocks == 4
        keys = reader.keys()
        assert len(keys) == meta["num_variables"]
        assert [k.encode() for k in keys] == [bytes(n) for n in names]
        got = np.concatenate([reader.get_tensor(k).reshape(-1) for k in keys])
        shapes = reader.variable_to_shape_map()
    assert got.tobytes() == values.astype("<f4").tobytes()
    assert [len(shapes[k]) for k in keys] == ranks.tolist()


def test_many_vars_point_lookup_reads_one_block() -> None:
    with BundleReader(FIXTURES / "many_vars" / "model.ckpt") as reader:
        key = "v15999/scope_4/block/sublayer/weights"
        assert reader.get_tensor(key).tolist() == [2999.75, -2999.75]
        assert sorted(reader._table._blocks) == [0, 3]  # header block + the key's block


@pytest.mark.parametrize(
    ("prefix", "step", "kernel"),
    [
        pytest.param("model.ckpt-20", 20, [[44.0, 48.0]], id="step20"),
        pytest.param("model.ckpt-30", 30, [[118.0, 126.0]], id="step30"),
    ],
)
def test_checkpoint_state_fixture_prefixes(prefix: str, step: int, kernel: list) -> None:
    _, arrays = _expected("checkpoint_state")
    with BundleReader(FIXTURES / "checkpoint_state" / prefix) as reader:
        assert reader.keys() == ["dense/kernel", "global_step"]
        assert reader.get_tensor("global_step").item() == step
        assert reader.get_tensor("global_step").dtype == np.int64
        assert reader.get_tensor("dense/kernel").tolist() == kernel
        names = reader.keys()
        for name in names:
            _assert_bit_exact(reader.get_tensor(name), arrays[f"{prefix}:{name}"])


def test_image_filter_entry_crc_matches_spec_example() -> None:
    with BundleReader(FIXTURES / "image_filter" / "model.ckpt") as reader:
        entry = reader._entry(b"image_filters/conv1/biases")
    assert (entry.offset, entry.size, entry.crc32c) == (0, 128, 0xC67C5FA8)
