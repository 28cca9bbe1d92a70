"""AsyncClient behaviour against a misbehaving server: retries, timeouts, errors, streams.

Real sockets only: faults are scripted on the embedded server. Timing
assertions use generous margins; the retry schedule runs with jitter 0.
"""

from __future__ import annotations

import pickle
import time
from typing import Any

import anyio
import anyio.lowlevel
import pytest

import genai_async
from genai_async import errors
from genai_async._registry import registry_for
from genai_async._runtime import current_loop
from genai_async.testing import Fault, MockServer

pytestmark = pytest.mark.anyio

BODY = {"contents": [{"role": "user", "parts": [{"text": "one two three four"}]}]}
GEN = "models/gemini-2.5-flash-lite:generateContent"
STREAM = "models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse"
FAST_RETRY = {"attempts": 3, "initial_delay": 0.05, "exp_base": 2, "jitter": 0, "max_delay": 5}


def make(server: MockServer, backend: str, **options: Any) -> genai_async.AsyncClient:
    return genai_async.AsyncClient(
        api_key="k", http_options={"base_url": server.url, "backend": backend, **options}
    )


# -- retries -----------------------------------------------------------------------


async def test_retry_schedule_then_success(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(status=503, times=2))
    async with make(server, http_backend, retry_options=FAST_RETRY) as client:
        start = time.monotonic()
        data = await client.request("POST", GEN, BODY)
        elapsed = time.monotonic() - start
    assert "candidates" in data
    assert server.stats().requests == 3
    assert elapsed >= 0.05 + 0.1 - 0.01  # initial_delay, then initial_delay * exp_base
    times = [r.time for r in server.requests]
    assert times[1] - times[0] >= 0.045
    assert times[2] - times[1] >= 0.095


async def test_attempts_exhausted_reraises_last_error(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(status=503, times=None))
    async with make(server, http_backend, retry_options=FAST_RETRY) as client:
        with pytest.raises(errors.ServerError) as info:
            await client.request("POST", GEN, BODY)
    assert info.value.code == 503
    assert info.value.status == "UNAVAILABLE"
    assert server.stats().requests == 3


async def test_no_policy_means_exactly_one_attempt(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(status=503, times=None))
    async with make(server, http_backend) as client:
        with pytest.raises(errors.ServerError):
            await client.request("POST", GEN, BODY)
    assert server.stats().requests == 1


async def test_status_outside_the_list_is_not_retried(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(status=400, times=None))
    async with make(server, http_backend, retry_options=FAST_RETRY) as client:
        with pytest.raises(errors.BadRequestError):
            await client.request("POST", GEN, BODY)
        assert server.stats().requests == 1
        server.clear()
        server.clear_faults()
        server.inject(Fault(status=501, times=None))  # 501 is not in the default list
        with pytest.raises(errors.ServerError):
            await client.request("POST", GEN, BODY)
        assert server.stats().requests == 1


async def test_custom_status_list(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(status=409, times=1))
    retry = {**FAST_RETRY, "http_status_codes": [409]}
    async with make(server, http_backend, retry_options=retry) as client:
        await client.request("POST", GEN, BODY)
    assert server.stats().requests == 2


async def test_retry_after_is_honoured(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(status=429, retry_after="0.4", times=1))
    retry = {"attempts": 2, "initial_delay": 0.01, "jitter": 0}
    async with make(server, http_backend, retry_options=retry) as client:
        await client.request("POST", GEN, BODY)
    first, second = server.requests
    assert second.time - first.time >= 0.38


async def test_retry_info_is_honoured_and_capped(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(status=429, retry_delay="0.3s", times=1))
    async with make(
        server, http_backend, retry_options={"attempts": 2, "initial_delay": 0.01, "jitter": 0}
    ) as client:
        await client.request("POST", GEN, BODY)
    first, second = server.requests
    assert second.time - first.time >= 0.28
    server.clear()
    server.inject(Fault(status=429, retry_after="30", times=1))
    capped = {"attempts": 2, "initial_delay": 0.01, "jitter": 0, "max_delay": 0.2}
    async with make(server, http_backend, retry_options=capped) as client:
        start = time.monotonic()
        await client.request("POST", GEN, BODY)
        assert time.monotonic() - start < 5


async def test_per_request_policy_replaces_the_client_policy(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(status=503, times=None))
    async with make(server, http_backend, retry_options=FAST_RETRY) as client:
        with pytest.raises(errors.ServerError):
            await client.request(
                "POST",
                GEN,
                BODY,
                http_options={"retry_options": {"attempts": 2, "jitter": 0, "initial_delay": 0}},
            )
    assert server.stats().requests == 2


async def test_connection_refused_is_typed_and_retried(http_backend: str) -> None:
    with MockServer() as server:
        url = server.url
    async with genai_async.AsyncClient(
        api_key="k",
        http_options={"base_url": url, "backend": http_backend, "retry_options": FAST_RETRY},
    ) as client:
        start = time.monotonic()
        with pytest.raises(errors.ConnectError) as info:
            await client.request("POST", GEN, BODY)
        assert time.monotonic() - start >= 0.14  # two retry sleeps happened
    assert isinstance(info.value.__cause__, BaseException)
    assert isinstance(info.value, OSError)


# -- stale keep-alive connections --------------------------------------------------


async def test_reused_connection_closed_by_server_is_resent_once(
    server: MockServer, http_backend: str
) -> None:
    async with make(server, http_backend) as client:
        await client.request("POST", GEN, BODY)
        server.inject(Fault(drop="before_response", only_reused=True, times=1))
        data = await client.request(
            "POST", GEN, BODY
        )  # no retry policy: the re-send is not a retry
        assert "candidates" in data
        assert client.pool_stats().sessions[0].resends == 1
    assert server.stats().requests == 3


async def test_fresh_connection_dropped_is_an_error_without_policy(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(drop="before_response", times=1))
    async with make(server, http_backend) as client:
        with pytest.raises(errors.ReadError):
            await client.request("POST", GEN, BODY)
    assert server.stats().requests == 1


# -- timeouts and deadline -----------------------------------------------------------


async def test_unary_timeout_is_a_total_deadline(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(delay=2.0))
    async with make(server, http_backend, timeout=300) as client:
        start = time.monotonic()
        with pytest.raises(errors.ReadTimeout) as info:
            await client.request("POST", GEN, BODY)
        elapsed = time.monotonic() - start
    assert 0.25 <= elapsed < 1.5
    assert isinstance(info.value, TimeoutError)
    assert isinstance(info.value, errors.RequestTimeout)


async def test_unary_timeout_covers_a_slow_body(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(slow_body=0.3))  # four pieces, 0.3 s apart
    async with make(server, http_backend, timeout=500) as client:
        with pytest.raises(errors.RequestTimeout):
            await client.request("POST", GEN, BODY)


async def test_stream_timeout_is_first_byte_plus_idle_gap(
    server: MockServer, http_backend: str
) -> None:
    # 6 events 0.15 s apart: 0.9 s in all, but no gap reaches the 0.5 s timeout.
    server.inject(Fault(events=6, slow_body=0.15))
    async with make(server, http_backend, timeout=500) as client:
        async with client.stream("POST", STREAM, BODY) as events:
            got = [e async for e in events]
    assert len(got) == 6
    server.inject(Fault(events=3, slow_body=1.0))
    async with make(server, http_backend, timeout=400) as client:
        with pytest.raises(errors.ReadTimeout):
            async with client.stream("POST", STREAM, BODY) as events:
                async for _ in events:
                    pass


async def test_deadline_spans_attempts_and_sleeps(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(status=503, times=None))
    retry = {"attempts": 10, "initial_delay": 0.1, "jitter": 0, "exp_base": 1}
    async with make(server, http_backend, retry_options=retry, deadline=450) as client:
        start = time.monotonic()
        with pytest.raises(errors.ServerError):
            await client.request("POST", GEN, BODY)
        assert time.monotonic() - start < 0.6
    requests = server.requests
    assert 3 <= len(requests) <= 5
    sent = [int(r.header("x-server-timeout") or 0) for r in requests]
    assert sent[0] == 1  # ceil(0.45)
    assert all(value >= 1 for value in sent)


async def test_deadline_expiry_is_its_own_error(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(delay=2.0))
    async with make(server, http_backend, deadline=300, timeout=5000) as client:
        with pytest.raises(errors.DeadlineExceeded):
            await client.request("POST", GEN, BODY)


async def test_deadline_bounds_a_whole_stream(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(events=8, slow_body=0.15))  # 1.2 s in all, no single gap near 0.5 s
    async with make(server, http_backend, deadline=500) as client:
        got = 0
        start = time.monotonic()
        with pytest.raises(errors.DeadlineExceeded):
            async with client.stream("POST", STREAM, BODY) as events:
                async for _ in events:
                    got += 1
        assert time.monotonic() - start < 1.0
        assert 1 <= got < 8
        assert client.pool_stats().in_flight == 0


# -- errors -------------------------------------------------------------------------


async def test_google_error_body_is_parsed(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(status=429, retry_delay="17s", message="Quota exceeded"))
    async with make(server, http_backend) as client:
        with pytest.raises(errors.RateLimitError) as info:
            await client.request("POST", GEN, BODY)
    err = info.value
    assert isinstance(err, errors.ClientError)
    assert err.code == 429
    assert err.status == "RESOURCE_EXHAUSTED"
    assert err.message == "Quota exceeded"
    assert err.details["error"]["code"] == 429
    assert err.retry_delay == 17.0
    assert err.response.status == 429
    clone = pickle.loads(pickle.dumps(err))
    assert type(clone) is errors.RateLimitError
    assert (clone.code, clone.status, clone.message) == (
        429,
        "RESOURCE_EXHAUSTED",
        "Quota exceeded",
    )


async def test_non_json_error_body(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(status=502, body="<html>bad gateway</html>", content_type="text/html"))
    async with make(server, http_backend) as client:
        with pytest.raises(errors.ServerError) as info:
            await client.request("POST", GEN, BODY)
    assert info.value.status == "Bad Gateway"
    assert "bad gateway" in (info.value.message or "")


async def test_invalid_json_success_body(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(body=b'{"candidates": ['))
    async with make(server, http_backend) as client:
        with pytest.raises(errors.UnknownApiResponseError) as info:
            await client.request("POST", GEN, BODY)
    assert isinstance(info.value, ValueError)


async def test_success_status_with_error_body(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(body={"error": {"code": 500, "message": "boom", "status": "INTERNAL"}}))
    async with make(server, http_backend) as client:
        with pytest.raises(errors.ServerError) as info:
            await client.request("POST", GEN, BODY)
    assert info.value.message == "boom"


async def test_every_2xx_is_success(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(status=204, body=b""))
    async with make(server, http_backend) as client:
        assert await client.request("POST", GEN, BODY) == {}


# -- streams ------------------------------------------------------------------------


async def test_stream_yields_decoded_events(server: MockServer, http_backend: str) -> None:
    async with make(server, http_backend) as client:
        unary = await client.request("POST", GEN, BODY)
        async with client.stream("POST", STREAM, BODY) as events:
            got = [e async for e in events]
        assert client.pool_stats().in_flight == 0
    text = "".join(e["candidates"][0]["content"]["parts"][0]["text"] for e in got)
    assert text == unary["candidates"][0]["content"]["parts"][0]["text"]
    assert got[-1]["candidates"][0]["finishReason"] == "STOP"
    req = server.last_request
    assert req is not None
    assert req.query_params() == {"alt": ["sse"]}
    assert req.header("accept") == "text/event-stream"


async def test_stream_http_error_raises_on_entry(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(status=404, match=":stream"))
    async with make(server, http_backend) as client:
        ctx = client.stream("POST", STREAM, BODY)
        with pytest.raises(errors.NotFoundError):
            await ctx.__aenter__()
        assert client.pool_stats().in_flight == 0


async def test_stream_open_is_retried_before_the_first_event(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(status=503, match=":stream", times=1))
    async with make(server, http_backend, retry_options=FAST_RETRY) as client:
        async with client.stream("POST", STREAM, BODY) as events:
            assert len([e async for e in events]) == 3
    assert server.stats().requests == 2


async def test_in_band_error_event_raises_after_earlier_events(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(events=4, error_event_after=2))
    async with make(server, http_backend, retry_options=FAST_RETRY) as client:
        got = []
        with pytest.raises(errors.ServerError) as info:
            async with client.stream("POST", STREAM, BODY) as events:
                async for event in events:
                    got.append(event)
        assert len(got) == 2
        assert info.value.code == 500
        assert client.pool_stats().in_flight == 0
    assert server.stats().requests == 1  # never retried after events reached the caller


async def test_early_exit_releases_the_connection(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(events=50, times=None))
    async with make(server, http_backend) as client:
        for _ in range(5):
            async with client.stream("POST", STREAM, BODY) as events:
                async for _ in events:
                    break
            assert client.pool_stats().in_flight == 0
        server.clear_faults()
        assert "candidates" in await client.request("POST", GEN, BODY)


async def test_stream_dropped_mid_way_is_a_read_error(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(events=5, drop_after_events=2))
    async with make(server, http_backend) as client:
        got = 0
        with pytest.raises(errors.ReadError):
            async with client.stream("POST", STREAM, BODY) as events:
                async for _ in events:
                    got += 1
        assert got == 2


async def test_stream_without_sse_framing_is_parsed_as_json(
    server: MockServer, http_backend: str
) -> None:
    async with make(server, http_backend) as client:
        async with client.stream(
            "POST", "models/gemini-2.5-flash-lite:streamGenerateContent", BODY
        ) as events:
            got = [e async for e in events]
    assert len(got) == 3


async def test_huge_event(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(events=2, event_size=5 * 1024 * 1024))
    async with make(server, http_backend) as client:
        async with client.stream("POST", STREAM, BODY) as events:
            sizes = [len(e["candidates"][0]["content"]["parts"][0]["text"]) async for e in events]
    assert len(sizes) == 2
    assert max(sizes) >= 5 * 1024 * 1024 - 4096


# -- cancellation --------------------------------------------------------------------


def _socket_count() -> int:
    import os

    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                count += 1
        except OSError:
            pass
    return count


async def test_cancellation_storm_leaves_no_socket(http_backend: str) -> None:
    import random

    registry = registry_for(*current_loop())
    saved = registry.configure(idle_expiry=0.3)  # the pooled session closes soon after
    with MockServer(latency=(0.0, 0.004)) as server:
        before = _socket_count()
        rand = random.Random(7)
        client = make(server, http_backend)
        ok = 0

        async def call(i: int) -> None:
            nonlocal ok
            # Every fifth call is left alone and must succeed; the others are cancelled
            # at a random point (before send, while sending, while reading, mid-stream).
            timeout = None if i % 5 == 0 else rand.uniform(0.0, 0.04)
            with anyio.move_on_after(timeout) as scope:
                if i % 4 == 0:
                    async with client.stream("POST", STREAM, BODY) as events:
                        async for _ in events:
                            await anyio.lowlevel.checkpoint()
                else:
                    await client.request("POST", GEN, BODY)
            if timeout is None:
                assert not scope.cancelled_caught
                ok += 1

        async with client:
            for start in range(0, 1200, 100):
                async with anyio.create_task_group() as tg:
                    for i in range(start, start + 100):
                        tg.start_soon(call, i)
            # the client still works after the storm
            assert "candidates" in await client.request("POST", GEN, BODY)
            assert client.pool_stats().in_flight == 0
        try:
            with anyio.fail_after(5):  # the session outlives the client until its idle expiry
                while server.stats().connections_open or _socket_count() != before:
                    await anyio.sleep(0.02)
        finally:
            registry.configure(idle_expiry=saved[1])
        assert ok == 240  # every call that was not cancelled succeeded


async def test_error_response_headers_are_a_plain_lowercase_dict(
    server: MockServer, http_backend: str
) -> None:
    from genai_async._retry import parse_retry_after

    server.inject(Fault(status=429, retry_after="7", headers={"X-Request-Id": "abc"}))
    async with make(server, http_backend) as client:
        with pytest.raises(errors.RateLimitError) as info:
            await client.request("POST", GEN, BODY)
    headers = info.value.response.headers
    assert type(headers) is dict
    assert headers["retry-after"] == "7"
    assert parse_retry_after(headers) == 7.0
    assert info.value.request_id == "abc"


async def test_abandoned_stream_is_released_after_garbage_collection(
    server: MockServer, http_backend: str
) -> None:
    import gc

    server.inject(Fault(events=200, slow_body=0.01))
    async with make(server, http_backend) as client:
        events = await client._open_stream("POST", STREAM, BODY, None, "async")
        async for _ in events:
            break  # abandoned: no aclose(), no async with
        assert client.pool_stats().in_flight == 1
        del events
        gc.collect()
        with anyio.fail_after(5):
            while client.pool_stats().in_flight:
                await anyio.sleep(0.01)
        # The connection was closed (its body was unread), and the client still works.
        with anyio.fail_after(5):
            while server.stats().connections_open > 0:
                await anyio.sleep(0.01)
        assert "candidates" in await client.request("POST", GEN, BODY)


# -- stream lifetime and a full pool --------------------------------------------------------


@pytest.mark.parametrize("backend", ["aiohttp", "native"])
async def test_a_finished_unread_stream_gives_its_connection_back(
    server: MockServer, anyio_backend: Any, backend: str
) -> None:
    """aiohttp reads ahead; the native backend takes in what arrived once nobody has
    read between two looks a second apart: once the whole body is in, the session's checkout and the place
    in line end, although nobody reads the stream any more; its events stay readable,
    and the connection serves the next request."""
    if backend == "aiohttp" and "trio" in str(anyio_backend):
        pytest.skip("aiohttp needs asyncio")
    server.inject(Fault(events=6, slow_body=0.02))
    async with make(server, backend) as client:
        events = await client._open_stream("POST", STREAM, BODY, None, "async")
        first = await events.__anext__()
        assert client.pool_stats().in_flight == 1  # the body is still arriving
        with anyio.fail_after(4):
            while client.pool_stats().in_flight:
                await anyio.sleep(0.01)  # not reading: the transport's end of body does it
        assert "candidates" in await client.request("POST", GEN, BODY)
        assert client.pool_stats().sessions[0].connections == 1  # the same connection
        rest = [event async for event in events]
        assert len([first, *rest]) == 6
        assert "".join(e["candidates"][0]["content"]["parts"][0]["text"] for e in [first, *rest])
        await events.aclose()
        assert client.pool_stats().in_flight == 0


async def test_a_reader_back_during_a_read_ahead_is_not_held_up(
    server: MockServer, anyio_backend: Any
) -> None:
    """Events trickle in (40 ms apart, 3.2 s in all); the reader pauses long enough
    for a native read-ahead to start (a look that finds no read since the one before,
    at ~2 s), then reads on: it is not held up until the read-ahead would have
    finished, and gets every event in order."""
    server.inject(Fault(events=80, slow_body=0.04))
    async with make(server, "native") as client:
        events = await client._open_stream("POST", STREAM, BODY, None, "async")
        got = [await events.__anext__()]
        await anyio.sleep(2.2)  # the read-ahead starts at ~2 s and would run to ~3.2 s
        gaps, last = [], time.monotonic()
        async for event in events:
            got.append(event)
            now = time.monotonic()
            gaps.append(now - last)
            last = now
        assert max(gaps) < 0.3, gaps  # no wait for the read-ahead to run its course
        assert len(got) == 80


async def test_a_stream_that_fails_while_nobody_reads_raises_when_read(
    server: MockServer, anyio_backend: Any
) -> None:
    """The connection breaks while a native read-ahead takes the body in: the place
    goes back, and the reader gets the error, never a short stream."""
    server.inject(Fault(events=6, slow_body=0.02, drop_after_events=3))
    async with make(server, "native") as client:
        events = await client._open_stream("POST", STREAM, BODY, None, "async")
        got = [await events.__anext__()]
        with anyio.fail_after(4):
            while client.pool_stats().in_flight:
                await anyio.sleep(0.01)
        with pytest.raises(errors.TransportError):
            async for event in events:
                got.append(event)
        assert len(got) == 3  # every event that arrived, then the error


async def test_a_byte_stream_read_on_is_not_closed_for_its_total_time(
    server: MockServer, http_backend: str
) -> None:
    """A body read piece by piece (a download) for longer than its time limit, never
    silent for that long, is not taken for an unread stream."""
    server.inject(Fault(match="gemini-2.5-flash-lite", slow_body=0.15))
    async with make(server, http_backend, timeout=300) as client:
        async with await client._open_bytes(
            "GET", "models/gemini-2.5-flash-lite", None, "async"
        ) as stream:
            start = time.monotonic()
            body = b"".join([chunk async for chunk in stream])
        assert time.monotonic() - start > 0.4  # longer than the 0.3 s limit
        assert b"gemini-2.5-flash-lite" in body


async def test_an_unread_unfinished_stream_is_closed_after_its_time_limit(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(events=100, slow_body=0.05))  # 5 s of events
    async with make(server, http_backend, timeout=300) as client:
        events = await client._open_stream("POST", STREAM, BODY, None, "async")
        await events.__anext__()
        assert client.pool_stats().in_flight == 1
        start = time.monotonic()
        with anyio.fail_after(3):
            while client.pool_stats().in_flight:
                await anyio.sleep(0.02)  # nobody reads for longer than the 0.3 s limit
        assert 0.25 < time.monotonic() - start < 2.0  # within twice the limit
        with pytest.raises(errors.StreamError, match="nobody reading"):
            async for _ in events:
                pass
        assert "candidates" in await client.request("POST", GEN, BODY)


async def test_a_stream_read_slowly_but_steadily_is_not_closed(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(events=12, slow_body=0.01))
    async with make(server, http_backend, timeout=400) as client:
        async with client.stream("POST", STREAM, BODY) as events:
            count = 0
            async for _ in events:
                count += 1
                await anyio.sleep(0.1)  # 1.2 s in all, never 0.4 s without a read
        assert count == 12


@pytest.mark.parametrize("held", [1, 3])
async def test_a_full_pool_raises_pool_timeout(
    server: MockServer, http_backend: str, held: int
) -> None:
    import contextlib

    server.inject(Fault(match="streamGenerateContent", events=200, slow_body=0.05, times=None))
    if http_backend == "httpx":
        import httpx

        size = held
        options: dict[str, Any] = {
            "async_client_args": {"limits": httpx.Limits(max_connections=size)}
        }
    else:
        size = 100  # our aiohttp pool's size
        options = {}
    async with make(server, http_backend, retry_options={"attempts": 1}, **options) as client:
        async with contextlib.AsyncExitStack() as stack:
            for _ in range(size):
                await stack.enter_async_context(client.stream("POST", STREAM, BODY))
            assert client.pool_stats().in_flight == size
            start = time.monotonic()
            with pytest.raises(errors.PoolTimeout) as info:
                await client.request("POST", GEN, BODY, http_options={"timeout": 300})
            waited = time.monotonic() - start
            assert 0.25 < waited < 2.0
            message = str(info.value)
            assert f"pool size {size}" in message
            assert f"{size} requests holding connections" in message
            assert "waited 0.3" in message
            assert "host" not in message
            assert isinstance(info.value, errors.RequestTimeout)
            assert isinstance(info.value, TimeoutError)
            assert not isinstance(info.value, errors.ConnectTimeout)
            with pytest.raises(errors.PoolTimeout, match=f"pool size {size}"):  # streams too
                async with client.stream("POST", STREAM, BODY, http_options={"timeout": 300}):
                    pass
        assert "candidates" in await client.request("POST", GEN, BODY)  # places are back


async def test_waiters_for_a_full_pool_each_end_at_their_own_time(
    server: MockServer, http_backend: str
) -> None:
    """A waiter that joins later with a shorter limit times out first, and alone: the
    one waiting longer stays in line and gets the connection when it is freed."""
    server.inject(Fault(match="streamGenerateContent", events=200, slow_body=0.05, times=None))
    options: dict[str, Any] = {"max_connections": 1}
    async with make(server, http_backend, retry_options={"attempts": 1}, **options) as client:
        got: dict[str, Any] = {}
        async with anyio.create_task_group() as tg:
            async with client.stream("POST", STREAM, BODY) as events:
                await events.__anext__()

                async def patient() -> None:
                    got["patient"] = await client.request(
                        "POST", GEN, BODY, http_options={"timeout": 5000}
                    )

                tg.start_soon(patient)
                await anyio.sleep(0.05)  # in line first, with the later deadline
                start = time.monotonic()
                with pytest.raises(errors.PoolTimeout, match="pool size 1"):
                    await client.request("POST", GEN, BODY, http_options={"timeout": 400})
                assert 0.3 < time.monotonic() - start < 2.0
                assert "patient" not in got
            # the held stream is closed: its connection goes to the one still waiting
        assert "candidates" in got["patient"]


async def test_the_wait_for_a_full_pool_is_bounded_by_the_connect_timeout(
    server: MockServer, http_backend: str
) -> None:
    """With no pool timeout and no ``HttpOptions.timeout``, every backend bounds the
    wait for a free connection by the connect timeout (the one timeout rule)."""
    server.inject(Fault(match="streamGenerateContent", events=200, slow_body=0.05, times=None))
    if http_backend == "aiohttp":
        import aiohttp

        timeout: Any = aiohttp.ClientTimeout(connect=0.6)
    else:
        import httpx

        timeout = httpx.Timeout(None, connect=0.6)
    options = {"max_connections": 1, "async_client_args": {"timeout": timeout}}
    if http_backend == "native":  # (a number: every phase, reads of the held stream too)
        options = {"max_connections": 1, "async_client_args": {"timeout": 0.6}}
    async with make(server, http_backend, retry_options={"attempts": 1}, **options) as client:
        async with client.stream("POST", STREAM, BODY) as events, anyio.create_task_group() as tg:

            async def read_on() -> None:
                # Read, so the held stream is in use: one left unread for its read
                # timeout (0.6 s here) is reclaimed and could free the pool first.
                async for _ in events:
                    pass

            tg.start_soon(read_on)
            start = time.monotonic()
            with anyio.fail_after(8), pytest.raises(errors.PoolTimeout, match="pool size 1"):
                await client.request("POST", GEN, BODY)
            assert 0.45 < time.monotonic() - start < 4.0
            tg.cancel_scope.cancel()


async def test_warm_up_builds_the_session_without_sending(
    server: MockServer, http_backend: str
) -> None:
    async with make(server, http_backend) as client:
        before = client.pool_stats().created
        await client.warm_up()
        assert client.pool_stats().created == before + 1
        assert server.stats().requests == 0
        await client.warm_up(session=False)  # credentials only: nothing more is built
        assert client.pool_stats().created == before + 1
        assert "candidates" in await client.request("POST", GEN, BODY)
        assert client.pool_stats().created == before + 1  # the request found it
    with pytest.raises(errors.ClientClosedError):
        await client.warm_up()


def test_sync_warm_up_builds_the_session_on_the_shared_loop(server: MockServer) -> None:
    options = {"base_url": server.url, "max_connections": 37}  # a pool key of its own
    with genai_async.Client(api_key="k", http_options=options) as client:
        before = client.pool_stats().created
        client.warm_up()
        assert client.pool_stats().created == before + 1
        assert server.stats().requests == 0
