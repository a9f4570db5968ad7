"""``scopeflow.torch.to_module``: a TF1 graph as a ``torch.nn.Module``.

The module is checked against the graph it wraps: its forward against ``Session.run``, its
gradients against ``tf.gradients``, torch SGD steps against ``tf.train.GradientDescentOptimizer``
steps, its ``state_dict`` keys against the checkpoint ``tf.train.Saver`` writes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
import scopeflow.torch as sft
from scopeflow.checkpoint import BundleReader
from scopeflow.errors import UnsupportedError


def _mlp(seed: int = 3) -> tuple[tf.Graph, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]:
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(seed)
        x = tf.placeholder(tf.float32, [None, 6], name="x")
        y = tf.placeholder(tf.float32, [None, 3], name="y")
        h = tf.layers.dense(x, 16, activation=tf.nn.relu)
        h = tf.layers.dense(h, 8, activation=tf.nn.tanh)
        out = tf.layers.dense(h, 3)
        loss = tf.reduce_mean(tf.square(out - y))
    return g, x, y, out, loss


def _conv() -> tuple[tf.Graph, tf.Tensor, tf.Tensor, tf.Tensor]:
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(7)
        x = tf.placeholder(tf.float32, [None, 8, 8, 3], name="images")
        labels = tf.placeholder(tf.int32, [None], name="labels")
        h = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu)
        h = tf.layers.max_pooling2d(h, 2, 2)
        h = tf.layers.conv2d(h, 5, 3, strides=2, padding="valid")
        h = tf.layers.flatten(h)
        logits = tf.layers.dense(h, 4)
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    return g, x, labels, loss


def _data(n: int = 5) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(0)
    return rng.randn(n, 6).astype(np.float32), rng.randn(n, 3).astype(np.float32)


def test_mlp_forward_and_gradients_equal_session() -> None:
    g, x, y, out, loss = _mlp()
    xv, yv = _data()
    with g.as_default(), tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        grads = tf.gradients(loss, tf.trainable_variables())
        want_out, want_loss, want_grads = sess.run([out, loss, grads], {x: xv, y: yv})
        m = sft.to_module((out, loss), [x, y], session=sess)
    got_out, got_loss = m(xv, yv)
    assert isinstance(got_out, torch.Tensor)
    np.testing.assert_array_equal(got_out.detach().numpy(), want_out)
    np.testing.assert_array_equal(got_loss.detach().numpy(), want_loss)
    got_loss.backward()
    assert [n for n, _ in m.named_parameters()] == [
        "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias",
        "dense_2/kernel", "dense_2/bias",
    ]  # fmt: skip
    for p, w in zip(m.parameters(), want_grads, strict=True):
        assert p.grad is not None
        np.testing.assert_allclose(p.grad.numpy(), w, rtol=1e-6, atol=1e-7)


def test_conv_net_forward_equals_session() -> None:
    g, x, labels, loss = _conv()
    rng = np.random.RandomState(1)
    xv = rng.randn(2, 8, 8, 3).astype(np.float32)
    lv = np.array([1, 3], np.int32)
    with g.as_default(), tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        grads = tf.gradients(loss, tf.trainable_variables())
        want, want_grads = sess.run([loss, grads], {x: xv, labels: lv})
        m = sft.to_module(loss, {"images": x, "labels": labels}, session=sess)
    got = m(images=torch.from_numpy(xv), labels=torch.from_numpy(lv))
    np.testing.assert_array_equal(got.detach().numpy(), want)
    got.backward()
    for p, w in zip(m.parameters(), want_grads, strict=True):
        np.testing.assert_allclose(p.grad.numpy(), w, rtol=1e-5, atol=1e-6)


def test_sgd_steps_equal_gradient_descent_optimizer() -> None:
    xv, yv = _data(8)
    g, x, y, _, loss = _mlp()
    with g.as_default(), tf.Session() as sess:
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        sess.run(tf.global_variables_initializer())
        m = sft.to_module(loss, [x, y], session=sess)
        for _ in range(5):
            sess.run(train, {x: xv, y: yv})
        want = sess.run(tf.trainable_variables())
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    for _ in range(5):
        opt.zero_grad()
        m(xv, yv).backward()
        opt.step()
    for p, w in zip(m.parameters(), want, strict=True):
        np.testing.assert_allclose(p.detach().numpy(), w, rtol=1e-6, atol=1e-6)


def test_values_from_fresh_session_equal_seeded_initializers() -> None:
    g, x, _y, out, _ = _mlp(seed=11)
    with g.as_default(), tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        want = {v.op.name: sess.run(v) for v in tf.global_variables()}
        m = sft.to_module(out, x)  # no session: a new one runs the initializers
    assert m.session is not sess
    for k, v in m.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), want[k])


def test_state_dict_keys_are_saver_checkpoint_keys(tmp_path) -> None:
    g, x, y, _, loss = _mlp()
    with g.as_default(), tf.Session() as sess:
        step = tf.train.get_or_create_global_step()
        tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / "model.ckpt"), write_meta_graph=False)
        m = sft.to_module(loss, [x, y], session=sess)
    keys = BundleReader(path).keys()
    assert sorted(m.state_dict()) == sorted(keys)
    assert [n for n, _ in m.named_buffers()] == ["global_step"]
    assert m.state_dict()["global_step"].dtype == torch.int64


def test_saver_checkpoint_loads_with_load_state_dict(tmp_path) -> None:
    xv, _yv = _data()
    g, x, _y, out, _ = _mlp(seed=5)
    with g.as_default(), tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / "model.ckpt"), write_meta_graph=False)
        want = sess.run(out, {x: xv})
    g2, x2, _, out2, _ = _mlp(seed=6)  # other initial values
    m = sft.to_module(out2, x2, graph=g2)
    assert not np.array_equal(m(xv).detach().numpy(), want)
    reader = BundleReader(path)
    state = {k: torch.from_numpy(np.array(reader.get_tensor(k))) for k in reader.keys()}  # noqa: SIM118
    m.load_state_dict(state)
    np.testing.assert_array_equal(m(xv).detach().numpy(), want)


def test_functional_call_uses_the_given_parameters() -> None:
    g, x, _y, out, _ = _mlp()
    xv, _ = _data()
    with g.as_default(), tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        m = sft.to_module(out, x, session=sess)
        zero = {v.op.name: np.zeros(v.shape.as_list(), np.float32) for v in tf.global_variables()}
        zero["dense_2/bias"] = np.array([1.0, 2.0, 3.0], np.float32)
        want = sess.run(out, {x: xv, **{g.get_tensor_by_name(k + ":0"): v
                                        for k, v in zero.items()}})  # fmt: skip
    params = {k: torch.from_numpy(v) for k, v in zero.items()}
    got = torch.func.functional_call(m, params, (xv,))
    np.testing.assert_array_equal(got.numpy(), want)
    np.testing.assert_array_equal(got.numpy(), np.tile([1.0, 2.0, 3.0], (5, 1)))
    # The module's own values are untouched.
    assert not np.array_equal(m(xv).detach().numpy(), want)


def test_sync_to_session_writes_values_back() -> None:
    xv, yv = _data()
    g, x, y, _out, loss = _mlp()
    with g.as_default(), tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        m = sft.to_module(loss, [x, y], session=sess)
        opt = torch.optim.SGD(m.parameters(), lr=0.5)
        m(xv, yv).backward()
        opt.step()
        before = sess.run(loss, {x: xv, y: yv})
        m.sync_to_session()
        after = sess.run(loss, {x: xv, y: yv})
        np.testing.assert_allclose(after, m(xv, yv).item(), rtol=1e-6)
        assert after < before
        for v in tf.trainable_variables():
            np.testing.assert_array_equal(sess.run(v), m.state_dict()[v.op.name].numpy())
        with (
            tf.Session(graph=tf.Graph()) as other,
            pytest.raises(ValueError, match="not the graph of this module"),
        ):
            m.sync_to_session(other)


def test_training_placeholder_follows_train_and_eval() -> None:
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        is_training = tf.placeholder(tf.bool, [], name="is_training")
        h = tf.layers.batch_normalization(x, training=is_training)
        out = tf.layers.dropout(h, rate=0.5, training=is_training)
        m = sft.to_module(out, x, training=is_training)
    xv = np.random.RandomState(2).randn(64, 4).astype(np.float32) * 3 + 1
    assert sorted(n for n, _ in m.named_buffers()) == [
        "batch_normalization/moving_mean", "batch_normalization/moving_variance",
    ]  # fmt: skip
    m.eval()
    # Inference: moving statistics (0 and 1 at init), no dropout.
    np.testing.assert_allclose(m(xv).detach().numpy(), xv / np.sqrt(1 + 1e-3), rtol=1e-6)
    m.train()
    got = m(xv).detach().numpy()
    assert (got == 0).mean() > 0.3  # dropout active
    # The training-mode forward updated the moving statistics (UPDATE_OPS), as a TF step does.
    mean = m.get_buffer("batch_normalization/moving_mean").numpy()
    var = m.get_buffer("batch_normalization/moving_variance").numpy()
    np.testing.assert_allclose(mean, 0.01 * xv.mean(0), rtol=1e-4)
    # A value given by name wins over the module's mode.
    np.testing.assert_allclose(m(xv, is_training=False).detach().numpy(),
                               (xv - mean) / np.sqrt(var + 1e-3), rtol=1e-5)  # fmt: skip


def test_input_errors() -> None:
    g, x, y, _, loss = _mlp()
    m = sft.to_module(loss, [x, y], graph=g)
    xv, yv = _data()
    assert m.input_names == ["x", "y"]
    with pytest.raises(TypeError, match="missing values for inputs \\['y'\\]"):
        m(xv)
    with pytest.raises(TypeError, match="unexpected input 'z'"):
        m(xv, yv, z=1)
    with pytest.raises(TypeError, match="multiple values for input 'x'"):
        m(xv, yv, x=xv)
    with pytest.raises(ValueError, match="Cannot feed value of shape"):
        m(xv[:, :2], yv)
    with g.as_default():
        w = tf.placeholder(tf.float32, [], name="w")
        with pytest.raises(TypeError, match="bool placeholder"):
            sft.to_module(loss, [x, y], training=w)


def test_unsupported_partitioned_variable() -> None:
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4])
        w = tf.get_variable("w", [4, 2], partitioner=tf.fixed_size_partitioner(2))
        y = tf.matmul(x, w)
        with pytest.raises(UnsupportedError, match="partitioned variable w/part_0"):
            sft.to_module(y, x)


def test_tensorflow_written_checkpoint_loads_with_load_state_dict() -> None:
    """A checkpoint written by real TensorFlow (Adam slots, EMA shadows, global step) loads."""
    import sys

    train_dir = Path(__file__).resolve().parents[1] / "train"
    sys.path.insert(0, str(train_dir))
    try:
        import train_state_model
    finally:
        sys.path.remove(str(train_dir))
    prefix = str(train_dir / "golden" / "train_state" / "tf_ckpt")
    g = tf.Graph()
    with g.as_default():
        train_state_model.build(tf)
        loss = g.get_tensor_by_name("Mean:0")
        m = sft.to_module(loss, [])
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, prefix)
            want = sess.run(loss)
    reader = BundleReader(prefix)
    keys = reader.keys()
    assert sorted(m.state_dict()) == sorted(keys)
    assert sorted(n for n, _ in m.named_parameters()) == ["dense/bias", "dense/kernel", "emb"]
    m.load_state_dict({k: torch.from_numpy(np.array(reader.get_tensor(k))) for k in keys})
    np.testing.assert_array_equal(m().detach().numpy(), want)
    with g.as_default(), tf.Session() as sess:
        m.sync_to_session(sess)  # a fresh session: every variable comes from the module
        for k in keys:
            np.testing.assert_array_equal(sess.run(k + ":0"), reader.get_tensor(k))


@pytest.mark.slow
def test_torch_compile() -> None:
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        out = tf.layers.dense(tf.layers.dense(x, 8, activation=tf.nn.relu), 2)
        m = sft.to_module(out, x)
    xv = torch.randn(5, 4)
    want = m(xv)
    (gw,) = torch.autograd.grad(want.sum(), [m.get_parameter("dense/kernel")])
    got = torch.compile(m)(xv)
    torch.testing.assert_close(got, want)
    (gg,) = torch.autograd.grad(got.sum(), [m.get_parameter("dense/kernel")])
    torch.testing.assert_close(gg, gw)


def test_unfed_placeholder_and_kernel_errors_name_their_op() -> None:
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        scale = tf.placeholder(tf.float32, [], name="scale")
        idx = tf.placeholder(tf.int32, [None], name="idx")
        m = sft.to_module(x * scale, x)
        m2 = sft.to_module(tf.gather(x, idx, name="pick"), [x, idx])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="You must feed a value for placeholder tensor 'scale'"):  # fmt: skip
        m([[1.0, 2.0]])
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        m2([[1.0, 2.0]], [3])
    assert info.value.op is not None
    assert info.value.op.name == "pick"


def test_duplicate_input_names() -> None:
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2], name="x")
        with pytest.raises(ValueError, match="repeated: \\['x'\\]"):
            sft.to_module(x * 2, [x, x])


def test_placeholder_with_default_as_training_switch() -> None:
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 100], name="x")
        training = tf.placeholder_with_default(False, [], name="training")
        out = tf.layers.dropout(x, rate=0.5, training=training)
        m = sft.to_module(out, "x", training="training")
    xv = np.ones((4, 100), np.float32)
    m.eval()
    np.testing.assert_array_equal(m(xv).numpy(), xv)
    m.train()
    got = m(xv).numpy()
    assert set(np.unique(got)) == {0.0, 2.0}


def test_saver_restores_what_torch_wrote_as_safetensors(tmp_path) -> None:
    from safetensors.torch import save_file

    from scopeflow.train.safetensors_io import safetensors_to_bundle

    xv, yv = _data()
    g, x, y, _, loss = _mlp(seed=9)
    m = sft.to_module(loss, [x, y], graph=g)
    opt = torch.optim.SGD(m.parameters(), lr=0.3)
    m(xv, yv).backward()
    opt.step()
    save_file({k: v.detach().contiguous() for k, v in m.state_dict().items()},
              str(tmp_path / "m.safetensors"))  # fmt: skip
    safetensors_to_bundle(str(tmp_path / "m.safetensors"), str(tmp_path / "ckpt"))
    with g.as_default(), tf.Session() as sess:
        tf.train.Saver().restore(sess, str(tmp_path / "ckpt"))
        np.testing.assert_allclose(sess.run(loss, {x: xv, y: yv}), m(xv, yv).item(), rtol=1e-6)
        for k, v in m.state_dict().items():
            np.testing.assert_array_equal(sess.run(k + ":0"), v.numpy())


def test_deepcopy_copies_values_and_shares_the_graph() -> None:
    import copy

    g, x, _, out, _ = _mlp()
    m = sft.to_module(out, x, graph=g)
    xv, _ = _data()
    want = m(xv).detach().numpy()
    m2 = copy.deepcopy(m)
    assert m2.graph is m.graph
    assert m2.session is m.session
    with torch.no_grad():
        for p in m2.parameters():
            p.zero_()
    np.testing.assert_array_equal(m(xv).detach().numpy(), want)
    np.testing.assert_array_equal(m2(xv).detach().numpy(), np.zeros_like(want))


def test_gradient_ops_among_outputs() -> None:
    g, x, y, _, loss = _mlp()
    xv, yv = _data()
    with g.as_default(), tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        grads = tf.gradients(loss, tf.trainable_variables())
        want = sess.run(grads, {x: xv, y: yv})
        m = sft.to_module(grads, [x, y], session=sess)
    with torch.no_grad():
        got = m(xv, yv)
    assert isinstance(got, list)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a.detach().numpy(), b)


def test_changed_parameter_dtype_is_an_error() -> None:
    g, x, _, out, _ = _mlp()
    m = sft.to_module(out, x, graph=g).double()
    with pytest.raises(UnsupportedError, match=r"dense/kernel as torch\.float64"):
        m(_data()[0])


def test_string_variable_is_unsupported() -> None:
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2], name="x")
        tf.get_variable("names", initializer=tf.constant(["a", "b"]))
        with pytest.raises(UnsupportedError, match="string variable names"):
            sft.to_module(x * 2, x)


def _bn_graph(slim_style: bool) -> tuple[tf.Graph, tf.Tensor, tf.Tensor, tf.Tensor]:
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(4)
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        training = tf.placeholder_with_default(False, [], name="training")
        if slim_style:  # unconditional update ops (is_training=True at build time)
            h = tf.contrib.layers.batch_norm(x, is_training=True, decay=0.9)
        else:  # update ops inside tf.cond on the training placeholder
            h = tf.layers.batch_normalization(x, training=training, momentum=0.9)
        out = tf.layers.dense(h, 2)
    return g, x, training, out


@pytest.mark.parametrize("slim_style", [False, True], ids=["tf_layers_cond", "slim_unconditional"])
def test_train_mode_runs_update_ops_like_a_tf_training_step(slim_style: bool) -> None:
    g, x, training, out = _bn_graph(slim_style)
    m = sft.to_module(out, x, training=training)
    sess = m.session
    update_ops = g.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert update_ops
    rng = np.random.RandomState(5)
    batches = [rng.randn(16, 4).astype(np.float32) * 2 + 3 for _ in range(3)]
    m.train()
    for xv in batches:
        got = m(xv)
        want, _ = sess.run([out, update_ops], {x: xv, training: True})
        np.testing.assert_allclose(got.detach().numpy(), want, rtol=1e-5, atol=1e-6)
    # the moving statistics moved exactly as the session's (three TF training steps)
    for name, buf in m.named_buffers():
        want_val = sess.run(g.get_tensor_by_name(name + ":0"))
        np.testing.assert_allclose(buf.numpy(), want_val, rtol=1e-5, atol=1e-6, err_msg=name)
    moving_mean = next(b for n, b in m.named_buffers() if n.endswith("moving_mean"))
    assert np.abs(moving_mean.numpy()).max() > 0.5  # really updated (from 0 towards ~3)
    # eval(): outputs only, the buffers stay
    before = {n: b.clone() for n, b in m.named_buffers()}
    m.eval()
    m(batches[0])
    for n, b in m.named_buffers():
        torch.testing.assert_close(b, before[n])
