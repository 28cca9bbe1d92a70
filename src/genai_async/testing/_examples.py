"""Running the project's examples against the embedded server (``genai-async examples``).

Every ``*.py`` under ``examples/`` (``examples/*.py`` and one level of folders) runs in
a child Python whose environment points the library at a :class:`MockServer` on
loopback, with whatever the example needs generated on the spot:

* **TLS**: a throw-away certificate authority (``ca.pem``, trusted through
  ``SSL_CERT_FILE``); the server serves HTTPS with a certificate for 127.0.0.1 and
  asks for, and records, client certificates. ``client.crt`` / ``client.key`` (signed
  by the same CA) are written to the working directory for the mutual-TLS example.
* **Vertex AI**: Application Default Credentials (``GOOGLE_APPLICATION_CREDENTIALS``)
  in a service-account key file with a fresh RSA key, whose ``token_uri`` is a token
  server on loopback, so the whole OAuth exchange (a signed JWT for a token) stays on
  this machine.
* **The FastAPI app** runs under uvicorn and is asked one JSON and one streaming
  question, then stopped with SIGINT.

As a guard for an example that ignores those variables, ``HTTP(S)_PROXY`` point at a
loopback port that refuses connections (``NO_PROXY`` exempts loopback), so a client that
honours proxy variables cannot reach a real endpoint.

The generated material needs ``cryptography`` (installed with ``google-auth``, i.e. the
``vertex`` extra, and with ``.[dev]``); without it the server speaks plain HTTP and the
examples that need certificates or credentials are reported as skipped, naming what
to install. An example passes when it exits 0, writes nothing to standard error and
sent at least one request to the embedded server.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TextIO

from ._credentials import _make_pki, _TokenHandler, service_account
from ._records import RecordedRequest
from ._server import MockServer

__all__ = (
    "SPECS",
    "ExampleResult",
    "ExampleSpec",
    "ExampleWorld",
    "build_parser",
    "default_examples_dir",
    "discover",
    "main",
)

INSTALL_HINT = 'pip install -e ".[dev]"'


@dataclass(frozen=True)
class ExampleSpec:
    """What one example needs beyond a base URL and an API key."""

    needs: tuple[str, ...] = ()
    """Modules it imports that the base install does not provide."""
    vertex: bool = False
    """Application Default Credentials with a loopback token endpoint."""
    client_cert: bool = False
    """``client.crt`` / ``client.key`` in its working directory (mutual TLS)."""
    app: bool = False
    """An ASGI ``app`` served by uvicorn rather than a script."""
    env: Mapping[str, str] = field(default_factory=dict)
    operation_polls: int = 1
    """``MockServer.set_operation_polls`` before it runs."""


SPECS: dict[str, ExampleSpec] = {
    "seed/01_vertex_v1.py": ExampleSpec(vertex=True),
    "seed/06_extra_body.py": ExampleSpec(vertex=True),
    "seed/07_aiohttp_args.py": ExampleSpec(client_cert=True),
    "seed/08_httpx_args.py": ExampleSpec(needs=("h2",)),
    "seed/09_custom_clients.py": ExampleSpec(needs=("h2",)),
    "seed/10_complete_configuration.py": ExampleSpec(vertex=True),
    "google_genai/vertex_media.py": ExampleSpec(vertex=True, env={"EXAMPLE_POLL_SECONDS": "0"}),
    "fastapi_app.py": ExampleSpec(app=True, needs=("fastapi", "uvicorn")),
    "trio_app.py": ExampleSpec(needs=("trio",), env={"TRIO_APP_CALLS": "120"}),
}
"""Examples with needs, by path under ``examples/``; any other file runs as a plain
Gemini API script."""


@dataclass
class ExampleResult:
    """The outcome of one example: ``status`` is ``"ok"``, ``"failed"`` or ``"skipped"``."""

    name: str
    status: str
    seconds: float
    detail: str = ""
    stdout: str = ""
    stderr: str = ""
    requests: list[RecordedRequest] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def default_examples_dir() -> Path | None:
    """``./examples`` when it exists, else the ``examples/`` of the checkout this
    package was installed from (``pip install -e .``), else ``None``."""
    here = Path.cwd() / "examples"
    if here.is_dir():
        return here
    checkout = Path(__file__).resolve().parents[3] / "examples"
    return checkout if checkout.is_dir() else None


def discover(root: Path) -> list[str]:
    """The examples under ``root``, as sorted POSIX paths relative to it."""
    found = [*root.glob("*.py"), *root.glob("*/*.py")]
    return sorted(
        p.relative_to(root).as_posix() for p in found if not p.name.startswith(("_", "."))
    )


def _missing(modules: Sequence[str]) -> list[str]:
    out = []
    for name in modules:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            out.append(name)
    return out


def _child_environ(base: Mapping[str, str]) -> dict[str, str]:
    """``base`` without Google settings, CA overrides or proxies; ``PYTHONPATH`` made
    absolute (the children run in another directory)."""
    env = {
        k: v
        for k, v in base.items()
        if not k.startswith(("GOOGLE_", "GEMINI_", "SSL_CERT_"))
        and not k.lower().endswith("_proxy")
    }
    if env.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.pathsep.join(
            str(Path(p).resolve()) for p in env["PYTHONPATH"].split(os.pathsep) if p
        )
    return env


# -- the world the examples run in --------------------------------------------------------------


class ExampleWorld:
    """A mock server, a token server and generated files for running examples.

    Use as a context manager; :meth:`run` runs one example and returns its result.
    ``work_dir`` (default: a temporary directory removed on exit) is every example's
    working directory.
    """

    def __init__(
        self,
        examples_dir: Path,
        *,
        work_dir: Path | None = None,
        timeout: float = 60.0,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.examples_dir = Path(examples_dir)
        self.timeout = timeout
        self._own_dir = work_dir is None
        self.work_dir = (
            Path(tempfile.mkdtemp(prefix="genai-async-examples-"))
            if work_dir is None
            else Path(work_dir)
        )
        self._environ = dict(os.environ if environ is None else environ)
        self._stack = contextlib.ExitStack()
        self.server: MockServer | None = None
        self.env: dict[str, str] = {}
        self.tls = False
        self.credentials = False
        self._why_no_tls: list[str] = []
        self._why_no_credentials: list[str] = []

    def __enter__(self) -> ExampleWorld:
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._stack.close()
        if self._own_dir:
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def _start(self) -> None:
        env = _child_environ(self._environ)
        env.update(GEMINI_API_KEY="mock-key", PYTHONWARNINGS="error::ResourceWarning")
        # A guard for an example that ignores the base-URL variables: every client that
        # honours proxy variables sends anything not for loopback to a port that refuses.
        closed = _refusing_port()
        for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            env[var] = f"http://127.0.0.1:{closed}"
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
        context = None
        if _missing(["cryptography"]):
            self._why_no_tls = ["cryptography"]
        else:
            pki = _make_pki(self.work_dir)
            (self.work_dir / "client.crt").write_bytes(pki.client_cert)
            (self.work_dir / "client.key").write_bytes(pki.client_key)
            context = pki.server_context
            env["SSL_CERT_FILE"] = str(pki.ca_file)
            self.tls = True
        missing_auth = _missing(["google.auth", "cryptography"])
        if missing_auth:
            self._why_no_credentials = missing_auth
        else:
            tokens = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _TokenHandler)
            thread = threading.Thread(
                target=tokens.serve_forever, name="genai-async-examples-tokens", daemon=True
            )
            thread.start()

            def stop_tokens() -> None:
                tokens.shutdown()
                tokens.server_close()

            self._stack.callback(stop_tokens)
            adc = self.work_dir / "adc.json"
            port = tokens.server_address[1]
            adc.write_text(json.dumps(service_account(f"http://127.0.0.1:{port}/token")))
            env["GOOGLE_APPLICATION_CREDENTIALS"] = str(adc)
            self.credentials = True
        # Lenient: the seed's examples show options with illustrative values the real
        # API would refuse too (extra_body={"customParam": ...}, retired model names).
        self.server = self._stack.enter_context(MockServer(ssl=context, strict=False))
        env.update(
            GOOGLE_GEMINI_BASE_URL=self.server.url,
            GOOGLE_VERTEX_BASE_URL=self.server.url,
            GATEWAY_BASE_URL=self.server.url,
        )
        self.env = env

    # -- running ----------------------------------------------------------------------------

    def _skip_reason(self, spec: ExampleSpec) -> str:
        missing = _missing(spec.needs)
        if spec.client_cert and not self.tls:
            missing += self._why_no_tls
        if spec.vertex and not self.credentials:
            missing += self._why_no_credentials
        if not missing:
            return ""
        return f"needs {', '.join(dict.fromkeys(missing))}: {INSTALL_HINT}"

    def run(self, name: str) -> ExampleResult:
        """Run ``examples/<name>`` and judge it."""
        server = self.server
        if server is None:
            raise RuntimeError("ExampleWorld.run() needs the world started (use it in `with`)")
        spec = SPECS.get(name, ExampleSpec())
        reason = self._skip_reason(spec)
        if reason:
            return ExampleResult(name, "skipped", 0.0, reason)
        server.clear()
        server.clear_faults()
        server.set_operation_polls(spec.operation_polls)
        env = {**self.env, **spec.env}
        started = time.monotonic()
        result = self._run_app(name, env) if spec.app else self._run_script(name, env)
        result.seconds = time.monotonic() - started
        result.requests = server.requests
        if result.status == "ok" and not result.requests:
            result.status = "failed"
            result.detail = "sent no request to the embedded server"
        return result

    def _run_script(self, name: str, env: dict[str, str]) -> ExampleResult:
        try:
            proc = subprocess.run(
                [sys.executable, str(self.examples_dir / name)],
                env=env,
                cwd=self.work_dir,
                capture_output=True,
                text=True,
                timeout=self.timeout,
            )
        except subprocess.TimeoutExpired as exc:
            return ExampleResult(
                name,
                "failed",
                0.0,
                f"still running after {self.timeout:g} s",
                _text(exc.stdout),
                _text(exc.stderr),
            )
        status, detail = "ok", ""
        if proc.returncode != 0:
            status, detail = "failed", f"exit status {proc.returncode}"
        elif proc.stderr:
            status, detail = "failed", "wrote to standard error"
        return ExampleResult(name, status, 0.0, detail, proc.stdout, proc.stderr)

    def _run_app(self, name: str, env: dict[str, str]) -> ExampleResult:
        path = self.examples_dir / name
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                f"{path.stem}:app",
                "--app-dir",
                str(path.parent),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=self.work_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        status, detail, transcript = "ok", "", []
        try:
            deadline = time.monotonic() + self.timeout
            while True:
                try:
                    _get(f"{url}/pool", 1.0)
                    break
                except OSError:
                    if proc.poll() is not None:
                        raise RuntimeError("the app exited before it answered") from None
                    if time.monotonic() > deadline:
                        raise RuntimeError(
                            f"the app did not answer within {self.timeout:g} s"
                        ) from None
                    time.sleep(0.05)
            answer = json.loads(_get(f"{url}/ask?q=Hi", self.timeout))
            transcript.append(f"/ask: {answer}")
            if "Hi" not in str(answer.get("text")):
                raise RuntimeError(f"/ask answered {answer!r}")
            streamed = _get(f"{url}/stream?q=Tell+a+story", self.timeout).decode()
            transcript.append(f"/stream: {streamed}")
            if "Tell a story" not in streamed:
                raise RuntimeError(f"/stream answered {streamed!r}")
        except (OSError, RuntimeError, ValueError) as exc:
            status, detail = "failed", str(exc)
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
            try:
                out, err = proc.communicate(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
                if status == "ok":
                    status, detail = "failed", "did not stop on SIGINT"
        if status == "ok" and proc.returncode != 0:
            status, detail = "failed", f"exit status {proc.returncode} after SIGINT"
        elif status == "ok" and (out or err):
            status, detail = "failed", "wrote to its output"
        return ExampleResult(name, status, 0.0, detail, "\n".join(transcript) + "\n" + out, err)


def _refusing_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _text(data: str | bytes | None) -> str:
    if data is None:
        return ""
    return data.decode(errors="replace") if isinstance(data, bytes) else data


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get(url: str, timeout: float) -> bytes:
    """GET on loopback, never through a proxy."""
    with _DIRECT.open(url, timeout=timeout) as response:
        data: bytes = response.read()
        return data


# -- command line ---------------------------------------------------------------------------------


def build_parser(prog: str = "genai-async examples") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description=(
            "Run every example under examples/ against the embedded mock server: nothing "
            "leaves this machine and no key is needed. Certificates (TLS, mutual TLS) and "
            "Vertex AI credentials (a token server on loopback) are generated for the run. "
            "Prints one line per example; exit status 1 when any failed. Examples whose "
            f"packages are missing are skipped, naming them ({INSTALL_HINT} installs all)."
        ),
    )
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="run only the examples whose path contains NAME (e.g. seed/ or vertex)",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="the examples directory (default: ./examples, else the checkout's)",
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, metavar="S", help="seconds per example (default 60)"
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="also print each example's output"
    )
    return parser


def _indent(text: str, lines: int = 20) -> str:
    kept = text.rstrip().splitlines()[-lines:]
    return "".join(f"    {line}\n" for line in kept)


def run_all(
    world: ExampleWorld, names: Sequence[str], out: TextIO, *, verbose: bool = False
) -> list[ExampleResult]:
    """Run ``names`` in ``world``, printing one line per example to ``out``."""
    width = max((len(n) for n in names), default=0)
    results = []
    for name in names:
        result = world.run(name)
        results.append(result)
        line = f"{name:<{width}}  {result.status:<7} {result.seconds:6.2f} s"
        if result.detail:
            line += f"  ({result.detail})"
        print(line, file=out, flush=True)
        if result.status == "failed" or (verbose and result.status == "ok"):
            if result.stdout.strip():
                print(_indent(result.stdout), end="", file=out)
            if result.stderr.strip():
                print(_indent(result.stderr), end="", file=out)
    return results


def _iter_counts(results: Sequence[ExampleResult]) -> Iterator[str]:
    for status in ("ok", "failed", "skipped"):
        yield f"{sum(r.status == status for r in results)} {status}"


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """``genai-async examples``; returns the exit status (0 none failed, 1 some failed,
    2 nothing to run)."""
    stream = sys.stdout if out is None else out
    args = build_parser().parse_args(argv)
    root = args.dir if args.dir is not None else default_examples_dir()
    if root is None or not root.is_dir():
        where = root if root is not None else "./examples"
        print(
            f"genai-async examples: error: no examples directory at {where}: run from the "
            "project root or pass --dir",
            file=sys.stderr,
        )
        return 2
    names = [n for n in discover(root) if not args.names or any(s in n for s in args.names)]
    if not names:
        print(f"genai-async examples: error: no example matches under {root}", file=sys.stderr)
        return 2
    with ExampleWorld(root, timeout=args.timeout) as world:
        scheme = "HTTPS" if world.tls else "HTTP (cryptography not installed: no TLS)"
        print(f"embedded server: {world.env['GOOGLE_GEMINI_BASE_URL']} over {scheme}", file=stream)
        results = run_all(world, names, stream, verbose=args.verbose)
    print(", ".join(_iter_counts(results)), file=stream)
    return 1 if any(r.status == "failed" for r in results) else 0
