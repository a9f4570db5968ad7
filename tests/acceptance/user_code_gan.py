"""GAN/VAE user codebases run with only their imports redirected (shared by test and recorder).

The repositories are read at run time from a directory (``SCOPEFLOW_USER_CODE`` in the tests)
holding ``<owner>+<repo>/`` checkouts; none of their text is in this repository. Each file runs
unchanged in a fresh module (``real_code.Loader``) whose ``tensorflow`` imports go to the library
under test and whose sibling imports (``from ops import *``, ``import utils``) go to the other
loaded files of the same repository.

Third-party packages the files import but neither scopeflow nor the TF oracle installs are tiny
namespaces here, used only where the model code merely imports them (image files and plots, not
the model): ``scipy.misc`` (image IO in the collections' ``utils.py``), ``scipy.io`` (``loadmat``,
which neural-style's ``vgg.load_net`` calls; the scenario sets what it returns: random weights in
the MatConvNet layout of ``imagenet-vgg-verydeep-19.mat``), ``matplotlib`` and ``PIL.Image``.

One thing the collections' own ``utils.load_mnist`` cannot do here: it reads the MNIST files from
``./data`` and casts with ``np.float``, which NumPy 1.24 removed. After loading ``utils.py``
unchanged its ``load_mnist`` is replaced, before the model files import it, by
``synthetic_mnist`` (MNIST-shaped arrays from a fixed seed, the same under both libraries).
"""

from __future__ import annotations

import contextlib
import io
import re
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import real_code

# Short name -> (checkout directory, files to load in order; a file may import the earlier ones).
REPOS: dict[str, tuple[str, tuple[str, ...]]] = {
    "gmc": (
        "hwalsuklee+tensorflow-generative-model-collections",
        (
            "utils",
            "ops",
            "prior_factory",
            "GAN",
            "CGAN",
            "infoGAN",
            "ACGAN",
            "EBGAN",
            "WGAN",
            "WGAN_GP",
            "DRAGAN",
            "LSGAN",
            "BEGAN",
            "VAE",
            "CVAE",
        ),
    ),
    "mnist_vae": ("hwalsuklee+tensorflow-mnist-VAE", ("vae",)),
    "wgan": ("jiamings+wgan", ("layers", "mnist/dcgan", "mnist/mlp", "visualize", "wgan")),
    "cyclegan": (
        "vanhuyz+CycleGAN-TensorFlow",
        ("ops", "utils", "reader", "discriminator", "generator", "model"),
    ),
    "neural_style": ("anishathalye+neural-style", ("vgg", "stylize")),
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


def synthetic_mnist(dataset_name: str) -> tuple[np.ndarray, np.ndarray]:
    """What the collections' ``load_mnist`` returns (images in [0, 1], one-hot labels), small."""
    rng = np.random.RandomState(547)
    images = rng.uniform(0.0, 1.0, [8, 28, 28, 1])
    labels = np.zeros([8, 10])
    labels[np.arange(8), rng.randint(0, 10, 8)] = 1.0
    return images, labels


def _stub_modules() -> dict[str, types.ModuleType]:
    def unavailable(what: str) -> Callable[..., Any]:
        def fn(*args: Any, **kwargs: Any) -> Any:
            raise NotImplementedError(f"{what} is not available in the user-code harness")

        return fn

    scipy = types.ModuleType("scipy")
    misc = types.ModuleType("scipy.misc")
    for name in ("imread", "imresize"):
        setattr(misc, name, unavailable(f"scipy.misc.{name}"))
    saved: list[tuple[str, np.ndarray]] = []
    misc.saved = saved  # type: ignore[attr-defined]
    # The image the code would write, kept (file name, array) for the comparison instead.
    misc.imsave = lambda path, image: saved.append((Path(path).name, np.asarray(image)))  # type: ignore[attr-defined]
    io = types.ModuleType("scipy.io")
    io.loadmat = unavailable("scipy.io.loadmat")  # type: ignore[attr-defined]
    scipy.misc = misc  # type: ignore[attr-defined]
    scipy.io = io  # type: ignore[attr-defined]
    pyplot = types.ModuleType("matplotlib.pyplot")
    for name in ("figure", "imshow", "ion", "savefig", "close", "subplot", "axis"):
        setattr(pyplot, name, unavailable(f"matplotlib.pyplot.{name}"))
    matplotlib = types.ModuleType("matplotlib")
    matplotlib.use = lambda backend: None  # type: ignore[attr-defined]
    matplotlib.pyplot = pyplot  # type: ignore[attr-defined]
    image = types.ModuleType("PIL.Image")
    image.open = unavailable("PIL.Image.open")  # type: ignore[attr-defined]
    image.fromarray = unavailable("PIL.Image.fromarray")  # type: ignore[attr-defined]
    pil = types.ModuleType("PIL")
    pil.Image = image  # type: ignore[attr-defined]
    return {
        "scipy": scipy,
        "scipy.misc": misc,
        "scipy.io": io,
        "matplotlib": matplotlib,
        "matplotlib.pyplot": pyplot,
        "PIL": pil,
        "PIL.Image": image,
    }


class Loader(real_code.Loader):
    """``real_code.Loader`` over ``<root>/<owner>+<repo>/`` with the stub packages above."""

    def __init__(self, root: Path, resolve: Callable[[str], Any]) -> None:
        super().__init__(root, resolve)
        self.stubs = _stub_modules()

    def resolve(self, name: str) -> Any:
        if name in self.stubs:
            return self.stubs[name]
        return super().resolve(name)

    def load_repo(self, repo: str) -> dict[str, types.ModuleType]:
        """Load the files of ``REPOS[repo]``; returns them by file name (``mnist/dcgan``)."""
        directory, files = REPOS[repo]
        out = {}
        for name in files:
            module = self.load(directory, name)
            if repo == "gmc" and name == "utils":
                module.load_mnist = synthetic_mnist  # type: ignore[attr-defined]
            out[name] = module
        return out


# --- scenarios -------------------------------------------------------------------------------

Result = tuple[dict[str, Any], dict[str, np.ndarray]]
_NUMBER = re.compile(r"([A-Za-z_]+): (-?\d+\.\d+(?:e[-+]?\d+)?)")


def describe(tf: Any, outputs: dict[str, Any]) -> dict[str, Any]:
    """Variables (creation order), trainable ones, UPDATE_OPS and outputs' names/static shapes."""
    return {
        "global_variables": [
            [v.op.name, v.shape.as_list(), v.dtype.base_dtype.name] for v in tf.global_variables()
        ],
        "trainable_variables": [v.op.name for v in tf.trainable_variables()],
        "update_ops": [op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)],
        "outputs": {
            k: [t.name, t.shape.as_list() if t.shape.dims is not None else None]
            for k, t in outputs.items()
        },
    }


def printed_numbers(text: str) -> dict[str, list[float]]:
    """``name: 1.2345`` pairs of a training log, by name (wall times left out)."""
    out: dict[str, list[float]] = {}
    for key, value in _NUMBER.findall(text):
        if key != "time":
            out.setdefault(key, []).append(float(value))
    return out


def gradient_stats(value: Any) -> np.ndarray:
    """A gradient, small enough to commit: sum, L2 norm and its first 8 entries (float64)."""
    x = np.asarray(value, np.float64).reshape(-1)
    return np.concatenate([[x.sum(), np.sqrt((x * x).sum())], x[:8]])


def _gmc_build(name: str, mods: dict[str, Any], sess: Any, tmp: Path) -> Any:
    directory = REPOS["gmc"][0]
    cls = getattr(mods[f"{directory}.{name}"], name)
    np.random.seed(0)
    model = cls(
        sess,
        epoch=1,
        batch_size=4,
        z_dim=8,
        dataset_name="mnist",
        checkpoint_dir=str(tmp / "checkpoint"),
        result_dir=str(tmp / "results"),
        log_dir=str(tmp / "logs"),
    )
    model.build_model()
    return model


_GMC_LOSSES = ("d_loss", "g_loss", "q_loss", "loss", "neg_loglikelihood", "KL_divergence")


def gmc_model(name: str) -> Callable[[Any, dict[str, Any], Path], Result]:
    """hwalsuklee's ``<name>.py``: the class ``main.py`` builds (batch 4, z_dim 8), its
    ``build_model()``, then its own ``train()`` for one epoch of the synthetic MNIST (2 steps,
    TF's random initial weights from graph seed 0, NumPy seed 0 for the noise)."""

    def run(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
        saved = mods["stubs"]["scipy.misc"].saved
        del saved[:]
        with tf.Session() as sess:
            model = _gmc_build(name, mods, sess, tmp)
            outputs = {"fake_images": model.fake_images}
            outputs.update({a: getattr(model, a) for a in _GMC_LOSSES if hasattr(model, a)})
            info = describe(tf, outputs)
            log = io.StringIO()
            with contextlib.redirect_stdout(log):
                model.train()
            numbers = printed_numbers(log.getvalue())
        arrays = {f"printed/{k}": np.array(v) for k, v in numbers.items()}
        info["printed"] = sorted(numbers)
        info["saved_images"] = [path for path, _ in saved]
        for path, image in saved:
            if path.endswith("_test_all_classes.png"):
                arrays[f"image/{path}"] = image
        return info, arrays

    return run


def gmc_gradients(name: str) -> Callable[[Any, dict[str, Any], Path], Result]:
    """hwalsuklee's ``<name>.py`` built as in ``gmc_model``: its losses and their gradients for
    every trainable variable at TF's initial weights, for one fixed synthetic batch."""

    def run(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
        with tf.Session() as sess:
            model = _gmc_build(name, mods, sess, tmp)
            losses = {a: getattr(model, a) for a in _GMC_LOSSES if hasattr(model, a)}
            tvars = tf.trainable_variables()
            rng = np.random.RandomState(1)
            feed = {
                model.inputs: model.data_X[:4],
                model.z: rng.uniform(-1, 1, [4, 8]),
            }
            if hasattr(model, "inputs_p"):  # DRAGAN's perturbed batch
                feed[model.inputs_p] = model.data_X[4:8]
            if hasattr(model, "y"):  # labels, and infoGAN's two continuous codes after them
                extra = rng.uniform(-1, 1, [4, model.y_dim - 10])
                feed[model.y] = np.concatenate([model.data_y[:4], extra], axis=1)
            grads = {}
            for key, loss in losses.items():
                for v, g in zip(tvars, tf.gradients(loss, tvars), strict=True):
                    if g is not None:
                        grads[f"grad_{key}/{v.op.name}"] = tf.convert_to_tensor(g)
            sess.run(tf.global_variables_initializer())
            got = sess.run({"losses": losses, "grads": grads}, feed)
        arrays = {f"loss/{k}": np.asarray(v) for k, v in got["losses"].items()}
        arrays.update({k: gradient_stats(v) for k, v in got["grads"].items()})
        return {"gradients": sorted(grads)}, arrays

    return run


def _run_steps(
    sess: Any, train_ops: list[Any], fetches: dict[str, Any], feeds: list[dict[Any, Any]]
) -> dict[str, np.ndarray]:
    """Per feed: the fetches, then the train ops run in order; the fetches per step stacked."""
    out: dict[str, list[np.ndarray]] = {}
    for feed in feeds:
        for key, value in sess.run(fetches, feed).items():
            out.setdefault(key, []).append(np.asarray(value))
        for op in train_ops:
            sess.run(op, feed)
    return {f"step/{k}": np.stack(v) for k, v in out.items()}


def mnist_vae(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
    """hwalsuklee/tensorflow-mnist-VAE's ``vae.autoencoder`` and ``vae.decoder`` wired as its
    ``run_main.py`` does (784 -> 16 hidden -> 4 latent, keep_prob 0.9, Adam 1e-3): TF's random
    initial weights, reparameterization noise and dropout from graph seed 0; three steps."""
    vae = mods["hwalsuklee+tensorflow-mnist-VAE.vae"]
    x_hat = tf.placeholder(tf.float32, shape=[None, 784], name="input_img")
    x = tf.placeholder(tf.float32, shape=[None, 784], name="target_img")
    keep_prob = tf.placeholder(tf.float32, name="keep_prob")
    z_in = tf.placeholder(tf.float32, shape=[None, 4], name="latent_variable")
    y, z, loss, neg_ll, kl = vae.autoencoder(x_hat, x, 784, 4, 16, keep_prob)
    train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
    decoded = vae.decoder(z_in, 784, 16)
    outputs = {"y": y, "z": z, "loss": loss, "neg_ll": neg_ll, "kl": kl, "decoded": decoded}
    info = describe(tf, outputs)
    images = synthetic_mnist("mnist")[0].reshape(8, 784)
    feeds = [{x_hat: images[i : i + 4], x: images[i : i + 4], keep_prob: 0.9} for i in (0, 4, 0)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer(), feed_dict={keep_prob: 0.9})
        arrays = _run_steps(sess, [train_op], {"loss": loss, "neg_ll": neg_ll, "kl": kl}, feeds)
        arrays["decoded"] = sess.run(decoded, {z_in: np.linspace(-1, 1, 8).reshape(2, 4)})
        for v in tf.global_variables():
            arrays[f"after/{v.op.name}"] = np.asarray(sess.run(v))
    return info, arrays


def jiamings_wgan(model: str) -> Callable[[Any, dict[str, Any], Path], Result]:
    """jiamings/wgan's ``WassersteinGAN`` (``wgan.py``) on its ``mnist/<model>.py`` nets: the
    graph its constructor builds (l1-regularized losses, RMSProp 5e-5, ``d_clip``), then what
    its ``train()`` does per step (``d_clip``, ``d_rmsprop``, then ``g_rmsprop``), 2 steps on
    fixed batches of 4, TF's random initial weights from graph seed 0."""

    def run(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
        wgan = mods["jiamings+wgan.wgan"]
        nets = mods[f"jiamings+wgan.mnist/{model}"]
        d_net, g_net = nets.Discriminator(), nets.Generator()
        gan = wgan.WassersteinGAN(g_net, d_net, None, None, "mnist", model)
        outputs = {"x_": gan.x_, "d": gan.d, "d_": gan.d_, "g_loss": gan.g_loss}
        outputs.update({"d_loss": gan.d_loss, "reg": gan.reg})
        info = describe(tf, outputs)
        info["d_vars"] = [v.op.name for v in d_net.vars]
        info["g_vars"] = [v.op.name for v in g_net.vars]
        info["regularization_losses"] = [
            t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        ]
        images = synthetic_mnist("mnist")[0].reshape(8, 784)
        rng = np.random.RandomState(3)
        feeds = [{gan.x: images[i : i + 4], gan.z: rng.uniform(-1, 1, [4, 100])} for i in (0, 4)]
        sess = gan.sess
        sess.run(tf.global_variables_initializer())
        fetches = {"d_loss": gan.d_loss, "g_loss": gan.g_loss, "reg": gan.reg}
        arrays = _run_steps(sess, [gan.d_clip, gan.d_rmsprop, gan.g_rmsprop], fetches, feeds)
        arrays["x_"] = sess.run(gan.x_, feeds[0])
        sess.close()
        return info, arrays

    return run


def _tiny_vgg_mat(seed: int = 5) -> dict[str, Any]:
    """What ``scipy.io.loadmat`` gives for imagenet-vgg-verydeep-19.mat (the "old format" of
    ``vgg.load_net``: ``normalization`` and ``layers``), with VGG19's 16 conv layers made narrow
    (8/8/16/16/16 channels) and random weights in MatConvNet's [width, height, in, out]."""
    rng = np.random.RandomState(seed)
    layers: list[Any] = []
    channels = {"1": 8, "2": 8, "3": 16, "4": 16, "5": 16}
    depth = 3
    names = ["conv1_1", "relu1_1", "conv1_2", "relu1_2", "pool1"]
    for block, convs in (("2", 2), ("3", 4), ("4", 4), ("5", 4)):
        for i in range(1, convs + 1):
            names += [f"conv{block}_{i}", f"relu{block}_{i}"]
        if block != "5":
            names.append(f"pool{block}")
    for name in names:
        if name.startswith("conv"):
            out = channels[name[4]]
            pair = np.empty(2, dtype=object)
            pair[0] = (rng.normal(size=[3, 3, depth, out]) * np.sqrt(2.0 / (9 * depth))).astype(
                np.float32
            )
            pair[1] = (0.1 * rng.normal(size=[1, out])).astype(np.float32)
            layers.append([[[[pair]]]])
            depth = out
        else:
            layers.append([[[[name]]]])
    mean = np.array([123.68, 116.779, 103.939], np.float32) * np.ones([2, 2, 3], np.float32)
    return {"normalization": [[[mean]]], "layers": [layers]}


def neural_style(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
    """anishathalye/neural-style's ``stylize.stylize`` (its entry point's generator: content and
    style features in their own graphs, then Adam on the image), 3 iterations on a 16x16 image
    with one style, the initial image the content (no noise), and a narrow random VGG19."""
    stylize = mods["anishathalye+neural-style.stylize"]
    mods["stubs"]["scipy.io"].loadmat = lambda path: _tiny_vgg_mat()
    rng = np.random.RandomState(9)
    content = rng.uniform(0, 255, [16, 16, 3]).astype(np.float32)
    style = rng.uniform(0, 255, [16, 16, 3]).astype(np.float32)
    arrays: dict[str, np.ndarray] = {}
    log = io.StringIO()
    with contextlib.redirect_stdout(log):
        for iteration, image, loss_vals in stylize.stylize(
            network="imagenet-vgg-verydeep-19.mat",
            initial=content,
            initial_noiseblend=0.0,
            content=content,
            styles=[style],
            preserve_colors=False,
            iterations=3,
            content_weight=5e0,
            content_weight_blend=1.0,
            style_weight=5e2,
            style_layer_weight_exp=1.0,
            style_blend_weights=[1.0],
            tv_weight=1e2,
            learning_rate=1e1,
            beta1=0.9,
            beta2=0.999,
            epsilon=1e-8,
            pooling="max",
            print_iterations=1,
        ):
            for key, value in (loss_vals or {}).items():
                arrays.setdefault(f"loss/{key}", []).append(value)  # type: ignore[arg-type]
            if image is not None:
                arrays[f"image_{iteration}"] = np.asarray(image)
    out = {k: np.asarray(v) for k, v in arrays.items()}
    return {"printed": sorted(printed_numbers(log.getvalue()))}, out


def cyclegan(norm: str) -> Callable[[Any, dict[str, Any], Path], Result]:
    """vanhuyz/CycleGAN-TensorFlow's ``CycleGAN`` (32x32 images, ngf 8, ``norm``): its
    constructor (generators G, F and discriminators D_Y, D_X), then what its ``model()`` builds
    with the two image batches as placeholders instead of its TFRecord ``Reader``s (cycle loss,
    LSGAN generator and discriminator losses with the fake-image pools as placeholders), its
    ``optimize()`` (four Adam optimizers with their own global steps), two steps."""

    def run(tf: Any, mods: dict[str, Any], tmp: Path) -> Result:
        model = mods["vanhuyz+CycleGAN-TensorFlow.model"]
        gan = model.CycleGAN(batch_size=1, image_size=32, norm=norm, ngf=8)
        x = tf.placeholder(tf.float32, [1, 32, 32, 3], name="x")
        y = tf.placeholder(tf.float32, [1, 32, 32, 3], name="y")
        cycle_loss = gan.cycle_consistency_loss(gan.G, gan.F, x, y)
        fake_y = gan.G(x)
        g_loss = gan.generator_loss(gan.D_Y, fake_y, use_lsgan=gan.use_lsgan) + cycle_loss
        d_y_loss = gan.discriminator_loss(gan.D_Y, y, gan.fake_y, use_lsgan=gan.use_lsgan)
        fake_x = gan.F(y)
        f_loss = gan.generator_loss(gan.D_X, fake_x, use_lsgan=gan.use_lsgan) + cycle_loss
        d_x_loss = gan.discriminator_loss(gan.D_X, x, gan.fake_x, use_lsgan=gan.use_lsgan)
        optimizers = gan.optimize(g_loss, d_y_loss, f_loss, d_x_loss)
        losses = {"G": g_loss, "D_Y": d_y_loss, "F": f_loss, "D_X": d_x_loss, "cycle": cycle_loss}
        info = describe(tf, {**losses, "fake_y": fake_y, "fake_x": fake_x})
        info["G_variables"] = [v.op.name for v in gan.G.variables]
        info["D_Y_variables"] = [v.op.name for v in gan.D_Y.variables]
        rng = np.random.RandomState(4)
        images = rng.uniform(-1, 1, [4, 1, 32, 32, 3])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            # Its train.py runs the four optimizers in one Session.run; a loss fetched there
            # that reads another optimizer's variables (G's through D_Y) races with that
            # update in TF. Recorded from that run: the losses no update can reach first.
            initial = sess.run(tf.global_variables())
            feed = {x: images[0], y: images[2], gan.fake_y: images[1], gan.fake_x: images[3]}
            safe = {k: losses[k] for k in ("D_Y", "D_X", "cycle")}
            arrays = {
                f"joint/{k}": np.asarray(v)
                for k, v in sess.run([safe, optimizers], feed)[0].items()
            }
            for v, value in zip(tf.global_variables(), initial, strict=True):
                v.load(value, sess)
            # Then each optimizer in its own run, in optimize()'s order (deterministic).
            out: dict[str, list[np.ndarray]] = {}
            fy, fx = images[1], images[3]
            for step in range(2):
                feed = {x: images[step], y: images[step + 2], gan.fake_y: fy, gan.fake_x: fx}
                got, fy, fx = sess.run([losses, fake_y, fake_x], feed)
                if step == 0:
                    arrays["fake_y"] = np.asarray(fy)  # G(x) before any update
                for key, value in got.items():
                    out.setdefault(key, []).append(np.asarray(value))
                for op in optimizers.control_inputs:
                    sess.run(op, feed)
            arrays.update({f"step/{k}": np.stack(v) for k, v in out.items()})
        return info, arrays

    return run


SCENARIOS: dict[str, tuple[str, Callable[[Any, dict[str, Any], Path], Result]]] = {
    # Not train(): WGAN's and LSGAN's run d_optim with clip_D, assignments to the same
    # variables with no order between them, so TF's numbers depend on its executor's schedule.
    **{
        f"gmc_{name}": ("gmc", gmc_model(name))
        for name in REPOS["gmc"][1][3:]
        if name not in ("WGAN", "LSGAN")
    },
    **{f"gmc_grads_{name}": ("gmc", gmc_gradients(name)) for name in REPOS["gmc"][1][3:]},
    "mnist_vae": ("mnist_vae", mnist_vae),
    "wgan_dcgan": ("wgan", jiamings_wgan("dcgan")),
    "wgan_mlp": ("wgan", jiamings_wgan("mlp")),
    "neural_style": ("neural_style", neural_style),
    "cyclegan_instance": ("cyclegan", cyclegan("instance")),
    "cyclegan_batch": ("cyclegan", cyclegan("batch")),
}


__all__ = [
    "REPOS",
    "SCENARIOS",
    "Loader",
    "describe",
    "missing",
    "printed_numbers",
    "synthetic_mnist",
]
