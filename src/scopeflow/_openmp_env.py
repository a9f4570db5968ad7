"""OpenMP defaults for torch, set before scopeflow first imports torch.

torch's CPU kernels run on OpenMP (libgomp). Its default wait policy lets idle worker threads
spin for a long time after each parallel region, which is free on an idle machine and ruinous
on a busy one: with one of two cores taken by another process, a spinning worker competes with
the thread doing the work and a 4-layer MLP forward takes ~4x TensorFlow's time (TF's own thread
pool degrades gracefully). libgomp reads its settings once, when torch loads it, so they must be
in the environment before ``import torch``. ``scopeflow/__init__.py`` calls
``apply_openmp_defaults`` first thing; every ``scopeflow.*`` import runs it.

The user's own settings always win: nothing is set if ``OMP_WAIT_POLICY`` or libgomp's
``GOMP_SPINCOUNT`` is already set (non-empty) in the environment, or if torch was imported before
scopeflow (then its OpenMP runtime has already read the environment).

A forked child (``os.fork``, ``multiprocessing``'s default start method on Linux) of a process
whose torch kernels ran on two or more OpenMP threads hangs in its first parallel kernel: GNU
OpenMP's thread pool does not survive ``fork``. So a forked child runs torch on one thread, as
PyTorch's own ``DataLoader`` workers do (``protect_forked_children``); ``fork`` + ``exec``
(``subprocess``) is unaffected.

Must not import torch or any other scopeflow module.
"""

from __future__ import annotations

import os
import sys

#: The spin count scopeflow sets when the user has not chosen a policy: idle workers spin for
#: 300 iterations (well under a microsecond), then sleep (futex). libgomp's default, 300,000
#: (30,000 when oversubscribed), makes a worker compete for a core another process needs; the
#: passive policy (0) sleeps at once and pays a wake-up after every parallel region on an idle
#: machine. Measured on the MLP forward of ``benchmarks/bench_contention.py`` in one run: idle
#: 10.5 ms passive / 5.7 ms with 300 / 6.8 ms active; one core busy: 10.8 / 10.8 / 14.1 ms.
DEFAULT_SPIN_COUNT = "300"

_USER_KEYS = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")


def apply_openmp_defaults() -> bool:
    """Sets ``GOMP_SPINCOUNT=300`` unless the user chose a policy or torch is loaded.

    Returns whether the environment was changed. Child processes inherit the setting, as they
    would inherit one the user exported.
    """
    if "torch" in sys.modules or any(os.environ.get(k) for k in _USER_KEYS):
        return False
    os.environ["GOMP_SPINCOUNT"] = DEFAULT_SPIN_COUNT
    return True


def _one_thread_in_child() -> None:
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


_registered = False


def protect_forked_children() -> None:
    """Makes a forked child run torch on one thread (GNU OpenMP hangs otherwise); once."""
    global _registered
    if not _registered and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_one_thread_in_child)
        _registered = True
