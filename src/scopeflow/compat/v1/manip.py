"""``tf.manip`` (TF 1.x): re-exports only."""

from scopeflow.ops.array_extra_ops import roll
from scopeflow.ops.array_ops import reshape
from scopeflow.ops.gather_scatter_ops import gather_nd, scatter_nd
from scopeflow.ops.shape_ops import reverse, tile
from scopeflow.ops.space_batch_ops import batch_to_space_nd, space_to_batch_nd

__all__ = [
    "batch_to_space_nd",
    "gather_nd",
    "reshape",
    "reverse",
    "roll",
    "scatter_nd",
    "space_to_batch_nd",
    "tile",
]
