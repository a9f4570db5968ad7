"""``tf.contrib.tensorboard.plugins`` (TF 1.15): ``projector``."""
