"""``tf.dtypes``: re-exports only."""

__all__: list[str] = []
