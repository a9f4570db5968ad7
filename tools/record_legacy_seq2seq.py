"""Record TensorFlow's numbers for ``tf.contrib.legacy_seq2seq`` (missing from TF 2.21).

TF 2.21 has no ``legacy_seq2seq``. This script is a reimplementation, with TF's own ops and
``tf.compat.v1.nn`` cells, of TF 1.15's ``contrib/legacy_seq2seq/python/ops/seq2seq.py`` and the
two ``core_rnn_cell`` wrappers it uses, written step by step after that published code (same
variable scopes, ``_linear`` variables, attention equations, ``cond`` for a tensor
``feed_previous``). It runs the scenarios of ``tests/rnn/legacy_seq2seq_scenarios.py`` and writes
their variable names and shapes (``tests/rnn/golden/legacy_seq2seq.json``) and values and
gradients (``tests/rnn/golden/legacy_seq2seq.npz``). Needs TensorFlow (never a scopeflow
dependency)::

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_legacy_seq2seq.py
"""

from __future__ import annotations

import copy
import importlib.util
import json
import math
import os
import sys
import types
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "rnn" / "golden"


def build_reference(tf):
    """TF 1.15's legacy_seq2seq functions over ``tf`` (a ``tensorflow.compat.v1`` module)."""
    nest = tf.nest
    rnn_cell = tf.nn.rnn_cell

    def linear(args, output_size, bias):
        # core_rnn_cell._linear: kernel/bias in the current variable scope.
        if not isinstance(args, (list, tuple)):
            args = [args]
        total = sum(a.get_shape()[1].value for a in args)
        dtype = args[0].dtype
        scope = tf.get_variable_scope()
        with tf.variable_scope(scope) as outer_scope:
            weights = tf.get_variable("kernel", [total, output_size], dtype=dtype)
            res = tf.matmul(args[0] if len(args) == 1 else tf.concat(args, 1), weights)
            if not bias:
                return res
            with tf.variable_scope(outer_scope) as inner_scope:
                inner_scope.set_partitioner(None)
                biases = tf.get_variable(
                    "bias",
                    [output_size],
                    dtype=dtype,
                    initializer=tf.constant_initializer(0.0, dtype=dtype),
                )
            return tf.nn.bias_add(res, biases)

    class EmbeddingWrapper(rnn_cell.RNNCell):
        def __init__(self, cell, embedding_classes, embedding_size):
            super().__init__()
            self._cell = cell
            self._embedding_classes = embedding_classes
            self._embedding_size = embedding_size

        @property
        def state_size(self):
            return self._cell.state_size

        @property
        def output_size(self):
            return self._cell.output_size

        def zero_state(self, batch_size, dtype):
            with tf.name_scope(type(self).__name__ + "ZeroState"):
                return self._cell.zero_state(batch_size, dtype)

        def call(self, inputs, state):
            with tf.device("/cpu:0"):
                initializer = tf.get_variable_scope().initializer or tf.random_uniform_initializer(
                    -math.sqrt(3), math.sqrt(3)
                )
                data_type = nest.flatten(state)[0].dtype
                embedding = tf.get_variable(
                    "embedding",
                    [self._embedding_classes, self._embedding_size],
                    initializer=initializer,
                    dtype=data_type,
                )
                embedded = tf.nn.embedding_lookup(embedding, tf.reshape(inputs, [-1]))
                return self._cell(embedded, state)

    class OutputProjectionWrapper(rnn_cell.RNNCell):
        def __init__(self, cell, output_size):
            super().__init__()
            self._cell = cell
            self._output_size = output_size

        @property
        def state_size(self):
            return self._cell.state_size

        @property
        def output_size(self):
            return self._output_size

        def zero_state(self, batch_size, dtype):
            with tf.name_scope(type(self).__name__ + "ZeroState"):
                return self._cell.zero_state(batch_size, dtype)

        def call(self, inputs, state):
            output, res_state = self._cell(inputs, state)
            return linear(output, self._output_size, True), res_state

    def extract_argmax_and_embed(embedding, output_projection=None, update_embedding=True):
        def loop_function(prev, _):
            if output_projection is not None:
                prev = tf.nn.xw_plus_b(prev, output_projection[0], output_projection[1])
            emb_prev = tf.nn.embedding_lookup(embedding, tf.argmax(prev, 1))
            if not update_embedding:
                emb_prev = tf.stop_gradient(emb_prev)
            return emb_prev

        return loop_function

    def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
        with tf.variable_scope(scope or "rnn_decoder"):
            state = initial_state
            outputs = []
            prev = None
            for i, given in enumerate(decoder_inputs):
                inp = given
                if loop_function is not None and prev is not None:
                    with tf.variable_scope("loop_function", reuse=True):
                        inp = loop_function(prev, i)
                if i > 0:
                    tf.get_variable_scope().reuse_variables()
                output, state = cell(inp, state)
                outputs.append(output)
                if loop_function is not None:
                    prev = output
        return outputs, state

    def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=tf.float32, scope=None):
        with tf.variable_scope(scope or "basic_rnn_seq2seq"):
            enc_cell = copy.deepcopy(cell)
            _, enc_state = tf.nn.static_rnn(enc_cell, encoder_inputs, dtype=dtype)
            return rnn_decoder(decoder_inputs, enc_state, cell)

    def tied_rnn_seq2seq(
        encoder_inputs, decoder_inputs, cell, loop_function=None, dtype=tf.float32, scope=None
    ):
        with tf.variable_scope("combined_tied_rnn_seq2seq"):
            scope = scope or "tied_rnn_seq2seq"
            _, enc_state = tf.nn.static_rnn(cell, encoder_inputs, dtype=dtype, scope=scope)
            tf.get_variable_scope().reuse_variables()
            return rnn_decoder(
                decoder_inputs, enc_state, cell, loop_function=loop_function, scope=scope
            )

    def embedding_rnn_decoder(
        decoder_inputs,
        initial_state,
        cell,
        num_symbols,
        embedding_size,
        output_projection=None,
        feed_previous=False,
        update_embedding_for_previous=True,
        scope=None,
    ):
        with tf.variable_scope(scope or "embedding_rnn_decoder") as vs:
            if output_projection is not None:
                w = tf.convert_to_tensor(output_projection[0], dtype=vs.dtype)
                w.get_shape().assert_is_compatible_with([None, num_symbols])
                b = tf.convert_to_tensor(output_projection[1], dtype=vs.dtype)
                b.get_shape().assert_is_compatible_with([num_symbols])
            embedding = tf.get_variable("embedding", [num_symbols, embedding_size])
            loop_function = (
                extract_argmax_and_embed(
                    embedding, output_projection, update_embedding_for_previous
                )
                if feed_previous
                else None
            )
            emb_inp = (tf.nn.embedding_lookup(embedding, i) for i in decoder_inputs)
            return rnn_decoder(emb_inp, initial_state, cell, loop_function=loop_function)

    def two_decoders(feed_previous, decoder, outputs_len, structure):
        # TF 1.15: build decoder(True) and decoder(False) under one cond.
        def branch(flag):
            with tf.variable_scope(tf.get_variable_scope(), reuse=None if flag else True):
                outputs, state = decoder(flag)
                state_list = nest.flatten(state) if nest.is_nested(state) else [state]
                return outputs + state_list

        outputs_and_state = tf.cond(feed_previous, lambda: branch(True), lambda: branch(False))
        state_list = outputs_and_state[outputs_len:]
        state = state_list[0]
        if nest.is_nested(structure):
            state = nest.pack_sequence_as(structure=structure, flat_sequence=state_list)
        return outputs_and_state[:outputs_len], state

    def embedding_rnn_seq2seq(
        encoder_inputs,
        decoder_inputs,
        cell,
        num_encoder_symbols,
        num_decoder_symbols,
        embedding_size,
        output_projection=None,
        feed_previous=False,
        dtype=None,
        scope=None,
    ):
        with tf.variable_scope(scope or "embedding_rnn_seq2seq") as vs:
            if dtype is not None:
                vs.set_dtype(dtype)
            else:
                dtype = vs.dtype
            encoder_cell = EmbeddingWrapper(
                copy.deepcopy(cell), num_encoder_symbols, embedding_size
            )
            _, encoder_state = tf.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
            if output_projection is None:
                cell = OutputProjectionWrapper(cell, num_decoder_symbols)
            if isinstance(feed_previous, bool):
                return embedding_rnn_decoder(
                    decoder_inputs,
                    encoder_state,
                    cell,
                    num_decoder_symbols,
                    embedding_size,
                    output_projection=output_projection,
                    feed_previous=feed_previous,
                )
            return two_decoders(
                feed_previous,
                lambda flag: embedding_rnn_decoder(
                    decoder_inputs,
                    encoder_state,
                    cell,
                    num_decoder_symbols,
                    embedding_size,
                    output_projection=output_projection,
                    feed_previous=flag,
                    update_embedding_for_previous=False,
                ),
                len(decoder_inputs),
                encoder_state,
            )

    def embedding_tied_rnn_seq2seq(
        encoder_inputs,
        decoder_inputs,
        cell,
        num_symbols,
        embedding_size,
        num_decoder_symbols=None,
        output_projection=None,
        feed_previous=False,
        dtype=None,
        scope=None,
    ):
        with tf.variable_scope(scope or "embedding_tied_rnn_seq2seq", dtype=dtype) as vs:
            dtype = vs.dtype
            embedding = tf.get_variable("embedding", [num_symbols, embedding_size], dtype=dtype)
            emb_enc = [tf.nn.embedding_lookup(embedding, x) for x in encoder_inputs]
            emb_dec = [tf.nn.embedding_lookup(embedding, x) for x in decoder_inputs]
            output_symbols = num_decoder_symbols if num_decoder_symbols is not None else num_symbols
            if output_projection is None:
                cell = OutputProjectionWrapper(cell, output_symbols)

            def decoder(flag, update):
                loop_function = (
                    extract_argmax_and_embed(embedding, output_projection, update) if flag else None
                )
                return tied_rnn_seq2seq(
                    emb_enc, emb_dec, cell, loop_function=loop_function, dtype=dtype
                )

            if isinstance(feed_previous, bool):
                return decoder(feed_previous, True)
            batch = encoder_inputs[0].get_shape()[0].value
            if batch is None:
                batch = tf.shape(encoder_inputs[0])[0]
            zero_state = cell.zero_state(batch, dtype)
            return two_decoders(
                feed_previous, lambda flag: decoder(flag, False), len(decoder_inputs), zero_state
            )

    def attention_decoder(
        decoder_inputs,
        initial_state,
        attention_states,
        cell,
        output_size=None,
        num_heads=1,
        loop_function=None,
        dtype=None,
        scope=None,
        initial_state_attention=False,
    ):
        if output_size is None:
            output_size = cell.output_size
        with tf.variable_scope(scope or "attention_decoder", dtype=dtype) as vs:
            dtype = vs.dtype
            batch_size = tf.shape(decoder_inputs[0])[0]
            attn_length = attention_states.get_shape()[1].value
            if attn_length is None:
                attn_length = tf.shape(attention_states)[1]
            attn_size = attention_states.get_shape()[2].value
            hidden = tf.reshape(attention_states, [-1, attn_length, 1, attn_size])
            hidden_features = []
            v = []
            for a in range(num_heads):
                k = tf.get_variable(f"AttnW_{a}", [1, 1, attn_size, attn_size])
                hidden_features.append(tf.nn.conv2d(hidden, k, [1, 1, 1, 1], "SAME"))
                v.append(tf.get_variable(f"AttnV_{a}", [attn_size]))
            state = initial_state

            def attention(query):
                ds = []
                if nest.is_nested(query):
                    query = tf.concat(nest.flatten(query), 1)
                for a in range(num_heads):
                    with tf.variable_scope(f"Attention_{a}"):
                        y = tf.reshape(linear(query, attn_size, True), [-1, 1, 1, attn_size])
                        s = tf.reduce_sum(v[a] * tf.tanh(hidden_features[a] + y), [2, 3])
                        w = tf.nn.softmax(s)
                        d = tf.reduce_sum(tf.reshape(w, [-1, attn_length, 1, 1]) * hidden, [1, 2])
                        ds.append(tf.reshape(d, [-1, attn_size]))
                return ds

            outputs = []
            prev = None
            attns = [
                tf.zeros(tf.stack([batch_size, attn_size]), dtype=dtype) for _ in range(num_heads)
            ]
            for a in attns:
                a.set_shape([None, attn_size])
            if initial_state_attention:
                attns = attention(initial_state)
            for i, given in enumerate(decoder_inputs):
                inp = given
                if i > 0:
                    tf.get_variable_scope().reuse_variables()
                if loop_function is not None and prev is not None:
                    with tf.variable_scope("loop_function", reuse=True):
                        inp = loop_function(prev, i)
                input_size = inp.get_shape().with_rank(2)[1]
                x = linear([inp, *attns], input_size.value, True)
                cell_output, state = cell(x, state)
                if i == 0 and initial_state_attention:
                    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
                        attns = attention(state)
                else:
                    attns = attention(state)
                with tf.variable_scope("AttnOutputProjection"):
                    output = linear([cell_output, *attns], output_size, True)
                if loop_function is not None:
                    prev = output
                outputs.append(output)
        return outputs, state

    def embedding_attention_decoder(
        decoder_inputs,
        initial_state,
        attention_states,
        cell,
        num_symbols,
        embedding_size,
        num_heads=1,
        output_size=None,
        output_projection=None,
        feed_previous=False,
        update_embedding_for_previous=True,
        dtype=None,
        scope=None,
        initial_state_attention=False,
    ):
        if output_size is None:
            output_size = cell.output_size
        with tf.variable_scope(scope or "embedding_attention_decoder", dtype=dtype):
            embedding = tf.get_variable("embedding", [num_symbols, embedding_size])
            loop_function = (
                extract_argmax_and_embed(
                    embedding, output_projection, update_embedding_for_previous
                )
                if feed_previous
                else None
            )
            emb_inp = [tf.nn.embedding_lookup(embedding, i) for i in decoder_inputs]
            return attention_decoder(
                emb_inp,
                initial_state,
                attention_states,
                cell,
                output_size=output_size,
                num_heads=num_heads,
                loop_function=loop_function,
                initial_state_attention=initial_state_attention,
            )

    def embedding_attention_seq2seq(
        encoder_inputs,
        decoder_inputs,
        cell,
        num_encoder_symbols,
        num_decoder_symbols,
        embedding_size,
        encoder_cell=None,
        num_heads=1,
        output_projection=None,
        feed_previous=False,
        dtype=None,
        scope=None,
        initial_state_attention=False,
    ):
        with tf.variable_scope(scope or "embedding_attention_seq2seq", dtype=dtype) as vs:
            dtype = vs.dtype
            if encoder_cell is None:
                encoder_cell = copy.deepcopy(cell)
            encoder_cell = EmbeddingWrapper(encoder_cell, num_encoder_symbols, embedding_size)
            encoder_outputs, encoder_state = tf.nn.static_rnn(
                encoder_cell, encoder_inputs, dtype=dtype
            )
            top_states = [tf.reshape(e, [-1, 1, cell.output_size]) for e in encoder_outputs]
            attention_states = tf.concat(top_states, 1)
            output_size = None
            if output_projection is None:
                cell = OutputProjectionWrapper(cell, num_decoder_symbols)
                output_size = num_decoder_symbols

            def decoder(flag, update):
                return embedding_attention_decoder(
                    decoder_inputs,
                    encoder_state,
                    attention_states,
                    cell,
                    num_decoder_symbols,
                    embedding_size,
                    num_heads=num_heads,
                    output_size=output_size,
                    output_projection=output_projection,
                    feed_previous=flag,
                    update_embedding_for_previous=update,
                    initial_state_attention=initial_state_attention,
                )

            if isinstance(feed_previous, bool):
                return decoder(feed_previous, True)
            return two_decoders(
                feed_previous, lambda flag: decoder(flag, False), len(decoder_inputs), encoder_state
            )

    def one2many_rnn_seq2seq(
        encoder_inputs,
        decoder_inputs_dict,
        enc_cell,
        dec_cells_dict,
        num_encoder_symbols,
        num_decoder_symbols_dict,
        embedding_size,
        feed_previous=False,
        dtype=None,
        scope=None,
    ):
        outputs_dict = {}
        state_dict = {}
        with tf.variable_scope(scope or "one2many_rnn_seq2seq", dtype=dtype) as vs:
            dtype = vs.dtype
            enc_cell = EmbeddingWrapper(enc_cell, num_encoder_symbols, embedding_size)
            _, encoder_state = tf.nn.static_rnn(enc_cell, encoder_inputs, dtype=dtype)
            for name, decoder_inputs in decoder_inputs_dict.items():
                n = num_decoder_symbols_dict[name]
                with tf.variable_scope("one2many_decoder_" + str(name)):
                    dec_cell = OutputProjectionWrapper(dec_cells_dict[name], n)

                    def decode(flag, dec_cell=dec_cell, inputs=decoder_inputs, n=n):
                        return embedding_rnn_decoder(
                            inputs, encoder_state, dec_cell, n, embedding_size, feed_previous=flag
                        )

                    if isinstance(feed_previous, bool):
                        outputs, state = decode(feed_previous)
                    else:
                        outputs, state = two_decoders(
                            feed_previous, decode, len(decoder_inputs), encoder_state
                        )
                outputs_dict[name] = outputs
                state_dict[name] = state
        return outputs_dict, state_dict

    def sequence_loss_by_example(
        logits,
        targets,
        weights,
        average_across_timesteps=True,
        softmax_loss_function=None,
        name=None,
    ):
        if len(targets) != len(logits) or len(weights) != len(logits):
            raise ValueError(
                "Lengths of logits, weights, and targets must be the same "
                f"{len(logits)}, {len(weights)}, {len(targets)}."
            )
        with tf.name_scope(name, "sequence_loss_by_example", logits + targets + weights):
            log_perp_list = []
            for logit, target, weight in zip(logits, targets, weights, strict=True):
                if softmax_loss_function is None:
                    crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
                        labels=tf.reshape(target, [-1]), logits=logit
                    )
                else:
                    crossent = softmax_loss_function(labels=target, logits=logit)
                log_perp_list.append(crossent * weight)
            log_perps = tf.add_n(log_perp_list)
            if average_across_timesteps:
                total_size = tf.add_n(weights)
                total_size += 1e-12
                log_perps /= total_size
        return log_perps

    def sequence_loss(
        logits,
        targets,
        weights,
        average_across_timesteps=True,
        average_across_batch=True,
        softmax_loss_function=None,
        name=None,
    ):
        with tf.name_scope(name, "sequence_loss", logits + targets + weights):
            cost = tf.reduce_sum(
                sequence_loss_by_example(
                    logits, targets, weights, average_across_timesteps=average_across_timesteps
                )
            )
            if average_across_batch:
                return cost / tf.cast(tf.shape(targets[0])[0], cost.dtype)
            return cost

    def model_with_buckets(
        encoder_inputs,
        decoder_inputs,
        targets,
        weights,
        buckets,
        seq2seq,
        softmax_loss_function=None,
        per_example_loss=False,
        name=None,
    ):
        losses = []
        outputs = []
        all_inputs = encoder_inputs + decoder_inputs + targets + weights
        with tf.name_scope(name, "model_with_buckets", all_inputs):
            for j, bucket in enumerate(buckets):
                with tf.variable_scope(tf.get_variable_scope(), reuse=True if j > 0 else None):
                    bucket_outputs, _ = seq2seq(
                        encoder_inputs[: bucket[0]], decoder_inputs[: bucket[1]]
                    )
                    outputs.append(bucket_outputs)
                    fn = sequence_loss_by_example if per_example_loss else sequence_loss
                    losses.append(fn(outputs[-1], targets[: bucket[1]], weights[: bucket[1]]))
        return outputs, losses

    return types.SimpleNamespace(**{k: v for k, v in locals().items() if callable(v)})


def main() -> None:
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    spec = importlib.util.spec_from_file_location(
        "legacy_seq2seq_scenarios", ROOT / "tests" / "rnn" / "legacy_seq2seq_scenarios.py"
    )
    scen = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = scen
    spec.loader.exec_module(scen)
    ref = build_reference(tf)
    names_out = {}
    arrays_out = {}
    for fn in scen.SCENARIOS:
        names, arrays = scen.run(tf, ref, fn)
        names_out[fn.__name__] = names
        for k, v in arrays.items():
            arrays_out[f"{fn.__name__}/{k}"] = v
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "legacy_seq2seq.json").write_text(json.dumps(names_out, indent=1) + "\n")
    np.savez_compressed(OUT / "legacy_seq2seq.npz", **arrays_out)
    print(f"{len(names_out)} scenarios, {len(arrays_out)} arrays")


if __name__ == "__main__":
    main()
