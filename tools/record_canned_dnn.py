"""Record TF 1.15's canned DNN and wide-n-deep estimators for scopeflow.

The program is ``tests/estimator/canned_dnn_model.py`` (also the ``weight_column`` and
``label_vocabulary`` runs of the linear and baseline estimators). Runs TF 1.15's
``tensorflow_estimator`` source on TF 2.21 as ``tools/record_canned_estimators.py`` does (same
set-up, v1 feature-column path). Writes ``tests/estimator/fixtures/canned_dnn.json`` and, for
``classifier_parse_example_spec`` / ``regressor_parse_example_spec``,
``canned_parse_spec.json``::

    TF_ESTIMATOR_SRC=/tmp/tfe15 TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python \
        tools/record_canned_dnn.py
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "estimator" / "fixtures" / "canned_dnn.json"
OUT_SPECS = ROOT / "tests" / "estimator" / "fixtures" / "canned_parse_spec.json"


def _contrib_head() -> types.ModuleType:
    """TF 1.15's ``tf.contrib.estimator`` heads module, loaded without its package (whose
    ``__init__`` imports the boosted trees, which need protos TF 2.21 lacks)."""
    src = Path(os.environ["TF_ESTIMATOR_SRC"]) / "tensorflow_estimator"
    path = src / "contrib" / "estimator" / "python" / "estimator" / "head.py"
    spec = importlib.util.spec_from_file_location("tf115_contrib_estimator_head", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    import record_canned_estimators

    tf = record_canned_estimators.setup()
    # TF 2.21's tf.layers BatchNormalization lazily imports a tf_keras path that moved to src/
    import tf_keras.src.legacy_tf_layers as legacy_layers
    import tf_keras.src.legacy_tf_layers.normalization as legacy_norm

    sys.modules["tf_keras.legacy_tf_layers"] = legacy_layers
    sys.modules["tf_keras.legacy_tf_layers.normalization"] = legacy_norm
    from tensorflow.python.ops import control_flow_assert, control_flow_ops

    control_flow_ops.Assert = control_flow_assert.Assert  # moved in TF 2 (the weights check)
    import canned_dnn_model
    from tensorflow_estimator.python.estimator.canned import (
        baseline,
        dnn,
        dnn_linear_combined,
        head,
        linear,
        parsing_utils,
    )

    contrib_head = _contrib_head()

    specs = canned_dnn_model.parse_specs(
        tf,
        parsing_utils.classifier_parse_example_spec,
        parsing_utils.regressor_parse_example_spec,
    )
    OUT_SPECS.write_text(json.dumps(specs, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    result = canned_dnn_model.run(
        tf,
        types.SimpleNamespace(
            DNNClassifier=dnn.DNNClassifier,
            DNNRegressor=dnn.DNNRegressor,
            DNNEstimator=dnn.DNNEstimator,
            DNNLinearCombinedClassifier=dnn_linear_combined.DNNLinearCombinedClassifier,
            DNNLinearCombinedRegressor=dnn_linear_combined.DNNLinearCombinedRegressor,
            DNNLinearCombinedEstimator=dnn_linear_combined.DNNLinearCombinedEstimator,
            LinearClassifier=linear.LinearClassifier,
            LinearEstimator=linear.LinearEstimator,
            BaselineEstimator=baseline.BaselineEstimator,
            BaselineRegressor=baseline.BaselineRegressor,
            BaselineClassifier=baseline.BaselineClassifier,
            regression_head=head._regression_head,
            multi_class_head=contrib_head.multi_class_head,
            binary_classification_head=contrib_head.binary_classification_head,
        ),
    )
    OUT.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(result)} runs")


if __name__ == "__main__":
    main()
