"""Benchmark scopeflow's checkpoint reader against a plain file read and TensorFlow.

Writes a ~1 GiB float32 checkpoint (4 tensors) with scopeflow's BundleWriter into a temporary
directory, then reports (median of N runs, warm page cache for every contender):

* full read: scopeflow ``BundleReader.get_tensor`` (copy and ``mmap=True``) of every tensor,
  ``np.fromfile`` of the data file, and TF's ``load_checkpoint().get_tensor``;
* CRC32C throughput on its own (it must not be the bottleneck);
* listing the 16,000-variable ``many_vars`` fixture: ours vs ``tf.train.list_variables``;
* peak RSS growth while loading one 256 MiB tensor (fresh subprocess each).

TensorFlow rows need ``--tf-python /path/to/venv-with-tensorflow/bin/python``; TF runs in that
subprocess only. Usage::

    .venv/bin/python benchmarks/bench_checkpoint_read.py --tf-python .tf-oracle/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from scopeflow.checkpoint import BundleReader, BundleWriter  # noqa: E402
from scopeflow.checkpoint._crc import crc32c  # noqa: E402

MANY_VARS = REPO.parent / "shared" / "fixtures" / "tf1_checkpoints" / "many_vars" / "model.ckpt"
MIB = 1 << 20

TF_SCRIPT = textwrap.dedent(
    """
    import json, os, statistics, sys, time
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow as tf
    prefix, many_vars, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    def median(fn):
        times = []
        for _ in range(repeats):
            t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
        return statistics.median(times)
    def read_all():
        reader = tf.train.load_checkpoint(prefix)
        for name in reader.get_variable_to_shape_map():
            reader.get_tensor(name)
    print(json.dumps({
        "version": tf.__version__,
        "read": median(read_all),
        "list": median(lambda: tf.train.list_variables(many_vars)),
    }))
    """
)

RSS_SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[1])

    def peak_kib():
        # VmHWM belongs to this process image; ru_maxrss would include the parent's peak
        # inherited across fork+exec.
        with open("/proc/self/status") as status:
            line = next(l for l in status if l.startswith("VmHWM:"))
        return int(line.split()[1])

    mode, prefix, key = sys.argv[2], sys.argv[3], sys.argv[4]
    if mode == "tf":
        import os
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        import tensorflow as tf
        reader = tf.train.load_checkpoint(prefix)
        load = lambda: reader.get_tensor(key)
    else:
        from scopeflow.checkpoint import BundleReader
        reader = BundleReader(prefix)
        load = lambda: reader.get_tensor(key, mmap=(mode == "mmap"))
    before = peak_kib()
    value = load()
    print((peak_kib() - before) / 1024)
    """
)


def median_time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def write_checkpoint(prefix: Path, total_mib: int, tensors: int) -> tuple[dict[str, int], float]:
    """Write the benchmark checkpoint; returns tensor sizes and seconds spent in the writer."""
    per_tensor = total_mib * MIB // 4 // tensors
    rng = np.random.default_rng(0)
    values = {
        f"layer_{i}/kernel": rng.standard_normal(per_tensor, dtype=np.float32).reshape(-1, 1024)
        for i in range(tensors)
    }
    start = time.perf_counter()
    with BundleWriter(prefix) as writer:
        for name, value in values.items():
            writer.add(name, value)
    return {name: value.nbytes for name, value in values.items()}, time.perf_counter() - start


def rss_growth(python: str, mode: str, prefix: Path, key: str) -> float:
    out = subprocess.run(
        [python, "-c", RSS_SCRIPT, str(REPO / "src"), mode, str(prefix), key],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--tensors", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--tf-python", help="python of a virtualenv with tensorflow installed")
    args = parser.parse_args()

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "model.ckpt"
        sizes, write_s = write_checkpoint(prefix, args.size_mib, args.tensors)
        total = sum(sizes.values())
        data_file = Path(f"{prefix}.data-00000-of-00001")
        gib = total / (1 << 30)
        rows.append(("checkpoint", f"{gib:.2f} GiB float32 in {len(sizes)} tensors"))
        rows.append(
            ("write incl. fsync (BundleWriter)", f"{write_s:.2f} s  ({gib / write_s:.2f} GiB/s)")
        )

        def ours(mmap: bool) -> Callable[[], None]:
            def run() -> None:
                with BundleReader(prefix) as reader:
                    for key in sizes:
                        reader.get_tensor(key, mmap=mmap)

            return run

        plain = median_time(lambda: np.fromfile(data_file, dtype=np.uint8), args.repeats)
        ours_copy = median_time(ours(False), args.repeats)
        ours_mmap = median_time(ours(True), args.repeats)
        buf = np.ones(256 * MIB, np.uint8)
        crc_s = median_time(lambda: crc32c(buf.data), args.repeats)
        rows.append(("plain np.fromfile(data file)", f"{plain:.3f} s  ({gib / plain:.2f} GiB/s)"))
        rows.append(
            ("scopeflow get_tensor (copy)", f"{ours_copy:.3f} s  ({gib / ours_copy:.2f} GiB/s)")
        )
        rows.append(
            ("scopeflow get_tensor(mmap=True)", f"{ours_mmap:.3f} s  ({gib / ours_mmap:.2f} GiB/s)")
        )
        rows.append(("CRC32C alone (crc32c package)", f"{0.25 / crc_s:.2f} GiB/s"))

        def list_ours() -> None:
            with BundleReader(MANY_VARS) as reader:
                reader.variable_to_shape_map()

        list_s = median_time(list_ours, args.repeats)
        rows.append(("list many_vars (16,000 vars), scopeflow", f"{list_s * 1e3:.1f} ms"))

        key = next(iter(sizes))
        tensor_mib = sizes[key] / MIB
        for mode in ("copy", "mmap"):
            growth = rss_growth(sys.executable, mode, prefix, key)
            rows.append(
                (
                    f"peak RSS growth, one {tensor_mib:.0f} MiB tensor, scopeflow {mode}",
                    f"{growth:.0f} MiB",
                )
            )

        if args.tf_python:
            out = subprocess.run(
                [args.tf_python, "-c", TF_SCRIPT, str(prefix), str(MANY_VARS), str(args.repeats)],
                capture_output=True,
                text=True,
                check=True,
            )
            tf = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(
                (
                    f"TF {tf['version']} load_checkpoint().get_tensor",
                    f"{tf['read']:.3f} s  ({gib / tf['read']:.2f} GiB/s)",
                )
            )
            rows.append(("list many_vars, tf.train.list_variables", f"{tf['list'] * 1e3:.1f} ms"))
            growth = rss_growth(args.tf_python, "tf", prefix, key)
            rows.append(
                (f"peak RSS growth, one {tensor_mib:.0f} MiB tensor, TF", f"{growth:.0f} MiB")
            )

    width = max(len(name) for name, _ in rows)
    print(f"median of {args.repeats} runs, warm page cache, {os.cpu_count()} CPUs")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
