"""``tf.image``: re-exports only."""

from scopeflow.ops.image_crop_ops import crop_and_resize
from scopeflow.ops.image_ops import (
    convert_image_dtype,
    flip_left_right,
    flip_up_down,
    per_image_standardization,
)
from scopeflow.ops.image_resize_ops import (
    ResizeMethod,
    resize_area,
    resize_bicubic,
    resize_bilinear,
    resize_images,
    resize_nearest_neighbor,
)

resize = resize_images

__all__ = [
    "crop_and_resize",
    "ResizeMethod",
    "convert_image_dtype",
    "flip_left_right",
    "flip_up_down",
    "per_image_standardization",
    "resize",
    "resize_area",
    "resize_bicubic",
    "resize_bilinear",
    "resize_images",
    "resize_nearest_neighbor",
]

# --- programs (issue 10): image codecs ---------------------------------------------------------
from scopeflow.ops.image_codec_ops import (  # noqa: E402
    decode_image,
    decode_jpeg,
    decode_png,
    encode_jpeg,
    encode_png,
)

__all__ += ["decode_image", "decode_jpeg", "decode_png", "encode_jpeg", "encode_png"]

# --- graph_import (issue 12): detection post-processing ----------------------------------------
from scopeflow.ops.nms_ops import (  # noqa: E402
    non_max_suppression,
    non_max_suppression_padded,
    non_max_suppression_with_scores,
)

__all__ += [
    "non_max_suppression",
    "non_max_suppression_padded",
    "non_max_suppression_with_scores",
]
