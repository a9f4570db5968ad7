"""``tf.layers.InputSpec`` and the input checks a layer runs before building and calling.

Messages are TF's (Keras's ``assert_input_compatibility``).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.ops import nest


class InputSpec:
    """Specifies the rank, dtype and shape of every input to a layer (``tf.layers.InputSpec``).

    >>> from scopeflow.layers import InputSpec
    >>> InputSpec(min_ndim=2, axes={-1: 4})
    InputSpec(min_ndim=2, axes={-1: 4})
    """

    def __init__(
        self,
        dtype: Any = None,
        shape: Any = None,
        ndim: int | None = None,
        max_ndim: int | None = None,
        min_ndim: int | None = None,
        axes: dict[int, int | None] | None = None,
        allow_last_axis_squeeze: bool = False,
        name: str | None = None,
        optional: bool = False,
    ) -> None:
        self.dtype = dtypes.as_dtype(dtype).name if dtype is not None else None
        shape = as_shape(shape) if shape is not None else None
        if shape is not None and shape.ndims is not None:
            self.shape: tuple[int | None, ...] | None = tuple(shape.as_list())
            self.ndim: int | None = len(self.shape)
        else:
            self.shape = None
            self.ndim = ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            self.axes = {int(k): v for k, v in (axes or {}).items()}
        except (ValueError, TypeError) as e:
            raise TypeError(
                f"Argument `axes` must be a dict with integer keys. Received: axes={axes}"
            ) from e
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            max_dim = (self.ndim if self.ndim else self.max_ndim) - 1  # type: ignore[operator]
            max_axis = max(self.axes)
            if max_axis > max_dim:
                raise ValueError(
                    f"Axis {max_axis} is greater than the maximum allowed value: {max_dim}"
                )

    def __repr__(self) -> str:
        spec = [
            ("dtype=" + str(self.dtype)) if self.dtype else "",
            ("shape=" + str(self.shape)) if self.shape else "",
            ("ndim=" + str(self.ndim)) if self.ndim else "",
            ("max_ndim=" + str(self.max_ndim)) if self.max_ndim else "",
            ("min_ndim=" + str(self.min_ndim)) if self.min_ndim else "",
            ("axes=" + str(self.axes)) if self.axes else "",
        ]
        return f"InputSpec({', '.join(x for x in spec if x)})"


def _display_shape(shape: TensorShape) -> str:
    return str(tuple(shape.as_list())) if shape.ndims is not None else "None"


def assert_input_compatibility(input_spec: Any, inputs: Any, layer_name: str) -> None:
    """Raises TF's ``ValueError`` when ``inputs`` do not satisfy ``input_spec``."""
    if not input_spec:
        return
    specs = nest.flatten(input_spec)
    flat = nest.flatten(inputs)
    for x in flat:
        if not hasattr(x, "shape"):
            raise TypeError(
                f"Inputs to a layer should be tensors. Got '{x}' (of type {type(x)}) as input "
                f"for layer '{layer_name}'."
            )
    if len(flat) != len(specs):
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received '
            f"{len(flat)} input tensors. Inputs received: {flat}"
        )
    for i, (x, spec) in enumerate(zip(flat, specs, strict=True)):
        if spec is None:
            continue
        shape = x.shape
        if shape.ndims is None:
            return
        ndim = shape.ndims
        head = f'Input {i} of layer "{layer_name}" is incompatible with the layer: '
        full = f"Full shape received: {tuple(shape)}"
        if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
            raise ValueError(f"{head}expected ndim={spec.ndim}, found ndim={ndim}. {full}")
        if spec.max_ndim is not None and ndim > spec.max_ndim:
            raise ValueError(f"{head}expected max_ndim={spec.max_ndim}, found ndim={ndim}")
        if spec.min_ndim is not None and ndim < spec.min_ndim:
            raise ValueError(f"{head}expected min_ndim={spec.min_ndim}, found ndim={ndim}. {full}")
        if spec.dtype is not None and x.dtype.name != spec.dtype:
            raise ValueError(f"{head}expected dtype={spec.dtype}, found dtype={x.dtype}")
        dims = shape.as_list()
        for axis, value in (spec.axes or {}).items():
            if value is not None and dims[int(axis)] not in {value, None}:
                raise ValueError(
                    f'Input {i} of layer "{layer_name}" is incompatible with the layer: '
                    f"expected axis {axis} of input shape to have value {value}, but received "
                    f"input with shape {_display_shape(shape)}"
                )
        if spec.shape is not None:
            for spec_dim, dim in zip(spec.shape, dims, strict=False):
                if spec_dim is not None and dim is not None and spec_dim != dim:
                    raise ValueError(
                        f"{head}expected shape={spec.shape}, found shape={_display_shape(shape)}"
                    )


__all__ = ["InputSpec", "assert_input_compatibility"]
