"""OpenMP defaults set before scopeflow loads torch, and ``ConfigProto`` thread counts.

Each case runs in a fresh interpreter: libgomp reads its environment once, when torch loads it.
``OMP_DISPLAY_ENV=VERBOSE`` makes libgomp print the settings it actually uses, so the tests see
the spin count the OpenMP runtime applied (0 for the passive policy, 300,000 by default, 300 as
scopeflow sets it), not just ``os.environ``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

_SRC = Path(__file__).resolve().parents[1] / "src"

pytestmark = pytest.mark.slow


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OMP_", "GOMP_", "KMP_", "SCOPEFLOW_"))
    }
    full["PYTHONPATH"] = str(_SRC)
    full["OMP_DISPLAY_ENV"] = "VERBOSE"
    full.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=full
    )


_SESSION = (
    "import os, scopeflow.compat.v1 as tf\n"
    "with tf.Session() as s: s.run(tf.matmul(tf.ones([64, 64]), tf.ones([64, 64])))\n"
    "print(os.environ.get('OMP_WAIT_POLICY'), os.environ.get('GOMP_SPINCOUNT'))\n"
)


def test_short_spin_count_is_applied_when_the_user_set_none() -> None:
    proc = _run(_SESSION)
    assert proc.stdout.split() == ["None", "300"]
    assert "GOMP_SPINCOUNT = '300'" in proc.stderr


@pytest.mark.parametrize("policy", ["ACTIVE", "passive"])
def test_the_users_wait_policy_is_left_alone(policy: str) -> None:
    proc = _run(_SESSION, OMP_WAIT_POLICY=policy)
    assert proc.stdout.split() == [policy, "None"]
    spin = "0" if policy == "passive" else "30000000000"
    assert f"GOMP_SPINCOUNT = '{spin}'" in proc.stderr


def test_the_users_spin_count_is_left_alone() -> None:
    proc = _run(_SESSION, GOMP_SPINCOUNT="1000")
    assert proc.stdout.split() == ["None", "1000"]
    assert "GOMP_SPINCOUNT = '1000'" in proc.stderr


def test_nothing_is_set_when_torch_was_loaded_first() -> None:
    proc = _run("import torch\n" + _SESSION)
    assert proc.stdout.split() == ["None", "None"]
    assert "GOMP_SPINCOUNT = '300000'" in proc.stderr


_THREADS = """
import torch, scopeflow.compat.v1 as tf
before = torch.get_num_threads()
tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=1)).close()
first = torch.get_num_threads()
tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=3)).close()
print(before, first, torch.get_num_threads())
"""


def test_first_sessions_intra_op_threads_size_torch_once_as_tf() -> None:
    before, first, later = _run(_THREADS).stdout.split()
    assert (first, later) == ("1", "1")
    assert int(before) >= 1


def test_config_without_thread_counts_keeps_the_users_setting() -> None:
    code = (
        "import torch, scopeflow.compat.v1 as tf\n"
        "tf.Session(config=tf.ConfigProto(allow_soft_placement=True)).close()\n"
        "print(torch.get_num_threads())\n"
    )
    assert _run(code, OMP_NUM_THREADS="1").stdout.split() == ["1"]


_FORK = """
import os, time
import numpy as np
import scopeflow.compat.v1 as tf
import torch
torch.set_num_threads(2)
x = tf.placeholder(tf.float32, [1, 64, 64, 16])
w = tf.constant(np.random.RandomState(0).randn(3, 3, 16, 16).astype("float32"))
y = tf.reduce_sum(tf.nn.relu(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")))
sess = tf.Session()
feed = {x: np.ones([1, 64, 64, 16], "float32")}
want = sess.run(y, feed)
pid = os.fork()
if pid == 0:
    # one thread sums in another order than two: equal up to float32 rounding
    ok = np.isclose(sess.run(y, feed), want, rtol=1e-5) and torch.get_num_threads() == 1
    os._exit(0 if ok else 3)
deadline = time.monotonic() + 60
while not (done := os.waitpid(pid, os.WNOHANG))[0]:
    if time.monotonic() > deadline:
        os.kill(pid, 9)
        raise SystemExit("the forked child hung")
    time.sleep(0.05)
print("child exit", os.WEXITSTATUS(done[1]), "parent threads", torch.get_num_threads())
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_runs_sessions_on_one_thread_instead_of_hanging() -> None:
    # Without scopeflow's at-fork handler the child hangs in its first two-thread kernel.
    proc = _run(_FORK)
    assert proc.stdout.split() == ["child", "exit", "0", "parent", "threads", "2"]
