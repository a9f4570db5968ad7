"""``tf.image``: re-exports only."""

__all__: list[str] = []
