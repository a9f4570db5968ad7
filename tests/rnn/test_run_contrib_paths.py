"""TF 1.15's private module paths of the contrib RNN libraries under ``scopeflow run``."""

from __future__ import annotations

import importlib

from scopeflow.contrib import cudnn_rnn, legacy_seq2seq
from scopeflow.run import tensorflow_import_hook


def test_private_paths_of_cudnn_rnn_and_legacy_seq2seq():
    with tensorflow_import_hook():
        contrib = importlib.import_module("tensorflow.contrib")
        # Attribute access first, then a submodule import below it (the parent must be a
        # package for the second).
        assert contrib.legacy_seq2seq.attention_decoder is legacy_seq2seq.attention_decoder
        seq2seq = importlib.import_module("tensorflow.contrib.legacy_seq2seq.python.ops.seq2seq")
        ops = importlib.import_module("tensorflow.contrib.cudnn_rnn.python.ops.cudnn_rnn_ops")
        layers = importlib.import_module("tensorflow.contrib.cudnn_rnn.python.layers.cudnn_rnn")
        assert seq2seq.model_with_buckets is legacy_seq2seq.model_with_buckets
        assert ops.CudnnCompatibleGRUCell is cudnn_rnn.CudnnCompatibleGRUCell
        assert ops.CudnnParamsFormatConverterLSTM is cudnn_rnn.CudnnParamsFormatConverterLSTM
        assert layers.CudnnLSTM is cudnn_rnn.CudnnLSTM
