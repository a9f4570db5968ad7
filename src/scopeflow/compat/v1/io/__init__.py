"""``tf.io``: file and record I/O. Re-exports only."""

from scopeflow.compat.v1.io import gfile
from scopeflow.data.tf_record import (
    TFRecordCompressionType,
    TFRecordOptions,
    TFRecordWriter,
    tf_record_iterator,
)
from scopeflow.ops.image_codec_ops import (
    decode_image,
    decode_jpeg,
    decode_png,
    encode_jpeg,
    encode_png,
    is_jpeg,
)
from scopeflow.ops.parsing_ops import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    parse_example,
    parse_single_example,
)
from scopeflow.ops.raw_io_ops import decode_raw, read_file
from scopeflow.ops.sequence_parsing_ops import parse_single_sequence_example

__all__ = [
    "FixedLenFeature",
    "FixedLenSequenceFeature",
    "VarLenFeature",
    "decode_image",
    "decode_jpeg",
    "decode_png",
    "decode_raw",
    "encode_jpeg",
    "encode_png",
    "is_jpeg",
    "parse_example",
    "parse_single_example",
    "parse_single_sequence_example",
    "read_file",
    "TFRecordCompressionType",
    "TFRecordOptions",
    "TFRecordWriter",
    "gfile",
    "tf_record_iterator",
]

# --- graph_io (issue 12) -------------------------------------------------------------------
from scopeflow.graph_io.files import write_graph

__all__ += ["write_graph"]

# --- graph_import (issue 12): string ops of input signatures -----------------------------------
from scopeflow.ops.string_ops import decode_base64, encode_base64  # noqa: E402

__all__ += ["decode_base64", "encode_base64"]
# --- queues (issue 10, queues): tf.io.RandomShuffleQueue ... -------------------------------
from scopeflow.data.reader_ops import matching_files  # noqa: E402
from scopeflow.ops.data_flow_ops import (  # noqa: E402
    PaddingFIFOQueue,
    PriorityQueue,
    QueueBase,
    RandomShuffleQueue,
)
from scopeflow.train.input import match_filenames_once  # noqa: E402

__all__ += [
    "PaddingFIFOQueue",
    "PriorityQueue",
    "QueueBase",
    "RandomShuffleQueue",
    "match_filenames_once",
    "matching_files",
]

# --- apic: decode_csv, serialize/parse_tensor, write_file, decode_compressed ----------------------
from scopeflow.ops.api_c_io_ops import (  # noqa: E402
    decode_compressed,
    parse_tensor,
    serialize_tensor,
    write_file,
)
from scopeflow.ops.api_c_parsing_ops import decode_csv  # noqa: E402

__all__ += ["decode_compressed", "decode_csv", "parse_tensor", "serialize_tensor", "write_file"]
# --- end apic ---
# --- apid: sparse serialization ---
from scopeflow.ops.sparse_serialize_ops import (  # noqa: E402
    deserialize_many_sparse,
    serialize_many_sparse,
    serialize_sparse,
)

__all__ += ["deserialize_many_sparse", "serialize_many_sparse", "serialize_sparse"]
# --- end apid ---
