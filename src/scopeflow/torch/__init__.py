"""The torch bridge: TF1 graphs as ``torch.nn.Module`` objects.

``scopeflow.torch.to_module(outputs, inputs)`` wraps the computation of ``outputs`` from
placeholder ``inputs`` as a module whose parameters are the graph's trainable variables (under
their TF names), so it trains with ``torch.optim`` and loads TF checkpoints with
``load_state_dict``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.torch._module import GraphModule, to_module

__all__ = ["GraphModule", "to_module"]
