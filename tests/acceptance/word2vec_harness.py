"""Runs TF's ``tensorflow/examples/tutorials/word2vec/word2vec_basic.py`` without editing it.

Shared by ``test_word2vec_basic.py`` (scopeflow) and ``tools/record_word2vec_basic.py`` (the
TensorFlow oracle), so both run the script under the same conditions; it imports neither
framework. What it does around the unmodified script text:

- the corpus: ``maybe_download`` looks for ``text8.zip`` in ``tempfile.gettempdir()``; a
  synthetic zip is written there (first member: a seeded Zipf-like corpus of 60,000 distinct
  words, so the 50,000-word dictionary fills up as with text8 and the metadata loop over
  ``xrange(vocabulary_size)`` finds every id; second member: stored padding that makes the file
  exactly text8's 31,344,016 bytes, so the script's size check passes as written);
- the sha256 check cannot pass for a file other than text8: the module-level ``_hash_file`` the
  script calls is replaced, in the loaded module's namespace, by one returning text8's hash;
- the step count: the script has ``num_steps = 100001`` as a local and loops over
  ``xrange(num_steps)`` with ``from six.moves import xrange``; ``six.moves`` is provided for the
  run (``urllib`` and an ``xrange`` that is ``range`` except that 100001 becomes ``STEPS``) --
  all other ``xrange`` calls (16 validation words, 50,000 metadata rows, 500 plot labels) are
  unchanged;
- Python's ``random`` and NumPy's global generator are seeded (the script's batches use
  ``random.sample``; the validation words use ``np.random.choice``); TF's own random ops are
  unseeded in the script (no graph seed), so initial weights and sampled candidates differ from
  run to run in TF itself;
- the t-SNE plot at the end: ``sklearn.manifold`` is made unimportable, so the script takes its
  own ``except ImportError`` branch.
"""

from __future__ import annotations

import importlib.util
import io
import random
import re
import sys
import tempfile
import types
import urllib
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

import numpy as np

TEXT8_BYTES = 31344016
TEXT8_SHA256 = "a6640522afe85d1963ad56c05b0ede0a0c000dddc9671758a6cc09b7a38e5232"
SCRIPT_STEPS = 100001
STEPS = 2001  # reports "Average loss at step" 0 and 2000
SEED = 0


def corpus_words(n_tokens: int = 400_000, n_types: int = 60_000) -> list[str]:
    """A deterministic Zipf-like corpus in which every one of ``n_types`` words occurs."""
    rng = np.random.RandomState(1234)
    ranks = np.arange(1, n_types + 1, dtype=np.float64)
    p = 1.0 / ranks
    p /= p.sum()
    ids = np.concatenate([np.arange(n_types), rng.choice(n_types, n_tokens - n_types, p=p)])
    rng.shuffle(ids)
    return [f"w{i}" for i in ids]


def write_text8(directory: Path) -> Path:
    """``directory/text8.zip``: the corpus, padded to text8's exact size."""
    text = " ".join(corpus_words()).encode()
    path = directory / "text8.zip"

    def write(pad: int) -> int:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("text8", text, compress_type=zipfile.ZIP_DEFLATED)
            z.writestr("padding", b"\0" * pad, compress_type=zipfile.ZIP_STORED)
        return path.stat().st_size

    size = write(0)
    if write(TEXT8_BYTES - size) != TEXT8_BYTES:
        raise RuntimeError("could not pad the synthetic text8.zip to 31344016 bytes")
    return path


def _capped_xrange(n: int, *rest: int) -> range:
    if not rest and n == SCRIPT_STEPS:
        return range(STEPS)
    return range(n, *rest)


@contextmanager
def _environment(tmp: Path) -> Iterator[None]:
    names = ["six", "six.moves", "sklearn", "sklearn.manifold"]
    saved = {name: sys.modules.get(name) for name in names}
    try:  # other code (TF's own lazy imports) keeps the real six.moves, if installed
        import six as real_six

        real_moves: Any = real_six.moves
    except ImportError:
        real_six = real_moves = None
    six = types.ModuleType("six")
    moves = types.ModuleType("six.moves")
    moves.urllib = urllib  # type: ignore[attr-defined]
    moves.xrange = _capped_xrange  # type: ignore[attr-defined]
    moves.__getattr__ = lambda name: getattr(real_moves, name)  # type: ignore[attr-defined]
    six.moves = moves  # type: ignore[attr-defined]
    six.__getattr__ = lambda name: getattr(real_six, name)  # type: ignore[attr-defined]
    saved_tempdir = tempfile.tempdir
    sys.modules.update({"six": six, "six.moves": moves})
    sys.modules["sklearn"] = None  # type: ignore[assignment]  # ImportError, as if not installed
    sys.modules["sklearn.manifold"] = None  # type: ignore[assignment]
    tempfile.tempdir = str(tmp)
    try:
        yield
    finally:
        tempfile.tempdir = saved_tempdir
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def run(script: Path, tmp: Path, hook: Callable[[], Any]) -> str:
    """Runs ``word2vec_basic(log_dir)`` of ``script`` with ``hook()`` (a context manager that
    makes ``import tensorflow`` resolve) active; returns what the script printed."""
    write_text8(tmp)
    random.seed(SEED)
    np.random.seed(SEED)
    out = io.StringIO()
    with _environment(tmp), hook():
        spec = importlib.util.spec_from_file_location("word2vec_basic", script)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module._hash_file = lambda _path: TEXT8_SHA256
        module.data_index = 0
        with redirect_stdout(out):
            module.word2vec_basic(str(tmp / "log"))
    return out.getvalue()


_LOSS = re.compile(r"^Average loss at step\s+(\d+)\s*:\s*(\S+)$")


def parse(output: str) -> dict[str, Any]:
    """The printed lines split into the deterministic ones and the loss reports."""
    deterministic: list[str] = []
    losses: dict[str, float] = {}
    for line in output.splitlines():
        m = _LOSS.match(line.strip())
        if m:
            losses[m.group(1)] = float(m.group(2))
        elif line.startswith("Nearest to "):
            # the query word comes from the seeded np.random.choice; its neighbours come from
            # TF's unseeded initial embeddings
            deterministic.append(line.split(":")[0] + ":")
        else:
            deterministic.append(line)
    return {"lines": deterministic, "losses": losses}
