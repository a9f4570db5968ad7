"""Top-level ``tf.*`` names of the array op family (re-exports only).

Each op family has its own export module so that families can grow independently; the ``tf``
namespace (``compat/v1/__init__.py``) star-imports all of them. Importing this module also installs
``Tensor.__getitem__`` (``scopeflow.ops.slicing_ops``). The oldest array names (``reshape``,
``stack``, ``concat``...) are exported by ``compat/v1/__init__.py`` itself.
"""

from scopeflow.ops.creation_ops import one_hot, range, sequence_mask
from scopeflow.ops.gather_scatter_ops import (
    boolean_mask,
    gather,
    gather_nd,
    scatter_nd,
    unique,
    where,
    where_v2,
)
from scopeflow.ops.shape_ops import (
    broadcast_to,
    expand_dims,
    pad,
    reverse,
    reverse_sequence,
    shape_n,
    squeeze,
    tile,
    transpose,
)
from scopeflow.ops.slicing_ops import newaxis, strided_slice
from scopeflow.ops.sort_ops import argsort, sort
from scopeflow.ops.space_depth_ops import depth_to_space, space_to_depth
from scopeflow.ops.split_ops import split, unstack
from scopeflow.ops.state_scatter_ops import (
    scatter_add,
    scatter_div,
    scatter_max,
    scatter_min,
    scatter_mul,
    scatter_nd_add,
    scatter_nd_sub,
    scatter_nd_update,
    scatter_sub,
    scatter_update,
)

reverse_v2 = reverse

__all__ = [
    "argsort",
    "depth_to_space",
    "sort",
    "space_to_depth",
    "boolean_mask",
    "broadcast_to",
    "expand_dims",
    "gather",
    "gather_nd",
    "newaxis",
    "one_hot",
    "pad",
    "range",
    "reverse",
    "reverse_sequence",
    "reverse_v2",
    "scatter_add",
    "scatter_div",
    "scatter_max",
    "scatter_min",
    "scatter_mul",
    "scatter_nd",
    "scatter_nd_add",
    "scatter_nd_sub",
    "scatter_nd_update",
    "scatter_sub",
    "scatter_update",
    "sequence_mask",
    "shape_n",
    "split",
    "squeeze",
    "strided_slice",
    "tile",
    "transpose",
    "unique",
    "unstack",
    "where",
    "where_v2",
]
