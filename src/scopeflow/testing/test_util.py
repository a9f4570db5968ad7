"""``tf.test.TestCase``: TF 1.15's base class for tests of TF code, on scopeflow graphs.

TF1 projects test their models with ``tf.test.TestCase`` and ``tf.test.main()``; this class
gives those test files what TF's ``TensorFlowTestCase`` gives them, so they run unchanged:

* ``setUp`` seeds Python's and NumPy's generators with ``87654321`` (TF's
  ``DEFAULT_GRAPH_SEED``), resets the default graph and gives it that graph-level seed, so
  seeded ops draw TF's values; ``tearDown`` closes the cached session and checks the threads
  made with ``checkedThread``.
* Sessions: ``session()`` (a new one), ``cached_session()`` (one per test, the graph and config
  must not change) and the older ``test_session()`` (cached for the default graph), each made
  the default session with its graph as the default graph; ``use_gpu=False`` (the default of
  ``test_session``) pins the ops built inside to ``/device:CPU:0`` as TF does. ``evaluate``
  runs (nested structures of) tensors in the default session, or in the cached one.
* TF's assertions: ``assertAllClose`` (nested dicts, lists, tuples and namedtuples; TF's
  ``rtol``/``atol`` of 1e-6; NaN equal to NaN), ``assertAllCloseAccordingToType``,
  ``assertNotAllClose``, ``assertAllEqual``/``assertNotAllEqual``, ``assertAllGreater``,
  ``assertAllLess`` (and ``...Equal``), ``assertAllInRange``, ``assertAllInSet``,
  ``assertDTypeEqual``, ``assertNear``, ``assertArrayNear``, ``assertNDArrayNear``,
  ``assertShapeEqual``, ``assertDeviceEqual``, ``assertProtoEquals``, ``assertStartsWith``,
  ``assertRaisesOpError`` and ``assertRaisesWithPredicateMatch`` (a regular expression searched
  in the error's message or a predicate), plus absl's (``assertItemsEqual``, ``assertLen``...).
  Tensor arguments are evaluated first. The failure messages carry TF's lines (``not close
  where = ...``).

Differences from TensorFlow: no eager mode (``run_in_graph_and_eager_modes`` and friends are
not provided); ``use_gpu``/``force_gpu`` place nothing on a GPU when CUDA is absent (TF's soft
placement), and a session's ``ConfigProto`` is passed as given (TF's test sessions also turn
constant folding off, which scopeflow never does).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

# ruff: noqa: PT009  (a unittest TestCase: its assertions are unittest's)
from __future__ import annotations

import collections.abc
import contextlib
import math
import random
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from absl.testing import absltest

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow.graph.graph import reset_default_graph
from scopeflow.graph.session import Session, get_default_session
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import nest
from scopeflow.ops.random_ops import DEFAULT_GRAPH_SEED, set_random_seed


def _is_tensor(x: Any) -> bool:
    return isinstance(x, Tensor) or type(x).__name__ in ("SparseTensor", "IndexedSlices")


class _CheckedThread:
    """A thread whose exception fails the test at ``join`` (``TestCase.checkedThread``)."""

    def __init__(self, testcase: TestCase, target: Callable[..., Any], args: Any, kwargs: Any):
        self._testcase = testcase
        self._target = target
        self._args = () if args is None else args
        self._kwargs = {} if kwargs is None else kwargs
        self._thread = threading.Thread(target=self._protected_run)
        self._exception: BaseException | None = None
        self._is_thread_joined = False

    def _protected_run(self) -> None:
        try:
            self._target(*self._args, **self._kwargs)
        except Exception as e:  # reported by join()
            self._exception = e

    def start(self) -> None:
        """Starts the thread."""
        self._thread.start()

    def join(self) -> None:
        """Waits for the thread; fails the test with the exception it raised, if any."""
        self._thread.join()
        self._is_thread_joined = True
        if self._exception is not None:
            self._testcase.fail(f"Error in checkedThread: {self._exception}")

    def is_alive(self) -> bool:
        """Whether the thread is still running."""
        return self._thread.is_alive()

    def check_termination(self) -> None:
        """Fails the test if the thread was never joined or still runs (at ``tearDown``)."""
        if self._is_thread_joined:
            if self.is_alive():
                raise RuntimeError(
                    "Thread was not joined with main thread, and is still running when the "
                    "test finished."
                )
        else:
            self._testcase.fail("A checked thread was not joined.")


class TestCase(absltest.TestCase):
    """Base class for tests of TF1 code (``tf.test.TestCase``); see the module docstring."""

    def __init__(self, methodName: str = "runTest") -> None:
        super().__init__(methodName)
        self._threads: list[_CheckedThread] = []
        self._tempdir: str | None = None
        self._cached_session: Any = None
        self._cached_graph: Any = None
        self._cached_config: Any = None
        self._cached_force_gpu = False

    def setUp(self) -> None:
        """TF's seeds (Python, NumPy, the new default graph's) and a fresh default graph."""
        super().setUp()
        self._clear_cached_session()
        random.seed(DEFAULT_GRAPH_SEED)
        np.random.seed(DEFAULT_GRAPH_SEED)
        reset_default_graph()
        set_random_seed(DEFAULT_GRAPH_SEED)
        if self.id().endswith(".test_session"):
            self.skipTest("Not a test.")

    def tearDown(self) -> None:
        """Checks the ``checkedThread``s were joined; closes the cached session."""
        for thread in self._threads:
            thread.check_termination()
        self._clear_cached_session()
        super().tearDown()

    def _clear_cached_session(self) -> None:
        if self._cached_session is not None:
            self._cached_session.close()
            self._cached_session = None

    def get_temp_dir(self) -> str:
        """A temporary directory of this test (the same one for every call in a test)."""
        if not self._tempdir:
            self._tempdir = tempfile.mkdtemp(dir=get_temp_dir())
        return self._tempdir

    # --- sessions ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _default(self, sess: Any, use_gpu: bool, force_gpu: bool) -> Iterator[Any]:
        from scopeflow.graph.devices import gpu_device_name  # noqa: PLC0415

        with sess.graph.as_default(), sess.as_default():
            if force_gpu:
                with sess.graph.device(gpu_device_name() or "/device:GPU:0"):
                    yield sess
            elif use_gpu:
                yield sess
            else:
                with sess.graph.device("/device:CPU:0"):
                    yield sess

    def _get_cached_session(
        self, graph: Any, config: Any, force_gpu: bool, crash_if_inconsistent_args: bool
    ) -> Any:
        if self._cached_session is None:
            self._cached_session = Session(graph=graph, config=config)
            self._cached_graph = graph
            self._cached_config = config
            self._cached_force_gpu = force_gpu
            return self._cached_session
        if crash_if_inconsistent_args:
            for what, old, new in (
                ("graph", self._cached_graph, graph),
                ("config", self._cached_config, config),
                ("force_gpu value", self._cached_force_gpu, force_gpu),
            ):
                if old is not new:
                    raise ValueError(
                        f"The {what} used to get the cached session is different than the one "
                        "that was used to create the session. Maybe create a new session with "
                        "self.session()"
                    )
        return self._cached_session

    @contextlib.contextmanager
    def session(
        self, graph: Any = None, config: Any = None, use_gpu: bool = True, force_gpu: bool = False
    ) -> Iterator[Any]:
        """A new session (closed on exit), default with its graph."""
        with Session(graph=graph, config=config) as sess, self._default(sess, use_gpu, force_gpu):
            yield sess

    @contextlib.contextmanager
    def cached_session(
        self, graph: Any = None, config: Any = None, use_gpu: bool = True, force_gpu: bool = False
    ) -> Iterator[Any]:
        """This test's session (made on first use, closed at ``tearDown``), set as default."""
        sess = self._get_cached_session(graph, config, force_gpu, True)
        with self._default(sess, use_gpu, force_gpu) as cached:
            yield cached

    @contextlib.contextmanager
    def test_session(
        self, graph: Any = None, config: Any = None, use_gpu: bool = False, force_gpu: bool = False
    ) -> Iterator[Any]:
        """TF1's older session helper: cached for ``graph=None``, else a new session."""
        if self.id().endswith(".test_session"):
            self.skipTest("Tests that have the name 'test_session' are automatically skipped.")
        if graph is None:
            sess = self._get_cached_session(graph, config, force_gpu, False)
            with self._default(sess, use_gpu, force_gpu) as cached:
                yield cached
        else:
            with self.session(graph, config, use_gpu, force_gpu) as sess:
                yield sess

    def evaluate(self, tensors: Any) -> Any:
        """The values of ``tensors`` (a nested structure) in the default or cached session."""
        sess = get_default_session()
        flat = nest.flatten(tensors)
        if sess is None:
            with self.test_session() as cached:
                values = cached.run(flat)
        else:
            values = sess.run(flat)
        return nest.pack_sequence_as(tensors, values)

    def checkedThread(
        self, target: Callable[..., Any], args: Any = None, kwargs: Any = None
    ) -> _CheckedThread:
        """A thread whose exceptions fail the test when joined; checked at ``tearDown``."""
        thread = _CheckedThread(self, target, args, kwargs)
        self._threads.append(thread)
        return thread

    # --- assertions ----------------------------------------------------------------------------

    def _GetNdArray(self, a: Any) -> np.ndarray:
        if _is_tensor(a):
            a = self.evaluate(a)
        if not isinstance(a, np.ndarray):
            try:
                return np.array(a)
            except ValueError:
                return np.array(a, dtype=object)
        return a

    def _evaluate_if_both_tensors(self, a: Any, b: Any) -> tuple[Any, Any]:
        if _is_tensor(a) and _is_tensor(b):
            return tuple(self.evaluate((a, b)))  # type: ignore[return-value]
        return a, b

    def assertNear(self, f1: Any, f2: Any, err: float, msg: str | None = None) -> None:
        """``|f1 - f2| <= err``."""
        f1, f2 = np.squeeze(f1), np.squeeze(f2)
        if f1 != f2:
            diff = math.fabs(f1 - f2)
            note = f" ({msg})" if msg is not None else ""
            self.assertTrue(
                diff <= err, f"{f1:f} != {f2:f} +/- {err:f} (difference: {diff:g}){note}"
            )

    def assertArrayNear(
        self, farray1: Any, farray2: Any, err: float, msg: str | None = None
    ) -> None:
        """Same lengths, and ``assertNear`` element by element."""
        self.assertEqual(len(farray1), len(farray2), msg=msg)
        for f1, f2 in zip(farray1, farray2, strict=True):
            self.assertNear(float(f1), float(f2), err, msg=msg)

    def assertNDArrayNear(
        self, ndarray1: Any, ndarray2: Any, err: float, msg: str | None = None
    ) -> None:
        """The norm of the difference is below ``err``."""
        self.assertTrue(np.linalg.norm(ndarray1 - ndarray2) < err, msg=msg)

    def _assert_array_like_all_close(
        self, a: Any, b: Any, rtol: float, atol: float, msg: str | None
    ) -> None:
        a, b = self._evaluate_if_both_tensors(a, b)
        a, b = self._GetNdArray(a), self._GetNdArray(b)
        if a.shape != b.shape and (b.ndim <= 3 or b.size < 500):
            mismatch = f"Shape mismatch: expected {a.shape}, got {b.shape} with contents {b}."
        else:
            mismatch = f"Shape mismatch: expected {a.shape}, got {b.shape}."
        self.assertEqual(a.shape, b.shape, mismatch)
        a_dtype = a.dtype
        if a.dtype == dtypes.bfloat16.as_numpy_dtype:
            a = a.astype(np.float32)
        if b.dtype == dtypes.bfloat16.as_numpy_dtype:
            b = b.astype(np.float32)
        if np.allclose(a, b, rtol=rtol, atol=atol):
            return
        lines = [msg or ""]
        cond = np.logical_or(np.abs(a - b) > atol + rtol * np.abs(b), np.isnan(a) != np.isnan(b))
        if a.ndim:
            where = np.where(cond)
            x, y = a[where], b[where]
            lines.append(f"not close where = {where}")
        else:
            x, y = a, b
        lines += [
            f"not close lhs = {x}",
            f"not close rhs = {y}",
            f"not close dif = {np.abs(x - y)}",
            f"not close tol = {atol + rtol * np.abs(y)}",
            f"dtype = {a_dtype}, shape = {a.shape}",
        ]
        np.testing.assert_allclose(
            a, b, rtol=rtol, atol=atol, err_msg="\n".join(lines), equal_nan=True
        )

    def _assert_all_close_recursive(
        self, a: Any, b: Any, rtol: float, atol: float, path: list[str], msg: str
    ) -> None:
        where = ("[" + "][".join(str(p) for p in path) + "]") if path else ""
        if hasattr(a, "_asdict"):
            a = a._asdict()
        if hasattr(b, "_asdict"):
            b = b._asdict()
        a_is_dict = isinstance(a, collections.abc.Mapping)
        if a_is_dict != isinstance(b, collections.abc.Mapping):
            raise ValueError(f"Can't compare dict to non-dict, a{where} vs b{where}. {msg}")
        if a_is_dict:
            self.assertCountEqual(
                a.keys(),
                b.keys(),
                msg=f"mismatched keys: a{where} has keys {a.keys()}, but b{where} has keys "
                f"{b.keys()}. {msg}",
            )
            for k in a:
                self._assert_all_close_recursive(a[k], b[k], rtol, atol, [*path, k], msg)
            return
        value_msg = f"Mismatched value: a{where} is different from b{where}. {msg}"
        if isinstance(a, (list, tuple)):
            try:
                a, b = self._evaluate_if_both_tensors(a, b)
                self._assert_array_like_all_close(
                    self._GetNdArray(a), self._GetNdArray(b), rtol, atol, value_msg
                )
            except (ValueError, TypeError, NotImplementedError):
                if len(a) != len(b):
                    raise ValueError(
                        f"Mismatched length: a{where} has {len(a)} items, but b{where} has "
                        f"{len(b)} items. {msg}"
                    ) from None
                for i, (x, y) in enumerate(zip(a, b, strict=True)):
                    self._assert_all_close_recursive(x, y, rtol, atol, [*path, str(i)], msg)
            return
        try:
            self._assert_array_like_all_close(a, b, rtol, atol, value_msg)
        except TypeError as e:
            note = f"Error: a{where} has {type(a)}, but b{where} has {type(b)}. {msg}"
            e.args = (f"{e.args[0]} : {note}", *e.args[1:])
            raise

    def assertAllClose(
        self, a: Any, b: Any, rtol: float = 1e-6, atol: float = 1e-6, msg: str | None = None
    ) -> None:
        """``a`` and ``b`` (arrays, tensors or nested structures of them) are close."""
        self._assert_all_close_recursive(a, b, rtol, atol, [], msg or "")

    def assertAllCloseAccordingToType(
        self,
        a: Any,
        b: Any,
        rtol: float = 1e-6,
        atol: float = 1e-6,
        float_rtol: float = 1e-6,
        float_atol: float = 1e-6,
        half_rtol: float = 1e-3,
        half_atol: float = 1e-3,
        bfloat16_rtol: float = 1e-2,
        bfloat16_atol: float = 1e-2,
        msg: str | None = None,
    ) -> None:
        """``assertAllClose`` with the tolerances widened for float32, float16 and bfloat16."""
        a, b = self._evaluate_if_both_tensors(a, b)
        a, b = self._GetNdArray(a), self._GetNdArray(b)
        kinds = {a.dtype, b.dtype}
        if kinds & {np.dtype(np.float32), np.dtype(np.complex64)}:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        if np.dtype(np.float16) in kinds:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        if dtypes.bfloat16.as_numpy_dtype in kinds:
            rtol, atol = max(rtol, bfloat16_rtol), max(atol, bfloat16_atol)
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertNotAllClose(
        self, a: Any, b: Any, rtol: float = 1e-6, atol: float = 1e-6, msg: str | None = None
    ) -> None:
        """``a`` and ``b`` differ somewhere beyond the tolerance."""
        try:
            self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)
        except AssertionError:
            return
        raise AssertionError(f"The two values are close at all elements. {msg or ''}")

    def assertAllEqual(self, a: Any, b: Any, msg: str | None = None) -> None:
        """Same shapes and values (NaN equals NaN in floating arrays)."""
        msg = msg or ""
        a, b = self._evaluate_if_both_tensors(a, b)
        a, b = self._GetNdArray(a), self._GetNdArray(b)
        if b.ndim <= 3 or b.size < 500:
            detail = f"Shape mismatch: expected {a.shape}, got {b.shape}. Contents: {b!r}. \n{msg}."
        else:
            detail = f"Shape mismatch: expected {a.shape}, got {b.shape}. {msg}"
        self.assertEqual(a.shape, b.shape, detail)
        same = a == b
        if np.issubdtype(a.dtype, np.floating):
            same = np.logical_or(same, np.logical_and(np.isnan(a), np.isnan(b)))
        if np.all(same):
            return
        lines = [msg]
        diff = np.logical_not(same)
        if a.ndim:
            where = np.where(diff)
            x, y = a[where], b[where]
            lines.append(f"not equal where = {where}")
        else:
            x, y = a, b
        lines += [f"not equal lhs = {x!r}", f"not equal rhs = {y!r}"]
        if a.dtype.kind != b.dtype.kind and {a.dtype.kind, b.dtype.kind} <= {"U", "S", "O"}:
            a = np.array([v.encode() if isinstance(v, str) else v for v in a.flat])
            b = np.array([v.encode() if isinstance(v, str) else v for v in b.flat])
        np.testing.assert_array_equal(a, b, err_msg="\n".join(lines))

    def assertNotAllEqual(self, a: Any, b: Any, msg: str | None = None) -> None:
        """``a`` and ``b`` differ somewhere."""
        try:
            self.assertAllEqual(a, b)
        except AssertionError:
            return
        raise AssertionError(f"The two values are equal at all elements. {msg or ''}")

    def assertAllGreater(self, a: Any, comparison_target: Any) -> None:
        """Every element is greater than ``comparison_target``."""
        a, comparison_target = self._evaluate_if_both_tensors(a, comparison_target)
        self.assertGreater(np.min(self._GetNdArray(a)), comparison_target)

    def assertAllLess(self, a: Any, comparison_target: Any) -> None:
        """Every element is less than ``comparison_target``."""
        a, comparison_target = self._evaluate_if_both_tensors(a, comparison_target)
        self.assertLess(np.max(self._GetNdArray(a)), comparison_target)

    def assertAllGreaterEqual(self, a: Any, comparison_target: Any) -> None:
        """Every element is at least ``comparison_target``."""
        a, comparison_target = self._evaluate_if_both_tensors(a, comparison_target)
        self.assertGreaterEqual(np.min(self._GetNdArray(a)), comparison_target)

    def assertAllLessEqual(self, a: Any, comparison_target: Any) -> None:
        """Every element is at most ``comparison_target``."""
        a, comparison_target = self._evaluate_if_both_tensors(a, comparison_target)
        self.assertLessEqual(np.max(self._GetNdArray(a)), comparison_target)

    @staticmethod
    def _format_subscripts(subscripts: Any, value: np.ndarray, limit: int = 10) -> list[str]:
        if np.ndim(value) == 0:
            return [f"  [0] : {value}"]
        rows = np.transpose(subscripts)
        lines = [f"  {row} : {value[tuple(row)]}" for row in rows[:limit]]
        if len(rows) > limit:
            lines.append("  ...")
        return lines

    def assertAllInRange(
        self,
        target: Any,
        lower_bound: Any,
        upper_bound: Any,
        open_lower_bound: bool = False,
        open_upper_bound: bool = False,
    ) -> None:
        """Every element is a number (not NaN) in the range; TF's messages otherwise."""
        target = self._GetNdArray(target)
        if not (
            np.issubdtype(target.dtype, np.floating) or np.issubdtype(target.dtype, np.integer)
        ):
            raise AssertionError(
                f"The value of {target} does not have an ordered numeric type, instead it has "
                f"type: {target.dtype}"
            )
        nans = np.where(np.isnan(target))
        if np.size(nans):
            raise AssertionError(
                f"{len(nans[0])} of the {np.size(target)} element(s) are NaN. Subscripts(s) and "
                "value(s) of the NaN element(s):\n"
                + "\n".join(self._format_subscripts(nans, target))
            )
        bounds = (
            ("(" if open_lower_bound else "[") + f"{lower_bound}, {upper_bound}"
            + (")" if open_upper_bound else "]")
        )  # fmt: skip
        low = target <= lower_bound if open_lower_bound else target < lower_bound
        high = target >= upper_bound if open_upper_bound else target > upper_bound
        bad = np.where(np.logical_or(low, high))
        if np.size(bad):
            raise AssertionError(
                f"{len(bad[0])} of the {np.size(target)} element(s) are outside the range "
                f"{bounds}. Subscript(s) and value(s) of the offending elements:\n"
                + "\n".join(self._format_subscripts(bad, target))
            )

    def assertAllInSet(self, target: Any, expected_set: Any) -> None:
        """Every element is in ``expected_set``."""
        target = self._GetNdArray(target)
        diff = np.setdiff1d(target.flatten(), list(expected_set))
        if np.size(diff):
            raise AssertionError(
                f"{np.size(diff)} unique element(s) are not in the set {expected_set}: {diff}"
            )

    def assertDTypeEqual(self, target: Any, expected_dtype: Any) -> None:
        """The NumPy dtype of ``target`` is ``expected_dtype``."""
        self.assertEqual(self._GetNdArray(target).dtype, expected_dtype)

    @contextlib.contextmanager
    def assertRaisesWithPredicateMatch(  # type: ignore[override]
        self, exception_type: type[BaseException], expected_err_re_or_predicate: Any
    ) -> Iterator[None]:
        """The block raises ``exception_type`` whose message matches (or predicate holds)."""
        if callable(expected_err_re_or_predicate):
            predicate = expected_err_re_or_predicate
        else:

            def predicate(e: BaseException) -> Any:
                if isinstance(e, errors.OpError):
                    text, op = str(e.message), e.op
                else:
                    text, op = str(e), None
                while op is not None:
                    text += "\nCaused by: " + op.name
                    op = getattr(op, "_original_op", None)
                return re.search(expected_err_re_or_predicate, text)

        try:
            yield
            self.fail(exception_type.__name__ + " not raised")
        except Exception as e:
            if not isinstance(e, exception_type) or not predicate(e):
                raise AssertionError(f"Exception of type {type(e)}: {e}") from e

    def assertRaisesOpError(self, expected_err_re_or_predicate: Any) -> Any:
        """``assertRaisesWithPredicateMatch(tf.errors.OpError, ...)``."""
        return self.assertRaisesWithPredicateMatch(errors.OpError, expected_err_re_or_predicate)

    def assertRaisesIncompatibleShapesError(
        self, exception_type: type[BaseException] = errors.InvalidArgumentError
    ) -> Any:
        """The block raises TF's incompatible-shapes error."""
        return self.assertRaisesWithPredicateMatch(
            exception_type,
            r"Incompatible shapes|Dimensions must be equal|required broadcastable shapes",
        )

    def assertShapeEqual(self, input_a: Any, input_b: Any, msg: str | None = None) -> None:
        """Same shapes (a tensor's static shape; an array's shape)."""
        for arg, value in (("input_a", input_a), ("input_b", input_b)):
            if not isinstance(value, (np.ndarray, np.generic, Tensor)):
                raise TypeError(
                    f"{arg} must be a Numpy ndarray, Numpy scalar, or a Tensor.Instead received "
                    f"{type(value)}"
                )
        shape_a = input_a.get_shape().as_list() if isinstance(input_a, Tensor) else input_a.shape
        shape_b = input_b.get_shape().as_list() if isinstance(input_b, Tensor) else input_b.shape
        self.assertAllEqual(shape_a, shape_b, msg=msg)

    def assertDeviceEqual(self, device1: Any, device2: Any, msg: str | None = None) -> None:
        """The same device, compared in TF's canonical form (``/device:CPU:0``)."""
        from scopeflow.graph_io.graph_def import canonical_device  # noqa: PLC0415

        d1, d2 = canonical_device(str(device1)), canonical_device(str(device2))
        self.assertEqual(d1, d2, f"Devices {d1} and {d2} are not equal. {msg}")

    def assertProtoEquals(
        self, expected_message_maybe_ascii: Any, message: Any, msg: str | None = None
    ) -> None:
        """``message`` equals the expected proto (a message or its text format)."""
        from google.protobuf import text_format  # noqa: PLC0415  (protobuf is lazy)

        if isinstance(expected_message_maybe_ascii, type(message)):
            expected = expected_message_maybe_ascii
        elif isinstance(expected_message_maybe_ascii, str):
            expected = type(message)()
            text_format.Merge(expected_message_maybe_ascii, expected)
        else:
            raise AssertionError(
                f"Can't compare protos of type {type(expected_message_maybe_ascii)} and "
                f"{type(message)}."
            )
        self.assertMultiLineEqual(
            text_format.MessageToString(expected), text_format.MessageToString(message), msg
        )

    def assertStartsWith(self, actual: str, expected_start: str, msg: str | None = None) -> None:
        """``actual`` starts with ``expected_start``."""
        if not actual.startswith(expected_start):
            fail = f"{actual!r} does not start with {expected_start!r}"
            self.fail(f"{fail} : {msg}" if msg else fail)


_TEMP_DIR: list[str] = []


def get_temp_dir() -> str:
    """A temporary directory for tests, made once per process (``tf.test.get_temp_dir``)."""
    if not _TEMP_DIR:
        _TEMP_DIR.append(tempfile.mkdtemp(prefix="scopeflow_test_"))
    return _TEMP_DIR[0]


def main(argv: list[str] | None = None) -> None:
    """Runs the tests of ``__main__`` (``tf.test.main``), with absl's flags and runner."""
    if argv is not None:
        sys.argv = list(argv)
    absltest.main()


def is_built_with_gpu_support() -> bool:
    """Whether this build can use a GPU: torch's CUDA build (``tf.test.is_built_with_...``)."""
    from scopeflow.graph.devices import is_built_with_cuda  # noqa: PLC0415

    return bool(is_built_with_cuda())


def is_built_with_rocm() -> bool:
    """False: scopeflow runs on torch's CPU or CUDA builds (``tf.test.is_built_with_rocm``)."""
    return False


def is_built_with_xla() -> bool:
    """False: there is no XLA in scopeflow (``tf.test.is_built_with_xla``)."""
    return False


__all__ = [
    "TestCase",
    "get_temp_dir",
    "is_built_with_gpu_support",
    "is_built_with_rocm",
    "is_built_with_xla",
    "main",
]

TensorFlowTestCase = TestCase  # TF's name in ``tensorflow.python.framework.test_util``
__all__ += ["TensorFlowTestCase"]
