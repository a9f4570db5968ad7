"""Monitored sessions, hooks, Scaffold, SessionManager, Supervisor: callbacks, files, events, logs.

Directories are temporary; only relative file names are printed. Log lines come from the
``tensorflow`` logger with the directory replaced by ``<dir>`` and elapsed times by ``T``;
events are printed as (step, kind, tags or status) without wall times.
"""

import logging
import re
import shutil
import tempfile
import time
from pathlib import Path


class _Logs(logging.Handler):
    def __init__(self, tf, d=None, racy=False):
        super().__init__()
        self.racy = racy
        self.tf = tf
        self.d = d
        self.lines = []

    def emit(self, record):
        msg = record.getMessage()
        if self.d:
            msg = msg.replace(self.d, "<dir>")
        msg = re.sub(r"\d+\.\d+ sec", "T sec", msg)
        msg = re.sub(r"global_step/sec: [0-9.e+inf]+", "global_step/sec: T", msg)
        if msg.startswith(("Issue encountered when serializing", "From ")):
            return  # TF logs these (and deprecation notices) while scopeflow warns
        if self.racy:
            msg = re.sub(r"step \d+", "step N", msg)
        self.lines.append(f"{record.levelname}: {msg}")

    def __enter__(self):
        self.logger = logging.getLogger("tensorflow")
        self.old = self.logger.level
        self.logger.setLevel(logging.INFO)
        self.logger.addHandler(self)
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self)
        self.logger.setLevel(self.old)

    def dump(self):
        for line in self.lines:
            print("LOG", line)
        self.lines = []


def _listing(d):
    # writers opened within the same second share one event file (TF's naming): count none
    names = {p.name for p in Path(d).iterdir()}
    names = {"events" if n.startswith("events.out.tfevents") else n for n in names}
    return sorted(names)


def _state(tf, d):
    text = (Path(d) / "checkpoint").read_text()
    return text.replace(d + "/", "").replace(d, ".")


def _events(tf, d, sort=False, racy=False):
    tf.summary.FileWriterCache.clear()
    rows = []
    for path in sorted(Path(d).iterdir()):
        if not path.name.startswith("events.out.tfevents"):
            continue
        for e in tf.train.summary_iterator(str(path)):
            kind = e.WhichOneof("what")
            if kind == "summary":
                detail = [v.tag for v in e.summary.value]
            elif kind == "session_log":
                ckpt = e.session_log.checkpoint_path.replace(d, "<dir>")
                detail = [e.session_log.status, ckpt]
            else:
                detail = []
            racy_step = racy and (kind == "summary" or detail[:1] == [3])
            rows.append(("-" if racy_step else e.step, kind, detail))
    if sort:
        rows.sort(key=repr)
    for row in rows:
        print("EVENT", *row)


def _cleanup(tf, d):
    tf.summary.FileWriterCache.clear()
    shutil.rmtree(d)


def _model(tf):
    step = tf.train.get_or_create_global_step()
    # The hooks read the global step through TF's cached read tensor; TF's executor may run that
    # read before or after the training op's increment (the summary steps then vary between TF
    # runs); the loss, which the gradient does not need, may also see the updated variable.
    # Ordering the training op after both makes TF deterministic.
    tf.train.StepCounterHook(every_n_steps=1).begin()  # creates the cached read tensor
    read = tf.get_collection("global_step_read_op_cache")[0]
    x = tf.get_variable("x", initializer=5.0)
    loss = tf.square(x, name="loss")
    tf.summary.scalar("loss", loss)
    with tf.control_dependencies([read, loss]):
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    return step, x, loss, train_op


def _recorder(tf, name):
    class Recorder(tf.train.SessionRunHook):
        def __init__(self, fetches=None, stop_at=None):
            self.fetches = fetches
            self.stop_at = stop_at
            self.n = 0

        def begin(self):
            print(name, "begin finalized", tf.get_default_graph().finalized)

        def after_create_session(self, session, coord):
            print(
                name,
                "after_create_session",
                type(session).__name__,
                type(coord).__name__,
                tf.get_default_graph().finalized,
            )

        def before_run(self, run_context):
            args = run_context.original_args
            fetch = args.fetches
            names = [getattr(f, "name", f) for f in fetch] if isinstance(fetch, list) else fetch
            names = getattr(names, "name", names)
            feeds = sorted(k.name for k in (args.feed_dict or {}))
            print(name, "before_run", names, feeds, run_context.stop_requested)
            if self.fetches is not None:
                return tf.train.SessionRunArgs(self.fetches)
            return None

        def after_run(self, run_context, run_values):
            self.n += 1
            res = run_values.results
            if isinstance(res, dict):
                res = {k: float(v) for k, v in sorted(res.items())}
            elif res is not None:
                res = float(res)
            print(name, "after_run", res, type(run_values.options).__name__)
            if self.stop_at is not None and self.n >= self.stop_at:
                run_context.request_stop()

        def end(self, session):
            print(name, "end", type(session).__name__)

    return Recorder


def case_hook_call_order(tf, show):
    step, _x, loss, train_op = _model(tf)
    a = _recorder(tf, "A")(fetches={"loss": loss, "step": step})
    b = _recorder(tf, "B")(stop_at=3)
    with tf.train.MonitoredSession(hooks=[a, b]) as sess:
        print("created, graph finalized", tf.get_default_graph().finalized)
        while not sess.should_stop():
            show(sess.run([train_op, step]))
        print("should_stop", sess.should_stop())
    print("after with: finalized", tf.get_default_graph().finalized, sess.should_stop())


def case_singular_session_raw_and_feeds(tf, show, expect_error):
    _step, x, _loss, _train_op = _model(tf)
    p = tf.placeholder(tf.float32, [], name="p")
    q = tf.placeholder(tf.float32, [], name="q")
    out = p + q

    class FeedP(tf.train.SessionRunHook):
        def before_run(self, run_context):
            return tf.train.SessionRunArgs(None, feed_dict={p: 10.0})

    rec = _recorder(tf, "R")()
    with tf.train.SingularMonitoredSession(hooks=[FeedP(), rec]) as sess:
        show(sess.run(out, feed_dict={q: 1.0}))
        show(sess.raw_session().run(x))
        expect_error(lambda: sess.run(out, feed_dict={p: 1.0, q: 2.0}))
    with tf.train.SingularMonitoredSession(hooks=[FeedP(), FeedP()]) as sess:
        expect_error(lambda: sess.run(out, feed_dict={q: 2.0}))
    with tf.train.SingularMonitoredSession(hooks=[tf.train.FeedFnHook(lambda: {q: 5.0})]) as s:
        show(s.run(out, feed_dict={p: 1.0}))


def case_run_after_stop_and_close(tf, show, expect_error):
    _step, _x, _loss, train_op = _model(tf)
    sess = tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(num_steps=2)])
    show(sess.run(train_op), sess.should_stop())
    show(sess.run(train_op), sess.should_stop())
    expect_error(lambda: sess.run(train_op))
    sess.close()
    show(sess.should_stop(), sess.graph)
    expect_error(sess.close)


def case_stop_at_step_hook(tf, show, expect_error):
    expect_error(tf.train.StopAtStepHook)
    expect_error(lambda: tf.train.StopAtStepHook(num_steps=1, last_step=2))
    with tf.Graph().as_default():
        tf.constant(1.0)
        hook = tf.train.StopAtStepHook(num_steps=2)
        expect_error(hook.begin)
    step, _x, _loss, train_op = _model(tf)
    for kwargs in ({"num_steps": 4}, {"last_step": 3}, {"last_step": 0}):
        with tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(**kwargs)]) as sess:
            n = 0
            while not sess.should_stop():
                sess.run(train_op)
                n += 1
            print(kwargs, "runs", n, "step", sess.run(step) if not sess.should_stop() else "-")


def case_out_of_range_ends_loop(tf, show):
    step = tf.train.get_or_create_global_step()
    data = tf.data.Dataset.from_tensor_slices([1.0, 2.0, 3.0])
    value = tf.data.make_one_shot_iterator(data).get_next()
    inc = tf.assign_add(step, 1)
    rec = _recorder(tf, "R")()
    got = []
    with tf.train.MonitoredSession(hooks=[rec]) as sess:
        while not sess.should_stop():
            got.append(sess.run([value, inc]))
    show(got)
    print("closed", sess.should_stop())


def case_exception_skips_end(tf, show):
    _step, _x, _loss, train_op = _model(tf)
    rec = _recorder(tf, "R")()
    try:
        with tf.train.MonitoredSession(hooks=[rec]) as sess:
            sess.run(train_op)
            raise ValueError("boom")
    except ValueError as e:
        print("raised", e)


def case_run_step_fn(tf, show, expect_error):
    step, _x, _loss, train_op = _model(tf)
    rec = _recorder(tf, "R")()
    with tf.train.MonitoredSession(hooks=[rec]) as sess:

        def step_fn(step_context):
            print("raw session", type(step_context.session).__name__)
            return step_context.run_with_hooks(train_op), step_context.session.run(step)

        show(sess.run_step_fn(step_fn))
        expect_error(lambda: sess.run_step_fn(lambda ctx: None))

        def stop_fn(step_context):
            step_context.request_stop()

        expect_error(lambda: sess.run_step_fn(stop_fn))
    with tf.train.MonitoredSession() as sess:

        class Runner:
            def fn(self, step_context):
                return step_context.session.run(step)

        show(sess.run_step_fn(Runner().fn))
        sess.run_step_fn(stop_fn)
        print("unreachable")
    print("stopped by StopIteration")


def case_scaffold_defaults(tf, show, expect_error):
    _step, _x, _loss, _train_op = _model(tf)
    tf.get_variable("local", initializer=1, collections=[tf.GraphKeys.LOCAL_VARIABLES])
    scaffold = tf.train.Scaffold()
    show(scaffold.init_op, scaffold.ready_op, scaffold.saver)
    scaffold.finalize()
    g = tf.get_default_graph()
    print(scaffold.init_op.name, scaffold.init_op.type)
    print(scaffold.ready_op.name, scaffold.ready_op.dtype, scaffold.ready_op.shape)
    print(scaffold.ready_for_local_init_op.name, scaffold.local_init_op.name)
    print(scaffold.summary_op.name, type(scaffold.saver).__name__, g.finalized)
    print(scaffold.saver.saver_def.sharded, scaffold.saver.saver_def.max_to_keep)
    for key in ("init_op", "ready_op", "ready_for_local_init_op", "local_init_op", "summary_op"):
        print(key, [getattr(i, "name", i) for i in g.get_collection(key)])
    print("savers", len(g.get_collection("savers")))
    with tf.Session() as sess:
        show(sess.run(scaffold.ready_op))
        sess.run(scaffold.init_op)
        show(sess.run(scaffold.ready_op), sess.run(scaffold.ready_for_local_init_op))
    again = tf.train.Scaffold().finalize()
    print(again.init_op is scaffold.init_op, again.saver is scaffold.saver)
    copied = tf.train.Scaffold(copy_from_scaffold=scaffold, init_feed_dict={})
    print(copied.init_op is scaffold.init_op, copied.init_feed_dict)
    expect_error(lambda: tf.train.Scaffold(copy_from_scaffold=1))


def case_scaffold_get_or_default_errors(tf, show, expect_error):
    tf.add_to_collection("ready_op", tf.constant(["a"]))
    tf.add_to_collection("ready_op", tf.constant(["b"]))
    expect_error(lambda: tf.train.Scaffold.get_or_default("ready_op", "ready_op", None))
    made = tf.train.Scaffold.get_or_default("x", "my_key", lambda: tf.constant(3, name="made"))
    print(made.name, [t.name for t in tf.get_collection("my_key")])


def case_scaffold_init_fn_and_feed(tf, show):
    v = tf.get_variable("v", initializer=1.0)
    p = tf.placeholder(tf.float32, [])
    w = tf.Variable(p, name="w")
    tf.train.get_or_create_global_step()

    def init_fn(scaffold, session):
        print("init_fn", type(scaffold).__name__, type(session).__name__)
        v.load(7.0, session)

    scaffold = tf.train.Scaffold(init_fn=init_fn, init_feed_dict={p: 3.0})
    with tf.train.MonitoredSession(tf.train.ChiefSessionCreator(scaffold=scaffold)) as sess:
        show(sess.run([v, w]))


def case_checkpoint_saver_steps(tf, show):
    d = tempfile.mkdtemp()
    try:
        _step, _x, _loss, train_op = _model(tf)
        calls = []

        class Listener(tf.train.CheckpointSaverListener):
            def begin(self):
                calls.append("begin")

            def before_save(self, session, global_step_value):
                calls.append(f"before_save {global_step_value}")

            def after_save(self, session, global_step_value):
                calls.append(f"after_save {global_step_value}")

            def end(self, session, global_step_value):
                calls.append(f"end {global_step_value}")

        hooks = [
            tf.train.CheckpointSaverHook(d, save_steps=3, listeners=[Listener()]),
            tf.train.StopAtStepHook(last_step=7),
        ]
        with _Logs(tf, d) as logs, tf.train.SingularMonitoredSession(hooks=hooks) as sess:
            while not sess.should_stop():
                sess.run(train_op)
        logs.dump()
        print(calls)
        print(_listing(d))
        print(_state(tf, d))
        _events(tf, d)
    finally:
        _cleanup(tf, d)


def case_checkpoint_saver_errors_and_stop(tf, show, expect_error):
    d = tempfile.mkdtemp()
    try:
        expect_error(lambda: tf.train.CheckpointSaverHook(d))
        expect_error(lambda: tf.train.CheckpointSaverHook(d, save_steps=1, save_secs=1))
        expect_error(
            lambda: tf.train.CheckpointSaverHook(
                d, save_steps=1, saver=1, scaffold=tf.train.Scaffold()
            )
        )
        _step, _x, _loss, train_op = _model(tf)

        class StopAfterSecond(tf.train.CheckpointSaverListener):
            def after_save(self, session, global_step_value):
                return global_step_value >= 2

        hook = tf.train.CheckpointSaverHook(
            d, save_steps=2, listeners=[StopAfterSecond()], save_graph_def=False
        )
        with tf.train.MonitoredSession(hooks=[hook]) as sess:
            n = 0
            while not sess.should_stop():
                sess.run(train_op)
                n += 1
        print("runs", n)
        print(_listing(d))
    finally:
        _cleanup(tf, d)


def case_mts_defaults_and_resume(tf, show):
    d = tempfile.mkdtemp()
    try:
        step, x, _loss, train_op = _model(tf)
        with _Logs(tf, d) as logs:
            hooks = [tf.train.StopAtStepHook(num_steps=5)]
            with tf.train.MonitoredTrainingSession(checkpoint_dir=d, hooks=hooks) as sess:
                while not sess.should_stop():
                    sess.run(train_op)
            print([type(h).__name__ for h in sess._hooks])
            print(_listing(d))
            print(_state(tf, d))
            hooks = [tf.train.StopAtStepHook(num_steps=3)]
            with tf.train.MonitoredTrainingSession(
                checkpoint_dir=d, hooks=hooks, save_checkpoint_steps=2, log_step_count_steps=None
            ) as sess:
                print("resumed at", sess.run(step), sess.run(x))
                while not sess.should_stop():
                    sess.run(train_op)
            print([type(h).__name__ for h in sess._hooks])
        logs.dump()
        print(_listing(d))
        print(_state(tf, d))
        _events(tf, d)
    finally:
        _cleanup(tf, d)


def case_mts_not_chief_and_chief_only(tf, show, expect_error):
    _step, _x, _loss, _train_op = _model(tf)
    rec = _recorder(tf, "C")()
    sess = tf.train.MonitoredTrainingSession(is_chief=True, chief_only_hooks=[rec])
    print([type(h).__name__ for h in sess._hooks])
    sess.close()
    # a worker waits for a chief to initialize the model; nobody does here
    expect_error(
        lambda: tf.train.MonitoredTrainingSession(
            is_chief=False, chief_only_hooks=[rec], hooks=[], max_wait_secs=0
        )
    )


def case_summary_and_step_counter_events(tf, show):
    d = tempfile.mkdtemp()
    try:
        _step, x, _loss, train_op = _model(tf)
        tf.summary.scalar("x", x)
        with tf.train.MonitoredTrainingSession(
            checkpoint_dir=d,
            save_summaries_steps=3,
            log_step_count_steps=2,
            save_checkpoint_secs=None,
            hooks=[tf.train.StopAtStepHook(last_step=8)],
        ) as sess:
            while not sess.should_stop():
                sess.run(train_op)
        print(_listing(d))
        _events(tf, d)
    finally:
        _cleanup(tf, d)


def case_summary_saver_hook_direct(tf, show, expect_error):
    expect_error(lambda: tf.train.SummarySaverHook(save_steps=1))
    expect_error(lambda: tf.train.SummarySaverHook(save_steps=1, save_secs=1, summary_op=1))
    d = tempfile.mkdtemp()
    try:
        _step, x, _loss, train_op = _model(tf)
        s2 = tf.summary.scalar("extra", x * 2.0)
        hook = tf.train.SummarySaverHook(save_steps=2, output_dir=d, summary_op=[s2])
        with tf.train.MonitoredSession(hooks=[hook, tf.train.StopAtStepHook(5)]) as sess:
            while not sess.should_stop():
                sess.run(train_op)
        _events(tf, d)
    finally:
        _cleanup(tf, d)


def case_logging_tensor_hook(tf, show, expect_error):
    expect_error(lambda: tf.train.LoggingTensorHook(["a"]))
    expect_error(lambda: tf.train.LoggingTensorHook(["a"], every_n_iter=0))
    expect_error(lambda: tf.train.LoggingTensorHook(["a"], every_n_iter=1, every_n_secs=1))
    step, _x, loss, train_op = _model(tf)
    v = tf.constant([[1.0, 2.5e-7], [3.0, 4.0]], name="vec")
    hooks = [
        tf.train.LoggingTensorHook({"loss": loss, "step": step, "vec": v}, every_n_iter=2),
        tf.train.LoggingTensorHook(["loss", "x:0", step], at_end=True),
        tf.train.LoggingTensorHook(
            {"s": step},
            every_n_iter=3,
            at_end=True,
            formatter=lambda values: "step is {}".format(values["s"]),
        ),
        tf.train.StopAtStepHook(last_step=5),
    ]
    with _Logs(tf) as logs, tf.train.MonitoredSession(hooks=hooks) as sess:
        while not sess.should_stop():
            sess.run(train_op)
    logs.dump()
    with tf.Graph().as_default():
        tf.split(tf.constant([1.0, 2.0]), 2, name="two")
        expect_error(tf.train.LoggingTensorHook(["two"], every_n_iter=1).begin)


def case_nan_tensor_hook(tf, show, expect_error):
    step = tf.train.get_or_create_global_step()
    p = tf.placeholder(tf.float32, [])
    loss = tf.identity(p, name="loss")
    train_op = tf.assign_add(step, 1)
    with _Logs(tf) as logs:
        with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss)]) as sess:
            sess.run(train_op, {p: 1.0})
            expect_error(lambda: sess.run(train_op, {p: float("nan")}))
            print("should_stop", sess.should_stop())
        with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss, False)]) as sess:
            sess.run(train_op, {p: float("nan")})
            print("should_stop", sess.should_stop())
    logs.dump()
    print(str(tf.train.NanLossDuringTrainingError()))


def case_final_ops_and_global_step_waiter(tf, show):
    step, x, _loss, train_op = _model(tf)
    final = tf.train.FinalOpsHook({"x": x, "step": step})
    print(final.final_ops_values)
    waiter = tf.train.GlobalStepWaiterHook(wait_until_step=0)
    with tf.train.MonitoredSession(hooks=[final, waiter, tf.train.StopAtStepHook(2)]) as sess:
        while not sess.should_stop():
            sess.run(train_op)
    show(final.final_ops_values)


def case_second_or_step_timer(tf, show, expect_error):
    expect_error(tf.train.SecondOrStepTimer)
    expect_error(lambda: tf.train.SecondOrStepTimer(every_secs=1, every_steps=1))
    t = tf.train.SecondOrStepTimer(every_steps=3)
    print(t.last_triggered_step(), t.should_trigger_for_step(5))
    print(t.update_last_triggered_step(5), t.last_triggered_step())
    print([t.should_trigger_for_step(s) for s in (5, 6, 7, 8, 9)])
    elapsed_secs, elapsed_steps = t.update_last_triggered_step(9)
    print(elapsed_secs >= 0, elapsed_steps)
    t.reset()
    print(t.last_triggered_step(), t.should_trigger_for_step(9))
    s = tf.train.SecondOrStepTimer(every_secs=3600)
    s.update_last_triggered_step(1)
    print(s.should_trigger_for_step(1000000), s.should_trigger_for_step(1))


def case_step_counter_hook_errors(tf, show, expect_error):
    expect_error(lambda: tf.train.StepCounterHook(every_n_steps=None))
    expect_error(lambda: tf.train.StepCounterHook(every_n_steps=1, every_n_secs=1))
    tf.constant(1.0)
    expect_error(tf.train.StepCounterHook().begin)
    d = tempfile.mkdtemp()
    try:
        expect_error(tf.train.CheckpointSaverHook(d, save_steps=1).begin)
    finally:
        _cleanup(tf, d)


def case_session_manager(tf, show, expect_error):
    d = tempfile.mkdtemp()
    try:
        v = tf.get_variable("v", initializer=2.0)
        loc = tf.get_variable("loc", initializer=1.0, collections=["local_variables"])
        ready = tf.report_uninitialized_variables()
        ready_global = tf.report_uninitialized_variables(tf.global_variables())
        saver = tf.train.Saver([v])
        sm = tf.train.SessionManager(
            ready_op=ready,
            ready_for_local_init_op=ready_global,
            local_init_op=loc.initializer,
            recovery_wait_secs=0.01,
        )
        # TF's message shows the repr of its should-use wrapper of the tensor
        expect_error(lambda: tf.train.SessionManager(ready_for_local_init_op=ready_global), False)
        expect_error(lambda: sm.prepare_session(""))
        sess, ok = sm.recover_session("", saver=saver, checkpoint_dir=d)
        print("recovered", ok)
        sess = sm.prepare_session("", init_op=v.initializer)
        sess.run(v.assign(5.0))
        saver.save(sess, str(Path(d) / "m"), global_step=3)
        sess2, ok = sm.recover_session("", saver=saver, checkpoint_dir=d)
        print("recovered", ok, sess2.run([v, loc]))
        sess3 = sm.prepare_session("", init_op=v.initializer, saver=saver, checkpoint_dir=d)
        print(sess3.run(v))
        sess4 = sm.prepare_session(
            "", saver=saver, checkpoint_filename_with_path=str(Path(d) / "m-3")
        )
        print(sess4.run(v))
        expect_error(
            lambda: sm.prepare_session(
                "", saver=saver, checkpoint_dir=d, checkpoint_filename_with_path="x"
            )
        )
        expect_error(lambda: sm.wait_for_session("", max_wait_secs=0))
        bad = tf.train.SessionManager(ready_op=ready)
        try:
            bad.prepare_session("", init_fn=lambda s: None)
        except RuntimeError as e:
            print(re.sub(r" at 0x[0-9a-f]+", "", str(e)))
    finally:
        _cleanup(tf, d)


def case_supervisor(tf, show):
    d = tempfile.mkdtemp()
    try:
        _step, _x, _loss, train_op = _model(tf)
        with _Logs(tf, d, racy=True) as logs:
            sv = tf.train.Supervisor(logdir=d)
            print(sv.ready_op.name, sv.init_op.name, sv.summary_op.name, sv.global_step.name)
            print(sv.is_chief, sv.save_path.replace(d, "<dir>"), sv.save_summaries_secs)
            print(sv.save_model_secs, type(sv.saver).__name__, tf.get_default_graph().finalized)
            with sv.managed_session() as sess:
                # wait until the checkpoint thread's first save, which happens at start
                while not (Path(d) / "checkpoint").exists():
                    time.sleep(0.02)
                for _ in range(4):
                    sess.run(train_op)
                print("should_stop", sv.should_stop())
                sv.saver.save(sess, sv.save_path, global_step=sv.global_step)
            print("after: should_stop", sv.should_stop())
        print(sorted(set(logs.lines)))
        print(_listing(d))
        print(_state(tf, d))
        _events(tf, d, sort=True, racy=True)
    finally:
        _cleanup(tf, d)


def case_supervisor_resume_and_errors(tf, show, expect_error):
    d = tempfile.mkdtemp()
    try:
        with tf.Graph().as_default():
            step, _x, _loss, train_op = _model(tf)
            sv = tf.train.Supervisor(logdir=d, save_model_secs=0, save_summaries_secs=0)
            with sv.managed_session() as sess:
                for _ in range(3):
                    sess.run(train_op)
                sv.saver.save(sess, sv.save_path, global_step=sv.global_step)
        with tf.Graph().as_default():
            step, _x, _loss, train_op = _model(tf)
            sv = tf.train.Supervisor(logdir=d, save_model_secs=0, save_summaries_secs=0)
            with sv.managed_session() as sess:
                print("resumed", sess.run(step))
                raise tf.errors.OutOfRangeError(None, None, "done")
            print("clean stop", sv.should_stop())

            def failing():
                with sv.managed_session():
                    raise ValueError("inside")

            expect_error(failing)
        print(_listing(d))
    finally:
        _cleanup(tf, d)


def case_report_uninitialized_variables_graph(tf, show):
    with tf.Graph().as_default() as g:
        show(tf.Session().run(tf.report_uninitialized_variables()))
        print([(op.name, op.type) for op in g.get_operations()])
    a = tf.Variable(1.0, name="a")
    b = tf.get_variable("b", initializer=2, collections=[tf.GraphKeys.LOCAL_VARIABLES])
    report = tf.report_uninitialized_variables()
    only_a = tf.report_uninitialized_variables([a], name="only_a")
    print(report.name, report.dtype, report.shape, only_a.name)
    ops = tf.get_default_graph().get_operations()
    print([(op.name, op.type) for op in ops if op.name.startswith("report")][:6])
    print(tf.is_variable_initialized(a).op.inputs[0].name)
    with tf.Session() as sess:
        show(sess.run([report, only_a]))
        sess.run(b.initializer)
        show(sess.run([report, only_a]))
        sess.run(a.initializer)
        show(sess.run([report, only_a]))


def case_basic_train_loop(tf, show):
    d = tempfile.mkdtemp()
    try:
        step = tf.train.get_or_create_global_step()
        inc = tf.assign_add(step, 1)
        sv = tf.train.Supervisor(logdir=d, save_model_secs=0, save_summaries_secs=0)
        seen = []

        def train_step(sess, limit, abort_at=None):
            value = int(sess.run(inc))
            seen.append(value)
            if value == abort_at and seen.count(value) == 1:
                raise tf.errors.AbortedError(None, None, "restart")
            if value >= limit:
                sv.request_stop()

        tf.train.basic_train_loop(sv, train_step, args=[3], kwargs={"abort_at": 2})
        show(seen, sv.should_stop())
        print(_listing(d))
    finally:
        _cleanup(tf, d)
