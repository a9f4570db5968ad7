"""TF's ``SaveSpec`` / ``SaveableObject`` (``tensorflow/python/training/saving/saveable_object``).

Responsibility: the interface of a custom saveable, an object that writes one or more
tensors under checkpoint keys of its choosing and restores itself from them (TF's
``BaseSaverBuilder.SaveableObject``). Objects in the ``SAVEABLE_OBJECTS`` collection (or passed
in a ``Saver``'s ``var_list``) are saved next to the variables: ``SaveV2`` reads each
``spec.tensor`` and ``RestoreV2``'s outputs are handed, in spec order, to ``restore``, whose
returned op joins ``save/restore_all``.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SaveSpec", "SaveableObject"]


class SaveSpec:
    """One tensor a :class:`SaveableObject` writes: ``tensor`` under ``name`` with ``slice_spec``.

    ``tensor`` may be a callable returning the tensor; ``dtype`` and ``device`` are then
    required, as in TF.

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     spec = SaveSpec(tf.constant([1.0]), "", "w")
    ...     print(spec.name, spec.dtype.name, repr(spec.slice_spec))
    w float32 ''
    """

    def __init__(self, tensor: Any, slice_spec: str, name: str, dtype: Any = None,
                 device: str | None = None) -> None:  # fmt: skip
        self._tensor = tensor
        self.slice_spec = slice_spec
        self.name = name
        if callable(tensor):
            if dtype is None or device is None:
                raise AssertionError(
                    "When passing a callable `tensor` to a SaveSpec, an explicit dtype and "
                    "device must be provided."
                )
            self.dtype = dtype
            self.device = device
        else:
            self.dtype = tensor.dtype
            self.device = tensor.device if device is None else device

    @property
    def tensor(self) -> Any:
        """The tensor to save (calls the callable given to the constructor)."""
        t: Any = self._tensor
        return t() if callable(t) else t


class SaveableObject:
    """Base class of objects a ``Saver`` saves through :class:`SaveSpec` s (TF's interface).

    Subclasses implement :meth:`restore`.

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     c = tf.constant([2.0])
    ...     obj = SaveableObject(c, [SaveSpec(c, "", "k")], "obj")
    ...     print(obj.name, [s.name for s in obj.specs])
    obj ['k']
    """

    def __init__(self, op: Any, specs: list[SaveSpec], name: str) -> None:
        self.op = op
        self.specs = specs
        self.name = name

    @property
    def optional_restore(self) -> bool:
        """Whether restoring may skip this object when its keys are absent (never here)."""
        return False

    @property
    def device(self) -> str:
        """The device of the first spec (TF's choice)."""
        return str(self.specs[0].device or "")

    def restore(self, restored_tensors: list[Any], restored_shapes: Any) -> Any:
        """Returns the op that restores this object from ``restored_tensors`` (spec order)."""
        raise NotImplementedError
