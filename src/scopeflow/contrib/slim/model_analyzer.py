"""``tf.contrib.slim.model_analyzer``: sizes of a graph's op outputs and of variables.

TF 1.15's ``slim.model_analyzer``: ``analyze_vars`` counts the elements and bytes of variables
(unknown shapes count 0), ``analyze_ops`` the elements of every op output in a graph, and both
print one line per item in TF's format when ``print_info`` is set.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.

>>> import scopeflow.compat.v1 as tf
>>> from scopeflow.contrib.slim import model_analyzer
>>> _ = tf.get_variable("w", [3, 4])
>>> model_analyzer.analyze_vars(tf.global_variables())
(12, 48)
>>> model_analyzer.tensor_description(tf.global_variables()[0])
'(float32_ref 3x4)'
"""

from __future__ import annotations

from typing import Any


def tensor_description(var: Any) -> str:
    """``(dtype d0xd1x...)`` for a tensor or variable, e.g. ``(float32 1x8x8x1024)``."""
    dims = var.get_shape()
    return f"({var.dtype.name} " + "x".join(str(size) for size in dims) + ")"


def analyze_ops(graph: Any, print_info: bool = False) -> int:
    """The total number of elements of all op outputs in ``graph`` (unknown sizes count 0)."""
    if print_info:
        print("---------")  # noqa: T201 (TF prints it)
        print("Operations: name -> (type shapes) [size]")  # noqa: T201 (TF prints it)
        print("---------")  # noqa: T201 (TF prints it)
    total_size = 0
    for op in graph.get_operations():
        op_size = 0
        shapes = []
        for output in op.outputs:
            shape = output.get_shape()
            if shape:  # TF's TensorShape truthiness: known rank > 0
                shapes.append(tensor_description(output))
            op_size += shape.num_elements() or 0
        if print_info:
            print(op.name, "\t->", ", ".join(shapes), f"[{op_size}]")  # noqa: T201 (TF prints it)
        total_size += op_size
    return total_size


def analyze_vars(variables: Any, print_info: bool = False) -> tuple[int, int]:
    """``(total elements, total bytes)`` of ``variables`` (unknown shapes count 0)."""
    if print_info:
        print("---------")  # noqa: T201 (TF prints it)
        print("Variables: name (type shape) [size]")  # noqa: T201 (TF prints it)
        print("---------")  # noqa: T201 (TF prints it)
    total_size = 0
    total_bytes = 0
    for var in variables:
        var_size = var.get_shape().num_elements() or 0
        var_bytes = var_size * var.dtype.size
        total_size += var_size
        total_bytes += var_bytes
        if print_info:
            print(var.name, tensor_description(var), f"[{var_size}, bytes: {var_bytes}]")  # noqa: T201 (TF prints it)
    if print_info:
        print(f"Total size of variables: {total_size}")  # noqa: T201 (TF prints it)
        print(f"Total bytes of variables: {total_bytes}")  # noqa: T201 (TF prints it)
    return total_size, total_bytes


__all__ = ["analyze_ops", "analyze_vars", "tensor_description"]
