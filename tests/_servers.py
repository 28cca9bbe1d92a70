"""Real local counterparts for the transport tests.

* :class:`Certs` — a trustme CA for servers, another for client certificates, a
  rogue CA nobody trusts, PEM files on disk and an ``SSL_CERT_DIR``-style directory.
* :class:`HandshakeCounter` — a TLS listener that counts TCP connections and TLS
  handshakes (failed ones included), for "refused and not retried" checks.
* :class:`SilentListener` — accepts TCP connections and never says a word.
* :class:`ProxyServer` — proxy.py run from this process, with a plugin that logs
  every request line it handles (plain HTTP and ``CONNECT``) to a file.
* :class:`H2Server` — hypercorn over TLS with ALPN ``h2`` serving a tiny
  Gemini-compatible ASGI app that records the HTTP version and client address.

Everything listens on loopback only.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import socket
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest

__all__ = (
    "ASYNCIO_LOOPS",
    "Certs",
    "H2Server",
    "HandshakeCounter",
    "ProxyServer",
    "SilentListener",
    "make_certs",
    "subject_hash",
)

SERVER_NAMES = ("127.0.0.1", "127.0.0.2", "localhost", "::1")

ASYNCIO_LOOPS = pytest.mark.parametrize(
    "anyio_backend",
    [
        pytest.param(("asyncio", {"use_uvloop": False}), id="asyncio"),
        pytest.param(("asyncio", {"use_uvloop": True}), id="uvloop"),
    ],
)
"""For aiohttp-only tests: the loop flavours aiohttp runs on (it does not run under trio)."""


# -- certificates ---------------------------------------------------------------------------


def _der(tag: int, body: bytes) -> bytes:
    size = len(body)
    if size < 0x80:
        return bytes([tag, size]) + body
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + body


def _oid(dotted: str) -> bytes:
    arcs = [int(part) for part in dotted.split(".")]
    out = bytearray([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out.extend(reversed(chunk))
    return _der(0x06, bytes(out))


def subject_hash(cert_pem: bytes) -> str:
    """OpenSSL's ``X509_NAME_hash`` of a certificate's subject (the ``<hash>.0`` file name
    that ``SSL_CERT_DIR`` / ``capath`` lookups use), for ASCII subjects."""
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(cert_pem)
    canonical = b""
    for rdn in cert.subject.rdns:
        body = b""
        for attr in rdn:
            text = attr.value if isinstance(attr.value, str) else attr.value.decode()
            value = " ".join(text.split()).lower().encode()
            body += _der(0x30, _oid(attr.oid.dotted_string) + _der(0x0C, value))
        canonical += _der(0x31, body)
    digest = hashlib.sha1(canonical).digest()
    return f"{int.from_bytes(digest[:4], 'little'):08x}"


@dataclass
class Certs:
    """Test PKI. ``ca_file``/``ca_dir`` trust the server CA; client certs come from
    ``client_ca``; ``rogue`` is a server certificate from a CA nobody trusts."""

    root: Path
    ca: Any
    server: Any
    client_ca: Any
    client_cert_file: str
    client_key_file: str
    rogue: Any
    ca_file: str = ""
    ca_dir: str = ""
    client_ca_file: str = ""
    server_cert_file: str = ""
    server_key_file: str = ""

    def server_context(
        self, *, require_client_cert: bool = False, rogue: bool = False
    ) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        (self.rogue if rogue else self.server).configure_cert(ctx)
        if require_client_cert:
            self.client_ca.configure_trust(ctx)
            ctx.verify_mode = ssl.CERT_REQUIRED
        return ctx

    def client_context(self, *, client_cert: bool = False) -> ssl.SSLContext:
        """What the seed does: ``create_default_context()`` (+ ``load_cert_chain``),
        trusting the test CA."""
        ctx = ssl.create_default_context()
        self.ca.configure_trust(ctx)
        if client_cert:
            ctx.load_cert_chain(self.client_cert_file, self.client_key_file)
        return ctx


def make_certs(root: Path) -> Certs:
    import trustme

    kind = trustme.KeyType.ECDSA
    ca = trustme.CA(key_type=kind)
    client_ca = trustme.CA(key_type=kind)
    rogue_ca = trustme.CA(key_type=kind)
    server = ca.issue_cert(*SERVER_NAMES, key_type=kind)
    client = client_ca.issue_cert("genai-async-test-client@example.test", key_type=kind)
    certs = Certs(
        root=root,
        ca=ca,
        server=server,
        client_ca=client_ca,
        client_cert_file=str(root / "client.crt"),
        client_key_file=str(root / "client.key"),
        rogue=rogue_ca.issue_cert(*SERVER_NAMES, key_type=kind),
    )
    client.cert_chain_pems[0].write_to_path(certs.client_cert_file)
    client.private_key_pem.write_to_path(certs.client_key_file)
    certs.ca_file = str(root / "ca.pem")
    ca.cert_pem.write_to_path(certs.ca_file)
    certs.client_ca_file = str(root / "client-ca.pem")
    client_ca.cert_pem.write_to_path(certs.client_ca_file)
    certs.server_cert_file = str(root / "server.pem")
    certs.server_key_file = str(root / "server.key")
    server.cert_chain_pems[0].write_to_path(certs.server_cert_file)
    server.private_key_pem.write_to_path(certs.server_key_file)
    ca_dir = root / "cadir"
    ca_dir.mkdir()
    ca.cert_pem.write_to_path(str(ca_dir / f"{subject_hash(ca.cert_pem.bytes())}.0"))
    certs.ca_dir = str(ca_dir)
    return certs


# -- raw listeners --------------------------------------------------------------------------


class _Listener:
    """A loopback TCP listener served by one daemon thread."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._sock = socket.create_server((host, 0), backlog=64)
        self._sock.settimeout(0.05)
        self.host = host
        self.port: int = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.handle(conn)

    def handle(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()
        for conn in self._held:
            conn.close()
        self._held.clear()

    def __enter__(self) -> _Listener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class HandshakeCounter(_Listener):
    """Serves TLS with ``context``; counts TCP connections accepted and TLS handshakes
    completed or failed. A completed handshake gets a minimal JSON 200."""

    def __init__(self, context: ssl.SSLContext, host: str = "127.0.0.1") -> None:
        self.context = context
        self.accepted = 0
        self.handshakes_ok = 0
        self.handshakes_failed = 0
        super().__init__(host)

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}"

    def handle(self, conn: socket.socket) -> None:
        self.accepted += 1
        conn.settimeout(2.0)
        try:
            tls = self.context.wrap_socket(conn, server_side=True)
        except (OSError, ssl.SSLError):
            self.handshakes_failed += 1
            conn.close()
            return
        self.handshakes_ok += 1
        with contextlib.suppress(OSError):
            tls.recv(65536)
            body = b'{"candidates": []}'
            tls.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
            )
        tls.close()


class SilentListener(_Listener):
    """Accepts connections and never reads nor writes (a TLS handshake never finishes)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.accepted = 0
        super().__init__(host)

    def handle(self, conn: socket.socket) -> None:
        self.accepted += 1
        self._held.append(conn)


# -- proxy.py -------------------------------------------------------------------------------


class ProxyServer:
    """proxy.py on 127.0.0.1, started from this process (its acceptor is a forked child).

    ``lines()`` is every request line the proxy handled, e.g. ``"CONNECT 127.0.0.1:4433"``
    or ``"POST http://127.0.0.1:8080/v1beta/..."``, logged by a plugin in the child.
    """

    def __init__(self, *, basic_auth: str | None = None) -> None:
        self.basic_auth = basic_auth
        fd, self._log = tempfile.mkstemp(prefix="genai-async-proxy-", suffix=".log")
        os.close(fd)
        self._proxy: Any = None
        self.port = 0

    def start(self) -> ProxyServer:
        import proxy
        from proxy.http.proxy import HttpProxyBasePlugin

        log_path = self._log

        class Recorder(HttpProxyBasePlugin):  # type: ignore[misc]
            def handle_client_request(self, request: Any) -> Any:
                target = request.path.decode() if request.method != b"CONNECT" else None
                if target is None:
                    target = f"{request.host.decode()}:{request.port}"
                elif request.host and not target.startswith("http"):
                    target = f"http://{request.host.decode()}:{request.port}{target}"
                with open(log_path, "a", encoding="utf-8") as log:
                    log.write(f"{request.method.decode()} {target}\n")
                return request

        args = [
            "--hostname",
            "127.0.0.1",
            "--port",
            "0",
            "--num-workers",
            "1",
            "--num-acceptors",
            "1",
            "--log-level",
            "ERROR",
        ]
        if self.basic_auth:
            args += ["--basic-auth", self.basic_auth]
        self._proxy = proxy.Proxy(args, plugins=[Recorder])
        self._proxy.setup()
        self.port = int(self._proxy.flags.port)
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url_with_auth(self) -> str:
        assert self.basic_auth is not None
        return f"http://{self.basic_auth}@127.0.0.1:{self.port}"

    def lines(self) -> list[str]:
        with open(self._log, encoding="utf-8") as log:
            return log.read().splitlines()

    def wait_lines(self, count: int, timeout: float = 2.0) -> list[str]:
        """The log once it holds ``count`` lines (the child writes asynchronously)."""
        end = time.monotonic() + timeout
        lines = self.lines()
        while len(lines) < count and time.monotonic() < end:
            time.sleep(0.01)
            lines = self.lines()
        return lines

    def clear(self) -> None:
        with open(self._log, "w", encoding="utf-8"):
            pass

    def stop(self) -> None:
        if self._proxy is not None:
            self._proxy.shutdown()
            self._proxy = None
        with contextlib.suppress(OSError):
            os.unlink(self._log)


# -- hypercorn (HTTP/2) ---------------------------------------------------------------------


@dataclass
class H2Record:
    http_version: str
    client: tuple[str, int]
    path: str


@dataclass
class H2App:
    """A Gemini-compatible ASGI app: ``:generateContent`` (JSON) and
    ``:streamGenerateContent?alt=sse`` (SSE). ``x-delay`` (seconds) delays the response."""

    records: list[H2Record] = field(default_factory=list)
    disconnected: int = 0  # delayed requests the client abandoned (RST_STREAM) before the reply

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        client = scope.get("client") or ("?", 0)
        self.records.append(H2Record(scope["http_version"], (client[0], client[1]), scope["path"]))
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = dict(scope["headers"])
        delay = float(headers.get(b"x-delay", b"0"))
        if delay and await self._disconnected_within(receive, delay):
            self.disconnected += 1
            # Answer anyway: hypercorn frees a reset stream's slot in its priority tree only
            # when the app completes a response (left open, 1,000 of them kill the connection).
        text = "Echo: " + (orjson.loads(body)["contents"][0]["parts"][0]["text"] if body else "")
        candidate = {"content": {"role": "model", "parts": [{"text": text}]}}
        if scope["path"].endswith(":streamGenerateContent"):
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"text/event-stream")],
                }
            )
            for i in range(3):
                event = {"candidates": [{"content": {"parts": [{"text": f"{text} #{i}"}]}}]}
                await send(
                    {
                        "type": "http.response.body",
                        "body": b"data: " + orjson.dumps(event) + b"\r\n\r\n",
                        "more_body": True,
                    }
                )
            await send({"type": "http.response.body", "body": b""})
            return
        payload = orjson.dumps({"candidates": [candidate]})
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    @staticmethod
    async def _disconnected_within(receive: Any, seconds: float) -> bool:
        async def disconnect() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        try:
            await asyncio.wait_for(disconnect(), seconds)
        except TimeoutError:
            return False
        return True

    def connections(self) -> set[tuple[str, int]]:
        return {r.client for r in self.records}


class H2Server:
    """hypercorn over TLS (ALPN ``h2``, ``http/1.1``) on its own asyncio loop in a thread."""

    def __init__(self, certs: Certs, *, max_concurrent_streams: int = 100) -> None:
        self.app = H2App()
        self._certs = certs
        self._streams = max_concurrent_streams
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self.port = 0
        self._error: list[BaseException] = []

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self) -> H2Server:
        from hypercorn.config import Config

        sock = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = sock.getsockname()[1]
        config = Config()
        config.bind = [f"fd://{sock.detach()}"]
        config.certfile = self._certs.server_cert_file
        config.keyfile = self._certs.server_key_file
        config.alpn_protocols = ["h2", "http/1.1"]
        config.h2_max_concurrent_streams = self._streams
        config.accesslog = None
        config.errorlog = None
        config.graceful_timeout = 0.5
        # hypercorn counts a connection whose streams all await the app as idle and closes it
        # after keep_alive_timeout; slow requests must not trip that, nor a request count cap
        config.keep_alive_timeout = 120
        config.keep_alive_max_requests = 1_000_000
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(config, ready), daemon=True)
        self._thread.start()
        if not ready.wait(10) or self._error:
            raise RuntimeError(f"hypercorn did not start: {self._error}")
        self._wait_listening()
        return self

    def _wait_listening(self) -> None:
        end = time.monotonic() + 5
        while time.monotonic() < end:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.01)
        raise RuntimeError("hypercorn never opened its port")

    def _run(self, config: Any, ready: threading.Event) -> None:
        from hypercorn.asyncio import serve

        loop = asyncio.new_event_loop()
        # connection tasks cancelled at shutdown are not errors worth printing
        loop.set_exception_handler(lambda loop, context: None)
        self._loop = loop
        try:
            self._stop = asyncio.Event()
            ready.set()
            stop = self._stop
            loop.run_until_complete(serve(self.app, config, shutdown_trigger=stop.wait))  # type: ignore[arg-type]
        except BaseException as exc:
            self._error.append(exc)
            ready.set()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    def stop(self) -> None:
        loop, stop, thread = self._loop, self._stop, self._thread
        if loop is not None and stop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)
        if thread is not None:
            thread.join(10)
