"""``tf.contrib.lookup``: TF 1.15's lookup tables (hash tables, index tables, OOV buckets).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.ops.lookup_ops import (
    HashTable,
    IdTableWithHashBuckets,
    KeyValueTensorInitializer,
    TextFileIdTableInitializer,
    TextFileIndex,
    TextFileInitializer,
    index_table_from_file,
    index_table_from_tensor,
)

__all__ = [
    "HashTable",
    "IdTableWithHashBuckets",
    "KeyValueTensorInitializer",
    "TextFileIdTableInitializer",
    "TextFileIndex",
    "TextFileInitializer",
    "index_table_from_file",
    "index_table_from_tensor",
]
