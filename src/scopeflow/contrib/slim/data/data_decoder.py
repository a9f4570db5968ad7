"""``slim.data_decoder``: the interface a dataset's decoder implements.

A decoder turns one encoded record (a serialized ``tf.train.Example``, say) into the tensors of
the items asked for. ``TFExampleDecoder`` is the implementation slim ships.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import abc
from typing import Any


class DataDecoder(abc.ABC):
    """Decodes one record of a data source into the tensors of named items."""

    @abc.abstractmethod
    def decode(self, data: Any, items: Any) -> list[Any]:
        """The tensors of ``items`` (a list of item names) decoded from ``data``.

        Raises:
            ValueError: an item cannot be decoded.
        """

    @abc.abstractmethod
    def list_items(self) -> Any:
        """The names of the items this decoder can decode."""


__all__ = ["DataDecoder"]
