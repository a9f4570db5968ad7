"""TF-Slim's image classification programs (tensorflow/models ``slim/``, Feb 2017) end to end.

Shared by ``test_user_code_slimtrain.py`` (scopeflow, through ``python -m scopeflow run``) and
``tools/record_user_code_slimtrain.py`` (TensorFlow 2's ``tf.compat.v1`` + tf-slim as
``tf.contrib``). Nothing of the repo is committed: its files are read at run time from
``$SCOPEFLOW_USER_CODE/pnpnpn+models/slim``.

This file is a driver run as a script, one step per process (the two programs define the same
flags): ``user_code_slimtrain.py [--oracle] STEP MODEL SLIM_DIR WORK_DIR`` with MODEL ``lenet``
(on MNIST) or ``cifarnet`` (on CIFAR-10) and STEP

* ``data``: writes a tiny synthetic MNIST split pair (``mnist_train.tfrecord``, 16 images;
  ``mnist_test.tfrecord``, 8 images) with the repo's own conversion code,
  ``datasets/download_and_convert_mnist._add_to_tfrecord`` (PNG-encodes each image with
  ``tf.image.encode_png`` in a session, ``dataset_utils.image_to_tfexample``), from gzipped idx
  files written here (no download), and the same digits as 32x32 RGB CIFAR-10 splits written
  with ``dataset_utils.image_to_tfexample`` (``download_and_convert_cifar10`` imports Python 2's
  ``cPickle``). No ``labels.txt``: ``dataset_utils.read_label_file`` calls ``.decode()`` on a
  text-mode ``tf.gfile`` read, which is ``str`` on Python 3 in TF 1.x and scopeflow alike;
* ``train``: runs ``train_image_classifier.py`` (``--dataset_name=mnist --model_name=lenet``
  or ``cifar10``/``cifarnet``, 3 steps of batch 4, one reader and one preprocessing thread)
  into ``WORK_DIR/train_MODEL``;
* ``eval``: runs ``eval_image_classifier.py`` on that checkpoint (2 batches of 4 of the test
  split) into ``WORK_DIR/eval_MODEL``.

Each step prints one ``RESULT <json>`` line: for ``train`` the names of the train op, the
merged summary op and its inputs (with their summary tags), the losses ``slim.learning`` logged,
and the checkpoint's variables (name, shape); for ``eval`` the metric summaries written to the
eval directory.

The programs are TF 0.12 code for Python 2. Their files are left as they are; the driver gives
both libraries the same small bridge, each piece named below: ``install_tf012_names`` binds the
TF 0.12 names TF 1.0 removed to their TF 1.x homes, and ``PY2_FIXES`` rewrites three Python 2
spots in the text it compiles (never on disk). Every other line runs as written.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import types
from pathlib import Path
from typing import Any

import numpy as np

REPO = "pnpnpn+models"
FILES = (
    "train_image_classifier.py",
    "eval_image_classifier.py",
    "datasets/mnist.py",
    "datasets/dataset_utils.py",
    "datasets/download_and_convert_mnist.py",
    "nets/lenet.py",
    "nets/nets_factory.py",
    "preprocessing/lenet_preprocessing.py",
    "deployment/model_deploy.py",
)
N_TRAIN, N_TEST, STEPS, BATCH = 16, 8, 3, 4

MODELS = {"lenet": "mnist", "cifarnet": "cifar10"}  # model -> dataset


def train_flags(model: str) -> tuple[str, ...]:
    return (
        f"--dataset_name={MODELS[model]}",
        "--dataset_split_name=train",
        f"--model_name={model}",
        f"--max_number_of_steps={STEPS}",
        f"--batch_size={BATCH}",
        "--num_clones=1",
        "--num_readers=1",
        "--num_preprocessing_threads=1",
        "--log_every_n_steps=1",
    )


def eval_flags(model: str) -> tuple[str, ...]:
    return (
        f"--dataset_name={MODELS[model]}",
        "--dataset_split_name=test",
        f"--model_name={model}",
        f"--batch_size={BATCH}",
        "--max_num_batches=2",
        "--num_preprocessing_threads=1",
    )


# Python 2 -> 3 (file, old text, new text): the two ``dict`` calls as 2to3's ``dict`` fixer
# rewrites them (TF and scopeflow both reject ``dict.iteritems`` and a ``dict_values`` view as a
# fetch), and the image format string a Python 3 ``BytesList`` takes as bytes only.
PY2_FIXES = (
    ("download_and_convert_mnist.py", "png_string, 'png', ", "png_string, b'png', "),
    ("eval_image_classifier.py", "names_to_values.iteritems()", "names_to_values.items()"),
    ("eval_image_classifier.py", "names_to_updates.values()", "list(names_to_updates.values())"),
)


def sources(root: str | None) -> Path | None:
    """``<root>/pnpnpn+models/slim`` if it holds every file used, else None."""
    if not root:
        return None
    folder = Path(root) / REPO / "slim"
    return folder if all((folder / f).is_file() for f in FILES) else None


def install_tf012_names(tf: Any) -> list[str]:
    """The TF 0.12 names these programs use that TF 1.0 removed, bound where TF 1.x kept them.

    ``tf.scalar_summary``/``histogram_summary``/``image_summary``/``merge_summary`` are
    ``tf.contrib.deprecated``'s functions (TF 1.x's home of the TF 0.12 summary ops, same op
    names and tags); ``tf.sub`` is ``tf.subtract``; ``tf.image.per_image_whitening`` is
    ``per_image_standardization``; ``slim.losses.softmax_cross_entropy``'s TF 0.12 keyword
    ``weight`` is passed as TF 1.x's ``weights``. Only names the library lacks are bound;
    returns them.
    """
    bound = []
    for name in ("scalar_summary", "histogram_summary", "image_summary", "merge_summary"):
        if not hasattr(tf, name):
            setattr(tf, name, getattr(tf.contrib.deprecated, name))
            bound.append(name)
    if not hasattr(tf, "sub"):
        tf.sub = tf.subtract
        bound.append("sub")
    if not hasattr(tf.image, "per_image_whitening"):
        tf.image.per_image_whitening = tf.image.per_image_standardization
        bound.append("image.per_image_whitening")
    losses = tf.contrib.slim.losses
    softmax_cross_entropy = losses.softmax_cross_entropy

    def with_weight(*args: Any, weight: Any = None, **kwargs: Any) -> Any:
        if weight is not None:
            kwargs["weights"] = weight
        return softmax_cross_entropy(*args, **kwargs)

    losses.softmax_cross_entropy = with_weight
    bound.append("slim.losses.softmax_cross_entropy(weight=)")
    return bound


def _compiled(path: Path) -> Any:
    """``path``'s code after its ``PY2_FIXES``."""
    source = path.read_text(encoding="utf-8")
    for name, old, new in PY2_FIXES:
        if path.name == name:
            if source.count(old) != 1:
                raise AssertionError(f"{name}: expected one {old!r}")
            source = source.replace(old, new)
    return compile(source, str(path), "exec")


def run_program(path: Path, args: list[str]) -> int:
    """Runs ``path`` as ``__main__`` with ``args`` (after ``PY2_FIXES``); the exit status."""
    code = _compiled(path)
    sys.argv = [str(path), *args]
    sys.path.insert(0, str(path.parent))
    module = types.ModuleType("__main__")  # tf.app.run() calls sys.modules["__main__"].main
    module.__file__ = str(path)
    driver = sys.modules["__main__"]
    sys.modules["__main__"] = module
    try:
        exec(code, module.__dict__)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        sys.modules["__main__"] = driver
    return 0


def _idx_files(folder: Path, split: str, n: int, seed: int) -> tuple[Path, Path]:
    """Gzipped MNIST idx files of ``n`` synthetic 28x28 digits: label k lights column band k."""
    rng = np.random.RandomState(seed)
    labels = (np.arange(n) % 10).astype(np.uint8)
    images = rng.randint(0, 40, size=(n, 28, 28)).astype(np.uint8)
    for i, k in enumerate(labels):
        images[i, 4:24, 2 + 2 * k : 5 + 2 * k] = 200 + i
    data, lab = folder / f"{split}-images-idx3-ubyte.gz", folder / f"{split}-labels-idx1-ubyte.gz"
    with gzip.open(data, "wb") as f:
        f.write(b"\0\0\x08\x03" + np.array([n, 28, 28], ">i4").tobytes() + images.tobytes())
    with gzip.open(lab, "wb") as f:
        f.write(b"\0\0\x08\x01" + np.array([n], ">i4").tobytes() + labels.tobytes())
    return data, lab


def step_data(tf: Any, slim_dir: Path, work: Path, model: str) -> dict[str, Any]:
    sys.path.insert(0, str(slim_dir))
    import datasets
    from datasets import dataset_utils

    download_and_convert_mnist = types.ModuleType("datasets.download_and_convert_mnist")
    path = slim_dir / "datasets" / "download_and_convert_mnist.py"
    download_and_convert_mnist.__file__ = str(path)
    sys.modules[download_and_convert_mnist.__name__] = download_and_convert_mnist
    datasets.download_and_convert_mnist = download_and_convert_mnist
    exec(_compiled(path), download_and_convert_mnist.__dict__)

    data_dir = work / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    for split, n, seed in (("train", N_TRAIN, 0), ("test", N_TEST, 1)):
        images, labels = _idx_files(work, split, n, seed)
        out = download_and_convert_mnist._get_output_filename(str(data_dir), split)
        with tf.python_io.TFRecordWriter(out) as writer:
            download_and_convert_mnist._add_to_tfrecord(str(images), str(labels), n, writer)
        # CIFAR-10 (``download_and_convert_cifar10`` imports Python 2's ``cPickle``): the same
        # digits as 32x32 RGB, written with ``dataset_utils.image_to_tfexample`` here
        with gzip.open(images) as f:
            digits = np.frombuffer(f.read()[16:], np.uint8).reshape(n, 28, 28)
        rgb = np.stack([np.pad(digits, ((0, 0), (2, 2), (2, 2)))] * 3, axis=-1)
        rgb[..., 1] //= 2
        with tf.Graph().as_default(), tf.Session() as sess:
            pixels = tf.placeholder(tf.uint8, [32, 32, 3])
            png = tf.image.encode_png(pixels)
            with tf.python_io.TFRecordWriter(str(data_dir / f"cifar10_{split}.tfrecord")) as w:
                for i in range(n):
                    encoded = sess.run(png, {pixels: rgb[i]})
                    label = int(i % 10)
                    ex = dataset_utils.image_to_tfexample(encoded, b"png", 32, 32, label)
                    w.write(ex.SerializeToString())
    return {"files": sorted(p.name for p in data_dir.iterdir())}


def _summary_tag(tf: Any, t: Any) -> str | None:
    """The constant tag input of a summary op (None if it is not a constant)."""
    tag = tf.get_static_value(t.op.inputs[0])
    if tag is None:
        return None
    tag = tag.item() if hasattr(tag, "item") else tag
    return tag.decode() if isinstance(tag, bytes) else str(tag)


def step_train(tf: Any, slim_dir: Path, work: Path, model: str) -> dict[str, Any]:
    slim = tf.contrib.slim
    train_dir = work / f"train_{model}"
    seen: dict[str, Any] = {}
    train = slim.learning.train

    def recording_train(train_op: Any, logdir: Any, **kwargs: Any) -> Any:
        summary_op = kwargs.get("summary_op")
        seen["train_op"] = train_op.name
        seen["summary_op"] = summary_op.name
        seen["summaries"] = sorted(
            [t.op.name, t.op.type, _summary_tag(tf, t)] for t in summary_op.op.inputs
        )
        seen["losses"] = sorted(t.op.name for t in tf.get_collection(tf.GraphKeys.LOSSES))
        seen["update_ops"] = len(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        return train(train_op, logdir, **kwargs)

    slim.learning.train = recording_train
    status = run_program(
        slim_dir / "train_image_classifier.py",
        [f"--train_dir={train_dir}", f"--dataset_dir={work / 'data'}", *train_flags(model)],
    )
    seen["status"] = status
    ckpt = tf.train.latest_checkpoint(str(train_dir))
    seen["checkpoint"] = Path(ckpt).name if ckpt else None
    seen["variables"] = [[n, list(s)] for n, s in tf.train.list_variables(ckpt)] if ckpt else []
    return seen


def step_eval(tf: Any, slim_dir: Path, work: Path, model: str) -> dict[str, Any]:
    eval_dir = work / f"eval_{model}"
    status = run_program(
        slim_dir / "eval_image_classifier.py",
        [
            f"--checkpoint_path={work / f'train_{model}'}",
            f"--eval_dir={eval_dir}",
            f"--dataset_dir={work / 'data'}",
            *eval_flags(model),
        ],
    )
    values: dict[str, float] = {}
    for path in sorted(eval_dir.glob("events.out.tfevents.*")):
        for event in tf.train.summary_iterator(str(path)):
            for v in event.summary.value:
                values[v.tag] = float(v.simple_value)
    return {"status": status, "summaries": values}


STEPS_BY_NAME = {"data": step_data, "train": step_train, "eval": step_eval}
LOSS_LINE = re.compile(r"global step (\d+): loss = ([-+\w.]+)")
PRINT_LINE = re.compile(r"(eval/[\w@]+)\[")


def logged_losses(log: str) -> list[list[Any]]:
    """``[step, loss text]`` of each ``global step N: loss = X`` line (tf.logging and absl both
    print it)."""
    return [[s, v] for s, v in sorted({int(s): v for s, v in LOSS_LINE.findall(log)}.items())]


def _oracle_tf() -> Any:
    """TF 2's ``tf.compat.v1`` as ``tensorflow`` with tf-slim as ``tf.contrib`` (recorder only)."""
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    import record_user_code_slimtrain

    record_user_code_slimtrain.install_oracle_contrib(tf)
    sys.modules["tensorflow"] = tf
    return tf


def main(argv: list[str]) -> int:
    oracle = argv[:1] == ["--oracle"]
    step, model, slim_dir, work = argv[1:] if oracle else argv
    if oracle:
        tf = _oracle_tf()
    else:
        import tensorflow as tf
    bound = install_tf012_names(tf)
    out = STEPS_BY_NAME[step](tf, Path(slim_dir), Path(work), model)
    out["tf012_names"] = bound
    print("\nRESULT " + json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
