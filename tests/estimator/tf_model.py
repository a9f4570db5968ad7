"""The small Estimator model shared by scopeflow's tests and ``tools/record_estimator_model_dir.py``
(which runs it on TF 1.15's estimator); ``tf`` is passed in, so it imports neither."""

from __future__ import annotations

from typing import Any

import numpy as np

X = (np.arange(24, dtype=np.float32).reshape(12, 2) / 12.0).astype(np.float32)
Y = (X @ np.array([[1.5], [-2.0]], np.float32) + 0.25).astype(np.float32)


def model_fn(tf: Any) -> Any:
    def fn(features, labels, mode):
        h = tf.layers.dense(
            features["x"], 4, activation=tf.nn.tanh, name="h",
            kernel_initializer=tf.constant_initializer(
                [[0.2, -0.1, 0.4, 0.3], [-0.3, 0.5, 0.1, -0.2]]
            ),
        )  # fmt: skip
        init = tf.constant_initializer([[0.5], [-0.4], [0.3], [0.2]])
        pred = tf.layers.dense(h, 1, name="out", kernel_initializer=init)
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode, predictions={"pred": pred})
        loss = tf.losses.mean_squared_error(labels, pred)
        train_op = tf.train.AdamOptimizer(0.05).minimize(
            loss, global_step=tf.train.get_global_step()
        )
        metrics = {"rmse": tf.metrics.root_mean_squared_error(labels, pred)}
        return tf.estimator.EstimatorSpec(
            mode, loss=loss, train_op=train_op, eval_metric_ops=metrics
        )

    return fn


def estimator(tf: Any, model_dir: str, **config: Any) -> Any:
    return tf.estimator.Estimator(model_fn(tf), model_dir, config=tf.estimator.RunConfig(**config))


def input_fn(tf: Any, num_epochs: int | None = 1, labels: bool = True) -> Any:
    return tf.estimator.inputs.numpy_input_fn(
        {"x": X}, Y if labels else None, batch_size=5, num_epochs=num_epochs, shuffle=False
    )


def rounded(d: dict[str, Any]) -> dict[str, Any]:
    return {k: (int(v) if k == "global_step" else round(float(v), 5)) for k, v in d.items()}
