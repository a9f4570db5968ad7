"""tf.decode_csv / tf.io.decode_csv: names, dtypes, shapes, quoting, defaults, na_value,
select_cols and TF's errors."""


def case_decode_csv(tf, show):
    rec = tf.constant(['1,2.5,"a,b",x', "3,,c,", '4,1e3,"q""r",z'])
    out = tf.decode_csv(rec, [[0], [1.0], ["d"], ["zz"]])
    print([t.name for t in out], [t.dtype for t in out], [t.shape for t in out])
    print(out[0].op.type, sorted(out[0].op.node_def.attr), [i.name for i in out[0].op.inputs])
    print([o.name for o in tf.get_default_graph().get_operations()])
    o2 = tf.io.decode_csv(
        tf.constant(["1;NA;3", "4;5;6"]),
        [[0], [0.0], tf.constant([], tf.int64)],
        field_delim=";",
        na_value="NA",
        name="csv",
    )
    o4 = tf.decode_csv(tf.constant(["1,2,3,4"]), [[0], [0]], select_cols=[1, 3])
    ph = tf.placeholder(tf.string, [None, 2])
    o5 = tf.decode_csv(ph, [[0], [0.0]])
    print([t.name for t in o2], [t.shape for t in o5], o4[0].op.get_attr("select_cols"))
    o6 = tf.decode_csv(["1,2,", " 1, 2 ,x"], [[0], [0.0], ["s"]])
    o10 = tf.decode_csv(["inf,nan,-7"], [[0.0], [0.0], [tf.constant(5, tf.int64)]])
    o7 = tf.decode_csv(['a,"b,c"'], [[""], [""]])
    o8 = tf.decode_csv(['"",x', ","], [["e"], [b"f"]], use_quote_delim=True)
    o9 = tf.decode_csv(["1.5,2"], [[0.0], [tf.constant(0.0, tf.float64)]])
    with tf.Session() as sess:
        show(sess.run(out), sess.run(o2), sess.run(o4))
        show(sess.run(o5, {ph: [["1,2", "3,4.5"]]}))
        show(sess.run(o6), sess.run(o7), sess.run(o8), sess.run(o9), sess.run(o10))


def case_decode_csv_errors(tf, expect_error):
    expect_error(lambda: tf.decode_csv(["1"], [[0]], select_cols=[1, 0]))
    expect_error(lambda: tf.decode_csv(["1"], [[0]], select_cols=[1, 2]))
    cases = [
        (["1,2"], [[0], [0], [0]], {}),
        (['1,"ab'], [[0], [""]], {}),
        (['1,a"b'], [[0], [""]], {}),
        (['1,"a"b'], [[0], [""]], {}),
        (["1.5,2"], [[0], [0]], {}),
        (["1,x"], [[0], [0.0]], {}),
        (["1,2"], [[0], [0]], {"select_cols": [1, 2]}),
        (["2147483648,1"], [[0], [0]], {}),
        (["1,0x10"], [[0], [0]], {}),
        (["1,"], [[0], tf.constant([], tf.int32)], {}),
        (['a,"b,c"'], [[""], [""]], {"use_quote_delim": False}),
    ]
    with tf.Session() as sess:
        for recs, defs, kw in cases:
            t = tf.decode_csv(recs, defs, **kw)
            expect_error(lambda t=t: sess.run(t))
