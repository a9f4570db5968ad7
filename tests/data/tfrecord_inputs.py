"""The records the TFRecord fixtures hold (shared by tools/record_tf_tfrecord.py and the tests)."""

from __future__ import annotations

import random
from collections.abc import Iterator

SMALL = [b"", b"a", b"hello world" * 50, bytes(range(256)) * 3]


def large_records() -> Iterator[bytes]:
    """~3 MB of deterministic records of varied sizes and compressibility."""
    rng = random.Random(1234)
    for i in range(3000):
        n = rng.randrange(0, 2000)
        if i % 3 == 0:
            yield bytes(rng.getrandbits(8) for _ in range(n))
        else:
            yield (b"record %d " % i) * (n // 10)


def corruptions(plain: bytes) -> dict[str, bytes]:
    """Damaged copies of the plain ``SMALL`` file, by name."""

    def flip(i: int) -> bytes:
        b = bytearray(plain)
        b[i] ^= 1
        return bytes(b)

    return {
        "truncated_footer": plain[:-3],
        "truncated_data": plain[: 33 + 100],
        "truncated_header": plain[: 16 + 5],
        "only_partial_header": plain[:5],
        "bad_length_first": flip(0),
        "bad_length_crc_second": flip(20),
        "bad_data_crc_first": flip(14),
        "bad_data_second": flip(16 + 12),
    }
