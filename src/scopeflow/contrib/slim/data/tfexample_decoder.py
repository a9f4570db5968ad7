"""``slim.tfexample_decoder``: decodes ``tf.train.Example`` protos into named items.

Decoding has two stages, as in TF 1.15: ``parse_single_example`` with the dataset's
``keys_to_features`` (``FixedLenFeature`` results reshaped to their declared shape), then one
``ItemHandler`` per item turns the parsed tensors of its keys into the item's tensor (an image
decoded by format, a reshaped or densified tensor, bounding boxes, a table lookup, ...).
``TFSequenceExampleDecoder`` does the same for ``tf.train.SequenceExample``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow.contrib.slim.data import data_decoder
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops import (
    array_ops,
    check_ops,
    control_flow_ops,
    functional_ops,
    image_codec_ops,
    math_ops,
    parsing_ops,
    raw_io_ops,
    reduction_ops,
    sequence_parsing_ops,
    shape_ops,
    sparse_ops,
    sparse_reshape_ops,
)
from scopeflow.ops.api_c_sparse_ops import sparse_concat
from scopeflow.ops.constant_op import constant
from scopeflow.ops.sparse_ops import SparseTensor as _SparseTensor


class ItemHandler(abc.ABC):
    """Names the features an item needs and turns their parsed tensors into the item."""

    def __init__(self, keys: Any) -> None:
        """``keys``: the feature key (or list of keys) the item is made from."""
        if not isinstance(keys, (tuple, list)):
            keys = [keys]
        self._keys = keys

    @property
    def keys(self) -> Any:
        """The feature keys this handler reads."""
        return self._keys

    @abc.abstractmethod
    def tensors_to_item(self, keys_to_tensors: dict[str, Any]) -> Any:
        """The item's tensor from ``{key: parsed tensor}`` of this handler's keys."""


class ItemHandlerCallback(ItemHandler):
    """An item computed by ``func({key: parsed tensor})``."""

    def __init__(self, keys: Any, func: Callable[[dict[str, Any]], Any]) -> None:
        """``func`` receives the parsed tensors of ``keys``."""
        super().__init__(keys)
        self._func = func

    def tensors_to_item(self, keys_to_tensors: dict[str, Any]) -> Any:
        """``func(keys_to_tensors)``."""
        return self._func(keys_to_tensors)


def _sparse_values(tensor: Any) -> Any:
    return tensor.values if isinstance(tensor, _SparseTensor) else tensor


def _to_dense(tensor: Any) -> Any:
    if isinstance(tensor, _SparseTensor):
        return sparse_ops.sparse_tensor_to_dense(tensor)
    return tensor


class BoundingBox(ItemHandler):
    """``[num_boxes, 4]`` boxes (``ymin, xmin, ymax, xmax``) from four per-side features."""

    def __init__(self, keys: Any = None, prefix: str = "") -> None:
        """``keys`` default to ``ymin, xmin, ymax, xmax``; each is read as ``prefix + key``.

        Raises:
            ValueError: ``keys`` is given and does not have 4 entries.
        """
        if keys is None:
            keys = ["ymin", "xmin", "ymax", "xmax"]
        elif len(keys) != 4:
            raise ValueError(f"BoundingBox expects 4 keys but got {len(keys)}")
        self._prefix = prefix
        self._keys = keys
        self._full_keys = [prefix + k for k in keys]
        super().__init__(self._full_keys)

    def tensors_to_item(self, keys_to_tensors: dict[str, Any]) -> Any:
        """The sides stacked as rows (``ExpandDims`` + ``concat``), then transposed."""
        sides = [
            shape_ops.expand_dims(_sparse_values(keys_to_tensors[key]), 0)
            for key in self._full_keys
        ]
        return shape_ops.transpose(array_ops.concat(sides, 0))


class Tensor(ItemHandler):
    """A parsed feature, reshaped to ``shape`` or to the values of ``shape_keys``, densified."""

    def __init__(
        self, tensor_key: str, shape_keys: Any = None, shape: Any = None, default_value: Any = 0
    ) -> None:
        """``default_value`` fills a sparse feature's missing entries when it is densified.

        Raises:
            ValueError: both ``shape_keys`` and ``shape`` are given.
        """
        if shape_keys and shape is not None:
            raise ValueError("Cannot specify both shape_keys and shape parameters.")
        if shape_keys and not isinstance(shape_keys, list):
            shape_keys = [shape_keys]
        self._tensor_key = tensor_key
        self._shape_keys = shape_keys
        self._shape = shape
        self._default_value = default_value
        keys = [tensor_key]
        if shape_keys:
            keys.extend(shape_keys)
        super().__init__(keys)

    def tensors_to_item(self, keys_to_tensors: dict[str, Any]) -> Any:
        """The feature's tensor, reshaped (``SparseReshape`` for a sparse one) and dense."""
        tensor = keys_to_tensors[self._tensor_key]
        shape = self._shape
        if self._shape_keys:
            dims = [_to_dense(keys_to_tensors[k]) for k in self._shape_keys]
            shape = array_ops.reshape(array_ops.stack(dims), [-1])
        if isinstance(tensor, _SparseTensor):
            if shape is not None:
                tensor = sparse_reshape_ops.sparse_reshape(tensor, shape)
            return sparse_ops.sparse_tensor_to_dense(tensor, self._default_value)
        if shape is not None:
            tensor = array_ops.reshape(tensor, shape)
        return tensor


class LookupTensor(Tensor):
    """A ``Tensor`` item mapped through a lookup ``table`` (``table.lookup``)."""

    def __init__(
        self,
        tensor_key: str,
        table: Any,
        shape_keys: Any = None,
        shape: Any = None,
        default_value: Any = "",
    ) -> None:
        """As ``Tensor``, plus the ``tf.lookup`` table the values are looked up in."""
        self._table = table
        super().__init__(tensor_key, shape_keys, shape, default_value)

    def tensors_to_item(self, keys_to_tensors: dict[str, Any]) -> Any:
        """``table.lookup`` of the ``Tensor`` item."""
        return self._table.lookup(super().tensors_to_item(keys_to_tensors))


class BackupHandler(ItemHandler):
    """``handler``'s item, or ``backup``'s when that item has no elements (a ``cond``)."""

    def __init__(self, handler: ItemHandler, backup: ItemHandler) -> None:
        """Both must be ``ItemHandler``s.

        Raises:
            ValueError: ``handler`` or ``backup`` is not an ``ItemHandler``.
        """
        if not isinstance(handler, ItemHandler):
            raise ValueError(f"Primary handler is of type {type(handler)} instead of ItemHandler")
        if not isinstance(backup, ItemHandler):
            raise ValueError(f"Backup handler is of type {type(backup)} instead of ItemHandler")
        self._handler = handler
        self._backup = backup
        super().__init__(handler.keys + backup.keys)

    def tensors_to_item(self, keys_to_tensors: dict[str, Any]) -> Any:
        """``cond(reduce_prod(shape(item)) == 0, backup, item)``."""
        item = self._handler.tensors_to_item(keys_to_tensors)
        return control_flow_ops.cond(
            pred=math_ops.equal(reduction_ops.reduce_prod(array_ops.shape(item)), 0),
            true_fn=lambda: self._backup.tensors_to_item(keys_to_tensors),
            false_fn=lambda: item,
        )


class SparseTensor(ItemHandler):
    """A ``SparseTensor`` whose last index column comes from the values of an ids feature."""

    def __init__(
        self,
        indices_key: str | None = None,
        values_key: str | None = None,
        shape_key: str | None = None,
        shape: Any = None,
        densify: bool = False,
        default_value: Any = 0,
    ) -> None:
        """Keys default to ``indices`` and ``values``.

        ``shape_key`` (else ``shape``, else the ids' dense shape) gives the dense shape;
        ``densify`` returns a dense tensor filled with ``default_value``.
        """
        indices_key = indices_key or "indices"
        values_key = values_key or "values"
        self._indices_key = indices_key
        self._values_key = values_key
        self._shape_key = shape_key
        self._shape = shape
        self._densify = densify
        self._default_value = default_value
        keys = [indices_key, values_key]
        if shape_key:
            keys.append(shape_key)
        super().__init__(keys)

    def tensors_to_item(self, keys_to_tensors: dict[str, Any]) -> Any:
        """The ids' indices with their last column replaced by the ids, and the values."""
        indices = keys_to_tensors[self._indices_key]
        values = keys_to_tensors[self._values_key]
        if self._shape_key:
            shape = _to_dense(keys_to_tensors[self._shape_key])
        elif self._shape:
            shape = self._shape
        else:
            shape = indices.dense_shape
        rank = array_ops.shape(indices.indices)[1]
        ids = math_ops.cast(indices.values, dtypes.int64)
        kept_columns = array_ops.slice(indices.indices, [0, 0], array_ops.stack([-1, rank - 1]))
        new_indices = array_ops.concat([kept_columns, array_ops.reshape(ids, [-1, 1])], 1)
        tensor = _SparseTensor(new_indices, values.values, shape)
        if self._densify:
            return sparse_ops.sparse_tensor_to_dense(tensor, self._default_value)
        return tensor


class Image(ItemHandler):
    """An image decoded from its encoded bytes by its format feature.

    A ``tf.case``: raw bytes (``decode_raw``), else JPEG (``decode_jpeg`` with ``dct_method``)
    when the bytes start like one, else ``decode_image``.
    """

    def __init__(
        self,
        image_key: str | None = None,
        format_key: str | None = None,
        shape: Any = None,
        channels: int = 3,
        dtype: Any = dtypes.uint8,
        repeated: bool = False,
        dct_method: str = "",
    ) -> None:
        """Keys default to ``image/encoded`` and ``image/format``.

        ``shape`` reshapes the decoded image (give it only when all images share it);
        ``repeated`` decodes a vector of encoded images with ``map_fn``.
        """
        image_key = image_key or "image/encoded"
        format_key = format_key or "image/format"
        super().__init__([image_key, format_key])
        self._image_key = image_key
        self._format_key = format_key
        self._shape = shape
        self._channels = channels
        self._dtype = dtype
        self._repeated = repeated
        self._dct_method = dct_method

    def tensors_to_item(self, keys_to_tensors: dict[str, Any]) -> Any:
        """The decoded image (``[None, None, channels]``, or ``shape``)."""
        image_buffer = keys_to_tensors[self._image_key]
        image_format = keys_to_tensors[self._format_key]
        if self._repeated:
            return functional_ops.map_fn(
                lambda x: self._decode(x, image_format), image_buffer, dtype=self._dtype
            )
        return self._decode(image_buffer, image_format)

    def _decode(self, image_buffer: Any, image_format: Any) -> Any:
        def decode_image() -> Any:
            # TF 1.15 (and tf-slim 1.1) cast the 8-bit pixels: no rescaling to ``dtype``'s range
            decoded = image_codec_ops.decode_image(image_buffer, channels=self._channels)
            return math_ops.cast(decoded, self._dtype)

        def decode_jpeg() -> Any:
            decoded = image_codec_ops.decode_jpeg(
                image_buffer, channels=self._channels, dct_method=self._dct_method
            )
            return math_ops.cast(decoded, self._dtype)

        def check_jpeg() -> Any:
            return control_flow_ops.cond(
                image_codec_ops.is_jpeg(image_buffer), decode_jpeg, decode_image, name="cond_jpeg"
            )

        def decode_raw() -> Any:
            return raw_io_ops.decode_raw(image_buffer, out_type=self._dtype)

        is_raw = math_ops.logical_or(
            math_ops.equal(image_format, "raw"), math_ops.equal(image_format, "RAW")
        )
        image = control_flow_ops.case([(is_raw, decode_raw)], default=check_jpeg, exclusive=True)
        image.set_shape([None, None, self._channels])
        if self._shape is not None:
            image = array_ops.reshape(image, self._shape)
        return image


def _sparse_with_trailing_one(value: Any) -> Any:
    """``value`` (a ``SparseTensor``) reshaped to its dense shape plus a trailing 1."""
    expanded_dims = array_ops.concat(
        [math_ops.to_int64(array_ops.shape(value)), constant([1], dtype=dtypes.int64)], 0
    )
    return sparse_reshape_ops.sparse_reshape(value, expanded_dims)


class BoundingBoxSequence(ItemHandler):
    """``[time, num_boxes, 4]`` boxes from four sparse per-side sequence features."""

    def __init__(
        self,
        keys: Any = None,
        prefix: Any = None,
        return_dense: bool = True,
        default_value: float = -1.0,
    ) -> None:
        """``keys`` default to ``ymin, xmin, ymax, xmax``, read as ``prefix + key``.

        Raises:
            ValueError: ``keys`` is given and does not have 4 entries.
        """
        if keys is None:
            keys = ["ymin", "xmin", "ymax", "xmax"]
        elif len(keys) != 4:
            raise ValueError(f"BoundingBoxSequence expects 4 keys but got {len(keys)}")
        self._prefix = prefix
        self._keys = keys
        self._full_keys = [prefix + k for k in keys]
        self._return_dense = return_dense
        self._default_value = default_value
        super().__init__(self._full_keys)

    def tensors_to_item(self, keys_to_tensors: dict[str, Any]) -> Any:
        """The sides concatenated along a new last axis; dense (``default_value``) or sparse."""
        sides = [_sparse_with_trailing_one(keys_to_tensors[key]) for key in self._full_keys]
        boxes = sparse_concat(2, sides)
        if self._return_dense:
            return sparse_ops.sparse_tensor_to_dense(boxes, default_value=self._default_value)
        return boxes


class NumBoxesSequence(ItemHandler):
    """``int64 [time]``: boxes per frame of 2-D sparse ``[time, boxes]`` features."""

    def __init__(self, keys: Any = None, check_consistency: bool = True) -> None:
        """The first key decides; ``check_consistency`` asserts the others agree at run time.

        Raises:
            ValueError: ``keys`` is empty.
        """
        if not keys:
            raise ValueError("keys must not be empty.")
        self._check_consistency = check_consistency
        super().__init__(keys)

    def tensors_to_item(self, keys_to_tensors: dict[str, Any]) -> Any:
        """The per-frame box counts (with ``assert_equal`` control dependencies).

        Raises:
            ValueError: a keyed tensor is not a ``SparseTensor``.
        """

        def num_boxes_of(tensor: Any) -> Any:
            if not isinstance(tensor, _SparseTensor):
                raise ValueError("tensor must be of type tf.SparseTensor.")
            sparse_ids = _SparseTensor(
                indices=tensor.indices, values=tensor.indices[:, 1], dense_shape=tensor.dense_shape
            )
            box_ids = sparse_ops.sparse_tensor_to_dense(sparse_ids, default_value=-1)
            padded = shape_ops.pad(box_ids + 1, [[0, 0], [0, 1]])
            return reduction_ops.reduce_max(padded, axis=1)

        num_boxes = num_boxes_of(keys_to_tensors[self._keys[0]])
        asserts = []
        if self._check_consistency:
            for key in self._keys[1:]:
                other = num_boxes_of(keys_to_tensors[key])
                asserts.append(check_ops.assert_equal(num_boxes, other))
        with get_default_graph().control_dependencies(asserts):
            return array_ops.identity(num_boxes)


class KeypointsSequence(ItemHandler):
    """``[time, num_keypoints, 2]`` keypoints (``y, x``) from two sparse sequence features."""

    def __init__(
        self,
        keys: Any = None,
        prefix: Any = None,
        return_dense: bool = True,
        default_value: float = -1.0,
    ) -> None:
        """``keys`` default to ``y, x``, read as ``prefix + key``.

        Raises:
            ValueError: ``keys`` is given and does not have 2 entries.
        """
        if keys is None:
            keys = ["y", "x"]
        elif len(keys) != 2:
            raise ValueError(f"KeypointsSequence expects 2 keys but got {len(keys)}")
        self._prefix = prefix
        self._keys = keys
        self._full_keys = [prefix + k for k in keys]
        self._return_dense = return_dense
        self._default_value = default_value
        super().__init__(self._full_keys)

    def tensors_to_item(self, keys_to_tensors: dict[str, Any]) -> Any:
        """The coordinates concatenated along a new last axis; dense or sparse."""
        coordinates = [_sparse_with_trailing_one(keys_to_tensors[k]) for k in self._full_keys]
        keypoints = sparse_concat(2, coordinates)
        if self._return_dense:
            return sparse_ops.sparse_tensor_to_dense(keypoints, default_value=self._default_value)
        return keypoints


def _decode_items(handlers: dict[str, ItemHandler], items: Any, lookup: Any) -> list[Any]:
    if not items:
        items = handlers.keys()
    outputs = []
    for item in items:
        handler = handlers[item]
        outputs.append(handler.tensors_to_item({key: lookup(key) for key in handler.keys}))
    return outputs


class TFExampleDecoder(data_decoder.DataDecoder):
    """Decodes a serialized ``tf.train.Example`` into the items of ``items_to_handlers``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.slim.data import tfexample_decoder as ted
    >>> decoder = ted.TFExampleDecoder(
    ...     {"label": tf.FixedLenFeature([], tf.int64)}, {"label": ted.Tensor("label")})
    >>> [label] = decoder.decode(tf.placeholder(tf.string, []), ["label"])
    >>> print(label.name)
    Reshape:0
    """

    def __init__(self, keys_to_features: dict[str, Any], items_to_handlers: dict[str, Any]) -> None:
        """``keys_to_features``: the ``parse_example`` specs; ``items_to_handlers``: the items."""
        self._keys_to_features = keys_to_features
        self._items_to_handlers = items_to_handlers

    def list_items(self) -> list[str]:
        """The item names."""
        return list(self._items_to_handlers.keys())

    def decode(self, serialized_example: Any, items: Any = None) -> list[Any]:
        """The tensors of ``items`` (default: all) of one serialized example."""
        example = parsing_ops.parse_single_example(serialized_example, self._keys_to_features)
        for key in sorted(self._keys_to_features):
            spec = self._keys_to_features[key]
            if isinstance(spec, parsing_ops.FixedLenFeature):
                example[key] = array_ops.reshape(example[key], spec.shape)
        return _decode_items(self._items_to_handlers, items, example.__getitem__)


class TFSequenceExampleDecoder(data_decoder.DataDecoder):
    """Decodes a serialized ``tf.train.SequenceExample`` (context and sequence features)."""

    def __init__(
        self,
        keys_to_context_features: dict[str, Any],
        keys_to_sequence_features: dict[str, Any],
        items_to_handlers: dict[str, Any],
    ) -> None:
        """The context and sequence feature specs and the items.

        Raises:
            ValueError: a key is both a context and a sequence feature.
        """
        unique_keys = set(keys_to_context_features) | set(keys_to_sequence_features)
        if len(unique_keys) != len(keys_to_context_features) + len(keys_to_sequence_features):
            raise ValueError(
                "Context and sequence keys are not unique. \n"
                f" Context keys: {list(keys_to_context_features.keys())} \n"
                f" Sequence keys: {list(keys_to_sequence_features.keys())}"
            )
        self._keys_to_context_features = keys_to_context_features
        self._keys_to_sequence_features = keys_to_sequence_features
        self._items_to_handlers = items_to_handlers

    def list_items(self) -> Any:
        """The item names."""
        return self._items_to_handlers.keys()

    def decode(self, serialized_example: Any, items: Any = None) -> list[Any]:
        """The tensors of ``items`` (default: all) of one serialized sequence example."""
        context, feature_list = sequence_parsing_ops.parse_single_sequence_example(
            serialized_example, self._keys_to_context_features, self._keys_to_sequence_features
        )
        for key, spec in self._keys_to_context_features.items():
            if isinstance(spec, parsing_ops.FixedLenFeature):
                context[key] = array_ops.reshape(context[key], spec.shape)
        return _decode_items(
            self._items_to_handlers,
            items,
            lambda key: context[key] if key in context else feature_list[key],
        )


__all__ = [
    "BackupHandler",
    "BoundingBox",
    "BoundingBoxSequence",
    "Image",
    "ItemHandler",
    "ItemHandlerCallback",
    "KeypointsSequence",
    "LookupTensor",
    "NumBoxesSequence",
    "SparseTensor",
    "TFExampleDecoder",
    "TFSequenceExampleDecoder",
    "Tensor",
]
