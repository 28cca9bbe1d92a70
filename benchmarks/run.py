"""genai_async vs google-genai vs raw aiohttp / httpx, side by side in one run.

    pip install -e ".[dev]"                        # includes google-genai 3.6.1
    python benchmarks/run.py                       # the full run (~25 min on 2 CPUs)
    python benchmarks/run.py --quick               # a short one (~8 min)
    python benchmarks/run.py --kinds genai_async,raw-aiohttp --concurrency 256 --rounds 5

The benchmark server (``python -m genai_async.testing --bench``) runs in its own
process pinned to CPU 0; every client kind runs in a fresh child process pinned
to CPU 1, at each concurrency (tasks in flight on one loop) or thread count
(sync clients). Within a round every kind runs once per level, and the order
of the kinds alternates from round to round, so drift on the machine hits all
of them alike. A point is timed over a fixed window after a warm-up (every
task or thread has finished a request): requests/s, client CPU µs per request
(``getrusage`` of the child, all threads, over the window), p50/p99 latency of
the requests that ended in the window, the longest wait any request saw (ended in
the window, or still in flight at its end; async kinds), peak RSS of the child,
and the server's CPU µs per request. Tables show medians over the rounds (the
longest wait: the longest of all rounds).

Also measured: building an ``AsyncClient`` whose transport key already has a
session (and its first call), next to building a google-genai ``Client``; and
the RSS of one process across rounds at 1,024 in flight (it must not grow).

Prints Markdown tables and the targets, and writes ``benchmarks/results/latest.json``.
Kinds whose library is missing (google-genai) are skipped with a note.
"""

from __future__ import annotations

import argparse
import gc
import glob
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _kinds import (
    GC_SUFFIX,
    GC_THRESHOLD,
    KINDS,
    Kind,
    construct_google,
    construct_ours,
    google_genai_version,
    make_async,
    make_sync,
)

HERE = Path(__file__).resolve().parent
DEFAULT_JSON = HERE / "results" / "latest.json"
PINNED_GOOGLE_GENAI = "3.6.1"
SERVER_CPU, CLIENT_CPU = 0, 1
# backend='native' on uvloop is what the default kinds run: named, not run twice by default
_DEFAULT_TWINS = {
    "genai_async-native",
    "genai_async-native-stream",
    "genai_async-native-stream-events",
}
DEFAULT_ASYNC_KINDS = [
    name
    for name, kind in KINDS.items()
    if kind.mode == "async" and not name.endswith(GC_SUFFIX) and name not in _DEFAULT_TWINS
]
DEFAULT_SYNC_KINDS = [name for name, kind in KINDS.items() if kind.mode == "sync"]


# -- measuring (in the child) ---------------------------------------------------------------------


def _server_cpu_ns(pid: int) -> int:
    """CPU time of every thread of process ``pid`` (nanoseconds, from schedstat)."""
    total = 0
    for path in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            with open(path) as fh:
                total += int(fh.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        resident = int(fh.read().split()[1])
    return resident * os.sysconf("SC_PAGE_SIZE") / 2**20


class _Window:
    """The timed section: marks taken at its start and end."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.measuring = False
        self.latencies: list[float] = []
        self.longest_wait = 0.0  # finished in the window, or still waiting at its end
        self.errors = 0
        self.start: tuple[float, float, int, int] = (0.0, 0.0, 0, 0)
        self.end: tuple[float, float, int, int] = (0.0, 0.0, 0, 0)

    def mark(self, done: int) -> tuple[float, float, int, int]:
        return (time.perf_counter(), _cpu_seconds(), _server_cpu_ns(self.server_pid), done)

    def result(self, spec: dict[str, Any]) -> dict[str, Any]:
        wall = self.end[0] - self.start[0]
        n = self.end[3] - self.start[3]
        lat = sorted(self.latencies)
        out = {
            **spec,
            "requests": n,
            "errors": self.errors,
            "seconds": wall,
            "rps": n / wall if wall > 0 else 0.0,
            "cpu_us": (self.end[1] - self.start[1]) / n * 1e6 if n else None,
            "server_cpu_us": (self.end[2] - self.start[2]) / n / 1e3 if n else None,
            "p50_ms": lat[len(lat) // 2] * 1e3 if lat else None,
            "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1e3 if lat else None,
            "max_ms": max(self.longest_wait, lat[-1] if lat else 0.0) * 1e3 if lat else None,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
        return out


async def _run_async(spec: dict[str, Any]) -> dict[str, Any]:
    import anyio

    concurrency = spec["level"]
    window = _Window(spec["server_pid"])
    call, close = await make_async(spec["kind"], spec["url"])
    done = [0]
    started = [0]
    perf = time.perf_counter
    latencies = window.latencies

    since: dict[int, float] = {}  # worker -> when its request in flight began

    async def worker(index: int) -> None:
        first = True
        while True:
            t0 = since[index] = perf()
            try:
                await call()
            except Exception:
                window.errors += 1
                await anyio.sleep(0.01)
                continue
            t1 = perf()
            done[0] += 1
            if first:
                started[0] += 1
                first = False
            if window.measuring:
                latencies.append(t1 - t0)

    async with anyio.create_task_group() as tg:
        for index in range(concurrency):
            tg.start_soon(worker, index)
        # Warm-up: every task has finished a request (connections are open), capped.
        begin = perf()
        await anyio.sleep(spec["warmup_min"])
        while started[0] < concurrency and perf() - begin < spec["warmup_cap"]:  # noqa: ASYNC110
            await anyio.sleep(0.02)  # (a poll: counting finished requests must stay free)
        window.start = window.mark(done[0])
        window.measuring = True
        await anyio.sleep(spec["duration"])
        window.end = window.mark(done[0])
        window.measuring = False
        now = perf()  # starvation cannot hide behind a percentile of finished requests
        window.longest_wait = max((now - t0 for t0 in since.values()), default=0.0)
        tg.cancel_scope.cancel()
    with anyio.CancelScope(shield=True):
        await close()
    return window.result(spec)


def _run_sync(spec: dict[str, Any]) -> dict[str, Any]:
    threads = spec["level"]
    window = _Window(spec["server_pid"])
    call, close = make_sync(spec["kind"], spec["url"])
    counts = [0] * threads
    stop = threading.Event()
    perf = time.perf_counter
    lat_per_thread: list[list[float]] = [[] for _ in range(threads)]

    def worker(index: int) -> None:
        mine = lat_per_thread[index]
        while not stop.is_set():
            t0 = perf()
            try:
                call()
            except Exception:
                window.errors += 1
                time.sleep(0.01)
                continue
            t1 = perf()
            counts[index] += 1
            if window.measuring:
                mine.append(t1 - t0)

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    begin = perf()
    time.sleep(spec["warmup_min"])
    while min(counts) == 0 and perf() - begin < spec["warmup_cap"]:
        time.sleep(0.02)
    window.start = window.mark(sum(counts))
    window.measuring = True
    time.sleep(spec["duration"])
    window.end = window.mark(sum(counts))
    window.measuring = False
    stop.set()
    for thread in pool:
        thread.join(60)
    close()
    window.latencies = [x for items in lat_per_thread for x in items]
    return window.result(spec)


async def _run_construct(spec: dict[str, Any]) -> dict[str, Any]:
    """Build clients whose pool already exists: build time, and build + first call."""
    import genai_async

    url = spec["url"]
    keeper = genai_async.AsyncClient(api_key="another-key", http_options={"base_url": url})
    await keeper.models.generate_content(
        model="gemini-2.5-flash-lite", contents="warm"
    )  # the session
    factory = construct_google if spec["kind"] == "google-genai" else construct_ours
    build, first = factory(url)
    first_client = build()  # imports, caches
    await first(first_client)
    builds: list[float] = []
    calls: list[float] = []
    deadline = time.perf_counter() + spec["duration"]
    while len(builds) < spec["samples"] and (len(builds) < 5 or time.perf_counter() < deadline):
        t0 = time.perf_counter()
        client = build()
        t1 = time.perf_counter()
        await first(client)
        t2 = time.perf_counter()
        builds.append(t1 - t0)
        calls.append(t2 - t0)
    await keeper.aclose()
    return {
        **spec,
        "samples": len(builds),
        "build_ms": statistics.median(builds) * 1e3,
        "build_and_call_ms": statistics.median(calls) * 1e3,
    }


async def _run_rss(spec: dict[str, Any]) -> dict[str, Any]:
    """RSS of one process after each round at ``level`` in flight."""
    import anyio

    call, close = await make_async(spec["kind"], spec["url"])
    rounds: list[float] = []
    per_round = spec["requests"]

    async def worker(count: int) -> None:
        for _ in range(count):
            await call()

    level = spec["level"]
    for _ in range(spec["rounds"]):
        async with anyio.create_task_group() as tg:
            for i in range(level):
                tg.start_soon(worker, per_round // level + (1 if i < per_round % level else 0))
        rounds.append(_rss_mb())
    await close()
    return {
        **spec,
        "rss_mb": rounds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child(spec: dict[str, Any]) -> dict[str, Any]:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {CLIENT_CPU})
    task = spec["task"]
    if spec["kind"].endswith(GC_SUFFIX):
        gc.set_threshold(*GC_THRESHOLD)
    if task == "point" and KINDS[spec["kind"]].mode == "sync":
        return _run_sync(spec)
    import anyio

    loop = KINDS[spec["kind"]].loop if spec["kind"] in KINDS else "uvloop"
    backend = "trio" if loop == "trio" else "asyncio"
    options = {"use_uvloop": True} if loop == "uvloop" else {}
    fn = {"point": _run_async, "construct": _run_construct, "rss": _run_rss}[task]
    result: dict[str, Any] = anyio.run(fn, spec, backend=backend, backend_options=options)
    return result


# -- orchestration (in the parent) ----------------------------------------------------------------


def _spawn_server(stream_events: int, latency_ms: float) -> tuple[subprocess.Popen[str], str]:
    cmd = [sys.executable, "-m", "genai_async.testing", "--bench", "--port", "0"]
    cmd += ["--stream-events", str(stream_events), "--latency-ms", str(latency_ms)]
    if (os.cpu_count() or 1) > 1:
        cmd += ["--cpu", str(SERVER_CPU)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on "):
        proc.kill()
        raise SystemExit(f"the benchmark server did not start: {line!r}")
    return proc, line.split()[-1]


def _spawn_child(spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {**spec, "failed": f"no result within {timeout:.0f} s"}
    if out.returncode != 0:
        tail = out.stderr.strip().splitlines()[-1:] or ["(no output)"]
        return {**spec, "failed": f"exit {out.returncode}: {tail[0]}"}
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in (
        "genai-async",
        "google-genai",
        "aiohttp",
        "httpx",
        "httpx2",
        "uvloop",
        "trio",
        "anyio",
        "orjson",
        "pydantic",
    ):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            pass
    return found


def _machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "pinning": (
            f"server on CPU {SERVER_CPU}, each client on CPU {CLIENT_CPU}"
            if (os.cpu_count() or 1) > 1
            else "unpinned (one CPU)"
        ),
    }


def _median(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return float(statistics.median(present)) if present else None


def _summarise(points: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    grouped: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for point in points:
        grouped.setdefault((point["kind"], point["level"]), []).append(point)
    table: dict[tuple[str, int], dict[str, Any]] = {}
    for key, runs in grouped.items():
        good = [r for r in runs if "failed" not in r]
        row: dict[str, Any] = {"kind": key[0], "level": key[1], "rounds": len(good)}
        for field in ("rps", "cpu_us", "p50_ms", "p99_ms", "peak_rss_mb", "server_cpu_us"):
            row[field] = _median([r.get(field) for r in good])
        waits = [r["max_ms"] for r in good if r.get("max_ms") is not None]
        row["max_ms"] = max(waits) if waits else None  # the longest of every round
        row["errors"] = sum(r.get("errors", 0) for r in good)
        row["failures"] = [r["failed"] for r in runs if "failed" in r]
        table[key] = row
    for (name, level), row in table.items():
        kind = KINDS[name]
        raw = table.get((kind.raw, level)) if kind.raw else None
        google = table.get((kind.google, level)) if kind.google else None
        row["cpu_x_raw"] = _ratio(row["cpu_us"], raw["cpu_us"] if raw else None)
        row["rps_x_google"] = _ratio(row["rps"], google["rps"] if google else None)
    return table


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _fmt(value: float | None, spec: str = ",.0f", suffix: str = "") -> str:
    return "-" if value is None else f"{value:{spec}}{suffix}"


def _label(kind: Kind) -> str:
    loop = "" if kind.loop == "threads" else f" [{kind.loop}]"
    return f"{kind.label}{loop}"


def _tables(table: dict[tuple[str, int], dict[str, Any]], kinds: list[str]) -> str:
    lines: list[str] = []
    levels = sorted({level for (_, level) in table})
    for mode, unit in (("async", "in flight"), ("sync", "threads")):
        names = [k for k in kinds if KINDS[k].mode == mode]
        if not names:
            continue
        for level in levels:
            rows = [table[(k, level)] for k in names if (k, level) in table]
            if not rows:
                continue
            lines.append(f"\n**{level} {unit}**\n")
            lines.append(
                "| client | req/s | × google-genai req/s | CPU µs/req | × raw aiohttp CPU "
                "| p50 ms | p99 ms | longest wait ms | peak RSS MB | server µs/req |"
            )
            lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for row in rows:
                kind = KINDS[row["kind"]]
                note = ""
                if row["failures"]:
                    note = f" (failed {len(row['failures'])}×: {row['failures'][0]})"
                elif row["errors"]:
                    note = f" ({row['errors']} errors)"
                lines.append(
                    f"| {_label(kind)}{note} | {_fmt(row['rps'])} "
                    f"| {_fmt(row['rps_x_google'], '.2f', '×')} | {_fmt(row['cpu_us'])} "
                    f"| {_fmt(row['cpu_x_raw'], '.2f', '×')} | {_fmt(row['p50_ms'], '.2f')} "
                    f"| {_fmt(row['p99_ms'], '.2f')} | {_fmt(row.get('max_ms'), '.0f')} "
                    f"| {_fmt(row['peak_rss_mb'], '.0f')} "
                    f"| {_fmt(row['server_cpu_us'], '.1f')} |"
                )
    return "\n".join(lines)


def _targets(
    table: dict[tuple[str, int], dict[str, Any]],
    construct: dict[str, Any],
    rss: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    def get(kind: str, level: int, field: str) -> float | None:
        row = table.get((kind, level))
        return None if row is None else row.get(field)

    out: list[dict[str, Any]] = []

    def check(name: str, value: float | None, goal: str, ok: bool | None, detail: str) -> None:
        out.append(
            {
                "target": name,
                "value": value,
                "goal": goal,
                "met": ok,
                "detail": detail,
            }
        )

    cpu = _ratio(get("genai_async", 256, "cpu_us"), get("raw-aiohttp", 256, "cpu_us"))
    check(
        "async uvloop 256: CPU/req vs raw aiohttp + orjson",
        cpu,
        "≤ 1.30×",
        None if cpu is None else cpu <= 1.30,
        f"{_fmt(get('genai_async', 256, 'cpu_us'))} vs "
        f"{_fmt(get('raw-aiohttp', 256, 'cpu_us'))} µs",
    )
    rps = _ratio(get("genai_async", 256, "rps"), get("google-genai", 256, "rps"))
    check(
        "async uvloop 256: throughput vs google-genai async",
        rps,
        "≥ 5×",
        None if rps is None else rps >= 5.0,
        f"{_fmt(get('genai_async', 256, 'rps'))} vs {_fmt(get('google-genai', 256, 'rps'))} req/s",
    )
    levels = sorted({level for (kind, level) in table if kind == "genai_async-trust_env-on"})
    worst = None
    for level in levels:
        ratio = _ratio(
            get("genai_async-trust_env-on", level, "cpu_us"),
            get("genai_async-trust_env-off", level, "cpu_us"),
        )
        if ratio is not None and (worst is None or ratio > worst[1]):
            worst = (level, ratio)
    check(
        "trust_env=True vs trust_env=False: CPU/req (worst level)",
        worst[1] if worst else None,
        "≤ 1.10×",
        None if worst is None else worst[1] <= 1.10,
        f"at {worst[0]} in flight" if worst else "",
    )
    stream = _ratio(
        get("genai_async-stream", 256, "cpu_us"), get("raw-aiohttp-stream", 256, "cpu_us")
    )
    check(
        "stream (8 events) 256: CPU/req vs raw aiohttp stream",
        stream,
        "≤ 1.50×",
        None if stream is None else stream <= 1.50,
        f"{_fmt(get('genai_async-stream', 256, 'cpu_us'))} vs "
        f"{_fmt(get('raw-aiohttp-stream', 256, 'cpu_us'))} µs",
    )
    sync = _ratio(get("genai_async-sync", 64, "rps"), get("google-genai-sync", 64, "rps"))
    check(
        "sync Client, 64 threads: throughput vs google-genai sync",
        sync,
        "≥ 4×",
        None if sync is None else sync >= 4.0,
        f"{_fmt(get('genai_async-sync', 64, 'rps'))} vs "
        f"{_fmt(get('google-genai-sync', 64, 'rps'))} req/s",
    )
    for kind in ("genai_async-httpx", "genai_async-httpx-trio"):
        base = get(kind, 64, "rps")
        high = [get(kind, level, "rps") for level in (256, 1024)]
        present = [h for h in high if h is not None]
        ratio = _ratio(min(present), base) if present else None
        check(
            f"httpx backend [{KINDS[kind].loop}]: req/s at 256 and 1,024 vs 64",
            ratio,
            "≥ 1.00× (0.95 allowed for noise)",
            None if ratio is None else ratio >= 0.95,
            " / ".join(_fmt(v) for v in (base, *high)) + " req/s at 64 / 256 / 1,024",
        )
    ours = construct.get("genai_async")
    google = construct.get("google-genai")
    check(
        "AsyncClient() on an existing session",
        ours["build_ms"] if ours else None,
        "< 1 ms",
        None if not ours else ours["build_ms"] < 1.0,
        f"google-genai Client(): {_fmt(google['build_ms'], '.2f')} ms" if google else "",
    )
    if rss is not None:
        series = rss["rss_mb"]
        growth = series[-1] - series[1] if len(series) > 2 else series[-1] - series[0]
        check(
            f"RSS across rounds at {rss['level']} in flight",
            growth,
            "no growth (≤ 2 MB after the first round)",
            growth <= 2.0,
            " → ".join(f"{v:.1f}" for v in series) + " MB",
        )
    return out


def _targets_text(targets: list[dict[str, Any]]) -> str:
    lines = ["| target | goal | measured | met | detail |", "|---|---|---:|---|---|"]
    for t in targets:
        met = "-" if t["met"] is None else ("yes" if t["met"] else "**no**")
        value = t["value"]
        shown = "-" if value is None else f"{value:.2f}"
        lines.append(f"| {t['target']} | {t['goal']} | {shown} | {met} | {t['detail']} |")
    return "\n".join(lines)


def _parse_levels(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="shorter windows (1 s), 3 rounds")
    parser.add_argument(
        "--kinds", default=None, help=f"comma-separated subset of: {', '.join(KINDS)}"
    )
    parser.add_argument("--concurrency", default="1,64,256,1024", help="async tasks in flight")
    parser.add_argument("--threads", default="16,64", help="threads of the sync kinds")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (≥ 3 for medians)")
    parser.add_argument("--duration", type=float, default=None, help="seconds per point window")
    parser.add_argument("--stream-events", type=int, default=8)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="server delay per response")
    parser.add_argument("--no-extras", action="store_true", help="skip construction and RSS runs")
    parser.add_argument("--json", dest="json_path", default=str(DEFAULT_JSON))
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.child is not None:
        print(json.dumps(_child(json.loads(args.child))))
        return 0

    duration = args.duration if args.duration is not None else (1.0 if args.quick else 3.0)
    kinds = args.kinds.split(",") if args.kinds else DEFAULT_ASYNC_KINDS + DEFAULT_SYNC_KINDS
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise SystemExit(f"unknown kinds: {', '.join(unknown)}")
    notes: list[str] = []
    gversion = google_genai_version()
    if gversion is None:
        skipped = [k for k in kinds if KINDS[k].family == "google-genai"]
        kinds = [k for k in kinds if KINDS[k].family != "google-genai"]
        if skipped:
            notes.append(
                "google-genai is not installed: its rows are skipped "
                '(pip install -e ".[dev]" pins 3.6.1).'
            )
    elif gversion != PINNED_GOOGLE_GENAI:
        notes.append(f"google-genai {gversion} installed; the tables are pinned to 3.6.1.")
    levels = {"async": _parse_levels(args.concurrency), "sync": _parse_levels(args.threads)}
    for note in notes:
        print(f"note: {note}", file=sys.stderr)

    server, url = _spawn_server(args.stream_events, args.latency_ms)
    points: list[dict[str, Any]] = []
    construct: dict[str, Any] = {}
    rss: dict[str, Any] | None = None
    started = time.perf_counter()
    try:
        total = sum(len(levels[KINDS[k].mode]) for k in kinds) * args.rounds
        done = 0
        for round_no in range(args.rounds):
            order = kinds if round_no % 2 == 0 else list(reversed(kinds))
            for mode in ("async", "sync"):
                for level in levels[mode]:
                    for kind in (k for k in order if KINDS[k].mode == mode):
                        spec = {
                            "task": "point",
                            "kind": kind,
                            "level": level,
                            "url": url,
                            "server_pid": server.pid,
                            "duration": duration,
                            "warmup_min": 0.3 if args.quick else 0.5,
                            "warmup_cap": 5.0 if args.quick else 10.0,
                            "round": round_no,
                        }
                        result = _spawn_child(spec, timeout=duration + 120)
                        points.append(result)
                        done += 1
                        shown = (
                            result.get("failed")
                            or f"{result['rps']:,.0f} req/s, {_fmt(result['cpu_us'])} µs CPU"
                        )
                        print(
                            f"[{done}/{total} {time.perf_counter() - started:4.0f}s] "
                            f"round {round_no + 1} {kind} @ {level}: {shown}",
                            file=sys.stderr,
                            flush=True,
                        )
        if not args.no_extras:
            families = ["genai_async"] + (["google-genai"] if gversion else [])
            for family in families:
                spec = {
                    "task": "construct",
                    "kind": family,
                    "url": url,
                    "samples": 200 if family == "genai_async" else 30,
                    "duration": 5.0 if args.quick else 10.0,
                    "server_pid": server.pid,
                }
                construct[family] = _spawn_child(spec, timeout=300)
                print(f"construct {family}: {construct[family]}", file=sys.stderr, flush=True)
            spec = {
                "task": "rss",
                "kind": "genai_async",
                "url": url,
                "level": 1024,
                "rounds": 5 if args.quick else 8,
                "requests": 10240 if args.quick else 20480,
                "server_pid": server.pid,
            }
            rss = _spawn_child(spec, timeout=600)
            print(f"rss: {rss}", file=sys.stderr, flush=True)
    finally:
        server.terminate()
        server.wait(10)

    table = _summarise(points)
    construct_ok = {k: v for k, v in construct.items() if "failed" not in v}
    rss_ok = rss if rss is not None and "failed" not in rss else None
    targets = _targets(table, construct_ok, rss_ok)
    machine = _machine()
    versions = _versions()
    command = "python benchmarks/run.py" + (" " + " ".join(argv) if argv else "")
    if argv is None and len(sys.argv) > 1:
        command = "python benchmarks/run.py " + " ".join(sys.argv[1:])

    report = [
        f"Machine: {machine['cpu']}, {machine['cores']} CPUs, Python {machine['python']}; "
        f"{machine['pinning']}.",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items() if k != "python") + ".",
        f"Command: `{command}`; medians of {args.rounds} rounds, {duration:g} s windows, "
        f"{args.stream_events} events per stream, server latency {args.latency_ms:g} ms.",
        *(f"Note: {note}" for note in notes),
        _tables(table, kinds),
    ]
    if construct_ok:
        report.append("\n**Building a client whose pool already exists**\n")
        report.append("| client | build ms | build + first call ms |")
        report.append("|---|---:|---:|")
        for family, row in construct_ok.items():
            name = (
                "genai_async AsyncClient()" if family == "genai_async" else "google-genai Client()"
            )
            report.append(f"| {name} | {row['build_ms']:.3f} | {row['build_and_call_ms']:.3f} |")
    if rss_ok is not None:
        series = " → ".join(f"{v:.1f}" for v in rss_ok["rss_mb"])
        report.append(
            f"\nRSS of one genai_async process after each of {rss_ok['rounds']} rounds of "
            f"{rss_ok['requests']:,} requests at {rss_ok['level']} in flight: {series} MB "
            f"(peak {rss_ok['peak_rss_mb']:.1f} MB)."
        )
    report.append("\n**Targets**\n")
    report.append(_targets_text(targets))
    text = "\n".join(report)
    print(text)

    path = Path(args.json_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": machine,
        "versions": versions,
        "command": command,
        "config": {
            "rounds": args.rounds,
            "duration_s": duration,
            "concurrency": levels["async"],
            "threads": levels["sync"],
            "stream_events": args.stream_events,
            "latency_ms": args.latency_ms,
        },
        "notes": notes,
        "table": [
            {**row, "label": _label(KINDS[row["kind"]]), "mode": KINDS[row["kind"]].mode}
            for row in table.values()
        ],
        "construct": construct,
        "rss": rss,
        "targets": targets,
        "points": points,
        "markdown": text,
    }
    path.write_text(json.dumps(payload, indent=1))
    print(f"\nwrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
