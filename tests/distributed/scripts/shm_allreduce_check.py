"""Run under torchrun: the shared-memory all-reduce equals gloo's for every reduction.

Reductions of several tensors (odd sizes, so chunks cut across tensors; a scalar) in float32,
float64 and int32, with and without pre/post-scaling, three times each through one reducer (the
buffers are reused), returning fresh tensors and returning views of the shared output buffer.
Every result has the bits of the reduction in rank order (each process's values, prescaled,
combined in rank order, then divided and post-scaled), which on 2 processes is also gloo's
result bit for bit (on 3, gloo's ring adds in another order: close). Views stay unchanged while
the other processes go on to the next reduction (the result buffers alternate; ranks above 0
wait before they compare, so that rank 0 runs ahead). Exits non-zero on the first difference (on
2 processes the float averages go through the one-pass loop of ``_fused_average`` where it
compiles: checked that they do). Then a setup that cannot create the shared file must fail on
every process.
"""

import time
from pathlib import Path

import torch
import torch.distributed as dist

from scopeflow.distributed import _collective_ops as cops
from scopeflow.distributed import _fused_average, _process, _shm_allreduce
from scopeflow.distributed._shm_allreduce import ShmAllreduce

info = _process.init()
one_pass = [0]  # pieces averaged by the one-pass loop (2 processes, float32/float64 Average)
average_into = _fused_average.average_into


def counted(a: torch.Tensor, b: torch.Tensor, a_first: bool) -> bool:
    done = average_into(a, b, a_first)
    one_pass[0] += done
    return done


_fused_average.average_into = counted
gen = torch.Generator().manual_seed(info.rank)
SHAPES = [(3, 5), (7,), (), (2, 2, 3), (1,)]
CASES = [("Sum", 1.0, 1.0), ("Average", 1.0, 1.0), ("Average", 0.5, 3.0), ("Max", 1.0, 1.0),
         ("Min", 1.0, 1.0), ("Product", 1.0, 1.0)]  # fmt: skip
COMBINE = {"Sum": torch.add, "Average": torch.add, "Min": torch.minimum, "Max": torch.maximum,
           "Product": torch.mul}  # fmt: skip


def in_rank_order(x: torch.Tensor, op: str, pre: float, post: float) -> torch.Tensor:
    parts = [torch.empty_like(x) for _ in range(info.size)]
    dist.all_gather(parts, x.contiguous())
    if pre != 1.0:
        parts = [p * pre for p in parts]
    y = parts[0]
    for p in parts[1:]:
        y = COMBINE[op](y, p)
    return cops._finish(y, op, post, info)


def same_bits(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and bool(torch.equal(a, b))


def values(dtype: torch.dtype) -> list[torch.Tensor]:
    xs = [(torch.randn(s, generator=gen) * 10).to(dtype) for s in SHAPES]
    if dtype.is_floating_point:  # subnormals and their neighbours: the scaling must be exact
        xs[0].view(-1)[:6] = torch.tensor([1e-45, -3e-45, 7e-39, -1.1e-38, 1.2e-38, 3e-38])
    return xs


for op, pre, post in CASES:
    dtypes = (torch.float32, torch.float64, torch.int32) if pre == 1.0 else (torch.float32,)
    for dtype in dtypes:
        n = sum(torch.Size(s).numel() for s in SHAPES)
        reducer = ShmAllreduce(info, n, dtype)
        assert reducer.ok, "shared memory not usable"
        for i in range(8):
            xs = values(dtype)
            want = [in_rank_order(x, op, pre, post) for x in xs]
            gloo = [cops._reduce(x, op, pre, post, info) for x in xs]
            if i >= 4 and info.size == 2:
                # Inputs computed into their ``slot``s (as a MatMul's gradient can be): nothing
                # of them is copied, the results are the same; on steps 6 and 7 only on rank 0
                # or only on rank 1 (the other copies). Rank 1 has slots only for inputs mostly
                # in chunk 0 (here the first; the others stay where they are).
                in_slots = []
                pos = 0
                for x in xs:
                    slot = reducer.slot(pos, x.numel())
                    in0 = min(x.numel(), max(0, -(-n // 2) - pos))
                    assert (slot is None) == (info.rank == 1 and 2 * in0 < x.numel()), pos
                    pos += x.numel()
                    in_slot = slot is not None and (i < 6 or i - 6 == info.rank)
                    in_slots.append(slot.view(x.shape).copy_(x) if in_slot else x)
                xs = in_slots
            else:
                assert reducer.slot(0, 1) is None or info.size == 2
            got = reducer.allreduce(xs, op, pre, post, cops._finish, views=i % 2 == 1)
            time.sleep(0.02 * info.rank)
            for g, w, o in zip(got, want, gloo, strict=True):
                assert same_bits(g, w), (op, dtype, g, w)
                if info.size == 2:
                    assert same_bits(g, o), (op, dtype, g, o)
                torch.testing.assert_close(g, o, rtol=1e-6, atol=1e-5, msg=f"{op} {dtype}")
        reducer.close()
if info.size == 2 and _fused_average.available():
    assert one_pass[0] > 0, "the one-pass average was not used"
else:
    assert one_pass[0] == 0
# Where rank 0 cannot create the shared file, every process says so (and keeps using gloo).
_shm_allreduce.SHM_DIR = Path("/nonexistent-scopeflow-shm")
assert not ShmAllreduce(info, 10, torch.float32).ok
print(f"rank {info.rank} ok", flush=True)
_process.shutdown()
