"""The ``Predictor`` base of ``tf.contrib.predictor``: a session and named feeds and fetches.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import abc
from typing import Any

__all__ = ["Predictor"]


class Predictor(abc.ABC):
    """Runs a graph's fetch tensors for a dict of inputs (``predictor({"x": ...})``)."""

    _graph: Any
    _session: Any
    _feed_tensors: dict[str, Any]
    _fetch_tensors: dict[str, Any]

    @property
    def graph(self) -> Any:
        """The graph the predictor runs."""
        return self._graph

    @property
    def session(self) -> Any:
        """The session holding the restored variables."""
        return self._session

    @property
    def feed_tensors(self) -> dict[str, Any]:
        """Input name -> tensor fed."""
        return self._feed_tensors

    @property
    def fetch_tensors(self) -> dict[str, Any]:
        """Output name -> tensor fetched."""
        return self._fetch_tensors

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__} with feed tensors {self._feed_tensors} and fetch_tensors "
            f"{self._fetch_tensors}"
        )

    def __call__(self, input_dict: dict[str, Any]) -> dict[str, Any]:
        """The fetch tensors' values for ``input_dict`` (keys among ``feed_tensors``).

        Raises:
            ValueError: keys that are not inputs (TF's message).
        """
        unexpected = set(input_dict) - set(self.feed_tensors)
        if unexpected:
            raise ValueError(f"Got unexpected keys in input_dict: {unexpected}")
        feed_dict = {
            self.feed_tensors[key]: input_dict[key]
            for key in self.feed_tensors
            if input_dict.get(key) is not None
        }
        return self._session.run(fetches=self.fetch_tensors, feed_dict=feed_dict)  # type: ignore[no-any-return]
