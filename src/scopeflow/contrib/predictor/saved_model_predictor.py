"""A ``Predictor`` serving one signature of a SavedModel (``tf.contrib.predictor``'s).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.app import logging
from scopeflow.contrib.predictor.predictor import Predictor
from scopeflow.graph.graph import Graph
from scopeflow.graph.session import Session
from scopeflow.saved_model import loader
from scopeflow.saved_model.signature_constants import DEFAULT_SERVING_SIGNATURE_DEF_KEY

__all__ = ["DEFAULT_TAGS", "SavedModelPredictor", "get_meta_graph_def"]

DEFAULT_TAGS = "serve"

_DEFAULT_INPUT_ALTERNATIVE_FORMAT = "default_input_alternative:{}"


def get_meta_graph_def(saved_model_dir: str, tags: str) -> Any:
    """The ``MetaGraphDef`` of ``saved_model_dir`` whose tag-set is the comma-separated ``tags``.

    Raises:
        ValueError: no meta graph has these tags (TF's message).
    """
    saved_model = loader.parse_saved_model(saved_model_dir)
    wanted = {tag.strip() for tag in tags.split(",")}
    for meta in saved_model.meta_graphs:
        if set(meta.meta_info_def.tags) == wanted:
            return meta
    raise ValueError(f"Could not find MetaGraphDef with tags {tags}")


def _get_signature_def(signature_def_key: str | None, export_dir: str, tags: str) -> Any:
    key = signature_def_key or DEFAULT_SERVING_SIGNATURE_DEF_KEY
    meta = get_meta_graph_def(export_dir, tags)
    if key in meta.signature_def:
        return meta.signature_def[key]
    formatted = _DEFAULT_INPUT_ALTERNATIVE_FORMAT.format(key)
    if formatted not in meta.signature_def:
        raise ValueError(
            f'Got signature_def_key "{key}". Available signatures are '
            f"{list(meta.signature_def)}. Original error:\n'{key}'"
        )
    logging.warning('Could not find signature def "%s". Using "%s" instead', key, formatted)
    return meta.signature_def[formatted]


def _check_signature_arguments(
    signature_def_key: Any, signature_def: Any, input_names: Any, output_names: Any
) -> None:
    if (input_names is not None) != (output_names is not None):
        raise ValueError(
            "input_names and output_names must both be specified or both be unspecified."
        )
    given = (signature_def_key is not None) + (signature_def is not None)
    if given + (input_names is not None) > 1:
        raise ValueError(
            "You must specify at most one of signature_def_key OR signature_def OR(input_names "
            "AND output_names)."
        )


class SavedModelPredictor(Predictor):
    """Loads a SavedModel into a new session and serves one of its signatures.

    Args:
        export_dir: the SavedModel directory.
        signature_def_key: the signature served (default ``serving_default``).
        signature_def: a ``SignatureDef`` to serve instead.
        input_names, output_names: dicts of key -> tensor name to serve instead.
        tags: comma-separated tags of the meta graph (default ``serve``).
        graph: the graph to load into (default a new one).
        config: the session's ``ConfigProto``.

    Raises:
        ValueError: more than one way of choosing the signature (TF's message).
    """

    def __init__(
        self,
        export_dir: str,
        signature_def_key: str | None = None,
        signature_def: Any = None,
        input_names: dict[str, str] | None = None,
        output_names: dict[str, str] | None = None,
        tags: str | None = None,
        graph: Any = None,
        config: Any = None,
    ) -> None:
        _check_signature_arguments(signature_def_key, signature_def, input_names, output_names)
        tags = tags or DEFAULT_TAGS
        self._graph = graph or Graph()
        with self._graph.as_default():
            self._session = Session(config=config)
            loader.load(self._session, tags.split(","), export_dir)
        if input_names is None:
            if signature_def is None:
                signature_def = _get_signature_def(signature_def_key, export_dir, tags)
            input_names = {k: v.name for k, v in signature_def.inputs.items()}
            output_names = {k: v.name for k, v in signature_def.outputs.items()}
        assert output_names is not None
        self._feed_tensors = {k: self._graph.get_tensor_by_name(v) for k, v in input_names.items()}
        self._fetch_tensors = {
            k: self._graph.get_tensor_by_name(v) for k, v in output_names.items()
        }
