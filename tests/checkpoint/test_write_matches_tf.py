"""The writer reproduces TensorFlow's files byte for byte, and golden files guard it in CI.

Each fixture is read, its tensors are re-added in TF's data order (by shard, then offset) to
the same shard, and the written ``.index`` and data files must equal TF's. Golden ``.index``
files for a few synthetic cases live in ``golden/``; regenerate them (after a deliberate format
change only) with::

    SCOPEFLOW_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest \
        tests/checkpoint/test_write_matches_tf.py
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

from scopeflow.checkpoint import BundleReader, BundleWriter
from scopeflow.checkpoint._ordered_code import encode_slice_key

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tf1_checkpoints"
GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("SCOPEFLOW_REGENERATE_GOLDEN") == "1"

PREFIXES = [
    pytest.param("image_filter/model.ckpt", id="image_filter"),
    pytest.param("mixed_dtypes/model.ckpt", id="mixed_dtypes"),
    pytest.param("partitioned/model.ckpt", id="partitioned"),
    pytest.param("multi_shard/model.ckpt", id="multi_shard"),
    pytest.param("large/model.ckpt", id="large"),
    pytest.param("checkpoint_state/model.ckpt-20", id="checkpoint_state-20"),
    pytest.param("checkpoint_state/model.ckpt-30", id="checkpoint_state-30"),
    pytest.param("many_vars/model.ckpt", id="many_vars", marks=pytest.mark.slow),
]


def _rewrite(source: Path, dest: Path) -> None:
    """Copy every tensor of ``source`` into a new bundle at ``dest`` in TF's data order."""
    with BundleReader(source) as reader:
        plain = []
        names = reader.keys()
        for key in names:
            entry = reader._entry(key.encode())
            if not entry.slices:
                plain.append((entry.shard_id, entry.offset, key, None))
                continue
            for extents in entry.slices:
                part = reader._entry(encode_slice_key(key.encode(), extents))
                plain.append((part.shard_id, part.offset, key, (entry.shape, extents)))
        full = {key: reader.get_tensor(key) for key in names}
        num_shards = reader.header.num_shards
    with BundleWriter(dest, num_shards=num_shards) as writer:
        # Zero-size tensors share their offset with the next one; TF wrote them in name order.
        for shard, _, key, sliced in sorted(plain, key=lambda t: (t[0], t[1])):
            if sliced is None:
                writer.add(key, full[key], shard_id=shard)
                continue
            shape, extents = sliced
            box = [(0, d) if n == -1 else (s, n) for (s, n), d in zip(extents, shape, strict=True)]
            index = tuple(slice(s, s + n) for s, n in box)
            writer.add_slice(
                key,
                shape,
                [s for s, _ in box],
                [n if (s, n) != (0, -1) else -1 for s, n in extents],
                full[key][index],
                shard_id=shard,
            )


@pytest.mark.parametrize("relative", PREFIXES)
def test_rewriting_fixture_is_byte_identical(tmp_path: Path, relative: str) -> None:
    source = FIXTURES / relative
    dest = tmp_path / "model.ckpt"
    _rewrite(source, dest)
    assert (tmp_path / "model.ckpt.index").read_bytes() == Path(f"{source}.index").read_bytes()
    originals = sorted(source.parent.glob(f"{source.name}.data-*"))
    assert originals
    for original in originals:
        suffix = original.name[len(source.name) :]
        assert (tmp_path / f"model.ckpt{suffix}").read_bytes() == original.read_bytes(), suffix


def _golden_all_dtypes(writer: BundleWriter) -> None:
    writer.add("float32", np.array([1.5, np.nan, -0.0], np.float32))
    writer.add("float64", np.array([[5e-324]]))
    writer.add("int8", np.array([-128, 127], np.int8))
    writer.add("int64/scalar", np.int64(2**40))
    writer.add("bfloat16", np.array([1.0, -2.5], ml_dtypes.bfloat16))
    writer.add("bool", np.array([True, False]))
    writer.add("complex128", np.array([1 - 2j]))
    writer.add("uint64", np.array([2**64 - 1], np.uint64))
    writer.add("string", np.array([b"", b"x" * 200, "✓"], object))
    writer.add("empty/float32", np.zeros((3, 0, 2), np.float32))
    writer.add("empty/string", np.array([], object))
    writer.add("long_" + "abcdefghij" * 15 + "/v", np.float16(1.0))


def _golden_partitioned(writer: BundleWriter) -> None:
    full = np.arange(30, dtype=np.float32).reshape(10, 3)
    writer.add_slice("emb", (10, 3), (0, 0), (4, 3), full[:4])
    writer.add_slice("emb", (10, 3), (4, 0), (6, -1), full[4:], shard_id=1)
    writer.add("plain", np.ones((2, 2), np.int32), shard_id=1)


def _golden_multi_block(writer: BundleWriter) -> None:
    for i in range(6000):
        writer.add(f"layer_{i:05d}/sublayer/kernel", np.float32(i))


GOLDEN_CASES = [
    pytest.param("all_dtypes", 1, _golden_all_dtypes, id="all_dtypes"),
    pytest.param("partitioned_2_shards", 2, _golden_partitioned, id="partitioned_2_shards"),
    pytest.param("multi_block", 1, _golden_multi_block, id="multi_block"),
]


@pytest.mark.parametrize(("name", "num_shards", "build"), GOLDEN_CASES)
def test_written_index_matches_golden(
    tmp_path: Path, name: str, num_shards: int, build: Callable[[BundleWriter], None]
) -> None:
    with BundleWriter(tmp_path / "model.ckpt", num_shards=num_shards) as writer:
        build(writer)
    written = (tmp_path / "model.ckpt.index").read_bytes()
    golden = GOLDEN / f"{name}.index"
    if REGENERATE:
        golden.write_bytes(written)
    assert written == golden.read_bytes()


def test_tf_verification_record_says_all_pass() -> None:
    """``tools/tf_verify_written_checkpoints.py`` (run with real TF) recorded a full PASS."""
    lines = (GOLDEN / "tf_verification.txt").read_text().splitlines()
    results = [line for line in lines if line.startswith(("PASS ", "FAIL "))]
    assert len(results) >= 5
    assert all(line.startswith("PASS ") for line in results), results
    assert lines[-1] == "RESULT: ALL PASS"
