"""``tf.linalg``: re-exports only."""

__all__: list[str] = []
