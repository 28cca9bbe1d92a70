"""The per-connection :class:`asyncio.Protocol` of the mock server.

A connection parses requests as bytes arrive and answers them strictly in
order (pipelined requests wait for the previous response). Every response is
planned up front as a list of byte pieces, an optional pause between pieces
and how the connection ends (kept alive, closed, or reset); delays and slow
bodies are timers on the server loop, so nothing ever blocks it.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
import time
from typing import Any, cast

import orjson

from ._core import ServerCore
from ._faults import Fault, error_body
from ._http import CONTINUE_RESPONSE, ParseError, Request, RequestParser
from ._plans import CLOSE, JSON_TYPE, KEEP, RESET, Plan, fault_plan, head, reply_plan, resource_plan
from ._records import RecordedRequest
from ._resources import DROP, ResourceReply
from ._responses import Reply, StreamReply

__all__ = ("Connection",)

logger = logging.getLogger("genai_async.testing")

_LINGER_RESET = struct.pack("ii", 1, 0)


class Connection(asyncio.Protocol):
    """One client connection to the mock server."""

    __slots__ = (
        "busy",
        "closed",
        "core",
        "counted",
        "eof",
        "epoch",
        "id",
        "id_header",
        "idle_timer",
        "parser",
        "peak_before",
        "peer_cert",
        "served",
        "timer",
        "transport",
    )

    def __init__(self, core: ServerCore) -> None:
        self.core = core
        self.transport: asyncio.Transport | None = None
        self.parser = RequestParser()
        self.id = 0
        self.counted = True
        self.peak_before = 0
        self.epoch = 0
        self.busy = False  # a response is being delayed or trickled out
        self.closed = False  # no more requests will be served
        self.eof = False
        self.served = 0
        self.peer_cert: dict[str, Any] | None = None
        self.id_header = b""
        self.timer: asyncio.TimerHandle | None = None
        self.idle_timer: asyncio.TimerHandle | None = None

    # -- asyncio.Protocol ---------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        self.id = self.core.connection_opened(self)
        # Always the last header line, so it also ends the head.
        self.id_header = b"x-mock-connection-id: %d\r\n\r\n" % self.id
        if self.core.tls:
            self.peer_cert = transport.get_extra_info("peercert") or None
        if self.core.idle_close is not None:
            self.arm_idle_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._cancel_timers()
        self.core.connection_closed(self)

    def data_received(self, data: bytes) -> None:
        if self.closed:
            return
        if self.idle_timer is not None:
            self.idle_timer.cancel()
            self.idle_timer = None
        self.parser.feed(data)
        if not self.busy:
            self._process()

    def eof_received(self) -> bool | None:
        if self.busy and not self.core.tls:
            self.eof = True
            return True  # finish the response in progress, then close
        return None

    # -- state used by the server -------------------------------------------------------------

    def is_idle(self) -> bool:
        return not self.closed and not self.busy and self.parser.idle

    def close(self) -> None:
        """Stop serving and close gracefully (pending output is flushed, then FIN)."""
        if not self.closed and self.transport is not None:
            self.closed = True
            self._cancel_timers()
            self.transport.close()

    def abort(self) -> None:
        """Close immediately, discarding pending output."""
        self.closed = True
        self._cancel_timers()
        if self.transport is not None:
            self.transport.abort()

    def reset(self) -> None:
        """Close with a TCP RST (SO_LINGER 0)."""
        if self.transport is not None:
            sock = self.transport.get_extra_info("socket")
            if sock is not None:
                try:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
                except OSError:
                    logger.debug("could not set SO_LINGER", exc_info=True)
        self.abort()

    def arm_idle_timer(self) -> None:
        if self.idle_timer is not None:
            self.idle_timer.cancel()
            self.idle_timer = None
        seconds = self.core.idle_close
        loop = self.core.loop
        if seconds is not None and loop is not None and self.is_idle():
            self.idle_timer = loop.call_later(seconds, self._idle_expired)

    def _idle_expired(self) -> None:
        self.idle_timer = None
        if self.is_idle():
            self.close()

    def _cancel_timers(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.idle_timer is not None:
            self.idle_timer.cancel()
            self.idle_timer = None

    # -- request loop -------------------------------------------------------------------------

    def _process(self) -> None:
        parser = self.parser
        while not self.busy and not self.closed:
            try:
                request = parser.next_request()
            except ParseError as exc:
                logger.debug("connection %d: bad request: %s", self.id, exc)
                self._fail(400, f"Malformed HTTP request: {exc}")
                return
            if request is None:
                if parser.continue_pending:
                    parser.continue_pending = False
                    assert self.transport is not None
                    self.transport.write(CONTINUE_RESPONSE)
                break
            try:
                self._dispatch(request)
            except Exception:
                logger.debug("connection %d: error while answering", self.id, exc_info=True)
                self._fail(500, "The mock server failed to answer this request.")
                return
        if self.busy or self.closed:
            return
        if self.eof:
            self.close()
        elif self.core.idle_close is not None:
            self.arm_idle_timer()

    def _fail(self, status: int, message: str) -> None:
        if self.closed or self.transport is None:
            return
        body = orjson.dumps(error_body(status, message))
        self.transport.write(head(status, JSON_TYPE, len(body), False, self.id_header) + body)
        self.close()

    def _dispatch(self, request: Request) -> None:
        target = request.target
        q = target.find("?")
        path, query = (target, "") if q < 0 else (target[:q], target[q + 1 :])
        keep = request.keep_alive
        if path.startswith("/_mock/"):
            self._control(request.method, path, request.body, keep)
            return
        core = self.core
        if core.recording:
            core.record(
                RecordedRequest(
                    request.method,
                    path,
                    query,
                    tuple(request.headers),
                    request.body,
                    self.id,
                    time.time(),
                    self.peer_cert,
                )
            )
        else:
            core.count_request()
        reused = self.served > 0
        self.served += 1
        fault = core.faults.take(target, reused) if core.faults.entries else None
        # Each answer names itself as Google's APIs do (``x-request-id``), unless a
        # fault sends its own.
        if (
            fault is not None
            and fault.headers
            and any(name.lower() == "x-request-id" for name in fault.headers)
        ):
            tail = self.id_header
        else:
            tail = b"x-request-id: mock-%d-%d\r\n%s" % (self.id, self.served, self.id_header)
        delay = core.fixed_latency if core.latency_range is None else core.latency()
        method, body = request.method, request.body
        if fault is None:
            found = core.resources.respond(method, path, query, request.headers, body)
            if found is DROP:
                plan: Plan = [], 0.0, CLOSE
            elif isinstance(found, ResourceReply):
                plan = resource_plan(found, keep, tail)
            else:
                reply = core.responder.respond(method, path, query, body)
                plan = reply_plan(reply, keep, tail, core.stream_events)
        else:
            delay += fault.delay

            def respond() -> Reply | StreamReply:
                # Only a fault that lets the request through touches the resources.
                found = core.resources.respond(method, path, query, request.headers, body)
                if isinstance(found, ResourceReply):
                    return Reply(found.status, found.body)
                return core.responder.respond(method, path, query, body)

            plan = fault_plan(fault, respond, keep, tail, core.stream_events)
        if delay > 0:
            loop = core.loop
            assert loop is not None
            self.busy = True
            self.timer = loop.call_later(delay, self._run_later, *plan)
        else:
            self._run(*plan)

    # -- executing a plan ---------------------------------------------------------------------

    def _run(self, pieces: list[bytes], interval: float, end: int) -> None:
        transport = self.transport
        assert transport is not None
        if interval > 0 and len(pieces) > 1:
            loop = self.core.loop
            assert loop is not None
            transport.write(pieces[0])
            self.busy = True
            self.timer = loop.call_later(interval, self._next_piece, pieces, 1, interval, end)
            return
        if len(pieces) == 1:
            transport.write(pieces[0])
        elif pieces:
            transport.write(b"".join(pieces))
        self._end(end)

    def _run_later(self, pieces: list[bytes], interval: float, end: int) -> None:
        self.timer = None
        if self.closed:
            return
        try:
            self._run(pieces, interval, end)
        except Exception:
            logger.debug("connection %d: error while answering", self.id, exc_info=True)
            self.abort()

    def _next_piece(self, pieces: list[bytes], index: int, interval: float, end: int) -> None:
        self.timer = None
        if self.closed or self.transport is None:
            return
        try:
            self.transport.write(pieces[index])
            index += 1
            if index < len(pieces):
                loop = self.core.loop
                assert loop is not None
                self.timer = loop.call_later(
                    interval, self._next_piece, pieces, index, interval, end
                )
                return
            self._end(end)
        except Exception:
            logger.debug("connection %d: error while answering", self.id, exc_info=True)
            self.abort()

    def _end(self, end: int) -> None:
        if end == CLOSE:
            self.close()
        elif end == RESET:
            self.reset()
        if self.busy:
            self.busy = False
            if not self.closed:
                self._process()

    # -- control endpoints --------------------------------------------------------------------

    def _control(self, method: str, path: str, body: bytes, keep: bool) -> None:
        core = self.core
        if self.served == 0:
            core.uncount(self)
        status = 200
        payload: Any
        try:
            if path == "/_mock/faults" and method == "POST":
                data = orjson.loads(body) if body else []
                items = data if isinstance(data, list) else [data]
                faults = [Fault.from_dict(item) for item in items]
                core.faults.add(faults)
                payload = {"injected": len(faults), "pending": len(core.faults)}
            elif path == "/_mock/faults" and method == "DELETE":
                core.faults.clear()
                payload = {"pending": 0}
            elif path == "/_mock/stats" and method == "GET":
                payload = core.stats().to_dict()
            elif path == "/_mock/clear" and method == "POST":
                core.clear()
                payload = {"cleared": True}
            else:
                status = 404
                payload = error_body(404, f"Unknown control endpoint: {method} {path}")
        except (ValueError, TypeError, AttributeError) as exc:
            status = 400
            payload = error_body(400, f"Invalid control request: {exc}")
        data = orjson.dumps(payload)
        start = head(status, JSON_TYPE, len(data), keep, self.id_header)
        self._run([start + data], 0.0, KEEP if keep else CLOSE)
