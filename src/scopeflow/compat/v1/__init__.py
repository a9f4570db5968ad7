"""The TF1 ``tf`` namespace: ``import scopeflow.compat.v1 as tf``. Re-exports only.

``tf.__version__`` (and ``tf.VERSION``) is ``"1.15.5"``: the TensorFlow API version scopeflow
emulates, which TF1 programs test for; scopeflow's own package version is
``scopeflow.__version__``.

>>> import scopeflow.compat.v1 as tf
>>> with tf.variable_scope("foo"):
...     v = tf.get_variable("v", [1])
>>> print(v)
<tf.Variable 'foo/v:0' shape=(1,) dtype=float32_ref>
"""

import builtins as _builtins

# --- tf.contrib (lazy: scopeflow.contrib imports each contrib library on first use) ---
from scopeflow import contrib
from scopeflow._core.dtypes import (
    DType,
    as_dtype,
    bfloat16,
    bool,
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    qint8,
    qint16,
    qint32,
    quint8,
    quint16,
    resource,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
    variant,
)
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import get_name_scope, name_scope
from scopeflow._core.partitioners import (
    fixed_size_partitioner,
    min_max_variable_partitioner,
    variable_axis_size_partitioner,
)
from scopeflow._core.template import make_template
from scopeflow._core.tensor_shape import Dimension, TensorShape, dimension_value
from scopeflow._core.variable_scope import (  # resource toggles: ssassign
    AUTO_REUSE,
    VariableScope,
    disable_resource_variables,
    enable_resource_variables,
    get_variable_scope,
    resource_variables_enabled,
    variable_creator_scope,
    variable_op_scope,
    variable_scope,
)
from scopeflow._core.variable_store import (
    PartitionedVariable,
    VariableAggregation,
    VariableSynchronization,
    get_local_variable,
    get_variable,
)
from scopeflow.compat.v1 import (
    _ns_array,
    _ns_control,
    _ns_math,
    _ns_misc,
    dtypes,
    errors,
    image,
    initializers,
    keras,
    layers,
    linalg,
    losses,
    math,
    metrics,  # tf.metrics (issue 8)
    nest,
    nn,
    random,
    sparse,
    summary,  # tf.summary (issue 8)
    train,
)
from scopeflow.compat.v1._ns_array import *  # noqa: F403
from scopeflow.compat.v1._ns_control import *  # noqa: F403
from scopeflow.compat.v1._ns_math import *  # noqa: F403
from scopeflow.compat.v1._ns_misc import *  # noqa: F403
from scopeflow.graph.config import (
    ConfigProto,
    GPUOptions,
    GraphOptions,
    OptimizerOptions,
    RunOptions,
)
from scopeflow.graph.conversion import convert_to_tensor, register_tensor_conversion_function
from scopeflow.graph.graph import Graph, get_default_graph, reset_default_graph
from scopeflow.graph.session import InteractiveSession, Session, get_default_session
from scopeflow.graph.tensor import Operation, Tensor, is_tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops.array_ops import (
    concat,
    fill,
    identity,
    ones,
    ones_like,
    placeholder,
    placeholder_with_default,
    rank,
    reshape,
    shape,
    size,
    slice,
    stack,
    zeros,
    zeros_like,
)
from scopeflow.ops.constant_op import constant
from scopeflow.ops.init_ops import (
    constant_initializer,
    glorot_normal_initializer,
    glorot_uniform_initializer,
    ones_initializer,
    orthogonal_initializer,
    random_normal_initializer,
    random_uniform_initializer,
    truncated_normal_initializer,
    uniform_unit_scaling_initializer,
    variance_scaling_initializer,
    zeros_initializer,
)
from scopeflow.ops.linalg_ops import eye, matrix_transpose, qr, sign
from scopeflow.ops.losses_impl import add_n
from scopeflow.ops.math_ops import (
    abs,
    add,
    cast,
    div,
    divide,
    equal,
    floordiv,
    floormod,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    pow,
    squared_difference,
    subtract,
    truediv,
)
from scopeflow.ops.random_ops import (
    random_normal,
    random_uniform,
    set_random_seed,
    truncated_normal,
)
from scopeflow.ops.state_ops import (
    all_variables,
    assign,
    assign_add,
    assign_sub,
    global_variables,
    global_variables_initializer,
    group,
    initialize_all_variables,
    initialize_local_variables,
    initialize_variables,
    is_variable_initialized,
    local_variables,
    local_variables_initializer,
    model_variables,
    moving_average_variables,
    no_op,
    report_uninitialized_variables,
    trainable_variables,
    variables_initializer,
)
from scopeflow.summary._proto_exports import ROOT_PROTOS as _ROOT_PROTOS
from scopeflow.summary._proto_exports import lazy_getattr as _lazy_getattr


def no_regularizer(_: object) -> None:
    """A regularizer that turns regularization off (``tf.no_regularizer``)."""
    return


def get_collection(key: object, scope: str | None = None) -> list[object]:
    """``get_default_graph().get_collection(key, scope)``."""
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key: object) -> list[object]:
    """``get_default_graph().get_collection_ref(key)``."""
    return get_default_graph().get_collection_ref(key)


def add_to_collection(name: object, value: object) -> None:
    """``get_default_graph().add_to_collection(name, value)``."""
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names: object, value: object) -> None:
    """``get_default_graph().add_to_collections(names, value)``."""
    get_default_graph().add_to_collections(names, value)


def control_dependencies(control_inputs: object) -> object:
    """``get_default_graph().control_dependencies(control_inputs)``."""
    return get_default_graph().control_dependencies(control_inputs)


def device(device_name_or_function: object) -> object:
    """``get_default_graph().device(...)``: a device string, ``DeviceSpec``, function or None."""
    return get_default_graph().device(device_name_or_function)


def colocate_with(op: object, ignore_existing: _builtins.bool = False) -> object:
    """``get_default_graph().colocate_with(...)``: new ops get ``op``'s device and group."""
    return get_default_graph().colocate_with(op, ignore_existing)


# tf.Summary, tf.Event, tf.GraphDef, ... (protobuf classes): loaded on first access (issue 8)
__getattr__ = _lazy_getattr(__name__, _ROOT_PROTOS)

mul = multiply
sub = subtract
neg = negative


def disable_eager_execution() -> None:
    """No-op: scopeflow always builds graphs."""


def disable_v2_behavior() -> None:
    """No-op: scopeflow always behaves like TF 1.x."""


def executing_eagerly() -> _builtins.bool:
    """Always False: scopeflow builds graphs."""
    return False


__all__ = [  # noqa: PLE0604
    *_ns_array.__all__,
    *_ns_control.__all__,
    *_ns_math.__all__,
    *_ns_misc.__all__,
    *sorted(_ROOT_PROTOS),  # tf.Summary, tf.Event, ... (lazy, see __getattr__)
    "metrics",
    "summary",
    "AUTO_REUSE",
    "contrib",
    "ConfigProto",
    "DType",
    "Dimension",
    "GPUOptions",
    "Graph",
    "GraphKeys",
    "GraphOptions",
    "InteractiveSession",
    "Operation",
    "OptimizerOptions",
    "PartitionedVariable",
    "RunOptions",
    "Session",
    "Tensor",
    "TensorShape",
    "Variable",
    "VariableAggregation",
    "VariableScope",
    "VariableSynchronization",
    "abs",
    "add",
    "add_n",
    "add_to_collection",
    "add_to_collections",
    "all_variables",
    "as_dtype",
    "assign",
    "assign_add",
    "assign_sub",
    "bfloat16",
    "bool",
    "cast",
    "colocate_with",
    "complex64",
    "complex128",
    "concat",
    "constant",
    "constant_initializer",
    "control_dependencies",
    "convert_to_tensor",
    "device",
    "dimension_value",
    "disable_eager_execution",
    "disable_resource_variables",
    "disable_v2_behavior",
    "enable_resource_variables",
    "resource_variables_enabled",
    "div",
    "divide",
    "double",
    "equal",
    "dtypes",
    "errors",
    "image",
    "linalg",
    "math",
    "nest",
    "random",
    "sparse",
    "train",
    "executing_eagerly",
    "eye",
    "fill",
    "fixed_size_partitioner",
    "float16",
    "float32",
    "float64",
    "floordiv",
    "floormod",
    "get_collection",
    "get_collection_ref",
    "get_default_graph",
    "get_default_session",
    "get_local_variable",
    "get_name_scope",
    "get_variable",
    "get_variable_scope",
    "global_variables",
    "global_variables_initializer",
    "glorot_normal_initializer",
    "glorot_uniform_initializer",
    "greater",
    "greater_equal",
    "group",
    "half",
    "identity",
    "initialize_all_variables",
    "initialize_local_variables",
    "initialize_variables",
    "initializers",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_tensor",
    "is_variable_initialized",
    "keras",
    "layers",
    "less",
    "less_equal",
    "local_variables",
    "local_variables_initializer",
    "logical_and",
    "logical_not",
    "logical_or",
    "losses",
    "make_template",
    "matrix_transpose",
    "maximum",
    "min_max_variable_partitioner",
    "minimum",
    "model_variables",
    "moving_average_variables",
    "mul",
    "multiply",
    "name_scope",
    "neg",
    "negative",
    "nn",
    "no_op",
    "no_regularizer",
    "not_equal",
    "ones",
    "ones_initializer",
    "ones_like",
    "orthogonal_initializer",
    "placeholder",
    "placeholder_with_default",
    "pow",
    "qint8",
    "qint16",
    "qint32",
    "qr",
    "quint8",
    "quint16",
    "random_normal",
    "random_normal_initializer",
    "random_uniform",
    "random_uniform_initializer",
    "rank",
    "register_tensor_conversion_function",
    "report_uninitialized_variables",
    "reset_default_graph",
    "reshape",
    "resource",
    "set_random_seed",
    "shape",
    "sign",
    "size",
    "slice",
    "squared_difference",
    "stack",
    "string",
    "sub",
    "subtract",
    "trainable_variables",
    "truediv",
    "truncated_normal",
    "truncated_normal_initializer",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "uniform_unit_scaling_initializer",
    "variable_axis_size_partitioner",
    "variable_creator_scope",
    "variable_op_scope",
    "variable_scope",
    "variables_initializer",
    "variance_scaling_initializer",
    "variant",
    "zeros",
    "zeros_initializer",
    "zeros_like",
]

# --- programs (issue 10): tf.app, tf.flags, tf.logging, tf.gfile, tf.io, tf.compat ---------------
from scopeflow.app.logging import get_logger  # noqa: E402
from scopeflow.compat.v1 import (  # noqa: E402
    app,
    compat,
    data,
    flags,
    gfile,
    io,
    logging,
    python_io,
    queue,
)
from scopeflow.errors import UnsupportedError as _UnsupportedError  # noqa: E402
from scopeflow.ops.data_flow_ops import FIFOQueue  # noqa: E402
from scopeflow.ops.parsing_ops import (  # noqa: E402
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    parse_example,
    parse_single_example,
)
from scopeflow.ops.raw_io_ops import decode_raw, read_file  # noqa: E402
from scopeflow.ops.sequence_parsing_ops import parse_single_sequence_example  # noqa: E402
from scopeflow.train.queue_runner import start_queue_runners  # noqa: E402


def enable_eager_execution(
    config: object = None, device_policy: object = None, execution_mode: object = None
) -> None:
    """Raises ``UnsupportedError``: scopeflow runs TF1 graphs only."""
    raise _UnsupportedError("tf.enable_eager_execution", "scopeflow runs TF1 graphs only.")


def enable_v2_behavior() -> None:
    """Raises ``UnsupportedError``: scopeflow behaves like TF 1.x only."""
    raise _UnsupportedError("tf.enable_v2_behavior", "scopeflow behaves like TF 1.x only.")


__all__ += [
    "FIFOQueue",
    "queue",
    "start_queue_runners",
    "FixedLenFeature",
    "FixedLenSequenceFeature",
    "VarLenFeature",
    "decode_raw",
    "parse_example",
    "parse_single_example",
    "parse_single_sequence_example",
    "read_file",
    "app",
    "compat",
    "data",
    "enable_eager_execution",
    "enable_v2_behavior",
    "flags",
    "get_logger",
    "gfile",
    "io",
    "logging",
    "python_io",
]

# --- graph_io (issue 12): GraphDef import / export ------------------------------------------------
from scopeflow.compat.v1 import graph_util  # noqa: E402
from scopeflow.graph_import.importer import import_graph_def  # noqa: E402
from scopeflow.graph_io.tensor_proto import make_ndarray  # noqa: E402

__all__ += ["graph_util", "import_graph_def", "make_ndarray"]

# --- saved_model (issue 12): TF1 SavedModel build / load ----------------------------------------
from scopeflow.compat.v1 import saved_model  # noqa: E402

__all__ += ["saved_model"]
# --- tf.estimator (issue 10) ----------------------------------------------------------------------
from scopeflow.compat.v1 import estimator  # noqa: E402

__all__ += ["estimator"]
# --- graph_import (issue 12): string ops of input signatures ----------------------------------
from scopeflow.compat.v1 import strings  # noqa: E402
from scopeflow.ops.string_ops import (  # noqa: E402
    as_string,
    decode_base64,
    encode_base64,
    regex_replace,
    string_join,
    string_split,
    string_to_number,
    substr,
)

__all__ += [
    "as_string",
    "decode_base64",
    "encode_base64",
    "regex_replace",
    "string_join",
    "string_split",
    "string_to_number",
    "strings",
    "substr",
]

# --- queues and queue input (issue 10, queues): tf.RandomShuffleQueue, readers ... ----------------
from scopeflow.ops.count_up_to_op import count_up_to  # noqa: E402
from scopeflow.ops.data_flow_ops import (  # noqa: E402
    PaddingFIFOQueue,
    PriorityQueue,
    QueueBase,
    RandomShuffleQueue,
)

__all__ += ["PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue", "count_up_to"]
from scopeflow.data.reader_ops import (  # noqa: E402
    FixedLengthRecordReader,
    ReaderBase,
    TextLineReader,
    TFRecordReader,
    WholeFileReader,
    matching_files,
)

__all__ += [
    "matching_files",
    "FixedLengthRecordReader",
    "ReaderBase",
    "TFRecordReader",
    "TextLineReader",
    "WholeFileReader",
]
# --- devices (issue 11): tf.test GPU queries, tf.config device lists and the TF32 switch ---------
from scopeflow.compat.v1 import config, test  # noqa: E402

__all__ += ["config", "test"]
# --- nnextra: sparse_to_dense, edit_distance for sampled losses and CTC ---------------------------
from scopeflow.ops.ctc_ops import edit_distance  # noqa: E402
from scopeflow.ops.sampled_loss_ops import sparse_to_dense  # noqa: E402

__all__ += ["edit_distance", "sparse_to_dense"]
# --- feature columns (featcol): tf.feature_column, lookup tables, hashing and sparse helpers ---
from scopeflow.compat.v1 import feature_column, lookup  # noqa: E402
from scopeflow.ops.hash_ops import string_to_hash_bucket_fast  # noqa: E402
from scopeflow.ops.lookup_ops import tables_initializer  # noqa: E402
from scopeflow.ops.segment_ops import (  # noqa: E402
    segment_sum,
    sparse_segment_mean,
    sparse_segment_sqrt_n,
    sparse_segment_sum,
)
from scopeflow.ops.sparse_reshape_ops import (  # noqa: E402
    sparse_fill_empty_rows,
    sparse_reorder,
    sparse_reshape,
    sparse_retain,
)

__all__ += [
    "feature_column",
    "lookup",
    "segment_sum",
    "sparse_fill_empty_rows",
    "sparse_reorder",
    "sparse_reshape",
    "sparse_retain",
    "sparse_segment_mean",
    "sparse_segment_sqrt_n",
    "sparse_segment_sum",
    "string_to_hash_bucket_fast",
    "tables_initializer",
]
# --- uctext: sparse-dense matmul (tkipf/gcn) ----------------------------------------------------
from scopeflow.ops.sparse_math_ops import sparse_tensor_dense_matmul  # noqa: E402

__all__ += ["sparse_tensor_dense_matmul"]

# --- tf.debugging (checkops) ----------------------------------------------------------------------
from scopeflow.compat.v1 import debugging  # noqa: E402

__all__ += ["debugging"]
# --- end tf.debugging ---
# --- apia: TF 1.15 top-level array/math functions (dynamic_partition, segments, scatters, ...) ---
from scopeflow.compat.v1 import manip  # noqa: E402
from scopeflow.ops.array_extra_ops import (  # noqa: E402
    batch_gather,
    broadcast_dynamic_shape,
    broadcast_static_shape,
    dynamic_partition,
    dynamic_stitch,
    ensure_shape,
    get_static_value,
    identity_n,
    invert_permutation,
    lin_space,
    meshgrid,
    parallel_stack,
    repeat,
    roll,
    scalar_mul,
    searchsorted,
    setdiff1d,
    timestamp,
    unique_with_counts,
    unravel_index,
)
from scopeflow.ops.array_extra_ops import lin_space as linspace  # noqa: E402
from scopeflow.ops.linalg_extra_ops import (  # noqa: E402
    cholesky_solve,
    cross,
    matrix_solve_ls,
    matrix_square_root,
    matrix_triangular_solve,
)
from scopeflow.ops.math_extra_ops import (  # noqa: E402
    acosh,
    angle,
    asinh,
    atanh,
    betainc,
    clip_by_average_norm,
    complex,
    conj,
    igamma,
    igammac,
    imag,
    lbeta,
    log_sigmoid,
    polygamma,
    real,
    to_complex64,
    to_complex128,
    zeta,
)
from scopeflow.ops.random_ops import get_seed  # noqa: E402
from scopeflow.ops.scatter_count_ops import (  # noqa: E402
    bincount,
    confusion_matrix,
    count_nonzero,
    histogram_fixed_width,
    histogram_fixed_width_bins,
    tensor_scatter_add,
    tensor_scatter_sub,
    tensor_scatter_update,
)
from scopeflow.ops.scatter_count_ops import tensor_scatter_add as tensor_scatter_nd_add  # noqa: E402
from scopeflow.ops.scatter_count_ops import tensor_scatter_max as tensor_scatter_nd_max  # noqa: E402
from scopeflow.ops.scatter_count_ops import tensor_scatter_min as tensor_scatter_nd_min  # noqa: E402
from scopeflow.ops.scatter_count_ops import tensor_scatter_sub as tensor_scatter_nd_sub  # noqa: E402
from scopeflow.ops.scatter_count_ops import (  # noqa: E402
    tensor_scatter_update as tensor_scatter_nd_update,
)
from scopeflow.ops.segment_extra_ops import (  # noqa: E402
    segment_max,
    segment_mean,
    segment_min,
    segment_prod,
    unsorted_segment_max,
    unsorted_segment_mean,
    unsorted_segment_min,
    unsorted_segment_prod,
    unsorted_segment_sqrt_n,
)
from scopeflow.ops.space_batch_ops import (  # noqa: E402
    batch_to_space,
    batch_to_space_nd,
    extract_image_patches,
    extract_volume_patches,
    required_space_to_batch_paddings,
    space_to_batch,
    space_to_batch_nd,
)

__all__ += [
    "acosh",
    "angle",
    "asinh",
    "atanh",
    "betainc",
    "complex",
    "to_complex64",
    "to_complex128",
    "conj",
    "igamma",
    "igammac",
    "imag",
    "lbeta",
    "log_sigmoid",
    "polygamma",
    "real",
    "zeta",
    "cholesky_solve",
    "cross",
    "matrix_solve_ls",
    "matrix_square_root",
    "matrix_triangular_solve",
    "batch_gather",
    "broadcast_dynamic_shape",
    "broadcast_static_shape",
    "clip_by_average_norm",
    "batch_to_space",
    "batch_to_space_nd",
    "bincount",
    "confusion_matrix",
    "count_nonzero",
    "dynamic_partition",
    "dynamic_stitch",
    "ensure_shape",
    "extract_image_patches",
    "extract_volume_patches",
    "get_seed",
    "get_static_value",
    "histogram_fixed_width",
    "histogram_fixed_width_bins",
    "identity_n",
    "invert_permutation",
    "lin_space",
    "linspace",
    "manip",
    "meshgrid",
    "parallel_stack",
    "repeat",
    "required_space_to_batch_paddings",
    "roll",
    "scalar_mul",
    "searchsorted",
    "segment_max",
    "segment_mean",
    "segment_min",
    "segment_prod",
    "setdiff1d",
    "space_to_batch",
    "space_to_batch_nd",
    "tensor_scatter_add",
    "tensor_scatter_nd_add",
    "tensor_scatter_nd_max",
    "tensor_scatter_nd_min",
    "tensor_scatter_nd_sub",
    "tensor_scatter_nd_update",
    "tensor_scatter_sub",
    "tensor_scatter_update",
    "timestamp",
    "unique_with_counts",
    "unravel_index",
    "unsorted_segment_max",
    "unsorted_segment_mean",
    "unsorted_segment_min",
    "unsorted_segment_prod",
    "unsorted_segment_sqrt_n",
]
# --- end apia ---
# --- apib: gradient registry, TF1 framework helpers, tf.version ---------------------------------
from scopeflow.compat.v1 import version  # noqa: E402
from scopeflow.errors import OpError  # noqa: E402
from scopeflow.ops.framework_extra_ops import (  # noqa: E402
    GRAPH_DEF_VERSION,
    GRAPH_DEF_VERSION_MIN_CONSUMER,
    GRAPH_DEF_VERSION_MIN_PRODUCER,
    assert_variables_initialized,
    init_scope,
    initialize_all_tables,
    make_tensor_proto,
    op_scope,
)
from scopeflow.ops.gradient_registry import (  # noqa: E402
    NoGradient,
    NotDifferentiable,
    RegisterGradient,
    no_gradient,
)
from scopeflow.ops.sparse_compose_ops import sparse_transpose  # noqa: E402
from scopeflow.ops.sparse_reduce_ops import (  # noqa: E402
    sparse_reduce_max,
    sparse_reduce_max_sparse,
    sparse_reduce_sum,
    sparse_reduce_sum_sparse,
)
from scopeflow.ops.string_extra_ops import reduce_join, string_strip  # noqa: E402

__all__ += [
    "GRAPH_DEF_VERSION",
    "GRAPH_DEF_VERSION_MIN_CONSUMER",
    "GRAPH_DEF_VERSION_MIN_PRODUCER",
    "NoGradient",
    "NotDifferentiable",
    "OpError",
    "RegisterGradient",
    "assert_variables_initialized",
    "init_scope",
    "initialize_all_tables",
    "make_tensor_proto",
    "no_gradient",
    "op_scope",
    "reduce_join",
    "sparse_reduce_max",
    "sparse_reduce_max_sparse",
    "sparse_reduce_sum",
    "sparse_reduce_sum_sparse",
    "sparse_transpose",
    "string_strip",
    "version",
]
# --- end apib ---
# --- ucs2s: tf.TensorSpec (tensorpack's ModelDesc.inputs) ---------------------------------------
from scopeflow.graph.tensor_spec import TensorSpec  # noqa: E402

__all__ += ["TensorSpec"]

# --- apic: py_function, DeviceSpec, container, sparse, io and string ops ------------------------
from scopeflow.graph.api_c_device_spec import DeviceSpec  # noqa: E402
from scopeflow.ops.api_c_framework import container  # noqa: E402
from scopeflow.ops.api_c_io_ops import (  # noqa: E402
    decode_compressed,
    parse_tensor,
    serialize_tensor,
    write_file,
)
from scopeflow.ops.api_c_parsing_ops import decode_csv  # noqa: E402
from scopeflow.ops.api_c_script_ops import py_function  # noqa: E402
from scopeflow.ops.api_c_sparse_ops import (  # noqa: E402
    sparse_add,
    sparse_concat,
    sparse_maximum,
    sparse_minimum,
    sparse_softmax,
)
from scopeflow.ops.api_c_string_ops import string_to_hash_bucket_strong  # noqa: E402

__all__ += [
    "DeviceSpec",
    "container",
    "decode_compressed",
    "decode_csv",
    "parse_tensor",
    "py_function",
    "serialize_tensor",
    "sparse_add",
    "sparse_concat",
    "sparse_maximum",
    "sparse_minimum",
    "sparse_softmax",
    "string_to_hash_bucket_strong",
    "write_file",
]
# --- end apic ---
# --- sparse shape composites: sparse_reset_shape, sparse_mask ---
from scopeflow.ops.sparse_shape_compose_ops import sparse_mask, sparse_reset_shape  # noqa: E402

__all__ += ["sparse_mask", "sparse_reset_shape"]
# --- end sparse shape composites ---
# --- SparseSplit / SparseSlice ---
from scopeflow.ops.sparse_split_slice_ops import sparse_slice, sparse_split  # noqa: E402

__all__ += ["sparse_slice", "sparse_split"]
# --- end SparseSplit / SparseSlice ---
# --- SparseMerge / SparseToIndicator ---
from scopeflow.ops.sparse_merge_ops import sparse_merge, sparse_to_indicator  # noqa: E402

__all__ += ["sparse_merge", "sparse_to_indicator"]
# --- end SparseMerge / SparseToIndicator ---
# --- SparseMatMul ---
from scopeflow.ops.sparse_matmul_ops import sparse_matmul  # noqa: E402

__all__ += ["sparse_matmul"]
# --- end SparseMatMul ---
# --- apid: tf.signal, tf.spectral, tf.sets, tf.distributions, sparse serialization, FFTs ---
from scopeflow.compat.v1 import distributions, sets, signal, spectral  # noqa: E402
from scopeflow.ops.fft_ops import fft, fft2d, fft3d, ifft, ifft2d, ifft3d  # noqa: E402
from scopeflow.ops.sparse_serialize_ops import (  # noqa: E402
    deserialize_many_sparse,
    serialize_many_sparse,
    serialize_sparse,
)

__all__ += ["fft", "fft2d", "fft3d", "ifft", "ifft2d", "ifft3d", "sets", "signal", "spectral"]
__all__ += ["deserialize_many_sparse", "serialize_many_sparse", "serialize_sparse"]
__all__ += ["distributions"]
# --- end apid ---
# --- randgamma: tf.random_gamma, tf.random_poisson ---
from scopeflow.ops.random_gamma_ops import random_gamma, random_poisson  # noqa: E402

__all__ += ["random_gamma", "random_poisson"]
# --- end randgamma ---
