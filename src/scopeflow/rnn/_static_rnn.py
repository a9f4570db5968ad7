"""``tf.nn.static_rnn``, ``static_bidirectional_rnn``, ``static_state_saving_rnn`` and ``raw_rnn``.

``static_rnn`` unrolls the cell over a Python list of inputs (the variable scope is set to reuse
after the first step, as TF does); with ``sequence_length`` every step is TF's ``_rnn_step``
with its ``cond``s. ``raw_rnn`` runs a user ``loop_fn`` in a ``while_loop`` and returns the
emitted ``TensorArray``s. Graphs and names are TF 1.15's.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape, unknown_shape
from scopeflow._core.variable_scope import variable_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops import nest
from scopeflow.ops.array_ops import concat, identity, shape, stack, zeros
from scopeflow.ops.constant_op import constant
from scopeflow.ops.control_flow_ops import while_loop
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.math_ops import cast, logical_not, logical_or
from scopeflow.ops.reduction_ops import reduce_all, reduce_max, reduce_min
from scopeflow.ops.shape_ops import reverse_sequence
from scopeflow.ops.split_ops import unstack
from scopeflow.ops.tensor_array_ops import TensorArray
from scopeflow.rnn._cell_base import _concat, assert_like_rnncell
from scopeflow.rnn._dynamic_rnn import (
    _maybe_tensor_shape_from_tensor,
    infer_state_dtype,
    rnn_step,
)


def static_rnn(cell: Any, inputs: Any, initial_state: Any = None, dtype: Any = None,
               sequence_length: Any = None, scope: Any = None) -> Any:  # fmt: skip
    """Unrolls ``cell`` over the list ``inputs`` (``tf.nn.static_rnn``).

    Returns ``(outputs, state)``: one output per input (zero past ``sequence_length``) and the
    final state (each row's state at its length).

    >>> import scopeflow.compat.v1 as tf
    >>> xs = [tf.zeros([2, 3]) for _ in range(4)]
    >>> outs, st = tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(5), xs, dtype=tf.float32)
    >>> print(len(outs), outs[-1].name)
    4 rnn/basic_rnn_cell/Tanh_3:0
    """
    assert_like_rnncell("cell", cell)
    if not nest.is_nested(inputs):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    outputs = []
    with variable_scope(scope or "rnn") as varscope:
        first_input = inputs
        while nest.is_nested(first_input):
            first_input = first_input[0]
        if first_input.get_shape().rank != 1:
            input_shape = first_input.get_shape().with_rank_at_least(2)
            fixed_batch_size = input_shape.dims[0]
            for flat_input in nest.flatten(inputs):
                ishape = flat_input.get_shape().with_rank_at_least(2)
                fixed_batch_size.assert_is_compatible_with(ishape.dims[0])
                for i, size in enumerate(ishape[1:].dims):
                    if size.value is None:
                        raise ValueError(
                            f"Input size (dimension {i} of inputs) must be accessible via "
                            "shape inference, but saw value None."
                        )
        else:
            fixed_batch_size = first_input.get_shape().with_rank_at_least(1).dims[0]
        batch_size: Any = fixed_batch_size.value
        if not batch_size:
            batch_size = shape(first_input)[0]
        if initial_state is not None:
            state = initial_state
        else:
            if not dtype:
                raise ValueError("If no initial_state is provided, dtype must be specified")
            if getattr(cell, "get_initial_state", None) is not None:
                state = cell.get_initial_state(inputs=None, batch_size=batch_size, dtype=dtype)
            else:
                state = cell.zero_state(batch_size, dtype)
        if sequence_length is not None:
            sequence_length = convert_to_tensor(sequence_length, name="sequence_length")
            if sequence_length.get_shape().rank not in (None, 1):
                raise ValueError("sequence_length must be a vector of length batch_size")

            def create_zero_output(output_size: Any) -> Any:
                size = _concat(batch_size, output_size)
                output = zeros(stack(size), infer_state_dtype(dtype, state))
                shp = _concat(fixed_batch_size.value, output_size, static=True)
                output.set_shape(TensorShape(shp))
                return output

            output_size = cell.output_size
            flat_zero_output = tuple(create_zero_output(s) for s in nest.flatten(output_size))
            zero_output = nest.pack_sequence_as(output_size, list(flat_zero_output))
            sequence_length = cast(sequence_length, dtypes.int32)
            min_sequence_length = reduce_min(sequence_length)
            max_sequence_length = reduce_max(sequence_length)
        for time, input_ in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()

            def call_cell(input_: Any = input_, state: Any = state) -> Any:
                return cell(input_, state)

            if sequence_length is not None:
                (output, state) = rnn_step(
                    time=time, sequence_length=sequence_length,
                    min_sequence_length=min_sequence_length,
                    max_sequence_length=max_sequence_length, zero_output=zero_output,
                    state=state, call_cell=call_cell, state_size=cell.state_size,
                )  # fmt: skip
            else:
                (output, state) = call_cell()
            outputs.append(output)
        return (outputs, state)


def static_state_saving_rnn(cell: Any, inputs: Any, state_saver: Any, state_name: Any,
                            sequence_length: Any = None, scope: Any = None) -> Any:  # fmt: skip
    """``static_rnn`` whose initial state comes from and final state goes to ``state_saver``.

    >>> import scopeflow.compat.v1 as tf
    >>> print(callable(tf.nn.static_state_saving_rnn))
    True
    """
    state_size = cell.state_size
    state_is_tuple = nest.is_nested(state_size)
    if state_is_tuple != nest.is_nested(state_name):
        raise ValueError(
            "state_name should be the same type as cell.state_size.  state_name: "
            f"{state_name}, cell.state_size: {state_size}"
        )
    if state_is_tuple:
        state_name_flat = nest.flatten(state_name)
        if len(state_name_flat) != len(nest.flatten(state_size)):
            raise ValueError("#elems(state_name) != #elems(state_size)")
        initial_state = nest.pack_sequence_as(
            state_size, [state_saver.state(s) for s in state_name_flat]
        )
    else:
        initial_state = state_saver.state(state_name)
    (outputs, state) = static_rnn(cell, inputs, initial_state=initial_state,
                                  sequence_length=sequence_length, scope=scope)  # fmt: skip
    if state_is_tuple:
        flat_state = nest.flatten(state)
        save_state = [state_saver.save_state(n, s) for n, s in
                      zip(nest.flatten(state_name), flat_state, strict=True)]  # fmt: skip
    else:
        save_state = [state_saver.save_state(state_name, state)]
    with get_default_graph().control_dependencies(save_state):
        last_output = outputs[-1]
        flat_last = [identity(o) for o in nest.flatten(last_output)]
        outputs[-1] = nest.pack_sequence_as(last_output, flat_last)
        if state_is_tuple:
            state = nest.pack_sequence_as(state, [identity(s) for s in nest.flatten(state)])
        else:
            state = identity(state)
    return (outputs, state)


def _reverse_seq(input_seq: Any, lengths: Any) -> Any:
    if lengths is None:
        return list(reversed(input_seq))
    flat_input_seq = tuple(nest.flatten(input_) for input_ in input_seq)
    flat_results: list[list[Any]] = [[] for _ in range(len(input_seq))]
    for sequence in zip(*flat_input_seq, strict=True):
        input_shape = unknown_shape(rank=sequence[0].get_shape().rank)
        for input_ in sequence:
            input_shape.assert_is_compatible_with(input_.get_shape())
            input_.set_shape(input_shape)
        s_joined = stack(list(sequence))
        s_reversed = reverse_sequence(s_joined, lengths, 0, 1)
        result = unstack(s_reversed)
        for r, flat_result in zip(result, flat_results, strict=True):
            r.set_shape(input_shape)
            flat_result.append(r)
    return [nest.pack_sequence_as(input_, flat_result)
            for input_, flat_result in zip(input_seq, flat_results, strict=True)]  # fmt: skip


def static_bidirectional_rnn(cell_fw: Any, cell_bw: Any, inputs: Any,
                             initial_state_fw: Any = None, initial_state_bw: Any = None,
                             dtype: Any = None, sequence_length: Any = None,
                             scope: Any = None) -> Any:  # fmt: skip
    """Forward and backward ``static_rnn``; outputs concatenated per step.

    Returns ``(outputs, output_state_fw, output_state_bw)``.

    >>> import scopeflow.compat.v1 as tf
    >>> xs = [tf.zeros([2, 3]) for _ in range(3)]
    >>> c = tf.nn.rnn_cell.BasicRNNCell
    >>> outs, _, _ = tf.nn.static_bidirectional_rnn(c(4), c(4), xs, dtype=tf.float32)
    >>> print(outs[0].shape)
    (2, 8)
    """
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    if not nest.is_nested(inputs):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, output_state_fw = static_rnn(
                cell_fw, inputs, initial_state_fw, dtype, sequence_length, scope=fw_scope
            )
        with variable_scope("bw") as bw_scope:
            reversed_inputs = _reverse_seq(inputs, sequence_length)
            tmp, output_state_bw = static_rnn(
                cell_bw, reversed_inputs, initial_state_bw, dtype, sequence_length,
                scope=bw_scope,
            )  # fmt: skip
    output_bw = _reverse_seq(tmp, sequence_length)
    flat_outputs = tuple(
        concat([fw, bw], 1)
        for fw, bw in zip(nest.flatten(output_fw), nest.flatten(output_bw), strict=True)
    )
    outputs = nest.pack_sequence_as(output_fw, list(flat_outputs))
    return (outputs, output_state_fw, output_state_bw)


def raw_rnn(cell: Any, loop_fn: Any, parallel_iterations: int | None = None,
            swap_memory: bool = False, scope: Any = None) -> Any:  # fmt: skip
    """Runs ``cell`` under the control of ``loop_fn`` in a ``while_loop`` (``tf.nn.raw_rnn``).

    ``loop_fn(time, cell_output, cell_state, loop_state)`` returns ``(finished, next_input,
    next_cell_state, emit_output, next_loop_state)``. Returns ``(emit_ta, final_state,
    final_loop_state)``.

    >>> import scopeflow.compat.v1 as tf
    >>> print(callable(tf.nn.raw_rnn))
    True

    Differences from TensorFlow: ``parallel_iterations`` and ``swap_memory`` have no effect.
    """
    assert_like_rnncell("cell", cell)
    if not callable(loop_fn):
        raise TypeError("loop_fn must be a callable")
    parallel_iterations = parallel_iterations or 32
    with variable_scope(scope or "rnn"):
        time = constant(0, dtype=dtypes.int32)
        (elements_finished, next_input, initial_state, emit_structure,
         init_loop_state) = loop_fn(time, None, None, None)  # fmt: skip
        flat_input = nest.flatten(next_input)
        loop_state = (
            init_loop_state if init_loop_state is not None
            else constant(0, dtype=dtypes.int32)
        )  # fmt: skip
        input_shape = [input_.get_shape() for input_ in flat_input]
        static_batch_size = input_shape[0].with_rank_at_least(1).dims[0]
        for input_shape_i in input_shape:
            static_batch_size.assert_is_compatible_with(input_shape_i.with_rank_at_least(1)[0])
        batch_size: Any = static_batch_size.value
        const_batch_size = batch_size
        if batch_size is None:
            batch_size = shape(flat_input[0])[0]
        nest.assert_same_structure(initial_state, cell.state_size)
        state = initial_state
        flat_state = [convert_to_tensor(s) for s in nest.flatten(state)]
        state = nest.pack_sequence_as(state, flat_state)
        if emit_structure is not None:
            flat_emit_structure = nest.flatten(emit_structure)
            flat_emit_size = [
                emit.shape if emit.shape.is_fully_defined() else shape(emit)
                for emit in flat_emit_structure
            ]
            flat_emit_dtypes = [emit.dtype for emit in flat_emit_structure]
        else:
            emit_structure = cell.output_size
            flat_emit_size = nest.flatten(emit_structure)
            flat_emit_dtypes = [flat_state[0].dtype] * len(flat_emit_size)
        flat_emit_ta = [
            TensorArray(
                dtype=dtype_i, dynamic_size=True,
                element_shape=TensorShape([const_batch_size]).concatenate(
                    TensorShape(_maybe_tensor_shape_from_tensor(size_i))),
                size=0, name=f"rnn_output_{i}",
            )
            for i, (dtype_i, size_i) in enumerate(zip(flat_emit_dtypes, flat_emit_size,
                                                      strict=True))
        ]  # fmt: skip
        emit_ta = nest.pack_sequence_as(emit_structure, flat_emit_ta)
        flat_zero_emit = [
            zeros(_concat(batch_size, size_i), dtype_i)
            for size_i, dtype_i in zip(flat_emit_size, flat_emit_dtypes, strict=True)
        ]
        zero_emit = nest.pack_sequence_as(emit_structure, flat_zero_emit)

        def condition(unused_time: Any, elements_finished: Any, *_: Any) -> Any:
            return logical_not(reduce_all(elements_finished))

        def body(time: Any, elements_finished: Any, current_input: Any, emit_ta: Any,
                 state: Any, loop_state: Any) -> Any:  # fmt: skip
            (next_output, cell_state) = cell(current_input, state)
            nest.assert_same_structure(state, cell_state)
            nest.assert_same_structure(cell.output_size, next_output)
            next_time = time + 1
            (next_finished, next_input, next_state, emit_output,
             next_loop_state) = loop_fn(next_time, next_output, cell_state, loop_state)  # fmt: skip
            nest.assert_same_structure(state, next_state)
            nest.assert_same_structure(current_input, next_input)
            nest.assert_same_structure(emit_ta, emit_output)
            loop_state = loop_state if next_loop_state is None else next_loop_state

            def copy_some_through(current: Any, candidate: Any) -> Any:
                def copy_fn(cur_i: Any, cand_i: Any) -> Any:
                    if isinstance(cur_i, TensorArray):
                        return cand_i
                    if cur_i.shape.rank == 0:
                        return cand_i
                    return where(elements_finished, cur_i, cand_i)

                return nest.map_structure(copy_fn, current, candidate)

            emit_output = copy_some_through(zero_emit, emit_output)
            next_state = copy_some_through(state, next_state)
            emit_ta = nest.map_structure(lambda ta, emit: ta.write(time, emit), emit_ta,
                                         emit_output)  # fmt: skip
            elements_finished = logical_or(elements_finished, next_finished)
            return (next_time, elements_finished, next_input, emit_ta, next_state, loop_state)

        returned = while_loop(
            condition, body,
            loop_vars=[time, elements_finished, next_input, emit_ta, state, loop_state],
            parallel_iterations=parallel_iterations, swap_memory=swap_memory,
        )  # fmt: skip
        (emit_ta, final_state, final_loop_state) = returned[-3:]
        if init_loop_state is None:
            final_loop_state = None
        return (emit_ta, final_state, final_loop_state)


__all__ = ["raw_rnn", "static_bidirectional_rnn", "static_rnn", "static_state_saving_rnn"]
