"""GraphDef import and graph rewriting: ``tf.import_graph_def`` and ``tf.graph_util``.

``importer.import_graph_def`` builds scopeflow ops from TF ``NodeDef``s through the op library's
own wrappers (``_builders``), so imported ops carry the same attrs, dtypes and static shapes as
ops built in Python. ``graph_util`` rewrites GraphDefs (freezing variables, extracting and
cleaning subgraphs) without touching any graph.

A library layer: imports ``ops``, ``graph``, ``graph_io`` and ``_core``; must not import
``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.graph_import.graph_util import (
    convert_variables_to_constants,
    extract_sub_graph,
    remove_training_nodes,
)
from scopeflow.graph_import.importer import import_graph_def

__all__ = [
    "convert_variables_to_constants",
    "extract_sub_graph",
    "import_graph_def",
    "remove_training_nodes",
]
