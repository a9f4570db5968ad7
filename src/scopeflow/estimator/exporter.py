"""``tf.estimator.Exporter``s: the exports ``train_and_evaluate`` makes after evaluations.

Each exporter writes ``Estimator.export_saved_model`` SavedModels under
``model_dir/export/<name>/<timestamp>`` (TF 1.15's ``exporter.py``):

- ``FinalExporter`` exports once, after the evaluation of the final checkpoint.
- ``LatestExporter`` exports after every evaluation and keeps the ``exports_to_keep`` newest.
- ``BestExporter`` exports when ``compare_fn(best_eval_result, current_eval_result)`` says the
  evaluation beats the best so far (smaller ``loss`` by default); the best so far is first read
  back from the event files matching ``event_file_pattern`` in ``model_dir``, so it survives a
  restart. It also keeps ``exports_to_keep`` exports.

Garbage collection deletes the timestamped (ten-digit) export directories beyond the newest
``exports_to_keep``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import abc
import glob
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scopeflow.app import logging
from scopeflow.estimator._fn_args import fn_args
from scopeflow.summary.summary_iterator import summary_iterator

__all__ = ["BestExporter", "Exporter", "FinalExporter", "LatestExporter"]


class Exporter(abc.ABC):
    """A kind of model export (``tf.estimator.Exporter``): a name and an ``export`` method."""

    @property
    @abc.abstractmethod
    def name(self) -> str:
        """The directory name of these exports under ``model_dir/export``."""

    @abc.abstractmethod
    def export(
        self,
        estimator: Any,
        export_path: str,
        checkpoint_path: Any,
        eval_result: Any,
        is_the_final_export: bool,
    ) -> Any:
        """Exports ``estimator``; returns the export directory, or None if skipped."""


class _SavedModelExporter(Exporter):
    """``Estimator.export_saved_model`` with fixed receiver fn, assets and format."""

    def __init__(
        self,
        name: str,
        serving_input_receiver_fn: Any,
        assets_extra: Any = None,
        as_text: bool = False,
    ) -> None:
        self._name = name
        self._serving_input_receiver_fn = serving_input_receiver_fn
        self._assets_extra = assets_extra
        self._as_text = as_text

    @property
    def name(self) -> str:
        """The exporter's name."""
        return self._name

    def export(
        self,
        estimator: Any,
        export_path: str,
        checkpoint_path: Any,
        eval_result: Any,
        is_the_final_export: bool,
    ) -> Any:
        """Exports the checkpoint with ``estimator.export_saved_model``."""
        del eval_result, is_the_final_export
        return estimator.export_saved_model(
            export_path,
            self._serving_input_receiver_fn,
            assets_extra=self._assets_extra,
            as_text=self._as_text,
            checkpoint_path=checkpoint_path,
        )


def _garbage_collect_exports(export_dir_base: str, exports_to_keep: int | None) -> None:
    """Deletes the timestamped exports beyond the ``exports_to_keep`` newest."""
    if exports_to_keep is None or not os.path.isdir(export_dir_base):  # noqa: PTH112
        return
    versions = sorted(
        int(p.name)
        for p in Path(export_dir_base).iterdir()
        if len(p.name) == 10 and p.name.isdigit()
    )
    for version in versions[: max(len(versions) - exports_to_keep, 0)]:
        path = os.path.join(export_dir_base, str(version))  # noqa: PTH118
        try:
            shutil.rmtree(path)
        except FileNotFoundError as e:
            logging.warning("Can not delete %s recursively: %s", path, e)


def _loss_smaller(best_eval_result: Any, current_eval_result: Any) -> bool:
    """Whether ``current_eval_result``'s ``loss`` is smaller than ``best_eval_result``'s.

    Raises:
        ValueError: either result is empty or has no ``loss`` (TF's messages).
    """
    key = "loss"
    if not best_eval_result or key not in best_eval_result:
        raise ValueError("best_eval_result cannot be empty or no loss is found in it.")
    if not current_eval_result or key not in current_eval_result:
        raise ValueError("current_eval_result cannot be empty or no loss is found in it.")
    return bool(best_eval_result[key] > current_eval_result[key])


def _verify_compare_fn_args(compare_fn: Callable[..., Any]) -> None:
    args = set(fn_args(compare_fn))
    if "best_eval_result" not in args:
        raise ValueError(f"compare_fn ({compare_fn}) must include best_eval_result argument.")
    if "current_eval_result" not in args:
        raise ValueError(f"compare_fn ({compare_fn}) must include current_eval_result argument.")
    unexpected = list(args - {"best_eval_result", "current_eval_result"})
    if unexpected:
        raise ValueError(f"compare_fn ({compare_fn}) has following not expected args: {unexpected}")


class BestExporter(Exporter):
    """Exports when an evaluation beats the best one so far (``tf.estimator.BestExporter``).

    Raises:
        ValueError: ``compare_fn`` is None or has other arguments than ``best_eval_result`` and
            ``current_eval_result``; ``exports_to_keep <= 0`` (TF's messages).

    >>> BestExporter(serving_input_receiver_fn=lambda: None).name
    'best_exporter'
    """

    def __init__(
        self,
        name: str = "best_exporter",
        serving_input_receiver_fn: Any = None,
        event_file_pattern: str | None = "eval/*.tfevents.*",
        compare_fn: Callable[..., Any] | None = _loss_smaller,
        assets_extra: Any = None,
        as_text: bool = False,
        exports_to_keep: int | None = 5,
    ) -> None:
        if compare_fn is None:
            raise ValueError("`compare_fn` must not be None.")
        _verify_compare_fn_args(compare_fn)
        self._compare_fn = compare_fn
        self._saved_model_exporter = _SavedModelExporter(
            name, serving_input_receiver_fn, assets_extra, as_text
        )
        self._event_file_pattern = event_file_pattern
        self._model_dir: str | None = None
        self._best_eval_result: Any = None
        if exports_to_keep is not None and exports_to_keep <= 0:
            raise ValueError(
                f"`exports_to_keep`, if provided, must be a positive number. Got {exports_to_keep}"
            )
        self._exports_to_keep = exports_to_keep

    @property
    def name(self) -> str:
        """The exporter's name."""
        return self._saved_model_exporter.name

    def export(
        self,
        estimator: Any,
        export_path: str,
        checkpoint_path: Any,
        eval_result: Any,
        is_the_final_export: bool,
    ) -> Any:
        """Exports if ``eval_result`` is the best so far; returns the directory or None."""
        export_result = None
        if self._model_dir != estimator.model_dir and self._event_file_pattern:
            logging.info("Loading best metric from event files.")
            self._model_dir = estimator.model_dir
            pattern = os.path.join(self._model_dir, self._event_file_pattern)  # noqa: PTH118
            self._best_eval_result = self._get_best_eval_result(pattern)
        if self._best_eval_result is None or self._compare_fn(
            best_eval_result=self._best_eval_result, current_eval_result=eval_result
        ):
            logging.info("Performing best model export.")
            self._best_eval_result = eval_result
            export_result = self._saved_model_exporter.export(
                estimator, export_path, checkpoint_path, eval_result, is_the_final_export
            )
            _garbage_collect_exports(export_path, self._exports_to_keep)
        return export_result

    def _get_best_eval_result(self, event_files: str) -> Any:
        """The best of the evaluations (scalar summaries) recorded in ``event_files``."""
        if not event_files:
            return None
        best = None
        for event_file in sorted(glob.glob(event_files)):  # noqa: PTH207  (TF's pattern)
            for event in summary_iterator(event_file):
                if not event.HasField("summary"):
                    continue
                result = {
                    value.tag: value.simple_value
                    for value in event.summary.value
                    if value.HasField("simple_value")
                }
                if result and (best is None or self._compare_fn(best, result)):
                    best = result
        return best


class FinalExporter(Exporter):
    """Exports once, at the end of training (``tf.estimator.FinalExporter``).

    >>> exporter = FinalExporter("final", lambda: None)
    >>> exporter.name, exporter.export(None, "unused", None, {}, is_the_final_export=False)
    ('final', None)
    """

    def __init__(
        self,
        name: str,
        serving_input_receiver_fn: Any,
        assets_extra: Any = None,
        as_text: bool = False,
    ) -> None:
        self._saved_model_exporter = _SavedModelExporter(
            name, serving_input_receiver_fn, assets_extra, as_text
        )

    @property
    def name(self) -> str:
        """The exporter's name."""
        return self._saved_model_exporter.name

    def export(
        self,
        estimator: Any,
        export_path: str,
        checkpoint_path: Any,
        eval_result: Any,
        is_the_final_export: bool,
    ) -> Any:
        """Exports if ``is_the_final_export``; returns the directory or None."""
        if not is_the_final_export:
            return None
        logging.info("Performing the final export in the end of training.")
        return self._saved_model_exporter.export(
            estimator, export_path, checkpoint_path, eval_result, is_the_final_export
        )


class LatestExporter(Exporter):
    """Exports after every evaluation, keeping the newest ``exports_to_keep``.

    Raises:
        ValueError: ``exports_to_keep <= 0`` (TF's message).

    >>> LatestExporter("latest", lambda: None, exports_to_keep=0)
    Traceback (most recent call last):
    ...
    ValueError: `exports_to_keep`, if provided, must be positive number
    """

    def __init__(
        self,
        name: str,
        serving_input_receiver_fn: Any,
        assets_extra: Any = None,
        as_text: bool = False,
        exports_to_keep: int | None = 5,
    ) -> None:
        self._saved_model_exporter = _SavedModelExporter(
            name, serving_input_receiver_fn, assets_extra, as_text
        )
        if exports_to_keep is not None and exports_to_keep <= 0:
            raise ValueError("`exports_to_keep`, if provided, must be positive number")
        self._exports_to_keep = exports_to_keep

    @property
    def name(self) -> str:
        """The exporter's name."""
        return self._saved_model_exporter.name

    def export(
        self,
        estimator: Any,
        export_path: str,
        checkpoint_path: Any,
        eval_result: Any,
        is_the_final_export: bool,
    ) -> Any:
        """Exports, then deletes the exports beyond the newest ``exports_to_keep``."""
        result = self._saved_model_exporter.export(
            estimator, export_path, checkpoint_path, eval_result, is_the_final_export
        )
        _garbage_collect_exports(export_path, self._exports_to_keep)
        return result
