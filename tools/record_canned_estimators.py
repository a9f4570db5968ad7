"""Record TF 1.15's canned linear and baseline estimators for scopeflow.

The program is ``tests/estimator/canned_model.py``.

Runs TF 1.15's ``tensorflow_estimator`` source on TF 2.21 through ``tools/tf_estimator_shim.py``
(set ``TF_ESTIMATOR_SRC``) plus the few extra names its ``canned`` modules import that TF 2.21
moved: the Keras ``DenseFeatures``/``BatchNormalization`` v2 modules (unused by the v1 linear
path, so placeholders that raise), ``control_flow_ops.cond``, and ``is_feature_column_v2``
answering False so that the v1 feature-column path (``feature_column._LinearModel``, TF 1.15's
variable names and math) is taken for ``tf.feature_column`` columns. Writes
``tests/estimator/fixtures/canned_linear.json``::

    TF_ESTIMATOR_SRC=/tmp/tfe15 .tf-oracle/bin/python tools/record_canned_estimators.py
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "estimator" / "fixtures" / "canned_linear.json"


class _Unavailable:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("a Keras v2 layer the v1 canned path does not use")


def _stub(name: str, **attrs: Any) -> None:
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)


def setup() -> Any:
    """TF 1.15's estimator on ``tf`` (the v1 feature-column path); returns ``tf``."""
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    sys.path.insert(0, str(ROOT / "tools"))
    sys.path.insert(0, str(ROOT / "tests" / "estimator"))
    import tf_estimator_shim

    tf_estimator_shim.install(tf)
    import tensorflow.python.feature_column as _fc_pkg  # noqa: F401
    import tensorflow.python.keras.layers  # noqa: F401
    from tensorflow.python.feature_column import feature_column_lib
    from tensorflow.python.ops import cond, control_flow_ops

    _stub("tensorflow.python.feature_column.dense_features", DenseFeatures=_Unavailable)
    _stub("tensorflow.python.feature_column.dense_features_v2", DenseFeatures=_Unavailable)
    _stub("tensorflow.python.keras.layers.normalization_v2", BatchNormalization=_Unavailable)
    feature_column_lib.is_feature_column_v2 = lambda columns: False
    control_flow_ops.cond = cond.cond
    return tf


def main() -> None:
    tf = setup()
    import canned_model
    from tensorflow_estimator.python.estimator.canned import baseline, linear

    result = canned_model.run(
        tf,
        types.SimpleNamespace(
            LinearRegressor=linear.LinearRegressor,
            LinearClassifier=linear.LinearClassifier,
            BaselineRegressor=baseline.BaselineRegressor,
            BaselineClassifier=baseline.BaselineClassifier,
        ),
    )
    OUT.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(result)} runs")


if __name__ == "__main__":
    main()
