"""The ``scopeflow`` command line (also ``python -m scopeflow``).

Inspect, compare and convert checkpoints; run unmodified TF1 scripts.

Commands::

    scopeflow ls CKPT [--json] [--tree]        name, dtype, shape, size of every tensor
    scopeflow diff A B [--atol X] [--rtol Y]    missing/unexpected/shape/dtype/value differences
    scopeflow convert SRC DST [--to tf|safetensors]
    scopeflow run SCRIPT.py [ARGS...]          run a script whose imports say ``tensorflow``
    scopeflow graph ls|run|convert FILE ...     .pb/.pbtxt/.meta/SavedModel graphs
                                                (see :mod:`scopeflow.graph_cli`)

``run`` executes the script as ``python SCRIPT.py ARGS`` would, with ``import tensorflow``
(and its common private paths, ``tf_slim``) served by scopeflow; its exit status is the
script's (see :mod:`scopeflow.run`).

``CKPT`` is a TF checkpoint prefix (``model.ckpt-100``; a ``.index``/``.data-*`` file name is
accepted too), a directory (its latest checkpoint), or a ``.safetensors`` file. Exit codes:
0 success / no differences, 1 differences found (``diff``), 2 error (one line on stderr, no
traceback). This module and :mod:`scopeflow.graph_cli` are the only ones that write to stdout.

Must not import ``scopeflow.compat`` (``run`` imports ``scopeflow.run`` when used).
"""

from __future__ import annotations

import abc
import argparse
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

EXIT_OK = 0
EXIT_DIFFERENT = 1
EXIT_ERROR = 2
_PROGRESS_MIN_BYTES = 32 << 20


class CliError(Exception):
    """A user-facing failure: printed as one line, exit code 2."""


# --- sources -------------------------------------------------------------------------------------


class _Source(abc.ABC):
    """A uniform read-only view of a TF checkpoint or a safetensors file."""

    kind = ""
    path = ""

    @abc.abstractmethod
    def names(self) -> list[str]:
        """The tensor names, in file order."""

    @abc.abstractmethod
    def info(self, name: str) -> tuple[str, list[int], int]:
        """``(dtype name, shape, size in bytes)``."""

    @abc.abstractmethod
    def get(self, name: str) -> np.ndarray:
        """The tensor's value."""

    def close(self) -> None:  # noqa: B027  (optional hook: most sources hold no files)
        """Release files."""


class _BundleSource(_Source):
    kind = "tf"

    def __init__(self, prefix: str) -> None:
        from scopeflow._core import dtypes  # noqa: PLC0415
        from scopeflow.checkpoint import BundleReader  # noqa: PLC0415

        self.path = prefix
        self._reader = BundleReader(prefix)
        self._dtypes = dtypes
        self._shapes = self._reader.variable_to_shape_map()
        self._enums = self._reader.variable_to_dtype_enum_map()

    def names(self) -> list[str]:
        return sorted(self._shapes)

    def info(self, name: str) -> tuple[str, list[int], int]:
        from scopeflow.checkpoint._dtypes import dtype_name, numpy_dtype_for_enum  # noqa: PLC0415

        shape = self._shapes[name]
        enum = self._enums[name]
        count = int(np.prod(shape)) if shape else 1
        try:
            itemsize = numpy_dtype_for_enum(enum).itemsize
        except ValueError:
            itemsize = 0
        if dtype_name(enum) == "string":
            itemsize = 0
        return dtype_name(enum), shape, count * itemsize

    def get(self, name: str) -> np.ndarray:
        return self._reader.get_tensor(name)

    def close(self) -> None:
        self._reader.close()


class _SafetensorsSource(_Source):
    kind = "safetensors"

    def __init__(self, path: str) -> None:
        from safetensors import safe_open  # noqa: PLC0415

        from scopeflow.train.safetensors_io import read_safetensors_metadata  # noqa: PLC0415

        self.path = path
        try:
            self._meta = {n: (d, s) for n, d, s in read_safetensors_metadata(path)}
            self._file: Any = safe_open(path, framework="pt")
        except Exception as e:
            raise CliError(f"cannot read safetensors file {path}: {e}") from None

    def names(self) -> list[str]:
        return sorted(self._meta)

    def info(self, name: str) -> tuple[str, list[int], int]:
        from scopeflow._core import dtypes  # noqa: PLC0415

        dt, shape = self._meta[name]
        count = int(np.prod(shape)) if shape else 1
        return dt, shape, count * dtypes.as_dtype(dt).size

    def get(self, name: str) -> np.ndarray:
        from scopeflow.graph._torch_dtypes import to_numpy  # noqa: PLC0415

        return np.asarray(to_numpy(self._file.get_tensor(name)))


def _resolve_prefix(arg: str) -> str:
    path = Path(arg)
    if path.is_dir():
        from scopeflow.checkpoint import latest_checkpoint  # noqa: PLC0415

        latest = latest_checkpoint(str(path))
        if latest is None:
            raise CliError(f"no checkpoint found in directory {arg}")
        return latest
    match = re.match(r"^(.*)\.(index|data-\d{5}-of-\d{5})$", arg)
    if match and path.is_file():
        return match.group(1)
    if not Path(f"{arg}.index").is_file():
        raise CliError(f"checkpoint not found: {arg} (no {arg}.index)")
    return arg


def _open(arg: str) -> _Source:
    from scopeflow.checkpoint import CheckpointError  # noqa: PLC0415

    if arg.endswith(".safetensors"):
        if not Path(arg).is_file():
            raise CliError(f"safetensors file not found: {arg}")
        return _SafetensorsSource(arg)
    try:
        return _BundleSource(_resolve_prefix(arg))
    except CheckpointError as e:
        raise CliError(str(e)) from None


# --- output helpers ------------------------------------------------------------------------------


def _human(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{int(size)} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover


def _shape_str(shape: Sequence[int]) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _console() -> Any:
    from rich.console import Console  # noqa: PLC0415

    return Console(highlight=False, soft_wrap=True)


# --- commands ------------------------------------------------------------------------------------


def _cmd_ls(args: argparse.Namespace) -> int:
    src = _open(args.ckpt)
    try:
        rows = [(n, *src.info(n)) for n in src.names()]
    finally:
        src.close()
    if args.json:
        print(
            json.dumps(
                [{"name": n, "dtype": d, "shape": s, "size": b} for n, d, s, b in rows], indent=1
            )
        )
        return EXIT_OK
    if args.tree:
        from rich.tree import Tree  # noqa: PLC0415

        root = Tree(src.path)
        nodes: dict[str, Any] = {"": root}
        for name, dt, shape, size in rows:
            parts = name.split("/")
            for i in range(1, len(parts)):
                key = "/".join(parts[:i])
                if key not in nodes:
                    nodes[key] = nodes["/".join(parts[: i - 1])].add(parts[i - 1] + "/")
            parent = nodes["/".join(parts[:-1])]
            parent.add(f"{parts[-1]}  {dt} {_shape_str(shape)}  {_human(size)}")
        _console().print(root)
        return EXIT_OK
    width = max((len(r[0]) for r in rows), default=4)
    print(f"{'name':<{width}}  {'dtype':<10} {'shape':<18} size")
    for name, dt, shape, size in rows:
        print(f"{name:<{width}}  {dt:<10} {_shape_str(shape):<18} {_human(size)}")
    total = sum(r[3] for r in rows)
    print(f"{len(rows)} tensors, {_human(total)}")
    return EXIT_OK


def _values_differ(a: np.ndarray, b: np.ndarray, atol: float, rtol: float) -> str | None:
    if object in (a.dtype, b.dtype):
        return None if a.tolist() == b.tolist() else "string values differ"
    if a.dtype.kind in "fc" or b.dtype.kind in "fc" or str(a.dtype) == "bfloat16":
        fa = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
        fb = b.astype(np.complex128 if b.dtype.kind == "c" else np.float64)
        close = np.isclose(fa, fb, atol=atol, rtol=rtol, equal_nan=True)
        if close.all():
            return None
        diff = np.abs(fa - fb)
        finite = diff[np.isfinite(diff)]
        worst = float(finite.max()) if finite.size else float("nan")
        return f"{int((~close).sum())} of {close.size} elements differ, max |a-b| = {worst:.6g}"
    if np.array_equal(a, b):
        return None
    return f"{int((a != b).sum())} of {a.size} elements differ"


def _cmd_diff(args: argparse.Namespace) -> int:
    a, b = _open(args.a), _open(args.b)
    lines: list[str] = []
    try:
        names_a, names_b = set(a.names()), set(b.names())
        lines += [f"only in A: {n}" for n in sorted(names_a - names_b)]
        lines += [f"only in B: {n}" for n in sorted(names_b - names_a)]
        for name in sorted(names_a & names_b):
            dta, sha, _ = a.info(name)
            dtb, shb, _ = b.info(name)
            if sha != shb:
                lines.append(f"shape {name}: {_shape_str(sha)} vs {_shape_str(shb)}")
                continue
            if dta != dtb:
                lines.append(f"dtype {name}: {dta} vs {dtb}")
                continue
            why = _values_differ(a.get(name), b.get(name), args.atol, args.rtol)
            if why:
                lines.append(f"value {name}: {why}")
        same = len(names_a & names_b)
    finally:
        a.close()
        b.close()
    for line in lines:
        print(line)
    if lines:
        print(f"{len(lines)} difference(s)")
        return EXIT_DIFFERENT
    print(f"no differences ({same} tensors)")
    return EXIT_OK


def _progress_iter(items: list[tuple[str, int]], label: str) -> Iterator[Any]:
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    total = sum(size for _, size in items)
    progress = Progress(
        TextColumn(label),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        transient=True,
        disable=total < _PROGRESS_MIN_BYTES,
    )
    with progress:
        task = progress.add_task(label, total=total)
        yield lambda _name, nbytes: progress.advance(task, nbytes)


def _cmd_convert(args: argparse.Namespace) -> int:
    from scopeflow.train.safetensors_io import (  # noqa: PLC0415
        bundle_to_safetensors,
        safetensors_to_bundle,
    )

    to = args.to or ("safetensors" if args.dst.endswith(".safetensors") else "tf")
    src = _open(args.src)
    try:
        items = [(n, src.info(n)[2]) for n in src.names()]
    finally:
        src.close()
    if to == "tf" and args.dst.endswith(".safetensors"):
        raise CliError(f"destination {args.dst} ends in .safetensors but --to tf was given")
    for advance in _progress_iter(items, f"converting to {to}"):
        if src.kind == "tf" and to == "safetensors":
            count = bundle_to_safetensors(src.path, args.dst, advance)
        elif src.kind == "safetensors" and to == "tf":
            count = safetensors_to_bundle(src.path, args.dst, advance)
        elif src.kind == "tf":
            from scopeflow.checkpoint import BundleReader, BundleWriter  # noqa: PLC0415

            with BundleReader(src.path) as reader, BundleWriter(args.dst) as writer:
                for name in reader.keys():  # noqa: SIM118
                    value = reader.get_tensor(name)
                    writer.add(name, value, dtype_enum=reader.dtype_enum(name))
                    advance(name, value.nbytes)
                count = len(reader.keys())
        else:
            raise CliError("source and destination are both safetensors; nothing to convert")
    print(f"wrote {count} tensors to {args.dst} ({to})")
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="scopeflow", description="Inspect, compare and convert TF checkpoints."
    )
    sub = p.add_subparsers(dest="command", required=True)
    ls = sub.add_parser("ls", help="list the tensors of a checkpoint")
    ls.add_argument("ckpt", help="checkpoint prefix, directory, or .safetensors file")
    fmt = ls.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="machine-readable output")
    fmt.add_argument("--tree", action="store_true", help="group names by scope")
    ls.set_defaults(fn=_cmd_ls)
    diff = sub.add_parser("diff", help="compare two checkpoints (exit 1 if they differ)")
    diff.add_argument("a")
    diff.add_argument("b")
    diff.add_argument("--atol", type=float, default=0.0, help="absolute tolerance (default 0)")
    diff.add_argument("--rtol", type=float, default=0.0, help="relative tolerance (default 0)")
    diff.set_defaults(fn=_cmd_diff)
    conv = sub.add_parser("convert", help="convert TF checkpoint <-> safetensors")
    conv.add_argument("src")
    conv.add_argument("dst", help="destination prefix or .safetensors file")
    conv.add_argument("--to", choices=("tf", "safetensors"), help="default: from DST's extension")
    conv.set_defaults(fn=_cmd_convert)
    run = sub.add_parser(
        "run", help="run an unmodified TF1 script (import tensorflow) on scopeflow"
    )
    run.add_argument("script", help="the Python script")
    run.add_argument("args", nargs=argparse.REMAINDER, help="the script's arguments")
    from scopeflow.graph_cli import add_parser  # noqa: PLC0415  (it imports this module)

    add_parser(sub)
    return p


def _cmd_run(argv: Sequence[str]) -> int:
    """``scopeflow run SCRIPT [ARGS...]``: everything after SCRIPT belongs to the script."""
    if not argv or argv[0] in ("-h", "--help"):
        _parser().parse_args(["run", *argv])  # prints usage (and exits) like the other commands
    from scopeflow.run import run_script  # noqa: PLC0415

    return run_script(argv[0], list(argv[1:]))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 differences, 2 error; ``run``: the script's)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "run":
        return _cmd_run(argv[1:])
    args = _parser().parse_args(argv)
    try:
        return int(args.fn(args))
    except CliError as e:
        print(f"scopeflow: error: {e}", file=sys.stderr)
    except KeyboardInterrupt:
        print("scopeflow: interrupted", file=sys.stderr)
    except BrokenPipeError:  # stdout closed early (`scopeflow graph ls ... | head`): no message
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit would fail again
        return EXIT_OK
    except Exception as e:  # one line, no traceback, for every failure
        msg = str(e).splitlines()[0] if str(e) else ""
        print(f"scopeflow: error: {type(e).__name__}: {msg}", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
