"""Run every example program (the seeds, then the TF1 programs) in order, printing a header line and then the example's output.

Usage: ``.venv/bin/python examples/run_all.py``
"""

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent


def main() -> int:
    status = 0
    for example in sorted([*EXAMPLES.glob("seed_*.py"), *EXAMPLES.glob("tf1_*.py")]):
        print(f"===== {example.name} =====", flush=True)
        proc = subprocess.run([sys.executable, str(example)], cwd=EXAMPLES, check=False)
        status = status or proc.returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
