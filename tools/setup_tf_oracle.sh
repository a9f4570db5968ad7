#!/usr/bin/env bash
# Creates the TensorFlow reference virtualenv (the ORACLE scopeflow is tested against; TensorFlow
# is never a scopeflow dependency) at DIR, default .tf-oracle in the repository (git-ignored).
#
#   bash tools/setup_tf_oracle.sh [DIR]
#   DIR/bin/python tools/record_tf_golden.py [topic ...]    # record conformance goldens
#
# Installs tensorflow-cpu and tf-slim (TF 1.15's contrib.layers code), tf-keras without its
# dependencies (its pinned TensorFlow would replace the one just installed; run the recorder with
# TF_USE_LEGACY_KERAS=1 when cases use tf.layers), and the small packages the verification tools
# need to import scopeflow.checkpoint from src/ (crc32c, cramjam, ml-dtypes).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-.tf-oracle}"
PYTHON="${PYTHON:-python3}"
[ -x "$DIR/bin/python" ] || "$PYTHON" -m venv "$DIR"
"$DIR/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
"$DIR/bin/pip" install -q tensorflow-cpu tf-slim
"$DIR/bin/pip" install -q --no-deps tf-keras==2.21.0
"$DIR/bin/pip" install -q crc32c cramjam ml-dtypes
"$DIR/bin/python" -c "import tensorflow as tf; print('TensorFlow', tf.__version__, 'in', '$DIR')"
