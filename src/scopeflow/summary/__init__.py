"""``scopeflow.summary``: TF1's ``tf.summary`` ops, ``FileWriter`` and event-file reading.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.summary.summary import (
    audio,
    get_summary_description,
    histogram,
    image,
    merge,
    merge_all,
    scalar,
    tensor_summary,
    text,
)
from scopeflow.summary.summary_iterator import summary_iterator
from scopeflow.summary.writer import FileWriter, FileWriterCache

__all__ = [
    "FileWriter",
    "FileWriterCache",
    "audio",
    "get_summary_description",
    "histogram",
    "image",
    "merge",
    "merge_all",
    "scalar",
    "summary_iterator",
    "tensor_summary",
    "text",
]
