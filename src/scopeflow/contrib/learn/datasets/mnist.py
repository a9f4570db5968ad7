"""MNIST's reader of TF 1.15 (``tf.contrib.learn.datasets.mnist``, ``input_data``).

``read_data_sets(train_dir)`` reads the four gzipped IDX files from ``train_dir`` (downloading
each one that is absent, as TF does) and returns ``Datasets(train, validation, test)`` of
``DataSet`` objects whose ``next_batch`` shuffles with NumPy's global generator, epoch after
epoch, exactly as TF 1.15's: the same seeding (``numpy.random.seed`` with the graph seed, or
the ``seed`` argument), the same permutations and the same batches for the same files.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from scopeflow._core import dtypes
from scopeflow.contrib.learn.datasets._base import Datasets, maybe_download
from scopeflow.ops.random_ops import get_seed

#: TF 1.15's default source (the CVDF mirror of the MNIST files).
DEFAULT_SOURCE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"
TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"


def _read32(stream: Any) -> int:
    return int(np.frombuffer(stream.read(4), dtype=np.dtype(">u4"))[0])


def extract_images(f: BinaryIO) -> np.ndarray:
    """The images of a gzipped IDX file, a ``[n, rows, cols, 1]`` uint8 array.

    Raises:
        ValueError: the file does not start with the magic number 2051.
    """
    print("Extracting", f.name)  # noqa: T201 (TF prints it)
    with gzip.GzipFile(fileobj=f) as stream:
        magic = _read32(stream)
        if magic != 2051:
            raise ValueError(f"Invalid magic number {magic} in MNIST image file: {f.name}")
        n, rows, cols = _read32(stream), _read32(stream), _read32(stream)
        data = np.frombuffer(stream.read(rows * cols * n), dtype=np.uint8)
        return data.reshape(n, rows, cols, 1)


def dense_to_one_hot(labels_dense: np.ndarray, num_classes: int) -> np.ndarray:
    """Class labels as one-hot float64 rows."""
    out = np.zeros((labels_dense.shape[0], num_classes))
    out[np.arange(labels_dense.shape[0]), labels_dense.ravel()] = 1
    return out


def extract_labels(f: BinaryIO, one_hot: bool = False, num_classes: int = 10) -> np.ndarray:
    """The labels of a gzipped IDX file (uint8, or one-hot rows).

    Raises:
        ValueError: the file does not start with the magic number 2049.
    """
    print("Extracting", f.name)  # noqa: T201 (TF prints it)
    with gzip.GzipFile(fileobj=f) as stream:
        magic = _read32(stream)
        if magic != 2049:
            raise ValueError(f"Invalid magic number {magic} in MNIST label file: {f.name}")
        n = _read32(stream)
        labels = np.frombuffer(stream.read(n), dtype=np.uint8)
        return dense_to_one_hot(labels, num_classes) if one_hot else labels


class DataSet:
    """Images and labels served in shuffled mini-batches (TF 1.15's ``mnist.DataSet``)."""

    def __init__(self, images: Any, labels: Any, fake_data: bool = False, one_hot: bool = False,
                 dtype: Any = dtypes.float32, reshape: bool = True,
                 seed: int | None = None) -> None:  # fmt: skip
        seed1, seed2 = get_seed(seed)
        # TF seeds NumPy's global generator: with the graph seed (or from the OS when none)
        np.random.seed(seed1 if seed is None else seed2)
        dtype = dtypes.as_dtype(dtype).base_dtype
        if dtype not in (dtypes.uint8, dtypes.float32):
            raise TypeError(f"Invalid image dtype {dtype!r}, expected uint8 or float32")
        self.one_hot = one_hot
        if fake_data:
            self._num_examples = 10000
        else:
            if images.shape[0] != labels.shape[0]:
                raise AssertionError(f"images.shape: {images.shape} labels.shape: {labels.shape}")
            self._num_examples = images.shape[0]
            if reshape:
                if images.shape[3] != 1:
                    raise AssertionError("reshape needs images of depth 1")
                images = images.reshape(images.shape[0], images.shape[1] * images.shape[2])
            if dtype == dtypes.float32:
                images = np.multiply(images.astype(np.float32), 1.0 / 255.0)
        self._images = images
        self._labels = labels
        self._epochs_completed = 0
        self._index_in_epoch = 0

    @property
    def images(self) -> Any:
        """All images (in the current epoch's order)."""
        return self._images

    @property
    def labels(self) -> Any:
        """All labels (in the current epoch's order)."""
        return self._labels

    @property
    def num_examples(self) -> int:
        """The number of examples."""
        return self._num_examples

    @property
    def epochs_completed(self) -> int:
        """How many epochs ``next_batch`` has finished."""
        return self._epochs_completed

    def next_batch(self, batch_size: int, fake_data: bool = False,
                   shuffle: bool = True) -> tuple[Any, Any]:  # fmt: skip
        """The next ``batch_size`` examples (a batch spanning two epochs joins both)."""
        if fake_data:
            image = [1] * 784
            label: Any = [1] + [0] * 9 if self.one_hot else 0
            return [image for _ in range(batch_size)], [label for _ in range(batch_size)]
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            perm0 = np.arange(self._num_examples)
            np.random.shuffle(perm0)
            self._images = self.images[perm0]
            self._labels = self.labels[perm0]
        if start + batch_size > self._num_examples:
            self._epochs_completed += 1
            rest = self._num_examples - start
            images_rest = self._images[start : self._num_examples]
            labels_rest = self._labels[start : self._num_examples]
            if shuffle:
                perm = np.arange(self._num_examples)
                np.random.shuffle(perm)
                self._images = self.images[perm]
                self._labels = self.labels[perm]
            self._index_in_epoch = batch_size - rest
            end = self._index_in_epoch
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
                   source_url: str = DEFAULT_SOURCE_URL) -> Any:  # fmt: skip
    """MNIST's train/validation/test ``DataSet``s from the IDX files in ``train_dir``.

    The first ``validation_size`` training examples become the validation set. Absent files
    are downloaded from ``source_url`` first.

    Raises:
        ValueError: ``validation_size`` outside ``[0, number of training images]``.
    """
    if fake_data:

        def fake() -> DataSet:
            return DataSet([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed)

        return Datasets(train=fake(), validation=fake(), test=fake())
    source_url = source_url or DEFAULT_SOURCE_URL

    def read(name: str, extract: Any, **kw: Any) -> np.ndarray:
        path = maybe_download(name, train_dir, source_url + name)
        with Path(path).open("rb") as f:
            return extract(f, **kw)  # type: ignore[no-any-return]

    train_images = read(TRAIN_IMAGES, extract_images)
    train_labels = read(TRAIN_LABELS, extract_labels, one_hot=one_hot)
    test_images = read(TEST_IMAGES, extract_images)
    test_labels = read(TEST_LABELS, extract_labels, one_hot=one_hot)
    if not 0 <= validation_size <= len(train_images):
        raise ValueError(
            f"Validation size should be between 0 and {len(train_images)}. Received: "
            f"{validation_size}."
        )
    options = {"dtype": dtype, "reshape": reshape, "seed": seed}
    train = DataSet(train_images[validation_size:], train_labels[validation_size:], **options)
    validation = DataSet(train_images[:validation_size], train_labels[:validation_size],
                         **options)  # fmt: skip
    test = DataSet(test_images, test_labels, **options)
    return Datasets(train=train, validation=validation, test=test)


def load_mnist(train_dir: str = "MNIST-data") -> Any:
    """``read_data_sets(train_dir)``."""
    return read_data_sets(train_dir)


__all__ = [
    "DEFAULT_SOURCE_URL",
    "DataSet",
    "dense_to_one_hot",
    "extract_images",
    "extract_labels",
    "load_mnist",
    "read_data_sets",
]
