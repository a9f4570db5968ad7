"""TF1's program plumbing: ``tf.app``, ``tf.flags``, ``tf.logging``, ``tf.gfile``, ``tf.compat``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.app import compat, flags, gfile, logging
from scopeflow.app.app import run

__all__ = ["compat", "flags", "gfile", "logging", "run"]
