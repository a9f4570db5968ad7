"""pix2pix trained by its own entry point (shared by the test and the TF recorder).

affinelayer/pix2pix-tensorflow (0f21744) is one file, ``pix2pix.py``, that parses
``sys.argv`` and runs ``main()`` when it is executed. It is read at run time from a directory of
``<owner>+<repo>/`` checkouts (``SCOPEFLOW_USER_CODE`` in the test; none of its text is in this
repository) and executed unchanged with its ``tensorflow`` import redirected
(``real_code.Loader``), with ``sys.argv`` set to train 3 steps on two 256x512 PNG image pairs
written here (RGB from a fixed NumPy seed, zlib-encoded by ``write_png``):

``--mode train --ngf 4 --ndf 4 --seed 0 --scale_size 256 --no_flip --progress_freq 1
--summary_freq 0 --display_freq 0 --save_freq 3``

Everything random then comes from TF's seeded random ops (scopeflow computes TF's Philox
streams): the initial weights (``tf.set_random_seed(0)`` and op seeds), the file queue's
shuffle, the three decoder dropouts' masks and the random crop's offset (0: ``scale_size`` is the
crop size, so nothing is cropped); ``--no_flip`` turns off the random flips. Its own loop then
prints ``parameter_count`` and, each step, the moving averages of the three losses
(``discrim_loss``, ``gen_loss_GAN``, ``gen_loss_L1``) fetched with the train op; at step 3 it
saves a checkpoint. Compared with TF: the global variables (names, shapes, dtypes, creation
order), the printed numbers, and every variable of the checkpoint after 3 steps (Adam's slots,
the moving averages, batch norm's statistics; one with more than 64 elements as its sum, sum of
absolute values, L2 norm and first and last 16 elements) -- the generator's update each step
comes from its gradient taken after the discriminator's update (``graph.stale_reads``).
"""

from __future__ import annotations

import contextlib
import io
import re
import struct
import sys
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import real_code

REPO = "affinelayer+pix2pix-tensorflow"
STEPS = 3


def missing(root: Path | None) -> str | None:
    """Why pix2pix cannot be loaded from ``root``, or None if it can."""
    if root is None:
        return "SCOPEFLOW_USER_CODE is not set (a directory of <owner>+<repo> checkouts)"
    if not (root / REPO / "pix2pix.py").exists():
        return f"{root / REPO} lacks pix2pix.py"
    return None


def write_png(path: Path, image: np.ndarray) -> None:
    """An 8-bit RGB PNG of ``image`` (``[height, width, 3]`` uint8), no filtering."""
    height, width, _ = image.shape
    rows = b"".join(b"\x00" + image[r].tobytes() for r in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def write_images(directory: Path) -> None:
    """Two 256x512 image pairs (input left, target right): smooth patterns plus noise."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.RandomState(11)
    yy, xx = np.mgrid[0:256, 0:512].astype(np.float64) / 256.0
    for i in range(2):
        phase = rng.uniform(0, 6, 3)
        base = np.stack([np.sin(3 * xx + 2 * yy + p) for p in phase], axis=-1)
        image = 127.5 + 100 * base + rng.uniform(-20, 20, base.shape)
        write_png(directory / f"{i + 1}.png", np.clip(image, 0, 255).astype(np.uint8))


_PRINTED = re.compile(r"^(parameter_count|discrim_loss|gen_loss_GAN|gen_loss_L1)\s*=?\s+(\S+)$")


def printed_numbers(text: str) -> dict[str, list[float]]:
    """The numbers pix2pix printed, by name, in order."""
    out: dict[str, list[float]] = {}
    for line in text.splitlines():
        m = _PRINTED.match(line.strip())
        if m:
            out.setdefault(m.group(1), []).append(float(m.group(2)))
    return out


def _summary(value: Any) -> np.ndarray:
    """A small variable whole; a large one as [sum, sum of |x|, L2 norm, first 16, last 16]."""
    flat = np.asarray(value, np.float64).reshape(-1)
    if flat.size <= 64:
        return np.asarray(value)
    stats = [flat.sum(), np.abs(flat).sum(), np.sqrt((flat * flat).sum())]
    return np.concatenate([stats, flat[:16], flat[-16:]])


def run_pix2pix(
    tf: Any, loader: real_code.Loader, tmp: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Runs pix2pix's ``main()`` as described above; returns (json-able info, arrays)."""
    images, out = tmp / "images", tmp / "out"
    write_images(images)
    argv = [
        "pix2pix.py", "--mode", "train", "--input_dir", str(images), "--output_dir", str(out),
        "--max_steps", str(STEPS), "--ngf", "4", "--ndf", "4", "--seed", "0",
        "--scale_size", "256", "--no_flip", "--progress_freq", "1", "--summary_freq", "0",
        "--display_freq", "0", "--save_freq", str(STEPS),
    ]  # fmt: skip
    log = io.StringIO()
    saved_argv = sys.argv
    sys.argv = argv
    try:
        with tf.Graph().as_default() as graph, contextlib.redirect_stdout(log):
            loader.load(REPO, "pix2pix")
            variables = [
                [v.op.name, v.shape.as_list(), v.dtype.base_dtype.name]
                for v in graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
            ]
            trainable = [v.op.name for v in graph.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)]
    finally:
        sys.argv = saved_argv
    reader = tf.train.NewCheckpointReader(str(out / f"model-{STEPS}"))
    arrays = {f"after/{name}": _summary(reader.get_tensor(name)) for name, _, _ in variables}
    printed = printed_numbers(log.getvalue())
    arrays.update({f"printed/{k}": np.asarray(v) for k, v in printed.items()})
    info = {"global_variables": variables, "trainable_variables": trainable,
            "printed": sorted(printed)}  # fmt: skip
    return info, arrays


__all__ = ["REPO", "STEPS", "missing", "printed_numbers", "run_pix2pix", "write_images"]
