from __future__ import annotations

from pathlib import Path

import pytest

import scopeflow.compat.v1 as tf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tf1_checkpoints"


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default() as g:
        yield g
