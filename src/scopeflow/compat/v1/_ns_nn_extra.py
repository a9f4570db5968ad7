"""``tf.nn.*`` names of candidate sampling, sampled losses and CTC (re-exports only)."""

from scopeflow.ops.candidate_sampler_ops import (
    all_candidate_sampler,
    compute_accidental_hits,
    fixed_unigram_candidate_sampler,
    learned_unigram_candidate_sampler,
    log_uniform_candidate_sampler,
    uniform_candidate_sampler,
)
from scopeflow.ops.ctc_ops import (
    ctc_beam_search_decoder,
    ctc_beam_search_decoder_v2,
    ctc_greedy_decoder,
    ctc_loss,
)
from scopeflow.ops.sampled_loss_ops import nce_loss, sampled_softmax_loss

__all__ = [
    "all_candidate_sampler",
    "compute_accidental_hits",
    "ctc_beam_search_decoder",
    "ctc_beam_search_decoder_v2",
    "ctc_greedy_decoder",
    "ctc_loss",
    "fixed_unigram_candidate_sampler",
    "learned_unigram_candidate_sampler",
    "log_uniform_candidate_sampler",
    "nce_loss",
    "sampled_softmax_loss",
    "uniform_candidate_sampler",
]
