"""Load third-party TF1 source files with only their imports redirected.

Shared by ``tools/record_acceptance.py`` (run under TensorFlow) and ``test_real_code.py`` (run
under scopeflow). Nothing here contains third-party code: the source text is read at run time
from a directory (``SCOPEFLOW_REAL_CODE`` in the tests) laid out as::

    bert/modeling.py bert/optimization.py          (google-research/bert)
    albert/modeling.py                             (google-research/albert)
    dcgan/model.py dcgan/ops.py                    (carpedm20/DCGAN-tensorflow)
    tf_slim/<net>.py                               (google-research/tf-slim tf_slim/nets/)

To make such a directory (the recordings were made from bert eedf5716, albert b772393d,
DCGAN-tensorflow 62c9a2a7 and tf-slim 1287b1ef)::

    git clone --depth 1 https://github.com/google-research/bert
    git clone --depth 1 https://github.com/google-research/albert
    git clone --depth 1 https://github.com/carpedm20/DCGAN-tensorflow
    git clone --depth 1 https://github.com/google-research/tf-slim
    mkdir -p real/bert real/albert real/dcgan real/tf_slim
    cp bert/modeling.py bert/optimization.py real/bert/
    cp albert/modeling.py real/albert/
    cp DCGAN-tensorflow/model.py DCGAN-tensorflow/ops.py real/dcgan/
    cp tf-slim/tf_slim/nets/*.py real/tf_slim/
    SCOPEFLOW_REAL_CODE=$PWD/real pytest tests/acceptance

Each file is compiled from its own text and executed in a fresh module whose ``__import__`` maps
``tensorflow``/``tensorflow.compat.v1``/``tf_slim`` (and the private paths the files import) to
the library under test, sibling files (``from ops import *``, ``from tf_slim.nets import
resnet_utils``) to the other loaded files, ``six`` to a small compatibility namespace (``six`` is
not installed with scopeflow) and DCGAN's ``utils`` (which needs OpenCV and SciPy for image files)
to ``DCGAN_UTILS`` below. No line of the source is changed.
"""

from __future__ import annotations

import builtins
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

# What each loaded package holds, in load order (a file may import the ones before it).
PACKAGES: dict[str, tuple[str, ...]] = {
    "bert": ("modeling", "optimization"),
    "albert": ("modeling",),
    "dcgan": ("ops", "model"),
    "tf_slim": (
        "alexnet",
        "inception_utils",
        "inception_v1",
        "inception_v2",
        "inception_v3",
        "overfeat",
        "resnet_utils",
        "resnet_v1",
        "resnet_v2",
        "vgg",
    ),
}

# The files that must exist for a package to be usable (tf-slim has no inception_utils.py).
REQUIRED: dict[str, tuple[str, ...]] = {
    "bert": ("modeling.py", "optimization.py"),
    "albert": ("modeling.py",),
    "dcgan": ("ops.py", "model.py"),
    "tf_slim": ("vgg.py", "resnet_utils.py", "resnet_v1.py", "resnet_v2.py"),
}


def _six() -> types.ModuleType:
    six = types.ModuleType("six")
    moves = types.ModuleType("six.moves")
    moves.range = range  # type: ignore[attr-defined]
    moves.xrange = range  # type: ignore[attr-defined]
    moves.zip = zip  # type: ignore[attr-defined]
    moves.map = map  # type: ignore[attr-defined]
    six.moves = moves  # type: ignore[attr-defined]
    six.PY2 = False  # type: ignore[attr-defined]
    six.PY3 = True  # type: ignore[attr-defined]
    six.string_types = (str,)  # type: ignore[attr-defined]
    six.integer_types = (int,)  # type: ignore[attr-defined]
    six.text_type = str  # type: ignore[attr-defined]
    six.iteritems = lambda d: iter(d.items())  # type: ignore[attr-defined]
    six.ensure_str = lambda s: s if isinstance(s, str) else s.decode()  # type: ignore[attr-defined]
    return six


def dcgan_utils() -> types.ModuleType:
    """What DCGAN's ``model.py`` takes from its ``utils`` when building a model (no image IO)."""
    utils = types.ModuleType("utils")

    def imread(path: str, grayscale: bool = False) -> np.ndarray:
        return np.zeros([32, 32, 3], np.float32)

    utils.imread = imread  # type: ignore[attr-defined]
    utils.__all__ = ["imread"]  # type: ignore[attr-defined]
    return utils


class _Path:
    """The value of ``import a.b.c`` (the top package) whose attributes walk the redirected tree."""

    def __init__(self, resolve: Callable[[str], Any], name: str) -> None:
        self._resolve = resolve
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        full = f"{self._name}.{attr}"
        try:
            return self._resolve(full)
        except KeyError:
            return getattr(self._resolve(self._name), attr)


class Loader:
    """Executes source files with ``__import__`` redirected by ``resolve`` (module name -> object).

    ``resolve`` raises ``KeyError`` for a name it does not redirect; such names are imported
    normally (numpy, math, re, ...).
    """

    def __init__(self, root: Path, resolve: Callable[[str], Any]) -> None:
        self.root = root
        self.modules: dict[str, types.ModuleType] = {}
        self._external = resolve
        self._six = _six()
        self._utils = dcgan_utils()

    def resolve(self, name: str) -> Any:
        if name in self.modules:
            return self.modules[name]
        if name == "six":
            return self._six
        if name == "six.moves":
            return self._six.moves
        if name == "utils":
            return self._utils
        if name.startswith("tf_slim.nets.") and f"tf_slim.{name[13:]}" in self.modules:
            return self.modules[f"tf_slim.{name[13:]}"]
        if name == "tf_slim.nets":
            return types.SimpleNamespace(
                **{k.split(".")[-1]: m for k, m in self.modules.items() if k.startswith("tf_slim.")}
            )
        return self._external(name)

    def _import(self, package: str) -> Callable[..., Any]:
        def imp(
            name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0
        ) -> Any:
            # Sibling files: DCGAN's ``from ops import *`` (tf-slim's go through ``resolve``).
            sibling = f"{package}.{name}"
            if package != "tf_slim" and sibling in self.modules:
                return self.modules[sibling]
            try:
                target = self.resolve(name)
            except KeyError:
                return builtins.__import__(name, globals, locals, fromlist, level)
            if fromlist or "." not in name:
                return target
            return _Path(self.resolve, name.split(".", maxsplit=1)[0])

        return imp

    def load(self, package: str, name: str) -> types.ModuleType:
        """Execute ``<root>/<package>/<name>.py`` as module ``<package>.<name>``."""
        path = self.root / package / f"{name}.py"
        module = types.ModuleType(f"{package}.{name}")
        module.__file__ = str(path)
        builtins_ns = dict(vars(builtins))
        builtins_ns["__import__"] = self._import(package)
        module.__dict__["__builtins__"] = builtins_ns
        code = compile(path.read_text(), str(path), "exec")
        exec(code, module.__dict__)
        self.modules[f"{package}.{name}"] = module
        return module

    def load_package(self, package: str) -> dict[str, types.ModuleType]:
        """Load the files of ``package`` that exist, in ``PACKAGES`` order."""
        out = {}
        for name in PACKAGES[package]:
            if (self.root / package / f"{name}.py").exists():
                out[name] = self.load(package, name)
        return out


def missing(root: Path | None, package: str) -> str | None:
    """Why ``package`` cannot be loaded from ``root``, or None if it can."""
    if root is None:
        return "SCOPEFLOW_REAL_CODE is not set (a directory with the real source files)"
    absent = [f for f in REQUIRED[package] if not (root / package / f).exists()]
    if absent:
        return f"{root / package} lacks {', '.join(absent)}"
    return None


def scopeflow_resolver() -> Callable[[str], Any]:
    """Module names -> scopeflow: ``tensorflow`` is ``scopeflow.compat.v1``, the rest from the
    ``scopeflow run`` module table (``tf_slim`` is ``tensorflow.contrib.slim``)."""
    import scopeflow.compat.v1 as tf
    from scopeflow.run import _modules

    def resolve(name: str) -> Any:
        if name in ("tensorflow", "tensorflow.compat.v1"):
            return tf
        if name == "tensorflow.compat":
            return types.SimpleNamespace(v1=tf)
        if name == "tf_slim" or name.startswith("tf_slim."):
            name = "tensorflow.contrib.slim" + name[len("tf_slim") :]
        if name.startswith("tensorflow."):
            return _modules.import_tf_module(name)
        raise KeyError(name)

    return resolve


def tensorflow_resolver(tf: Any) -> Callable[[str], Any]:
    """Module names -> TensorFlow 2's ``tf.compat.v1`` (with the tf_slim-built ``tf.contrib``)."""
    import importlib

    def resolve(name: str) -> Any:
        if name in ("tensorflow", "tensorflow.compat.v1"):
            return tf
        if name == "tensorflow.compat":
            return types.SimpleNamespace(v1=tf)
        if name == "tensorflow.contrib":
            return tf.contrib
        if name.startswith("tensorflow.contrib."):
            obj = tf.contrib
            for part in name.split(".")[2:]:
                obj = getattr(obj, part)
            return obj
        if name.startswith(("tensorflow.", "tf_slim")):
            return importlib.import_module(name)
        raise KeyError(name)

    return resolve


def seeded_values(shapes: list[tuple[str, list[int]]], seed: int = 0) -> dict[str, np.ndarray]:
    """Deterministic weights for variables (name, shape): small normals, ones for scales."""
    rng = np.random.RandomState(seed)
    out = {}
    for name, shape in shapes:
        base = name.split(":")[0].rsplit("/", 1)[-1]
        if base in ("gamma", "moving_variance"):
            out[name] = (1.0 + 0.1 * rng.uniform(-1, 1, shape)).astype(np.float32)
        else:
            out[name] = (0.05 * rng.normal(size=shape)).astype(np.float32)
    return out


__all__ = [
    "PACKAGES",
    "Loader",
    "missing",
    "scopeflow_resolver",
    "seeded_values",
    "tensorflow_resolver",
]
