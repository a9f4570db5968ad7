"""Verify with real TensorFlow that checkpoints written by scopeflow's BundleWriter load bit-exact.

Run with the separate TensorFlow virtualenv (TensorFlow is never a scopeflow dependency)::

    .tf-oracle/bin/pip install crc32c cramjam ml-dtypes   # scopeflow.checkpoint's own deps
    .tf-oracle/bin/python tools/tf_verify_written_checkpoints.py

It imports ``scopeflow.checkpoint`` straight from ``src/`` (that package needs only NumPy and
its small declared dependencies), writes several checkpoints, reads them back with
``tf.train.list_variables`` / ``tf.train.load_checkpoint(...).get_tensor`` and a TF1
``Saver.restore`` (the RestoreV2 kernel), and records one PASS/FAIL line per case in
``tests/checkpoint/golden/tf_verification.txt`` (committed; a test asserts it says ALL PASS).
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import ml_dtypes  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from scopeflow.checkpoint import (  # noqa: E402
    BundleReader,
    BundleWriter,
    latest_checkpoint,
    update_checkpoint_state,
)
from scopeflow.checkpoint._table_builder import build_table  # noqa: E402
from scopeflow.checkpoint._table_reader import TableReader  # noqa: E402

OUTPUT = REPO / "tests" / "checkpoint" / "golden" / "tf_verification.txt"
RNG = np.random.default_rng(1234)


def _all_dtypes() -> dict[str, np.ndarray]:
    f32 = np.array([1.5, np.nan, -0.0, np.inf, np.float32(1e-45)], np.float32)
    return {
        "dtypes/float32": f32,
        "dtypes/float64": np.array([5e-324, -np.inf, 1 / 3]),
        "dtypes/float16": np.array([[1.0, -65504.0], [6e-8, np.nan]], np.float16),
        "dtypes/bfloat16": np.array([1.0, -2.5, 3e38, -0.0], ml_dtypes.bfloat16),
        "dtypes/int8": np.array([-128, 127, 0], np.int8),
        "dtypes/int16": np.array([-32768, 32767], np.int16),
        "dtypes/int32": np.array([[1, -2], [2**31 - 1, -(2**31)]], np.int32),
        "dtypes/int64": np.array([-(2**63), 2**63 - 1], np.int64),
        "dtypes/uint8": np.arange(256, dtype=np.uint8),
        "dtypes/uint16": np.array([0, 65535], np.uint16),
        "dtypes/uint32": np.array([0, 2**32 - 1], np.uint32),
        "dtypes/uint64": np.array([0, 2**64 - 1], np.uint64),
        "dtypes/bool": np.array([True, False, True]),
        "dtypes/complex64": np.array([1 + 2j, np.nan - 1j], np.complex64),
        "dtypes/complex128": np.array([[1e300 - 1e-300j]]),
        "strings/1d": np.array(
            [b"", b"hello", b"\x00\xffbin\x00", "✓".encode(), b"x" * 300], object
        ),
        "strings/2d": np.array([[b"a", b""], [b"ccc", b"d" * 129]], object),
        "strings/scalar": np.array(b"scalar string", object),
        "strings/empty": np.array([], object),
        "scalars/float32": np.array(3.25, np.float32),
        "scalars/int64": np.array(-7, np.int64),
        "empty/float32_3x0x2": np.zeros((3, 0, 2), np.float32),
        "empty/int32_0": np.zeros((0,), np.int32),
        "long_scope_" + "abcdefghij" * 15 + "/v": RNG.standard_normal((4, 3)).astype(np.float32),
        "a/b/c/v": np.array([1.0, 2.0], np.float32),
        "a/b/c/v/x": np.array([[3.0]], np.float32),
        "a/b-c/v": np.array([4], np.int32),
    }


def _same(tf_value: object, expected: np.ndarray) -> bool:
    got = np.asarray(tf_value)
    if expected.dtype == object:
        flat = [bytes(v) for v in got.reshape(-1).tolist()] if got.size else []
        return got.shape == expected.shape and flat == list(expected.reshape(-1))
    if got.shape != expected.shape or got.dtype.itemsize != expected.dtype.itemsize:
        return False
    return got.tobytes() == np.ascontiguousarray(expected).tobytes()


def _check_with_tf(prefix: str, expected: dict[str, np.ndarray]) -> str:
    listed = dict(tf.train.list_variables(prefix))
    want = {k: list(v.shape) for k, v in expected.items()}
    if listed != want:
        raise AssertionError(f"list_variables mismatch: {listed} != {want}")
    reader = tf.train.load_checkpoint(prefix)
    bad = [k for k, v in expected.items() if not _same(reader.get_tensor(k), v)]
    if bad:
        raise AssertionError(f"get_tensor mismatch for {bad}")
    with BundleReader(prefix) as ours:
        if ours.keys() != sorted(expected, key=str.encode):
            raise AssertionError("our reader lists different keys")
    return f"{len(expected)} tensors, list_variables + get_tensor bit-exact"


def case_all_dtypes(tmp: Path) -> str:
    values = _all_dtypes()
    prefix = str(tmp / "all_dtypes" / "model.ckpt")
    with BundleWriter(prefix) as writer:
        for name, value in values.items():
            writer.add(name, value)
    return _check_with_tf(prefix, values)


def case_partitioned(tmp: Path) -> str:
    rows = RNG.standard_normal((10, 4)).astype(np.float32)
    cols = np.arange(54, dtype=np.int64).reshape(6, 9) * -3
    prefix = str(tmp / "partitioned" / "model.ckpt")
    with BundleWriter(prefix) as writer:
        for start, length in [(0, 4), (4, 3), (7, 3)]:
            writer.add_slice(
                "part_rows", (10, 4), (start, 0), (length, 4), rows[start : start + length]
            )
        for start in (0, 3, 6):
            # Full-dim extent ("-") in dimension 0, explicit in dimension 1.
            writer.add_slice("part_cols", (6, 9), (0, start), (-1, 3), cols[:, start : start + 3])
        writer.add("plain", np.eye(2, dtype=np.float32))
    expected = {"part_rows": rows, "part_cols": cols, "plain": np.eye(2, dtype=np.float32)}
    detail = _check_with_tf(prefix, expected)
    # TF1 graph restore through RestoreV2 into a *different* partitioning (5 parts).
    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.disable_resource_variables()
        var = tf.compat.v1.get_variable(
            "part_rows",
            shape=(10, 4),
            partitioner=tf.compat.v1.fixed_size_partitioner(5),
            initializer=tf.compat.v1.zeros_initializer(),
        )
        saver = tf.compat.v1.train.Saver([var])
        with tf.compat.v1.Session(graph=graph) as sess:
            saver.restore(sess, prefix)
            restored = sess.run(tf.concat(list(var), axis=0))
    if restored.tobytes() != rows.tobytes():
        raise AssertionError("Saver.restore into 5 partitions gave different values")
    return detail + "; Saver.restore into 5 partitions bit-exact"


def case_multi_shard(tmp: Path) -> str:
    spread = RNG.standard_normal((6, 3)).astype(np.float32)
    values = {
        "dev0/w": RNG.standard_normal((3, 4)).astype(np.float32),
        "dev0/global_step": np.array(42, np.int64),
        "dev1/labels": np.array([b"cat", b"dog\x00"], object),
        "dev1/w": RNG.standard_normal((2, 5)),
        "dev2/b": np.arange(7, dtype=np.float32),
    }
    shard_of = {"dev0": 0, "dev1": 1, "dev2": 2}
    prefix = str(tmp / "multi_shard" / "model.ckpt")
    with BundleWriter(prefix, num_shards=3) as writer:
        for name, value in values.items():
            writer.add(name, value, shard_id=shard_of[name[:4]])
        for shard in range(3):
            rows = spread[2 * shard : 2 * shard + 2]
            writer.add_slice("spread", (6, 3), (2 * shard, 0), (2, 3), rows, shard_id=shard)
    return _check_with_tf(prefix, {**values, "spread": spread})


def case_multi_block_index(tmp: Path) -> str:
    values = {
        f"v{i:05d}/scope_{i % 7}/block/sublayer/weights": np.float32(i * 0.25) for i in range(7000)
    }
    prefix = str(tmp / "multi_block" / "model.ckpt")
    with BundleWriter(prefix) as writer:
        for name, value in values.items():
            writer.add(name, np.asarray(value))
    blocks = TableReader(prefix + ".index").num_blocks
    if blocks < 2:
        raise AssertionError(f"expected a multi-block index, got {blocks} block(s)")
    return (
        _check_with_tf(prefix, {k: np.asarray(v) for k, v in values.items()})
        + f"; {blocks} data blocks"
    )


def case_snappy_index(tmp: Path) -> str:
    values = {f"layer_{i:03d}/kernel": np.full((3, 3), i, np.float32) for i in range(300)}
    prefix = str(tmp / "snappy" / "model.ckpt")
    with BundleWriter(prefix) as writer:
        for name, value in values.items():
            writer.add(name, value)
    index = Path(prefix + ".index")
    items = list(TableReader(str(index)).items())
    index.write_bytes(build_table(items, snappy=True, block_size=4096))
    return _check_with_tf(prefix, values) + "; index blocks Snappy-compressed (type 1)"


def case_checkpoint_state(tmp: Path) -> str:
    ours, theirs = tmp / "state_ours", tmp / "state_tf"
    stamps = [1700000000.25, 1700000100.5]
    for directory in (ours, theirs):
        directory.mkdir()
        with BundleWriter(directory / "model.ckpt-2") as writer:
            writer.add("global_step", np.int64(2))
    paths = [str(ours / "model.ckpt-1"), str(ours / "model.ckpt-2")]
    update_checkpoint_state(
        ours, paths[1], paths, all_model_checkpoint_timestamps=stamps, last_preserved_timestamp=1.5
    )
    tf_paths = [p.replace(str(ours), str(theirs)) for p in paths]
    tf.compat.v1.train.update_checkpoint_state(
        str(theirs),
        tf_paths[1],
        tf_paths,
        all_model_checkpoint_timestamps=stamps,
        last_preserved_timestamp=1.5,
    )
    text_ours = (ours / "checkpoint").read_text()
    text_tf = (theirs / "checkpoint").read_text().replace(str(theirs), str(ours))
    if text_ours != text_tf:
        raise AssertionError(f"state file differs:\n{text_ours}\nvs TF:\n{text_tf}")
    if tf.train.latest_checkpoint(str(ours)) != paths[1] or latest_checkpoint(ours) != paths[1]:
        raise AssertionError("latest_checkpoint disagrees")
    return "update_checkpoint_state text identical to TF's; tf.train.latest_checkpoint reads it"


CASES: list[tuple[str, Callable[[Path], str]]] = [
    ("all_dtypes", case_all_dtypes),
    ("partitioned", case_partitioned),
    ("multi_shard", case_multi_shard),
    ("multi_block_index", case_multi_block_index),
    ("snappy_index", case_snappy_index),
    ("checkpoint_state", case_checkpoint_state),
]


def main() -> int:
    lines = [
        "# Written by tools/tf_verify_written_checkpoints.py: scopeflow.checkpoint writes,",
        f"# TensorFlow {tf.__version__} reads. Regenerate by re-running the script.",
    ]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for name, case in CASES:
            try:
                lines.append(f"PASS {name}: {case(Path(tmp))}")
            except Exception as exc:
                ok = False
                traceback.print_exc()
                lines.append(f"FAIL {name}: {type(exc).__name__}: {exc}".splitlines()[0])
    lines.append("RESULT: ALL PASS" if ok else "RESULT: FAIL")
    OUTPUT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
