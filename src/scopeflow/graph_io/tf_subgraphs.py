"""Ops scopeflow builds differently from TF, written as the TF nodes they stand for.

``EXPANDERS`` maps a scopeflow op type to a function writing the NodeDefs TF 1.15 builds for the
same Python call (TF's node names, op types and attributes), so ``as_graph_def`` output imports
in TF and computes the same values (checked by ``tools/tf_verify_graph_export.py``):

- ``SfL2Normalize`` (``tf.nn.l2_normalize``): ``Square``, ``Sum`` (keep_dims), ``Maximum`` with
  epsilon, ``Rsqrt``, ``Mul``.
- ``SfMomentsMean`` / ``SfMomentsVariance`` (``tf.nn.moments``): ``mean`` (``Mean``, keep_dims),
  ``StopGradient``, ``SquaredDifference``, ``variance`` (``Mean``) and, without keep_dims,
  ``Squeeze`` / ``Squeeze_1``.
- ``SfBatchNormalization`` (``tf.nn.batch_normalization``): ``add`` (variance + epsilon),
  ``Rsqrt``, ``mul`` (times scale), ``x * inv`` plus ``offset - mean * inv`` (``Neg`` of the
  mean without offset), ``add_1``.
- ``SfCReluConcat`` (``tf.nn.crelu``): ``Neg``, ``axis`` and the ``ConcatV2``.
- ``SfSigmoidCrossEntropy`` (``tf.nn.sigmoid_cross_entropy_with_logits``): ``zeros_like``,
  ``GreaterEqual``, two ``Select`` nodes, ``Neg``, ``mul``, ``sub``, ``Exp``, ``Log1p`` and the
  final ``AddV2``.
- ``SfWeightedCrossEntropy`` (``tf.nn.weighted_cross_entropy_with_logits``): TF 2's subgraph
  (``log_weight = 1 + (pos_weight - 1) * labels``; a Python-number ``pos_weight`` folded into
  one constant as TF does), ending in ``AddV2``.
- ``SfPerImageStandardization`` (``tf.image.per_image_standardization``, float32 images): TF 2's
  ``control_dependency``, pixel count (``Shape``, ``strided_slice``, ``Prod``, ``Cast``),
  ``Mean``, ``reduce_std``, ``Rsqrt``, ``Maximum``, ``sub`` and ``RealDiv``.
- ``SfSoftmaxCrossEntropy`` over the last axis of a tensor of known rank
  (``tf.nn.softmax_cross_entropy_with_logits[_v2]``): TF 2's flatten to 2-D (``Rank``,
  ``Shape``, ``Sub``, ``Slice``, ``concat``, ``Reshape``), ``SoftmaxCrossEntropyWithLogits`` and
  the reshape back (``Reshape_2``), with ``labels_stop_gradient`` for the v1 function.
- ``_InitializedValue`` (``Variable.initialized_value()``): TF's control-flow v1 ``cond``
  (``IsVariableInitialized``, ``Switch``, ``switch_t``/``switch_f``, ``pred_id``, ``RefSwitch``
  read, ``Switch_1`` of the initial value, ``Merge``), under scopeflow's op name
  (``<var>/initialized_value/...``; TF's nodes are ``IsVariableInitialized`` and ``cond/...``).
- ``MatrixTranspose`` (``tf.linalg.matrix_transpose``, known rank): the ``perm`` constant and a
  ``Transpose`` (``ConjugateTranspose`` for complex with ``conjugate``) under scopeflow's op
  name (TF's is ``matrix_transpose/transpose``).
- ``SfEmbeddingLookup`` with one shard and no ``max_norm`` (``tf.nn.embedding_lookup``): a
  ``GatherV2`` with its ``axis`` constant.

- ``ParseExampleV2`` (``tf.parse_example``; scopeflow keeps the keys and defaults as private
  attributes): TF 2's node with its inputs, the dense defaults (``Const``, ``Const_1``... for
  required features, ``key_<name>`` holding the reshaped default otherwise; TF reshapes a
  ``key_<name>`` constant with a ``Reshape`` node) and the ``names``/``sparse_keys``/
  ``dense_keys``/``ragged_keys`` constants, with TF's attributes.

An expander that meets a case it does not cover (float16 moments, several embedding shards...)
writes the op's own node, whose private type ``check_tf_loadable`` then reports.

Must not import torch, ``scopeflow.graph`` or any layer above.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow.graph_io.tensor_proto import make_tensor_proto, shape_proto


def _input_name(t: Any) -> str:
    return t._op._name if t._value_index == 0 else f"{t._op._name}:{t._value_index}"


class _Emitter:
    """Writes NodeDefs for one scopeflow op: device and (on entry nodes) control inputs copied."""

    def __init__(self, gd: Any, op: Any) -> None:
        self.gd, self.op = gd, op
        self.device = op._device if isinstance(op._device, str) else ""
        self.controls = ["^" + c._name for c in op._control_inputs]
        self.emitted: set[str] = set()
        self.inputs = [_input_name(t) for t in op._inputs]
        self.extra_output_shapes: list[list[int]] = []  # TF outputs the scopeflow op lacks

    def node(self, name: str, op_type: str, inputs: list[str], **attrs: Any) -> str:
        node = self.gd.node.add(name=name, op=op_type)
        node.input.extend(inputs)
        if not any(i.split(":")[0] in self.emitted for i in inputs):
            node.input.extend(self.controls)
        if self.device:
            node.device = self.device
        for key, value in attrs.items():
            attr = node.attr[key]
            if isinstance(value, dtypes.DType):
                attr.type = value.as_datatype_enum
            elif isinstance(value, bool):
                attr.b = value
            elif isinstance(value, int):
                attr.i = value
            elif isinstance(value, float):
                attr.f = value
            else:  # a list of ints
                attr.list.SetInParent()
                attr.list.i.extend(int(v) for v in value)
        self.emitted.add(name)
        return name

    def const(self, name: str, value: Any, dt: dtypes.DType) -> str:
        arr = np.asarray(value, dt.as_numpy_dtype)
        self.node(name, "Const", [], dtype=dt)
        self.gd.node[-1].attr["value"].tensor.CopyFrom(make_tensor_proto(arr, dt))
        return name

    def finish(self, add_shapes: bool) -> None:
        """Adds the op's static output shapes to its own (final) node, as TF's add_shapes."""
        if not add_shapes:
            return
        for node in self.gd.node:
            if node.name == self.op._name:
                shapes = node.attr["_output_shapes"].list.shape
                for t in self.op._outputs:
                    dims = None if t._shape._dims is None else [d.value for d in t._shape._dims]
                    shapes.append(shape_proto(dims))
                for extra in self.extra_output_shapes:
                    shapes.append(shape_proto(extra))


def _scope_of(op: Any) -> str:
    return op._name.rpartition("/")[0]


def _l2_normalize(e: _Emitter) -> bool:
    op = e.op
    x, dt, axes = e.inputs[0], op._attrs["T"], op._attrs["axes"]
    rank = op._inputs[0]._shape.ndims
    s = op._name
    if axes is None:
        if rank is None:
            return False
        axis = e.const(f"{s}/Const", list(range(rank)), dtypes.int32)
    else:
        axis = e.const(f"{s}/Sum/reduction_indices", axes, dtypes.int32)
    sq = e.node(f"{s}/Square", "Square", [x], T=dt)
    total = e.node(f"{s}/Sum", "Sum", [sq, axis], T=dt, Tidx=dtypes.int32, keep_dims=True)
    eps = e.const(f"{s}/Maximum/y", op._attrs["epsilon"], dt)
    mx = e.node(f"{s}/Maximum", "Maximum", [total, eps], T=dt)
    inv = e.node(f"{s}/Rsqrt", "Rsqrt", [mx], T=dt)
    e.node(s, "Mul", [x, inv], T=dt)
    return True


_MOMENT_TYPES = (dtypes.float32, dtypes.float64)


def _moments_mean(e: _Emitter) -> bool:
    op = e.op
    dt, axes, keep = op._attrs["T"], op._attrs["axes"], op._attrs["keep_dims"]
    if dt not in _MOMENT_TYPES or axes is None:
        return False
    s = _scope_of(op)
    ri = e.const(f"{s}/mean/reduction_indices", axes, dtypes.int32)
    mean = e.node(f"{s}/mean", "Mean", [e.inputs[0], ri], T=dt, Tidx=dtypes.int32,
                  keep_dims=True)  # fmt: skip
    if not keep:
        e.node(op._name, "Squeeze", [mean], T=dt, squeeze_dims=axes)
    return True


def _moments_variance(e: _Emitter) -> bool:
    op = e.op
    dt, axes, keep = op._attrs["T"], op._attrs["axes"], op._attrs["keep_dims"]
    if dt not in _MOMENT_TYPES or axes is None:
        return False
    s = _scope_of(op)
    stop = e.node(f"{s}/StopGradient", "StopGradient", [f"{s}/mean"], T=dt)
    diff = e.node(f"{s}/SquaredDifference", "SquaredDifference", [e.inputs[0], stop], T=dt)
    ri = e.const(f"{s}/variance/reduction_indices", axes, dtypes.int32)
    var = e.node(f"{s}/variance", "Mean", [diff, ri], T=dt, Tidx=dtypes.int32, keep_dims=True)
    if not keep:
        e.node(op._name, "Squeeze", [var], T=dt, squeeze_dims=axes)
    return True


def _batch_norm(e: _Emitter) -> bool:
    op = e.op
    a = op._attrs
    dt, has_offset, has_scale = a["T"], a["has_offset"], a["has_scale"]
    x, mean, variance, *rest = e.inputs
    offset = rest[0] if has_offset else None
    scale = rest[-1] if has_scale else None
    s = _scope_of(op)
    eps = e.const(f"{s}/add/y", a["variance_epsilon"], dt)
    inv = e.node(f"{s}/Rsqrt", "Rsqrt", [e.node(f"{s}/add", "AddV2", [variance, eps], T=dt)], T=dt)
    muls = iter(f"{s}/{n}" for n in ("mul", "mul_1", "mul_2"))
    if scale is not None:
        inv = e.node(next(muls), "Mul", [inv, scale], T=dt)
    scaled = e.node(next(muls), "Mul", [x, inv], T=dt)
    if offset is not None:
        shift = e.node(f"{s}/sub", "Sub", [offset, e.node(next(muls), "Mul", [mean, inv], T=dt)],
                       T=dt)  # fmt: skip
    else:
        shift = e.node(next(muls), "Mul", [e.node(f"{s}/Neg", "Neg", [mean], T=dt), inv], T=dt)
    e.node(op._name, "AddV2", [scaled, shift], T=dt)
    return True


def _crelu_concat(e: _Emitter) -> bool:
    op = e.op
    dt, s, x = op._attrs["T"], op._name, e.inputs[0]
    neg = e.node(f"{s}/Neg", "Neg", [x], T=dt)
    axis = e.const(f"{s}/axis", op._attrs["axis"], dtypes.int32)
    e.node(s, "ConcatV2", [x, neg, axis], T=dt, N=2, Tidx=dtypes.int32)
    return True


def _sigmoid_xent(e: _Emitter) -> bool:
    op = e.op
    dt, s = op._attrs["T"], op._name
    x, z = e.inputs
    zeros = e.node(f"{s}/zeros_like", "ZerosLike", [x], T=dt)
    cond = e.node(f"{s}/GreaterEqual", "GreaterEqual", [x, zeros], T=dt)
    relu = e.node(f"{s}/Select", "Select", [cond, x, zeros], T=dt)
    neg = e.node(f"{s}/Neg", "Neg", [x], T=dt)
    neg_abs = e.node(f"{s}/Select_1", "Select", [cond, neg, x], T=dt)
    mul = e.node(f"{s}/mul", "Mul", [x, z], T=dt)
    sub = e.node(f"{s}/sub", "Sub", [relu, mul], T=dt)
    log1p = e.node(f"{s}/Log1p", "Log1p", [e.node(f"{s}/Exp", "Exp", [neg_abs], T=dt)], T=dt)
    e.node(s, "AddV2", [sub, log1p], T=dt)
    return True


def _python_number_input(op: Any, index: int, name: str) -> float | None:
    """The value of input ``index`` if scopeflow made it from a Python number, else None.

    That input is a scalar Const named ``<op name>/<name>``.
    """
    src = op._inputs[index]._op
    value = src._attrs.get("value") if src._type == "Const" else None
    if src._name != f"{op._name}/{name}" or value is None or np.ndim(value) != 0:
        return None
    return float(np.asarray(value))


def _weighted_xent(e: _Emitter) -> bool:
    op = e.op
    dt, s = op._attrs["T"], op._name
    x, z, w = e.inputs
    number = _python_number_input(op, 2, "pos_weight")
    if number is not None:  # TF computes pos_weight - 1 in Python: one constant
        mul = e.node(f"{s}/mul", "Mul", [e.const(f"{s}/mul/x", number - 1.0, dt), z], T=dt)
        subs = iter((f"{s}/sub", f"{s}/sub_1"))
    else:
        w1 = e.node(f"{s}/sub", "Sub", [w, e.const(f"{s}/sub/y", 1.0, dt)], T=dt)
        mul = e.node(f"{s}/mul", "Mul", [w1, z], T=dt)
        subs = iter((f"{s}/sub_1", f"{s}/sub_2"))
    log_weight = e.node(f"{s}/add", "AddV2", [e.const(f"{s}/add/x", 1.0, dt), mul], T=dt)
    sub = next(subs)
    one_minus = e.node(sub, "Sub", [e.const(f"{sub}/x", 1.0, dt), z], T=dt)
    left = e.node(f"{s}/mul_1", "Mul", [one_minus, x], T=dt)
    neg = e.node(f"{s}/Neg", "Neg", [e.node(f"{s}/Abs", "Abs", [x], T=dt)], T=dt)
    log1p = e.node(f"{s}/Log1p", "Log1p", [e.node(f"{s}/Exp", "Exp", [neg], T=dt)], T=dt)
    relu = e.node(f"{s}/Relu", "Relu", [e.node(f"{s}/Neg_1", "Neg", [x], T=dt)], T=dt)
    right = e.node(f"{s}/mul_2", "Mul", [log_weight, e.node(f"{s}/add_1", "AddV2", [log1p, relu],
                                                            T=dt)], T=dt)  # fmt: skip
    e.node(s, "AddV2", [left, right], T=dt)
    return True


def _per_image_standardization(e: _Emitter) -> bool:
    op = e.op
    t = op._inputs[0]
    if op._attrs["T"] != dtypes.float32:  # TF adds a Cast of the image (not written here)
        return False
    f32, i32, s = dtypes.float32, dtypes.int32, op._name
    image = e.node(f"{s}/control_dependency", "Identity", [e.inputs[0]], T=f32)
    e.gd.node[-1].attr["_class"].list.s.append(f"loc:@{t._op._name}".encode())
    if t._shape.is_fully_defined():
        shape = e.const(f"{s}/Shape", t._shape.as_list(), i32)
    else:
        shape = e.node(f"{s}/Shape", "Shape", [image], T=f32, out_type=i32)
    ss = f"{s}/strided_slice"
    stacks = [e.const(f"{ss}/stack{sfx}", [v], i32) for sfx, v in (("", -3), ("_1", 0), ("_2", 1))]
    e.node(ss, "StridedSlice", [shape, *stacks], T=i32, Index=i32, begin_mask=0, end_mask=1,
           ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=0)  # fmt: skip
    prod = e.node(f"{s}/Prod", "Prod", [ss, e.const(f"{s}/Const", [0], i32)], T=i32, Tidx=i32,
                  keep_dims=False)  # fmt: skip
    axes = [-1, -2, -3]

    def mean(name: str, x: str) -> str:
        ri = e.const(f"{name}/reduction_indices", axes, i32)
        return e.node(name, "Mean", [x, ri], T=f32, Tidx=i32, keep_dims=True)

    image_mean = mean(f"{s}/Mean", image)
    rv = f"{s}/reduce_std/reduce_variance"
    dev = e.node(f"{rv}/sub", "Sub", [image, mean(f"{rv}/Mean", image)], T=f32)
    var = mean(f"{rv}/Mean_1", e.node(f"{rv}/Square", "Square", [dev], T=f32))
    std = e.node(f"{s}/reduce_std/Sqrt", "Sqrt", [var], T=f32)
    n = e.node(f"{s}/Cast", "Cast", [prod], SrcT=i32, DstT=f32, Truncate=False)
    adjusted = e.node(f"{s}/Maximum", "Maximum",
                      [std, e.node(f"{s}/Rsqrt", "Rsqrt", [n], T=f32)], T=f32)  # fmt: skip
    centered = e.node(f"{s}/sub", "Sub", [image, image_mean], T=f32)
    e.node(s, "RealDiv", [centered, adjusted], T=f32)
    return True


def _softmax_xent(e: _Emitter) -> bool:
    op = e.op
    dt, axis, stop = op._attrs["T"], op._attrs["axis"], op._attrs["stop_labels"]
    xt, zt = op._inputs
    rank = xt._shape.ndims
    if rank is None or zt._shape.ndims != rank or axis not in (-1, rank - 1):
        return False  # TF transposes the class axis last / uses Rank ops: not written here
    i32, s = dtypes.int32, _scope_of(op)
    x, z = e.inputs
    if stop:
        z = e.node(f"{s}/labels_stop_gradient", "StopGradient", [z], T=dt)

    def shape_of(name: str, t: Any, src: str) -> str:
        if t._shape.is_fully_defined():
            return e.const(name, t._shape.as_list(), i32)
        return e.node(name, "Shape", [src], T=dt, out_type=i32)

    def flatten(sfx: str, rank_name: str, shape: str, src: str, sub: str, reshape: str) -> str:
        minus = e.node(sub, "Sub", [rank_name, e.const(f"{sub}/y", 1, i32)], T=i32)
        sl = f"{s}/Slice{sfx}"
        begin = e.node(f"{sl}/begin", "Pack", [minus], T=i32, N=1, axis=0)
        sliced = e.node(sl, "Slice", [shape, begin, e.const(f"{sl}/size", [1], i32)], T=i32,
                        Index=i32)  # fmt: skip
        cat = f"{s}/concat{sfx}"
        first = e.const(f"{cat}/values_0", [-1], i32)
        dims = e.node(cat, "ConcatV2", [first, sliced, e.const(f"{cat}/axis", 0, i32)], T=i32,
                      N=2, Tidx=i32)  # fmt: skip
        return e.node(reshape, "Reshape", [src, dims], T=dt, Tshape=i32)

    rank0 = e.const(f"{s}/Rank", rank, i32)
    shape0 = shape_of(f"{s}/Shape", xt, x)
    rank1 = e.const(f"{s}/Rank_1", rank, i32)
    flat_x = flatten("", rank1, shape_of(f"{s}/Shape_1", xt, x), x, f"{s}/Sub", f"{s}/Reshape")
    rank2 = e.const(f"{s}/Rank_2", rank, i32)
    shape2 = shape_of(f"{s}/Shape_2", zt, z)
    flat_z = flatten("_1", rank2, shape2, z, f"{s}/Sub_1", f"{s}/Reshape_1")
    loss = e.node(s, "SoftmaxCrossEntropyWithLogits", [flat_x, flat_z], T=dt)
    minus = e.node(f"{s}/Sub_2", "Sub", [rank0, e.const(f"{s}/Sub_2/y", 1, i32)], T=i32)
    sl = f"{s}/Slice_2"
    begin = e.const(f"{sl}/begin", [0], i32)
    size = e.node(f"{sl}/size", "Pack", [minus], T=i32, N=1, axis=0)
    batch = e.node(sl, "Slice", [shape0, begin, size], T=i32, Index=i32)
    e.node(op._name, "Reshape", [loss, batch], T=dt, Tshape=i32)
    return True


def _initialized_value(e: _Emitter) -> bool:
    op = e.op
    var, p, b = op._attrs["var_name"], op._name, dtypes.bool
    dt = op._outputs[0]._dtype.base_dtype
    check = e.node(f"{p}/IsVariableInitialized", "IsVariableInitialized", [var], dtype=dt)
    e.gd.node[-1].attr["_class"].list.s.append(f"loc:@{var}".encode())
    c = f"{p}/cond"
    switch = e.node(f"{c}/Switch", "Switch", [check, check], T=b)
    e.node(f"{c}/switch_t", "Identity", [f"{switch}:1"], T=b)
    e.node(f"{c}/switch_f", "Identity", [switch], T=b)
    pred = e.node(f"{c}/pred_id", "Identity", [check], T=b)
    ref = e.node(f"{c}/read/Switch", "RefSwitch", [var, pred], T=dt)
    e.gd.node[-1].attr["_class"].list.s.append(f"loc:@{var}".encode())
    read = e.node(f"{c}/read", "Identity", [f"{ref}:1"], T=dt)
    initial = e.node(f"{c}/Switch_1", "Switch", [e.inputs[0], pred], T=dt)
    e.node(p, "Merge", [initial, read], T=dt, N=2)
    e.extra_output_shapes.append([])  # Merge's value_index
    return True


def _matrix_transpose(e: _Emitter) -> bool:
    op = e.op
    rank, dt = op._inputs[0]._shape.ndims, op._attrs["T"]
    if rank is None:
        return False  # TF computes the permutation with Rank/Range ops
    perm = [*range(rank - 2), rank - 1, rank - 2]
    kind = "ConjugateTranspose" if op._attrs["conjugate"] and dt.is_complex else "Transpose"
    p = e.const(f"{op._name}/transpose/perm", perm, dtypes.int32)
    e.node(op._name, kind, [e.inputs[0], p], T=dt, Tperm=dtypes.int32)
    return True


def _embedding_lookup(e: _Emitter) -> bool:
    op = e.op
    a = op._attrs
    if a["num_shards"] != 1 or a["max_norm"] is not None:
        return False
    s = op._name
    axis = e.const(f"{s}/axis", 0, dtypes.int32)
    e.node(s, "GatherV2", [*e.inputs, axis], Tparams=a["Tparams"], Tindices=a["Tindices"],
           Taxis=dtypes.int32, batch_dims=0)  # fmt: skip
    return True


def _free_name(e: _Emitter, name: str) -> str:
    """``name``, or ``name_1``, ``name_2``... if the graph or this expansion already has it."""
    taken = getattr(getattr(e.op, "_graph", None), "_ops_by_name", {})
    unique, i = name, 0
    while unique in taken or unique in e.emitted:
        i += 1
        unique = f"{name}_{i}"
    return unique


def _parse_example(e: _Emitter) -> bool:
    op = e.op
    a = op._attrs
    sparse_keys, sparse_types, dense = a["sparse_keys"], a["sparse_types"], a["_dense"]
    s = op._name
    scope = _scope_of(op)
    prefix = f"{scope}/" if scope else ""
    defaults = []
    for key, dt, dims, is_seq, default in dense:
        if default is None and not is_seq:
            name = _free_name(e, f"{prefix}Const")
            defaults.append(e.const(name, np.zeros([0], dt.as_numpy_dtype), dt))
            continue
        if default is None:  # a sequence feature's padding value
            value = np.asarray(b"" if dt == dtypes.string else 0, dt.as_numpy_dtype)
            defaults.append(e.const(_free_name(e, f"{prefix}Const"), value, dt))
            continue
        clean = "".join(c if c.isalnum() or c in "_.-/" else "_" for c in key)
        value = np.asarray(default, dt.as_numpy_dtype).reshape([] if is_seq else dims)
        defaults.append(e.const(_free_name(e, f"{prefix}key_{clean}"), value, dt))
    dense_keys = [key for key, *_ in dense]

    def keys(name: str, values: list[str]) -> str:
        arr = np.empty(len(values), dtype=object)
        arr[:] = [v.encode() for v in values]
        return e.const(f"{s}/{name}", arr, dtypes.string)

    inputs = [
        e.inputs[0],
        keys("names", []),
        keys("sparse_keys", list(sparse_keys)),
        keys("dense_keys", dense_keys),
        keys("ragged_keys", []),
        *defaults,
    ]
    e.node(s, "ParseExampleV2", inputs, num_sparse=len(sparse_keys))
    attrs = e.gd.node[-1].attr
    attrs["sparse_types"].list.type.extend(dt.as_datatype_enum for dt in sparse_types)
    attrs["Tdense"].list.type.extend(dt.as_datatype_enum for _, dt, *_ in dense)
    for _, _, dims, is_seq, _ in dense:
        attrs["dense_shapes"].list.shape.append(shape_proto(([-1] if is_seq else []) + dims))
    for key in ("sparse_types", "Tdense", "dense_shapes", "ragged_value_types",
                "ragged_split_types"):  # fmt: skip
        attrs[key].list.SetInParent()
    return True


_Expander = Callable[[Any, Any, Callable[[], Any], bool], None]


def _subgraph(write: Callable[[_Emitter], bool]) -> _Expander:
    def expand(gd: Any, op: Any, plain: Callable[[], Any], add_shapes: bool) -> None:
        start = len(gd.node)
        emitter = _Emitter(gd, op)
        if write(emitter):
            emitter.finish(add_shapes)
            return
        del gd.node[start:]
        plain()

    return expand


# op type -> writer(graph_def, op, plain, add_shapes); plain() writes the op's own NodeDef
EXPANDERS: dict[str, _Expander] = {
    "SfL2Normalize": _subgraph(_l2_normalize),
    "SfMomentsMean": _subgraph(_moments_mean),
    "SfMomentsVariance": _subgraph(_moments_variance),
    "SfBatchNormalization": _subgraph(_batch_norm),
    "SfCReluConcat": _subgraph(_crelu_concat),
    "SfSigmoidCrossEntropy": _subgraph(_sigmoid_xent),
    "SfEmbeddingLookup": _subgraph(_embedding_lookup),
    "SfWeightedCrossEntropy": _subgraph(_weighted_xent),
    "SfPerImageStandardization": _subgraph(_per_image_standardization),
    "SfSoftmaxCrossEntropy": _subgraph(_softmax_xent),
    "_InitializedValue": _subgraph(_initialized_value),
    "MatrixTranspose": _subgraph(_matrix_transpose),
    "ParseExampleV2": _subgraph(_parse_example),
}

__all__ = ["EXPANDERS"]
