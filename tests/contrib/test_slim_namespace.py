"""``tf.contrib.slim``'s submodules are slim's own, as in TF 1.15, where a name clashes with one
that ``tf.contrib.layers`` exports (``summaries``)."""

from __future__ import annotations

import scopeflow.compat.v1 as tf


def test_slim_summaries_is_slims_module_and_layers_summaries_is_layers() -> None:
    slim = tf.contrib.slim
    assert callable(slim.summaries.add_histogram_summaries)
    assert callable(slim.summaries.add_scalar_summary)
    assert not hasattr(slim.summaries, "summarize_tensor")
    assert callable(tf.contrib.layers.summaries.summarize_tensor)
    assert not hasattr(tf.contrib.layers.summaries, "add_histogram_summaries")


def test_slim_training_modules_are_reachable() -> None:
    slim = tf.contrib.slim
    assert slim.metrics is tf.contrib.metrics
    assert callable(slim.learning.train)
    assert callable(slim.learning.create_train_op)
    assert callable(slim.evaluation.evaluate_once)
    assert callable(slim.dataset_data_provider.DatasetDataProvider)
    assert callable(slim.queues.QueueRunners)
