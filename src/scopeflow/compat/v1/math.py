"""``tf.math``: re-exports only."""

__all__: list[str] = []
