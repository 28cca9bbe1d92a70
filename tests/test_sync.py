"""The sync ``Client`` over real sockets: one shared loop thread, thread safety, cancellation.

Every call goes to the embedded server on loopback. The file runs the sync
facade from many threads, from inside running asyncio and trio loops, through
Ctrl-C, ``os.fork()`` and interpreter exit, on the default backend and on a
borrowed sync ``httpx.Client`` (the "httpx-sync" backend).
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import logging
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import trio

import genai_async
from genai_async import AsyncClient, _portal, errors
from genai_async._blocking import BlockingIterator, BlockingProxy
from genai_async._portal import THREAD_NAME
from genai_async._sync import Client
from genai_async.testing import Fault, MockServer

GEN = "models/gemini-2.5-flash-lite:generateContent"
STREAM = "models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse"
REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("REQUEST_ID", default="-")


def body(text: str) -> dict[str, Any]:
    return {"contents": [{"role": "user", "parts": [{"text": text}]}]}


def text_of(data: dict[str, Any]) -> str:
    return str(data["candidates"][0]["content"]["parts"][0]["text"])


def loop_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME]


def wait_until(predicate: Callable[[], bool], timeout: float = 3.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


class Kinds:
    """Build clients of one kind: the default backend or a borrowed sync httpx.Client."""

    def __init__(self, kind: str, server: MockServer) -> None:
        self.kind = kind
        self.server = server
        self.borrowed: list[httpx.Client] = []
        self.clients: list[Client] = []

    def __call__(self, **options: Any) -> Client:
        opts: dict[str, Any] = {"base_url": self.server.url, **options}
        if self.kind == "httpx-sync":
            hc = httpx.Client()
            self.borrowed.append(hc)
            opts["httpx_client"] = hc
        client = Client(api_key="test-key", http_options=opts)
        self.clients.append(client)
        return client

    def close(self) -> None:
        for client in self.clients:
            client.close()
        for hc in self.borrowed:
            hc.close()


@pytest.fixture(params=["default", "httpx-sync"])
def make_client(request: pytest.FixtureRequest, server: MockServer) -> Iterator[Kinds]:
    kinds = Kinds(str(request.param), server)
    try:
        yield kinds
    finally:
        kinds.close()


@pytest.fixture
def client(server: MockServer) -> Iterator[Client]:
    with Client(api_key="test-key", http_options={"base_url": server.url}) as c:
        yield c


# -- basics --------------------------------------------------------------------------------


def test_request_and_stream_round_trip(make_client: Kinds, server: MockServer) -> None:
    client = make_client()
    assert text_of(client.request("POST", GEN, body("hello"))) == "Echo: hello"
    req = server.last_request
    assert req is not None
    assert req.path == "/v1beta/models/gemini-2.5-flash-lite:generateContent"
    assert req.header("x-goog-api-key") == "test-key"
    with client.stream("POST", STREAM, body("streamed")) as events:
        assert events.status == 200
        chunks = [text_of(event) for event in events]
    assert "".join(chunks) == "Echo: streamed"
    stats = client.pool_stats()
    assert [s.backend for s in stats.sessions] == [
        "native" if make_client.kind == "default" else "httpx-sync"
    ]
    assert stats.in_flight == 0


def test_loop_thread_is_shared_named_daemon_and_stops_with_the_last_client(
    server: MockServer,
) -> None:
    if _portal._PROVIDER.leases:
        pytest.skip("a sync client left open elsewhere keeps the shared loop alive")
    assert loop_threads() == []
    first = Client(api_key="k", http_options={"base_url": server.url})
    second = Client(api_key="other", http_options={"base_url": server.url})
    first.request("POST", GEN, body("a"))
    second.request("POST", GEN, body("b"))
    threads = loop_threads()
    assert len(threads) == 1
    assert threads[0].daemon
    assert first._lease.portal is second._lease.portal
    # two API keys, one pooled session on the shared loop
    assert len(first.pool_stats().sessions) == 1
    first.close()
    assert loop_threads() == threads
    assert text_of(second.request("POST", GEN, body("c"))) == "Echo: c"
    second.close()
    assert loop_threads() == []
    third = Client(api_key="k", http_options={"base_url": server.url})
    try:
        assert text_of(third.request("POST", GEN, body("d"))) == "Echo: d"
        (fresh,) = loop_threads()
        assert fresh is not threads[0]
    finally:
        third.close()
    assert loop_threads() == []


def test_close_is_idempotent_and_use_after_close_raises(server: MockServer) -> None:
    with Client(api_key="k", http_options={"base_url": server.url}) as client:
        client.request("POST", GEN, body("x"))
    client.close()
    assert "closed" in repr(client)
    with pytest.raises(errors.ClientClosedError):
        client.request("POST", GEN, body("x"))
    with pytest.raises(errors.ClientClosedError):
        client.stream("POST", STREAM, body("x"))
    with pytest.raises(errors.ClientClosedError):
        client.pool_stats()
    with pytest.raises(errors.ClientClosedError), client:
        pass


def test_sync_api_mirrors_the_async_one() -> None:
    renamed = {"aclose": "close"}
    public = {name for name in dir(AsyncClient) if not name.startswith("_")}
    missing = {name for name in public if not hasattr(Client, renamed.get(name, name))}
    assert not missing
    assert genai_async.Client is Client
    assert Client.__module__ == "genai_async"


# -- threads -------------------------------------------------------------------------------


def test_many_threads_share_one_pool(make_client: Kinds, server: MockServer) -> None:
    client = make_client()
    threads, calls = 64, 12
    barrier = threading.Barrier(threads)
    failures: list[str] = []

    def worker(n: int) -> None:
        barrier.wait()
        for i in range(calls):
            text = f"thread {n} call {i}"
            got = text_of(client.request("POST", GEN, body(text)))
            if got != f"Echo: {text}":
                failures.append(f"{text!r} -> {got!r}")

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert failures == []
    stats = client.pool_stats()
    assert len(stats.sessions) == 1  # one pooled session serves every thread
    (session,) = stats.sessions
    assert session.requests == threads * calls + session.resends
    assert stats.in_flight == 0
    wire = server.stats()
    # a re-sent attempt failed on a stale kept-alive connection: it may not have arrived
    assert session.requests - session.resends <= wire.requests <= session.requests
    # at most one connection per concurrent call, never a pool per thread
    if make_client.kind == "default":
        assert wire.peak_connections_open <= threads
        assert wire.connections_opened <= threads
    else:
        # httpx's default keep-alive limit of 20 makes a borrowed httpx.Client close
        # and reopen connections; the server sees a close late, so its peak may pass
        # the thread count, but never the borrowed client's own limit of 100.
        assert wire.peak_connections_open <= 100


def test_streams_from_many_threads(client: Client) -> None:
    results: dict[int, str] = {}

    def worker(n: int) -> None:
        with client.stream("POST", STREAM, body(f"s{n}")) as events:
            results[n] = "".join(text_of(e) for e in events)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert results == {n: f"Echo: s{n}" for n in range(16)}
    assert client.pool_stats().in_flight == 0


# -- calling from inside running event loops ----------------------------------------------


def test_call_from_inside_a_running_asyncio_loop(make_client: Kinds) -> None:
    client = make_client()

    def sync_view(text: str) -> str:  # e.g. a sync handler called by an async framework
        with client.stream("POST", STREAM, body(text)) as events:
            streamed = "".join(text_of(e) for e in events)
        return text_of(client.request("POST", GEN, body(text))) + "|" + streamed

    async def main() -> str:
        return sync_view("nested")

    assert asyncio.run(main()) == "Echo: nested|Echo: nested"
    import uvloop

    assert uvloop.run(main()) == "Echo: nested|Echo: nested"


def test_call_from_inside_trio_run(make_client: Kinds) -> None:
    client = make_client()

    async def main() -> str:
        return text_of(client.request("POST", GEN, body("from trio")))

    assert trio.run(main) == "Echo: from trio"


def test_blocking_call_from_the_loop_thread_raises(client: Client) -> None:
    async def on_the_loop() -> None:
        client.request("POST", GEN, body("x"))

    with pytest.raises(RuntimeError, match="event loop thread itself"):
        client._lease.portal.call(on_the_loop)
    assert text_of(client.request("POST", GEN, body("still fine"))) == "Echo: still fine"


def test_aio_runs_on_the_callers_own_loop(client: Client, server: MockServer) -> None:
    async def main() -> str:
        try:
            return text_of(await client.aio.request("POST", GEN, body("aio")))
        finally:
            await client.aio.aclose()

    assert asyncio.run(main()) == "Echo: aio"
    assert threading.current_thread() is threading.main_thread()


# -- streams release their connection -----------------------------------------------------


def test_early_closed_streams_release_the_connection(
    make_client: Kinds, server: MockServer
) -> None:
    client = make_client()
    server.inject(Fault(match="streamGenerateContent", events=40, slow_body=0.01, times=3))
    with client.stream("POST", STREAM, body("x")) as events:
        next(events)
        assert client.pool_stats().in_flight == 1
    assert client.pool_stats().in_flight == 0

    ctx = client.stream("POST", STREAM, body("y"))
    events = ctx.__enter__()
    next(events)
    events.close()
    events.close()
    assert client.pool_stats().in_flight == 0
    with pytest.raises(StopIteration):
        next(events)

    # dropped without closing: garbage collection closes it on the loop
    events = client.stream("POST", STREAM, body("z")).__enter__()
    next(events)
    assert client.pool_stats().in_flight == 1
    del events, ctx
    gc.collect()
    assert wait_until(lambda: client.pool_stats().in_flight == 0)
    assert text_of(client.request("POST", GEN, body("after"))) == "Echo: after"


# -- errors keep their types --------------------------------------------------------------


def test_errors_keep_their_types(make_client: Kinds, server: MockServer) -> None:
    client = make_client()
    server.inject(Fault(match=":generateContent", status=404))
    with pytest.raises(errors.NotFoundError) as info:
        client.request("POST", GEN, body("x"))
    assert isinstance(info.value, errors.ClientError)
    assert info.value.code == 404

    server.inject(Fault(match=":generateContent", status=503))
    with pytest.raises(errors.ServerError):
        client.request("POST", GEN, body("x"))

    server.inject(Fault(match=":generateContent", delay=2.0))
    start = time.monotonic()
    with pytest.raises(errors.RequestTimeout) as timeout:
        client.request("POST", GEN, body("x"), http_options={"timeout": 200})
    assert isinstance(timeout.value, TimeoutError)
    assert time.monotonic() - start < 1.5

    server.inject(Fault(match="streamGenerateContent", status=429))
    with pytest.raises(errors.RateLimitError), client.stream("POST", STREAM, body("x")):
        pass

    server.inject(Fault(match="streamGenerateContent", error_event_after=1))
    with client.stream("POST", STREAM, body("x")) as events:
        next(events)
        with pytest.raises(errors.APIError):
            next(events)
    assert client.pool_stats().in_flight == 0
    assert text_of(client.request("POST", GEN, body("ok"))) == "Echo: ok"


# -- Ctrl-C ----------------------------------------------------------------------------------


def _interrupt_when(condition: Callable[[], bool]) -> threading.Thread:
    main = threading.main_thread().ident
    assert main is not None

    def fire() -> None:
        if wait_until(condition, timeout=5.0):
            time.sleep(0.05)
            signal.pthread_kill(main, signal.SIGINT)

    thread = threading.Thread(target=fire, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def main_thread_only() -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals are delivered to the main thread only")
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        pytest.skip("SIGINT is handled by someone else")


@pytest.mark.usefixtures("main_thread_only")
def test_keyboard_interrupt_cancels_a_unary_call(make_client: Kinds, server: MockServer) -> None:
    client = make_client()
    server.inject(Fault(match=":generateContent", delay=5.0))
    firing = _interrupt_when(lambda: server.stats().requests >= 1)
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        client.request("POST", GEN, body("slow"))
    firing.join()
    assert time.monotonic() - start < 3.0
    # the task on the loop was cancelled and has finished: nothing in flight
    assert client.pool_stats().in_flight == 0
    assert text_of(client.request("POST", GEN, body("again"))) == "Echo: again"


@pytest.mark.usefixtures("main_thread_only")
def test_keyboard_interrupt_while_iterating_a_stream(
    make_client: Kinds, server: MockServer
) -> None:
    client = make_client()
    server.inject(Fault(match="streamGenerateContent", events=3, slow_body=5.0))
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        with client.stream("POST", STREAM, body("slow")) as events:
            next(events)
            firing = _interrupt_when(lambda: True)
            next(events)
    firing.join()
    assert time.monotonic() - start < 3.0
    assert wait_until(lambda: client.pool_stats().in_flight == 0)
    assert text_of(client.request("POST", GEN, body("again"))) == "Echo: again"


# -- contextvars ---------------------------------------------------------------------------


def test_contextvars_reach_event_hooks_of_a_borrowed_httpx_client(server: MockServer) -> None:
    seen: list[tuple[str, str]] = []

    def hook(request: httpx.Request) -> None:
        seen.append((REQUEST_ID.get(), request.read().decode()))

    hc = httpx.Client(event_hooks={"request": [hook]})
    client = Client(api_key="k", http_options={"base_url": server.url, "httpx_client": hc})

    def worker(n: int) -> None:
        REQUEST_ID.set(f"thread-{n}")
        for i in range(3):
            client.request("POST", GEN, body(f"thread-{n}/{i}"))
        with client.stream("POST", STREAM, body(f"thread-{n}/s")) as events:
            list(events)

    try:
        pool = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
    finally:
        client.close()
    # every sync call went through the borrowed client, in its caller's context
    assert len(seen) == 8 * 4
    for request_id, sent in seen:
        assert request_id != "-"
        assert f'"{request_id}/' in sent
    # borrowed: still open after close()
    assert not hc.is_closed
    assert hc.get(f"{server.url}/v1beta/models/gemini-2.5-flash-lite").status_code == 200
    hc.close()


def test_contextvars_reach_the_default_backend(server: MockServer) -> None:
    seen: list[str] = []

    class Capture(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            if record.getMessage().startswith("retrying"):
                seen.append(REQUEST_ID.get())
            return True

    logger = logging.getLogger("genai_async")
    capture = Capture()
    level = logger.level
    logger.addFilter(capture)
    logger.setLevel(logging.INFO)
    retry = {"attempts": 2, "initial_delay": 0.01, "jitter": 0}
    try:
        with Client(
            api_key="k", http_options={"base_url": server.url, "retry_options": retry}
        ) as client:
            server.inject(Fault(match=":generateContent", status=503))
            REQUEST_ID.set("outer")
            assert text_of(client.request("POST", GEN, body("x"))) == "Echo: x"
    finally:
        logger.removeFilter(capture)
        logger.setLevel(level)
        REQUEST_ID.set("-")
    assert seen == ["outer"]


# -- client_args / async_client_args / borrowed transports -----------------------------------


def test_client_args_apply_to_sync_calls_and_async_client_args_to_aio(
    server: MockServer,
) -> None:
    options = {
        "base_url": server.url,
        "client_args": {"headers": {"X-Sync-Arg": "sync"}},
        "async_client_args": {"headers": {"X-Async-Arg": "async"}},
    }
    client = Client(api_key="k", http_options=options)
    try:
        client.request("POST", GEN, body("sync"))
        req = server.last_request
        assert req is not None
        assert req.header("x-sync-arg") == "sync"
        assert req.header("x-async-arg") is None

        async def on_my_loop() -> None:
            try:
                await client.aio.request("POST", GEN, body("async"))
            finally:
                await client.aio.aclose()

        asyncio.run(on_my_loop())
        req = server.last_request
        assert req is not None
        assert req.header("x-async-arg") == "async"
        assert req.header("x-sync-arg") is None
    finally:
        client.close()


def test_client_args_transport_and_hooks_are_borrowed(server: MockServer) -> None:
    closed: list[int] = []
    hooked: list[str] = []

    class Transport(httpx.HTTPTransport):
        def close(self) -> None:
            closed.append(1)
            super().close()

    transport = Transport()
    options = {
        "base_url": server.url,
        "client_args": {
            "transport": transport,
            "event_hooks": {"response": [lambda r: hooked.append(str(r.status_code))]},
        },
    }
    with Client(api_key="k", http_options=options) as client:
        assert text_of(client.request("POST", GEN, body("t"))) == "Echo: t"
        assert client.pool_stats().sessions[0].backend == "httpx-sync"
    assert hooked == ["200"]
    assert closed == []  # never closed by the library
    transport.close()


# -- models (generic blocking mirror of the async API) --------------------------------------


class _FakePager:
    def __init__(self) -> None:
        self.page = ["m0", "m1"]

    def __aiter__(self) -> Any:
        return self._items()

    async def _items(self) -> Any:
        for i in range(5):
            await asyncio.sleep(0)
            yield f"m{i}"


class _FakeModels:
    """Stands in for AsyncModels: coroutine methods, an awaitable returning a stream, a pager."""

    def __init__(self, aio: AsyncClient, role: str) -> None:
        self._aio = aio
        self._role = role

    async def generate_content(self, *, model: str, contents: str) -> str:
        data, _ = await self._aio._call(
            "POST", f"models/{model}:generateContent", body(contents), None, self._role
        )
        return text_of(data)

    async def generate_content_stream(self, *, model: str, contents: str) -> Any:
        return await self._aio._open_stream(
            "POST",
            f"models/{model}:streamGenerateContent?alt=sse",
            body(contents),
            None,
            self._role,
        )

    async def list(self) -> _FakePager:
        return _FakePager()


def test_blocking_proxy_mirrors_any_async_api(client: Client) -> None:
    models = BlockingProxy(client._lease, _FakeModels(client.aio, "sync"))
    assert models.generate_content(model="gemini-2.5-flash-lite", contents="p") == "Echo: p"
    assert models.generate_content.__name__ == "generate_content"
    chunks = models.generate_content_stream(model="gemini-2.5-flash-lite", contents="q")
    assert isinstance(chunks, BlockingIterator)
    assert "".join(text_of(c) for c in chunks) == "Echo: q"
    pager = models.list()
    assert pager.page == ["m0", "m1"]
    assert list(pager) == [f"m{i}" for i in range(5)]

    stream = models.generate_content_stream(model="gemini-2.5-flash-lite", contents="r")
    for _ in stream:
        break
    # The whole short body has arrived: its connection is back, unread or not.
    assert wait_until(lambda: client.pool_stats().in_flight == 0)
    del stream
    gc.collect()
    assert wait_until(lambda: client.pool_stats().in_flight == 0)


def _models_text(response: Any) -> str:
    text = getattr(response, "text", None)
    if text is None:
        text = response.candidates[0].content.parts[0].text
    return str(text)


def test_models_generate_content_and_friends(make_client: Kinds) -> None:
    pytest.importorskip("genai_async.models")
    client = make_client()
    results: dict[int, str] = {}

    def worker(n: int) -> None:
        results[n] = _models_text(
            client.models.generate_content(model="gemini-2.5-flash-lite", contents=f"m{n}")
        )

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert results == {n: f"Echo: m{n}" for n in range(8)}
    streamed = "".join(
        _models_text(chunk)
        for chunk in client.models.generate_content_stream(
            model="gemini-2.5-flash-lite", contents="s"
        )
    )
    assert streamed == "Echo: s"
    assert client.models.count_tokens(model="gemini-2.5-flash-lite", contents="a b c") is not None
    assert client.models.embed_content(model="gemini-2.5-flash-lite", contents="e") is not None
    assert client.models.get(model="gemini-2.5-flash-lite") is not None
    assert len(list(client.models.list())) >= 1


def test_models_stream_closed_early_releases_the_connection(
    make_client: Kinds, server: MockServer
) -> None:
    pytest.importorskip("genai_async.models")
    client = make_client()
    server.inject(Fault(match="streamGenerateContent", events=20, slow_body=0.01, times=2))
    for _ in client.models.generate_content_stream(model="gemini-2.5-flash-lite", contents="x"):
        break
    gc.collect()
    assert wait_until(lambda: client.pool_stats().in_flight == 0)
    chunks = client.models.generate_content_stream(model="gemini-2.5-flash-lite", contents="y")
    next(iter(chunks))
    chunks.close()
    assert client.pool_stats().in_flight == 0


def test_models_errors_keep_their_types(make_client: Kinds, server: MockServer) -> None:
    pytest.importorskip("genai_async.models")
    client = make_client()
    server.inject(Fault(match=":generateContent", status=400))
    with pytest.raises(errors.ClientError):
        client.models.generate_content(model="gemini-2.5-flash-lite", contents="x")


# -- processes: fork and interpreter exit ---------------------------------------------------


def _run_python(code: str, *args: str, timeout: float = 20.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "always", "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_fork_child_gets_a_fresh_loop_thread(server: MockServer) -> None:
    code = """
        import os, sys, threading, traceback
        import genai_async

        url = sys.argv[1]
        def ask(client, text):
            body = {"contents": [{"parts": [{"text": text}]}]}
            data = client.request("POST", "models/gemini-2.5-flash-lite:generateContent", body)
            return data["candidates"][0]["content"]["parts"][0]["text"]

        def loops():
            return [t for t in threading.enumerate() if t.name == "genai-async-loop"]

        client = genai_async.Client(api_key="k", http_options={"base_url": url})
        assert ask(client, "parent") == "Echo: parent"
        (parent_loop,) = loops()
        pid = os.fork()
        if pid == 0:
            try:
                assert loops() == []  # the parent's thread does not exist here
                assert ask(client, "child") == "Echo: child"
                (child_loop,) = loops()
                assert child_loop is not parent_loop and child_loop.is_alive()
                client.close()
                assert loops() == []
            except BaseException:
                traceback.print_exc()
                os._exit(3)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, status
        assert loops() == [parent_loop] and parent_loop.is_alive()
        assert ask(client, "parent again") == "Echo: parent again"
        client.close()
        print("ok")
    """
    result = _run_python(code, server.url)
    assert result.stderr == ""
    assert result.returncode == 0
    assert result.stdout.strip() == "ok"
    assert server.stats().requests == 3


def test_interpreter_exit_with_open_clients_is_quiet(server: MockServer) -> None:
    code = """
        import sys, threading, time
        import httpx
        import genai_async

        url = sys.argv[1]
        body = {"contents": [{"parts": [{"text": "bye"}]}]}
        stream_path = "models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse"
        plain = genai_async.Client(api_key="k", http_options={"base_url": url})
        plain.request("POST", "models/gemini-2.5-flash-lite:generateContent", body)
        open_stream = plain.stream("POST", stream_path, body).__enter__()
        next(open_stream)
        hc = httpx.Client()
        borrowed = genai_async.Client(api_key="k", http_options={"base_url": url, "httpx_client": hc})
        borrowed.request("POST", "models/gemini-2.5-flash-lite:generateContent", body)
        other_stream = borrowed.stream("POST", stream_path, body).__enter__()
        next(other_stream)
        # a daemon thread still waiting in a call when the interpreter exits
        busy = threading.Event()
        def background():
            busy.set()
            plain.request("POST", "models/gemini-2.5-flash-lite:countTokens", body)
        threading.Thread(target=background, daemon=True).start()
        busy.wait()
        time.sleep(0.1)
        print("done")
    """
    server.inject(
        Fault(match="streamGenerateContent", events=50, slow_body=0.2, times=2),
        Fault(match=":countTokens", delay=5.0),
    )
    start = time.monotonic()
    result = _run_python(code, server.url)
    assert result.stderr == ""
    assert result.returncode == 0
    assert result.stdout.strip() == "done"
    assert time.monotonic() - start < 10.0


@pytest.mark.parametrize("backend", ["httpx", "aiohttp"])
def test_sync_client_full_pool_says_so(backend: str) -> None:
    """A sync client whose pool is full raises PoolTimeout naming the pool, on the
    sync httpx backend as on the async ones."""
    from genai_async.testing import Fault, MockServer

    options: dict[str, Any] = {"backend": backend, "retry_options": {"attempts": 1}}
    if backend == "httpx":
        options["client_args"] = {"limits": httpx.Limits(max_connections=1)}
    else:
        options["max_connections"] = 1
    body = {"contents": [{"parts": [{"text": "x"}]}]}
    with MockServer() as server:
        server.inject(Fault(match="streamGenerateContent", events=200, slow_body=0.05, times=None))
        options["base_url"] = server.url
        with genai_async.Client(api_key="k", http_options=options) as client:
            with client.stream("POST", STREAM, body):
                with pytest.raises(errors.PoolTimeout, match="pool size 1") as info:
                    client.request("POST", GEN, body, http_options={"timeout": 1500})
    assert "host" not in str(info.value)
