"""openai/glow and NVlabs/stylegan run with only their imports redirected (test and recorder).

The repositories are read at run time from a directory (``SCOPEFLOW_USER_CODE`` in the tests)
holding ``<owner>+<repo>/`` checkouts; none of their text is in this repository.

glow (``model.py``, ``tfops.py``, ``optim.py``) runs unchanged in fresh modules
(``real_code.Loader``) whose ``tensorflow`` imports go to the library under test and whose
``horovod.tensorflow`` import goes, under scopeflow, to scopeflow's Horovod API (the
``scopeflow run`` mapping; a group of one process). The TF oracle has no Horovod: the recorder
passes ``HOROVOD_ONE_PROCESS`` below (rank 0 of 1, ``broadcast_global_variables`` assigns every
variable its own value, as Horovod does in a group of one).

stylegan's ``dnnlib`` is a package with relative imports, and its ``tflib.Network`` finds the
build function's module with ``importlib`` and reads its source with ``inspect``, so it is
imported the ordinary way from the checkout (``sys.path``) with ``tensorflow`` served by the
library under test (``scopeflow run``'s import hook under scopeflow; the real TensorFlow in the
recorder). ``dnnlib/util.py`` imports ``requests`` (URL downloads) and ``distutils.util``
(``strtobool``, for command lines) and ``tflib/autosummary.py`` imports ``tensorboard``'s
``summary`` and ``layout_pb2`` (for TensorBoard's custom-scalar layout); none is used to build or
run the networks, Python 3.12 has no ``distutils`` and the TF oracle's environment has no
tensorboard: empty namespaces stand in for them when absent (``_stylegan_stubs``).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import real_code

REPOS: dict[str, tuple[str, tuple[str, ...]]] = {
    "glow": ("openai+glow", ("tfops", "optim", "model")),
    "stylegan": (
        "NVlabs+stylegan",
        (
            "dnnlib/__init__",
            "dnnlib/util",
            "dnnlib/tflib/network",
            "dnnlib/tflib/tfutil",
            "dnnlib/tflib/optimizer",
            "dnnlib/tflib/autosummary",
            "training/networks_stylegan",
            "training/loss",
        ),
    ),
}


def missing(root: Path | None, repo: str) -> str | None:
    """Why ``repo`` (a ``REPOS`` key) cannot be loaded from ``root``, or None if it can."""
    if root is None:
        return "SCOPEFLOW_USER_CODE is not set (a directory of <owner>+<repo> checkouts)"
    directory, files = REPOS[repo]
    absent = [f"{f}.py" for f in files if not (root / directory / f"{f}.py").exists()]
    if absent:
        return f"{root / directory} lacks {', '.join(absent)}"
    return None


def horovod_one_process(tf: Any) -> types.ModuleType:
    """``horovod.tensorflow`` as Horovod behaves in a group of one process (for the oracle)."""
    hvd = types.ModuleType("horovod.tensorflow")
    hvd.init = lambda: None  # type: ignore[attr-defined]
    hvd.rank = lambda: 0  # type: ignore[attr-defined]
    hvd.size = lambda: 1  # type: ignore[attr-defined]
    hvd.local_rank = lambda: 0  # type: ignore[attr-defined]
    hvd.broadcast_global_variables = lambda root_rank: tf.group(  # type: ignore[attr-defined]
        *[tf.assign(v, v) for v in tf.global_variables()]
    )
    return hvd


def scopeflow_horovod() -> types.ModuleType:
    """``horovod.tensorflow`` as ``scopeflow run`` serves it (``_modules.EXTERNAL_MODULES``)."""
    from scopeflow.run import _modules

    return importlib.import_module(_modules.EXTERNAL_MODULES["horovod.tensorflow"])


class GlowLoader(real_code.Loader):
    """``real_code.Loader`` over ``<root>/openai+glow/`` (``import tfops as Z``, ``import optim``
    are the sibling files; ``horovod.tensorflow`` is ``horovod`` when given)."""

    def __init__(self, root: Path, resolve: Callable[[str], Any], horovod: Any = None) -> None:
        super().__init__(root, resolve)
        self.horovod = horovod

    def resolve(self, name: str) -> Any:
        if name == "horovod.tensorflow" and self.horovod is not None:
            return self.horovod
        if name == "horovod" and self.horovod is not None:
            return types.SimpleNamespace(tensorflow=self.horovod)
        return super().resolve(name)

    def load_glow(self) -> dict[str, types.ModuleType]:
        directory, files = REPOS["glow"]
        return {name: self.load(directory, name) for name in files}


# --- scenarios -------------------------------------------------------------------------------

Result = tuple[dict[str, Any], dict[str, np.ndarray]]


def describe(tf: Any, outputs: dict[str, Any]) -> dict[str, Any]:
    """Variables (creation order), trainable ones and outputs' names/static shapes."""
    return {
        "global_variables": [
            [v.op.name, v.shape.as_list(), v.dtype.base_dtype.name] for v in tf.global_variables()
        ],
        "trainable_variables": [v.op.name for v in tf.trainable_variables()],
        "outputs": {
            k: [t.name, t.shape.as_list() if t.shape.dims is not None else None]
            for k, t in outputs.items()
        },
    }


def gradient_stats(value: Any) -> np.ndarray:
    """A gradient, small enough to commit: sum, L2 norm and its first 8 entries (float64)."""
    x = np.asarray(value, np.float64).reshape(-1)
    return np.concatenate([[x.sum(), np.sqrt((x * x).sum())], x[:8]])


class Hps:
    """glow's ``train.py`` hyperparameters (an ``argparse.Namespace`` there), tiny."""

    def __init__(self, **kwargs: Any) -> None:
        self.restore_path = ""
        self.inference = False
        self.n_levels = 2
        self.depth = 1
        self.width = 8
        self.image_size = 8
        self.n_bits_x = 5
        self.n_y = 10
        self.learntop = False
        self.ycond = False
        self.weight_y = 0.0
        self.flow_permutation = 2
        self.flow_coupling = 0
        self.gradient_checkpointing = 0
        self.optimizer = "adamax"
        self.direct_iterator = False
        self.train_its = 4
        self.polyak_epochs = 1.0
        self.beta1 = 0.9
        self.weight_decay = 1.0
        self.__dict__.update(kwargs)


def _glow_data(seed: int, n: int, hps: Hps) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(seed)
    x = rng.randint(0, 256, [n, hps.image_size, hps.image_size, 3]).astype(np.uint8)
    y = rng.randint(0, hps.n_y, [n]).astype(np.int32)
    return x, y


def glow(**overrides: Any) -> Callable[[Any, dict[str, Any], Path], Result]:
    """glow's ``model.model(sess, hps, ...)`` as ``train.py`` builds it (feeds, not iterators):
    its data-dependent init pass (``actnorm``/``get_variable_ddi`` with ``init=True``) on a
    fixed batch, two steps of its own optimizer (``optim.adamax``/``adam`` with Polyak
    averaging), ``test()`` before and after, and ``sample()`` at two temperatures; with
    ``inference`` also ``encode``/``decode``. Graph seed 0 (the dequantization noise and
    sampling eps), NumPy seed 0 (the 1x1 convolutions' orthogonal initial values)."""

    def run(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
        model_py = mods["model"]
        hvd = model_py.hvd
        hvd.init()
        hps = Hps(**overrides)
        np.random.seed(0)
        batches = [_glow_data(100 + i, 4, hps) for i in range(6)]
        it = iter(batches)

        def train_iterator() -> tuple[np.ndarray, np.ndarray]:
            return next(it)

        test_x, test_y = _glow_data(7, 4, hps)
        init_x, init_y = _glow_data(8, 8, hps)
        arrays: dict[str, np.ndarray] = {}
        log = io.StringIO()
        optim = mods["optim"]
        chosen = getattr(optim, hps.optimizer)
        captured: list[Any] = []

        def capture(params: Any, grads: Any, **kwargs: Any) -> Any:
            captured.append((params, grads))
            return chosen(params, grads, **kwargs)

        setattr(optim, hps.optimizer, capture)
        with tf.Session() as sess, contextlib.redirect_stdout(log):
            try:
                m = model_py.model(
                    sess,
                    hps,
                    train_iterator,
                    lambda: (test_x, test_y),
                    {"x": init_x, "y": init_y},
                )
            finally:
                setattr(optim, hps.optimizer, chosen)
            outputs = {"eps_std": m.eps_std}
            info = describe(tf, outputs)
            info["checkpoints"] = len(tf.get_collection("checkpoints"))
            names = [v.op.name for v in tf.global_variables()]
            for name, value in zip(names, sess.run(tf.global_variables()), strict=True):
                arrays[f"init/{name}"] = np.asarray(value)
            arrays["test/0"] = np.asarray(m.test())
            # the gradients the optimizer receives, at the initialized weights, one batch
            params, grads = captured[0]
            feed = {m.feeds["x"]: test_x, m.feeds["y"]: test_y}
            for v, grad in zip(params, sess.run(grads, feed), strict=True):
                arrays[f"grad/{v.op.name}"] = gradient_stats(grad)
            for step in range(2):
                arrays[f"train/{step}"] = np.asarray(m.train(1e-3))
            arrays["test/2"] = np.asarray(m.test())
            trained = sess.run(tf.trainable_variables())
            for v, value in zip(tf.trainable_variables(), trained, strict=True):
                arrays[f"trained/{v.op.name}"] = np.asarray(value)
            y = np.arange(4, dtype=np.int32) % hps.n_y
            arrays["sample/0.0"] = m.sample(y, np.zeros(4, np.float32))
            if hps.inference:
                z = m.encode(test_x, test_y)
                arrays["encode"] = z
                arrays["decode"] = m.decode(test_y, z)
        return info, arrays

    return run


GLOW_SCENARIOS: dict[str, Callable[[Any, dict[str, Any], Path], Result]] = {
    # invertible 1x1 convolutions, additive coupling, Adamax (train.py's defaults)
    "glow_adamax": glow(),
    # reversed channels, affine coupling, learned top prior, class-conditional prior and
    # classifier, Adam; with encode/decode (inference). Not ``flow_permutation=1``: its
    # shuffle seeds NumPy with ``hash(scope name)``, which Python randomizes per process.
    "glow_ycond_adam": glow(
        ycond=True,
        learntop=True,
        weight_y=0.5,
        flow_coupling=1,
        flow_permutation=0,
        optimizer="adam",
        inference=True,
    ),
}


# --- stylegan --------------------------------------------------------------------------------

_STYLEGAN_PACKAGES = ("dnnlib", "training", "requests", "distutils", "tensorboard")


def _stylegan_stubs() -> dict[str, types.ModuleType]:
    out: dict[str, types.ModuleType] = {}
    try:
        importlib.import_module("requests")
    except ImportError:
        requests = types.ModuleType("requests")
        out["requests"] = requests
    try:
        importlib.import_module("tensorboard.plugins.custom_scalar.layout_pb2")
    except ImportError:
        names = ("tensorboard", "tensorboard.summary", "tensorboard.plugins")
        names += (
            "tensorboard.plugins.custom_scalar",
            "tensorboard.plugins.custom_scalar.layout_pb2",
        )
        for name in names:
            out[name] = types.ModuleType(name)
        for name in names[1:]:
            parent, _, attr = name.rpartition(".")
            setattr(out[parent], attr, out[name])
    try:
        importlib.import_module("distutils.util")
    except ImportError:
        distutils = types.ModuleType("distutils")
        util = types.ModuleType("distutils.util")

        def strtobool(value: str) -> int:
            return int(value.lower() in ("y", "yes", "t", "true", "on", "1"))

        util.strtobool = strtobool  # type: ignore[attr-defined]
        distutils.util = util  # type: ignore[attr-defined]
        out["distutils"] = distutils
        out["distutils.util"] = util
    return out


@contextlib.contextmanager
def stylegan_modules(root: Path) -> Iterator[dict[str, types.ModuleType]]:
    """Imports stylegan's ``dnnlib``, ``dnnlib.tflib`` and ``training.*`` from the checkout
    (``tensorflow`` must already resolve to the library under test); removes them afterwards."""
    directory = str(root / REPOS["stylegan"][0])
    before = set(sys.modules)
    stubs = {k: v for k, v in _stylegan_stubs().items() if k not in sys.modules}
    sys.modules.update(stubs)
    sys.path.insert(0, directory)
    try:
        mods = {
            name: importlib.import_module(name)
            for name in (
                "dnnlib",
                "dnnlib.tflib",
                "training.networks_stylegan",
                "training.loss",
            )
        }
        yield mods
    finally:
        sys.path.remove(directory)
        for name in set(sys.modules) - before:
            if name.split(".")[0] in _STYLEGAN_PACKAGES:
                del sys.modules[name]


_STYLEGAN_KW = {
    "resolution": 8,
    "num_channels": 3,
    "fmap_base": 32,
    "fmap_max": 8,
    "latent_size": 8,
    "dlatent_size": 8,
    "mapping_layers": 2,
    "mapping_fmaps": 8,
}


def _feed_random(tf: Any, ops_before: int, seed: int) -> dict[Any, np.ndarray]:
    """Fixed values for the outputs of the random ops created since ``ops_before`` (the
    losses' latents, noise and style-mixing draws), in creation order."""
    # RandomUniformInt (the mixing cutoff inside a cond) is left alone: see below.
    rng = np.random.RandomState(seed)
    feed = {}
    for op in tf.get_default_graph().get_operations()[ops_before:]:
        if op.type not in ("RandomStandardNormal", "RandomUniform"):
            continue
        out = op.outputs[0]
        shape = [4 if d is None else d for d in out.shape.as_list()]
        if op.type == "RandomUniform":
            # style mixing's draw against style_mixing_prob=0.9: no mixing, so the cutoff
            # drawn inside its tf.cond never runs (TF and scopeflow differ when a tensor
            # inside an untaken cond branch is fed; see docs/real_code.md, "glow")
            feed[out] = np.full(shape, 0.95, np.float32)
        else:
            feed[out] = rng.normal(size=shape).astype(np.float32)
    return feed


def stylegan(structure: str) -> Callable[[Any, dict[str, Any], Path], Result]:
    """stylegan's ``G_style`` (``G_mapping`` + ``G_synthesis``) and ``D_basic`` built by
    ``tflib.Network`` at resolution 8 (fmap_max 8, latent 8, two mapping layers), TF's initial
    weights from NumPy/graph seed 0; ``Network.run`` of G (truncation, noise from its
    variables) and of D; ``G_logistic_nonsaturating`` and ``D_logistic_simplegp`` (R1
    penalty: a gradient of D inside the loss, through the custom gradients) with their
    ``tflib.Optimizer`` (Adam as ``training_loop`` configures it) for two steps each. The
    losses' random draws (latents, noise, style mixing) are fed fixed values."""

    def run(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
        tflib = mods["dnnlib.tflib"]
        loss = mods["training.loss"]
        kw = dict(_STYLEGAN_KW, structure=structure)
        np.random.seed(0)
        tf.set_random_seed(0)
        arrays: dict[str, np.ndarray] = {}
        # Network.run places its graph on "/gpu:0": soft placement, as on a machine without GPU
        config = tf.ConfigProto(allow_soft_placement=True)
        with tf.Session(config=config).as_default() as sess:
            G = tflib.Network("G", func_name="training.networks_stylegan.G_style", **kw)
            D = tflib.Network("D", func_name="training.networks_stylegan.D_basic", **kw)
            Gs = G.clone("Gs")
            info = describe(tf, {})
            info["G_trainables"] = list(G.trainables)
            info["D_trainables"] = list(D.trainables)
            info["shapes"] = [G.input_shapes, G.output_shapes, D.input_shapes, D.output_shapes]
            names = [v.op.name for v in tf.global_variables()]
            for name, value in zip(names, sess.run(tf.global_variables()), strict=True):
                arrays[f"init/{name}"] = np.asarray(value)
            rng = np.random.RandomState(1)
            latents = rng.normal(size=[4, 8]).astype(np.float32)
            labels = np.zeros([4, 0], np.float32)
            images = G.run(latents, labels, truncation_psi=0.7, randomize_noise=False)
            arrays["G.run"] = images
            arrays["D.run"] = D.run(images, labels)
            reals_np = rng.uniform(-1, 1, [4, 3, 8, 8]).astype(np.float32)

            training_set = types.SimpleNamespace(
                get_random_labels_tf=lambda n: tf.zeros([n, 0], tf.float32)
            )
            ops_before = len(tf.get_default_graph().get_operations())
            G_opt = tflib.Optimizer(name="TrainG", learning_rate=0.01, beta1=0.0, beta2=0.99)
            D_opt = tflib.Optimizer(name="TrainD", learning_rate=0.01, beta1=0.0, beta2=0.99)
            reals = tf.placeholder(tf.float32, [4, 3, 8, 8], name="reals")
            labels_in = tf.placeholder(tf.float32, [4, 0], name="labels")
            with tf.name_scope("G_loss"):
                G_loss = loss.G_logistic_nonsaturating(
                    G=G, D=D, opt=G_opt, training_set=training_set, minibatch_size=4
                )
            with tf.name_scope("D_loss"):
                D_loss = loss.D_logistic_simplegp(
                    G=G,
                    D=D,
                    opt=D_opt,
                    training_set=training_set,
                    minibatch_size=4,
                    reals=reals,
                    labels=labels_in,
                )
            G_opt.register_gradients(tf.reduce_mean(G_loss), G.trainables)
            D_opt.register_gradients(tf.reduce_mean(D_loss), D.trainables)
            G_train = G_opt.apply_updates()
            D_train = D_opt.apply_updates()
            Gs_update = Gs.setup_as_moving_average_of(G, beta=0.9)
            feed = _feed_random(tf, ops_before, 2)
            feed.update({reals: reals_np, labels_in: np.zeros([4, 0], np.float32)})
            info["losses"] = [G_loss.name, G_loss.shape.as_list(), D_loss.name]
            info["random_ops_fed"] = [t.op.name for t in list(feed)[:-2]]
            for step in range(2):
                g, d = sess.run([G_loss, D_loss], feed)
                arrays[f"G_loss/{step}"] = g
                arrays[f"D_loss/{step}"] = d
                tflib.run(D_train, feed)
                tflib.run(G_train, feed)
                tflib.run(Gs_update)
            for name, value in zip(
                names, sess.run([tf.global_variables()[i] for i in range(len(names))]), strict=True
            ):
                arrays[f"trained/{name}"] = np.asarray(value)
            arrays["Gs.run"] = Gs.run(latents, labels, truncation_psi=0.7, randomize_noise=False)
        return info, arrays

    return run


STYLEGAN_SCENARIOS: dict[str, Callable[[Any, dict[str, Any], Path], Result]] = {
    "stylegan_recursive": stylegan("recursive"),
    "stylegan_linear": stylegan("linear"),
}


__all__ = [
    "REPOS",
    "STYLEGAN_SCENARIOS",
    "GLOW_SCENARIOS",
    "GlowLoader",
    "Hps",
    "describe",
    "glow",
    "horovod_one_process",
    "missing",
    "scopeflow_horovod",
    "stylegan_modules",
]
