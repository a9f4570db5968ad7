"""Feedable iterators: ``string_handle`` / ``from_string_handle`` (TF's tutorial pattern)."""


def case_feedable_iterator_switches_datasets(tf, show, expect_error):
    train = tf.data.Dataset.range(100).map(lambda x: x * 2).repeat()
    val = tf.data.Dataset.range(4)
    handle = tf.placeholder(tf.string, shape=[])
    it = tf.data.Iterator.from_string_handle(handle, train.output_types, train.output_shapes)
    nxt = it.get_next()
    train_it = train.make_one_shot_iterator()
    val_it = val.make_initializable_iterator()
    print(it.output_types, it.output_shapes, nxt, it.string_handle())
    print(train_it.string_handle(), val_it.string_handle(), val_it.string_handle(name="h"))
    with tf.Session() as sess:
        th = sess.run(train_it.string_handle())
        vh = sess.run(val_it.string_handle())
        show(type(th).__name__, th == vh)
        for _ in range(2):
            show([int(sess.run(nxt, {handle: th})) for _ in range(3)])
            sess.run(val_it.initializer)
            got = []
            try:
                while True:
                    got.append(int(sess.run(nxt, {handle: vh})))
            except tf.errors.OutOfRangeError:
                got.append("end")
            show(got)
        expect_error(lambda: sess.run(nxt, {handle: vh}))


def case_feedable_iterator_structures(tf, show):
    a = tf.data.Dataset.from_tensor_slices({"x": [[1.0, 2.0], [3.0, 4.0]], "y": [1, 2]})
    h = tf.placeholder(tf.string, [])
    it = tf.data.Iterator.from_string_handle(h, a.output_types, a.output_shapes)
    ai = a.make_one_shot_iterator()
    nxt = it.get_next()
    print(nxt)
    with tf.Session() as sess:
        ah = sess.run(ai.string_handle())
        show(sess.run(nxt, {h: ah}), sess.run(nxt, {h: ah}))
