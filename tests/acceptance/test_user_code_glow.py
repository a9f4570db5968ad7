"""openai/glow and NVlabs/stylegan on scopeflow, compared with TensorFlow's recorded results.

The repositories are read at test time from ``$SCOPEFLOW_USER_CODE`` (a directory of
``<owner>+<repo>/`` checkouts; none of their text is committed) and run with only their imports
redirected (``user_code_glow.py`` says how, and which third-party imports are tiny namespaces).
Each scenario was recorded under TensorFlow by ``tools/record_user_code_glow.py`` into
``golden/user_code_glow/``. Without the variable, or without a repository, the tests skip; the
scopeflow fixes they needed have their own always-running tests (the ``uc_glow_fixes``
conformance topic and the unit tests named in docs/real_code.md, "glow").

Recordings: openai/glow 91b2c57 (``glow_*``), NVlabs/stylegan 1e0d5c7 (``stylegan_*``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import real_code
import user_code_glow

import scopeflow.compat.v1 as tf

GOLDEN = Path(__file__).parent / "golden" / "user_code_glow"
_ROOT = os.environ.get("SCOPEFLOW_USER_CODE")
ROOT = Path(_ROOT) if _ROOT else None


@pytest.fixture(scope="module")
def glow_modules() -> dict[str, Any]:
    reason = user_code_glow.missing(ROOT, "glow")
    if reason is not None:
        pytest.skip(reason)
    assert ROOT is not None
    loader = user_code_glow.GlowLoader(
        ROOT, real_code.scopeflow_resolver(), user_code_glow.scopeflow_horovod()
    )
    return loader.load_glow()


def _compare(name: str, info: dict[str, Any], arrays: dict[str, np.ndarray], tol: Any) -> None:
    want_info = json.loads((GOLDEN / f"{name}.json").read_text())
    assert json.loads(json.dumps(info)) == want_info
    want = dict(np.load(GOLDEN / f"{name}.npz"))
    assert sorted(arrays) == sorted(want)
    bad = []
    for key, expected in want.items():
        got = np.asarray(arrays[key])
        rtol, atol = tol(key)
        if got.shape != expected.shape or not np.allclose(got, expected, rtol=rtol, atol=atol):
            err = np.max(np.abs(got - expected)) if got.shape == expected.shape else "shape"
            bad.append(f"{key}: max abs error {err}")
    assert not bad, "\n".join(bad)


def _glow_tolerance(key: str) -> tuple[float, float]:
    if key.startswith("sample/"):
        # uint8 images: one quantization step where a value sits on a bin edge
        return 0.0, 8.0
    if key.startswith(("train/1", "test/2", "trained/", "encode", "decode")):
        # After the first update. glow's optimizers read their step counter ``adam_t`` (in
        # ``alpha_t``) with no order against its ``assign_add`` in the same train op: TF's
        # executor reads it first, scopeflow's plan after the increment, so scopeflow's first
        # step is ``alpha_t(2)`` where TF's is ``alpha_t(1)`` (0.70x): weights part by at most
        # two steps of ``lr * 0.1 / sqrt(1 - beta2)`` (docs/real_code.md, "glow").
        return 0.0, 5e-3 if not key.startswith(("encode", "decode")) else 0.1
    return 1e-4, 1e-5


@pytest.mark.slow
@pytest.mark.parametrize("name", list(user_code_glow.GLOW_SCENARIOS))
def test_glow_matches_tensorflow(name: str, glow_modules: dict[str, Any], tmp_path: Path) -> None:
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        info, arrays = user_code_glow.GLOW_SCENARIOS[name](tf, glow_modules, tmp_path)
    _compare(name, info, arrays, _glow_tolerance)


@pytest.fixture(scope="module")
def stylegan_modules() -> Any:
    reason = user_code_glow.missing(ROOT, "stylegan")
    if reason is not None:
        pytest.skip(reason)
    assert ROOT is not None
    from scopeflow.run._hook import tensorflow_import_hook

    with tensorflow_import_hook(), user_code_glow.stylegan_modules(ROOT) as mods:
        yield mods


def _stylegan_tolerance(key: str) -> tuple[float, float]:
    if key.startswith("trained/"):
        # Adam's first steps move each weight by about lr * sign(gradient) (lr 0.01). The 4x4
        # constant layer's bias and noise weight feed an instance norm of a spatially constant
        # map, so their gradient is float32 rounding noise around 0 whose sign differs from
        # TF's run to run: those weights may end two steps apart. The losses, compared at
        # 1e-4, check the rest.
        return 0.0, 0.045
    if key == "Gs.run":
        # images of the moving-average generator after two Adam steps of G and D (lr 0.01):
        # float32 differences of ~1e-6 in the weights, amplified through 8 layers
        return 1e-2, 1e-2
    return 1e-4, 1e-5


@pytest.mark.slow
@pytest.mark.parametrize("name", list(user_code_glow.STYLEGAN_SCENARIOS))
def test_stylegan_matches_tensorflow(name: str, stylegan_modules: Any, tmp_path: Path) -> None:
    with tf.Graph().as_default():
        info, arrays = user_code_glow.STYLEGAN_SCENARIOS[name](tf, stylegan_modules, tmp_path)
    _compare(name, info, arrays, _stylegan_tolerance)
