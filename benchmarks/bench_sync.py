"""Sync client benchmark: genai_async.Client vs google-genai's sync Client, from 1/16/64 threads.

Starts the embedded Gemini-compatible server in its own process
(``python -m genai_async.testing --port 0 --cpu 0``), then runs each client
kind in a fresh child process pinned to CPU 1 (when the machine has two or more
CPUs), alternating the order of kinds round by round so drift hits all of them
alike. Each point: requests/s, client CPU µs per request (getrusage of the
whole child, all threads, around the timed section), p50/p99 latency.

    python benchmarks/bench_sync.py                         # threads 1, 16, 64; 3 rounds
    python benchmarks/bench_sync.py --threads 64 --requests 20000 --rounds 5
    python benchmarks/bench_sync.py --kinds genai_async,google-genai --json out.json

Our side calls ``client.models.generate_content(model="gemini-2.5-flash-lite", contents="hi")``
when ``genai_async.models`` exists, else the same request through
``client.request("POST", "models/gemini-2.5-flash-lite:generateContent", ...)`` (the table
says which). Prints a Markdown table of medians.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

PATH = "models/gemini-2.5-flash-lite:generateContent"
BODY = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}


def _has_models() -> bool:
    try:
        return importlib.util.find_spec("genai_async.models") is not None
    except ImportError:
        return False


KINDS = {
    "genai_async": "genai_async.Client"
    + (" models.generate_content" if _has_models() else ' request("POST", generateContent)'),
    "genai_async-request": 'genai_async.Client request("POST", generateContent) (raw JSON)',
    "genai_async-httpx-sync": "genai_async.Client, borrowed httpx.Client (httpx-sync backend)",
    "google-genai": "google.genai.Client models.generate_content",
}
DEFAULT_KINDS = ("genai_async", "google-genai")


def _make_call(kind: str, url: str) -> tuple[Callable[[], Any], Callable[[], None]]:
    options: dict[str, Any] = {"base_url": url, "api_version": "v1beta"}
    if kind == "google-genai":
        from google import genai

        gclient = genai.Client(api_key="k", http_options=options)  # type: ignore[arg-type, unused-ignore]

        def google_call() -> Any:
            return gclient.models.generate_content(model="gemini-2.5-flash-lite", contents="hi")

        return google_call, gclient.close

    import genai_async

    borrowed = None
    if kind == "genai_async-httpx-sync":
        import httpx

        borrowed = httpx.Client()
        options = {**options, "httpx_client": borrowed}
    client = genai_async.Client(api_key="k", http_options=options)

    def close() -> None:
        client.close()
        if borrowed is not None:
            borrowed.close()

    if _has_models() and kind != "genai_async-request":

        def models_call() -> Any:
            return client.models.generate_content(model="gemini-2.5-flash-lite", contents="hi")

        return models_call, close

    def request_call() -> Any:
        return client.request("POST", PATH, BODY)

    return request_call, close


def _run_kind(kind: str, url: str, n: int, threads: int) -> dict[str, Any]:
    call, close = _make_call(kind, url)
    latencies: list[float] = []
    perf = time.perf_counter
    failures: list[BaseException] = []

    def worker(count: int, record: bool) -> None:
        try:
            for _ in range(count):
                start = perf()
                call()
                if record:
                    latencies.append(perf() - start)
        except BaseException as exc:
            failures.append(exc)

    def run_threads(counts: list[int], record: bool) -> None:
        pool = [threading.Thread(target=worker, args=(c, record)) for c in counts]
        for t in pool:
            t.start()
        for t in pool:
            t.join()

    run_threads([3] * threads, False)  # warm-up: connections, caches, worker threads
    per = [n // threads + (1 if i < n % threads else 0) for i in range(threads)]
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = perf()
    run_threads(per, True)
    wall = perf() - t0
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    close()
    if failures:
        raise failures[0]
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    latencies.sort()
    return {
        "kind": kind,
        "threads": threads,
        "requests": n,
        "rps": n / wall,
        "cpu_us": cpu / n * 1e6,
        "p50_ms": latencies[len(latencies) // 2] * 1e3,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1e3,
    }


def _child(args: argparse.Namespace) -> None:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {1})
    print(json.dumps(_run_kind(args.kind, args.url, args.requests, int(args.threads))))


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


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in ("genai-async", "google-genai", "httpx", "httpx2", "aiohttp", "uvloop"):
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            pass
    return ", ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kinds", default=",".join(DEFAULT_KINDS), help=f"of {', '.join(KINDS)}")
    parser.add_argument("--threads", default="1,16,64")
    parser.add_argument("--requests", type=int, default=4000, help="per point (half at 1 thread)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", dest="json_path")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return

    kinds = args.kinds.split(",")
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise SystemExit(f"unknown kinds: {', '.join(sorted(unknown))}")
    levels = [int(c) for c in args.threads.split(",")]
    server, url = _spawn_server()
    results: dict[tuple[str, int], list[dict[str, Any]]] = {}
    try:
        for round_no in range(args.rounds):
            for level in levels:
                n = args.requests if level > 1 else max(500, args.requests // 2)
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
                            "--threads",
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
        return float(statistics.median(r[field] for r in results[(kind, level)]))

    pinned = "server pinned to CPU 0, client to CPU 1" if (os.cpu_count() or 1) > 1 else "unpinned"
    print(
        f"\nMachine: {platform.machine()} {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; {_versions()}\n{pinned}; medians of {args.rounds} rounds\n"
    )
    print("| client | threads | req/s | CPU µs/req | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    table = []
    for level in levels:
        for kind in kinds:
            row = {
                "kind": kind,
                "threads": level,
                "rps": med(kind, level, "rps"),
                "cpu_us": med(kind, level, "cpu_us"),
                "p50_ms": med(kind, level, "p50_ms"),
                "p99_ms": med(kind, level, "p99_ms"),
            }
            table.append(row)
            print(
                f"| {KINDS[kind]} | {level} | {row['rps']:,.0f} | {row['cpu_us']:.0f} | "
                f"{row['p50_ms']:.2f} | {row['p99_ms']:.2f} |"
            )
    if args.json_path:
        with open(args.json_path, "w") as fh:
            json.dump(
                {
                    "machine": platform.platform(),
                    "versions": _versions(),
                    "rows": table,
                    "raw": [r for rs in results.values() for r in rs],
                },
                fh,
                indent=1,
            )


if __name__ == "__main__":
    main()
