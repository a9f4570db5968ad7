"""Devices: ``tf.device`` placement by the session, soft placement, placement logging, TF32,
and the device queries (``tf.test.is_gpu_available``, ``tf.config.list_physical_devices``).

Without CUDA every op runs on the CPU; the GPU tests skip with a reason.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.graph import devices
from scopeflow.graph.devices import parse_device

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA (none here)")
no_cuda = pytest.mark.skipif(torch.cuda.is_available(), reason="checks the CPU-only behaviour")

LOCAL = "/job:localhost/replica:0/task:0/device:"


@pytest.mark.parametrize(
    ("spec", "want"),
    [
        ("", None),
        ("/gpu:0", ("GPU", 0)),
        ("/device:GPU:1", ("GPU", 1)),
        ("/cpu:0", ("CPU", 0)),
        ("/job:localhost/replica:0/task:0/device:CPU:0", ("CPU", 0)),
        ("/job:worker/task:3/gpu:2", ("GPU", 2)),
        ("/gpu:*", ("GPU", None)),
        ("/job:ps", None),
    ],
)
def test_parse_device(spec, want):
    assert parse_device(spec) == want


def _gpu_graph():
    g = tf.Graph()
    with g.as_default(), tf.device("/gpu:0"):
        a = tf.constant([1.0, 2.0], name="a")
        b = tf.multiply(a, 2.0, name="b")
    return g, b


@no_cuda
def test_soft_placement_runs_gpu_requests_on_the_cpu_and_logs_like_tf(capsys):
    g, b = _gpu_graph()
    cfg = tf.ConfigProto(allow_soft_placement=True, log_device_placement=True)
    with tf.Session(graph=g, config=cfg) as sess:
        np.testing.assert_array_equal(sess.run(b), [2.0, 4.0])
        sess.run(b)  # each op is reported once per session
    out = capsys.readouterr()
    assert sorted(out.out.splitlines()) == [
        f"a: (Const): {LOCAL}CPU:0",
        f"b/y: (Const): {LOCAL}CPU:0",
        f"b: (Mul): {LOCAL}CPU:0",
    ]
    assert "Device mapping: no known devices." in out.err


@no_cuda
def test_gpu_request_runs_on_the_cpu_when_there_is_no_cuda():
    g = tf.Graph()
    with g.as_default(), tf.device("/device:GPU:0"):
        v = tf.zeros([2], name="z") + 1.0
    with tf.Session(graph=g) as sess:
        assert sess.run(v).tolist() == [1.0, 1.0]


@no_cuda
def test_gpu_request_without_soft_placement_is_tfs_error(monkeypatch):
    # CUDA present but no usable GPU (here: CUDA claimed, no device): TF's error
    monkeypatch.setattr(devices, "_cuda_available", lambda: True)
    g = tf.Graph()
    with g.as_default(), tf.device("/device:GPU:0"):
        v = tf.zeros([2], name="z")
    with tf.Session(graph=g) as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(v)
    assert info.value.message == (
        "Cannot assign a device for operation z: {{node z}} was explicitly assigned to "
        f"/device:GPU:0 but available devices are [ {LOCAL}CPU:0 ]. Make sure the device "
        "specification refers to a valid device."
    )


def test_cpu_requests_and_unplaced_ops_run_without_a_config():
    with tf.Graph().as_default():
        with tf.device("/cpu:0"):
            a = tf.constant(3.0)
        b = a + 1.0
        with tf.Session() as sess:
            assert sess.run(b) == 4.0
            names = [d["name"] for d in sess.list_devices()]
    assert names[0] == f"{LOCAL}CPU:0"
    assert len(names) == 1 + torch.cuda.device_count()


def test_device_queries_follow_torch():
    n = torch.cuda.device_count() if torch.cuda.is_available() else 0
    assert tf.test.is_gpu_available() == (n > 0)
    assert tf.test.is_gpu_available(cuda_only=True) == (n > 0)
    assert tf.test.gpu_device_name() == ("/device:GPU:0" if n else "")
    assert tf.test.is_built_with_cuda() == torch.backends.cuda.is_built()
    devices = tf.config.experimental.list_physical_devices()
    assert devices[0] == tf.config.PhysicalDevice("/physical_device:CPU:0", "CPU")
    assert len(tf.config.list_physical_devices("GPU")) == n
    assert tf.config.list_physical_devices("CPU") == devices[:1]


def test_tf32_is_off_by_default_with_a_switch():
    assert not tf.config.experimental.tensor_float_32_execution_enabled()
    try:
        tf.config.experimental.enable_tensor_float_32_execution(True)
        assert tf.config.experimental.tensor_float_32_execution_enabled()
        if torch.cuda.is_available():
            assert torch.backends.cuda.matmul.allow_tf32
            assert torch.backends.cudnn.allow_tf32
    finally:
        tf.config.experimental.enable_tensor_float_32_execution(False)
    if torch.cuda.is_available():
        tf.Session().close()
        assert not torch.backends.cuda.matmul.allow_tf32
        assert not torch.backends.cudnn.allow_tf32


@needs_cuda
def test_gpu_variables_live_and_run_on_the_gpu(capsys):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        with tf.device("/gpu:0"):
            w = tf.get_variable("w", [3, 2], initializer=tf.ones_initializer())
            y = tf.matmul(x, w, name="y")
        z = tf.reduce_sum(y, name="z")  # unplaced: CPU
        cfg = tf.ConfigProto(log_device_placement=True)
        with tf.Session(config=cfg) as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run([y, z], {x: np.ones((4, 3), np.float32)})
            assert sess._variables["w"].device.type == "cuda"
    np.testing.assert_array_equal(got[0], np.full((4, 2), 3.0, np.float32))
    assert got[1] == 24.0
    out = capsys.readouterr().out
    assert f"y: (MatMul): {LOCAL}GPU:0" in out
    assert f"z: (Sum): {LOCAL}CPU:0" in out


@needs_cuda
def test_device_count_zero_keeps_everything_on_the_cpu():
    g, b = _gpu_graph()
    cfg = tf.ConfigProto(device_count={"GPU": 0}, allow_soft_placement=True)
    with tf.Session(graph=g, config=cfg) as sess:
        np.testing.assert_array_equal(sess.run(b), [2.0, 4.0])
        assert [d["device_type"] for d in sess.list_devices()] == ["CPU"]
