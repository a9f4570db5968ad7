"""Ops scopeflow builds differently from TF, written as the TF nodes they stand for.

``EXPANDERS`` maps a scopeflow op type to a function writing the NodeDefs TF builds for the same
Python call (TF's node names and op types), so ``as_graph_def`` output imports in TF:

- ``MergeV2Checkpoints``: scopeflow's takes the shard prefixes as separate inputs; TF's takes
  one string vector, built by a ``Pack`` named ``<merge>/checkpoint_prefixes``.

Must not import torch, ``scopeflow.graph`` or any layer above.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes


def _merge_v2(gd: Any, op: Any, plain: Callable[[], Any]) -> None:
    node = plain()
    data = [i for i in node.input if not i.startswith("^")]
    control = [i for i in node.input if i.startswith("^")]
    *prefixes, destination = data
    pack = gd.node.add(name=f"{op._name}/checkpoint_prefixes", op="Pack")
    pack.input.extend(prefixes)
    pack.attr["T"].type = dtypes.string.as_datatype_enum
    pack.attr["N"].i = len(prefixes)
    pack.attr["axis"].i = 0
    if node.device:
        pack.device = node.device
    del node.input[:]
    node.input.extend([pack.name, destination, *control])


# op type -> writer(graph_def, op, plain) where plain() writes the op's own NodeDef and returns it
EXPANDERS: dict[str, Callable[[Any, Any, Callable[[], Any]], None]] = {
    "MergeV2Checkpoints": _merge_v2,
}

__all__ = ["EXPANDERS"]
