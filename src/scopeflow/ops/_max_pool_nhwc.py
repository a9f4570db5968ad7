"""Max pooling over non-overlapping, unpadded windows of NHWC float32, as two compiled C loops.

torch's max pooling stores an ``int64`` index per output and its backward zero-fills the whole
input gradient before scattering into it: for the first pool of the MNIST CNN (64x28x28x32) the
two passes cost 2.1 + 1.0 ms of CPU a training step at one thread, and the forward 1.6 ms.
Where the windows do not overlap and need no padding (``stride >= ksize``; ``SAME`` pooling of
an even size with a 2x2/2 window is one), each input element belongs to at most one window, so
the backward pass can write every input gradient element once: the window's gradient where the
element is the window's recorded maximum, zero elsewhere. The forward records that position as
one byte (the index inside the window).

Same values as torch's ``max_pool2d`` and its gradient, bit for bit: the maximum is taken in
row-major window order with torch's rule (``v > max || isnan(v)``: the first of equal maxima,
the last NaN; a window of ``-inf`` keeps its first element), and the gradient is torch's
``0 + g`` (``-0.0`` becomes ``+0.0``, as the accumulation into torch's zero-filled gradient
makes it). Under ``create_graph`` the backward runs torch's own ``max_pool2d`` backward with
the same indices, so second derivatives stay available. Without a C compiler ``max_pool_nhwc``
returns None and the caller keeps torch's pooling.

Both passes split their output rows into chunks of at least ``CHUNK_ELEMENTS`` input elements
that the calling thread and up to ``torch.get_num_threads() - 1`` helper threads take from one
counter (``scopeflow._native.PARALLEL_SOURCE``): on an idle machine the two MNIST pools run on
both cores like torch's own kernels, and on a busy one a helper that is not scheduled in time
leaves its chunks to the caller instead of holding it at a barrier. Each element's value is
computed the same way whichever thread runs its chunk.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import ctypes
from typing import Any

import torch

from scopeflow._native import PARALLEL_FLAGS, PARALLEL_SOURCE, compiled_library

_SOURCE = """
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* x [n, h, w, c] -> y, arg [n, oh, ow, c]; window (i, j) covers rows i*sh .. i*sh+kh-1 and
   columns j*sw .. j*sw+kw-1, all inside x. g, gx: the gradients of y and x. relu: y is
   relu(max) (torch's: v < 0 ? +0 : v), and arg is 255 where relu's gradient is cut (max <= 0;
   windows hold at most 255 elements, so 255 is no position). */
struct pool {
  const float *x, *g;
  float *y, *gx;
  uint8_t *arg;
  long n, h, w, c, oh, ow, kh, kw, sh, sw, rows_per_chunk;
  int relu;
};

/* Output rows (b, i) with b * oh + i in [r0, r1). */
static void forward_rows(const struct pool *P, long r0, long r1) {
  const long h = P->h, w = P->w, c = P->c, oh = P->oh, ow = P->ow;
  const long kh = P->kh, kw = P->kw, sh = P->sh, sw = P->sw;
  for (long r = r0; r < r1; r++) {
    long b = r / oh, i = r % oh;
    for (long j = 0; j < ow; j++) {
      float *restrict yo = P->y + (r * ow + j) * c;
      uint8_t *restrict ao = P->arg + (r * ow + j) * c;
      for (long d = 0; d < c; d++) {
        yo[d] = -INFINITY;
        ao[d] = 0;
      }
      for (long p = 0; p < kh; p++)
        for (long q = 0; q < kw; q++) {
          const float *restrict xi = P->x + ((b * h + i * sh + p) * w + j * sw + q) * c;
          uint8_t at = (uint8_t)(p * kw + q);
          for (long d = 0; d < c; d++) {
            float v = xi[d];
            int take = (v > yo[d]) | isnan(v);
            yo[d] = take ? v : yo[d];
            ao[d] = take ? at : ao[d];
          }
        }
      if (P->relu)
        for (long d = 0; d < c; d++) {
          float v = yo[d];
          yo[d] = v < 0.0f ? 0.0f : v;
          ao[d] = v <= 0.0f ? 255 : ao[d];
        }
    }
  }
}

/* The input gradient of output rows [r0, r1): 0 + g at each window's recorded maximum, +0
   elsewhere in the window (windows do not overlap: rows write disjoint memory). */
static void backward_rows(const struct pool *P, long r0, long r1) {
  const long h = P->h, w = P->w, c = P->c, oh = P->oh, ow = P->ow;
  const long kh = P->kh, kw = P->kw, sh = P->sh, sw = P->sw;
  for (long r = r0; r < r1; r++) {
    long b = r / oh, i = r % oh;
    for (long j = 0; j < ow; j++) {
      const float *restrict go = P->g + (r * ow + j) * c;
      const uint8_t *restrict ao = P->arg + (r * ow + j) * c;
      for (long p = 0; p < kh; p++)
        for (long q = 0; q < kw; q++) {
          float *restrict gi = P->gx + ((b * h + i * sh + p) * w + j * sw + q) * c;
          uint8_t at = (uint8_t)(p * kw + q);
          for (long d = 0; d < c; d++) {
            /* branch-free: the sum is always computed, its bits kept or cleared */
            union { float f; uint32_t u; } v;
            v.f = 0.0f + go[d];
            v.u &= -(uint32_t)(ao[d] == at);
            gi[d] = v.f;
          }
        }
    }
  }
}

static long chunk_end(const struct pool *P, long chunk) {
  long end = (chunk + 1) * P->rows_per_chunk, rows = P->n * P->oh;
  return end < rows ? end : rows;
}

static void forward_chunk(void *ctx, long chunk) {
  const struct pool *P = ctx;
  forward_rows(P, chunk * P->rows_per_chunk, chunk_end(P, chunk));
}

static void backward_chunk(void *ctx, long chunk) {
  const struct pool *P = ctx;
  backward_rows(P, chunk * P->rows_per_chunk, chunk_end(P, chunk));
}

static long chunks_of(struct pool *P, long rows_per_chunk) {
  P->rows_per_chunk = rows_per_chunk < 1 ? 1 : rows_per_chunk;
  return (P->n * P->oh + P->rows_per_chunk - 1) / P->rows_per_chunk;
}

/* threads: how many threads may share the output rows, rows_per_chunk at a time. */
void sf_max_pool_nhwc_f32(const float *x, float *y, uint8_t *arg, long n, long h, long w,
                          long c, long oh, long ow, long kh, long kw, long sh, long sw,
                          int threads, long rows_per_chunk, int relu) {
  struct pool P = {x, NULL, y, NULL, arg, n, h, w, c, oh, ow, kh, kw, sh, sw, 0, relu};
  sf_parallel(chunks_of(&P, rows_per_chunk), forward_chunk, &P, threads);
}

/* zero: the windows do not cover x (zero-fill first). */
void sf_max_pool_grad_nhwc_f32(const float *g, const uint8_t *arg, float *gx, long n, long h,
                               long w, long c, long oh, long ow, long kh, long kw, long sh,
                               long sw, int zero, int threads, long rows_per_chunk) {
  struct pool P = {NULL, g, NULL, gx, (uint8_t *)arg, n, h, w, c, oh, ow, kh, kw, sh, sw, 0, 0};
  if (zero) memset(gx, 0, sizeof(float) * (size_t)(n * h * w * c));
  sf_parallel(chunks_of(&P, rows_per_chunk), backward_chunk, &P, threads);
}
"""
_L, _P = ctypes.c_long, ctypes.c_void_p
_I = ctypes.c_int
_FUNCTIONS = {
    "sf_max_pool_nhwc_f32": (None, [_P, _P, _P, *[_L] * 10, _I, _L, _I]),
    "sf_max_pool_grad_nhwc_f32": (None, [_P, _P, _P, *[_L] * 10, _I, _I, _L]),
}
# The machine's vector instructions (built where it runs); comparisons, selects and one exact
# IEEE add, with contraction off: the same bits on any instruction set.
_FLAGS = ("-march=native", *PARALLEL_FLAGS)
use_compiled = True  # tests switch the C loops off to compare with torch's pooling


# Input elements a chunk of output rows covers, at least (torch splits its own pooling at
# 32,768 elements per thread); a pass with one chunk runs on the calling thread alone. The
# MNIST CNN's pools (0.8M and 1.6M elements) split into 25 and 50 chunks.
CHUNK_ELEMENTS = 32768


def _lib() -> Any:
    if not use_compiled:
        return None
    return compiled_library("max_pool", PARALLEL_SOURCE + _SOURCE, _FUNCTIONS, _FLAGS)


def _split(shape: tuple[int, ...], s0: int) -> tuple[int, int]:
    """(threads, output rows per chunk) for an input of NHWC ``shape``, row stride ``s0``.

    Up to torch's intra-op thread count (1 inside a one-thread worker or a forked child).
    """
    row = s0 * shape[2] * shape[3]  # input elements of one output row (with any gaps)
    return torch.get_num_threads(), max(1, -(-CHUNK_ELEMENTS // max(row, 1)))


def _dims(x: torch.Tensor, k: tuple[int, int], s: tuple[int, int]) -> list[int]:
    n, h, w, c = x.shape
    return [n, h, w, c, (h - k[0]) // s[0] + 1, (w - k[1]) // s[1] + 1, k[0], k[1], s[0], s[1]]


class _MaxPoolNHWC(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: Any, k: tuple[int, int], s: tuple[int, int], relu: bool) -> Any:
        dims = _dims(x, k, s)
        n, _, _, c, oh, ow = dims[:6]
        y = torch.empty((n, oh, ow, c), dtype=x.dtype)
        arg = torch.empty((n, oh, ow, c), dtype=torch.uint8)
        _lib().sf_max_pool_nhwc_f32(x.data_ptr(), y.data_ptr(), arg.data_ptr(), *dims,
                                    *_split(tuple(x.shape), s[0]), int(relu))  # fmt: skip
        ctx.save_for_backward(arg)
        ctx.meta = (tuple(x.shape), k, s)
        return y

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        (arg,) = ctx.saved_tensors
        shape, k, s = ctx.meta
        n, h, w, c = shape
        if torch.is_grad_enabled():  # create_graph: torch's differentiable backward
            oh, ow = arg.shape[1], arg.shape[2]
            cut = arg == 255  # relu's gradient: threshold_backward's +0 where max <= 0
            if cut.any():
                g = torch.where(cut, torch.zeros((), dtype=g.dtype), g)
            a = arg.masked_fill(cut, 0).to(torch.int64)
            rows = torch.arange(oh).view(1, oh, 1, 1) * s[0] + a // k[1]
            cols = torch.arange(ow).view(1, 1, ow, 1) * s[1] + a % k[1]
            idx = (rows * w + cols).permute(0, 3, 1, 2)
            x_like = torch.empty((n, h, w, c), dtype=g.dtype).permute(0, 3, 1, 2)
            gx = torch.ops.aten.max_pool2d_with_indices_backward(
                g.permute(0, 3, 1, 2), x_like, list(k), list(s), [0, 0], [1, 1], False, idx
            )
            return gx.permute(0, 2, 3, 1), None, None, None
        g = g.contiguous()
        gx = torch.empty(shape, dtype=g.dtype)
        dims = _dims(gx, k, s)
        covered = dims[4] * s[0] == h and dims[5] * s[1] == w and tuple(k) == tuple(s)
        _lib().sf_max_pool_grad_nhwc_f32(g.data_ptr(), arg.data_ptr(), gx.data_ptr(), *dims,
                                         int(not covered), *_split(shape, s[0]))  # fmt: skip
        return gx, None, None, None


def max_pool_nhwc(x: torch.Tensor, k: tuple[int, int], s: tuple[int, int],
                  relu: bool = False) -> torch.Tensor | None:  # fmt: skip
    """``max_pool2d`` of an NHWC tensor over unpadded windows ``k`` strided ``s``, or None.

    With ``relu``, ``torch.relu`` of that (values and gradient bit for bit: the gradient is
    ``threshold_backward``'s ``+0`` where the maximum is ``<= 0``) in the same pass.

    None (the caller then pools with torch) unless ``x`` is a contiguous float32 CPU tensor
    with at least one window, the windows do not overlap (``s >= k``) and hold at most 255
    elements, and the C loops are compiled.
    """
    if (
        x.dtype != torch.float32
        or x.device.type != "cpu"
        or x.dim() != 4
        or not x.is_contiguous()
        or x.numel() == 0
        or s[0] < k[0]
        or s[1] < k[1]
        or k[0] * k[1] > 255
        or x.shape[1] < k[0]
        or x.shape[2] < k[1]
        or _lib() is None
    ):
        return None
    return _MaxPoolNHWC.apply(x, tuple(k), tuple(s), relu)  # type: ignore[no-any-return]


__all__ = ["max_pool_nhwc"]
