"""Runs the TF1 programs of aymericdamien/TensorFlow-Examples with their step counts cut down.

Shared by ``test_tf_examples.py`` (scopeflow) and ``tools/record_tf_examples.py`` (the TensorFlow
oracle), so both run each program under the same conditions; it imports neither framework. The
programs are read at run time from ``<root>/examples/`` (a checkout of
https://github.com/aymericdamien/TensorFlow-Examples, recorded at 6dcbe14;
``tensorflow_v1/examples`` holds the same files); nothing of them is committed. What surrounds
each unmodified program:

- Text substitutions (``Example.subs``), each of which must match the text exactly once (a changed
  upstream file fails loudly instead of running uncut): the step/epoch counts and report intervals
  are cut down, batch sizes of the slowest programs are made smaller, and the data paths
  (``/tmp/data/``, ``/tmp/model.ckpt``, ``/tmp/tensorflow_logs/example/``, the image folder) point
  into the run's temporary directory. No other character of a program is changed.
- Data: never downloaded. MNIST is a synthetic set written in MNIST's gzipped IDX format
  (``write_fake_mnist``: 8,000 training and 1,000 test images of ten noisy class templates, so
  the programs learn something); word2vec reads a small synthetic ``text8.zip`` in the working
  directory; build_an_image_dataset reads a folder of small JPEGs written by the recorder
  (``tests/acceptance/golden/tf_examples_images/``, committed, so both sides decode the same bytes).
- Seeds: each program runs in a fresh default graph whose graph-level seed is set to 0 (as if
  the program began with ``tf.set_random_seed(0)``), with Python's and NumPy's generators seeded
  0. MNIST's reader seeds NumPy from the graph seed, as TF 1.15's does. TF's own random ops are
  then deterministic, so losses and accuracies can be compared with TF's.
- Plotting: ``matplotlib.pyplot`` (not installed with scopeflow) is a stand-in whose functions
  accept anything and do nothing; ``scipy.stats.norm.ppf`` (used by the VAE's plot grid) is
  Python's ``statistics.NormalDist().inv_cdf``.
- Output: what the program printed to stdout; ``parse`` splits it into the text with numbers
  masked (compared exactly) and the numbers (compared with the example's tolerance).
"""

from __future__ import annotations

import gzip
import io
import os
import random
import re
import runpy
import statistics
import struct
import sys
import types
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

SEED = 0
N_TRAIN = 8000  # read_data_sets keeps the first 5,000 for validation: 3,000 to train on
N_TEST = 1000


@dataclass(frozen=True)
class Example:
    """One program: its path under ``examples/``, the substitutions, how to compare its output.

    ``subs`` are (old, new) pairs; ``{tmp}`` in ``new`` is the run's directory. ``fixes`` are
    replaced at every occurrence: they port a Python 2 / NumPy 1 spelling that fails before
    any TF code runs on current Python and NumPy (the same in both frameworks). ``rtol``/``atol``
    bound the printed numbers; ``exact`` False means the program is not deterministic in TF
    itself (threads racing for a queue, wall-clock timings), so only the masked text and the
    variables are compared. ``unsupported`` names the TF1 feature scopeflow rejects.
    ``gpu_placed``: the program pins ops to ``/gpu:N`` without soft placement, which TF refuses
    on a machine without GPUs (``InvalidArgumentError``, recorded) while scopeflow runs them on
    the CPU by design (``graph/devices.py``); only the variables are compared.
    """

    path: str
    subs: tuple[tuple[str, str], ...] = ()
    rtol: float = 1e-4
    atol: float = 1e-5
    exact: bool = True
    unsupported: str | None = None
    notes: str = ""
    gpu_placed: bool = False
    fixes: tuple[tuple[str, str], ...] = ()


_MNIST = ('"/tmp/data/"', '"{tmp}/mnist/"')

EXAMPLES: dict[str, Example] = {
    "helloworld": Example("1_Introduction/helloworld.py"),
    "basic_operations": Example("1_Introduction/basic_operations.py"),
    "linear_regression": Example(
        "2_BasicModels/linear_regression.py",
        (("training_epochs = 1000", "training_epochs = 100"),),
    ),
    "logistic_regression": Example(
        "2_BasicModels/logistic_regression.py",
        (_MNIST, ("training_epochs = 25", "training_epochs = 3")),
    ),
    "nearest_neighbor": Example(
        "2_BasicModels/nearest_neighbor.py",
        (_MNIST, ("next_batch(200)", "next_batch(40)")),
    ),
    "kmeans": Example(
        "2_BasicModels/kmeans.py",
        (_MNIST, ("num_steps = 50 #", "num_steps = 10 #")),
        rtol=1e-3,
        atol=1e-4,
    ),
    "random_forest": Example(
        "2_BasicModels/random_forest.py",
        (_MNIST, ("num_steps = 500 #", "num_steps = 10 #")),
        unsupported="tensorflow.contrib.tensor_forest",
    ),
    "gradient_boosted_decision_tree": Example(
        "2_BasicModels/gradient_boosted_decision_tree.py",
        (_MNIST,),
        unsupported="tensorflow.contrib.boosted_trees",
    ),
    "word2vec": Example(
        "2_BasicModels/word2vec.py",
        (
            ("num_steps = 3000000", "num_steps = 400"),
            ("display_step = 10000", "display_step = 100"),
            ("eval_step = 200000", "eval_step = 200"),
        ),
        # Python 3 reads the zip member as bytes: the words become str as in Python 2
        fixes=(
            (
                "f.read(f.namelist()[0]).lower().split()",
                "f.read(f.namelist()[0]).decode().lower().split()",
            ),
            ("xrange(", "range("),
        ),
        rtol=1e-3,
        atol=1e-4,
    ),
    "autoencoder": Example(
        "3_NeuralNetworks/autoencoder.py",
        (
            _MNIST,
            ("num_steps = 30000", "num_steps = 60"),
            ("display_step = 1000", "display_step = 20"),
        ),
        rtol=1e-3,
        atol=1e-4,
    ),
    "bidirectional_rnn": Example(
        "3_NeuralNetworks/bidirectional_rnn.py",
        (
            _MNIST,
            ("training_steps = 10000", "training_steps = 40"),
            ("display_step = 200", "display_step = 20"),
        ),
        rtol=1e-3,
        atol=1e-4,
    ),
    "convolutional_network": Example(
        "3_NeuralNetworks/convolutional_network.py",
        (_MNIST, ("num_steps = 2000", "num_steps = 20")),
        exact=False,
        notes="tf.estimator: the Estimator's graph is not seeded by the program",
    ),
    "convolutional_network_raw": Example(
        "3_NeuralNetworks/convolutional_network_raw.py",
        (_MNIST, ("num_steps = 200", "num_steps = 20"), ("display_step = 10", "display_step = 10")),
        rtol=1e-3,
        atol=1e-4,
    ),
    "dcgan": Example(
        "3_NeuralNetworks/dcgan.py",
        (
            _MNIST,
            ("num_steps = 20000", "num_steps = 6"),
            ("if i % 100 == 0 or i == 1", "if i % 3 == 0 or i == 1"),
        ),
        fixes=(("newshape=", ""),),  # NumPy 2.4 removed np.reshape's newshape keyword
        rtol=1e-3,
        atol=1e-4,
    ),
    "dynamic_rnn": Example(
        "3_NeuralNetworks/dynamic_rnn.py",
        (
            ("training_steps = 10000", "training_steps = 40"),
            ("display_step = 200", "display_step = 20"),
        ),
        rtol=1e-3,
        atol=1e-4,
    ),
    "gan": Example(
        "3_NeuralNetworks/gan.py",
        (
            _MNIST,
            ("num_steps = 100000", "num_steps = 40"),
            ("if i % 1000 == 0 or i == 1", "if i % 20 == 0 or i == 1"),
        ),
        fixes=(("newshape=", ""),),  # NumPy 2.4 removed np.reshape's newshape keyword
        rtol=1e-3,
        atol=1e-4,
    ),
    "multilayer_perceptron": Example(
        "3_NeuralNetworks/multilayer_perceptron.py",
        (_MNIST, ("training_epochs = 15", "training_epochs = 2")),
        rtol=1e-3,
        atol=1e-4,
    ),
    "neural_network": Example(
        "3_NeuralNetworks/neural_network.py",
        (_MNIST, ("num_steps = 1000", "num_steps = 20")),
        exact=False,
        notes="tf.estimator: the Estimator's graph is not seeded by the program",
    ),
    "neural_network_raw": Example(
        "3_NeuralNetworks/neural_network_raw.py",
        (
            _MNIST,
            ("num_steps = 500", "num_steps = 40"),
            ("display_step = 100", "display_step = 20"),
        ),
        rtol=1e-3,
        atol=1e-4,
    ),
    "recurrent_network": Example(
        "3_NeuralNetworks/recurrent_network.py",
        (
            _MNIST,
            ("training_steps = 10000", "training_steps = 40"),
            ("display_step = 200", "display_step = 20"),
        ),
        rtol=1e-3,
        atol=1e-4,
    ),
    "variational_autoencoder": Example(
        "3_NeuralNetworks/variational_autoencoder.py",
        (
            _MNIST,
            ("num_steps = 30000", "num_steps = 40"),
            ("if i % 1000 == 0 or i == 1", "if i % 20 == 0 or i == 1"),
        ),
        rtol=1e-3,
        atol=1e-4,
    ),
    "save_restore_model": Example(
        "4_Utils/save_restore_model.py",
        (
            ('"/tmp/model.ckpt"', '"{tmp}/model.ckpt"'),
            ("for epoch in range(3):", "for epoch in range(1):"),
            ("for epoch in range(7):", "for epoch in range(2):"),
        ),
        rtol=1e-3,
        atol=1e-4,
    ),
    "tensorboard_basic": Example(
        "4_Utils/tensorboard_basic.py",
        (
            _MNIST,
            ("training_epochs = 25", "training_epochs = 2"),
            ("'/tmp/tensorflow_logs/example/'", "'{tmp}/logs/'"),
        ),
        rtol=1e-3,
        atol=1e-4,
    ),
    "tensorboard_advanced": Example(
        "4_Utils/tensorboard_advanced.py",
        (
            _MNIST,
            ("training_epochs = 25", "training_epochs = 2"),
            ("'/tmp/tensorflow_logs/example/'", "'{tmp}/logs/'"),
        ),
        rtol=2e-2,
        atol=1e-4,
        notes=(
            "plain SGD on unscaled random_normal weights (costs in the hundreds) amplifies "
            "float32 rounding: epoch 1's cost agrees to 2e-5, epoch 2's to 5e-3, test "
            "accuracy to 10 of 1000 images"
        ),
    ),
    "build_an_image_dataset": Example(
        "5_DataManagement/build_an_image_dataset.py",
        (
            ("DATASET_PATH = '/path/to/dataset/'", "DATASET_PATH = '{tmp}/images/'"),
            ("num_steps = 10000", "num_steps = 4"),
            ("batch_size = 128", "batch_size = 8"),
            ("display_step = 100", "display_step = 2"),
        ),
        exact=False,
        notes="tf.train.batch with num_threads=4: the batch order races in TF itself",
    ),
    "tensorflow_dataset_api": Example(
        "5_DataManagement/tensorflow_dataset_api.py",
        (
            _MNIST,
            ("num_steps = 2000", "num_steps = 40"),
            ("display_step = 100", "display_step = 20"),
        ),
        rtol=1e-3,
        atol=1e-4,
    ),
    "multigpu_basics": Example(
        "6_MultiGPU/multigpu_basics.py",
        fixes=(("10000", "100"),),  # 100x100 matrices instead of 10000x10000 (cut down)
        exact=False,
        gpu_placed=True,
        notes="prints wall-clock times",
    ),
    "multigpu_cnn": Example(
        "6_MultiGPU/multigpu_cnn.py",
        (
            _MNIST,
            ("num_steps = 200", "num_steps = 4"),
            ("batch_size = 1024", "batch_size = 64"),
            ("display_step = 10", "display_step = 2"),
        ),
        exact=False,
        gpu_placed=True,
        notes="prints wall-clock throughput",
    ),
}


def source(root: Path, example: Example, tmp: Path) -> str:
    """The program's text with ``example.subs`` applied (each must match exactly once)."""
    text = (root / "examples" / example.path).read_text()
    for old, new in example.subs:
        n = text.count(old)
        if n != 1:
            raise ValueError(f"{example.path}: {old!r} occurs {n} times (expected once)")
        text = text.replace(old, new.replace("{tmp}", str(tmp)))
    for old, new in example.fixes:
        if old not in text:
            raise ValueError(f"{example.path}: {old!r} does not occur")
        text = text.replace(old, new)
    return text


# --- data ------------------------------------------------------------------------------------


def _idx(path: Path, magic: int, array: np.ndarray) -> None:
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in array.shape)
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(header + array.astype(np.uint8).tobytes())


def fake_mnist_arrays(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` 28x28 uint8 images of ten fixed class templates plus noise, and their labels
    (10% of them replaced by random ones)."""
    templates = np.random.RandomState(12345).uniform(0, 1, [10, 28, 28]) > 0.8
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 10, n).astype(np.uint8)
    # like MNIST: mostly 0 background; a template's strokes at random intensities, some
    # missing, and a few stray pixels
    strokes = templates[labels] & (rng.uniform(size=[n, 28, 28]) < 0.7)
    strokes |= rng.uniform(size=[n, 28, 28]) < 0.03
    images = (strokes * rng.uniform(100, 255, [n, 28, 28])).astype(np.uint8)
    # one label in ten is wrong: accuracies stay below 1 and tell the runs apart
    flip = rng.uniform(size=n) < 0.1
    labels[flip] = rng.randint(0, 10, int(flip.sum()))
    return images, labels


def write_fake_mnist(directory: Path) -> Path:
    """The four MNIST files (``input_data``'s names and IDX format) in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for prefix, n, seed in (("train", N_TRAIN, 1), ("t10k", N_TEST, 2)):
        images, labels = fake_mnist_arrays(n, seed)
        _idx(directory / f"{prefix}-images-idx3-ubyte.gz", 2051, images)
        _idx(directory / f"{prefix}-labels-idx1-ubyte.gz", 2049, labels)
    return directory


def write_text8(path: Path) -> Path:
    """A small ``text8.zip``: a seeded Zipf-like corpus of 60,000 words over 2,000 types."""
    rng = np.random.RandomState(4321)
    ranks = np.arange(1, 2001, dtype=np.float64)
    p = (1.0 / ranks) / (1.0 / ranks).sum()
    words = ["five", "of", "going", "hardware", "american", "britain"]
    words += [f"w{i}" for i in range(2000 - len(words))]
    text = " ".join(words[i] for i in rng.choice(2000, 60000, p=p)).encode()
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("text8", text, compress_type=zipfile.ZIP_DEFLATED)
    return path


IMAGES = Path(__file__).parent / "golden" / "tf_examples_images"


def prepare(name: str, tmp: Path) -> None:
    """Writes the data ``name`` reads into ``tmp``."""
    write_fake_mnist(tmp / "mnist")
    if name == "save_restore_model":  # reads "MNIST_data/" in the working directory
        write_fake_mnist(tmp / "MNIST_data")
    if name == "word2vec":
        write_text8(tmp / "text8.zip")
    if name == "build_an_image_dataset":
        for cls in sorted(IMAGES.iterdir()):
            (tmp / "images" / cls.name).mkdir(parents=True, exist_ok=True)
            for f in sorted(cls.iterdir()):
                (tmp / "images" / cls.name / f.name).write_bytes(f.read_bytes())


# --- stand-ins for plotting --------------------------------------------------------------------


class _Anything:
    """Accepts any call, attribute, index or iteration (``f, a = plt.subplots(4, 10)``)."""

    def __call__(self, *args: Any, **kwargs: Any) -> _Anything:
        return self

    def __getattr__(self, name: str) -> _Anything:
        return self

    def __getitem__(self, key: Any) -> _Anything:
        return self

    def __iter__(self) -> Iterator[_Anything]:
        return iter((self, self))


def _stand_ins() -> dict[str, types.ModuleType]:
    matplotlib = types.ModuleType("matplotlib")
    pyplot = types.ModuleType("matplotlib.pyplot")
    pyplot.__getattr__ = lambda name: _Anything()  # type: ignore[attr-defined]
    matplotlib.pyplot = pyplot  # type: ignore[attr-defined]
    matplotlib.use = lambda *a, **k: None  # type: ignore[attr-defined]
    scipy = types.ModuleType("scipy")
    stats = types.ModuleType("scipy.stats")
    inv = np.vectorize(statistics.NormalDist().inv_cdf)
    stats.norm = types.SimpleNamespace(ppf=lambda q: inv(np.asarray(q, np.float64)))  # type: ignore[attr-defined]
    scipy.stats = stats  # type: ignore[attr-defined]
    return {
        "matplotlib": matplotlib,
        "matplotlib.pyplot": pyplot,
        "scipy": scipy,
        "scipy.stats": stats,
    }


@contextmanager
def _environment(tmp: Path) -> Iterator[None]:
    modules = _stand_ins()
    saved = {name: sys.modules.get(name) for name in modules}
    saved_cwd = Path.cwd()
    sys.modules.update(modules)
    os.chdir(tmp)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


# --- running -----------------------------------------------------------------------------------


def run(root: Path, name: str, tmp: Path, hook: Callable[[], Any], tf: Any) -> dict[str, Any]:
    """Runs example ``name`` from ``root`` in ``tmp`` with ``hook()`` active (``import
    tensorflow`` resolves) and ``tf`` (that framework's ``compat.v1``) giving the fresh seeded
    default graph. Returns ``{"output": stdout, "variables": [[name, shape], ...]}`` (the
    default graph's global variables after the run), with ``"error"`` (``Type: first line``)
    if the program raised."""
    example = EXAMPLES[name]
    prepare(name, tmp)
    path = tmp / f"{name}.py"
    path.write_text(source(root, example, tmp))
    random.seed(SEED)
    np.random.seed(SEED)
    out = io.StringIO()
    result: dict[str, Any] = {}
    with _environment(tmp), hook(), tf.Graph().as_default() as graph:
        tf.set_random_seed(SEED)
        try:
            with redirect_stdout(out):
                runpy.run_path(str(path), run_name="__main__")
        except Exception as e:
            result["error"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
            result["exception"] = e
        variables = graph.get_collection("variables")
        result["variables"] = [
            [v.op.name, v.shape.as_list() if v.shape.dims is not None else None] for v in variables
        ]
    result["output"] = out.getvalue()
    return result


_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf")


def parse(output: str, tmp: Path | None = None) -> dict[str, Any]:
    """The printed text with every number replaced by ``#`` and the numbers in order."""
    if tmp is not None:
        output = output.replace(str(tmp), "<tmp>")
    numbers = [float(m) for m in _NUMBER.findall(output)]
    return {"text": _NUMBER.sub("#", output), "numbers": numbers}
