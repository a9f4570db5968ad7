"""The "text" group of user codebases: loader and scenarios shared by test and recorder.

The sources are read at run time from ``$SCOPEFLOW_USER_CODE``, a directory holding
``<owner>+<repo>/`` checkouts (openai+gpt-2 9b63575, dennybritz+cnn-text-classification-tf
18762b4, sherjilozair+char-rnn-tensorflow 4bff62d, Kyubyong+transformer fb023bb, tkipf+gcn 39a4089,
tensorflow+nmt 0be8642, and tensorflow+models' ``tutorials/rnn/ptb/``). None of it is committed.
Each file is compiled from its own text and executed in a fresh module whose ``__import__`` maps
``tensorflow`` and its contrib paths to the library under test (``real_code``'s resolvers) and the
repo's own modules (``import model``, ``from gcn.layers import *``, nmt's ``from . import
model_helper``) to the other loaded files. No line of the source is changed.

Third-party packages the model files import but the scenarios never call are replaced by tiny
namespaces here: ``tqdm`` (Kyubyong's ``model.py`` imports it for its eval loop) and ``google3``
(ptb's ``util.py`` imports Google-internal protos for its multi-GPU AutoParallel helper).

Each scenario takes ``tf``, the loaded modules and ``init`` (``None`` under TensorFlow: run the
initializers with graph seed 0 and return the initial values under ``init/``; under scopeflow:
TF's initial values, assigned to the variables before anything runs) and returns
``(info, arrays)``: variable names/shapes/dtypes in creation order, collections, output tensor
names and static shapes (JSON) and the numbers (npz).
"""

from __future__ import annotations

import builtins
import contextlib
import io
import os
import re
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import real_code

Result = tuple[dict[str, Any], dict[str, np.ndarray]]
Init = dict[str, np.ndarray] | None

# repo -> files (relative paths) loaded as modules, in load order, with their module names.
REPOS: dict[str, tuple[tuple[str, str], ...]] = {
    "openai+gpt-2": (("model", "src/model.py"), ("sample", "src/sample.py")),
    "dennybritz+cnn-text-classification-tf": (
        ("data_helpers", "data_helpers.py"),
        ("text_cnn", "text_cnn.py"),
    ),
    "sherjilozair+char-rnn-tensorflow": (("model", "model.py"),),
    "Kyubyong+transformer": (
        ("utils", "utils.py"),
        ("data_load", "data_load.py"),
        ("modules", "modules.py"),
        ("model", "model.py"),
    ),
    "tkipf+gcn": (
        ("gcn.inits", "gcn/inits.py"),
        ("gcn.layers", "gcn/layers.py"),
        ("gcn.metrics", "gcn/metrics.py"),
        ("gcn.models", "gcn/models.py"),
    ),
    "tensorflow+nmt": tuple(
        (f"nmt.{n}", f"nmt/{n.replace('.', '/')}.py")
        for n in (
            "scripts.bleu",
            "scripts.rouge",
            "utils.misc_utils",
            "utils.vocab_utils",
            "utils.standard_hparams_utils",
            "utils.iterator_utils",
            "utils.common_test_utils",
            "utils.evaluation_utils",
            "utils.nmt_utils",
            "model_helper",
            "model",
            "attention_model",
            "gnmt_model",
        )
    ),
    "tensorflow+models": (
        ("reader", "tutorials/rnn/ptb/reader.py"),
        ("util", "tutorials/rnn/ptb/util.py"),
    ),
}


def _tqdm() -> types.ModuleType:
    module = types.ModuleType("tqdm")
    module.tqdm = lambda iterable=None, *args, **kwargs: iterable  # type: ignore[attr-defined]
    return module


def _google3() -> types.ModuleType:
    """ptb's util.py imports Google's internal protos at the top for its AutoParallel helper,
    which runs only with --num_gpus > 1 (never here)."""
    module = types.ModuleType("google3")
    module.variable_pb2 = None  # type: ignore[attr-defined]
    module.rewriter_config_pb2 = None  # type: ignore[attr-defined]
    return module


STUBS: dict[str, Callable[[], types.ModuleType]] = {
    "six": real_code._six,
    "six.moves": lambda: real_code._six().moves,
    "tqdm": _tqdm,
    "google3": _google3,
    "google3.third_party.tensorflow.core.framework": _google3,
    "google3.third_party.tensorflow.core.protobuf": _google3,
}

# Exact text substitutions for current Python/NumPy (the same under both frameworks); a file whose
# text lacks the old string fails loudly instead of running unported.
PORTS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    # NumPy 2 refuses a ragged ``np.array`` of (x, y) pairs; NumPy 1.x made an object array.
    ("dennybritz+cnn-text-classification-tf", "data_helpers.py"): (
        ("data = np.array(data)", "data = np.array(data, dtype=object)"),
    ),
    # NumPy 2 refuses ``int()`` of a 1-element 1-D array (the same random draw either way).
    ("sherjilozair+char-rnn-tensorflow", "model.py"): (
        ("np.random.rand(1)*s", "np.random.rand(1)[0]*s"),
    ),
}


class Loader:
    """Executes one repo's files with ``__import__`` redirected by ``resolve``.

    ``resolve`` maps module names to objects (``tensorflow...``) and raises ``KeyError`` for
    names it does not redirect; those are the repo's own modules, the stubs above, or imported
    normally (numpy, math, re, ...).
    """

    def __init__(self, root: Path, resolve: Callable[[str], Any]) -> None:
        self.root = root
        self.modules: dict[str, types.ModuleType] = {}
        self._resolve = resolve
        self._stubs: dict[str, types.ModuleType] = {}

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
        if own in self.modules or any(m.startswith(own + ".") for m in self.modules):
            if fromlist:
                if own in self.modules and not all(
                    f"{own}.{f}" in self.modules for f in fromlist if f != "*"
                ):
                    return self.modules[own]
                return self._package(own)
            return self._package(own.split(".")[0]) if "." in own else self._package(own)
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

    def _package(self, name: str) -> Any:
        """A loaded module, or a namespace of the loaded modules under package ``name``."""
        if name in self.modules:
            return self.modules[name]
        children = {
            k[len(name) + 1 :].split(".")[0]: self._package(
                k[: len(name) + 1] + k[len(name) + 1 :].split(".")[0]
            )
            for k in self.modules
            if k.startswith(name + ".")
        }
        return types.SimpleNamespace(**children)

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
        module.__package__ = name.rsplit(".", 1)[0] if "." in name else ""
        builtins_ns = dict(vars(builtins))
        builtins_ns["__import__"] = self._import
        module.__dict__["__builtins__"] = builtins_ns
        exec(compile(text, str(path), "exec"), module.__dict__)
        self.modules[name] = module
        return module


def missing(root: Path | None, repo: str) -> str | None:
    """Why ``repo`` cannot be loaded from ``root``, or None if it can."""
    if root is None:
        return "SCOPEFLOW_USER_CODE is not set (a directory of <owner>+<repo> checkouts)"
    absent = [p for _, p in REPOS[repo] if not (root / repo / p).exists()]
    if absent:
        return f"{root / repo} lacks {', '.join(absent)}"
    return None


def load_repo(root: Path, repo: str, resolve: Callable[[str], Any]) -> dict[str, Any]:
    loader = Loader(root / repo, resolve)
    for name, relpath in REPOS[repo]:
        loader.load(name, relpath)
    return {**loader.modules, "__loader__": loader}


class _SeededTF:
    """``tf`` for a script that makes its own ``tf.Graph()``: the same module, except that a new
    graph starts with graph-level seed 0 (as if the script called ``tf.set_random_seed(0)``)."""

    def __init__(self, tf: Any) -> None:
        self._tf = tf
        self.graphs: list[Any] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tf, name)

    def Graph(self) -> Any:
        graph = self._tf.Graph()
        graph.seed = 0
        self.graphs.append(graph)
        return graph


@contextlib.contextmanager
def _script(tf: Any, tmp: Path, argv: list[str]) -> Iterator[io.StringIO]:
    """Run inside ``tmp`` with ``sys.argv`` set and stdout captured; the flags the script
    defines are removed and the registry unparsed afterwards (both frameworks keep the flags in
    a process-wide registry)."""
    old_cwd, old_argv = Path.cwd(), sys.argv
    before = set(tf.flags.FLAGS)
    out = io.StringIO()
    os.chdir(tmp)
    sys.argv = argv
    np.random.seed(0)
    try:
        with contextlib.redirect_stdout(out):
            yield out
    finally:
        os.chdir(old_cwd)
        sys.argv = old_argv
        for name in set(tf.flags.FLAGS) - before:
            delattr(tf.flags.FLAGS, name)
        # the next script parses its own argv on first flag access, as in a fresh process
        tf.flags.FLAGS.unparse_flags()


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def _numbers(lines: list[str]) -> np.ndarray:
    return np.asarray([float(x) for line in lines for x in _NUMBER.findall(line)], np.float64)


# ---------------------------------------------------------------------------------------------
# Shared helpers


def mismatches(arrays: dict[str, Any], want: dict[str, np.ndarray]) -> list[str]:
    """How the computed ``arrays`` differ from TF's recorded ``want``: integers, booleans and
    strings exactly; floats within 1e-4/1e-5, or 2e-4/2e-5 for the values after several
    optimizer steps (``losses*``, ``after/*``: float32 rounding of the gradients grows a little)."""
    bad = []
    for key, expected in want.items():
        rtol, atol = (2e-4, 2e-5) if key.startswith(("losses", "after/")) else (1e-4, 1e-5)
        got = np.asarray(arrays[key])
        if expected.dtype.kind in "iubU":
            if got.shape != expected.shape or not np.array_equal(got, expected):
                bad.append(f"{key}: {got.tolist()} != {expected.tolist()}")
        elif got.shape != expected.shape or not np.allclose(got, expected, rtol=rtol, atol=atol):
            err = np.max(np.abs(got - expected)) if got.shape == expected.shape else "shape"
            bad.append(f"{key}: max abs error {err}")
    return bad


def describe(tf: Any, outputs: dict[str, Any], collections: tuple[str, ...] = ()) -> dict[str, Any]:
    info: dict[str, Any] = {
        "global_variables": [
            [v.op.name, v.shape.as_list(), v.dtype.base_dtype.name] for v in tf.global_variables()
        ],
        "trainable_variables": [v.op.name for v in tf.trainable_variables()],
        "outputs": {
            k: [t.name, t.shape.as_list() if t.shape.ndims is not None else None, t.dtype.name]
            for k, t in outputs.items()
        },
    }
    for key in collections:
        info[f"collection/{key}"] = sorted(
            getattr(x, "name", str(x)) for x in tf.get_collection(key)
        )
    return info


def initialize(tf: Any, sess: Any, init: Init) -> dict[str, np.ndarray]:
    """Run the initializers; under scopeflow then assign TF's recorded initial values."""
    sess.run(tf.global_variables_initializer())
    sess.run(tf.local_variables_initializer())
    variables = tf.global_variables()
    if init is None:
        return {
            f"init/{v.op.name}": np.asarray(x)
            for v, x in zip(variables, sess.run(variables), strict=True)
        }
    for v in variables:
        v.load(init[f"init/{v.op.name}"], sess)
    return {}


def _run_steps(sess: Any, train_op: Any, loss: Any, feed: dict[Any, Any], steps: int) -> np.ndarray:
    losses = []
    for _ in range(steps):
        _, value = sess.run([train_op, loss], feed)
        losses.append(value)
    return np.asarray(losses, np.float32)


# ---------------------------------------------------------------------------------------------
# openai/gpt-2: src/model.py + src/sample.py


def gpt2(tf: Any, mods: dict[str, Any], init: Init, tmp: Path) -> Result:
    """GPT-2's ``model`` with tiny hparams: logits, presents, a cached second step with
    ``past``, the LM loss over 3 Adam steps, and ``sample_sequence`` with top_k (seeded)."""
    model, sample = mods["model"], mods["sample"]
    hparams = model.default_hparams()
    hparams.override_from_dict(
        {"n_vocab": 23, "n_ctx": 16, "n_embd": 16, "n_head": 2, "n_layer": 2}
    )
    tokens = tf.placeholder(tf.int32, [2, None], name="tokens")
    out = model.model(hparams=hparams, X=tokens)
    step2 = model.model(
        hparams=hparams, X=tokens[:, -1:], past=out["present"][:, :, :, :, :-1], reuse=True
    )
    loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tokens[:, 1:], logits=out["logits"][:, :-1]
        )
    )
    train_op = tf.train.AdamOptimizer(1e-2).minimize(loss)
    # batch_size 1: ``top_p_logits`` compares [batch, vocab] logits with [batch] minimums, which
    # broadcasts only for batch 1 (TF raises "Dimensions must be equal" otherwise, as we do).
    samples = sample.sample_sequence(
        hparams=hparams, length=5, start_token=3, batch_size=1, temperature=0.8, top_k=4
    )
    context = tf.placeholder(tf.int32, [1, None], name="context")
    samples_ctx = sample.sample_sequence(
        hparams=hparams, length=3, context=context, batch_size=1, top_k=0, top_p=0.9
    )
    outputs = {
        "logits": out["logits"],
        "present": out["present"],
        "step2_logits": step2["logits"],
        "loss": loss,
        "samples": samples,
        "samples_ctx": samples_ctx,
    }
    info = describe(tf, outputs)
    ids = np.random.RandomState(1).randint(0, 23, [2, 7]).astype(np.int32)
    with tf.Session() as sess:
        arrays = initialize(tf, sess, init)
        got = sess.run([out["logits"], out["present"], step2["logits"]], {tokens: ids})
        arrays.update(logits=got[0], present=got[1], step2_logits=got[2])
        arrays["losses"] = _run_steps(sess, train_op, loss, {tokens: ids}, 3)
        # The sampled tokens of a trained model (peaked distributions) under the graph seed.
        arrays["samples"] = sess.run(samples)
        arrays["samples_ctx"] = sess.run(samples_ctx, {context: ids[:1, :4]})
    return info, arrays


# ---------------------------------------------------------------------------------------------
# dennybritz/cnn-text-classification-tf: text_cnn.py, train.py's train()


def _text_data(n: int, length: int, vocab: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(seed)
    x = rng.randint(1, vocab, [n, length]).astype(np.int64)
    labels = (x[:, 0] > vocab // 2).astype(np.int64)
    return x, np.eye(2, dtype=np.int64)[labels]


def text_cnn(tf: Any, mods: dict[str, Any], init: Init, tmp: Path) -> Result:
    """``TextCNN`` (tiny sizes, l2 loss on): variables, outputs, scores and 3 Adam steps."""
    cnn = mods["text_cnn"].TextCNN(
        sequence_length=8,
        num_classes=2,
        vocab_size=20,
        embedding_size=6,
        filter_sizes=[2, 3],
        num_filters=4,
        l2_reg_lambda=0.1,
    )
    train_op = tf.train.AdamOptimizer(1e-2).minimize(cnn.loss)
    outputs = {
        k: getattr(cnn, k)
        for k in ("embedded_chars_expanded", "h_pool", "h_drop", "scores", "predictions", "loss")
    }
    outputs["accuracy"] = cnn.accuracy
    info = describe(tf, outputs)
    x, y = _text_data(6, 8, 20, 3)
    feed = {cnn.input_x: x, cnn.input_y: y, cnn.dropout_keep_prob: 1.0}
    with tf.Session() as sess:
        arrays = initialize(tf, sess, init)
        arrays["scores"], arrays["predictions"] = sess.run([cnn.scores, cnn.predictions], feed)
        arrays["losses"] = _run_steps(sess, train_op, cnn.loss, feed, 3)
    return info, arrays


CNN_TRAIN_FLAGS = [
    "--embedding_dim=6",
    "--filter_sizes=2,3",
    "--num_filters=4",
    "--batch_size=4",
    "--num_epochs=2",
    "--evaluate_every=3",
    "--checkpoint_every=4",
    "--num_checkpoints=2",
    "--l2_reg_lambda=0.05",
]


class _Vocabulary:
    """What ``train()`` uses of contrib.learn's VocabularyProcessor: ``vocabulary_`` (its
    length) and ``save``."""

    def __init__(self, size: int) -> None:
        self.vocabulary_ = list(range(size))

    def save(self, filename: str) -> None:
        Path(filename).write_text(str(len(self.vocabulary_)))


def text_cnn_train(tf: Any, mods: dict[str, Any], init: Init, tmp: Path) -> Result:
    """train.py's ``train()`` (its graph seeded 0): flags parsed from the command line, the
    training loop with dropout, gradient/loss summaries, dev evaluation and Saver checkpoints.
    The numbers it prints (step, loss, accuracy), the summary tags and the checkpoint files
    are compared. ``preprocess()`` is not run: it needs contrib.learn's VocabularyProcessor,
    which TF 2.21 lacks; the harness gives train() the token ids and a 20-word vocabulary."""
    x, y = _text_data(14, 8, 20, 5)
    with _script(tf, tmp, ["train.py", *CNN_TRAIN_FLAGS]) as out:
        train = mods["__loader__"].load("train", "train.py")
        train.tf = seeded = _SeededTF(tf)
        train.train(x[:10], y[:10], _Vocabulary(20), x[10:], y[10:])
    (graph,) = seeded.graphs
    lines = [line for line in out.getvalue().splitlines() if "step" in line or "Saved" in line]
    info = {
        "printed": [
            _NUMBER.sub("#", line.split(": ", 1)[-1].replace(str(tmp), "TMP")) for line in lines
        ],
        # train.py never closes its FileWriters, so its event files may still be partly
        # unwritten; the summary ops of its graph are compared instead.
        "summaries": [op.name for op in graph.get_collection(tf.GraphKeys.SUMMARIES)],
        "checkpoints": sorted(
            p.name for p in tmp.glob("runs/*/checkpoints/*") if not p.name.startswith(".")
        ),
    }
    numbers = [line.split(": ", 1)[-1] for line in lines if "Saved" not in line]
    return info, {"printed": _numbers(numbers)}


# ---------------------------------------------------------------------------------------------
# sherjilozair/char-rnn-tensorflow: model.py (contrib.rnn cells, legacy_seq2seq), Model.sample


def _char_rnn(
    tf: Any, mods: dict[str, Any], init: Init, tmp: Path, cell: str, keep: float
) -> Result:
    """``Model(args)`` for training (3 Adam steps with clipped gradients, ``lr`` assigned as
    train.py does), saved with a Saver; then ``Model(args, training=False)`` in a new graph
    (``rnn_decoder``'s ``loop_function``) restores it and ``Model.sample`` draws 12 characters
    (NumPy seeded 0, as ``weighted_pick`` uses ``np.random.rand``)."""
    chars = tuple("abcdefghij ")
    vocab = {c: i for i, c in enumerate(chars)}
    args = types.SimpleNamespace(
        model=cell,
        rnn_size=8,
        num_layers=2,
        seq_length=5,
        batch_size=3,
        vocab_size=len(chars),
        grad_clip=5.0,
        output_keep_prob=keep,
        input_keep_prob=keep,
    )
    model = mods["model"].Model(args)
    outputs = {"logits": model.logits, "probs": model.probs, "cost": model.cost}
    for i, (c, h) in enumerate(model.final_state) if cell == "lstm" else ():
        outputs[f"final_state_{i}_c"], outputs[f"final_state_{i}_h"] = c, h
    info = describe(tf, outputs, (tf.GraphKeys.SUMMARIES,))
    rng = np.random.RandomState(4)
    x = rng.randint(0, len(chars), [3, 5]).astype(np.int32)
    y = np.roll(x, -1, axis=1)
    feed = {model.input_data: x, model.targets: y}
    ckpt = str(tmp / "model.ckpt")
    with tf.Session() as sess:
        arrays = initialize(tf, sess, init)
        sess.run(tf.assign(model.lr, 0.01))
        arrays["logits"] = sess.run(model.logits, feed)
        arrays["losses"] = _run_steps(sess, model.train_op, model.cost, feed, 3)
        tf.train.Saver(tf.global_variables()).save(sess, ckpt)
    with tf.Graph().as_default():
        sampler = mods["model"].Model(args, training=False)
        info["sample_variables"] = [v.op.name for v in tf.global_variables()]
        with tf.Session() as sess:
            tf.train.Saver(tf.global_variables()).restore(sess, ckpt)
            np.random.seed(0)
            info["sample"] = sampler.sample(sess, chars, vocab, num=12, prime="ab ")
            info["sample_argmax"] = sampler.sample(
                sess, chars, vocab, num=12, sampling_type=0, prime="a"
            )
    return info, arrays


def char_rnn_lstm(tf: Any, mods: dict[str, Any], init: Init, tmp: Path) -> Result:
    return _char_rnn(tf, mods, init, tmp, "lstm", 1.0)


def char_rnn_gru_dropout(tf: Any, mods: dict[str, Any], init: Init, tmp: Path) -> Result:
    """GRU cells with ``DropoutWrapper`` and input dropout (keep 0.8) under the graph seed."""
    return _char_rnn(tf, mods, init, tmp, "gru", 0.8)


# ---------------------------------------------------------------------------------------------
# Kyubyong/transformer: data_load.get_batch, model.Transformer (train + autoregressive eval)

_WORDS = ("ich", "du", "er", "sie", "es", "wir", "ihr", "i", "you", "he", "she", "it", "we")


def _transformer_files(tmp: Path) -> dict[str, str]:
    vocab = tmp / "bpe.vocab"
    vocab.write_text("".join(f"{w}\t0\n" for w in ("<pad>", "<unk>", "<s>", "</s>", *_WORDS)))
    rng = np.random.RandomState(6)
    paths = {}
    for name, lo, hi, n in (("train1", 0, 7, 6), ("train2", 7, 13, 6)):
        lines = [
            " ".join(_WORDS[j] for j in rng.randint(lo, hi, rng.randint(2, 5))) for _ in range(n)
        ]
        (tmp / name).write_text("\n".join(lines) + "\n")
        paths[name] = str(tmp / name)
    paths["vocab"] = str(vocab)
    return paths


def transformer(tf: Any, mods: dict[str, Any], init: Init, tmp: Path) -> Result:
    """train.py's graph on a 6-sentence corpus: ``get_batch`` (``Dataset.from_generator`` with
    args, ``padded_batch``, ``prefetch``), a reinitializable ``Iterator.from_structure``,
    ``Transformer.train`` (dropout 0.1, label smoothing, Noam schedule, Adam, merged summaries)
    for 4 steps, then ``Transformer.eval``'s autoregressive decoding (``tf.py_func`` to text)."""
    files = _transformer_files(tmp)
    hp = types.SimpleNamespace(
        vocab=files["vocab"],
        vocab_size=len(_WORDS) + 4,
        d_model=8,
        d_ff=16,
        num_blocks=2,
        num_heads=2,
        maxlen1=8,
        maxlen2=8,
        dropout_rate=0.1,
        lr=0.01,
        warmup_steps=2,
        smoothing=0.1,
    )
    batches, num_batches, num_samples = mods["data_load"].get_batch(
        files["train1"], files["train2"], hp.maxlen1, hp.maxlen2, hp.vocab, 3, shuffle=False
    )
    iterator = tf.data.Iterator.from_structure(batches.output_types, batches.output_shapes)
    xs, ys = iterator.get_next()
    init_op = iterator.make_initializer(batches)
    m = mods["model"].Transformer(hp)
    loss, train_op, global_step, _ = m.train(xs, ys)
    y_hat, _ = m.eval(xs, ys)
    outputs = {"loss": loss, "global_step": global_step, "y_hat": y_hat, "x": xs[0], "y": ys[1]}
    info = describe(tf, outputs, (tf.GraphKeys.SUMMARIES,))
    info["batches"] = [num_batches, num_samples]
    with tf.Session() as sess:
        arrays = initialize(tf, sess, init)
        sess.run(init_op)
        arrays["first_x"], arrays["first_y"] = sess.run([xs[0], ys[1]])
        sess.run(init_op)
        losses, steps = [], []
        for _ in range(4):
            _, step, value = sess.run([train_op, global_step, loss])
            steps.append(step)
            losses.append(value)
        arrays["losses"] = np.asarray(losses, np.float32)
        arrays["steps"] = np.asarray(steps)
        sess.run(init_op)
        arrays["y_hat"] = sess.run(y_hat)
    return info, arrays


# ---------------------------------------------------------------------------------------------
# tkipf/gcn: inits/layers/metrics/models with sparse placeholders (train.py's graph and loop)


def _sparse_tuple(m: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    rows, cols = np.nonzero(m)
    return np.stack([rows, cols], 1).astype(np.int64), m[rows, cols].astype(np.float32), m.shape


def _gcn_data() -> dict[str, Any]:
    """A 7-node graph: row-normalized sparse features, the renormalized adjacency
    D^-1/2 (A + I) D^-1/2 (what gcn/utils.py computes with SciPy), one-hot labels, masks."""
    rng = np.random.RandomState(8)
    n, f, c = 7, 5, 3
    adj = np.triu((rng.uniform(size=[n, n]) < 0.4).astype(np.float64), 1)
    adj = adj + adj.T + np.eye(n)
    d = 1.0 / np.sqrt(adj.sum(1))
    support = adj * d[:, None] * d[None, :]
    feats = (rng.uniform(size=[n, f]) < 0.5).astype(np.float64)
    feats[feats.sum(1) == 0, 0] = 1.0
    feats /= feats.sum(1, keepdims=True)
    labels = np.eye(c, dtype=np.float32)[rng.randint(0, c, n)]
    mask = np.zeros(n, bool)
    mask[:4] = True
    return {
        "features": _sparse_tuple(feats),
        "support": [_sparse_tuple(support)],
        "labels": labels,
        "mask": mask,
    }


def gcn(tf: Any, mods: dict[str, Any], init: Init, tmp: Path) -> Result:
    """train.py's placeholders (``sparse_placeholder`` with a constant int64 shape,
    ``placeholder_with_default`` dropout), ``GCN`` and ``MLP`` (``logging=True``: histogram
    summaries) with flags set as train.py's defaults but hidden1=4; 4 training steps of each
    with dropout 0.5 (``sparse_dropout`` on the sparse features), then evaluation."""
    data = _gcn_data()
    with _script(tf, tmp, ["train.py"]):
        flags = tf.app.flags
        flags.DEFINE_float("learning_rate", 0.01, "Initial learning rate.")
        flags.DEFINE_integer("hidden1", 4, "Number of units in hidden layer 1.")
        flags.DEFINE_float("dropout", 0.5, "Dropout rate (1 - keep probability).")
        flags.DEFINE_float("weight_decay", 5e-4, "Weight for L2 loss on embedding matrix.")
        flags_obj = flags.FLAGS
        placeholders = {
            "support": [tf.sparse_placeholder(tf.float32)],
            "features": tf.sparse_placeholder(
                tf.float32, shape=tf.constant(data["features"][2], dtype=tf.int64)
            ),
            "labels": tf.placeholder(tf.float32, shape=(None, 3)),
            "labels_mask": tf.placeholder(tf.int32),
            "dropout": tf.placeholder_with_default(0.0, shape=()),
            "num_features_nonzero": tf.placeholder(tf.int32),
        }
        models = {
            "gcn": mods["gcn.models"].GCN(placeholders, input_dim=5, logging=True),
            "mlp": mods["gcn.models"].MLP(placeholders, input_dim=5, logging=True),
        }
        outputs = {}
        for key, model in models.items():
            outputs.update(
                {
                    f"{key}_outputs": model.outputs,
                    f"{key}_loss": model.loss,
                    f"{key}_accuracy": model.accuracy,
                }
            )
            outputs[f"{key}_predict"] = model.predict()
        info = describe(tf, outputs, (tf.GraphKeys.SUMMARIES,))
        info["model_vars"] = {k: sorted(m.vars) for k, m in models.items()}
        feed = {
            placeholders["labels"]: data["labels"],
            placeholders["labels_mask"]: data["mask"],
            placeholders["features"]: data["features"],
            placeholders["support"][0]: data["support"][0],
            placeholders["num_features_nonzero"]: data["features"][1].shape,
        }
        train_feed = {**feed, placeholders["dropout"]: flags_obj.dropout}
        with tf.Session() as sess:
            arrays = initialize(tf, sess, init)
            for key, model in models.items():
                steps = [
                    sess.run([model.opt_op, model.loss, model.accuracy], train_feed)[1:]
                    for _ in range(4)
                ]
                arrays[f"{key}_train"] = np.asarray(steps, np.float32)
                arrays[f"{key}_eval"] = np.asarray(
                    sess.run([model.loss, model.accuracy], feed), np.float32
                )
                arrays[f"{key}_predict"] = sess.run(model.predict(), feed)
    return info, arrays


# ---------------------------------------------------------------------------------------------
# tensorflow/nmt: checked against the TF 1.x numbers nmt's own model_test.py holds

NMT_CASES = {
    # model_test.py's test name -> (model module.class, create_test_hparams arguments, the
    # encoder/decoder kernels whose sums it checks)
    "NoAttentionNoResidualUniEncoder": (
        "model.Model",
        {
            "encoder_type": "uni",
            "num_layers": 1,
            "attention": "",
            "attention_architecture": "",
            "use_residual": False,
        },
        ("encoder/rnn/basic_lstm_cell/kernel", "decoder/basic_lstm_cell/kernel"),
    ),
    "AttentionMechanismLuong": (
        "attention_model.AttentionModel",
        {
            "encoder_type": "uni",
            "attention": "luong",
            "attention_architecture": "standard",
            "num_layers": 2,
            "use_residual": False,
        },
        (
            "encoder/rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel",
            "decoder/attention/multi_rnn_cell/cell_1/basic_lstm_cell/kernel",
        ),
    ),
}


def nmt_expected(root: Path, name: str) -> dict[str, Any]:
    """The values nmt's ``model_test.py`` (recorded by its authors under TF 1.x) expects for
    test ``name``: variable names, train loss, kernel shapes and sums (read with ``ast``)."""
    import ast

    tree = ast.parse((root / "tensorflow+nmt" / "nmt" / "model_test.py").read_text())
    out: dict[str, Any] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Attribute):
            attr = node.targets[0].attr
            if attr in ("expected_vars_values", "expected_train_values"):
                values = ast.literal_eval(node.value)
                out.update({k: v for k, v in values.items() if k.startswith(name + "/")})
        if isinstance(node, ast.FunctionDef) and node.name == f"test{name}":
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and getattr(stmt.targets[0], "id", "") == (
                    "expected_var_names"
                ):
                    out["var_names"] = ast.literal_eval(stmt.value)
    return out


def nmt_train_step(tf: Any, mods: dict[str, Any], name: str) -> dict[str, Any]:
    """model_test.py's ``_createTestTrainModel`` and first training step for test ``name``
    (its iterator buckets with ``tf.contrib.data.group_by_window``)."""
    module, cls_name = NMT_CASES[name][0].split(".")
    hparams = mods["nmt.utils.common_test_utils"].create_test_hparams(**NMT_CASES[name][1])
    train_mode = tf.contrib.learn.ModeKeys.TRAIN
    with tf.Session() as sess:
        iterator, src_table, tgt_table = mods["nmt.utils.common_test_utils"].create_test_iterator(
            hparams, train_mode
        )
        model = getattr(mods[f"nmt.{module}"], cls_name)(
            hparams, train_mode, iterator, src_table, tgt_table, scope="dynamic_seq2seq"
        )
        sess.run(tf.global_variables_initializer())
        sess.run(tf.tables_initializer())
        sess.run(iterator.initializer)
        names = [v.name for v in tf.trainable_variables()]
        with tf.variable_scope("dynamic_seq2seq", reuse=True):
            kernels = [tf.get_variable(k) for k in NMT_CASES[name][2]]
        _, output = model.train(sess)
        values = sess.run(kernels)
    return {
        "var_names": names,
        "loss": float(output.train_loss),
        "last_enc_weight": values[0],
        "last_dec_weight": values[1],
    }


# ---------------------------------------------------------------------------------------------
# tensorflow/models tutorials/rnn/ptb/ptb_word_lm.py: its real main() on a tiny corpus


def _ptb_files(tmp: Path) -> Path:
    rng = np.random.RandomState(9)
    words = [f"w{i}" for i in range(30)]
    for name, n in (("train", 500), ("valid", 470), ("test", 40)):
        lines = []
        while sum(len(x.split()) + 1 for x in lines) < n:
            lines.append(" ".join(words[j] for j in rng.randint(0, 30, rng.randint(3, 9))))
        # PTB's layout: each line starts and ends with a space (" <eos>" splits as a word)
        (tmp / f"ptb.{name}.txt").write_text("".join(f" {x} \n" for x in lines))
    return tmp


def ptb_word_lm(tf: Any, mods: dict[str, Any], init: Init, tmp: Path) -> Result:
    """ptb_word_lm.py's pieces as its ``main()`` uses them, on a 30-word corpus with
    ``--model=test --num_gpus=0`` (no GPU here: ``main`` refuses the default 1, in TF too):
    ``reader.ptb_raw_data``/``ptb_producer`` (queues), ``get_config``, the Train/Valid/Test
    ``PTBModel``s sharing variables under ``Model`` with a uniform initializer, ``export_ops``
    (state tuples in collections), ``Supervisor.managed_session`` and ``run_epoch`` with
    ``assign_lr`` for 2 epochs; the perplexities are compared. ``main()`` itself then round-trips
    the graph through ``export_meta_graph``/``import_meta_graph``, which ``ptb_main`` runs."""
    data = _ptb_files(tmp)
    argv = ["ptb_word_lm.py", f"--data_path={data}", "--model=test", "--num_gpus=0"]
    with _script(tf, tmp, argv):
        ptb = mods["__loader__"].load("ptb_word_lm", "tutorials/rnn/ptb/ptb_word_lm.py")
        train_data, valid_data, test_data, vocab = mods["reader"].ptb_raw_data(str(data))
        config = ptb.get_config()
        config.vocab_size = vocab
        config.max_max_epoch = 2
        eval_config = ptb.get_config()
        eval_config.vocab_size = vocab
        eval_config.batch_size = 1
        eval_config.num_steps = 1
        initializer = tf.random_uniform_initializer(-config.init_scale, config.init_scale)
        with tf.name_scope("Train"):
            train_input = ptb.PTBInput(config=config, data=train_data, name="TrainInput")
            with tf.variable_scope("Model", reuse=None, initializer=initializer):
                m = ptb.PTBModel(is_training=True, config=config, input_=train_input)
            tf.summary.scalar("Training Loss", m.cost)
            tf.summary.scalar("Learning Rate", m.lr)
        with tf.name_scope("Valid"):
            valid_input = ptb.PTBInput(config=config, data=valid_data, name="ValidInput")
            with tf.variable_scope("Model", reuse=True, initializer=initializer):
                mvalid = ptb.PTBModel(is_training=False, config=config, input_=valid_input)
            tf.summary.scalar("Validation Loss", mvalid.cost)
        with tf.name_scope("Test"):
            test_input = ptb.PTBInput(config=eval_config, data=test_data, name="TestInput")
            with tf.variable_scope("Model", reuse=True, initializer=initializer):
                mtest = ptb.PTBModel(is_training=False, config=eval_config, input_=test_input)
        for name, model in {"Train": m, "Valid": mvalid, "Test": mtest}.items():
            model.export_ops(name)
        outputs = {"train_cost": m.cost, "valid_cost": mvalid.cost, "test_cost": mtest.cost}
        info = describe(tf, outputs, (tf.GraphKeys.SUMMARIES, tf.GraphKeys.QUEUE_RUNNERS))
        info["config"] = [config.rnn_mode, vocab, train_input.epoch_size, test_input.epoch_size]
        info["state_collections"] = {
            key: [x.name for x in tf.get_collection(key)]
            for key in ("Train/initial", "Train/final", "Test/final")
        }
        # Supervisor finalizes the graph: the ops that set TF's initial values come first.
        variables = tf.global_variables()
        values = [tf.placeholder(v.dtype.base_dtype, v.shape) for v in variables]
        assigns = [tf.assign(v, x) for v, x in zip(variables, values, strict=True)]
        perplexities = []
        sv = tf.train.Supervisor(logdir=None)
        with sv.managed_session() as session:
            arrays = {}
            if init is None:
                got = session.run(variables)
                arrays = {f"init/{v.op.name}": x for v, x in zip(variables, got, strict=True)}
            else:
                feed = {
                    x: init[f"init/{v.op.name}"] for v, x in zip(variables, values, strict=True)
                }
                session.run(assigns, feed)
            for i in range(config.max_max_epoch):
                lr_decay = config.lr_decay ** max(i + 1 - config.max_epoch, 0.0)
                m.assign_lr(session, config.learning_rate * lr_decay)
                perplexities.append(session.run(m.lr))
                perplexities.append(ptb.run_epoch(session, m, eval_op=m.train_op))
                perplexities.append(ptb.run_epoch(session, mvalid))
            perplexities.append(ptb.run_epoch(session, mtest))
    arrays["perplexities"] = np.asarray(perplexities, np.float64)
    return info, arrays


def ptb_main(tf: Any, mods: dict[str, Any], tmp: Path) -> list[str]:
    """What ptb_word_lm.py's real ``main()`` prints with ``--model=test --num_gpus=0``: it
    builds the Train/Valid/Test models, exports them (``export_ops``, ``export_meta_graph``),
    imports the meta graph into a fresh graph (queue ops and ``QueueRunnerDef``s included),
    re-binds the models with ``import_ops`` and trains through ``Supervisor.managed_session``."""
    data = _ptb_files(tmp)
    argv = ["ptb_word_lm.py", f"--data_path={data}", "--model=test", "--num_gpus=0"]
    with _script(tf, tmp, argv) as out:
        ptb = mods["__loader__"].load("ptb_word_lm", "tutorials/rnn/ptb/ptb_word_lm.py")
        ptb.main(None)
    return out.getvalue().splitlines()


SCENARIOS: dict[str, tuple[str, Callable[[Any, dict[str, Any], Init, Path], Result]]] = {
    "gpt2": ("openai+gpt-2", gpt2),
    "text_cnn": ("dennybritz+cnn-text-classification-tf", text_cnn),
    "text_cnn_train": ("dennybritz+cnn-text-classification-tf", text_cnn_train),
    "char_rnn_lstm": ("sherjilozair+char-rnn-tensorflow", char_rnn_lstm),
    "char_rnn_gru_dropout": ("sherjilozair+char-rnn-tensorflow", char_rnn_gru_dropout),
    "transformer": ("Kyubyong+transformer", transformer),
    "gcn": ("tkipf+gcn", gcn),
    "ptb_word_lm": ("tensorflow+models", ptb_word_lm),
}
