"""TF 1.15's ``tf.contrib.crf`` (``contrib/crf/python/ops/crf.py`` at r1.15), transcribed onto the
public ``tf.compat.v1`` API so that the TF 2 oracle (which has no ``tf.contrib``) can run it.

``nn_x_crf`` cases call ``crf_module(tf)``: scopeflow's own ``tf.contrib.crf`` when ``tf`` has
it, otherwise this transcription built on the ``tf`` module passed in. The goldens are recorded
by ``tools/record_tf_golden.py nn_x_crf`` running the transcription under TensorFlow, so they
hold TensorFlow's values, variable names and gradients for TF 1.15's CRF math. This file never
imports TensorFlow itself.
"""

import types

import numpy as np


def crf_module(tf):
    contrib = getattr(tf, "contrib", None)
    if contrib is not None:
        return contrib.crf
    return _transcription(tf)


def _transcription(tf):
    def _dim(x, axis):
        return tf.compat.dimension_value(x.shape[axis])

    def _smart_cond(pred, true_fn, false_fn):
        # tensorflow.python.layers.utils.smart_cond: constant_value(pred) picks a branch.
        value = tf.get_static_value(pred)
        if value is None:
            return tf.cond(pred, true_fn, false_fn)
        return true_fn() if value else false_fn()

    def crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params):
        def _single_seq_fn():
            batch_size = tf.shape(inputs, out_type=tag_indices.dtype)[0]
            example_inds = tf.reshape(tf.range(batch_size, dtype=tag_indices.dtype), [-1, 1])
            scores = tf.gather_nd(
                tf.squeeze(inputs, [1]), tf.concat([example_inds, tag_indices], axis=1)
            )
            return tf.where(tf.less_equal(sequence_lengths, 0), tf.zeros_like(scores), scores)

        def _multi_seq_fn():
            unary = crf_unary_score(tag_indices, sequence_lengths, inputs)
            binary = crf_binary_score(tag_indices, sequence_lengths, transition_params)
            return unary + binary

        return _smart_cond(
            tf.equal(_dim(inputs, 1) or tf.shape(inputs)[1], 1), _single_seq_fn, _multi_seq_fn
        )

    def crf_multitag_sequence_score(inputs, tag_bitmap, sequence_lengths, transition_params):
        filtered = tf.where(tag_bitmap, inputs, tf.fill(tf.shape(inputs), float("-inf")))

        def _single_seq_fn():
            return tf.reduce_logsumexp(filtered, axis=[1, 2], keepdims=False)

        def _multi_seq_fn():
            return crf_log_norm(filtered, sequence_lengths, transition_params)

        return _smart_cond(
            tf.equal(_dim(inputs, 1) or tf.shape(inputs)[1], 1), _single_seq_fn, _multi_seq_fn
        )

    def crf_log_norm(inputs, sequence_lengths, transition_params):
        first_input = tf.squeeze(tf.slice(inputs, [0, 0, 0], [-1, 1, -1]), [1])

        def _single_seq_fn():
            log_norm = tf.reduce_logsumexp(first_input, [1])
            return tf.where(tf.less_equal(sequence_lengths, 0), tf.zeros_like(log_norm), log_norm)

        def _multi_seq_fn():
            rest = tf.slice(inputs, [0, 1, 0], [-1, -1, -1])
            cell = CrfForwardRnnCell(transition_params)
            less_one = tf.maximum(
                tf.constant(0, dtype=sequence_lengths.dtype), sequence_lengths - 1
            )
            _, alphas = tf.nn.dynamic_rnn(
                cell=cell,
                inputs=rest,
                sequence_length=less_one,
                initial_state=first_input,
                dtype=tf.float32,
            )
            log_norm = tf.reduce_logsumexp(alphas, [1])
            return tf.where(tf.less_equal(sequence_lengths, 0), tf.zeros_like(log_norm), log_norm)

        return tf.cond(tf.equal(tf.shape(inputs)[1], 1), _single_seq_fn, _multi_seq_fn)

    def crf_log_likelihood(inputs, tag_indices, sequence_lengths, transition_params=None):
        num_tags = _dim(inputs, 2)
        if transition_params is None:
            transition_params = tf.get_variable("transitions", [num_tags, num_tags])
        scores = crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params)
        log_norm = crf_log_norm(inputs, sequence_lengths, transition_params)
        return scores - log_norm, transition_params

    def crf_unary_score(tag_indices, sequence_lengths, inputs):
        batch_size = tf.shape(inputs)[0]
        max_seq_len = tf.shape(inputs)[1]
        num_tags = tf.shape(inputs)[2]
        flat = tf.reshape(inputs, [-1])
        offsets = tf.expand_dims(tf.range(batch_size) * max_seq_len * num_tags, 1)
        offsets += tf.expand_dims(tf.range(max_seq_len) * num_tags, 0)
        if tag_indices.dtype == tf.int64:
            offsets = tf.cast(offsets, tf.int64)
        flat_tags = tf.reshape(offsets + tag_indices, [-1])
        unary = tf.reshape(tf.gather(flat, flat_tags), [batch_size, max_seq_len])
        masks = tf.sequence_mask(
            sequence_lengths, maxlen=tf.shape(tag_indices)[1], dtype=tf.float32
        )
        return tf.reduce_sum(unary * masks, 1)

    def crf_binary_score(tag_indices, sequence_lengths, transition_params):
        num_tags = _dim(transition_params, 0)
        num_transitions = tf.shape(tag_indices)[1] - 1
        start = tf.slice(tag_indices, [0, 0], [-1, num_transitions])
        end = tf.slice(tag_indices, [0, 1], [-1, num_transitions])
        flat_idx = start * num_tags + end
        binary = tf.gather(tf.reshape(transition_params, [-1]), flat_idx)
        masks = tf.sequence_mask(
            sequence_lengths, maxlen=tf.shape(tag_indices)[1], dtype=tf.float32
        )
        return tf.reduce_sum(binary * tf.slice(masks, [0, 1], [-1, -1]), 1)

    base = tf.nn.rnn_cell.RNNCell

    class CrfForwardRnnCell(base):
        def __init__(self, transition_params):
            self._transition_params = tf.expand_dims(transition_params, 0)
            self._num_tags = _dim(transition_params, 0)

        @property
        def state_size(self):
            return self._num_tags

        @property
        def output_size(self):
            return self._num_tags

        def __call__(self, inputs, state, scope=None):
            scores = tf.expand_dims(state, 2) + self._transition_params
            new_alphas = inputs + tf.reduce_logsumexp(scores, [1])
            return new_alphas, new_alphas

    class CrfDecodeForwardRnnCell(base):
        def __init__(self, transition_params):
            self._transition_params = tf.expand_dims(transition_params, 0)
            self._num_tags = _dim(transition_params, 0)

        @property
        def state_size(self):
            return self._num_tags

        @property
        def output_size(self):
            return self._num_tags

        def __call__(self, inputs, state, scope=None):
            scores = tf.expand_dims(state, 2) + self._transition_params
            new_state = inputs + tf.reduce_max(scores, [1])
            return tf.cast(tf.argmax(scores, 1), dtype=tf.int32), new_state

    class CrfDecodeBackwardRnnCell(base):
        def __init__(self, num_tags):
            self._num_tags = num_tags

        @property
        def state_size(self):
            return 1

        @property
        def output_size(self):
            return 1

        def __call__(self, inputs, state, scope=None):
            state = tf.squeeze(state, axis=[1])
            b_indices = tf.range(tf.shape(inputs)[0])
            indices = tf.stack([b_indices, state], axis=1)
            new_tags = tf.expand_dims(tf.gather_nd(inputs, indices), axis=-1)
            return new_tags, new_tags

    def viterbi_decode(score, transition_params):
        trellis = np.zeros_like(score)
        backpointers = np.zeros_like(score, dtype=np.int32)
        trellis[0] = score[0]
        for t in range(1, score.shape[0]):
            v = np.expand_dims(trellis[t - 1], 1) + transition_params
            trellis[t] = score[t] + np.max(v, 0)
            backpointers[t] = np.argmax(v, 0)
        viterbi = [np.argmax(trellis[-1])]
        for bp in reversed(backpointers[1:]):
            viterbi.append(bp[viterbi[-1]])
        viterbi.reverse()
        return viterbi, np.max(trellis[-1])

    def crf_decode(potentials, transition_params, sequence_length):
        def _single_seq_fn():
            squeezed = tf.squeeze(potentials, [1])
            tags = tf.expand_dims(tf.argmax(squeezed, axis=1), 1)
            return tf.cast(tags, dtype=tf.int32), tf.reduce_max(squeezed, axis=1)

        def _multi_seq_fn():
            num_tags = _dim(potentials, 2)
            fwd = CrfDecodeForwardRnnCell(transition_params)
            init = tf.squeeze(tf.slice(potentials, [0, 0, 0], [-1, 1, -1]), axis=[1])
            inputs = tf.slice(potentials, [0, 1, 0], [-1, -1, -1])
            less_one = tf.maximum(tf.constant(0, dtype=sequence_length.dtype), sequence_length - 1)
            backpointers, last_score = tf.nn.dynamic_rnn(
                fwd,
                inputs=inputs,
                sequence_length=less_one,
                initial_state=init,
                time_major=False,
                dtype=tf.int32,
            )
            backpointers = tf.reverse_sequence(backpointers, less_one, seq_axis=1)
            bwd = CrfDecodeBackwardRnnCell(num_tags)
            init = tf.expand_dims(tf.cast(tf.argmax(last_score, axis=1), dtype=tf.int32), -1)
            tags, _ = tf.nn.dynamic_rnn(
                bwd,
                inputs=backpointers,
                sequence_length=less_one,
                initial_state=init,
                time_major=False,
                dtype=tf.int32,
            )
            tags = tf.concat([init, tf.squeeze(tags, axis=[2])], axis=1)
            tags = tf.reverse_sequence(tags, sequence_length, seq_axis=1)
            return tags, tf.reduce_max(last_score, axis=1)

        return _smart_cond(
            tf.equal(_dim(potentials, 1) or tf.shape(potentials)[1], 1),
            _single_seq_fn,
            _multi_seq_fn,
        )

    return types.SimpleNamespace(
        **{k: v for k, v in locals().items() if not k.startswith("_") and k not in ("tf", "base")}
    )
