"""benchmarks/webapp.py runs end to end at a small size: both apps under uvicorn,
the upstream in its own process, and a table row per app and endpoint."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

for _name in ("fastapi", "uvicorn", "psutil", "google.genai"):
    pytest.importorskip(_name)

ROOT = Path(__file__).resolve().parent.parent


def test_webapp_benchmark_small_run() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOOGLE_", "GEMINI_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "webapp.py"),
         "--requests", "30", "--rounds", "1", "--concurrency", "4", "--latency-ms", "1"],
        env=env, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == ""
    rows = re.findall(
        r"^\| (genai_async|google-genai) \| (json|stream) \| ([\d,]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$",
        proc.stdout,
        re.MULTILINE,
    )
    assert {(lib, endpoint) for lib, endpoint, *_ in rows} == {
        (lib, endpoint)
        for lib in ("genai_async", "google-genai")
        for endpoint in ("json", "stream")
    }
    for _, _, rps, p50, p99, cpu in rows:
        assert float(rps.replace(",", "")) > 0, proc.stdout
        assert 0 < float(p50) <= float(p99), proc.stdout
        # process CPU times tick in 10 ms steps: 30 requests may show none
        assert float(cpu) >= 0, proc.stdout
