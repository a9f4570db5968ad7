"""``tf.data.Iterator``: one-shot, initializable and reinitializable iterators as graph ops.

An iterator is a resource op (``OneShotIterator`` or ``IteratorV2``, named as TF names them);
``get_next()`` is an ``IteratorGetNext`` op and ``initializer``/``make_initializer`` a
``MakeIterator`` op. Those ops take the tensors the pipeline reads as inputs, so a session runs
them (and feeds placeholders) like any other op. Each session keeps its own iterator state, as
TF's resources are per session. At the end of the data ``get_next`` raises
``OutOfRangeError("End of sequence")``. Feedable iterators: ``string_handle()`` evaluates to a
token naming the iterator in its session, and ``from_string_handle(handle, ...)`` reads
whichever iterator the fed token names.

Must not import ``scopeflow.compat``, ``scopeflow.cli`` or ``scopeflow.run``.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.data.dataset_ops import Dataset, _Context, _Spec
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import nest

_NOT_INITIALIZED = (
    "GetNext() failed because the iterator has not been initialized. Ensure that you have run "
    "the initializer operation for this iterator before getting the next element."
)


class Iterator:
    """Pulls elements of a dataset in a session (``tf.data.Iterator``)."""

    def __init__(
        self,
        resource: Tensor,
        structure: Any,
        dataset: Dataset | None,
        initializer: Operation | None = None,
    ) -> None:
        self._resource = resource
        self._structure = structure
        self._dataset = dataset
        self._initializer = initializer
        # TF creates every iterator's IteratorToStringHandle op with the iterator
        self._string_handle = _to_string_handle(resource, None)

    # --- construction ---------------------------------------------------------------------
    @classmethod
    def _one_shot(cls, dataset: Dataset) -> Iterator:
        g = get_default_graph()
        caps = dataset._all_captures()
        op = g._create_op(
            "OneShotIterator", caps, {"_dataset": dataset}, "OneShotIterator",
            (dtypes.resource,), (TensorShape([]),),
        )  # fmt: skip
        return cls(op._outputs[0], dataset._structure, dataset)

    @classmethod
    def _initializable(cls, dataset: Dataset) -> Iterator:
        resource = cls._new_resource()
        init = _initializer_op(resource, dataset._structure, dataset, None)
        return cls(resource, dataset._structure, None, init)

    @staticmethod
    def _new_resource() -> Tensor:
        g = get_default_graph()
        op = g._create_op("IteratorV2", (), {}, "Iterator", (dtypes.resource,), (TensorShape([]),))
        return op._outputs[0]

    @classmethod
    def _resource_op(cls, structure: Any) -> Iterator:
        return cls(cls._new_resource(), structure, None)

    @staticmethod
    def from_structure(
        output_types: Any,
        output_shapes: Any = None,
        shared_name: Any = None,
        output_classes: Any = None,
    ) -> Iterator:
        """A reinitializable iterator for any dataset with this element structure."""
        types_flat = [dtypes.as_dtype(t).base_dtype for t in nest.flatten(output_types)]
        if output_shapes is None:
            shapes_flat = [TensorShape(None)] * len(types_flat)
        else:
            shapes_flat = [as_shape(s) for s in nest.flatten_up_to(output_types, output_shapes)]
        specs = [_Spec(t, s) for t, s in zip(types_flat, shapes_flat, strict=True)]
        return Iterator._resource_op(nest.pack_sequence_as(output_types, specs))

    # --- structure ------------------------------------------------------------------------
    @property
    def output_types(self) -> Any:
        """The nested structure of element dtypes."""
        return nest.map_structure(lambda s: s.dtype, self._structure)

    @property
    def output_shapes(self) -> Any:
        """The nested structure of element static shapes."""
        return nest.map_structure(lambda s: s.shape, self._structure)

    @property
    def output_classes(self) -> Any:
        """``Tensor`` for every component."""
        return nest.map_structure(lambda s: Tensor, self._structure)

    @property
    def initializer(self) -> Operation:
        """The op (re)starting the iterator on its dataset."""
        if self._initializer is None:
            raise ValueError(
                "Iterator does not have an initializer. This iterator was created with "
                "make_one_shot_iterator() or from_structure()."
                if self._dataset is not None
                else "Iterator does not have an initializer."
            )
        return self._initializer

    def _make_initializer_op(self, dataset: Dataset, name: str | None) -> Operation:
        return _initializer_op(self._resource, self._structure, dataset, name)

    def make_initializer(self, dataset: Dataset, name: str | None = None) -> Operation:
        """An op that starts this iterator on ``dataset`` (same element structure)."""
        return self._make_initializer_op(dataset, name)

    def get_next(self, name: str | None = None) -> Any:
        """The next element, as tensors; running it past the end raises ``OutOfRangeError``."""
        g = get_default_graph()
        specs = nest.flatten(self._structure)
        op = g._create_op(
            "IteratorGetNext", (self._resource,), {}, name or "IteratorGetNext",
            [s.dtype for s in specs], [s.shape for s in specs],
        )  # fmt: skip
        return nest.pack_sequence_as(self._structure, list(op._outputs))

    def string_handle(self, name: str | None = None) -> Tensor:
        """A string scalar naming this iterator, for ``from_string_handle`` (feedable iterators).

        The value is an opaque token valid in the session that produced it (TF's is a
        serialized ``ResourceHandle``; both are only meant to be fed back).
        """
        if name is None:
            return self._string_handle
        return _to_string_handle(self._resource, name)

    @staticmethod
    def from_string_handle(
        string_handle: Any, output_types: Any, output_shapes: Any = None, output_classes: Any = None
    ) -> Iterator:
        """An iterator that reads whichever iterator ``string_handle`` names at run time.

        ``string_handle`` is usually a string placeholder fed with the value of another
        iterator's ``string_handle()`` (TF's feedable iterator).
        """
        types_flat = [dtypes.as_dtype(t).base_dtype for t in nest.flatten(output_types)]
        if output_shapes is None:
            shapes_flat = [TensorShape(None)] * len(types_flat)
        else:
            shapes_flat = [as_shape(s) for s in nest.flatten_up_to(output_types, output_shapes)]
        specs = [_Spec(t, s) for t, s in zip(types_flat, shapes_flat, strict=True)]
        handle = convert_to_tensor(string_handle, dtype=dtypes.string)
        op = get_default_graph()._create_op(
            "IteratorFromStringHandleV2", (handle,),
            {"output_types": tuple(types_flat), "output_shapes": tuple(shapes_flat)},
            "IteratorFromStringHandleV2", (dtypes.resource,), (TensorShape([]),),
        )  # fmt: skip
        return Iterator(op._outputs[0], nest.pack_sequence_as(output_types, specs), None)


def _initializer_op(
    resource: Tensor, structure: Any, dataset: Dataset, name: str | None
) -> Operation:
    """A ``MakeIterator`` op starting ``resource`` on ``dataset`` (same element structure)."""
    mine = nest.map_structure(lambda s: s.dtype, structure)
    theirs = dataset.output_types
    if nest.flatten(mine) != nest.flatten(theirs):
        raise TypeError(
            f"Expected output types {mine!r} but got dataset with output types {theirs!r}."
        )
    my_shapes = nest.map_structure(lambda s: s.shape, structure)
    for a, b in zip(nest.flatten(my_shapes), nest.flatten(dataset.output_shapes), strict=True):
        if not a.is_compatible_with(b):
            raise TypeError(
                f"Expected output shapes compatible with {my_shapes!r} but got "
                f"dataset with output shapes {dataset.output_shapes!r}."
            )
    g = get_default_graph()
    caps = dataset._all_captures()
    return g._create_op(
        "MakeIterator", (resource, *caps), {"_dataset": dataset}, name or "MakeIterator", (), (),
    )  # fmt: skip


def _to_string_handle(resource: Tensor, name: str | None) -> Tensor:
    op = get_default_graph()._create_op(
        "IteratorToStringHandle", (resource,), {}, name or "IteratorToStringHandle",
        (dtypes.string,), (TensorShape([]),),
    )  # fmt: skip
    return op._outputs[0]


def _state(session: Any, resource_op: Operation) -> dict[str, Any]:
    return session._op_state_for(resource_op, dict)  # type: ignore[no-any-return]


def _start(session: Any, st: dict[str, Any], dataset: Dataset, values: list[Any]) -> None:
    caps = dataset._all_captures()
    ctx = _Context({id(t): v for t, v in zip(caps, values, strict=True)}, session, st)
    st["iter"] = dataset._iter(ctx)


_handles: weakref.WeakValueDictionary[bytes, Operation] = weakref.WeakValueDictionary()


@register_kernel("IteratorToStringHandle", stateful=True)
def _to_string_handle_kernel(op: Operation, session: Any) -> Any:
    def kernel(resource: Operation) -> Any:
        token = f"scopeflow-iterator:{id(session):x}:{id(resource):x}:{resource.name}".encode()
        _handles[token] = resource
        return np.asarray(token, dtype=object)

    return kernel


@register_kernel("IteratorFromStringHandleV2", stateful=True)
def _from_string_handle_kernel(op: Operation, session: Any) -> Any:
    def kernel(handle: Any) -> Operation:
        token = handle.item() if isinstance(handle, np.ndarray) else handle
        token = token.encode() if isinstance(token, str) else bytes(token)
        resource = _handles.get(token)
        if resource is None or not token.startswith(
            f"scopeflow-iterator:{id(session):x}:".encode()
        ):
            raise errors.InvalidArgumentError(
                None, op, "Could not parse the string handle of an iterator (it must come from "
                "Iterator.string_handle() run in this session)"
            )  # fmt: skip
        return resource

    return kernel


@register_kernel("OneShotIterator", stateful=True)
def _one_shot_kernel(op: Operation, session: Any) -> Any:
    def kernel(*values: Any) -> Any:
        st = _state(session, op)
        if "iter" not in st and not st.get("done"):
            _start(session, st, op._attrs["_dataset"], list(values))
        return op

    return kernel


@register_kernel("IteratorV2", stateful=True)
def _iterator_kernel(op: Operation, session: Any) -> Any:
    def kernel() -> Any:
        return op

    return kernel


@register_kernel("MakeIterator", stateful=True)
def _make_iterator_kernel(op: Operation, session: Any) -> Any:
    dataset = op._attrs["_dataset"]

    def kernel(resource: Any, *values: Any) -> None:
        st = _state(session, resource)
        st.pop("done", None)
        _start(session, st, dataset, list(values))

    return kernel


@register_kernel("IteratorGetNext", stateful=True)
def _get_next_kernel(op: Operation, session: Any) -> Any:
    n = len(op._outputs)

    def kernel(resource: Any) -> Any:
        st = _state(session, resource)
        it = st.get("iter")
        if it is None:
            if st.get("done"):
                raise errors.OutOfRangeError(None, op, "End of sequence")
            raise errors.FailedPreconditionError(None, op, _NOT_INITIALIZED)
        try:
            elem = next(it)
        except StopIteration:
            st["iter"] = None
            st["done"] = True
            raise errors.OutOfRangeError(None, op, "End of sequence") from None
        return tuple(elem) if n > 1 else elem[0]

    return kernel


def make_one_shot_iterator(dataset: Dataset) -> Iterator:
    """``tf.data.make_one_shot_iterator(dataset)``."""
    return dataset.make_one_shot_iterator()


def make_initializable_iterator(dataset: Dataset, shared_name: Any = None) -> Iterator:
    """``tf.data.make_initializable_iterator(dataset)``."""
    return dataset.make_initializable_iterator(shared_name)


def get_output_types(dataset_or_iterator: Any) -> Any:
    """``tf.data.get_output_types``."""
    return dataset_or_iterator.output_types


def get_output_shapes(dataset_or_iterator: Any) -> Any:
    """``tf.data.get_output_shapes``."""
    return dataset_or_iterator.output_shapes


def get_output_classes(dataset_or_iterator: Any) -> Any:
    """``tf.data.get_output_classes``."""
    return dataset_or_iterator.output_classes


__all__ = [
    "Iterator",
    "get_output_classes",
    "get_output_shapes",
    "get_output_types",
    "make_initializable_iterator",
    "make_one_shot_iterator",
]
