"""GraphDef / TensorProto export through protobuf (:mod:`scopeflow.protos`).

``graph_def.as_graph_def(graph)`` is ``tf.Graph.as_graph_def``; ``tensor_proto`` converts NumPy
values to TF's ``TensorProto`` as TF's ``make_tensor_proto`` and kernels do.

Must not import torch, ``scopeflow.graph`` (graphs are read through their public attributes),
``scopeflow.ops`` or any layer above.
"""
