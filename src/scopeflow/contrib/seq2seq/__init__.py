"""``tf.contrib.seq2seq`` (TF 1.15): decoders, helpers, losses and beam utilities.

Re-exports only.
"""

from scopeflow.contrib.seq2seq._attention import (
    AttentionMechanism,
    AttentionWrapper,
    AttentionWrapperState,
    BahdanauAttention,
    LuongAttention,
)
from scopeflow.contrib.seq2seq._beam_search import (
    BeamSearchDecoder,
    BeamSearchDecoderOutput,
    BeamSearchDecoderState,
    FinalBeamSearchDecoderOutput,
)
from scopeflow.contrib.seq2seq._decoder import (
    BasicDecoder,
    BasicDecoderOutput,
    Decoder,
    GreedyEmbeddingHelper,
    Helper,
    SampleEmbeddingHelper,
    ScheduledEmbeddingTrainingHelper,
    TrainingHelper,
    dynamic_decode,
    tile_batch,
)
from scopeflow.contrib.seq2seq._helpers_extra import (
    CustomHelper,
    InferenceHelper,
    ScheduledOutputTrainingHelper,
)
from scopeflow.contrib.seq2seq._loss import sequence_loss
from scopeflow.contrib.seq2seq._monotonic import (
    BahdanauMonotonicAttention,
    LuongMonotonicAttention,
    hardmax,
    monotonic_attention,
    safe_cumprod,
)
from scopeflow.ops.beam_search_ops import gather_tree

__all__ = [
    "BahdanauMonotonicAttention",
    "CustomHelper",
    "InferenceHelper",
    "LuongMonotonicAttention",
    "ScheduledOutputTrainingHelper",
    "hardmax",
    "monotonic_attention",
    "safe_cumprod",
    "AttentionMechanism",
    "AttentionWrapper",
    "AttentionWrapperState",
    "BahdanauAttention",
    "BasicDecoder",
    "BasicDecoderOutput",
    "BeamSearchDecoder",
    "BeamSearchDecoderOutput",
    "BeamSearchDecoderState",
    "Decoder",
    "FinalBeamSearchDecoderOutput",
    "GreedyEmbeddingHelper",
    "Helper",
    "LuongAttention",
    "SampleEmbeddingHelper",
    "ScheduledEmbeddingTrainingHelper",
    "TrainingHelper",
    "dynamic_decode",
    "gather_tree",
    "sequence_loss",
    "tile_batch",
]
