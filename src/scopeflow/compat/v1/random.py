"""``tf.random``: re-exports only."""

__all__: list[str] = []
