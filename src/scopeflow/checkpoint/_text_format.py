"""Minimal protobuf text-format codec for flat messages (the ``checkpoint`` state file).

Responsibility: parse ``name: value`` lines with quoted strings (C escapes, adjacent-literal
concatenation), numbers, ``[a, b]`` lists, ``#`` comments and nested ``{ ... }`` blocks (skipped,
for unknown fields), and print strings and doubles the way Python protobuf's
``text_format.MessageToString`` does.

Must not import: torch, tensorflow, numpy, google.protobuf, or other scopeflow layers.
"""

from __future__ import annotations

import math
import re

__all__ = ["TextFormatError", "escape_string", "format_double", "parse_flat_message"]

_TOKEN = re.compile(
    r"""\s+|\#[^\n]*|(?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<punct>[:{}\[\],;<>])|(?P<word>[-+]?[A-Za-z0-9_.+-]+)""",
    re.DOTALL,
)
_SIMPLE_ESCAPES = {
    "n": 10,
    "r": 13,
    "t": 9,
    '"': 34,
    "'": 39,
    "\\": 92,
    "a": 7,
    "b": 8,
    "f": 12,
    "v": 11,
    "?": 63,
}


_PRINT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "'": "\\'", "\\": "\\\\"}


class TextFormatError(ValueError):
    """The text is not valid protobuf text format (message says where)."""


def _unescape(body: str) -> bytes:
    out = bytearray()
    raw = body.encode("utf-8", "surrogateescape")
    i = 0
    while i < len(raw):
        c = raw[i]
        if c != 0x5C:
            out.append(c)
            i += 1
            continue
        i += 1
        if i >= len(raw):
            raise TextFormatError("string ends with a backslash")
        e = chr(raw[i])
        if e in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[e])
            i += 1
        elif e in "01234567":
            j = i
            while j < len(raw) and j < i + 3 and chr(raw[j]) in "01234567":
                j += 1
            out.append(int(raw[i:j], 8) & 0xFF)
            i = j
        elif e in "xX":
            j = i + 1
            while j < len(raw) and j < i + 3 and chr(raw[j]) in "0123456789abcdefABCDEF":
                j += 1
            if j == i + 1:
                raise TextFormatError("\\x escape without hex digits")
            out.append(int(raw[i + 1 : j], 16))
            i = j
        else:
            raise TextFormatError(f"invalid escape sequence \\{e}")
    return bytes(out)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    tokens = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            line = text.count("\n", 0, pos) + 1
            raise TextFormatError(f"unexpected character {text[pos]!r} on line {line}")
        kind = m.lastgroup
        if kind is not None:
            tokens.append((kind, m.group(kind), text.count("\n", 0, pos) + 1))
        pos = m.end()
    return tokens


def parse_flat_message(text: str) -> dict[str, list[bytes | str]]:
    r"""Parse a message whose known fields are scalars or repeated scalars.

    Returns:
        ``{field name: [values in order]}``; strings come back as ``bytes`` (unescaped,
        adjacent literals concatenated), numbers and identifiers as ``str``. Nested
        ``{...}``/``<...>`` blocks are skipped.

    Raises:
        TextFormatError: On malformed input.

    >>> parse_flat_message('a: "x\\ty" # c\nb:1.5 b: [2, 3]')
    {'a': [b'x\ty'], 'b': ['1.5', '2', '3']}
    """
    toks = _tokens(text)
    fields: dict[str, list[bytes | str]] = {}
    i = 0

    def expect_value(i: int) -> tuple[bytes | str, int]:
        if i >= len(toks):
            raise TextFormatError("missing value at end of input")
        kind, value, line = toks[i]
        if kind == "str":
            data = b""
            while i < len(toks) and toks[i][0] == "str":
                data += _unescape(toks[i][1][1:-1])
                i += 1
            return data, i
        if kind == "word":
            return value, i + 1
        raise TextFormatError(f"expected a value on line {line}, got {value!r}")

    while i < len(toks):
        kind, name, line = toks[i]
        if kind != "word" or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise TextFormatError(f"expected a field name on line {line}, got {name!r}")
        i += 1
        has_colon = i < len(toks) and toks[i][1] == ":"
        i += has_colon
        if i < len(toks) and toks[i][1] in "{<":
            close = "}" if toks[i][1] == "{" else ">"
            depth = 0
            while i < len(toks):
                if toks[i][0] == "punct" and toks[i][1] in "{<":
                    depth += 1
                elif toks[i][0] == "punct" and toks[i][1] in "}>":
                    depth -= 1
                i += 1
                if depth == 0:
                    break
            if depth:
                raise TextFormatError(f"unclosed {close!r} block for field {name!r}")
            continue
        if not has_colon:
            raise TextFormatError(f"expected ':' after {name!r} on line {line}")
        values = fields.setdefault(name, [])
        if i < len(toks) and toks[i][1] == "[":
            i += 1
            while i < len(toks) and toks[i][1] != "]":
                value, i = expect_value(i)
                values.append(value)
                if i < len(toks) and toks[i][1] == ",":
                    i += 1
            if i >= len(toks):
                raise TextFormatError(f"unclosed list for field {name!r}")
            i += 1
        else:
            value, i = expect_value(i)
            values.append(value)
        if i < len(toks) and toks[i][1] in ",;":
            i += 1
    return fields


def escape_string(value: str) -> str:
    r"""C-escape a string like Python protobuf's text format (UTF-8 kept, controls octal).

    Non-UTF-8 bytes smuggled in as ``surrogateescape`` code points are written as octal.

    >>> print(escape_string('say "hi"\n\x01 ok'))
    say \"hi\"\n\001 ok
    """
    out = []
    for ch in value:
        code = ord(ch)
        if ch in _PRINT_ESCAPES:
            out.append(_PRINT_ESCAPES[ch])
        elif code < 32 or code == 127:
            out.append(f"\\{code:03o}")
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\{code - 0xDC00:03o}")
        else:
            out.append(ch)
    return "".join(out)


def format_double(value: float) -> str:
    """Format a double as Python protobuf's text format prints it.

    >>> format_double(1700000000.25), format_double(float("inf"))
    ('1700000000.25', 'inf')
    """
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(float(value))
