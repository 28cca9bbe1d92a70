"""Core client benchmark: genai_async.AsyncClient.request vs raw aiohttp + orjson.

Starts the embedded Gemini-compatible server in its own process (pinned to CPU
0 when the machine has two or more), then runs each client kind in a fresh
child process pinned to CPU 1, alternating kinds round by round so drift hits
all of them alike. Each point: requests/s, client CPU µs per request
(getrusage around the timed section), p50/p99 latency, peak RSS.

    python benchmarks/bench_core.py                  # concurrency 1, 64, 256; 3 rounds
    python benchmarks/bench_core.py --requests 20000 --concurrency 256 --rounds 5
    python benchmarks/bench_core.py --json results.json

Prints a Markdown table with medians and the ratio to raw aiohttp.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

KINDS = {
    "raw-aiohttp": "raw aiohttp + orjson",
    "genai_async": "genai_async AsyncClient.request (aiohttp)",
    "genai_async-trust_env": "genai_async, async_client_args={'trust_env': True}",
    "genai_async-timeout": "genai_async, HttpOptions(timeout=30000)",
    "genai_async-httpx": "genai_async, backend='httpx'",
}
BODY = {"contents": [{"role": "user", "parts": [{"text": "Name three prime numbers."}]}]}
PATH = "models/gemini-2.5-flash-lite:generateContent"


async def _run_kind(kind: str, url: str, n: int, concurrency: int) -> dict[str, Any]:
    import asyncio

    import orjson

    latencies: list[float] = []
    perf = time.perf_counter

    if kind == "raw-aiohttp":
        import aiohttp

        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=100), cookie_jar=aiohttp.DummyCookieJar()
        )
        full = f"{url}/v1beta/{PATH}"
        headers = {"Content-Type": "application/json", "x-goog-api-key": "bench-key"}

        async def call() -> None:
            async with session.post(full, data=orjson.dumps(BODY), headers=headers) as resp:
                data = await resp.read()
                if resp.status != 200:
                    raise RuntimeError(resp.status)
                orjson.loads(data)

        async def close() -> None:
            await session.close()
    else:
        import genai_async

        options: dict[str, Any] = {"base_url": url}
        if kind == "genai_async-trust_env":
            options["async_client_args"] = {"trust_env": True}
        elif kind == "genai_async-timeout":
            options["timeout"] = 30000
        elif kind == "genai_async-httpx":
            options["backend"] = "httpx"
        client = genai_async.AsyncClient(api_key="bench-key", http_options=options)

        async def call() -> None:
            await client.request("POST", PATH, BODY)

        async def close() -> None:
            await client.aclose()

    async def worker(count: int) -> None:
        for _ in range(count):
            start = perf()
            await call()
            latencies.append(perf() - start)

    # warm-up: open connections, fill caches
    await asyncio.gather(*(worker(2) for _ in range(concurrency)))
    latencies.clear()
    per = [n // concurrency + (1 if i < n % concurrency else 0) for i in range(concurrency)]
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = perf()
    await asyncio.gather(*(worker(c) for c in per))
    wall = perf() - t0
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    await close()
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    latencies.sort()
    return {
        "kind": kind,
        "concurrency": concurrency,
        "requests": n,
        "rps": n / wall,
        "cpu_us": cpu / n * 1e6,
        "p50_ms": latencies[len(latencies) // 2] * 1e3,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1e3,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child(args: argparse.Namespace) -> None:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {1})
    import asyncio

    import uvloop

    result = uvloop.run(_run_kind(args.kind, args.url, args.requests, args.concurrency))
    del asyncio
    print(json.dumps(result))


def _spawn_server() -> tuple[subprocess.Popen[str], str]:
    cmd = [sys.executable, "-m", "genai_async.testing", "--port", "0"]
    if (os.cpu_count() or 1) > 1:
        cmd += ["--cpu", "0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on "):
        proc.kill()
        raise SystemExit(f"server did not start: {line!r}")
    return proc, line.split()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--concurrency", default="1,64,256")
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", dest="json_path")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.concurrency = int(args.concurrency)
        _child(args)
        return

    kinds = args.kinds.split(",")
    levels = [int(c) for c in args.concurrency.split(",")]
    server, url = _spawn_server()
    results: dict[tuple[str, int], list[dict[str, Any]]] = {}
    try:
        for round_no in range(args.rounds):
            for level in levels:
                n = args.requests if level > 1 else max(1000, args.requests // 10)
                order = kinds if round_no % 2 == 0 else list(reversed(kinds))
                for kind in order:
                    out = subprocess.run(
                        [
                            sys.executable,
                            __file__,
                            "--child",
                            "--kind",
                            kind,
                            "--url",
                            url,
                            "--requests",
                            str(n),
                            "--concurrency",
                            str(level),
                        ],
                        capture_output=True,
                        text=True,
                        check=False,
                    )
                    if out.returncode != 0:
                        print(out.stderr, file=sys.stderr)
                        raise SystemExit(f"{kind} failed")
                    results.setdefault((kind, level), []).append(
                        json.loads(out.stdout.strip().splitlines()[-1])
                    )
    finally:
        server.terminate()
        server.wait(10)

    def med(kind: str, level: int, field: str) -> float:
        return statistics.median(r[field] for r in results[(kind, level)])

    print(
        f"\nMachine: {platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"server pinned to CPU 0, client to CPU 1; medians of {args.rounds} rounds\n"
    )
    print("| client | conc | req/s | CPU µs/req | ×raw aiohttp CPU | p50 ms | p99 ms | RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    table = []
    for level in levels:
        base = med("raw-aiohttp", level, "cpu_us") if "raw-aiohttp" in kinds else None
        for kind in kinds:
            cpu = med(kind, level, "cpu_us")
            row = {
                "kind": kind,
                "concurrency": level,
                "rps": med(kind, level, "rps"),
                "cpu_us": cpu,
                "cpu_ratio": cpu / base if base else None,
                "p50_ms": med(kind, level, "p50_ms"),
                "p99_ms": med(kind, level, "p99_ms"),
                "rss_mb": med(kind, level, "rss_mb"),
            }
            table.append(row)
            ratio = f"{row['cpu_ratio']:.2f}" if row["cpu_ratio"] else "-"
            print(
                f"| {KINDS[kind]} | {level} | {row['rps']:,.0f} | {cpu:.0f} | {ratio} | "
                f"{row['p50_ms']:.2f} | {row['p99_ms']:.2f} | {row['rss_mb']:.0f} |"
            )
    if args.json_path:
        with open(args.json_path, "w") as fh:
            json.dump(
                {
                    "machine": platform.platform(),
                    "rows": table,
                    "raw": [r for rs in results.values() for r in rs],
                },
                fh,
                indent=1,
            )


if __name__ == "__main__":
    main()
