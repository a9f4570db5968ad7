"""``control_flow_ops.switch``/``merge`` (TF 1.x's dataflow conditionals) give TF's values.

``test_pipeline_matches_tf`` (always runs) builds ``switch_merge_pipelines.pipeline`` (random
selectors made of ``switch``/``merge``, random ops inside the branches) and compares six session
runs with TF's, recorded by ``tools/record_switch_merge.py``: the branch ops' random draws only
match when the untaken branches never run. ``test_slim_*`` import tf-slim's
``inception_preprocessing.py`` and ``vgg_preprocessing.py`` unmodified through the ``scopeflow
run`` import hook from the ``tensorflow/models`` checkout named by ``SCOPEFLOW_TF_MODELS``
(skipped when unset).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.errors import UnsupportedError
from scopeflow.ops import control_flow_ops
from scopeflow.run import tensorflow_import_hook

sys.path.insert(0, str(Path(__file__).parent))
import switch_merge_pipelines as pipelines

FIXTURES = Path(__file__).parents[1] / "fixtures/switch_merge"
SLIM = "research/slim/preprocessing"


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


def _compare(got: dict[str, np.ndarray], fixture: str) -> None:
    want = np.load(FIXTURES / fixture)
    assert sorted(got) == sorted(want.files)
    for name in want.files:
        assert got[name].dtype == want[name].dtype, name
        np.testing.assert_allclose(got[name], want[name], atol=2e-5, err_msg=name)


def test_pipeline_matches_tf() -> None:
    _compare(pipelines.run(tf, pipelines.pipeline(tf, control_flow_ops)), "pipeline.npz")


def test_only_the_live_branch_runs() -> None:
    calls = []

    def count(x: np.ndarray) -> np.ndarray:
        calls.append(1)
        return x

    x = tf.constant([1.0, 2.0])
    pred = tf.placeholder(tf.bool, [])
    off, on = control_flow_ops.switch(x, pred)
    counted = tf.py_func(count, [on], tf.float32, stateful=True)
    out, index = control_flow_ops.merge([off * 10.0, counted * 2.0])
    with tf.Session() as sess:
        assert sess.run([out, index], {pred: False})[1] == 0
        assert calls == []
        value, i = sess.run([out, index], {pred: True})
        assert i == 1
        assert value.tolist() == [2.0, 4.0]
        assert calls == [1]


def test_graph_def_keeps_tf_inputs() -> None:
    off, on = control_flow_ops.switch(tf.constant(1.0), tf.constant(False))
    control_flow_ops.merge([off + 1.0, on * 2.0], name="joined")
    nodes = {n.name: n for n in tf.get_default_graph().as_graph_def().node}
    assert list(nodes["joined"].input) == ["add", "mul"]
    assert nodes["joined"].op == "Merge"
    assert list(nodes["Switch"].input) == ["Const", "Const_1"]


def test_nested_switch_is_unsupported() -> None:
    _, on = control_flow_ops.switch(tf.constant(1.0), tf.constant(True))
    _, inner = control_flow_ops.switch(on, tf.constant(True))
    with pytest.raises(UnsupportedError, match="reads the output of another Switch"):
        control_flow_ops.merge([inner, tf.constant(0.0)])


def test_dead_merge_raises_tf_error() -> None:
    off, _ = control_flow_ops.switch(tf.constant(1.0), tf.constant(True))
    out, _ = control_flow_ops.merge([off])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Retval\\[0\\] does not have value"):
        tf.Session().run(out)


def _slim_module(name: str) -> ModuleType:
    root = os.environ.get("SCOPEFLOW_TF_MODELS")
    if not root:
        pytest.skip("SCOPEFLOW_TF_MODELS (a tensorflow/models checkout) is not set")
    path = Path(root) / SLIM / f"{name}.py"
    if not path.exists():
        pytest.skip(f"{path} does not exist")
    spec = importlib.util.spec_from_file_location(f"{name}_under_test", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_slim_inception_preprocessing_matches_tf() -> None:
    with tensorflow_import_hook():
        module = _slim_module("inception_preprocessing")
        fetches = pipelines.slim_selectors(tf, module)
    _compare(pipelines.run(tf, fetches), "slim_inception.npz")


@pytest.mark.parametrize("fast_mode", [False, True])
def test_slim_inception_training_path_runs(fast_mode: bool) -> None:
    """Its bounding-box sampling is unseeded in TF, so only shapes, range and ops are checked."""
    with tensorflow_import_hook():
        module = _slim_module("inception_preprocessing")
        tf.set_random_seed(pipelines.SEED)
        out = module.preprocess_image(
            tf.constant(pipelines.image()), 20, 24, is_training=True, fast_mode=fast_mode
        )
    types = {op.type for op in tf.get_default_graph().get_operations()}
    assert {"Switch", "Merge", "SampleDistortedBoundingBoxV2"} <= types
    assert out.shape.as_list() == [20, 24, 3]
    with tf.Session() as sess:
        for _ in range(3):
            value = sess.run(out)
            assert value.shape == (20, 24, 3)
            assert -1.0 <= value.min() <= value.max() <= 1.0


def test_slim_vgg_preprocessing_matches_tf() -> None:
    with tensorflow_import_hook():
        module = _slim_module("vgg_preprocessing")
        fetches = pipelines.slim_vgg(tf, module)
    _compare(pipelines.run(tf, fetches), "slim_vgg.npz")
