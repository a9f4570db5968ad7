"""``tf.nest``: re-exports only."""

__all__: list[str] = []
