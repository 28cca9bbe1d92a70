"""What the garbage collector costs a client with many requests in flight.

Each point runs in a fresh child process pinned to CPU 1 (the benchmark server,
``python -m genai_async.testing --bench``, on CPU 0): ``--requests`` unary calls of
the default client at a fixed number in flight after a warm-up, with
``gc.callbacks`` counting the collections of each generation and the time spent
in them. Collections are counted, not sampled, so they move far less from run to
run than CPU time does on a noisy machine; they are what a pool that keeps
requests waiting (and their objects alive) makes the collector do.

    python benchmarks/bench_gc.py
    python benchmarks/bench_gc.py --loops trio --concurrency 256,1024 --requests 50000
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from typing import Any

SERVER_CPU, CLIENT_CPU = 0, 1
PATH = "models/gemini-2.5-flash-lite:generateContent"
BODY = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}


def _child(loop: str, level: int, requests: int, url: str) -> dict[str, Any]:
    import anyio

    import genai_async

    if (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {CLIENT_CPU})
    counts = [0, 0, 0]
    seconds = [0.0, 0.0, 0.0]
    began = [0.0]

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            counts[info["generation"]] += 1
            seconds[info["generation"]] += time.perf_counter() - began[0]

    async def run() -> float:
        client = genai_async.AsyncClient(api_key="k", http_options={"base_url": url})
        left = [level * 4]

        async def worker() -> None:
            while left[0] > 0:
                left[0] -= 1
                await client.request("POST", PATH, BODY)

        async with anyio.create_task_group() as tg:  # warm-up: connections, caches
            for _ in range(level):
                tg.start_soon(worker)
        left[0] = requests
        gc.callbacks.append(watch)
        cpu = time.process_time()
        async with anyio.create_task_group() as tg:
            for _ in range(level):
                tg.start_soon(worker)
        cpu = time.process_time() - cpu
        gc.callbacks.remove(watch)
        await client.aclose()
        return cpu

    options = {"use_uvloop": loop == "uvloop"} if loop != "trio" else {}
    cpu = anyio.run(run, backend="trio" if loop == "trio" else "asyncio", backend_options=options)
    per = 1000 / requests
    return {
        "cpu_us": cpu / requests * 1e6,
        "collections": [n * per for n in counts],
        "gc_ms": [s * 1e3 * per for s in seconds],
        "gc_share": sum(seconds) / cpu if cpu else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loops", default="uvloop,trio")
    parser.add_argument("--concurrency", default="64,256,1024")
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        spec = json.loads(args.child)
        print(json.dumps(_child(spec["loop"], spec["level"], spec["requests"], spec["url"])))
        return 0
    cmd = [sys.executable, "-m", "genai_async.testing", "--bench", "--port", "0"]
    if (os.cpu_count() or 1) > 1:
        cmd += ["--cpu", str(SERVER_CPU)]
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        url = ""
        assert server.stdout is not None
        while not url:
            line = server.stdout.readline()
            if not line:
                raise SystemExit("the benchmark server did not start")
            if "http://" in line:
                url = line[line.index("http://") :].split()[0]
        print(f"`python benchmarks/bench_gc.py {' '.join(argv or sys.argv[1:])}`".strip())
        print(f"{args.requests:,} requests per point, default backend, per 1,000 requests:\n")
        print("| loop | in flight | CPU µs/req | gen 0 | gen 1 | gen 2 | ms in gc | gc share |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for loop in args.loops.split(","):
            for level in (int(v) for v in args.concurrency.split(",")):
                spec = {"loop": loop, "level": level, "requests": args.requests, "url": url}
                out = subprocess.run(
                    [sys.executable, __file__, "--child", json.dumps(spec)],
                    capture_output=True,
                    text=True,
                    timeout=600,
                    check=True,
                )
                r = json.loads(out.stdout.strip().splitlines()[-1])
                n, ms = r["collections"], r["gc_ms"]
                print(
                    f"| {loop} | {level:,} | {r['cpu_us']:.0f} | {n[0]:.1f} | {n[1]:.1f} "
                    f"| {n[2]:.2f} | {sum(ms):.2f} | {r['gc_share'] * 100:.1f}% |"
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
