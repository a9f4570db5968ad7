"""Lookup tables.

``HashTable`` with tensor or text-file initializers, ``IdTableWithHashBuckets``,
``index_table_from_tensor``/``index_table_from_file`` and ``tables_initializer``.

A table is TF's ``HashTableV2`` resource op; it evaluates to itself and the per-session contents
live in the session's op state (as queues do). ``InitializeTableV2`` and
``InitializeTableFromTextFileV2`` fill it (re-running with the same data is a no-op, as in TF);
``LookupTableFindV2`` maps keys to values or the default; ``LookupTableSizeV2`` counts entries.
Initializer ops go to the ``TABLE_INITIALIZERS`` collection, which ``tables_initializer`` groups.

Out-of-vocabulary keys of an index table with ``num_oov_buckets`` go to bucket
``vocab_size + Fingerprint64(key) % num_oov_buckets`` (integer keys are hashed as their decimal
strings), which is TF's ``IdTableWithHashBuckets`` with the default ``FastHashSpec``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import torch

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow.errors import UnsupportedError
from scopeflow.graph._torch_dtypes import to_numpy, to_torch
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import SCALAR, make_op
from scopeflow.ops.array_ops import size as array_size
from scopeflow.ops.creation_ops import range as math_range
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.hash_ops import string_to_hash_bucket_fast
from scopeflow.ops.math_ops import add, cast, not_equal
from scopeflow.ops.sparse_ops import SparseTensor
from scopeflow.ops.state_ops import group, no_op
from scopeflow.ops.string_ops import as_string

_state_lock = threading.Lock()


class TextFileIndex:
    """Special column indexes of a text-file table: the whole line, or the line number."""

    WHOLE_LINE = -2
    LINE_NUMBER = -1


class _TableState:
    def __init__(self) -> None:
        self.data: dict[Any, Any] | None = None


def _state(session: Any, table_op: Any) -> _TableState:
    if isinstance(table_op, np.ndarray):
        table_op = table_op.item()
    with _state_lock:
        return session._op_state_for(table_op, _TableState)  # type: ignore[no-any-return]


def _key(v: Any) -> Any:
    if isinstance(v, str):
        return v.encode()
    if isinstance(v, bytes | np.bytes_):
        return bytes(v)
    if isinstance(v, float | np.floating):
        return float(v)
    return int(v)


def _keys_of(x: Any) -> list[Any]:
    arr = (
        x.detach().numpy() if isinstance(x, torch.Tensor) else np.asarray(to_numpy(x), dtype=object)
    )
    return [_key(v) for v in arr.reshape(-1)]


@register_kernel("HashTableV2", stateful=True)
def _hash_table_kernel(op: Operation, session: Any) -> Any:
    def kernel() -> Operation:
        _state(session, op)
        return op

    return kernel


def _fill(op: Operation, st: _TableState, data: dict[Any, Any]) -> None:
    if st.data is not None:
        if st.data != data:
            raise errors.FailedPreconditionError(
                None, op, "Table was already initialized with different data."
            )
        return
    st.data = data


@register_kernel("InitializeTableV2", stateful=True)
def _init_table_kernel(op: Operation, session: Any) -> Any:
    def kernel(table: Any, keys: Any, values: Any) -> None:
        ks, vs = _keys_of(keys), _keys_of(values)
        if len(ks) != len(vs):
            raise errors.InvalidArgumentError(
                None, op, f"Keys and values must have the same size {len(ks)} vs {len(vs)}"
            )
        data: dict[Any, Any] = {}
        for k, v in zip(ks, vs, strict=True):
            if k in data and data[k] != v:
                ktext = k.decode(errors="replace") if isinstance(k, bytes) else k
                raise errors.FailedPreconditionError(
                    None,
                    op,
                    f"HashTable has different value for same key. Key {ktext} has "
                    f"{data[k]} and trying to add value {v}",
                )
            data[k] = v
        _fill(op, _state(session, table), data)

    return kernel


@register_kernel("InitializeTableFromTextFileV2", stateful=True)
def _init_from_file_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs
    key_index, value_index = a["key_index"], a["value_index"]
    vocab_size, delim = a["vocab_size"], a["delimiter"].encode()

    def column(line: bytes, index: int, lineno: int, dt: dtypes.DType, path: str) -> Any:
        if index == TextFileIndex.LINE_NUMBER:
            return lineno
        text = line if index == TextFileIndex.WHOLE_LINE else None
        if text is None:
            cols = line.split(delim)
            if index >= len(cols):
                raise errors.InvalidArgumentError(
                    None, op, f"Invalid line {lineno} in {path}: need at least {index + 1} columns"
                )
            text = cols[index]
        if dt == dtypes.string:
            return text
        try:
            return int(text) if dt.is_integer else float(text)
        except ValueError:
            raise errors.InvalidArgumentError(
                None,
                op,
                f"Field {text.decode(errors='replace')} in line {lineno} is not a valid {dt.name}.",
            ) from None

    def kernel(table: Any, filename: Any) -> None:
        t = table.item() if isinstance(table, np.ndarray) else table
        key_dtype, value_dtype = t._attrs["key_dtype"], t._attrs["value_dtype"]
        path = bytes(np.asarray(to_numpy(filename), dtype=object).item()).decode()
        try:
            raw = Path(path).read_bytes()
        except OSError:
            raise errors.NotFoundError(None, op, f"{path}; No such file or directory") from None
        lines = raw.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        lines = [ln[:-1] if ln.endswith(b"\r") else ln for ln in lines]
        if vocab_size != -1:
            if len(lines) < vocab_size:
                raise errors.InvalidArgumentError(
                    None,
                    op,
                    f"Invalid vocab_size in {path}: expected {vocab_size}, got {len(lines)}",
                )
            lines = lines[:vocab_size]
        data: dict[Any, Any] = {}
        for n, line in enumerate(lines):
            k = column(line, key_index, n, key_dtype, path)
            v = column(line, value_index, n, value_dtype, path)
            if k in data and data[k] != v:
                raise errors.FailedPreconditionError(
                    None,
                    op,
                    f"HashTable has different value for same key. Key "
                    f"{k.decode(errors='replace') if isinstance(k, bytes) else k} has {data[k]} "
                    f"and trying to add value {v}",
                )
            data[k] = v
        _fill(op, _state(session, table), data)

    return kernel


def _not_initialized(op: Operation) -> errors.FailedPreconditionError:
    return errors.FailedPreconditionError(None, op, "Table not initialized.")


@register_kernel("LookupTableFindV2", stateful=True)
def _find_kernel(op: Operation, session: Any) -> Any:
    out_dtype = op._attrs["Tout"]

    def kernel(table: Any, keys: Any, default: Any) -> Any:
        st = _state(session, table)
        if st.data is None:
            raise _not_initialized(op)
        d = (
            _key(np.asarray(to_numpy(default), dtype=object).reshape(-1)[0])
            if out_dtype == (dtypes.string)
            else _key(default.reshape(-1)[0].item())
        )
        found = [st.data.get(k, d) for k in _keys_of(keys)]
        shape = tuple(keys.shape)
        if out_dtype == dtypes.string:
            arr = np.empty(len(found), dtype=object)
            arr[:] = found
            return arr.reshape(shape)
        return to_torch(np.asarray(found, dtype=out_dtype.as_numpy_dtype).reshape(shape), out_dtype)

    return kernel


@register_kernel("LookupTableSizeV2", stateful=True)
def _size_kernel(op: Operation, session: Any) -> Any:
    def kernel(table: Any) -> torch.Tensor:
        st = _state(session, table)
        if st.data is None:
            raise _not_initialized(op)
        return torch.tensor(len(st.data), dtype=torch.int64)

    return kernel


# --- Python API ---------------------------------------------------------------------------------


class KeyValueTensorInitializer:
    """Table contents from a ``keys`` and a ``values`` tensor (``tf.lookup``'s)."""

    def __init__(
        self,
        keys: Any,
        values: Any,
        key_dtype: Any = None,
        value_dtype: Any = None,
        name: str | None = None,
    ) -> None:
        g = get_default_graph()
        with g.name_scope(_scope(name, "key_value_init")) as scope:
            self._keys = convert_to_tensor(keys, dtype=key_dtype, name="keys")
            self._values = convert_to_tensor(values, dtype=value_dtype, name="values")
        self._scope = scope  # TF re-enters this scope for the initializer op
        self.key_dtype = self._keys.dtype.base_dtype
        self.value_dtype = self._values.dtype.base_dtype

    def initialize(self, table: HashTable) -> Operation:
        """The ``InitializeTableV2`` op filling ``table`` (added to ``TABLE_INITIALIZERS``)."""
        g = get_default_graph()
        with g.name_scope(self._scope):
            out = make_op(
                "InitializeTableV2",
                (table.resource_handle, self._keys, self._values),
                {"Tkey": self.key_dtype, "Tval": self.value_dtype},
                None,
                dtypes.int32,
                SCALAR,
            )
        init = out.op
        g.add_to_collection(GraphKeys.TABLE_INITIALIZERS, init)
        return init


class TextFileInitializer:
    """Table contents from a text file's lines (``tf.lookup.TextFileInitializer``)."""

    def __init__(
        self,
        filename: Any,
        key_dtype: Any,
        key_index: int,
        value_dtype: Any,
        value_index: int,
        vocab_size: int | None = None,
        delimiter: str = "\t",
        name: str | None = None,
    ) -> None:
        self._filename_arg = filename
        self.key_dtype = dtypes.as_dtype(key_dtype).base_dtype
        self.value_dtype = dtypes.as_dtype(value_dtype).base_dtype
        if key_index < -2:
            raise ValueError(f"Invalid key index {key_index}.")
        if key_index == TextFileIndex.LINE_NUMBER and self.key_dtype != dtypes.int64:
            raise ValueError(
                f"Signature mismatch. Keys must be dtype {dtypes.int64}, got {self.key_dtype}."
            )
        if key_index == TextFileIndex.WHOLE_LINE and not (
            self.key_dtype.is_integer or self.key_dtype == dtypes.string
        ):
            raise ValueError(
                f"Signature mismatch. Keys must be integer or string, got {self.key_dtype}."
            )
        if value_index < -2:
            raise ValueError(f"Invalid value index {value_index}.")
        if vocab_size is not None and vocab_size <= 0:
            raise ValueError(f"Invalid vocab_size {vocab_size}.")
        self._key_index, self._value_index = key_index, value_index
        self._vocab_size = vocab_size
        self._delimiter = delimiter
        self._name = name

    def initialize(self, table: HashTable) -> Operation:
        """The ``InitializeTableFromTextFileV2`` op filling ``table``."""
        g = get_default_graph()
        with g.name_scope(_scope(self._name, "text_file_init")):
            filename = convert_to_tensor(
                self._filename_arg, dtype=dtypes.string, name="asset_filepath"
            )
            attrs = {
                "key_index": self._key_index,
                "value_index": self._value_index,
                "vocab_size": -1 if self._vocab_size is None else int(self._vocab_size),
                "delimiter": self._delimiter,
            }
            out = make_op(
                "InitializeTableFromTextFileV2",
                (table.resource_handle, filename),
                attrs,
                None,
                dtypes.int32,
                SCALAR,
            )
        g.add_to_collection(GraphKeys.ASSET_FILEPATHS, filename)
        g.add_to_collection(GraphKeys.TABLE_INITIALIZERS, out.op)
        return out.op


class TextFileIdTableInitializer(TextFileInitializer):
    """Keys from a vocabulary file's lines, values their line numbers."""

    def __init__(
        self,
        filename: Any,
        key_column_index: int = TextFileIndex.WHOLE_LINE,
        value_column_index: int = TextFileIndex.LINE_NUMBER,
        vocab_size: int | None = None,
        delimiter: str = "\t",
        name: str = "text_file_id_table_init",
        key_dtype: Any = dtypes.string,
    ) -> None:
        super().__init__(
            filename,
            key_dtype,
            key_column_index,
            dtypes.int64,
            value_column_index,
            vocab_size=vocab_size,
            delimiter=delimiter,
            name=name,
        )


class HashTable:
    """An immutable hash table filled by an initializer (TF1's ``tf.contrib.lookup.HashTable``).

    >>> import scopeflow.compat.v1 as tf
    >>> init = tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([1, 2], tf.int64))
    >>> table = tf.lookup.StaticHashTable(init, -1)
    >>> out = table.lookup(tf.constant(["b", "z"]))
    >>> with tf.Session() as sess:
    ...     sess.run(tf.tables_initializer())
    ...     print(sess.run(out))
    [ 2 -1]
    """

    def __init__(
        self,
        initializer: Any,
        default_value: Any,
        shared_name: str | None = None,
        name: str | None = None,
    ) -> None:
        g = get_default_graph()
        self._initializer = initializer
        self.key_dtype = initializer.key_dtype
        self.value_dtype = initializer.value_dtype
        scope = _scope(name, "hash_table")
        with g.name_scope(scope):
            self._default_value = convert_to_tensor(
                default_value, dtype=self.value_dtype, name="Const"
            )
            self._handle = make_op(
                "HashTableV2",
                (),
                {
                    "shared_name": shared_name or "",
                    "container": "",
                    "use_node_name_sharing": False,
                    "key_dtype": self.key_dtype,
                    "value_dtype": self.value_dtype,
                },
                "hash_table",
                dtypes.resource,
                SCALAR,
            )
        self._init_op = initializer.initialize(self)
        self._name = scope.rstrip("/").split("/")[-1]

    @property
    def name(self) -> str:
        """The table's name (its name scope's last component)."""
        return self._name

    @property
    def resource_handle(self) -> Tensor:
        """The ``HashTableV2`` resource tensor."""
        return self._handle

    table_ref = resource_handle

    @property
    def default_value(self) -> Tensor:
        """The value of missing keys."""
        return self._default_value

    @property
    def initializer(self) -> Operation:
        """The op filling the table."""
        return self._init_op

    init = initializer

    def size(self, name: str | None = None) -> Tensor:
        """The number of entries (op ``LookupTableSizeV2``)."""
        scope = _scope(name, f"{self._name}_Size")
        return make_op("LookupTableSizeV2", (self._handle,), {}, scope, dtypes.int64, SCALAR)

    def lookup(self, keys: Any, name: str | None = None) -> Any:
        """The values of ``keys`` (a ``Tensor`` or ``SparseTensor``); the default where missing."""
        sparse = keys if isinstance(keys, SparseTensor) else None
        scope = _scope(name, f"{self._name}_Lookup")
        g = get_default_graph()
        with g.name_scope(scope):
            k = sparse.values if sparse is not None else convert_to_tensor(keys, name="keys")
            if k.dtype.base_dtype != self.key_dtype:
                raise TypeError(
                    f"Signature mismatch. Keys must be dtype {self.key_dtype}, got "
                    f"{k.dtype.base_dtype}."
                )
            out = make_op(
                "LookupTableFindV2",
                (self._handle, k, self._default_value),
                {"Tin": self.key_dtype, "Tout": self.value_dtype},
                None,
                self.value_dtype,
                k._shape,
            )
        if sparse is not None:
            return SparseTensor(sparse.indices, out, sparse.dense_shape)
        return out


StaticHashTable = HashTable


class IdTableWithHashBuckets:
    """A string/int64-to-id table whose missing keys hash into ``num_oov_buckets`` extra ids."""

    def __init__(
        self,
        table: HashTable | None,
        num_oov_buckets: int,
        hasher_spec: Any = None,
        name: str | None = None,
        key_dtype: Any = None,
    ) -> None:
        if hasher_spec is not None and hasher_spec is not FastHashSpec:
            raise UnsupportedError(f"IdTableWithHashBuckets(hasher_spec={hasher_spec!r})")
        if num_oov_buckets < 0:
            raise ValueError(f"oov_buckets must be > 0 if no table is supplied.")  # noqa: F541
        self._table = table
        self._num_oov_buckets = int(num_oov_buckets)
        self.key_dtype = dtypes.as_dtype(key_dtype).base_dtype if key_dtype else table.key_dtype  # type: ignore[union-attr]
        self._name = name or (f"{table.name}_hash_bucket" if table else "hash_bucket")

    @property
    def name(self) -> str:
        """The name used for the lookup's scope."""
        return self._name

    @property
    def initializer(self) -> Operation:
        """The wrapped table's initializer, or a no-op."""
        return self._table.initializer if self._table else no_op(name="noop")

    def size(self, name: str | None = None) -> Tensor:
        """Table size plus the OOV buckets."""
        if self._table is None:
            from scopeflow.ops.constant_op import constant  # noqa: PLC0415

            return constant(self._num_oov_buckets, dtype=dtypes.int64, name=name or "Size")
        return add(self._table.size(), self._num_oov_buckets, name=name)

    def lookup(self, keys: Any, name: str | None = None) -> Any:
        """Ids of ``keys``: the table's value, else ``table size + hash bucket``."""
        sparse = keys if isinstance(keys, SparseTensor) else None
        values = sparse.values if sparse is not None else convert_to_tensor(keys)
        if values.dtype.is_integer and values.dtype.base_dtype != dtypes.int64:
            values = cast(values, dtypes.int64)
        if self._num_oov_buckets == 0:
            ids = self._table.lookup(values, name=name)  # type: ignore[union-attr]
        else:
            g = get_default_graph()
            with g.name_scope(_scope(name, f"{self._name}_Lookup")):
                text = as_string(values) if values.dtype.is_integer else values
                buckets = string_to_hash_bucket_fast(
                    text, self._num_oov_buckets, name="hash_bucket"
                )
                if self._table is not None:
                    ids = self._table.lookup(values)
                    buckets = add(buckets, self._table.size())
                    is_id_non_default = not_equal(ids, self._table.default_value)
                    ids = where(is_id_non_default, ids, buckets)
                else:
                    ids = buckets
        if sparse is not None:
            return SparseTensor(sparse.indices, ids, sparse.dense_shape)
        return ids


class _FastHashSpec:
    def __repr__(self) -> str:
        return "HasherSpec(hasher='fasthash', key=None)"


FastHashSpec = _FastHashSpec()


def _check_oov(num_oov_buckets: int) -> None:
    if num_oov_buckets < 0:
        raise ValueError(f"num_oov_buckets must be greater or equal than 0, got {num_oov_buckets}.")


def index_table_from_tensor(
    vocabulary_list: Any,
    num_oov_buckets: int = 0,
    default_value: int = -1,
    hasher_spec: Any = FastHashSpec,
    dtype: Any = dtypes.string,
    name: str | None = None,
) -> Any:
    """A table mapping each vocabulary entry to its position (``tf.contrib.lookup``'s).

    Missing keys get ``default_value``, or with ``num_oov_buckets`` one of that many extra ids.

    >>> import scopeflow.compat.v1 as tf
    >>> t = tf.contrib.lookup.index_table_from_tensor(["a", "b"], num_oov_buckets=1)
    >>> ids = t.lookup(tf.constant(["b", "zz"]))
    >>> with tf.Session() as sess:
    ...     sess.run(tf.tables_initializer())
    ...     print(sess.run(ids))
    [1 2]
    """
    if vocabulary_list is None:
        raise ValueError("vocabulary_list must be specified.")
    _check_oov(num_oov_buckets)
    dtype = dtypes.as_dtype(dtype).base_dtype
    if not dtype.is_integer and dtype != dtypes.string:
        raise TypeError(f"Only integer and string keys are supported. Got {dtype}")
    g = get_default_graph()
    with g.name_scope(_scope(name, "string_to_index")):
        keys = convert_to_tensor(vocabulary_list)
        if keys.dtype.is_integer != dtype.is_integer:
            raise ValueError(
                f"Expected {'integer' if dtype.is_integer else 'non-integer'}, got {keys.dtype}."
            )
        if not dtype.is_integer and keys.dtype.base_dtype != dtype:
            raise ValueError(f"Expected {dtype}, got {keys.dtype}.")
        num_elements = array_size(keys)
        values = cast(math_range(num_elements), dtypes.int64)
        with g.name_scope(_scope(None, "hash_table")):
            table_keys = (
                cast(keys, dtypes.int64)
                if keys.dtype.is_integer and keys.dtype.base_dtype != dtypes.int64
                else keys
            )
            init = KeyValueTensorInitializer(
                table_keys, values, table_keys.dtype.base_dtype, dtypes.int64, name="table_init"
            )
            table: Any = HashTable(init, default_value)
        if num_oov_buckets:
            table = IdTableWithHashBuckets(table, num_oov_buckets, hasher_spec, key_dtype=dtype)
        return table


def index_table_from_file(
    vocabulary_file: Any = None,
    num_oov_buckets: int = 0,
    vocab_size: int | None = None,
    default_value: int = -1,
    hasher_spec: Any = FastHashSpec,
    key_dtype: Any = dtypes.string,
    name: str | None = None,
    key_column_index: int = TextFileIndex.WHOLE_LINE,
    value_column_index: int = TextFileIndex.LINE_NUMBER,
    delimiter: str = "\t",
) -> Any:
    """A table mapping each line of ``vocabulary_file`` to its line number.

    >>> import scopeflow.compat.v1 as tf
    >>> print(callable(tf.contrib.lookup.index_table_from_file))
    True
    """
    if vocabulary_file is None or (isinstance(vocabulary_file, str) and not vocabulary_file):
        raise ValueError("vocabulary_file must be specified and must not be empty.")
    _check_oov(num_oov_buckets)
    if vocab_size is not None and vocab_size < 1:
        raise ValueError(
            f"vocab_size must be greater than 0, got {vocab_size}. "
            f"vocabulary_file: {vocabulary_file}"
        )
    key_dtype = dtypes.as_dtype(key_dtype).base_dtype
    if not key_dtype.is_integer and key_dtype != dtypes.string:
        raise TypeError(f"Only integer and string keys are supported. Got {key_dtype}")
    g = get_default_graph()
    with g.name_scope(_scope(name, "string_to_index")):
        table_key_dtype = dtypes.int64 if key_dtype.is_integer else key_dtype
        with g.name_scope(_scope(None, "hash_table")):
            init = TextFileIdTableInitializer(
                vocabulary_file,
                vocab_size=vocab_size,
                key_dtype=table_key_dtype,
                key_column_index=key_column_index,
                value_column_index=value_column_index,
                delimiter=delimiter,
            )
            table: Any = HashTable(init, default_value)
        if num_oov_buckets:
            table = IdTableWithHashBuckets(table, num_oov_buckets, hasher_spec, key_dtype=key_dtype)
        return table


def tables_initializer(name: str = "init_all_tables") -> Operation:
    """A group of every table initializer in the graph, or a no-op (``tf.tables_initializer``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.tables_initializer().name)
    init_all_tables
    """
    inits = get_default_graph().get_collection(GraphKeys.TABLE_INITIALIZERS)
    if inits:
        return group(*inits, name=name)
    return no_op(name=name)


__all__ = [
    "FastHashSpec",
    "HashTable",
    "IdTableWithHashBuckets",
    "KeyValueTensorInitializer",
    "StaticHashTable",
    "TextFileIdTableInitializer",
    "TextFileIndex",
    "TextFileInitializer",
    "index_table_from_file",
    "index_table_from_tensor",
    "tables_initializer",
]
