"""TF's ``queue_runner.proto`` (``QueueRunnerDef``) and ``error_codes.proto`` (``error.Code``).

The ``tensorboard`` package ships neither file, so both are declared here from TF's schemas
and added to :mod:`scopeflow.protos._pool`'s pool: ``QueueRunnerDef`` has ``string
queue_name = 1``, ``repeated string enqueue_op_name = 2``, ``string close_op_name = 3``,
``string cancel_op_name = 4`` and ``repeated error.Code queue_closed_exception_types = 5``;
``tensorflow.error.Code`` is TF's canonical status codes (``OK = 0`` ... ``UNAUTHENTICATED =
16``). Wire format and full names are TF's, so TF reads a meta graph's ``queue_runners``
collection written by scopeflow and the other way round.
"""

from typing import Any

from google.protobuf import descriptor_pb2, message_factory
from google.protobuf.internal import enum_type_wrapper

from scopeflow.protos._pool import add_file

_CODES = (
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
    "UNAUTHENTICATED",
)  # fmt: skip
_ERROR_CODES_FILE = "tensorflow/core/lib/core/error_codes.proto"


def _error_codes_file() -> descriptor_pb2.FileDescriptorProto:
    f = descriptor_pb2.FileDescriptorProto(
        name=_ERROR_CODES_FILE, package="tensorflow.error", syntax="proto3"
    )
    enum = f.enum_type.add(name="Code")
    for number, name in enumerate(_CODES):
        enum.value.add(name=name, number=number)
    # TF's placeholder that keeps switch statements over the codes non-exhaustive
    enum.value.add(
        name="DO_NOT_USE_RESERVED_FOR_FUTURE_EXPANSION_USE_DEFAULT_IN_SWITCH_INSTEAD_", number=20
    )
    return f


def _file() -> descriptor_pb2.FileDescriptorProto:
    f = descriptor_pb2.FileDescriptorProto(
        name="tensorflow/core/protobuf/queue_runner.proto",
        package="tensorflow",
        syntax="proto3",
        dependency=[_ERROR_CODES_FILE],
    )
    m = f.message_type.add(name="QueueRunnerDef")
    fd = descriptor_pb2.FieldDescriptorProto
    for number, (name, label, json_name) in enumerate(
        (
            ("queue_name", fd.LABEL_OPTIONAL, "queueName"),
            ("enqueue_op_name", fd.LABEL_REPEATED, "enqueueOpName"),
            ("close_op_name", fd.LABEL_OPTIONAL, "closeOpName"),
            ("cancel_op_name", fd.LABEL_OPTIONAL, "cancelOpName"),
        ),
        start=1,
    ):
        m.field.add(name=name, number=number, type=fd.TYPE_STRING, label=label, json_name=json_name)
    m.field.add(
        name="queue_closed_exception_types", number=5, type=fd.TYPE_ENUM,
        label=fd.LABEL_REPEATED, type_name=".tensorflow.error.Code",
        json_name="queueClosedExceptionTypes",
    )  # fmt: skip
    return f


_CODES_DESCRIPTOR = add_file(_error_codes_file())
Code: Any = enum_type_wrapper.EnumTypeWrapper(_CODES_DESCRIPTOR.enum_types_by_name["Code"])
_FILE = add_file(_file())
QueueRunnerDef: Any = message_factory.GetMessageClass(_FILE.message_types_by_name["QueueRunnerDef"])

__all__ = ["Code", "QueueRunnerDef"]
