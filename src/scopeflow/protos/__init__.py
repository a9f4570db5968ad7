"""TensorFlow's protocol buffer messages as real protobuf classes under TF's names."""
