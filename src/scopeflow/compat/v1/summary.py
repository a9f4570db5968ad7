"""``tf.summary`` (TF1): summary ops, ``FileWriter``, ``FileWriterCache``. Re-exports only.

>>> import scopeflow.compat.v1 as tf
>>> tf.summary.scalar("loss", tf.constant(1.0)).name
'loss:0'
"""

from scopeflow.summary import (
    FileWriter,
    FileWriterCache,
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
from scopeflow.summary._proto_exports import SUMMARY_PROTOS as _SUMMARY_PROTOS
from scopeflow.summary._proto_exports import lazy_getattr as _lazy_getattr

# tf.summary.Summary, Event, SessionLog, SummaryDescription, TaggedRunMetadata: loaded on use
__getattr__ = _lazy_getattr(__name__, _SUMMARY_PROTOS)

__all__ = [  # noqa: F822  (the proto names resolve through __getattr__)
    "Event",
    "FileWriter",
    "FileWriterCache",
    "SessionLog",
    "Summary",
    "SummaryDescription",
    "TaggedRunMetadata",
    "audio",
    "get_summary_description",
    "histogram",
    "image",
    "merge",
    "merge_all",
    "scalar",
    "tensor_summary",
    "text",
]
