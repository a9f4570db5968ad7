"""``slim.dataset``: a dataset's description (files, reader class, decoder, size, items).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any


class Dataset:
    """A dataset specification: its fields are attributes (``dataset.num_samples``).

    >>> from scopeflow.contrib.slim.data.dataset import Dataset
    >>> d = Dataset(["a.tfrecord"], None, None, 10, {"image": "an image"}, num_classes=5)
    >>> d.num_samples, d.num_classes
    (10, 5)
    """

    def __init__(
        self,
        data_sources: Any,
        reader: Any,
        decoder: Any,
        num_samples: int,
        items_to_descriptions: Any,
        **kwargs: Any,
    ) -> None:
        """The five standard fields, plus any dataset-specific ones as keyword arguments."""
        kwargs.update(
            data_sources=data_sources,
            reader=reader,
            decoder=decoder,
            num_samples=num_samples,
            items_to_descriptions=items_to_descriptions,
        )
        self.__dict__.update(kwargs)


__all__ = ["Dataset"]
