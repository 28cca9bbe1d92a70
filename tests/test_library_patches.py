"""Each patch of another library's internals is active, and stands aside safely otherwise.

The patches swap classes on httpcore 1.0's private pool state
(``_backends/_httpcore_patches.py``): these tests fail when a dependency bump
silently turns one off, and prove the fallback (httpcore's own logic, a DEBUG
line) when the version is outside the supported range.
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path
from typing import Any

import httpcore
import pytest

from genai_async._backends import _httpcore_patches as patches
from genai_async._backends.httpx import HttpxBackend
from genai_async._transport import resolve_transport

pytestmark = pytest.mark.anyio


def _key(args: dict[str, Any] | None, library: str = "asyncio") -> Any:
    choice = resolve_transport(
        args, role="async", backend="httpx", borrowed_client=None, environ={}
    )
    return choice.key_for(library)


def _pools(backend: HttpxBackend) -> list[Any]:
    transport = backend._own_transport
    assert transport is not None
    direct = getattr(transport, "_direct", transport)
    return [direct._pool]


def test_the_installed_httpcore_is_the_supported_one() -> None:
    assert patches.patches_supported(), httpcore.__version__
    assert not patches.patches_supported("1.1.0")
    assert not patches.patches_supported("1.0.8")
    assert patches.patches_supported("1.0.9")


def test_pyproject_pins_the_supported_range() -> None:
    meta = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    deps = meta["project"]["dependencies"]
    low, high = patches.SUPPORTED
    pin = f"httpcore>={'.'.join(map(str, low))},<{'.'.join(map(str, high[:2]))}"
    assert pin in deps


async def test_http1_pools_assign_in_one_pass(anyio_backend: Any) -> None:
    library = "trio" if anyio_backend[0] == "trio" else "asyncio"
    backend = HttpxBackend(_key(None, library))
    try:
        assert backend._line_pools
        for pool in _pools(backend):
            assert patches._LinePool in type(pool).__mro__
    finally:
        await backend.aclose()


async def test_http2_pools_reset_abandoned_streams(anyio_backend: Any) -> None:
    library = "trio" if anyio_backend[0] == "trio" else "asyncio"
    backend = HttpxBackend(_key({"http2": True}, library))
    try:
        for pool in _pools(backend):
            assert patches._ResettingPool in type(pool).__mro__
            connection = pool.create_connection(httpcore.URL("https://127.0.0.1:1").origin)
            assert patches._ResettingConnection in type(connection).__mro__
    finally:
        await backend.aclose()


async def test_an_unsupported_httpcore_gets_its_own_logic_and_a_debug_line(
    anyio_backend: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(httpcore, "__version__", "1.1.0")
    monkeypatch.setattr(patches, "_SKIPPED", set())
    caplog.set_level(logging.DEBUG, logger="genai_async")
    library = "trio" if anyio_backend[0] == "trio" else "asyncio"
    plain = HttpxBackend(_key(None, library))
    h2 = HttpxBackend(_key({"http2": True}, library))
    try:
        assert not plain._line_pools  # falls back to the trace-hook probe
        for pool in _pools(plain) + _pools(h2):
            assert type(pool) is httpcore.AsyncConnectionPool
    finally:
        await plain.aclose()
        await h2.aclose()
    skipped = " ".join(r.getMessage() for r in caplog.records)
    assert "assign_in_one_pass not applied" in skipped
    assert "reset_abandoned_streams not applied" in skipped


# -- aiohttp: the new-connection hook -----------------------------------------------------

BODY = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}
GEN = "models/gemini-2.0-flash:generateContent"


def test_the_aiohttp_hook_exists_on_the_installed_aiohttp() -> None:
    from genai_async._backends import aiohttp as aiohttp_backend

    assert aiohttp_backend._HOOK_ACTIVE


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_without_the_aiohttp_hook_nothing_is_re_sent(
    anyio_backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If aiohttp drops the private hook, a failure must not pass for a stale connection."""
    import genai_async
    from genai_async import errors
    from genai_async._backends import aiohttp as aiohttp_backend
    from genai_async.testing import Fault, MockServer

    monkeypatch.setattr(aiohttp_backend, "_HOOK_ACTIVE", False)
    with MockServer() as server:
        options = {"base_url": server.url, "backend": "aiohttp"}
        async with genai_async.AsyncClient(api_key="k", http_options=options) as client:
            await client.request("POST", GEN, BODY)
            server.inject(Fault(drop="before_response", only_reused=True, times=1))
            with pytest.raises(errors.TransportError):
                await client.request("POST", GEN, BODY)
            assert client.pool_stats().sessions[0].resends == 0
        assert server.stats().requests == 2
