"""Canonical text of a serialized ``Summary`` for the summary_* conformance cases.

Works on TF's and scopeflow's ``tf.Summary`` alike. PNG images are decoded here (a small
non-interlaced 8-bit PNG reader: TF and scopeflow use different PNG encoders, so only the pixels
are compared); WAV audio is compared byte for byte (as a SHA-256 digest).
"""

from __future__ import annotations

import hashlib
import struct
import zlib

import numpy as np


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(data: bytes) -> np.ndarray:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos = 8
    idat = b""
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8
            assert interlace == 0
            channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    out = bytearray()
    prev = bytearray(stride)
    for r in range(height):
        f = raw[r * (stride + 1)]
        line = bytearray(raw[r * (stride + 1) + 1 : (r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                line[i] = (line[i] + _paeth(a, b, c)) & 255
        out += line
        prev = line
    return np.frombuffer(bytes(out), np.uint8).reshape(height, width, channels)


def summary_text(tf, serialized) -> str:
    s = tf.Summary.FromString(serialized)
    lines = []
    for v in s.value:
        kind = v.WhichOneof("value")
        lines.append(f"tag={v.tag!r} kind={kind}")
        if v.HasField("metadata"):
            lines.append(f"  metadata={v.metadata.SerializeToString()!r}")
        if kind == "simple_value":
            lines.append(f"  simple_value={v.simple_value!r}")
        elif kind == "histo":
            h = v.histo
            lines.append(f"  min={h.min!r} max={h.max!r} num={h.num!r}")
            lines.append(f"  sum={h.sum!r} sum_squares={h.sum_squares!r}")
            lines.append(f"  bucket_limit={list(h.bucket_limit)!r}")
            lines.append(f"  bucket={list(h.bucket)!r}")
        elif kind == "image":
            im = v.image
            lines.append(f"  height={im.height} width={im.width} colorspace={im.colorspace}")
            lines.append(f"  pixels={decode_png(im.encoded_image_string).tolist()!r}")
        elif kind == "audio":
            a = v.audio
            lines.append(
                f"  sample_rate={a.sample_rate!r} num_channels={a.num_channels} "
                f"length_frames={a.length_frames} content_type={a.content_type!r}"
            )
            digest = hashlib.sha256(a.encoded_audio_string).hexdigest()[:16]
            lines.append(f"  wav_len={len(a.encoded_audio_string)} sha256={digest}")
        elif kind == "tensor":
            lines.append(f"  tensor={v.tensor.SerializeToString()!r}")
    return "\n".join(lines)
