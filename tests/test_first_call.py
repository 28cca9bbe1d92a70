"""The first call's one-time work (importing the models surface, the HTTP library,
loading the CA bundle) happens off the event loop's thread, so it does not stall the
loop's other tasks (asyncio debug mode flagged ~100-150 ms before)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import asyncio, json, sys, threading

WATCHED = ("genai_async.models", "httptools", "genai_async._backends.native", "aiohttp")
on_thread = {}

class Recorder:
    def find_spec(self, name, path=None, target=None):
        if name in WATCHED:
            on_thread.setdefault(name, threading.get_ident())
        return None

sys.meta_path.insert(0, Recorder())

import genai_async
from genai_async.testing import MockServer

async def main():
    loop_thread = threading.get_ident()
    with MockServer() as server:
        client = genai_async.AsyncClient(api_key="k", http_options={"base_url": server.url})
        if sys.argv[1] == "later":
            await asyncio.sleep(0.3)
        await client.models.generate_content(model="gemini-2.0-flash", contents="hi")
        await client.aclose()
    print(json.dumps({name: ident == loop_thread for name, ident in on_thread.items()}))

asyncio.run(main())
"""


@pytest.mark.parametrize("when", ["at-once", "later"])
def test_first_call_imports_off_the_loop_thread(when: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, when],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    on_loop = json.loads(proc.stdout.strip().splitlines()[-1])
    # the default backend's modules; aiohttp is not imported by a call that does not need it
    assert set(on_loop) == {"genai_async.models", "httptools", "genai_async._backends.native"}
    assert not any(on_loop.values()), on_loop  # each imported by a worker thread
