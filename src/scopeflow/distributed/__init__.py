"""Data-parallel training of TF1 graphs over ``torch.distributed``.

``torchrun --nproc_per_node N -m scopeflow run train.py`` starts N copies of a TF1 script;
the script's Horovod calls (``import horovod.tensorflow as hvd``, served from
``scopeflow.distributed.horovod.tensorflow`` by the import hook) join the process group and
average gradients with all-reduce ops that run inside ``Session.run``.

Must not import ``scopeflow.compat``, ``scopeflow.cli`` or ``scopeflow.run``.
"""

from scopeflow.distributed._process import ProcessInfo, info, init, shutdown

__all__ = ["ProcessInfo", "info", "init", "shutdown"]
