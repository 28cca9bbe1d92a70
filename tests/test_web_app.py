"""examples/fastapi_app.py under a real uvicorn, with web clients that hang up mid-stream.

The app holds one AsyncClient from its lifespan; its upstream is a MockServer.
A hundred web clients open /stream, read the first chunk and hang up. After a
quiet period nothing may be left in flight, and /ask must answer at once
(a pool held by hung-up streams would make it wait its whole timeout).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from genai_async.testing import Fault, MockServer

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class App:
    def __init__(self, url: str, upstream: MockServer, proc: subprocess.Popen[str]) -> None:
        self.url = url
        self.upstream = upstream
        self.proc = proc

    def pool(self) -> dict[str, Any]:
        stats: dict[str, Any] = httpx.get(f"{self.url}/pool", timeout=5).json()
        return stats


@pytest.fixture(params=["native", "aiohttp", "httpx"])
def app(request: pytest.FixtureRequest) -> Iterator[App]:
    yield from serve_app(request.param)


def serve_app(backend: str) -> Iterator[App]:
    """The app on a free port. httpx reads a body only when asked, so a stream nobody
    reads any more is bounded by its time limit (0.8 s here; closed within twice that);
    aiohttp reads ahead, and the native backend (the default) takes in what has arrived
    once nobody has read between two looks a second apart: each hands a finished response's connection back
    by itself (no limit set)."""
    with MockServer() as upstream:
        port = _free_port()
        env = {
            **os.environ,
            "GOOGLE_API_KEY": "k",
            "GOOGLE_GEMINI_BASE_URL": upstream.url,
            "GENAI_BACKEND": backend,
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT / "examples"), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        }
        if backend == "httpx":
            env["GENAI_TIMEOUT_MS"] = "800"  # deliberately under a second: no unit warning
            env["PYTHONWARNINGS"] = "ignore:HttpOptions.timeout=800:UserWarning"
        env.pop("GEMINI_API_KEY", None)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "_web_app:app",
                "--app-dir",
                str(ROOT / "tests"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    httpx.get(f"{url}/pool", timeout=1)
                    break
                except httpx.TransportError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(proc.communicate()[1]) from None
                    time.sleep(0.05)
            yield App(url, upstream, proc)
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                out, err = proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
        assert proc.returncode == 0, err
        assert out == "", out  # nothing printed at shutdown
        assert err == "", err


def _hang_up_after_first_chunk(url: str, path: str, count: int) -> int:
    """Open ``count`` streams at once (HTTP/1.1 over sockets with a small receive
    buffer, like slow mobile clients), read the first chunk of each, then hang up."""
    host, port = url.removeprefix("http://").split(":")
    socks = []
    got = 0
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.settimeout(10)
            sock.connect((host, int(port)))
            sock.sendall(f"GET {path}?q=tell+a+story HTTP/1.1\r\nHost: app\r\n\r\n".encode())
            socks.append(sock)
        for sock in socks:
            head = sock.recv(4096)
            if head.startswith(b"HTTP/1.1 200"):
                got += 1
    finally:
        for sock in socks:
            sock.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            sock.close()  # unread data: the web client is gone (a reset)
    return got


@pytest.mark.parametrize("path", ["/stream", "/stream-unclosed"])
def test_hung_up_streams_give_the_pool_back(app: App, path: str) -> None:
    # Each web client hangs up after its first chunk, while the upstream stream
    # (20 events, 50 ms apart) is still arriving; the app's generator is then
    # left suspended, its stream never read again (and, for /stream-unclosed,
    # never closed). The pool holds 100 connections: all of them are in play.
    app.upstream.inject(Fault(match="streamGenerateContent", events=20, slow_body=0.05, times=None))
    assert _hang_up_after_first_chunk(app.url, path, 100) == 100
    time.sleep(2.5)  # a quiet period: the upstream streams have ended, nobody reads
    stats = app.pool()
    assert stats["in_flight"] == 0, stats
    app.upstream.clear()
    start = time.monotonic()
    resp = httpx.get(f"{app.url}/ask", params={"q": "hi"}, timeout=10)
    assert resp.status_code == 200, resp.text
    assert resp.json()["text"] == "Echo: hi"
    assert time.monotonic() - start < 1.0  # at once, not after a pool wait
