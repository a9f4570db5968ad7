"""``slim.data_provider``: the interface that maps item names to the tensors of a data source.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import abc
from typing import Any


class DataProvider(abc.ABC):  # noqa: B024 (TF's abstract base has no abstract method)
    """Provides a tensor for each named item of a data source (``provider.get(["image"])``)."""

    def __init__(self, items_to_tensors: dict[str, Any], num_samples: int) -> None:
        """``items_to_tensors`` maps item names to tensors; ``num_samples`` is the source's size."""
        self._items_to_tensors = items_to_tensors
        self._num_samples = num_samples

    def get(self, items: Any) -> list[Any]:
        """The tensors of ``items``, in their order.

        Raises:
            ValueError: ``items`` is not a list or tuple, or names an unknown item.
        """
        self._validate_items(items)
        return [self._items_to_tensors[item] for item in items]

    def list_items(self) -> Any:
        """The item names ``get`` accepts."""
        return self._items_to_tensors.keys()

    def num_samples(self) -> int:
        """The number of samples in the data source."""
        return self._num_samples

    def _validate_items(self, items: Any) -> None:
        if not isinstance(items, (list, tuple)):
            raise ValueError("items must be a list or tuple")
        valid_items = self.list_items()
        for item in items:
            if item not in valid_items:
                raise ValueError(f"Item [{item}] is invalid. Valid entries include: {valid_items}")


__all__ = ["DataProvider"]
