"""TF's ``example_pb2``: ``Example`` and ``SequenceExample`` (built in ``feature_pb2``).

Must not import torch or any other scopeflow layer.
"""

from scopeflow.protos.feature_pb2 import Example, SequenceExample

__all__ = ["Example", "SequenceExample"]
