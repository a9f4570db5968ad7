"""``tf.contrib.slim.data``: datasets, decoders, providers and parallel readers. Re-exports only.

TF 1.15's ``slim`` data modules (also ``slim.dataset``, ``slim.tfexample_decoder``, ...):
a ``Dataset`` names files, a reader class and a decoder; ``DatasetDataProvider`` reads them with
``parallel_reader`` and decodes items with ``TFExampleDecoder``'s item handlers.

>>> import scopeflow.compat.v1 as tf
>>> slim = tf.contrib.slim
>>> slim.tfexample_decoder is slim.data.tfexample_decoder
True
"""

from scopeflow.contrib.slim.data import (
    data_decoder,
    data_provider,
    dataset,
    dataset_data_provider,
    parallel_reader,
    prefetch_queue,
    test_utils,
    tfexample_decoder,
)

__all__ = [
    "data_decoder",
    "data_provider",
    "dataset",
    "dataset_data_provider",
    "parallel_reader",
    "prefetch_queue",
    "test_utils",
    "tfexample_decoder",
]
