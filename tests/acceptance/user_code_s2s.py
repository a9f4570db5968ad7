"""The "s2s" group of user codebases: loader and scenarios shared by test and recorder.

The sources are read at run time from ``$SCOPEFLOW_USER_CODE``, a directory holding
``<owner>+<repo>/`` checkouts (google+seq2seq 7f48589, tensorpack+tensorpack 1547a54e). None of
it is committed. Each file is compiled from its own text and executed in a fresh module whose
``__import__`` maps ``tensorflow`` and its private/contrib paths to the library under test
(``real_code``'s resolvers) and the repo's own modules (``from seq2seq.models import bridges``)
to the other loaded files. While a scenario runs, the loaded modules are also visible in
``sys.modules`` under their package names, because google/seq2seq finds its classes by dotted
name with ``pydoc.locate`` ("seq2seq.encoders.BidirectionalRNNEncoder"), as it does when the
package is installed.

Ports (exact text substitutions, the same under both frameworks, for Python 3.11):
``inspect.getargspec`` (removed in 3.11) -> ``inspect.getfullargspec`` and
``collections.MutableMapping`` (removed in 3.10) -> ``collections.abc.MutableMapping``.
Third-party packages the files import but the scenarios never need are tiny namespaces here:
``yaml`` (seq2seq's ``Configurable`` only logs its parameters with ``yaml.dump``; parameters are
given as dicts, never YAML text).

Each scenario takes ``tf``, the loaded modules and ``init`` (``None`` under TensorFlow: run the
initializers with graph seed 0 and return the initial values under ``init/``; under scopeflow:
TF's initial values, assigned to the variables before anything runs) and returns
``(info, arrays)``: variable names/shapes/dtypes in creation order, collections, output tensor
names and static shapes (JSON) and the numbers (npz).
"""

from __future__ import annotations

import builtins
import contextlib
import queue
import sys
import types
import urllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import real_code
from user_code_text import describe

Result = tuple[dict[str, Any], dict[str, np.ndarray]]
Init = dict[str, np.ndarray] | None

REPOS: dict[str, tuple[tuple[str, str], ...]] = {
    "google+seq2seq": tuple(
        (n, p or f"{n.replace('.', '/')}.py")
        for n, p in (
            ("seq2seq.global_vars", ""),
            ("seq2seq.configurable", ""),
            ("seq2seq.graph_module", ""),
            ("seq2seq.graph_utils", ""),
            ("seq2seq.losses", ""),
            ("seq2seq.data.vocab", ""),
            ("seq2seq.contrib.rnn_cell", ""),
            ("seq2seq.contrib.seq2seq.decoder", ""),
            ("seq2seq.contrib.seq2seq.helper", ""),
            ("seq2seq.training.utils", ""),
            ("seq2seq.encoders.encoder", ""),
            ("seq2seq.encoders.rnn_encoder", ""),
            ("seq2seq.encoders.pooling_encoder", ""),
            ("seq2seq.encoders.conv_encoder", ""),
            ("seq2seq.encoders.image_encoder", ""),
            ("seq2seq.encoders", "seq2seq/encoders/__init__.py"),
            ("seq2seq.inference.beam_search", ""),
            ("seq2seq.decoders.rnn_decoder", ""),
            ("seq2seq.decoders.attention", ""),
            ("seq2seq.decoders.basic_decoder", ""),
            ("seq2seq.decoders.attention_decoder", ""),
            ("seq2seq.decoders.beam_search_decoder", ""),
            ("seq2seq.decoders", "seq2seq/decoders/__init__.py"),
            ("seq2seq.models.bridges", ""),
            ("seq2seq.models.model_base", ""),
            ("seq2seq.models.seq2seq_model", ""),
            ("seq2seq.models.basic_seq2seq", ""),
            ("seq2seq.models.attention_seq2seq", ""),
            ("seq2seq.models.image2seq", ""),
            ("seq2seq.models", "seq2seq/models/__init__.py"),
        )
    ),
}


def _yaml() -> types.ModuleType:
    module = types.ModuleType("yaml")
    module.dump = repr  # type: ignore[attr-defined]
    return module


def _six() -> types.ModuleType:
    """``real_code``'s six plus ``add_metaclass`` (seq2seq's abstract classes use it)."""
    module = real_code._six()

    def add_metaclass(metaclass: type) -> Callable[[type], type]:
        def wrap(cls: type) -> type:
            body = {k: v for k, v in vars(cls).items() if k not in ("__dict__", "__weakref__")}
            return metaclass(cls.__name__, cls.__bases__, body)

        return wrap

    module.add_metaclass = add_metaclass  # type: ignore[attr-defined]
    module.binary_type = bytes  # type: ignore[attr-defined]
    module.iterkeys = lambda d: iter(d.keys())  # type: ignore[attr-defined]
    module.itervalues = lambda d: iter(d.values())  # type: ignore[attr-defined]
    module.moves.queue = queue  # type: ignore[attr-defined]
    module.moves.input = input  # type: ignore[attr-defined]
    module.moves.urllib = urllib  # type: ignore[attr-defined]
    return module


def _absent(name: str, **attrs: Any) -> Callable[[], types.ModuleType]:
    """A package tensorpack imports at the top but the scenarios never use (not installed
    here): calling any of its names fails naming it."""

    def make() -> types.ModuleType:
        module = types.ModuleType(name)
        for attr in attrs.get("names", ()):

            def absent(*args: Any, _n: str = f"{name}.{attr}", **kwargs: Any) -> Any:
                msg = f"{_n} is not installed (a test-harness placeholder)"
                raise ImportError(msg)

            setattr(module, attr, absent)
        for attr, value in attrs.get("values", {}).items():
            setattr(module, attr, value)
        for attr in attrs.get("noop", ()):
            setattr(module, attr, lambda *args, **kwargs: None)
        return module

    return make


def _termcolor() -> types.ModuleType:
    """tensorpack's logger colours its prefixes with ``termcolor.colored``: no colours here."""
    module = types.ModuleType("termcolor")
    module.colored = lambda text, *args, **kwargs: text  # type: ignore[attr-defined]
    return module


STUBS: dict[str, Callable[[], types.ModuleType]] = {
    "six": _six,
    "six.moves": lambda: _six().moves,
    "yaml": _yaml,
    "termcolor": _termcolor,
    "tqdm": _absent("tqdm", names=("tqdm", "trange")),
    "tabulate": _absent("tabulate", names=("tabulate",)),
    "msgpack": _absent("msgpack", names=("dumps", "loads"), values={"version": (1, 0, 0)}),
    # tensorpack's serialize.py calls ``msgpack_numpy.patch()`` at import (msgpack is unused here)
    "msgpack_numpy": _absent("msgpack_numpy", noop=("patch",)),
    "zmq": _absent("zmq", names=("Context",)),
    "psutil": _absent("psutil", names=("Process", "cpu_count")),
}

PORTS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("google+seq2seq", "seq2seq/training/utils.py"): (
        ("inspect.getargspec(", "inspect.getfullargspec("),
    ),
    ("google+seq2seq", "seq2seq/models/model_base.py"): (
        ("collections.MutableMapping", "collections.abc.MutableMapping"),
    ),
}


class Loader:
    """Executes one repo's files with ``__import__`` redirected by ``resolve``.

    ``resolve`` maps module names to objects (``tensorflow...``) and raises ``KeyError`` for
    names it does not redirect; those are the repo's own modules, the stubs above, or imported
    normally (numpy, math, re, ...).
    """

    def __init__(
        self, root: Path, resolve: Callable[[str], Any], lazy: tuple[str, ...] = ()
    ) -> None:
        self.root = root
        self.modules: dict[str, types.ModuleType] = {}
        self._resolve = resolve
        self._stubs: dict[str, types.ModuleType] = {}
        self._lazy = lazy

    def _find(self, name: str) -> bool:
        """Loads module ``name`` of a lazily loaded package (and its parents) from its source
        file on first import; False if the package has no such file."""
        if name in self.modules and getattr(self.modules[name], "__file__", None):
            return True
        if name.split(".", maxsplit=1)[0] not in self._lazy:
            return False
        rel = name.replace(".", "/")
        if "." in name and not self._find(name.rsplit(".", 1)[0]):
            return False
        if name in self.modules and getattr(self.modules[name], "__file__", None):
            return True  # the parent package imported it
        for candidate in (f"{rel}/__init__.py", f"{rel}.py"):
            if (self.root / candidate).is_file():
                self.load(name, candidate)
                return True
        return False

    def _own(self, name: str, package: str, level: int) -> str:
        if level:
            base = package.rsplit(".", level - 1)[0] if level > 1 else package
            return f"{base}.{name}" if name else base
        return name

    def _import(
        self, name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0
    ) -> Any:
        package = (globals or {}).get("__package__") or ""
        own = self._own(name, package, level)
        if self._find(own):
            names = list(fromlist or ())
            if "*" in names:  # as CPython: ``__all__`` entries may be submodules to import
                names += getattr(self.modules[own], "__all__", [])
            for f in names:
                if f != "*" and not hasattr(self.modules[own], f):
                    self._find(f"{own}.{f}")
        if own in self.modules or any(m.startswith(own + ".") for m in self.modules):
            if fromlist:
                return self.package(own)
            if level:  # ``__import__("a.b", level=1)`` returns the package's ``a`` module
                return self.package(own[: len(own) - len(name) + len(name.partition(".")[0])])
            return self.package(own.split(".")[0])
        if level:
            msg = f"{own} is not among the loaded files"
            raise ImportError(msg)
        if name in STUBS:
            return self._stubs.setdefault(name, STUBS[name]())
        try:
            target = self._resolve(name)
        except KeyError:
            return builtins.__import__(name, globals, locals, fromlist, level)
        if fromlist or "." not in name:
            return target
        return real_code._Path(self._resolve, name.split(".", maxsplit=1)[0])

    def package(self, name: str) -> types.ModuleType:
        """A loaded module (a package ``__init__``), or a package module made for ``name``;
        its loaded submodules are its attributes, as after real imports."""
        if name not in self.modules:
            module = types.ModuleType(name)
            module.__path__ = []  # type: ignore[attr-defined]
            self.modules[name] = module
            if "." in name:
                parent, child = name.rsplit(".", 1)
                setattr(self.package(parent), child, module)
        return self.modules[name]

    def load(self, name: str, relpath: str) -> types.ModuleType:
        path = self.root / relpath
        text = path.read_text()
        for old, new in PORTS.get((self.root.name, relpath), ()):
            if old not in text:
                msg = f"{path} lacks {old!r}: the port no longer applies"
                raise ValueError(msg)
            text = text.replace(old, new)
        module = types.ModuleType(name)
        module.__file__ = str(path)
        is_package = relpath.endswith("__init__.py")
        if is_package:
            module.__path__ = []  # type: ignore[attr-defined]
            old = self.modules.get(name)
            if old is not None:
                module.__dict__.update(
                    {k: v for k, v in vars(old).items() if isinstance(v, types.ModuleType)}
                )
        module.__package__ = name if is_package else name.rsplit(".", 1)[0]
        builtins_ns = dict(vars(builtins))
        builtins_ns["__import__"] = self._import
        module.__dict__["__builtins__"] = builtins_ns
        self.modules[name] = module
        if "." in name:
            parent, child = name.rsplit(".", 1)
            setattr(self.package(parent), child, module)
        # A module may look itself up (``sys.modules[__name__]``) while it runs.
        saved = sys.modules.get(name)
        sys.modules[name] = module
        try:
            exec(compile(text, str(path), "exec"), module.__dict__)
        finally:
            if saved is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = saved
        return module

    @contextlib.contextmanager
    def installed(self, top: str) -> Iterator[None]:
        """The loaded modules under ``top`` in ``sys.modules`` (for ``pydoc.locate``)."""
        names = [n for n in self.modules if n == top or n.startswith(top + ".")]
        saved = {n: sys.modules[n] for n in names if n in sys.modules}
        sys.modules.update({n: self.modules[n] for n in names})
        try:
            yield
        finally:
            for n in names:
                sys.modules.pop(n, None)
            sys.modules.update(saved)


def missing(root: Path | None, repo: str) -> str | None:
    if root is None:
        return "SCOPEFLOW_USER_CODE is not set (a directory of <owner>+<repo> checkouts)"
    absent = [rel for _, rel in REPOS[repo] if not (root / repo / rel).is_file()]
    if absent:
        return f"{root / repo} lacks {', '.join(absent)}"
    return None


def load_repo(root: Path, repo: str, resolve: Callable[[str], Any]) -> Loader:
    loader = Loader(root / repo, resolve)
    for name, rel in REPOS[repo]:
        loader.load(name, rel)
    return loader


def initialize(tf: Any, sess: Any, init: Init) -> dict[str, np.ndarray]:
    """Run the initializers; under scopeflow then assign TF's recorded initial values."""
    sess.run(tf.global_variables_initializer())
    sess.run(tf.local_variables_initializer())
    sess.run(tf.tables_initializer())
    variables = tf.global_variables()
    if init is None:
        return {
            f"init/{v.op.name}": np.asarray(x)
            for v, x in zip(variables, sess.run(variables), strict=True)
        }
    for v in variables:
        v.load(init[f"init/{v.op.name}"], sess)
    return {}


# ---------------------------------------------------------------------------------------------
# google/seq2seq: its models (BasicSeq2Seq, AttentionSeq2Seq) through ModelBase.__call__

_SOURCE_WORDS = ["a", "b", "c", "d", "e", "f"]
_TARGET_WORDS = ["p", "q", "r", "s", "t", "u", "v"]


def _vocab(tmp: Path) -> tuple[str, str]:
    src, tgt = tmp / "vocab_source.txt", tmp / "vocab_target.txt"
    src.write_text("".join(w + "\n" for w in _SOURCE_WORDS))
    tgt.write_text("".join(w + "\n" for w in _TARGET_WORDS))
    return str(src), str(tgt)


def _s2s_batch() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Source tokens [3, 5] with lengths, targets (SEQUENCE_START ... SEQUENCE_END) [3, 6]."""
    rng = np.random.RandomState(3)
    source = rng.choice(_SOURCE_WORDS, size=(3, 5)).astype(object)
    source_len = np.array([5, 3, 4], np.int32)
    target = rng.choice(_TARGET_WORDS, size=(3, 6)).astype(object)
    target_len = np.array([6, 4, 5], np.int32)
    target[:, 0] = "SEQUENCE_START"
    for i, n in enumerate(target_len):
        target[i, n - 1] = "SEQUENCE_END"
    for i, n in enumerate(source_len):
        source[i, n:] = "UNK"
    for i, n in enumerate(target_len):
        target[i, n:] = "UNK"
    return source.astype(bytes), source_len, target.astype(bytes), target_len


def _s2s_params(model: str, src: str, tgt: str, beam: int) -> dict[str, Any]:
    cell = {
        "cell_class": "GRUCell" if model == "basic" else "LSTMCell",
        "cell_params": {"num_units": 8},
    }
    params: dict[str, Any] = {
        "vocab_source": src,
        "vocab_target": tgt,
        "embedding.dim": 6,
        "optimizer.name": "Adam",
        "optimizer.learning_rate": 0.05,
        "inference.beam_search.beam_width": beam,
        "encoder.params": {"rnn_cell": dict(cell, num_layers=2)},
        "decoder.params": {"rnn_cell": dict(cell), "max_decode_length": 6},
    }
    if model == "basic":
        params["encoder.params"] = {"rnn_cell": dict(cell)}
        params["encoder.class"] = "seq2seq.encoders.UnidirectionalRNNEncoder"
        params["bridge.class"] = "seq2seq.models.bridges.InitialStateBridge"
    else:
        params["attention.params"] = {"num_units": 7}
    return params


def _seq2seq(tf: Any, loader: Loader, init: Init, tmp: Path, model: str, beam: int) -> Result:
    mods = loader.modules
    src, tgt = _vocab(tmp)
    source, source_len, target, target_len = _s2s_batch()
    features = {
        "source_tokens": tf.constant(source, name="source_tokens"),
        "source_len": tf.constant(source_len, name="source_len"),
    }
    labels = {
        "target_tokens": tf.constant(target, name="target_tokens"),
        "target_len": tf.constant(target_len, name="target_len"),
    }
    cls = (
        mods["seq2seq.models.basic_seq2seq"].BasicSeq2Seq
        if model == "basic"
        else mods["seq2seq.models.attention_seq2seq"].AttentionSeq2Seq
    )
    train = tf.contrib.learn.ModeKeys.TRAIN
    infer = tf.contrib.learn.ModeKeys.INFER
    tf.train.get_or_create_global_step()
    with loader.installed("seq2seq"):
        params = _s2s_params(model, src, tgt, 0)
        predictions, loss, train_op = cls(params, train)(features, labels, None)
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):
            infer_params = _s2s_params(model, src, tgt, beam)
            infer_model = cls(infer_params, infer)
            inferred, _, _ = infer_model(
                {k: tf.identity(v[:1] if beam else v) for k, v in features.items()}, None, None
            )
    outputs = {f"train/{k}": v for k, v in predictions.items() if hasattr(v, "dtype")}
    outputs["loss"] = loss
    outputs.update({f"infer/{k}": v for k, v in inferred.items() if hasattr(v, "dtype")})
    info = describe(tf, outputs, ("summaries", "update_ops"))
    arrays: dict[str, np.ndarray] = {}
    with tf.Session() as sess:
        arrays.update(initialize(tf, sess, init))
        first = sess.run(outputs)
        arrays.update({f"first/{k}": _array(v) for k, v in first.items()})
        losses = [sess.run([train_op, loss])[1] for _ in range(3)]
        arrays["losses"] = np.asarray(losses, np.float32)
        after = sess.run({k: v for k, v in outputs.items() if k.startswith("infer/")})
        arrays.update({f"after/{k}": _array(v) for k, v in after.items()})
    return info, arrays


def _array(value: Any) -> np.ndarray:
    """A fetched value for the npz (string tensors as unicode arrays)."""
    a = np.asarray(value)
    return a.astype(str) if a.dtype.kind in "OS" else a


def seq2seq_basic(tf: Any, loader: Loader, init: Init, tmp: Path) -> Result:
    """BasicSeq2Seq (GRU encoder, InitialStateBridge, BasicDecoder): TRAIN (loss, predictions,
    3 Adam steps through ``optimize_loss``) and INFER (greedy decoding) with shared weights."""
    return _seq2seq(tf, loader, init, tmp, "basic", 0)


def seq2seq_attention(tf: Any, loader: Loader, init: Init, tmp: Path) -> Result:
    """AttentionSeq2Seq (2-layer bidirectional LSTM encoder, Bahdanau attention, ZeroBridge,
    AttentionDecoder): TRAIN and greedy INFER."""
    return _seq2seq(tf, loader, init, tmp, "attention", 0)


def seq2seq_attention_beam(tf: Any, loader: Loader, init: Init, tmp: Path) -> Result:
    """AttentionSeq2Seq with beam search (width 3) in INFER mode."""
    return _seq2seq(tf, loader, init, tmp, "attention", 3)


SCENARIOS: dict[str, tuple[str, Callable[[Any, Loader, Init, Path], Result]]] = {
    "seq2seq_basic": ("google+seq2seq", seq2seq_basic),
    "seq2seq_attention": ("google+seq2seq", seq2seq_attention),
    "seq2seq_attention_beam": ("google+seq2seq", seq2seq_attention_beam),
}


# ---------------------------------------------------------------------------------------------
# tensorpack/tensorpack: the tensorpack library itself (imported lazily from its source) and its
# examples' ModelDesc classes, built the way its trainers build them (placeholders from
# ``inputs()``, ``build_graph`` under a training ``TowerContext``, ``optimizer().minimize``).

TENSORPACK_EXAMPLES = {
    "tensorpack_mnist_tflayers": ("mnist_tflayers", "examples/basics/mnist-tflayers.py"),
    "tensorpack_gan": ("GAN", "examples/GAN/GAN.py"),
    "tensorpack_dcgan": ("DCGAN", "examples/GAN/DCGAN.py"),
    "tensorpack_resnet": ("resnet_model", "examples/ResNet/resnet_model.py"),
}


def missing_tensorpack(root: Path | None) -> str | None:
    if root is None:
        return "SCOPEFLOW_USER_CODE is not set (a directory of <owner>+<repo> checkouts)"
    repo = root / "tensorpack+tensorpack"
    absent = [
        rel
        for rel in ("tensorpack/__init__.py", *(r for _, r in TENSORPACK_EXAMPLES.values()))
        if not (repo / rel).is_file()
    ]
    return f"{repo} lacks {', '.join(absent)}" if absent else None


def load_tensorpack(root: Path, resolve: Callable[[str], Any]) -> Loader:
    loader = Loader(root / "tensorpack+tensorpack", resolve, lazy=("tensorpack",))
    for name, rel in TENSORPACK_EXAMPLES.values():
        loader.load(name, rel)
    return loader


def _tensorpack_model(
    tf: Any, loader: Loader, example: str, feeds: list[np.ndarray], steps: int = 3
) -> Result:
    """Trainable weights are ``real_code.seeded_values`` of their names and shapes (the same
    NumPy draws under both frameworks; nothing recorded); the rest keep their initializers."""
    module = loader.modules[example]
    tower = loader.modules["tensorpack.tfutils.tower"]
    model = module.Model()
    specs = model.inputs()
    placeholders = [tf.placeholder(s.dtype, s.shape, s.name) for s in specs]
    with tower.TowerContext("", is_training=True):
        cost = model.build_graph(*placeholders)
    optimizer = model.optimizer()
    train_op = optimizer.minimize(cost)
    outputs = {"cost": cost}
    info = describe(tf, outputs, ("summaries", "update_ops", "MOVING_SUMMARY_OPS"))
    feed = dict(zip(placeholders, feeds, strict=True))
    variables = tf.trainable_variables()
    values = real_code.seeded_values([(v.op.name, v.shape.as_list()) for v in variables])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.local_variables_initializer())
        for v in variables:
            value = values[v.op.name]
            v.load(value.astype(v.dtype.base_dtype.as_numpy_dtype), sess)
        first = sess.run(cost, feed)
        losses = [sess.run([train_op, cost], feed)[1] for _ in range(steps)]
    return info, {"first/cost": np.asarray(first), "losses": np.asarray(losses, np.float32)}


def tensorpack_mnist_tflayers(tf: Any, loader: Loader, init: Init, tmp: Path) -> Result:
    """examples/basics/mnist-tflayers.py's Model (tf.layers under tensorpack's argscope,
    regularize_cost, moving summaries, exponential-decay Adam)."""
    rng = np.random.RandomState(5)
    images = rng.rand(4, 28, 28).astype(np.float32)
    labels = rng.randint(0, 10, size=4).astype(np.int32)
    return _tensorpack_model(tf, loader, "mnist_tflayers", [images, labels])


def tensorpack_dcgan(tf: Any, loader: Loader, init: Init, tmp: Path) -> Result:
    """examples/GAN/DCGAN.py's Model (GANModelDesc from GAN.py: FullyConnected, BNReLU,
    Conv2DTranspose, LinearWrap Conv2D/BatchNorm, auto_reuse_variable_scope, build_losses,
    collect_variables) at its 64x64 size, batch 2, z_dim 8 with ``z`` fed; then 2 steps of
    GANTrainer's order (the discriminator's Adam step, then the generator's)."""
    module = loader.modules["DCGAN"]
    tower = loader.modules["tensorpack.tfutils.tower"]
    model = module.Model(shape=64, batch=2, z_dim=8)
    specs = model.inputs()
    image = tf.placeholder(specs[0].dtype, specs[0].shape, specs[0].name)
    with tower.TowerContext("", is_training=True):
        model.build_graph(image)
    opt = model.optimizer()
    d_min = opt.minimize(model.d_loss, var_list=model.d_vars, name="d_op")
    g_min = opt.minimize(model.g_loss, var_list=model.g_vars, name="g_op")
    graph = tf.get_default_graph()
    z = graph.get_tensor_by_name("z:0")
    outputs = {"g_loss": model.g_loss, "d_loss": model.d_loss}
    info = describe(tf, outputs, ("summaries", "update_ops", "MOVING_SUMMARY_OPS"))
    info["g_vars"] = [v.op.name for v in model.g_vars]
    info["d_vars"] = [v.op.name for v in model.d_vars]
    rng = np.random.RandomState(6)
    feed = {
        image: rng.uniform(0, 255, (2, 64, 64, 3)).astype(np.float32),
        z: rng.uniform(-1, 1, (2, 8)).astype(np.float32),
    }
    variables = tf.trainable_variables()
    values = real_code.seeded_values([(v.op.name, v.shape.as_list()) for v in variables])
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for v in variables:
            v.load(values[v.op.name], sess)
        first = sess.run([model.g_loss, model.d_loss], feed)
        for _ in range(2):
            sess.run(d_min, feed)
            sess.run(g_min, feed)
            losses.append(sess.run([model.g_loss, model.d_loss], feed))
    return info, {"first": np.asarray(first), "losses": np.asarray(losses, np.float32)}


def tensorpack_resnet(tf: Any, loader: Loader, init: Init, tmp: Path) -> Result:
    """examples/ResNet/resnet_model.py: ``resnet_backbone`` with ``resnet_group`` and
    ``resnet_bottleneck``, blocks [1, 1, 1, 1], under the argscope its imagenet_utils sets
    (channels_last), on a 2x64x64 batch; softmax cost, 2 momentum steps."""
    rm = loader.modules["resnet_model"]
    tp = loader.modules["tensorpack"]
    tower = loader.modules["tensorpack.tfutils.tower"]
    image = tf.placeholder(tf.float32, [None, 64, 64, 3], name="input")
    label = tf.placeholder(tf.int32, [None], name="label")
    layers = [tp.Conv2D, tp.MaxPooling, tp.GlobalAvgPooling, tp.BatchNorm]
    with tower.TowerContext("", is_training=True), tp.argscope(layers, data_format="channels_last"):
        logits = rm.resnet_backbone(image, [1, 1, 1, 1], rm.resnet_group, rm.resnet_bottleneck)
    cost = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(logits=logits, labels=label), name="cost"
    )
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.MomentumOptimizer(0.01, 0.9).minimize(cost)
    info = describe(tf, {"logits": logits, "cost": cost}, ("update_ops",))
    rng = np.random.RandomState(8)
    feed = {
        image: rng.rand(2, 64, 64, 3).astype(np.float32),
        label: np.array([3, 997], np.int32),
    }
    variables = tf.trainable_variables()
    values = real_code.seeded_values([(v.op.name, v.shape.as_list()) for v in variables])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for v in variables:
            v.load(values[v.op.name], sess)
        first_logits, first = sess.run([logits, cost], feed)
        losses = [sess.run([train_op, cost], feed)[1] for _ in range(2)]
    return info, {
        "first/logits": first_logits[:, :20],
        "first/cost": np.asarray(first),
        "losses": np.asarray(losses, np.float32),
    }


TENSORPACK_SCENARIOS: dict[str, Callable[[Any, Loader, Init, Path], Result]] = {
    "tensorpack_resnet": tensorpack_resnet,
    "tensorpack_mnist_tflayers": tensorpack_mnist_tflayers,
    "tensorpack_dcgan": tensorpack_dcgan,
}
