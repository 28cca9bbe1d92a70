"""The session registry: LRU bound, idle expiry, retire-then-close, loops, fork."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from typing import Any

import anyio
import pytest

import genai_async
from genai_async._registry import registry_for
from genai_async._runtime import current_loop
from genai_async.testing import Fault, MockServer

pytestmark = pytest.mark.anyio

BODY = {"contents": [{"parts": [{"text": "hi"}]}]}
GEN = "models/gemini-2.5-flash-lite:generateContent"


def _registry() -> Any:
    library, loop = current_loop()
    return registry_for(library, loop)


def key_opts(i: int) -> dict[str, Any]:
    # max_redirects is session-level on httpx, so each value is its own pool key
    return {"async_client_args": {"max_redirects": i}}


async def test_lru_bound_retires_least_recently_used(server: MockServer, http_backend: str) -> None:
    registry = _registry()
    saved = registry.configure(max_sessions=3)
    try:
        async with genai_async.AsyncClient(
            api_key="k", http_options={"base_url": server.url, "backend": http_backend}
        ) as client:
            closed_before = registry.closed
            for i in range(6):
                await client.request("POST", GEN, BODY, http_options=key_opts(i))
            stats = client.pool_stats()
            assert stats.live <= 3
            assert registry.closed - closed_before >= 3
            # An evicted key is rebuilt on demand.
            await client.request("POST", GEN, BODY, http_options=key_opts(0))
            assert "<SessionRegistry" in repr(registry)
    finally:
        registry.configure(max_sessions=saved[0], idle_expiry=saved[1])


async def test_idle_sessions_expire(server: MockServer, http_backend: str) -> None:
    registry = _registry()
    saved = registry.configure(idle_expiry=0.05)
    try:
        async with genai_async.AsyncClient(
            api_key="k", http_options={"base_url": server.url, "backend": http_backend}
        ) as client:
            await client.request("POST", GEN, BODY, http_options=key_opts(1))
            closed = registry.closed
            await anyio.sleep(0.1)
            await client.request("POST", GEN, BODY, http_options=key_opts(2))  # a miss sweeps
            assert registry.closed == closed + 1
    finally:
        registry.configure(max_sessions=saved[0], idle_expiry=saved[1])


async def test_retired_session_closes_only_after_its_last_request(
    server: MockServer, http_backend: str
) -> None:
    registry = _registry()
    saved = registry.configure(max_sessions=1)
    server.inject(Fault(delay=0.3, match="gemini-2.5-pro"))
    try:
        async with genai_async.AsyncClient(
            api_key="k", http_options={"base_url": server.url, "backend": http_backend}
        ) as client:
            results: list[Any] = []

            async def slow() -> None:
                results.append(
                    await client.request(
                        "POST",
                        "models/gemini-2.5-pro:generateContent",
                        BODY,
                        http_options=key_opts(1),
                    )
                )

            async with anyio.create_task_group() as tg:
                tg.start_soon(slow)
                await anyio.sleep(0.1)
                closed = registry.closed
                await client.request("POST", GEN, BODY, http_options=key_opts(2))  # evicts key 1
                stats = client.pool_stats()
                retired = [s for s in stats.sessions if s.retired]
                assert len(retired) == 1
                assert retired[0].in_flight == 1
                assert registry.closed == closed  # not closed under the running request
            assert results
            assert "candidates" in results[0]
            assert registry.closed == closed + 1
            assert not [s for s in client.pool_stats().sessions if s.retired]
    finally:
        registry.configure(max_sessions=saved[0], idle_expiry=saved[1])


async def test_a_client_per_request_reuses_the_pooled_session(
    http_backend: str,
) -> None:
    """Clients built and closed around each call find the session (and its
    keep-alive connection) of the one before: closing the last client of a key
    does not close the session before its idle expiry."""
    with MockServer() as server:
        opened = server.stats().connections_opened
        created = _registry().created
        for i in range(200):
            async with genai_async.AsyncClient(
                api_key=f"k{i % 3}", http_options={"base_url": server.url, "backend": http_backend}
            ) as client:
                await client.request("POST", GEN, BODY)
        stats = server.stats()
        assert stats.requests == 200
        assert stats.connections_opened - opened <= 2  # one, give or take a server-side close
        assert _registry().created - created == 1
        await _registry().aclose()


async def test_an_unleased_session_closes_at_its_idle_expiry(http_backend: str) -> None:
    registry = _registry()
    saved = registry.configure(idle_expiry=0.2)
    try:
        with MockServer() as server:
            async with genai_async.AsyncClient(
                api_key="k", http_options={"base_url": server.url, "backend": http_backend}
            ) as client:
                await client.request("POST", GEN, BODY, http_options=key_opts(7))
            closed = registry.closed
            assert [s for s in client.pool_stats().sessions if not s.retired]  # still pooled
            with anyio.fail_after(3):  # nothing else happens on the loop: a timer closes it
                while registry.closed == closed:
                    await anyio.sleep(0.02)
            with anyio.fail_after(3):
                while server.stats().connections_open:
                    await anyio.sleep(0.02)
    finally:
        registry.configure(max_sessions=saved[0], idle_expiry=saved[1])


def test_registry_limits_are_validated() -> None:
    async def main() -> None:
        registry = _registry()
        with pytest.raises(ValueError, match="max_sessions"):
            registry.configure(max_sessions=0)
        with pytest.raises(ValueError, match="idle_expiry"):
            registry.configure(idle_expiry=-1)
        assert registry.configure(max_sessions=5) == (64, 300.0)
        assert registry.max_sessions == 5

    asyncio.run(main())


async def test_building_a_client_builds_no_session(server: MockServer, anyio_backend: Any) -> None:
    before = _registry().created
    clients = [
        genai_async.AsyncClient(api_key=f"k{i}", http_options={"base_url": server.url})
        for i in range(50)
    ]
    assert _registry().created == before
    for client in clients:
        await client.aclose()


def test_one_client_on_two_loops_gets_a_session_per_loop() -> None:
    with MockServer() as server:
        client = genai_async.AsyncClient(api_key="k", http_options={"base_url": server.url})

        async def use() -> Any:
            await client.request("POST", GEN, BODY)
            return client.pool_stats()

        first = asyncio.run(use())
        second = asyncio.run(use())  # the first loop is closed: a new session, no error
        assert first.live == 1
        assert second.live == 1
        assert server.stats().connections_opened == 2

        async def close() -> None:
            await client.aclose()

        asyncio.run(close())


def test_borrowed_aiohttp_session_on_another_loop_is_a_clear_error() -> None:
    import aiohttp

    with MockServer() as server:
        loop = asyncio.new_event_loop()
        try:

            async def make() -> aiohttp.ClientSession:
                return aiohttp.ClientSession()

            session = loop.run_until_complete(make())
            client = genai_async.AsyncClient(
                api_key="k",
                http_options=genai_async.types.HttpOptions(
                    base_url=server.url, aiohttp_client=session
                ),
            )

            async def use() -> None:
                await client.request("POST", GEN, BODY)

            with pytest.raises(RuntimeError, match="another event loop"):
                asyncio.run(use())
            loop.run_until_complete(use())  # on its own loop it serves
            assert server.stats().requests == 1
            loop.run_until_complete(client.aclose())
            assert not session.closed  # borrowed: never closed by us
            loop.run_until_complete(session.close())
        finally:
            loop.close()


def test_fork_child_gets_fresh_sessions() -> None:
    code = textwrap.dedent(
        """
        import asyncio, os, sys
        import genai_async
        from genai_async.testing import MockServer

        BODY = {"contents": [{"parts": [{"text": "hi"}]}]}

        async def main(server):
            client = genai_async.AsyncClient(api_key="k", http_options={"base_url": server.url})
            await client.request("POST", "models/gemini-2.5-flash-lite:generateContent", BODY)
            pid = os.fork()
            if pid == 0:
                # The child: inherited sessions are forgotten, a new one is built.
                async def child():
                    await client.request("POST", "models/gemini-2.5-flash-lite:generateContent", BODY)
                    stats = client.pool_stats()
                    assert stats.created == 1 and stats.live == 1, stats
                    await client.aclose()
                asyncio.run(child())
                os._exit(0)
            _, status = os.waitpid(pid, 0)
            await client.request("POST", "models/gemini-2.5-flash-lite:generateContent", BODY)
            await client.aclose()
            return os.waitstatus_to_exitcode(status)

        with MockServer() as server:
            code = asyncio.run(main(server))
            assert server.stats().requests == 3, server.stats()
            assert server.stats().connections_opened == 2, server.stats()
        sys.exit(code)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-W", "error::ResourceWarning", "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Warning" not in proc.stderr, proc.stderr


def test_sessions_of_unclosed_clients_close_with_their_loop() -> None:
    """asyncio.run, uvloop and trio each shut the loop's sessions; nothing leaks or warns."""
    code = textwrap.dedent(
        """
        import asyncio, gc, sys, warnings
        warnings.simplefilter("error")
        import anyio, genai_async
        from genai_async.testing import MockServer

        BODY = {"contents": [{"parts": [{"text": "hi"}]}]}
        with MockServer() as server:
            for backend, options in [("asyncio", {}), ("asyncio", {"use_uvloop": True}), ("trio", {})]:
                client = genai_async.AsyncClient(api_key="k", http_options={"base_url": server.url})

                async def main():
                    await client.request("POST", "models/gemini-2.5-flash-lite:generateContent", BODY)

                anyio.run(main, backend=backend, backend_options=options)
                gc.collect()
                deadline = __import__("time").monotonic() + 5
                while server.stats().connections_open and __import__("time").monotonic() < deadline:
                    __import__("time").sleep(0.01)
                assert server.stats().connections_open == 0, (backend, server.stats())
        print("ok")
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
    assert proc.stderr == ""
