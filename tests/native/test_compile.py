"""``scopeflow._native.compiled_library``: built once per name, None where it cannot be built."""

from __future__ import annotations

import ctypes
import shutil

import pytest

from scopeflow._native import _compile, compiled_library

_ADD = "int sf_test_add(int a, int b) { return a + b; }\n"
_SIG = {"sf_test_add": (ctypes.c_int, [ctypes.c_int, ctypes.c_int])}


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch):
    monkeypatch.setattr(_compile, "_libraries", {})


def test_builds_loads_and_caches_by_name():
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler on this machine")
    lib = compiled_library("test-add", _ADD, _SIG)
    assert lib is not None
    assert lib.sf_test_add(2, 40) == 42
    # the first build of a name is kept (no second compile, even for another source)
    assert compiled_library("test-add", "this is not C", _SIG) is lib


def test_a_source_that_does_not_compile_gives_none_once(monkeypatch):
    assert compiled_library("test-bad", "this is not C", _SIG) is None
    calls = []
    monkeypatch.setattr(_compile, "_compile", lambda *a: calls.append(a))
    assert compiled_library("test-bad", _ADD, _SIG) is None
    assert calls == []  # the failure is cached too


def test_a_missing_symbol_or_a_refused_flag_gives_none():
    assert compiled_library("test-missing", _ADD, {"sf_other": (None, [])}) is None
    assert compiled_library("test-flag", _ADD, _SIG, ("--no-such-flag-for-cc",)) is None


def test_no_compiler_gives_none(monkeypatch):
    monkeypatch.setattr(_compile.shutil, "which", lambda name: None)
    assert compiled_library("test-nocc", _ADD, _SIG) is None
