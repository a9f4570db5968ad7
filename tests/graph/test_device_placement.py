"""TF1's device-placement API as TF records it on the graph (issues 7 and 11).

``tf.device`` stacks (strings, ``DeviceSpec``, functions, ``None``), ``colocate_with``,
``tf.train.replica_device_setter``, slim's ``VariableDeviceChooser``, ``ClusterSpec`` and
``tf.train.Server``. The expected devices of the slim tests are tf-slim's own
(``tf_slim/ops/variables_test.py``, which the acceptance suite runs unchanged); the rest are
checked against TF by the conformance topic ``graph_devplace_devices``.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.errors import UnsupportedError
from scopeflow.graph.device_functions import UserDeviceSpec, merged_device
from scopeflow.graph_io.graph_def import canonical_device
from scopeflow.run import _modules
from scopeflow.train import device_setter, server_lib

slim = tf.contrib.slim


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def _same_device(a: str, b: str) -> None:
    """tf-slim's ``assertDeviceEqual``: equal in TF's canonical form."""
    assert canonical_device(a) == canonical_device(b), (a, b)


class _Counter:
    def __init__(self, fmt: str = "cpu:%d") -> None:
        self.counter = -1
        self.fmt = fmt
        self.types: list[str] = []

    def __call__(self, op):
        self.types.append(op.type)
        self.counter += 1
        return self.fmt % self.counter


def _five_slim_variables(device):
    with slim.arg_scope([slim.variable], device=device):
        a = slim.variable("a", [])
        b = slim.variable("b", [])
        c = slim.variable("c", [], device="cpu:12")
        d = slim.variable("d", [])
        with tf.device("cpu:99"):
            e_init = tf.constant(12)
        e = slim.variable("e", initializer=e_init)
    return a, b, c, d, e


def _colocated(v) -> None:
    assert v.initial_value.op.colocation_groups() == v.op.colocation_groups()


def test_slim_variable_device_function_called_once_per_variable() -> None:
    fn = _Counter()
    a, b, c, d, e = _five_slim_variables(fn)
    for v, want in zip(
        (a, b, c, d, e), ("cpu:0", "cpu:1", "cpu:12", "cpu:2", "cpu:3"), strict=True
    ):
        _same_device(v.device, want)
    for v in (a, b, c, d):
        _colocated(v)
    _same_device(e.initial_value.device, "cpu:99")
    assert fn.types == ["VariableV2"] * 4  # initializers, Assign and read are not asked


def test_slim_variables_under_replica_device_setter() -> None:
    # tf-slim's test runs in ``cached_session(use_gpu=False)``, which pins ops to the CPU
    with tf.device("/device:CPU:0"), tf.device(tf.train.replica_device_setter(ps_tasks=2)):
        a, b, c, d, e = _five_slim_variables(None)
    want = ["/job:ps/task:0/cpu:0", "/job:ps/task:1/cpu:0", "/job:ps/task:0/cpu:12"]
    want += ["/job:ps/task:1/cpu:0", "/job:ps/task:0/cpu:0"]
    for v, w in zip((a, b, c, d, e), want, strict=True):
        _same_device(v.device, w)
    for v in (a, b, c, d):
        _colocated(v)
    _same_device(e.initial_value.device, "/job:worker/cpu:99")


@pytest.mark.parametrize(
    ("kwargs", "want"),
    [
        (
            {"num_tasks": 2},
            [
                "/job:ps/task:0/cpu:0",
                "/job:ps/task:1/cpu:0",
                "/cpu:12",
                "/job:ps/task:0/cpu:0",
                "/job:ps/task:1/cpu:0",
            ],
        ),
        (
            {"replica": 3, "num_tasks": 2},
            [
                "/job:ps/replica:3/task:0/cpu:0",
                "/job:ps/replica:3/task:1/cpu:0",
                "/cpu:12",
                "/job:ps/replica:3/task:0/cpu:0",
                "/job:ps/replica:3/task:1/cpu:0",
            ],
        ),
        ({"device_type": "GPU"}, ["/device:GPU:0"] * 2 + ["/cpu:12"] + ["/device:GPU:0"] * 2),
    ],
    ids=["ps", "replica", "gpu"],
)
def test_slim_variable_device_chooser(kwargs, want) -> None:
    a, b, c, d, e = _five_slim_variables(slim.VariableDeviceChooser(**kwargs))
    for v, w in zip((a, b, c, d, e), want, strict=True):
        _same_device(v.device, w)
    for v in (a, b, c, d):
        _colocated(v)
    _same_device(e.initial_value.device, "/cpu:99")


def test_model_variable_device_function_and_chooser() -> None:
    with slim.arg_scope([slim.model_variable], device=_Counter("/cpu:%d")):
        a = slim.model_variable("a", [5])
        b = slim.model_variable("b", [20])
    _same_device(a.device, "/cpu:0")
    _same_device(b.device, "/cpu:1")
    with slim.arg_scope([slim.model_variable], device=slim.VariableDeviceChooser()):
        c = slim.model_variable("c", [5])
    assert c.device == "/device:CPU:0"
    _colocated(c)


def test_device_empty_string_inside_a_scope_keeps_the_scope() -> None:
    with tf.device("/cpu:0"):
        a = slim.variable("a", [])
        with tf.device(""):
            b = tf.constant(1.0)
    assert a.device == "/device:CPU:0"
    assert b.device == "/device:CPU:0"


def test_string_stacks_resolve_when_pushed_and_functions_per_op() -> None:
    outer = UserDeviceSpec("/job:ps", None)
    inner = UserDeviceSpec("/gpu:1", outer)
    assert (outer.static, inner.static) == ("/job:ps", "/job:ps/device:GPU:1")
    assert UserDeviceSpec("", inner).static == "/job:ps/device:GPU:1"
    assert UserDeviceSpec(None, inner).static == ""
    fn = UserDeviceSpec(lambda op: "/cpu:0", None)
    assert fn.static is None
    assert UserDeviceSpec("/task:1", fn).static is None
    assert merged_device("/job:ps/task:0", "/gpu:2") == "/job:ps/task:0/device:GPU:2"


def test_device_functions_are_not_called_when_the_graph_runs() -> None:
    fn = _Counter()
    with tf.device(tf.train.replica_device_setter(ps_tasks=2)), tf.device(fn):
        w = tf.Variable([1.0, 2.0], name="w")
        y = tf.reduce_sum(w * 3.0)
        train = tf.train.GradientDescentOptimizer(0.5).minimize(y)
    calls = fn.counter
    with tf.Session() as sess:  # /job:ps and /job:worker ops run on this machine
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        np.testing.assert_allclose(sess.run(w), [-3.5, -2.5])
    assert fn.counter == calls
    assert w.device == "/job:ps/task:0/device:CPU:1"  # fn placed w/initial_value first


def test_optimizer_slots_and_updates_are_colocated_with_their_variable() -> None:
    with tf.device(tf.train.replica_device_setter(ps_tasks=3)):
        w = tf.Variable([1.0], name="w")
        b = tf.Variable([1.0], name="b")
        step = tf.train.get_or_create_global_step()
        loss = tf.reduce_sum(w * b)
        train = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
    assert (w.device, b.device, step.device) == (
        "/job:ps/task:0",
        "/job:ps/task:1",
        "/job:ps/task:2",
    )
    g = tf.get_default_graph()
    for name in ("w/Adam", "w/Adam_1", "w/Adam/Assign"):
        op = g.get_operation_by_name(name)
        assert op.device == w.device
        assert op.colocation_groups() == [b"loc:@w"]
    assert g.get_operation_by_name("beta1_power").device == b.device  # the first var (sorted)
    assert g.get_operation_by_name("Adam/update_w/ApplyAdam").device == w.device
    assert train.device == step.device


def test_colocate_with_none_needs_ignore_existing() -> None:
    with pytest.raises(ValueError, match="ignore_existing is not True"), tf.colocate_with(None):
        pass


def test_device_scope_exited_out_of_order_raises() -> None:
    g = tf.get_default_graph()
    outer, inner = g.device("/cpu:0"), g.device("/cpu:1")
    outer.__enter__()
    inner.__enter__()
    with pytest.raises(RuntimeError, match="without proper scope nesting"):
        outer.__exit__(None, None, None)


def test_cluster_spec_and_server() -> None:
    cluster = tf.train.ClusterSpec({"ps": ["p0:1", "p1:1"], "worker": {2: "w2:1"}})
    assert cluster.as_dict() == {"ps": ["p0:1", "p1:1"], "worker": {2: "w2:1"}}
    assert tf.train.ClusterSpec(cluster.as_cluster_def()).as_dict() == cluster.as_dict()
    setter = tf.train.replica_device_setter(cluster=cluster)
    with tf.device(setter):
        v = [tf.Variable(1.0) for _ in range(3)]
    assert [x.device for x in v] == ["/job:ps/task:0", "/job:ps/task:1", "/job:ps/task:0"]
    with pytest.raises(UnsupportedError, match=r"tf\.train\.Server"):
        tf.train.Server(cluster, job_name="ps", task_index=0)
    with pytest.raises(UnsupportedError, match="create_local_server"):
        server_lib.Server.create_local_server()


def test_module_paths_under_scopeflow_run() -> None:
    module = _modules.import_tf_module("tensorflow.python.training.device_setter")
    assert module.replica_device_setter is device_setter.replica_device_setter
    assert module.STANDARD_PS_OPS is device_setter.STANDARD_PS_OPS
    toggle = _modules.import_tf_module("tensorflow.python.ops.resource_variables_toggle")
    assert toggle.resource_variables_enabled() is False
    spec = _modules.import_tf_module("tensorflow.python.framework.device_spec")
    assert spec.DeviceSpecV1 is tf.DeviceSpec
    device = _modules.import_tf_module("tensorflow.python.framework.device")
    assert device.canonical_name("/job:w/gpu:0") == "/job:w/device:GPU:0"
    server = _modules.import_tf_module("tensorflow.python.training.server_lib")
    assert server.ClusterSpec is tf.train.ClusterSpec
