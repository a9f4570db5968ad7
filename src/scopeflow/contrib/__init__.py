"""``tf.contrib`` subpackages (placeholder; the contrib helper's lazy namespace replaces this file).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

__all__: list[str] = []
