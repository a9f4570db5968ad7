"""``scopeflow graph ls|run|convert FILE``: TF1 graph artifacts on the command line.

``FILE`` is a GraphDef (``.pb`` binary or ``.pbtxt`` text, e.g. a frozen inference graph), a
``.meta`` MetaGraphDef (its checkpoint, ``FILE`` without ``.meta``, is restored by ``run`` and
``convert`` when present) or a SavedModel directory (``saved_model.pb`` / ``.pbtxt``; a path to
that file is accepted too)::

    scopeflow graph ls FILE [--tag T] [--json]
        inputs (placeholders; a SavedModel's signature inputs), outputs (unconsumed nodes; a
        SavedModel's signature outputs), and op types with their node counts
    scopeflow graph run FILE [--input NAME=x.npy ...] [--inputs feeds.npz] [--output NAME ...]
                             [--save out.npz] [--tag T] [--signature KEY]
        feeds .npy/.npz arrays, prints each output (dtype, shape, values) or saves them
    scopeflow graph convert SRC DST [--output NAME ...] [--tag T] [--signature KEY]
        DST by extension: .pb / .pbtxt (a SavedModel or .meta+checkpoint is frozen with
        convert_variables_to_constants), .meta, or a directory (a SavedModel with tag ``serve``
        and a ``serving_default`` predict signature over the graph's inputs and outputs)

``NAME`` is a tensor (``x:0``), an op (``x``: its output 0) or, for a SavedModel, a key of the
signature's inputs/outputs. Errors name the file, print one line on stderr (no traceback) and
exit with code 2, as the checkpoint commands do (see :mod:`scopeflow.cli`, which dispatches here).

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from scopeflow.cli import EXIT_OK, CliError

_TEXT = (".pbtxt", ".txt", ".prototxt")
# Node types never listed as a graph's outputs (bookkeeping, state and saver ops).
_NOT_OUTPUTS = frozenset(
    ("NoOp", "Assign", "AssignAdd", "AssignSub", "Const", "VariableV2", "Variable", "Placeholder",
     "PlaceholderWithDefault", "SaveV2", "RestoreV2", "MergeV2Checkpoints", "ShardedFilename",
     "Identity")
)  # fmt: skip


@dataclass
class _Tensor:
    name: str
    dtype: str
    shape: str
    key: str = ""  # the signature key, for a SavedModel


@dataclass
class _Artifact:
    path: str
    kind: str  # "GraphDef", "MetaGraphDef", "SavedModel"
    graph_def: Any
    meta: Any = None
    tags: list[str] = field(default_factory=list)
    all_tags: list[list[str]] = field(default_factory=list)
    signature: str | None = None


# --- reading -------------------------------------------------------------------------------------


def _dtype_name(enum: int) -> str:
    from scopeflow._core import dtypes  # noqa: PLC0415

    try:
        return dtypes.as_dtype(enum).name
    except (TypeError, ValueError, KeyError):
        return f"<DataType {enum}>"


def _shape_text(proto: Any) -> str:
    if proto.unknown_rank:
        return "<unknown>"
    return "[" + ",".join("?" if d.size < 0 else str(d.size) for d in proto.dim) + "]"


def _saved_model_dir(path: Path) -> Path | None:
    from scopeflow.saved_model.loader import maybe_saved_model_directory  # noqa: PLC0415

    if path.is_dir():
        return path if maybe_saved_model_directory(str(path)) else None
    if path.name in ("saved_model.pb", "saved_model.pbtxt"):
        return path.parent
    return None


def _choose_tags(all_tags: list[list[str]], wanted: str | None, path: str) -> list[str]:
    if wanted is not None:
        want = set(wanted.split(","))
        for tags in all_tags:
            if set(tags) == want:
                return tags
        raise CliError(f"{path}: no meta graph has the tag-set {sorted(want)}; it has {all_tags}")
    for tags in all_tags:
        if tags == ["serve"]:
            return tags
    if not all_tags:
        raise CliError(f"{path}: the SavedModel holds no meta graph")
    return all_tags[0]


def _open(arg: str, tag: str | None = None, signature: str | None = None) -> _Artifact:
    """Reads FILE as a GraphDef, MetaGraphDef or SavedModel (CliError naming it if invalid)."""
    path = Path(arg)
    if not path.exists():
        raise CliError(f"graph file not found: {arg}")
    sm_dir = _saved_model_dir(path)
    if sm_dir is not None:
        from scopeflow.saved_model.loader import parse_saved_model  # noqa: PLC0415

        try:
            sm = parse_saved_model(str(sm_dir))
        except OSError as e:
            raise CliError(str(e)) from None
        all_tags = [list(m.meta_info_def.tags) for m in sm.meta_graphs]
        tags = _choose_tags(all_tags, tag, str(sm_dir))
        meta = next(m for m in sm.meta_graphs if list(m.meta_info_def.tags) == tags)
        sig = signature
        if sig is None and meta.signature_def:
            keys = sorted(meta.signature_def)
            sig = "serving_default" if "serving_default" in keys else keys[0]
        if sig is not None and sig not in meta.signature_def:
            raise CliError(
                f"{sm_dir}: meta graph {tags} has no signature {sig!r} "
                f"(it has {sorted(meta.signature_def)})"
            )
        return _Artifact(str(sm_dir), "SavedModel", meta.graph_def, meta, tags, all_tags, sig)
    if path.is_dir():
        raise CliError(f"{arg} is a directory without saved_model.pb or saved_model.pbtxt")
    if path.suffix == ".meta":
        from scopeflow.graph_import.meta_graph import read_meta_graph_file  # noqa: PLC0415

        try:
            meta = read_meta_graph_file(arg)
        except ValueError as e:
            raise CliError(str(e)) from None
        return _Artifact(arg, "MetaGraphDef", meta.graph_def, meta)
    from scopeflow.graph_io.files import read_graph_def  # noqa: PLC0415

    try:
        gd = read_graph_def(arg)
    except ValueError as e:
        raise CliError(str(e)) from None
    return _Artifact(arg, "GraphDef", gd)


def _saver_scopes(art: _Artifact) -> tuple[str, ...]:
    scopes = {
        n.name.split("/")[0] + "/"
        for n in art.graph_def.node
        if n.op in ("SaveV2", "RestoreV2", "MergeV2Checkpoints") and "/" in n.name
    }
    return tuple(sorted(scopes))


def _node_tensor(node: Any, index: int = 0) -> _Tensor:
    attr = node.attr
    dtype = "?"
    for key in ("dtype", "output_type", "out_type", "DstT", "T"):
        if key in attr and attr[key].WhichOneof("value") == "type":
            dtype = _dtype_name(attr[key].type)
            break
    shape = "?"
    if node.op in ("Placeholder", "PlaceholderWithDefault") and "shape" in attr:
        shape = _shape_text(attr["shape"].shape)
    elif "_output_shapes" in attr and len(attr["_output_shapes"].list.shape) > index:
        shape = _shape_text(attr["_output_shapes"].list.shape[index])
    return _Tensor(f"{node.name}:{index}", dtype, shape)


def _signature_tensors(art: _Artifact, which: str) -> list[_Tensor]:
    sig = art.meta.signature_def[art.signature]
    out = []
    for key, info in sorted(getattr(sig, which).items()):
        name = info.name or info.coo_sparse.values_tensor_name
        out.append(_Tensor(name, _dtype_name(info.dtype), _shape_text(info.tensor_shape), key))
    return out


def _inputs(art: _Artifact) -> list[_Tensor]:
    if art.signature is not None:
        return _signature_tensors(art, "inputs")
    skip = _saver_scopes(art)
    return [
        _node_tensor(n)
        for n in art.graph_def.node
        if n.op == "Placeholder" and not n.name.startswith(skip or ("\0",))
    ]


def _outputs(art: _Artifact) -> list[_Tensor]:
    if art.signature is not None:
        return _signature_tensors(art, "outputs")
    consumed = {i.lstrip("^").split(":")[0] for n in art.graph_def.node for i in n.input}
    skip = _saver_scopes(art)
    return [
        _node_tensor(n)
        for n in art.graph_def.node
        if n.name not in consumed
        and n.op not in _NOT_OUTPUTS
        and not n.name.startswith(skip or ("\0",))
        and not n.name.endswith("/read")
    ]


# --- ls ------------------------------------------------------------------------------------------


def _cmd_ls(args: argparse.Namespace) -> int:
    art = _open(args.file, args.tag, args.signature)
    ins, outs = _inputs(art), _outputs(art)
    counts = Counter(n.op for n in art.graph_def.node)
    if args.json:
        rows = {
            "file": art.path,
            "kind": art.kind,
            "nodes": len(art.graph_def.node),
            "tags": art.tags,
            "tag_sets": art.all_tags,
            "signature": art.signature,
            "signatures": sorted(art.meta.signature_def) if art.meta is not None else [],
            "inputs": [t.__dict__ for t in ins],
            "outputs": [t.__dict__ for t in outs],
            "op_types": dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        }
        print(json.dumps(rows, indent=1))
        return EXIT_OK
    print(f"{art.path}: {art.kind}, {len(art.graph_def.node)} nodes")
    if art.kind == "SavedModel":
        print(f"tag-sets: {art.all_tags}; showing {art.tags}")
        for key in sorted(art.meta.signature_def):
            sig = art.meta.signature_def[key]
            mark = " (shown)" if key == art.signature else ""
            print(f"signature {key}: {sig.method_name}{mark}")

    def table(title: str, rows: list[_Tensor]) -> None:
        print(f"{title} ({len(rows)}):")
        width = max((len(r.key) for r in rows), default=0)
        for r in rows:
            key = f"{r.key:<{width}}  " if width else ""
            print(f"  {key}{r.name}  {r.dtype}  {r.shape}")

    table("inputs", ins)
    table("outputs", outs)
    print(f"op types ({len(counts)}):")
    for op, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {op:<28} {count}")
    return EXIT_OK


# --- loading into a session ----------------------------------------------------------------------


def _checkpoint_for(meta_path: str) -> str | None:
    prefix = meta_path[: -len(".meta")]
    return prefix if Path(f"{prefix}.index").is_file() else None


def _load_session(art: _Artifact) -> Any:
    """A Session whose graph holds ``art`` (variables restored, SavedModel init op run)."""
    from scopeflow.graph.graph import Graph  # noqa: PLC0415
    from scopeflow.graph.session import Session  # noqa: PLC0415

    graph = Graph()
    sess = Session(graph=graph)
    try:
        with graph.as_default():
            if art.kind == "SavedModel":
                from scopeflow.saved_model.loader import load  # noqa: PLC0415

                load(sess, art.tags, art.path)
            elif art.kind == "MetaGraphDef":
                from scopeflow.graph_import.meta_graph import import_meta_graph  # noqa: PLC0415

                saver = import_meta_graph(art.meta)
                prefix = _checkpoint_for(art.path)
                if saver is not None and prefix is None:
                    raise CliError(
                        f"{art.path}: the graph has variables but no checkpoint "
                        f"{art.path[: -len('.meta')]}.index is beside it"
                    )
                if saver is not None:
                    saver.restore(sess, prefix)
            else:
                from scopeflow.graph_import.importer import import_graph_def  # noqa: PLC0415

                import_graph_def(art.graph_def, name="")
    except CliError:
        sess.close()
        raise
    except Exception as e:
        sess.close()
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise CliError(f"cannot load {art.path}: {type(e).__name__}: {msg}") from None
    return sess


def _resolve(art: _Artifact, graph: Any, name: str, which: str) -> Any:
    """A tensor of ``graph`` for ``name`` (tensor, op, or signature key)."""
    if art.signature is not None:
        sig = art.meta.signature_def[art.signature]
        infos = getattr(sig, which)
        if name in infos:
            return graph.get_tensor_by_name(infos[name].name)
    tensor = name if ":" in name else f"{name}:0"
    try:
        return graph.get_tensor_by_name(tensor)
    except (KeyError, ValueError):
        hint = ""
        if art.signature is not None:
            keys = sorted(getattr(art.meta.signature_def[art.signature], which))
            hint = f" (signature {art.signature} {which}: {keys})"
        raise CliError(f"{art.path}: no tensor {name!r}{hint}") from None


def _read_feeds(args: argparse.Namespace) -> dict[str, np.ndarray]:
    feeds: dict[str, np.ndarray] = {}
    if args.inputs:
        try:
            with np.load(args.inputs, allow_pickle=False) as data:
                feeds.update({k: data[k] for k in data.files})
        except (OSError, ValueError) as e:
            raise CliError(f"cannot read inputs file {args.inputs}: {e}") from None
    for item in args.input or []:
        name, sep, file = item.partition("=")
        if not sep or not name or not file:
            raise CliError(f"--input expects NAME=FILE.npy, got {item!r}")
        try:
            feeds[name] = np.load(file, allow_pickle=False)
        except (OSError, ValueError) as e:
            raise CliError(f"cannot read input file {file} for {name}: {e}") from None
    return feeds


# --- run -----------------------------------------------------------------------------------------


def _cmd_run(args: argparse.Namespace) -> int:
    art = _open(args.file, args.tag, args.signature)
    feeds = _read_feeds(args)
    out_names = args.output or [t.key or t.name for t in _outputs(art)]
    if not out_names:
        raise CliError(f"{art.path}: no outputs found; name them with --output")
    sess = _load_session(art)
    try:
        graph = sess.graph
        feed = {_resolve(art, graph, k, "inputs"): v for k, v in feeds.items()}
        fetches = [_resolve(art, graph, n, "outputs") for n in out_names]
        try:
            values = sess.run(fetches, feed)
        except Exception as e:
            msg = str(e).splitlines()[0] if str(e) else ""
            raise CliError(f"running {art.path}: {type(e).__name__}: {msg}") from None
    finally:
        sess.close()
    if args.save:
        arrays: dict[str, Any] = {n: np.asarray(v) for n, v in zip(out_names, values, strict=True)}
        np.savez(args.save, **arrays)
        print(f"wrote {len(values)} outputs to {args.save}")
        return EXIT_OK
    for name, value in zip(out_names, values, strict=True):
        arr = np.asarray(value)
        print(f"{name}: {arr.dtype} {list(arr.shape)}")
        print(np.array2string(arr, threshold=200, max_line_width=100))
    return EXIT_OK


# --- convert -------------------------------------------------------------------------------------


def _output_node_names(art: _Artifact, graph: Any, names: list[str] | None) -> list[str]:
    wanted = names or [t.key or t.name for t in _outputs(art)]
    if not wanted:
        raise CliError(f"{art.path}: no outputs found; name them with --output")
    return [_resolve(art, graph, n, "outputs").op.name for n in wanted]


def _write_graph_def(graph_def: Any, dst: str) -> None:
    from google.protobuf import text_format  # noqa: PLC0415

    from scopeflow.graph_io.graph_def import check_tf_loadable  # noqa: PLC0415

    check_tf_loadable(graph_def, repr(dst))
    path = Path(dst)
    path.parent.mkdir(parents=True, exist_ok=True)
    if dst.endswith(_TEXT):
        path.write_text(text_format.MessageToString(graph_def))
    else:
        path.write_bytes(graph_def.SerializeToString())


def _cmd_convert(args: argparse.Namespace) -> int:
    art = _open(args.src, args.tag, args.signature)
    dst = args.dst
    if Path(dst).exists() and Path(dst).samefile(art.path):
        raise CliError(f"source and destination are the same file: {dst}")
    if dst.endswith(_TEXT) or dst.endswith(".pb"):
        if art.kind == "GraphDef":
            _write_graph_def(art.graph_def, dst)
            print(f"wrote {len(art.graph_def.node)} nodes to {dst} (GraphDef)")
            return EXIT_OK
        from scopeflow.graph_import.graph_util import (  # noqa: PLC0415
            convert_variables_to_constants,
        )

        sess = _load_session(art)
        try:
            outputs = _output_node_names(art, sess.graph, args.output)
            frozen = convert_variables_to_constants(sess, art.graph_def, outputs)
        finally:
            sess.close()
        _write_graph_def(frozen, dst)
        print(f"wrote {len(frozen.node)} nodes to {dst} (frozen GraphDef; outputs {outputs})")
        return EXIT_OK
    if dst.endswith(".meta"):
        from scopeflow.protos import meta_graph_pb2  # noqa: PLC0415

        if art.kind == "GraphDef":
            meta = meta_graph_pb2.MetaGraphDef()
            meta.graph_def.CopyFrom(art.graph_def)
        else:
            meta = art.meta
        Path(dst).write_bytes(meta.SerializeToString())
        print(f"wrote {len(meta.graph_def.node)} nodes to {dst} (MetaGraphDef)")
        return EXIT_OK
    if Path(dst).suffix:
        raise CliError(
            f"destination {dst}: unknown kind (use .pb, .pbtxt, .meta, or a directory name "
            "without extension for a SavedModel)"
        )
    return _to_saved_model(art, dst, args.output)


def _to_saved_model(art: _Artifact, dst: str, names: list[str] | None) -> int:
    from scopeflow.saved_model.builder import SavedModelBuilder  # noqa: PLC0415
    from scopeflow.saved_model.signature_defs import predict_signature_def  # noqa: PLC0415

    sess = _load_session(art)
    try:
        graph = sess.graph
        with graph.as_default():
            if art.kind == "SavedModel" and art.signature is not None and not names:
                sig_map = dict(art.meta.signature_def)
            else:
                ins = {t.name.split(":")[0]: graph.get_tensor_by_name(t.name) for t in _inputs(art)}
                outs = {
                    n: graph.get_tensor_by_name(f"{n}:0")
                    for n in _output_node_names(art, graph, names)
                }
                if not ins:
                    raise CliError(f"{art.path}: the graph has no placeholders to use as inputs")
                sig_map = {"serving_default": predict_signature_def(ins, outs)}
            try:
                builder = SavedModelBuilder(dst)
            except AssertionError as e:
                raise CliError(str(e)) from None
            builder.add_meta_graph_and_variables(
                sess, art.tags or ["serve"], signature_def_map=sig_map
            )
            builder.save()
    finally:
        sess.close()
    print(f"wrote SavedModel {dst} (tags {art.tags or ['serve']}, signatures {sorted(sig_map)})")
    return EXIT_OK


# --- parser --------------------------------------------------------------------------------------


def add_parser(sub: Any) -> None:
    """Adds ``graph ls|run|convert`` to the ``scopeflow`` subcommands ``sub``."""
    graph = sub.add_parser("graph", help="inspect, run and convert .pb/.meta/SavedModel graphs")
    gsub = graph.add_subparsers(dest="graph_command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--tag", help="SavedModel tag-set, comma separated (default: serve)")
        p.add_argument("--signature", help="SavedModel signature (default: serving_default)")

    ls = gsub.add_parser("ls", help="list inputs, outputs and op types")
    ls.add_argument("file", help=".pb, .pbtxt, .meta or SavedModel directory")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    common(ls)
    ls.set_defaults(fn=_cmd_ls)
    run = gsub.add_parser("run", help="run the graph on .npy/.npz inputs")
    run.add_argument("file", help=".pb, .pbtxt, .meta or SavedModel directory")
    run.add_argument("--input", action="append", metavar="NAME=FILE.npy", help="one feed")
    run.add_argument("--inputs", metavar="FEEDS.npz", help="feeds keyed by input name")
    run.add_argument("--output", action="append", metavar="NAME", help="a tensor to fetch")
    run.add_argument("--save", metavar="OUT.npz", help="save the outputs instead of printing")
    common(run)
    run.set_defaults(fn=_cmd_run)
    conv = gsub.add_parser("convert", help="convert between .pb/.pbtxt/.meta/SavedModel")
    conv.add_argument("src")
    conv.add_argument("dst", help=".pb, .pbtxt, .meta, or a new SavedModel directory")
    conv.add_argument("--output", action="append", metavar="NAME", help="an output to keep")
    common(conv)
    conv.set_defaults(fn=_cmd_convert)


__all__ = ["add_parser"]
