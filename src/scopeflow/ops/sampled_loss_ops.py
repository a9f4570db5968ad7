"""``tf.nn.nce_loss``, ``tf.nn.sampled_softmax_loss`` (TF 1.15's ``nn_impl``), ``sparse_to_dense``.

Both losses are TF's ``_compute_sampled_logits`` op for op: the true and sampled classes
(``log_uniform_candidate_sampler(unique=True)`` unless ``sampled_values`` is given, all three
outputs through ``stop_gradient``) are looked up in one ``embedding_lookup`` of the (possibly
sharded) weights and biases; true logits are row-wise dot products summed by a matmul with ones
(``_sum_rows``), sampled logits a matmul; accidental hits get ``-FLT_MAX`` through
``SparseToDense``; ``log(expected_count)`` is subtracted. ``nce_loss`` sums the rows of the
sigmoid cross entropy against labels ``1 / num_true``; ``sampled_softmax_loss`` is the softmax
cross entropy against them. Values and gradients are TF's; the weights' gradient is an
``IndexedSlices`` when the weights are one table (a list of shards gets a dense one, see
``embedding_lookup``).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import _scope, name_scope
from scopeflow.ops._op_builder import make_op, shape_from_tensor
from scopeflow.ops.array_ops import (
    concat,
    ones,
    ones_like,
    reshape,
    shape,
    slice,
    stack,
    zeros_like,
)
from scopeflow.ops.candidate_sampler_ops import (
    compute_accidental_hits,
    log_uniform_candidate_sampler,
)
from scopeflow.ops.embedding_ops import embedding_lookup
from scopeflow.ops.gradients_impl import stop_gradient
from scopeflow.ops.math_ops import cast, multiply
from scopeflow.ops.matmul_ops import matmul
from scopeflow.ops.nn_loss_ops import (
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
)
from scopeflow.ops.shape_ops import expand_dims
from scopeflow.ops.unary_ops import log


def sparse_to_dense(sparse_indices: Any, output_shape: Any, sparse_values: Any,
                    default_value: Any = 0, validate_indices: bool = True,
                    name: str | None = None) -> Tensor:  # fmt: skip
    """A dense tensor of ``output_shape`` with ``sparse_values`` at ``sparse_indices``.

    >>> import scopeflow.compat.v1 as tf
    >>> d = tf.sparse_to_dense([[0, 1], [2, 0]], [3, 2], [5.0, 6.0])
    >>> print(d.name, d.shape)
    SparseToDense:0 (3, 2)
    """
    scope = _scope(name, "SparseToDense")
    idx = convert_to_tensor(sparse_indices, name=scope + "sparse_indices/")
    if idx._dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(
            f"Value passed to parameter 'sparse_indices' has DataType {idx._dtype.name} not in "
            "list of allowed values: int32, int64"
        )
    shp = convert_to_tensor(output_shape, dtype=idx._dtype.base_dtype,
                            name=scope + "output_shape/")  # fmt: skip
    vals = convert_to_tensor(sparse_values, name=scope + "sparse_values/")
    dt = vals._dtype.base_dtype
    default = convert_to_tensor(default_value, dtype=dt, name=scope + "default_value/")
    attrs = {"T": dt, "Tindices": idx._dtype.base_dtype, "validate_indices": bool(validate_indices)}
    return make_op("SparseToDense", (idx, shp, vals, default), attrs, scope, dt,
                   shape_from_tensor(shp))  # fmt: skip


def _sum_rows(x: Tensor) -> Tensor:
    cols = shape(x)[1]
    return reshape(matmul(x, ones(stack([cols, 1]), x.dtype)), [-1])


def _weight_list(weights: Any) -> list[Any]:
    if hasattr(weights, "_get_variable_list"):
        return list(weights)
    return list(weights) if isinstance(weights, list) else [weights]


def _compute_sampled_logits(weights: Any, biases: Any, labels: Any, inputs: Any,
                            num_sampled: int, num_classes: int, num_true: int = 1,
                            sampled_values: Any = None, subtract_log_q: bool = True,
                            remove_accidental_hits: bool = False,
                            partition_strategy: str = "mod", name: str | None = None,
                            seed: int | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    weights = _weight_list(weights)
    with name_scope(_scope(name, "compute_sampled_logits")):
        labels = convert_to_tensor(labels)
        inputs = convert_to_tensor(inputs)
        if labels.dtype != dtypes.int64:
            labels = cast(labels, dtypes.int64)
        labels_flat = reshape(labels, [-1])
        if sampled_values is None:
            sampled_values = log_uniform_candidate_sampler(
                true_classes=labels, num_true=num_true, num_sampled=num_sampled, unique=True,
                range_max=num_classes, seed=seed,
            )  # fmt: skip
        sampled, true_expected_count, sampled_expected_count = (
            stop_gradient(s) for s in sampled_values
        )
        sampled = cast(sampled, dtypes.int64)
        all_ids = concat([labels_flat, sampled], 0)
        all_w = embedding_lookup(weights, all_ids, partition_strategy=partition_strategy)
        if all_w.dtype != inputs.dtype:
            all_w = cast(all_w, inputs.dtype)
        true_w = slice(all_w, [0, 0], stack([shape(labels_flat)[0], -1]))
        sampled_w = slice(all_w, stack([shape(labels_flat)[0], 0]), [-1, -1])
        sampled_logits = matmul(inputs, sampled_w, transpose_b=True)
        all_b = embedding_lookup(biases, all_ids, partition_strategy=partition_strategy)
        if all_b.dtype != inputs.dtype:
            all_b = cast(all_b, inputs.dtype)
        true_b = slice(all_b, [0], shape(labels_flat))
        sampled_b = slice(all_b, shape(labels_flat), [-1])
        dim = shape(true_w)[1:2]
        new_true_w_shape = concat([[-1, num_true], dim], 0)
        row_wise_dots = multiply(expand_dims(inputs, 1), reshape(true_w, new_true_w_shape))
        dots_as_matrix = reshape(row_wise_dots, concat([[-1], dim], 0))
        true_logits = reshape(_sum_rows(dots_as_matrix), [-1, num_true])
        true_b = reshape(true_b, [-1, num_true])
        true_logits += true_b
        sampled_logits += sampled_b
        if remove_accidental_hits:
            acc_indices, acc_ids, acc_weights = compute_accidental_hits(
                labels, sampled, num_true=num_true
            )
            acc_indices_2d = reshape(acc_indices, [-1, 1])
            acc_ids_2d_int32 = reshape(cast(acc_ids, dtypes.int32), [-1, 1])
            sparse_indices = concat([acc_indices_2d, acc_ids_2d_int32], 1, "sparse_indices")
            sampled_logits_shape = concat([shape(labels)[:1], expand_dims(num_sampled, 0)], 0)
            if sampled_logits.dtype != acc_weights.dtype:
                acc_weights = cast(acc_weights, sampled_logits.dtype)
            sampled_logits += sparse_to_dense(
                sparse_indices, sampled_logits_shape, acc_weights, default_value=0.0,
                validate_indices=False,
            )  # fmt: skip
        if subtract_log_q:
            true_logits -= log(true_expected_count)
            sampled_logits -= log(sampled_expected_count)
        out_logits = concat([true_logits, sampled_logits], 1)
        out_labels = concat([ones_like(true_logits) / num_true, zeros_like(sampled_logits)], 1)
        return out_logits, out_labels


def nce_loss(weights: Any, biases: Any, labels: Any, inputs: Any, num_sampled: int,
             num_classes: int, num_true: int = 1, sampled_values: Any = None,
             remove_accidental_hits: bool = False, partition_strategy: str = "mod",
             name: str = "nce_loss") -> Tensor:  # fmt: skip
    """The noise-contrastive estimation loss per example, ``[batch_size]`` (TF 1.x signature).

    ``weights`` is ``[num_classes, dim]`` (or a list of shards / a ``PartitionedVariable``),
    ``labels`` ``[batch_size, num_true]`` class ids, ``inputs`` ``[batch_size, dim]``.

    >>> import scopeflow.compat.v1 as tf
    >>> loss = tf.nn.nce_loss(tf.zeros([50, 8]), tf.zeros([50]), tf.zeros([4, 1], tf.int64),
    ...                       tf.zeros([4, 8]), num_sampled=5, num_classes=50)
    >>> print(loss.name, loss.shape)
    Reshape:0 (4,)
    """
    logits, labels = _compute_sampled_logits(
        weights=weights, biases=biases, labels=labels, inputs=inputs, num_sampled=num_sampled,
        num_classes=num_classes, num_true=num_true, sampled_values=sampled_values,
        subtract_log_q=True, remove_accidental_hits=remove_accidental_hits,
        partition_strategy=partition_strategy, name=name,
    )  # fmt: skip
    sampled_losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits,
                                                       name="sampled_losses")  # fmt: skip
    return _sum_rows(sampled_losses)


def sampled_softmax_loss(weights: Any, biases: Any, labels: Any, inputs: Any, num_sampled: int,
                         num_classes: int, num_true: int = 1, sampled_values: Any = None,
                         remove_accidental_hits: bool = True, partition_strategy: str = "mod",
                         name: str = "sampled_softmax_loss", seed: int | None = None
                         ) -> Tensor:  # fmt: skip
    """The sampled softmax training loss per example, ``[batch_size]`` (TF 1.x signature)."""
    logits, labels = _compute_sampled_logits(
        weights=weights, biases=biases, labels=labels, inputs=inputs, num_sampled=num_sampled,
        num_classes=num_classes, num_true=num_true, sampled_values=sampled_values,
        subtract_log_q=True, remove_accidental_hits=remove_accidental_hits,
        partition_strategy=partition_strategy, name=name, seed=seed,
    )  # fmt: skip
    labels = stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)


__all__ = ["nce_loss", "sampled_softmax_loss", "sparse_to_dense"]
