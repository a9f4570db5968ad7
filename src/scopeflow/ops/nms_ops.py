"""Non-maximum suppression: ``tf.image.non_max_suppression*`` (``NonMaxSuppressionV2``..``V5``).

The kernel follows TF's ``DoNonMaxSuppressionOp``: candidates with ``score > score_threshold``
are taken from a priority queue (highest score first, lower box index first on ties); a
candidate is compared with the already selected boxes newest first (only those selected since
it was last compared); with ``soft_nms_sigma == 0`` an IoU above ``iou_threshold`` drops it,
with ``soft_nms_sigma > 0`` its score is multiplied by ``exp(-0.5 * iou^2 / sigma)`` and it
goes back to the queue while above ``score_threshold``. IoU uses each box's min/max corners
(either corner order) and is 0 for an empty box; all arithmetic is float32 as in TF's kernel.

Differences from TensorFlow: float16 boxes and scores are computed in float32 (TF's half kernel
computes in half precision), so near-threshold float16 results may differ.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import heapq
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import make_multi_op
from scopeflow.ops._shape_inference import node_error

_FLOATS = (dtypes.float16, dtypes.float32)


def _iou_matrix(boxes: np.ndarray) -> np.ndarray:
    b = boxes.astype(np.float32)
    ymin = np.minimum(b[:, 0], b[:, 2])
    xmin = np.minimum(b[:, 1], b[:, 3])
    ymax = np.maximum(b[:, 0], b[:, 2])
    xmax = np.maximum(b[:, 1], b[:, 3])
    area = (ymax - ymin) * (xmax - xmin)
    iy = np.maximum(np.minimum(ymax[:, None], ymax[None]) - np.maximum(ymin[:, None], ymin[None]),
                    np.float32(0))  # fmt: skip
    ix = np.maximum(np.minimum(xmax[:, None], xmax[None]) - np.maximum(xmin[:, None], xmin[None]),
                    np.float32(0))  # fmt: skip
    inter = iy * ix
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = inter / (area[:, None] + area[None] - inter)
    empty = (area[:, None] <= 0) | (area[None] <= 0)
    return np.where(empty, np.float32(0), iou).astype(np.float32)


def nms(
    boxes: np.ndarray,
    scores: np.ndarray,
    max_output_size: int,
    iou_threshold: float,
    score_threshold: float,
    soft_nms_sigma: float,
) -> tuple[list[int], list[float]]:
    """TF's NMS on NumPy arrays: the selected box indices and their (soft-NMS) scores."""
    f32 = np.float32
    scores = scores.astype(f32)
    thr = f32(score_threshold)
    iou_thr = f32(iou_threshold)
    soft = soft_nms_sigma > 0
    scale = f32(-0.5) / f32(soft_nms_sigma) if soft else f32(0)
    iou = _iou_matrix(boxes) if len(scores) else np.zeros((0, 0), f32)
    heap = [(-float(s), i, 0, s) for i, s in enumerate(scores) if s > thr]
    heapq.heapify(heap)
    selected: list[int] = []
    sel_scores: list[float] = []
    while len(selected) < max_output_size and heap:
        _, i, begin, score = heapq.heappop(heap)
        original = score
        hard = False
        for j in range(len(selected) - 1, begin - 1, -1):
            sim = iou[i, selected[j]]
            weight = np.exp(scale * sim * sim, dtype=f32)
            score = f32(score * (weight if soft or sim <= iou_thr else f32(0)))
            if not soft and sim > iou_thr:
                hard = True
                break
            if score <= thr:
                break
        if hard:
            continue
        if score == original:
            selected.append(i)
            sel_scores.append(float(score))
        elif score > thr:
            heapq.heappush(heap, (-float(score), i, len(selected), score))
    return selected, sel_scores


def _nms_op(
    version: int,
    boxes: Any,
    scores: Any,
    max_output_size: Any,
    iou_threshold: Any,
    score_threshold: Any = None,
    soft_nms_sigma: Any = None,
    pad_to_max_output_size: bool = False,
    name: str | None = None,
) -> Operation:
    """The ``NonMaxSuppressionV<version>`` op (``name`` ending in ``/`` is used verbatim)."""
    op_type = f"NonMaxSuppressionV{version}"
    scope = _scope(name, op_type)
    b = convert_to_tensor(boxes, preferred_dtype=dtypes.float32, name=scope + "boxes/")
    if b._dtype.base_dtype not in _FLOATS:
        raise TypeError(f"Value passed to parameter 'boxes' has DataType {b._dtype.name} not in "
                        "list of allowed values: float16, float32")  # fmt: skip
    t = b._dtype.base_dtype
    s = convert_to_tensor(scores, dtype=t, name=scope + "scores/")
    m = convert_to_tensor(max_output_size, dtype=dtypes.int32, name=scope + "max_output_size/")
    thr_dtype = t if version == 5 else dtypes.float32
    ins = [b, s, m, convert_to_tensor(iou_threshold, dtype=thr_dtype,
                                      name=scope + "iou_threshold/")]  # fmt: skip
    if version >= 3:
        ins.append(convert_to_tensor(score_threshold, dtype=thr_dtype,
                                     name=scope + "score_threshold/"))  # fmt: skip
    if version == 5:
        ins.append(convert_to_tensor(soft_nms_sigma, dtype=t, name=scope + "soft_nms_sigma/"))
    attrs: dict[str, Any] = {"T": t}
    if version in (3, 4):
        attrs["T_threshold"] = dtypes.float32
    if version >= 4:
        attrs["pad_to_max_output_size"] = bool(pad_to_max_output_size)
    bs, ss = b._shape, s._shape
    if bs.dims is not None and len(bs.dims) != 2:
        raise node_error(f"Shape must be rank 2 but is rank {len(bs.dims)}", scope, op_type,
                         attrs, ins)  # fmt: skip
    if bs.dims is not None and bs.dims[1].value not in (None, 4):
        raise node_error(f"Dimension must be 4 but is {bs.dims[1].value}", scope, op_type,
                         attrs, ins)  # fmt: skip
    if ss.dims is not None and len(ss.dims) != 1:
        raise node_error(f"Shape must be rank 1 but is rank {len(ss.dims)}", scope, op_type,
                         attrs, ins)  # fmt: skip
    size = None
    if pad_to_max_output_size and m._const is not None:
        size = int(m._const)
    idx = TensorShape([size])
    if version == 4:
        return make_multi_op(op_type, ins, attrs, scope, (dtypes.int32, dtypes.int32),
                             (idx, TensorShape([])))  # fmt: skip
    if version == 5:
        return make_multi_op(op_type, ins, attrs, scope, (dtypes.int32, t, dtypes.int32),
                             (idx, idx, TensorShape([])))  # fmt: skip
    return make_multi_op(op_type, ins, attrs, scope, (dtypes.int32,), (idx,))


def non_max_suppression(boxes: Any, scores: Any, max_output_size: Any, iou_threshold: Any = 0.5,
                        score_threshold: Any = float("-inf"),
                        name: str | None = None) -> Tensor:  # fmt: skip
    """Indices of boxes kept by greedy NMS, best score first (``tf.image.non_max_suppression``).

    >>> import scopeflow.compat.v1 as tf
    >>> boxes = tf.constant([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 2, 1, 3]], tf.float32)
    >>> sel = tf.image.non_max_suppression(boxes, tf.constant([0.9, 0.8, 0.7]), 3)
    >>> print(sel.op.name, tf.Session().run(sel))
    non_max_suppression/NonMaxSuppressionV3 [0 2]
    """
    with get_default_graph().name_scope(name or "non_max_suppression"):
        iou = convert_to_tensor(iou_threshold, dtype=dtypes.float32, name="iou_threshold")
        st = convert_to_tensor(score_threshold, dtype=dtypes.float32, name="score_threshold")
        return _nms_op(3, boxes, scores, max_output_size, iou, st)._outputs[0]


def non_max_suppression_with_scores(boxes: Any, scores: Any, max_output_size: Any,
                                    iou_threshold: Any = 0.5,
                                    score_threshold: Any = float("-inf"),
                                    soft_nms_sigma: Any = 0.0,
                                    name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """NMS (Soft-NMS with ``soft_nms_sigma > 0``): ``(selected_indices, selected_scores)``.

    ``tf.image.non_max_suppression_with_scores``; op ``NonMaxSuppressionV5``.
    """
    with get_default_graph().name_scope(name or "non_max_suppression_with_scores"):
        iou = convert_to_tensor(iou_threshold, name="iou_threshold")
        st = convert_to_tensor(score_threshold, name="score_threshold")
        sig = convert_to_tensor(soft_nms_sigma, name="soft_nms_sigma")
        op = _nms_op(5, boxes, scores, max_output_size, iou, st, sig)
        return op._outputs[0], op._outputs[1]


def non_max_suppression_padded(boxes: Any, scores: Any, max_output_size: Any,
                               iou_threshold: Any = 0.5, score_threshold: Any = float("-inf"),
                               pad_to_max_output_size: bool = False,
                               name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """NMS returning ``(selected_indices, valid_outputs)``, optionally zero-padded.

    ``tf.image.non_max_suppression_padded`` as in TF 1.15: one ``NonMaxSuppressionV4`` op.

    Differences from TensorFlow: TF 2.x's batched implementation (``sorted_input``,
    ``canonicalized_coordinates``, ``tile_size``) is not provided.
    """
    with get_default_graph().name_scope(name or "non_max_suppression_padded"):
        iou = convert_to_tensor(iou_threshold, dtype=dtypes.float32, name="iou_threshold")
        st = convert_to_tensor(score_threshold, dtype=dtypes.float32, name="score_threshold")
        op = _nms_op(4, boxes, scores, max_output_size, iou, st,
                     pad_to_max_output_size=pad_to_max_output_size)  # fmt: skip
        return op._outputs[0], op._outputs[1]


def _nms_kernel(version: int) -> Any:
    def factory(op: Operation, session: Any) -> Any:
        pad = bool(op._attrs.get("pad_to_max_output_size", False))

        def kernel(boxes: torch.Tensor, scores: torch.Tensor, max_out: torch.Tensor,
                   iou: torch.Tensor, *rest: torch.Tensor) -> Any:  # fmt: skip
            b = boxes.detach().cpu().float().numpy()
            s = scores.detach().cpu().float().numpy()
            if b.ndim != 2 or b.shape[1] != 4:
                raise InvalidArgumentError(
                    None, op, f"boxes must be of shape [num_boxes, 4]: {list(b.shape)}"
                )
            if s.ndim != 1 or s.shape[0] != b.shape[0]:
                raise InvalidArgumentError(
                    None, op, f"scores has incompatible shape {list(s.shape)}"
                )
            m = int(max_out)
            if m < 0:
                raise InvalidArgumentError(None, op, "max_output_size must be non-negative")
            iou_t = float(iou)
            if not 0 <= iou_t <= 1:
                raise InvalidArgumentError(None, op, "iou_threshold must be in [0, 1]")
            thr = float(rest[0]) if rest else float("-inf")
            sigma = float(rest[1]) if len(rest) > 1 else 0.0
            if sigma < 0:
                raise InvalidArgumentError(None, op, "soft_nms_sigma must be non-negative")
            sel, sc = nms(b, s, m, iou_t, thr, sigma)
            valid = len(sel)
            if pad:
                sel = sel + [0] * (m - valid)
                sc = sc + [0.0] * (m - valid)
            idx = torch.tensor(sel, dtype=torch.int32)
            n = torch.tensor(valid, dtype=torch.int32)
            if version == 4:
                return idx, n
            if version == 5:
                return idx, torch.tensor(sc, dtype=scores.dtype), n
            return idx

        return kernel

    return factory


for _v in (2, 3, 4, 5):
    register_kernel(f"NonMaxSuppressionV{_v}")(_nms_kernel(_v))

__all__ = [
    "non_max_suppression",
    "non_max_suppression_padded",
    "non_max_suppression_with_scores",
]
