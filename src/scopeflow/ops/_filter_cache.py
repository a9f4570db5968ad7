"""A kernel's cached copy of a weight in the layout its torch kernel wants.

TF stores convolution filters as ``[spatial..., in, out]``; torch's convolutions want
``[out, in, spatial...]``. A permuted view of the TF filter is neither contiguous nor
channels-last, so torch copies it on every call (for resnet_v1_50 at batch 1 that copy was about
half of a ``Session.run``). In inference the filter is the same tensor run after run (a
variable's storage or a ``Const``), so a kernel converts it once and reuses the result.

The cache is keyed on the tensor's identity and its autograd version counter, which every
in-place write bumps (``Assign``'s ``copy_``, ``assign_add``, optimizer updates; kernels that
write through an API that does not bump it, such as ``torch._fused_adam_``, bump it themselves).
A tensor that requires grad (a gradient plan's autograd leaf, new each run) is never cached, so
gradients flow through the conversion as before; nor is anything under ``torch.compile``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch


class FilterCache:
    """The last weight a kernel saw and its converted copy (one per kernel closure)."""

    __slots__ = ("_key", "_source", "_value", "_version")

    def __init__(self) -> None:
        self._source: Any = None
        self._version = -1
        self._key: Any = None
        self._value: Any = None

    def get(self, w: Any, convert: Callable[[Any], Any], key: Any = None) -> Any:
        """``convert(w)``, computed once per (tensor, version) of ``w`` and ``key``.

        ``key`` is whatever else the conversion depends on (an input shape).
        """
        if w is self._source and w._version == self._version and key == self._key:
            return self._value
        value = convert(w)
        if w.requires_grad or w.is_inference() or torch.compiler.is_compiling():
            return value
        self._source, self._version, self._key, self._value = w, w._version, key, value
        return value


__all__ = ["FilterCache"]
