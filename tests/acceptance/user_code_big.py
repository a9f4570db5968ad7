"""The "big" group of users' TF1 codebases, run with only their imports redirected.

Shared by ``tools/record_user_code_big.py`` (run under TensorFlow) and ``test_user_code_big.py``
(run under scopeflow). Nothing here contains third-party code: the source files are read at run
time from ``$SCOPEFLOW_USER_CODE``, a directory of ``<owner>+<repo>/`` checkouts:

    zihangdai+xlnet bbaa3a6, davidsandberg+facenet 096ed77, balancap+SSD-Tensorflow e0e3104,
    ibab+tensorflow-wavenet 3c973c0, openai+baselines ea25b9e, keithito+tacotron d26c763

(``git clone https://github.com/<owner>/<repo> <owner>+<repo>`` and check out that commit).

Each file is compiled from its own text and executed in a fresh module whose ``__import__`` maps
``tensorflow`` (and the private/contrib paths it imports) to the library under test, the repo's
own modules (``import modeling``, ``from nets import custom_layers``, ``from .ops import ...``,
``import baselines.common.tf_util as U``) to the other loaded files, and a few third-party
packages that the model code merely imports to small stand-ins defined here (``STANDINS``):
``six``, ``gym`` (only ``gym.spaces.Box``/``Discrete``, the attributes baselines reads: shape,
dtype, n, low, high), ``tf_extended`` (SSD's helper package; the network builder calls none of
it), facenet's ``scipy``/``sklearn`` imports (only used by its image/evaluation helpers), and
tacotron's ``text.symbols``/``util.infolog``. No line of the source is changed.

A scenario ``fn(tf, mods)`` builds a tiny model with the repo's own functions, sets every float
variable to the same deterministic values under both libraries (``real_code.seeded_values``) and
returns ``(info, arrays)``: JSON-able names/shapes/collections and the numbers to compare.
"""

from __future__ import annotations

import builtins
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from real_code import _Path, _six, seeded_values

Result = tuple[dict[str, Any], dict[str, np.ndarray]]

# repo -> files to load (module name, path in the repo), in load order.
REPOS: dict[str, tuple[tuple[str, str], ...]] = {
    "zihangdai+xlnet": (
        ("modeling", "modeling.py"),
        ("xlnet", "xlnet.py"),
        ("model_utils", "model_utils.py"),
    ),
    "davidsandberg+facenet": (
        ("models.inception_resnet_v1", "src/models/inception_resnet_v1.py"),
        ("models.squeezenet", "src/models/squeezenet.py"),
        ("facenet", "src/facenet.py"),
        ("generative.models.vae_base", "src/generative/models/vae_base.py"),
        ("generative.models.dfc_vae", "src/generative/models/dfc_vae.py"),
    ),
    "balancap+SSD-Tensorflow": (
        ("nets.custom_layers", "nets/custom_layers.py"),
        ("nets.ssd_common", "nets/ssd_common.py"),
        ("nets.ssd_vgg_300", "nets/ssd_vgg_300.py"),
    ),
    "ibab+tensorflow-wavenet": (
        ("wavenet.ops", "wavenet/ops.py"),
        ("wavenet.model", "wavenet/model.py"),
    ),
    "openai+baselines": (
        ("baselines.common.tf_util", "baselines/common/tf_util.py"),
        ("baselines.a2c.utils", "baselines/a2c/utils.py"),
        ("baselines.common.mpi_running_mean_std", "baselines/common/mpi_running_mean_std.py"),
        ("baselines.common.models", "baselines/common/models.py"),
        ("baselines.common.distributions", "baselines/common/distributions.py"),
        ("baselines.common.input", "baselines/common/input.py"),
        ("baselines.common.policies", "baselines/common/policies.py"),
        ("baselines.deepq.models", "baselines/deepq/models.py"),
    ),
    # modules.py and rnn_wrappers.py need only contrib.rnn's core cells (TF 2.21 has them);
    # helpers.py and tacotron.py need tf.contrib.seq2seq, which TF 2.21 lacks: ":full" loads
    # them too and runs on scopeflow only.
    "keithito+tacotron": (
        ("models.modules", "models/modules.py"),
        ("models.rnn_wrappers", "models/rnn_wrappers.py"),
    ),
    "keithito+tacotron:full": (
        ("models.modules", "models/modules.py"),
        ("models.rnn_wrappers", "models/rnn_wrappers.py"),
        ("models.helpers", "models/helpers.py"),
        ("models.tacotron", "models/tacotron.py"),
    ),
}


def missing(root: Path | None, repo: str) -> str | None:
    """Why ``repo`` cannot be loaded from ``root``, or None if it can."""
    if root is None:
        return "SCOPEFLOW_USER_CODE is not set (a directory of <owner>+<repo> checkouts)"
    folder = root / repo.split(":", maxsplit=1)[0]
    absent = [p for _, p in REPOS[repo] if not (folder / p).exists()]
    if absent:
        return f"{folder} lacks {', '.join(absent)}"
    return None


def _run_and_train(sess: Any, arrays: dict[str, np.ndarray], outputs: Any, train_op: Any,
                   loss: Any, steps: int, feed: Any = None) -> None:  # fmt: skip
    """Records ``outputs`` (as ``out/<key>``), then the loss after each of ``steps`` train steps."""
    got = sess.run(outputs, feed)
    arrays.update({f"out/{k}": np.asarray(v) for k, v in got.items()})
    for step in range(steps):
        sess.run(train_op, feed)
        arrays[f"loss_after_step{step}"] = np.asarray(sess.run(loss, feed))


# --- stand-ins for third-party packages the model files merely import -----------------------


class _Box:
    """``gym.spaces.Box`` as baselines reads it (shape, dtype, low, high)."""

    def __init__(self, low: Any, high: Any, shape: Any = None, dtype: Any = np.float32) -> None:
        self.dtype = np.dtype(dtype)
        shape = tuple(shape) if shape is not None else np.shape(low)
        self.low = np.broadcast_to(np.asarray(low, self.dtype), shape)
        self.high = np.broadcast_to(np.asarray(high, self.dtype), shape)
        self.shape = shape


class _Discrete:
    """``gym.spaces.Discrete`` as baselines reads it (n, shape, dtype)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.shape = ()
        self.dtype = np.dtype(np.int64)


class _MultiDiscrete:
    def __init__(self, nvec: Any) -> None:
        self.nvec = np.asarray(nvec)
        self.shape = self.nvec.shape
        self.dtype = np.dtype(np.int64)


class _MultiBinary:
    def __init__(self, n: int) -> None:
        self.n = n
        self.shape = (n,)
        self.dtype = np.dtype(np.int8)


def _gym() -> types.ModuleType:
    gym = types.ModuleType("gym")
    spaces = types.ModuleType("gym.spaces")
    spaces.Box = _Box  # type: ignore[attr-defined]
    spaces.Discrete = _Discrete  # type: ignore[attr-defined]
    spaces.MultiDiscrete = _MultiDiscrete  # type: ignore[attr-defined]
    spaces.MultiBinary = _MultiBinary  # type: ignore[attr-defined]
    gym.spaces = spaces  # type: ignore[attr-defined]
    return gym


def _namespace(name: str, **attrs: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    for key, value in attrs.items():
        setattr(module, key, value)
    return module


def _unused(name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{name} is a stand-in of the user-code harness")

    return call


def standins() -> dict[str, types.ModuleType]:
    """Module name -> stand-in (see the module docstring)."""
    six = _six()
    gym = _gym()
    scipy = _namespace(
        "scipy", misc=_namespace("scipy.misc"), interpolate=_namespace("scipy.interpolate")
    )
    model_selection = _namespace("sklearn.model_selection", KFold=_unused("KFold"))
    symbols = [chr(c) for c in range(32, 32 + 40)]
    return {
        "six": six,
        "six.moves": six.moves,  # type: ignore[attr-defined]
        "gym": gym,
        "gym.spaces": gym.spaces,  # type: ignore[attr-defined]
        "scipy": scipy,
        "scipy.misc": scipy.misc,  # type: ignore[attr-defined]
        "scipy.interpolate": scipy.interpolate,  # type: ignore[attr-defined]
        "sklearn": _namespace("sklearn", model_selection=model_selection),
        "sklearn.model_selection": model_selection,
        "tf_extended": _namespace("tf_extended"),
        "text": _namespace("text"),
        "text.symbols": _namespace("text.symbols", symbols=symbols),
        "util": _namespace("util"),
        "util.infolog": _namespace("util.infolog", log=lambda *a, **k: None),
    }


# --- the loader -------------------------------------------------------------------------------


class Loader:
    """Executes repo files with ``__import__`` redirected (see the module docstring)."""

    def __init__(self, root: Path, resolve: Callable[[str], Any]) -> None:
        self.root = root
        self.modules: dict[str, types.ModuleType] = {}
        self._external = resolve
        self._standins = standins()

    def _lookup(self, name: str) -> Any:
        if name in self.modules:
            return self.modules[name]
        if name in self._standins:
            return self._standins[name]
        return self._external(name)

    def _import(self, package: str) -> Callable[..., Any]:
        def imp(
            name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0
        ) -> Any:
            if level:
                base = package.rsplit(".", level - 1)[0] if level > 1 else package
                name = f"{base}.{name}" if name else base
            try:
                target = self._lookup(name)
            except KeyError:
                return builtins.__import__(name, globals, locals, fromlist, level)
            if fromlist or "." not in name:
                return target
            top = name.split(".", maxsplit=1)[0]
            if top in self.modules:
                return self.modules[top]
            return _Path(self._lookup, top)

        return imp

    def _package(self, name: str) -> types.ModuleType:
        """The (namespace) package ``name``, created on first use and linked to its parent."""
        if name not in self.modules:
            self.modules[name] = types.ModuleType(name)
            if "." in name:
                parent, leaf = name.rsplit(".", 1)
                setattr(self._package(parent), leaf, self.modules[name])
        return self.modules[name]

    def load(self, repo: str, modname: str, relpath: str) -> types.ModuleType:
        path = self.root / repo.split(":", maxsplit=1)[0] / relpath
        module = types.ModuleType(modname)
        module.__file__ = str(path)
        package = modname.rsplit(".", 1)[0] if "." in modname else ""
        module.__package__ = package
        builtins_ns = dict(vars(builtins))
        builtins_ns["__import__"] = self._import(package)
        module.__dict__["__builtins__"] = builtins_ns
        self.modules[modname] = module
        if package:
            setattr(self._package(package), modname.rsplit(".", 1)[1], module)
        exec(compile(path.read_text(), str(path), "exec"), module.__dict__)
        return module

    def load_repo(self, repo: str) -> dict[str, types.ModuleType]:
        return {m: self.load(repo, m, p) for m, p in REPOS[repo]}


class _TF115Namespace(types.ModuleType):
    """``tf`` with a few attributes replaced (the TF oracle's TF 1.15 facts)."""

    def __init__(self, tf: Any, **overrides: Any) -> None:
        super().__init__("tensorflow")
        self._tf = tf
        self.__dict__.update(overrides)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tf, name)


def tensorflow_resolver(tf: Any) -> Callable[[str], Any]:
    """``real_code.tensorflow_resolver`` plus TF 1.15's private contrib paths (SSD's
    custom_layers imports them) mapped to tf_slim's modules, which are TF 1.15's contrib code."""
    import importlib

    from real_code import tensorflow_resolver as base

    tf_slim = importlib.import_module("tf_slim")
    slim_variables = importlib.import_module("tf_slim.ops.variables")
    initializers = importlib.import_module("tf_slim.layers.initializers")
    utils = importlib.import_module("tf_slim.layers.utils")

    resolve = base(tf)
    extra = {
        # TF 1.15's tf.contrib.rnn re-exported core's cells under these names.
        "tensorflow.contrib.rnn": types.SimpleNamespace(
            GRUCell=tf.nn.rnn_cell.GRUCell,
            RNNCell=tf.nn.rnn_cell.RNNCell,
            MultiRNNCell=tf.nn.rnn_cell.MultiRNNCell,
            ResidualWrapper=tf.nn.rnn_cell.ResidualWrapper,
        ),
        "tensorflow.contrib.framework.python.ops": types.SimpleNamespace(
            add_arg_scope=tf_slim.add_arg_scope, variables=slim_variables
        ),
        "tensorflow.contrib.layers.python.layers": types.SimpleNamespace(
            initializers=initializers, utils=utils
        ),
    }

    # TF 1.15's graph tensors are exactly ``tf.Tensor`` (baselines' tf_util.function checks
    # ``type(x) is tf.Tensor``); TF 2's are its subclass SymbolicTensor. The repo files see a
    # ``tensorflow`` whose ``Tensor`` is that class, as in TF 1.15.
    with tf.Graph().as_default():
        symbolic = type(tf.constant(0))
    tf115 = _TF115Namespace(tf, Tensor=symbolic)

    def resolve_with_extra(name: str) -> Any:
        if name in ("tensorflow", "tensorflow.compat.v1"):
            return tf115
        return extra[name] if name in extra else resolve(name)

    return resolve_with_extra


# --- shared scenario helpers ------------------------------------------------------------------


def describe(tf: Any, outputs: dict[str, Any], collections: tuple[str, ...] = ()) -> dict[str, Any]:
    """Variables (name, shape, dtype, creation order), trainables, collections and outputs."""
    info: dict[str, Any] = {
        "global_variables": [
            [v.op.name, v.shape.as_list(), v.dtype.base_dtype.name] for v in tf.global_variables()
        ],
        "trainable_variables": [v.op.name for v in tf.trainable_variables()],
        "outputs": {k: [t.name, t.shape.as_list(), t.dtype.name] for k, t in outputs.items()},
    }
    for key in collections:
        info[f"collection/{key}"] = [getattr(x, "name", str(x)) for x in tf.get_collection(key)]
    return info


def assign_all(
    tf: Any, sess: Any, seed: int, variables: list[Any] | None = None, fan_in: bool = False
) -> None:
    """Set the float variables (default: all) to ``seeded_values`` (the same under both).

    With ``fan_in`` a kernel (rank >= 2) is scaled to unit fan-in variance, as Xavier-style
    initializers do: behind batch norm, a 0.05-scale kernel gets gradients ~1/0.05 too large and
    a training step turns float32 rounding into chaos.
    """
    if variables is None:
        variables = tf.global_variables()
    float_vars = [v for v in variables if v.dtype.base_dtype == tf.float32]
    values = seeded_values([(v.op.name, v.shape.as_list()) for v in float_vars], seed)
    if fan_in:
        for v in float_vars:
            shape = v.shape.as_list()
            if len(shape) >= 2:
                values[v.op.name] = values[v.op.name] * np.float32(
                    20.0 / np.sqrt(np.prod(shape[:-1]))
                )
    sess.run([tf.assign(v, values[v.op.name]) for v in float_vars])


def values(sess: Any, variables: list[Any], prefix: str) -> dict[str, np.ndarray]:
    got = sess.run(variables)
    return {f"{prefix}/{v.op.name}": np.asarray(x) for v, x in zip(variables, got, strict=True)}


# --- zihangdai/xlnet --------------------------------------------------------------------------


def _xlnet_model(tf: Any, mods: dict[str, Any], two_stream: bool) -> dict[str, Any]:
    xlnet = mods["xlnet"]
    flags = types.SimpleNamespace(
        n_layer=2,
        d_model=16,
        n_head=2,
        d_head=8,
        d_inner=32,
        ff_activation="gelu",
        untie_r=True,
        n_token=30,
    )
    config = xlnet.XLNetConfig(FLAGS=flags)
    run = xlnet.RunConfig(
        is_training=True,
        use_tpu=False,
        use_bfloat16=False,
        dropout=0.0,
        dropatt=0.0,
        init="normal",
        init_std=0.02,
        mem_len=3,
        reuse_len=3,
        bi_data=False,
        same_length=False,
    )
    seq, bsz = 6, 2
    rng = np.random.RandomState(3)
    ids = tf.constant(rng.randint(0, 30, [seq, bsz]).astype(np.int32), name="input_ids")
    seg = tf.constant(np.array([[0, 0], [0, 0], [0, 1], [1, 1], [1, 1], [1, 2]], np.int32))
    mask = np.zeros([seq, bsz], np.float32)
    mask[5, 1] = 1.0
    kwargs: dict[str, Any] = {}
    if two_stream:
        perm = (rng.uniform(size=[seq, seq, bsz]) < 0.4).astype(np.float32)
        mapping = np.zeros([2, seq, bsz], np.float32)
        mapping[0, 4, :] = 1.0
        mapping[1, 5, :] = 1.0
        kwargs = {
            "perm_mask": tf.constant(perm),
            "target_mapping": tf.constant(mapping),
            "inp_q": tf.constant(
                (np.arange(seq)[:, None] >= 4).astype(np.float32) * np.ones([1, bsz], np.float32)
            ),
            "mems": [
                tf.constant(rng.normal(size=[3, bsz, 16]).astype(np.float32)) for _ in range(2)
            ],
        }
    model = xlnet.XLNetModel(
        config, run, input_ids=ids, seg_ids=seg, input_mask=tf.constant(mask), **kwargs
    )
    return {"model": model, "config": config, "run": run, "ids": ids}


def xlnet_finetune(tf: Any, mods: dict[str, Any]) -> Result:
    """XLNetModel (2 layers, d_model 16, gelu, untied r) + ``get_pooled_out('last')`` and the
    repo's ``classification_loss``; three AdamOptimizer steps."""
    modeling = mods["modeling"]
    m = _xlnet_model(tf, mods, two_stream=False)
    model = m["model"]
    pooled = model.get_pooled_out("last", use_summ_proj=True)
    per_example = modeling.classification_loss(
        hidden=pooled,
        labels=tf.constant([1, 2]),
        n_class=3,
        initializer=model.get_initializer(),
        scope="classification_finetune",
        return_logits=False,
    )
    loss = tf.reduce_mean(per_example)
    model_vars = tf.global_variables()
    train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
    outputs = {
        "sequence_output": model.get_sequence_output(),
        "pooled": pooled,
        "loss": loss,
        "embedding": model.get_embedding_table(),
    }
    for i, mem in enumerate(model.get_new_memory()):
        outputs[f"new_mem{i}"] = mem
    info = describe(tf, outputs)
    arrays: dict[str, np.ndarray] = {}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_all(tf, sess, seed=1, variables=model_vars)
        _run_and_train(
            sess, arrays, {k: v for k, v in outputs.items() if k != "embedding"}, train_op, loss, 3
        )
        arrays.update(values(sess, tf.trainable_variables(), "after"))
    return info, arrays


def xlnet_pretrain(tf: Any, mods: dict[str, Any]) -> Result:
    """Two-stream attention with memory, perm_mask, target_mapping and the repo's ``lm_loss``
    with tied weights; two GradientDescent steps."""
    modeling = mods["modeling"]
    m = _xlnet_model(tf, mods, two_stream=True)
    model = m["model"]
    out = model.get_sequence_output()
    with tf.variable_scope("model", reuse=tf.AUTO_REUSE):
        lm = modeling.lm_loss(
            hidden=out,
            target=tf.constant([[3, 4], [5, 6]]),
            n_token=30,
            d_model=16,
            initializer=model.get_initializer(),
            lookup_table=model.get_embedding_table(),
            tie_weight=True,
            bi_data=False,
            use_tpu=False,
        )
    loss = tf.reduce_mean(lm)
    model_vars = tf.global_variables()
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    outputs = {"output_g": out, "lm_loss": lm}
    for i, mem in enumerate(model.get_new_memory()):
        outputs[f"new_mem{i}"] = mem
    info = describe(tf, outputs)
    arrays: dict[str, np.ndarray] = {}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_all(tf, sess, seed=2, variables=model_vars)
        _run_and_train(sess, arrays, outputs, train_op, loss, 2)
    return info, arrays


def xlnet_train_op(tf: Any, mods: dict[str, Any]) -> Result:
    """model_utils.py's ``get_train_op`` on the fine-tuning model: warm-up + poly decay,
    global-norm clipping, per-layer learning-rate decay (``lr_layer_decay_rate``) and its
    ``AdamWeightDecayOptimizer`` (weight decay excluding LayerNorm/bias; manual global_step
    increment); 3 steps. ``min_lr_ratio`` 1 keeps the learning rate the same whichever
    global_step value the unordered read sees (TF1 ref-variable race in the repo's train op)."""
    modeling, model_utils = mods["modeling"], mods["model_utils"]
    model = _xlnet_model(tf, mods, two_stream=False)["model"]
    pooled = model.get_pooled_out("first", use_summ_proj=False)
    per_example = modeling.regression_loss(
        hidden=pooled,
        labels=tf.constant([0.5, -1.0]),
        initializer=model.get_initializer(),
        scope="regression_finetune",
        return_logits=False,
    )
    loss = tf.reduce_mean(per_example)
    model_vars = tf.global_variables()
    flags = types.SimpleNamespace(
        warmup_steps=0,
        learning_rate=1e-2,
        decay_method="poly",
        train_steps=100,
        min_lr_ratio=1.0,
        weight_decay=0.01,
        use_tpu=False,
        num_core_per_host=1,
        adam_epsilon=1e-6,
        clip=1.0,
        lr_layer_decay_rate=0.75,
    )
    train_op, learning_rate, gnorm = model_utils.get_train_op(flags, loss)
    outputs = {"loss": loss, "learning_rate": learning_rate, "gnorm": gnorm}
    info = describe(tf, outputs)
    arrays: dict[str, np.ndarray] = {}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_all(tf, sess, seed=18, variables=model_vars)
        _run_and_train(sess, arrays, outputs, train_op, loss, 3)
        arrays["global_step"] = np.asarray(sess.run(tf.train.get_global_step()))
        arrays.update(
            values(
                sess, [v for v in tf.trainable_variables() if "layer_0/ff" in v.op.name], "after"
            )
        )
    return info, arrays


# --- davidsandberg/facenet --------------------------------------------------------------------

_FACENET_COLLECTIONS = (
    "update_ops",
    "regularization_losses",
    "losses",
    "summaries",
    "moving_average_variables",
)


def _facenet_train(
    tf: Any, mods: dict[str, Any], embeddings: Any, labels: Any, optimizer: str
) -> dict[str, Any]:
    """What facenet's train_tripletloss/train_softmax do around the net: L2-normalised
    embeddings, ``triplet_loss`` + ``center_loss`` + regularization, ``facenet.train``."""
    facenet = mods["facenet"]
    normed = tf.nn.l2_normalize(embeddings, 1, 1e-10, name="embeddings")
    anchor, positive, negative = tf.unstack(
        tf.reshape(normed, [-1, 3, normed.shape[1].value]), 3, 1
    )
    triplet = facenet.triplet_loss(anchor, positive, negative, 0.2)
    center, _ = facenet.center_loss(embeddings, labels, 0.95, 4)
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, center * 0.01)
    tf.add_to_collection("losses", triplet)
    reg = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    total = tf.add_n([triplet, *reg], name="total_loss")
    global_step = tf.Variable(0, trainable=False, name="global_step")
    train_op = facenet.train(total, global_step, optimizer, 1e-3, 0.9999, tf.global_variables())
    return {
        "total_loss": total,
        "triplet_loss": triplet,
        "train_op": train_op,
        "embeddings": normed,
    }


def _facenet_run(
    tf: Any,
    net: dict[str, Any],
    outputs: dict[str, Any],
    seed: int,
    model_vars: list[Any],
    steps: int = 2,
) -> Result:
    info = describe(tf, outputs, _FACENET_COLLECTIONS)
    arrays: dict[str, np.ndarray] = {}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_all(tf, sess, seed=seed, variables=model_vars, fan_in=True)
        _run_and_train(sess, arrays, outputs, net["train_op"], net["total_loss"], steps)
        # Not compared: the EMA shadows and ``centers``. facenet.train's EMA reads global_step
        # and the weights in the run that updates them, unordered (TF1 ref-variable races), and
        # ``centers`` is written twice in one run (center_loss's scatter_sub and the optimizer,
        # which gets tf.global_variables()): TF's own values depend on thread timing.
    return info, arrays


def _face_images(size: int, batch: int = 6) -> np.ndarray:
    return np.random.RandomState(5).uniform(-1, 1, [batch, size, size, 3]).astype(np.float32)


def facenet_inception_resnet_v1(tf: Any, mods: dict[str, Any]) -> Result:
    """``inception_resnet_v1.inference`` at its smallest input (75x75, batch 6 = 2 triplets),
    bottleneck 16, weight decay; facenet's losses and ``train`` with ADAM (2 steps)."""
    net_mod = mods["models.inception_resnet_v1"]
    images = tf.constant(_face_images(75), name="images")
    prelogits, end_points = net_mod.inference(
        images, 1.0, phase_train=True, bottleneck_layer_size=16, weight_decay=5e-4
    )
    model_vars = tf.global_variables()
    net = _facenet_train(tf, mods, prelogits, tf.constant([0, 0, 1, 2, 2, 3]), "ADAM")
    outputs = {
        "prelogits": prelogits,
        "embeddings": net["embeddings"],
        "total_loss": net["total_loss"],
        "Mixed_6a": end_points["Mixed_6a"],
    }
    return _facenet_run(tf, net, outputs, 3, model_vars)


def facenet_squeezenet(tf: Any, mods: dict[str, Any]) -> Result:
    """``squeezenet.inference`` (64x64, batch 6), bottleneck 8; facenet's ``train`` with RMSPROP."""
    net_mod = mods["models.squeezenet"]
    images = tf.constant(_face_images(64), name="images")
    prelogits, _ = net_mod.inference(
        images, 1.0, phase_train=True, bottleneck_layer_size=8, weight_decay=1e-4
    )
    model_vars = tf.global_variables()
    net = _facenet_train(tf, mods, prelogits, tf.constant([0, 1, 1, 2, 3, 3]), "RMSPROP")
    outputs = {
        "prelogits": prelogits,
        "embeddings": net["embeddings"],
        "total_loss": net["total_loss"],
    }
    return _facenet_run(tf, net, outputs, 4, model_vars)


def facenet_dfc_vae(tf: Any, mods: dict[str, Any]) -> Result:
    """generative/models/dfc_vae.py's encoder and decoder (64x64, latent 8) with the VAE loss
    of train_vae.py's shape (reconstruction + KL), 2 Adam steps."""
    vae = mods["generative.models.dfc_vae"].Vae(8)
    images = tf.constant(_face_images(64, batch=2), name="images")
    mean, log_variance = vae.encoder(images, True)
    eps = tf.constant(np.random.RandomState(6).normal(size=[2, 8]).astype(np.float32))
    latent = mean + tf.exp(log_variance / 2) * eps
    reconstructed = vae.decoder(latent, True)
    kl = tf.reduce_mean(
        -0.5 * tf.reduce_sum(1 + log_variance - tf.square(mean) - tf.exp(log_variance), 1)
    )
    loss = tf.reduce_mean(tf.square(reconstructed - images)) + 1e-3 * kl
    model_vars = tf.global_variables()
    train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
    outputs = {
        "mean": mean,
        "log_variance": log_variance,
        "reconstructed": reconstructed,
        "loss": loss,
    }
    info = describe(tf, outputs, ("update_ops", "regularization_losses"))
    arrays: dict[str, np.ndarray] = {}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_all(tf, sess, seed=5, variables=model_vars)
        _run_and_train(sess, arrays, outputs, train_op, loss, 2)
    return info, arrays


# --- balancap/SSD-Tensorflow ------------------------------------------------------------------


def ssd_vgg_300(tf: Any, mods: dict[str, Any]) -> Result:
    """SSDNet (300x300, batch 1: the smallest size whose block10/11 VALID convs fit) under its
    own ``arg_scope``, its anchors, ``bboxes_encode`` of two ground-truth boxes (a while_loop per
    layer), ``losses`` (hard negative mining with top_k) and one SGD step on tf.losses' total."""
    ssd = mods["nets.ssd_vgg_300"]
    # ssd_losses calls tf_extended.get_shape; the stand-in is the repo's own twin in this file.
    ssd.tfe.get_shape = ssd.tensor_shape
    net = ssd.SSDNet()
    image = tf.constant(
        np.random.RandomState(8).uniform(-1, 1, [1, 300, 300, 3]).astype(np.float32)
    )
    with tf.contrib.slim.arg_scope(net.arg_scope(weight_decay=5e-4)):
        predictions, localisations, logits, end_points = net.net(image, is_training=False)
    model_vars = tf.global_variables()
    anchors = net.anchors((300, 300))
    labels = tf.constant([3, 12], tf.int64)
    bboxes = tf.constant([[0.1, 0.1, 0.5, 0.4], [0.3, 0.5, 0.9, 0.95]], tf.float32)
    gclasses, glocal, gscores = net.bboxes_encode(labels, bboxes, anchors)
    batch = [tf.expand_dims(t, 0) for t in (*gclasses, *glocal, *gscores)]
    n = len(gclasses)
    net.losses(
        logits, localisations, batch[:n], batch[n : 2 * n], batch[2 * n :], match_threshold=0.5
    )
    total = tf.losses.get_total_loss()
    train_op = tf.train.GradientDescentOptimizer(1e-3).minimize(total)
    outputs = {f"predictions{i}": p for i, p in enumerate(predictions)}
    outputs.update({f"localisations{i}": p for i, p in enumerate(localisations)})
    outputs.update({f"gscores{i}": p for i, p in enumerate(gscores)})
    outputs["total_loss"] = total
    info = describe(tf, outputs, ("losses", "regularization_losses"))
    info["feat_shapes"] = [list(s) for s in net.params.feat_shapes]
    info["end_points"] = sorted(end_points)
    arrays: dict[str, np.ndarray] = {
        f"anchors{i}/{j}": np.asarray(a)
        for i, layer in enumerate(anchors)
        for j, a in enumerate(layer)
    }
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_all(tf, sess, seed=9, variables=model_vars, fan_in=True)
        got = sess.run(outputs)
        arrays.update(
            {f"out/{k}": np.asarray(v) for k, v in got.items() if not k.startswith("predictions")}
        )
        arrays["out/predictions5"] = got["predictions5"]
        sess.run(train_op)
        arrays["loss_after_step0"] = np.asarray(sess.run(total))
    return info, arrays


# --- ibab/tensorflow-wavenet ------------------------------------------------------------------


def _wavenet(mods: dict[str, Any], batch_size: int) -> Any:
    return mods["wavenet.model"].WaveNetModel(
        batch_size=batch_size,
        dilations=[1, 2, 4, 1, 2],
        filter_width=2,
        residual_channels=8,
        dilation_channels=8,
        skip_channels=12,
        quantization_channels=16,
        use_biases=True,
        scalar_input=False,
        initial_filter_width=2,
        histograms=False,
        global_condition_channels=4,
        global_condition_cardinality=3,
    )


def wavenet_train(tf: Any, mods: dict[str, Any]) -> Result:
    """WaveNetModel (dilations 1,2,4,1,2; 16 quantization levels; biases; a 3-way global
    condition) ``loss`` with L2 regularization, trained 3 steps with the repo's
    ``optimizer_factory['adam']``."""
    net = _wavenet(mods, batch_size=2)
    t = np.arange(40, dtype=np.float32)
    audio = np.stack([0.6 * np.sin(t / 3.0), 0.4 * np.cos(t / 5.0)])[..., None].astype(np.float32)
    loss = net.loss(tf.constant(audio), tf.constant([1, 2]), l2_regularization_strength=1e-3)
    model_vars = tf.global_variables()
    optimizer = mods["wavenet.ops"].optimizer_factory["adam"](learning_rate=1e-2, momentum=0.9)
    train_op = optimizer.minimize(loss, var_list=tf.trainable_variables())
    outputs = {"loss": loss}
    info = describe(tf, outputs, ("summaries",))
    info["receptive_field"] = int(net.receptive_field)
    arrays: dict[str, np.ndarray] = {}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_all(tf, sess, seed=10, variables=model_vars, fan_in=True)
        arrays["out/loss"] = np.asarray(sess.run(loss))
        for step in range(3):
            sess.run(train_op)
            arrays[f"loss_after_step{step}"] = np.asarray(sess.run(loss))
        arrays.update(values(sess, tf.trainable_variables()[:4], "after"))
    return info, arrays


def wavenet_generate(tf: Any, mods: dict[str, Any]) -> Result:
    """generate.py's two paths: ``predict_proba_incremental`` (FIFOQueue state, ``init_ops``
    and ``push_ops``) for 16 greedy steps, and ``predict_proba`` over the same waveform
    (longer than the receptive field, 12)."""
    net = _wavenet(mods, batch_size=1)
    samples = tf.placeholder(tf.int32)
    next_sample = net.predict_proba_incremental(samples, 2)
    model_vars = tf.global_variables()
    window = tf.placeholder(tf.int32, [None])
    proba_full = net.predict_proba(window, 2)
    info = describe(tf, {"next_sample": next_sample, "proba_full": proba_full})
    info["init_ops"] = [op.name for op in net.init_ops]
    info["push_ops"] = [op.name for op in net.push_ops]
    waveform = [7]
    probs = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_all(tf, sess, seed=11, variables=model_vars, fan_in=True)
        sess.run(net.init_ops)
        for _ in range(16):
            got = sess.run([next_sample, *net.push_ops], feed_dict={samples: waveform[-1]})[0]
            probs.append(got)
            waveform.append(int(np.argmax(got)))
        full = sess.run(proba_full, feed_dict={window: waveform[:-1]})
    return info, {
        "incremental_proba": np.asarray(probs),
        "waveform": np.asarray(waveform),
        "proba_full": np.asarray(full),
    }


# --- openai/baselines -------------------------------------------------------------------------


def _policy_run(
    tf: Any,
    policy: Any,
    obs: np.ndarray,
    actions: np.ndarray,
    extra: dict[str, np.ndarray],
    seed: int,
) -> Result:
    """The policy's tensors and an A2C-style update (baselines/a2c/a2c.py's loss: policy
    gradient, entropy and value terms, global-norm clipping, RMSProp) on the repo's policy."""
    model_vars = tf.global_variables()
    a = policy.pdtype.sample_placeholder([None])
    adv = tf.constant(np.linspace(-1, 1, obs.shape[0]).astype(np.float32))
    ret = tf.constant(np.linspace(0.5, -0.5, obs.shape[0]).astype(np.float32))
    neglogpac = policy.pd.neglogp(a)
    entropy = tf.reduce_mean(policy.pd.entropy())
    pg_loss = tf.reduce_mean(adv * neglogpac)
    vf = policy.vf if policy.vf.shape.ndims == 1 else tf.reduce_max(policy.vf, 1)  # q estimates
    vf_loss = tf.reduce_mean(tf.square(vf - ret))
    loss = pg_loss - entropy * 0.01 + vf_loss * 0.5
    params = tf.trainable_variables("pi") + tf.trainable_variables("vf")
    grads, _ = tf.clip_by_global_norm(tf.gradients(loss, params), 0.5)
    train_op = tf.train.RMSPropOptimizer(
        learning_rate=7e-3, decay=0.99, epsilon=1e-5
    ).apply_gradients(list(zip(grads, params, strict=True)))
    outputs = {
        "pi": policy.pi,
        "vf": policy.vf,
        "action": policy.action,
        "neglogp": policy.neglogp,
        "loss": loss,
    }
    if hasattr(policy, "q"):
        outputs["q"] = policy.q
    info = describe(tf, outputs, ("update_ops",))
    info["pd"] = type(policy.pd).__name__
    feed = {policy.X: obs, a: actions, **{getattr(policy, k): v for k, v in extra.items()}}
    arrays: dict[str, np.ndarray] = {}
    with tf.Session() as sess:
        policy.sess = sess
        sess.run(tf.global_variables_initializer())
        assign_all(tf, sess, seed=seed, variables=model_vars, fan_in=True)
        got = sess.run(outputs, feed)
        arrays.update({f"out/{k}": np.asarray(v) for k, v in got.items()})
        arrays["value"] = np.asarray(policy.value(obs, **extra))
        for step in range(2):
            sess.run(train_op, feed)
            arrays[f"loss_after_step{step}"] = np.asarray(sess.run(loss, feed))
    return info, arrays


def _env(observation_space: Any, action_space: Any) -> Any:
    return types.SimpleNamespace(observation_space=observation_space, action_space=action_space)


def baselines_mlp_discrete(tf: Any, mods: dict[str, Any]) -> Result:
    """``build_policy(env, 'mlp', value_network='copy', normalize_observations=True)`` with
    layer norm on Box(4) -> Discrete(3): RunningMeanStd, CategoricalPd, separate vf tower."""
    spaces = _gym().spaces  # type: ignore[attr-defined]
    env = _env(spaces.Box(-1.0, 1.0, shape=(4,)), spaces.Discrete(3))
    policy_fn = mods["baselines.common.policies"].build_policy(
        env,
        "mlp",
        value_network="copy",
        normalize_observations=True,
        num_layers=2,
        num_hidden=16,
        layer_norm=True,
    )
    policy = policy_fn(nbatch=5, nsteps=1)
    obs = np.random.RandomState(12).uniform(-1, 1, [5, 4]).astype(np.float32)
    return _policy_run(tf, policy, obs, np.array([0, 2, 1, 1, 0]), {}, seed=12)


def baselines_cnn_small_q(tf: Any, mods: dict[str, Any]) -> Result:
    """``build_policy(env, 'cnn_small', estimate_q=True)`` on uint8 Box(20x20x2) -> Discrete(4)."""
    spaces = _gym().spaces  # type: ignore[attr-defined]
    env = _env(spaces.Box(0, 255, shape=(20, 20, 2), dtype=np.uint8), spaces.Discrete(4))
    policy = mods["baselines.common.policies"].build_policy(env, "cnn_small", estimate_q=True)(
        nbatch=3, nsteps=1
    )
    obs = np.random.RandomState(13).randint(0, 256, [3, 20, 20, 2]).astype(np.uint8)
    return _policy_run(tf, policy, obs, np.array([3, 0, 1]), {}, seed=13)


def baselines_lstm_box(tf: Any, mods: dict[str, Any]) -> Result:
    """``build_policy(env, 'lstm', nlstm=8)`` (nbatch 4 = 2 envs x 2 steps, the repo's
    ``utils.lstm`` with its S/M placeholders) on Box(3) -> Box(2): DiagGaussianPd."""
    spaces = _gym().spaces  # type: ignore[attr-defined]
    env = _env(spaces.Box(-2.0, 2.0, shape=(3,)), spaces.Box(-1.0, 1.0, shape=(2,)))
    policy = mods["baselines.common.policies"].build_policy(env, "lstm", nlstm=8)(
        nbatch=4, nsteps=2
    )
    rng = np.random.RandomState(14)
    obs = rng.uniform(-2, 2, [4, 3]).astype(np.float32)
    extra = {
        "S": rng.normal(size=[2, 16]).astype(np.float32),
        "M": np.array([0, 1, 0, 0], np.float32),
    }
    return _policy_run(
        tf, policy, obs, rng.uniform(-1, 1, [4, 2]).astype(np.float32), extra, seed=14
    )


def baselines_nature_cnn(tf: Any, mods: dict[str, Any]) -> Result:
    """``build_policy(env, 'cnn')`` (nature_cnn at its smallest input, 36x36) -> Discrete(2)."""
    spaces = _gym().spaces  # type: ignore[attr-defined]
    env = _env(spaces.Box(0, 255, shape=(36, 36, 1), dtype=np.uint8), spaces.Discrete(2))
    policy = mods["baselines.common.policies"].build_policy(env, "cnn")(nbatch=2, nsteps=1)
    obs = np.random.RandomState(19).randint(0, 256, [2, 36, 36, 1]).astype(np.uint8)
    return _policy_run(tf, policy, obs, np.array([1, 0]), {}, seed=19)


def baselines_impala_multidiscrete(tf: Any, mods: dict[str, Any]) -> Result:
    """``build_policy(env, 'impala_cnn')`` (residual blocks, max-pool, 16x16x3) ->
    MultiDiscrete([2, 3]): MultiCategoricalPd."""
    spaces = _gym().spaces  # type: ignore[attr-defined]
    env = _env(spaces.Box(0, 255, shape=(16, 16, 3), dtype=np.uint8), spaces.MultiDiscrete([2, 3]))
    policy = mods["baselines.common.policies"].build_policy(env, "impala_cnn")(nbatch=2, nsteps=1)
    obs = np.random.RandomState(20).randint(0, 256, [2, 16, 16, 3]).astype(np.uint8)
    return _policy_run(tf, policy, obs, np.array([[1, 2], [0, 0]]), {}, seed=20)


def baselines_cnn_lnlstm(tf: Any, mods: dict[str, Any]) -> Result:
    """``build_policy(env, 'cnn_lnlstm', nlstm=8)``: nature_cnn + a2c/utils' layer-normalised
    LSTM (nbatch 4 = 2 envs x 2 steps) -> Discrete(3)."""
    spaces = _gym().spaces  # type: ignore[attr-defined]
    env = _env(spaces.Box(0, 255, shape=(36, 36, 1), dtype=np.uint8), spaces.Discrete(3))
    policy = mods["baselines.common.policies"].build_policy(env, "cnn_lnlstm", nlstm=8)(
        nbatch=4, nsteps=2
    )
    rng = np.random.RandomState(21)
    obs = rng.randint(0, 256, [4, 36, 36, 1]).astype(np.uint8)
    extra = {
        "S": rng.normal(size=[2, 16]).astype(np.float32),
        "M": np.array([0, 0, 1, 0], np.float32),
    }
    return _policy_run(tf, policy, obs, np.array([2, 0, 1, 1]), extra, seed=21)


def baselines_deepq(tf: Any, mods: dict[str, Any]) -> Result:
    """deepq's ``build_q_func('mlp', hiddens=[16], dueling=True, layer_norm=True)`` for the
    online and target networks, a double-Q TD error with tf_util's ``huber_loss`` and an Adam
    step, and the target update (assign per sorted variable, as deepq/build_graph.py does)."""
    q_func = mods["baselines.deepq.models"].build_q_func(
        "mlp", hiddens=[16], dueling=True, layer_norm=True, num_layers=1, num_hidden=8
    )
    U = mods["baselines.common.tf_util"]
    rng = np.random.RandomState(15)
    obs_t = tf.constant(rng.normal(size=[6, 5]).astype(np.float32))
    obs_tp1 = tf.constant(rng.normal(size=[6, 5]).astype(np.float32))
    act = tf.constant([0, 1, 2, 0, 1, 2])
    rew = tf.constant(rng.normal(size=[6]).astype(np.float32))
    q_t = q_func(obs_t, 3, scope="q_func", reuse=False)
    q_vars = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="q_func/")
    q_tp1 = q_func(obs_tp1, 3, scope="target_q_func")
    target_vars = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="target_q_func/")
    q_tp1_online = q_func(obs_tp1, 3, scope="q_func", reuse=True)
    q_selected = tf.reduce_sum(q_t * tf.one_hot(act, 3), 1)
    best = tf.argmax(q_tp1_online, 1)
    q_tp1_best = tf.reduce_sum(q_tp1 * tf.one_hot(best, 3), 1)
    td_error = q_selected - tf.stop_gradient(rew + 0.99 * q_tp1_best)
    loss = tf.reduce_mean(U.huber_loss(td_error))
    model_vars = tf.global_variables()
    train_op = tf.train.AdamOptimizer(5e-3).minimize(loss, var_list=q_vars)
    update_target = tf.group(
        *[
            t.assign(v)
            for v, t in zip(
                sorted(q_vars, key=lambda v: v.name),
                sorted(target_vars, key=lambda v: v.name),
                strict=True,
            )
        ]
    )
    outputs = {"q_t": q_t, "q_tp1": q_tp1, "td_error": td_error, "loss": loss}
    info = describe(tf, outputs)
    info["q_vars"] = [v.op.name for v in q_vars]
    arrays: dict[str, np.ndarray] = {}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_all(tf, sess, seed=15, variables=model_vars, fan_in=True)
        _run_and_train(sess, arrays, outputs, train_op, loss, 2)
        sess.run(update_target)
        arrays["loss_after_target_update"] = np.asarray(sess.run(loss))
    return info, arrays


# --- keithito/tacotron ------------------------------------------------------------------------


def tacotron_cbhg(tf: Any, mods: dict[str, Any]) -> Result:
    """modules.py's ``prenet`` + ``encoder_cbhg`` (conv bank, batch norm, highway, a
    bidirectional GRU with sequence lengths) + ``post_cbhg``, and rnn_wrappers.py's
    ``DecoderPrenetWrapper`` around a GRUCell under ``dynamic_rnn``; 2 Adam steps (training-mode
    batch norm through UPDATE_OPS, prenet dropout off so that both libraries agree)."""
    modules, wrappers = mods["models.modules"], mods["models.rnn_wrappers"]
    rng = np.random.RandomState(16)
    inputs = tf.constant(rng.normal(size=[2, 7, 12]).astype(np.float32))
    lengths = tf.constant([7, 5])
    with tf.variable_scope("inference"):
        pre = modules.prenet(inputs, False, [16, 8])
        encoded = modules.encoder_cbhg(pre, lengths, True, 16)
        post = modules.post_cbhg(encoded, 16, True, 12)
        cell = wrappers.DecoderPrenetWrapper(tf.nn.rnn_cell.GRUCell(10), False, [12, 6])
        decoded, _ = tf.nn.dynamic_rnn(cell, post, dtype=tf.float32)
    loss = tf.reduce_mean(tf.abs(decoded)) + tf.reduce_mean(tf.square(encoded))
    model_vars = tf.global_variables()
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.AdamOptimizer(2e-3).minimize(loss)
    outputs = {"prenet": pre, "encoder": encoded, "post": post, "decoded": decoded, "loss": loss}
    info = describe(tf, outputs, ("update_ops",))
    arrays: dict[str, np.ndarray] = {}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_all(tf, sess, seed=16, variables=model_vars, fan_in=True)
        _run_and_train(sess, arrays, outputs, train_op, loss, 2)
    return info, arrays


def _tacotron_hparams(tf: Any, max_iters: int) -> Any:
    return tf.contrib.training.HParams(
        num_mels=6,
        num_freq=9,
        sample_rate=20000,
        outputs_per_step=2,
        embed_depth=8,
        prenet_depths=[8, 6],
        encoder_depth=12,
        postnet_depth=8,
        attention_depth=8,
        decoder_depth=8,
        adam_beta1=0.9,
        adam_beta2=0.999,
        initial_learning_rate=0.002,
        decay_learning_rate=True,
        max_iters=max_iters,
    )


def tacotron_full(tf: Any, mods: dict[str, Any]) -> dict[str, Any]:
    """The whole Tacotron (scopeflow only: it needs tf.contrib.seq2seq, which TF 2.21 lacks):
    ``initialize`` with targets (TacoTrainingHelper), ``add_loss``, ``add_optimizer`` (Noam
    decay, global-norm clipping, Adam) and 3 steps; then a second graph with TacoTestHelper
    decoding ``max_iters`` steps. Returns what the test checks against the code's own contract
    and against ``tacotron_cbhg``'s TF-recorded variable layout."""
    Tacotron = mods["models.tacotron"].Tacotron
    rng = np.random.RandomState(17)
    ids = rng.randint(1, 40, [2, 5]).astype(np.int32)
    mel = rng.uniform(0, 1, [2, 8, 6]).astype(np.float32)
    linear = rng.uniform(0, 1, [2, 8, 9]).astype(np.float32)
    out: dict[str, Any] = {}
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        with tf.variable_scope("model"):
            model = Tacotron(_tacotron_hparams(tf, 10))
            model.initialize(
                tf.constant(ids), tf.constant([5, 3]), tf.constant(mel), tf.constant(linear)
            )
            model.add_loss()
            global_step = tf.Variable(0, name="global_step", trainable=False)
            model.add_optimizer(global_step)
        out["train_variables"] = [[v.op.name, v.shape.as_list()] for v in tf.global_variables()]
        out["train_trainable"] = [v.op.name for v in tf.trainable_variables()]
        out["train_shapes"] = {
            k: getattr(model, k).shape.as_list()
            for k in ("mel_outputs", "linear_outputs", "alignments")
        }
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(
                {
                    "mel": model.mel_outputs,
                    "linear": model.linear_outputs,
                    "align": model.alignments,
                }
            )
            out["train_values"] = got
            losses = []
            for _ in range(3):
                losses.append(float(sess.run([model.loss, model.optimize])[0]))
            out["losses"] = losses
            out["global_step"] = int(sess.run(global_step))
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        with tf.variable_scope("model"):
            model = Tacotron(_tacotron_hparams(tf, 4))
            model.initialize(tf.constant(ids), tf.constant([5, 3]))
        out["infer_variables"] = [[v.op.name, v.shape.as_list()] for v in tf.global_variables()]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(
                {
                    "mel": model.mel_outputs,
                    "linear": model.linear_outputs,
                    "align": model.alignments,
                }
            )
            out["infer_values"] = got
    return out


# scenario name -> (repo, function)
SCENARIOS: dict[str, tuple[str, Callable[[Any, dict[str, Any]], Result]]] = {
    "xlnet_finetune": ("zihangdai+xlnet", xlnet_finetune),
    "xlnet_pretrain": ("zihangdai+xlnet", xlnet_pretrain),
    "xlnet_train_op": ("zihangdai+xlnet", xlnet_train_op),
    "facenet_inception_resnet_v1": ("davidsandberg+facenet", facenet_inception_resnet_v1),
    "facenet_squeezenet": ("davidsandberg+facenet", facenet_squeezenet),
    "facenet_dfc_vae": ("davidsandberg+facenet", facenet_dfc_vae),
    "ssd_vgg_300": ("balancap+SSD-Tensorflow", ssd_vgg_300),
    "wavenet_train": ("ibab+tensorflow-wavenet", wavenet_train),
    "wavenet_generate": ("ibab+tensorflow-wavenet", wavenet_generate),
    "baselines_mlp_discrete": ("openai+baselines", baselines_mlp_discrete),
    "baselines_cnn_small_q": ("openai+baselines", baselines_cnn_small_q),
    "baselines_lstm_box": ("openai+baselines", baselines_lstm_box),
    "baselines_deepq": ("openai+baselines", baselines_deepq),
    "baselines_nature_cnn": ("openai+baselines", baselines_nature_cnn),
    "baselines_impala_multidiscrete": ("openai+baselines", baselines_impala_multidiscrete),
    "baselines_cnn_lnlstm": ("openai+baselines", baselines_cnn_lnlstm),
    "tacotron_cbhg": ("keithito+tacotron", tacotron_cbhg),
}


def install_tf_oracle_extras(tf: Any) -> None:
    """What the TF oracle (TF 2.21 + tf-slim) needs beyond ``tf_contrib_shim`` for this group
    (nothing yet; the recorder calls it so that additions stay in this module)."""


def scopeflow_resolver() -> Callable[[str], Any]:
    """``real_code.scopeflow_resolver`` (``tensorflow`` is ``scopeflow.compat.v1``)."""
    from real_code import scopeflow_resolver as base

    return base()
