"""``tf.saved_model.tag_constants``: the tags TF's tools give MetaGraphs in a SavedModel.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

SERVING = "serve"
TRAINING = "train"
EVAL = "eval"
GPU = "gpu"
TPU = "tpu"

__all__ = ["EVAL", "GPU", "SERVING", "TPU", "TRAINING"]
