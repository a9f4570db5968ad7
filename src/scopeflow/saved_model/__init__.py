"""TF1 SavedModels (``tf.saved_model``), written and read as TF 1.15 does.

The v1 builder, ``simple_save``, the v1 loader, and SignatureDef / TensorInfo helpers.

A library layer: imports ``graph``, ``ops``, ``train`` (the Saver), ``graph_import``
(meta graphs) and ``graph_io``; must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.saved_model.builder import Builder, SavedModelBuilder, simple_save
from scopeflow.saved_model.loader import load, maybe_saved_model_directory

__all__ = ["Builder", "SavedModelBuilder", "load", "maybe_saved_model_directory", "simple_save"]
