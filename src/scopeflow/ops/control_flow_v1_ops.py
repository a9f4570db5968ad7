"""Kernels of TF 1.x's control-flow primitives as imported GraphDefs hold them.

``tf.import_graph_def`` rebuilds a TF 1.x while frame (``Enter`` ... ``Exit``) as scopeflow's
functional ``While`` op and each ``Switch``/``Merge`` conditional as an ``If`` op
(``graph_import._control_flow``). The frame's own nodes stay in the graph under their names so
``get_tensor_by_name`` finds them; inside the sub-plans of the functional ops they pass values
through:

- ``Enter``, ``NextIteration``, ``LoopCond`` (and ``RefEnter``, ``RefNextIteration``,
  ``RefExit``): the identity; ``RefMerge`` is ``Merge``.
- ``Switch``/``RefSwitch``: both outputs carry the data input. The enclosing ``If``/``While``
  runs only the sub-plan of the taken branch (or the body only while the loop condition
  holds), which is what TF's dead-tensor propagation achieves; the predicate input, when
  present, is not consulted.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.graph.op_registry import get_kernel, register_kernel
from scopeflow.graph.tensor import Operation


def _identity(op: Operation, session: Any) -> Any:
    return lambda x: x


def _switch(op: Operation, session: Any) -> Any:
    return lambda x, *pred: (x, x)


def _merge(op: Operation, session: Any) -> Any:
    return get_kernel("Merge").factory(op, session)


for _type in ("Enter", "NextIteration", "LoopCond", "RefEnter", "RefNextIteration", "RefExit"):
    register_kernel(_type, aliases_input=True)(_identity)
for _type in ("Switch", "RefSwitch"):
    register_kernel(_type, aliases_input=True)(_switch)
register_kernel("RefMerge", aliases_input=True)(_merge)

__all__: list[str] = []
