"""``tf.linalg.expm``: the matrix exponential, TF 1.15's scaling-and-squaring Padé method.

As TF 1.15's ``linalg_impl.matrix_exponential`` (Higham 2005, "The scaling and squaring method
for the matrix exponential revisited"): under the ``matrix_exponential`` name scope the batch is
flattened, the 1-norm of each matrix picks the Padé order (3, 5 or 7 for float16/float32/
complex64; 3, 5, 7, 9 or 13 for float64/complex128) with ``where``, the order-7 (13) approximant
is evaluated on the matrix scaled by ``2**-s``, ``s = max(0, floor(log2(norm / maxnorm)))``, the
rational approximant is ``matrix_solve(-u + v, u + v)``, and a ``while_loop`` squares each
matrix ``s`` times. Gradients come from torch autograd through these ops.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import _scope, name_scope
from scopeflow.ops.array_ops import concat, reshape, shape, size
from scopeflow.ops.constant_op import constant
from scopeflow.ops.control_flow_ops import while_loop
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.linalg_ops import eye
from scopeflow.ops.math_ops import cast, less, maximum
from scopeflow.ops.math_ops import pow as pow_op
from scopeflow.ops.matmul_ops import matmul
from scopeflow.ops.matrix_extra_ops import matrix_solve
from scopeflow.ops.reduction_ops import reduce_max, reduce_sum
from scopeflow.ops.unary_ops import abs as abs_op
from scopeflow.ops.unary_ops import floor, log

_PADE3 = (120.0, 60.0, 12.0)
_PADE5 = (30240.0, 15120.0, 3360.0, 420.0, 30.0)
_PADE7 = (17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0)
_PADE9 = (17643225600.0, 8821612800.0, 2075673600.0, 302702400.0, 30270240.0, 2162160.0,
          110880.0, 3960.0, 90.0)  # fmt: skip
_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
           40840800.0, 960960.0, 16380.0, 182.0, 1.0)  # fmt: skip


def _identity(matrix: Tensor) -> Tensor:
    # TF builds a batch of identities; one broadcast [n, n] identity adds the same values.
    return eye(shape(matrix)[-2], dtype=matrix.dtype)


def _coeffs(values: tuple[float, ...], dt: dtypes.DType) -> list[Tensor]:
    return [constant(v, dt) for v in values]


def _pade_low(matrix: Tensor, values: tuple[float, ...]) -> tuple[Tensor, Tensor]:
    """The Padé 3, 5, 7 or 9 approximant's ``u`` (odd terms) and ``v`` (even terms)."""
    b = _coeffs(values, matrix.dtype)
    ident = _identity(matrix)
    powers = [matmul(matrix, matrix)]
    for _ in range(len(values) // 2 - 1):
        powers.append(matmul(powers[-1], powers[0]))
    tmp: Any = powers[-1]
    for k in range(len(powers) - 1, 0, -1):
        tmp = tmp + b[2 * k + 1] * powers[k - 1]
    tmp = tmp + b[1] * ident
    matrix_u = matmul(matrix, tmp)
    matrix_v: Any = b[-1] * powers[-1]
    for k in range(len(powers) - 1, 0, -1):
        matrix_v = matrix_v + b[2 * k] * powers[k - 1]
    matrix_v = matrix_v + b[0] * ident
    return matrix_u, matrix_v


def _pade13(matrix: Tensor) -> tuple[Tensor, Tensor]:
    b = _coeffs(_PADE13, matrix.dtype)
    ident = _identity(matrix)
    m2 = matmul(matrix, matrix)
    m4 = matmul(m2, m2)
    m6 = matmul(m4, m2)
    tmp_u = (
        matmul(m6, m6 + b[11] * m4 + b[9] * m2) + b[7] * m6 + b[5] * m4 + b[3] * m2 + b[1] * ident
    )
    matrix_u = matmul(matrix, tmp_u)
    tmp_v = b[12] * m6 + b[10] * m4 + b[8] * m2
    matrix_v = matmul(m6, tmp_v) + b[6] * m6 + b[4] * m4 + b[2] * m2 + b[0] * ident
    return matrix_u, matrix_v


def expm(input: Any, name: str | None = None) -> Tensor:
    """``exp(A)`` of each square matrix in the innermost 2 dimensions (``tf.linalg.expm``).

    >>> import scopeflow.compat.v1 as tf
    >>> e = tf.linalg.expm([[0.0, 1.0], [0.0, 0.0]])
    >>> tf.Session().run(e).tolist()
    [[1.0, 1.0], [0.0, 1.0]]
    """
    scope = _scope(name, "matrix_exponential")
    with name_scope(scope):
        matrix = convert_to_tensor(input, name="input")
        static = matrix._shape
        if static.ndims is not None and static.ndims >= 2 and static.as_list()[-2:] == [0, 0]:
            return matrix
        dt = matrix._dtype.base_dtype
        if dt not in (dtypes.float16, dtypes.float32, dtypes.complex64, dtypes.float64,
                      dtypes.complex128):  # fmt: skip
            raise ValueError(f"tf.linalg.expm does not support matrices of type {matrix.dtype}")
        fully = static.is_fully_defined()
        batch_static = static[:-2] if static.ndims is not None else None
        batch_dyn = None if fully else shape(matrix)[:-2]
        matrix = reshape(matrix, concat(([-1], shape(matrix)[-2:]), axis=0))
        l1_norm = reduce_max(reduce_sum(abs_op(matrix), axis=size(shape(matrix)) - 2), axis=-1)
        norm_dt = l1_norm.dtype

        def const(x: float) -> Tensor:
            return constant(x, norm_dt)

        def nest_where(vals: tuple[float, ...], cases: tuple[Tensor, ...]) -> Tensor:
            if len(vals) == 1:
                return where(less(l1_norm, const(vals[0])), cases[0], cases[1])
            return where(less(l1_norm, const(vals[0])), cases[0], nest_where(vals[1:], cases[1:]))

        if dt in (dtypes.float16, dtypes.float32, dtypes.complex64):
            maxnorm = const(3.925724783138660)
            squarings = maximum(floor(log(l1_norm / maxnorm) / log(const(2.0))), 0)
            u3, v3 = _pade_low(matrix, _PADE3)
            u5, v5 = _pade_low(matrix, _PADE5)
            scaled = matrix / pow_op(constant(2.0, dtype=dt), cast(squarings, dt))[..., None, None]
            u7, v7 = _pade_low(scaled, _PADE7)
            conds: tuple[float, ...] = (4.258730016922831e-001, 1.880152677804762e000)
            u = nest_where(conds, (u3, u5, u7))
            v = nest_where(conds, (v3, v5, v7))
        else:
            maxnorm = const(5.371920351148152)
            squarings = maximum(floor(log(l1_norm / maxnorm) / log(const(2.0))), 0)
            u3, v3 = _pade_low(matrix, _PADE3)
            u5, v5 = _pade_low(matrix, _PADE5)
            u7, v7 = _pade_low(matrix, _PADE7)
            u9, v9 = _pade_low(matrix, _PADE9)
            scaled = matrix / pow_op(constant(2.0, dtype=dt), cast(squarings, dt))[..., None, None]
            u13, v13 = _pade13(scaled)
            conds = (1.495585217958292e-002, 2.539398330063230e-001, 9.504178996162932e-001,
                     2.097847961257068e000)  # fmt: skip
            u = nest_where(conds, (u3, u5, u7, u9, u13))
            v = nest_where(conds, (v3, v5, v7, v9, v13))
        numer = u + v
        denom = -u + v
        result = matrix_solve(denom, numer)
        max_squarings = reduce_max(squarings)

        def body(i: Tensor, r: Tensor) -> tuple[Tensor, Tensor]:
            return i + 1, where(less(i, squarings), matmul(r, r), r)

        _, result = while_loop(lambda i, r: less(i, max_squarings), body, [const(0.0), result])
        if not fully:
            return reshape(result, concat((batch_dyn, shape(result)[-2:]), axis=0))
        assert batch_static is not None
        return reshape(result, batch_static.concatenate(result.shape[-2:]))


__all__ = ["expm"]
