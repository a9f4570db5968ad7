"""``tf.contrib.tensorboard`` (TF 1.15): the ``plugins.projector`` embedding-projector config."""
