"""Running the mock server in a separate process and steering it over its control endpoints."""

from __future__ import annotations

import os
import selectors
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import orjson

from ._faults import Fault
from ._records import ServerStats

__all__ = ("MockServerProcess", "spawn_process")

_START_TIMEOUT = 20.0
_BANNER = "listening on "


class MockServerProcess:
    """Handle on a mock server running in a subprocess (see ``MockServer.spawn``).

    Usage::

        with MockServer.spawn(latency_ms=5, cpu=1) as proc:
            proc.inject(Fault(status=503))
            ...
            print(proc.stats().requests)
    """

    def __init__(self, process: subprocess.Popen[bytes], url: str, stderr: IO[bytes]) -> None:
        self._process = process
        self._url = url
        self._stderr = stderr
        # The control channel talks to our own child on loopback: never through a proxy
        # from the environment, and without verifying its (test) certificate.
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context)
        )

    @property
    def url(self) -> str:
        """Base URL of the server, e.g. ``http://127.0.0.1:43211``."""
        return self._url

    @property
    def pid(self) -> int:
        """Process id of the server."""
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        """Exit status once the process has ended, else ``None``."""
        return self._process.poll()

    def _control(self, method: str, path: str, payload: Any = None) -> Any:
        data = None if payload is None else orjson.dumps(payload)
        request = urllib.request.Request(
            self._url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", "Connection": "close"},
        )
        with self._opener.open(request, timeout=10) as response:
            return orjson.loads(response.read())

    def inject(self, *faults: Fault) -> None:
        """Queue faults in the server process (``POST /_mock/faults``)."""
        self._control("POST", "/_mock/faults", [f.to_dict() for f in faults])

    def clear_faults(self) -> None:
        """Drop every pending fault (``DELETE /_mock/faults``)."""
        self._control("DELETE", "/_mock/faults")

    def clear(self) -> None:
        """Reset the server's recordings and counters (``POST /_mock/clear``)."""
        self._control("POST", "/_mock/clear", {})

    def stats(self) -> ServerStats:
        """The server's counters (``GET /_mock/stats``)."""
        return ServerStats.from_dict(self._control("GET", "/_mock/stats"))

    def stop(self) -> None:
        """Terminate the process (SIGTERM, then SIGKILL after 5 s). Idempotent."""
        process = self._process
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdout, self._stderr):
            if stream is not None and not stream.closed:
                stream.close()

    def __enter__(self) -> MockServerProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self._process.poll() is None else f"exited {self._process.returncode}"
        return f"<MockServerProcess pid={self.pid} {self._url} [{state}]>"


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    # Make the package importable in the child even when it is not installed.
    package_root = str(Path(__file__).resolve().parents[2])
    current = env.get("PYTHONPATH")
    env["PYTHONPATH"] = package_root if not current else package_root + os.pathsep + current
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _read_banner(process: subprocess.Popen[bytes], timeout: float) -> str | None:
    stdout = process.stdout
    assert stdout is not None
    deadline = time.monotonic() + timeout
    line = b""
    with selectors.DefaultSelector() as selector:
        selector.register(stdout, selectors.EVENT_READ)
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                return None
            byte = os.read(stdout.fileno(), 1)
            if not byte:
                return None
            line += byte
    return line.decode("utf-8", "replace").strip()


def spawn_process(
    *,
    latency_ms: float,
    stream_events: int,
    cpu: int | None,
    port: int,
    extra_args: tuple[str, ...],
) -> MockServerProcess:
    """Start ``python -m genai_async.testing`` and wait for its ``listening on`` line."""
    args = [
        sys.executable,
        "-m",
        "genai_async.testing",
        "--port",
        str(port),
        "--latency-ms",
        str(latency_ms),
        "--stream-events",
        str(stream_events),
    ]
    if cpu is not None:
        args += ["--cpu", str(cpu)]
    args += list(extra_args)
    # Owned by the returned handle (closed by its stop()), hence no context manager.
    stderr = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, env=_child_env()
        )
    except BaseException:
        stderr.close()
        raise
    banner = _read_banner(process, _START_TIMEOUT)
    if banner is None or not banner.startswith(_BANNER):
        if process.poll() is None:
            process.kill()
        process.wait()
        stderr.seek(0)
        detail = stderr.read().decode("utf-8", "replace").strip()
        if process.stdout is not None:
            process.stdout.close()
        stderr.close()
        raise RuntimeError(
            f"mock server process did not start (exit status {process.returncode}, "
            f"first line {banner!r}): {detail or 'no error output'}"
        )
    return MockServerProcess(process, banner[len(_BANNER) :], stderr)
