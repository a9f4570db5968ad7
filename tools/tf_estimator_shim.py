"""Give TF 2's ``tf.compat.v1`` TF 1.15's ``tf.estimator``, run from its own source.

TF 2.21 no longer ships ``tensorflow_estimator``, and its last release (2.15) does not install
next to it. TF 1.15's estimator source (github tensorflow/estimator, tag ``v1.15.0``) still runs
on TF 2.21's ``tensorflow.python`` internals once the few names TF 2 moved or removed are put
back (below), so the ``estimator_*`` conformance topics record the real TF 1.15 Estimator.
Point ``TF_ESTIMATOR_SRC`` at a directory holding that source::

    git clone https://github.com/tensorflow/estimator && cd estimator
    mkdir -p /tmp/tfe15 && git archive v1.15.0 tensorflow_estimator | tar -x -C /tmp/tfe15
    TF_ESTIMATOR_SRC=/tmp/tfe15 .tf-oracle/bin/python tools/record_tf_golden.py estimator_core

Needs TensorFlow (never a scopeflow dependency).
"""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any


def _stub(name: str, **attrs: Any) -> None:
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)


class _Export:
    """``estimator_export(...)``: TF's API-name decorator, a no-op here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        del args, kwargs

    def __call__(self, fn: Any) -> Any:
        return fn

    def export_constant(self, *args: Any, **kwargs: Any) -> None:
        del args, kwargs


def _export_names() -> dict[str, Any]:
    """estexport: ``tf.estimator.export`` (receivers, export outputs) and the Exporters."""
    from tensorflow_estimator.python.estimator import exporter
    from tensorflow_estimator.python.estimator.export import export, export_output

    return {
        "Exporter": exporter.Exporter,
        "FinalExporter": exporter.FinalExporter,
        "LatestExporter": exporter.LatestExporter,
        "BestExporter": exporter.BestExporter,
        "export": SimpleNamespace(
            ServingInputReceiver=export.ServingInputReceiver,
            TensorServingInputReceiver=export.TensorServingInputReceiver,
            build_parsing_serving_input_receiver_fn=export.build_parsing_serving_input_receiver_fn,
            build_raw_serving_input_receiver_fn=export.build_raw_serving_input_receiver_fn,
            ExportOutput=export_output.ExportOutput,
            ClassificationOutput=export_output.ClassificationOutput,
            PredictOutput=export_output.PredictOutput,
            RegressionOutput=export_output.RegressionOutput,
        ),
        "build_raw_supervised_input_receiver_fn": export.build_raw_supervised_input_receiver_fn,
    }


def build_estimator(tf: ModuleType) -> SimpleNamespace:
    """A ``tf.estimator`` namespace from TF 1.15's ``tensorflow_estimator`` source."""
    src = os.environ.get("TF_ESTIMATOR_SRC")
    if not src or not (Path(src) / "tensorflow_estimator").is_dir():
        raise SystemExit("set TF_ESTIMATOR_SRC to a directory with TF 1.15's tensorflow_estimator")
    sys.path.insert(0, src)
    import tensorflow.python.distribute  # the stubs' parent packages
    import tensorflow.python.framework.ops as framework_ops
    import tensorflow.python.util.compat  # noqa: F401
    from tensorflow.python.util import tf_export

    framework_ops.Tensor = tf.Tensor  # TF 2 moved the Tensor class
    _stub(
        "tensorflow.python.distribute.estimator_training",
        should_run_distribute_coordinator=lambda config: False,
        init_run_config=lambda *args: None,
    )
    _stub(
        "tensorflow.python.util.compat_internal",
        path_to_str=lambda path: os.fspath(path) if path is not None else None,
    )
    tf_export.estimator_export = _Export  # type: ignore[attr-defined]
    from tensorflow.python.saved_model import path_helpers, utils_impl

    utils_impl.get_variables_dir = path_helpers.get_variables_dir  # moved in TF 2
    utils_impl.get_variables_path = path_helpers.get_variables_path
    from tensorflow_estimator.python.estimator import (
        early_stopping,
        estimator,
        extenders,
        model_fn,
        run_config,
        training,
    )
    from tensorflow_estimator.python.estimator.inputs import numpy_io, pandas_io
    from tensorflow_estimator.python.estimator.mode_keys import ModeKeys

    exports = _export_names()
    supervised_fn = exports.pop("build_raw_supervised_input_receiver_fn")
    return SimpleNamespace(
        **exports,
        Estimator=estimator.Estimator,
        EstimatorSpec=model_fn.EstimatorSpec,
        ModeKeys=ModeKeys,
        RunConfig=run_config.RunConfig,
        TrainSpec=training.TrainSpec,
        EvalSpec=training.EvalSpec,
        train_and_evaluate=training.train_and_evaluate,
        WarmStartSettings=estimator.WarmStartSettings,
        VocabInfo=estimator.VocabInfo,
        add_metrics=extenders.add_metrics,
        experimental=SimpleNamespace(
            build_raw_supervised_input_receiver_fn=supervised_fn,
            make_early_stopping_hook=early_stopping.make_early_stopping_hook,
            stop_if_higher_hook=early_stopping.stop_if_higher_hook,
            stop_if_lower_hook=early_stopping.stop_if_lower_hook,
            stop_if_no_decrease_hook=early_stopping.stop_if_no_decrease_hook,
            stop_if_no_increase_hook=early_stopping.stop_if_no_increase_hook,
        ),
        inputs=SimpleNamespace(
            numpy_input_fn=numpy_io.numpy_input_fn, pandas_input_fn=pandas_io.pandas_input_fn
        ),
    )


def install(tf: ModuleType) -> None:
    """Set ``tf.estimator`` (TF 1.15's, from ``TF_ESTIMATOR_SRC``) on the ``tf`` module."""
    tf.estimator = build_estimator(tf)
