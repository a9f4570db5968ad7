"""``slim.dataset_data_provider``: a ``DataProvider`` reading and decoding a ``Dataset``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.contrib.slim.data import data_provider, parallel_reader


class DatasetDataProvider(data_provider.DataProvider):
    """Reads ``dataset``'s files with ``parallel_read`` and decodes every item of each record.

    The items are the decoder's ``list_items()`` plus ``record_key`` (the reader's key). With
    ``num_epochs`` set, ``string_input_producer`` creates a local ``epochs`` counter: run
    ``local_variables_initializer()``.
    """

    def __init__(
        self,
        dataset: Any,
        num_readers: int = 1,
        reader_kwargs: dict[str, Any] | None = None,
        shuffle: bool = True,
        num_epochs: int | None = None,
        common_queue_capacity: int = 256,
        common_queue_min: int = 128,
        record_key: str = "record_key",
        seed: int | None = None,
        scope: str | None = None,
    ) -> None:
        """Builds the reading and decoding graph (see ``parallel_reader.parallel_read``).

        Raises:
            ValueError: ``record_key`` is also one of the dataset's items.
        """
        key, data = parallel_reader.parallel_read(
            dataset.data_sources,
            reader_class=dataset.reader,
            num_epochs=num_epochs,
            num_readers=num_readers,
            reader_kwargs=reader_kwargs,
            shuffle=shuffle,
            capacity=common_queue_capacity,
            min_after_dequeue=common_queue_min,
            seed=seed,
            scope=scope,
        )
        items = dataset.decoder.list_items()
        tensors = dataset.decoder.decode(data, items)
        items_to_tensors = dict(zip(items, tensors, strict=True))
        if record_key in items_to_tensors:
            raise ValueError(
                "The item name used for `record_key` cannot also be used for a dataset item: "
                f"{record_key}"
            )
        items_to_tensors[record_key] = key
        super().__init__(items_to_tensors=items_to_tensors, num_samples=dataset.num_samples)


__all__ = ["DatasetDataProvider"]
