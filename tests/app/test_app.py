"""tf.app.run, tf.flags and tf.logging (flag parsing is global: scripts run in subprocesses).

The expected outputs are TF 1.x's behaviour (tf.app.run tolerates undefined flags and passes
them to main; main's return value is the exit status; FLAGS parse sys.argv on first read).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import scopeflow.compat.v1 as tf

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _run_script(tmp_path: Path, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(source), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=SRC)
    return subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


PROGRAM = """
    import scopeflow.compat.v1 as tf

    flags = tf.app.flags
    flags.DEFINE_string("name", "world", "who")
    flags.DEFINE_integer("steps", 3, "steps")
    flags.DEFINE_float("lr", 0.1, "learning rate")
    flags.DEFINE_boolean("verbose", False, "chatty")
    flags.DEFINE_bool("dry", True, "dry run")
    flags.DEFINE_list("layers", ["a", "b"], "layers")
    flags.DEFINE_enum("mode", "train", ["train", "eval"], "mode")
    flags.DEFINE_multi_string("tag", [], "tags")
    tf.flags.DEFINE_string(flag_name="old", default_value="x", docstring="old keywords")
    FLAGS = tf.flags.FLAGS

    def main(argv):
        print(argv[1:], FLAGS.name, FLAGS.steps, FLAGS.lr, FLAGS.verbose, FLAGS.dry,
              FLAGS.layers, FLAGS.mode, FLAGS.tag, FLAGS.old)
        return FLAGS.steps

    if __name__ == "__main__":
        tf.app.run()
"""


def test_app_run_parses_flags_and_exits_with_main_result(tmp_path):
    out = _run_script(
        tmp_path,
        PROGRAM,
        "--name=tf",
        "--steps",
        "7",
        "--lr=0.5",
        "--verbose",
        "--nodry",
        "--layers=x,y,z",
        "--mode=eval",
        "--tag=a",
        "--tag=b",
        "--unknown_flag=1",
        "positional",
    )
    assert out.returncode == 7, out.stderr
    assert out.stdout.strip() == (
        "['--unknown_flag=1', 'positional'] tf 7 0.5 True False ['x', 'y', 'z'] eval ['a', 'b'] x"
    )


def test_app_run_bad_flag_value_fails(tmp_path):
    out = _run_script(tmp_path, PROGRAM, "--steps=abc")
    assert out.returncode == 1
    assert "flag --steps=abc: invalid literal for int() with base 10: 'abc'" in out.stderr
    out = _run_script(tmp_path, PROGRAM, "--mode=test")
    assert out.returncode == 1
    assert "value should be one of <train|eval>" in out.stderr


def test_flags_parse_argv_on_first_read(tmp_path):
    source = """
        import sys
        import scopeflow.compat.v1 as tf
        tf.flags.DEFINE_integer("n", 1, "n")
        print(tf.flags.FLAGS.n)
    """
    out = _run_script(tmp_path, source, "--n=5")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "5"


def test_app_run_default_main_and_zero_exit(tmp_path):
    source = """
        import scopeflow.compat.v1 as tf
        def main(_):
            tf.logging.set_verbosity(tf.logging.INFO)
            tf.logging.info("step %d", 3)
        tf.app.run()
    """
    out = _run_script(tmp_path, source)
    assert out.returncode == 0, out.stderr
    assert "INFO:tensorflow:step 3" in out.stderr
    assert "prog.py:5] step 3" in out.stderr


def test_logging_levels_and_counters(caplog):
    logger = logging.getLogger("tensorflow")
    old = logger.level
    tf.logging.set_verbosity(tf.logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG, logger="tensorflow"):
            for i in range(7):
                tf.logging.log_every_n(tf.logging.INFO, "every %d", 3, i)
            for i in range(5):
                tf.logging.log_first_n(tf.logging.WARN, "first %d", 2, i)
            tf.logging.log_if(tf.logging.ERROR, "if %s", False, "no")
            tf.logging.log_if(tf.logging.ERROR, "if %s", True, "yes")
            tf.logging.vlog(tf.logging.DEBUG, "v")
            tf.logging.warn("w")
            tf.logging.TaskLevelStatusMessage("status")
            tf.logging.fatal("f")
        got = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "tensorflow"]
    finally:
        logger.setLevel(old)
    assert got == [
        ("INFO", "every 0"),
        ("INFO", "every 3"),
        ("INFO", "every 6"),
        ("WARNING", "first 0"),
        ("WARNING", "first 1"),
        ("ERROR", "if yes"),
        ("DEBUG", "v"),
        ("WARNING", "w"),
        ("ERROR", "status"),
        ("CRITICAL", "f"),
    ]


def test_enable_eager_execution_is_unsupported():
    with pytest.raises(NotImplementedError, match=r"tf\.enable_eager_execution"):
        tf.enable_eager_execution()
    tf.disable_v2_behavior()
    tf.compat.v1.disable_eager_execution()


def test_gfile_rejects_remote_schemes():
    with pytest.raises(NotImplementedError, match="file system scheme 'gs'"):
        tf.gfile.Exists("gs://bucket/x")
    assert tf.gfile.Exists("file:///")
