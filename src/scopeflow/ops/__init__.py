"""TF's ops: each op declared once (TF signature, torch kernel, static shape rule).

Modules are imported by name (``scopeflow.ops.nn_ops``); this package imports none of them, so
``import scopeflow.ops.X`` loads only what X needs. Must not import ``scopeflow.train``,
``scopeflow.compat`` or ``scopeflow.cli``.
"""
