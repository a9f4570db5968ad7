"""``tf.contrib.tensorboard.plugins.projector`` (TF 1.15): the embedding projector's config.

The messages are tensorboard's compiled ``projector_config.proto`` (the file TF 1.15's contrib
module compiled too); ``visualize_embeddings`` writes ``projector_config.pbtxt`` into the
summary writer's logdir as TF 1.15's does.
"""

from __future__ import annotations

import os
from typing import Any

from google.protobuf import text_format
from tensorboard.plugins.projector.projector_config_pb2 import (
    EmbeddingInfo,
    ProjectorConfig,
    SpriteMetadata,
)

__all__ = ["EmbeddingInfo", "ProjectorConfig", "SpriteMetadata", "visualize_embeddings"]

_PROJECTOR_FILENAME = "projector_config.pbtxt"


def visualize_embeddings(summary_writer: Any, config: ProjectorConfig) -> None:
    """Stores ``config`` as ``projector_config.pbtxt`` in ``summary_writer``'s logdir.

    Args:
        summary_writer: a ``tf.summary.FileWriter``.
        config: the ``ProjectorConfig`` proto.

    Raises:
        ValueError: if the writer has no logdir (TF's message).
    """
    logdir = summary_writer.get_logdir()
    if logdir is None:
        raise ValueError("Summary writer must have a logdir")
    path = os.path.join(logdir, _PROJECTOR_FILENAME)  # noqa: PTH118
    with open(path, "w") as f:  # noqa: PTH123
        f.write(text_format.MessageToString(config))
