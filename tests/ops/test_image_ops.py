"""Image kernels: TF1 resize sampling against a NumPy transcription of TF's kernel, gradchecks."""

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.op_registry import get_kernel
from scopeflow.ops.image_resize_ops import resize_nhwc


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def _kernel(t):
    return get_kernel(t.op.type).factory(t.op, None)


def _np_bilinear_legacy(x, oh, ow, align):
    """TF's ResizeBilinear without half-pixel centres: sample at ``out * scale``."""
    n, h, w, c = x.shape

    def scale(i, o):
        return (i - 1) / (o - 1) if align and o > 1 else i / o

    sy, sx = scale(h, oh), scale(w, ow)
    out = np.zeros((n, oh, ow, c))
    for y in range(oh):
        fy = y * sy
        y0, y1 = int(np.floor(fy)), min(int(np.ceil(fy)), h - 1)
        ly = fy - np.floor(fy)
        for xx in range(ow):
            fx = xx * sx
            x0, x1 = int(np.floor(fx)), min(int(np.ceil(fx)), w - 1)
            lx = fx - np.floor(fx)
            top = x[:, y0, x0] + (x[:, y0, x1] - x[:, y0, x0]) * lx
            bot = x[:, y1, x0] + (x[:, y1, x1] - x[:, y1, x0]) * lx
            out[:, y, xx] = top + (bot - top) * ly
    return out


@pytest.mark.parametrize("align", [False, True])
@pytest.mark.parametrize("size", [(7, 9), (2, 3), (3, 4), (1, 1)])
def test_bilinear_matches_tf_legacy_sampling(size, align):
    x = np.random.RandomState(1).rand(2, 3, 4, 2)
    got = resize_nhwc(torch.from_numpy(x), size, 0, align, False).numpy()
    np.testing.assert_allclose(got, _np_bilinear_legacy(x, *size, align), atol=1e-6)


def test_bilinear_is_not_half_pixel():
    # PyTorch's interpolate(align_corners=False) samples at half-pixel centres; TF1 does not.
    x = torch.arange(4, dtype=torch.float64).reshape(1, 1, 4, 1)
    y = resize_nhwc(x, (1, 8), 0, False, False)
    assert y.reshape(-1).tolist() == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.0]


def test_nearest_align_corners_rounds_half_away_from_zero():
    x = torch.arange(3, dtype=torch.float64).reshape(1, 1, 3, 1)
    y = resize_nhwc(x, (1, 5), 1, True, False)  # scale 0.5: 0, 0.5 -> 1, 1, 1.5 -> 2, 2
    assert y.reshape(-1).tolist() == [0.0, 1.0, 1.0, 2.0, 2.0]


@pytest.mark.slow
@pytest.mark.parametrize("method", [0, 1, 2, 3])
@pytest.mark.parametrize(("align", "half"), [(False, False), (True, False), (False, True)])
def test_resize_gradcheck(method, align, half):
    if method == 3 and half:
        pytest.skip("ResizeArea has no half_pixel_centers")
    x = torch.randn(1, 3, 4, 2, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: resize_nhwc(t, (5, 3), method, align, half), (x,))


def test_resize_kernel_output_dtypes_and_runtime_errors():
    x = tf.placeholder(tf.uint8, [1, 2, 2, 1])
    bil = _kernel(tf.image.resize_bilinear(x, [3, 3]))
    nn = _kernel(tf.image.resize_nearest_neighbor(x, [3, 3]))
    img = torch.tensor([[[[0], [10]], [[20], [30]]]], dtype=torch.uint8)
    size = torch.tensor([3, 3])
    assert bil(img, size).dtype == torch.float32
    assert nn(img, size).dtype == torch.uint8
    bad = _kernel(tf.image.resize_bilinear(x, [3, 3], align_corners=True,
                                           half_pixel_centers=True))  # fmt: skip
    with pytest.raises(InvalidArgumentError, match="half_pixel_centers"):
        bad(img, size)
    with pytest.raises(InvalidArgumentError, match="positive"):
        bil(img, torch.tensor([0, 3]))


def test_per_image_standardization_gradcheck_and_floor():
    fn = _kernel(tf.image.per_image_standardization(tf.placeholder(tf.float32, [2, 2, 3])))
    x = torch.randn(2, 2, 3, dtype=torch.float64, requires_grad=True)
    # TF computes in float32 (the op's output dtype), so check at float32 tolerance.
    assert torch.autograd.gradcheck(fn, (x,), eps=1e-3, atol=2e-3, rtol=1e-2)
    flat = fn(torch.ones(2, 2, 3))
    assert (flat == 0).all()  # stddev floored at 1 / sqrt(12)


def test_flip_and_convert_image_dtype_values():
    img = np.arange(12, dtype=np.uint8).reshape(1, 2, 3, 2)
    lr = tf.image.flip_left_right(img)
    ud = tf.image.flip_up_down(img)
    f = tf.image.convert_image_dtype(tf.constant(img), tf.float32)
    with tf.Session() as sess:
        a, b, c = sess.run([lr, ud, f])
    np.testing.assert_array_equal(a, img[:, :, ::-1])
    np.testing.assert_array_equal(b, img[:, ::-1])
    np.testing.assert_allclose(c, img / 255.0, rtol=1e-6)
