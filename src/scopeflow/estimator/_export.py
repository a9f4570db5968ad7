"""Writing an Estimator's model as a TF1 SavedModel (TF 1.15's ``_export_all_saved_models``).

For each requested mode (TRAIN, EVAL, PREDICT, in that order) a fresh graph gets the global
step, the receiver fn's tensors and the ``model_fn``'s spec for the mode; a session restores
the checkpoint into it with the spec's saver (else ``Saver(sharded=True)``), and the
``SavedModelBuilder`` adds the meta graph (tags ``serve``/``train``/``eval``) with one
signature per export output, the ``asset_filepaths`` assets, the local init op as main op and
the train op in ``saved_model_train_op``. The first mode saves the variables. Everything is
written to ``temp-<timestamp>`` next to ``<timestamp>`` and renamed at the end, with the
``assets_extra`` files copied into ``assets.extra/``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING, Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow.errors import NotFoundError
from scopeflow.estimator.mode_keys import ModeKeys
from scopeflow.graph.graph import Graph
from scopeflow.graph.session import Session
from scopeflow.ops import random_ops
from scopeflow.saved_model.builder import SavedModelBuilder
from scopeflow.saved_model.model_utils import export_utils
from scopeflow.train import checkpoint_management
from scopeflow.train.saver import Saver
from scopeflow.train.scaffold import Scaffold

if TYPE_CHECKING:
    from scopeflow.estimator.estimator import Estimator

__all__ = ["add_meta_graph_for_mode", "export_all_saved_models"]


def _checkpoint_to_export(estimator: Estimator, checkpoint_path: Any) -> Any:
    if not checkpoint_path:
        checkpoint_path = checkpoint_management.latest_checkpoint(estimator.model_dir)
    if not checkpoint_path:
        settings = estimator._warm_start_settings
        if not settings:
            raise ValueError(f"Couldn't find trained model at {estimator.model_dir}.")
        checkpoint_path = settings.ckpt_to_initialize_from
        if os.path.isdir(checkpoint_path):  # noqa: PTH112
            checkpoint_path = checkpoint_management.latest_checkpoint(checkpoint_path)
    return checkpoint_path


def export_all_saved_models(
    estimator: Estimator,
    export_dir_base: Any,
    input_receiver_fn_map: dict[str, Any],
    assets_extra: dict[str, Any] | None = None,
    as_text: bool = False,
    checkpoint_path: Any = None,
    strip_default_attrs: bool = True,
) -> bytes:
    """Writes the meta graphs of the requested modes into ``export_dir_base/<timestamp>``.

    Returns:
        The export directory (bytes, as TF 1.15 returns it).

    Raises:
        ValueError: no checkpoint, or no mode with a receiver fn (TF's messages).
    """
    checkpoint_path = _checkpoint_to_export(estimator, checkpoint_path)
    export_dir = export_utils.get_timestamped_export_dir(export_dir_base)
    temp_export_dir = export_utils.get_temp_export_dir(export_dir)
    builder = SavedModelBuilder(os.fsdecode(temp_export_dir))
    save_variables = True
    for mode in (ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.PREDICT):
        if input_receiver_fn_map.get(mode):
            estimator._add_meta_graph_for_mode(
                builder,
                input_receiver_fn_map,
                checkpoint_path,
                save_variables,
                mode=mode,
                strip_default_attrs=strip_default_attrs,
            )
            save_variables = False
    if save_variables:
        raise ValueError(f"No valid modes for exporting found. Got {input_receiver_fn_map.keys()}.")
    builder.save(as_text)
    if assets_extra:
        extra_dir = os.path.join(temp_export_dir, b"assets.extra")  # noqa: PTH118
        for dest_relative, source in assets_extra.items():
            dest = os.path.join(extra_dir, os.fsencode(dest_relative))  # noqa: PTH118
            os.makedirs(os.path.dirname(dest), exist_ok=True)  # noqa: PTH103, PTH120
            shutil.copyfile(os.fsdecode(source), os.fsdecode(dest))
    os.rename(temp_export_dir, export_dir)  # noqa: PTH104
    return export_dir


def add_meta_graph_for_mode(
    estimator: Estimator,
    builder: SavedModelBuilder,
    input_receiver_fn_map: dict[str, Any],
    checkpoint_path: Any,
    save_variables: bool = True,
    mode: str = ModeKeys.PREDICT,
    export_tags: Any = None,
    check_variables: bool = True,
    strip_default_attrs: bool = True,
) -> None:
    """Builds ``mode``'s graph, restores ``checkpoint_path`` and adds it to ``builder``.

    Raises:
        ValueError: variables of the graph missing from the checkpoint (TF's message), or
            ``save_variables`` without ``check_variables``.
    """
    if export_tags is None:
        export_tags = export_utils.EXPORT_TAG_MAP[mode]
    input_receiver_fn = input_receiver_fn_map[mode]
    with Graph().as_default() as g:
        estimator._create_and_assert_global_step(g)
        random_ops.set_random_seed(estimator._config.tf_random_seed)
        input_receiver = input_receiver_fn()
        spec = estimator._call_model_fn(
            input_receiver.features,
            getattr(input_receiver, "labels", None),
            mode,
            estimator.config,
        )
        export_outputs = export_utils.export_outputs_for_mode(
            mode=spec.mode,
            serving_export_outputs=spec.export_outputs,
            predictions=spec.predictions,
            loss=spec.loss,
            metrics=spec.eval_metric_ops,
        )
        signature_def_map = export_utils.build_all_signature_defs(
            input_receiver.receiver_tensors,
            export_outputs,
            getattr(input_receiver, "receiver_tensors_alternatives", None),
            serving_only=(mode == ModeKeys.PREDICT),
        )
        with Session(config=estimator._session_config) as session:
            local_init_op = spec.scaffold.local_init_op
            if local_init_op is None:
                local_init_op = Scaffold.default_local_init_op()
            graph_saver = spec.scaffold.saver or Saver(sharded=True)
            if save_variables and not check_variables:
                raise ValueError(
                    "If `save_variables` is `True, `check_variables`must not be `False`."
                )
            if check_variables:
                try:
                    graph_saver.restore(session, checkpoint_path)
                except NotFoundError as e:
                    raise ValueError(
                        "Could not load all requested variables from checkpoint. Please make "
                        "sure your model_fn does not expect variables that were not saved in "
                        f"the checkpoint.\n\nEncountered error with mode `{mode}` while "
                        f"restoring checkpoint from: `{checkpoint_path}`. Full Traceback:\n\n{e}"
                    ) from None
            builder._add_train_op(spec.train_op)
            kwargs: dict[str, Any] = {
                "tags": export_tags,
                "signature_def_map": signature_def_map,
                "assets_collection": g.get_collection(GraphKeys.ASSET_FILEPATHS),
                "main_op": local_init_op,
                "saver": graph_saver,
                "strip_default_attrs": strip_default_attrs,
            }
            if save_variables:
                builder.add_meta_graph_and_variables(session, **kwargs)
            else:
                builder.add_meta_graph(**kwargs)
