"""The TF 1 programmer's guide iterator examples (one-shot, initializable, reinitializable,
feedable) run on scopeflow.

``test_tf_guide_code_blocks`` reads the guide itself, ``site/en/r1/guide/datasets.md`` of the
``tensorflow/docs`` repository, from the checkout named by ``SCOPEFLOW_TF_DOCS`` (skipped when
unset), and runs its iterator code blocks with ``tf`` = ``scopeflow.compat.v1`` and a ``sess``,
as the guide assumes. The only edit is bounding the feedable example's ``while True:`` loop to
two rounds. ``test_guide_patterns_equivalent`` is our own equivalent and always runs.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import scopeflow.compat.v1 as tf

GUIDE = "site/en/r1/guide/datasets.md"
MARKERS = (
    "dataset.make_one_shot_iterator()",
    "max_value = tf.placeholder",
    "iterator = tf.data.Iterator.from_structure",
    "tf.data.Iterator.from_string_handle",
)


def _blocks(text: str) -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    return [next(b for b in blocks if marker in b) for marker in MARKERS]


@pytest.mark.slow
def test_tf_guide_code_blocks() -> None:
    root = os.environ.get("SCOPEFLOW_TF_DOCS")
    if not root:
        pytest.skip("SCOPEFLOW_TF_DOCS (a tensorflow/docs checkout) is not set")
    path = Path(root) / GUIDE
    if not path.exists():
        pytest.skip(f"{path} does not exist")
    for block in _blocks(path.read_text(encoding="utf-8")):
        tf.reset_default_graph()
        code = block.replace("while True:", "for _round in range(2):")
        with tf.Session() as sess:
            exec(compile(code, str(path), "exec"), {"tf": tf, "sess": sess})


def test_guide_patterns_equivalent() -> None:
    training = tf.data.Dataset.range(100).map(
        lambda x: x + tf.random_uniform([], -10, 10, tf.int64)
    )
    validation = tf.data.Dataset.range(50)
    it = tf.data.Iterator.from_structure(training.output_types, training.output_shapes)
    nxt = it.get_next()
    train_init, val_init = it.make_initializer(training), it.make_initializer(validation)
    handle = tf.placeholder(tf.string, shape=[])
    feed = tf.data.Iterator.from_string_handle(
        handle, training.output_types, training.output_shapes
    )
    feed_next = feed.get_next()
    train_it = training.repeat().make_one_shot_iterator()
    val_it = validation.make_initializable_iterator()
    with tf.Session() as sess:
        for _ in range(2):
            sess.run(train_init)
            got = [sess.run(nxt) for _ in range(100)]
            assert all(i - 10 <= v < i + 10 for i, v in enumerate(got))
            sess.run(val_init)
            assert [sess.run(nxt) for _ in range(50)] == list(range(50))
        th, vh = sess.run(train_it.string_handle()), sess.run(val_it.string_handle())
        seen = []
        for _ in range(2):
            seen += [sess.run(feed_next, {handle: th}) for _ in range(150)]
            sess.run(val_it.initializer)
            assert [sess.run(feed_next, {handle: vh}) for _ in range(50)] == list(range(50))
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(feed_next, {handle: vh})
        # the training iterator resumed where it stopped: 300 steps over a repeated range
        assert all((i % 100) - 10 <= v < (i % 100) + 10 for i, v in enumerate(seen))
