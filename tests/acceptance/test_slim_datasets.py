"""tensorflow/models research/slim's ``datasets/flowers.py`` read through slim's data pipeline.

The real ``flowers.py`` and ``dataset_utils.py`` are read at test time from
``$SCOPEFLOW_USER_CODE/tensorflow+models/research/slim/datasets/`` (nothing of them is
committed; the test skips when they are absent), copied unchanged into a scratch ``datasets``
package and run with ``python -m scopeflow run`` (only their ``tensorflow`` imports redirected)
by a driver written here: it writes a tiny ``flowers_train_*.tfrecord`` split with the repo's own
``dataset_utils.image_to_tfexample`` and ``write_label_file``, calls ``flowers.get_split`` and
reads every record back with ``slim.dataset_data_provider.DatasetDataProvider(shuffle=False)``
the way ``train_image_classifier.py`` does. The decoded PNG pixels and labels must be exactly
the ones written (PNG is lossless). The same pipeline is compared with TF + tf-slim in the
always-running conformance topic ``slimdata_provider``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
REPO = "tensorflow+models"
FILES = ("flowers.py", "dataset_utils.py")

DRIVER = """
import json
import numpy as np
import tensorflow as tf
from datasets import dataset_utils, flowers

slim = tf.contrib.slim
images = [((np.arange(h * w * 3).reshape(h, w, 3) * (3 + i)) % 256).astype(np.uint8)
          for i, (h, w) in enumerate([(4, 5), (3, 3), (2, 6)])]
with tf.Session(graph=tf.Graph()) as sess:
    encoded = [sess.run(tf.image.encode_png(tf.constant(im))) for im in images]
with tf.python_io.TFRecordWriter("data/flowers_train_00000-of-00001.tfrecord") as writer:
    for i, (im, png) in enumerate(zip(images, encoded)):
        ex = dataset_utils.image_to_tfexample(png, b"png", im.shape[0], im.shape[1], i + 1)
        writer.write(ex.SerializeToString())
dataset_utils.write_label_file({0: "daisy", 1: "rose", 2: "tulip", 3: "dandelion"}, "data")
dataset = flowers.get_split("train", "data")
provider = slim.dataset_data_provider.DatasetDataProvider(
    dataset, num_readers=1, common_queue_capacity=8, common_queue_min=2, shuffle=False)
image, label = provider.get(["image", "label"])
out = {"num_samples": dataset.num_samples, "num_classes": dataset.num_classes,
       "labels_to_names": {str(k): v for k, v in dataset.labels_to_names.items()},
       "image": [image.name, image.dtype.name, image.shape.as_list()],
       "label": [label.name, label.dtype.name, label.shape.as_list()], "read": []}
with tf.Session() as sess:
    with slim.queues.QueueRunners(sess):
        for _ in range(3):
            im, lab = sess.run([image, label])
            out["read"].append([im.tolist(), int(lab)])
out["written"] = [im.tolist() for im in images]
print("RESULT " + json.dumps(out))
"""


def _sources() -> Path | None:
    root = os.environ.get("SCOPEFLOW_USER_CODE")
    if not root:
        return None
    folder = Path(root) / REPO / "research" / "slim" / "datasets"
    return folder if all((folder / f).is_file() for f in FILES) else None


@pytest.mark.slow
def test_flowers_get_split_and_provider_read_back_the_records(tmp_path: Path) -> None:
    folder = _sources()
    if folder is None:
        pytest.skip(
            f"set SCOPEFLOW_USER_CODE to a directory holding {REPO}/research/slim/datasets/"
        )
    package = tmp_path / "datasets"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    for name in FILES:
        shutil.copyfile(folder / name, package / name)
    (tmp_path / "data").mkdir()
    (tmp_path / "driver.py").write_text(DRIVER, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "scopeflow", "run", "driver.py"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    assert lines, proc.stdout[-2000:]
    out = json.loads(lines[-1][len("RESULT ") :])
    assert out["num_samples"] == 3320
    assert out["num_classes"] == 5
    assert out["labels_to_names"] == {"0": "daisy", "1": "rose", "2": "tulip", "3": "dandelion"}
    # TF's names and static shapes (as in the slimdata_provider conformance recording)
    assert out["image"] == ["case/cond/Merge:0", "uint8", [None, None, 3]]
    assert out["label"] == ["Reshape:0", "int64", []]
    for (pixels, label), (written, want_label) in zip(
        out["read"], zip(out["written"], [1, 2, 3], strict=True), strict=True
    ):
        assert label == want_label
        np.testing.assert_array_equal(np.array(pixels), np.array(written))
