"""``Datasets`` and ``maybe_download`` of TF 1.15's ``contrib.learn.datasets.base``."""

from __future__ import annotations

import collections
import urllib.request
from pathlib import Path

#: The train/validation/test triple ``read_data_sets`` returns.
Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])


def maybe_download(filename: str, work_directory: str, source_url: str) -> str:
    """The path of ``work_directory/filename``, downloaded from ``source_url`` if absent.

    As TF 1.15: the directory is created if needed, and a file already there is used as is.
    """
    directory = Path(work_directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / filename
    if not path.exists():
        tmp = path.with_name(path.name + ".tmp")
        urllib.request.urlretrieve(source_url, tmp)
        tmp.replace(path)
        print("Successfully downloaded", filename, path.stat().st_size, "bytes.")  # noqa: T201
    return str(path)


__all__ = ["Datasets", "maybe_download"]
