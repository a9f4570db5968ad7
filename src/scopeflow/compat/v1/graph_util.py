"""``tf.graph_util``: GraphDef rewrites. Re-exports only."""

from scopeflow.graph_import.graph_util import (
    convert_variables_to_constants,
    extract_sub_graph,
    remove_training_nodes,
)

__all__ = ["convert_variables_to_constants", "extract_sub_graph", "remove_training_nodes"]
