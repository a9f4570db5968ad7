"""A C work-sharing loop for compiled libraries: the caller and late-coming helpers share chunks.

``PARALLEL_SOURCE`` is C99 (GCC/Clang ``__atomic`` builtins, POSIX threads) to put in front of a
library's own source (build it with ``PARALLEL_FLAGS``). It defines

    static void sf_parallel(long chunks, void (*fn)(void *ctx, long chunk), void *ctx,
                            int threads);

which runs ``fn(ctx, c)`` once for every ``c`` in ``[0, chunks)``: the calling thread and up to
``threads - 1`` helper threads (created on first use, one set per library, asleep on a futex
between calls) take chunk numbers from one atomic counter. The caller never waits for a helper
that has not started: it takes every chunk left itself, then withdraws the job and waits only
for helpers that joined it (no lock is held across a wake-up; a helper delays the caller only if
it is descheduled inside a chunk it took or in the few instructions of joining). On a busy
machine, where torch's OpenMP team waits at a barrier for a descheduled thread, a late helper
here costs nothing; on an idle one the work splits over the cores. Results must not depend on
which thread runs a chunk (each chunk writes its own memory). Everything runs on the caller with
``threads <= 1`` or ``chunks <= 1``, off Linux (futexes), while another thread is inside
``sf_parallel`` of the same library, and where helpers cannot be created (or were lost in a
``fork``).

Must not import torch, NumPy or any other scopeflow package.
"""

from __future__ import annotations

PARALLEL_FLAGS = ("-pthread",)

PARALLEL_SOURCE = r"""
#ifdef __linux__
#define _GNU_SOURCE
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#define SF_MAX_HELPERS 7

typedef void (*sf_chunk_fn)(void *ctx, long chunk);

/* One job at a time (sf_busy); its fields are written before sf_open is set and stay fixed
   until the caller has withdrawn it and seen sf_active drop to 0. */
static int sf_busy;
static sf_chunk_fn sf_fn;
static void *sf_ctx;
static long sf_chunks;
static long sf_next;         /* the next chunk number to take */
static int sf_open;          /* helpers may join */
static int sf_active;        /* helpers between joining and leaving */
static unsigned sf_generation;  /* bumped for each job: helpers sleep on it */
static int sf_helpers;

static void sf_take(sf_chunk_fn fn, void *ctx, long chunks) {
  for (;;) {
    long c = __atomic_fetch_add(&sf_next, 1, __ATOMIC_RELAXED);
    if (c >= chunks) return;
    fn(ctx, c);
  }
}

#ifdef __linux__
static void sf_futex_wait(int *addr, int value) {
  syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
}

static void sf_futex_wake(int *addr) {
  syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

static void *sf_helper(void *unused) {
  (void)unused;
  unsigned seen = __atomic_load_n(&sf_generation, __ATOMIC_SEQ_CST);
  for (;;) {
    unsigned now;
    while ((now = __atomic_load_n(&sf_generation, __ATOMIC_SEQ_CST)) == seen)
      sf_futex_wait((int *)&sf_generation, (int)seen);
    seen = now;
    /* Joining: announce, then look. The caller withdraws (sf_open = 0), then waits for
       sf_active == 0: one of the two sees the other's write. */
    if (!__atomic_load_n(&sf_open, __ATOMIC_SEQ_CST)) continue;  /* too late: nothing to do */
    __atomic_add_fetch(&sf_active, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&sf_open, __ATOMIC_SEQ_CST))
      sf_take(sf_fn, sf_ctx, sf_chunks);
    if (__atomic_sub_fetch(&sf_active, 1, __ATOMIC_SEQ_CST) == 0) sf_futex_wake(&sf_active);
  }
  return NULL;
}
#endif

static void sf_parallel(long chunks, sf_chunk_fn fn, void *ctx, int threads) {
  if (threads > SF_MAX_HELPERS + 1) threads = SF_MAX_HELPERS + 1;
#ifdef __linux__
  if (threads > 1 && chunks > 1 && !__atomic_exchange_n(&sf_busy, 1, __ATOMIC_ACQUIRE)) {
    while (sf_helpers < threads - 1) {
      pthread_t t;
      pthread_attr_t attr;
      pthread_attr_init(&attr);
      pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
      int failed = pthread_create(&t, &attr, sf_helper, NULL);
      pthread_attr_destroy(&attr);
      if (failed) break;
      sf_helpers++;
    }
    sf_fn = fn;
    sf_ctx = ctx;
    sf_chunks = chunks;
    __atomic_store_n(&sf_next, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&sf_open, 1, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&sf_generation, 1, __ATOMIC_SEQ_CST);
    sf_futex_wake((int *)&sf_generation);
    sf_take(fn, ctx, chunks);
    __atomic_store_n(&sf_open, 0, __ATOMIC_SEQ_CST);
    int active;
    while ((active = __atomic_load_n(&sf_active, __ATOMIC_SEQ_CST)) != 0)
      sf_futex_wait(&sf_active, active);
    __atomic_store_n(&sf_busy, 0, __ATOMIC_RELEASE);
    return;
  }
#endif
  for (long c = 0; c < chunks; c++) fn(ctx, c);
}
"""

__all__ = ["PARALLEL_FLAGS", "PARALLEL_SOURCE"]
