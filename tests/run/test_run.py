"""``scopeflow run``: unmodified ``import tensorflow`` scripts on scopeflow via the import hook."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

import scopeflow.compat.v1 as sf
from scopeflow.errors import TFAttributeNotImplementedError, TFModuleNotImplementedError
from scopeflow.run import tensorflow_import_hook

SRC = str(Path(__file__).resolve().parents[2] / "src")


def scopeflow_run(tmp_path: Path, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(source), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=SRC)
    return subprocess.run(
        [sys.executable, "-m", "scopeflow", "run", str(script), *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=env,
        cwd=tmp_path,
    )


@pytest.mark.slow
def test_script_runs_unmodified_with_argv_main_and_exit_code(tmp_path):
    (tmp_path / "helper.py").write_text("VALUE = 41\n", encoding="utf-8")
    out = scopeflow_run(
        tmp_path,
        """
        import sys
        import helper  # the script's directory is on sys.path, as under python
        import tensorflow as tf
        import tensorflow.compat.v1 as tf1
        from tensorflow.python.ops import array_ops, math_ops, variable_scope
        from tensorflow.python.framework import ops, dtypes
        from tensorflow.python.platform import tf_logging as logging

        tf1.disable_v2_behavior()
        tf.compat.v1.disable_eager_execution()
        tf.disable_resource_variables()

        flags = tf.app.flags
        flags.DEFINE_integer("steps", 2, "steps")
        FLAGS = flags.FLAGS

        def main(argv):
            print(__name__, [a for a in sys.argv[1:]], argv[1:], helper.VALUE + 1)
            print(tf.__version__, tf1.get_variable is tf.get_variable, dtypes.float32 is tf.float32)
            with variable_scope.variable_scope("net"):
                w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
            x = tf.placeholder(tf.float32, [None, 2])
            y = math_ops.reduce_sum(array_ops.reshape(x * w, [-1]))
            print(w.name, y.op.graph is ops.get_default_graph())
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(FLAGS.steps):
                    print(sess.run(y, {x: [[1.0, 2.0]]}))
            logging.info("done")
            return 4

        if __name__ == "__main__":
            tf.app.run()
        """,
        "--steps=3",
        "extra",
    )
    assert out.returncode == 4, out.stderr
    assert out.stdout.splitlines() == [
        "__main__ ['--steps=3', 'extra'] ['extra'] 42",
        "1.15.5 True True",
        "net/w:0 True",
        "3.0",
        "3.0",
        "3.0",
    ]


@pytest.mark.slow
def test_unsupported_api_names_tf_api_and_fails(tmp_path):
    out = scopeflow_run(tmp_path, "import tensorflow as tf\ntf.enable_eager_execution()\n")
    assert out.returncode == 1
    assert "scopeflow does not support tf.enable_eager_execution" in out.stderr
    assert out.stderr.startswith("Traceback (most recent call last):\n  File ")
    assert "runpy" not in out.stderr
    out = scopeflow_run(tmp_path, "import tensorflow as tf\ntf.no_such_api(1)\n")
    assert out.returncode == 1
    assert "scopeflow does not implement tf.no_such_api." in out.stderr
    out = scopeflow_run(tmp_path, "import sys\nsys.exit('bye')\n")
    assert (out.returncode, out.stderr) == (1, "bye\n")


@pytest.mark.slow
def test_missing_script_exits_2(tmp_path):
    env = dict(os.environ, PYTHONPATH=SRC)
    out = subprocess.run(
        [sys.executable, "-m", "scopeflow", "run", str(tmp_path / "nope.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert out.returncode == 2
    assert "can't open file" in out.stderr
    assert "No such file or directory" in out.stderr


def test_hook_maps_public_and_private_paths():
    with tensorflow_import_hook():
        import tensorflow as tf
        import tensorflow.compat.v1 as tf1
        from tensorflow import nn
        from tensorflow.python.framework import errors, tensor_shape
        from tensorflow.python.util import nest

        assert tf.get_variable is sf.get_variable
        assert tf1.nn.relu is sf.nn.relu
        assert nn.relu is sf.nn.relu
        assert tf.compat.v1.train.Saver is sf.train.Saver
        assert errors.NotFoundError is sf.errors.NotFoundError
        assert tensor_shape.TensorShape is sf.TensorShape
        assert nest.flatten([[1], 2]) == [1, 2]
        from tensorflow.core.example import example_pb2
        from tensorflow.python.data.ops import dataset_ops
        from tensorflow.python.lib.io import tf_record

        assert example_pb2.Example is sf.train.Example
        assert dataset_ops.Dataset is sf.data.Dataset
        assert tf_record.TFRecordWriter is sf.python_io.TFRecordWriter
        assert sys.modules["tensorflow.compat.v1"] is tf1
        assert "get_variable" in dir(tf)
    assert "tensorflow" not in sys.modules  # the hook is gone after the block


@pytest.mark.parametrize(
    ("statement", "error", "message"),
    [
        pytest.param("import tensorflow.foo", ImportError, "tf.foo", id="public-module"),
        pytest.param("import tensorflow.compat.v2", ImportError, "tf.compat.v2", id="compat-v2"),
        pytest.param(
            "from tensorflow.python.ops import gen_array_ops",
            ImportError,
            "tensorflow.python.ops.gen_array_ops",
            id="private-module",
        ),
        pytest.param("import tensorflow.python.keras", ImportError, "tensorflow.python.keras"),
        pytest.param("import tensorflow as tf; tf.nn.no_op_x", AttributeError, "tf.nn.no_op_x"),
        pytest.param(
            "from tensorflow.python.ops import array_ops; array_ops.not_an_op",
            AttributeError,
            "tensorflow.python.ops.array_ops.not_an_op",
        ),
    ],
)
def test_hook_unsupported_names(statement, error, message):
    with tensorflow_import_hook(), pytest.raises(error) as info:
        exec(statement, {})
    assert isinstance(info.value, (TFModuleNotImplementedError, TFAttributeNotImplementedError))
    assert str(info.value) == f"scopeflow does not implement {message}."


def test_hook_maps_contrib_and_tf_slim(monkeypatch):
    contrib = types.ModuleType("scopeflow.contrib")
    contrib.__path__ = []
    slim = types.ModuleType("scopeflow.contrib.slim")
    slim.conv2d = "conv2d"
    contrib.slim = slim
    monkeypatch.setitem(sys.modules, "scopeflow.contrib", contrib)
    monkeypatch.setitem(sys.modules, "scopeflow.contrib.slim", slim)
    with tensorflow_import_hook():
        import tf_slim
        from tensorflow.contrib import slim as s

        assert s.conv2d == "conv2d"
        assert tf_slim is s
        with pytest.raises(ImportError, match=r"tf\.contrib\.nope\."):
            exec("from tensorflow.contrib import nope", {})


def test_hook_hides_and_restores_a_preexisting_tensorflow(monkeypatch):
    fake = types.ModuleType("tensorflow")
    monkeypatch.setitem(sys.modules, "tensorflow", fake)
    with tensorflow_import_hook():
        import tensorflow

        assert tensorflow is not fake
        assert tensorflow.Session is sf.Session
    assert sys.modules["tensorflow"] is fake


@pytest.mark.slow
def test_unmodified_tf1_input_pipeline_script(tmp_path):
    """A TF1 program: flags, gfile, TFRecord + tf.train.Example, tf.data, a training loop."""
    out = scopeflow_run(
        tmp_path,
        """
        import os
        import numpy as np
        import tensorflow as tf

        tf.app.flags.DEFINE_string("data_dir", "data", "where the records go")
        tf.app.flags.DEFINE_integer("epochs", 2, "passes over the data")
        FLAGS = tf.app.flags.FLAGS


        def write_records(path):
            with tf.python_io.TFRecordWriter(path) as w:
                for i in range(8):
                    feats = {
                        "x": tf.train.Feature(float_list=tf.train.FloatList(value=[i, 2.0 * i])),
                        "y": tf.train.Feature(float_list=tf.train.FloatList(value=[3.0 * i])),
                    }
                    ex = tf.train.Example(features=tf.train.Features(feature=feats))
                    w.write(ex.SerializeToString())


        def parse(record):
            spec = {
                "x": tf.FixedLenFeature([2], tf.float32),
                "y": tf.FixedLenFeature([1], tf.float32),
            }
            f = tf.parse_single_example(record, spec)
            return f["x"], f["y"]


        def main(_):
            tf.gfile.MakeDirs(FLAGS.data_dir)
            path = os.path.join(FLAGS.data_dir, "train.tfrecord")
            write_records(path)
            print(sorted(tf.gfile.ListDirectory(FLAGS.data_dir)))
            autotune = tf.data.experimental.AUTOTUNE
            ds = tf.data.TFRecordDataset([path]).map(parse, num_parallel_calls=autotune)
            ds = ds.repeat(FLAGS.epochs).batch(4)
            x, y = ds.make_one_shot_iterator().get_next()
            w = tf.get_variable("w", [2, 1], initializer=tf.zeros_initializer())
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
            steps = 0
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                try:
                    while True:
                        sess.run(tf.assign_sub(w, 0.001 * tf.gradients(loss, w)[0]))
                        steps += 1
                except tf.errors.OutOfRangeError:
                    tf.logging.info("end of data after %d steps", steps)
            print("steps", steps)


        if __name__ == "__main__":
            tf.logging.set_verbosity(tf.logging.INFO)
            tf.app.run()
        """,
        "--epochs=3",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["['train.tfrecord']", "steps 6"]
    assert "end of data after 6 steps" in out.stderr
