"""TF 1.15's ``tf.contrib.framework.filter_variables``: select variables by name patterns.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def filter_variables(
    var_list: Iterable[Any],
    include_patterns: Iterable[str] | None = None,
    exclude_patterns: Iterable[str] | None = None,
    reg_search: bool = True,
) -> list[Any]:
    """The variables of ``var_list`` whose names match an include pattern and no exclude one.

    ``None`` patterns include everything / exclude nothing. With ``reg_search`` a pattern may
    match anywhere in the name (``re.search``), else only at its start (``re.match``).

    >>> import scopeflow.compat.v1 as tf
    >>> vs = [tf.get_variable(n, []) for n in ("conv1/weights", "conv1/biases", "fc/weights")]
    >>> kept = tf.contrib.framework.filter_variables(vs, ["conv"], ["biases"])
    >>> print([v.op.name for v in kept])
    ['conv1/weights']
    """
    matches = re.search if reg_search else re.match
    variables = list(var_list)
    if include_patterns is not None:
        include = list(include_patterns)
        variables = [v for v in variables if any(matches(p, v.name) for p in include)]
    if exclude_patterns is not None:
        exclude = list(exclude_patterns)
        variables = [v for v in variables if not any(matches(p, v.name) for p in exclude)]
    return variables


__all__ = ["filter_variables"]
