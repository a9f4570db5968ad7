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

# --- slimdata (issue 7): the JPEG check of slim's Image handler
from scopeflow.ops.image_codec_ops import is_jpeg  # noqa: E402

__all__ += ["is_jpeg"]

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

# --- imageops: colour, geometry and random augmentation ----------------------------------------
from scopeflow.ops.image_bbox_ops import (  # noqa: E402
    draw_bounding_boxes,
    sample_distorted_bounding_box,
)
from scopeflow.ops.image_color_ops import (  # noqa: E402
    adjust_brightness,
    adjust_contrast,
    adjust_gamma,
    adjust_hue,
    adjust_saturation,
    grayscale_to_rgb,
    hsv_to_rgb,
    rgb_to_grayscale,
    rgb_to_hsv,
    rgb_to_yiq,
    rgb_to_yuv,
    yiq_to_rgb,
    yuv_to_rgb,
)
from scopeflow.ops.image_geometry_ops import (  # noqa: E402
    central_crop,
    crop_to_bounding_box,
    image_gradients,
    pad_to_bounding_box,
    resize_image_with_crop_or_pad,
    resize_image_with_pad,
    resize_with_crop_or_pad,
    rot90,
    sobel_edges,
    total_variation,
    transpose_image,
)
from scopeflow.ops.image_metric_ops import psnr, ssim  # noqa: E402
from scopeflow.ops.image_random_ops import (  # noqa: E402
    random_brightness,
    random_contrast,
    random_flip_left_right,
    random_flip_up_down,
    random_hue,
    random_saturation,
)
from scopeflow.ops.random_ops import random_crop  # noqa: E402

transpose = transpose_image

__all__ += [
    "adjust_brightness",
    "adjust_contrast",
    "adjust_gamma",
    "adjust_hue",
    "adjust_saturation",
    "central_crop",
    "crop_to_bounding_box",
    "draw_bounding_boxes",
    "grayscale_to_rgb",
    "hsv_to_rgb",
    "image_gradients",
    "pad_to_bounding_box",
    "psnr",
    "random_brightness",
    "random_contrast",
    "random_crop",
    "random_flip_left_right",
    "random_flip_up_down",
    "random_hue",
    "random_saturation",
    "resize_image_with_crop_or_pad",
    "resize_image_with_pad",
    "resize_with_crop_or_pad",
    "rgb_to_grayscale",
    "rgb_to_hsv",
    "rgb_to_yiq",
    "rgb_to_yuv",
    "rot90",
    "sample_distorted_bounding_box",
    "sobel_edges",
    "ssim",
    "total_variation",
    "transpose",
    "transpose_image",
    "yiq_to_rgb",
    "yuv_to_rgb",
]
# --- apia: tf.image.extract_image_patches ---
from scopeflow.ops.space_batch_ops import extract_image_patches  # noqa: E402

__all__ += ["extract_image_patches"]
# --- end apia ---
