"""What the acceptance tests do with the real source files: small configs, fixed inputs, weights.

Each scenario takes the ``tf`` module, the loaded source modules (``real_code.Loader``) and a
scratch directory, builds a small model with the real code, sets every variable to the same
deterministic NumPy values (``real_code.seeded_values``), and returns ``(info, arrays)``:
``info`` holds the variable names and shapes in creation order, the trainable ones and the output
tensors' names and static shapes (JSON); ``arrays`` holds outputs and values after training steps.
``tools/record_acceptance.py`` runs them under TensorFlow and commits the results;
``test_real_code.py`` runs them under scopeflow and compares.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from real_code import seeded_values

Result = tuple[dict[str, Any], dict[str, np.ndarray]]


def _describe(tf: Any, outputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "global_variables": [[v.op.name, v.shape.as_list()] for v in tf.global_variables()],
        "trainable_variables": [v.op.name for v in tf.trainable_variables()],
        "outputs": {k: [t.name, t.shape.as_list()] for k, t in outputs.items()},
    }


def _assign_all(tf: Any, sess: Any, seed: int, variables: list[Any] | None = None) -> None:
    """Set the model's float variables (default: all) to ``seeded_values`` (the same numbers
    under both libraries); optimizer slots keep their zero initial values."""
    if variables is None:
        variables = tf.global_variables()
    float_vars = [v for v in variables if v.dtype.base_dtype == tf.float32]
    values = seeded_values([(v.op.name, v.shape.as_list()) for v in float_vars], seed)
    sess.run([tf.assign(v, values[v.op.name]) for v in float_vars])


def _values(sess: Any, variables: list[Any], prefix: str) -> dict[str, np.ndarray]:
    got = sess.run(variables)
    return {f"{prefix}/{v.op.name}": np.asarray(x) for v, x in zip(variables, got, strict=True)}


def _bert_inputs() -> dict[str, np.ndarray]:
    rng = np.random.RandomState(7)
    ids = rng.randint(0, 50, [2, 8]).astype(np.int32)
    mask = np.ones([2, 8], np.int32)
    mask[1, 5:] = 0
    types = np.zeros([2, 8], np.int32)
    types[:, 4:] = 1
    return {"ids": ids, "mask": mask, "types": types}


def _build_bert(tf: Any, mods: dict[str, Any], hidden: int = 64, layers: int = 2) -> dict[str, Any]:
    """BertModel with a 3-class head, its loss and BERT's ``create_optimizer`` train op."""
    modeling, optimization = mods["bert.modeling"], mods["bert.optimization"]
    config = modeling.BertConfig(
        vocab_size=50,
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=4,
        intermediate_size=2 * hidden,
        max_position_embeddings=32,
        type_vocab_size=2,
    )
    data = _bert_inputs()
    ids = tf.placeholder(tf.int32, [2, 8], name="input_ids")
    mask = tf.placeholder(tf.int32, [2, 8], name="input_mask")
    types = tf.placeholder(tf.int32, [2, 8], name="segment_ids")
    model = modeling.BertModel(
        config=config, is_training=False, input_ids=ids, input_mask=mask, token_type_ids=types
    )
    seq = model.get_sequence_output()
    pooled = model.get_pooled_output()
    with tf.variable_scope("cls"):
        w = tf.get_variable(
            "output_weights", [3, hidden], initializer=tf.truncated_normal_initializer(stddev=0.02)
        )
        logits = tf.matmul(pooled, w, transpose_b=True)
    labels = tf.constant([0, 2])
    log_probs = tf.nn.log_softmax(logits, axis=-1)
    loss = -tf.reduce_mean(tf.reduce_sum(tf.one_hot(labels, 3) * log_probs, axis=-1))
    loss = loss + tf.reduce_mean(tf.square(seq))
    grads = tf.gradients(loss, tf.trainable_variables()[:1])
    model_vars = tf.global_variables()
    # No warmup and an endless decay: BERT reads global_step for the learning rate in the same
    # run that increments it, without ordering the two, and TF1's ref-variable reads may see
    # either value. With these settings both values give the same float32 learning rate.
    train_op = optimization.create_optimizer(loss, 1e-2, 10**9, 0, False)
    return {
        "outputs": {"sequence_output": seq, "pooled_output": pooled, "loss": loss},
        "loss": loss,
        "grads": grads,
        "model_vars": model_vars,
        "train_op": train_op,
        "feed": {ids: data["ids"], mask: data["mask"], types: data["types"]},
    }


def bert(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
    """BertModel (2 layers, hidden 64) and three ``create_optimizer`` steps (AdamWeightDecay)."""
    m = _build_bert(tf, mods)
    outputs, loss, feed = m["outputs"], m["loss"], m["feed"]
    info = _describe(tf, outputs)
    sparse = isinstance(m["grads"][0], tf.IndexedSlices)
    info["embedding_grad"] = "IndexedSlices" if sparse else "Tensor"
    arrays: dict[str, np.ndarray] = {}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _assign_all(tf, sess, seed=1, variables=m["model_vars"])
        got = sess.run(outputs, feed)
        arrays.update({f"out/{k}": np.asarray(v) for k, v in got.items()})
        for step in range(3):
            sess.run(m["train_op"], feed)
            arrays[f"loss_after_step{step}"] = np.asarray(sess.run(loss, feed))
        arrays.update(_values(sess, tf.trainable_variables(), "after"))
        slots = [v for v in tf.global_variables() if v.op.name.startswith("cls/")]
        arrays.update(_values(sess, slots, "after"))
    return info, arrays


def bert_write_checkpoint(tf: Any, mods: dict[str, Any], path: Path) -> dict[str, np.ndarray]:
    """A small BertModel one optimizer step in, saved to ``path`` with ``tf.train.Saver``;
    returns the loss and weights after one more step (what a restore must continue to)."""
    m = _build_bert(tf, mods, hidden=32, layers=1)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _assign_all(tf, sess, seed=6, variables=m["model_vars"])
        sess.run(m["train_op"], m["feed"])
        saver.save(sess, str(path), write_meta_graph=False)
        return _continue(tf, sess, m)


def bert_read_checkpoint(tf: Any, mods: dict[str, Any], path: Path) -> dict[str, np.ndarray]:
    """The same model restored from ``path``, then one more step."""
    m = _build_bert(tf, mods, hidden=32, layers=1)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        saver.restore(sess, str(path))
        return _continue(tf, sess, m)


def _continue(tf: Any, sess: Any, m: dict[str, Any]) -> dict[str, np.ndarray]:
    out = {"loss_restored": np.asarray(sess.run(m["loss"], m["feed"]))}
    out.update(_values(sess, tf.global_variables(), "saved"))
    sess.run(m["train_op"], m["feed"])
    out["loss_next"] = np.asarray(sess.run(m["loss"], m["feed"]))
    out.update(_values(sess, tf.global_variables(), "next"))
    return out


def albert(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
    """AlbertModel (factorized embeddings, 2 layers sharing one group) and its gradients."""
    modeling = mods["albert.modeling"]
    config = modeling.AlbertConfig(
        vocab_size=50,
        embedding_size=16,
        hidden_size=64,
        num_hidden_layers=2,
        num_hidden_groups=1,
        num_attention_heads=4,
        intermediate_size=128,
        inner_group_num=1,
        max_position_embeddings=32,
        type_vocab_size=2,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
    )
    data = _bert_inputs()
    ids = tf.constant(data["ids"])
    mask = tf.constant(data["mask"])
    types = tf.constant(data["types"])
    model = modeling.AlbertModel(
        config=config, is_training=False, input_ids=ids, input_mask=mask, token_type_ids=types
    )
    seq = model.get_sequence_output()
    pooled = model.get_pooled_output()
    loss = tf.reduce_sum(tf.square(pooled)) + tf.reduce_mean(seq * seq)
    tvars = tf.trainable_variables()
    grads = tf.gradients(loss, tvars)
    dense = [tf.convert_to_tensor(g) for g in grads]
    outputs = {"sequence_output": seq, "pooled_output": pooled, "loss": loss}
    info = _describe(tf, outputs)
    info["grad_types"] = [
        "IndexedSlices" if isinstance(g, tf.IndexedSlices) else "Tensor" for g in grads
    ]
    arrays: dict[str, np.ndarray] = {}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _assign_all(tf, sess, seed=2)
        got = sess.run(outputs)
        arrays.update({f"out/{k}": np.asarray(v) for k, v in got.items()})
        for v, g in zip(tvars, sess.run(dense), strict=True):
            arrays[f"grad/{v.op.name}"] = np.asarray(g)
    return info, arrays


def dcgan(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
    """carpedm20's DCGAN at 32x32 (slim batch_norm, conv2d_transpose) and one D and G Adam step."""
    model = mods["dcgan.model"]
    data_dir = tmp / "data"
    (data_dir / "faces").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        (data_dir / "faces" / f"{i}.jpg").write_bytes(b"")
    with tf.Session() as sess:
        gan = model.DCGAN(
            sess,
            input_height=32,
            input_width=32,
            output_height=32,
            output_width=32,
            batch_size=4,
            sample_num=4,
            z_dim=8,
            gf_dim=4,
            df_dim=4,
            dataset_name="faces",
            data_dir=str(data_dir),
            checkpoint_dir=str(tmp / "ckpt"),
            out_dir=str(tmp / "out"),
        )
        model_vars = tf.global_variables()
        # What DCGAN.train builds (its remaining lines read images and write summaries).
        d_optim = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(gan.d_loss, var_list=gan.d_vars)
        g_optim = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(gan.g_loss, var_list=gan.g_vars)
        outputs = {
            "G": gan.G,
            "D": gan.D,
            "D_logits_": gan.D_logits_,
            "sampler": gan.sampler,
            "d_loss": gan.d_loss,
            "g_loss": gan.g_loss,
        }
        info = _describe(tf, outputs)
        info["d_vars"] = [v.op.name for v in gan.d_vars]
        info["g_vars"] = [v.op.name for v in gan.g_vars]
        rng = np.random.RandomState(3)
        images = rng.uniform(-1, 1, [4, 32, 32, 3]).astype(np.float32)
        z = rng.uniform(-1, 1, [4, 8]).astype(np.float32)
        feed = {gan.inputs: images, gan.z: z}
        sess.run(tf.global_variables_initializer())
        _assign_all(tf, sess, seed=3, variables=model_vars)
        # One fetch at a time: a run that evaluates the discriminator twice (real and fake)
        # updates its moving statistics twice in an order TF leaves open, and the sampler reads
        # the generator's moving statistics that a training-mode generator updates.
        arrays = {"out/sampler": sess.run(gan.sampler, feed)}
        for key in ("G", "D", "D_logits_", "d_loss", "g_loss"):
            arrays[f"out/{key}"] = sess.run(outputs[key], feed)
        d_grads = tf.gradients(gan.d_loss, gan.d_vars)
        g_grads = tf.gradients(gan.g_loss, gan.g_vars)
        for v, g in zip(gan.d_vars, sess.run(d_grads, feed), strict=True):
            arrays[f"d_grad/{v.op.name}"] = g
        for v, g in zip(gan.g_vars, sess.run(g_grads, feed), strict=True):
            arrays[f"g_grad/{v.op.name}"] = g
        sess.run(d_optim, feed)
        sess.run(g_optim, {gan.z: z})
        sess.run(g_optim, {gan.z: z})
        arrays["d_loss_after"], arrays["g_loss_after"] = sess.run([gan.d_loss, gan.g_loss], feed)
        # The discriminator's moving statistics were updated twice per run (see above).
        kept = [v for v in tf.global_variables() if not v.op.name.startswith("discriminator/d_bn")]
        arrays.update(_values(sess, kept, "after"))
    return info, arrays


def dcgan_conditional(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
    """carpedm20's conditional DCGAN (``y_dim``: ``conv_cond_concat``, linear batch norm), 32x32."""
    model = mods["dcgan.model"]
    data_dir = tmp / "data"
    (data_dir / "faces").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        (data_dir / "faces" / f"{i}.jpg").write_bytes(b"")
    with tf.Session() as sess:
        gan = model.DCGAN(
            sess,
            input_height=32,
            input_width=32,
            output_height=32,
            output_width=32,
            batch_size=4,
            sample_num=4,
            y_dim=3,
            z_dim=6,
            gf_dim=4,
            df_dim=4,
            gfc_dim=16,
            dfc_dim=16,
            dataset_name="faces",
            data_dir=str(data_dir),
            checkpoint_dir=str(tmp / "ckpt"),
            out_dir=str(tmp / "out"),
        )
        model_vars = tf.global_variables()
        g_optim = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(gan.g_loss, var_list=gan.g_vars)
        outputs = {"G": gan.G, "D_logits": gan.D_logits, "sampler": gan.sampler}
        info = _describe(tf, outputs)
        rng = np.random.RandomState(5)
        labels = np.eye(3, dtype=np.float32)[[0, 2, 1, 2]]
        feed = {
            gan.inputs: rng.uniform(-1, 1, [4, 32, 32, 3]).astype(np.float32),
            gan.z: rng.uniform(-1, 1, [4, 6]).astype(np.float32),
            gan.y: labels,
        }
        sess.run(tf.global_variables_initializer())
        _assign_all(tf, sess, seed=5, variables=model_vars)
        arrays = {"out/sampler": sess.run(gan.sampler, feed)}
        for key in ("G", "D_logits"):
            arrays[f"out/{key}"] = sess.run(outputs[key], feed)
        g_grads = tf.gradients(gan.g_loss, gan.g_vars)
        for v, g in zip(gan.g_vars, sess.run(g_grads, feed), strict=True):
            arrays[f"g_grad/{v.op.name}"] = g
        sess.run(g_optim, feed)
        arrays["g_loss_after"] = sess.run(gan.g_loss, feed)
    return info, arrays


def _slim_net(tf: Any, build: Any, shape: list[int], seed: int, run: bool = True) -> Result:
    x = tf.placeholder(tf.float32, [None, *shape], name="images")
    logits, end_points = build(x)
    outputs = {"logits": logits}
    info = _describe(tf, outputs)
    info["end_points"] = {k: [t.name, t.shape.as_list()] for k, t in end_points.items()}
    info["update_ops"] = [op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)]
    info["regularization_losses"] = [
        t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    ]
    if not run:
        return info, {}
    images = np.random.RandomState(seed).uniform(-1, 1, [2, *shape]).astype(np.float32)
    # Small end points only (the big early activations would bloat the recordings).
    fetch = {k: t for k, t in end_points.items() if t.shape[1:].num_elements() <= 4096}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _assign_all(tf, sess, seed=seed)
        got = sess.run(fetch, {x: images})
    return info, {f"end_points/{k}": np.asarray(v) for k, v in got.items()}


def slim_resnet_v1(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
    """tf-slim's resnet_v1 generator with two small bottleneck blocks, inference mode."""
    rv1, utils = mods["tf_slim.resnet_v1"], mods["tf_slim.resnet_utils"]
    blocks = [
        rv1.resnet_v1_block("block1", base_depth=4, num_units=2, stride=2),
        rv1.resnet_v1_block("block2", base_depth=8, num_units=2, stride=1),
    ]

    def build(x: Any) -> Any:
        with tf.contrib.slim.arg_scope(utils.resnet_arg_scope()):
            return rv1.resnet_v1(x, blocks, num_classes=5, is_training=False, scope="resnet")

    return _slim_net(tf, build, [33, 33, 3], seed=4)


def slim_resnet_v2(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
    """tf-slim's resnet_v2 (pre-activation) with two small blocks and output_stride 4."""
    rv2, utils = mods["tf_slim.resnet_v2"], mods["tf_slim.resnet_utils"]
    blocks = [
        rv2.resnet_v2_block("block1", base_depth=4, num_units=2, stride=2),
        rv2.resnet_v2_block("block2", base_depth=8, num_units=2, stride=1),
    ]

    def build(x: Any) -> Any:
        with tf.contrib.slim.arg_scope(utils.resnet_arg_scope()):
            return rv2.resnet_v2(
                x, blocks, num_classes=5, is_training=False, output_stride=4, scope="resnet"
            )

    return _slim_net(tf, build, [32, 32, 3], seed=5)


def slim_inception_v1(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
    """tf-slim's inception_v1 at 224x224 with its arg scope (batch norm), inference mode."""
    net = mods["tf_slim.inception_v1"]

    def build(x: Any) -> Any:
        with tf.contrib.slim.arg_scope(net.inception_v1_arg_scope()):
            return net.inception_v1(x, num_classes=5, is_training=False)

    return _slim_net(tf, build, [224, 224, 3], seed=6)


def slim_inception_v2(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
    """tf-slim's inception_v2 with depth_multiplier 0.25 (separable first conv), inference."""
    net = mods["tf_slim.inception_v2"]

    def build(x: Any) -> Any:
        with tf.contrib.slim.arg_scope(net.inception_v2_arg_scope()):
            return net.inception_v2(x, num_classes=5, is_training=False, depth_multiplier=0.25)

    return _slim_net(tf, build, [224, 224, 3], seed=7)


def slim_inception_v3(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
    """tf-slim's inception_v3 with depth_multiplier 0.1 and aux logits at 299x299, inference."""
    net = mods["tf_slim.inception_v3"]

    def build(x: Any) -> Any:
        with tf.contrib.slim.arg_scope(net.inception_v3_arg_scope()):
            return net.inception_v3(x, num_classes=5, is_training=False, depth_multiplier=0.1)

    return _slim_net(tf, build, [299, 299, 3], seed=8)


def slim_classic_nets(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
    """tf-slim's vgg_a, vgg_16, alexnet_v2 and overfeat: variables, end points (graph only)."""
    vgg, alexnet, overfeat = mods["tf_slim.vgg"], mods["tf_slim.alexnet"], mods["tf_slim.overfeat"]
    info: dict[str, Any] = {}
    builds = {
        "vgg_a": (vgg.vgg_arg_scope, vgg.vgg_a, [224, 224, 3]),
        "vgg_16": (vgg.vgg_arg_scope, vgg.vgg_16, [224, 224, 3]),
        "alexnet_v2": (alexnet.alexnet_v2_arg_scope, alexnet.alexnet_v2, [224, 224, 3]),
        "overfeat": (overfeat.overfeat_arg_scope, overfeat.overfeat, [231, 231, 3]),
    }
    for name, (arg_scope, fn, shape) in builds.items():
        with tf.Graph().as_default():

            def build(x: Any, arg_scope: Any = arg_scope, fn: Any = fn) -> Any:
                with tf.contrib.slim.arg_scope(arg_scope()):
                    return fn(x, num_classes=5)

            info[name], _ = _slim_net(tf, build, shape, seed=0, run=False)
    return info, {}


SCENARIOS = {
    "bert": ("bert", bert),
    "albert": ("albert", albert),
    "dcgan": ("dcgan", dcgan),
    "dcgan_conditional": ("dcgan", dcgan_conditional),
    "slim_resnet_v1": ("tf_slim", slim_resnet_v1),
    "slim_resnet_v2": ("tf_slim", slim_resnet_v2),
    "slim_inception_v1": ("tf_slim", slim_inception_v1),
    "slim_inception_v2": ("tf_slim", slim_inception_v2),
    "slim_inception_v3": ("tf_slim", slim_inception_v3),
    "slim_classic_nets": ("tf_slim", slim_classic_nets),
}
