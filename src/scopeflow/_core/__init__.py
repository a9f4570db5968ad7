"""Pure-Python core: TF1's naming, scoping, sharing and collection rules (no torch).

See ``README.md`` in this folder for the model and its invariants.
"""
