"""CTC: ``tf.nn.ctc_loss`` (TF 1.x signature), ``ctc_greedy_decoder``, ``ctc_beam_search_decoder``.

- ``CTCLoss``: TF's ``CTCLossCalculator`` conventions: the blank is class ``num_classes - 1``;
  each batch entry's labels are the ``SparseTensor`` values of its row, cut at the first label
  ``>= num_classes - 1`` (an error if a real label follows it); ``preprocess_collapse_repeated``
  merges repeated labels first; a zero ``sequence_length`` gives loss 0; labels longer than the
  sequence raise ``InvalidArgumentError`` unless ``ignore_longer_outputs_than_inputs`` (loss and
  gradient 0). The loss is ``-log p(labels | softmax(logits))``; with ``ctc_merge_repeated``
  (the default) it is computed by ``torch.nn.functional.ctc_loss`` on ``log_softmax`` (the same
  sum over alignments), without it by TF's non-merging recursion (a state may not repeat a
  label, and equal labels may follow each other without a blank) in log space on torch. The
  op's second output is the gradient w.r.t. the logits, and the op's gradient is
  ``grad_loss[:, None] * gradient`` as TF's ``_CTCLossGrad``.
- ``CTCGreedyDecoder``: per frame the first maximal class; blanks dropped, repeats merged with
  ``merge_repeated``; ``log_probability`` is minus the sum of the maximal logits.
- ``CTCBeamSearchDecoder``: TF's ``CTCBeamSearchDecoder`` with the default scorer step for step
  (prefix tree, ``beam_width`` best leaves by total log probability, children in class order,
  the weakest leaf evicted), in double precision with TF's float32 normalisation per frame.

Differences from TensorFlow: a second derivative through ``CTCLoss`` raises TF's
``LookupError`` (its ``PreventGradient`` message) when the second-order gradient runs; TF raises
it already when ``tf.gradients`` builds it. The beam search keeps probabilities in double
precision (TF: float32), so log probabilities differ in the last float bits and paths whose
probabilities tie to float32 precision may be ranked differently; it runs in Python (about 1 s
per 100 frames x 100 beams x 30 classes).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import FailedPreconditionError, InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import _scope, dt_enum, node_desc, shape_list
from scopeflow.ops._op_builder import make_multi_op, make_op, shape_from_tensor
from scopeflow.ops.math_ops import cast
from scopeflow.ops.shape_ops import transpose
from scopeflow.ops.sparse_ops import SparseTensor, SparseTensorValue

_NEG_INF = -math.inf


def _dims(shape: TensorShape) -> list[int | None] | None:
    return None if shape._dims is None else [d.value for d in shape._dims]


def _check_rank(t: Tensor, rank: int) -> None:
    if t._shape.ndims is not None and t._shape.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {t._shape.ndims}")


# --- ctc_loss ----------------------------------------------------------------------------------


def ctc_loss(labels: Any, inputs: Any = None, sequence_length: Any = None,
             preprocess_collapse_repeated: bool = False, ctc_merge_repeated: bool = True,
             ignore_longer_outputs_than_inputs: bool = False, time_major: bool = True,
             logits: Any = None) -> Tensor:  # fmt: skip
    """The CTC loss ``-log p(labels | inputs)`` per batch entry (TF 1.x ``tf.nn.ctc_loss``).

    ``labels`` is an int32 ``SparseTensor`` (row ``b`` holds entry ``b``'s labels),
    ``inputs`` unnormalised logits ``[max_time, batch, num_classes]`` (``[batch, max_time,
    num_classes]`` with ``time_major=False``); class ``num_classes - 1`` is the blank.

    >>> import scopeflow.compat.v1 as tf
    >>> labels = tf.SparseTensor([[0, 0], [0, 1]], [1, 2], [1, 2])
    >>> loss = tf.nn.ctc_loss(labels, tf.zeros([5, 1, 4]), [5])
    >>> print(loss.name, loss.shape)
    CTCLoss:0 (1,)
    """
    if not isinstance(labels, SparseTensor):
        raise TypeError(
            f"Expected argument `labels` to be a SparseTensor. Received labels={labels} of "
            f"type: {type(labels).__name__}"
        )
    if logits is not None and inputs is not None:
        raise ValueError("Cannot specify both 'logits' and 'inputs'")
    x = convert_to_tensor(logits if inputs is None else inputs, name="logits")
    if not time_major:
        x = transpose(x, [1, 0, 2])
    orig = x._dtype.base_dtype
    if orig in (dtypes.float16, dtypes.bfloat16):
        x = cast(x, dtypes.float32)
    scope = _scope(None, "CTCLoss")
    seq = convert_to_tensor(sequence_length, dtype=dtypes.int32, name=scope + "sequence_length/")
    values = labels.values
    if values._dtype.base_dtype != dtypes.int32:
        raise TypeError(
            f"Input 'labels_values' of 'CTCLoss' Op has type {values._dtype.base_dtype.name} "
            "that does not match expected type of int32."
        )
    ins = (x, labels.indices, values, seq)
    attrs: dict[str, Any] = {
        "preprocess_collapse_repeated": bool(preprocess_collapse_repeated),
        "ctc_merge_repeated": bool(ctc_merge_repeated),
        "ignore_longer_outputs_than_inputs": bool(ignore_longer_outputs_than_inputs),
        "T": x._dtype.base_dtype,
    }
    for t, rank in zip(ins, (3, 2, 1, 1), strict=True):
        if t._shape.ndims is not None and t._shape.ndims != rank:
            text = ", ".join(
                f"{k}={dt_enum(v) if k == 'T' else str(v).lower()}"
                for k, v in sorted(attrs.items())
            )
            raise ValueError(
                f"Shape must be rank {rank} but is rank {t._shape.ndims} for "
                f"{node_desc(scope, 'CTCLoss', text, list(ins))} with input shapes: "
                f"{', '.join(shape_list(i) for i in ins)}."
            )
    dims = _dims(x._shape) or [None, None, None]
    batch = dims[1]
    seq_dims = _dims(seq._shape)
    if batch is None and seq_dims is not None:
        batch = seq_dims[0]
    dt = x._dtype.base_dtype
    op = make_multi_op("CTCLoss", (x, labels.indices, values, seq), attrs, scope, (dt, dt),
                       (TensorShape([batch]), TensorShape([dims[0], batch, dims[2]])))  # fmt: skip
    loss = op.outputs[0]
    if orig in (dtypes.float16, dtypes.bfloat16):
        loss = cast(loss, orig)
    return loss


def _label_lists(op: Any, indices: torch.Tensor, values: torch.Tensor, batch: int
                 ) -> list[list[int]]:  # fmt: skip
    if indices.dim() != 2:
        raise InvalidArgumentError(None, op, "labels_indices is not a matrix")
    if indices.shape[0] != values.shape[0]:
        raise InvalidArgumentError(
            None, op, "labels_indices and labels_values must contain the same number of rows, "
            f"but saw shapes: [{','.join(map(str, indices.shape))}] vs. "
            f"[{','.join(map(str, values.shape))}]",
        )  # fmt: skip
    rows = indices.tolist()
    shape = [batch, max((ix[1] + 1 for ix in rows), default=0)]
    out: list[list[int]] = [[] for _ in range(batch)]
    prev: list[int] | None = None
    for i, (ix, v) in enumerate(zip(rows, values.tolist(), strict=True)):
        where = f"indices[{i}] = [{','.join(map(str, ix))}]"
        if any(not 0 <= a < n for a, n in zip(ix, shape, strict=True)):
            _bad_labels(op, f"{where} is out of bounds: need 0 <= index < "
                        f"[{','.join(map(str, shape))}]")  # fmt: skip
        if prev is not None and ix == prev:
            _bad_labels(op, f"{where} is repeated")
        if prev is not None and ix < prev:
            _bad_labels(
                op, f"{where} is out of order. Many sparse ops require sorted indices.\n    Use "
                "`tf.sparse.reorder` to create a correctly ordered copy.\n\n",
            )  # fmt: skip
        prev = ix
        out[ix[0]].append(v)
    return out


def _bad_labels(op: Any, text: str) -> None:
    raise InvalidArgumentError(None, op, f"label SparseTensor is not valid: {text}")


def _prepare_labels(op: Any, labels: list[list[int]], seq: list[int], num_classes: int
                    ) -> list[list[int] | None]:  # fmt: skip
    """TF's ``PopulateLPrimes`` checks; ``None`` for entries whose loss is 0."""
    attrs = op._attrs
    collapse, ignore = (
        attrs["preprocess_collapse_repeated"],
        attrs["ignore_longer_outputs_than_inputs"],
    )
    out: list[list[int] | None] = []
    for b, label in enumerate(labels):
        if not label:
            raise InvalidArgumentError(None, op, f"Labels length is zero in batch {b}")
        lab: list[int] = []
        finished = False
        for i, v in enumerate(label):
            if i == 0 or not collapse or v != label[i - 1]:
                if v >= num_classes - 1:
                    finished = True
                elif finished:
                    raise InvalidArgumentError(
                        None, op, "Saw a non-null label (index >= num_classes - 1) following a "
                        f"null label, batch: {b} num_classes: {num_classes} labels: "
                        f"{','.join(map(str, label))} labels seen so far: "
                        f"{','.join(map(str, lab))}",
                    )  # fmt: skip
                else:
                    lab.append(v)
        if any(v < 0 for v in lab):
            raise InvalidArgumentError(
                None, op, f"All labels must be nonnegative integers, batch: {b} labels: "
                f"{','.join(map(str, lab))}",
            )  # fmt: skip
        if not ignore and len(label) > seq[b]:
            raise InvalidArgumentError(
                None, op, "Not enough time for target transition sequence (required: "
                f"{len(label)}, available: {seq[b]}){b}You can turn this error into a warning "
                "by using the flag ignore_longer_outputs_than_inputs",
            )  # fmt: skip
        skip = seq[b] == 0 or (ignore and len(label) > seq[b])
        out.append(None if skip else lab)
    return out


def _ctc_nll_no_merge(logp: torch.Tensor, label: list[int], blank: int) -> torch.Tensor:
    """``-log p`` for one sequence ``logp`` ``[T, C]`` without merging repeated labels."""
    lp = [blank]
    for v in label:
        lp += [v, blank]
    u_n = len(lp)
    idx = torch.tensor(lp)
    emit = logp[:, idx]  # [T, U]
    # A large finite "log 0" keeps logsumexp's gradient finite where every term is impossible.
    neg = torch.full((1,), -1e30, dtype=logp.dtype)
    is_blank = torch.tensor([v == blank for v in lp])
    alpha = torch.cat([emit[0, :2], neg.expand(max(u_n - 2, 0))])[:u_n]
    for t in range(1, logp.shape[0]):
        stay = torch.where(is_blank, alpha, neg.expand(u_n))
        step = torch.cat([neg, alpha[:-1]])
        skip = torch.cat([neg.expand(2), alpha[:-2]])[:u_n]
        skip = torch.where(is_blank, neg.expand(u_n), skip)
        alpha = torch.logsumexp(torch.stack([stay, step, skip]), 0) + emit[t]
    return -torch.logsumexp(alpha[-2:] if u_n > 1 else alpha, 0)


def _ctc_losses(x: torch.Tensor, labels: list[list[int] | None], seq: list[int], merge: bool
                ) -> torch.Tensor:  # fmt: skip
    """Differentiable per-entry loss of logits ``x`` ``[T, B, C]`` (0 for ``None`` labels)."""
    batch, num_classes = x.shape[1], x.shape[2]
    logp = torch.log_softmax(x, dim=2)
    losses = [x.new_zeros(())] * batch
    valid = [b for b in range(batch) if labels[b] is not None]
    if not valid:
        return torch.stack(losses) if batch else x.new_zeros((0,))
    if merge:
        sel = torch.tensor(valid)
        targets = torch.tensor([v for b in valid for v in labels[b] or []], dtype=torch.long)
        got = torch.nn.functional.ctc_loss(
            logp.index_select(1, sel), targets, torch.tensor([seq[b] for b in valid]),
            torch.tensor([len(labels[b] or []) for b in valid]), blank=num_classes - 1,
            reduction="none", zero_infinity=False,
        )  # fmt: skip
        for i, b in enumerate(valid):
            losses[b] = got[i]
    else:
        for b in valid:
            losses[b] = _ctc_nll_no_merge(logp[: seq[b], b], labels[b] or [], num_classes - 1)
    return torch.stack(losses)


class _CTCLossFn(torch.autograd.Function):
    """TF's fused op: the loss and its logits gradient; backward scales the saved gradient."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, fn: Callable[[torch.Tensor], torch.Tensor]
                ) -> tuple[torch.Tensor, torch.Tensor]:  # fmt: skip
        with torch.enable_grad():
            leaf = x.detach().requires_grad_(True)
            loss = fn(leaf)
            (grad,) = torch.autograd.grad(loss.sum(), leaf, allow_unused=True)
        grad = torch.zeros_like(x) if grad is None else grad
        ctx.save_for_backward(grad)
        ctx.logits = x
        ctx.mark_non_differentiable(grad)
        return loss.detach(), grad

    @staticmethod
    def backward(ctx: Any, grad_loss: torch.Tensor, _unused: Any) -> tuple[Any, None]:
        (grad,) = ctx.saved_tensors
        if torch.is_grad_enabled():  # recording for a second derivative: TF's PreventGradient
            grad = _PreventGradient.apply(grad, ctx.logits)
        return grad_loss[None, :, None] * grad, None


class _PreventGradient(torch.autograd.Function):
    """The saved logits gradient, tied to the logits; differentiating it raises TF's error."""

    @staticmethod
    def forward(ctx: Any, grad: torch.Tensor, logits: torch.Tensor) -> torch.Tensor:
        return grad.clone()

    @staticmethod
    def backward(ctx: Any, _grad: torch.Tensor) -> tuple[None, None]:
        raise LookupError(
            'Gradient explicitly disabled. Reason: b"Currently there is no way to take the second '
            " derivative of ctc_loss due to the fused implementation's interaction "
            ' with tf.gradients()"'
        )


@register_kernel("CTCLoss")
def _ctc_loss_kernel(op: Any, session: Any) -> Callable[..., Any]:
    merge = op._attrs["ctc_merge_repeated"]

    def kernel(x: Any, indices: Any, values: Any, seq_len: Any) -> Any:
        if x.dim() != 3:
            raise InvalidArgumentError(None, op, "inputs is not a 3-Tensor")
        if seq_len.dim() != 1:
            raise InvalidArgumentError(None, op, "sequence_length is not a vector")
        max_time, batch, num_classes = x.shape
        if seq_len.shape[0] != batch:
            raise InvalidArgumentError(
                None, op, f"len(sequence_length) != batch_size.  len(sequence_length):  "
                f"{seq_len.shape[0]} batch_size: {batch}",
            )  # fmt: skip
        if batch == 0:
            raise InvalidArgumentError(None, op, "batch_size must not be 0")
        seq = seq_len.tolist()
        for b, n in enumerate(seq):
            if n < 0:
                raise InvalidArgumentError(None, op, f"seq_len({b}) < 0")
            if n > max_time:
                raise InvalidArgumentError(None, op, f"sequence_length({b}) <= {max_time}")
        raw = _label_lists(op, indices, values, batch)
        labels = _prepare_labels(op, raw, seq, num_classes)
        return _CTCLossFn.apply(x, lambda leaf: _ctc_losses(leaf, labels, seq, merge))

    return kernel


# --- decoders ----------------------------------------------------------------------------------


def _decoder_inputs(inputs: Any, sequence_length: Any, scope: str) -> tuple[Tensor, Tensor]:
    x = convert_to_tensor(inputs, name=scope + "inputs/")
    if x._dtype.base_dtype not in (dtypes.float32, dtypes.float64):
        raise TypeError(
            f"Value passed to parameter 'inputs' has DataType {x._dtype.base_dtype.name} not in "
            "list of allowed values: float32, float64"
        )
    seq = convert_to_tensor(sequence_length, dtype=dtypes.int32, name=scope + "sequence_length/")
    _check_rank(x, 3)
    _check_rank(seq, 1)
    return x, seq


def _sparse_outputs(outs: list[Tensor], paths: int) -> list[SparseTensor]:
    result = []
    for p in range(paths):
        sp = SparseTensor.__new__(SparseTensor)
        sp._indices, sp._values, sp._dense_shape = outs[p], outs[paths + p], outs[2 * paths + p]
        result.append(sp)
    return result


def ctc_greedy_decoder(inputs: Any, sequence_length: Any, merge_repeated: bool = True,
                       blank_index: int | None = None
                       ) -> tuple[list[SparseTensor], Tensor]:  # fmt: skip
    """Best-path decoding: ``([decoded], neg_sum_logits)`` (``tf.nn.ctc_greedy_decoder``).

    >>> import scopeflow.compat.v1 as tf
    >>> (d,), lp = tf.nn.ctc_greedy_decoder(tf.zeros([4, 2, 3]), [4, 3])
    >>> print(d.indices.name, lp.shape)
    CTCGreedyDecoder:0 (2, 1)
    """
    scope = _scope(None, "CTCGreedyDecoder")
    x, seq = _decoder_inputs(inputs, sequence_length, scope)
    dims = _dims(x._shape) or [None, None, None]
    attrs = {"merge_repeated": bool(merge_repeated),
             "blank_index": -1 if blank_index is None else int(blank_index),
             "T": x._dtype.base_dtype}  # fmt: skip
    op = make_multi_op(
        "CTCGreedyDecoder", (x, seq), attrs, scope,
        (dtypes.int64, dtypes.int64, dtypes.int64, x._dtype.base_dtype),
        (TensorShape([None, 2]), TensorShape([None]), TensorShape([2]),
         TensorShape([dims[1], 1])),
    )  # fmt: skip
    outs = list(op.outputs)
    return _sparse_outputs(outs[:3], 1), outs[3]


def ctc_beam_search_decoder(inputs: Any, sequence_length: Any, beam_width: int = 100,
                            top_paths: int = 1, merge_repeated: bool = True
                            ) -> tuple[list[SparseTensor], Tensor]:  # fmt: skip
    """Beam search decoding: ``(top_paths decoded SparseTensors, log_probabilities)``.

    TF 1.x signature (``tf.nn.ctc_beam_search_decoder``); ``log_probabilities`` is
    ``[batch, top_paths]``.
    """
    scope = _scope(None, "CTCBeamSearchDecoder")
    if int(beam_width) < 1:
        raise ValueError(
            f"Attr 'beam_width' of 'CTCBeamSearchDecoder' Op passed {int(beam_width)} less than "
            "minimum 1."
        )
    if int(top_paths) < 1:
        raise ValueError(
            f"Attr 'top_paths' of 'CTCBeamSearchDecoder' Op passed {int(top_paths)} less than "
            "minimum 1."
        )
    x, seq = _decoder_inputs(inputs, sequence_length, scope)
    dims = _dims(x._shape) or [None, None, None]
    n = int(top_paths)
    attrs = {"beam_width": int(beam_width), "top_paths": n,
             "merge_repeated": bool(merge_repeated), "T": x._dtype.base_dtype}  # fmt: skip
    dts = [dtypes.int64] * (3 * n) + [x._dtype.base_dtype]
    shapes = ([TensorShape([None, 2])] * n + [TensorShape([None])] * n + [TensorShape([2])] * n
              + [TensorShape([dims[1], n])])  # fmt: skip
    op = make_multi_op("CTCBeamSearchDecoder", (x, seq), attrs, scope, dts, shapes)
    outs = list(op.outputs)
    return _sparse_outputs(outs[: 3 * n], n), outs[3 * n]


def ctc_beam_search_decoder_v2(inputs: Any, sequence_length: Any, beam_width: int = 100,
                               top_paths: int = 1
                               ) -> tuple[list[SparseTensor], Tensor]:  # fmt: skip
    """``ctc_beam_search_decoder`` with ``merge_repeated=False`` (TF 2's signature)."""
    return ctc_beam_search_decoder(inputs, sequence_length, beam_width=beam_width,
                                   top_paths=top_paths, merge_repeated=False)  # fmt: skip


def _validate_decoder(op: Any, x: Any, seq_len: Any) -> list[int]:
    if x.dim() != 3:
        raise InvalidArgumentError(None, op, "inputs is not a 3-Tensor")
    if x.numel() == 0:
        raise InvalidArgumentError(None, op, "inputs must not be empty")
    max_time, batch = x.shape[0], x.shape[1]
    if seq_len.dim() != 1:
        raise InvalidArgumentError(None, op, "sequence_length is not a vector")
    if seq_len.shape[0] != batch:
        raise FailedPreconditionError(
            None, op, f"len(sequence_length) != batch_size.  len(sequence_length):  "
            f"{seq_len.shape[0]} batch_size: {batch}",
        )  # fmt: skip
    seq = seq_len.tolist()
    for b, n in enumerate(seq):
        if not n <= max_time:
            raise FailedPreconditionError(None, op, f"sequence_length({b}) <= {max_time}")
    return seq


def _store(paths: list[list[list[int]]], top: int, batch: int) -> list[torch.Tensor]:
    """``StoreAllDecodedSequences``: per path the indices, values and dense shape."""
    ind, val, shp = [], [], []
    for p in range(top):
        rows = [(b, t) for b in range(batch) for t in range(len(paths[b][p]))]
        ind.append(torch.tensor(rows, dtype=torch.int64).reshape(-1, 2))
        val.append(torch.tensor([v for b in range(batch) for v in paths[b][p]], dtype=torch.int64))
        shp.append(torch.tensor([batch, max((len(paths[b][p]) for b in range(batch)), default=0)],
                                dtype=torch.int64))  # fmt: skip
    return ind + val + shp


@register_kernel("CTCGreedyDecoder")
def _greedy_kernel(op: Any, session: Any) -> Callable[..., Any]:
    merge, blank_attr = op._attrs["merge_repeated"], op._attrs["blank_index"]

    def kernel(x: Any, seq_len: Any) -> Any:
        seq = _validate_decoder(op, x, seq_len)
        _, batch, num_classes = x.shape
        blank = num_classes + blank_attr if blank_attr < 0 else blank_attr
        if not 0 <= blank < num_classes:
            raise InvalidArgumentError(
                None, op, f"blank_index expected to be between {-num_classes} and "
                f"{num_classes - 1} but was {blank_attr}",
            )  # fmt: skip
        arr = x.detach().numpy()
        np_dt = arr.dtype.type
        paths: list[list[list[int]]] = []
        log_prob = np.zeros((batch, 1), dtype=arr.dtype)
        for b in range(batch):
            seqv: list[int] = []
            prev = -1
            acc = np_dt(0)
            for t in range(seq[b]):
                row = arr[t, b]
                k = int(np.argmax(row))  # first maximum, as TF's RowMax
                acc = np_dt(acc + np_dt(-row[k]))
                if k != blank and not (merge and k == prev):
                    seqv.append(k)
                prev = k
            log_prob[b, 0] = acc
            paths.append([seqv])
        return (*_store(paths, 1, batch), torch.from_numpy(log_prob))

    return kernel


class _Prob:
    __slots__ = ("blank", "label", "total")

    def __init__(self) -> None:
        self.total = self.blank = self.label = _NEG_INF

    def copy_from(self, other: _Prob) -> None:
        self.total, self.blank, self.label = other.total, other.blank, other.label

    def reset(self) -> None:
        self.total = self.blank = self.label = _NEG_INF


class _Entry:
    """TF's ``BeamEntry``: a prefix-tree node with its old and new probabilities."""

    __slots__ = ("children", "label", "newp", "oldp", "parent")

    def __init__(self, parent: _Entry | None, label: int) -> None:
        self.parent, self.label = parent, label
        self.children: dict[int, _Entry] = {}
        self.newp, self.oldp = _Prob(), _Prob()

    def child(self, label: int) -> _Entry:
        c = self.children.get(label)
        if c is None:
            c = self.children[label] = _Entry(self, label)
        return c

    def active(self) -> bool:
        return self.newp.total != _NEG_INF

    def label_seq(self, merge_repeated: bool) -> list[int]:
        labels: list[int] = []
        prev = -1
        c: _Entry | None = self
        while c is not None and c.parent is not None:
            if not merge_repeated or c.label != prev:
                labels.append(c.label)
            prev = c.label
            c = c.parent
        return labels[::-1]


def _log_sum_exp(a: float, b: float) -> float:
    if a == _NEG_INF:
        return b
    if b == _NEG_INF:
        return a
    return a + math.log1p(math.exp(b - a)) if a > b else b + math.log1p(math.exp(a - b))


def _beam_search(frames: np.ndarray, beam_width: int, top: int, merge: bool, op: Any
                 ) -> tuple[list[list[int]], list[float]]:  # fmt: skip
    num_classes = frames.shape[1] if frames.ndim == 2 else 0
    blank = num_classes - 1
    root = _Entry(None, -1)
    root.newp.total = root.newp.blank = 0.0
    leaves: list[_Entry] = [root]
    for row32 in frames:
        mx = row32.max()
        norm = float(mx + np.log(np.exp(row32 - mx, dtype=row32.dtype).sum(dtype=row32.dtype)))
        row = row32.tolist()
        branches = sorted(leaves, key=lambda e: e.newp.total, reverse=True)
        leaves = []
        for e in branches:
            e.oldp.copy_from(e.newp)
        for e in branches:
            if e.parent is not None:
                if e.parent.active():
                    prev = e.parent.oldp.blank if e.label == e.parent.label else e.parent.oldp.total
                    e.newp.label = _log_sum_exp(e.newp.label, prev)
                e.newp.label += row[e.label] - norm
            e.newp.blank = e.oldp.total + row[blank] - norm
            e.newp.total = _log_sum_exp(e.newp.blank, e.newp.label)
            leaves.append(e)
        for e in branches:
            if not _candidate(e.oldp.total, leaves, beam_width):
                continue
            for label in range(num_classes - 1):
                c = e.child(label)
                if c.active():
                    continue
                c.newp.blank = _NEG_INF
                prev = e.oldp.blank if c.label == e.label else e.oldp.total
                c.newp.label = row[label] - norm + prev
                c.newp.total = c.newp.label
                if _candidate(c.newp.total, leaves, beam_width):
                    if len(leaves) == beam_width:
                        bottom = min(leaves, key=lambda x: x.newp.total)
                        bottom.newp.reset()
                        leaves.remove(bottom)
                    leaves.append(c)
                else:
                    c.oldp.reset()
                    c.newp.reset()
    if top > beam_width:
        raise InvalidArgumentError(None, op, "requested more paths than the beam width.")
    if top > len(leaves):
        raise InvalidArgumentError(None, op, "Less leaves in the beam search than requested.")
    best = sorted(leaves, key=lambda e: e.newp.total, reverse=True)[:top]
    return [e.label_seq(merge) for e in best], [e.newp.total for e in best]


def _candidate(total: float, leaves: list[_Entry], beam_width: int) -> bool:
    return total > _NEG_INF and (
        len(leaves) < beam_width or total > min(e.newp.total for e in leaves)
    )


@register_kernel("CTCBeamSearchDecoder")
def _beam_kernel(op: Any, session: Any) -> Callable[..., Any]:
    attrs = op._attrs
    width, top, merge = attrs["beam_width"], attrs["top_paths"], attrs["merge_repeated"]

    def kernel(x: Any, seq_len: Any) -> Any:
        seq = _validate_decoder(op, x, seq_len)
        batch = x.shape[1]
        arr = x.detach().numpy()
        paths, log_probs = [], np.zeros((batch, top), dtype=arr.dtype)
        for b in range(batch):
            p, lp = _beam_search(arr[: seq[b], b], width, top, merge, op)
            paths.append(p)
            log_probs[b] = lp
        return (*_store(paths, top, batch), torch.from_numpy(log_probs))

    return kernel


# --- edit_distance -----------------------------------------------------------------------------


def edit_distance(hypothesis: Any, truth: Any, normalize: bool = True,
                  name: str = "edit_distance") -> Tensor:  # fmt: skip
    """Levenshtein distances between the sequences of two ``SparseTensor`` s (last dimension).

    >>> import scopeflow.compat.v1 as tf
    >>> h = tf.SparseTensor([[0, 0], [0, 1]], ["a", "b"], [1, 2])
    >>> t = tf.SparseTensor([[0, 0]], ["a"], [1, 1])
    >>> print(tf.edit_distance(h, t).shape)
    (1,)
    """
    for arg, what in ((hypothesis, "Hypothesis"), (truth, "Truth")):
        if not isinstance(arg, SparseTensor | SparseTensorValue):
            raise TypeError(f"{what} must be a SparseTensor.")
    hyp = hypothesis if isinstance(hypothesis, SparseTensor) else SparseTensor.from_value(
        hypothesis)  # fmt: skip
    tru = truth if isinstance(truth, SparseTensor) else SparseTensor.from_value(truth)
    scope = _scope(name, "EditDistance")
    if hyp.values._dtype.base_dtype != tru.values._dtype.base_dtype:
        raise TypeError(
            f"Input 'truth_values' of 'EditDistance' Op has type "
            f"{tru.values._dtype.base_dtype.name} that does not match type "
            f"{hyp.values._dtype.base_dtype.name} of argument 'hypothesis_values'."
        )
    hs, ts = shape_from_tensor(hyp.dense_shape), shape_from_tensor(tru.dense_shape)
    out = TensorShape(None)
    if hs._dims is not None and ts._dims is not None and hs.ndims == ts.ndims:
        out = TensorShape([
            None if a.value is None or b.value is None else max(a.value, b.value)
            for a, b in zip(hs._dims[:-1], ts._dims[:-1], strict=True)
        ])  # fmt: skip
    return make_op(
        "EditDistance",
        (hyp.indices, hyp.values, hyp.dense_shape, tru.indices, tru.values, tru.dense_shape),
        {"normalize": bool(normalize), "T": hyp.values._dtype.base_dtype}, scope,
        dtypes.float32, out,
    )  # fmt: skip


def _levenshtein(a: list[Any], b: list[Any]) -> int:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def _groups(indices: np.ndarray, values: list[Any]) -> list[tuple[tuple[int, ...], list[Any]]]:
    out: list[tuple[tuple[int, ...], list[Any]]] = []
    for ix, v in zip(indices.tolist(), values, strict=True):
        g = tuple(ix[:-1])
        if out and out[-1][0] == g:
            out[-1][1].append(v)
        else:
            out.append((g, [v]))
    return out


def _as_list(v: Any) -> list[Any]:
    if isinstance(v, torch.Tensor):
        return v.tolist()
    return list(np.asarray(v).reshape(-1).tolist())


@register_kernel("EditDistance")
def _edit_distance_kernel(op: Any, session: Any) -> Callable[..., Any]:
    normalize = op._attrs["normalize"]

    def kernel(hi: Any, hv: Any, hs: Any, ti: Any, tv: Any, ts: Any) -> Any:
        hsh, tsh = [int(v) for v in _as_list(hs)], [int(v) for v in _as_list(ts)]
        if len(tsh) < 2:
            raise InvalidArgumentError(
                None, op, "Input SparseTensors must have rank at least 2, but truth_shape rank "
                f"is: {len(tsh)}",
            )  # fmt: skip
        if len(tsh) != len(hsh):
            raise InvalidArgumentError(
                None, op, "Expected truth and hypothesis to have matching ranks, but their "
                f"shapes are: [{len(tsh)}] and [{len(hsh)}]",
            )  # fmt: skip
        out_shape = [max(a, b) for a, b in zip(hsh[:-1], tsh[:-1], strict=True)]
        out = np.zeros(out_shape, dtype=np.float32)
        hyp = dict(_groups(np.asarray(_as_list(hi)).reshape(-1, len(hsh)), _as_list(hv)))
        tru = dict(_groups(np.asarray(_as_list(ti)).reshape(-1, len(tsh)), _as_list(tv)))
        with np.errstate(divide="ignore", invalid="ignore"):
            for g in set(hyp) | set(tru):
                h, t = hyp.get(g), tru.get(g)
                if h is not None and t is not None:
                    d = np.float32(_levenshtein(t, h))
                    out[g] = d / np.float32(len(t)) if normalize else d
                elif h is not None:
                    out[g] = np.float32(len(h)) / np.float32(0.0) if normalize else len(h)
                else:
                    out[g] = 1.0 if normalize else len(t or [])
        return torch.from_numpy(out)

    return kernel


__all__ = [
    "ctc_beam_search_decoder",
    "ctc_beam_search_decoder_v2",
    "ctc_greedy_decoder",
    "ctc_loss",
    "edit_distance",
]
