"""``tf.nn.dynamic_rnn`` and ``tf.nn.bidirectional_dynamic_rnn``, built as TF 1.15 builds them.

The graph is TF's: ``rnn/transpose`` to time-major, ``rnn/sequence_length``, ``rnn/CheckSeqLen``,
the cell's zero state, an input and an output ``TensorArray``, a ``while_loop`` whose body calls
the cell (``rnn/while/lstm_cell/...``) with TF's ``sequence_length`` semantics (outputs past a
row's length are zero and its state is copied through), ``rnn/TensorArrayStack`` and
``rnn/transpose_1`` back to batch-major. Variables are created by the cell inside the loop body
(lifted out, as TF's ``init_scope`` does) under ``rnn/<cell>/...``.

For the standard cells (``BasicLSTMCell``/``LSTMCell`` without peepholes, clipping or
projection, ``GRUCell``, ``BasicRNNCell``, and ``MultiRNNCell`` stacks of them) the loop is
additionally marked with a fused kernel (``scopeflow.ops.rnn_fused_ops``): at run time the
``While`` op computes the whole sequence with torch sequence kernels from the same variables and
inputs instead of running the body sub-plan step by step. The graph, names and results are the
same (to float rounding); any other cell runs the general loop.

Differences from TensorFlow: ``parallel_iterations`` and ``swap_memory`` are accepted and have
no effect; no caching device is set on the ``rnn`` scope. Iterations run in time order, so a
seeded random op in the body (``DropoutWrapper``) gives its n-th draw to time step n: TF's masks
exactly with ``parallel_iterations=1`` (recorded in the ``rnn_x_dropout`` conformance topic);
with more parallel iterations TF's executor runs the iterations' random ops in thread-scheduling
order, which varies from run to run.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow._core.variable_scope import variable_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import nest
from scopeflow.ops.array_ops import concat, identity, rank, shape, stack, zeros
from scopeflow.ops.constant_op import constant
from scopeflow.ops.control_flow_ops import while_loop
from scopeflow.ops.creation_ops import range as _range
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.logging_ops import Assert
from scopeflow.ops.math_ops import cast, equal, maximum, minimum
from scopeflow.ops.reduction_ops import reduce_all, reduce_max, reduce_min
from scopeflow.ops.shape_ops import reverse, reverse_sequence, transpose
from scopeflow.ops.tensor_array_ops import TensorArray
from scopeflow.rnn import _fusion
from scopeflow.rnn._cell_base import _concat, assert_like_rnncell


def transpose_batch_time(x: Any) -> Any:
    """Swaps the first two dimensions, keeping static shape (TF's ``_transpose_batch_time``)."""
    x_static_shape = x.get_shape()
    if x_static_shape.rank is not None and x_static_shape.rank < 2:
        return x
    x_rank = rank(x)
    x_t = transpose(x, concat(([1, 0], _range(2, x_rank)), axis=0))
    if x_static_shape.rank is not None:
        x_t.set_shape(
            TensorShape([x_static_shape.dims[1].value, x_static_shape.dims[0].value]).concatenate(
                x_static_shape[2:]
            )
        )
    return x_t


def best_effort_input_batch_size(flat_input: Any) -> Any:
    """The static batch size of time-major inputs, else ``shape(input)[1]``."""
    for input_ in flat_input:
        s = input_.shape
        if s.rank is None:
            continue
        if s.rank < 2:
            raise ValueError(f"Expected input tensor {input_} to have rank at least 2")
        batch_size = s.dims[1].value
        if batch_size is not None:
            return batch_size
    return shape(flat_input[0])[1]


def infer_state_dtype(explicit_dtype: Any, state: Any) -> Any:
    """``explicit_dtype``, else the common dtype of ``state``'s tensors."""
    if explicit_dtype is not None:
        return explicit_dtype
    if nest.is_nested(state):
        inferred = [element.dtype for element in nest.flatten(state)]
        if not inferred:
            raise ValueError(f"Unable to infer dtype from empty state: {state}")
        if not all(x == inferred[0] for x in inferred):
            raise ValueError(
                f"State has tensors of different inferred_dtypes. Unable to infer a single "
                f"representative dtype. Dtypes: {inferred}"
            )
        return inferred[0]
    return state.dtype


def _maybe_tensor_shape_from_tensor(s: Any) -> Any:
    if isinstance(s, Tensor):
        return as_shape(s._const)
    return s


def rnn_step(time: Any, sequence_length: Any, min_sequence_length: Any,
             max_sequence_length: Any, zero_output: Any, state: Any, call_cell: Any,
             state_size: Any, skip_conditionals: bool = False) -> Any:  # fmt: skip
    """One step with ``sequence_length`` copy-through (TF's ``_rnn_step``)."""
    from scopeflow.ops.control_flow_ops import cond  # noqa: PLC0415
    from scopeflow.ops.math_ops import greater_equal, less  # noqa: PLC0415

    flat_state = nest.flatten(state)
    flat_zero_output = nest.flatten(zero_output)
    copy_cond = greater_equal(time, sequence_length)

    def copy_one_through(output: Any, new_output: Any) -> Any:
        if isinstance(output, TensorArray):
            return new_output
        if output.shape.rank == 0:
            return new_output
        return where(copy_cond, output, new_output)

    def copy_some_through(flat_new_output: Any, flat_new_state: Any) -> Any:
        outs = [copy_one_through(z, n) for z, n in zip(flat_zero_output, flat_new_output,
                                                        strict=True)]  # fmt: skip
        sts = [copy_one_through(s, n) for s, n in zip(flat_state, flat_new_state, strict=True)]
        return outs + sts

    def maybe_copy_some_through() -> Any:
        new_output, new_state = call_cell()
        nest.assert_same_structure(zero_output, new_output)
        nest.assert_same_structure(state, new_state)
        flat_new_state = nest.flatten(new_state)
        flat_new_output = nest.flatten(new_output)
        return cond(
            less(time, min_sequence_length),
            lambda: flat_new_output + flat_new_state,
            lambda: copy_some_through(flat_new_output, flat_new_state),
        )

    if skip_conditionals:
        new_output, new_state = call_cell()
        nest.assert_same_structure(zero_output, new_output)
        nest.assert_same_structure(state, new_state)
        final_output_and_state = copy_some_through(
            nest.flatten(new_output), nest.flatten(new_state)
        )
    else:
        final_output_and_state = cond(
            greater_equal(time, max_sequence_length),
            lambda: flat_zero_output + flat_state,
            maybe_copy_some_through,
        )
    final_output = final_output_and_state[: len(flat_zero_output)]
    final_state = final_output_and_state[len(flat_zero_output) :]
    for output, flat_output in zip(final_output, flat_zero_output, strict=True):
        output.set_shape(flat_output.get_shape())
    for substate, flat_substate in zip(final_state, flat_state, strict=True):
        if not isinstance(substate, TensorArray):
            substate.set_shape(flat_substate.get_shape())
    return (
        nest.pack_sequence_as(zero_output, final_output),
        nest.pack_sequence_as(state, final_state),
    )


def dynamic_rnn(cell: Any, inputs: Any, sequence_length: Any = None, initial_state: Any = None,
                dtype: Any = None, parallel_iterations: int | None = None,
                swap_memory: bool = False, time_major: bool = False,
                scope: Any = None) -> Any:  # fmt: skip
    """Runs ``cell`` over ``inputs`` in a ``while_loop`` (``tf.nn.dynamic_rnn``).

    Returns ``(outputs, state)``: ``outputs`` ``[batch, time, output_size]`` (``[time, batch,
    ...]`` with ``time_major``), zero past each row's ``sequence_length``; ``state`` the final
    state, taken at each row's length.

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [4, 7, 3])
    >>> out, st = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(5), x, dtype=tf.float32)
    >>> print(out.name, out.shape, st.h.name)
    rnn/transpose_1:0 (4, 7, 5) rnn/while/Exit_4:0
    >>> print([v.name for v in tf.global_variables()])
    ['rnn/lstm_cell/kernel:0', 'rnn/lstm_cell/bias:0']

    Differences from TensorFlow: ``parallel_iterations`` and ``swap_memory`` have no effect.
    """
    assert_like_rnncell("cell", cell)
    with variable_scope(scope or "rnn"):
        flat_input = nest.flatten(inputs)
        if not time_major:
            flat_input = [convert_to_tensor(input_) for input_ in flat_input]
            flat_input = [transpose_batch_time(input_) for input_ in flat_input]
        else:
            flat_input = [convert_to_tensor(input_) for input_ in flat_input]
        parallel_iterations = parallel_iterations or 32
        if sequence_length is not None:
            sequence_length = cast(sequence_length, dtypes.int32)
            if sequence_length.get_shape().rank not in (None, 1):
                raise ValueError(
                    "sequence_length must be a vector of length batch_size, but saw shape: "
                    f"{sequence_length.get_shape()}"
                )
            sequence_length = identity(sequence_length, name="sequence_length")
        batch_size = best_effort_input_batch_size(flat_input)
        if initial_state is not None:
            state = initial_state
        else:
            if not dtype:
                raise ValueError("If there is no initial_state, you must give a dtype.")
            if getattr(cell, "get_initial_state", None) is not None:
                state = cell.get_initial_state(inputs=None, batch_size=batch_size, dtype=dtype)
            else:
                state = cell.zero_state(batch_size, dtype)

        def assert_has_shape(x: Any, shp: Any) -> Any:
            x_shape = shape(x)
            packed_shape = stack(shp)
            return Assert(
                reduce_all(equal(x_shape, packed_shape)),
                [f"Expected shape for Tensor {x.name} is ", packed_shape, " but saw shape: ",
                 x_shape],
            )  # fmt: skip

        if sequence_length is not None:
            g = get_default_graph()
            with g.control_dependencies([assert_has_shape(sequence_length, [batch_size])]):
                sequence_length = identity(sequence_length, name="CheckSeqLen")
        inputs = nest.pack_sequence_as(inputs, flat_input)
        outputs, final_state = dynamic_rnn_loop(
            cell, inputs, state, parallel_iterations=parallel_iterations,
            swap_memory=swap_memory, sequence_length=sequence_length, dtype=dtype,
        )  # fmt: skip
        if not time_major:
            outputs = nest.map_structure(transpose_batch_time, outputs)
        return (outputs, final_state)


def dynamic_rnn_loop(cell: Any, inputs: Any, initial_state: Any, parallel_iterations: int,
                     swap_memory: bool, sequence_length: Any = None,
                     dtype: Any = None) -> Any:  # fmt: skip
    """The loop of ``dynamic_rnn`` over time-major ``inputs`` (TF's ``_dynamic_rnn_loop``)."""
    state = initial_state
    state_size = cell.state_size
    flat_input = nest.flatten(inputs)
    flat_output_size = nest.flatten(cell.output_size)
    input_shape = shape(flat_input[0])
    time_steps = input_shape[0]
    batch_size = best_effort_input_batch_size(flat_input)
    inputs_got_shape = tuple(input_.get_shape().with_rank_at_least(3) for input_ in flat_input)
    const_time_steps, const_batch_size = inputs_got_shape[0].as_list()[:2]
    for i, shp in enumerate(inputs_got_shape):
        if not shp[2:].is_fully_defined():
            raise ValueError(
                "Input size (depth of inputs) must be accessible via shape inference,"
                f" but saw value None for input={flat_input[i]}."
            )
        if const_time_steps != shp.dims[0].value:
            raise ValueError(
                "Time steps is not the same for all the elements in the input in a batch."
            )
        if const_batch_size != shp.dims[1].value:
            raise ValueError("Batch_size is not the same for all the elements in the input.")

    def create_zero_arrays(size: Any) -> Any:
        size = _concat(batch_size, size)
        return zeros(stack(size), infer_state_dtype(dtype, state))

    flat_zero_output = tuple(create_zero_arrays(output) for output in flat_output_size)
    zero_output = nest.pack_sequence_as(cell.output_size, flat_zero_output)
    min_sequence_length: Any = None
    if sequence_length is not None:
        min_sequence_length = reduce_min(sequence_length)
        max_sequence_length = reduce_max(sequence_length)
    else:
        max_sequence_length = time_steps
    time = constant(0, dtype=dtypes.int32, name="time")
    g = get_default_graph()
    with g.name_scope("dynamic_rnn") as base_name:
        pass

    def create_ta(name: str, element_shape: Any, dt: Any) -> TensorArray:
        return TensorArray(dtype=dt, size=time_steps, element_shape=element_shape,
                           tensor_array_name=base_name + name)  # fmt: skip

    state_dtype = infer_state_dtype(dtype, state)
    output_ta = tuple(
        create_ta(
            f"output_{i}",
            element_shape=TensorShape([const_batch_size]).concatenate(
                TensorShape(_maybe_tensor_shape_from_tensor(out_size))
            ),
            dt=state_dtype,
        )
        for i, out_size in enumerate(flat_output_size)
    )
    input_ta = tuple(
        create_ta(f"input_{i}", element_shape=x.shape[1:], dt=x.dtype)
        for i, x in enumerate(flat_input)
    )
    input_ta = tuple(ta.unstack(x) for ta, x in zip(input_ta, flat_input, strict=True))

    def time_step(time: Any, output_ta_t: Any, state: Any) -> Any:
        input_t = tuple(ta.read(time) for ta in input_ta)
        for input_, shp in zip(input_t, inputs_got_shape, strict=True):
            input_.set_shape(shp[1:])
        input_t = nest.pack_sequence_as(inputs, list(input_t))

        def call_cell() -> Any:
            return cell(input_t, state)

        if sequence_length is not None:
            (output, new_state) = rnn_step(
                time=time, sequence_length=sequence_length,
                min_sequence_length=min_sequence_length,
                max_sequence_length=max_sequence_length, zero_output=zero_output, state=state,
                call_cell=call_cell, state_size=state_size, skip_conditionals=True,
            )  # fmt: skip
        else:
            (output, new_state) = call_cell()
        output = nest.flatten(output)
        output_ta_t = tuple(ta.write(time, out) for ta, out in zip(output_ta_t, output,
                                                                     strict=True))  # fmt: skip
        return (time + 1, output_ta_t, new_state)

    loop_bound = minimum(time_steps, maximum(1, max_sequence_length))
    _, output_final_ta, final_state = while_loop(
        cond=lambda time, *_: time < loop_bound,
        body=time_step,
        loop_vars=(time, output_ta, state),
        parallel_iterations=parallel_iterations,
        maximum_iterations=time_steps,
        swap_memory=swap_memory,
    )
    _fusion.maybe_fuse(
        cell, flat_input, state, sequence_length, output_ta, output_final_ta, final_state
    )
    final_outputs = tuple(ta.stack() for ta in output_final_ta)
    for output, output_size in zip(final_outputs, flat_output_size, strict=True):
        output.set_shape(_concat([const_time_steps, const_batch_size], output_size, static=True))
    final_outputs = nest.pack_sequence_as(cell.output_size, list(final_outputs))
    return (final_outputs, final_state)


def bidirectional_dynamic_rnn(cell_fw: Any, cell_bw: Any, inputs: Any,
                              sequence_length: Any = None, initial_state_fw: Any = None,
                              initial_state_bw: Any = None, dtype: Any = None,
                              parallel_iterations: int | None = None, swap_memory: bool = False,
                              time_major: bool = False, scope: Any = None) -> Any:  # fmt: skip
    """Forward and backward ``dynamic_rnn`` (``tf.nn.bidirectional_dynamic_rnn``).

    The backward direction runs on the inputs reversed within each row's length
    (``reverse_sequence``; the whole time axis without ``sequence_length``) and its outputs are
    reversed back. Returns ``((output_fw, output_bw), (state_fw, state_bw))``.

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [2, 5, 3])
    >>> (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(
    ...     tf.nn.rnn_cell.GRUCell(4), tf.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32)
    >>> print(fw.name, bw.name)
    bidirectional_rnn/fw/fw/transpose_1:0 ReverseV2:0
    """
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, output_state_fw = dynamic_rnn(
                cell=cell_fw, inputs=inputs, sequence_length=sequence_length,
                initial_state=initial_state_fw, dtype=dtype,
                parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                time_major=time_major, scope=fw_scope,
            )  # fmt: skip
        if not time_major:
            time_axis, batch_axis = 1, 0
        else:
            time_axis, batch_axis = 0, 1

        def _reverse(input_: Any, seq_lengths: Any, seq_axis: int, batch_axis: int) -> Any:
            if seq_lengths is not None:
                return reverse_sequence(input=input_, seq_lengths=seq_lengths,
                                        seq_axis=seq_axis, batch_axis=batch_axis)  # fmt: skip
            return reverse(input_, axis=[seq_axis])

        with variable_scope("bw") as bw_scope:
            inputs_reverse = nest.map_structure(
                lambda inp: _reverse(inp, sequence_length, time_axis, batch_axis), inputs
            )
            tmp, output_state_bw = dynamic_rnn(
                cell=cell_bw, inputs=inputs_reverse, sequence_length=sequence_length,
                initial_state=initial_state_bw, dtype=dtype,
                parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                time_major=time_major, scope=bw_scope,
            )  # fmt: skip
    output_bw = _reverse(tmp, sequence_length, time_axis, batch_axis)
    return ((output_fw, output_bw), (output_state_fw, output_state_bw))


__all__ = [
    "best_effort_input_batch_size",
    "bidirectional_dynamic_rnn",
    "dynamic_rnn",
    "dynamic_rnn_loop",
    "infer_state_dtype",
    "rnn_step",
    "transpose_batch_time",
]
