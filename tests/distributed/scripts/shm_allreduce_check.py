"""Run under torchrun: the shared-memory all-reduce equals gloo's for every reduction.

Reductions of several tensors (odd sizes, so chunks cut across tensors; a scalar) in float32,
float64 and int32, with and without pre/post-scaling, three times each through one reducer
(the slots are reused). Exits non-zero on the first difference. Then a setup that cannot
create the shared file must fail on every process.
"""

from pathlib import Path

import torch

from scopeflow.distributed import _collective_ops as cops
from scopeflow.distributed import _process, _shm_allreduce
from scopeflow.distributed._shm_allreduce import ShmAllreduce

info = _process.init()
gen = torch.Generator().manual_seed(info.rank)
SHAPES = [(3, 5), (7,), (), (2, 2, 3), (1,)]
CASES = [("Sum", 1.0, 1.0), ("Average", 1.0, 1.0), ("Average", 0.5, 3.0), ("Max", 1.0, 1.0),
         ("Min", 1.0, 1.0), ("Product", 1.0, 1.0)]  # fmt: skip
for op, pre, post in CASES:
    dtypes = (torch.float32, torch.float64, torch.int32) if pre == 1.0 else (torch.float32,)
    for dtype in dtypes:
        n = sum(torch.Size(s).numel() for s in SHAPES)
        reducer = ShmAllreduce(info, n, dtype)
        assert reducer.ok, "shared memory not usable"
        for _ in range(3):
            xs = [(torch.randn(s, generator=gen) * 10).to(dtype) for s in SHAPES]
            got = reducer.allreduce(xs, op, pre, post, cops._finish)
            want = [cops._reduce(x, op, pre, post, info) for x in xs]
            for g, w in zip(got, want, strict=True):
                assert g.shape == w.shape, (op, dtype)
                torch.testing.assert_close(g, w, rtol=1e-6, atol=1e-5, msg=f"{op} {dtype}")
        reducer.close()
# Where rank 0 cannot create the shared file, every process says so (and keeps using gloo).
_shm_allreduce.SHM_DIR = Path("/nonexistent-scopeflow-shm")
assert not ShmAllreduce(info, 10, torch.float32).ok
print(f"rank {info.rank} ok", flush=True)
_process.shutdown()
