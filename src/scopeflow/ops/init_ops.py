"""Initializers with TF1's math and defaults (``tf.*_initializer``, ``tf.initializers.*``).

Every initializer is a callable ``init(shape, dtype=None, partition_info=None)`` that builds the
ops producing the initial value (``docs/tf1_semantics.md`` §6). Fan-based initializers use the
full shape of a partitioned variable (``partition_info.full_shape``).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.backend import backend
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph._torch_dtypes import torch_dtype
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import array_ops, linalg_ops, math_ops, random_ops, split_ops
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.constant_op import constant


def _const(value: Any, dt: dtypes.DType, name: str) -> Tensor:
    """A Const op named ``name`` (uniquified) from a Python value or array, without conversion."""
    arr = np.asarray(value, dtype=dt.as_numpy_dtype)
    t = make_op(
        "Const", (), {"value": arr, "dtype": dt}, name, dt, TensorShape._from_known(arr.shape)
    )
    if arr.size <= 4096:  # as ``constant``: small values are known at build time
        t._const = arr
    return t


_PLAIN_DTYPES = frozenset(
    (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.int8, dtypes.int16,
     dtypes.int32, dtypes.int64, dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64,
     dtypes.bool)
)  # fmt: skip


def _known_dims(shape: Any) -> list[int] | None:
    """``shape`` as a list of ints if it is a fully known list/tuple shape, else None."""
    if isinstance(shape, (list, tuple)) and all(type(d) is int and d >= 0 for d in shape):
        return list(shape)
    return None


def _is_number(value: Any) -> bool:
    return type(value) in (int, float)


def _filled_const(fill: Any, shape: Any, dt: dtypes.DType, name: str) -> Tensor | None:
    """``tf.zeros``/``tf.ones``/``tf.constant(scalar, shape=...)`` as one ``Const``, or None.

    The fast path of explicit initializers (``zeros_initializer()`` ...): the same op, name and
    value as the general functions build for a known shape, without their argument
    conversions. None when the general path is needed (unknown shape, a dtype without a plain
    NumPy equivalent, or ``tf.zeros``'s ``Fill`` form for 1,000 elements or more).
    """
    dims = _known_dims(shape)
    if dims is None or dt not in _PLAIN_DTYPES or (name != "Const" and math.prod(dims) >= 1000):
        return None
    t = _const(np.full(dims, fill, dtype=dt.as_numpy_dtype), dt, name)
    if math.prod(dims) > 1:
        # as tf.constant(scalar, shape=...) records it: TF's TensorProto keeps the one given value
        t._op._attrs["_proto_values"] = np.full(1, fill, dtype=dt.as_numpy_dtype)
    return t


_SUB_OPS = {
    "uniform": ("shape", "min", "max", "RandomUniform", "sub", "mul"),
    "truncated_normal": ("shape", "mean", "stddev", "TruncatedNormal", "mul"),
    "normal": ("shape", "mean", "stddev", "RandomStandardNormal", "mul"),
}
_DEFAULT_NAMES = {
    "uniform": "random_uniform",
    "truncated_normal": "truncated_normal",
    "normal": "random_normal",
}


def _fast_random(shape: Any, dt: dtypes.DType, seed: int | None, kind: str, a: float, b: float
                 ) -> Tensor:  # fmt: skip
    """The initial value of a fan-scaled initializer, as one fused op.

    ``random_uniform(shape, a, b)`` (kind ``"uniform"``), or ``truncated_normal``/
    ``random_normal`` with mean ``a`` and stddev ``b``.

    This is the hot path of variable creation (every default-initialized ``get_variable``), so
    for a fully known shape it builds ONE fused op named as TF's output
    (``.../Initializer/random_uniform``) instead of TF's 7 (shape/min/max constants, the random
    op, sub, mul, add). TF's internal names are still reserved in the uniquifier and the op
    counter advances by 7, so seeds (``tf.set_random_seed``) and every later name come out as in
    TF; values are computed in TF's order and dtype (``rnd * (max - min) + min``).

    Differences from TensorFlow: the 6 internal initializer ops are not graph nodes
    (``get_operations()`` does not list ``.../random_uniform/min`` etc.).
    """
    dims = list(shape) if isinstance(shape, (list, tuple)) else None
    if dims is None or not all(type(d) is int and d >= 0 for d in dims) or not dt.is_floating:
        if kind == "uniform":
            return random_ops.random_uniform(shape, a, b, dt, seed=seed)
        if kind == "truncated_normal":
            return random_ops.truncated_normal(shape, a, b, dt, seed=seed)
        return random_ops.random_normal(shape, a, b, dt, seed=seed)
    g = get_default_graph()
    name = g.unique_name(_DEFAULT_NAMES[kind])
    for sub in _SUB_OPS[kind]:
        g._names.mark_used(name + "/" + sub)
    start = g._last_id
    g._last_id = start + 3  # TF's get_seed runs after the 3 constant ops
    seed1, seed2 = random_ops.get_seed(seed)
    np_dt = dt.as_numpy_dtype
    lo = np.asarray(a, dtype=np_dt)
    scale = (np.asarray(b, dtype=np_dt) - lo) if kind == "uniform" else np.asarray(b, dtype=np_dt)
    attrs = {
        "dtype": dt,
        "shape": tuple(dims),
        "kind": kind,
        "offset": lo,
        "scale": scale,
        "seed": seed1 or 0,
        "seed2": seed2 or 0,
    }
    out = make_op(
        "_FusedRandomInit", (), attrs, name + "/", dt, TensorShape._from_known(tuple(dims))
    )
    g._last_id = start + len(_SUB_OPS[kind]) + 1
    return out


_T_ATTRS: dict[dtypes.DType, dict[str, Any]] = {}


def _assert_float_dtype(dtype: dtypes.DType) -> dtypes.DType:
    if not dtype.is_floating:
        raise ValueError(f"Argument `dtype` is expected to be floating point. Received: {dtype}.")
    return dtype


def _compute_fans(shape: Any) -> tuple[int, int]:
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    if len(shape) == 2:
        return int(shape[0]), int(shape[1])
    receptive = 1
    for d in shape[:-2]:
        receptive *= int(d)
    return int(shape[-2]) * receptive, int(shape[-1]) * receptive


class Initializer:
    """Base class of initializers: ``__call__(shape, dtype=None, partition_info=None)``."""

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        """The initial value tensor for ``shape`` (see the class docstring)."""
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as a dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Initializer:
        """An initializer built from ``get_config()`` output."""
        config = dict(config)
        config.pop("dtype", None)
        return cls(**config)


class Zeros(Initializer):
    """Initializes to 0 (``tf.zeros_initializer``)."""

    def __init__(self, dtype: Any = dtypes.float32) -> None:
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        """The initial value tensor for ``shape`` (see the class docstring)."""
        dt = dtypes.as_dtype(dtype or self.dtype).base_dtype
        fast = _filled_const(False if dt == dtypes.bool else 0, shape, dt, "zeros")
        return fast if fast is not None else array_ops.zeros(shape, dt)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as a dict."""
        return {"dtype": self.dtype.name}


class Ones(Initializer):
    """Initializes to 1 (``tf.ones_initializer``)."""

    def __init__(self, dtype: Any = dtypes.float32) -> None:
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        """The initial value tensor for ``shape`` (see the class docstring)."""
        dt = dtypes.as_dtype(dtype or self.dtype).base_dtype
        fast = _filled_const(True if dt == dtypes.bool else 1, shape, dt, "ones")
        return fast if fast is not None else array_ops.ones(shape, dt)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as a dict."""
        return {"dtype": self.dtype.name}


class Constant(Initializer):
    """Fills with ``value`` row-major, repeating the last value (``tf.constant_initializer``)."""

    def __init__(self, value: Any = 0, dtype: Any = dtypes.float32, verify_shape: bool = False
                 ) -> None:  # fmt: skip
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))):
            raise TypeError(
                f"Invalid type for initial value={value} of type: {type(value).__name__}. "
                "Expected Python scalar, list or tuple of values, or numpy.ndarray."
            )
        self.value = value
        self.dtype = dtypes.as_dtype(dtype)
        self._verify_shape = verify_shape

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None,
                 verify_shape: bool | None = None) -> Tensor:  # fmt: skip
        """The initial value tensor for ``shape`` (see the class docstring)."""
        if verify_shape is None:
            verify_shape = self._verify_shape
        dt = dtypes.as_dtype(dtype or self.dtype).base_dtype
        if not verify_shape and _is_number(self.value) and dt.is_floating:
            fast = _filled_const(self.value, shape, dt, "Const")
            if fast is not None:
                return fast
        return constant(self.value, dtype=dt, shape=shape, verify_shape=verify_shape)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as a dict."""
        return {"value": self.value, "dtype": self.dtype.name}


class RandomUniform(Initializer):
    """U[minval, maxval) (``tf.random_uniform_initializer``)."""

    def __init__(self, minval: Any = 0.0, maxval: Any = None, seed: int | None = None,
                 dtype: Any = dtypes.float32) -> None:  # fmt: skip
        self.minval, self.maxval, self.seed = minval, maxval, seed
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        """The initial value tensor for ``shape`` (see the class docstring)."""
        dt = dtypes.as_dtype(dtype or self.dtype).base_dtype
        lo, hi = self.minval, 1 if self.maxval is None else self.maxval
        # TF builds no min/max constants for an int 0 ``minval``: that graph is the general one.
        if dt.is_floating and _is_number(lo) and _is_number(hi) and not (type(lo) is int
                                                                          and lo == 0):  # fmt: skip
            return _fast_random(shape, dt, self.seed, "uniform", lo, hi)
        return random_ops.random_uniform(shape, self.minval, self.maxval, dt, seed=self.seed)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as a dict."""
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed,
                "dtype": self.dtype.name}  # fmt: skip


class RandomNormal(Initializer):
    """N(mean, stddev²) (``tf.random_normal_initializer``)."""

    def __init__(self, mean: float = 0.0, stddev: float = 1.0, seed: int | None = None,
                 dtype: Any = dtypes.float32) -> None:  # fmt: skip
        self.mean, self.stddev, self.seed = mean, stddev, seed
        self.dtype = _assert_float_dtype(dtypes.as_dtype(dtype))

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        """The initial value tensor for ``shape`` (see the class docstring)."""
        dt = dtypes.as_dtype(dtype or self.dtype).base_dtype
        if _is_number(self.mean) and _is_number(self.stddev):
            return _fast_random(shape, dt, self.seed, "normal", self.mean, self.stddev)
        return random_ops.random_normal(shape, self.mean, self.stddev, dt, seed=self.seed)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as a dict."""
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed,
                "dtype": self.dtype.name}  # fmt: skip


class TruncatedNormal(Initializer):
    """N(mean, stddev²) redrawn outside mean ± 2·stddev (``tf.truncated_normal_initializer``)."""

    def __init__(self, mean: float = 0.0, stddev: float = 1.0, seed: int | None = None,
                 dtype: Any = dtypes.float32) -> None:  # fmt: skip
        self.mean, self.stddev, self.seed = mean, stddev, seed
        self.dtype = _assert_float_dtype(dtypes.as_dtype(dtype))

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        """The initial value tensor for ``shape`` (see the class docstring)."""
        dt = dtypes.as_dtype(dtype or self.dtype).base_dtype
        if _is_number(self.mean) and _is_number(self.stddev):
            return _fast_random(shape, dt, self.seed, "truncated_normal", self.mean, self.stddev)
        return random_ops.truncated_normal(shape, self.mean, self.stddev, dt, seed=self.seed)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as a dict."""
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed,
                "dtype": self.dtype.name}  # fmt: skip


class UniformUnitScaling(Initializer):
    """Deprecated TF initializer: U(±sqrt(3/input_size)·factor)."""

    def __init__(self, factor: float = 1.0, seed: int | None = None, dtype: Any = dtypes.float32
                 ) -> None:  # fmt: skip
        self.factor, self.seed = factor, seed
        self.dtype = _assert_float_dtype(dtypes.as_dtype(dtype))

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        """The initial value tensor for ``shape`` (see the class docstring)."""
        scale_shape = partition_info.full_shape if partition_info is not None else shape
        input_size = 1.0
        for d in scale_shape[:-1]:
            input_size *= float(d)
        input_size = max(input_size, 1.0)
        max_val = math.sqrt(3 / input_size) * self.factor
        return random_ops.random_uniform(shape, -max_val, max_val, dtype or self.dtype,
                                         seed=self.seed)  # fmt: skip

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as a dict."""
        return {"factor": self.factor, "seed": self.seed, "dtype": self.dtype.name}


class VarianceScaling(Initializer):
    """Scale-by-fan initializer (``tf.variance_scaling_initializer``)."""

    def __init__(self, scale: float = 1.0, mode: str = "fan_in",
                 distribution: str = "truncated_normal", seed: int | None = None,
                 dtype: Any = dtypes.float32) -> None:  # fmt: skip
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be a positive float. Received: {scale}")
        if mode not in {"fan_in", "fan_out", "fan_avg"}:
            raise ValueError(
                "Argument `mode` should be one of ('fan_in', 'fan_out', 'fan_avg'). "
                f"Received: {mode}"
            )
        distribution = distribution.lower()
        if distribution not in {"normal", "uniform", "truncated_normal", "untruncated_normal"}:
            raise ValueError(
                "Argument `distribution` should be one of ('normal', uniform', "
                f"'truncated_normal', 'untruncated_normal'). Received: {distribution}"
            )
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed
        self.dtype = _assert_float_dtype(dtypes.as_dtype(dtype))

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        """The initial value tensor for ``shape`` (see the class docstring)."""
        dt = dtype or self.dtype
        scale = self.scale
        scale_shape = partition_info.full_shape if partition_info is not None else shape
        fan_in, fan_out = _compute_fans(scale_shape)
        if self.mode == "fan_in":
            scale /= max(1.0, fan_in)
        elif self.mode == "fan_out":
            scale /= max(1.0, fan_out)
        else:
            scale /= max(1.0, (fan_in + fan_out) / 2.0)
        dt = dtypes.as_dtype(dt)
        if self.distribution in ("normal", "truncated_normal"):
            stddev = math.sqrt(scale) / 0.87962566103423978
            return _fast_random(shape, dt, self.seed, "truncated_normal", 0.0, stddev)
        if self.distribution == "untruncated_normal":
            return _fast_random(shape, dt, self.seed, "normal", 0.0, math.sqrt(scale))
        limit = math.sqrt(3.0 * scale)
        return _fast_random(shape, dt, self.seed, "uniform", -limit, limit)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as a dict."""
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed, "dtype": self.dtype.name}  # fmt: skip


class GlorotUniform(VarianceScaling):
    """U(±sqrt(6/(fan_in+fan_out))) — the default for float ``get_variable``.

    As in TF, the constructor's ``dtype`` is ignored.
    """

    def __init__(self, seed: int | None = None, dtype: Any = dtypes.float32) -> None:
        super().__init__(scale=1.0, mode="fan_avg", distribution="uniform", seed=seed)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as a dict."""
        return {"seed": self.seed, "dtype": self.dtype.name}


class GlorotNormal(VarianceScaling):
    """Truncated normal with std sqrt(2/(fan_in+fan_out))."""

    def __init__(self, seed: int | None = None, dtype: Any = dtypes.float32) -> None:
        super().__init__(scale=1.0, mode="fan_avg", distribution="truncated_normal", seed=seed)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as a dict."""
        return {"seed": self.seed, "dtype": self.dtype.name}


class Orthogonal(Initializer):
    """A (semi-)orthogonal matrix times ``gain`` (``tf.orthogonal_initializer``)."""

    def __init__(self, gain: float = 1.0, seed: int | None = None, dtype: Any = dtypes.float32
                 ) -> None:  # fmt: skip
        self.gain, self.seed = gain, seed
        self.dtype = _assert_float_dtype(dtypes.as_dtype(dtype))

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        """The initial value tensor for ``shape`` (see the class docstring)."""
        dt = dtypes.as_dtype(dtype or self.dtype)
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize, specified by argument `shape` must be at least "
                f"two-dimensional. Received shape={shape}"
            )
        num_rows = 1
        for d in shape[:-1]:
            num_rows *= int(d)
        num_cols = int(shape[-1])
        flat = (num_cols, num_rows) if num_rows < num_cols else (num_rows, num_cols)
        a = random_ops.random_normal(flat, dtype=dt, seed=self.seed)
        q, r = linalg_ops.qr(a, full_matrices=False)
        d_ = linalg_ops.matrix_diag_part(r)
        q = math_ops.multiply(q, linalg_ops.sign(d_), name="mul")
        if num_rows < num_cols:
            q = linalg_ops.matrix_transpose(q)
        return math_ops.multiply(self.gain, array_ops.reshape(q, list(shape)), name="mul")

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as a dict."""
        return {"gain": self.gain, "seed": self.seed, "dtype": self.dtype.name}


class Identity(Initializer):
    """``gain`` times the identity matrix; 2-D only (``tf.initializers.identity``)."""

    def __init__(self, gain: float = 1.0, dtype: Any = dtypes.float32) -> None:
        self.gain = gain
        self.dtype = _assert_float_dtype(dtypes.as_dtype(dtype))

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        """The initial value tensor for ``shape`` (see the class docstring)."""
        full = shape if partition_info is None else partition_info.full_shape
        if len(full) != 2:
            raise ValueError(
                "The tensor to initialize, specified by argument `shape` must be at least "
                f"two-dimensional. Received shape={full}"
            )
        dt = dtypes.as_dtype(dtype or self.dtype)
        init = linalg_ops.eye(int(full[0]), int(full[1]), dtype=dt)
        if partition_info is not None:
            init = array_ops.slice(init, partition_info.var_offset, list(shape))
        return math_ops.multiply(self.gain, init, name="mul")

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as a dict."""
        return {"gain": self.gain, "dtype": self.dtype.name}


def he_normal(seed: int | None = None) -> VarianceScaling:
    """VS(2, fan_in, truncated_normal)."""
    return VarianceScaling(scale=2.0, mode="fan_in", distribution="truncated_normal", seed=seed)


def he_uniform(seed: int | None = None) -> VarianceScaling:
    """VS(2, fan_in, uniform)."""
    return VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform", seed=seed)


def lecun_normal(seed: int | None = None) -> VarianceScaling:
    """VS(1, fan_in, truncated_normal)."""
    return VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal", seed=seed)


def lecun_uniform(seed: int | None = None) -> VarianceScaling:
    """VS(1, fan_in, uniform)."""
    return VarianceScaling(scale=1.0, mode="fan_in", distribution="uniform", seed=seed)


zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_uniform_initializer = RandomUniform
random_normal_initializer = RandomNormal
truncated_normal_initializer = TruncatedNormal
uniform_unit_scaling_initializer = UniformUnitScaling
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal
orthogonal_initializer = Orthogonal

backend.default_float_initializer = GlorotUniform
backend.zeros_initializer = Zeros
backend.slice = array_ops.slice
backend.concat = array_ops.concat
backend.split = split_ops.split

__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "Identity",
    "Initializer",
    "Ones",
    "Orthogonal",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "UniformUnitScaling",
    "VarianceScaling",
    "Zeros",
    "constant_initializer",
    "glorot_normal_initializer",
    "glorot_uniform_initializer",
    "he_normal",
    "he_uniform",
    "lecun_normal",
    "lecun_uniform",
    "ones_initializer",
    "orthogonal_initializer",
    "random_normal_initializer",
    "random_uniform_initializer",
    "truncated_normal_initializer",
    "uniform_unit_scaling_initializer",
    "variance_scaling_initializer",
    "zeros_initializer",
]


@register_kernel("_FusedRandomInit", stateful=True)
def _fused_random_init_kernel(op: Any, session: Any) -> Any:
    a = op._attrs
    state = random_ops._random_state(op, session)
    tdt = torch_dtype(a["dtype"])
    dims, kind = list(a["shape"]), a["kind"]
    offset = torch.as_tensor(a["offset"], dtype=tdt)
    scale = torch.as_tensor(a["scale"], dtype=tdt)
    sample = {"uniform": state.uniform, "normal": state.normal}.get(kind, state.truncated_normal)

    def kernel() -> Any:
        return sample(dims, tdt) * scale + offset  # TF's separate Mul then Add, in the dtype

    return kernel
