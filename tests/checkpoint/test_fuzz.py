"""Property/fuzz tests: no input makes the reader raise anything but a CheckpointError.

Three levels: raw mutations of real TF index bytes (mostly caught by block CRCs), mutations of
the *decoded* entries re-packed into a valid table (CRCs correct, so the protobuf, size and
slice validation is what gets exercised), and random bytes fed to the low-level decoders.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scopeflow.checkpoint import BundleReader, CheckpointError, DataLossError
from scopeflow.checkpoint._block import decode_block
from scopeflow.checkpoint._proto import (
    BundleEntry,
    _decode_entry_general,
    decode_dtype_and_shape,
    decode_entry,
    decode_header,
    encode_entry,
)
from scopeflow.checkpoint._table_builder import build_table
from scopeflow.checkpoint._table_reader import TableReader
from scopeflow.checkpoint._tensor_codec import decode_strings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tf1_checkpoints"
SOURCES = ["mixed_dtypes", "partitioned", "multi_shard"]
FUZZ = settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        for name in SOURCES:
            for path in (FIXTURES / name).glob("model.ckpt.*"):
                shutil.copy(path, Path(tmp) / f"{name}.{path.name}")
        yield Path(tmp)


def _exercise(prefix: Path) -> None:
    """Use every reader entry point; only CheckpointError subclasses may escape."""
    try:
        with BundleReader(prefix) as reader:
            reader.variable_to_shape_map()
            reader.variable_to_dtype_enum_map()
            names = reader.keys()
            for key in names:
                reader.has_tensor(key)
                reader.shape(key)
                reader.get_tensor(key)
                reader.get_tensor(key, mmap=True)
    except CheckpointError:
        pass


mutation = st.tuples(
    st.sampled_from(["flip", "set", "insert", "delete", "truncate"]),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=255),
)


@pytest.mark.slow
@FUZZ
@given(source=st.sampled_from(SOURCES), edits=st.lists(mutation, min_size=1, max_size=4))
def test_raw_index_mutations(workdir: Path, source: str, edits: list) -> None:
    data = bytearray((workdir / f"{source}.model.ckpt.index").read_bytes())
    for op, where, byte in edits:
        pos = where % max(len(data), 1)
        if op == "flip" and data:
            data[pos] ^= 1 << (byte % 8)
        elif op == "set" and data:
            data[pos] = byte
        elif op == "insert":
            data.insert(pos, byte)
        elif op == "delete" and data:
            del data[pos]
        elif op == "truncate":
            del data[pos:]
    (workdir / f"{source}.model.ckpt.index").write_bytes(bytes(data))
    try:
        _exercise(workdir / f"{source}.model.ckpt")
    finally:
        shutil.copy(FIXTURES / source / "model.ckpt.index", workdir / f"{source}.model.ckpt.index")


@pytest.mark.slow
@FUZZ
@given(
    source=st.sampled_from(SOURCES),
    target=st.integers(min_value=0, max_value=100),
    edits=st.lists(mutation, min_size=1, max_size=3),
    key_edit=st.booleans(),
)
def test_entry_mutations_in_valid_tables(
    workdir: Path, source: str, target: int, edits: list, key_edit: bool
) -> None:
    items = list(TableReader(str(FIXTURES / source / "model.ckpt.index")).items())
    index = target % len(items)
    key, value = items[index]
    buf = bytearray(key if key_edit and key else value)
    for op, where, byte in edits:
        pos = where % max(len(buf), 1)
        if op == "flip" and buf:
            buf[pos] ^= 1 << (byte % 8)
        elif op == "set" and buf:
            buf[pos] = byte
        elif op == "insert":
            buf.insert(pos, byte)
        elif op == "delete" and buf:
            del buf[pos]
        elif op == "truncate":
            del buf[pos:]
    items[index] = (bytes(buf), value) if key_edit and key else (key, bytes(buf))
    items = sorted(dict(items).items())
    name = f"fuzz-{source}"
    (workdir / f"{name}.model.ckpt.index").write_bytes(build_table(items))
    for data in (FIXTURES / source).glob("model.ckpt.data-*"):
        target_path = workdir / f"{name}.{data.name}"
        if not target_path.exists():
            shutil.copy(data, target_path)
    _exercise(workdir / f"{name}.model.ckpt")


@pytest.mark.slow
@FUZZ
@given(blob=st.binary(max_size=400))
def test_random_index_files(workdir: Path, blob: bytes) -> None:
    magic_tail = bytes.fromhex("57fb808b247547db")
    for content in (blob, blob + magic_tail):
        (workdir / "random.model.ckpt.index").write_bytes(content)
        _exercise(workdir / "random.model.ckpt")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(blob=st.binary(max_size=200))
def test_decoders_raise_only_data_loss(blob: bytes) -> None:
    for decode in (decode_block, decode_entry, decode_header, lambda b: decode_strings(b, 3)):
        with contextlib.suppress(DataLossError):
            decode(blob)
    for value in (blob, bytes.fromhex("0801120412020820") + blob):
        try:
            fast = decode_dtype_and_shape(value)
            full = _decode_entry_general(value)
        except DataLossError:
            continue
        assert fast is None or fast == (full.dtype, full.shape)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    dtype=st.integers(min_value=0, max_value=2**31 - 1),
    shape=st.lists(st.integers(min_value=0, max_value=2**62), max_size=6),
    numbers=st.lists(st.integers(min_value=0, max_value=2**62), min_size=4, max_size=4),
)
def test_entry_encoding_round_trips(dtype: int, shape: list[int], numbers: list[int]) -> None:
    shard, offset, size, crc = numbers
    entry = BundleEntry(dtype, tuple(shape), shard % 2**31, offset, size, crc % 2**32)
    assert decode_entry(encode_entry(entry)) == entry
