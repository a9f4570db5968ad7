"""``tf.data.Dataset`` (TF1 graph mode): datasets as Python pipelines run by iterator ops.

A ``Dataset`` describes a pipeline; it creates no ops of its own except the ops of ``map``/
``filter``/``flat_map`` functions, which are traced into the graph once as a *body* (the
``_subgraph`` machinery of ``cond``/``while_loop``) and run per element as a sub-plan by the
session. The tensors a pipeline reads (``from_tensor_slices`` inputs, file names, tensors a
``map`` function captures) become inputs of the iterator's ops, so placeholders can be fed when
an initializable iterator is initialized. Element values inside the pipeline are the session's
kernel values (torch tensors; strings as NumPy object arrays).

Differences from TensorFlow:
    ``shuffle`` gives TF's order for set seeds (TF's kernel, see ``_Shuffle``), except that a
    ``shuffle`` inside a ``flat_map``/``interleave`` function continues its seed sequence
    across elements where TF restarts it. ``num_parallel_calls``, ``prefetch`` and
    ``cache`` change no results and run sequentially; ``cache(filename)`` with a file name
    raises ``UnsupportedError``.

Must not import ``scopeflow.compat``, ``scopeflow.cli`` or ``scopeflow.run``.

>>> import scopeflow.compat.v1 as tf
>>> ds = tf.data.Dataset.from_tensor_slices([1, 2, 3]).map(lambda x: x * 10).batch(2)
>>> print(ds.output_types, ds.output_shapes)
<dtype: 'int32'> (?,)
>>> nxt = ds.make_one_shot_iterator().get_next()
>>> with tf.Session() as sess:
...     print(sess.run(nxt), sess.run(nxt))
[10 20] [30]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.graph._torch_dtypes import to_torch
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.plan import compile_subplan, run_subplan
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import array_ops, nest, random_ops
from scopeflow.ops._philox import SingleSample
from scopeflow.ops._subgraph import building

Flat = list[Any]  # one element: its component values, flattened


class _Spec:
    """The dtype and static shape of one component of a dataset element."""

    def __init__(self, dtype: dtypes.DType, shape: TensorShape) -> None:
        self.dtype = dtype
        self.shape = shape


class _Context:
    """What a running pipeline needs: the captured tensors' values and the session.

    ``state`` lives as long as the iterator (compiled function plans); ``run`` lives for one
    initialization of it (per-run generators such as ``shuffle``'s seed generator).
    """

    def __init__(
        self,
        values: dict[int, Any],
        session: Any,
        state: dict[str, Any],
        run: dict[str, Any] | None = None,
    ) -> None:
        self.values = values
        self.session = session
        self.state = state
        self.run: dict[str, Any] = {} if run is None else run


AUTOTUNE = -1  # tf.data.experimental.AUTOTUNE: accepted wherever TF takes it


class Dataset:
    """A sequence of elements, each a nested structure of tensors (``tf.data.Dataset``)."""

    def __init__(self, structure: Any, inputs: tuple[Dataset, ...] = ()) -> None:
        self._structure = structure  # nest of _Spec
        self._inputs = inputs
        self._captures: list[Tensor] = []

    # --- element structure ------------------------------------------------------------------
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
        """The nested structure of element classes (``Tensor`` for every component)."""
        return nest.map_structure(lambda s: Tensor, self._structure)

    def _specs(self) -> list[_Spec]:
        return nest.flatten(self._structure)

    def _all_captures(self) -> list[Tensor]:
        out: dict[int, Tensor] = {}
        for d in self._inputs:
            for t in d._all_captures():
                out.setdefault(id(t), t)
        for t in self._captures:
            out.setdefault(id(t), t)
        return list(out.values())

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        raise NotImplementedError

    # --- sources ----------------------------------------------------------------------------
    @staticmethod
    def from_tensors(tensors: Any) -> Dataset:
        """A dataset of one element, ``tensors``."""
        return _FromTensors(tensors, slices=False)

    @staticmethod
    def from_tensor_slices(tensors: Any) -> Dataset:
        """A dataset of the slices of ``tensors`` along their first dimension."""
        return _FromTensors(tensors, slices=True)

    @staticmethod
    def range(*args: Any) -> Dataset:
        """``range(start, stop, step)`` as int64 scalars."""
        return _Range(*args)

    @staticmethod
    def zip(datasets: Any) -> Dataset:
        """Elements of several datasets side by side (stops at the shortest)."""
        return _Zip(datasets)

    @staticmethod
    def from_generator(
        generator: Callable[[], Any],
        output_types: Any,
        output_shapes: Any = None,
        args: Any = None,
    ) -> Dataset:
        """Elements produced by a Python generator function (called anew per iterator).

        ``args`` (tensors or values convertible to them) are evaluated when the iterator starts
        and passed to ``generator`` as NumPy values, as TF does: arrays, NumPy scalars for
        0-d numbers and ``bytes`` for 0-d strings.
        """
        return _FromGenerator(generator, output_types, output_shapes, args)

    @staticmethod
    def list_files(file_pattern: Any, shuffle: Any = None, seed: Any = None) -> Dataset:
        """The files matching a pattern, as string scalars (sorted; ``shuffle`` as TF)."""
        from scopeflow.app.gfile import Glob  # noqa: PLC0415

        names = sorted(Glob(file_pattern if isinstance(file_pattern, str) else list(file_pattern)))
        if not names:
            raise errors.InvalidArgumentError(
                None, None, f"Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. "
                f"Summarized data: b'No files matched pattern: {file_pattern}'"
            )  # fmt: skip
        ds: Dataset = Dataset.from_tensor_slices(np.asarray(names, dtype=object))
        if shuffle is None or shuffle:
            ds = ds.shuffle(len(names), seed=seed)
        return ds

    # --- transformations ----------------------------------------------------------------------
    def concatenate(self, dataset: Dataset) -> Dataset:
        """This dataset's elements, then ``dataset``'s."""
        return _Concatenate(self, dataset)

    def map(self, map_func: Callable[..., Any], num_parallel_calls: Any = None) -> Dataset:
        """``map_func`` applied to each element (traced once into the graph)."""
        return _Map(self, map_func)

    def flat_map(self, map_func: Callable[..., Any]) -> Dataset:
        """The concatenation of the datasets ``map_func`` returns for each element."""
        return _FlatMap(self, map_func)

    def filter(self, predicate: Callable[..., Any]) -> Dataset:
        """The elements for which ``predicate`` (traced into the graph) is true."""
        return _Filter(self, predicate)

    def batch(self, batch_size: int, drop_remainder: bool = False) -> Dataset:
        """Consecutive elements stacked into batches."""
        return _Batch(self, int(batch_size), bool(drop_remainder))

    def padded_batch(
        self,
        batch_size: int,
        padded_shapes: Any = None,
        padding_values: Any = None,
        drop_remainder: bool = False,
    ) -> Dataset:
        """Batches of elements padded to ``padded_shapes`` (unknown dims: the batch's longest)."""
        return _PaddedBatch(self, int(batch_size), padded_shapes, padding_values, drop_remainder)

    def interleave(
        self,
        map_func: Callable[..., Any],
        cycle_length: Any = None,
        block_length: Any = None,
        num_parallel_calls: Any = None,
    ) -> Dataset:
        """The elements of ``map_func``'s datasets, interleaved in TF's order."""
        if cycle_length is None:
            raise errors.UnsupportedError(
                "Dataset.interleave without cycle_length",
                "TF's default (AUTOTUNE) depends on the machine's cores; pass cycle_length.",
            )
        return _Interleave(self, map_func, int(cycle_length), int(block_length or 1))

    def unbatch(self) -> Dataset:
        """Each element split along its first dimension."""
        return _Unbatch(self)

    def repeat(self, count: Any = None) -> Dataset:
        """The elements ``count`` times (forever if None or -1)."""
        return _Repeat(self, count)

    def take(self, count: int) -> Dataset:
        """The first ``count`` elements (all if -1)."""
        return _Slice(self, 0, int(count))

    def shard(self, num_shards: int, index: int) -> Dataset:
        """Every ``num_shards``-th element from element ``index`` (checked when iterating)."""
        return _Shard(self, int(num_shards), int(index))

    def skip(self, count: int) -> Dataset:
        """All but the first ``count`` elements."""
        return _Slice(self, int(count), -1)

    def shuffle(
        self, buffer_size: int, seed: Any = None, reshuffle_each_iteration: Any = None
    ) -> Dataset:
        """Elements drawn at random from a buffer of ``buffer_size`` (see the module note)."""
        return _Shuffle(self, int(buffer_size), seed, reshuffle_each_iteration)

    def prefetch(self, buffer_size: Any) -> Dataset:
        """The same elements (prefetching changes no results here)."""
        return self

    def cache(self, filename: str = "") -> Dataset:
        """The same elements (an in-memory cache changes no results; see the module note)."""
        if filename:
            raise errors.UnsupportedError("Dataset.cache(filename) with a file")
        return self

    def apply(self, transformation_func: Callable[[Dataset], Dataset]) -> Dataset:
        """``transformation_func(self)``."""
        return transformation_func(self)

    def make_one_shot_iterator(self) -> Any:
        """An iterator that needs no initialization (``tf.data.make_one_shot_iterator``)."""
        from scopeflow.data.iterator_ops import Iterator as _It  # noqa: PLC0415

        return _It._one_shot(self)

    def make_initializable_iterator(self, shared_name: Any = None) -> Any:
        """An iterator with an ``initializer`` op (``tf.data.make_initializable_iterator``)."""
        from scopeflow.data.iterator_ops import Iterator as _It  # noqa: PLC0415

        return _It._initializable(self)


def _index(value: Any, i: int) -> Any:
    """Row ``i`` of a kernel value (string rows stay NumPy object arrays)."""
    if isinstance(value, torch.Tensor):
        return value[i]
    return np.asarray(value[i], dtype=object)


def _spec_of(t: Tensor) -> _Spec:
    return _Spec(t.dtype.base_dtype, t.shape)


def _lists_as_leaves(x: Any) -> Any:
    """tf.data's rule: a Python list is one tensor, not a structure (tuples and dicts are)."""
    if isinstance(x, list):
        return convert_to_tensor(x)
    if isinstance(x, dict):
        return {k: _lists_as_leaves(v) for k, v in x.items()}
    if isinstance(x, tuple):
        items = [_lists_as_leaves(v) for v in x]
        return type(x)(*items) if hasattr(x, "_fields") else tuple(items)
    return x


class _FromTensors(Dataset):
    def __init__(self, tensors: Any, slices: bool) -> None:
        tensors = _lists_as_leaves(tensors)
        flat = [convert_to_tensor(t, name=f"component_{i}")
                for i, t in enumerate(nest.flatten(tensors))]  # fmt: skip
        specs = []
        for t in flat:
            if slices:
                if t.shape.ndims == 0:
                    raise ValueError("Unbatching a tensor is only supported for rank >= 1")
                shape = TensorShape(None) if t.shape.ndims is None else TensorShape(
                    t.shape.as_list()[1:])  # fmt: skip
                specs.append(_Spec(t.dtype.base_dtype, shape))
            else:
                specs.append(_spec_of(t))
        super().__init__(nest.pack_sequence_as(tensors, specs))
        self._captures = flat
        self._slices = slices

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        vals = [ctx.values[id(t)] for t in self._captures]
        if not self._slices:
            yield vals
            return
        n = int(vals[0].shape[0])
        for v in vals[1:]:
            if int(v.shape[0]) != n:
                raise errors.InvalidArgumentError(
                    None, None, "Dimensions of inputs should match: shape[0] = "
                    f"[{n},...] vs. shape[1] = [{int(v.shape[0])},...]"
                )  # fmt: skip
        for i in range(n):
            yield [_index(v, i) for v in vals]


class _Range(Dataset):
    def __init__(self, *args: Any) -> None:
        super().__init__(_Spec(dtypes.int64, TensorShape([])))
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Invalid arguments to range: {args!r}")
        # tensor bounds (a fed placeholder, as in TF's guide) are read when the pipeline starts
        self._args = [a if isinstance(a, Tensor) else int(a) for a in args]
        self._captures = [a for a in self._args if isinstance(a, Tensor)]

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        bounds = [int(ctx.values[id(a)]) if isinstance(a, Tensor) else a for a in self._args]
        if len(bounds) == 3 and bounds[2] == 0:
            raise errors.InvalidArgumentError(None, None, "step must be a non-zero integer.")
        for i in builtins_range(*bounds):
            yield [torch.tensor(i, dtype=torch.int64)]


builtins_range = range


class _Zip(Dataset):
    def __init__(self, datasets: Any) -> None:
        self._datasets = _flatten_datasets(datasets)
        structure = _pack_datasets(datasets, [d._structure for d in self._datasets])
        super().__init__(structure, tuple(self._datasets))

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        for parts in zip(*(d._iter(ctx) for d in self._datasets), strict=False):
            yield [v for p in parts for v in p]


def _flatten_datasets(datasets: Any) -> list[Dataset]:
    if isinstance(datasets, Dataset):
        return [datasets]
    if isinstance(datasets, dict):
        return [d for k in sorted(datasets) for d in _flatten_datasets(datasets[k])]
    return [d for x in datasets for d in _flatten_datasets(x)]


def _pack_datasets(datasets: Any, structures: list[Any]) -> Any:
    it = iter(structures)

    def rec(x: Any) -> Any:
        if isinstance(x, Dataset):
            return next(it)
        if isinstance(x, dict):
            return {k: rec(x[k]) for k in sorted(x)}
        return type(x)(rec(v) for v in x)

    return rec(datasets)


def _compatible(a: _Spec, b: _Spec) -> _Spec:
    """The most specific shape both components fit (unknown where they differ)."""
    x, y = a.shape, b.shape
    if x.ndims is None or y.ndims is None or x.ndims != y.ndims:
        return _Spec(a.dtype, TensorShape(None))
    dims = [p if p == q else None for p, q in zip(x.as_list(), y.as_list(), strict=True)]
    return _Spec(a.dtype, TensorShape(dims))


class _Concatenate(Dataset):
    def __init__(self, a: Dataset, b: Dataset) -> None:
        if a.output_types != b.output_types:
            raise TypeError(
                f"Incompatible dataset elements:\n  {a.output_types} vs.   {b.output_types}"
            )
        specs = [_compatible(x, y) for x, y in zip(a._specs(), b._specs(), strict=True)]
        super().__init__(nest.pack_sequence_as(a._structure, specs), (a, b))

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        yield from self._inputs[0]._iter(ctx)
        yield from self._inputs[1]._iter(ctx)


class _Traced:
    """A user function traced once into the graph as a body over one element."""

    def __init__(self, ds: Dataset, fn: Callable[..., Any], what: str) -> None:
        g = get_default_graph()
        with g.name_scope(what):
            slots = [array_ops.placeholder(s.dtype, s.shape, name=f"arg{i}")
                     for i, s in enumerate(ds._specs())]  # fmt: skip
            with building(g) as body:
                arg = nest.pack_sequence_as(ds._structure, slots)
                if isinstance(arg, tuple) and not hasattr(arg, "_fields"):
                    res = fn(*arg)
                else:
                    res = fn(arg)
        self.result = res
        self.slots = slots
        self.body = body

    def finish(self, res_flat: list[Any]) -> list[Tensor]:
        caps, ctrl = self.body.captures(res_flat, self.slots)
        del ctrl
        self.caps = caps
        self.fetches = res_flat
        return caps

    def run(self, ctx: _Context, elem: Flat) -> list[Any]:
        key = f"plan_{id(self)}"
        plan = ctx.state.get(key)
        if plan is None:
            feeds = [*self.slots, *self.caps]
            plan = ctx.state[key] = compile_subplan(
                ctx.session, list(self.fetches), feeds, self.body.inner
            )
        return run_subplan(plan, [*elem, *(ctx.values[id(t)] for t in self.caps)])


class _Map(Dataset):
    def __init__(self, ds: Dataset, fn: Callable[..., Any]) -> None:
        self._fn = _Traced(ds, fn, "map")
        res = self._fn.result
        flat = [convert_to_tensor(r) for r in nest.flatten(res)]
        caps = self._fn.finish(flat)
        super().__init__(nest.pack_sequence_as(res, [_spec_of(t) for t in flat]), (ds,))
        self._captures = caps

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        for elem in self._inputs[0]._iter(ctx):
            yield list(self._fn.run(ctx, elem))


class _Filter(Dataset):
    def __init__(self, ds: Dataset, predicate: Callable[..., Any]) -> None:
        self._fn = _Traced(ds, predicate, "filter")
        pred = convert_to_tensor(self._fn.result)
        if pred.dtype.base_dtype != dtypes.bool or pred.shape.ndims not in (0, None):
            raise ValueError(
                "`predicate` return type must be convertible to a scalar boolean tensor. "
                f"Was {pred.dtype.base_dtype!r}."
            )
        self._captures = self._fn.finish([pred])
        super().__init__(ds._structure, (ds,))
        self._captures = self._fn.caps

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        for elem in self._inputs[0]._iter(ctx):
            (keep,) = self._fn.run(ctx, elem)
            if bool(keep):
                yield elem


class _WindowSource(Dataset):
    """One window's elements, supplied when ``group_by_window`` reduces it."""

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        yield from ctx.values[id(self)]


class _GroupByWindow(Dataset):
    """TF's ``GroupByWindowDataset``: elements gathered into windows per ``key_func`` key.

    A window is reduced (``reduce_func(key, window_dataset)``) when it reaches ``window_size``
    elements; the windows left at the end of the input are reduced in increasing key order.
    """

    def __init__(
        self, ds: Dataset, key_func: Callable[..., Any], reduce_func: Callable[..., Any], size: int
    ) -> None:
        self._key_fn = _Traced(ds, key_func, "key_func")
        key = convert_to_tensor(self._key_fn.result, dtype=dtypes.int64)
        if key.shape.ndims not in (0, None):
            raise ValueError("`key_func` must return a single tf.int64 scalar tensor.")
        key_caps = self._key_fn.finish([key])
        with get_default_graph().name_scope("reduce_func"):
            self._key_slot = array_ops.placeholder(dtypes.int64, [], name="key")
            self._window = _WindowSource(ds._structure)
            inner = reduce_func(self._key_slot, self._window)
        if not isinstance(inner, Dataset):
            raise TypeError("`reduce_func` must return a `Dataset` object.")
        self._inner = inner
        super().__init__(inner._structure, (ds,))
        self._captures = [
            *key_caps,
            *(t for t in inner._all_captures() if t is not self._key_slot),
        ]
        self._size = size

    def _reduce(self, ctx: _Context, key: int, window: list[Flat]) -> Iterator[Flat]:
        values = dict(ctx.values)
        values[id(self._window)] = window
        values[id(self._key_slot)] = torch.tensor(key, dtype=torch.int64)
        return self._inner._iter(_Context(values, ctx.session, ctx.state, ctx.run))

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        groups: dict[int, list[Flat]] = {}
        for elem in self._inputs[0]._iter(ctx):
            (key,) = self._key_fn.run(ctx, elem)
            k = int(key)
            groups.setdefault(k, []).append(elem)
            if len(groups[k]) == self._size:
                yield from self._reduce(ctx, k, groups.pop(k))
        for k in sorted(groups):
            yield from self._reduce(ctx, k, groups[k])


def group_by_window(
    key_func: Callable[..., Any],
    reduce_func: Callable[..., Any],
    window_size: Any = None,
    window_size_func: Any = None,
) -> Callable[[Dataset], Dataset]:
    """A ``Dataset.apply`` transformation grouping elements by key into windows.

    ``tf.contrib.data.group_by_window`` / ``tf.data.experimental.group_by_window``.

    Differences from TensorFlow: ``window_size_func`` is not supported (UnsupportedError).
    """
    if window_size_func is not None:
        raise errors.UnsupportedError("group_by_window(window_size_func=...)")
    if window_size is None:
        raise ValueError("Must pass either window_size or window_size_func.")
    size = int(window_size)
    return lambda ds: _GroupByWindow(ds, key_func, reduce_func, size)


class _FlatMap(Dataset):
    def __init__(self, ds: Dataset, fn: Callable[..., Any], scope: str = "flat_map") -> None:
        g = get_default_graph()
        self._inner_ds: Dataset | None = None
        with g.name_scope(scope):
            slots = [array_ops.placeholder(s.dtype, s.shape, name=f"arg{i}")
                     for i, s in enumerate(ds._specs())]  # fmt: skip
            arg = nest.pack_sequence_as(ds._structure, slots)
            inner = fn(*arg) if isinstance(arg, tuple) else fn(arg)
        if not isinstance(inner, Dataset):
            raise TypeError("`map_func` must return a `Dataset` object.")
        self._slots = slots
        self._inner_ds = inner
        super().__init__(inner._structure, (ds,))
        slot_ids = {id(s) for s in slots}
        self._captures = [t for t in inner._all_captures() if id(t) not in slot_ids]

    def _inner_iter(self, ctx: _Context, elem: Flat) -> Iterator[Flat]:
        assert self._inner_ds is not None
        values = dict(ctx.values)
        for s, v in zip(self._slots, elem, strict=True):
            values[id(s)] = v
        return self._inner_ds._iter(_Context(values, ctx.session, ctx.state, ctx.run))

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        for elem in self._inputs[0]._iter(ctx):
            yield from self._inner_iter(ctx, elem)


class _Interleave(_FlatMap):
    def __init__(self, ds: Dataset, fn: Callable[..., Any], cycle: int, block: int) -> None:
        super().__init__(ds, fn, "interleave")
        self._cycle, self._block = cycle, block

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        # TF's InterleaveDataset state machine: a slot opens its iterator when visited, yields
        # up to block_length elements, and is emptied (then refilled on a later visit) at its end.
        source = self._inputs[0]._iter(ctx)
        slots: list[Iterator[Flat] | None] = [None] * self._cycle
        index = block = n_open = 0
        end_of_input = False
        while not end_of_input or n_open > 0:
            current = slots[index]
            if current is not None:
                elem = next(current, None)
                if elem is not None:
                    yield elem
                    block += 1
                    if block == self._block:
                        index, block = (index + 1) % self._cycle, 0
                    continue
                slots[index] = None
                n_open -= 1
                index, block = (index + 1) % self._cycle, 0
            elif not end_of_input:
                nxt = next(source, None)
                if nxt is None:
                    end_of_input = True
                else:
                    slots[index] = self._inner_iter(ctx, nxt)
                    n_open += 1
            else:
                index, block = (index + 1) % self._cycle, 0


def _stack(vals: list[Any]) -> Any:
    if isinstance(vals[0], torch.Tensor):
        return torch.stack(vals)
    return np.stack([np.asarray(v, dtype=object) for v in vals])


def _dims(shape: tuple[int, ...]) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


class _Batch(Dataset):
    def __init__(self, ds: Dataset, batch_size: int, drop_remainder: bool) -> None:
        if batch_size <= 0:
            raise errors.InvalidArgumentError(None, None, "Batch size must be greater than zero.")
        lead = batch_size if drop_remainder else None
        specs = [_Spec(s.dtype, TensorShape([lead]).concatenate(s.shape)) for s in ds._specs()]
        super().__init__(nest.pack_sequence_as(ds._structure, specs), (ds,))
        self._n, self._drop = batch_size, drop_remainder

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        fused = _fused_parse(self._inputs[0])
        if fused is not None:
            yield from self._iter_fused(ctx, *fused)
            return
        it = self._inputs[0]._iter(ctx)
        while True:
            chunk = list(itertools.islice(it, self._n))
            if not chunk or (self._drop and len(chunk) < self._n):
                return
            yield self._stack_chunk(chunk)

    def _stack_chunk(self, chunk: list[Flat]) -> Flat:
        out = []
        for k in range(len(chunk[0])):
            parts = [e[k] for e in chunk]
            batch_shape = tuple(parts[0].shape)
            for p in parts:
                if tuple(p.shape) != batch_shape:
                    raise errors.InvalidArgumentError(
                        None, None, "Cannot add tensor to the batch: number of elements does "
                        f"not match. Shapes are: [tensor]: {_dims(tuple(p.shape))}, "
                        f"[batch]: {_dims(batch_shape)}"
                    )  # fmt: skip
            out.append(_stack(parts))
        return out

    def _iter_fused(self, ctx: _Context, mapped: _Map, parse: Callable[..., Any]) -> Iterator[Flat]:
        """``map(parse_single_example).batch(n)`` as one batched parse per chunk."""
        it = mapped._inputs[0]._iter(ctx)
        while True:
            chunk: list[Flat] = []
            try:
                chunk.extend(itertools.islice(it, self._n))
            except Exception:
                for e in chunk:  # an earlier element's parse error comes first, as unfused
                    mapped._fn.run(ctx, e)
                raise
            if not chunk or (self._drop and len(chunk) < self._n):
                return
            datas = [e[0].item() if isinstance(e[0], np.ndarray) else e[0] for e in chunk]
            out = parse([bytes(d) for d in datas])
            if out is None:  # something the fast path leaves to the kernel (and its errors)
                out = self._stack_chunk([list(mapped._fn.run(ctx, e)) for e in chunk])
            yield out


def _fused_parse(ds: Dataset) -> tuple[_Map, Callable[..., Any]] | None:
    """``(map, parser)`` when ``ds`` is a lone dense-only ``parse_single_example`` map.

    The map's function must be one ``ParseExampleV2`` op on the element and nothing else; the
    batch can then parse whole chunks.
    """
    if not isinstance(ds, _Map):
        return None
    fn = ds._fn
    if fn.caps or len(fn.slots) != 1 or not fn.fetches:
        return None
    op = fn.fetches[0].op
    if (
        op.type != "ParseExampleV2"
        or set(fn.body.inner) != {op._id}
        or list(op.inputs) != [fn.slots[0]]
        or list(fn.fetches) != list(op.outputs)
    ):
        return None
    from scopeflow.ops.parsing_ops import dense_batch_parser  # noqa: PLC0415

    parser = dense_batch_parser(op)
    return None if parser is None else (ds, parser)


class _PaddedBatch(Dataset):
    def __init__(
        self, ds: Dataset, n: int, padded_shapes: Any, padding_values: Any, drop: bool
    ) -> None:
        specs = ds._specs()
        if padded_shapes is None:
            shapes = [s.shape for s in specs]
        else:
            shapes = [as_shape(p) for p in nest.flatten_up_to(ds._structure, padded_shapes)]
        pads = (
            [None] * len(specs)
            if padding_values is None
            else list(nest.flatten_up_to(ds._structure, padding_values))
        )
        lead = n if drop else None
        out = [
            _Spec(s.dtype, TensorShape([lead]).concatenate(p))
            for s, p in zip(specs, shapes, strict=True)
        ]
        super().__init__(nest.pack_sequence_as(ds._structure, out), (ds,))
        self._n, self._drop, self._shapes, self._pads = n, drop, shapes, pads
        # tensor padding values (nmt pads with a vocabulary lookup's id) are read at run time
        for pad, spec in zip(pads, specs, strict=True):
            if isinstance(pad, Tensor) and pad.dtype.base_dtype != spec.dtype:
                raise TypeError(
                    f"Invalid `padding_values`. `padding_values` values type {pad.dtype} does "
                    f"not match type {spec.dtype} of the corresponding input component."
                )
        self._captures = [p for p in pads if isinstance(p, Tensor)]

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        specs = self._specs()
        it = self._inputs[0]._iter(ctx)
        while True:
            chunk = list(itertools.islice(it, self._n))
            if not chunk or (self._drop and len(chunk) < self._n):
                return
            out = []
            for k, spec in enumerate(specs):
                parts = [np.asarray(e[k].numpy() if isinstance(e[k], torch.Tensor) else e[k])
                         for e in chunk]  # fmt: skip
                target = [
                    d if d is not None else max(int(p.shape[i]) for p in parts)
                    for i, d in enumerate(self._shapes[k].as_list())
                ]
                np_dt = object if spec.dtype == dtypes.string else spec.dtype.as_numpy_dtype
                pad = self._pads[k]
                if isinstance(pad, Tensor):
                    value = ctx.values[id(pad)]
                    pad = np.asarray(value.numpy() if isinstance(value, torch.Tensor) else value)
                    pad = pad.item() if spec.dtype != dtypes.string else pad[()]
                if pad is None:
                    pad = b"" if spec.dtype == dtypes.string else 0
                batch = np.empty([len(parts), *target], dtype=np_dt)
                batch[...] = pad
                for b, p in enumerate(parts):
                    if any(a > t for a, t in zip(p.shape, target, strict=True)):
                        raise errors.InvalidArgumentError(
                            None, None, "Attempted to pad to a smaller size than the input "
                            "element."
                        )  # fmt: skip
                    index: tuple[Any, ...] = (b, *(slice(0, a) for a in p.shape))
                    batch[index] = p.item() if p.ndim == 0 else p
                out.append(to_torch(batch, spec.dtype.base_dtype))
            yield out


class _Unbatch(Dataset):
    def __init__(self, ds: Dataset) -> None:
        specs = []
        for s in ds._specs():
            if s.shape.ndims == 0:
                raise ValueError("Cannot unbatch an input with scalar components.")
            shape = TensorShape(None) if s.shape.ndims is None else TensorShape(
                s.shape.as_list()[1:])  # fmt: skip
            specs.append(_Spec(s.dtype, shape))
        super().__init__(nest.pack_sequence_as(ds._structure, specs), (ds,))

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        for elem in self._inputs[0]._iter(ctx):
            for i in range(int(elem[0].shape[0])):
                yield [_index(v, i) for v in elem]


class _Repeat(Dataset):
    def __init__(self, ds: Dataset, count: Any) -> None:
        super().__init__(ds._structure, (ds,))
        self._count: Any = -1 if count is None else count
        if isinstance(count, Tensor):
            self._captures = [count]
        else:
            self._count = int(self._count)

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        n = 0
        count = self._count
        if isinstance(count, Tensor):
            count = int(ctx.values[id(count)])
        while count < 0 or n < count:
            produced = False
            for elem in self._inputs[0]._iter(ctx):
                produced = True
                yield elem
            n += 1
            if not produced:
                return


class _Slice(Dataset):
    def __init__(self, ds: Dataset, start: int, count: int) -> None:
        super().__init__(ds._structure, (ds,))
        self._start, self._count = start, count

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        it = self._inputs[0]._iter(ctx)
        if self._start < 0:
            return  # TF: skip(-1) skips everything
        stop = None if self._count < 0 else self._start + self._count
        yield from itertools.islice(it, self._start, stop)


class _Shard(Dataset):
    def __init__(self, ds: Dataset, num_shards: int, index: int) -> None:
        super().__init__(ds._structure, (ds,))
        self._num_shards, self._index = num_shards, index

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        n, index = self._num_shards, self._index
        if n <= 0:
            raise errors.InvalidArgumentError(
                None,
                None,
                f"Number of shards must be greater than zero (currently num_shards = {n}).",
            )
        if not 0 <= index < n:
            raise errors.InvalidArgumentError(
                None, None, f"Index must be between 0 and {n - 1} (currently index = {index})."
            )
        yield from itertools.islice(self._inputs[0]._iter(ctx), index, None, n)


class _Shuffle(Dataset):
    """TF's ``ShuffleDataset`` kernel: a ring buffer and ``PhiloxRandom`` picks.

    Seeds are TF's: ``(seed, seed2)`` from the graph and op seeds (``(0, 2**31 - 1)`` for a
    zero pair; no seeds at all draw random ones). With ``reshuffle_each_iteration`` each pass
    over the dataset (each epoch of a ``repeat``) takes its seeds from two draws of a generator
    seeded with ``(seed, seed2)`` (TF's ``RandomSeedGenerator``), which restarts when the
    iterator is initialized again; without it every pass uses ``(seed, seed2)``. Each element
    first tops the buffer up to ``buffer_size``, then the element at ring offset
    ``generator() % n`` from the oldest is produced and the oldest moved into its slot.
    """

    def __init__(self, ds: Dataset, buffer_size: int, seed: Any, reshuffle: Any) -> None:
        if buffer_size <= 0:
            raise errors.InvalidArgumentError(None, None, "buffer_size must be greater than zero.")
        super().__init__(ds._structure, (ds,))
        s1, s2 = random_ops.get_seed(None if seed is None else int(seed))
        self._seeds = (int(s1 or 0), int(s2 or 0))
        self._n = buffer_size
        self._reshuffle = True if reshuffle is None else bool(reshuffle)

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        if self._reshuffle:
            key = f"shuffle_seeds_{id(self)}"
            gen = ctx.run.get(key)
            if gen is None:
                gen = ctx.run[key] = SingleSample(*self._seeds)
            rng = SingleSample(gen(), gen())
        else:
            rng = SingleSample(*self._seeds)
        size = self._n
        buf: list[Any] = []
        start = end = 0
        it = self._inputs[0]._iter(ctx)
        exhausted = False
        while True:
            while not exhausted and end - start < size:
                elem = next(it, None)
                if elem is None:
                    exhausted = True
                    break
                if len(buf) < size:
                    buf.append(elem)
                else:
                    buf[end % size] = elem
                end += 1
            if end == start:
                return
            index = (start + rng() % (end - start)) % size
            first = start % size
            out = buf[index]
            buf[index] = buf[first]
            buf[first] = None
            start += 1
            yield out


def _as_bytes(x: Any) -> Any:
    return x.encode() if isinstance(x, str) else x


class _FromGenerator(Dataset):
    def __init__(
        self, generator: Callable[..., Any], output_types: Any, output_shapes: Any, args: Any
    ) -> None:
        types_flat = [dtypes.as_dtype(t).base_dtype for t in nest.flatten(output_types)]
        if output_shapes is None:
            shapes_flat = [TensorShape(None)] * len(types_flat)
        else:
            shapes_flat = [as_shape(s) for s in nest.flatten_up_to(output_types, output_shapes)]
        specs = [_Spec(t, s) for t, s in zip(types_flat, shapes_flat, strict=True)]
        super().__init__(nest.pack_sequence_as(output_types, specs))
        self._gen = generator
        self._types = output_types
        self._captures = [
            convert_to_tensor(a, name="args") for a in (() if args is None else tuple(args))
        ]

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        specs = self._specs()
        args = []
        for t in self._captures:
            arr = ctx.values[id(t)]
            arr = arr.detach().cpu().numpy() if isinstance(arr, torch.Tensor) else np.asarray(arr)
            args.append(arr[()] if arr.ndim == 0 else arr)
        for value in self._gen(*args):
            flat = nest.flatten_up_to(self._types, value) if len(specs) > 1 else [value]
            out = []
            for v, s in zip(flat, specs, strict=True):
                if s.dtype == dtypes.string:
                    # TF converts the yielded text to bytes (str is encoded as UTF-8)
                    arr = np.asarray(v, dtype=object)
                    arr = np.vectorize(_as_bytes, otypes=[object])(arr) if arr.size else arr
                else:
                    arr = np.asarray(v, dtype=s.dtype.as_numpy_dtype)
                if not s.shape.is_compatible_with(arr.shape):
                    raise errors.InvalidArgumentError(
                        None, None, "`generator` yielded an element of shape "
                        f"{list(arr.shape)} where an element of shape {s.shape} was expected."
                    )  # fmt: skip
                out.append(to_torch(arr, s.dtype))
            yield out


__all__ = ["AUTOTUNE", "Dataset", "group_by_window"]
