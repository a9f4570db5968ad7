"""``tf.strings``: re-exports only."""

from scopeflow.ops.string_ops import (
    as_string,
    regex_replace,
    string_join,
    string_length,
    string_to_number,
    substr,
)

join = string_join
length = string_length
to_number = string_to_number

__all__ = ["as_string", "join", "length", "regex_replace", "substr", "to_number"]
# --- apib: case mapping, strip, full regex match, reduce_join -----------------------------------
from scopeflow.ops.hash_ops import string_to_hash_bucket_fast as to_hash_bucket_fast  # noqa: E402
from scopeflow.ops.string_extra_ops import (  # noqa: E402
    lower,
    reduce_join,
    regex_full_match,
    strip,
    upper,
)

__all__ += ["lower", "reduce_join", "regex_full_match", "strip", "to_hash_bucket_fast", "upper"]
# --- end apib ---

# --- apic: tf.strings.split -----------------------------------------------------------------------
from scopeflow.ops.api_c_string_ops import split, to_hash_bucket_strong  # noqa: E402

__all__ += ["split", "to_hash_bucket_strong"]
# --- end apic ---
# --- apid: tf.strings.format, tf.strings.unsorted_segment_join ---------------------------------
from scopeflow.ops.string_format_ops import format, unsorted_segment_join  # noqa: E402

__all__ += ["format", "unsorted_segment_join"]
# --- end apid ---
