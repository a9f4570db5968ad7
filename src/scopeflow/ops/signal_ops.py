"""``tf.signal``'s composite functions: framing, windows, STFT, mel filters, MFCCs and DCTs.

TF 1.15's ``tf.signal`` builds these from ordinary ops under a name scope of the function's name
(``frame``, ``overlap_and_add``, ``hann_window``, ``stft``, ``inverse_stft``,
``linear_to_mel_weight_matrix``, ``mfccs_from_log_mel_spectrograms``, ``dct``); so does this
module, with TF's published math (``tensorflow/python/ops/signal``): the raised-cosine windows
are TF's op sequence (``<scope>/sub_2`` is the window, as in TF), ``stft`` is ``frame`` then the
window then ``rfft`` (``stft/rfft``), ``inverse_stft`` is ``irfft``, crop/pad to
``frame_length``, window and ``overlap_and_add``; the DCTs are TF's RFFT-based formulas (types
1-3, ``norm=None`` or ``"ortho"``; TF 1.15 has no type 4, which TF 2 added). Values agree
with TF to float32 rounding; gradients come from torch autograd through the underlying ops.

Differences from TensorFlow: ``frame`` gathers the frames with one ``GatherV2`` of a
frame-index matrix and ``overlap_and_add`` sums them with ``UnsortedSegmentSum`` (TF uses
reshapes and strided slices), so the ops inside those scopes and the output op's name differ
from TF's (the scope, static shape, dtype and values are TF's). ``frame`` with ``pad_end=True``
needs the signal's rank to be known.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import fft_ops
from scopeflow.ops._math_common import _scope, name_scope
from scopeflow.ops.array_extra_ops import lin_space
from scopeflow.ops.array_ops import concat, ones, reshape, shape, stack
from scopeflow.ops.creation_ops import range as range_op
from scopeflow.ops.gather_scatter_ops import gather
from scopeflow.ops.math_extra_ops import complex as complex_op
from scopeflow.ops.math_extra_ops import real
from scopeflow.ops.math_ops import (
    add,
    cast,
    floordiv,
    floormod,
    maximum,
    minimum,
    multiply,
    subtract,
)
from scopeflow.ops.reduction_ops import reduce_sum
from scopeflow.ops.shape_ops import expand_dims, pad, tile, transpose
from scopeflow.ops.sparse_ops import unsorted_segment_sum
from scopeflow.ops.split_ops import split
from scopeflow.ops.unary_ops import cos, exp, log, rsqrt, sqrt, square


def _static_int(t: Tensor) -> int | None:
    val = t._const
    if val is None:
        return None
    arr = np.asarray(val)
    return int(arr) if arr.ndim == 0 else None


def _scalar(value: Any, name: str, dtype: Any = None) -> Tensor:
    t = convert_to_tensor(value, dtype=dtype, name=name)
    t._shape.assert_has_rank(0)
    return t


# --- frame / overlap_and_add ----------------------------------------------------------------


def frame(signal: Any, frame_length: Any, frame_step: Any, pad_end: bool = False,
          pad_value: Any = 0, axis: int = -1, name: str | None = None) -> Tensor:  # fmt: skip
    """Frames of ``frame_length`` samples every ``frame_step`` along ``axis`` (``tf.signal.frame``).

    The result has ``axis`` replaced by ``[frames, frame_length]``. With ``pad_end`` the end is
    padded with ``pad_value`` so that every sample is in a frame: ``ceil(n / frame_step)``
    frames; otherwise ``max(0, 1 + (n - frame_length) // frame_step)`` frames.

    >>> import scopeflow.compat.v1 as tf
    >>> f = tf.signal.frame(tf.range(6), 3, 2)
    >>> f.shape.as_list(), tf.Session().run(f).tolist()
    ([2, 3], [[0, 1, 2], [2, 3, 4]])
    """
    scope = _scope(name, "frame")
    with name_scope(scope):
        x = convert_to_tensor(signal, name="signal")
        fl = _scalar(frame_length, "frame_length")
        fs = _scalar(frame_step, "frame_step")
        ax_t = _scalar(axis, "axis")
        x._shape.with_rank_at_least(1)
        ax = _static_int(ax_t)
        if ax is None:
            raise UnsupportedError("tf.signal.frame with a non-constant axis")
        nd = x._shape.ndims
        if nd is not None:
            ax = ax % nd
        n_static = None if nd is None else x._shape.as_list()[ax]
        dims_in = None if nd is None else x._shape.as_list()
        fl_v, fs_v = _static_int(fl), _static_int(fs)
        if pad_end:
            if nd is None:
                raise UnsupportedError("tf.signal.frame(pad_end=True) of a signal of unknown rank")
            if None not in (n_static, fl_v, fs_v):
                nf = -(-n_static // fs_v)  # type: ignore[operator]
                extra = max(0, fl_v + fs_v * (nf - 1) - n_static)  # type: ignore[operator]
                if extra:
                    pads = [[0, 0]] * nd
                    pads[ax] = [0, extra]
                    x = pad(x, pads, constant_values=pad_value)
                n_static = n_static + extra  # type: ignore[operator]
            else:
                length = shape(x)[ax]
                nf_t = floordiv(add(length, subtract(fs, 1)), fs)
                extra_t = maximum(0, subtract(add(fl, multiply(fs, subtract(nf_t, 1))), length))
                rows = [[0, 0]] * nd
                pads_t = stack([stack(r) if i != ax else stack([0, extra_t])
                                for i, r in enumerate(rows)])  # fmt: skip
                x = pad(x, pads_t, constant_values=pad_value)
                padded = list(dims_in or [])
                padded[ax] = None
                x.set_shape(padded)
        if None not in (n_static, fl_v, fs_v):
            nf = max(0, 1 + (n_static - fl_v) // fs_v)  # type: ignore[operator]
            idx = np.arange(nf)[:, None] * fs_v + np.arange(int(fl_v))[None, :]  # type: ignore[arg-type]
            indices: Tensor = convert_to_tensor(idx.astype(np.int32))
        else:
            length = shape(x)[ax]
            nf_t = maximum(0, add(1, floordiv(subtract(length, fl), fs)))
            starts = multiply(expand_dims(range_op(nf_t), 1), fs)
            indices = add(starts, expand_dims(range_op(fl), 0))
        return gather(x, indices, axis=ax)


def overlap_and_add(signal: Any, frame_step: Any, name: str | None = None) -> Tensor:
    """Sums frames ``[..., frames, frame_length]`` placed ``frame_step`` apart.

    The result is ``[..., (frames - 1) * frame_step + frame_length]``
    (``tf.signal.overlap_and_add``).

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.signal.overlap_and_add(tf.ones([3, 4]), 2)
    >>> tf.Session().run(y).tolist()
    [1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0]
    """
    scope = _scope(name, "overlap_and_add")
    with name_scope(scope):
        x = convert_to_tensor(signal, name="signal")
        x._shape.with_rank_at_least(2)
        fs = convert_to_tensor(frame_step, name="frame_step")
        fs._shape.assert_has_rank(0)
        if not fs._dtype.base_dtype.is_integer:
            raise ValueError(f"frame_step must be an integer. Got {fs.dtype}")
        nd = x._shape.ndims
        dims = None if nd is None else x._shape.as_list()
        fs_v = _static_int(fs)
        static_len = None
        if dims is not None and dims[-2] is not None and dims[-1] is not None and fs_v is not None:
            static_len = (dims[-2] - 1) * fs_v + dims[-1]
        sh = shape(x)
        frames, flen = sh[-2], sh[-1]
        out_len = add(multiply(subtract(frames, 1), fs), flen)
        flat = reshape(x, concat([[-1], sh[-2:]], 0))
        t = transpose(flat, [1, 2, 0])
        ids = add(multiply(expand_dims(range_op(frames), 1), fs), expand_dims(range_op(flen), 0))
        summed = unsorted_segment_sum(t, ids, out_len)
        out = reshape(transpose(summed, [1, 0]), concat([sh[:-2], expand_dims(out_len, 0)], 0))
        if dims is not None:
            out.set_shape(TensorShape([*dims[:-2], static_len]))
        return out


# --- windows ---------------------------------------------------------------------------------


def _raised_cosine_window(name: str | None, default_name: str, window_length: Any,
                          periodic: Any, dtype: Any, a: float, b: float) -> Tensor:  # fmt: skip
    dt = dtypes.as_dtype(dtype)
    if not dt.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {dt}")
    scope = _scope(name, default_name)
    with name_scope(scope):
        wl = _scalar(window_length, "window_length", dtypes.int32)
        wl_v = _static_int(wl)
        if wl_v == 1:
            return ones([1], dtype=dt)
        per = cast(_scalar(periodic, "periodic", dtypes.bool), dtypes.int32)
        even = 1 - floormod(wl, 2, name="mod")
        n = cast(wl + per * even - 1, dt)
        count = cast(range_op(wl), dt)
        cos_arg = convert_to_tensor(2 * np.pi, dtype=dt) * count / n
        window: Tensor = a - b * cos(cos_arg)
        if wl_v is not None:
            return window
        from scopeflow.ops.control_flow_ops import cond  # noqa: PLC0415
        from scopeflow.ops.math_ops import equal  # noqa: PLC0415

        return cond(equal(wl, 1), lambda: ones([1], dtype=dt), lambda: window)


def hann_window(window_length: Any, periodic: Any = True, dtype: Any = dtypes.float32,
                name: str | None = None) -> Tensor:  # fmt: skip
    """The Hann window ``0.5 - 0.5 cos(2 pi n / N)`` (``tf.signal.hann_window``).

    >>> import scopeflow.compat.v1 as tf
    >>> w = tf.signal.hann_window(4)
    >>> w.name, tf.Session().run(w).tolist()
    ('hann_window/sub_2:0', [0.0, 0.5, 1.0, 0.5])
    """
    return _raised_cosine_window(name, "hann_window", window_length, periodic, dtype, 0.5, 0.5)


def hamming_window(window_length: Any, periodic: Any = True, dtype: Any = dtypes.float32,
                   name: str | None = None) -> Tensor:  # fmt: skip
    """The Hamming window ``0.54 - 0.46 cos(2 pi n / N)`` (``tf.signal.hamming_window``)."""
    return _raised_cosine_window(name, "hamming_window", window_length, periodic, dtype, 0.54,
                                 0.46)  # fmt: skip


# --- STFT ------------------------------------------------------------------------------------


def _enclosing_power_of_two(value: Tensor) -> Tensor:
    v = _static_int(value)
    if v is not None:
        return convert_to_tensor(int(2 ** np.ceil(np.log(v) / np.log(2.0))), dtype=value.dtype)
    from scopeflow.ops.math_ops import pow as pow_op  # noqa: PLC0415
    from scopeflow.ops.unary_ops import ceil  # noqa: PLC0415

    logv = log(cast(value, dtypes.float32)) / float(np.log(2.0))
    return cast(pow_op(2.0, ceil(logv)), value.dtype)


def stft(signals: Any, frame_length: Any, frame_step: Any, fft_length: Any = None,
         window_fn: Callable[..., Any] | None = hann_window, pad_end: bool = False,
         name: str | None = None) -> Tensor:  # fmt: skip
    """The short-time Fourier transform ``[..., frames, fft_length // 2 + 1]`` (complex).

    >>> import scopeflow.compat.v1 as tf
    >>> s = tf.signal.stft(tf.zeros([2, 100]), 16, 8)
    >>> s.name, s.shape.as_list(), s.dtype.name
    ('stft/rfft:0', [2, 11, 9], 'complex64')
    """
    scope = _scope(name, "stft")
    with name_scope(scope):
        x = convert_to_tensor(signals, name="signals")
        x._shape.with_rank_at_least(1)
        fl = _scalar(frame_length, "frame_length")
        fs = _scalar(frame_step, "frame_step")
        n_fft = (
            _enclosing_power_of_two(fl)
            if fft_length is None
            else convert_to_tensor(fft_length, name="fft_length")
        )
        framed = frame(x, fl, fs, pad_end=pad_end)
        if window_fn is not None:
            framed *= window_fn(fl, dtype=framed.dtype)
        return fft_ops.rfft(framed, stack([n_fft], name="packed"))


def inverse_stft_window_fn(frame_step: Any, forward_window_fn: Callable[..., Any] = hann_window,
                           name: str | None = None) -> Callable[..., Tensor]:  # fmt: skip
    """A window function making ``inverse_stft`` invert ``stft`` with ``forward_window_fn``."""

    def inverse_stft_window_fn_inner(frame_length: Any, dtype: Any) -> Tensor:
        scope = _scope(name, "inverse_stft_window_fn")
        with name_scope(scope):
            step = convert_to_tensor(frame_step, name="frame_step")
            step._shape.assert_has_rank(0)
            fl = convert_to_tensor(frame_length, name="frame_length")
            forward = forward_window_fn(fl, dtype=dtype)
            denom = square(forward)
            overlaps = -(-fl // step)
            denom = pad(denom, [(0, overlaps * step - fl)])
            denom = reshape(denom, [overlaps, step])
            denom = reduce_sum(denom, 0, keepdims=True)
            denom = tile(denom, [overlaps, 1])
            denom = reshape(denom, [overlaps * step])
            return forward / denom[:fl]

    return inverse_stft_window_fn_inner


def inverse_stft(stfts: Any, frame_length: Any, frame_step: Any, fft_length: Any = None,
                 window_fn: Callable[..., Any] | None = hann_window,
                 name: str | None = None) -> Tensor:  # fmt: skip
    """Reconstructs signals from ``stft`` output (``tf.signal.inverse_stft``).

    Pass ``window_fn=tf.signal.inverse_stft_window_fn(frame_step)`` for perfect reconstruction.
    """
    scope = _scope(name, "inverse_stft")
    with name_scope(scope):
        s = convert_to_tensor(stfts, name="stfts")
        s._shape.with_rank_at_least(2)
        fl = _scalar(frame_length, "frame_length")
        fs = _scalar(frame_step, "frame_step")
        if fft_length is None:
            n_fft = _enclosing_power_of_two(fl)
        else:
            n_fft = convert_to_tensor(fft_length, name="fft_length")
            n_fft._shape.assert_has_rank(0)
        frames = fft_ops.irfft(s, stack([n_fft], name="packed"))
        fl_v = _static_int(fl)
        nd = frames._shape.ndims
        last = None if nd is None else frames._shape.as_list()[-1]
        if fl_v is None or nd is None or last is None:
            frames = frames[..., :fl]
            rank_t = cast(shape(shape(frames))[0], fl.dtype)
            amount = maximum(0, subtract(fl, cast(shape(frames)[-1], fl.dtype)))
            from scopeflow.ops.array_ops import zeros  # noqa: PLC0415

            head = zeros(stack([subtract(rank_t, 1), 2]), dtype=fl.dtype)
            frames = pad(frames, concat([head, stack([stack([0, amount])])], 0))
        elif last > fl_v:
            frames = frames[..., :fl_v]
        elif last < fl_v:
            frames = pad(frames, [[0, 0]] * (nd - 1) + [[0, fl_v - last]])
        if fl_v is not None and frames._shape.ndims is not None:
            frames.set_shape([None] * (frames._shape.ndims - 1) + [fl_v])
        if window_fn is not None:
            frames *= window_fn(fl, dtype=s.dtype.real_dtype)
        return overlap_and_add(frames, fs)


# --- mel filters, MFCCs ----------------------------------------------------------------------

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(frequencies_hertz: Any) -> Tensor:
    return _MEL_HIGH_FREQUENCY_Q * log(1.0 + (frequencies_hertz / _MEL_BREAK_FREQUENCY_HERTZ))


def linear_to_mel_weight_matrix(num_mel_bins: int = 20, num_spectrogram_bins: int = 129,
                                sample_rate: Any = 8000, lower_edge_hertz: float = 125.0,
                                upper_edge_hertz: float = 3800.0, dtype: Any = dtypes.float32,
                                name: str | None = None) -> Tensor:  # fmt: skip
    """A ``[num_spectrogram_bins, num_mel_bins]`` matrix of HTK-style triangular mel filters.

    >>> import scopeflow.compat.v1 as tf
    >>> m = tf.signal.linear_to_mel_weight_matrix()
    >>> m.name, m.shape.as_list()
    ('linear_to_mel_weight_matrix:0', [129, 20])
    """
    scope = _scope(name, "linear_to_mel_weight_matrix")
    with name_scope(scope):
        if isinstance(sample_rate, Tensor) and sample_rate._const is not None:
            sample_rate = np.asarray(sample_rate._const).item()
        if num_mel_bins <= 0:
            raise ValueError(f"num_mel_bins must be positive. Got: {num_mel_bins}")
        if lower_edge_hertz < 0.0:
            raise ValueError(f"lower_edge_hertz must be non-negative. Got: {lower_edge_hertz}")
        if lower_edge_hertz >= upper_edge_hertz:
            raise ValueError(
                f"lower_edge_hertz {lower_edge_hertz:.1f} >= upper_edge_hertz "
                f"{upper_edge_hertz:.1f}"
            )
        if not isinstance(sample_rate, Tensor):
            if sample_rate <= 0.0:
                raise ValueError(f"sample_rate must be positive. Got: {sample_rate}")
            if upper_edge_hertz > sample_rate / 2:
                raise ValueError(
                    "upper_edge_hertz must not be larger than the Nyquist frequency "
                    f"(sample_rate / 2). Got {upper_edge_hertz} for sample_rate: {sample_rate}"
                )
        dt = dtypes.as_dtype(dtype)
        rate = convert_to_tensor(sample_rate, dtype=dt, name="sample_rate")
        lower = convert_to_tensor(lower_edge_hertz, dtype=dt, name="lower_edge_hertz")
        upper = convert_to_tensor(upper_edge_hertz, dtype=dt, name="upper_edge_hertz")
        zero = convert_to_tensor(0.0, dtype=dt)
        nyquist = rate / 2.0
        linear = lin_space(zero, nyquist, num_spectrogram_bins)[1:]
        bins_mel = expand_dims(_hertz_to_mel(linear), 1)
        edges = frame(
            lin_space(_hertz_to_mel(lower), _hertz_to_mel(upper), num_mel_bins + 2),
            frame_length=3,
            frame_step=1,
        )
        lo, center, hi = (reshape(t, [1, num_mel_bins]) for t in split(edges, 3, axis=1))
        lower_slopes = (bins_mel - lo) / (center - lo)
        upper_slopes = (hi - bins_mel) / (hi - center)
        weights = maximum(zero, minimum(lower_slopes, upper_slopes))
    return pad(weights, [[1, 0], [0, 0]], name=scope)


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms: Any, name: str | None = None) -> Tensor:
    """MFCCs: the orthonormal-scaled DCT-II of log-magnitude mel spectrograms (last axis)."""
    scope = _scope(name, "mfccs_from_log_mel_spectrograms")
    with name_scope(scope):
        x = convert_to_tensor(log_mel_spectrograms, dtype=dtypes.float32)
        nd = x._shape.ndims
        if nd and x._shape.as_list()[-1] is not None:
            bins: Any = x._shape.as_list()[-1]
            if bins == 0:
                raise ValueError(f"num_mel_bins must be positive. Got: {x}")
        else:
            bins = shape(x)[-1]
        dct2 = dct(x, type=2)
        return dct2 * rsqrt(cast(bins, dct2.dtype) * 2.0)


# --- DCT -------------------------------------------------------------------------------------


def _validate_dct(x: Tensor, dct_type: int, n: Any, axis: int, norm: Any) -> None:
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Got: {axis}")
    if n is not None and n < 1:
        raise ValueError("n should be a positive integer or None")
    if dct_type not in (1, 2, 3):
        raise ValueError("Only Types I, II and III (I)DCT are supported.")
    if dct_type == 1:
        if norm == "ortho":
            raise ValueError("Normalization is not supported for the Type-I DCT.")
        last = None if x._shape.ndims is None else x._shape.as_list()[-1]
        if last is not None and last < 2:
            raise ValueError("Type-I DCT requires the dimension to be greater than one.")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")


def dct(input: Any, type: int = 2, n: Any = None, axis: int = -1, norm: Any = None,
        name: str | None = None) -> Tensor:  # fmt: skip
    """The discrete cosine transform (types I-III) of the last axis (``tf.signal.dct``).

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.signal.dct([1.0, 0.0, 0.0, 0.0])
    >>> y.name, [round(v, 4) for v in tf.Session().run(y).tolist()]
    ('dct/Real:0', [2.0, 1.8478, 1.4142, 0.7654])
    """
    scope = _scope(name, "dct")
    with name_scope(scope):
        x = convert_to_tensor(input)
        _validate_dct(x, type, n, axis, norm)
        if n is not None:
            last = None if x._shape.ndims is None else x._shape.as_list()[-1]
            if last is not None and n <= last:
                x = x[..., :n]
            elif last is not None:
                x = pad(x, [[0, 0]] * (x._shape.ndims - 1) + [[0, n - last]])  # type: ignore[operator]
            else:
                x = x[..., :n]
                cur = shape(x)[-1]
                amount = maximum(0, subtract(n, cur))
                from scopeflow.ops.array_ops import zeros  # noqa: PLC0415

                head = zeros(stack([subtract(shape(shape(x))[0], 1), 2]), dtype=dtypes.int32)
                x = pad(x, concat([head, stack([stack([0, amount])])], 0))
        last = None if x._shape.ndims is None else x._shape.as_list()[-1]
        axis_dim: Any = last if last is not None else shape(x)[-1]
        axis_dim_float = cast(axis_dim, x.dtype)
        zero = convert_to_tensor(0.0, dtype=x.dtype)
        if type == 1:
            dct1_input = concat([x, x[..., -2:0:-1]], axis=-1)
            return real(fft_ops.rfft(dct1_input))
        if type == 2:
            ramp = -range_op(axis_dim_float) * math.pi * 0.5 / axis_dim_float
            scale = 2.0 * exp(complex_op(zero, ramp))
            spec = fft_ops.rfft(x, fft_length=[2 * axis_dim])
            out: Tensor = real(spec[..., :axis_dim] * scale)
            if norm == "ortho":
                n1 = 0.5 * rsqrt(axis_dim_float)
                n2 = n1 * sqrt(2.0)
                weights = pad(expand_dims(n1, 0), [[0, axis_dim - 1]], constant_values=n2)
                out *= weights
            return out
        if norm == "ortho":
            n1 = sqrt(axis_dim_float)
            n2 = n1 * sqrt(0.5)
            weights = pad(expand_dims(n1, 0), [[0, axis_dim - 1]], constant_values=n2)
            x *= weights
        else:
            x *= axis_dim_float
        ramp = range_op(axis_dim_float) * math.pi * 0.5 / axis_dim_float
        scale = 2.0 * exp(complex_op(zero, ramp))
        spec = scale * complex_op(x, zero)
        return real(fft_ops.irfft(spec, fft_length=[2 * axis_dim]))[..., :axis_dim]


def idct(input: Any, type: int = 2, n: Any = None, axis: int = -1, norm: Any = None,
         name: str | None = None) -> Tensor:  # fmt: skip
    """The inverse DCT: ``dct`` of the inverse type (II <-> III, I is its own inverse up to scale).

    As TF, ``idct(dct(x, norm="ortho"), norm="ortho") == x``; unnormalized, the round trip scales
    by ``2N`` (types II/III).
    """
    if type not in (1, 2, 3):
        raise ValueError("Only Types I, II and III (I)DCT are supported.")
    inverse_type = {1: 1, 2: 3, 3: 2}[type]
    return dct(input, type=inverse_type, n=n, axis=axis, norm=norm, name=name)


def _shift(x: Any, axes: Any, name: str | None, default: str, inverse: bool) -> Tensor:
    from scopeflow.ops.array_extra_ops import roll  # noqa: PLC0415

    scope = _scope(name, default)
    with name_scope(scope):
        t = convert_to_tensor(x)
        dims = t._shape.as_list()

        def amount(ax: int) -> int:
            d = int(dims[ax])  # type: ignore[arg-type]
            return -(d // 2) if inverse else d // 2

        if axes is None:
            axes = tuple(range(len(dims)))
            shift: Any = [amount(a) for a in axes]
        elif isinstance(axes, int):
            shift = amount(axes)
        else:
            shift = [amount(a) for a in axes]
    return roll(t, shift, axes, name=scope)


def fftshift(x: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """Rolls the zero-frequency bin to the centre (``numpy.fft.fftshift``; op ``Roll``).

    >>> import scopeflow.compat.v1 as tf
    >>> tf.Session().run(tf.signal.fftshift([0.0, 1.0, 2.0, -2.0, -1.0])).tolist()
    [-2.0, -1.0, 0.0, 1.0, 2.0]
    """
    return _shift(x, axes, name, "fftshift", inverse=False)


def ifftshift(x: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """The inverse of ``fftshift`` (``numpy.fft.ifftshift``; op ``Roll``)."""
    return _shift(x, axes, name, "ifftshift", inverse=True)
