"""Warm-starting: initialize a new model's variables from another model's checkpoint.

``tf.estimator.WarmStartSettings`` (and ``Estimator(warm_start_from=...)``) and the function
that does the work, TF 1.15's ``tf.train.warm_start``: the chosen variables get their initial
values from ``ckpt_to_initialize_from`` (a checkpoint file or a directory's latest checkpoint)
through ``init_from_checkpoint``, optionally under another name
(``var_name_to_prev_var_name``). ``vars_to_warm_start`` is a regex over the
``TRAINABLE_VARIABLES`` collection, a list of regexes over ``GLOBAL_VARIABLES``, a list of
variables, or None (nothing).

Differences from TensorFlow: vocabulary remapping (``var_name_to_vocab_info`` / ``VocabInfo``)
raises ``UnsupportedError``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow.app import logging
from scopeflow.errors import UnsupportedError
from scopeflow.graph.graph import get_default_graph
from scopeflow.train.checkpoint_utils import init_from_checkpoint

__all__ = ["VocabInfo", "WarmStartSettings", "warm_start"]

VocabInfo = collections.namedtuple(
    "VocabInfo",
    [
        "new_vocab",
        "new_vocab_size",
        "num_oov_buckets",
        "old_vocab",
        "old_vocab_size",
        "backup_initializer",
        "axis",
    ],
)
VocabInfo.__new__.__defaults__ = (-1, None, 0)
VocabInfo.__doc__ = "Vocabulary information for warm-starting (accepted; remapping unsupported)."

_WarmStartFields = collections.namedtuple(  # type: ignore[name-match]
    "WarmStartSettings",
    [
        "ckpt_to_initialize_from",
        "vars_to_warm_start",
        "var_name_to_vocab_info",
        "var_name_to_prev_var_name",
    ],
)


class WarmStartSettings(_WarmStartFields):
    """What to warm-start an Estimator from (``tf.estimator.WarmStartSettings``).

    >>> ws = WarmStartSettings("/tmp/old_model", vars_to_warm_start=".*dense.*")
    >>> ws.vars_to_warm_start, ws.var_name_to_prev_var_name
    ('.*dense.*', {})
    """

    def __new__(  # noqa: D102
        cls,
        ckpt_to_initialize_from: Any,
        vars_to_warm_start: Any = ".*",
        var_name_to_vocab_info: Any = None,
        var_name_to_prev_var_name: Any = None,
    ) -> WarmStartSettings:
        if not ckpt_to_initialize_from:
            raise ValueError("`ckpt_to_initialize_from` MUST be set in WarmStartSettings")
        return super().__new__(
            cls,
            ckpt_to_initialize_from,
            vars_to_warm_start,
            var_name_to_vocab_info or {},
            var_name_to_prev_var_name or {},
        )


def _var_name(var: Any) -> str:
    info = getattr(var, "_save_slice_info", None)
    return info.full_name if info is not None else var.op.name


def _grouped_variables(vars_to_warm_start: Any) -> dict[str, list[Any]]:
    graph = get_default_graph()
    if isinstance(vars_to_warm_start, str):
        found = graph.get_collection(GraphKeys.TRAINABLE_VARIABLES, scope=vars_to_warm_start)
    elif isinstance(vars_to_warm_start, list):
        if all(isinstance(v, str) for v in vars_to_warm_start):
            found = []
            for pattern in vars_to_warm_start:
                found += graph.get_collection(GraphKeys.GLOBAL_VARIABLES, scope=pattern)
        elif all(hasattr(v, "op") for v in vars_to_warm_start):
            found = list(vars_to_warm_start)
        else:
            raise ValueError(
                "If `vars_to_warm_start` is a list, it must be all `Variable` or all `str`.  "
                f"Given types are {[type(v) for v in vars_to_warm_start]}"
            )
    elif vars_to_warm_start is None:
        found = []
    else:
        raise ValueError(
            "`vars_to_warm_start must be a `list` or `str`.  "
            f"Given type is {type(vars_to_warm_start)}"
        )
    grouped: dict[str, list[Any]] = {}
    for var in found:
        group = grouped.setdefault(_var_name(var), [])
        if all(var is not v for v in group):
            group.append(var)
    return grouped


def warm_start(
    ckpt_to_initialize_from: Any,
    vars_to_warm_start: Any = ".*",
    var_name_to_vocab_info: Any = None,
    var_name_to_prev_var_name: Any = None,
) -> None:
    """Warm-start the default graph's variables from a checkpoint (``tf.train.warm_start``).

    Raises:
        ValueError: a ``var_name_to_prev_var_name`` entry matched no variable (TF's message).
        UnsupportedError: ``var_name_to_vocab_info`` is given.
    """
    if var_name_to_vocab_info:
        raise UnsupportedError("warm-starting with var_name_to_vocab_info (vocabulary remapping)")
    prev_names = dict(var_name_to_prev_var_name or {})
    logging.info("Warm-starting from: %s", ckpt_to_initialize_from)
    grouped = _grouped_variables(vars_to_warm_start)
    used: set[str] = set()
    assignment: dict[str, Any] = {}
    for name, group in grouped.items():
        prev = prev_names.get(name)
        if prev is not None:
            used.add(name)
        logging.debug("Warm-starting variable: %s; prev_var_name: %s", name, prev or "Unchanged")
        assignment[prev or name] = group[0] if len(group) == 1 else group
    if assignment:
        init_from_checkpoint(ckpt_to_initialize_from, assignment)
    logging.info("Warm-started %d variables.", len(assignment))
    unused = set(prev_names) - used
    if unused:
        raise ValueError(
            "You provided the following variables in var_name_to_prev_var_name that were not "
            f"used: {unused}.  Perhaps you misspelled them?  Here is the list of viable "
            f"variable names: {grouped.keys()}"
        )


def default_warm_start_settings(warm_start_from: Any) -> WarmStartSettings | None:
    """``WarmStartSettings`` for an Estimator's ``warm_start_from`` argument (TF's rules)."""
    if warm_start_from is None:
        return None
    if isinstance(warm_start_from, (str, bytes)):
        path = warm_start_from.decode() if isinstance(warm_start_from, bytes) else warm_start_from
        if (Path(path) / "variables" / "variables.index").exists():
            logging.info("Warm-starting from a SavedModel")
            return WarmStartSettings(str(Path(path) / "variables" / "variables"))
        return WarmStartSettings(path)
    if isinstance(warm_start_from, WarmStartSettings):
        return warm_start_from
    raise ValueError(
        "warm_start_from must be a string or a WarmStartSettings, "
        f"instead got {type(warm_start_from)}"
    )
