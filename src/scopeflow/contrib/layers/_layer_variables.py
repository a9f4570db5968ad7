"""How slim layers create their variables, as TF 1.15's ``tf.layers``-backed slim layers do.

A slim layer built on a ``tf.layers`` class (conv, fully_connected, separable conv, batch norm)
creates each weight as a model variable under slim's name (``kernel`` -> ``weights``, ``bias`` ->
``biases``) and applies the regularizer the way the ``tf.layers`` base does: once, when the
variable is created, under the name scope ``<layer attribute>/Regularizer`` (so the loss is
``Conv/kernel/Regularizer/l2_regularizer``). Then the layer adds the variable to the user's
``variables_collections``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow.contrib.framework._variables import model_variable
from scopeflow.contrib.layers.utils import get_variable_collections
from scopeflow.graph.graph import get_default_graph


def layer_weight(
    attr: str,
    name: str,
    shape: Any,
    dtype: Any,
    initializer: Any,
    regularizer: Any,
    trainable: bool,
) -> Any:
    """A ``tf.layers`` weight ``attr`` created as slim's model variable ``name``."""
    graph = get_default_graph()
    created_before = len(graph.get_collection_ref(GraphKeys.GLOBAL_VARIABLES))
    var = model_variable(
        name, shape=shape, dtype=dtype, initializer=initializer, trainable=trainable
    )
    created = len(graph.get_collection_ref(GraphKeys.GLOBAL_VARIABLES)) != created_before
    if regularizer is not None and created:
        with graph.name_scope(attr + "/Regularizer"):
            loss = regularizer(var)
        if loss is not None:
            graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
    return var


def add_variable_to_collections(variable: Any, collections_set: Any, collections_name: str) -> None:
    """Add ``variable`` (each partition of a partitioned one) to the requested collections."""
    collections = get_variable_collections(collections_set, collections_name) or []
    if isinstance(collections, str):
        collections = [collections]
    variables_list = list(variable) if hasattr(variable, "_get_variable_list") else [variable]
    graph = get_default_graph()
    for collection in collections:
        for var in variables_list:
            if var not in graph.get_collection(collection):
                graph.add_to_collection(collection, var)
