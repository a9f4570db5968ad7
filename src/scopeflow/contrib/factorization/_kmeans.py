"""``tf.contrib.factorization.KMeans``: TF 1.15's k-means training graph, op for op.

Follows TF 1.15's ``contrib/factorization/python/ops/clustering_ops.py`` (the algorithm TF 2
keeps as ``tensorflow/python/ops/clustering_ops.py``): variables ``clusters`` (shape set by the
first assignment, ``validate_shape=False``), ``initialized`` and, for mini-batch training, the
per-cluster counts; ``training_graph()`` returns TF 1.15's seven-tuple ``(all_scores,
cluster_idx, scores, cluster_centers_initialized, cluster_centers_var, init_op, training_op)``.
Distances are squared Euclidean (``|x|^2 - 2 x.c + |c|^2``) or cosine (``1 - x.c`` on
L2-normalised rows); nearest centers come from the ``NearestNeighbors`` op (cosine: half its
squared distance). Initial centers: ``RANDOM_INIT`` (rows picked by a seeded int64
``random_uniform``), a tensor of centers or a callable. Full-batch training replaces each center
by the mean of its points; mini-batch training moves it by ``1/count`` per point (optionally
accumulating ``mini_batch_steps_per_iteration`` steps in ``clusters_updated``).

Differences from TensorFlow: ``KMEANS_PLUS_PLUS_INIT`` and ``KMC2_INIT`` (C++ samplers on
TF's ``SimplePhilox`` generator) raise ``UnsupportedError``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops.array_ops import (
    concat,
    identity,
    ones,
    ones_like,
    placeholder_with_default,
    rank,
    reshape,
    shape,
    size,
    zeros,
    zeros_like,
)
from scopeflow.ops.check_ops import assert_equal, assert_positive
from scopeflow.ops.clustering_ops import nearest_neighbors
from scopeflow.ops.control_flow_ops import cond
from scopeflow.ops.embedding_ops import embedding_lookup
from scopeflow.ops.gather_scatter_ops import gather, unique
from scopeflow.ops.math_ops import cast, equal, less_equal
from scopeflow.ops.matmul_ops import add_n, matmul
from scopeflow.ops.normalization_ops import l2_normalize
from scopeflow.ops.random_ops import get_seed, random_uniform
from scopeflow.ops.reduction_ops import reduce_sum
from scopeflow.ops.shape_ops import squeeze, transpose
from scopeflow.ops.sparse_ops import unsorted_segment_sum
from scopeflow.ops.state_ops import assign, assign_sub, group, no_op
from scopeflow.ops.state_scatter_ops import scatter_add
from scopeflow.ops.unary_ops import reciprocal, square

SQUARED_EUCLIDEAN_DISTANCE = "squared_euclidean"
COSINE_DISTANCE = "cosine"
RANDOM_INIT = "random"
KMEANS_PLUS_PLUS_INIT = "kmeans_plus_plus"
KMC2_INIT = "kmc2"
CLUSTERS_VAR_NAME = "clusters"


class KMeans:
    """Creates the graph for k-means clustering (TF 1.15's ``KMeans``)."""

    def __init__(self, inputs: Any, num_clusters: Any, initial_clusters: Any = RANDOM_INIT,
                 distance_metric: str = SQUARED_EUCLIDEAN_DISTANCE,
                 use_mini_batch: bool = False, mini_batch_steps_per_iteration: int = 1,
                 random_seed: int = 0, kmeans_plus_plus_num_retries: int = 2,
                 kmc2_chain_length: int = 200) -> None:  # fmt: skip
        """Args are TF 1.15's.

        Raises:
            ValueError: an unknown ``distance_metric`` or ``initial_clusters`` string.
            UnsupportedError: ``KMEANS_PLUS_PLUS_INIT`` or ``KMC2_INIT``.
        """
        if isinstance(initial_clusters, str) and initial_clusters not in (
            RANDOM_INIT,
            KMEANS_PLUS_PLUS_INIT,
            KMC2_INIT,
        ):
            raise ValueError(f"Unsupported initialization algorithm '{initial_clusters}'")
        if distance_metric not in (SQUARED_EUCLIDEAN_DISTANCE, COSINE_DISTANCE):
            raise ValueError(f"Unsupported distance metric '{distance_metric}'")
        if initial_clusters in (KMEANS_PLUS_PLUS_INIT, KMC2_INIT):
            raise UnsupportedError(
                f"tf.contrib.factorization.KMeans(initial_clusters={initial_clusters!r})",
                "Its C++ sampler is not built; use RANDOM_INIT or pass the initial centers.",
            )
        self._inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        self._num_clusters = num_clusters
        self._initial_clusters = initial_clusters
        self._distance_metric = distance_metric
        self._use_mini_batch = use_mini_batch
        self._mini_batch_steps_per_iteration = int(mini_batch_steps_per_iteration)
        # TF: the graph-level seed when one is set (``get_seed(random_seed)[0]``)
        self._seed = get_seed(random_seed)[0]
        self._kmeans_plus_plus_num_retries = kmeans_plus_plus_num_retries
        self._kmc2_chain_length = kmc2_chain_length

    # --- distances ---------------------------------------------------------------------------

    def _distance_graph(self, inputs: list[Tensor], clusters: Tensor) -> list[Tensor]:
        if self._distance_metric == SQUARED_EUCLIDEAN_DISTANCE:
            return [
                reduce_sum(square(inp), 1, keepdims=True)
                - 2 * matmul(inp, clusters, transpose_b=True)
                + transpose(reduce_sum(square(clusters), 1, keepdims=True))
                for inp in inputs
            ]
        return [1 - matmul(inp, clusters, transpose_b=True) for inp in inputs]

    def _infer_graph(self, inputs: list[Tensor], clusters: Tensor) -> Any:
        scores = self._distance_graph(inputs, clusters)
        if self._distance_metric == COSINE_DISTANCE and not self._clusters_l2_normalized():
            clusters = l2_normalize(clusters, axis=1)
        output = []
        for inp, score in zip(inputs, scores, strict=True):
            indices, distances = nearest_neighbors(inp, clusters, 1)
            if self._distance_metric == COSINE_DISTANCE:
                distances *= 0.5
            output.append((score, squeeze(distances, [-1]), squeeze(indices, [-1])))
        return zip(*output, strict=True)

    def _clusters_l2_normalized(self) -> bool:
        return self._distance_metric == COSINE_DISTANCE and (
            not self._use_mini_batch or self._mini_batch_steps_per_iteration > 1
        )

    # --- variables ---------------------------------------------------------------------------

    def _create_variables(self, num_clusters: Tensor) -> tuple[Any, Any, Any, Any, Any]:
        init_value = placeholder_with_default([], shape=None)
        cluster_centers = Variable(init_value, name=CLUSTERS_VAR_NAME, validate_shape=False)
        initialized = Variable(False, dtype=dtypes.bool, name="initialized")
        counts: Variable | None
        if self._use_mini_batch and self._mini_batch_steps_per_iteration > 1:
            updated = Variable(init_value, name="clusters_updated", validate_shape=False)
            update_in_steps = Variable(
                self._mini_batch_steps_per_iteration, dtype=dtypes.int64, name="update_in_steps"
            )
            counts = Variable(zeros([num_clusters], dtype=dtypes.int64))
        else:
            updated = cluster_centers
            update_in_steps = None
            counts = (
                Variable(ones([num_clusters], dtype=dtypes.int64)) if self._use_mini_batch else None
            )
        return cluster_centers, initialized, counts, updated, update_in_steps

    # --- training ----------------------------------------------------------------------------

    def training_graph(self) -> tuple[Any, ...]:
        """The k-means training graph: TF 1.15's seven-tuple.

        ``(all_scores, cluster_idx, scores, cluster_centers_initialized, cluster_centers_var,
        init_op, training_op)``; each of the first three is a tuple with one entry per input.
        """
        if isinstance(self._initial_clusters, str) or callable(self._initial_clusters):
            initial_clusters = self._initial_clusters
            num_clusters = convert_to_tensor(self._num_clusters)
        else:
            initial_clusters = convert_to_tensor(self._initial_clusters)
            num_clusters = shape(initial_clusters)[0]
        inputs = self._inputs
        centers_var, initialized, total_counts, centers_updated, update_in_steps = (
            self._create_variables(num_clusters)
        )
        init_op = _InitializeClusters(
            inputs, num_clusters, initial_clusters, self._distance_metric, self._seed,
            centers_var, centers_updated, initialized,
        ).op()  # fmt: skip
        cluster_centers: Any = centers_var
        if self._distance_metric == COSINE_DISTANCE:
            inputs = [l2_normalize(inp, axis=1) for inp in inputs]
            if not self._clusters_l2_normalized():
                cluster_centers = l2_normalize(cluster_centers, axis=1)
        all_scores, scores, cluster_idx = self._infer_graph(inputs, cluster_centers)
        if self._use_mini_batch:
            sync = self._mini_batch_sync_updates_op(
                update_in_steps, centers_var, centers_updated, total_counts
            )
            with get_default_graph().control_dependencies([sync]):
                training_op = self._mini_batch_training_op(
                    inputs, cluster_idx, centers_updated, total_counts
                )
        else:
            training_op = self._full_batch_training_op(
                inputs, num_clusters, cluster_idx, centers_var
            )
        return (all_scores, cluster_idx, scores, initialized, centers_var, init_op, training_op)

    def _mini_batch_sync_updates_op(self, update_in_steps: Any, centers_var: Any,
                                    centers_updated: Any, total_counts: Any) -> Any:  # fmt: skip
        if not (self._use_mini_batch and self._mini_batch_steps_per_iteration > 1):
            return no_op()
        graph = get_default_graph()

        def sync() -> Tensor:
            with graph.control_dependencies(
                [assign(update_in_steps, self._mini_batch_steps_per_iteration - 1)]
            ):
                centers = centers_updated
                if self._distance_metric == COSINE_DISTANCE:
                    centers = l2_normalize(centers_updated, axis=1)
                with (
                    graph.control_dependencies([assign(centers_var, centers)]),
                    graph.control_dependencies([assign(total_counts, zeros_like(total_counts))]),
                ):
                    return identity(update_in_steps)

        return cond(less_equal(update_in_steps, 0), sync, lambda: assign_sub(update_in_steps, 1))

    def _mini_batch_training_op(self, inputs: list[Tensor], cluster_idx_list: Any,
                                cluster_centers: Any, total_counts: Any) -> Any:  # fmt: skip
        update_ops = []
        for inp, idx in zip(inputs, cluster_idx_list, strict=True):
            cluster_idx = reshape(idx, [-1])
            unique_ids, unique_idx = unique(cluster_idx)
            num_unique = size(unique_ids)
            old_counts = gather(total_counts, unique_ids)
            old_centers = gather(cluster_centers, unique_ids)
            count_updates = unsorted_segment_sum(
                ones_like(unique_idx, dtype=total_counts.dtype), unique_idx, num_unique
            )
            center_updates = unsorted_segment_sum(inp, unique_idx, num_unique)
            broadcast_shape = concat(
                [
                    reshape(num_unique, [1]),
                    ones(reshape(rank(inp) - 1, [1]), dtype=dtypes.int32),
                ],
                0,
            )
            center_updates -= cast(reshape(count_updates, broadcast_shape), inp.dtype) * (
                old_centers
            )
            learning_rate = reciprocal(cast(old_counts + count_updates, inp.dtype))
            center_updates *= reshape(learning_rate, broadcast_shape)
            # (as in TF, nothing orders the old_counts read before this update: TF's own
            # result depends on its executor's schedule)
            update_ops.append(scatter_add(total_counts, unique_ids, count_updates))
            update_ops.append(scatter_add(cluster_centers, unique_ids, center_updates))
        return group(*update_ops)

    def _full_batch_training_op(self, inputs: list[Tensor], num_clusters: Tensor,
                                cluster_idx_list: Any, cluster_centers: Any) -> Any:  # fmt: skip
        sums = []
        counts = []
        epsilon = convert_to_tensor(1e-6, dtype=inputs[0].dtype)
        for inp, idx in zip(inputs, cluster_idx_list, strict=True):
            sums.append(unsorted_segment_sum(inp, idx, num_clusters))
            ones_column = reshape(ones(reshape(shape(inp)[0], [-1])), [-1, 1])
            counts.append(unsorted_segment_sum(ones_column, idx, num_clusters))
        new_centers = add_n(sums) / (cast(add_n(counts), sums[0].dtype) + epsilon)
        if self._clusters_l2_normalized():
            new_centers = l2_normalize(new_centers, axis=1)
        return assign(cluster_centers, new_centers)


class _InitializeClusters:
    """The op that picks the initial centers (TF 1.15's ``_InitializeClustersOpFactory``).

    When fewer than ``num_clusters`` are chosen, add more (normalised for cosine), store them in
    ``clusters`` and set ``initialized`` once all are there.
    """

    def __init__(self, inputs: list[Tensor], num_clusters: Tensor, initial_clusters: Any,
                 distance_metric: str, seed: int | None, centers: Any, centers_updated: Any,
                 initialized: Any) -> None:  # fmt: skip
        self._inputs = inputs
        self._num_clusters = num_clusters
        self._initial_clusters = initial_clusters
        self._distance_metric = distance_metric
        self._seed = seed
        self._centers = centers
        self._centers_updated = centers_updated
        self._initialized = initialized
        self._num_selected = shape(centers)[0]
        self._num_remaining = num_clusters - self._num_selected
        self._num_data = add_n([shape(i)[0] for i in inputs])

    def _random(self) -> Tensor:
        indices = random_uniform(
            reshape(self._num_remaining, [-1]),
            minval=0,
            maxval=cast(self._num_data, dtypes.int64),
            seed=self._seed,
            dtype=dtypes.int64,
        )
        return embedding_lookup(self._inputs, indices, partition_strategy="div")

    def _choose_initial_centers(self) -> Any:
        init: Any = self._initial_clusters
        if isinstance(init, str):  # RANDOM_INIT (the others are rejected by KMeans)
            return cond(
                less_equal(self._num_data, self._num_remaining),
                lambda: concat(self._inputs, 0),
                self._random,
            )
        if callable(init):
            sampler: Callable[..., Any] = init
            return sampler(self._inputs, self._num_remaining)
        # (as in TF, the check adds no dependency: no op is created under it)
        with get_default_graph().control_dependencies(
            [assert_equal(self._num_remaining, shape(init)[0])]
        ):
            return init

    def _add_new_centers(self) -> Tensor:
        new_centers = self._choose_initial_centers()
        if self._distance_metric == COSINE_DISTANCE:
            new_centers = l2_normalize(new_centers, axis=1)
        all_centers = cond(
            equal(self._num_selected, 0),
            lambda: new_centers,
            lambda: concat([self._centers, new_centers], 0),
        )
        a = assign(self._centers, all_centers, validate_shape=False)
        if self._centers_updated is not self._centers:
            a = assign(self._centers_updated, a, validate_shape=False)
        return self._num_clusters - shape(a)[0]

    def _initialize(self) -> Any:
        with get_default_graph().control_dependencies([assert_positive(self._num_remaining)]):
            remaining = self._add_new_centers()
            return cond(equal(remaining, 0), lambda: assign(self._initialized, True), no_op)

    def op(self) -> Any:
        """The initialization op (checks ``initialized`` once every center is chosen)."""
        return cond(
            equal(self._num_remaining, 0),
            lambda: assert_equal(self._initialized, True),
            self._initialize,
        )


__all__ = [
    "COSINE_DISTANCE",
    "KMC2_INIT",
    "KMEANS_PLUS_PLUS_INIT",
    "RANDOM_INIT",
    "SQUARED_EUCLIDEAN_DISTANCE",
    "KMeans",
]
