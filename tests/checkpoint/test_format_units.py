"""Unit tests of the format primitives against the spec's worked examples."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from scopeflow.checkpoint import BundleReader, DataLossError
from scopeflow.checkpoint._block import BlockBuilder, decode_block
from scopeflow.checkpoint._crc import crc32c, crc32c_extend, mask, unmask
from scopeflow.checkpoint._ordered_code import (
    encode_slice_key,
    write_num_increasing,
    write_signed_num_increasing,
)
from scopeflow.checkpoint._proto import (
    BundleEntry,
    BundleHeader,
    _decode_entry_general,
    decode_dtype_and_shape,
    decode_entry,
    decode_header,
    encode_entry,
    encode_header,
)
from scopeflow.checkpoint._table_builder import build_table, short_successor, shortest_separator
from scopeflow.checkpoint._table_reader import TableReader
from scopeflow.checkpoint._tensor_codec import encode_strings
from scopeflow.checkpoint._wire import decode_varint, encode_varint

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tf1_checkpoints"
ALL_INDEXES = sorted(FIXTURES.glob("*/*.index"))


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        pytest.param(0, "00", id="0"),
        pytest.param(127, "7f", id="127"),
        pytest.param(178, "b201", id="178"),
        pytest.param(300, "ac02", id="300"),
        pytest.param(102400, "80a006", id="102400"),
        pytest.param(2**64 - 1, "ffffffffffffffffff01", id="max"),
    ],
)
def test_varint(value: int, encoded: str) -> None:
    assert encode_varint(value).hex() == encoded
    assert decode_varint(bytes.fromhex(encoded), 0, len(encoded) // 2) == (value, len(encoded) // 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"\x80\x80", "truncated varint", id="truncated"),
        pytest.param(b"\xff" * 11, "longer than 10", id="too-long"),
        pytest.param(b"\xff" * 9 + b"\x7f", "does not fit in 64 bits", id="overflow"),
    ],
)
def test_bad_varints(data: bytes, message: str) -> None:
    with pytest.raises(DataLossError, match=message):
        decode_varint(data, 0, len(data))


def test_crc32c_and_mask_spec_values() -> None:
    assert crc32c(b"123456789") == 0xE3069283
    assert crc32c(b"") == 0
    assert crc32c_extend(crc32c(b"12345"), b"6789") == 0xE3069283
    assert mask(0) == 0xA282EAD8
    assert mask(0xBA6811FC) == 0xC67C5FA8
    for value in (0, 1, 0xFFFFFFFF, 0x12345678):
        assert unmask(mask(value)) == value


def test_string_payload_spec_example() -> None:
    payload, crc = encode_strings([b"scalar string"])
    assert payload.hex() == "0d" + "611b5709" + b"scalar string".hex()
    assert crc == 0xD566823C
    assert encode_strings([]) == (bytes.fromhex("d8ea82a2"), 0x640CC1F6)


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        pytest.param(0, "80", id="0"),
        pytest.param(4, "84", id="4"),
        pytest.param(-1, "7f", id="-1"),
        pytest.param(63, "bf", id="63"),
        pytest.param(-64, "40", id="-64"),
        pytest.param(100, "c064", id="100"),
        pytest.param(1000, "c3e8", id="1000"),
        pytest.param(-100, "3f9c", id="-100"),
        pytest.param(0x424242, "f0424242", id="0x424242"),
        pytest.param(-0x800, "3800", id="-0x800"),
    ],
)
def test_signed_num_increasing(value: int, encoded: str) -> None:
    assert write_signed_num_increasing(value).hex() == encoded


def test_signed_num_increasing_preserves_order() -> None:
    values = sorted(
        {0, -1, 1, *(int(v) for v in np.random.default_rng(5).integers(-(2**62), 2**62, 400))}
    )
    values += [-(2**63), 2**63 - 1]
    values.sort()
    encoded = [write_signed_num_increasing(v) for v in values]
    assert encoded == sorted(encoded)


def test_ordered_code_keys() -> None:
    assert write_num_increasing(0).hex() == "00"
    assert write_num_increasing(2).hex() == "0102"
    assert write_num_increasing(300).hex() == "02012c"
    assert encode_slice_key(b"part_var", [(4, 3), (0, 4)]) == (
        b"\x00part_var\x00\x01\x01\x02\x84\x83\x80\x84"
    )
    assert (
        encode_slice_key(b"a\x00b\xffc", [(0, -1)]).hex()
        == "00" + "6100ff62ff00630001" + "01" + "01807f"
    )


def test_separators() -> None:
    assert shortest_separator(b"abc", b"abd") == b"abc"
    assert shortest_separator(b"abc", b"abcd") == b"abc"
    assert shortest_separator(b"a\xff", b"b") == b"a\xff"
    assert short_successor(b"image_filters/conv2/weights") == b"j"
    assert short_successor(b"\xff\xffa") == b"\xff\xffb"
    assert short_successor(b"\xff\xff") == b"\xff\xff"


def test_block_restarts_every_16_entries_and_validation() -> None:
    builder = BlockBuilder(16)
    keys = [f"key{i:03d}".encode() for i in range(40)]
    for key in keys:
        builder.add(key, b"v")
    block = builder.finish()
    assert int.from_bytes(block[-4:], "little") == 3
    assert decode_block(block) == (keys, [b"v"] * 40)
    empty = BlockBuilder(16).finish()
    assert empty == bytes.fromhex("0000000001000000")
    assert decode_block(empty) == ([], [])
    with pytest.raises(DataLossError, match="restarts do not fit"):
        decode_block(b"\x00\x00\x00\x00\xff\x00\x00\x00")
    bad_restart = bytearray(block)
    bad_restart[-8] += 1  # last restart offset now points into the middle of an entry
    with pytest.raises(DataLossError, match="restart"):
        decode_block(bytes(bad_restart))


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            id=f"{p.parent.name}/{p.name}",
            marks=[pytest.mark.slow] if p.parent.name == "many_vars" else [],
        )
        for p in ALL_INDEXES
    ],
)
def test_every_fixture_entry_reencodes_identically(path: Path) -> None:
    items = list(TableReader(str(path)).items())
    header = decode_header(items[0][1])
    assert encode_header(header) == items[0][1]
    for _, value in items[1:]:
        entry = decode_entry(value)
        assert entry == _decode_entry_general(value)
        assert decode_dtype_and_shape(value) == (None if entry.slices else entry[:2])
        assert encode_entry(entry) == value
    assert build_table(items) == path.read_bytes()


def test_general_decoder_handles_reordered_duplicate_and_unknown_fields() -> None:
    canonical = encode_entry(BundleEntry(1, (2,), 0, 8, 8, 0x1234))
    assert decode_entry(canonical) == BundleEntry(1, (2,), 0, 8, 8, 0x1234)
    reordered = bytes.fromhex("2808") + bytes.fromhex("0801") + bytes.fromhex("1204120208 02")
    assert decode_entry(reordered) == BundleEntry(1, (2,), size=8)
    duplicated = canonical + bytes.fromhex("0802")  # last dtype wins
    assert decode_entry(duplicated).dtype == 2
    unknown = canonical + bytes.fromhex("f80101") + bytes.fromhex("8201 03 616263")
    assert decode_entry(unknown) == decode_entry(canonical)
    assert decode_entry(bytes.fromhex("0801")).shape == ()  # missing shape = scalar
    header = decode_header(bytes.fromhex("0802 1a08 0801 1002 1a02 0304"))
    assert header == BundleHeader(num_shards=2, producer=1, min_consumer=2, bad_consumers=(3, 4))
    assert decode_header(bytes.fromhex("1a06 0801 1803 1804")).bad_consumers == (3, 4)


def test_snappy_compressed_index_is_read(tmp_path: Path) -> None:
    for path in (FIXTURES / "mixed_dtypes").glob("model.ckpt.*"):
        shutil.copy(path, tmp_path / path.name)
    index = tmp_path / "model.ckpt.index"
    items = list(TableReader(str(index)).items())
    index.write_bytes(build_table(items, snappy=True, block_size=300))
    table = TableReader(str(index))
    assert table.num_blocks > 1
    assert list(table.items()) == items
    with BundleReader(tmp_path / "model.ckpt") as reader:
        assert reader.get_tensor("scalars/string") == b"scalar string"
        assert len(reader.keys()) == 31


def test_big_endian_bundle_is_byteswapped(tmp_path: Path) -> None:
    values = {
        "f": np.array([1.5, -2.0], ">f4"),
        "c": np.array([1 + 2j], ">c16"),
        "i": np.array([[1, -2]], ">i8"),
        "s": np.array([b"ab"], object),
    }
    items = [(b"", encode_header(BundleHeader(endianness=1)))]
    data = b""
    for name in sorted(values):
        value = values[name]
        if value.dtype == object:
            raw, crc = encode_strings(list(value))
            dtype = 7
        else:
            raw, crc = value.tobytes(), mask(crc32c(value.tobytes()))
            dtype = {"f": 1, "c": 18, "i": 9}[name]
        entry = BundleEntry(dtype, value.shape, 0, len(data), len(raw), crc)
        items.append((name.encode(), encode_entry(entry)))
        data += raw
    prefix = tmp_path / "be.ckpt"
    Path(f"{prefix}.index").write_bytes(build_table(items))
    Path(f"{prefix}.data-00000-of-00001").write_bytes(data)
    with BundleReader(prefix) as reader:
        for name, value in values.items():
            got = reader.get_tensor(name)
            assert got.tolist() == value.tolist()
            assert got.dtype.byteorder in "=|"
