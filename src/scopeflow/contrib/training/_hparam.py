"""``tf.contrib.training.HParams``: named, typed hyperparameters as TF 1.15 defines them.

A hyperparameter's type is fixed by its first value (a list fixes the element type and makes it
multi-valued). New values are checked and cast by TF's rules: a string never becomes a number
or vice versa, bools only come from bools, an int parameter rejects floats (a float parameter
accepts ints), and a ``None``-typed parameter takes anything. ``parse`` reads TF's
``name=value,list=[a,b],arr[1]=v`` syntax (``true``/``false``/integers for bools). Messages are
TF's.

Differences from TensorFlow: the ``HParamDef`` protocol buffer (``hparam_def=``,
``to_proto``, ``from_proto``) is not provided and raises ``UnsupportedError``.

Pure Python; must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import json
import numbers
import re
from collections.abc import Callable
from typing import Any

from scopeflow.errors import UnsupportedError

# name, optional [index], '=', then a scalar (no comma or '[') or a bracketed list; then end or
# a comma (with optional spaces).
_ASSIGNMENT = re.compile(
    r"(?P<name>[a-zA-Z][\w.]*)(\[\s*(?P<index>\d+)\s*\])?\s*=\s*"
    r"((?P<val>[^,\[]*)|\[(?P<vals>[^\]]*)\])($|,\s*)"
)


def _parse_error(name: str, kind: type, text: str, values: str) -> ValueError:
    return ValueError(
        f"Could not parse hparam '{name}' of type '{kind.__name__}' with value '{text}' in {values}"
    )


def _reuse_error(name: str, values: str) -> ValueError:
    return ValueError(f"Multiple assignments to variable '{name}' in {values}")


def _bool_parser(name: str, values: str) -> Callable[[str], bool]:
    def parse(text: str) -> bool:
        if text in ("true", "True"):
            return True
        if text in ("false", "False"):
            return False
        try:
            return bool(int(text))
        except ValueError:
            raise _parse_error(name, bool, text, values) from None

    return parse


def parse_values(values: str, type_map: dict[str, type], ignore_unknown: bool = False
                 ) -> dict[str, Any]:  # fmt: skip
    """Parses ``name=value`` assignments into ``{name: value | [values] | {index: value}}``.

    >>> parse_values("lr=0.5,layers=[3, 4],arr[1]=2", {"lr": float, "layers": int, "arr": int})
    {'lr': 0.5, 'layers': [3, 4], 'arr': {1: 2}}

    Raises:
        ValueError: malformed text, an unknown name (unless ``ignore_unknown``), a value that
            does not parse as its type, a list assigned to an index, or a repeated assignment.
    """
    result: dict[str, Any] = {}
    pos = 0
    while pos < len(values):
        m = _ASSIGNMENT.match(values, pos)
        if m is None:
            raise ValueError(f"Malformed hyperparameter value: {values[pos:]}")
        pos = m.end()
        name, index, scalar, items = m.group("name", "index", "val", "vals")
        if name not in type_map:
            if ignore_unknown:
                continue
            raise ValueError(f"Unknown hyperparameter type for {name}")
        kind = type_map[name]
        parse: Callable[[str], Any] = _bool_parser(name, values) if kind is bool else kind
        if scalar is not None:
            try:
                value = parse(scalar)
            except ValueError:
                raise _parse_error(name, kind, scalar, values) from None
            if not index:
                if name in result:
                    raise _reuse_error(name, values)
                result[name] = value
                continue
            slot = result.setdefault(name, {})
            if not isinstance(slot, dict):
                raise _reuse_error(name, values)
            if int(index) in slot:
                raise _reuse_error(f"{name}[{int(index)}]", values)
            slot[int(index)] = value
        elif items is not None:
            if index is not None:
                raise ValueError("Assignment of a list to a list index.")
            if name in result:
                raise _reuse_error(name, values)
            try:
                result[name] = [parse(e) for e in re.split("[ ,]", items) if e]
            except ValueError:
                raise _parse_error(name, kind, items, values) from None
        else:
            raise _parse_error(name, kind, "", values)
    return result


def _cast(name: str, kind: type, value: Any) -> Any:
    """``value`` as ``kind`` when TF allows the conversion, else ``ValueError``."""
    if type(value) is kind:
        return value
    if issubclass(kind, type(None)):
        return value
    compatible = not (
        (issubclass(kind, (str, bytes)) and not isinstance(value, (str, bytes)))
        or issubclass(kind, bool) != isinstance(value, bool)
        or (issubclass(kind, numbers.Integral) and not isinstance(value, numbers.Integral))
        or (issubclass(kind, numbers.Number) and not isinstance(value, numbers.Number))
    )
    if not compatible:
        raise ValueError(f"Could not cast hparam '{name}' of type '{kind}' from value {value!r}")
    return kind(value)  # type: ignore[call-arg]


def _without_callables(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _without_callables(v) for k, v in x.items() if not callable(v)}
    if isinstance(x, list):
        return [_without_callables(v) for v in x if not callable(v)]
    return x


class HParams:
    """Hyperparameters as attributes, with types fixed at creation (``tf.contrib.training``).

    >>> hp = HParams(learning_rate=0.1, num_layers=2, activations=["relu", "tanh"])
    >>> hp.parse("learning_rate=0.3,activations=[relu,relu]").learning_rate
    0.3
    >>> print(hp)
    learning_rate=0.3,num_layers=2,activations=['relu', 'relu']
    """

    _HAS_DYNAMIC_ATTRIBUTES = True

    def __init__(self, hparam_def: Any = None, model_structure: Any = None, **kwargs: Any) -> None:
        self._hparam_types: dict[str, tuple[type, bool]] = {}
        self._model_structure = model_structure
        if hparam_def:
            raise UnsupportedError("HParams(hparam_def=...): the HParamDef protocol buffer")
        for name, value in kwargs.items():
            self.add_hparam(name, value)

    def add_hparam(self, name: str, value: Any) -> None:
        """Adds hyperparameter ``name``; its type is ``value``'s (a list's element type).

        Raises:
            ValueError: ``name`` is already an attribute (``Hyperparameter name is reserved``)
                or ``value`` is an empty list.
        """
        if getattr(self, name, None) is not None:
            raise ValueError(f"Hyperparameter name is reserved: {name}")
        if isinstance(value, (list, tuple)):
            if not value:
                raise ValueError(f"Multi-valued hyperparameters cannot be empty: {name}")
            self._hparam_types[name] = (type(value[0]), True)
        else:
            self._hparam_types[name] = (type(value), False)
        setattr(self, name, value)

    def set_hparam(self, name: str, value: Any) -> None:
        """Sets an existing hyperparameter, casting ``value`` to its type.

        Raises:
            KeyError: no hyperparameter ``name``.
            ValueError: a list for a single value, a non-list for a list, or an incompatible type.
        """
        kind, is_list = self._hparam_types[name]
        if isinstance(value, list):
            if not is_list:
                raise ValueError(f"Must not pass a list for single-valued parameter: {name}")
            setattr(self, name, [_cast(name, kind, v) for v in value])
        else:
            if is_list:
                raise ValueError(f"Must pass a list for multi-valued parameter: {name}.")
            setattr(self, name, _cast(name, kind, value))

    def del_hparam(self, name: str) -> None:
        """Removes hyperparameter ``name`` (nothing if there is none)."""
        if hasattr(self, name):
            delattr(self, name)
            del self._hparam_types[name]

    def parse(self, values: str) -> HParams:
        """Overrides values from TF's ``name=value,...`` text (see ``parse_values``)."""
        type_map = {name: kind for name, (kind, _) in self._hparam_types.items()}
        return self.override_from_dict(parse_values(values, type_map))

    def override_from_dict(self, values_dict: dict[str, Any]) -> HParams:
        """Sets each ``name: value`` with ``set_hparam``; returns ``self``."""
        for name, value in values_dict.items():
            self.set_hparam(name, value)
        return self

    def set_model_structure(self, model_structure: Any) -> None:
        """Stores an opaque model-structure object."""
        self._model_structure = model_structure

    def get_model_structure(self) -> Any:
        """The stored model-structure object."""
        return self._model_structure

    def to_json(self, indent: Any = None, separators: Any = None, sort_keys: bool = False) -> str:
        """The values as JSON (callable values are left out)."""
        return json.dumps(_without_callables(self.values()), indent=indent,
                          separators=separators, sort_keys=sort_keys)  # fmt: skip

    def parse_json(self, values_json: str) -> HParams:
        """Overrides values from a JSON object of ``name: value``."""
        return self.override_from_dict(json.loads(values_json))

    def values(self) -> dict[str, Any]:
        """``{name: value}`` in the order the hyperparameters were added."""
        return {name: getattr(self, name) for name in self._hparam_types}

    def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, else ``default`` (which must suit ``key``'s type if it exists).

        Raises:
            ValueError: ``default`` is not compatible with the hyperparameter's type.
        """
        if key not in self._hparam_types:
            return default
        if default is not None:
            kind, is_list = self._hparam_types[key]
            type_str = f"list<{kind}>" if is_list else str(kind)
            fail = f"Hparam '{key}' of type '{type_str}' is incompatible with default={default}"
            if is_list != isinstance(default, list):
                raise ValueError(fail)
            try:
                for v in default if is_list else [default]:
                    _cast(key, kind, v)
            except ValueError as e:
                raise ValueError(f"{fail}. {e}") from None
        return getattr(self, key)

    def to_proto(self, export_scope: Any = None) -> Any:
        """Raises ``UnsupportedError``: the ``HParamDef`` protocol buffer is not provided."""
        raise UnsupportedError("HParams.to_proto: the HParamDef protocol buffer")

    @staticmethod
    def from_proto(hparam_def: Any, import_scope: Any = None) -> HParams:
        """Raises ``UnsupportedError``: the ``HParamDef`` protocol buffer is not provided."""
        raise UnsupportedError("HParams.from_proto: the HParamDef protocol buffer")

    def __contains__(self, key: str) -> bool:
        return key in self._hparam_types

    def __str__(self) -> str:
        return ",".join(f"{k}={v}" for k, v in self.values().items())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({sorted(self.values().items())})"


__all__ = ["HParams", "parse_values"]
