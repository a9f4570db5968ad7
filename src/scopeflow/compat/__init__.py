"""Compatibility namespaces: ``scopeflow.compat.v1`` is the TF1 ``tf`` namespace."""
