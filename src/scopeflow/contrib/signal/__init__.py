"""``tf.contrib.signal`` (TF 1.15): the framing, window, STFT and mel functions of ``tf.signal``.

TF 1.15's ``tf.contrib.signal`` re-exports ``tf.signal``'s functions under their TF 1.x contrib
names (keithito/tacotron's Griffin-Lim calls ``tf.contrib.signal.stft``/``inverse_stft``).

>>> import scopeflow.compat.v1 as tf
>>> tf.contrib.signal.stft(tf.zeros([1, 64]), 16, 8).shape.as_list()
[1, 7, 9]
"""

from scopeflow.ops.signal_ops import (
    frame,
    hamming_window,
    hann_window,
    inverse_stft,
    inverse_stft_window_fn,
    linear_to_mel_weight_matrix,
    mfccs_from_log_mel_spectrograms,
    overlap_and_add,
    stft,
)

__all__ = [
    "frame",
    "hamming_window",
    "hann_window",
    "inverse_stft",
    "inverse_stft_window_fn",
    "linear_to_mel_weight_matrix",
    "mfccs_from_log_mel_spectrograms",
    "overlap_and_add",
    "stft",
]
