"""Property tests for the uniquifier and scope-name rules (``_core/names.py``)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scopeflow._core.names import NameRegistry, validate_scope_name
from scopeflow.errors import InvalidScopeNameError

_names = st.text(alphabet="abAB_1/", min_size=1, max_size=6).filter(
    lambda s: not s.startswith("/") and not s.endswith("/") and "//" not in s
)


@given(st.lists(st.tuples(_names, st.sampled_from(["", "s", "S/t"])), max_size=60))
@settings(max_examples=300, deadline=None)
def test_unique_names_are_unique_case_insensitively(requests: list[tuple[str, str]]) -> None:
    reg = NameRegistry()
    seen: set[str] = set()
    for name, stack in requests:
        full = reg.unique_name(name, stack)
        base = f"{stack}/{name}" if stack else name
        assert full == base or re.fullmatch(re.escape(base) + r"_\d+", full)
        assert full.lower() not in seen
        seen.add(full.lower())


@given(st.lists(_names, max_size=40))
@settings(max_examples=200, deadline=None)
def test_peeking_does_not_mark(names: list[str]) -> None:
    reg = NameRegistry()
    for n in names:
        peek = reg.unique_name(n, "", mark_as_used=False)
        assert reg.unique_name(n, "") == peek


@pytest.mark.parametrize(
    ("sequence", "expected"),
    [
        pytest.param(["foo", "foo", "foo", "Foo", "FOO_1"],
                     ["foo", "foo_1", "foo_2", "Foo_3", "FOO_1_1"], id="tf-sequence"),
        pytest.param(["a", "a_1", "a"], ["a", "a_1", "a_2"], id="skips-taken-suffix"),
    ],
)  # fmt: skip
def test_tf_verified_sequences(sequence: list[str], expected: list[str]) -> None:
    reg = NameRegistry()
    assert [reg.unique_name(n, "") for n in sequence] == expected


def test_existing_op_name_is_skipped() -> None:
    reg = NameRegistry()
    reg.mark_used("foo_1")
    assert [reg.unique_name("foo", "") for _ in range(3)] == ["foo", "foo_2", "foo_3"]


@pytest.mark.parametrize(
    ("name", "nested", "ok"),
    [
        pytest.param("_x", False, False, id="root-underscore"),
        pytest.param("_x", True, True, id="nested-underscore"),
        pytest.param("a b", True, False, id="space"),
        pytest.param("a.b-c/d>e", False, True, id="specials"),
        pytest.param("-a", False, False, id="root-dash"),
    ],
)
def test_scope_name_validation(name: str, nested: bool, ok: bool) -> None:
    if ok:
        validate_scope_name(name, nested=nested)
    else:
        with pytest.raises(InvalidScopeNameError, match="is not a valid"):
            validate_scope_name(name, nested=nested)
