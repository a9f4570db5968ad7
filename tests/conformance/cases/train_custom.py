"""User subclasses of tf.train.Optimizer written against TF 1.15's documented hooks: a BERT-style
AdamWeightDecayOptimizer (overrides apply_gradients, slots from tf.get_variable) in BERT's
training flow (warmup + polynomial decay, tf.gradients + clip_by_global_norm), and an optimizer
using _create_slots/_prepare/_apply_dense/_apply_sparse/_finish, _zeros_slot,
_get_or_make_slot and non-slot variables."""

import re

import numpy as np


def _bert_optimizer_class(tf):
    class AdamWeightDecayOptimizer(tf.train.Optimizer):
        def __init__(
            self,
            learning_rate,
            weight_decay_rate=0.0,
            beta_1=0.9,
            beta_2=0.999,
            epsilon=1e-6,
            exclude_from_weight_decay=None,
            name="AdamWeightDecayOptimizer",
        ):
            super().__init__(False, name)
            self.learning_rate = learning_rate
            self.weight_decay_rate = weight_decay_rate
            self.beta_1 = beta_1
            self.beta_2 = beta_2
            self.epsilon = epsilon
            self.exclude_from_weight_decay = exclude_from_weight_decay

        def apply_gradients(self, grads_and_vars, global_step=None, name=None):
            assignments = []
            for grad, param in grads_and_vars:
                if grad is None or param is None:
                    continue
                param_name = self._get_variable_name(param.name)
                m = tf.get_variable(
                    name=param_name + "/adam_m",
                    shape=param.shape.as_list(),
                    dtype=tf.float32,
                    trainable=False,
                    initializer=tf.zeros_initializer(),
                )
                v = tf.get_variable(
                    name=param_name + "/adam_v",
                    shape=param.shape.as_list(),
                    dtype=tf.float32,
                    trainable=False,
                    initializer=tf.zeros_initializer(),
                )
                next_m = tf.multiply(self.beta_1, m) + tf.multiply(1.0 - self.beta_1, grad)
                next_v = tf.multiply(self.beta_2, v) + tf.multiply(
                    1.0 - self.beta_2, tf.square(grad)
                )
                update = next_m / (tf.sqrt(next_v) + self.epsilon)
                if self._do_use_weight_decay(param_name):
                    update += self.weight_decay_rate * param
                next_param = param - self.learning_rate * update
                assignments.extend([param.assign(next_param), m.assign(next_m), v.assign(next_v)])
            return tf.group(*assignments, name=name)

        def _do_use_weight_decay(self, param_name):
            if not self.weight_decay_rate:
                return False
            for r in self.exclude_from_weight_decay or []:
                if re.search(r, param_name) is not None:
                    return False
            return True

        def _get_variable_name(self, param_name):
            m = re.match("^(.*):\\d+$", param_name)
            return m.group(1) if m is not None else param_name

    return AdamWeightDecayOptimizer


def _bert_model(tf):
    ids = tf.constant([[1, 4, 2], [3, 3, 0]])
    with tf.variable_scope("bert"):
        emb = tf.get_variable(
            "word_embeddings", initializer=np.linspace(-1, 1, 20, dtype=np.float32).reshape(5, 4)
        )
        w = tf.get_variable(
            "dense/kernel", initializer=np.linspace(0.5, -0.5, 8, dtype=np.float32).reshape(4, 2)
        )
        beta = tf.get_variable("LayerNorm/beta", initializer=np.array([0.1, -0.1], np.float32))
    x = tf.reduce_mean(tf.nn.embedding_lookup(emb, ids), axis=1)
    y = tf.tanh(tf.matmul(x, w) + beta)
    return tf.reduce_mean(tf.square(y - np.array([[0.3, -0.2], [0.1, 0.4]], np.float32)))


def case_bert_adam_weight_decay_training(tf, show):
    loss = _bert_model(tf)
    init_lr, num_train_steps, num_warmup_steps = 0.1, 10, 3
    global_step = tf.train.get_or_create_global_step()
    learning_rate = tf.constant(value=init_lr, shape=[], dtype=tf.float32)
    learning_rate = tf.train.polynomial_decay(
        learning_rate, global_step, num_train_steps, end_learning_rate=0.0, power=1.0, cycle=False
    )
    global_steps_int = tf.cast(global_step, tf.int32)
    warmup_steps_int = tf.constant(num_warmup_steps, dtype=tf.int32)
    global_steps_float = tf.cast(global_steps_int, tf.float32)
    warmup_steps_float = tf.cast(warmup_steps_int, tf.float32)
    warmup_learning_rate = init_lr * (global_steps_float / warmup_steps_float)
    is_warmup = tf.cast(global_steps_int < warmup_steps_int, tf.float32)
    learning_rate = (1.0 - is_warmup) * learning_rate + is_warmup * warmup_learning_rate
    optimizer = _bert_optimizer_class(tf)(
        learning_rate=learning_rate,
        weight_decay_rate=0.01,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-6,
        exclude_from_weight_decay=["LayerNorm", "layer_norm", "bias"],
    )
    tvars = tf.trainable_variables()
    grads = tf.gradients(loss, tvars)
    grads, _ = tf.clip_by_global_norm(grads, clip_norm=1.0)
    train_op = optimizer.apply_gradients(zip(grads, tvars, strict=False), global_step=global_step)
    # BERT groups ``global_step.assign(global_step + 1)`` with the train op, which races with
    # the learning-rate reads of the step (TF's executor happens to run the increment first);
    # here the increment runs after the update so the case is deterministic.
    with tf.control_dependencies([train_op]):
        train_op = tf.group(train_op, [global_step.assign(global_step + 1)])
    print([v.name for v in tf.global_variables()])
    print(optimizer.get_name(), optimizer.get_slot_names(), optimizer.variables())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(train_op)
        for v in tf.global_variables():
            print(v.op.name)
            show(sess.run(v))


def _sign_optimizer_class(tf):
    class SignMomentum(tf.train.Optimizer):
        """var -= lr * sign(m) * (1 + |g|); m = beta*m + g; counts steps in a non-slot var."""

        def __init__(self, learning_rate, beta=0.5, use_locking=False, name="SignMomentum"):
            super().__init__(use_locking, name)
            self._lr = learning_rate
            self._beta = beta

        def _create_slots(self, var_list):
            first_var = min(var_list, key=lambda x: x.name)
            self._create_non_slot_variable(
                initial_value=0.0, name="sign_steps", colocate_with=first_var
            )
            for v in var_list:
                self._zeros_slot(v, "m", self._name)
                self._get_or_make_slot(
                    v, tf.ones_like(v.initialized_value()) * 0.5, "scale", self._name
                )

        def _prepare(self):
            self._lr_t = tf.convert_to_tensor(
                self._call_if_callable(self._lr), name="learning_rate"
            )
            self._beta_t = tf.convert_to_tensor(self._beta, name="beta")

        def _apply_dense(self, grad, var):
            m = self.get_slot(var, "m")
            scale = self.get_slot(var, "scale")
            m_t = m.assign(self._beta_t * m + grad, use_locking=self._use_locking)
            step = tf.sign(m_t) * (scale + tf.abs(grad)) * self._lr_t
            return tf.assign_sub(var, step, use_locking=self._use_locking).op

        def _apply_sparse(self, grad, var):
            m = self.get_slot(var, "m")
            scale = self.get_slot(var, "scale")
            m_rows = tf.gather(m, grad.indices) * self._beta_t + grad.values
            m_t = tf.scatter_update(m, grad.indices, m_rows)
            with tf.control_dependencies([m_t]):
                rows = (
                    tf.sign(m_rows)
                    * (tf.gather(scale, grad.indices) + tf.abs(grad.values))
                    * self._lr_t
                )
                return tf.scatter_sub(var, grad.indices, rows).op

        def _finish(self, update_ops, name_scope):
            with tf.control_dependencies(update_ops):
                steps = self._get_non_slot_variable("sign_steps", tf.get_default_graph())
                inc = steps.assign_add(1.0)
            return tf.group(*[*update_ops, inc], name=name_scope)

    return SignMomentum


def case_custom_hooks_optimizer(tf, show):
    loss = _bert_model(tf)
    gs = tf.train.get_or_create_global_step()
    opt = _sign_optimizer_class(tf)(0.05)
    train = opt.minimize(loss, global_step=gs)
    print(train.name, train.type)
    print([v.name for v in tf.global_variables()])
    print(opt.get_slot_names(), [v.name for v in opt.variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        for v in tf.global_variables():
            print(v.op.name)
            show(sess.run(v))


def case_unimplemented_hooks(tf, show, expect_error):
    loss = _bert_model(tf)

    class Bare(tf.train.Optimizer):
        pass

    expect_error(lambda: Bare(False, "Bare").minimize(loss))
    expect_error(lambda: Bare(False, ""))
