"""tf.contrib.slim.nets: each net under its arg scope at a small input with unknown batch:
variables (names, shapes, creation order), end_points (keys, order, static shapes), output
names and collection sizes, against TF 1.15's nets (tf_slim)."""


def _report(tf, net, end_points):
    print(net)
    for v in tf.global_variables():
        print(v.op.name, v.shape.as_list())
    for key, t in end_points.items():
        print(key, t.name, t.shape)
    sizes = {
        k: len(tf.get_collection(k))
        for k in (
            tf.GraphKeys.TRAINABLE_VARIABLES,
            tf.GraphKeys.MODEL_VARIABLES,
            "moving_vars",
            tf.GraphKeys.REGULARIZATION_LOSSES,
            tf.GraphKeys.UPDATE_OPS,
        )
    }
    print(sorted(sizes.items()))


def _build(tf, module, scope_fn, net_fn, size, **kwargs):
    slim = tf.contrib.slim
    inputs = tf.placeholder(tf.float32, [None, size, size, 3])
    with slim.arg_scope(getattr(module, scope_fn)()):
        net, end_points = getattr(module, net_fn)(inputs, **kwargs)
    _report(tf, net, end_points)


def case_resnet_v1_50(tf):
    _build(
        tf, tf.contrib.slim.nets.resnet_v1, "resnet_arg_scope", "resnet_v1_50", 64, num_classes=7
    )


def case_resnet_v1_101_output_stride_no_pool(tf):
    _build(
        tf,
        tf.contrib.slim.nets.resnet_v1,
        "resnet_arg_scope",
        "resnet_v1_101",
        65,
        global_pool=False,
        output_stride=16,
        is_training=False,
    )


def case_resnet_v2_50(tf):
    _build(
        tf, tf.contrib.slim.nets.resnet_v2, "resnet_arg_scope", "resnet_v2_50", 64, num_classes=5
    )


def case_resnet_v2_152_features(tf):
    nets = tf.contrib.slim.nets
    with tf.contrib.slim.arg_scope(nets.resnet_v2.resnet_arg_scope()):
        net, end_points = nets.resnet_v2.resnet_v2_152(
            tf.placeholder(tf.float32, [None, 32, 32, 3])
        )
    print(net, len(tf.global_variables()), [v.op.name for v in tf.global_variables()][-8:])
    print(len(end_points), list(end_points)[-3:])


def case_resnet_small_custom_blocks(tf):
    nets = tf.contrib.slim.nets
    blocks = [
        nets.resnet_v1.resnet_v1_block("block1", base_depth=2, num_units=2, stride=2),
        nets.resnet_v1.resnet_v1_block("block2", base_depth=4, num_units=1, stride=1),
    ]
    with tf.contrib.slim.arg_scope(nets.resnet_utils.resnet_arg_scope()):
        net, end_points = nets.resnet_v1.resnet_v1(
            tf.placeholder(tf.float32, [None, 16, 16, 3]), blocks, num_classes=3, scope="tiny"
        )
    _report(tf, net, end_points)


def case_vgg_a_19(tf, expect_error):
    vgg = tf.contrib.slim.nets.vgg
    expect_error(lambda: vgg.vgg_a(tf.placeholder(tf.float32, [None, 32, 32, 3])), False)
    tf.reset_default_graph()
    _build(tf, vgg, "vgg_arg_scope", "vgg_a", 224, num_classes=4, spatial_squeeze=False)
    tf.reset_default_graph()
    net, end_points = vgg.vgg_19(tf.placeholder(tf.float32, [None, 224, 224, 3]), 4)
    print(net, [v.op.name for v in tf.global_variables()][-6:], list(end_points)[-4:])


def case_vgg_16_224(tf):
    _build(tf, tf.contrib.slim.nets.vgg, "vgg_arg_scope", "vgg_16", 224, num_classes=6)


def case_alexnet_overfeat(tf):
    nets = tf.contrib.slim.nets
    _build(tf, nets.alexnet, "alexnet_v2_arg_scope", "alexnet_v2", 224, num_classes=3)
    tf.reset_default_graph()
    _build(tf, nets.overfeat, "overfeat_arg_scope", "overfeat", 231, num_classes=3)


def case_inception_v1(tf):
    _build(
        tf,
        tf.contrib.slim.nets.inception,
        "inception_v1_arg_scope",
        "inception_v1",
        224,
        num_classes=5,
    )


def case_inception_v2(tf):
    _build(
        tf,
        tf.contrib.slim.nets.inception,
        "inception_v2_arg_scope",
        "inception_v2",
        224,
        num_classes=5,
    )


def case_inception_v2_depth_multiplier(tf):
    _build(
        tf,
        tf.contrib.slim.nets.inception,
        "inception_v2_arg_scope",
        "inception_v2",
        96,
        num_classes=5,
        depth_multiplier=0.5,
    )


def case_inception_v3(tf):
    _build(
        tf,
        tf.contrib.slim.nets.inception,
        "inception_v3_arg_scope",
        "inception_v3",
        299,
        num_classes=5,
    )


def case_inception_v3_small_input(tf):
    _build(
        tf,
        tf.contrib.slim.nets.inception,
        "inception_v3_arg_scope",
        "inception_v3",
        150,
        num_classes=3,
        depth_multiplier=0.25,
        is_training=False,
    )


def case_inception_bases_final_endpoint(tf, expect_error):
    inception = tf.contrib.slim.nets.inception
    x = tf.placeholder(tf.float32, [None, 224, 224, 3])
    net, ep = inception.inception_v1_base(x, final_endpoint="Mixed_4c")
    print(net, list(ep))
    net, ep = inception.inception_v2_base(x, final_endpoint="Conv2d_1a_7x7")
    print(net, list(ep))
    net, ep = inception.inception_v3_base(x, final_endpoint="Mixed_6a")
    print(net, list(ep))
    expect_error(lambda: inception.inception_v3_base(x, final_endpoint="Nope", scope="x"))
