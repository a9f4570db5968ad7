"""``tf.contrib.deprecated``: TF 0.12's summary functions as TF 1.x kept them. Re-exports only.

TF 1.0 removed ``tf.scalar_summary``, ``tf.histogram_summary``, ``tf.image_summary``,
``tf.audio_summary``, ``tf.merge_summary`` and ``tf.merge_all_summaries`` and kept them here, with
their TF 0.12 names and tags (the tag is the string given, not the name scope as in
``tf.summary``).

>>> import scopeflow.compat.v1 as tf
>>> s = tf.contrib.deprecated.scalar_summary("loss", tf.constant(0.5))
>>> s.name, s.op.type
('ScalarSummary:0', 'ScalarSummary')
"""

from scopeflow.contrib.deprecated._summaries import (
    audio_summary,
    histogram_summary,
    image_summary,
    merge_all_summaries,
    merge_summary,
    scalar_summary,
)

__all__ = [
    "audio_summary",
    "histogram_summary",
    "image_summary",
    "merge_all_summaries",
    "merge_summary",
    "scalar_summary",
]
