r"""``tf.compat``'s string and type helpers (``as_bytes``, ``as_text``, ``path_to_str``...).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.

>>> as_bytes("hé")
b'h\xc3\xa9'
>>> as_text(b"h\xc3\xa9")
'hé'
"""

from __future__ import annotations

import codecs
import numbers
import os
from typing import Any

import numpy as np


def as_bytes(bytes_or_text: Any, encoding: str = "utf-8") -> bytes:
    """``bytes``, ``bytearray`` or ``str`` (encoded with ``encoding``) as ``bytes``.

    Raises:
        TypeError: for any other type (TF's message).
    """
    encoding = codecs.lookup(encoding).name
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text: Any, encoding: str = "utf-8") -> str:
    """``str``, or ``bytes`` decoded with ``encoding``, as ``str``.

    Raises:
        TypeError: for any other type (TF's message).
    """
    encoding = codecs.lookup(encoding).name
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


as_str = as_text


def as_str_any(value: Any, encoding: str = "utf-8") -> str:
    """``as_str`` for bytes, ``str(value)`` for anything else.

    >>> as_str_any(3)
    '3'
    """
    if isinstance(value, bytes):
        return as_str(value, encoding=encoding)
    return str(value)


def path_to_str(path: Any) -> Any:
    """A path-like object as ``str`` (other values are returned unchanged).

    >>> import pathlib
    >>> path_to_str(pathlib.PurePosixPath("a/b"))
    'a/b'
    """
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    return path


def path_to_bytes(path: Any) -> Any:
    """A path-like object as ``bytes`` (other values are returned unchanged)."""
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    return as_bytes(path)


integral_types = (numbers.Integral, np.integer)
real_types = (numbers.Real, np.integer, np.floating)
complex_types = (numbers.Complex, np.number)
bytes_or_text_types = (bytes, str)

__all__ = [
    "as_bytes",
    "as_str",
    "as_str_any",
    "as_text",
    "bytes_or_text_types",
    "complex_types",
    "integral_types",
    "path_to_bytes",
    "path_to_str",
    "real_types",
]
