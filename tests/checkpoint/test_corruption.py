"""Corrupt, truncated and malicious checkpoints raise clear errors naming the file and key."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from scopeflow.checkpoint import (
    BundleReader,
    CheckpointError,
    CheckpointNotFoundError,
    DataLossError,
    TensorNotFoundError,
    UnsupportedCheckpointError,
)
from scopeflow.checkpoint._crc import crc32c, mask
from scopeflow.checkpoint._ordered_code import encode_slice_key
from scopeflow.checkpoint._proto import BundleEntry, BundleHeader, encode_entry, encode_header
from scopeflow.checkpoint._table_builder import build_table
from scopeflow.checkpoint._table_reader import TableReader
from scopeflow.checkpoint._tensor_codec import encode_strings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tf1_checkpoints"
MIXED = FIXTURES / "mixed_dtypes" / "model.ckpt"


def _copy_mixed(tmp_path: Path) -> Path:
    for suffix in (".index", ".data-00000-of-00001"):
        shutil.copy(f"{MIXED}{suffix}", tmp_path / f"model.ckpt{suffix}")
    return tmp_path / "model.ckpt"


def _read_everything(prefix: Path) -> None:
    with BundleReader(prefix) as reader:
        reader.variable_to_shape_map()
        names = reader.keys()
        for key in names:
            reader.get_tensor(key)


def _mutate(path: Path, change: Callable[[bytearray], bytes | bytearray]) -> None:
    path.write_bytes(bytes(change(bytearray(path.read_bytes()))))


def _flip(offset: int) -> Callable[[bytearray], bytearray]:
    def change(data: bytearray) -> bytearray:
        data[offset] ^= 0x01
        return data

    return change


FILE_CORRUPTIONS = [
    pytest.param(".index", _flip(-1), "bad magic number", id="index-magic"),
    pytest.param(".index", lambda d: d[:40], "not an sstable", id="index-shorter-than-footer"),
    pytest.param(".index", lambda d: b"", "not an sstable", id="index-empty"),
    pytest.param(".index", lambda d: d[:500] + d[-48:], "beyond end of file", id="index-truncated"),
    pytest.param(".index", _flip(100), "block checksum mismatch", id="index-data-block-byte"),
    pytest.param(".index", _flip(1018), "checksum mismatch in index block", id="index-index-block"),
    pytest.param(".index", _flip(998), "block checksum mismatch", id="index-trailer-type"),
    pytest.param(
        ".index",
        lambda d: d[:-48] + b"\xff" * 11 + bytes(29) + d[-8:],
        "varint longer than 10 bytes",
        id="footer-absurd-varint",
    ),
    pytest.param(
        ".index",
        lambda d: d[:-48] + bytes.fromhex("00 08 ffffffffff0f 0f").ljust(40, b"\0") + d[-8:],
        "beyond end of file",
        id="footer-huge-offset",
    ),
    pytest.param(".data-00000-of-00001", _flip(300), "Checksum does not match", id="data-byte"),
    pytest.param(
        ".data-00000-of-00001", _flip(348), "length checksum does not match", id="data-string-len"
    ),
    pytest.param(".data-00000-of-00001", lambda d: d[:600], "run past the end", id="data-short"),
]


@pytest.mark.parametrize(("suffix", "change", "message"), FILE_CORRUPTIONS)
def test_corrupt_files_raise_data_loss(
    tmp_path: Path, suffix: str, change: Callable[[bytearray], bytes], message: str
) -> None:
    prefix = _copy_mixed(tmp_path)
    _mutate(tmp_path / f"model.ckpt{suffix}", change)
    with pytest.raises(DataLossError, match=message) as info:
        _read_everything(prefix)
    assert str(tmp_path) in str(info.value)


def test_data_checksum_error_names_file_and_key(tmp_path: Path) -> None:
    prefix = _copy_mixed(tmp_path)
    _mutate(tmp_path / "model.ckpt.data-00000-of-00001", _flip(160))  # inside dtypes/float32
    with BundleReader(prefix) as reader:
        assert reader.get_tensor("dtypes/float64").shape == (5,)  # other tensors still load
        with pytest.raises(DataLossError) as info:
            reader.get_tensor("dtypes/float32")
    message = str(info.value)
    assert "Checksum does not match" in message
    assert "model.ckpt.data-00000-of-00001" in message
    assert "key 'dtypes/float32'" in message
    assert info.value.key == b"dtypes/float32"


def test_missing_files(tmp_path: Path) -> None:
    with pytest.raises(CheckpointNotFoundError, match="index file not found"):
        BundleReader(tmp_path / "nothing")
    (tmp_path / "v1.ckpt").write_bytes(b"legacy")
    with pytest.raises(UnsupportedCheckpointError, match="V1"):
        BundleReader(tmp_path / "v1.ckpt")
    prefix = _copy_mixed(tmp_path)
    (tmp_path / "model.ckpt.data-00000-of-00001").unlink()
    with BundleReader(prefix) as reader:
        assert len(reader.keys()) == 31  # listing needs only the index
        with pytest.raises(CheckpointNotFoundError, match="data file not found") as info:
            reader.get_tensor("a/b/v")
        with pytest.raises(TensorNotFoundError, match="Key nope not found in checkpoint"):
            reader.get_tensor("nope")
    assert isinstance(info.value, FileNotFoundError)


DEFAULT_HEADER = BundleHeader()


def _craft(
    tmp_path: Path,
    entries: dict[bytes, BundleEntry | bytes],
    data: bytes = b"",
    header: BundleHeader | bytes = DEFAULT_HEADER,
    num_data_files: int = 1,
) -> Path:
    """Write an index with arbitrary (possibly invalid) entries and a data file."""
    head = header if isinstance(header, bytes) else encode_header(header)
    items = [(b"", head)] if head is not None else []
    for key in sorted(entries):
        value = entries[key]
        items.append((key, value if isinstance(value, bytes) else encode_entry(value)))
    prefix = tmp_path / "crafted.ckpt"
    Path(f"{prefix}.index").write_bytes(build_table(items))
    for shard in range(num_data_files):
        Path(f"{prefix}.data-{shard:05d}-of-{num_data_files:05d}").write_bytes(data)
    return prefix


F32 = np.arange(4, dtype="<f4").tobytes()
F32_CRC = mask(crc32c(F32))


def _ok(**overrides: object) -> BundleEntry:
    fields = {"dtype": 1, "shape": (4,), "size": 16, "crc32c": F32_CRC}
    fields.update(overrides)
    return BundleEntry(**fields)  # type: ignore[arg-type]


MALICIOUS = [
    pytest.param({b"x": _ok(size=12)}, DataLossError, "Invalid size in bundle entry", id="size"),
    pytest.param(
        {b"x": _ok(shape=(2**40, 2**40))}, DataLossError, "Invalid size", id="absurd-shape"
    ),
    pytest.param({b"x": _ok(offset=2**62)}, DataLossError, "run past the end", id="offset"),
    pytest.param({b"x": _ok(size=2**62)}, DataLossError, "run past the end", id="huge-size"),
    pytest.param({b"x": _ok(crc32c=0)}, DataLossError, "Checksum does not match", id="no-crc"),
    pytest.param({b"x": _ok(shard_id=1)}, DataLossError, "not below num_shards", id="shard"),
    pytest.param({b"x": _ok(dtype=21)}, UnsupportedCheckpointError, "variant", id="variant"),
    pytest.param({b"x": _ok(dtype=101)}, UnsupportedCheckpointError, "DataType 101", id="ref"),
    pytest.param(
        {b"x": bytes.fromhex("0801 1204 120208ff")}, DataLossError, "corrupt bundle", id="proto"
    ),
    pytest.param(
        {b"x": bytes.fromhex("0801 120d 120b08feffffffffffffffff01")},
        DataLossError,
        "Invalid tensor shape",
        id="negative-dim",
    ),
    pytest.param(
        {b"x": bytes.fromhex("0801") + b"\x12\x82\x01" + b"\x12\x00" * 65},
        DataLossError,
        "rank above 64",
        id="rank-65",
    ),
    pytest.param(
        {b"x": _ok(dtype=7, shape=(10**9,), size=16)}, DataLossError, "Invalid size", id="strings"
    ),
    pytest.param(
        {b"p": BundleEntry(1, (2**40,), slices=(((0, 2**40),),))},
        DataLossError,
        "slice .* not found",
        id="partitioned-missing-slice",
    ),
    pytest.param(
        {
            b"p": BundleEntry(1, (2**30,), slices=(((0, 2**30),),)),
            encode_slice_key(b"p", [(0, 2**30)]): _ok(shape=(2**30,)),
        },
        DataLossError,
        "Invalid size",
        id="partitioned-huge-checked-before-allocation",
    ),
    pytest.param(
        {
            b"p": BundleEntry(1, (8,), slices=(((0, 4),),)),
            encode_slice_key(b"p", [(0, 4)]): _ok(),
        },
        DataLossError,
        "Does not have sufficient slices",
        id="partitioned-gap",
    ),
    pytest.param(
        {
            b"p": BundleEntry(1, (4,), slices=(((0, 2),), ((1, 2),))),
            encode_slice_key(b"p", [(0, 2)]): _ok(shape=(2,), size=8),
            encode_slice_key(b"p", [(1, 2)]): _ok(shape=(2,), size=8),
        },
        DataLossError,
        "Does not have sufficient|overlapping",
        id="partitioned-overlap",
    ),
    pytest.param(
        {
            b"p": BundleEntry(1, (4,), slices=(((0, 5),),)),
            encode_slice_key(b"p", [(0, 5)]): _ok(),
        },
        DataLossError,
        "outside dimension",
        id="partitioned-out-of-bounds",
    ),
    pytest.param(
        {
            b"p": BundleEntry(1, (4,), slices=(((0, 4),),)),
            encode_slice_key(b"p", [(0, 4)]): _ok(dtype=3),
        },
        DataLossError,
        "inconsistent",
        id="partitioned-dtype-mismatch",
    ),
]


@pytest.mark.parametrize(("entries", "error", "message"), MALICIOUS)
def test_malicious_entries(
    tmp_path: Path, entries: dict, error: type[CheckpointError], message: str
) -> None:
    prefix = _craft(tmp_path, entries, data=F32)
    with pytest.raises(error, match=message) as info:
        _read_everything(prefix)
    assert "crafted.ckpt" in str(info.value)
    assert info.value.key is not None


def test_overlapping_slices_with_matching_volume(tmp_path: Path) -> None:
    entries = {
        b"p": BundleEntry(1, (2, 2), slices=(((0, 2), (0, 1)), ((0, 1), (0, 2)))),
        encode_slice_key(b"p", [(0, 2), (0, 1)]): _ok(shape=(2, 1), size=8),
        encode_slice_key(b"p", [(0, 1), (0, 2)]): _ok(shape=(1, 2), size=8),
    }
    with pytest.raises(DataLossError, match="overlapping slices"):
        _read_everything(_craft(tmp_path, entries, data=F32))


HEADERS = [
    pytest.param(BundleHeader(num_shards=0), DataLossError, "invalid num_shards", id="shards-0"),
    pytest.param(BundleHeader(endianness=2), DataLossError, "invalid endianness", id="endian"),
    pytest.param(
        BundleHeader(min_consumer=2),
        UnsupportedCheckpointError,
        "min consumer version 2 above current version 1",
        id="min-consumer",
    ),
    pytest.param(
        BundleHeader(bad_consumers=(1,)), UnsupportedCheckpointError, "disallows", id="bad-cons"
    ),
    pytest.param(b"\x0a", DataLossError, "unable to parse header", id="garbage"),
]


@pytest.mark.parametrize(("header", "error", "message"), HEADERS)
def test_bad_headers(
    tmp_path: Path, header: BundleHeader | bytes, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        BundleReader(_craft(tmp_path, {b"x": _ok()}, data=F32, header=header))


def test_header_without_version_is_accepted(tmp_path: Path) -> None:
    prefix = _craft(tmp_path, {b"x": _ok()}, data=F32, header=b"\x08\x01")
    with BundleReader(prefix) as reader:
        assert reader.get_tensor("x").tolist() == [0.0, 1.0, 2.0, 3.0]


def test_missing_header_entry(tmp_path: Path) -> None:
    prefix = tmp_path / "h.ckpt"
    Path(f"{prefix}.index").write_bytes(build_table([(b"x", encode_entry(_ok()))]))
    with pytest.raises(DataLossError, match="missing bundle header"):
        BundleReader(prefix)
    Path(f"{prefix}.index").write_bytes(build_table([]))
    with pytest.raises(DataLossError, match="missing bundle header"):
        BundleReader(prefix)


def test_unsorted_keys_are_rejected(tmp_path: Path) -> None:
    from scopeflow.checkpoint._block import BlockBuilder
    from scopeflow.checkpoint._table_format import (
        BlockHandle,
        encode_block_handle,
        encode_footer,
        frame_block,
    )

    block = BlockBuilder(16)
    for key in (b"", b"b", b"a"):
        block.add(key, encode_header(BundleHeader()) if not key else encode_entry(_ok()))
    data = frame_block(block.finish())
    meta = frame_block(BlockBuilder(16).finish())
    index = BlockBuilder(1)
    index.add(b"c", encode_block_handle(BlockHandle(0, len(data) - 5)))
    index_block = frame_block(index.finish())
    table = data + meta + index_block
    table += encode_footer(
        BlockHandle(len(data), len(meta) - 5),
        BlockHandle(len(data) + len(meta), len(index_block) - 5),
    )
    prefix = tmp_path / "u.ckpt"
    Path(f"{prefix}.index").write_bytes(table)
    with pytest.raises(DataLossError, match="not sorted"):
        BundleReader(prefix)


def test_bool_bytes_other_than_one_read_as_true(tmp_path: Path) -> None:
    raw = bytes([0, 1, 2, 255])
    prefix = _craft(
        tmp_path, {b"b": BundleEntry(10, (4,), size=4, crc32c=mask(crc32c(raw)))}, data=raw
    )
    with BundleReader(prefix) as reader:
        got = reader.get_tensor("b")
    assert got.dtype == np.bool_
    assert got.tolist() == [False, True, True, True]


def test_string_payload_corruptions(tmp_path: Path) -> None:
    payload, crc = encode_strings([b"abc", b"de"])
    good = {b"s": BundleEntry(7, (2,), size=len(payload), crc32c=crc)}
    with BundleReader(_craft(tmp_path, good, data=payload)) as reader:
        assert reader.get_tensor("s").tolist() == [b"abc", b"de"]
    lying = bytes([200]) + payload[1:]  # first length claims 200 bytes
    with pytest.raises(DataLossError, match="strings need"):
        _read_everything(_craft(tmp_path, good, data=lying))
    flipped = payload[:-1] + bytes([payload[-1] ^ 1])
    with pytest.raises(DataLossError, match="Checksum does not match"):
        _read_everything(_craft(tmp_path, good, data=flipped))


def test_table_reader_rejects_bad_block_type(tmp_path: Path) -> None:
    contents = b"\x00\x00\x00\x00\x01\x00\x00\x00"
    trailer_type = b"\x07"
    framed = contents + trailer_type + mask(crc32c(contents + trailer_type)).to_bytes(4, "little")
    from scopeflow.checkpoint._table_format import BlockHandle, encode_footer

    table = framed + framed + encode_footer(BlockHandle(0, 8), BlockHandle(13, 8))
    path = tmp_path / "t.index"
    path.write_bytes(table)
    with pytest.raises(DataLossError, match="bad block type 7"):
        TableReader(str(path))
