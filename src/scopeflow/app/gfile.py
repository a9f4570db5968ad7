r"""``tf.gfile`` / ``tf.io.gfile``: TF's file API on the local file system.

Paths may be ``str``, ``bytes`` or path-like, with or without a ``file://`` prefix. Failures raise
TF's ``tf.errors`` classes with TF's messages (``"x.txt; No such file or directory"`` as a
``NotFoundError``, ``"d; Is a directory"`` as a ``FailedPreconditionError`` ...).

Differences from TensorFlow:
    Only local files: another scheme (``gs://``, ``hdfs://``, ``s3://``) raises
    ``UnsupportedError``. As in TF, ``GFile`` text mode decodes UTF-8 without newline
    translation, and a file opened for writing is only created by its first ``write``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.

>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> with GFile(os.path.join(d, "a.txt"), "w") as f:
...     f.write("hello\n")
>>> GFile(os.path.join(d, "a.txt")).read()
'hello\n'
>>> ListDirectory(d)
['a.txt']
>>> DeleteRecursively(d)
"""

from __future__ import annotations

import glob as _glob
import os
import shutil
from collections.abc import Iterator
from typing import IO, Any, NamedTuple

from scopeflow import errors
from scopeflow.app.compat import as_bytes, as_str_any, as_text
from scopeflow.errors import UnsupportedError

_MODES = ("r", "w", "a", "r+", "w+", "a+")


def _local(path: Any) -> str:
    """The local path for a TF path; rejects non-local file systems."""
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    path = as_text(path)
    if path.startswith("file://"):
        return path[len("file://") :]
    scheme, sep, _ = path.partition("://")
    if sep and scheme.isalnum():
        raise UnsupportedError(
            f"the file system scheme '{scheme}' (tf.gfile works on local paths only)"
        )
    return path


def _os_error(e: OSError, path: str) -> errors.OpError:
    return errors.error_from_os_error(e, path)


class GFile:
    """A file object with TF's API (``tf.gfile.GFile``, ``tf.gfile.Open``, ``tf.io.gfile.GFile``).

    Args:
        name: the path.
        mode: ``r``, ``w``, ``a``, ``r+``, ``w+`` or ``a+``, with ``b`` for bytes.
        encoding: the text encoding of text mode.

    Raises:
        InvalidArgumentError: for another mode (TF's message).
    """

    def __init__(self, name: Any, mode: str = "r", encoding: str = "utf-8") -> None:
        self._name = name
        self._mode = mode
        self._encoding = encoding
        self._binary_mode = "b" in mode
        base = mode.replace("b", "")
        if base not in _MODES:
            raise errors.InvalidArgumentError(
                None, None, "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'"
            )
        self._base_mode = base
        self._readable = base in ("r", "r+", "a+", "w+")
        self._writable = base in ("a", "w", "r+", "a+", "w+")
        self._path = _local(name)
        self._file: IO[bytes] | None = None

    @property
    def name(self) -> Any:
        """The file name as given."""
        return self._name

    @property
    def mode(self) -> str:
        """The mode as given."""
        return self._mode

    def _open(self) -> IO[bytes]:
        if self._file is None:
            try:
                self._file = open(self._path, self._base_mode + "b")  # noqa: SIM115, PTH123
            except OSError as e:
                raise _os_error(e, self._path) from None
        return self._file

    def _preread(self) -> IO[bytes]:
        if not self._readable:
            raise errors.PermissionDeniedError(None, None, "File isn't open for reading")
        f = self._open()
        if os.path.isdir(self._path):  # noqa: PTH112
            raise errors.FailedPreconditionError(None, None, f"{self._path}; Is a directory")
        return f

    def _prewrite(self) -> IO[bytes]:
        if not self._writable:
            raise errors.PermissionDeniedError(None, None, "File isn't open for writing")
        return self._open()

    def _prepare(self, data: bytes) -> Any:
        if self._binary_mode:
            return data
        return as_str_any(data, encoding=self._encoding)

    def size(self) -> int:
        """The file's size in bytes."""
        return Stat(self._path).length

    def write(self, file_content: Any) -> None:
        """Writes ``str`` (encoded) or ``bytes``."""
        self._prewrite().write(as_bytes(file_content, encoding=self._encoding))

    def read(self, n: int = -1) -> Any:
        """Reads ``n`` bytes (all if ``n == -1``): ``bytes`` in ``b`` mode, else ``str``."""
        return self._prepare(self._preread().read(n))

    def seek(self, offset: int | None = None, whence: int = 0, position: int | None = None) -> None:
        """Moves the read position (``whence``: 0 start, 1 current, 2 end)."""
        f = self._preread()
        if offset is None and position is None:
            raise TypeError("seek(): offset argument required")
        if offset is not None and position is not None:
            raise TypeError("seek(): offset and position may not be set simultaneously.")
        if position is not None:
            offset = position
        if whence not in (0, 1, 2):
            raise errors.InvalidArgumentError(
                None, None, f"Invalid whence argument: {whence}. Valid values are 0, 1, or 2."
            )
        f.seek(offset or 0, whence)

    def readline(self) -> Any:
        """The next line with its newline; empty at end of file."""
        return self._prepare(self._preread().readline())

    def readlines(self) -> list[Any]:
        """All remaining lines."""
        lines: list[Any] = []
        while True:
            line = self.readline()
            if not line:
                return lines
            lines.append(line)

    def tell(self) -> int:
        """The current position."""
        return (self._preread() if self._readable else self._prewrite()).tell()

    def __enter__(self) -> GFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    next = __next__

    def flush(self) -> None:
        """Flushes written data."""
        if self._file is not None and self._writable:
            self._file.flush()

    def close(self) -> None:
        """Closes the file."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def seekable(self) -> bool:
        """True (TF's files are seekable)."""
        return True


FastGFile = GFile
Open = GFile


def Exists(filename: Any) -> bool:
    """Whether a file or directory exists."""
    return os.path.exists(_local(filename))  # noqa: PTH110


def Remove(filename: Any) -> None:
    """Deletes a file (``FailedPreconditionError`` for a directory)."""
    path = _local(filename)
    if os.path.isdir(path):  # noqa: PTH112
        raise errors.FailedPreconditionError(None, None, f"{path}; Is a directory")
    try:
        os.remove(path)  # noqa: PTH107
    except OSError as e:
        raise _os_error(e, path) from None


def Glob(filename: Any) -> list[str]:
    """The paths matching a pattern (or a list of patterns), TF's glob syntax."""
    patterns = [filename] if isinstance(filename, (str, bytes, os.PathLike)) else filename
    out: list[str] = []
    for pattern in patterns:
        path = _local(pattern)
        if not _glob.has_magic(path):
            if os.path.exists(path):  # noqa: PTH110
                out.append(path)
            continue
        out.extend(_glob.glob(path))  # noqa: PTH207
    return out


def MkDir(dirname: Any) -> None:
    """Creates one directory (its parent must exist; an existing directory is accepted)."""
    path = _local(dirname)
    try:
        os.mkdir(path)  # noqa: PTH102
    except FileExistsError:
        if not os.path.isdir(path):  # noqa: PTH112
            raise errors.FailedPreconditionError(None, None, f"{path}; Not a directory") from None
    except OSError as e:
        raise _os_error(e, path) from None


def MakeDirs(dirname: Any) -> None:
    """Creates a directory and its missing parents."""
    path = _local(dirname)
    try:
        os.makedirs(path, exist_ok=True)  # noqa: PTH103
    except OSError as e:
        raise _os_error(e, path) from None


def Copy(oldpath: Any, newpath: Any, overwrite: bool = False) -> None:
    """Copies a file (``AlreadyExistsError`` if ``newpath`` exists and not ``overwrite``)."""
    src, dst = _local(oldpath), _local(newpath)
    if not overwrite and os.path.exists(dst):  # noqa: PTH110
        raise errors.AlreadyExistsError(None, None, "file already exists")
    try:
        shutil.copyfile(src, dst)
    except OSError as e:
        raise _os_error(e, src if not os.path.exists(src) else dst) from None  # noqa: PTH110


def Rename(oldname: Any, newname: Any, overwrite: bool = False) -> None:
    """Renames a file or directory (``AlreadyExistsError`` if the target exists)."""
    src, dst = _local(oldname), _local(newname)
    if not overwrite and os.path.exists(dst):  # noqa: PTH110
        raise errors.AlreadyExistsError(None, None, "file already exists")
    try:
        os.replace(src, dst)  # noqa: PTH105
    except OSError as e:
        raise _os_error(e, src) from None


def DeleteRecursively(dirname: Any) -> None:
    """Deletes a directory tree or a file (``NotFoundError`` if neither exists)."""
    path = _local(dirname)
    if not os.path.exists(path):  # noqa: PTH110
        raise errors.NotFoundError(None, None, f"{path} not found")
    if os.path.isdir(path) and not os.path.islink(path):  # noqa: PTH112, PTH114
        shutil.rmtree(path)
    else:
        os.remove(path)  # noqa: PTH107


def IsDirectory(dirname: Any) -> bool:
    """Whether the path is a directory."""
    return os.path.isdir(_local(dirname))  # noqa: PTH112


def ListDirectory(dirname: Any) -> list[str]:
    """The entries of a directory (names only, no ``.``/``..``).

    Raises:
        NotFoundError: if it is not a directory (TF's ``"Could not find directory d"``).
    """
    path = _local(dirname)
    if not os.path.isdir(path):  # noqa: PTH112
        raise errors.NotFoundError(None, None, f"Could not find directory {path}")
    return os.listdir(path)  # noqa: PTH208


def Walk(top: Any, in_order: bool = True) -> Iterator[tuple[str, list[str], list[str]]]:
    """``(dirname, subdirs, files)`` for each directory of a tree; nothing for a missing ``top``.

    ``in_order=True`` yields a directory before its subdirectories (pre-order), else after.
    """
    root = _local(top)
    try:
        entries = ListDirectory(root)
    except errors.NotFoundError:
        return
    subdirs: list[str] = []
    files: list[str] = []
    for item in entries:
        (subdirs if IsDirectory(os.path.join(root, item)) else files).append(item)  # noqa: PTH118
    here = (root, subdirs, files)
    if in_order:
        yield here
    for sub in subdirs:
        yield from Walk(os.path.join(root, sub), in_order)  # noqa: PTH118
    if not in_order:
        yield here


class FileStatistics(NamedTuple):
    """``length`` (bytes), ``mtime_nsec`` and ``is_directory`` of a path (TF's fields)."""

    length: int
    mtime_nsec: int
    is_directory: bool


def Stat(filename: Any) -> FileStatistics:
    """The ``FileStatistics`` of a path."""
    path = _local(filename)
    try:
        st = os.stat(path)  # noqa: PTH116
    except OSError as e:
        raise _os_error(e, path) from None
    return FileStatistics(st.st_size, st.st_mtime_ns, os.path.isdir(path))  # noqa: PTH112


# --- tf.io.gfile (v2 spellings) ----------------------------------------------------------------


def exists(path: Any) -> bool:
    """``tf.io.gfile.exists``."""
    return Exists(path)


def remove(path: Any) -> None:
    """``tf.io.gfile.remove``."""
    Remove(path)


def glob(pattern: Any) -> list[str]:
    """``tf.io.gfile.glob``."""
    return Glob(pattern)


def mkdir(path: Any) -> None:
    """``tf.io.gfile.mkdir``."""
    MkDir(path)


def makedirs(path: Any) -> None:
    """``tf.io.gfile.makedirs``."""
    MakeDirs(path)


def copy(src: Any, dst: Any, overwrite: bool = False) -> None:
    """``tf.io.gfile.copy``."""
    Copy(src, dst, overwrite)


def rename(src: Any, dst: Any, overwrite: bool = False) -> None:
    """``tf.io.gfile.rename``."""
    Rename(src, dst, overwrite)


def rmtree(path: Any) -> None:
    """``tf.io.gfile.rmtree``."""
    DeleteRecursively(path)


def isdir(path: Any) -> bool:
    """``tf.io.gfile.isdir``."""
    return IsDirectory(path)


def listdir(path: Any) -> list[str]:
    """``tf.io.gfile.listdir``."""
    return ListDirectory(path)


def stat(path: Any) -> FileStatistics:
    """``tf.io.gfile.stat``."""
    return Stat(path)


def join(path: Any, *paths: Any) -> str:
    """``tf.io.gfile.join``: ``os.path.join`` keeping a ``scheme://`` prefix intact."""
    return os.path.join(as_text(path), *(as_text(p) for p in paths))  # noqa: PTH118


def walk(
    top: Any, topdown: bool = True, onerror: Any = None
) -> Iterator[tuple[str, list[str], list[str]]]:
    """``tf.io.gfile.walk``: ``Walk`` with ``onerror`` called for a missing ``top``."""
    if onerror is not None and not IsDirectory(top):
        try:
            ListDirectory(top)
        except errors.NotFoundError as e:
            onerror(e)
            return
    yield from Walk(top, topdown)


def get_registered_schemes() -> list[str]:
    """The file system schemes available: only ``file``."""
    return ["file"]


# timeline: TF's ``tensorflow.python.lib.io.file_io`` helpers (slim.learning writes traces)
def write_string_to_file(filename: Any, file_content: Any) -> None:
    """``file_io.write_string_to_file``: writes ``file_content`` (text or bytes) to a new file."""
    with GFile(filename, mode="w") as f:
        f.write(file_content)


def read_file_to_string(filename: Any, binary_mode: bool = False) -> Any:
    """``file_io.read_file_to_string``: the file's contents (bytes with ``binary_mode``)."""
    with GFile(filename, mode="rb" if binary_mode else "r") as f:
        return f.read()


__all__ = [
    "Copy",
    "DeleteRecursively",
    "Exists",
    "FastGFile",
    "FileStatistics",
    "GFile",
    "Glob",
    "IsDirectory",
    "ListDirectory",
    "MakeDirs",
    "MkDir",
    "Open",
    "Remove",
    "Rename",
    "Stat",
    "Walk",
    "copy",
    "exists",
    "get_registered_schemes",
    "glob",
    "isdir",
    "join",
    "listdir",
    "makedirs",
    "mkdir",
    "remove",
    "rename",
    "rmtree",
    "stat",
    "walk",
    # timeline
    "read_file_to_string",
    "write_string_to_file",
]
