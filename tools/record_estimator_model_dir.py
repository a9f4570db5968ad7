"""Record a ``model_dir`` written by TF 1.15's ``tf.estimator.Estimator`` for scopeflow to resume.

Runs TF 1.15's estimator source on TF 2.21 (``tools/tf_estimator_shim.py``; set
``TF_ESTIMATOR_SRC``). Trains ``tests/estimator/tf_model.py``'s model for 5 steps with
``keep_checkpoint_max=1`` and keeps the checkpoint (``checkpoint``, ``model.ckpt-5.index`` /
``.data-00000-of-00001``) in ``tests/estimator/fixtures/tf115_model_dir/``, then writes what TF's
Estimator then reports (``evaluate``, ``predict``, variable names, and the metrics after 3 more
training steps) to ``tests/estimator/fixtures/tf115_model_dir.json``::

    TF_ESTIMATOR_SRC=/tmp/tfe15 .tf-oracle/bin/python tools/record_estimator_model_dir.py
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "estimator" / "fixtures" / "tf115_model_dir"


def main() -> None:
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    sys.path.insert(0, str(ROOT / "tools"))
    sys.path.insert(0, str(ROOT / "tests" / "estimator"))
    import tf_estimator_shim
    import tf_model

    tf_estimator_shim.install(tf)
    work = Path(tempfile.mkdtemp())
    est = tf_model.estimator(tf, str(work), keep_checkpoint_max=1)
    est.train(tf_model.input_fn(tf, num_epochs=None), steps=5)
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    for path in work.iterdir():
        keep = path.name.startswith("model.ckpt-5.") and not path.name.endswith(".meta")
        if keep or path.name == "checkpoint":
            shutil.copy(path, OUT / path.name)
    record = {
        "variable_names": est.get_variable_names(),
        "evaluate": tf_model.rounded(est.evaluate(tf_model.input_fn(tf))),
        "predict": [
            round(float(p["pred"][0]), 5) for p in est.predict(tf_model.input_fn(tf, labels=False))
        ],
    }
    est.train(tf_model.input_fn(tf, num_epochs=None), steps=3)
    record["evaluate_after_3_more_steps"] = tf_model.rounded(est.evaluate(tf_model.input_fn(tf)))
    text = json.dumps(record, indent=1, sort_keys=True)
    (OUT.parent / "tf115_model_dir.json").write_text(text + "\n", encoding="utf-8")
    shutil.rmtree(work)
    print(text)


if __name__ == "__main__":
    main()
