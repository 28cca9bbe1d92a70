"""One FastAPI app, served by uvicorn on genai_async and on google-genai, side by side.

The app (:func:`build_app`) is written once, in google-genai's idiom
(``genai.Client(...).aio``), and imported twice: with ``genai`` =
``genai_async`` and with ``genai`` = ``google.genai`` (3.6.1). It has a JSON
endpoint (``/ask``: one ``generate_content``, its text as JSON) and a
streaming endpoint (``/stream``: ``generate_content_stream`` relayed as
server-sent events). Each library's app runs in its own uvicorn process on
127.0.0.1 (one worker, uvicorn's default loop); their upstream is the embedded
mock server in a third process (``MockServer.spawn``). Both apps are started
before anything is measured and stay up for the whole run.

The load generator (this process, aiohttp) keeps ``--concurrency`` clients
busy until ``--requests`` requests have been answered, per app, endpoint and
round; the apps alternate order from round to round. Per cell: requests per
second, p50/p99 latency, and the app server's CPU (user + system, from
``/proc`` via psutil; it ticks in 10 ms steps, so tiny runs show it coarsely)
per request. The table shows medians over the rounds.

Quick check (a few seconds)::

    python benchmarks/webapp.py --requests 200 --rounds 1

Full size (the command behind the README's table)::

    python benchmarks/webapp.py --requests 5000 --rounds 5 --concurrency 64 --latency-ms 20

Needs ``fastapi``, ``uvicorn``, ``aiohttp``, ``psutil`` and ``google-genai``.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

LIBS = {"genai_async": "genai_async", "google-genai": "google.genai"}
ENDPOINTS = {"json": "/ask?q=Name+three+prime+numbers", "stream": "/stream?q=Tell+a+story"}
MODEL = "gemini-2.0-flash"
ROOT = Path(__file__).resolve().parent.parent


# -- the app ---------------------------------------------------------------------------------


def build_app(module: str, upstream: str) -> Any:
    """The benchmark app on ``module`` (``"genai_async"`` or ``"google.genai"``)."""
    genai: Any = importlib.import_module(module)
    types: Any = importlib.import_module(f"{module}.types")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        options = types.HttpOptions(base_url=upstream, api_version="v1beta")
        client = genai.Client(api_key="bench-key", http_options=options)
        app.state.aio = client.aio
        yield
        await client.aio.aclose()

    app = FastAPI(lifespan=lifespan)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"library": module}

    @app.get("/ask")
    async def ask(request: Request, q: str) -> dict[str, Any]:
        response = await request.app.state.aio.models.generate_content(model=MODEL, contents=q)
        return {"text": response.text}

    @app.get("/stream")
    async def stream(request: Request, q: str) -> StreamingResponse:
        aio = request.app.state.aio

        async def events() -> AsyncIterator[bytes]:
            async for chunk in await aio.models.generate_content_stream(model=MODEL, contents=q):
                yield b"data: %s\n\n" % orjson.dumps({"text": chunk.text or ""})

        return StreamingResponse(events(), media_type="text/event-stream")

    return app


def serve(lib: str, port: int, upstream: str) -> None:
    import uvicorn

    app = build_app(LIBS[lib], upstream)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# -- the run ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class App:
    def __init__(self, lib: str, upstream: str) -> None:
        self.lib = lib
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")])
        )
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", lib, str(self.port), upstream],
            env=env,
            stdin=subprocess.DEVNULL,
        )

    def wait_ready(self, timeout: float = 30.0) -> None:
        import urllib.request

        end = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the {self.lib} app exited ({self.proc.returncode})")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=1) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.1)

    def cpu(self) -> float:
        import psutil

        times = psutil.Process(self.proc.pid).cpu_times()
        return float(times.user + times.system)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


async def load(url: str, requests: int, concurrency: int) -> tuple[float, list[float]]:
    """``requests`` GETs of ``url`` by ``concurrency`` clients: (seconds, latencies)."""
    import aiohttp

    left = requests
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def client() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                began = time.perf_counter()
                async with session.get(url) as resp:
                    await resp.read()
                    if resp.status != 200:
                        raise RuntimeError(f"{url}: HTTP {resp.status}")
                latencies.append(time.perf_counter() - began)

        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        return time.perf_counter() - began, latencies


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(args: argparse.Namespace) -> None:
    from genai_async.testing import MockServer

    cells: dict[tuple[str, str], list[tuple[float, float, float, float]]] = {}
    with MockServer.spawn(latency_ms=args.latency_ms, stream_events=args.stream_events) as up:
        apps = [App(lib, up.url) for lib in LIBS]
        try:
            for app in apps:
                app.wait_ready()
            for app in apps:  # warm-up: sessions, imports, first-call paths
                for path in ENDPOINTS.values():
                    asyncio.run(load(app.url + path, max(20, args.concurrency), args.concurrency))
            for rnd in range(args.rounds):
                order = apps[rnd % len(apps) :] + apps[: rnd % len(apps)]
                for app in order:
                    for name, path in ENDPOINTS.items():
                        cpu0 = app.cpu()
                        took, lat = asyncio.run(
                            load(app.url + path, args.requests, args.concurrency)
                        )
                        cpu = app.cpu() - cpu0
                        cells.setdefault((app.lib, name), []).append(
                            (
                                args.requests / took,
                                _pct(lat, 0.50) * 1e3,
                                _pct(lat, 0.99) * 1e3,
                                cpu / args.requests * 1e3,
                            )
                        )
        finally:
            for app in apps:
                app.stop()
    versions = _versions()
    print(
        f"{args.requests} requests x {args.rounds} rounds per cell, {args.concurrency} concurrent"
        f" clients, upstream latency {args.latency_ms:g} ms, {args.stream_events} events/stream"
    )
    print(f"versions: {versions}\n")
    print("| app on | endpoint | req/s | p50 ms | p99 ms | server CPU ms/req |")
    print("|---|---|---:|---:|---:|---:|")
    for name in ENDPOINTS:
        for lib in LIBS:
            rows = cells[(lib, name)]
            rps, p50, p99, cpu = (statistics.median(r[i] for r in rows) for i in range(4))
            print(f"| {lib} | {name} | {rps:,.0f} | {p50:.1f} | {p99:.1f} | {cpu:.2f} |")


def _versions() -> str:
    from importlib.metadata import version

    names = ("genai-async", "google-genai", "fastapi", "uvicorn", "aiohttp", "httpx")
    found = []
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except Exception:
            found.append(f"{name} ?")
    return ", ".join(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=2000, help="per app, endpoint and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--latency-ms", type=float, default=20.0, help="upstream answer delay")
    parser.add_argument("--stream-events", type=int, default=8)
    parser.add_argument(
        "--serve", nargs=3, metavar=("LIB", "PORT", "UPSTREAM"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.serve:
        lib, port, upstream = args.serve
        serve(lib, int(port), upstream)
        return
    if args.requests < 1 or args.rounds < 1 or args.concurrency < 1:
        parser.error("--requests, --rounds and --concurrency must be at least 1")
    run(args)


if __name__ == "__main__":
    main()
