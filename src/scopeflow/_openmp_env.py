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

Must not import torch or any other scopeflow module.
"""

from __future__ import annotations

import os
import sys

#: The wait policy scopeflow sets when the user has not chosen one: workers sleep (futex) at
#: once instead of spinning, so a busy core costs a context switch, not a spinning competitor.
DEFAULT_WAIT_POLICY = "PASSIVE"

_USER_KEYS = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")


def apply_openmp_defaults() -> bool:
    """Sets ``OMP_WAIT_POLICY=PASSIVE`` unless the user chose a policy or torch is loaded.

    Returns whether the environment was changed. Child processes inherit the setting, as they
    would inherit one the user exported.
    """
    if "torch" in sys.modules or any(os.environ.get(k) for k in _USER_KEYS):
        return False
    os.environ["OMP_WAIT_POLICY"] = DEFAULT_WAIT_POLICY
    return True
