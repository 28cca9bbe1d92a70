"""What observing calls costs: client CPU per request with no instrumentation,
with opentelemetry-api importable but unconfigured, with a no-op hook, and with
the OpenTelemetry SDK configured (spans to a discarding exporter, metrics kept).

The embedded server runs in this process; each mode runs in a fresh child
process, modes alternating round by round. CPU is the child's getrusage
(user + system) around the timed section, divided by the requests.

    python benchmarks/bench_observe.py                   # 3 rounds of 3000 requests, concurrency 16
    python benchmarks/bench_observe.py --requests 10000 --rounds 5

Prints a Markdown table of medians and the ratio to "none".
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
from typing import Any

MODES = {
    "none": "opentelemetry not importable, no hook",
    "otel-api": "opentelemetry-api importable, no provider set",
    "hook": "a plain no-op hook on every event",
    "otel-sdk": "SDK tracer + meter providers (BatchSpanProcessor, discarding exporter)",
}
BODY = {"contents": [{"role": "user", "parts": [{"text": "Name three prime numbers."}]}]}
PATH = "models/gemini-2.5-flash-lite:generateContent"


def child(mode: str, url: str, n: int, concurrency: int) -> None:
    if mode == "none":
        for name in ("opentelemetry", "opentelemetry.trace", "opentelemetry.metrics"):
            sys.modules[name] = None  # type: ignore[assignment]
    if mode == "otel-sdk":
        from opentelemetry import metrics, trace
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import (
            BatchSpanProcessor,
            SpanExporter,
            SpanExportResult,
        )

        class Discard(SpanExporter):
            def export(self, spans: Any) -> SpanExportResult:
                return SpanExportResult.SUCCESS

        provider = TracerProvider()
        provider.add_span_processor(BatchSpanProcessor(Discard()))
        trace.set_tracer_provider(provider)
        metrics.set_meter_provider(MeterProvider(metric_readers=[InMemoryMetricReader()]))

    import anyio

    import genai_async

    options: dict[str, Any] = {"base_url": url}
    if mode == "hook":

        def noop(event: Any) -> None:
            pass

        options["hooks"] = genai_async.Hooks(noop, noop, noop, noop, noop)

    async def main() -> float:
        async with genai_async.AsyncClient(api_key="k", http_options=options) as client:
            for _ in range(200):  # warm-up
                await client.request("POST", PATH, BODY)
            left = n

            async def worker() -> None:
                nonlocal left
                while left > 0:
                    left -= 1
                    await client.request("POST", PATH, BODY)

            r0 = resource.getrusage(resource.RUSAGE_SELF)
            async with anyio.create_task_group() as tg:
                for _ in range(concurrency):
                    tg.start_soon(worker)
            r1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        return cpu / n * 1e6

    print(json.dumps({"cpu_us": anyio.run(main)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.requests, args.concurrency)
        return
    from genai_async.testing import MockServer

    results: dict[str, list[float]] = {m: [] for m in MODES}
    with MockServer() as server:
        for _ in range(args.rounds):
            for mode in MODES:
                out = subprocess.run(
                    [sys.executable, __file__, "--child", mode, server.url,
                     "--requests", str(args.requests), "--concurrency", str(args.concurrency)],
                    capture_output=True, text=True, check=True,
                )  # fmt: skip
                results[mode].append(json.loads(out.stdout.strip().splitlines()[-1])["cpu_us"])
    base = statistics.median(results["none"])
    print(f"{args.requests} requests x {args.rounds} rounds, concurrency {args.concurrency}\n")
    print("| mode | client CPU µs/request (median) | vs none |")
    print("|---|---:|---:|")
    for mode, label in MODES.items():
        med = statistics.median(results[mode])
        print(f"| {mode}: {label} | {med:.1f} | {med / base:.3f} |")


if __name__ == "__main__":
    main()
