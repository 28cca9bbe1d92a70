"""Command line entry point: ``python -m genai_async.testing`` runs a standalone mock server.

The first line printed is ``listening on http://HOST:PORT`` (``https`` with TLS);
the server then runs until SIGINT or SIGTERM. ``--bench`` runs the benchmark
server instead (:mod:`._bench`): precomputed responses, no recording, no faults.
"""

from __future__ import annotations

import argparse
import os
import signal
import ssl
import sys
import threading
from types import FrameType

__all__ = ("build_parser", "main")


class _DefaultsFormatter(argparse.RawDescriptionHelpFormatter):
    """Adds ``(default: X)`` to options whose help does not state it; keeps the epilog's layout."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if (
            "default" in text
            or default is None
            or default is False
            or default is argparse.SUPPRESS
            or not action.option_strings
        ):
            return text
        return f"{text} (default: {default})"


def _control_help() -> str:
    """The epilog of ``--help``: the control endpoints, fault fields named from ``Fault``."""
    import dataclasses
    import textwrap

    from ._faults import Fault

    fields = ", ".join(f.name for f in dataclasses.fields(Fault))
    return (
        "control endpoints (JSON, on the same port; not with --bench):\n"
        "  POST   /_mock/faults  inject faults: one Fault object or a list of them, e.g.\n"
        '                        {"match": ":generateContent", "status": 429, "retry_after": 2}\n'
        "  DELETE /_mock/faults  drop the faults not used up yet\n"
        "  GET    /_mock/stats   request and connection counters\n"
        "  POST   /_mock/clear   forget recorded requests and reset the counters\n"
        "Fault fields (genai_async.testing.Fault; bytes fields as <name>_b64):\n"
        + textwrap.fill(fields, width=88, initial_indent="  ", subsequent_indent="  ")
    )


def build_parser(prog: str = "python -m genai_async.testing") -> argparse.ArgumentParser:
    """The argument parser (reusable by other command line tools)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Run a Gemini / Vertex AI compatible mock HTTP server.",
        epilog=_control_help(),
        formatter_class=_DefaultsFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8080, help="port (0 picks a free one)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay before each response")
    parser.add_argument(
        "--stream-events",
        type=int,
        default=None,
        help="SSE events per stream (default 3; 8 with --bench)",
    )
    parser.add_argument("--models", type=int, default=7, help="models in listings")
    checks = parser.add_mutually_exclusive_group()
    checks.add_argument(
        "--strict",
        dest="strict",
        action="store_true",
        default=True,
        help="refuse unknown models, request fields and API versions as the real API does "
        "(the default)",
    )
    checks.add_argument(
        "--lenient",
        dest="strict",
        action="store_false",
        help="answer any model name, request field and API version",
    )
    parser.add_argument(
        "--known-model",
        dest="known_models",
        action="append",
        default=[],
        metavar="NAME",
        help="a model name to accept besides genai_async.testing.KNOWN_MODELS (repeatable)",
    )
    parser.add_argument(
        "--page-size", type=int, default=50, help="listing page size when a request sets none"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for random latency")
    parser.add_argument(
        "--record-limit",
        type=int,
        default=0,
        help="requests kept in memory (default 0: they cannot be read from another process)",
    )
    parser.add_argument("--cpu", type=int, default=None, help="pin the process to this CPU")
    parser.add_argument("--tls-cert", default=None, help="PEM certificate chain (serves HTTPS)")
    parser.add_argument("--tls-key", default=None, help="PEM private key for --tls-cert")
    parser.add_argument(
        "--bench",
        action="store_true",
        help="benchmark server: generateContent, countTokens and streamGenerateContent from "
        "precomputed bytes; no recording, faults, listings or TLS",
    )
    return parser


def _wait_for_termination() -> None:
    """Block until SIGINT or SIGTERM without consuming CPU."""
    if hasattr(signal, "sigwait"):
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
        return
    stop = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    while not stop.wait(0.5):
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the server until SIGINT/SIGTERM; returns the exit status."""
    args = build_parser().parse_args(argv)
    if (args.tls_cert is None) != (args.tls_key is None):
        print("error: --tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    if args.cpu is not None:
        if not hasattr(os, "sched_setaffinity"):
            print("warning: --cpu is not supported on this platform", file=sys.stderr)
        else:
            try:
                os.sched_setaffinity(0, {args.cpu})
            except (OSError, ValueError) as exc:
                print(f"error: cannot pin to CPU {args.cpu}: {exc}", file=sys.stderr)
                return 2
    if args.bench:
        if args.tls_cert is not None:
            print("error: --bench serves plain HTTP only", file=sys.stderr)
            return 2
        from ._bench import run

        events = 8 if args.stream_events is None else args.stream_events
        run(args.host, args.port, stream_events=events, latency=args.latency_ms / 1000.0)
        return 0
    from ._server import MockServer

    context = None
    if args.tls_cert is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    server = MockServer(
        host=args.host,
        port=args.port,
        ssl=context,
        latency=args.latency_ms / 1000.0,
        stream_events=3 if args.stream_events is None else args.stream_events,
        record_limit=args.record_limit,
        seed=args.seed,
        page_size_default=args.page_size,
        models=args.models,
        strict=args.strict,
        known_models=args.known_models,
    )
    signals = {signal.SIGINT, signal.SIGTERM}
    blocking = hasattr(signal, "pthread_sigmask") and hasattr(signal, "sigwait")
    # Block the signals before the server thread exists so that it inherits the mask
    # and sigwait() in this thread receives them.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signals) if blocking else None
    try:
        server.start()
        try:
            print(f"listening on {server.url}", flush=True)
            _wait_for_termination()
        finally:
            server.stop()
    finally:
        if previous is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return 0


if __name__ == "__main__":
    sys.exit(main())
