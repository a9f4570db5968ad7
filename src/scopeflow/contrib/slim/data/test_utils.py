"""``slim.data.test_utils``: random images and TFRecord files of ``tf.train.Example``s.

The helpers tf-slim's data tests use: each example holds ``image/encoded`` (a JPEG or PNG of
random ``uint8`` pixels, drawn with NumPy's global generator), ``image/format`` and
``image/class/label``. The encoding runs in the default session (call these inside one).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow.data.tf_record import TFRecordWriter
from scopeflow.ops import image_codec_ops
from scopeflow.ops.constant_op import constant
from scopeflow.protos.feature_pb2 import BytesList, Example, Feature, Features, Int64List


def _bytes_feature(value: bytes) -> Any:
    return Feature(bytes_list=BytesList(value=[value]))


def _encode(image: np.ndarray, image_format: str) -> Any:
    if image_format not in ("jpeg", "png"):
        raise ValueError(f"image_format must be 'jpeg' or 'png', got {image_format!r}")
    encoder = image_codec_ops.encode_jpeg if image_format == "jpeg" else image_codec_ops.encode_png
    return encoder(constant(image, dtype=dtypes.uint8))


def generate_image(
    image_shape: Any, image_format: str = "jpeg", label: int = 0
) -> tuple[np.ndarray, bytes]:
    """A random image (values 0..255) and a serialized ``Example`` holding it encoded.

    Must be called with a default session (the encoding op is evaluated in it).
    """
    image = np.random.randint(0, 256, size=image_shape)
    encoded = _encode(image, image_format).eval()
    example = Example(
        features=Features(
            feature={
                "image/encoded": _bytes_feature(encoded),
                "image/format": _bytes_feature(image_format.encode("utf-8")),
                "image/class/label": Feature(
                    int64_list=Int64List(value=np.array(label).flatten().tolist())
                ),
            }
        )
    )
    return image, example.SerializeToString()


def create_tfrecord_files(
    output_dir: str, num_files: int = 3, num_records_per_file: int = 10
) -> list[str]:
    """Writes ``num_files`` files ``flowers.tfrecord-<i>-of-<num_files>`` of random 10x10 JPEGs.

    Must be called with a default session. Returns the paths.
    """
    paths = []
    for i in range(num_files):
        path = os.path.join(output_dir, f"flowers.tfrecord-{i}-of-{num_files}")  # noqa: PTH118
        paths.append(path)
        writer = TFRecordWriter(path)
        for _ in range(num_records_per_file):
            _, example = generate_image(image_shape=(10, 10, 3))
            writer.write(example)
        writer.close()
    return paths


__all__ = ["create_tfrecord_files", "generate_image"]
