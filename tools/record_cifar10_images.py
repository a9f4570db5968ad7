"""Records TF's CIFAR-10 tutorial image preprocessing on fake CIFAR records.

Run under the TF oracle: ``TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python
tools/record_cifar10_images.py``. Writes ``tests/fixtures/cifar10_images/tf_pipeline.npz``:
for each of ``STEPS`` records read in order (one reader, no batching threads, graph seed
``SEED``), the tutorial's ``distorted_inputs`` image (``random_crop``,
``random_flip_left_right``, ``random_brightness``, ``random_contrast``,
``per_image_standardization``) and its ``inputs`` image (``resize_image_with_crop_or_pad`` and
``per_image_standardization``), with the labels. ``tests/train/test_cifar10_images.py``
builds the same graph on scopeflow and compares.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

RECORDS = 6
STEPS = 8
SEED = 42
OUT = Path(__file__).resolve().parents[1] / "tests/fixtures/cifar10_images/tf_pipeline.npz"


def fake_cifar_bytes() -> bytes:
    """``RECORDS`` CIFAR-10 records (label byte + 3x32x32 CHW bytes), deterministic."""
    rng = np.random.RandomState(0)
    rows = rng.randint(0, 256, size=(RECORDS, 1 + 3 * 32 * 32)).astype(np.uint8)
    rows[:, 0] = np.arange(RECORDS) % 10
    return rows.tobytes()


def build(tf, path: str):
    """The tutorial's ``read_cifar10`` + both preprocessing chains (TF1 API only)."""
    tf.set_random_seed(SEED)
    queue = tf.train.string_input_producer([path], shuffle=False)
    reader = tf.FixedLengthRecordReader(record_bytes=1 + 3 * 32 * 32)
    _, value = reader.read(queue)
    raw = tf.decode_raw(value, tf.uint8)
    label = tf.cast(tf.strided_slice(raw, [0], [1]), tf.int32)
    chw = tf.reshape(tf.strided_slice(raw, [1], [1 + 3 * 32 * 32]), [3, 32, 32])
    image = tf.cast(tf.transpose(chw, [1, 2, 0]), tf.float32)
    d = tf.random_crop(image, [24, 24, 3])
    d = tf.image.random_flip_left_right(d)
    d = tf.image.random_brightness(d, max_delta=63)
    d = tf.image.random_contrast(d, lower=0.2, upper=1.8)
    distorted = tf.image.per_image_standardization(d)
    evaluated = tf.image.per_image_standardization(
        tf.image.resize_image_with_crop_or_pad(image, 24, 24)
    )
    return distorted, evaluated, label


def run(tf, path: str) -> dict[str, np.ndarray]:
    """``STEPS`` records through ``build``'s graph, one ``Session.run`` each."""
    with tf.Graph().as_default():
        distorted, evaluated, label = build(tf, path)
        out: dict[str, list[np.ndarray]] = {"distorted": [], "eval": [], "labels": []}
        with tf.Session() as sess:
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            for _ in range(STEPS):
                a, b, c = sess.run([distorted, evaluated, label])
                out["distorted"].append(a)
                out["eval"].append(b)
                out["labels"].append(c)
            coord.request_stop()
            coord.join(threads)
    return {k: np.stack(v) for k, v in out.items()}


def main() -> None:
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    with tempfile.TemporaryDirectory() as d:
        path = str(Path(d) / "data.bin")
        Path(path).write_bytes(fake_cifar_bytes())
        arrays = run(tf, path)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    sys.stdout.write(f"wrote {OUT}: {', '.join(f'{k}{v.shape}' for k, v in arrays.items())}\n")


if __name__ == "__main__":
    main()
