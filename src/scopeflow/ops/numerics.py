"""NaN and Inf checks: ``tf.check_numerics`` and the functions built on it.

``verify_tensor_all_finite`` and ``add_check_numerics_ops`` are TF 1.15's ``numerics`` module.

``CheckNumerics`` passes its input through and fails with TF's ``InvalidArgumentError``
("<message> : Tensor had NaN values", "... Inf values" or "... Inf and NaN values") when a
float value is not finite. Its gradient checks the incoming gradient the same way, with TF's
message "Not a number (NaN) or infinity (Inf) values detected in gradient. b'<message>'" (TF
formats the bytes of the attr).

Differences from TensorFlow: a failing gradient check is reported at the forward
``CheckNumerics`` op (TF: ``gradients/CheckNumerics_grad/CheckNumerics``), because scopeflow's
gradients are torch autograd; ``add_check_numerics_ops`` does not refuse graphs with control
flow (TF raises ``ValueError`` for ops inside ``tf.cond``/``tf.while_loop``).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.math_ops import _scope

_FLOATS = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
_GRAD_MESSAGE = "Not a number (NaN) or infinity (Inf) values detected in gradient. "


def check_numerics(tensor: Any, message: str, name: str | None = None) -> Tensor:
    """``tensor``, failing at run time when it holds a NaN or an infinity (``tf.check_numerics``).

    >>> import scopeflow.compat.v1 as tf
    >>> t = tf.check_numerics(tf.constant([1.0, float("nan")]), "x")
    >>> with tf.Session() as sess:
    ...     try:
    ...         sess.run(t)
    ...     except tf.errors.InvalidArgumentError as e:
    ...         print(e.message.splitlines()[0])
    x : Tensor had NaN values
    """
    scope = _scope(name, "CheckNumerics")
    x = convert_to_tensor(tensor, name=scope + "tensor/")
    base = x._dtype.base_dtype
    if base not in _FLOATS:
        raise TypeError(
            f"Value passed to parameter 'tensor' has DataType {base.name} not in list of allowed "
            "values: bfloat16, float16, float32, float64"
        )
    return make_op("CheckNumerics", (x,), {"T": base, "message": str(message)}, scope, base,
                   x._shape)  # fmt: skip


def _status(t: torch.Tensor) -> str:
    if bool(torch.isfinite(t).all()):
        return ""  # the common case: one pass
    nan = bool(torch.isnan(t).any())
    inf = bool(torch.isinf(t).any())
    return "Inf and NaN" if nan and inf else "Inf" if inf else "NaN" if nan else ""


@register_kernel("CheckNumerics", aliases_input=True)
def _check_numerics_kernel(op: Operation, session: Any) -> Any:
    message = op._attrs["message"]

    class _Check(torch.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
            return x.view_as(x)

        @staticmethod
        def backward(ctx: Any, grad: torch.Tensor) -> torch.Tensor:
            status = _status(grad)
            if status:
                # TF formats the bytes of the forward op's message attr: "... b'msg'"
                text = f"{_GRAD_MESSAGE}{message.encode()!r} : Tensor had {status} values"
                raise InvalidArgumentError(None, op, text)
            return grad

    def kernel(x: torch.Tensor) -> torch.Tensor:
        status = _status(x)
        if status:
            raise InvalidArgumentError(None, op, f"{message} : Tensor had {status} values")
        return _Check.apply(x) if x.requires_grad else x

    return kernel


def verify_tensor_all_finite(t: Any, msg: str, name: str | None = None) -> Tensor:
    """``t`` after a ``CheckNumerics`` of it (``tf.verify_tensor_all_finite``).

    Names as TF: ``VerifyFinite/CheckNumerics`` and the returned
    ``VerifyFinite/control_dependency`` identity.
    """
    from scopeflow.ops.control_flow_ops import with_dependencies  # noqa: PLC0415

    g = get_default_graph()
    with g.name_scope(name or "VerifyFinite"):
        x = convert_to_tensor(t, name="t")
        check = check_numerics(x, message=msg)
        return with_dependencies([check], x)


def add_check_numerics_ops() -> Operation:
    """A group of ``CheckNumerics`` ops, one per float output of the default graph, chained.

    As TF 1.15: each check's message is ``<op name>:<output index>`` and each check runs after
    the previous one (a control dependency); the returned op groups the last.
    """
    from scopeflow.ops.state_ops import group  # noqa: PLC0415

    g = get_default_graph()
    checks: list[Any] = []
    for op in g.get_operations():
        for out in op.outputs:
            if out.dtype.base_dtype in (dtypes.float16, dtypes.float32, dtypes.float64):
                with g.control_dependencies(checks):
                    checks = [check_numerics(out, message=f"{op.name}:{out.value_index}")]
    return group(*checks)


__all__ = ["add_check_numerics_ops", "check_numerics", "verify_tensor_all_finite"]
