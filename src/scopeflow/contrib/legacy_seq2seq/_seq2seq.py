"""``tf.contrib.legacy_seq2seq`` after TF 1.15's ``seq2seq.py`` (missing from TF 2.21).

Statically unrolled decoders over lists of per-step tensors: ``rnn_decoder``,
``basic_rnn_seq2seq``, ``tied_rnn_seq2seq``, ``embedding_rnn_decoder``,
``embedding_rnn_seq2seq``, ``embedding_tied_rnn_seq2seq``, ``one2many_rnn_seq2seq``, the losses
``sequence_loss_by_example``/``sequence_loss`` and ``model_with_buckets``. A ``feed_previous``
given as a bool tensor builds both decoders (feeding back first, creating the variables; then
reusing them) under one ``cond``, as TF does. Scopes and variable names are TF 1.15's
(``embedding_rnn_seq2seq/rnn/embedding_wrapper/embedding``,
``embedding_rnn_seq2seq/embedding_rnn_decoder/embedding``...).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import copy
from typing import Any

from scopeflow._core.variable_scope import get_variable_scope, variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.contrib.rnn._contrib_cells import EmbeddingWrapper, OutputProjectionWrapper
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops import nest
from scopeflow.ops.array_ops import reshape, shape
from scopeflow.ops.control_flow_ops import cond
from scopeflow.ops.embedding_ops import embedding_lookup
from scopeflow.ops.gradients_impl import stop_gradient
from scopeflow.ops.math_ops import cast
from scopeflow.ops.matmul_ops import add_n
from scopeflow.ops.nn_loss_ops import sparse_softmax_cross_entropy_with_logits
from scopeflow.ops.nn_ops import xw_plus_b
from scopeflow.ops.reduction_ops import argmax, reduce_sum
from scopeflow.rnn._cell_base import RNNCell
from scopeflow.rnn._static_rnn import static_rnn


def rnn_decoder(decoder_inputs: Any, initial_state: Any, cell: Any, loop_function: Any = None,
                scope: Any = None) -> Any:  # fmt: skip
    """Runs ``cell`` over ``decoder_inputs`` (``loop_function`` feeds back the previous output).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.legacy_seq2seq import rnn_decoder
    >>> cell = tf.nn.rnn_cell.GRUCell(3)
    >>> outs, st = rnn_decoder([tf.zeros([2, 4])] * 2, cell.zero_state(2, tf.float32), cell)
    >>> print(len(outs), tf.global_variables()[0].name)
    2 rnn_decoder/gru_cell/gates/kernel:0
    """
    with variable_scope(scope or "rnn_decoder"):
        state = initial_state
        outputs = []
        prev = None
        for i, given in enumerate(decoder_inputs):
            inp = given
            if loop_function is not None and prev is not None:
                with variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            if i > 0:
                get_variable_scope().reuse_variables()
            output, state = cell(inp, state)
            outputs.append(output)
            if loop_function is not None:
                prev = output
    return outputs, state


def basic_rnn_seq2seq(encoder_inputs: Any, decoder_inputs: Any, cell: Any, dtype: Any = None,
                      scope: Any = None) -> Any:  # fmt: skip
    """Encoder ``static_rnn`` (a copy of ``cell``) feeding ``rnn_decoder``.

    >>> from scopeflow.contrib.legacy_seq2seq import basic_rnn_seq2seq
    >>> print(callable(basic_rnn_seq2seq))
    True
    """
    from scopeflow._core import dtypes  # noqa: PLC0415

    with variable_scope(scope or "basic_rnn_seq2seq"):
        enc_cell = copy.deepcopy(cell)
        _, enc_state = static_rnn(enc_cell, encoder_inputs, dtype=dtype or dtypes.float32)
        return rnn_decoder(decoder_inputs, enc_state, cell)


def tied_rnn_seq2seq(encoder_inputs: Any, decoder_inputs: Any, cell: Any,
                     loop_function: Any = None, dtype: Any = None,
                     scope: Any = None) -> Any:  # fmt: skip
    """Encoder and decoder sharing ``cell``'s variables (under ``combined_tied_rnn_seq2seq``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.legacy_seq2seq import tied_rnn_seq2seq
    >>> outs, _ = tied_rnn_seq2seq([tf.zeros([2, 3])] * 2, [tf.zeros([2, 3])],
    ...                            tf.nn.rnn_cell.GRUCell(4))
    >>> print(tf.global_variables()[0].op.name)
    combined_tied_rnn_seq2seq/tied_rnn_seq2seq/gru_cell/gates/kernel
    """
    from scopeflow._core import dtypes  # noqa: PLC0415

    with variable_scope("combined_tied_rnn_seq2seq"):
        scope = scope or "tied_rnn_seq2seq"
        _, enc_state = static_rnn(cell, encoder_inputs, dtype=dtype or dtypes.float32,
                                  scope=scope)  # fmt: skip
        get_variable_scope().reuse_variables()
        return rnn_decoder(decoder_inputs, enc_state, cell, loop_function=loop_function,
                           scope=scope)  # fmt: skip


def cond_decoder(feed_previous: Any, decode: Any, outputs_len: int, structure: Any) -> Any:
    """Both decoders under ``cond(feed_previous)`` (the feeding one creates the variables).

    ``decode(feed: bool)`` returns ``(outputs, state)``; the state is packed like
    ``structure``. TF 1.15's construction for a tensor ``feed_previous``.
    """

    def branch(feed: bool) -> Any:
        with variable_scope(get_variable_scope(), reuse=None if feed else True):
            outputs, state = decode(feed)
            state_list = nest.flatten(state) if nest.is_nested(state) else [state]
            return list(outputs) + state_list

    outputs_and_state = cond(feed_previous, lambda: branch(True), lambda: branch(False))
    state_list = outputs_and_state[outputs_len:]
    state = state_list[0]
    if nest.is_nested(structure):
        state = nest.pack_sequence_as(structure, state_list)
    return outputs_and_state[:outputs_len], state


def _extract_argmax_and_embed(embedding: Any, output_projection: Any = None,
                              update_embedding: bool = True) -> Any:  # fmt: skip
    def loop_function(prev: Any, _: Any) -> Any:
        if output_projection is not None:
            prev = xw_plus_b(prev, output_projection[0], output_projection[1])
        prev_symbol = argmax(prev, 1)
        emb_prev = embedding_lookup(embedding, prev_symbol)
        if not update_embedding:
            emb_prev = stop_gradient(emb_prev)
        return emb_prev

    return loop_function


def embedding_rnn_decoder(decoder_inputs: Any, initial_state: Any, cell: Any, num_symbols: int,
                          embedding_size: int, output_projection: Any = None,
                          feed_previous: bool = False, update_embedding_for_previous: bool = True,
                          scope: Any = None) -> Any:  # fmt: skip
    """``rnn_decoder`` over embedded symbol ids (greedy feedback with ``feed_previous``).

    >>> from scopeflow.contrib.legacy_seq2seq import embedding_rnn_decoder
    >>> print(callable(embedding_rnn_decoder))
    True
    """
    with variable_scope(scope or "embedding_rnn_decoder") as vs:
        if output_projection is not None:
            dtype = vs.dtype
            proj_weights = convert_to_tensor(output_projection[0], dtype=dtype)
            proj_weights.get_shape().assert_is_compatible_with([None, num_symbols])
            proj_biases = convert_to_tensor(output_projection[1], dtype=dtype)
            proj_biases.get_shape().assert_is_compatible_with([num_symbols])
        embedding = get_variable("embedding", [num_symbols, embedding_size])
        loop_function = (
            _extract_argmax_and_embed(embedding, output_projection, update_embedding_for_previous)
            if feed_previous else None
        )  # fmt: skip
        emb_inp = [embedding_lookup(embedding, i) for i in decoder_inputs]
        return rnn_decoder(emb_inp, initial_state, cell, loop_function=loop_function)


def embedding_rnn_seq2seq(encoder_inputs: Any, decoder_inputs: Any, cell: Any,
                          num_encoder_symbols: int, num_decoder_symbols: int, embedding_size: int,
                          output_projection: Any = None, feed_previous: Any = False,
                          dtype: Any = None, scope: Any = None) -> Any:  # fmt: skip
    """Embedding encoder-decoder (TF 1.15's ``embedding_rnn_seq2seq``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.legacy_seq2seq import embedding_rnn_seq2seq
    >>> enc = [tf.zeros([2], tf.int32)] * 3
    >>> outs, _ = embedding_rnn_seq2seq(enc, enc, tf.nn.rnn_cell.GRUCell(4), 7, 9, 5)
    >>> print(outs[0].shape, tf.global_variables()[0].name)
    (2, 9) embedding_rnn_seq2seq/rnn/embedding_wrapper/embedding:0
    """
    with variable_scope(scope or "embedding_rnn_seq2seq") as vs:
        if dtype is not None:
            vs.set_dtype(dtype)
        else:
            dtype = vs.dtype
        encoder_cell = EmbeddingWrapper(copy.deepcopy(cell), embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)  # fmt: skip
        _, encoder_state = static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)
        if isinstance(feed_previous, bool):
            return embedding_rnn_decoder(decoder_inputs, encoder_state, cell,
                                         num_decoder_symbols, embedding_size,
                                         output_projection=output_projection,
                                         feed_previous=feed_previous)  # fmt: skip

        def decode(feed: bool) -> Any:
            return embedding_rnn_decoder(decoder_inputs, encoder_state, cell,
                                         num_decoder_symbols, embedding_size,
                                         output_projection=output_projection, feed_previous=feed,
                                         update_embedding_for_previous=False)  # fmt: skip

        return cond_decoder(feed_previous, decode, len(decoder_inputs), encoder_state)


def embedding_tied_rnn_seq2seq(encoder_inputs: Any, decoder_inputs: Any, cell: Any,
                               num_symbols: int, embedding_size: int,
                               num_decoder_symbols: int | None = None,
                               output_projection: Any = None, feed_previous: Any = False,
                               dtype: Any = None, scope: Any = None) -> Any:  # fmt: skip
    """``tied_rnn_seq2seq`` over one shared embedding of encoder and decoder symbols.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.legacy_seq2seq import embedding_tied_rnn_seq2seq
    >>> ids = [tf.zeros([2], tf.int32)] * 2
    >>> outs, _ = embedding_tied_rnn_seq2seq(ids, ids, tf.nn.rnn_cell.GRUCell(4), 6, 3)
    >>> print(outs[0].shape, tf.global_variables()[0].op.name)
    (2, 6) embedding_tied_rnn_seq2seq/embedding
    """
    with variable_scope(scope or "embedding_tied_rnn_seq2seq", dtype=dtype) as vs:
        dtype = vs.dtype
        if output_projection is not None:
            proj_weights = convert_to_tensor(output_projection[0], dtype=dtype)
            proj_weights.get_shape().assert_is_compatible_with([None, num_symbols])
            proj_biases = convert_to_tensor(output_projection[1], dtype=dtype)
            proj_biases.get_shape().assert_is_compatible_with([num_symbols])
        embedding = get_variable("embedding", [num_symbols, embedding_size], dtype=dtype)
        emb_encoder_inputs = [embedding_lookup(embedding, x) for x in encoder_inputs]
        emb_decoder_inputs = [embedding_lookup(embedding, x) for x in decoder_inputs]
        output_symbols = num_symbols if num_decoder_symbols is None else num_decoder_symbols
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, output_symbols)

        def decode(feed: bool, update_embedding: bool) -> Any:
            loop_function = (
                _extract_argmax_and_embed(embedding, output_projection, update_embedding)
                if feed else None
            )  # fmt: skip
            return tied_rnn_seq2seq(emb_encoder_inputs, emb_decoder_inputs, cell,
                                    loop_function=loop_function, dtype=dtype)  # fmt: skip

        if isinstance(feed_previous, bool):
            return decode(feed_previous, True)
        static_batch_size = encoder_inputs[0].get_shape()[0]
        for inp in encoder_inputs[1:]:
            static_batch_size.merge_with(inp.get_shape()[0])
        batch_size: Any = static_batch_size.value
        if batch_size is None:
            batch_size = shape(encoder_inputs[0])[0]
        zero_state = cell.zero_state(batch_size, dtype)
        return cond_decoder(feed_previous, lambda fp: decode(fp, False), len(decoder_inputs),
                            zero_state)  # fmt: skip


def one2many_rnn_seq2seq(encoder_inputs: Any, decoder_inputs_dict: Any, enc_cell: Any,
                         dec_cells_dict: Any, num_encoder_symbols: int,
                         num_decoder_symbols_dict: Any, embedding_size: int,
                         feed_previous: Any = False, dtype: Any = None,
                         scope: Any = None) -> Any:  # fmt: skip
    """One embedding encoder, one embedding decoder per task (``one2many_decoder_<name>``).

    >>> from scopeflow.contrib.legacy_seq2seq import one2many_rnn_seq2seq
    >>> print(callable(one2many_rnn_seq2seq))
    True
    """
    outputs_dict = {}
    state_dict = {}
    if not isinstance(enc_cell, RNNCell):
        raise TypeError(f"enc_cell is not an RNNCell: {type(enc_cell)}")
    if set(dec_cells_dict) != set(decoder_inputs_dict):
        raise ValueError("keys of dec_cells_dict != keys of decodre_inputs_dict")
    for dec_cell in dec_cells_dict.values():
        if not isinstance(dec_cell, RNNCell):
            raise TypeError(f"dec_cell is not an RNNCell: {type(dec_cell)}")
    with variable_scope(scope or "one2many_rnn_seq2seq", dtype=dtype) as vs:
        dtype = vs.dtype
        enc_cell = EmbeddingWrapper(enc_cell, embedding_classes=num_encoder_symbols,
                                    embedding_size=embedding_size)  # fmt: skip
        _, encoder_state = static_rnn(enc_cell, encoder_inputs, dtype=dtype)
        for name, decoder_inputs in decoder_inputs_dict.items():
            num_decoder_symbols = num_decoder_symbols_dict[name]
            with variable_scope("one2many_decoder_" + str(name)):
                dec_cell = OutputProjectionWrapper(dec_cells_dict[name], num_decoder_symbols)

                def decode(feed: bool, dec_cell: Any = dec_cell, inputs: Any = decoder_inputs,
                           n: int = num_decoder_symbols) -> Any:  # fmt: skip
                    return embedding_rnn_decoder(inputs, encoder_state, dec_cell, n,
                                                 embedding_size, feed_previous=feed)  # fmt: skip

                if isinstance(feed_previous, bool):
                    outputs, state = decode(feed_previous)
                else:
                    outputs, state = cond_decoder(feed_previous, decode, len(decoder_inputs),
                                                  encoder_state)  # fmt: skip
            outputs_dict[name] = outputs
            state_dict[name] = state
    return outputs_dict, state_dict


def sequence_loss_by_example(logits: Any, targets: Any, weights: Any,
                             average_across_timesteps: bool = True,
                             softmax_loss_function: Any = None,
                             name: str | None = None) -> Any:  # fmt: skip
    """Per-example weighted cross-entropy over lists of per-step logits/targets/weights.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.legacy_seq2seq import sequence_loss_by_example
    >>> l = sequence_loss_by_example([tf.zeros([2, 3])], [tf.zeros([2], tf.int32)],
    ...                              [tf.ones([2])])
    >>> print(l.shape)
    (2,)
    """
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError(
            "Lengths of logits, weights, and targets must be the same "
            f"{len(logits)}, {len(weights)}, {len(targets)}."
        )
    with get_default_graph().name_scope(name or "sequence_loss_by_example"):
        log_perp_list = []
        for logit, target, weight in zip(logits, targets, weights, strict=True):
            if softmax_loss_function is None:
                flat = reshape(target, [-1])
                crossent = sparse_softmax_cross_entropy_with_logits(labels=flat, logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            log_perp_list.append(crossent * weight)
        log_perps = add_n(log_perp_list)
        if average_across_timesteps:
            total_size = add_n(weights)
            total_size += 1e-12
            log_perps /= total_size
    return log_perps


def sequence_loss(logits: Any, targets: Any, weights: Any, average_across_timesteps: bool = True,
                  average_across_batch: bool = True, softmax_loss_function: Any = None,
                  name: str | None = None) -> Any:  # fmt: skip
    """Sum (or batch mean) of ``sequence_loss_by_example``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.legacy_seq2seq import sequence_loss
    >>> l = sequence_loss([tf.zeros([2, 3])], [tf.zeros([2], tf.int32)], [tf.ones([2])])
    >>> print(l.shape)
    ()
    """
    with get_default_graph().name_scope(name or "sequence_loss"):
        cost = reduce_sum(sequence_loss_by_example(
            logits, targets, weights, average_across_timesteps=average_across_timesteps,
            softmax_loss_function=softmax_loss_function))  # fmt: skip
        if average_across_batch:
            batch_size = shape(targets[0])[0]
            return cost / cast(batch_size, cost.dtype)
        return cost


def model_with_buckets(encoder_inputs: Any, decoder_inputs: Any, targets: Any, weights: Any,
                       buckets: Any, seq2seq: Any, softmax_loss_function: Any = None,
                       per_example_loss: bool = False, name: str | None = None) -> Any:  # fmt: skip
    """``seq2seq`` built once per bucket on the inputs' prefixes (variables shared), with losses.

    Returns ``(outputs, losses)``: per bucket, the decoder outputs and ``sequence_loss`` (or
    ``sequence_loss_by_example`` with ``per_example_loss``).

    >>> from scopeflow.contrib.legacy_seq2seq import model_with_buckets
    >>> print(callable(model_with_buckets))
    True
    """
    if len(encoder_inputs) < buckets[-1][0]:
        raise ValueError(
            f"Length of encoder_inputs ({len(encoder_inputs)}) must be at least that of last "
            f"bucket ({buckets[-1][0]})."
        )
    if len(targets) < buckets[-1][1]:
        raise ValueError(
            f"Length of targets ({len(targets)}) must be at least that of lastbucket "
            f"({buckets[-1][1]})."
        )
    if len(weights) < buckets[-1][1]:
        raise ValueError(
            f"Length of weights ({len(weights)}) must be at least that of lastbucket "
            f"({buckets[-1][1]})."
        )
    losses = []
    outputs = []
    with get_default_graph().name_scope(name or "model_with_buckets"):
        for j, bucket in enumerate(buckets):
            with variable_scope(get_variable_scope(), reuse=True if j > 0 else None):
                bucket_outputs, _ = seq2seq(encoder_inputs[: bucket[0]],
                                            decoder_inputs[: bucket[1]])  # fmt: skip
                outputs.append(bucket_outputs)
                loss_fn = sequence_loss_by_example if per_example_loss else sequence_loss
                losses.append(loss_fn(outputs[-1], targets[: bucket[1]], weights[: bucket[1]],
                                      softmax_loss_function=softmax_loss_function))  # fmt: skip
    return outputs, losses


__all__ = [
    "basic_rnn_seq2seq",
    "cond_decoder",
    "embedding_rnn_decoder",
    "embedding_rnn_seq2seq",
    "embedding_tied_rnn_seq2seq",
    "model_with_buckets",
    "one2many_rnn_seq2seq",
    "rnn_decoder",
    "sequence_loss",
    "sequence_loss_by_example",
    "tied_rnn_seq2seq",
]
