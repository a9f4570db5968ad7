"""pix2pix trained by its own entry point on scopeflow, compared with TensorFlow's recording.

affinelayer/pix2pix-tensorflow (0f21744) is read at test time from ``$SCOPEFLOW_USER_CODE`` (a
directory of ``<owner>+<repo>/`` checkouts; none of its text is committed) and its ``main()``
runs unchanged with only its imports redirected: 3 training steps on two 256x512 PNGs with ngf
and ndf 4 and ``--seed 0`` (``user_code_p2p.py`` says exactly what runs and what is compared).
Recorded under TensorFlow by ``tools/record_user_code_p2p.py`` into ``golden/user_code_p2p/``.
Without the variable or the checkout the test skips; what it needed in scopeflow (a gradient
after an ordered update of a variable its forward pass read) has its always-running cases in
``tests/conformance/cases/p2p_gradient_after_update.py`` (a pix2pix-sized discriminator and
generator included) and ``tests/ops/test_gradient_after_update.py``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
import real_code
import user_code_p2p

import scopeflow.compat.v1 as tf

GOLDEN = Path(__file__).parent / "golden" / "user_code_p2p"
_ROOT = os.environ.get("SCOPEFLOW_USER_CODE")
ROOT = Path(_ROOT) if _ROOT else None
# Biases of convolutions followed by batch norm, and their Adam slots: their gradient is 0 up to
# float32 rounding, in TF and here alike, and Adam's steps (up to about 2 lr = 4e-4 each with
# beta1 0.5) follow the sign of that noise, so they are compared to within those steps.
_NOISE = re.compile(
    r"(encoder_[2-8]/conv2d|decoder_[2-8]/conv2d_transpose|layer_[2-4]/conv2d)/bias(/Adam(_1)?)?$"
)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::UserWarning")  # no .meta file for scopeflow-only ops
def test_pix2pix_trains_as_in_tensorflow(tmp_path: Path) -> None:
    reason = user_code_p2p.missing(ROOT)
    if reason is not None:
        pytest.skip(reason)
    assert ROOT is not None
    loader = real_code.Loader(ROOT, real_code.scopeflow_resolver())
    info, arrays = user_code_p2p.run_pix2pix(tf, loader, tmp_path)
    want_info = json.loads((GOLDEN / "pix2pix.json").read_text())
    assert json.loads(json.dumps(info)) == want_info
    want = dict(np.load(GOLDEN / "pix2pix.npz"))
    assert sorted(arrays) == sorted(want)
    bad = []
    for key, expected in want.items():
        got = np.asarray(arrays[key])
        if key.startswith("printed/"):
            ok = np.allclose(got, expected, rtol=1e-5, atol=0)
        elif _NOISE.search(key):
            ok = np.allclose(got, expected, rtol=0, atol=user_code_p2p.STEPS * 4e-4)
        else:
            ok = np.allclose(got, expected, rtol=1e-3, atol=1e-6)
        if not ok:
            err = np.max(np.abs(got - expected)) if got.shape == expected.shape else "shape"
            bad.append(f"{key}: max abs error {err}")
    assert not bad, "\n".join(bad)
