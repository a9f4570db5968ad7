"""TF1's graph: ``Graph``, ``Operation``, symbolic ``Tensor``, ``DType``, ``Variable``, ``Session``.

Modules are imported by name (``scopeflow.graph.graph``); this package imports none of them. Must
not import ``scopeflow.ops``, ``scopeflow.train``, ``scopeflow.compat`` or ``scopeflow.cli``.
"""
