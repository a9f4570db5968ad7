#!/usr/bin/env bash
# One-time set-up on a fresh machine: a virtualenv in .venv with the CPU build of torch installed
# *before* the package, so pip never resolves `torch>=2.3` to the multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -c "import torch" 2>/dev/null || .venv/bin/pip install -q torch==2.13.0
.venv/bin/pip install -q -e '.[dev]'
