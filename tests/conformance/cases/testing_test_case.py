"""``tf.test.TestCase`` and ``tf.test.compute_gradient`` against TF: a TF1 test class run here.

Each case defines a ``tf.test.TestCase`` subclass as a TF1 project's test file does and runs
it with ``unittest``, printing what its methods saw: the seeded values ``setUp`` gives, the
sessions, the assertion outcomes (pass, or the failure's type and first line) and the gradient
checker's Jacobians.
"""

import unittest

import numpy as np


def _run(case_class):
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(case_class)
    result = unittest.TestResult()
    suite.run(result)
    for test, trace in result.failures + result.errors:
        last = [line for line in trace.strip().splitlines() if line.strip()][-1]
        print("FAILED", test.id().rsplit(".", 1)[-1], last[:200])
    print("ran", result.testsRun, "failures", len(result.failures), "errors", len(result.errors))


def _outcome(fn):
    try:
        fn()
        print("ok")
    except AssertionError as e:
        print("AssertionError", str(e).strip().splitlines()[0][:120])
    except Exception as e:
        print(type(e).__name__, str(e).strip().splitlines()[0][:120])


def case_setup_seeds_and_sessions(tf, expect_error):
    class T(tf.test.TestCase):
        def testSeeds(self):
            print("np", np.round(np.random.random_sample(3), 6).tolist())
            # use_gpu=True: TF 2.21's default; TF 1.15's (False) pins the ops to the CPU
            with self.test_session(use_gpu=True) as sess:
                r = tf.random_uniform([3])
                print("tf", np.round(sess.run(r), 6).tolist(), r.op.device)
                print(
                    "same", sess is tf.get_default_session(), sess.graph is tf.get_default_graph()
                )
            with self.cached_session() as sess2:
                print("cached", sess2 is sess)
            with self.session() as sess3:
                print("new", sess3 is not sess, self.evaluate(tf.constant([1, 2])).tolist())
            print("graph seed", tf.get_default_graph().seed)

        def testEvaluateNested(self):
            with self.cached_session():
                a = tf.constant(1.5)
                got = self.evaluate({"a": a, "b": [a * 2, (a + 1,)]})
                print(sorted(got), float(got["b"][0]), float(got["b"][1][0]))

    _run(T)

    class Skipped(tf.test.TestCase):
        def test_session(self):
            print("never runs")

    _run(Skipped)


def case_assertions(tf, expect_error):
    class T(tf.test.TestCase):
        def testAsserts(self):
            with self.cached_session():
                x = tf.constant([1.0, 2.0, np.nan])
                _outcome(lambda: self.assertAllClose(x, [1.0, 2.0, np.nan]))
                _outcome(lambda: self.assertAllClose([1.0, 2.0], [1.0, 2.1]))
                _outcome(lambda: self.assertAllClose({"a": [1, 2]}, {"a": [1, 2], "b": 1}))
                _outcome(lambda: self.assertAllClose([[1], [2, 3]], [[1], [2, 3]]))
                _outcome(lambda: self.assertAllClose(np.ones(2), np.ones(3)))
                _outcome(lambda: self.assertAllEqual(tf.constant([1, 2]), [1, 2]))
                _outcome(lambda: self.assertAllEqual([1, 2], [1, 3]))
                _outcome(lambda: self.assertAllEqual([b"a"], ["a"]))
                _outcome(lambda: self.assertNotAllClose([1.0], [1.5]))
                _outcome(lambda: self.assertNotAllEqual([1], [1]))
                _outcome(lambda: self.assertAllCloseAccordingToType(
                    np.float16([1.0]), np.float16([1.0005])))  # fmt: skip
                _outcome(lambda: self.assertAllGreater(x[:2], 0.5))
                _outcome(lambda: self.assertAllLess([1, 5], 3))
                _outcome(lambda: self.assertAllInRange([0.0, 1.0], 0.0, 1.0, open_upper_bound=True))
                _outcome(lambda: self.assertAllInRange([0.0, np.nan], 0.0, 1.0))
                _outcome(lambda: self.assertAllInSet([1, 2, 2], {1, 2}))
                _outcome(lambda: self.assertAllInSet([1, 4], [1, 2]))
                _outcome(lambda: self.assertDTypeEqual(np.float32([1]), np.float32))
                _outcome(lambda: self.assertNear(1.0, 1.05, 0.01))
                _outcome(lambda: self.assertArrayNear([1.0, 2.0], [1.0, 2.001], 0.01))
                _outcome(lambda: self.assertShapeEqual(np.zeros([2, 3]), tf.zeros([2, 3])))
                _outcome(lambda: self.assertShapeEqual([1], tf.zeros([1])))
                _outcome(lambda: self.assertDeviceEqual("/cpu:0", "/device:CPU:0"))
                _outcome(lambda: self.assertStartsWith("abc", "b"))
                _outcome(lambda: self.assertItemsEqual([1, 2], [2, 1]))

        def testRaisesOpError(self):
            with self.cached_session() as sess:
                p = tf.placeholder(tf.float32, [2])
                checked = tf.check_numerics(p, "bad value")
                with self.assertRaisesOpError("bad value"):
                    sess.run(checked, {p: [np.nan, 1.0]})
                _outcome(self._no_raise)
                with self.assertRaisesWithPredicateMatch(ValueError, lambda e: "shape" in str(e)):
                    tf.reshape(tf.zeros([2, 3]), [4])

        def _no_raise(self):
            with self.assertRaisesOpError("x"):
                pass

    _run(T)


def case_compute_gradient(tf, expect_error):
    class T(tf.test.TestCase):
        def testJacobians(self):
            with self.cached_session():
                x = tf.constant([[0.5, -1.0], [2.0, 0.25]], dtype=tf.float64)
                y = tf.reduce_sum(tf.sin(x) * x, axis=1)
                jt, jn = tf.test.compute_gradient(x, [2, 2], y, [2])
                print(jt.shape, np.round(jt, 6).tolist())
                print(np.round(jn, 6).tolist())
                p = tf.placeholder(tf.float32, [3])
                q = tf.nn.softplus(p) * 2.0
                err = tf.test.compute_gradient_error(p, [3], q, [3])
                print("error below 1e-2", err < 1e-2)
                a = tf.constant([1.0, 2.0], dtype=tf.float64)
                b = tf.constant([3.0], dtype=tf.float64)
                z = tf.concat([a * b, b], 0)
                grads = tf.test.compute_gradient([a, b], [[2], [1]], z, [3])
                print([np.round(j, 6).tolist() for pair in grads for j in pair])

        def testEmbeddingGradient(self):
            with self.cached_session():
                params = tf.constant(np.arange(6.0).reshape(3, 2))
                out = tf.nn.embedding_lookup(params, [2, 0, 2])
                jt, jn = tf.test.compute_gradient(params, [3, 2], out, [3, 2])
                print(np.round(jt, 6).tolist() == np.round(jn, 6).tolist(), jt.sum())

    _run(T)


def case_checked_thread(tf, expect_error):
    class T(tf.test.TestCase):
        def testThreads(self):
            seen = []
            t = self.checkedThread(target=lambda: seen.append(1))
            t.start()
            t.join()
            print("joined", seen)
            bad = self.checkedThread(target=lambda: 1 / 0)
            bad.start()
            _outcome(bad.join)

        def testUnjoined(self):
            self.checkedThread(target=lambda: None)

        def testTempDir(self):
            d = self.get_temp_dir()
            print("same dir", d == self.get_temp_dir(), tf.gfile.IsDirectory(d))

    _run(T)
