"""The CIFAR-10 tutorial's image preprocessing gives TF's numbers.

``test_cifar10_preprocessing_matches_tf`` (always runs) builds the tutorial's
``read_cifar10`` and both preprocessing chains (``distorted_inputs``: ``random_crop``,
``random_flip_left_right``, ``random_brightness``, ``random_contrast``,
``per_image_standardization``; ``inputs``: ``resize_image_with_crop_or_pad``,
``per_image_standardization``) with graph seed 42 and one reader, and compares every record's
images with TF's, recorded by ``tools/record_cifar10_images.py`` in
``tests/fixtures/cifar10_images/tf_pipeline.npz`` (the random crops, flips, brightness and
contrast factors are TF's Philox draws).

``test_models_cifar10_distorted_inputs_and_inputs`` imports
``tutorials/image/cifar10/cifar10_input.py`` from the ``tensorflow/models`` checkout named by
``SCOPEFLOW_TF_MODELS`` (skipped when unset) through the ``scopeflow run`` import hook and runs
its ``distorted_inputs`` and ``inputs`` on fake CIFAR files. Only the module's example-count
constants are lowered (the queues would otherwise wait for 20000 examples). Its batching
threads race, so order is not comparable: each ``inputs`` image must equal TF's recorded image
of its record, and each ``distorted_inputs`` image must be the standardization of a 24x24
crop (possibly mirrored) of its record up to what brightness, contrast and
standardization change (a positive scale and per-channel offsets).
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

RECORDS = 6
STEPS = 8
SEED = 42
FIXTURE = Path(__file__).parents[1] / "fixtures/cifar10_images/tf_pipeline.npz"


def _fake_cifar_rows() -> np.ndarray:
    """The recorder's records: label byte + 3x32x32 CHW bytes (``np.random.RandomState(0)``)."""
    rng = np.random.RandomState(0)
    rows = rng.randint(0, 256, size=(RECORDS, 1 + 3 * 32 * 32)).astype(np.uint8)
    rows[:, 0] = np.arange(RECORDS) % 10
    return rows


def _hwc(row: np.ndarray) -> np.ndarray:
    return row[1:].reshape(3, 32, 32).transpose(1, 2, 0).astype(np.float32)


def test_cifar10_preprocessing_matches_tf(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(_fake_cifar_rows().tobytes())
    tf.set_random_seed(SEED)
    queue = tf.train.string_input_producer([str(path)], shuffle=False)
    reader = tf.FixedLengthRecordReader(record_bytes=1 + 3 * 32 * 32)
    _, value = reader.read(queue)
    raw = tf.decode_raw(value, tf.uint8)
    label = tf.cast(tf.strided_slice(raw, [0], [1]), tf.int32)
    chw = tf.reshape(tf.strided_slice(raw, [1], [1 + 3 * 32 * 32]), [3, 32, 32])
    image = tf.cast(tf.transpose(chw, [1, 2, 0]), tf.float32)
    d = tf.random_crop(image, [24, 24, 3])
    d = tf.image.random_flip_left_right(d)
    assert d.name == "random_flip_left_right/Merge:0"
    d = tf.image.random_brightness(d, max_delta=63)
    d = tf.image.random_contrast(d, lower=0.2, upper=1.8)
    assert d.name == "adjust_contrast/Identity:0"
    distorted = tf.image.per_image_standardization(d)
    resized = tf.image.resize_image_with_crop_or_pad(image, 24, 24)
    assert resized.name == "resize_image_with_crop_or_pad/Squeeze:0"
    assert resized.shape.as_list() == [24, 24, 3]
    evaluated = tf.image.per_image_standardization(resized)
    want = np.load(FIXTURE)
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        for i in range(STEPS):
            a, b, c = sess.run([distorted, evaluated, label])
            np.testing.assert_allclose(a, want["distorted"][i], atol=2e-5, err_msg=f"record {i}")
            np.testing.assert_allclose(b, want["eval"][i], atol=2e-5, err_msg=f"record {i}")
            assert c.tolist() == want["labels"][i].tolist()
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)


def _centered(x: np.ndarray) -> np.ndarray:
    x = x.astype(np.float64)
    return x - x.mean(axis=(0, 1), keepdims=True)


def _is_distortion_of(image: np.ndarray, source: np.ndarray) -> bool:
    """``image`` is ``k * (crop - its channel means) + c`` for a crop of ``source``, ``k > 0``.

    Brightness adds one delta, contrast scales by ``f > 0`` about each channel's mean, and the
    standardization is affine, so this is what the distortions leave of the (mirrored) crop.
    """
    a = _centered(image)
    for flipped in (source, source[:, ::-1]):
        for oy in range(9):
            for ox in range(9):
                b = _centered(flipped[oy : oy + 24, ox : ox + 24])
                k = float((a * b).sum() / (b * b).sum())
                if k > 0 and np.allclose(a, k * b, atol=1e-3):
                    return True
    return False


@contextlib.contextmanager
def _six_shim() -> Iterator[None]:
    """``six.moves.xrange`` (the file's only other import) as ``range`` when six is absent."""
    if importlib.util.find_spec("six") is not None:
        yield
        return
    moves = types.ModuleType("six.moves")
    moves.xrange = range  # type: ignore[attr-defined]
    six = types.ModuleType("six")
    six.moves = moves  # type: ignore[attr-defined]
    sys.modules.update({"six": six, "six.moves": moves})
    try:
        yield
    finally:
        sys.modules.pop("six", None)
        sys.modules.pop("six.moves", None)


@pytest.mark.slow
def test_models_cifar10_distorted_inputs_and_inputs(tmp_path: Path) -> None:
    root = os.environ.get("SCOPEFLOW_TF_MODELS")
    if not root:
        pytest.skip("SCOPEFLOW_TF_MODELS (a tensorflow/models checkout) is not set")
    path = Path(root) / "tutorials/image/cifar10/cifar10_input.py"
    if not path.exists():
        pytest.skip(f"{path} does not exist")
    rows = _fake_cifar_rows()
    for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
        (tmp_path / name).write_bytes(rows.tobytes())
    want = np.load(FIXTURE)
    eval_by_label = {int(lab[0]): im for lab, im in zip(want["labels"], want["eval"], strict=True)}
    source_by_label = {int(r[0]): _hwc(r) for r in rows}
    with tensorflow_import_hook(), tf.Graph().as_default(), _six_shim():
        spec = importlib.util.spec_from_file_location("cifar10_input_images_under_test", path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        try:
            spec.loader.exec_module(module)
            module.NUM_EXAMPLES_PER_EPOCH_FOR_TRAIN = 40  # the queues wait for 40% of these
            module.NUM_EXAMPLES_PER_EPOCH_FOR_EVAL = 40
            with contextlib.redirect_stdout(None):
                images, labels = module.distorted_inputs(str(tmp_path), 4)
            eval_images, eval_labels = module.inputs(True, str(tmp_path), 4)
            assert images.shape.as_list() == [4, 24, 24, 3]
            assert eval_images.shape.as_list() == [4, 24, 24, 3]
            assert labels.shape.as_list() == [4]
            with tf.Session() as sess:
                coord = tf.train.Coordinator()
                threads = tf.train.start_queue_runners(sess, coord)
                for _ in range(2):
                    im, lab, ev, evlab = sess.run([images, labels, eval_images, eval_labels])
                    for one, label in zip(im, lab, strict=True):
                        assert _is_distortion_of(one, source_by_label[int(label)])
                    for one, label in zip(ev, evlab, strict=True):
                        np.testing.assert_allclose(one, eval_by_label[int(label)], atol=2e-5)
                coord.request_stop()
                coord.join(threads, stop_grace_period_secs=10)
        finally:
            del sys.modules[spec.name]
