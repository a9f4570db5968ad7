"""TensorFlow's protocol buffer messages as real protobuf classes under TF's names.

One module per TF ``.proto`` file, named as TF names it (``summary_pb2``, ``event_pb2``,
``graph_pb2``, ...). The classes come from the ``tensorboard`` package's compiled copies of TF's
files, renamed to TF's ``tensorflow`` package in a private descriptor pool (see ``_pool``), so
``Summary.DESCRIPTOR.full_name == "tensorflow.Summary"`` and the wire format is TF's.

This package is imported lazily by ``scopeflow.compat.v1`` (``tf.Summary``...). This file only
imports submodules.

Must not import torch or any other scopeflow layer.

>>> from scopeflow.protos import summary_pb2
>>> s = summary_pb2.Summary()
>>> _ = s.value.add(tag="loss", simple_value=0.5)
>>> print(s.DESCRIPTOR.full_name, s.value[0].tag)
tensorflow.Summary loss
"""

from scopeflow.protos import (
    attr_value_pb2,
    cluster_pb2,
    config_pb2,
    event_pb2,
    example_pb2,
    feature_pb2,
    function_pb2,
    graph_pb2,
    meta_graph_pb2,
    node_def_pb2,
    op_def_pb2,
    queue_runner_pb2,
    saved_model_pb2,
    saver_pb2,
    step_stats_pb2,
    summary_pb2,
    tensor_pb2,
    tensor_shape_pb2,
    types_pb2,
    variable_pb2,
    versions_pb2,
)

__all__ = [
    "attr_value_pb2",
    "cluster_pb2",
    "config_pb2",
    "event_pb2",
    "example_pb2",
    "feature_pb2",
    "function_pb2",
    "graph_pb2",
    "meta_graph_pb2",
    "node_def_pb2",
    "op_def_pb2",
    "queue_runner_pb2",
    "saved_model_pb2",
    "saver_pb2",
    "step_stats_pb2",
    "summary_pb2",
    "tensor_pb2",
    "tensor_shape_pb2",
    "types_pb2",
    "variable_pb2",
    "versions_pb2",
]
