"""The CIFAR-10 tutorial's queue input pipeline (``tensorflow/models``) runs on scopeflow.

``test_models_cifar10_input`` imports ``tutorials/image/cifar10/cifar10_input.py`` from the
``tensorflow/models`` checkout named by ``SCOPEFLOW_TF_MODELS`` (skipped when unset) through
the ``scopeflow run`` import hook (``import tensorflow as tf`` served by scopeflow, and
``six.moves.xrange`` by ``range`` when ``six`` is not installed; nothing in the file is
changed) and runs its queue pipeline on small CIFAR-format files written here:
``string_input_producer`` into its ``read_cifar10`` (``FixedLengthRecordReader``,
``decode_raw``/``strided_slice``/``transpose``) and its ``_generate_image_and_label_batch``
(``tf.train.shuffle_batch`` and ``tf.train.batch`` with 16 threads, ``tf.summary.image``).
Its ``inputs``/``distorted_inputs`` also need ``tf.image.resize_image_with_crop_or_pad`` and
the ``random_brightness``/``random_contrast``/``random_flip_left_right`` image ops, which
scopeflow does not have yet.
``test_cifar10_style_pipeline`` is our own equivalent and always runs.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.run import tensorflow_import_hook

RECORDS = 12


def _write_cifar(d: Path, names: list[str]) -> dict[bytes, int]:
    rng = np.random.default_rng(0)
    labels = {}
    for n in names:
        rows = []
        for i in range(RECORDS):
            label = (i + len(n)) % 10
            image = rng.integers(0, 256, size=3 * 32 * 32, dtype=np.uint8)
            rows.append(bytes([label]) + image.tobytes())
            labels[image[:8].tobytes()] = label
        (d / n).write_bytes(b"".join(rows))
    return labels


@pytest.mark.slow
def test_models_cifar10_input(tmp_path: Path) -> None:
    root = os.environ.get("SCOPEFLOW_TF_MODELS")
    if not root:
        pytest.skip("SCOPEFLOW_TF_MODELS (a tensorflow/models checkout) is not set")
    path = Path(root) / "tutorials/image/cifar10/cifar10_input.py"
    if not path.exists():
        pytest.skip(f"{path} does not exist")
    labels_by_image = _write_cifar(tmp_path, ["test_batch.bin"])
    shims = {}
    if importlib.util.find_spec("six") is None:  # the file's only other import: six.moves.xrange
        moves = types.ModuleType("six.moves")
        moves.xrange = range  # type: ignore[attr-defined]
        six = types.ModuleType("six")
        six.moves = moves  # type: ignore[attr-defined]
        shims = {"six": six, "six.moves": moves}
    with tensorflow_import_hook(), tf.Graph().as_default(), _modules(shims):
        spec = importlib.util.spec_from_file_location("cifar10_input_under_test", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        try:
            spec.loader.exec_module(module)
            files = [str(tmp_path / "test_batch.bin")]
            for shuffle in (True, False):
                queue = tf.train.string_input_producer(files)
                read_input = module.read_cifar10(queue)
                image = tf.cast(read_input.uint8image, tf.float32)
                read_input.label.set_shape([1])
                images, labels = module._generate_image_and_label_batch(
                    image, read_input.label, 20, 8, shuffle=shuffle
                )
                assert images.shape.as_list() == [8, 32, 32, 3]
                assert labels.shape.as_list() == [8]
                with tf.Session() as sess:
                    coord = tf.train.Coordinator()
                    threads = tf.train.start_queue_runners(sess, coord)
                    for _ in range(3):
                        im, lab = sess.run([images, labels])
                        for one, label in zip(im, lab, strict=True):
                            chw = one.astype(np.uint8).transpose(2, 0, 1).reshape(-1)
                            assert labels_by_image[chw[:8].tobytes()] == label
                    coord.request_stop()
                    coord.join(threads, stop_grace_period_secs=10)
                assert not any(t.is_alive() for t in threads)
        finally:
            del sys.modules[spec.name]


@contextlib.contextmanager
def _modules(extra: dict[str, types.ModuleType]) -> Iterator[None]:
    sys.modules.update(extra)
    try:
        yield
    finally:
        for name in extra:
            sys.modules.pop(name, None)


def test_cifar10_style_pipeline(tmp_path: Path) -> None:
    labels_by_image = _write_cifar(tmp_path, ["a.bin", "bb.bin"])
    files = [str(tmp_path / "a.bin"), str(tmp_path / "bb.bin")]
    queue = tf.train.string_input_producer(files, num_epochs=1, shuffle=False)
    reader = tf.FixedLengthRecordReader(record_bytes=1 + 3 * 32 * 32)
    key, value = reader.read(queue)
    raw = tf.decode_raw(value, tf.uint8)
    label = tf.cast(tf.strided_slice(raw, [0], [1]), tf.int32)
    image = tf.transpose(tf.reshape(tf.strided_slice(raw, [1], [3073]), [3, 32, 32]), [1, 2, 0])
    label.set_shape([1])
    images, labs, keys = tf.train.batch(
        [image, label, key], batch_size=5, num_threads=4, capacity=20,
        allow_smaller_final_batch=True,
    )  # fmt: skip
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        seen = []
        try:
            while True:
                im, lab, k = sess.run([images, labs, keys])
                for one, l1, kk in zip(im, lab[:, 0], k, strict=True):
                    chw = one.transpose(2, 0, 1).reshape(-1)
                    assert labels_by_image[chw[:8].tobytes()] == l1
                    seen.append(kk)
        except tf.errors.OutOfRangeError:
            pass
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)
    assert not any(t.is_alive() for t in threads)
    assert sorted(seen) == sorted(f"{f}:{i}".encode() for f in files for i in range(RECORDS))
