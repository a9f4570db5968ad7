"""``tf.name_scope`` (v1 signature) and ``tf.get_name_scope`` over the default graph.

Must not import torch or any scopeflow layer above ``_core``.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from scopeflow._core.graph_state import get_default_graph


class name_scope:
    """A context manager that pushes a name scope onto the default graph's name stack.

    ``name_scope(name, default_name=None, values=None)``: ``default_name`` is used when ``name``
    is None. A name ending in ``/`` re-enters that scope absolutely; ``None``/``''`` resets to the
    root. ``values`` only selects the graph in TF; here all values live in the default graph.

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.name_scope("a") as s1, tf.name_scope("a") as s2:
    ...     print(s1, s2)
    a/ a/a/
    """

    __slots__ = ("_cm", "_default_name", "_name", "_values")

    def __init__(
        self, name: str | None, default_name: str | None = None, values: Any = None
    ) -> None:
        if not (default_name is None or isinstance(default_name, str)):
            raise TypeError(
                f"`default_name` type ({type(default_name)}) is not a string type. You likely "
                "meant to pass this into the `values` kwarg."
            )
        self._name = default_name if name is None else name
        self._default_name = default_name
        self._values = values
        self._cm: Any = None

    @property
    def name(self) -> str | None:
        """The requested name (``default_name`` when ``name`` was None)."""
        return self._name

    def __enter__(self) -> str:
        if self._name is None and self._values is not None:
            raise ValueError(
                f"At least one of name ({self._name}) and default_name "
                f"({self._default_name}) must be provided."
            )
        self._cm = get_default_graph().name_scope(self._name)
        return self._cm.__enter__()  # type: ignore[no-any-return]

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._cm.__exit__(exc_type, exc, tb)


def get_name_scope() -> str:
    """The current name scope of the default graph, without a trailing slash."""
    return get_default_graph().get_name_scope()  # type: ignore[no-any-return]


__all__ = ["get_name_scope", "name_scope"]
