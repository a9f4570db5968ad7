"""tf.image decode/encode: PNG round trips and decoding a JPEG that TF encoded (fixture)."""

from pathlib import Path

import numpy as np

JPEG = Path(__file__).resolve().parents[2] / "data" / "golden" / "image.jpg"


def case_png_round_trip(tf, show):
    pixels = (np.arange(4 * 5 * 3).reshape(4, 5, 3) * 7 % 256).astype(np.uint8)
    img = tf.constant(pixels)
    png = tf.image.encode_png(img)
    back = tf.image.decode_png(png)
    gray = tf.image.decode_png(png, channels=1)
    rgba = tf.image.decode_image(tf.image.encode_png(tf.concat([img, img[:, :, :1]], 2)))
    print(png, back, gray, rgba)
    with tf.Session() as sess:
        b, g, r = sess.run([back, gray, rgba])
        # RGB -> gray differs by one level from libpng's (see image_codec_ops): shape only
        show(b.shape, bool((b == pixels).all()), g.shape, g.dtype.name, r.shape)


def case_decode_tf_jpeg(tf, show):
    data = JPEG.read_bytes()
    s = tf.placeholder(tf.string, [])
    rgb = tf.image.decode_jpeg(s, channels=3)
    gray = tf.image.decode_jpeg(s, channels=1)
    any_ = tf.io.decode_image(s)
    print(rgb, gray, any_)
    with tf.Session() as sess:
        a, g, i = sess.run([rgb, gray, any_], {s: data})
        # pixel values are checked against TF's within a tolerance in tests/data/test_images.py
        show(a.shape, a.dtype.name, g.shape, bool((i == a).all()))
        j = sess.run(tf.image.decode_jpeg(tf.image.encode_jpeg(a, quality=95)))
        show(j.shape, int(np.abs(j.astype(int) - a.astype(int)).max() <= 16))
