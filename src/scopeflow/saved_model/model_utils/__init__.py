"""TF 1.15's ``tensorflow/python/saved_model/model_utils``: export outputs and export utilities.

What Estimator (and Keras) SavedModel export share: the ``ExportOutput`` classes and the
signature / export-directory helpers.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.saved_model.model_utils.export_output import (
    ClassificationOutput,
    EvalOutput,
    ExportOutput,
    PredictOutput,
    RegressionOutput,
    TrainOutput,
)
from scopeflow.saved_model.model_utils.export_utils import (
    EXPORT_TAG_MAP,
    SIGNATURE_KEY_MAP,
    build_all_signature_defs,
    export_outputs_for_mode,
    get_export_outputs,
    get_temp_export_dir,
    get_timestamped_export_dir,
)

__all__ = [
    "EXPORT_TAG_MAP",
    "SIGNATURE_KEY_MAP",
    "ClassificationOutput",
    "EvalOutput",
    "ExportOutput",
    "PredictOutput",
    "RegressionOutput",
    "TrainOutput",
    "build_all_signature_defs",
    "export_outputs_for_mode",
    "get_export_outputs",
    "get_temp_export_dir",
    "get_timestamped_export_dir",
]
