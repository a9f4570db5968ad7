"""tf.contrib.opt AdamW/MomentumW/extend_with_decoupled_weight_decay, LazyAdam and
MovingAverageOptimizer. TF 2.x has no tf.contrib: under TensorFlow each case builds TF 1.15's
algorithm from its documented definition (a subclass of tf.train.AdamOptimizer/
MomentumOptimizer with the decoupled decay before the update; LazyAdam's row-wise sparse update;
an ExponentialMovingAverage after the update), so the recorded values are real TF's for
TF 1.15's math; under scopeflow the cases use scopeflow.contrib.opt."""

import numpy as np


def _is_scopeflow(tf):
    return tf.__name__.startswith("scopeflow")


def _model(tf, sparse):
    x = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4))
    with tf.variable_scope("dense"):
        w = tf.get_variable(
            "kernel", initializer=np.linspace(-0.5, 0.6, 12, dtype=np.float32).reshape(4, 3)
        )
        b = tf.get_variable("bias", initializer=np.array([0.1, -0.2, 0.3], np.float32))
    if sparse:
        emb = tf.get_variable(
            "emb", initializer=np.linspace(-1, 1, 24, dtype=np.float32).reshape(6, 4)
        )
        x = x + tf.reduce_sum(
            tf.nn.embedding_lookup(emb, tf.constant([[1, 3], [3, 0], [5, 1]])), axis=1
        )
    y = tf.tanh(tf.matmul(x, w) + b)
    return tf.reduce_mean(tf.square(y - 0.25))


def _reference_decay_mixin(tf):
    class Decoupled:
        def __init__(self, weight_decay, **kwargs):
            self._weight_decay = weight_decay
            self._decay_var_list = None
            super().__init__(**kwargs)

        def apply_gradients(self, grads_and_vars, global_step=None, name=None, decay_var_list=None):
            self._decay_var_list = set(decay_var_list) if decay_var_list else False
            return super().apply_gradients(grads_and_vars, global_step=global_step, name=name)

        def _prepare(self):
            self._weight_decay_tensor = tf.convert_to_tensor(
                self._weight_decay, name="weight_decay"
            )
            super()._prepare()

        def _decays(self, var):
            return not self._decay_var_list or var in self._decay_var_list

        def _apply_dense(self, grad, var):
            dec = (
                var.assign_sub(self._weight_decay * var, self._use_locking)
                if self._decays(var)
                else tf.no_op()
            )
            with tf.control_dependencies([dec]):
                return super()._apply_dense(grad, var)

        def _apply_sparse(self, grad, var):
            if self._decays(var):
                dec = tf.scatter_add(
                    var,
                    grad.indices,
                    -self._weight_decay * tf.gather(var, grad.indices),
                    self._use_locking,
                )
            else:
                dec = tf.no_op()
            with tf.control_dependencies([dec]):
                return super()._apply_sparse(grad, var)

    return Decoupled


def _adamw(tf, wd, lr):
    if _is_scopeflow(tf):
        from scopeflow.contrib.opt import AdamWOptimizer

        return AdamWOptimizer(wd, lr)

    class AdamW(_reference_decay_mixin(tf), tf.train.AdamOptimizer):
        def __init__(self, weight_decay, learning_rate):
            super().__init__(weight_decay, learning_rate=learning_rate, name="AdamW")

    return AdamW(wd, lr)


def _momentumw(tf, wd, lr, mom):
    if _is_scopeflow(tf):
        from scopeflow.contrib.opt import MomentumWOptimizer

        return MomentumWOptimizer(wd, lr, mom, use_nesterov=True)

    class MomentumW(_reference_decay_mixin(tf), tf.train.MomentumOptimizer):
        def __init__(self, weight_decay, learning_rate, momentum):
            super().__init__(
                weight_decay,
                learning_rate=learning_rate,
                momentum=momentum,
                name="MomentumW",
                use_nesterov=True,
            )

    return MomentumW(wd, lr, mom)


def _extended_rmsprop(tf, wd, lr):
    if _is_scopeflow(tf):
        from scopeflow.contrib.opt import extend_with_decoupled_weight_decay

        return extend_with_decoupled_weight_decay(tf.train.RMSPropOptimizer)(wd, learning_rate=lr)

    class RMSPropW(_reference_decay_mixin(tf), tf.train.RMSPropOptimizer):
        def __init__(self, weight_decay, *args, **kwargs):
            super().__init__(weight_decay, *args, **kwargs)

    return RMSPropW(wd, learning_rate=lr)


def _lazy_adam(tf, lr):
    if _is_scopeflow(tf):
        from scopeflow.contrib.opt import LazyAdamOptimizer

        return LazyAdamOptimizer(lr)

    class LazyAdam(tf.train.AdamOptimizer):
        def _apply_sparse(self, grad, var):
            dt = var.dtype.base_dtype
            b1p, b2p = self._get_beta_accumulators()
            b1p, b2p = tf.cast(b1p, dt), tf.cast(b2p, dt)
            lr_t, beta1_t = tf.cast(self._lr_t, dt), tf.cast(self._beta1_t, dt)
            beta2_t, eps_t = tf.cast(self._beta2_t, dt), tf.cast(self._epsilon_t, dt)
            lr = lr_t * tf.sqrt(1 - b2p) / (1 - b1p)
            idx = grad.indices
            m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
            m_t = tf.scatter_update(
                m, idx, beta1_t * tf.gather(m, idx) + (1 - beta1_t) * grad.values
            )
            v_t = tf.scatter_update(
                v, idx, beta2_t * tf.gather(v, idx) + (1 - beta2_t) * tf.square(grad.values)
            )
            den = tf.sqrt(tf.gather(v_t, idx)) + eps_t
            upd = tf.scatter_sub(var, idx, lr * tf.gather(m_t, idx) / den)
            return tf.group(upd, m_t, v_t)

    return LazyAdam(lr)


def _gated_train(tf, opt, loss, gs=None, **apply_kwargs):
    """compute_gradients, then apply_gradients under a control dependency on the gradients.

    The decoupled decay ``var -= wd * var`` depends on nothing but ``var``: with ``minimize``
    TF's executor may run it before the forward pass reads ``var`` (it usually does), so the
    gradient would see decayed weights. Gating the update on the gradients makes the order
    deterministic (the gradient of the weights before the step), in TF and in scopeflow.
    """
    gvs = opt.compute_gradients(loss)
    gates = [g.values if isinstance(g, tf.IndexedSlices) else g for g, _ in gvs]
    with tf.control_dependencies(gates):
        return opt.apply_gradients(gvs, global_step=gs, **apply_kwargs)


def _run(tf, show, opt, sparse, steps=3):
    loss = _model(tf, sparse)
    gs = tf.train.get_or_create_global_step()
    train = _gated_train(tf, opt, loss, gs)
    print(train.name, [v.name for v in tf.global_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train)
        for v in tf.global_variables():
            print(v.op.name)
            show(sess.run(v))


def case_adamw_dense(tf, show):
    _run(tf, show, _adamw(tf, 0.01, 0.05), False)


def case_adamw_sparse(tf, show):
    _run(tf, show, _adamw(tf, 0.01, 0.05), True)


def case_adamw_decay_var_list(tf, show):
    loss = _model(tf, False)
    opt = _adamw(tf, 0.1, 0.05)
    train = _gated_train(tf, opt, loss, decay_var_list=[tf.trainable_variables()[0]])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(2):
            sess.run(train)
        show(*sess.run(tf.trainable_variables()))


def case_momentumw_nesterov_sparse(tf, show):
    _run(tf, show, _momentumw(tf, 0.02, 0.1, 0.9), True)


def case_extend_rmsprop(tf, show):
    _run(tf, show, _extended_rmsprop(tf, 0.01, 0.01), False)


def case_lazy_adam_dense(tf, show):
    _run(tf, show, _lazy_adam(tf, 0.05), False)


def case_lazy_adam_sparse(tf, show):
    _run(tf, show, _lazy_adam(tf, 0.05), True)


def case_moving_average_optimizer(tf, show):
    loss = _model(tf, False)
    gs = tf.train.get_or_create_global_step()
    if _is_scopeflow(tf):
        from scopeflow.contrib.opt import MovingAverageOptimizer

        opt = MovingAverageOptimizer(tf.train.MomentumOptimizer(0.1, 0.9), average_decay=0.5)
        train = opt.minimize(loss, global_step=gs)
        ema = opt._ema
    else:
        inner = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss, global_step=gs)
        ema = tf.train.ExponentialMovingAverage(0.5)
        with tf.control_dependencies([inner]):
            ma = ema.apply(tf.trainable_variables())
        train = tf.group(inner, ma, name="train_with_avg")
    print(train.name, [v.name for v in tf.global_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        for v in tf.global_variables():
            print(v.op.name)
            show(sess.run(v))
