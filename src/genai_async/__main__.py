"""The ``genai-async`` command line.

``genai-async batch INPUT.jsonl --output OUTPUT.jsonl [...]`` runs a Gemini Batch
API JSONL file (see :func:`genai_async.batch.run_file`); ``genai-async serve-mock``
runs the embedded mock server (as ``python -m genai_async.testing``);
``genai-async examples`` runs every example under ``examples/`` against it.

Exit status of ``batch``: 0 when every record succeeded, 1 when some records are
errors (or input keys repeated), 2 when the run could not start (or stopped on an
I/O error such as a full disk), 130 on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import threading
from collections.abc import Callable

__all__ = ("build_parser", "main")

_KEY_VARS = ("GOOGLE_API_KEY", "GEMINI_API_KEY")
_VERTEX_VARS = ("GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION")
DEFAULT_MODEL = "gemini-2.5-flash"


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The ``genai-async`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="genai-async", description="Tools of genai_async, the async GenAI REST runtime."
    )
    from ._version import __version__

    parser.add_argument("--version", action="version", version=f"genai-async {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    batch = commands.add_parser(
        "batch",
        help="run a JSONL file of generateContent requests (crash-safe, resumable)",
        description=(
            "Send every line of INPUT ({'key', 'request', ['model']}, the Gemini Batch API "
            "format) as a generateContent request; append one {'key', 'response'|'error'} "
            "line per key to OUTPUT as results arrive. The API key comes from GOOGLE_API_KEY "
            "or GEMINI_API_KEY. Exit status: 0 all records succeeded, 1 some are errors, "
            "2 the run could not start."
        ),
    )
    batch.add_argument("input", metavar="INPUT", help="JSONL input ('-' reads standard input)")
    batch.add_argument("--output", "-o", required=True, metavar="OUTPUT", help="JSONL output")
    batch.add_argument(
        "--model", default=DEFAULT_MODEL, help=f"default model (default {DEFAULT_MODEL})"
    )
    batch.add_argument(
        "--concurrency",
        type=_positive_int,
        default=64,
        help="requests in flight (default 64; per worker with dask)",
    )
    batch.add_argument(
        "--rpm",
        type=_positive_float,
        default=None,
        help="requests per minute limit (divided evenly among dask workers)",
    )
    batch.add_argument(
        "--tpm",
        type=_positive_float,
        default=None,
        help="tokens per minute limit (estimated before, settled after; divided among dask workers)",
    )
    batch.add_argument(
        "--resume", action="store_true", help="continue OUTPUT: skip keys already in it"
    )
    batch.add_argument(
        "--retry-errors",
        action="store_true",
        help="continue OUTPUT and send again the keys whose record is an error, replacing "
        "those records (implies --resume; local and dask engines)",
    )
    batch.add_argument(
        "--dry-run", action="store_true", help="read and check everything, send nothing"
    )
    batch.add_argument(
        "--max-attempts", type=_positive_int, default=5, help="attempts per request (default 5)"
    )
    batch.add_argument(
        "--initial-backoff",
        type=_non_negative_float,
        default=1.0,
        metavar="S",
        help="first retry delay in seconds, doubling (default 1)",
    )
    batch.add_argument(
        "--timeout",
        type=_positive_float,
        default=600.0,
        metavar="S",
        help="seconds per attempt (default 600)",
    )
    batch.add_argument(
        "--base-url", default=None, help="API base URL (default: the public endpoint)"
    )
    batch.add_argument(
        "--api-key", default=None, help="API key (prefer GOOGLE_API_KEY / GEMINI_API_KEY)"
    )
    batch.add_argument("--vertex", action="store_true", help="use Vertex AI")
    batch.add_argument("--project", default=None, help="Vertex AI project")
    batch.add_argument("--location", default=None, help="Vertex AI location")
    batch.add_argument(
        "--engine",
        choices=("local", "dask", "gemini-batch"),
        default="local",
        help="where requests are sent from: this process, a Dask cluster, or Google's Batch "
        "API (gemini-batch: half price, results within 24 h)",
    )
    batch.add_argument(
        "--cancel",
        action="store_true",
        help="gemini-batch: cancel this run's job server-side (with --resume)",
    )
    batch.add_argument(
        "--poll-interval",
        type=_positive_float,
        default=None,
        metavar="S",
        help="gemini-batch: seconds between job polls (default 30; 0.2 with --mock)",
    )
    batch.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDR",
        help="Dask scheduler address (default: a local cluster)",
    )
    batch.add_argument(
        "--workers", type=_positive_int, default=None, help="local Dask cluster workers (default 2)"
    )
    batch.add_argument(
        "--chunk-size", type=_positive_int, default=50, help="lines per Dask task (default 50)"
    )
    batch.add_argument(
        "--loop",
        choices=("auto", "asyncio", "uvloop", "trio"),
        default="auto",
        help="event loop of the local engine",
    )
    batch.add_argument(
        "--mock",
        action="store_true",
        help="send to an embedded mock server (fake replies, no key needed)",
    )
    batch.add_argument(
        "--mock-latency-ms",
        type=_non_negative_float,
        default=0.0,
        metavar="MS",
        help="mock server delay per reply",
    )
    batch.add_argument(
        "--progress",
        choices=("auto", "bar", "plain"),
        default="auto",
        help="progress display (default: a bar on a terminal)",
    )
    batch.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print nothing but errors (the summary only when some records are errors)",
    )

    # Listed for --help only: main() hands "serve-mock ..." to the mock server's own parser.
    commands.add_parser(
        "serve-mock", help="run the embedded mock Gemini / Vertex AI server", add_help=False
    )
    commands.add_parser(
        "examples",
        help="run every example in examples/ against the embedded mock server",
        add_help=False,
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line (``argv``: the arguments, default ``sys.argv[1:]``); returns
    the exit status. Called without ``argv`` it also tunes this process's garbage
    collector for a long batch run."""
    own_process = argv is None  # the real command line, not a call from Python code
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["serve-mock"]:
        return _serve_mock(argv[1:])
    if argv[:1] == ["examples"]:
        from .testing._examples import main as examples_main

        return examples_main(argv[1:])
    args = build_parser().parse_args(argv)
    if own_process:
        _tune_gc()
    return _batch(args)


def _serve_mock(argv: list[str]) -> int:
    from .testing.__main__ import build_parser as mock_parser
    from .testing.__main__ import main as mock_main

    mock_parser("genai-async serve-mock").parse_args(argv)  # --help and usage errors, our name
    return mock_main(argv)


def _tune_gc() -> None:
    """Collect garbage less often: this process is the command line's own.

    Every request allocates a few hundred short-lived containers, so with the default
    thresholds the collector runs every few dozen requests; at 512 in flight that
    cost ~20 % of the CPU. Objects of start-up are also moved out of its way.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _os_failure(exc: BaseException) -> OSError | None:
    """The I/O error (e.g. a full disk) that stopped a run, also from inside a task group."""
    if isinstance(exc, OSError):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = _os_failure(inner)
            if found is not None:
                return found
    return None


def _summary(text: str, exit_code: int, quiet: bool) -> None:
    """The closing summary; with ``--quiet`` only when some records are errors."""
    if not quiet or exit_code != 0:
        print(text, file=sys.stderr)


def _err(text: str) -> None:
    print(f"genai-async batch: error: {text}", file=sys.stderr)


def _credentials_problem(exc: BaseException, args: argparse.Namespace) -> str:
    """The message for a client that cannot be built, in the words of this command line
    (its flags and environment variables, not the Python arguments)."""
    text = str(exc) or type(exc).__name__
    if text.startswith("no API key"):
        text = (
            "no API key: pass --api-key or set GOOGLE_API_KEY (or GEMINI_API_KEY); "
            "for Vertex AI use --vertex with --project and --location"
        )
    looked_at = (*_VERTEX_VARS, "GOOGLE_API_KEY") if args.vertex else _KEY_VARS
    return (
        f"{text}\n(environment variables looked at: {', '.join(looked_at)}; "
        "--mock runs against the embedded mock server instead)"
    )


def _batch(args: argparse.Namespace) -> int:
    if (args.project or args.location) and not args.vertex:
        _err("--project and --location go with --vertex")
        return 2
    if args.engine != "gemini-batch" and (args.cancel or args.poll_interval is not None):
        _err("--cancel and --poll-interval go with --engine gemini-batch")
        return 2
    if args.engine == "gemini-batch" and (args.dry_run or args.vertex):
        _err(
            "--engine gemini-batch runs on the Gemini API and sends nothing with --dry-run: "
            "drop --dry-run / --vertex"
        )
        return 2
    if args.retry_errors and args.engine == "gemini-batch":
        _err(
            "--retry-errors is not supported with --engine gemini-batch: run the keys that "
            "ended as errors again with --engine local (or dask) --retry-errors on the same OUTPUT"
        )
        return 2
    if args.cancel and not args.resume:
        _err("--cancel needs --resume (it cancels the job of the run OUTPUT belongs to)")
        return 2
    if args.engine != "dask" and (args.scheduler or args.workers):
        _err("--scheduler and --workers need --engine dask")
        return 2
    if args.scheduler and args.workers:
        _err("--workers sizes the local cluster started without --scheduler")
        return 2
    from .batch import BatchStartError, ClientConfig, format_summary, run_file

    if args.api_key and not args.quiet:
        print(
            "note: --api-key is visible to other users in process lists; "
            "prefer the GOOGLE_API_KEY or GEMINI_API_KEY environment variable",
            file=sys.stderr,
        )
    server = None
    restore_sigterm = _sigterm_as_interrupt()
    try:
        base_url, api_key = args.base_url, args.api_key
        if args.mock:
            from .testing import MockServer

            server = MockServer(latency=args.mock_latency_ms / 1000.0, record_limit=0).start()
            if not args.quiet:
                print(
                    f"mock: sending to the embedded mock server at {server.url} "
                    "(fake deterministic replies; no API is called)",
                    file=sys.stderr,
                )
            base_url, api_key = server.url, "mock-key"
        config = ClientConfig(
            api_key=api_key,
            vertexai=True if args.vertex else None,
            project=args.project,
            location=args.location,
            base_url=base_url,
            timeout_s=args.timeout,
        )
        if not args.mock and not args.dry_run:
            try:
                config.build()
            except Exception as exc:  # also google-auth's DefaultCredentialsError
                _err(_credentials_problem(exc, args))
                return 2
        try:
            if args.engine == "gemini-batch":
                from .batch._gemini import run_gemini_batch

                if server is not None:
                    server.set_batch(polls=2)
                poll = args.poll_interval or (0.2 if args.mock else 30.0)
                summary = run_gemini_batch(
                    args.input,
                    args.output,
                    model=args.model,
                    client=config,
                    resume=args.resume,
                    cancel=args.cancel,
                    poll_interval=poll,
                    stream=None if args.quiet else sys.stderr,
                )
                _summary(format_summary(summary), summary.exit_code, args.quiet)
                return summary.exit_code
            summary = run_file(
                args.input,
                args.output,
                model=args.model,
                client=config,
                concurrency=args.concurrency,
                rpm=args.rpm,
                tpm=args.tpm,
                max_attempts=args.max_attempts,
                initial_delay=args.initial_backoff,
                resume=args.resume,
                retry_errors=args.retry_errors,
                dry_run=args.dry_run,
                engine=args.engine,
                scheduler=args.scheduler,
                workers=args.workers,
                chunk_size=args.chunk_size,
                loop=args.loop,
                stream=None if args.quiet else sys.stderr,
                progress={"auto": None, "bar": True, "plain": False}[args.progress],
            )
        except BatchStartError as exc:
            _err(str(exc))
            return 2
        except Exception as exc:
            failure = _os_failure(exc)
            if failure is None:
                raise
            _err(
                f"the run stopped: {failure}; the lines written so far are complete: "
                f"run again with --resume to continue {args.output}"
            )
            return 2
        except KeyboardInterrupt:
            print(
                f"\ninterrupted: the lines written so far are complete; run again with --resume "
                f"to continue {args.output}",
                file=sys.stderr,
            )
            return 130
        _summary(format_summary(summary), summary.exit_code, args.quiet)
        return summary.exit_code
    finally:
        restore_sigterm()
        if server is not None:
            server.stop()


def _sigterm_as_interrupt() -> Callable[[], None]:
    """Handle SIGTERM as Ctrl-C (the same clean stop, exit status 130) while a batch runs;
    returns what restores the previous handler. Only the main thread can do this."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum: int, frame: object) -> None:
        signal.raise_signal(signal.SIGINT)

    previous = signal.signal(signal.SIGTERM, interrupt)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


if __name__ == "__main__":
    sys.exit(main())
