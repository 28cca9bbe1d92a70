"""The soak script, short: 20,000 requests with ~1% faults through one client.

The full run (200,000) is `python benchmarks/soak.py`; see the README.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "soak.py"


@pytest.mark.slow
def test_short_soak_keeps_memory_and_sockets_flat() -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--requests", "20000", "--concurrency", "64"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout)
    assert result["requests"] >= 19_900
    assert result["failed_after_retries"] == 0
    assert result["faults_injected"] >= 190
    assert result["rss_growth_pct"] < 10
    assert result["peak_client_sockets"] <= 100 + 5  # the pool limit, plus the control calls
