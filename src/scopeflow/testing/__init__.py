"""TF1's testing tools: ``tf.test.TestCase``, ``tf.test.main`` and the gradient checker.

TF1 projects test their models with these; see :mod:`scopeflow.testing.test_util` and
:mod:`scopeflow.testing.gradient_checker`.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""
