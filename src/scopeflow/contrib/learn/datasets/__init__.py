"""``tf.contrib.learn.datasets``: MNIST's reader (``datasets.mnist.read_data_sets``).

Re-exports only.
"""

from scopeflow.contrib.learn.datasets import mnist
from scopeflow.contrib.learn.datasets._base import Datasets, maybe_download

__all__ = ["Datasets", "maybe_download", "mnist"]
