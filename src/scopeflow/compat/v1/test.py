"""``tf.test``: ``TestCase``, ``main``, the gradient checker and the device queries (re-exports)."""

from unittest import mock

from scopeflow.graph.devices import gpu_device_name, is_built_with_cuda, is_gpu_available
from scopeflow.testing.benchmark import Benchmark, benchmark_config
from scopeflow.testing.gradient_checker import compute_gradient, compute_gradient_error
from scopeflow.testing.test_util import (
    TestCase,
    get_temp_dir,
    is_built_with_gpu_support,
    is_built_with_rocm,
    is_built_with_xla,
    main,
)

__all__ = [
    "Benchmark",
    "TestCase",
    "benchmark_config",
    "compute_gradient",
    "compute_gradient_error",
    "get_temp_dir",
    "gpu_device_name",
    "is_built_with_cuda",
    "is_built_with_gpu_support",
    "is_built_with_rocm",
    "is_built_with_xla",
    "is_gpu_available",
    "main",
    "mock",
]
