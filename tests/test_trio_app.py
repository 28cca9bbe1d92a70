"""examples/trio_app.py, run as a program against the embedded server.

Hundreds of calls under cancel scopes (a third with deadlines shorter than any
answer, a group cancelled together, some streams cut mid-way): afterwards the
pool holds nothing in flight, no more connections than its limit, and a burst
of twice the pool size succeeds.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("trio")

ROOT = Path(__file__).resolve().parent.parent


def test_trio_app_frees_the_connections_of_cancelled_calls() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOOGLE_", "GEMINI_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env["TRIO_APP_CALLS"] = "300"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "trio_app.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert proc.stderr == ""
    assert "using the embedded server" in out
    calls = re.search(r"calls: (\d+)  ok: (\d+)  cancelled: (\d+)", out)
    assert calls is not None, out
    total, ok, cancelled = map(int, calls.groups())
    assert total == 300
    assert ok + cancelled == 300
    assert cancelled >= 100  # 75 with a 20 ms deadline (answers take 50 ms+) and most of a group
    assert ok >= 64
    pool = re.search(r"pool after: in_flight=(\d+) connections=(\d+) \(limit (\d+)\)", out)
    assert pool is not None, out
    in_flight, connections, limit = map(int, pool.groups())
    assert in_flight == 0
    assert 0 < connections <= limit
    assert f"follow-up: {2 * limit}/{2 * limit} ok" in out
    assert out.rstrip().endswith("pool healthy")
