"""``slim.nets.vgg``: VGG A/16/19 (TF 1.15's variable names and end points). Re-exports only."""

from scopeflow.contrib.slim.nets._classic import vgg_16, vgg_19, vgg_a, vgg_arg_scope, vgg_d, vgg_e

__all__ = ["vgg_16", "vgg_19", "vgg_a", "vgg_arg_scope", "vgg_d", "vgg_e"]
