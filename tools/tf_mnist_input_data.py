"""TF 1.15's MNIST reader (``tensorflow.examples.tutorials.mnist.input_data``) for the TF oracle.

TF 2.21 no longer ships ``tensorflow/contrib/learn/python/learn/datasets/mnist.py``;
``tools/record_tf_examples.py`` gives this module to the programs it runs under TensorFlow. It
follows TF 1.15's published reader: ``read_data_sets`` reads the four gzipped IDX files (it never
downloads here: the files must exist), keeps the first ``validation_size`` training examples as
the validation set, and each ``DataSet`` seeds NumPy's global generator from TF's
``random_seed.get_seed`` (the graph seed) and shuffles with it in ``next_batch``.

Needs TensorFlow (never a scopeflow dependency).
"""

from __future__ import annotations

import gzip
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
from tensorflow.python.framework import dtypes, random_seed

FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


def _read32(stream: Any) -> int:
    return int(np.frombuffer(stream.read(4), dtype=np.dtype(">u4"))[0])


def _extract(path: Path, one_hot: bool) -> np.ndarray:
    print("Extracting", path)
    with gzip.open(path, "rb") as stream:
        magic = _read32(stream)
        if magic == 2051:
            n, rows, cols = _read32(stream), _read32(stream), _read32(stream)
            data = np.frombuffer(stream.read(n * rows * cols), np.uint8)
            return data.reshape(n, rows, cols, 1)
        if magic != 2049:
            raise ValueError(f"Invalid magic number {magic} in MNIST file: {path}")
        labels = np.frombuffer(stream.read(_read32(stream)), np.uint8)
        if not one_hot:
            return labels
        out = np.zeros((labels.shape[0], 10))
        out[np.arange(labels.shape[0]), labels] = 1
        return out


class DataSet:
    """Images and labels in shuffled mini-batches (TF 1.15's ``mnist.DataSet``)."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, dtype: Any = dtypes.float32,
                 reshape: bool = True, seed: int | None = None) -> None:  # fmt: skip
        seed1, seed2 = random_seed.get_seed(seed)
        np.random.seed(seed1 if seed is None else seed2)
        self._num_examples = images.shape[0]
        if reshape:
            images = images.reshape(images.shape[0], images.shape[1] * images.shape[2])
        if dtypes.as_dtype(dtype).base_dtype == dtypes.float32:
            images = np.multiply(images.astype(np.float32), 1.0 / 255.0)
        self._images = images
        self._labels = labels
        self._epochs_completed = 0
        self._index_in_epoch = 0

    images = property(lambda self: self._images)
    labels = property(lambda self: self._labels)
    num_examples = property(lambda self: self._num_examples)
    epochs_completed = property(lambda self: self._epochs_completed)

    def next_batch(self, batch_size: int, fake_data: bool = False,
                   shuffle: bool = True) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            perm0 = np.arange(self._num_examples)
            np.random.shuffle(perm0)
            self._images = self._images[perm0]
            self._labels = self._labels[perm0]
        if start + batch_size > self._num_examples:
            self._epochs_completed += 1
            rest = self._num_examples - start
            images_rest = self._images[start:]
            labels_rest = self._labels[start:]
            if shuffle:
                perm = np.arange(self._num_examples)
                np.random.shuffle(perm)
                self._images = self._images[perm]
                self._labels = self._labels[perm]
            self._index_in_epoch = end = batch_size - rest
            return (
                np.concatenate((images_rest, self._images[:end]), axis=0),
                np.concatenate((labels_rest, self._labels[:end]), axis=0),
            )
        self._index_in_epoch += batch_size
        end = self._index_in_epoch
        return self._images[start:end], self._labels[start:end]


def read_data_sets(train_dir: str, fake_data: bool = False, one_hot: bool = False,
                   dtype: Any = dtypes.float32, reshape: bool = True,
                   validation_size: int = 5000, seed: int | None = None,
                   source_url: str | None = None) -> SimpleNamespace:  # fmt: skip
    if fake_data:
        raise NotImplementedError("fake_data")
    arrays = [_extract(Path(train_dir) / name, one_hot) for name in FILES]
    train_images, train_labels, test_images, test_labels = arrays
    if not 0 <= validation_size <= len(train_images):
        raise ValueError(f"Validation size should be between 0 and {len(train_images)}.")
    options = {"dtype": dtype, "reshape": reshape, "seed": seed}
    train = DataSet(train_images[validation_size:], train_labels[validation_size:], **options)
    validation = DataSet(train_images[:validation_size], train_labels[:validation_size],
                         **options)  # fmt: skip
    test = DataSet(test_images, test_labels, **options)
    return SimpleNamespace(train=train, validation=validation, test=test)
