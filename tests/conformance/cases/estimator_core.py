"""tf.estimator (TF 1.15): RunConfig, EstimatorSpec checks, numpy_input_fn batches, and an
Estimator's train / evaluate / predict / train_and_evaluate / warm start on a small model:
variable names, model_dir files, checkpoint steps, event tags, metric values, predictions.

TF 2.21 no longer ships tf.estimator: the golden file is recorded by running TF 1.15's own
estimator source on TF 2.21 (``tools/tf_estimator_shim.py``, ``TF_ESTIMATOR_SRC``).
"""

import re
import shutil
import tempfile
from pathlib import Path

import numpy as np

_X = (np.arange(20, dtype=np.float32).reshape(10, 2) / 10.0).astype(np.float32)
_Y = (_X @ np.array([[2.0], [-1.0]], np.float32) + 0.5).astype(np.float32)
_K1 = [[0.3, -0.2, 0.5], [0.1, 0.4, -0.3]]
_K2 = [[0.6], [-0.4], [0.2]]


def _model_fn(tf):
    def model_fn(features, labels, mode, params):
        x = features["x"]
        # Constant initial values: a seeded random initializer's op seed is the graph's op count
        # when it is created, which the input pipeline (TF: queues, here: tf.data) changes.
        hidden = tf.layers.dense(
            x, 3, activation=tf.nn.relu, name="hidden",
            kernel_initializer=tf.constant_initializer(_K1), bias_initializer=tf.ones_initializer(),
        )  # fmt: skip
        pred = tf.layers.dense(
            hidden, 1, name="out", kernel_initializer=tf.constant_initializer(_K2)
        )
        predictions = {"pred": pred, "twice": 2.0 * pred}
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode, predictions=predictions)
        loss = tf.losses.mean_squared_error(labels, pred)
        opt = tf.train.GradientDescentOptimizer(params["lr"])
        train_op = opt.minimize(loss, global_step=tf.train.get_global_step())
        metrics = {
            "mae": tf.metrics.mean_absolute_error(labels, pred),
            "pred_mean": tf.metrics.mean(pred),
        }
        return tf.estimator.EstimatorSpec(
            mode, predictions=predictions, loss=loss, train_op=train_op, eval_metric_ops=metrics
        )

    return model_fn


def _input_fn(tf, batch_size=4, num_epochs=1, n=10):
    return tf.estimator.inputs.numpy_input_fn(
        {"x": _X[:n]}, _Y[:n], batch_size=batch_size, num_epochs=num_epochs, shuffle=False
    )


def _files(d):
    """The names in directory ``d`` (event file names without their time and host)."""
    out = []
    for path in sorted(Path(d).iterdir()):
        name = re.sub(r"^events\.out\.tfevents\..*$", "events.out.tfevents.*", path.name)
        out.append(name + ("/" if path.is_dir() else ""))
    return out


def _ckpt_state(d):
    text = (Path(d) / "checkpoint").read_text()
    return re.sub(r'"[^"]*/', '"', text).strip().splitlines()


def _events(tf, d):
    """Event steps and summary tags of the event files in ``d`` (values of 'loss' rounded)."""
    out = []
    for path in sorted(Path(d).glob("events.out.tfevents.*")):
        for ev in tf.train.summary_iterator(str(path)):
            what = ev.WhichOneof("what")
            if what == "summary":
                tags = []
                for v in ev.summary.value:
                    if v.tag.startswith("enqueue_input/"):
                        # TF 1.15's numpy_input_fn feeds a FIFOQueue whose fullness summary
                        # this is; scopeflow's input_fn reads a tf.data pipeline (no queue).
                        continue
                    if v.tag == "loss" or v.tag == "mae":
                        tags.append(f"{v.tag}={v.simple_value:.4f}")
                    else:
                        tags.append(v.tag)
                out.append((ev.step, what, tags))
            elif what != "file_version":
                out.append((ev.step, what))
    return out


def _err(fn, *paths):
    """Print ``ERROR <Kind>: <message>`` with object addresses and temp paths normalized.

    A checkpoint's variable map in a message is cut: TF prints it in its reader's hash order.
    """
    try:
        fn()
    except Exception as exc:  # recording the error is the point
        kind = next(c.__name__ for c in type(exc).__mro__ if c.__module__ == "builtins")
        text = re.sub(r" at 0x[0-9a-f]+", " at 0x", str(exc))
        text = re.sub(r" checkpoint \{.*\}$", " checkpoint {...}", text)
        for i, path in enumerate(paths):
            text = text.replace(path, f"<dir{i}>")
        print(f"ERROR {kind}: {text}")
    else:
        print("NO ERROR")


def _round(d):
    return {k: (round(float(v), 4) if k != "global_step" else int(v)) for k, v in sorted(d.items())}


def _estimator(tf, model_dir, **config):
    config.setdefault("tf_random_seed", 7)
    return tf.estimator.Estimator(
        _model_fn(tf),
        model_dir=model_dir,
        params={"lr": 0.05},
        config=tf.estimator.RunConfig(**config),
    )


def case_run_config(tf, show, expect_error):
    c = tf.estimator.RunConfig()
    show(
        c.model_dir, c.tf_random_seed, c.save_summary_steps, c.save_checkpoints_steps,
        c.save_checkpoints_secs, c.keep_checkpoint_max, c.keep_checkpoint_every_n_hours,
        c.log_step_count_steps, c.session_config, c.is_chief, c.master, c.num_ps_replicas,
        c.num_worker_replicas, c.task_type, c.task_id, c.global_id_in_cluster,
    )  # fmt: skip
    c2 = tf.estimator.RunConfig(model_dir="/tmp/a", save_checkpoints_steps=10)
    show(c2.model_dir, c2.save_checkpoints_steps, c2.save_checkpoints_secs)
    c3 = c2.replace(save_checkpoints_secs=30, keep_checkpoint_max=2)
    show(c3.save_checkpoints_steps, c3.save_checkpoints_secs, c3.keep_checkpoint_max)
    show(c2.save_checkpoints_steps, c2.keep_checkpoint_max)
    expect_error(lambda: tf.estimator.RunConfig(save_checkpoints_steps=1, save_checkpoints_secs=2))
    expect_error(lambda: c2.replace(master="x"))
    expect_error(lambda: c2.replace(save_summary_steps=-1))
    expect_error(lambda: tf.estimator.RunConfig(model_dir=""))
    expect_error(lambda: tf.estimator.RunConfig(tf_random_seed=1.5))
    expect_error(lambda: tf.estimator.RunConfig(log_step_count_steps=0))
    show(tf.estimator.ModeKeys.TRAIN, tf.estimator.ModeKeys.EVAL, tf.estimator.ModeKeys.PREDICT)


def case_estimator_spec_checks(tf, show, expect_error):
    mk = tf.estimator.ModeKeys
    loss = tf.constant([1.5])
    x = tf.constant([[1.0, 2.0]])
    spec = tf.estimator.EstimatorSpec(mk.EVAL, loss=loss)
    show(str(spec.loss.shape), spec.predictions, spec.eval_metric_ops, spec.training_hooks)
    show(type(spec.scaffold).__name__, spec.train_op, spec.mode)
    show(spec._fields)
    expect_error(lambda: tf.estimator.EstimatorSpec(mk.TRAIN, loss=loss))
    expect_error(lambda: tf.estimator.EstimatorSpec(mk.EVAL))
    expect_error(lambda: tf.estimator.EstimatorSpec(mk.PREDICT))
    expect_error(lambda: tf.estimator.EstimatorSpec(mk.EVAL, loss=tf.constant([1.0, 2.0])))
    expect_error(lambda: tf.estimator.EstimatorSpec(mk.EVAL, loss=1.0))
    expect_error(lambda: tf.estimator.EstimatorSpec(mk.PREDICT, predictions={"a": 3}))
    expect_error(lambda: tf.estimator.EstimatorSpec(mk.EVAL, loss=loss, training_hooks=[1]))
    expect_error(lambda: tf.estimator.EstimatorSpec(mk.EVAL, loss=loss, eval_metric_ops={"m": x}))
    expect_error(lambda: tf.estimator.EstimatorSpec(mk.EVAL, loss=loss, eval_metric_ops=[x]))
    expect_error(lambda: tf.estimator.EstimatorSpec(mk.EVAL, loss=loss, scaffold=1))
    expect_error(lambda: spec._replace(mode=mk.TRAIN))
    show(spec._replace(predictions=x).predictions.name)
    with tf.Graph().as_default():
        other = tf.constant(1.0)
    expect_error(lambda: tf.estimator.EstimatorSpec(mk.EVAL, loss=other))


def case_model_fn_signature(tf, show, expect_error):
    d = tempfile.mkdtemp()
    try:

        def no_features(labels):
            return labels

        def no_params(features):
            return features

        def extra(features, foo):
            return features

        _err(lambda: tf.estimator.Estimator(no_features, model_dir=d))
        _err(lambda: tf.estimator.Estimator(no_params, model_dir=d, params={"a": 1}))
        _err(lambda: tf.estimator.Estimator(extra, model_dir=d))
        _err(lambda: tf.estimator.Estimator(None, model_dir=d))
        _err(
            lambda: tf.estimator.Estimator(
                _model_fn(tf), model_dir=d, config=tf.estimator.RunConfig(model_dir="/other")
            ),
            d,
        )
        expect_error(lambda: tf.estimator.Estimator(_model_fn(tf), model_dir=d, config=1))
        est = tf.estimator.Estimator(_model_fn(tf), model_dir=d, params={"lr": 0.1})
        show(
            est.model_dir == d,
            est.params,
            est.config.model_dir == d,
            est.eval_dir("x") == d + "/eval_x",
        )
        show(est.latest_checkpoint())
        _err(est.get_variable_names, d)

        seen = []

        def fn(features, mode, config):
            seen.append((sorted(features), mode, config.tf_random_seed))
            return tf.estimator.EstimatorSpec(mode, predictions=features["x"])

        est2 = tf.estimator.Estimator(
            fn, model_dir=d, config=tf.estimator.RunConfig(tf_random_seed=3)
        )
        inp = tf.estimator.inputs.numpy_input_fn({"x": _X[:3]}, batch_size=2, shuffle=False)
        show([p.tolist() for p in est2.predict(inp)])
        show(seen)
        expect_error(lambda: est2.train(_input_fn(tf), steps=1))
        expect_error(lambda: est2.train(_input_fn(tf), steps=1, max_steps=2))
        expect_error(lambda: est2.train(_input_fn(tf), steps=0))
        expect_error(lambda: est2.evaluate(_input_fn(tf), steps=0))
        expect_error(lambda: est2.train(_input_fn(tf), hooks=[1]))
    finally:
        shutil.rmtree(d)


def case_numpy_input_fn(tf, show, expect_error):
    x = {"b": np.arange(7, dtype=np.int64), "a": np.arange(14, dtype=np.float64).reshape(7, 2)}
    y = np.arange(7, dtype=np.int32) * 10
    for kw in (
        {"batch_size": 3, "num_epochs": 1},
        {"batch_size": 3, "num_epochs": 2},
        {"batch_size": 4, "num_epochs": None},
    ):
        with tf.Graph().as_default():
            features, target = tf.estimator.inputs.numpy_input_fn(x, y, shuffle=False, **kw)()
            show(sorted(features), features["a"].dtype.name, str(features["a"].shape))
            show(str(features["b"].shape), target.dtype.name, str(target.shape))
            batches = []
            with tf.Session() as sess:
                sess.run(tf.local_variables_initializer())
                coord = tf.train.Coordinator()
                threads = tf.train.start_queue_runners(sess, coord)
                try:
                    for _ in range(6):
                        f, t = sess.run([features, target])
                        batches.append((f["b"].tolist(), f["a"][:, 0].tolist(), t.tolist()))
                except tf.errors.OutOfRangeError:
                    batches.append("OutOfRange")
                coord.request_stop()
                coord.join(threads)
            show(batches)
    with tf.Graph().as_default():
        single = tf.estimator.inputs.numpy_input_fn(np.ones([3, 2]), shuffle=False)()
        show(isinstance(single, tf.Tensor), str(single.shape), single.dtype.name)
        fy = tf.estimator.inputs.numpy_input_fn(
            {"a": np.ones([3])}, {"t1": np.ones([3]), "t0": np.zeros([3])}, shuffle=False
        )()
        show(sorted(fy[0]), sorted(fy[1]))
    expect_error(lambda: tf.estimator.inputs.numpy_input_fn(x, y))
    expect_error(lambda: tf.estimator.inputs.numpy_input_fn(x, y[:3], shuffle=False)())  # noqa: PLW0108
    expect_error(lambda: tf.estimator.inputs.numpy_input_fn([1, 2], shuffle=False)())  # noqa: PLW0108
    expect_error(lambda: tf.estimator.inputs.numpy_input_fn({}, shuffle=False)())  # noqa: PLW0108
    expect_error(lambda: tf.estimator.inputs.numpy_input_fn(x, {"a": y}, shuffle=False)())  # noqa: PLW0108


def case_train_evaluate_predict(tf, show, expect_error):
    d = tempfile.mkdtemp()
    try:
        est = _estimator(
            tf, d, save_checkpoints_steps=3, save_summary_steps=2, log_step_count_steps=2,
            keep_checkpoint_max=3,
        )  # fmt: skip
        est.train(_input_fn(tf, batch_size=3, num_epochs=2))
        show(_files(d))
        show(_ckpt_state(d))
        show(Path(est.latest_checkpoint()).name)
        show(est.get_variable_names())
        show(np.round(est.get_variable_value("out/kernel"), 4).tolist())
        show(est.get_variable_value("global_step"))
        show(_events(tf, d))
        text = (Path(d) / "graph.pbtxt").read_text()
        show("node {" in text, 'name: "global_step"' in text)

        res = est.evaluate(_input_fn(tf, batch_size=4))
        show(_round(res), sorted(res), type(res["global_step"]).__name__)
        show(_files(d), _files(str(Path(d) / "eval")))
        show(_events(tf, str(Path(d) / "eval")))
        res2 = est.evaluate(_input_fn(tf, batch_size=3, num_epochs=None), steps=2, name="two")
        show(_round(res2), _files(d))
        res3 = est.evaluate(
            _input_fn(tf, batch_size=5), checkpoint_path=str(Path(d) / "model.ckpt-6")
        )
        show(_round(res3))

        preds = list(est.predict(_input_fn(tf, batch_size=4, n=5)))
        show(len(preds), sorted(preds[0]), [round(float(p["pred"][0]), 4) for p in preds])
        show(preds[0]["pred"].shape, preds[0]["pred"].dtype.name)
        only = list(est.predict(_input_fn(tf, batch_size=4, n=5), predict_keys=["twice"]))
        show(sorted(only[0]), round(float(only[4]["twice"][0]), 4))
        batches = list(est.predict(_input_fn(tf, batch_size=4, n=5), yield_single_examples=False))
        show(len(batches), [b["pred"].shape for b in batches])
        expect_error(lambda: list(est.predict(_input_fn(tf, n=5), predict_keys=["nope"])))

        est.train(_input_fn(tf, batch_size=4, num_epochs=None), steps=5)
        show(_ckpt_state(d), est.get_variable_value("global_step"))
        est.train(_input_fn(tf, batch_size=4, num_epochs=None), max_steps=10)
        est.train(_input_fn(tf, batch_size=4, num_epochs=None), max_steps=10)
        show(_ckpt_state(d), est.get_variable_value("global_step"))
        show([e for e in _events(tf, d) if e[0] > 9])
    finally:
        shutil.rmtree(d)


def case_dataset_input_fn_and_metrics_errors(tf, show, expect_error):
    d = tempfile.mkdtemp()
    try:

        def input_fn():
            ds = tf.data.Dataset.from_tensor_slices(({"x": _X}, _Y))
            return ds.batch(4)

        est = _estimator(tf, d, save_checkpoints_secs=None, save_checkpoints_steps=None)
        est.train(input_fn)
        show(_files(d))
        est2 = _estimator(tf, d)
        est2.train(input_fn)
        show(_ckpt_state(d))
        show(_round(est2.evaluate(input_fn)))
        show(
            [
                round(float(p["pred"][0]), 4)
                for p in est2.predict(lambda: input_fn().map(lambda f, _: f))
            ]
        )

        def bad_metric_fn(features, labels, mode):
            loss = tf.reduce_mean(features["x"]) + 0.0 * tf.reduce_sum(tf.get_variable("v", [1]))
            return tf.estimator.EstimatorSpec(
                mode, loss=loss, train_op=tf.no_op(),
                eval_metric_ops={"loss": tf.metrics.mean(loss)},
            )  # fmt: skip

        bad = tf.estimator.Estimator(bad_metric_fn, model_dir=d + "_bad")
        expect_error(lambda: bad.evaluate(input_fn))

        def global_step_metric_fn(features, labels, mode):
            loss = tf.reduce_mean(features["x"]) + 0.0 * tf.reduce_sum(tf.get_variable("v", [1]))
            return tf.estimator.EstimatorSpec(
                mode, loss=loss, train_op=tf.no_op(),
                eval_metric_ops={"global_step": tf.metrics.mean(loss)},
            )  # fmt: skip

        gs = tf.estimator.Estimator(global_step_metric_fn, model_dir=d + "_bad")
        expect_error(lambda: gs.evaluate(input_fn))
        shutil.rmtree(d + "_bad", ignore_errors=True)
    finally:
        shutil.rmtree(d)


def case_train_and_evaluate(tf, show, expect_error):
    d = tempfile.mkdtemp()
    try:
        est = _estimator(tf, d, save_checkpoints_steps=4, save_summary_steps=100)
        train_spec = tf.estimator.TrainSpec(
            _input_fn(tf, batch_size=3, num_epochs=None), max_steps=10
        )
        eval_spec = tf.estimator.EvalSpec(_input_fn(tf, batch_size=5), steps=None, throttle_secs=0)
        metrics, exports = tf.estimator.train_and_evaluate(est, train_spec, eval_spec)
        show(_round(metrics), exports)
        show(_ckpt_state(d))
        show(_events(tf, str(Path(d) / "eval")))
        show(train_spec.hooks, eval_spec.name, eval_spec.start_delay_secs)
        expect_error(lambda: tf.estimator.TrainSpec(1))
        expect_error(lambda: tf.estimator.TrainSpec(lambda: 1, max_steps=0))
        expect_error(lambda: tf.estimator.EvalSpec(lambda: 1, steps=0))
        expect_error(lambda: tf.estimator.EvalSpec(lambda: 1, name=3))
        expect_error(lambda: tf.estimator.EvalSpec(lambda: 1, throttle_secs=-1))
        expect_error(lambda: tf.estimator.train_and_evaluate(est, train_spec, None))
        expect_error(lambda: tf.estimator.train_and_evaluate(1, train_spec, eval_spec))
    finally:
        shutil.rmtree(d)


def case_warm_start(tf, show, expect_error):
    a = tempfile.mkdtemp()
    b = tempfile.mkdtemp()
    c = tempfile.mkdtemp()
    try:
        est_a = _estimator(tf, a)
        est_a.train(_input_fn(tf, batch_size=3, num_epochs=3))
        show(_round(est_a.evaluate(_input_fn(tf))))
        est_b = tf.estimator.Estimator(
            _model_fn(tf), model_dir=b, params={"lr": 0.0}, warm_start_from=a,
            config=tf.estimator.RunConfig(tf_random_seed=99),
        )  # fmt: skip
        show(_round(est_b.evaluate(_input_fn(tf))))
        est_b.train(_input_fn(tf), steps=1)
        show(
            np.array_equal(
                est_b.get_variable_value("out/kernel"), est_a.get_variable_value("out/kernel")
            )
        )
        show(est_b.get_variable_value("global_step"))
        ws = tf.estimator.WarmStartSettings(a, vars_to_warm_start="hidden.*")
        show(ws.vars_to_warm_start, ws.var_name_to_prev_var_name, ws.var_name_to_vocab_info)
        est_c = tf.estimator.Estimator(
            _model_fn(tf), model_dir=c, params={"lr": 0.0}, warm_start_from=ws,
            config=tf.estimator.RunConfig(tf_random_seed=99),
        )  # fmt: skip
        est_c.train(_input_fn(tf), steps=1)
        for name in ("hidden/kernel", "out/kernel"):
            show(
                name, np.array_equal(est_c.get_variable_value(name), est_a.get_variable_value(name))
            )
        expect_error(lambda: tf.estimator.WarmStartSettings(""))
        expect_error(lambda: tf.estimator.Estimator(_model_fn(tf), model_dir=c, warm_start_from=3))
    finally:
        for d in (a, b, c):
            shutil.rmtree(d)


def case_model_summaries_hooks_and_throttle(tf, show):
    d = tempfile.mkdtemp()
    try:

        def model_fn(features, labels, mode):
            init = tf.constant_initializer([[0.5], [-0.5]])
            pred = tf.layers.dense(features["x"], 1, name="lin", kernel_initializer=init)
            loss = tf.losses.mean_squared_error(labels, pred)
            tf.summary.scalar("pred_mean", tf.reduce_mean(pred))
            tf.summary.histogram("pred", pred)
            train_op = tf.train.GradientDescentOptimizer(0.1).minimize(
                loss, global_step=tf.train.get_global_step()
            )
            return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)

        config = tf.estimator.RunConfig(
            save_checkpoints_steps=3, save_summary_steps=4, log_step_count_steps=None
        )
        est = tf.estimator.Estimator(model_fn, d, config=config)
        metrics, _ = tf.estimator.train_and_evaluate(
            est,
            tf.estimator.TrainSpec(_input_fn(tf, batch_size=2, num_epochs=None), max_steps=9),
            tf.estimator.EvalSpec(_input_fn(tf, batch_size=5), steps=1),
        )
        show(_round(metrics))
        show(_ckpt_state(d))
        # Which steps the summary hook writes varies between TF runs here (its global-step read
        # races the train op's increment), so only what is written is compared.
        train_events = _events(tf, d)
        show(sorted({tag.split("=")[0] for e in train_events if len(e) > 2 for tag in e[2]}))
        show([e[:2] for e in train_events if e[1] != "summary"])
        show(_events(tf, str(Path(d) / "eval")))
    finally:
        shutil.rmtree(d)


def case_hooks_listeners_scaffold(tf, show, expect_error):
    d = tempfile.mkdtemp()
    try:
        log = []

        class Hook(tf.train.SessionRunHook):
            def __init__(self, name):
                self.name = name

            def begin(self):
                log.append((self.name, "begin"))

            def after_create_session(self, session, coord):
                log.append((self.name, "create", int(session.run(tf.train.get_global_step()))))

            def before_run(self, run_context):
                return tf.train.SessionRunArgs(tf.train.get_global_step())

            def after_run(self, run_context, run_values):
                log.append((self.name, "run", int(run_values.results)))

            def end(self, session):
                log.append((self.name, "end"))

        class Listener(tf.train.CheckpointSaverListener):
            def before_save(self, session, global_step_value):
                log.append(("listener", "before_save", int(global_step_value)))

            def after_save(self, session, global_step_value):
                log.append(("listener", "after_save", int(global_step_value)))

            def end(self, session, global_step_value):
                log.append(("listener", "end", int(global_step_value)))

        def model_fn(features, labels, mode):
            init = tf.constant_initializer([[0.5], [-0.5]])
            pred = tf.layers.dense(features["x"], 1, name="lin", kernel_initializer=init)
            if mode == tf.estimator.ModeKeys.PREDICT:
                return tf.estimator.EstimatorSpec(
                    mode, predictions=pred, prediction_hooks=[Hook("prediction_hooks")]
                )
            loss = tf.losses.mean_squared_error(labels, pred)
            train_op = tf.train.GradientDescentOptimizer(0.1).minimize(
                loss, global_step=tf.train.get_global_step()
            )

            def init_fn(scaffold, session):
                log.append(("scaffold", "init_fn"))

            return tf.estimator.EstimatorSpec(
                mode, loss=loss, train_op=train_op,
                training_hooks=[Hook("training_hooks")],
                training_chief_hooks=[Hook("training_chief_hooks")],
                evaluation_hooks=[Hook("evaluation_hooks")],
                scaffold=tf.train.Scaffold(init_fn=init_fn),
            )  # fmt: skip

        config = tf.estimator.RunConfig(save_checkpoints_steps=2, log_step_count_steps=None)
        est = tf.estimator.Estimator(model_fn, d, config=config)
        est.train(
            _input_fn(tf, batch_size=4, num_epochs=None), steps=3,
            hooks=[Hook("hooks")], saving_listeners=[Listener()],
        )  # fmt: skip
        show(log)
        del log[:]
        est.train(_input_fn(tf, batch_size=4, num_epochs=None), steps=1)
        show(log)
        del log[:]
        est.evaluate(_input_fn(tf, batch_size=4), steps=2, hooks=[Hook("eval")])
        show(log)
        del log[:]
        n = len(list(est.predict(_input_fn(tf, batch_size=4, n=6), hooks=[Hook("predict")])))
        show(n, log)
        expect_error(lambda: est.train(_input_fn(tf), steps=1, saving_listeners=[1]))
        no_ckpt = tf.estimator.Estimator(
            model_fn, d + "_none",
            config=tf.estimator.RunConfig(save_checkpoints_steps=None, save_checkpoints_secs=None),
        )  # fmt: skip
        expect_error(lambda: no_ckpt.train(_input_fn(tf), steps=1, saving_listeners=[Listener()]))
        shutil.rmtree(d + "_none", ignore_errors=True)
    finally:
        shutil.rmtree(d)


def case_train_warm_start(tf, show, expect_error):
    d = tempfile.mkdtemp()
    try:
        with tf.Graph().as_default():
            with tf.variable_scope("old"):
                tf.get_variable("w", initializer=[[1.0, 2.0]])
                tf.get_variable("b", initializer=[3.0])
            tf.get_variable("m", initializer=[5.0], trainable=False)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                tf.train.Saver().save(sess, str(Path(d) / "model.ckpt"), global_step=4)
        with tf.Graph().as_default():
            with tf.variable_scope("old"):
                w = tf.get_variable("w", [1, 2], initializer=tf.zeros_initializer())
                b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
            m = tf.get_variable("m", [1], initializer=tf.zeros_initializer(), trainable=False)
            new = tf.get_variable("new", [1], initializer=tf.zeros_initializer())
            tf.train.warm_start(d, vars_to_warm_start="old/w")
            tf.train.warm_start(d, vars_to_warm_start=["m"])
            tf.train.warm_start(
                d, vars_to_warm_start=[new], var_name_to_prev_var_name={"new": "old/b"}
            )
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                show(sess.run([w, b, m, new]))
            _err(lambda: tf.train.warm_start(d, var_name_to_prev_var_name={"nope": "old/b"}), d)
            _err(
                lambda: tf.train.warm_start(
                    d, vars_to_warm_start="old.*", var_name_to_prev_var_name={"nope": "old/b"}
                ),
                d,
            )
            expect_error(lambda: tf.train.warm_start(d, vars_to_warm_start=3))
            show(tf.train.VocabInfo("a.txt", 3, 1, "b.txt")._fields)
    finally:
        shutil.rmtree(d)


def case_seeded_initial_values(tf, show):
    """tf_random_seed gives TF's initial values: input_fns draw op seeds only where TF's do."""

    def model_fn(features, labels, mode):
        w = tf.get_variable("w", [2, 3])
        b = tf.layers.dense(features["x"], 2, name="d")
        pred = tf.reduce_sum(tf.matmul(features["x"], w), 1, keepdims=True) + 0.0 * b[:, :1]
        loss = tf.losses.mean_squared_error(labels, pred)
        train_op = tf.train.GradientDescentOptimizer(0.0).minimize(
            loss, global_step=tf.train.get_global_step()
        )
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)

    inputs = {
        "dataset": lambda: tf.data.Dataset.from_tensor_slices(({"x": _X}, _Y)).batch(4),
        "numpy": _input_fn(tf, batch_size=4),
        "numpy_shuffled": tf.estimator.inputs.numpy_input_fn(
            {"x": _X}, _Y, batch_size=4, shuffle=True
        ),
    }
    for name, input_fn in inputs.items():
        d = tempfile.mkdtemp()
        try:
            est = tf.estimator.Estimator(
                model_fn, d, config=tf.estimator.RunConfig(tf_random_seed=11)
            )
            est.train(input_fn, steps=1)
            show(name, est.get_variable_value("w"), est.get_variable_value("d/kernel"))
        finally:
            shutil.rmtree(d)


def case_early_stopping(tf, show, expect_error):
    d = tempfile.mkdtemp()
    try:
        est = _estimator(tf, d, save_checkpoints_steps=2, log_step_count_steps=None)
        exp = tf.estimator.experimental
        hooks = [
            exp.stop_if_no_decrease_hook(est, "mae", 3, run_every_secs=None, run_every_steps=1),
            exp.stop_if_higher_hook(est, "pred_mean", 99.0, run_every_secs=None, run_every_steps=1),
        ]
        train_spec = tf.estimator.TrainSpec(
            _input_fn(tf, batch_size=2, num_epochs=None), max_steps=40, hooks=hooks
        )
        eval_spec = tf.estimator.EvalSpec(_input_fn(tf, batch_size=5), steps=1, throttle_secs=0)
        metrics, _ = tf.estimator.train_and_evaluate(est, train_spec, eval_spec)
        show(_round(metrics))
        show(_ckpt_state(d))
        show(est.get_variable_names())
        show(est.get_variable_value("signal_early_stopping/STOP"))
        d2 = tempfile.mkdtemp()
        est2 = _estimator(tf, d2, save_checkpoints_steps=2, log_step_count_steps=None)
        lower = exp.stop_if_lower_hook(est2, "loss", 10.0, run_every_secs=None, run_every_steps=1)
        est2.train(_input_fn(tf, batch_size=2, num_epochs=None), max_steps=5, hooks=[lower])
        show(est2.get_variable_value("global_step"))
        est2.evaluate(_input_fn(tf, batch_size=5), steps=1)
        est2.train(_input_fn(tf, batch_size=2, num_epochs=None), max_steps=9, hooks=[lower])
        show(
            est2.get_variable_value("global_step"),
            est2.get_variable_value("signal_early_stopping/STOP"),
        )
        shutil.rmtree(d2)
        expect_error(lambda: exp.make_early_stopping_hook(1, lambda: True))
        expect_error(lambda: exp.make_early_stopping_hook(est, lambda: True, 1, 1))
        expect_error(
            lambda: exp.make_early_stopping_hook(est, 1, run_every_secs=None, run_every_steps=1)
        )
    finally:
        shutil.rmtree(d)


def case_add_metrics(tf, show, expect_error):
    d = tempfile.mkdtemp()
    try:
        est = _estimator(tf, d, save_checkpoints_steps=None, save_checkpoints_secs=600)
        est.train(_input_fn(tf, batch_size=5, num_epochs=1))

        def metric_fn(labels, predictions, features, config):
            return {
                "mae": tf.metrics.mean(predictions["twice"]),
                "rmse": tf.metrics.root_mean_squared_error(labels, predictions["pred"]),
                "x_mean": tf.metrics.mean(features["x"]),
                "seed": (tf.constant(float(config.tf_random_seed)), tf.no_op()),
            }

        extended = tf.estimator.add_metrics(est, metric_fn)
        show(extended.model_dir == est.model_dir, extended is est)
        show(_round(extended.evaluate(_input_fn(tf, batch_size=4))))
        show(_round(est.evaluate(_input_fn(tf, batch_size=4))))
        show(sorted(_files(str(Path(d) / "eval"))))

        def bad(labels, weights):
            return {}

        _err(lambda: tf.estimator.add_metrics(est, bad))
    finally:
        shutil.rmtree(d)
