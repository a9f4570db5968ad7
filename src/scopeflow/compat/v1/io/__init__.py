"""``tf.io``: file and record I/O. Re-exports only."""

from scopeflow.compat.v1.io import gfile

__all__ = ["gfile"]
