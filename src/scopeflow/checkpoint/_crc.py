"""CRC-32C (Castagnoli) and the LevelDB/TensorFlow checksum mask.

Responsibility: every checksum in the bundle format (spec §2.1). The CRC itself comes from the
``crc32c`` package (hardware accelerated, releases the GIL on large buffers); this module only
adds the mask/unmask rotation and the "extend a running CRC" convention TF uses.

Must not import: torch, tensorflow, numpy, or other scopeflow layers.
"""

from __future__ import annotations

import crc32c as _crc32c_impl

__all__ = ["MASK_DELTA", "crc32c", "crc32c_extend", "mask", "unmask"]

MASK_DELTA = 0xA282EAD8
_U32 = 0xFFFFFFFF


def crc32c(data: bytes | bytearray | memoryview) -> int:
    """Return the CRC-32C of ``data`` (not zlib's CRC-32).

    >>> hex(crc32c(b"123456789"))
    '0xe3069283'
    """
    value: int = _crc32c_impl.crc32c(data)
    return value


def crc32c_extend(crc: int, data: bytes | bytearray | memoryview) -> int:
    """Continue a CRC-32C: ``crc32c_extend(crc32c(a), b) == crc32c(a + b)``.

    >>> crc32c_extend(crc32c(b"1234"), b"56789") == crc32c(b"123456789")
    True
    """
    value: int = _crc32c_impl.crc32c(data, value=crc)
    return value


def mask(crc: int) -> int:
    """Mask a CRC the way TF stores it on disk (rotate right 15, add a constant).

    >>> hex(mask(0))
    '0xa282ead8'
    """
    return ((((crc >> 15) | (crc << 17)) & _U32) + MASK_DELTA) & _U32


def unmask(masked: int) -> int:
    """Invert :func:`mask`.

    >>> unmask(mask(0xBA6811FC)) == 0xBA6811FC
    True
    """
    rot = (masked - MASK_DELTA) & _U32
    return ((rot >> 17) | (rot << 15)) & _U32
