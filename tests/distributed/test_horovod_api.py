"""The Horovod TF1 API in one process (a group of one): names, values, errors, the hook."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.distributed import _horovod as hvd
from scopeflow.distributed import _process
from scopeflow.errors import UnsupportedError
from scopeflow.run import tensorflow_import_hook


@pytest.fixture
def fresh_group():
    _process.shutdown()
    yield
    _process.shutdown()


def test_calls_before_init_raise_horovods_error(fresh_group):
    assert not hvd.is_initialized()
    with pytest.raises(ValueError, match=r"Horovod has not been initialized; use hvd.init\(\)."):
        hvd.rank()
    with tf.Graph().as_default(), pytest.raises(ValueError, match="not been initialized"):
        hvd.allreduce(tf.constant(1.0))


def test_group_of_one_without_torchrun(fresh_group, monkeypatch):
    for var in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE"):
        monkeypatch.delenv(var, raising=False)
    hvd.init()
    assert (hvd.rank(), hvd.size(), hvd.local_rank(), hvd.local_size()) == (0, 1, 0, 1)
    assert (hvd.cross_rank(), hvd.cross_size()) == (0, 1)
    assert hvd.is_initialized()
    assert not hvd.mpi_enabled()
    assert hvd.gloo_enabled()


def test_collectives_in_a_group_of_one_return_their_input(fresh_group):
    hvd.init()
    with tf.Graph().as_default():
        x = tf.constant([[1.0, 2.0], [3.0, 4.0]], name="x")
        avg = hvd.allreduce(x)
        summed = hvd.allreduce(x, op=hvd.Sum, prescale_factor=2.0, postscale_factor=0.5)
        gathered = hvd.allgather(x)
        bcast = hvd.broadcast(x, 0)
        grouped = hvd.grouped_allreduce([x, tf.constant([5, 6])])
        fp16 = hvd.allreduce(x, compression=hvd.Compression.fp16)
        assert avg.op.type == "HorovodAllreduce"
        assert avg.op.name == "HorovodAllreduce_x_0"
        assert gathered.op.name == "HorovodAllgather_x_0"
        assert gathered.shape.as_list() == [None, 2]
        assert bcast.op.name == "HorovodBroadcast_x_0"
        assert grouped[0].op.type == "HorovodAllreduceWait"
        assert grouped[0].op.inputs[0].op.type == "HorovodGroupedAllreduce"
        assert fp16.dtype == tf.float32
        with tf.Session() as sess:
            out = sess.run([avg, summed, gathered, bcast, *grouped, fp16])
    want = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    for got in out[:5]:
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(out[5], [5, 6])
    np.testing.assert_array_equal(out[6], want)


def test_allreduce_of_indexed_slices_gathers_values_and_indices(fresh_group):
    hvd.init()
    with tf.Graph().as_default():
        s = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([3]), tf.constant([5, 2]))
        r = hvd.allreduce(s)
        assert isinstance(r, tf.IndexedSlices)
        assert r.values.op.inputs[0].op.type == "HorovodAllgather"
        assert r.indices.op.type == "HorovodAllgather"
        with tf.Session() as sess:
            v, i = sess.run([r.values, r.indices])
    np.testing.assert_array_equal(v, [[1.0, 2.0]])
    np.testing.assert_array_equal(i, [3])


def test_allreduce_is_differentiable(fresh_group):
    hvd.init()
    with tf.Graph().as_default():
        w = tf.Variable([1.0, 2.0], name="w")
        loss = tf.reduce_sum(hvd.allreduce(w * w))
        (g,) = tf.gradients(loss, [w])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_allclose(sess.run(g), [2.0, 4.0])


def test_distributed_optimizer_wraps_and_delegates(fresh_group):
    hvd.init()
    with tf.Graph().as_default():
        w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
        emb = tf.get_variable("emb", [4, 2], initializer=tf.ones_initializer())
        loss = tf.reduce_sum(w * tf.nn.embedding_lookup(emb, [1, 1]))
        base = tf.train.MomentumOptimizer(0.5, 0.9)
        opt = hvd.DistributedOptimizer(base)
        assert opt.get_name() == "DistributedMomentumOptimizer"
        gv = opt.compute_gradients(loss)
        assert gv[0][0].op.type == "HorovodAllreduceWait"
        assert gv[0][0].op.inputs[0].op.type == "HorovodGroupedAllreduce"
        assert gv[0][0].op.name.startswith("DistributedMomentumOptimizer_Allreduce/")
        assert isinstance(gv[1][0], tf.IndexedSlices)
        train = opt.apply_gradients(gv)
        assert opt.get_slot_names() == ["momentum"]
        assert opt.get_slot(w, "momentum") is base.get_slot(w, "momentum")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
            np.testing.assert_allclose(sess.run(w), [-0.0, -0.0], atol=1e-7)
            np.testing.assert_allclose(sess.run(emb)[1], [0.0, 0.0], atol=1e-7)


def test_unsupported_optimizer_arguments_are_named(fresh_group):
    hvd.init()
    opt = tf.train.GradientDescentOptimizer(0.1)
    with pytest.raises(UnsupportedError, match="backward_passes_per_step"):
        hvd.DistributedOptimizer(opt, backward_passes_per_step=2)
    with pytest.raises(UnsupportedError, match="Adasum"):
        hvd.DistributedOptimizer(opt, op=hvd.Adasum)
    with pytest.raises(ValueError, match="gradient_predivide_factor not supported"):
        hvd.DistributedOptimizer(opt, op=hvd.Sum, gradient_predivide_factor=2.0)
    with pytest.raises(ValueError, match="supersedes average"):
        hvd.allreduce(tf.constant(1.0), average=True, op=hvd.Sum)


def test_broadcast_hook_runs_the_broadcast_after_session_creation(fresh_group):
    hvd.init()
    with tf.Graph().as_default():
        v = tf.Variable(3.0, name="v")
        hook = hvd.BroadcastGlobalVariablesHook(0)
        hook.begin()
        assert hook.bcast_op.type == "NoOp"
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            hook.after_create_session(sess, None)
            assert sess.run(v) == 3.0


def test_import_hook_serves_horovod_tensorflow():
    with tensorflow_import_hook():
        import horovod
        import horovod.tensorflow as imported

        assert imported.DistributedOptimizer is hvd.DistributedOptimizer
        assert imported.init is hvd.init
        assert horovod.__version__
