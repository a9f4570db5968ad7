"""tf.signal / tf.spectral (TF 1.15): FFT ops (names, attrs, static shapes, values, gradients,
errors) and the composite functions (frame, overlap_and_add, windows, stft, inverse_stft, mel
matrix, MFCCs, DCTs): their scope, static shape, dtype and values."""

import numpy as np


def _sig(n=64, rows=1):
    return (np.sin(np.arange(n * rows, dtype=np.float32) * 0.37) * 2.0).reshape(rows, n)


def _cplx(tf):
    re = np.arange(12, dtype=np.float32).reshape(3, 4) / 5.0
    im = np.cos(np.arange(12, dtype=np.float32)).reshape(3, 4)
    return tf.complex(tf.constant(re), tf.constant(im))


def case_complex_ffts(tf, show):
    c = _cplx(tf)
    c3 = tf.reshape(tf.concat([c, c], 0), [2, 3, 4])
    outs = [
        tf.signal.fft(c),
        tf.signal.ifft(c, name="inv"),
        tf.spectral.fft2d(c),
        tf.signal.ifft2d(c),
        tf.fft3d(c3),
        tf.ifft3d(c3),
        tf.fft(c),
        tf.spectral.ifft(c),
    ]
    for t in outs:
        print(
            t.name,
            t.op.type,
            t.shape,
            t.dtype.name,
            [i.name for i in t.op.inputs],
            t.op.get_attr("Tcomplex"),
        )
    p = tf.placeholder(tf.complex64, [None, 5])
    print(tf.signal.fft(p).shape, tf.signal.fft2d(tf.placeholder(tf.complex128)).shape)
    with tf.Session() as sess:
        show(sess.run(outs), decimals=3)


def case_complex_fft_gradients(tf, show):
    c = _cplx(tf)
    y = tf.signal.fft(c)
    loss = tf.reduce_sum(tf.abs(y) * tf.constant([1.0, 2.0, 3.0, 4.0]))
    g = tf.gradients(loss, c)[0]
    y2 = tf.signal.ifft2d(c)
    g2 = tf.gradients(tf.reduce_sum(tf.real(y2) * tf.imag(y2)), c)[0]
    print(g.dtype.name, g.shape, g2.dtype.name)
    with tf.Session() as sess:
        show(sess.run([g, g2]), decimals=3)


def case_complex_fft_errors(tf, expect_error):
    expect_error(lambda: tf.signal.fft(tf.ones([3])))
    expect_error(lambda: tf.signal.fft(tf.complex(1.0, 2.0)))
    expect_error(lambda: tf.signal.fft2d(tf.complex([1.0], [2.0])))
    expect_error(lambda: tf.signal.ifft3d(tf.complex([[1.0]], [[2.0]])))


def case_real_ffts(tf, show):
    x = tf.constant(_sig(8, 3))
    outs = [
        tf.signal.rfft(x),
        tf.signal.rfft(x, [6]),
        tf.spectral.rfft(x, fft_length=[12], name="long"),
        tf.signal.rfft2d(x),
        tf.signal.rfft2d(x, [2, 4]),
        tf.signal.rfft3d(tf.reshape(x, [1, 3, 8])),
        tf.signal.rfft(tf.cast(x, tf.float64)),
    ]
    for t in outs:
        print(
            t.name,
            t.op.type,
            t.shape,
            t.dtype.name,
            [i.name for i in t.op.inputs],
            sorted(t.op.node_def.attr),
        )
    y = outs[0]
    inv = [
        tf.signal.irfft(y),
        tf.signal.irfft(y, [8]),
        tf.spectral.irfft(y, [5]),
        tf.signal.irfft2d(outs[3]),
        tf.signal.irfft2d(outs[3], [3, 8]),
        tf.signal.irfft3d(outs[5]),
        tf.signal.irfft(outs[6]),
    ]
    for t in inv:
        print(t.name, t.op.type, t.shape, t.dtype.name, [i.name for i in t.op.inputs])
    with tf.Session() as sess:
        show(sess.run(outs), decimals=3)
        show(sess.run(inv), decimals=3)


def case_real_fft_unknown_shapes(tf, show):
    p = tf.placeholder(tf.float32, [None, None])
    r = tf.signal.rfft(p)
    ir = tf.signal.irfft(tf.cast(p, tf.complex64))
    r2 = tf.signal.rfft2d(p)
    fl = tf.placeholder(tf.int32, [1])
    r3 = tf.signal.rfft(tf.ones([2, 6]), fl)
    print(r.shape, ir.shape, r2.shape, r3.shape, tf.signal.rfft(tf.placeholder(tf.float32)).shape)
    v = _sig(6, 2)
    with tf.Session() as sess:
        show(sess.run([r, ir, r2], {p: v}), decimals=3)
        show(sess.run(r3, {fl: [4]}), decimals=3)


def case_real_fft_gradients(tf, show):
    x = tf.constant(_sig(7, 2))
    w = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0])
    y = tf.signal.rfft(x, [8])
    g = tf.gradients(tf.reduce_sum(tf.abs(y) * w), x)[0]
    y2 = tf.signal.rfft2d(x)
    g2 = tf.gradients(tf.reduce_sum(tf.real(y2) + 2.0 * tf.imag(y2)), x)[0]
    c = tf.signal.rfft(x)
    z = tf.signal.irfft(c * tf.complex(w[:4], w[:4]))
    gc = tf.gradients(tf.reduce_sum(z * tf.range(6.0)), c)[0]
    print(g.shape, g2.shape, gc.dtype.name, gc.shape)
    with tf.Session() as sess:
        show(sess.run([g, g2, gc]), decimals=3)


def case_real_fft_errors(tf, expect_error):
    expect_error(lambda: tf.signal.rfft(tf.complex([1.0], [2.0])))
    expect_error(lambda: tf.signal.rfft(tf.ones([4], tf.int32)))
    expect_error(lambda: tf.signal.rfft(tf.ones([4]), [2, 3]))
    expect_error(lambda: tf.signal.rfft2d(tf.ones([4])))
    expect_error(lambda: tf.signal.irfft(tf.ones([4])))
    expect_error(lambda: tf.signal.rfft(tf.ones([4]), fft_length=tf.constant([2], tf.int64)))
    bad = tf.signal.rfft(tf.ones([4]), tf.placeholder_with_default([-1], [1]))
    with tf.Session() as sess:
        expect_error(lambda: sess.run(bad), message=False)


def case_fftshift(tf, show):
    x = tf.reshape(tf.range(15.0), [3, 5])
    outs = [
        tf.signal.fftshift(x),
        tf.signal.ifftshift(x),
        tf.signal.fftshift(x, axes=1),
        tf.signal.ifftshift(x, axes=[0]),
    ]
    print([(t.name, t.op.type) for t in outs])
    with tf.Session() as sess:
        show(sess.run(outs))


def case_frame(tf, show):
    x = tf.constant(_sig(10, 2))
    p = tf.placeholder(tf.float32, [2, None])
    outs = [
        tf.signal.frame(x, 4, 2),
        tf.signal.frame(x, 4, 3, pad_end=True),
        tf.signal.frame(x, 3, 3, pad_end=True, pad_value=-1.0),
        tf.signal.frame(tf.transpose(x), 4, 2, axis=0),
        tf.signal.frame(x, 12, 2),
        tf.signal.frame(tf.range(7), 3, 2, name="ints"),
    ]
    dyn = tf.signal.frame(p, 4, 2)
    dyn_pad = tf.signal.frame(p, 4, 3, pad_end=True)
    for t in [*outs, dyn, dyn_pad]:
        print(t.name.split("/")[0], t.shape, t.dtype.name)
    g = tf.gradients(tf.reduce_sum(outs[0] * outs[0]), x)[0]
    with tf.Session() as sess:
        show(sess.run(outs), decimals=3)
        show(sess.run([dyn, dyn_pad], {p: _sig(7, 2)}), decimals=3)
        show(sess.run(g), decimals=3)


def case_overlap_and_add(tf, show):
    x = tf.constant(_sig(24, 1).reshape(2, 3, 4))
    outs = [
        tf.signal.overlap_and_add(x, 2),
        tf.signal.overlap_and_add(x, 4),
        tf.signal.overlap_and_add(x[0], 1),
        tf.signal.overlap_and_add(x, 5, name="gap"),
    ]
    p = tf.placeholder(tf.float32, [None, None, 4])
    d = tf.signal.overlap_and_add(p, 2)
    for t in [*outs, d]:
        print(t.name.split("/")[0], t.shape, t.dtype.name)
    g = tf.gradients(tf.reduce_sum(outs[0] * outs[0]), x)[0]
    with tf.Session() as sess:
        show(sess.run(outs), decimals=3)
        show(sess.run(d, {p: _sig(16, 1).reshape(2, 2, 4)}), decimals=3)
        show(sess.run(g), decimals=3)


def case_signal_shape_errors(tf, expect_error):
    expect_error(lambda: tf.signal.overlap_and_add(tf.ones([3]), 1))
    expect_error(lambda: tf.signal.overlap_and_add(tf.ones([3, 3]), 1.5))
    expect_error(lambda: tf.signal.frame(tf.ones([]), 2, 1))
    expect_error(lambda: tf.signal.hann_window(4, dtype=tf.int32))


def case_windows(tf, show):
    outs = [
        tf.signal.hann_window(5),
        tf.signal.hann_window(6, periodic=False),
        tf.signal.hamming_window(5),
        tf.signal.hamming_window(4, periodic=False, dtype=tf.float64),
        tf.signal.hann_window(1),
        tf.signal.hann_window(7, name="w"),
    ]
    for t in outs:
        print(t.name, t.op.type, t.shape, t.dtype.name)
    with tf.Session() as sess:
        show(sess.run(outs))


def case_stft(tf, show):
    x = tf.constant(_sig(64, 2))
    s = tf.signal.stft(x, 16, 8)
    s2 = tf.signal.stft(x, 12, 5, fft_length=16, pad_end=True)
    s3 = tf.signal.stft(x, 16, 8, window_fn=None, name="raw")
    s4 = tf.signal.stft(x, 10, 4, window_fn=tf.signal.hamming_window)
    for t in (s, s2, s3, s4):
        print(t.name, t.op.type, t.shape, t.dtype.name)
    mag = tf.abs(s)
    g = tf.gradients(tf.reduce_sum(tf.square(tf.real(s)) + tf.square(tf.imag(s))), x)[0]
    with tf.Session() as sess:
        show(sess.run([mag, tf.abs(s2), tf.abs(s3), tf.abs(s4)]), decimals=3)
        show(sess.run(g), decimals=2)


def case_inverse_stft(tf, show):
    x = tf.constant(_sig(64, 2))
    s = tf.signal.stft(x, 16, 8)
    r = tf.signal.inverse_stft(s, 16, 8, window_fn=tf.signal.inverse_stft_window_fn(8))
    r2 = tf.signal.inverse_stft(s, 16, 8)
    r3 = tf.signal.inverse_stft(s, 12, 8, fft_length=16)
    r4 = tf.signal.inverse_stft(tf.signal.stft(x, 16, 4, fft_length=32), 16, 4, window_fn=None)
    win = tf.signal.inverse_stft_window_fn(4)(16, tf.float32)
    for t in (r, r2, r3, r4):
        print(t.name.split("/")[0], t.shape, t.dtype.name)
    print(win.name.split("/")[0], win.shape)
    with tf.Session() as sess:
        show(sess.run([r, r2, r3, r4, win]), decimals=3)


def case_mel_matrix(tf, show):
    m = tf.signal.linear_to_mel_weight_matrix()
    m2 = tf.signal.linear_to_mel_weight_matrix(8, 33, 16000, 20.0, 8000.0, dtype=tf.float64)
    m3 = tf.signal.linear_to_mel_weight_matrix(4, 9, tf.constant(8000.0), name="mel")
    for t in (m, m2, m3):
        print(t.name, t.op.type, t.shape, t.dtype.name)
    with tf.Session() as sess:
        show(sess.run([m, m2, m3]), decimals=3)


def case_mel_errors(tf, expect_error):
    expect_error(lambda: tf.signal.linear_to_mel_weight_matrix(0))
    expect_error(lambda: tf.signal.linear_to_mel_weight_matrix(lower_edge_hertz=-1.0))
    expect_error(lambda: tf.signal.linear_to_mel_weight_matrix(lower_edge_hertz=4000.0))
    expect_error(lambda: tf.signal.linear_to_mel_weight_matrix(sample_rate=0))
    expect_error(lambda: tf.signal.linear_to_mel_weight_matrix(upper_edge_hertz=5000.0))


def case_mfccs(tf, show):
    x = tf.constant(np.log1p(np.abs(_sig(40, 1))).reshape(2, 2, 10))
    m = tf.signal.mfccs_from_log_mel_spectrograms(x)
    p = tf.placeholder(tf.float32, [None, None])
    m2 = tf.signal.mfccs_from_log_mel_spectrograms(p)
    print(m.name, m.op.type, m.shape, m.dtype.name, m2.shape)
    g = tf.gradients(tf.reduce_sum(m * m), x)[0]
    with tf.Session() as sess:
        show(sess.run([m, g]), decimals=3)
        show(sess.run(m2, {p: np.ones([2, 5], np.float32)}), decimals=3)


def case_dct(tf, show):
    x = tf.constant(_sig(8, 3))
    outs = []
    for t in (1, 2, 3):
        for norm in (None, "ortho") if t != 1 else (None,):
            outs.append(tf.signal.dct(x, type=t, norm=norm))
            outs.append(tf.signal.idct(x, type=t, norm=norm))
    outs.append(tf.spectral.dct(x, n=5))
    outs.append(tf.signal.dct(x, n=10, norm="ortho"))
    for t in outs:
        print(t.name.split("/")[0], t.shape, t.dtype.name)
    g = tf.gradients(tf.reduce_sum(outs[1] * outs[3]), x)[0]
    with tf.Session() as sess:
        show(sess.run(outs), decimals=3)
        show(sess.run(g), decimals=3)


def case_dct_errors(tf, expect_error):
    x = tf.ones([2, 4])
    expect_error(lambda: tf.signal.dct(x, type=1, norm="ortho"))
    expect_error(lambda: tf.signal.dct(x, axis=0))
    expect_error(lambda: tf.signal.dct(x, norm="bad"))
    expect_error(lambda: tf.signal.dct(tf.ones([2, 1]), type=1))
    expect_error(lambda: tf.signal.dct(x, n=0))


def griffin_lim_reference(tf, spectrogram, n_fft, hop, win, iters, power=1.5):
    """keithito/tacotron's ``inv_spectrogram_tensorflow`` steps, written with ``tf.signal``:
    denormalize (min_level_db -100), add ref_level_db 20, dB to amplitude, ``** power``, then
    Griffin-Lim (``iters`` rounds of stft / phase / inverse_stft)."""
    s = tf.convert_to_tensor(spectrogram)
    s = tf.clip_by_value(s, 0, 1) * 100.0 - 100.0 + 20.0
    s = tf.pow(tf.ones(tf.shape(s)) * 10.0, s * 0.05)
    s = tf.pow(s, power)
    with tf.variable_scope("griffinlim"):
        s_complex = tf.identity(tf.cast(tf.expand_dims(s, 0), dtype=tf.complex64))
        y = tf.signal.inverse_stft(s_complex, win, hop, n_fft)
        for _ in range(iters):
            est = tf.signal.stft(y, win, hop, n_fft, pad_end=False)
            angles = est / tf.cast(tf.maximum(1e-8, tf.abs(est)), tf.complex64)
            y = tf.signal.inverse_stft(s_complex * angles, win, hop, n_fft)
        return tf.squeeze(y, 0)


def griffin_lim_input():
    t = np.arange(12, dtype=np.float32)[:, None]
    f = np.arange(33, dtype=np.float32)[None, :]
    return (0.5 + 0.4 * np.sin(0.3 * t + 0.2 * f) * np.cos(0.05 * f)).astype(np.float32)


def case_griffin_lim(tf, show):
    y = griffin_lim_reference(tf, griffin_lim_input(), n_fft=64, hop=16, win=40, iters=3)
    print(y.name.split("/")[0], y.shape, y.dtype.name)
    with tf.Session() as sess:
        show(sess.run(y), decimals=3)
