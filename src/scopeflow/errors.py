"""Every error class scopeflow raises, grouped by the layer that raises it.

TF raises builtin exceptions (``ValueError``, ``TypeError``) for graph-construction mistakes and
``tf.errors.OpError`` subclasses for failures while a ``Session`` runs. scopeflow keeps both: the
construction errors below subclass the builtin TF raised, so ``except ValueError`` keeps working,
and the run-time errors mirror ``tf.errors`` by name and error code.

Messages are TF's text verbatim (users search for them); each class builds its message from
structured fields so the wording cannot drift between raise sites.

This module must not import torch or any other scopeflow module.
"""

from __future__ import annotations

from typing import Any

# --- run-time errors: tf.errors ------------------------------------------------------------------

OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16


class OpError(Exception):
    """A failure while a ``Session`` executed an op (TF's ``tf.errors.OpError``).

    Attributes mirror TF: ``node_def`` (None here), ``op`` (the failing ``Operation`` or None),
    ``message`` and ``error_code``.
    """

    error_code = UNKNOWN

    def __init__(self, node_def: Any, op: Any, message: str, *args: Any) -> None:
        super().__init__(message, *args)
        self.node_def = node_def
        self.op = op
        self.message = message

    def __str__(self) -> str:
        if self.op is not None:
            return f"{self.message}\n\t [[{{{{node {self.op.name}}}}}]]"
        return self.message


class CancelledError(OpError):
    """An operation or step was cancelled."""

    error_code = CANCELLED


class UnknownError(OpError):
    """An error of unknown kind, e.g. an exception raised inside a ``py_func``."""

    error_code = UNKNOWN


class InvalidArgumentError(OpError):
    """An op received an invalid argument at run time (bad shape, out-of-range index...)."""

    error_code = INVALID_ARGUMENT


class DeadlineExceededError(OpError):
    """A deadline expired before the operation could complete."""

    error_code = DEADLINE_EXCEEDED


class NotFoundError(OpError):
    """A requested entity (file, checkpoint, tensor) was not found."""

    error_code = NOT_FOUND


class AlreadyExistsError(OpError):
    """An entity that an operation tried to create already exists."""

    error_code = ALREADY_EXISTS


class PermissionDeniedError(OpError):
    """The caller does not have permission to run the operation."""

    error_code = PERMISSION_DENIED


class UnauthenticatedError(OpError):
    """The request does not have valid authentication credentials."""

    error_code = UNAUTHENTICATED


class ResourceExhaustedError(OpError):
    """Some resource (memory, quota) has been exhausted."""

    error_code = RESOURCE_EXHAUSTED


class FailedPreconditionError(OpError):
    """The system is not in a state to run the operation, e.g. an uninitialized variable was read.

    Fix: run ``tf.global_variables_initializer()`` (or the variable's ``initializer``) first.
    """

    error_code = FAILED_PRECONDITION


class AbortedError(OpError):
    """The operation was aborted, typically due to a concurrent action."""

    error_code = ABORTED


class OutOfRangeError(OpError):
    """An iteration went past the valid input range (e.g. an exhausted queue or dataset)."""

    error_code = OUT_OF_RANGE


class UnimplementedError(OpError):
    """The operation is not implemented or not supported."""

    error_code = UNIMPLEMENTED


class InternalError(OpError):
    """An internal invariant was broken."""

    error_code = INTERNAL


class UnavailableError(OpError):
    """The runtime is currently unavailable."""

    error_code = UNAVAILABLE


class DataLossError(OpError):
    """Unrecoverable data loss or corruption, e.g. a corrupt checkpoint file."""

    error_code = DATA_LOSS


_CODE_TO_CLASS = {
    c.error_code: c
    for c in (
        CancelledError,
        UnknownError,
        InvalidArgumentError,
        DeadlineExceededError,
        NotFoundError,
        AlreadyExistsError,
        PermissionDeniedError,
        UnauthenticatedError,
        ResourceExhaustedError,
        FailedPreconditionError,
        AbortedError,
        OutOfRangeError,
        UnimplementedError,
        InternalError,
        UnavailableError,
        DataLossError,
    )
}


def exception_type_from_error_code(error_code: int) -> type[OpError]:
    """Returns the ``OpError`` subclass for a TF error code (TF's function of the same name)."""
    return _CODE_TO_CLASS[error_code]


def error_from_os_error(e: OSError, path: str, op: Any = None) -> OpError:
    """The TF error for a failed file operation on ``path``: TF's ``"<path>; <strerror>"`` text.

    ``ENOENT`` is ``NotFoundError``; ``EISDIR``/``ENOTDIR``/``ENOTEMPTY`` are
    ``FailedPreconditionError``; ``EACCES``/``EPERM`` ``PermissionDeniedError``; ``EEXIST``
    ``AlreadyExistsError``; anything else ``UnknownError``.
    """
    import errno  # noqa: PLC0415
    import os  # noqa: PLC0415

    message = f"{path}; {e.strerror or os.strerror(e.errno or 0)}"
    kinds: dict[int, type[OpError]] = {
        errno.ENOENT: NotFoundError,
        errno.EISDIR: FailedPreconditionError,
        errno.ENOTDIR: FailedPreconditionError,
        errno.ENOTEMPTY: FailedPreconditionError,
        errno.EACCES: PermissionDeniedError,
        errno.EPERM: PermissionDeniedError,
        errno.EEXIST: AlreadyExistsError,
    }
    return kinds.get(e.errno or 0, UnknownError)(None, op, message)


# --- _core: variable store -----------------------------------------------------------------------


def _explained(error: BaseException, explanation: str | None) -> None:
    """Attach scopeflow's explanation to a sharing error without changing TF's message.

    ``str(error)`` stays TF's text byte for byte (programs print or match it); the explanation is
    ``error.explanation`` and, on Python 3.11+, a note (PEP 678) that tracebacks print under it.
    """
    error.explanation = explanation  # type: ignore[attr-defined]
    if explanation and hasattr(error, "add_note"):
        error.add_note(explanation)


class VariableAlreadyExistsError(ValueError):
    """``get_variable`` was asked to create a variable that already exists while reuse is off.

    Fix: open the scope with ``reuse=True`` (or ``tf.AUTO_REUSE``), or call
    ``scope.reuse_variables()``, or give the variable another name.
    """

    def __init__(
        self, name: str, defined_at: str | None = None, explanation: str | None = None
    ) -> None:
        self.name = name
        msg = (
            f"Variable {name} already exists, disallowed. Did you mean to set reuse=True or "
            "reuse=tf.AUTO_REUSE in VarScope?"
        )
        if defined_at is not None:
            msg += f" Originally defined at:\n\n{defined_at}"
        super().__init__(msg)
        _explained(self, explanation)


class VariableNotFoundError(ValueError):
    """``get_variable`` was asked to reuse a variable that does not exist in the store.

    Variables made by ``tf.Variable`` are not in the store. Fix: create it first, or use
    ``reuse=tf.AUTO_REUSE``.
    """

    def __init__(self, name: str, explanation: str | None = None) -> None:
        self.name = name
        super().__init__(
            f"Variable {name} does not exist, or was not created with tf.get_variable(). "
            "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?"
        )
        _explained(self, explanation)


class VariableShapeMismatchError(ValueError):
    """A shared variable was requested with a shape incompatible with the existing one."""

    def __init__(
        self, name: str, specified: object, found: object, explanation: str | None = None
    ) -> None:
        self.name, self.specified, self.found = name, specified, found
        super().__init__(
            f"Trying to share variable {name}, but specified shape {specified} "
            f"and found shape {found}."
        )
        _explained(self, explanation)


class VariableDtypeMismatchError(ValueError):
    """A shared variable was requested with a dtype incompatible with the existing one."""

    def __init__(
        self, name: str, specified: str, found: str, explanation: str | None = None
    ) -> None:
        self.name, self.specified, self.found = name, specified, found
        super().__init__(
            f"Trying to share variable {name}, but specified dtype {specified} "
            f"and found dtype {found}."
        )
        _explained(self, explanation)


class InvalidScopeNameError(ValueError):
    """A name scope, variable scope or op name does not match TF's name pattern."""

    def __init__(self, name: str, pattern: str, *, root: bool) -> None:
        self.name = name
        if root:
            msg = (
                f"'{name}' is not a valid root scope name. A root scope name has to match "
                f"the following pattern: {pattern}"
            )
        else:
            msg = (
                f"'{name}' is not a valid scope name. A scope name has to match the following "
                f"pattern: {pattern}"
            )
        super().__init__(msg)


# --- graph ---------------------------------------------------------------------------------------


class UnsupportedError(NotImplementedError):
    """A TF feature, op, argument value or dtype that scopeflow does not implement.

    scopeflow never approximates silently: anything it cannot do faithfully raises this error,
    naming the feature.
    """

    def __init__(self, what: str, hint: str = "") -> None:
        self.what = what
        super().__init__(f"scopeflow does not support {what}." + (f" {hint}" if hint else ""))


class UnsupportedContribError(UnsupportedError, AttributeError):
    """``tf.contrib.X`` for a contrib module scopeflow does not provide.

    An ``AttributeError`` too, so ``hasattr(tf.contrib, "X")`` is False. Raised by
    ``scopeflow.contrib``'s lazy attribute lookup; the fix is to port the code away from that
    contrib module (or check the project's issue tracker for it).
    """

    def __init__(self, module: str) -> None:
        self.module = module
        super().__init__(f"tf.contrib.{module}", "Its contrib module is not implemented.")


class UnsupportedEstimatorError(UnsupportedError, AttributeError):
    """``tf.estimator.X`` for a part of ``tf.estimator`` scopeflow does not build.

    The boosted-trees canned estimators, ``tf.estimator.export`` and the exporters. An
    ``AttributeError`` too, so ``hasattr(tf.estimator, "X")`` is False.
    The fix is a ``model_fn`` for ``tf.estimator.Estimator``.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"tf.estimator.{name}", "Write a model_fn for tf.estimator.Estimator.")


# --- run: the ``tensorflow`` import hook of ``scopeflow run`` ------------------------------------


class TFModuleNotImplementedError(ModuleNotFoundError):
    """A script run by ``scopeflow run`` imported a TensorFlow module scopeflow does not provide.

    Subclasses ``ModuleNotFoundError`` so ``try: import ... except ImportError`` keeps working.
    ``name`` stays None so ``from tensorflow.x import y`` reports this message, not Python's
    generic "cannot import name".
    """

    def __init__(self, api: str) -> None:
        self.api = api
        super().__init__(f"scopeflow does not implement {api}.")


class TFAttributeNotImplementedError(AttributeError):
    """A script run by ``scopeflow run`` used a TensorFlow name scopeflow does not provide.

    Subclasses ``AttributeError`` so ``hasattr(tf, name)`` and ``getattr(..., default)`` work.
    """

    def __init__(self, api: str) -> None:
        self.api = api
        super().__init__(f"scopeflow does not implement {api}.")


__all__ = [
    "ABORTED",
    "ALREADY_EXISTS",
    "CANCELLED",
    "DATA_LOSS",
    "DEADLINE_EXCEEDED",
    "FAILED_PRECONDITION",
    "INTERNAL",
    "INVALID_ARGUMENT",
    "NOT_FOUND",
    "OK",
    "OUT_OF_RANGE",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "UNAUTHENTICATED",
    "UNAVAILABLE",
    "UNIMPLEMENTED",
    "UNKNOWN",
    "AbortedError",
    "AlreadyExistsError",
    "CancelledError",
    "DataLossError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "InternalError",
    "InvalidArgumentError",
    "InvalidScopeNameError",
    "NotFoundError",
    "OpError",
    "OutOfRangeError",
    "PermissionDeniedError",
    "TFAttributeNotImplementedError",
    "TFModuleNotImplementedError",
    "ResourceExhaustedError",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "UnknownError",
    "UnsupportedContribError",
    "UnsupportedError",
    "UnsupportedEstimatorError",
    "VariableAlreadyExistsError",
    "VariableDtypeMismatchError",
    "VariableNotFoundError",
    "VariableShapeMismatchError",
    "error_from_os_error",
    "exception_type_from_error_code",
]
