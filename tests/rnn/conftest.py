from __future__ import annotations

import pytest

import scopeflow.compat.v1 as tf
from scopeflow.rnn import _fusion


@pytest.fixture(autouse=True)
def _fresh_graph():
    prev = _fusion.set_fused_enabled(True)
    with tf.Graph().as_default() as g:
        yield g
    _fusion.set_fused_enabled(prev)
