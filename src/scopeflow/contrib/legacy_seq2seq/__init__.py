"""``tf.contrib.legacy_seq2seq`` (TF 1.15). Re-exports only."""

from scopeflow.contrib.legacy_seq2seq._seq2seq import (
    basic_rnn_seq2seq,
    embedding_rnn_decoder,
    embedding_rnn_seq2seq,
    rnn_decoder,
    sequence_loss,
    sequence_loss_by_example,
)

__all__ = [
    "basic_rnn_seq2seq",
    "embedding_rnn_decoder",
    "embedding_rnn_seq2seq",
    "rnn_decoder",
    "sequence_loss",
    "sequence_loss_by_example",
]
