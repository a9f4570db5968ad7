"""``tf.contrib.distributions``: ``Categorical`` and ``Bernoulli`` sampling (TF 1.15).

The parts TF1 decoding helpers use (google/seq2seq's ``helper.py``, TF 1.15's
``contrib.seq2seq`` sampling helpers): construction from ``logits`` or ``probs`` (TF's
``get_logits_and_probs``: the other one is derived under the distribution's name scope) and
``sample(sample_shape=(), seed=None)`` with TF's sampling ops (``multinomial`` on the 2-D logits;
``random_uniform < probs``), so seeded draws equal TF's. Other methods (``log_prob``,
``entropy``, ...) are not provided.

>>> import scopeflow.compat.v1 as tf
>>> d = tf.contrib.distributions.Bernoulli(probs=[0.2, 0.9])
>>> d.dtype.name
'int32'
"""

from scopeflow.contrib.distributions._sampling import Bernoulli, Categorical

__all__ = ["Bernoulli", "Categorical"]
