"""``scopeflow run SCRIPT ARGS`` with MNIST's training set ending after ``MNIST_BATCHES`` batches.

The one change to what a TF1 MNIST script sees is in its data: ``DataSet.next_batch`` of the
training set raises ``tf.errors.OutOfRangeError`` (the end of an input pipeline) after
``MNIST_BATCHES`` batches, which a ``MonitoredTrainingSession`` block treats as the normal end of
training (TF 1.15's ``__exit__`` does). Horovod's example trains ``20000 // size`` steps;
this stops it early without editing it.

Usage: ``run_finite_mnist.py SCRIPT [ARGS...]`` with ``MNIST_BATCHES`` in the environment.
"""

import os
import sys

from scopeflow.contrib.learn.datasets import mnist
from scopeflow.errors import OutOfRangeError
from scopeflow.run._runner import run_script

LIMIT = int(os.environ["MNIST_BATCHES"])
_next_batch = mnist.DataSet.next_batch


def next_batch(self, batch_size, fake_data=False, shuffle=True):
    served = getattr(self, "_batches_served", 0)
    if served >= LIMIT:
        raise OutOfRangeError(None, None, "End of sequence")
    self._batches_served = served + 1
    return _next_batch(self, batch_size, fake_data, shuffle)


mnist.DataSet.next_batch = next_batch
sys.exit(run_script(sys.argv[1], sys.argv[2:]))
