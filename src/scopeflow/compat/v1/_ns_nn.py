"""``tf.nn.*`` names beyond the foundation's (re-exports only); ``compat/v1/nn.py`` star-imports it."""

__all__: list[str] = []
