"""``import scopeflow.compat.v1`` must not load protobuf/tensorboard; ``tf.Summary`` loads them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def test_protos_load_on_first_use_only() -> None:
    code = (
        "import sys\n"
        "import scopeflow.compat.v1 as tf\n"
        "print(sorted(m for m in ('tensorboard', 'google.protobuf', 'scopeflow.protos', 'PIL')"
        " if m in sys.modules))\n"
        "tf.summary.scalar('x', 1.0)\n"
        "print('scopeflow.protos' in sys.modules)\n"
        "print(tf.Summary.DESCRIPTOR.full_name, 'scopeflow.protos' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout.split("\n")
    assert out[:3] == ["[]", "False", "tensorflow.Summary True"]
