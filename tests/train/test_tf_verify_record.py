from __future__ import annotations

from pathlib import Path

RECORD = Path(__file__).resolve().parent / "golden" / "tf_verify_saver.txt"


def test_tf_verify_saver_record_says_all_pass():
    """``tools/tf_verify_saver.py`` (run with real TF) recorded a full PASS in both directions."""
    lines = RECORD.read_text().splitlines()
    results = [line for line in lines if line.startswith(("PASS ", "FAIL "))]
    assert len(results) == 4
    assert all(line.startswith("PASS ") for line in results), results
    assert lines[-1] == "RESULT: ALL PASS"
