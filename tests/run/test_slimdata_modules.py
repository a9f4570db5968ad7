"""Module paths of slim's data modules and queues under ``scopeflow run`` (issue 7)."""

from __future__ import annotations

import pytest

from scopeflow.contrib.slim import queues
from scopeflow.contrib.slim.data import dataset_data_provider, parallel_reader, tfexample_decoder
from scopeflow.run import _modules, tensorflow_import_hook

PATHS = [
    # TF 1.15's private contrib layout, as research/slim's older scripts import it
    ("tensorflow.contrib.slim.python.slim.data.tfexample_decoder", tfexample_decoder),
    ("tensorflow.contrib.slim.python.slim.data.parallel_reader", parallel_reader),
    ("tensorflow.contrib.slim.python.slim.queues", queues),
    # tf.contrib.slim.X and tf_slim's own layout (tf_slim.data.X is tensorflow.contrib.slim.data.X)
    ("tensorflow.contrib.slim.data.dataset_data_provider", dataset_data_provider),
    ("tensorflow.contrib.slim.queues", queues),
]


@pytest.mark.parametrize(("path", "module"), PATHS, ids=[p for p, _ in PATHS])
def test_slim_data_paths_serve_scopeflow_modules(path, module) -> None:
    tf_module = _modules.import_tf_module(path)
    for name in module.__all__:
        assert getattr(tf_module, name) is getattr(module, name)


def test_tf_slim_imports_resolve_under_the_hook() -> None:
    with tensorflow_import_hook():
        import tensorflow as tf
        from tf_slim import queues as slim_queues
        from tf_slim.data import tfexample_decoder as ted

        assert ted.TFExampleDecoder is tfexample_decoder.TFExampleDecoder
        assert slim_queues.QueueRunners is queues.QueueRunners
        assert tf.contrib.slim.dataset_data_provider.DatasetDataProvider is (
            dataset_data_provider.DatasetDataProvider
        )
