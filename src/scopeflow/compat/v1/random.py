"""``tf.random``: re-exports only."""

# --- candidate samplers (nnextra) ---
from scopeflow.ops.candidate_sampler_ops import (
    all_candidate_sampler,
    fixed_unigram_candidate_sampler,
    learned_unigram_candidate_sampler,
    log_uniform_candidate_sampler,
    uniform_candidate_sampler,
)

# --- end candidate samplers ---
# --- randgamma ---
from scopeflow.ops.random_gamma_ops import random_gamma as gamma
from scopeflow.ops.random_gamma_ops import random_poisson as poisson

# --- end randgamma ---
from scopeflow.ops.random_ops import (
    categorical,
    get_seed,
    multinomial,
    set_random_seed,
    truncated_normal,
)
from scopeflow.ops.random_ops import random_normal as normal
from scopeflow.ops.random_ops import random_shuffle as shuffle
from scopeflow.ops.random_ops import random_uniform as uniform

__all__ = [
    # --- candidate samplers (nnextra) ---
    "all_candidate_sampler",
    "fixed_unigram_candidate_sampler",
    "learned_unigram_candidate_sampler",
    "log_uniform_candidate_sampler",
    "uniform_candidate_sampler",
    # --- end candidate samplers ---
    # --- randgamma ---
    "gamma",
    "poisson",
    # --- end randgamma ---
    "categorical",
    "get_seed",
    "multinomial",
    "normal",
    "set_random_seed",
    "shuffle",
    "truncated_normal",
    "uniform",
]
