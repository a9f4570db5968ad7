"""``tf.contrib.training`` (TF 1.15): ``HParams`` and its ``parse_values`` syntax.

Re-exports only.
"""

from scopeflow.contrib.training._hparam import HParams, parse_values

__all__ = ["HParams", "parse_values"]
