r"""TF's naming rules, written down once: validation patterns, the uniquifier, scope-name helpers.

Every name that scopeflow builds, splits or uniquifies goes through this module.

* ``NameRegistry.unique_name`` is ``Graph.unique_name``: op names and name scopes share one
  **case-insensitive** table of names in use; a taken name gets the first free ``_N`` suffix while
  the caller's capitalisation is kept.
* Names are validated against TF's two patterns: the root pattern (no leading ``_``, ``-``, ``/``
  or ``\\``) and the nested pattern.

Must not import torch or any scopeflow layer above ``_core``.
"""

from __future__ import annotations

import re

from scopeflow.errors import InvalidScopeNameError

VALID_OP_NAME_REGEX = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")
VALID_SCOPE_NAME_REGEX = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


def validate_scope_name(name: str, *, nested: bool) -> None:
    """Raises TF's ValueError if ``name`` is not a valid (root or nested) scope name."""
    if nested:
        if not VALID_SCOPE_NAME_REGEX.match(name):
            raise InvalidScopeNameError(name, VALID_SCOPE_NAME_REGEX.pattern, root=False)
    elif not VALID_OP_NAME_REGEX.match(name):
        raise InvalidScopeNameError(name, VALID_OP_NAME_REGEX.pattern, root=True)


def name_from_scope_name(name: str) -> str:
    """``'a/b/'`` -> ``'a/b'``: the name-stack form of a scope string."""
    return name[:-1] if name and name[-1] == "/" else name


def join(prefix: str, name: str) -> str:
    """``prefix + '/' + name`` when ``prefix`` is non-empty, else ``name`` (TF's scope join)."""
    return prefix + "/" + name if prefix else name


class NameRegistry:
    """The per-graph table of names in use (TF's ``Graph._names_in_use``).

    >>> r = NameRegistry()
    >>> [r.unique_name(n, "") for n in ["foo", "foo", "Foo", "FOO_1"]]
    ['foo', 'foo_1', 'Foo_2', 'FOO_1_1']
    """

    __slots__ = ("_used",)

    def __init__(self) -> None:
        self._used: dict[str, int] = {}

    def unique_name(self, name: str, stack: str, *, mark_as_used: bool = True) -> str:
        """The unique full name for ``name`` under the name stack ``stack`` (TF's algorithm)."""
        if stack:
            name = stack + "/" + name
        used = self._used
        key = name.lower()
        i = used.get(key, 0)
        if mark_as_used:
            used[key] = i + 1
        if i > 0:
            base_key = key
            while key in used:
                key = f"{base_key}_{i}"
                i += 1
            if mark_as_used:
                used[key] = 1
            name = f"{name}_{i - 1}"
        return name

    def mark_used(self, name: str) -> None:
        """Records an op name as used (if absent), as creating an op does in TF."""
        key = name.lower()
        if key not in self._used:
            self._used[key] = 1

    def is_used(self, name: str) -> bool:
        """Whether ``name`` (case-insensitively) is taken."""
        return name.lower() in self._used


__all__ = [
    "VALID_OP_NAME_REGEX",
    "VALID_SCOPE_NAME_REGEX",
    "NameRegistry",
    "join",
    "name_from_scope_name",
    "validate_scope_name",
]
