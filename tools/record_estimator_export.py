"""Record TF 1.15's Estimator SavedModel export for scopeflow.

The program is ``tests/estimator/export_model.py``. It runs TF 1.15's ``tensorflow_estimator``
source on TF 2.21 through ``tools/tf_estimator_shim.py`` (set ``TF_ESTIMATOR_SRC``), with the
extra names the canned modules need (as ``tools/record_canned_estimators.py`` sets them up).
TF 2.21's ``saved_model.model_utils`` (``ExportOutput``s, ``build_all_signature_defs``) stands
in for TF 1.15's core copy; they build the same signatures (TF 2.21 adds a check that leaves
out signatures whose outputs need unfed placeholders, which none of these exports have).

Writes ``tests/estimator/fixtures/estimator_export.json`` and copies two TF-written exports
(the custom model's parsing export and the canned binary ``LinearClassifier``'s) to
``tests/estimator/fixtures/tf_export/`` for scopeflow to load and serve (the JSON is the same
on every run; the ``saved_model.pb`` bytes are not, as TF keeps the temporary vocabulary path in
the asset constant, so recommit them only when the export itself changes)::

    TF_ESTIMATOR_SRC=/tmp/tfe15 .tf-oracle/bin/python tools/record_estimator_export.py
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "estimator" / "fixtures"
OUT = FIXTURES / "estimator_export.json"
TF_EXPORTS = FIXTURES / "tf_export"


class _Unavailable:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("a Keras v2 layer the v1 canned path does not use")


def _stub(name: str, **attrs: Any) -> None:
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)


def _estimator_namespace(tf: Any) -> Any:
    sys.path.insert(0, str(ROOT / "tools"))
    import tf_estimator_shim

    ns = tf_estimator_shim.build_estimator(tf)
    import tensorflow.python.feature_column as _fc_pkg  # noqa: F401
    import tensorflow.python.keras.layers  # noqa: F401
    from tensorflow.python.feature_column import feature_column_lib
    from tensorflow.python.ops import cond, control_flow_ops

    _stub("tensorflow.python.feature_column.dense_features", DenseFeatures=_Unavailable)
    _stub("tensorflow.python.feature_column.dense_features_v2", DenseFeatures=_Unavailable)
    _stub("tensorflow.python.keras.layers.normalization_v2", BatchNormalization=_Unavailable)
    feature_column_lib.is_feature_column_v2 = lambda columns: False
    control_flow_ops.cond = cond.cond
    from tensorflow_estimator.python.estimator import exporter
    from tensorflow_estimator.python.estimator.canned import linear
    from tensorflow_estimator.python.estimator.export import export, export_output

    ns.LinearRegressor = linear.LinearRegressor
    ns.LinearClassifier = linear.LinearClassifier
    ns.FinalExporter = exporter.FinalExporter
    ns.LatestExporter = exporter.LatestExporter
    ns.BestExporter = exporter.BestExporter
    ns.export = types.SimpleNamespace(
        ServingInputReceiver=export.ServingInputReceiver,
        TensorServingInputReceiver=export.TensorServingInputReceiver,
        build_parsing_serving_input_receiver_fn=export.build_parsing_serving_input_receiver_fn,
        build_raw_serving_input_receiver_fn=export.build_raw_serving_input_receiver_fn,
        PredictOutput=export_output.PredictOutput,
        RegressionOutput=export_output.RegressionOutput,
        ClassificationOutput=export_output.ClassificationOutput,
    )
    ns.experimental.build_raw_supervised_input_receiver_fn = (
        export.build_raw_supervised_input_receiver_fn
    )
    return ns


def main() -> None:
    import tensorflow.compat.v1 as tf
    from tensorflow.python.saved_model.loader_impl import parse_saved_model

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    est = _estimator_namespace(tf)
    sys.path.insert(0, str(ROOT / "tests" / "estimator"))
    import export_model

    workdir = tempfile.mkdtemp()
    result = export_model.run(tf, est, parse_saved_model, workdir)
    OUT.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    shutil.rmtree(TF_EXPORTS, ignore_errors=True)
    copies = (("custom", "export_parsing"), ("linear_classifier", "export_LinearClassifier"))
    for name, base in copies:
        (src,) = [p for p in Path(workdir, base).iterdir() if p.name.isdigit()]
        shutil.copytree(src, TF_EXPORTS / name)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(result)} cases; {TF_EXPORTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
