"""``tf.io``: file and record I/O. Re-exports only."""

from scopeflow.compat.v1.io import gfile
from scopeflow.data.tf_record import (
    TFRecordCompressionType,
    TFRecordOptions,
    TFRecordWriter,
    tf_record_iterator,
)

__all__ = [
    "TFRecordCompressionType",
    "TFRecordOptions",
    "TFRecordWriter",
    "gfile",
    "tf_record_iterator",
]

# --- graph_io (issue 12) -------------------------------------------------------------------
from scopeflow.graph_io.files import write_graph

__all__ += ["write_graph"]
