"""Monitored sessions and hooks: what the TF conformance recordings cannot pin down.

Recovery from a preemption error, timers driven by a fake clock, queue runners, run-option
merging, loadable graph files, the order of hook reads and training ops, and ProfilerHook's
timelines. TF's observable behaviour is in tests/conformance/cases/train_monitored.py.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest
from google.protobuf import text_format

import scopeflow.compat.v1 as tf
from scopeflow.protos import graph_pb2, meta_graph_pb2
from scopeflow.train import basic_session_run_hooks


def _model():
    step = tf.train.get_or_create_global_step()
    x = tf.get_variable("x", initializer=5.0)
    loss = tf.square(x)
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    return step, x, loss, train_op


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = _Clock()
    monkeypatch.setattr(basic_session_run_hooks.time, "time", c.time)
    return c


@pytest.mark.slow
def test_recoverable_session_recreates_the_session_after_aborted_error():
    step, _, _, train_op = _model()
    created = []

    class AbortOnce(tf.train.SessionRunHook):
        def __init__(self) -> None:
            self.raised = False

        def after_create_session(self, session, coord):
            created.append(session)

        def before_run(self, run_context):
            if not self.raised and run_context.session.run(step) == 2:
                self.raised = True
                raise tf.errors.AbortedError(None, None, "preempted")

    with tf.train.MonitoredSession(hooks=[AbortOnce()]) as sess:
        values = [int(sess.run([train_op, step])[1]) for _ in range(4)]
    # the new session re-initialized the model (no checkpoint to restore from)
    assert values == [1, 2, 1, 2]
    assert len(created) == 2
    assert created[0] is not created[1]


def test_singular_session_does_not_recover():
    _, _, _, train_op = _model()

    class Abort(tf.train.SessionRunHook):
        def before_run(self, run_context):
            raise tf.errors.AbortedError(None, None, "preempted")

    sess = tf.train.SingularMonitoredSession(hooks=[Abort()])
    with pytest.raises(tf.errors.AbortedError, match="preempted"):
        sess.run(train_op)
    sess.close()


@pytest.mark.slow
def test_recovered_session_restores_the_latest_checkpoint(tmp_path):
    step, _x, _, train_op = _model()
    saver_hook = tf.train.CheckpointSaverHook(str(tmp_path), save_steps=2)

    class AbortAtThree(tf.train.SessionRunHook):
        def __init__(self) -> None:
            self.raised = False

        def before_run(self, run_context):
            if not self.raised and run_context.session.run(step) == 3:
                self.raised = True
                raise tf.errors.UnavailableError(None, None, "worker gone")

    chief = tf.train.ChiefSessionCreator(checkpoint_dir=str(tmp_path))
    with tf.train.MonitoredSession(chief, hooks=[saver_hook, AbortAtThree()]) as sess:
        steps = [int(sess.run([train_op, step])[1]) for _ in range(4)]
    assert steps == [1, 2, 3, 3]  # the step-2 checkpoint was restored after the error


@pytest.mark.slow
def test_checkpoint_saver_hook_save_secs_with_a_fake_clock(tmp_path, clock):
    step, _, _, train_op = _model()
    hook = tf.train.CheckpointSaverHook(str(tmp_path), save_secs=10, save_graph_def=False)
    with tf.train.SingularMonitoredSession(hooks=[hook]) as sess:
        for i in range(1, 7):
            clock.now += 4  # 4 s per step: 10 s pass between steps 2 and 3, 5 and 6 ...
            sess.run(train_op)
            assert sess.raw_session().run(step) == i
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state is not None
    names = [p.rsplit("/", 1)[-1] for p in state.all_model_checkpoint_paths]
    # saved at creation (0), once 10 s passed (step 3 at t+12, step 6 at t+24), no double at end
    assert names == ["model.ckpt-0", "model.ckpt-3", "model.ckpt-6"]


def test_logging_tensor_hook_every_n_secs_with_a_fake_clock(clock, caplog):
    step, _, _, train_op = _model()
    hook = tf.train.LoggingTensorHook({"step": step}, every_n_secs=5)
    with (
        caplog.at_level("INFO", logger="tensorflow"),
        tf.train.MonitoredSession(hooks=[hook]) as sess,
    ):
        for _ in range(6):
            clock.now += 2
            sess.run(train_op)
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("step =")]
    # first run logs; then a run logs once 5 s passed since the last log (6 s: every 3rd run)
    assert logged == ["step = 1", "step = 4 (6.000 sec)"]


def test_step_counter_hook_writes_steps_per_second(tmp_path, clock):
    _, _, _, train_op = _model()
    hook = tf.train.StepCounterHook(every_n_steps=2, output_dir=str(tmp_path))
    with tf.train.MonitoredSession(hooks=[hook]) as sess:
        for _ in range(5):
            clock.now += 0.5
            sess.run(train_op)
    tf.summary.FileWriterCache.clear()
    values = []
    for path in sorted(tmp_path.iterdir()):
        for event in tf.train.summary_iterator(str(path)):
            values += [(event.step, v.tag, v.simple_value) for v in event.summary.value]
    # triggered at step 1 (first), then 3 and 5: 2 steps in 1 fake second each time
    assert values == [(3, "global_step/sec", 2.0), (5, "global_step/sec", 2.0)]


def test_hook_reads_of_the_global_step_happen_before_the_training_op():
    _step, _, _, train_op = _model()
    stale = []

    class Reader(tf.train.SessionRunHook):
        def begin(self):
            from scopeflow.train.training_util import _get_or_create_global_step_read

            self._read = _get_or_create_global_step_read()

        def before_run(self, run_context):
            return tf.train.SessionRunArgs(self._read)

        def after_run(self, run_context, run_values):
            stale.append(int(run_values.results))

    with tf.train.MonitoredSession(hooks=[Reader()]) as sess:
        for _ in range(3):
            sess.run(train_op)
    assert stale == [0, 1, 2]


def test_queue_runners_start_with_the_session_and_stop_with_it():
    q = tf.FIFOQueue(4, tf.int32, shapes=[])
    counter = tf.Variable(0, name="counter")
    enqueue = q.enqueue(tf.assign_add(counter, 1))
    tf.train.add_queue_runner(tf.train.QueueRunner(q, [enqueue]))
    value = q.dequeue()
    before = threading.active_count()
    with tf.train.MonitoredSession() as sess:
        got = [int(sess.run(value)) for _ in range(5)]
    assert got == [1, 2, 3, 4, 5]
    assert threading.active_count() <= before + 1  # the runner threads were joined


def test_hook_run_options_are_merged():
    _, _, _, train_op = _model()
    seen = []

    class WithOptions(tf.train.SessionRunHook):
        def __init__(self, level: int, timeout: int) -> None:
            self.level, self.timeout = level, timeout

        def before_run(self, run_context):
            options = tf.RunOptions(trace_level=self.level, timeout_in_ms=self.timeout)
            return tf.train.SessionRunArgs(None, options=options)

        def after_run(self, run_context, run_values):
            seen.append((run_values.options.trace_level, run_values.options.timeout_in_ms))

    hooks = [WithOptions(tf.RunOptions.FULL_TRACE, 5), WithOptions(1, 50)]
    with tf.train.MonitoredSession(hooks=hooks) as sess:
        sess.run(train_op)
    assert seen == [(3, 50), (3, 50)]


@pytest.mark.slow
def test_written_graph_files_parse_with_the_saver_def(tmp_path):
    _, _, _, train_op = _model()
    with tf.train.MonitoredTrainingSession(
        checkpoint_dir=str(tmp_path), hooks=[tf.train.StopAtStepHook(last_step=3)]
    ) as sess:
        while not sess.should_stop():
            sess.run(train_op)
    latest = tf.train.latest_checkpoint(str(tmp_path))
    assert latest is not None
    assert latest.endswith("model.ckpt-3")
    meta = meta_graph_pb2.MetaGraphDef.FromString(Path(latest + ".meta").read_bytes())
    assert meta.saver_def.filename_tensor_name == "save/Const:0"
    assert meta.saver_def.sharded  # the Scaffold's default saver is sharded, as TF's
    graph_def = text_format.Parse((tmp_path / "graph.pbtxt").read_text(), graph_pb2.GraphDef())
    names = {n.name for n in graph_def.node}
    assert {"global_step", "x", "save/MergeV2Checkpoints", "group_deps", "concat"} <= names
    reader = tf.train.load_checkpoint(latest)
    assert reader.get_tensor("global_step") == 3
    np.testing.assert_allclose(reader.get_tensor("x"), 5.0 * 0.8**3, rtol=1e-6)


def test_supervisor_reraises_an_error_from_the_managed_block(tmp_path):
    _model()
    sv = tf.train.Supervisor(logdir=str(tmp_path), save_model_secs=0, save_summaries_secs=0)
    with pytest.raises(ValueError, match="inside"), sv.managed_session():
        raise ValueError("inside")
    assert sv.should_stop()


def test_profiler_hook_writes_timelines_of_traced_runs(tmp_path):
    # TF's schedule: the first run starts the timer; steps 2 and 4 are traced.
    _, _, _, train_op = _model()
    hook = tf.train.ProfilerHook(save_steps=2, output_dir=str(tmp_path))
    with tf.train.MonitoredSession(hooks=[hook]) as sess:
        for _ in range(5):
            sess.run(train_op)
    tf.summary.FileWriterCache.get(str(tmp_path)).flush()
    assert sorted(p.name for p in tmp_path.glob("timeline-*.json")) == [
        "timeline-2.json",
        "timeline-4.json",
    ]
    trace = json.loads((tmp_path / "timeline-2.json").read_text())
    names = {e["args"]["name"] for e in trace["traceEvents"] if e["ph"] == "X"}
    assert "GradientDescent/update_x/ApplyGradientDescent" in names
    tags = [
        e.tagged_run_metadata.tag
        for p in tmp_path.glob("events.out.tfevents.*")
        for e in tf.train.summary_iterator(str(p))
        if e.HasField("tagged_run_metadata")
    ]
    assert tags == ["step_2", "step_4"]


def test_looper_thread_runs_target_until_stop():
    coord = tf.train.Coordinator()
    calls = []
    done = threading.Event()

    def target(tag):
        calls.append(tag)
        if len(calls) == 3:
            done.set()

    looper = tf.train.LooperThread.loop(coord, None, target, args=("x",))
    assert done.wait(10)
    coord.request_stop()
    coord.join([looper])
    assert calls[:3] == ["x", "x", "x"]
    with pytest.raises(ValueError, match="'coord' argument must be a Coordinator"):
        tf.train.LooperThread(None, 1)  # type: ignore[arg-type]


def test_tensorflow_training_module_paths_resolve_under_the_import_hook():
    from scopeflow.run import tensorflow_import_hook

    with tensorflow_import_hook():
        from tensorflow.python.training import (  # type: ignore[import-not-found]
            basic_session_run_hooks as bsrh,
        )
        from tensorflow.python.training import (  # type: ignore[import-not-found]
            monitored_session,
            session_manager,
            session_run_hook,
            supervisor,
        )
        from tensorflow.python.training.coordinator import (  # type: ignore[import-not-found]
            LooperThread,
        )

        assert session_run_hook.SessionRunHook is tf.train.SessionRunHook
        assert session_run_hook.SessionRunArgs is tf.train.SessionRunArgs
        assert bsrh.StopAtStepHook is tf.train.StopAtStepHook
        assert bsrh.SecondOrStepTimer is tf.train.SecondOrStepTimer
        assert monitored_session.MonitoredTrainingSession is tf.train.MonitoredTrainingSession
        assert monitored_session.Scaffold is tf.train.Scaffold
        assert monitored_session._HookedSession is not None
        assert session_manager.SessionManager is tf.train.SessionManager
        assert supervisor.Supervisor is tf.train.Supervisor
        assert LooperThread is tf.train.LooperThread


def test_string_tensors_gather_and_concat():
    # the kernels under TF's report_uninitialized_variables graph, which the Scaffold builds
    names = tf.constant([["a", "b"], ["c", "d"]])
    with tf.Session() as sess:
        got = sess.run(tf.gather(names, [1, 0, 1], axis=1))
        assert got.tolist() == [[b"b", b"a", b"b"], [b"d", b"c", b"d"]]
        got = sess.run(tf.concat([names, tf.constant([["e", "f"]])], 0))
        assert got.tolist() == [[b"a", b"b"], [b"c", b"d"], [b"e", b"f"]]
        mask = tf.constant([False, True])
        assert sess.run(tf.boolean_mask(tf.constant(["u", "v"]), mask)).tolist() == [b"v"]
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[0\] = 5 is not in"):
            sess.run(tf.gather(tf.constant(["u", "v"]), [5]))


@pytest.mark.slow
def test_increment_global_step_and_summary_dir(tmp_path):
    from scopeflow.train.training_util import _increment_global_step

    with pytest.raises(ValueError, match="Global step tensor should be created"):
        _increment_global_step(1)
    tf.train.get_or_create_global_step()
    inc = _increment_global_step(2)
    assert inc.name == "global_step/AssignAdd:0"
    tf.summary.scalar("two", tf.constant(2.0))
    ckpt, summaries = tmp_path / "ckpt", tmp_path / "summaries"
    with tf.train.MonitoredTrainingSession(
        checkpoint_dir=str(ckpt),
        summary_dir=str(summaries),
        hooks=[tf.train.StopAtStepHook(last_step=6)],
    ) as sess:
        while not sess.should_stop():
            sess.run(inc)
    tf.summary.FileWriterCache.clear()
    ckpt_tags, summary_tags = set(), set()
    for folder, tags in ((ckpt, ckpt_tags), (summaries, summary_tags)):
        for path in folder.glob("events.out.tfevents.*"):
            for event in tf.train.summary_iterator(str(path)):
                tags.update(v.tag for v in event.summary.value)
    assert summary_tags == {"two"}  # summaries go to summary_dir,
    assert ckpt_tags == set()  # checkpoint events stay with the checkpoints
    # StopAtStepHook expects steps of 1: it checks the real step only once stale + 1 >= 6,
    # which first holds at the run that starts at 6 (TF's rule), so training ends at 8
    assert tf.train.latest_checkpoint(str(ckpt)).endswith("model.ckpt-8")


def test_tf_verify_monitored_meta_record_says_all_pass():
    """``tools/tf_verify_monitored_meta.py`` (run with real TF) loaded our files in TF."""
    record = Path(__file__).resolve().parent / "golden" / "tf_verify_monitored_meta.txt"
    lines = record.read_text().splitlines()
    results = [line for line in lines if line.startswith(("PASS ", "FAIL "))]
    assert len(results) == 2
    assert all(line.startswith("PASS ") for line in results), results
    assert lines[-1] == "RESULT: ALL PASS"


def test_basic_train_loop_retries_after_aborted_error(tmp_path):
    step = tf.train.get_or_create_global_step()
    inc = tf.assign_add(step, 1)
    sv = tf.train.Supervisor(logdir=str(tmp_path), save_model_secs=0, save_summaries_secs=0)
    seen = []

    def train_step(sess, limit, abort_at=None):
        value = int(sess.run(inc))
        seen.append(value)
        if value == abort_at and seen.count(value) == 1:
            raise tf.errors.AbortedError(None, None, "restart")
        if value >= limit:
            sv.request_stop()

    tf.train.basic_train_loop(sv, train_step, args=[3], kwargs={"abort_at": 2})
    # the AbortedError at 2 started a new managed session, which re-initialized the model
    assert seen == [1, 2, 1, 2, 3]
