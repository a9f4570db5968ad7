"""Cells made of cells: ``MultiRNNCell``, ``DropoutWrapper``, ``ResidualWrapper``, DeviceWrapper.

Scoping is TF 1.15's: ``MultiRNNCell`` calls its cells under ``cell_0``, ``cell_1``...; the
wrappers call the wrapped cell's ``__call__`` directly (no scope of their own), so a wrapped
``LSTMCell`` keeps the variable names ``.../lstm_cell/kernel``. ``DropoutWrapper`` derives each
dropout's op seed from its ``seed`` as TF does (md5 of ``seed + salt``), so seeded masks equal
TF's.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import hashlib
import numbers
from typing import Any

from scopeflow._core.tensor_shape import TensorShape
from scopeflow._core.variable_scope import variable_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops import nest
from scopeflow.ops.array_ops import concat, slice
from scopeflow.ops.dropout_ops import dropout as _nn_dropout
from scopeflow.ops.math_ops import divide
from scopeflow.ops.random_ops import random_uniform
from scopeflow.ops.tensor_array_ops import TensorArray
from scopeflow.ops.unary_ops import floor
from scopeflow.rnn._cell_base import RNNCell, assert_like_rnncell
from scopeflow.rnn._cells import LSTMStateTuple


def map_structure_up_to(shallow: Any, fn: Any, *inputs: Any) -> Any:
    """``fn`` over the leaves of ``shallow`` with the matching sub-structures of ``inputs``."""
    flats = [nest.flatten_up_to(shallow, x) for x in inputs]
    results = [fn(*args) for args in zip(*flats, strict=True)]
    return nest.pack_sequence_as(shallow, results)


def enumerated_map_structure_up_to(shallow: Any, map_fn: Any, *args: Any) -> Any:
    """``map_structure_up_to`` passing each leaf's index first (TF's private helper)."""
    ix = [0]

    def enumerated_fn(*inner: Any) -> Any:
        r = map_fn(ix[0], *inner)
        ix[0] += 1
        return r

    return map_structure_up_to(shallow, enumerated_fn, *args)


def _children(structure: Any) -> list[Any]:
    if isinstance(structure, dict):
        return [structure[k] for k in sorted(structure)]
    return list(structure)


def _sequence_like(instance: Any, args: list[Any]) -> Any:
    if isinstance(instance, dict):
        return type(instance)(zip(sorted(instance), args, strict=True))
    if hasattr(instance, "_fields"):
        return type(instance)(*args)
    return type(instance)(args)


def get_traverse_shallow_structure(traverse_fn: Any, structure: Any) -> Any:
    """The shallow structure (of bools) ``traverse_fn`` selects, as TF's nest helper."""
    to_traverse = traverse_fn(structure)
    if not nest.is_nested(structure):
        if not isinstance(to_traverse, bool):
            raise TypeError(
                f"traverse_fn returned structure: {to_traverse} for non-structure: {structure}"
            )
        return to_traverse
    level: list[Any] = []
    if isinstance(to_traverse, bool):
        if not to_traverse:
            return False
        level = [get_traverse_shallow_structure(traverse_fn, b) for b in _children(structure)]
    elif not nest.is_nested(to_traverse):
        raise TypeError(
            f"traverse_fn returned a non-bool scalar: {to_traverse} for input: {structure}"
        )
    else:
        for t, branch in zip(_children(to_traverse), _children(structure), strict=True):
            if not isinstance(t, bool):
                raise TypeError(
                    f"traverse_fn didn't return a depth=1 structure of bools.  saw: {to_traverse} "
                    f" for structure: {structure}"
                )
            level.append(get_traverse_shallow_structure(traverse_fn, branch) if t else False)
    return _sequence_like(structure, level)


class MultiRNNCell(RNNCell):
    """RNN cell composed sequentially of several cells (called under ``cell_<i>``).

    >>> import scopeflow.compat.v1 as tf
    >>> cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(3) for _ in range(2)])
    >>> out, st = cell(tf.zeros([2, 4]), cell.zero_state(2, tf.float32))
    >>> print([v.name for v in cell.variables][2])
    multi_rnn_cell/cell_1/lstm_cell/kernel:0
    """

    def __init__(self, cells: Any, state_is_tuple: bool = True) -> None:
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not nest.is_nested(cells):
            raise TypeError(f"cells must be a list or tuple, but saw: {cells}.")
        self._cells = cells
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(nest.is_nested(c.state_size) for c in self._cells):
            raise ValueError(
                "Some cells return tuples of states, but the flag state_is_tuple is not set.  "
                f"State sizes are: {[c.state_size for c in self._cells]}"
            )

    def _sub_cells(self) -> list[RNNCell]:
        return [c for c in self._cells if isinstance(c, RNNCell)]

    @property
    def trainable_weights(self) -> list[Any]:
        if not self.trainable:
            return []
        out: list[Any] = []
        for c in self._sub_cells():
            out += c.trainable_weights
        return out

    @property
    def non_trainable_weights(self) -> list[Any]:
        out: list[Any] = []
        for c in self._sub_cells():
            out += c.non_trainable_weights
        if not self.trainable:
            tw: list[Any] = []
            for c in self._sub_cells():
                tw += c.trainable_weights
            return tw + out
        return out

    @property
    def state_size(self) -> Any:
        if self._state_is_tuple:
            return tuple(cell.state_size for cell in self._cells)
        return sum(cell.state_size for cell in self._cells)

    @property
    def output_size(self) -> Any:
        return self._cells[-1].output_size

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        """A tuple of each cell's zero state (under ``MultiRNNCellZeroState``)."""
        with get_default_graph().name_scope(type(self).__name__ + "ZeroState"):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return super().zero_state(batch_size, dtype)

    def call(self, inputs: Any, state: Any) -> Any:
        """Runs the cells in order, each on the previous one's output."""
        cur_state_pos = 0
        cur_inp = inputs
        new_states = []
        for i, cell in enumerate(self._cells):
            with variable_scope(f"cell_{i}"):
                if self._state_is_tuple:
                    if not nest.is_nested(state):
                        raise ValueError(
                            f"Expected state to be a tuple of length {len(self.state_size)}, "
                            f"but received: {state}"
                        )
                    cur_state = state[i]
                else:
                    cur_state = slice(state, [0, cur_state_pos], [-1, cell.state_size])
                    cur_state_pos += cell.state_size
                cur_inp, new_state = cell(cur_inp, cur_state)
                new_states.append(new_state)
        packed = tuple(new_states) if self._state_is_tuple else concat(new_states, 1)
        return cur_inp, packed


class _RNNCellWrapper(RNNCell):
    """Base of the wrappers: sizes and zero state are the wrapped cell's."""

    def __init__(self, cell: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert_like_rnncell("cell", cell)
        self.cell = cell

    def _sub_cells(self) -> list[RNNCell]:
        return [self.cell] if isinstance(self.cell, RNNCell) else []

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> Any:
        return self._call_wrapped_cell(inputs, state, cell_call_fn=self.cell.__call__,
                                       scope=scope)  # fmt: skip

    @property
    def wrapped_cell(self) -> Any:
        """The wrapped cell."""
        return self.cell

    @property
    def state_size(self) -> Any:
        return self.cell.state_size

    @property
    def output_size(self) -> Any:
        return self.cell.output_size

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        """The wrapped cell's zero state, under ``<Wrapper>ZeroState``."""
        with get_default_graph().name_scope(type(self).__name__ + "ZeroState"):
            return self.cell.zero_state(batch_size, dtype)


def _default_dropout_state_filter_visitor(substate: Any) -> Any:
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return not isinstance(substate, TensorArray)


class DropoutWrapper(_RNNCellWrapper):
    """Dropout on a cell's inputs, outputs and (non-``c``) states (TF 1.15's ``DropoutWrapper``).

    Each dropout gets the op seed ``md5(str(seed) + "<input|state|output>_<i>")`` as in TF, so
    with a graph seed the masks equal TF's: ``static_rnn`` builds new ops with the same seeds at
    each step (the same mask at every step), and in ``dynamic_rnn``'s loop the n-th step gets
    its op's n-th draw, which is TF's order with ``parallel_iterations=1`` (conformance topic
    ``rnn_x_dropout``). ``variational_recurrent=True`` draws one noise tensor per structure
    entry when the wrapper is built and reuses it at every step.

    >>> import scopeflow.compat.v1 as tf
    >>> cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(3), output_keep_prob=0.5)
    >>> print(cell.output_size)
    3
    """

    def __init__(self, cell: Any, input_keep_prob: Any = 1.0, output_keep_prob: Any = 1.0,
                 state_keep_prob: Any = 1.0, variational_recurrent: bool = False,
                 input_size: Any = None, dtype: Any = None, seed: int | None = None,
                 dropout_state_filter_visitor: Any = None, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(cell, dtype=dtype, **kwargs)
        if dropout_state_filter_visitor is not None and not callable(dropout_state_filter_visitor):
            raise TypeError("dropout_state_filter_visitor must be callable")
        self._dropout_state_filter = (
            dropout_state_filter_visitor or _default_dropout_state_filter_visitor
        )
        self._input_keep_prob: Any = 1.0
        self._state_keep_prob: Any = 1.0
        self._output_keep_prob: Any = 1.0
        with get_default_graph().name_scope("DropoutWrapperInit"):
            for prob, attr in [
                (input_keep_prob, "input_keep_prob"),
                (state_keep_prob, "state_keep_prob"),
                (output_keep_prob, "output_keep_prob"),
            ]:
                tensor_prob = convert_to_tensor(prob)
                const_prob = tensor_prob._const
                if const_prob is not None:
                    if const_prob < 0 or const_prob > 1:
                        raise ValueError(f"Parameter {attr} must be between 0 and 1: {const_prob}")
                    setattr(self, f"_{attr}", float(const_prob))
                else:
                    setattr(self, f"_{attr}", tensor_prob)
        self._variational_recurrent = variational_recurrent
        self._input_size = input_size
        self._seed = seed
        self._recurrent_input_noise: Any = None
        self._recurrent_state_noise: Any = None
        self._recurrent_output_noise: Any = None
        if variational_recurrent:
            if dtype is None:
                raise ValueError("When variational_recurrent=True, dtype must be provided")

            def batch_noise(s: Any, inner_seed: Any) -> Any:
                shape = concat(([1], TensorShape(s).as_list()), 0)
                return random_uniform(shape, seed=inner_seed, dtype=dtype)

            if not isinstance(self._input_keep_prob, numbers.Real) or self._input_keep_prob < 1.0:
                if input_size is None:
                    raise ValueError(
                        "When variational_recurrent=True and input_keep_prob < 1.0 or "
                        "is unknown, input_size must be provided"
                    )
                self._recurrent_input_noise = enumerated_map_structure_up_to(
                    input_size,
                    lambda i, s: batch_noise(s, inner_seed=self._gen_seed("input", i)),
                    input_size,
                )
            self._recurrent_state_noise = enumerated_map_structure_up_to(
                cell.state_size,
                lambda i, s: batch_noise(s, inner_seed=self._gen_seed("state", i)),
                cell.state_size,
            )
            self._recurrent_output_noise = enumerated_map_structure_up_to(
                cell.output_size,
                lambda i, s: batch_noise(s, inner_seed=self._gen_seed("output", i)),
                cell.output_size,
            )

    def _gen_seed(self, salt_prefix: str, index: int) -> int | None:
        if self._seed is None:
            return None
        salt = f"{salt_prefix}_{index}"
        string = (str(self._seed) + salt).encode("utf-8")
        return int(hashlib.md5(string).hexdigest()[:8], 16) & 0x7FFFFFFF

    def _variational_recurrent_dropout_value(self, index: int, value: Any, noise: Any,
                                             keep_prob: Any) -> Any:  # fmt: skip
        random_tensor = keep_prob + noise
        binary_tensor = floor(random_tensor)
        ret = divide(value, keep_prob) * binary_tensor
        ret.set_shape(value.get_shape())
        return ret

    def _dropout(self, values: Any, salt_prefix: str, recurrent_noise: Any, keep_prob: Any,
                 shallow_filtered_substructure: Any = None) -> Any:  # fmt: skip
        if shallow_filtered_substructure is None:
            shallow_filtered_substructure = values
        if not self._variational_recurrent:

            def drop(i: int, do_dropout: Any, v: Any) -> Any:
                if not isinstance(do_dropout, bool) or do_dropout:
                    return _nn_dropout(v, rate=1.0 - keep_prob, seed=self._gen_seed(salt_prefix, i))
                return v

            return enumerated_map_structure_up_to(
                shallow_filtered_substructure, drop, shallow_filtered_substructure, values
            )

        def vdrop(i: int, do_dropout: Any, v: Any, n: Any) -> Any:
            if not isinstance(do_dropout, bool) or do_dropout:
                return self._variational_recurrent_dropout_value(i, v, n, keep_prob)
            return v

        return enumerated_map_structure_up_to(
            shallow_filtered_substructure, vdrop, shallow_filtered_substructure, values,
            recurrent_noise,
        )  # fmt: skip

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Any, **kwargs: Any) -> Any:
        def should_dropout(p: Any) -> bool:
            return (not isinstance(p, float)) or p < 1

        if should_dropout(self._input_keep_prob):
            inputs = self._dropout(inputs, "input", self._recurrent_input_noise,
                                   self._input_keep_prob)  # fmt: skip
        output, new_state = cell_call_fn(inputs, state, **kwargs)
        if should_dropout(self._state_keep_prob):
            shallow = get_traverse_shallow_structure(self._dropout_state_filter, new_state)
            new_state = self._dropout(new_state, "state", self._recurrent_state_noise,
                                      self._state_keep_prob, shallow)  # fmt: skip
        if should_dropout(self._output_keep_prob):
            output = self._dropout(output, "output", self._recurrent_output_noise,
                                   self._output_keep_prob)  # fmt: skip
        return output, new_state


class ResidualWrapper(_RNNCellWrapper):
    """Adds the cell's inputs to its outputs (or applies ``residual_fn(inputs, outputs)``).

    >>> import scopeflow.compat.v1 as tf
    >>> cell = tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.BasicRNNCell(3))
    >>> out, _ = cell(tf.zeros([2, 3]), cell.zero_state(2, tf.float32))
    >>> print(out.op.type)
    AddV2
    """

    def __init__(self, cell: Any, residual_fn: Any = None, **kwargs: Any) -> None:
        super().__init__(cell, **kwargs)
        self._residual_fn = residual_fn

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Any, **kwargs: Any) -> Any:
        outputs, new_state = cell_call_fn(inputs, state, **kwargs)

        def assert_shape_match(inp: Any, out: Any) -> None:
            inp.get_shape().assert_is_compatible_with(out.get_shape())

        def default_residual_fn(inputs: Any, outputs: Any) -> Any:
            nest.assert_same_structure(inputs, outputs)
            nest.map_structure(assert_shape_match, inputs, outputs)
            return nest.map_structure(lambda inp, out: inp + out, inputs, outputs)

        res_outputs = (self._residual_fn or default_residual_fn)(inputs, outputs)
        return (res_outputs, new_state)


class DeviceWrapper(_RNNCellWrapper):
    """Runs the wrapped cell (and its zero state) under ``tf.device(device)``.

    >>> import scopeflow.compat.v1 as tf
    >>> cell = tf.nn.rnn_cell.DeviceWrapper(tf.nn.rnn_cell.BasicRNNCell(3), "/cpu:0")
    >>> print(cell.state_size)
    3
    """

    def __init__(self, cell: Any, device: Any, **kwargs: Any) -> None:
        super().__init__(cell, **kwargs)
        self._device = device

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        """The wrapped cell's zero state, on the device."""
        g = get_default_graph()
        with g.name_scope(type(self).__name__ + "ZeroState"), g.device(self._device):
            return self.cell.zero_state(batch_size, dtype)

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Any, **kwargs: Any) -> Any:
        with get_default_graph().device(self._device):
            return cell_call_fn(inputs, state, **kwargs)


__all__ = [
    "DeviceWrapper",
    "DropoutWrapper",
    "MultiRNNCell",
    "ResidualWrapper",
    "enumerated_map_structure_up_to",
    "get_traverse_shallow_structure",
    "map_structure_up_to",
]
