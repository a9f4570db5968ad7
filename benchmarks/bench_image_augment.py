"""tf.image augmentation throughput, scopeflow vs TensorFlow measured in the same run.

Two per-image preprocessing graphs, each run by ``sess.run`` with the image fed from NumPy:

- ``cifar10_distort``: the CIFAR-10 tutorial's ``distorted_inputs`` chain on a 32x32x3 float
  image (``random_crop`` 24x24, ``random_flip_left_right``, ``random_brightness``,
  ``random_contrast``, ``per_image_standardization``);
- ``colour_224``: inception-style colour distortion on a 224x224x3 float image
  (``random_brightness``, ``random_saturation``, ``random_hue``, ``random_contrast``,
  ``clip_by_value``).

Reported: images per second, median of ``--repeats`` timed passes of ``--steps`` runs after a
warm-up pass.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_image_augment.py \
        --tf-python .tf-oracle/bin/python

TensorFlow runs in a subprocess of ``--tf-python`` (TF 2.21 ``compat.v1`` in TF 1.x mode).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np


def build(tf: Any, workload: str) -> tuple[Any, Any]:
    tf.set_random_seed(1)
    if workload == "cifar10_distort":
        x = tf.placeholder(tf.float32, [32, 32, 3])
        d = tf.random_crop(x, [24, 24, 3])
        d = tf.image.random_flip_left_right(d)
        d = tf.image.random_brightness(d, max_delta=63)
        d = tf.image.random_contrast(d, lower=0.2, upper=1.8)
        return x, tf.image.per_image_standardization(d)
    x = tf.placeholder(tf.float32, [224, 224, 3])
    d = tf.image.random_brightness(x, max_delta=32.0 / 255.0)
    d = tf.image.random_saturation(d, lower=0.5, upper=1.5)
    d = tf.image.random_hue(d, max_delta=0.2)
    d = tf.image.random_contrast(d, lower=0.5, upper=1.5)
    return x, tf.clip_by_value(d, 0.0, 1.0)


def measure(tf: Any, workload: str, steps: int, repeats: int) -> float:
    with tf.Graph().as_default():
        x, y = build(tf, workload)
        shape = x.shape.as_list()
        image = np.random.RandomState(0).uniform(0, 1, size=shape).astype(np.float32)
        with tf.Session() as sess:
            for _ in range(steps):
                sess.run(y, {x: image})
            rates = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                for _ in range(steps):
                    sess.run(y, {x: image})
                rates.append(steps / (time.perf_counter() - t0))
    return statistics.median(rates)


def run_all(tf: Any, steps: int, repeats: int) -> dict[str, float]:
    return {w: measure(tf, w, steps, repeats) for w in ("cifar10_distort", "colour_224")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tf-python", default=None)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--as-tf", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.as_tf:
        import tensorflow.compat.v1 as tf

        tf.disable_eager_execution()
        tf.disable_v2_behavior()
        sys.stdout.write(json.dumps(run_all(tf, args.steps, args.repeats)) + "\n")
        return
    import scopeflow.compat.v1 as sf

    ours = run_all(sf, args.steps, args.repeats)
    theirs: dict[str, float] = {}
    if args.tf_python:
        env = {**os.environ, "TF_USE_LEGACY_KERAS": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
        cmd = [args.tf_python, str(Path(__file__).resolve()), "--as-tf",
               "--steps", str(args.steps), "--repeats", str(args.repeats)]  # fmt: skip
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
        theirs = json.loads(out.strip().splitlines()[-1])
    for w, rate in ours.items():
        line = f"{w}: scopeflow {rate:,.0f} img/s"
        if w in theirs:
            line += f", TensorFlow {theirs[w]:,.0f} img/s, ratio {rate / theirs[w]:.2f}"
        sys.stdout.write(line + "\n")


if __name__ == "__main__":
    main()
