"""Building the signatures and directories of an exported model (TF 1.15's ``export_utils``).

``build_all_signature_defs`` turns a receiver's tensors and a dict of ``ExportOutput``s into
a ``SignatureDef`` map (one signature per export output, ``<alternative>:<key>`` for receiver
alternatives; signatures TF Serving cannot serve are left out with TF's log report);
``get_export_outputs`` fills in TF's default ``serving_default`` output;
``get_timestamped_export_dir`` / ``get_temp_export_dir`` name an export's directory.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import collections
import os
import time
from typing import Any

from scopeflow.app import logging
from scopeflow.saved_model import signature_constants as sc
from scopeflow.saved_model import tag_constants
from scopeflow.saved_model.model_utils import export_output as export_output_lib
from scopeflow.saved_model.signature_defs import is_valid_signature

__all__ = [
    "EXPORT_TAG_MAP",
    "SIGNATURE_KEY_MAP",
    "build_all_signature_defs",
    "export_outputs_for_mode",
    "get_export_outputs",
    "get_temp_export_dir",
    "get_timestamped_export_dir",
]

SINGLE_FEATURE_DEFAULT_NAME = "feature"
SINGLE_RECEIVER_DEFAULT_NAME = "input"
SINGLE_LABEL_DEFAULT_NAME = "label"


class _ModeKeyMap(dict):  # type: ignore[type-arg]
    """Mode -> value; Keras's ``predict``/``test`` and Estimator's ``infer``/``eval`` agree."""

    _ALIASES = {"infer": "predict", "eval": "test"}

    def __getitem__(self, mode: str) -> Any:
        return super().__getitem__(self._ALIASES.get(mode, mode))

    def __contains__(self, mode: object) -> bool:
        return super().__contains__(self._ALIASES.get(mode, mode))  # type: ignore[call-overload]


EXPORT_TAG_MAP = _ModeKeyMap(
    predict=[tag_constants.SERVING], train=[tag_constants.TRAINING], test=[tag_constants.EVAL]
)
SIGNATURE_KEY_MAP = _ModeKeyMap(
    predict=sc.DEFAULT_SERVING_SIGNATURE_DEF_KEY,
    train=sc.DEFAULT_TRAIN_SIGNATURE_DEF_KEY,
    test=sc.DEFAULT_EVAL_SIGNATURE_DEF_KEY,
)


def build_all_signature_defs(
    receiver_tensors: Any,
    export_outputs: Any,
    receiver_tensors_alternatives: Any = None,
    serving_only: bool = True,
) -> dict[str, Any]:
    """One ``SignatureDef`` per export output (and per receiver alternative and output).

    An output whose signature cannot be built for these inputs (``as_signature_def`` raises
    ``ValueError``, e.g. a classification output fed by float placeholders) is left out and
    logged; with ``serving_only`` so is any signature TF Serving could not serve.

    Raises:
        ValueError: ``export_outputs`` is not a dict (TF's message).
    """
    if not isinstance(receiver_tensors, dict):
        receiver_tensors = {SINGLE_RECEIVER_DEFAULT_NAME: receiver_tensors}
    if export_outputs is None or not isinstance(export_outputs, dict):
        raise ValueError(f"export_outputs must be a dict and not{type(export_outputs)}")
    signature_def_map: dict[str, Any] = {}
    excluded: dict[str, str] = {}
    for output_key, export_output in export_outputs.items():
        name = f"{output_key or 'None'}"
        try:
            signature_def_map[name] = export_output.as_signature_def(receiver_tensors)
        except ValueError as e:
            excluded[name] = str(e)
    for receiver_name, receiver_alt in (receiver_tensors_alternatives or {}).items():
        alt = receiver_alt
        if not isinstance(alt, dict):
            alt = {SINGLE_RECEIVER_DEFAULT_NAME: alt}
        for output_key, export_output in export_outputs.items():
            name = f"{receiver_name or 'None'}:{output_key or 'None'}"
            try:
                signature_def_map[name] = export_output.as_signature_def(alt)
            except ValueError as e:
                excluded[name] = str(e)
    _log_signature_report(signature_def_map, excluded)
    if serving_only:
        signature_def_map = {k: v for k, v in signature_def_map.items() if is_valid_signature(v)}
    return signature_def_map


_FRIENDLY_METHOD_NAMES = {
    sc.CLASSIFY_METHOD_NAME: "Classify",
    sc.REGRESS_METHOD_NAME: "Regress",
    sc.PREDICT_METHOD_NAME: "Predict",
    sc.SUPERVISED_TRAIN_METHOD_NAME: "Train",
    sc.SUPERVISED_EVAL_METHOD_NAME: "Eval",
}


def _log_signature_report(signature_def_map: dict[str, Any], excluded: dict[str, str]) -> None:
    by_method: dict[str, list[str]] = collections.defaultdict(list)
    for method_name in _FRIENDLY_METHOD_NAMES:
        by_method[method_name] = []
    for name, sig in signature_def_map.items():
        by_method[sig.method_name].append(name)
    for method_name, names in by_method.items():
        friendly = _FRIENDLY_METHOD_NAMES.get(method_name, method_name)
        logging.info(f"Signatures INCLUDED in export for {friendly}: {names if names else 'None'}")
    if excluded:
        logging.info(
            "Signatures EXCLUDED from export because they cannot be be served via TensorFlow "
            "Serving APIs:"
        )
        for name, message in excluded.items():
            logging.info(f"'{name}' : {message}")
    if not signature_def_map:
        logging.warning("Export includes no signatures!")
    elif sc.DEFAULT_SERVING_SIGNATURE_DEF_KEY not in signature_def_map:
        logging.warning("Export includes no default signature!")


# Another process may take the same second's directory: wait a second and retry, up to this.
MAX_DIRECTORY_CREATION_ATTEMPTS = 10


def get_timestamped_export_dir(export_dir_base: Any) -> bytes:
    """``export_dir_base/<seconds since epoch>`` (bytes, as TF's), not yet created.

    Raises:
        RuntimeError: every attempt found the directory taken (TF's message).
    """
    for attempt in range(1, MAX_DIRECTORY_CREATION_ATTEMPTS + 1):
        result_dir = os.path.join(  # noqa: PTH118  (bytes paths, as TF returns them)
            os.fsencode(export_dir_base), str(int(time.time())).encode()
        )
        if not os.path.exists(result_dir):  # noqa: PTH110
            return result_dir
        time.sleep(1)
        logging.warning(
            f"Directory {os.fsdecode(result_dir)} already exists; retrying (attempt "
            f"{attempt}/{MAX_DIRECTORY_CREATION_ATTEMPTS})"
        )
    raise RuntimeError(
        "Failed to obtain a unique export directory name after "
        f"{MAX_DIRECTORY_CREATION_ATTEMPTS} attempts."
    )


def get_temp_export_dir(timestamped_export_dir: Any) -> bytes:
    """The sibling ``temp-<timestamp>`` directory an export is written to before its rename.

    >>> get_temp_export_dir(b"/base/1500000000")
    b'/base/temp-1500000000'
    """
    dirname, basename = os.path.split(os.fsencode(timestamped_export_dir))
    return os.path.join(dirname, b"temp-" + basename)  # noqa: PTH118


def export_outputs_for_mode(
    mode: str,
    serving_export_outputs: Any = None,
    predictions: Any = None,
    loss: Any = None,
    metrics: Any = None,
) -> dict[str, Any]:
    """The ``ExportOutput`` dict of ``mode``: the serving outputs, or a Train/EvalOutput.

    Raises:
        ValueError: an unknown mode.
    """
    if mode not in SIGNATURE_KEY_MAP:
        raise ValueError(
            f"Export output type not found for mode: {mode}. Expected one of: "
            f"{list(SIGNATURE_KEY_MAP.keys())}."
        )
    key = SIGNATURE_KEY_MAP[mode]
    if mode in ("infer", "predict"):
        return get_export_outputs(serving_export_outputs, predictions)
    if mode == "train":
        return {
            key: export_output_lib.TrainOutput(loss=loss, predictions=predictions, metrics=metrics)
        }
    return {key: export_output_lib.EvalOutput(loss=loss, predictions=predictions, metrics=metrics)}


def get_export_outputs(export_outputs: Any, predictions: Any) -> dict[str, Any]:
    """``export_outputs`` checked, or ``{"serving_default": PredictOutput(predictions)}``.

    A single output under another key is also served as ``serving_default``.

    Raises:
        TypeError: not a dict of ``ExportOutput`` (TF's messages).
        ValueError: several outputs and none is ``serving_default``.
    """
    if export_outputs is None:
        export_outputs = {
            sc.DEFAULT_SERVING_SIGNATURE_DEF_KEY: export_output_lib.PredictOutput(predictions)
        }
    if not isinstance(export_outputs, dict):
        raise TypeError(f"export_outputs must be dict, given: {export_outputs}")
    for v in export_outputs.values():
        if not isinstance(v, export_output_lib.ExportOutput):
            raise TypeError(
                f"Values in export_outputs must be ExportOutput objects. Given: {export_outputs}"
            )
    if len(export_outputs) == 1:
        ((key, value),) = export_outputs.items()
        if key != sc.DEFAULT_SERVING_SIGNATURE_DEF_KEY:
            export_outputs[sc.DEFAULT_SERVING_SIGNATURE_DEF_KEY] = value
    if len(export_outputs) > 1 and sc.DEFAULT_SERVING_SIGNATURE_DEF_KEY not in export_outputs:
        raise ValueError(
            "Multiple export_outputs were provided, but none of them is specified as the "
            "default.  Do this by naming one of them with "
            "signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY."
        )
    return export_outputs  # type: ignore[no-any-return]
