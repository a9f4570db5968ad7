"""TF's candidate samplers (``tf.nn.*_candidate_sampler``) and ``compute_accidental_hits``.

The kernels are TF's CPU kernels (``candidate_sampler_ops.cc`` with ``range_sampler.cc``) step
for step. Each run reserves ``2048 * num_sampled`` 32-bit samples from the op's Philox generator
(``ReserveSamples32``) and draws from them a word at a time (``SimplePhilox``); with
``unique=True`` a draw already picked is rejected and drawn again, and the expected counts
become ``-expm1(num_tries * log1p(-p))`` (float32, the C library's ``log1pf``/``expm1f``). The
base distributions:

- uniform: ``Uniform64(range_max)`` (TF's exact rejection over 64-bit words), ``p = 1/range``;
- log-uniform: ``int(exp(RandDouble() * log1p(range))) - 1``,
  ``p = log((v + 2) / (v + 1)) / log1p(range)``;
- learned unigram: a ``WeightedPicker`` with every weight 1, each run's true classes adding 1
  after the draw (state of the kernel: kept for the session, as TF keeps it for the kernel);
- fixed unigram: Walker's alias table of ``DistributionSampler`` over ``powf(w, distortion)``
  (reserved ids weigh 0; a shard keeps ids with ``id % num_shards == shard``);
- all: ``[0, num_sampled)`` with counts 1.

With ``seed``/``seed2`` set the samples are TF's own.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError, NotFoundError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import _scope, node_desc
from scopeflow.ops._op_builder import dim_value, make_multi_op
from scopeflow.ops._philox import SingleSample
from scopeflow.ops._tf_random import new_state
from scopeflow.ops.random_ops import get_seed

_F32 = np.float32
_U32 = 0xFFFFFFFF
_U64 = (1 << 64) - 1
_INT32_MAX = 2**31 - 1
_2_POW_M23 = 2.0**-23
_2_POW_M52 = 2.0**-52


class CandidateSamplerOutput(NamedTuple):
    """The three outputs of a candidate sampler op."""

    sampled_candidates: Tensor
    true_expected_count: Tensor
    sampled_expected_count: Tensor


class UniformCandidateSampler(CandidateSamplerOutput):
    """``UniformCandidateSampler``'s outputs (TF's generated namedtuple name)."""

    __slots__ = ()


class LogUniformCandidateSampler(CandidateSamplerOutput):
    """``LogUniformCandidateSampler``'s outputs."""

    __slots__ = ()


class LearnedUnigramCandidateSampler(CandidateSamplerOutput):
    """``LearnedUnigramCandidateSampler``'s outputs."""

    __slots__ = ()


class FixedUnigramCandidateSampler(CandidateSamplerOutput):
    """``FixedUnigramCandidateSampler``'s outputs."""

    __slots__ = ()


class AllCandidateSampler(CandidateSamplerOutput):
    """``AllCandidateSampler``'s outputs."""

    __slots__ = ()


_OUTPUT_TYPES: dict[str, type[CandidateSamplerOutput]] = {
    t.__name__: t
    for t in (UniformCandidateSampler, LogUniformCandidateSampler,
              LearnedUnigramCandidateSampler, FixedUnigramCandidateSampler, AllCandidateSampler)
}  # fmt: skip


class ComputeAccidentalHits(NamedTuple):
    """The outputs of ``ComputeAccidentalHits``."""

    indices: Tensor
    ids: Tensor
    weights: Tensor


# --- the C library's float functions TF's kernels call ---------------------------------------


def _libm_float_fn(name: str) -> Callable[..., float] | None:
    path = ctypes.util.find_library("m")
    if path is None:
        return None
    fn = getattr(ctypes.CDLL(path), name, None)
    if fn is None:
        return None
    fn.restype = ctypes.c_float
    fn.argtypes = [ctypes.c_float] * (2 if name == "powf" else 1)
    return fn  # type: ignore[no-any-return]


_LOG1PF = _libm_float_fn("log1pf")
_EXPM1F = _libm_float_fn("expm1f")
_POWF = _libm_float_fn("powf")


def _log1pf_all(x: np.ndarray) -> list[float]:
    if _LOG1PF is None:
        return np.log1p(x).tolist()  # type: ignore[no-any-return]
    return [_LOG1PF(v) for v in x.tolist()]


def _expm1f_all(x: np.ndarray) -> list[float]:
    if _EXPM1F is None:
        return np.expm1(x).tolist()  # type: ignore[no-any-return]
    return [_EXPM1F(v) for v in x.tolist()]


def _powf(x: np.float32, y: np.float32) -> np.float32:
    return _F32(_POWF(float(x), float(y))) if _POWF else _F32(np.power(_F32(x), _F32(y)))


# --- SimplePhilox ------------------------------------------------------------------------------


class _SimplePhilox:
    """TF's ``SimplePhilox``: a reservation's Philox words one at a time."""

    def __init__(self, key: int, counter: int) -> None:
        self.rand32 = SingleSample.at(key, counter)

    def rand64(self) -> int:
        lo = self.rand32()
        return lo | (self.rand32() << 32)

    def rand_float(self) -> np.float32:
        # Uint32ToFloat: (1 + m / 2**23) - 1 is exactly m / 2**23 for the 23 mantissa bits m.
        return _F32((self.rand32() & 0x7FFFFF) * _2_POW_M23)

    def rand_double(self) -> float:
        # Uint64ToDouble: 20 bits of the first word over 32 of the second, exactly m / 2**52.
        hi = self.rand32()
        return (((hi & 0xFFFFF) << 32) | self.rand32()) * _2_POW_M52

    def rand_doubles(self, n: int) -> list[float]:
        """``n`` successive ``rand_double()`` values (2 words each), computed together."""
        w = np.array(self.rand32.take(2 * n), dtype=np.uint64)
        m = ((w[0::2] & np.uint64(0xFFFFF)) << np.uint64(32)) | w[1::2]
        return (m.astype(np.float64) * _2_POW_M52).tolist()  # type: ignore[no-any-return]

    def uniform(self, n: int) -> int:
        return _exact_uniform(n, self.rand32, _U32)

    def uniform64(self, n: int) -> int:
        return _exact_uniform(n, self.rand64, _U64)


def _exact_uniform(n: int, rand: Callable[[], int], full: int) -> int:
    """``ExactUniformInt``: ``[0, n)`` rejecting the lowest ``(2**bits - 1) % n + 1`` words."""
    if n == 0:
        rand()
        return 0
    if n & (n - 1) == 0:
        return rand() & (n - 1)
    rem = full % n + 1
    while True:
        rnd = rand()
        if rnd >= rem:
            return rnd % n


# --- range samplers ----------------------------------------------------------------------------


_Batch = tuple[list[int], list[float], list[float]]


class _RangeSampler:
    """``RangeSampler``: ``sample`` one value, ``probability`` (float32) of a value."""

    needs_updates = False

    def __init__(self, range_: int) -> None:
        self.range = range_

    def sample(self, rnd: _SimplePhilox) -> int:
        raise NotImplementedError

    def probability(self, value: int) -> np.float32:
        raise NotImplementedError

    def sample_many(self, rnd: _SimplePhilox, n: int) -> list[int]:
        """``n`` successive ``sample`` draws."""
        return [self.sample(rnd) for _ in range(n)]

    def probabilities(self, values: Sequence[int]) -> np.ndarray:
        """``probability`` of each value, as a float32 array."""
        return np.array([self.probability(v) for v in values], dtype=np.float32)

    def update(self, values: Sequence[int]) -> None:
        """Learns from the run's true classes (learned unigram only)."""

    def sample_batch(self, rnd: _SimplePhilox, unique: bool, num_sampled: int,
                     extras: Sequence[int]) -> _Batch:  # fmt: skip
        """``SampleBatchGetExpectedCount``: candidates, their expected counts, the extras'."""
        batch: list[int] = []
        if unique:
            used: set[int] = set()
            num_tries = 0
            # draws in chunks of the values still missing; words drawn after the batch is full
            # are never used (each run has its own reservation)
            while len(batch) < num_sampled:
                for value in self.sample_many(rnd, num_sampled - len(batch)):
                    num_tries += 1
                    if value not in used:
                        used.add(value)
                        batch.append(value)
                        if len(batch) == num_sampled:
                            break
        else:
            batch = self.sample_many(rnd, num_sampled)
            num_tries = num_sampled

        p = self.probabilities([*batch, *extras])
        if num_tries == num_sampled:
            counts = p * _F32(num_sampled)
        else:  # -expm1(num_tries * log1p(-p)) in float32, as TF's ExpectedCountHelper
            logs = np.array(_log1pf_all(-p), dtype=np.float32) * _F32(num_tries)
            counts = -np.array(_expm1f_all(logs), dtype=np.float32)
        out = counts.tolist()
        return batch, out[:num_sampled], out[num_sampled:]


class _AllSampler(_RangeSampler):
    def sample_batch(self, rnd: _SimplePhilox, unique: bool, num_sampled: int,
                     extras: Sequence[int]) -> _Batch:  # fmt: skip
        return list(range(num_sampled)), [1.0] * num_sampled, [1.0] * len(extras)


class _UniformSampler(_RangeSampler):
    def __init__(self, range_: int) -> None:
        super().__init__(range_)
        self._p = _F32(1.0 / range_)

    def sample(self, rnd: _SimplePhilox) -> int:
        return rnd.uniform64(self.range)

    def probability(self, value: int) -> np.float32:
        return self._p


class _LogUniformSampler(_RangeSampler):
    def __init__(self, range_: int) -> None:
        super().__init__(range_)
        self._log_range = math.log1p(range_)

    def sample(self, rnd: _SimplePhilox) -> int:
        value = int(math.exp(rnd.rand_double() * self._log_range)) - 1
        return value % self.range

    def probability(self, value: int) -> np.float32:
        return _F32(math.log((value + 2.0) / (value + 1.0)) / self._log_range)

    def sample_many(self, rnd: _SimplePhilox, n: int) -> list[int]:
        lr, exp, r = self._log_range, math.exp, self.range
        return [(int(exp(d * lr)) - 1) % r for d in rnd.rand_doubles(n)]

    def probabilities(self, values: Sequence[int]) -> np.ndarray:
        lr, log = self._log_range, math.log  # libm's log in double, then one float32 rounding
        return np.array([log((v + 2.0) / (v + 1.0)) / lr for v in values]).astype(np.float32)


class _LearnedUnigramSampler(_RangeSampler):
    """``UnigramSampler``: a ``WeightedPicker`` of int32 weights, all 1 at first."""

    needs_updates = True

    def __init__(self, range_: int) -> None:
        super().__init__(range_)
        self._weights = np.ones(range_, dtype=np.int64)
        self._cum: np.ndarray | None = None
        self._total = range_

    def sample(self, rnd: _SimplePhilox) -> int:
        position = rnd.uniform(self._total)
        if self._cum is None:
            self._cum = np.cumsum(self._weights)
        # The picker's tree walk finds the leaf whose cumulative weight first exceeds position.
        return int(np.searchsorted(self._cum, position, side="right"))

    def probability(self, value: int) -> np.float32:
        return _F32(_F32(int(self._weights[value])) / _F32(self._total))

    def update(self, values: Sequence[int]) -> None:
        count = min(len(values), _INT32_MAX - self._total)
        for v in values[:count]:
            self._weights[v] += 1
        self._total += count
        self._cum = None


class _FixedUnigramSampler(_RangeSampler):
    """``FixedUnigramSampler`` with its ``DistributionSampler`` (Walker's alias method)."""

    def __init__(self, range_: int, weights: list[np.float32], total: np.float32) -> None:
        super().__init__(range_)
        self._weights = weights
        self._total = total
        n = len(weights)
        total_d = 0.0
        for w in weights:
            total_d += float(w)
        pr = [float(_F32(w * _F32(n))) / total_d for w in weights]
        alt = [-1] * n
        low = [i for i in range(n) if pr[i] < 1.0]
        high = [i for i in range(n) if pr[i] >= 1.0]
        while high and low:
            lo_i, hi_i = low.pop(), high.pop()
            alt[lo_i] = hi_i
            pr[hi_i] -= 1.0 - pr[lo_i]
            (low if pr[hi_i] < 1.0 else high).append(hi_i)
        prob = [_F32(p) for p in pr]
        for idx in high + low:
            prob[idx], alt[idx] = _F32(1.0), idx
        self._prob, self._alt = prob, alt

    def sample(self, rnd: _SimplePhilox) -> int:
        r = rnd.rand_float()
        idx = rnd.uniform(len(self._prob))
        return idx if r < self._prob[idx] else self._alt[idx]

    def probability(self, value: int) -> np.float32:
        if value < 0 or value >= len(self._weights):
            return _F32(0.0)
        return _F32(self._weights[value] / self._total)


def _fixed_unigram(attrs: dict[str, Any], op: Any) -> _FixedUnigramSampler:
    vocab_file, unigrams = attrs["vocab_file"], attrs["unigrams"]
    if not vocab_file and not unigrams:
        raise InvalidArgumentError(None, op, "Must provide either vocab_file or unigrams.")
    if vocab_file and unigrams:
        raise InvalidArgumentError(None, op, "Must only provide one of vocab_file and unigrams.")
    distortion = _F32(attrs["distortion"])
    num_shards, shard = attrs["num_shards"], attrs["shard"]
    weights = [_F32(0.0) for i in range(attrs["num_reserved_ids"]) if i % num_shards == shard]
    total = _F32(0.0)
    word_id = len(weights)
    if vocab_file:
        try:
            text = Path(vocab_file).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise NotFoundError(None, op, f"{vocab_file}; No such file or directory") from None
        counts: list[str] = []
        for line in text.split("\n")[: -1 if text.endswith("\n") else None]:
            counts.append(line.split(",")[-1])
    else:
        counts = [repr(float(u)) for u in unigrams]
    for raw in counts:
        if word_id % num_shards == shard:
            try:
                w = _F32(float(raw))
            except ValueError:
                raise InvalidArgumentError(
                    None, op, f"Wrong vocabulary format at line: {raw}"
                ) from None
            w = _powf(w, distortion)
            total = _F32(total + w)
            weights.append(w)
        word_id += 1
    if attrs["range_max"] != len(weights):
        raise InvalidArgumentError(
            None, op,
            f"range is {attrs['range_max']} must be equal to weights size  {len(weights)}",
        )  # fmt: skip
    return _FixedUnigramSampler(attrs["range_max"], weights, total)


def _make_sampler(op: Any) -> _RangeSampler:
    attrs = op._attrs
    kind = op._type
    if kind == "AllCandidateSampler":
        return _AllSampler(attrs["num_sampled"])
    if kind == "FixedUnigramCandidateSampler":
        return _fixed_unigram(attrs, op)
    range_max = attrs["range_max"]
    if range_max <= 0:
        raise InvalidArgumentError(None, op, "range_max must be positive")
    if kind == "LearnedUnigramCandidateSampler":
        if range_max >= _INT32_MAX:
            raise InvalidArgumentError(
                None, op, f"range_max must be less than {_INT32_MAX} for unigram samplers, "
                f"got {range_max}",
            )  # fmt: skip
        return _LearnedUnigramSampler(range_max)
    if kind == "UniformCandidateSampler":
        return _UniformSampler(range_max)
    return _LogUniformSampler(range_max)


class _SamplerState:
    def __init__(self, op: Any) -> None:
        self.random = new_state(op._attrs)
        self.sampler = _make_sampler(op)


def _sampler_kernel(op: Any, session: Any) -> Callable[..., Any]:
    state = session._op_state_for(op, lambda: _SamplerState(op))
    num_sampled, num_true, unique = (op._attrs[k] for k in ("num_sampled", "num_true", "unique"))

    def kernel(true_classes: Any) -> Any:
        if true_classes.dim() != 2:
            raise InvalidArgumentError(None, op, "true_classes must be a matrix")
        if true_classes.shape[1] != num_true:
            raise InvalidArgumentError(
                None, op, "true_classes must have num_true columns, expected: "
                f"{true_classes.shape[1]} was: {num_true}",
            )  # fmt: skip
        sampler = state.sampler
        if unique and num_sampled > sampler.range:
            raise InvalidArgumentError(None, op, "Sampler's range is too small.")
        true = true_classes.reshape(-1).tolist()
        for c in true:
            if not 0 <= c < sampler.range:
                raise InvalidArgumentError(
                    None, op, f"`true_candidate` out of range [0, {sampler.range}), received {c}"
                )
        rnd = _SimplePhilox(state.random.key, state.random.reserve((2048 * num_sampled + 3) // 4))
        sampled, sampled_count, true_count = sampler.sample_batch(rnd, unique, num_sampled, true)
        if sampler.needs_updates:
            sampler.update(true)
        return (
            torch.tensor(sampled, dtype=torch.int64),
            torch.tensor(true_count, dtype=torch.float32).reshape(true_classes.shape),
            torch.tensor(sampled_count, dtype=torch.float32),
        )

    return kernel


for _op_type in (
    "UniformCandidateSampler",
    "LogUniformCandidateSampler",
    "LearnedUnigramCandidateSampler",
    "FixedUnigramCandidateSampler",
    "AllCandidateSampler",
):
    register_kernel(_op_type, stateful=True)(_sampler_kernel)


# --- graph construction ------------------------------------------------------------------------


def _min_attr(value: Any, attr: str, op_type: str, minimum: int) -> int:
    v = int(value)
    if v < minimum:
        raise ValueError(f"Attr '{attr}' of '{op_type}' Op passed {v} less than minimum {minimum}.")
    return v


def _build_sampler(op_type: str, true_classes: Any, num_true: Any, num_sampled: Any,
                   unique: Any, seed: int | None, name: str | None,
                   extra: dict[str, Any]) -> CandidateSamplerOutput:  # fmt: skip
    seed1, seed2 = get_seed(seed)
    scope = _scope(name, op_type)  # TF takes the name before it validates the attrs
    attrs: dict[str, Any] = {
        "num_true": _min_attr(num_true, "num_true", op_type, 1),
        "num_sampled": _min_attr(num_sampled, "num_sampled", op_type, 1),
        "unique": bool(unique),
        **{k: v(op_type) if callable(v) else v for k, v in extra.items()},
        "seed": int(seed1 or 0),
        "seed2": int(seed2 or 0),
    }
    x = convert_to_tensor(true_classes, dtype=dtypes.int64, name=scope + "true_classes/")
    if x._shape.ndims is not None and x._shape.ndims != 2:
        text = ", ".join(f"{k}={_attr_text(attrs[k])}" for k in sorted(attrs))
        raise ValueError(
            f"Shape must be rank 2 but is rank {x._shape.ndims} for "
            f"{node_desc(scope, op_type, text, [x])} with input shapes: {_shape_text(x._shape)}."
        )
    batch = dim_value(x._shape[0]) if x._shape.ndims is not None else None
    vec = TensorShape([attrs["num_sampled"]])
    op = make_multi_op(op_type, (x,), attrs, scope, (dtypes.int64, dtypes.float32, dtypes.float32),
                       (vec, TensorShape([batch, attrs["num_true"]]), vec))  # fmt: skip
    return _OUTPUT_TYPES[op_type](*op.outputs)


def _attr_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, list):
        return "[" + ", ".join(_attr_text(x) for x in v) + "]"
    return str(v)


def _shape_text(shape: TensorShape) -> str:
    if shape._dims is None:
        return "?"
    return "[" + ",".join("?" if d.value is None else str(d.value) for d in shape._dims) + "]"


def _range_max(value: Any) -> Callable[[str], int]:
    return lambda op_type: _min_attr(value, "range_max", op_type, 1)


def uniform_candidate_sampler(true_classes: Any, num_true: Any, num_sampled: Any, unique: Any,
                              range_max: Any, seed: int | None = None, name: str | None = None
                              ) -> CandidateSamplerOutput:  # fmt: skip
    """Samples ``num_sampled`` classes uniformly from ``[0, range_max)`` (TF's kernel).

    >>> import scopeflow.compat.v1 as tf
    >>> s = tf.nn.uniform_candidate_sampler([[1], [2]], 1, 4, True, 10)
    >>> s.sampled_candidates.name, s.true_expected_count.shape.as_list()
    ('UniformCandidateSampler:0', [2, 1])
    """
    return _build_sampler("UniformCandidateSampler", true_classes, num_true, num_sampled, unique,
                          seed, name, {"range_max": _range_max(range_max)})  # fmt: skip


def log_uniform_candidate_sampler(true_classes: Any, num_true: Any, num_sampled: Any,
                                  unique: Any, range_max: Any, seed: int | None = None,
                                  name: str | None = None) -> CandidateSamplerOutput:  # fmt: skip
    """Samples classes from TF's log-uniform (Zipfian) distribution over ``[0, range_max)``."""
    return _build_sampler("LogUniformCandidateSampler", true_classes, num_true, num_sampled,
                          unique, seed, name, {"range_max": _range_max(range_max)})  # fmt: skip


def learned_unigram_candidate_sampler(true_classes: Any, num_true: Any, num_sampled: Any,
                                      unique: Any, range_max: Any, seed: int | None = None,
                                      name: str | None = None
                                      ) -> CandidateSamplerOutput:  # fmt: skip
    """Samples from the unigram distribution of the true classes seen so far (TF's kernel)."""
    return _build_sampler("LearnedUnigramCandidateSampler", true_classes, num_true, num_sampled,
                          unique, seed, name, {"range_max": _range_max(range_max)})  # fmt: skip


def fixed_unigram_candidate_sampler(true_classes: Any, num_true: Any, num_sampled: Any,
                                    unique: Any, range_max: Any, vocab_file: str = "",
                                    distortion: float = 1.0, num_reserved_ids: int = 0,
                                    num_shards: int = 1, shard: int = 0, unigrams: Any = (),
                                    seed: int | None = None, name: str | None = None
                                    ) -> CandidateSamplerOutput:  # fmt: skip
    """Samples from a fixed unigram distribution (``unigrams`` or a CSV ``vocab_file``)."""
    op_type = "FixedUnigramCandidateSampler"
    extra = {
        "range_max": _range_max(range_max),
        "vocab_file": str(vocab_file or ""),
        "distortion": float(distortion),
        "num_reserved_ids": int(num_reserved_ids),
        "num_shards": lambda t: _min_attr(num_shards, "num_shards", t, 1),
        "shard": lambda t: _min_attr(shard, "shard", t, 0),
        "unigrams": [float(u) for u in unigrams],
    }
    return _build_sampler(op_type, true_classes, num_true, num_sampled, unique, seed, name, extra)


def all_candidate_sampler(true_classes: Any, num_true: Any, num_sampled: Any, unique: Any,
                          seed: int | None = None, name: str | None = None
                          ) -> CandidateSamplerOutput:  # fmt: skip
    """All classes ``[0, num_sampled)`` with expected counts 1 (for tests)."""
    return _build_sampler("AllCandidateSampler", true_classes, num_true, num_sampled, unique,
                          seed, name, {})  # fmt: skip


def compute_accidental_hits(true_classes: Any, sampled_candidates: Any, num_true: Any,
                            seed: int | None = None, name: str | None = None
                            ) -> ComputeAccidentalHits:  # fmt: skip
    """The ``(row, sampled position, -FLT_MAX)`` triples where a sampled class is a true one."""
    seed1, seed2 = get_seed(seed)
    scope = _scope(name, "ComputeAccidentalHits")
    t = convert_to_tensor(true_classes, dtype=dtypes.int64, name=scope + "true_classes/")
    s = convert_to_tensor(sampled_candidates, dtype=dtypes.int64,
                          name=scope + "sampled_candidates/")  # fmt: skip
    attrs = {"num_true": int(num_true), "seed": int(seed1 or 0), "seed2": int(seed2 or 0)}
    for x, rank in ((t, 2), (s, 1)):
        if x._shape.ndims is not None and x._shape.ndims != rank:
            raise ValueError(f"Shape must be rank {rank} but is rank {x._shape.ndims}")
    vec = TensorShape([None])
    op = make_multi_op("ComputeAccidentalHits", (t, s), attrs, scope,
                       (dtypes.int32, dtypes.int64, dtypes.float32), (vec, vec, vec))  # fmt: skip
    return ComputeAccidentalHits(*op.outputs)


@register_kernel("ComputeAccidentalHits")
def _accidental_hits_kernel(op: Any, session: Any) -> Callable[..., Any]:
    num_true = op._attrs["num_true"]

    def kernel(true_classes: Any, sampled: Any) -> Any:
        if true_classes.dim() != 2 or true_classes.shape[1] != num_true:
            raise InvalidArgumentError(
                None, op, "true_candidates must be a batch_size * num_true matrix"
            )
        if sampled.dim() != 1:
            raise InvalidArgumentError(
                None, op, "sampled_candidates must be a vector, which is typically an output "
                "from CandidateSampler",
            )  # fmt: skip
        pos = {v: i for i, v in enumerate(sampled.tolist())}
        indices, ids = [], []
        for row, values in enumerate(true_classes.tolist()):
            for v in values:
                if v in pos:
                    indices.append(row)
                    ids.append(pos[v])
        weights = torch.full((len(ids),), -float(np.finfo(np.float32).max), dtype=torch.float32)
        return (torch.tensor(indices, dtype=torch.int32), torch.tensor(ids, dtype=torch.int64),
                weights)  # fmt: skip

    return kernel


__all__ = [
    "CandidateSamplerOutput",
    "all_candidate_sampler",
    "compute_accidental_hits",
    "fixed_unigram_candidate_sampler",
    "learned_unigram_candidate_sampler",
    "log_uniform_candidate_sampler",
    "uniform_candidate_sampler",
]
