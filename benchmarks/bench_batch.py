"""Benchmark of ``genai-async batch``: throughput, CPU per request, peak memory.

Two measurements, each of a real ``python -m genai_async batch`` subprocess:

1. **Throughput**: ``--requests`` (default 100,000) generated requests against the
   embedded mock server running in its own process on CPU 0
   (``python -m genai_async.testing --port 0 --cpu 0 --record-limit 0``), with the
   batch run pinned to CPU 1, at ``--concurrency`` (default 512). Reports wall
   time, requests/s, the batch process's CPU time per request and its peak RSS
   (``os.wait4`` rusage of that child), and the run's latency percentiles.
2. **Resume scan**: a ``--scan-lines`` (default 1,000,000) input whose keys are all
   already in the output, run with ``--resume`` (every key is read, hashed and
   skipped; nothing is sent), and the same input with ``--dry-run``. Reports wall
   time and peak RSS (target: under 250 MB).

Usage::

    python benchmarks/bench_batch.py                      # both, default sizes
    python benchmarks/bench_batch.py --requests 20000 --skip-scan
    python benchmarks/bench_batch.py --json results.json

Only loopback traffic. Numbers vary with the machine and its load; the
benchmark prints the command lines it ran.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from genai_async.testing import MockServer


def write_requests(path: Path, n: int) -> None:
    with path.open("w") as f:
        for i in range(n):
            text = f"Give a one-line summary of document {i} about topic {i % 97}."
            f.write(
                f'{{"key":"req-{i:08d}","request":{{"contents":[{{"role":"user","parts":'
                f'[{{"text":"{text}"}}]}}],"generationConfig":{{"maxOutputTokens":64}}}}}}\n'
            )


def write_done_output(path: Path, n: int) -> None:
    with path.open("w") as f:
        for i in range(n):
            f.write(f'{{"key":"req-{i:08d}","response":{{"candidates":[]}}}}\n')


def run_child(args: list[str], cpu: int | None, env: dict[str, str]) -> dict[str, Any]:
    """Run ``args`` to completion; wall time, CPU time and peak RSS of that child."""

    def pin() -> None:
        if cpu is not None and hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {cpu})

    started = time.perf_counter()
    proc = subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=pin,
    )
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    return {
        "exit": proc.returncode,
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # ru_maxrss is in KiB on Linux
        "stderr": err,
    }


def summary_numbers(stderr: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, pattern in (
        ("reported_req_per_s", r"([\d.]+) req/s, latency"),
        ("p50_ms", r"p50 ([\d.]+) ms"),
        ("p99_ms", r"p99 ([\d.]+) ms"),
    ):
        match = re.search(pattern, stderr)
        if match:
            out[name] = float(match.group(1))
    return out


def bench_throughput(tmp: Path, n: int, concurrency: int, env: dict[str, str]) -> dict[str, Any]:
    source, output = tmp / "requests.jsonl", tmp / "results.jsonl"
    write_requests(source, n)
    with MockServer.spawn(cpu=0, extra_args=["--record-limit", "0"]) as server:
        args = [
            sys.executable, "-m", "genai_async", "batch", str(source), "--output", str(output),
            "--base-url", server.url, "--concurrency", str(concurrency), "--progress", "plain",
        ]  # fmt: skip
        print("server: python -m genai_async.testing --port 0 --cpu 0 --record-limit 0", flush=True)
        print("run (CPU 1):", " ".join(args), flush=True)
        result = run_child(args, cpu=1, env=env)
    lines = output.read_bytes().count(b"\n")
    output.unlink()
    if result["exit"] != 0 or lines != n:
        raise SystemExit(
            f"batch run failed (exit {result['exit']}, {lines} lines):\n{result['stderr']}"
        )
    return {
        "requests": n,
        "concurrency": concurrency,
        "wall_s": round(result["wall_s"], 2),
        "req_per_s": round(n / result["wall_s"]),
        "cpu_us_per_request": round(result["cpu_s"] / n * 1e6),
        "peak_rss_mb": round(result["peak_rss_mb"], 1),
        **summary_numbers(result["stderr"]),
    }


def bench_scan(tmp: Path, n: int, env: dict[str, str]) -> dict[str, Any]:
    source, output = tmp / "scan-input.jsonl", tmp / "scan-output.jsonl"
    write_requests(source, n)
    write_done_output(output, n)
    base = [sys.executable, "-m", "genai_async", "batch", str(source), "--output", str(output)]
    out: dict[str, Any] = {"lines": n, "input_mb": round(source.stat().st_size / 2**20, 1)}
    for name, extra in (
        ("resume", ["--resume", "--base-url", "http://127.0.0.1:9", "-q"]),
        ("dry_run_resume", ["--dry-run", "--resume", "-q"]),
    ):
        print("run:", " ".join(base + extra), flush=True)
        result = run_child(base + extra, cpu=1, env=env)
        if result["exit"] != 0:
            raise SystemExit(f"{name} failed (exit {result['exit']}):\n{result['stderr']}")
        out[name] = {
            "wall_s": round(result["wall_s"], 2),
            "peak_rss_mb": round(result["peak_rss_mb"], 1),
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=512)
    parser.add_argument("--scan-lines", type=int, default=1_000_000)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-scan", action="store_true")
    parser.add_argument("--json", default=None, help="also write the results to this file")
    args = parser.parse_args()
    env = {**os.environ, "GOOGLE_API_KEY": "bench-key"}
    results: dict[str, Any] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        if not args.skip_throughput:
            results["throughput"] = bench_throughput(
                Path(tmp), args.requests, args.concurrency, env
            )
            print(json.dumps(results["throughput"]), flush=True)
        if not args.skip_scan:
            results["scan"] = bench_scan(Path(tmp), args.scan_lines, env)
            print(json.dumps(results["scan"]), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
