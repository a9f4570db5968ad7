"""BundleWriter → BundleReader round trips, bit-exact, for every dtype and layout."""

from __future__ import annotations

from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

from scopeflow.checkpoint import BundleReader, BundleWriteError, BundleWriter

RNG = np.random.default_rng(0)


def _bits(a: np.ndarray) -> bytes:
    return np.ascontiguousarray(a).tobytes()


NUMERIC = [
    pytest.param(np.array([1.5, np.nan, -0.0, np.inf, 1e-45], np.float32), 1, id="float32"),
    pytest.param(np.array([5e-324, -np.inf, 1 / 3]), 2, id="float64"),
    pytest.param(np.array([[1, -2], [2**31 - 1, -(2**31)]], np.int32), 3, id="int32"),
    pytest.param(np.arange(256, dtype=np.uint8), 4, id="uint8"),
    pytest.param(np.array([-32768, 32767], np.int16), 5, id="int16"),
    pytest.param(np.array([-128, 127, 0], np.int8), 6, id="int8"),
    pytest.param(np.array([1 + 2j, np.nan - 1j], np.complex64), 8, id="complex64"),
    pytest.param(np.array([[1e300 - 1e-300j]], np.complex128), 18, id="complex128"),
    pytest.param(np.array([-(2**63), 2**63 - 1], np.int64), 9, id="int64"),
    pytest.param(np.array([True, False, True]), 10, id="bool"),
    pytest.param(np.array([1.0, -2.5, 3e38], ml_dtypes.bfloat16), 14, id="bfloat16"),
    pytest.param(np.array([0, 65535], np.uint16), 17, id="uint16"),
    pytest.param(np.array([1.0, -65504.0, 6e-8], np.float16), 19, id="float16"),
    pytest.param(np.array([0, 2**32 - 1], np.uint32), 22, id="uint32"),
    pytest.param(np.array([0, 2**64 - 1], np.uint64), 23, id="uint64"),
    pytest.param(np.float32(3.25), 1, id="scalar-float32"),
    pytest.param(np.int64(-7), 9, id="scalar-int64"),
    pytest.param(np.bool_(True), 10, id="scalar-bool"),
    pytest.param(np.zeros((0,), np.float32), 1, id="empty-1d"),
    pytest.param(np.zeros((3, 0, 2), np.int32), 3, id="empty-3d"),
    pytest.param(np.arange(24, dtype=">f8").reshape(2, 3, 4), 2, id="big-endian-input"),
    pytest.param(np.arange(30, dtype=np.float32).reshape(5, 6)[::2, 1:4], 1, id="non-contiguous"),
]


@pytest.mark.parametrize(("array", "enum"), NUMERIC)
def test_numeric_round_trip(tmp_path: Path, array: np.ndarray, enum: int) -> None:
    prefix = tmp_path / "model.ckpt"
    with BundleWriter(prefix) as writer:
        writer.add("x", array)
    with BundleReader(prefix) as reader:
        assert reader.dtype_enum("x") == enum
        got = reader.get_tensor("x")
    assert got.shape == array.shape
    assert got.dtype == array.dtype.newbyteorder("=")
    assert _bits(got) == _bits(array.astype(array.dtype.newbyteorder("<")))


STRINGS = [
    pytest.param(np.array([b"", b"hello", b"\x00\xffbin\x00"], object), id="1d-bytes"),
    pytest.param(np.array(["héllo wörld ✓", ""], object), id="str-utf8"),
    pytest.param(np.array(b"scalar string", object), id="scalar"),
    pytest.param(np.array([], object), id="empty"),
    pytest.param(np.array([[b"a", b"bb", b"ccc"], [b"", b"x" * 200, b"y"]], object), id="2d"),
    pytest.param(np.array([b"z" * 70000], object), id="long-3-byte-varint"),
    pytest.param(np.array([b"a", b"bc"], dtype="S2"), id="numpy-S"),
    pytest.param(np.array(["ab", "c"], dtype="U2"), id="numpy-U"),
]


@pytest.mark.parametrize("array", STRINGS)
def test_string_round_trip(tmp_path: Path, array: np.ndarray) -> None:
    prefix = tmp_path / "model.ckpt"
    with BundleWriter(prefix) as writer:
        writer.add("s", array)
    with BundleReader(prefix) as reader:
        assert reader.dtype_enum("s") == 7
        got = reader.get_tensor("s")
    assert got.dtype == object
    assert got.shape == array.shape
    expected = [e.encode() if isinstance(e, str) else bytes(e) for e in array.reshape(-1).tolist()]
    assert got.reshape(-1).tolist() == expected


def test_names_sorting_and_prefix_compression(tmp_path: Path) -> None:
    long_scope = "long_scope_" + "abcdefghij" * 30
    names = [
        f"{long_scope}/v",
        f"{long_scope}/w",
        "a/b/c/v",
        "a/b/c/v/x",
        "a/b-c/v",
        "a/b/c_v",
        "ünïcode/名前",
        *[f"layer_{i:04d}/kernel" for i in range(40)],
    ]
    prefix = tmp_path / "model.ckpt"
    values = {name: np.full((i % 3 + 1,), i, np.float32) for i, name in enumerate(names)}
    with BundleWriter(prefix) as writer:
        for name in reversed(names):
            writer.add(name, values[name])
    with BundleReader(prefix) as reader:
        assert reader.keys() == sorted(names, key=lambda n: n.encode())
        for name in names:
            assert _bits(reader.get_tensor(name)) == _bits(values[name])


def test_many_entries_give_multi_block_index(tmp_path: Path) -> None:
    prefix = tmp_path / "model.ckpt"
    names = [f"v{i:05d}/scope/block/sublayer/weights" for i in range(7000)]
    with BundleWriter(prefix) as writer:
        for i, name in enumerate(names):
            writer.add(name, np.float32(i))
    with BundleReader(prefix) as reader:
        assert reader._table.num_blocks >= 2
        assert reader.keys() == names
        assert reader.get_tensor(names[-1]) == 6999.0
        assert reader.get_tensor(names[2500]) == 2500.0


def test_partitioned_round_trip_with_full_dim_extent(tmp_path: Path) -> None:
    full = np.arange(40, dtype=np.float32).reshape(10, 4)
    strings = np.array([b"r0", b"", b"r2", b"r3" * 100], object)
    prefix = tmp_path / "model.ckpt"
    with BundleWriter(prefix, num_shards=2) as writer:
        writer.add_slice("part", (10, 4), (7, 0), (3, 4), full[7:], shard_id=1)
        writer.add_slice("part", (10, 4), (0, 0), (4, 4), full[:4])
        writer.add_slice("part", (10, 4), (4, 0), (3, -1), full[4:7], shard_id=1)
        writer.add_slice("names", (4,), (0,), (1,), strings[:1])
        writer.add_slice("names", (4,), (1,), (3,), strings[1:])
        writer.add_slice("whole", (2, 2), (0, 0), (2, 2), np.eye(2))
    with BundleReader(prefix) as reader:
        assert reader.keys() == ["names", "part", "whole"]
        assert reader.variable_to_shape_map() == {"names": [4], "part": [10, 4], "whole": [2, 2]}
        assert _bits(reader.get_tensor("part")) == _bits(full)
        assert reader.get_tensor("names").tolist() == strings.tolist()
        assert reader._entry(b"whole").slices == ()  # a full "slice" is stored as a plain entry
        part = reader._entry(b"part")
        assert part.slices == (((7, 3), (0, 4)), ((0, 4), (0, 4)), ((4, 3), (0, -1)))


def test_multi_shard_offsets_are_per_file(tmp_path: Path) -> None:
    prefix = tmp_path / "model.ckpt"
    with BundleWriter(prefix, num_shards=3) as writer:
        writer.add("a", np.arange(3, dtype=np.int64), shard_id=2)
        writer.add("b", np.arange(5, dtype=np.float32), shard_id=0)
        writer.add("c", np.array([b"x"], object), shard_id=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "model.ckpt.data-00000-of-00003",
        "model.ckpt.data-00001-of-00003",
        "model.ckpt.data-00002-of-00003",
        "model.ckpt.index",
    ]
    assert (tmp_path / "model.ckpt.data-00001-of-00003").stat().st_size == 0
    with BundleReader(prefix) as reader:
        assert reader.header.num_shards == 3
        assert (reader._entry(b"a").shard_id, reader._entry(b"a").offset) == (2, 0)
        assert (reader._entry(b"c").shard_id, reader._entry(b"c").offset) == (2, 24)
        assert reader.get_tensor("a").tolist() == [0, 1, 2]
        assert reader.get_tensor("b").tolist() == [0, 1, 2, 3, 4]
        assert reader.get_tensor("c").tolist() == [b"x"]


def test_explicit_quantized_dtype_enum(tmp_path: Path) -> None:
    prefix = tmp_path / "model.ckpt"
    with BundleWriter(prefix) as writer:
        writer.add("q", np.array([-3, 4], np.int8), dtype_enum=11)
    with BundleReader(prefix) as reader:
        assert reader.dtype_enum("q") == 11
        assert reader.get_tensor("q").tolist() == [-3, 4]


WRITE_ERRORS = [
    pytest.param(lambda w: (w.add("a", 1.0), w.add("a", 2.0)), "duplicate key", id="duplicate"),
    pytest.param(lambda w: w.add("", 1.0), "must not be empty", id="empty-name"),
    pytest.param(lambda w: w.add("a", np.float32(1), shard_id=1), "shard_id 1", id="bad-shard"),
    pytest.param(lambda w: w.add("a", np.zeros(2, np.float128)), "no TensorFlow", id="float128"),
    pytest.param(lambda w: w.add("a", np.array([1], object)), "not bytes or str", id="obj-int"),
    pytest.param(
        lambda w: w.add("a", np.zeros(2, np.int16), dtype_enum=11), "does not store", id="enum"
    ),
    pytest.param(lambda w: w.add("a", 1.0, dtype_enum=21), "unsupported dtype", id="variant"),
    pytest.param(
        lambda w: w.add_slice("p", (4,), (2,), (3,), np.zeros(3)), "invalid for dim", id="oob"
    ),
    pytest.param(
        lambda w: w.add_slice("p", (4,), (0,), (0,), np.zeros(0)), "invalid for dim", id="len0"
    ),
    pytest.param(
        lambda w: w.add_slice("p", (4,), (0,), (2,), np.zeros(3)), "expected \\[2\\]", id="shape"
    ),
    pytest.param(
        lambda w: (
            w.add_slice("p", (4,), (0,), (2,), np.zeros(2)),
            w.add_slice("p", (4,), (0,), (2,), np.zeros(2)),
        ),
        "duplicate slice",
        id="dup-slice",
    ),
    pytest.param(
        lambda w: (
            w.add_slice("p", (4,), (0,), (2,), np.zeros(2)),
            w.add_slice("p", (4,), (2,), (2,), np.zeros(2, np.float32)),
        ),
        "differ from earlier",
        id="dtype-mismatch",
    ),
    pytest.param(
        lambda w: (w.add("p", 1.0), w.add_slice("p", (4,), (0,), (2,), np.zeros(2))),
        "duplicate key",
        id="slice-after-plain",
    ),
]


@pytest.mark.parametrize(("action", "message"), WRITE_ERRORS)
def test_writer_rejects_bad_input(tmp_path: Path, action, message: str) -> None:
    writer = BundleWriter(tmp_path / "model.ckpt")
    with pytest.raises(BundleWriteError, match=message):
        action(writer)
    writer.abort()
    assert list(tmp_path.iterdir()) == []


def test_writer_cannot_be_used_after_finish(tmp_path: Path) -> None:
    writer = BundleWriter(tmp_path / "model.ckpt")
    writer.add("a", 1.0)
    writer.finish()
    with pytest.raises(BundleWriteError, match="already finished"):
        writer.add("b", 2.0)
    with pytest.raises(BundleWriteError, match="already finished"):
        writer.finish()


def test_exception_inside_context_leaves_no_files(tmp_path: Path) -> None:
    def save() -> None:
        with BundleWriter(tmp_path / "m.ckpt") as writer:
            writer.add("a", np.zeros(1000))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        save()
    assert list(tmp_path.iterdir()) == []


def test_random_dtypes_and_shapes(tmp_path: Path) -> None:
    dtypes = [np.float32, np.float64, np.int8, np.uint16, np.int64, np.complex64, np.bool_]
    arrays = {}
    for i in range(60):
        shape = tuple(int(d) for d in RNG.integers(0, 4, size=RNG.integers(0, 4)))
        dtype = dtypes[i % len(dtypes)]
        raw = RNG.integers(
            0, 256, size=int(np.prod(shape)) * np.dtype(dtype).itemsize, dtype=np.uint8
        )
        array = raw.view(np.uint8 if dtype is np.bool_ else dtype).reshape(shape)
        arrays[f"t{i:02d}"] = (array != 0) if dtype is np.bool_ else array
    prefix = tmp_path / "model.ckpt"
    with BundleWriter(prefix) as writer:
        for name, array in arrays.items():
            writer.add(name, array)
    with BundleReader(prefix) as reader:
        for name, array in arrays.items():
            got = reader.get_tensor(name)
            assert got.shape == array.shape
            assert got.dtype == array.dtype
            assert _bits(got) == _bits(array)
