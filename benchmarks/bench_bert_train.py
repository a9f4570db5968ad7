"""A BERT-base training step (issue 8), scopeflow vs TensorFlow measured in the same run.

The model is our own code written after google-research/bert's ``modeling.py`` and
``optimization.py`` (the same TF1 API spellings, not their source): BERT-base (12 layers, hidden
768, 12 heads, intermediate 3,072, vocabulary 30,522, 512 positions), word embeddings by
``tf.gather``, token types by ``one_hot`` + ``matmul``, positions by ``tf.slice``,
``tf.layers.dense`` projections on ``[batch * seq, 768]``, ``tf.contrib.layers.layer_norm``,
tanh-GELU, the additive attention mask, a pooler and a 2-class classifier loss; the training op is
BERT's recipe: ``polynomial_decay`` with warmup, ``tf.gradients`` of all trainable variables (the
word embeddings' gradient is ``IndexedSlices``), ``clip_by_global_norm(1.0)``, an
``AdamWeightDecayOptimizer`` subclass of ``tf.train.Optimizer`` (dense Adam math with decoupled
weight decay, slots ``adam_m``/``adam_v`` made by ``get_variable``) and the global-step increment.
Dropout is off (``is_training=False`` in BERT's terms) so both libraries do the same arithmetic.

``bert_base_train_step_s``: wall time of one ``sess.run(train_op, feed)`` on a batch of
``--batch`` sequences of ``--seq`` tokens fed from NumPy, median of ``--repeats`` steps after
``--warmup`` steps (``..._cpu_s``: the process CPU time of those steps, all threads, median).
``build_s``: building the graph and running the initializer, once.

    .venv/bin/python benchmarks/bench_bert_train.py --tf-python .tf-oracle/bin/python

TensorFlow runs in a subprocess of ``--tf-python`` (TF 2.21 ``compat.v1`` in TF 1.x mode with
``TF_USE_LEGACY_KERAS=1`` and tf-slim's ``layer_norm`` as ``tf.contrib.layers``).

With ``--interleave`` (for a shared, noisy machine), TF and one or more scopeflow source trees
(``--sf before=OLD/src --sf after=src``) are long-lived workers that build the model once; the
parent asks them in turn, ``--rounds`` times (the order rotating), for ``--steps`` timed steps
and prints the medians of wall and process CPU time with the ratios to TF, and each worker's
loss after all its steps (the same number of steps everywhere):

    .venv/bin/python benchmarks/bench_bert_train.py --tf-python .tf-oracle/bin/python \\
        --interleave --rounds 3 --steps 2 --sf before=OLD/src --sf after=src
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from bench_train import _TAG, _Worker  # the same worker protocol (script dir on sys.path)

LAYERS, WIDTH, HEADS, INTERMEDIATE, VOCAB, POSITIONS = 12, 768, 12, 3072, 30522, 512


def _gelu(tf: Any, x: Any) -> Any:
    return 0.5 * x * (1.0 + tf.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * tf.pow(x, 3))))


def _layer_norm(tf: Any, x: Any) -> Any:
    return tf.contrib.layers.layer_norm(
        x, begin_norm_axis=-1, begin_params_axis=-1, scope="LayerNorm"
    )


def build_model(tf: Any, batch: int, seq: int, vocab: int, layers: int) -> tuple[Any, ...]:
    """Inputs and the classifier loss of a BERT-base encoder."""
    init = tf.truncated_normal_initializer(stddev=0.02)
    head = WIDTH // HEADS
    ids = tf.placeholder(tf.int32, [batch, seq], name="input_ids")
    mask = tf.placeholder(tf.int32, [batch, seq], name="input_mask")
    types = tf.placeholder(tf.int32, [batch, seq], name="segment_ids")
    labels = tf.placeholder(tf.int32, [batch], name="label_ids")
    with tf.variable_scope("bert"):
        with tf.variable_scope("embeddings"):
            table = tf.get_variable("word_embeddings", [vocab, WIDTH], initializer=init)
            x = tf.reshape(tf.gather(table, tf.reshape(ids, [-1])), [batch, seq, WIDTH])
            type_table = tf.get_variable("token_type_embeddings", [2, WIDTH], initializer=init)
            one_hot = tf.one_hot(tf.reshape(types, [-1]), depth=2)
            x += tf.reshape(tf.matmul(one_hot, type_table), [batch, seq, WIDTH])
            pos_table = tf.get_variable("position_embeddings", [POSITIONS, WIDTH], initializer=init)
            x += tf.expand_dims(tf.slice(pos_table, [0, 0], [seq, -1]), 0)
            x = _layer_norm(tf, x)
        to_mask = tf.cast(tf.reshape(mask, [batch, 1, seq]), tf.float32)
        adder = (1.0 - tf.expand_dims(tf.ones([batch, seq, 1]) * to_mask, 1)) * -10000.0
        h = tf.reshape(x, [-1, WIDTH])

        def split(t: Any) -> Any:
            return tf.transpose(tf.reshape(t, [batch, seq, HEADS, head]), [0, 2, 1, 3])

        with tf.variable_scope("encoder"):
            for i in range(layers):
                with tf.variable_scope(f"layer_{i}"):
                    with tf.variable_scope("attention"):
                        with tf.variable_scope("self"):
                            q = tf.layers.dense(h, WIDTH, name="query", kernel_initializer=init)
                            k = tf.layers.dense(h, WIDTH, name="key", kernel_initializer=init)
                            v = tf.layers.dense(h, WIDTH, name="value", kernel_initializer=init)
                            scores = tf.matmul(split(q), split(k), transpose_b=True)
                            scores = scores * (1.0 / np.sqrt(head)) + adder
                            ctx = tf.matmul(tf.nn.softmax(scores), split(v))
                            ctx = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [-1, WIDTH])
                        with tf.variable_scope("output"):
                            a = tf.layers.dense(ctx, WIDTH, kernel_initializer=init)
                            a = _layer_norm(tf, a + h)
                    with tf.variable_scope("intermediate"):
                        m = tf.layers.dense(
                            a, INTERMEDIATE, activation=lambda t: _gelu(tf, t),
                            kernel_initializer=init,
                        )  # fmt: skip
                    with tf.variable_scope("output"):
                        o = tf.layers.dense(m, WIDTH, kernel_initializer=init)
                        h = _layer_norm(tf, o + a)
        first = tf.reshape(h, [batch, seq, WIDTH])[:, 0, :]
        with tf.variable_scope("pooler"):
            pooled = tf.layers.dense(first, WIDTH, activation=tf.tanh, kernel_initializer=init)
    w = tf.get_variable("output_weights", [2, WIDTH], initializer=init)
    b = tf.get_variable("output_bias", [2], initializer=tf.zeros_initializer())
    logits = tf.nn.bias_add(tf.matmul(pooled, w, transpose_b=True), b)
    log_probs = tf.nn.log_softmax(logits, axis=-1)
    loss = -tf.reduce_mean(tf.reduce_sum(tf.one_hot(labels, 2) * log_probs, axis=-1))
    return ids, mask, types, labels, loss


def adam_weight_decay_class(tf: Any) -> Any:
    """BERT's optimizer as a ``tf.train.Optimizer`` subclass overriding ``apply_gradients``."""

    class AdamWeightDecay(tf.train.Optimizer):
        def __init__(self, learning_rate: Any, weight_decay_rate: float = 0.01) -> None:
            super().__init__(False, "AdamWeightDecayOptimizer")
            self.learning_rate = learning_rate
            self.weight_decay_rate = weight_decay_rate

        def apply_gradients(self, grads_and_vars: Any, global_step: Any = None,
                            name: Any = None) -> Any:  # fmt: skip
            assignments = []
            for grad, param in grads_and_vars:
                if grad is None:
                    continue
                pname = param.op.name
                shape = param.shape.as_list()
                zeros = tf.zeros_initializer()
                m = tf.get_variable(pname + "/adam_m", shape, tf.float32, trainable=False,
                                    initializer=zeros)  # fmt: skip
                v = tf.get_variable(pname + "/adam_v", shape, tf.float32, trainable=False,
                                    initializer=zeros)  # fmt: skip
                next_m = tf.multiply(0.9, m) + tf.multiply(0.1, grad)
                next_v = tf.multiply(0.999, v) + tf.multiply(0.001, tf.square(grad))
                update = next_m / (tf.sqrt(next_v) + 1e-6)
                if not any(s in pname for s in ("LayerNorm", "layer_norm", "bias")):
                    update += self.weight_decay_rate * param
                next_param = param - self.learning_rate * update
                assignments.extend([param.assign(next_param), m.assign(next_m),
                                    v.assign(next_v)])  # fmt: skip
            return tf.group(*assignments, name=name)

    return AdamWeightDecay


def build_train_op(tf: Any, loss: Any) -> Any:
    """BERT's ``create_optimizer``: warmup + linear decay, clipped gradients, AdamWeightDecay."""
    gs = tf.train.get_or_create_global_step()
    lr = tf.train.polynomial_decay(tf.constant(5e-5), gs, 10000, end_learning_rate=0.0, power=1.0)
    warm = tf.cast(gs, tf.float32) / 100.0
    is_warm = tf.cast(tf.cast(gs, tf.int32) < 100, tf.float32)
    lr = (1.0 - is_warm) * lr + is_warm * 5e-5 * warm
    tvars = tf.trainable_variables()
    grads = tf.gradients(loss, tvars)
    grads, _ = tf.clip_by_global_norm(grads, clip_norm=1.0)
    optimizer = adam_weight_decay_class(tf)(lr)
    train = optimizer.apply_gradients(zip(grads, tvars, strict=True), global_step=gs)
    # BERT groups ``gs.assign(gs + 1)`` with the update unordered: TF's executor may then run
    # the increment before the learning rate reads ``gs``, so the two libraries' losses
    # differed. Ordering it after the update gives both the same, deterministic step.
    with tf.control_dependencies([train]):
        return tf.group(gs.assign(gs + 1))


def run(tf: Any, batch: int, seq: int, vocab: int, layers: int, warmup: int,
        repeats: int) -> dict[str, float]:  # fmt: skip
    """The measurements on one ``tf`` module."""
    rng = np.random.RandomState(0)
    t0 = time.perf_counter()
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        ids, mask, types, labels, loss = build_model(tf, batch, seq, vocab, layers)
        train = build_train_op(tf, loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        build_s = time.perf_counter() - t0
        feed = {
            ids: rng.randint(0, vocab, [batch, seq]).astype(np.int32),
            mask: np.ones([batch, seq], np.int32),
            types: (np.arange(seq)[None, :] >= seq // 2).repeat(batch, 0).astype(np.int32),
            labels: rng.randint(0, 2, [batch]).astype(np.int32),
        }
        for _ in range(warmup):
            sess.run(train, feed)
        times, cpu = [], []
        for _ in range(repeats):
            t, c = time.perf_counter(), time.process_time()
            sess.run(train, feed)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        final_loss = float(sess.run(loss, feed))
        sess.close()
    return {
        "bert_base_train_step_s": statistics.median(times),
        "bert_base_train_step_min_s": min(times),
        "bert_base_train_step_cpu_s": statistics.median(cpu),
        "build_s": build_s,
        "loss_after": final_loss,
    }


def _import_tf(kind: str) -> Any:
    if kind == "sf":
        import scopeflow.compat.v1 as sf

        return sf
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import tf_contrib_shim

    tf_contrib_shim.install(tf)
    return tf


def _worker_main(kind: str, batch: int, seq: int, vocab: int, layers: int, warmup: int) -> None:
    """A worker: builds the model once, then runs timed steps on request (stdin/stdout)."""
    tf = _import_tf(kind)
    rng = np.random.RandomState(0)
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        ids, mask, types, labels, loss = build_model(tf, batch, seq, vocab, layers)
        train = build_train_op(tf, loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        feed = {
            ids: rng.randint(0, vocab, [batch, seq]).astype(np.int32),
            mask: np.ones([batch, seq], np.int32),
            types: (np.arange(seq)[None, :] >= seq // 2).repeat(batch, 0).astype(np.int32),
            labels: rng.randint(0, 2, [batch]).astype(np.int32),
        }
        for _ in range(warmup):
            sess.run(train, feed)
        print(_TAG + "{}", flush=True)
        for line in sys.stdin:
            req = json.loads(line)
            if req["cmd"] == "loss":
                print(_TAG + json.dumps({"loss": float(sess.run(loss, feed))}), flush=True)
                continue
            if req["cmd"] != "run":
                return
            wall, cpu = [], []
            for _ in range(req["n"]):
                t, c = time.perf_counter(), time.process_time()
                sess.run(train, feed)
                wall.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
            print(_TAG + json.dumps({"wall": wall, "cpu": cpu}), flush=True)


def interleaved(args: argparse.Namespace) -> None:
    """Alternates the workers round after round (the order rotating); prints a median table."""
    shape = [str(v) for v in (args.batch, args.seq, args.vocab, args.layers, args.warmup)]
    workers = []
    if args.tf_python:
        env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
        argv = [args.tf_python, __file__, "--worker", "tf", *shape]
        workers.append(_Worker("TF", argv, env))
    root = Path(__file__).resolve().parent.parent
    trees = [t.split("=", 1) for t in args.sf] or [["scopeflow", str(root / "src")]]
    for label, src in trees:
        env = dict(os.environ, PYTHONPATH=str(Path(src).resolve()))
        workers.append(_Worker(label, [sys.executable, __file__, "--worker", "sf", *shape], env))
    print(f"load average at start: {os.getloadavg()}")
    times: dict[str, dict[str, list[float]]] = {w.label: {"wall": [], "cpu": []} for w in workers}
    for r in range(args.rounds):
        for k in range(len(workers)):
            w = workers[(r + k) % len(workers)]
            got = w.ask({"cmd": "run", "n": args.steps})
            times[w.label]["wall"] += got["wall"]
            times[w.label]["cpu"] += got["cpu"]
    print(f"load average at end: {os.getloadavg()}")
    med = {lb: {k: statistics.median(v) for k, v in t.items()} for lb, t in times.items()}
    print(
        "| runtime | wall median | CPU median | wall ratio to TF | CPU ratio to TF | loss after |"
    )
    print("|---|---|---|---|---|---|")
    for w in workers:
        m = med[w.label]
        ratio = {k: f"{m[k] / med['TF'][k]:.2f}" if "TF" in med else "-" for k in m}
        loss = w.ask({"cmd": "loss"})["loss"]
        print(f"| {w.label} | {m['wall']:.3f} s | {m['cpu']:.3f} s | {ratio['wall']} | "
              f"{ratio['cpu']} | {loss:.6f} |", flush=True)  # fmt: skip
    for w in workers:
        w.close()


def _tf_results(tf_python: str, args: argparse.Namespace) -> dict[str, float]:
    here = str(Path(__file__).parent)
    tools = str(Path(__file__).resolve().parents[1] / "tools")
    code = (
        f"import json, sys; sys.path[:0] = [{here!r}, {tools!r}]; import bench_bert_train as b; "
        "import tensorflow.compat.v1 as tf; tf.disable_eager_execution(); "
        "tf.disable_resource_variables(); tf.disable_v2_behavior(); "
        "import tf_contrib_shim; tf_contrib_shim.install(tf); "
        f"print('RESULT' + json.dumps(b.run(tf, {args.batch}, {args.seq}, {args.vocab}, "
        f"{args.layers}, {args.warmup}, {args.repeats})))"
    )
    env = {**os.environ, "TF_USE_LEGACY_KERAS": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    proc = subprocess.run(
        [tf_python, "-c", code], capture_output=True, text=True, check=True, timeout=7200, env=env
    )
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT"))
    return json.loads(line[len("RESULT") :])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--tf-python", default=None)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--vocab", type=int, default=VOCAB)
    parser.add_argument("--layers", type=int, default=LAYERS)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--interleave",
        action="store_true",
        help="long-lived workers alternated every --steps steps, --rounds rounds",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=2, help="steps per worker and round")
    parser.add_argument(
        "--sf",
        action="append",
        default=[],
        metavar="LABEL=SRC",
        help="with --interleave: a scopeflow source tree (repeatable)",
    )
    args = parser.parse_args()
    if args.interleave:
        interleaved(args)
        return

    import scopeflow.compat.v1 as sf

    ours = run(sf, args.batch, args.seq, args.vocab, args.layers, args.warmup, args.repeats)
    theirs = _tf_results(args.tf_python, args) if args.tf_python else {}
    for key, value in ours.items():
        tf_value = theirs.get(key)
        ratio = f"{value / tf_value:.3f}" if tf_value and "loss" not in key else "-"
        tf_text = f"{tf_value:.4f}" if tf_value is not None else "-"
        print(f"{key:28s} scopeflow {value:10.4f}  TF {tf_text:>10s}  ratio {ratio}")
    if args.json:
        args.json.write_text(json.dumps({"scopeflow": ours, "tensorflow": theirs}, indent=1))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _worker_main(sys.argv[2], *(int(a) for a in sys.argv[3:8]))
    else:
        sys.exit(main())
