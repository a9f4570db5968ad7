"""Random ops with TF's graph/op seed rules.

``random_normal``, ``random_uniform``, ``truncated_normal``, ``multinomial``/``categorical``,
``random_shuffle``, ``random_crop`` and ``tf.set_random_seed``.

Seeds (TF's ``get_seed``): with a graph seed, an op without its own seed takes the graph's count
of such ops so far (TF 2.x's ``_graph_to_seed_dict``; TF 1.x used the last op id instead), so the
same program gives the same values on every run; with only an op seed, the graph seed defaults
to 87654321; with neither, values differ per run. Each session restarts every random op's
sequence, as TF does.

The graph structure is TF's: ``random_normal`` is ``shape``/``mean``/``stddev`` constants, a
``RandomStandardNormal`` op, ``mul`` and the final ``add`` named ``random_normal``.

Values are TF's own: every random kernel draws through ``_tf_random.TFRandomState`` (TF's
``GuardedPhiloxRandom`` and CPU sampling), so a seeded program gives TF's numbers bit for bit,
the second ``Session.run`` of an op continues the stream as TF's does, and each new session
restarts it (see ``_tf_random`` for the one ``Multinomial`` caveat).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph._torch_dtypes import torch_dtype
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import math_ops
from scopeflow.ops._op_builder import make_op, shape_from_tensor
from scopeflow.ops._tf_random import TFRandomState, new_state
from scopeflow.ops.math_ops import _scope

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1


def set_random_seed(seed: int | None) -> None:
    """Sets the graph-level random seed of the default graph (``tf.set_random_seed``)."""
    get_default_graph().seed = seed


def get_seed(op_seed: int | None) -> tuple[int | None, int | None]:
    """TF's ``random_seed.get_seed``: the (graph seed, op seed) pair an op records."""
    g = get_default_graph()
    global_seed = g.seed
    if global_seed is not None:
        if op_seed is None:  # TF 2.x: a per-graph counter of graph-seeded ops
            op_seed = getattr(g, "_random_seed_count", 0)
            g._random_seed_count = op_seed + 1  # type: ignore[attr-defined]
        seeds: tuple[int | None, int | None] = (global_seed % _MAXINT32, op_seed % _MAXINT32)
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, op_seed % _MAXINT32)
    else:
        seeds = (None, None)
    if seeds == (0, 0):
        return (0, _MAXINT32)
    return seeds


def _shape_tensor(shape: Any, scope: str) -> Tensor:
    if isinstance(shape, Tensor):
        return shape
    from scopeflow._core.tensor_shape import TensorShape  # noqa: PLC0415

    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    return convert_to_tensor(shape, dtype=dtypes.int32, name=scope + "shape/")


def _check_float(dt: dtypes.DType, op: str) -> None:
    if not dt.is_floating:
        raise ValueError(
            f"Invalid dtype {dt.name} for {op}: expected a floating point type (half, bfloat16, "
            "float32, float64)."
        )


def _random_core(op_type: str, shape_t: Tensor, dt: dtypes.DType, seed: Any, attrs: dict[str, Any]
                 ) -> Tensor:  # fmt: skip
    seed1, seed2 = get_seed(seed)
    a = {"dtype": dt, "T": shape_t._dtype, "seed": seed1 or 0, "seed2": seed2 or 0, **attrs}
    return make_op(op_type, (shape_t,), a, op_type, dt, shape_from_tensor(shape_t))


def random_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = dtypes.float32,
                  seed: int | None = None, name: str | None = None) -> Tensor:  # fmt: skip
    """Samples from N(mean, stddev²) (``tf.random_normal``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.random_normal([5, 5, 32, 32]).name)
    random_normal:0
    """
    dt = dtypes.as_dtype(dtype).base_dtype
    g = get_default_graph()
    with g.name_scope(name or "random_normal") as scope:
        shape_t = _shape_tensor(shape, scope)
        mean_t = convert_to_tensor(mean, dtype=dt, name="mean")
        std_t = convert_to_tensor(stddev, dtype=dt, name="stddev")
        _check_float(dt, "random_normal")
        rnd = _random_core("RandomStandardNormal", shape_t, dt, seed, {})
        mul = math_ops.multiply(rnd, std_t, name="mul")
        return math_ops.add(mul, mean_t, name=scope)


def truncated_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = dtypes.float32,
                     seed: int | None = None, name: str | None = None) -> Tensor:  # fmt: skip
    """Samples from N(mean, stddev²) redrawn outside two stddevs (``tf.truncated_normal``)."""
    dt = dtypes.as_dtype(dtype).base_dtype
    g = get_default_graph()
    with g.name_scope(name or "truncated_normal") as scope:
        shape_t = _shape_tensor(shape, scope)
        mean_t = convert_to_tensor(mean, dtype=dt, name="mean")
        std_t = convert_to_tensor(stddev, dtype=dt, name="stddev")
        _check_float(dt, "truncated_normal")
        rnd = _random_core("TruncatedNormal", shape_t, dt, seed, {})
        mul = math_ops.multiply(rnd, std_t, name="mul")
        return math_ops.add(mul, mean_t, name=scope)


def random_uniform(shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = dtypes.float32,
                   seed: int | None = None, name: str | None = None) -> Tensor:  # fmt: skip
    """Samples from U[minval, maxval) (``tf.random_uniform``); integers need ``maxval``."""
    dt = dtypes.as_dtype(dtype).base_dtype
    accepted = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.int32,
                dtypes.int64)  # fmt: skip
    if dt not in accepted:
        raise ValueError(
            f"Argument `dtype` got invalid value {dt}. Accepted dtypes are {accepted}."
        )
    if maxval is None:
        if dt.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dt!r}")
        maxval = 1
    # As TF: the default float range [0, 1) given as Python ints builds no min/max constants
    # and no arithmetic (the output is the RandomUniform op); an int 0 minval skips the add.
    minval_is_zero = isinstance(minval, int) and minval == 0
    maxval_is_one = isinstance(maxval, int) and maxval == 1
    g = get_default_graph()
    with g.name_scope(name or "random_uniform") as scope:
        shape_t = _shape_tensor(shape, scope)
        if not minval_is_zero or not maxval_is_one or dt.is_integer:
            min_t = convert_to_tensor(minval, dtype=dt, name="min")
            max_t = convert_to_tensor(maxval, dtype=dt, name="max")
        if dt.is_integer:
            seed1, seed2 = get_seed(seed)
            return make_op(
                "RandomUniformInt",
                (shape_t, min_t, max_t),
                {"Tout": dt, "T": shape_t._dtype, "seed": seed1 or 0, "seed2": seed2 or 0},
                scope,
                dt,
                shape_from_tensor(shape_t),
            )
        rnd = _random_core("RandomUniform", shape_t, dt, seed, {})
        if minval_is_zero:
            return rnd if maxval_is_one else math_ops.multiply(rnd, max_t, name="Mul")
        rng = math_ops.subtract(max_t, min_t, name="sub")
        mul = math_ops.multiply(rnd, rng, name="mul")
        return math_ops.add(mul, min_t, name=scope)


# --- kernels -------------------------------------------------------------------------------------


def _random_state(op: Operation, session: Any) -> TFRandomState:
    """The op's generator in ``session`` (TF: one per kernel, i.e. per op and session)."""
    return session._op_state_for(op, lambda: new_state(op._attrs))  # type: ignore[no-any-return]


def _dims(shape_value: Any) -> list[int]:
    return [int(d) for d in shape_value.tolist()]


@register_kernel("RandomStandardNormal", stateful=True)
def _normal_kernel(op: Operation, session: Any) -> Any:
    state = _random_state(op, session)
    tdt = torch_dtype(op._attrs["dtype"])
    return lambda s: state.normal(_dims(s), tdt)


@register_kernel("RandomUniform", stateful=True)
def _uniform_kernel(op: Operation, session: Any) -> Any:
    state = _random_state(op, session)
    tdt = torch_dtype(op._attrs["dtype"])
    return lambda s: state.uniform(_dims(s), tdt)


@register_kernel("RandomUniformInt", stateful=True)
def _uniform_int_kernel(op: Operation, session: Any) -> Any:
    from scopeflow.errors import InvalidArgumentError  # noqa: PLC0415

    state = _random_state(op, session)
    tdt = torch_dtype(op._attrs["Tout"])

    def kernel(s: Any, lo: Any, hi: Any) -> Any:
        for name, v in (("minval", lo), ("maxval", hi)):
            if v.dim() != 0:
                shape = ",".join(str(d) for d in v.shape)
                raise InvalidArgumentError(None, op, f"{name} must be 0-D, got shape [{shape}]")
        low, high = int(lo), int(hi)
        if low >= high:
            raise InvalidArgumentError(None, op, f"Need minval < maxval, got {low} >= {high}")
        return state.uniform_int(_dims(s), low, high, tdt)

    return kernel


@register_kernel("TruncatedNormal", stateful=True)
def _truncated_kernel(op: Operation, session: Any) -> Any:
    state = _random_state(op, session)
    tdt = torch_dtype(op._attrs["dtype"])
    return lambda s: state.truncated_normal(_dims(s), tdt)


# --- multinomial, shuffle, crop ----------------------------------------------------------------

_REAL = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.int8,
         dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8, dtypes.uint16, dtypes.uint32,
         dtypes.uint64)  # fmt: skip


def _multinomial(logits: Any, num_samples: Any, seed: Any, out_dt: Any, name: str | None,
                 default: str) -> Tensor:  # fmt: skip
    g = get_default_graph()
    with g.name_scope(name or default) as scope:
        lg = convert_to_tensor(logits, name="logits")
        if lg._dtype.base_dtype not in _REAL:
            names = ", ".join(d.name for d in _REAL)
            raise TypeError(
                f"Value passed to parameter 'logits' has DataType "
                f"{lg._dtype.base_dtype.name} not in list of allowed values: {names}"
            )
        seed1, seed2 = get_seed(seed)
        op_name = scope + "Multinomial"
        ns = convert_to_tensor(num_samples, dtype=dtypes.int32, name=op_name + "/num_samples/")
        if lg._shape.ndims not in (None, 2):
            raise ValueError(
                f"Shape must be rank 2 but is rank {lg._shape.ndims} for '{{{{node {op_name}}}}} "
                f"= Multinomial[T={_dt_enum(lg._dtype)}, output_dtype="
                f"{_dt_enum(out_dt)}, seed={seed1 or 0}, seed2={seed2 or 0}]({lg._op.name}, "
                f"{ns._op.name})' with input shapes: {lg._shape.as_list()}, []."
            )  # fmt: skip
        dims = lg._shape.dims
        batch = dims[0].value if dims else None
        n = None if ns._const is None else int(ns._const)
        attrs = {"T": lg._dtype.base_dtype, "output_dtype": out_dt, "seed": seed1 or 0,
                 "seed2": seed2 or 0}  # fmt: skip
        return make_op("Multinomial", (lg, ns), attrs, op_name + "/", out_dt,
                       TensorShape([batch, n]))  # fmt: skip


def multinomial(logits: Any, num_samples: Any, seed: int | None = None, name: str | None = None,
                output_dtype: Any = None) -> Tensor:  # fmt: skip
    """Samples class indices from ``softmax(logits[i])`` (``tf.multinomial``).

    The result has shape ``[batch, num_samples]`` and dtype ``int64`` unless ``output_dtype``.
    """
    dt = dtypes.int64 if output_dtype is None else dtypes.as_dtype(output_dtype).base_dtype
    if dt not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter 'output_dtype' has DataType {dt.name} not in "
                        "list of allowed values: int32, int64")  # fmt: skip
    return _multinomial(logits, num_samples, seed, dt, name, "multinomial")


def categorical(logits: Any, num_samples: Any, dtype: Any = None, seed: int | None = None,
                name: str | None = None) -> Tensor:  # fmt: skip
    """``tf.random.categorical``: ``multinomial`` with ``dtype`` (int32 or int64)."""
    dt = dtypes.int64 if dtype is None else dtypes.as_dtype(dtype).base_dtype
    if dt not in (dtypes.int32, dtypes.int64):
        raise ValueError(f"Argument `dtype` got invalid value <dtype: '{dt.name}'>. Accepted "
                         "dtypes are "
                         "(tf.int32, tf.int64).")  # fmt: skip
    return _multinomial(logits, num_samples, seed, dt, name, "categorical")


@register_kernel("Multinomial", stateful=True)
def _multinomial_kernel(op: Operation, session: Any) -> Any:
    state = _random_state(op, session)
    tdt = torch_dtype(op._attrs["output_dtype"])

    def kernel(logits: Any, n: Any) -> Any:
        from scopeflow.errors import InvalidArgumentError  # noqa: PLC0415

        try:
            return state.multinomial(logits.detach().to(torch.float64).numpy(), int(n), tdt)
        except ValueError as e:  # TF's shape/count checks
            raise InvalidArgumentError(None, op, str(e)) from None

    return kernel


def random_shuffle(value: Any, seed: int | None = None, name: str | None = None) -> Tensor:
    """``value`` with its first dimension randomly permuted (``tf.random_shuffle``)."""
    scope = _scope(name, "RandomShuffle")
    x = convert_to_tensor(value, name=scope + "value/")
    seed1, seed2 = get_seed(seed)
    attrs = {"T": x._dtype.base_dtype, "seed": seed1 or 0, "seed2": seed2 or 0}
    return make_op("RandomShuffle", (x,), attrs, scope, x._dtype.base_dtype, x._shape)


@register_kernel("RandomShuffle", stateful=True)
def _shuffle_kernel(op: Operation, session: Any) -> Any:
    state = _random_state(op, session)

    def kernel(x: Any) -> Any:
        if not isinstance(x, torch.Tensor):  # strings: NumPy object arrays
            if x.ndim == 0 or x.shape[0] <= 1 or x.size <= 1:
                return x.copy()
            return x[state.shuffle_permutation(x.shape[0])]
        if x.dim() == 0 or x.shape[0] <= 1 or x.numel() <= 1:
            return x.clone()
        return x[torch.from_numpy(state.shuffle_permutation(x.shape[0]))]

    return kernel


def random_crop(value: Any, size: Any, seed: int | None = None, name: str | None = None) -> Tensor:
    """A random ``size`` slice of ``value`` (``tf.random_crop``).

    Differences from TensorFlow: one ``RandomCrop`` op named ``random_crop`` replaces TF's
    ``Assert``/``random_uniform``/``Slice`` subgraph; the run-time error text is TF's.
    """
    g = get_default_graph()
    with g.name_scope(name or "random_crop") as scope:
        x = convert_to_tensor(value, name="value")
        sz = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        seed1, seed2 = get_seed(seed)
        out_shape = shape_from_tensor(sz)
        if sz._shape.ndims == 1 and x._shape.ndims is not None:
            n = sz._shape.as_list()[0]
            if n is not None and n != x._shape.ndims:
                raise ValueError(
                    f"Dimension 0 in both shapes must be equal, but are {x._shape.ndims} and {n}. "
                    f"Shapes are [{x._shape.ndims}] and [{n}]. for '{{{{node {scope[:-1]}}}}} = "
                    f"Slice[Index=DT_INT32, T={_dt_enum(x._dtype)}]({x._op.name}, "
                    f"{scope}mod, {sz._op.name})' with input shapes: "
                    f"{_shape_text(x._shape)}, [{x._shape.ndims}], [{n}]."
                )  # fmt: skip
        attrs = {"T": x._dtype.base_dtype, "seed": seed1 or 0, "seed2": seed2 or 0}
        return make_op("RandomCrop", (x, sz), attrs, scope, x._dtype.base_dtype, out_shape)


def _dt_enum(dt: Any) -> str:
    name = dt.base_dtype.name
    return "DT_" + {"float32": "FLOAT", "float64": "DOUBLE", "float16": "HALF"}.get(
        name, name.upper()
    )


def _shape_text(s: TensorShape) -> str:
    if s.dims is None:
        return "?"
    return "[" + ",".join("?" if d.value is None else str(d.value) for d in s.dims) + "]"


@register_kernel("RandomCrop", stateful=True)
def _crop_kernel(op: Operation, session: Any) -> Any:
    from scopeflow.errors import InvalidArgumentError  # noqa: PLC0415

    state = _random_state(op, session)

    def kernel(x: Any, size: Any) -> Any:
        sz = [int(s) for s in size.tolist()]
        shape = list(x.shape)
        if len(sz) != len(shape) or any(a < b for a, b in zip(shape, sz, strict=True)):
            raise InvalidArgumentError(
                None, op, "assertion failed: [Need value.shape >= size, got ] "
                f"[{' '.join(map(str, shape))}] [{' '.join(map(str, sz))}]"
            )  # fmt: skip
        # TF: random_uniform([rank], maxval=int32.max, dtype=int32) % (shape - size + 1)
        offs = state.uniform_int([len(shape)], 0, 2**31 - 1, torch.int32).tolist()
        starts = [o % (d - s + 1) for o, d, s in zip(offs, shape, sz, strict=True)]
        return x[tuple(slice(o, o + s) for o, s in zip(starts, sz, strict=True))]

    return kernel


__all__ = [
    "categorical",
    "multinomial",
    "random_crop",
    "random_shuffle",
    "get_seed",
    "random_normal",
    "random_uniform",
    "set_random_seed",
    "truncated_normal",
]
