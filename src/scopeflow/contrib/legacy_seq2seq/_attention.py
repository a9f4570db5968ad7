"""``tf.contrib.legacy_seq2seq``'s attention decoders, after TF 1.15's ``seq2seq.py``.

``attention_decoder`` (Vinyals et al. 2015's additive attention over ``attention_states`` with
``num_heads`` heads, ``initial_state_attention`` and a ``loop_function``),
``embedding_attention_decoder`` and ``embedding_attention_seq2seq`` (``feed_previous`` a Python
bool or a bool tensor, built as two decoders under a ``cond``). Variables are TF 1.15's:
``attention_decoder/AttnW_<h>`` (a ``[1, 1, attn_size, attn_size]`` 1x1 convolution kernel),
``attention_decoder/AttnV_<h>``, the input merge ``attention_decoder/kernel``/``bias``, the
query projections ``attention_decoder/Attention_<h>/kernel``/``bias``, the cell under
``attention_decoder/<cell>`` and ``attention_decoder/AttnOutputProjection/kernel``/``bias``.
TF 2.21 has no legacy_seq2seq; ``tools/record_legacy_seq2seq.py`` records TF's ops running
TF 1.15's code for the tests.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import copy
from typing import Any

from scopeflow._core.variable_scope import get_variable_scope, variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.contrib.legacy_seq2seq._seq2seq import _extract_argmax_and_embed, cond_decoder
from scopeflow.contrib.rnn._contrib_cells import EmbeddingWrapper, Linear, OutputProjectionWrapper
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops import nest
from scopeflow.ops.activation_ops import softmax
from scopeflow.ops.array_ops import concat, reshape, shape, stack, zeros
from scopeflow.ops.conv_ops import conv2d
from scopeflow.ops.embedding_ops import embedding_lookup
from scopeflow.ops.reduction_ops import reduce_sum
from scopeflow.ops.unary_ops import tanh
from scopeflow.rnn._static_rnn import static_rnn


def linear(args: Any, output_size: int, bias: bool) -> Any:
    """TF 1.15's ``core_rnn_cell._linear``: ``concat(args) @ kernel + bias`` in this scope."""
    return Linear(args, output_size, bias)(args)


def attention_decoder(decoder_inputs: Any, initial_state: Any, attention_states: Any, cell: Any,
                      output_size: int | None = None, num_heads: int = 1,
                      loop_function: Any = None, dtype: Any = None, scope: Any = None,
                      initial_state_attention: bool = False) -> Any:  # fmt: skip
    """RNN decoder attending over ``attention_states`` ``[batch, attn_length, attn_size]``.

    At each step the cell runs on ``linear([input] + previous attention reads)``; each head
    then reads ``softmax(v . tanh(W h_j + U state))``-weighted ``attention_states`` and the
    output is ``linear([cell_output] + reads)`` (under ``AttnOutputProjection``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.legacy_seq2seq import attention_decoder
    >>> cell = tf.nn.rnn_cell.GRUCell(4)
    >>> outs, st = attention_decoder([tf.zeros([2, 3])] * 2, cell.zero_state(2, tf.float32),
    ...                              tf.zeros([2, 5, 6]), cell)
    >>> print(len(outs), outs[0].shape, [v.op.name for v in tf.global_variables()][:3])
    2 (2, 4) ['attention_decoder/AttnW_0', 'attention_decoder/AttnV_0', 'attention_decoder/kernel']
    """
    if not decoder_inputs:
        raise ValueError("Must provide at least 1 input to attention decoder.")
    if num_heads < 1:
        raise ValueError("With less than 1 heads, use a non-attention decoder.")
    if attention_states.get_shape()[2].value is None:
        raise ValueError(
            f"Shape[2] of attention_states must be known: {attention_states.get_shape()}"
        )
    if output_size is None:
        output_size = cell.output_size
    with variable_scope(scope or "attention_decoder", dtype=dtype) as vs:
        dtype = vs.dtype
        batch_size = shape(decoder_inputs[0])[0]
        attn_length: Any = attention_states.get_shape()[1].value
        if attn_length is None:
            attn_length = shape(attention_states)[1]
        attn_size = attention_states.get_shape()[2].value
        hidden = reshape(attention_states, [-1, attn_length, 1, attn_size])
        hidden_features = []
        v = []
        attention_vec_size = attn_size
        for a in range(num_heads):
            k = get_variable(f"AttnW_{a}", [1, 1, attn_size, attention_vec_size])
            hidden_features.append(conv2d(hidden, k, [1, 1, 1, 1], "SAME"))
            v.append(get_variable(f"AttnV_{a}", [attention_vec_size]))

        def attention(query: Any) -> list[Any]:
            ds = []
            if nest.is_nested(query):
                query_list = nest.flatten(query)
                for q in query_list:
                    ndims = q.get_shape().ndims
                    if ndims and ndims != 2:
                        raise AssertionError(f"attention query parts must be 2-D, got {ndims}")
                query = concat(query_list, 1)
            for a in range(num_heads):
                with variable_scope(f"Attention_{a}"):
                    y = linear(query, attention_vec_size, True)
                    y = reshape(y, [-1, 1, 1, attention_vec_size])
                    s = reduce_sum(v[a] * tanh(hidden_features[a] + y), [2, 3])
                    weights = softmax(s)
                    d = reduce_sum(reshape(weights, [-1, attn_length, 1, 1]) * hidden, [1, 2])
                    ds.append(reshape(d, [-1, attn_size]))
            return ds

        state = initial_state
        outputs = []
        prev = None
        batch_attn_size = stack([batch_size, attn_size])
        attns = [zeros(batch_attn_size, dtype=dtype) for _ in range(num_heads)]
        for att in attns:
            att.set_shape([None, attn_size])
        if initial_state_attention:
            attns = attention(initial_state)
        for i, given in enumerate(decoder_inputs):
            inp = given
            if i > 0:
                get_variable_scope().reuse_variables()
            if loop_function is not None and prev is not None:
                with variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            input_size = inp.get_shape().with_rank(2)[1]
            if input_size.value is None:
                raise ValueError(f"Could not infer input size from input: {inp.name}")
            x = linear([inp, *attns], input_size.value, True)
            cell_output, state = cell(x, state)
            if i == 0 and initial_state_attention:
                with variable_scope(get_variable_scope(), reuse=True):
                    attns = attention(state)
            else:
                attns = attention(state)
            with variable_scope("AttnOutputProjection"):
                output = linear([cell_output, *attns], output_size, True)
            if loop_function is not None:
                prev = output
            outputs.append(output)
    return outputs, state


def embedding_attention_decoder(decoder_inputs: Any, initial_state: Any, attention_states: Any,
                                cell: Any, num_symbols: int, embedding_size: int,
                                num_heads: int = 1, output_size: int | None = None,
                                output_projection: Any = None, feed_previous: bool = False,
                                update_embedding_for_previous: bool = True, dtype: Any = None,
                                scope: Any = None,
                                initial_state_attention: bool = False) -> Any:  # fmt: skip
    """``attention_decoder`` over embedded symbol ids (greedy feedback with ``feed_previous``).

    >>> from scopeflow.contrib.legacy_seq2seq import embedding_attention_decoder
    >>> print(callable(embedding_attention_decoder))
    True
    """
    if output_size is None:
        output_size = cell.output_size
    if output_projection is not None:
        proj_biases = convert_to_tensor(output_projection[1], dtype=dtype)
        proj_biases.get_shape().assert_is_compatible_with([num_symbols])
    with variable_scope(scope or "embedding_attention_decoder", dtype=dtype):
        embedding = get_variable("embedding", [num_symbols, embedding_size])
        loop_function = (
            _extract_argmax_and_embed(embedding, output_projection, update_embedding_for_previous)
            if feed_previous else None
        )  # fmt: skip
        emb_inp = [embedding_lookup(embedding, i) for i in decoder_inputs]
        return attention_decoder(emb_inp, initial_state, attention_states, cell,
                                 output_size=output_size, num_heads=num_heads,
                                 loop_function=loop_function,
                                 initial_state_attention=initial_state_attention)  # fmt: skip


def embedding_attention_seq2seq(encoder_inputs: Any, decoder_inputs: Any, cell: Any,
                                num_encoder_symbols: int, num_decoder_symbols: int,
                                embedding_size: int, encoder_cell: Any = None,
                                num_heads: int = 1, output_projection: Any = None,
                                feed_previous: Any = False, dtype: Any = None,
                                scope: Any = None,
                                initial_state_attention: bool = False) -> Any:  # fmt: skip
    """Embedding encoder (``static_rnn``) and attention decoder over the encoder's outputs.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.legacy_seq2seq import embedding_attention_seq2seq
    >>> ids = [tf.zeros([2], tf.int32)] * 3
    >>> outs, _ = embedding_attention_seq2seq(ids, ids, tf.nn.rnn_cell.GRUCell(4), 7, 9, 5)
    >>> print(outs[0].shape, tf.global_variables()[-1].op.name)
    (2, 9) embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnOutputProjection/bias
    """  # noqa: E501
    with variable_scope(scope or "embedding_attention_seq2seq", dtype=dtype) as vs:
        dtype = vs.dtype
        if encoder_cell is None:
            encoder_cell = copy.deepcopy(cell)
        encoder_cell = EmbeddingWrapper(encoder_cell, embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)  # fmt: skip
        encoder_outputs, encoder_state = static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        top_states = [reshape(e, [-1, 1, cell.output_size]) for e in encoder_outputs]
        attention_states = concat(top_states, 1)
        output_size = None
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)
            output_size = num_decoder_symbols

        def decode(feed: bool, update_embedding: bool) -> Any:
            return embedding_attention_decoder(
                decoder_inputs, encoder_state, attention_states, cell, num_decoder_symbols,
                embedding_size, num_heads=num_heads, output_size=output_size,
                output_projection=output_projection, feed_previous=feed,
                update_embedding_for_previous=update_embedding,
                initial_state_attention=initial_state_attention,
            )  # fmt: skip

        if isinstance(feed_previous, bool):
            return decode(feed_previous, True)
        return cond_decoder(feed_previous, lambda fp: decode(fp, False), len(decoder_inputs),
                            encoder_state)  # fmt: skip


__all__ = ["attention_decoder", "embedding_attention_decoder", "embedding_attention_seq2seq"]
