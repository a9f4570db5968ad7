"""keithito/tacotron's TensorFlow Griffin-Lim (``util/audio.py``) runs on ``tf.contrib.signal``.

The real-code test reads ``util/audio.py`` at test time from
``$SCOPEFLOW_USER_CODE/keithito+tacotron`` (commit d26c763; ``git clone
https://github.com/keithito/tacotron keithito+tacotron``) and executes it unchanged with
``import tensorflow as tf`` bound to ``scopeflow.compat.v1`` and small stand-ins for the modules
its TF path never calls (``librosa``, ``scipy``) and for ``hparams`` (tiny audio settings). It
skips without the variable. Its ``inv_spectrogram_tensorflow`` must equal
``griffin_lim_reference`` (the conformance topic ``ops_apid_signal``'s ``griffin_lim`` case,
which is checked against TensorFlow); the committed test below runs that reference always.
"""

from __future__ import annotations

import builtins
import importlib.util
import os
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import scopeflow.compat.v1 as tf

_CASES = Path(__file__).resolve().parent.parent / "conformance" / "cases" / "ops_apid_signal.py"
_spec = importlib.util.spec_from_file_location("_apid_signal_cases", _CASES)
assert _spec is not None
assert _spec.loader is not None
signal_cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(signal_cases)

# hparams for 64-point FFTs: n_fft = (33 - 1) * 2, hop 16 and window 40 samples at 1 kHz.
_HPARAMS = {
    "num_freq": 33,
    "sample_rate": 1000,
    "frame_length_ms": 40,
    "frame_shift_ms": 16,
    "min_level_db": -100,
    "ref_level_db": 20,
    "power": 1.5,
    "griffin_lim_iters": 3,
}


def _audio_source() -> Path | None:
    root = os.environ.get("SCOPEFLOW_USER_CODE")
    if not root:
        return None
    path = Path(root) / "keithito+tacotron" / "util" / "audio.py"
    return path if path.is_file() else None


def _load_audio(path: Path) -> dict[str, Any]:
    hparams_mod = types.ModuleType("hparams")
    hparams_mod.hparams = types.SimpleNamespace(**_HPARAMS)  # type: ignore[attr-defined]
    librosa = types.ModuleType("librosa")
    librosa.filters = types.ModuleType("librosa.filters")  # type: ignore[attr-defined]
    scipy = types.ModuleType("scipy")
    modules = {
        "tensorflow": tf,
        "hparams": hparams_mod,
        "librosa": librosa,
        "librosa.filters": librosa.filters,  # type: ignore[attr-defined]
        "scipy": scipy,
    }
    real_import = builtins.__import__

    def redirect(name: str, globals_: Any = None, locals_: Any = None, fromlist: Any = (),
                 level: int = 0) -> Any:  # fmt: skip
        if name in modules:
            return modules[name.split(".", 1)[0]] if not fromlist else modules[name]
        return real_import(name, globals_, locals_, fromlist, level)

    namespace: dict[str, Any] = {
        "__name__": "util.audio",
        "__builtins__": {**vars(builtins), "__import__": redirect},
    }
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace


def test_griffin_lim_reference_runs() -> None:
    """The tf.signal Griffin-Lim reference (checked against TF in ops_apid_signal)."""
    y = signal_cases.griffin_lim_reference(tf, signal_cases.griffin_lim_input(), 64, 16, 40, 3)
    assert y.shape.as_list() == [216]
    with tf.Session() as sess:
        out = sess.run(y)
    assert np.isfinite(out).all()
    assert np.abs(out).max() > 0


@pytest.mark.skipif(_audio_source() is None, reason="needs $SCOPEFLOW_USER_CODE/keithito+tacotron")
def test_tacotron_inv_spectrogram_tensorflow() -> None:
    path = _audio_source()
    assert path is not None
    audio = _load_audio(path)
    spec = signal_cases.griffin_lim_input()
    got = audio["inv_spectrogram_tensorflow"](tf.constant(spec))
    want = signal_cases.griffin_lim_reference(tf, spec, 64, 16, 40, 3)
    assert got.shape.as_list() == want.shape.as_list() == [216]
    assert got.op.name.startswith("griffinlim")
    with tf.Session() as sess:
        g, w = sess.run([got, want])
    np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5)
