"""The client kinds the benchmark harness (``run.py``) compares.

A kind is one way of sending the same request to the benchmark server: one
``generateContent`` call (unary kinds) or one whole ``streamGenerateContent``
stream, every event decoded (stream kinds). Each kind's factory builds its
client inside the running event loop (or, for sync kinds, in the calling
thread) and returns ``(call, close)``.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

PROMPT = "Name three prime numbers."
MODEL = "gemini-2.5-flash-lite"
PATH = f"models/{MODEL}:generateContent"
STREAM_PATH = f"models/{MODEL}:streamGenerateContent?alt=sse"
BODY = {"contents": [{"role": "user", "parts": [{"text": PROMPT}]}]}
API_KEY = "bench-key"

AsyncCall = Callable[[], Awaitable[Any]]
AsyncClose = Callable[[], Awaitable[None]]
SyncCall = Callable[[], Any]
SyncClose = Callable[[], None]


@dataclass(frozen=True)
class Kind:
    """One row family of the tables.

    ``mode`` is ``"async"`` (``concurrency`` tasks on one loop) or ``"sync"``
    (``threads`` threads). ``raw`` and ``google`` name the kinds this one is
    compared with (CPU per request against ``raw``, throughput against ``google``).
    """

    name: str
    label: str
    mode: str
    loop: str  # "uvloop", "asyncio", "trio" or "threads"
    family: str  # "genai_async", "google-genai" or "raw"
    stream: bool
    raw: str | None
    google: str | None


def _kinds() -> dict[str, Kind]:
    unary = {"raw": "raw-aiohttp", "google": "google-genai"}
    stream = {"raw": "raw-aiohttp-stream", "google": "google-genai-stream"}
    rows = [
        Kind("raw-aiohttp", "raw aiohttp + orjson", "async", "uvloop", "raw", False, **unary),
        Kind(
            "raw-aiohttp-stream",
            "raw aiohttp + orjson, stream",
            "async",
            "uvloop",
            "raw",
            True,
            **stream,
        ),
        Kind("raw-httpx", "raw httpx + orjson", "async", "uvloop", "raw", False, **unary),
        Kind(
            "genai_async",
            "genai_async models.generate_content",
            "async",
            "uvloop",
            "genai_async",
            False,
            **unary,
        ),
        Kind(
            "genai_async-asyncio",
            "genai_async models.generate_content",
            "async",
            "asyncio",
            "genai_async",
            False,
            **unary,
        ),
        Kind(
            "genai_async-request",
            "genai_async client.request (raw JSON)",
            "async",
            "uvloop",
            "genai_async",
            False,
            **unary,
        ),
        Kind(
            "genai_async-trust_env-off",
            "genai_async, async_client_args trust_env=False",
            "async",
            "uvloop",
            "genai_async",
            False,
            **unary,
        ),
        Kind(
            "genai_async-trust_env-on",
            "genai_async, async_client_args trust_env=True",
            "async",
            "uvloop",
            "genai_async",
            False,
            **unary,
        ),
        Kind(
            "genai_async-httpx",
            "genai_async, backend='httpx'",
            "async",
            "uvloop",
            "genai_async",
            False,
            **unary,
        ),
        Kind(
            "genai_async-httpx-trio",
            "genai_async, backend='httpx'",
            "async",
            "trio",
            "genai_async",
            False,
            **unary,
        ),
        Kind(
            "genai_async-aiohttp",
            "genai_async, backend='aiohttp'",
            "async",
            "uvloop",
            "genai_async",
            False,
            **unary,
        ),
        Kind(
            "genai_async-aiohttp-asyncio",
            "genai_async, backend='aiohttp'",
            "async",
            "asyncio",
            "genai_async",
            False,
            **unary,
        ),
        Kind(
            "genai_async-aiohttp-stream",
            "genai_async models.generate_content_stream, backend='aiohttp'",
            "async",
            "uvloop",
            "genai_async",
            True,
            **stream,
        ),
        Kind(
            "genai_async-aiohttp-stream-events",
            "genai_async client.stream (raw JSON events), backend='aiohttp'",
            "async",
            "uvloop",
            "genai_async",
            True,
            **stream,
        ),
        Kind(
            "genai_async-native",
            "genai_async, backend='native'",
            "async",
            "uvloop",
            "genai_async",
            False,
            **unary,
        ),
        Kind(
            "genai_async-native-trio",
            "genai_async, backend='native'",
            "async",
            "trio",
            "genai_async",
            False,
            **unary,
        ),
        Kind(
            "genai_async-httpx-trio-lineonly",
            "genai_async, backend='httpx', line only (no _LinePool)",
            "async",
            "trio",
            "genai_async",
            False,
            **unary,
        ),
        Kind(
            "genai_async-httpx-lineonly",
            "genai_async, backend='httpx', line only (no _LinePool)",
            "async",
            "uvloop",
            "genai_async",
            False,
            **unary,
        ),
        Kind(
            "genai_async-stream",
            "genai_async models.generate_content_stream",
            "async",
            "uvloop",
            "genai_async",
            True,
            **stream,
        ),
        Kind(
            "genai_async-native-stream",
            "genai_async models.generate_content_stream, backend='native'",
            "async",
            "uvloop",
            "genai_async",
            True,
            **stream,
        ),
        Kind(
            "genai_async-native-stream-events",
            "genai_async client.stream (raw JSON events), backend='native'",
            "async",
            "uvloop",
            "genai_async",
            True,
            **stream,
        ),
        Kind(
            "genai_async-stream-events",
            "genai_async client.stream (raw JSON events)",
            "async",
            "uvloop",
            "genai_async",
            True,
            **stream,
        ),
        Kind(
            "google-genai",
            "google-genai aio.models.generate_content",
            "async",
            "uvloop",
            "google-genai",
            False,
            **unary,
        ),
        Kind(
            "google-genai-stream",
            "google-genai aio.models.generate_content_stream",
            "async",
            "uvloop",
            "google-genai",
            True,
            **stream,
        ),
        Kind(
            "genai_async-sync",
            "genai_async Client models.generate_content",
            "sync",
            "threads",
            "genai_async",
            False,
            None,
            "google-genai-sync",
        ),
        Kind(
            "google-genai-sync",
            "google-genai Client models.generate_content",
            "sync",
            "threads",
            "google-genai",
            False,
            None,
            "google-genai-sync",
        ),
    ]
    # Each async kind's twin with the collector's first threshold at GC_THRESHOLD
    # (the child sets it before the client is built): what the collector costs when
    # many requests are in flight, side by side with the default.
    twins = [
        dataclasses.replace(kind, name=kind.name + GC_SUFFIX, label=f"{kind.label}, gc {GC_LABEL}")
        for kind in rows
        if kind.mode == "async"
    ]
    return {kind.name: kind for kind in rows + twins}


GC_SUFFIX = "+gc"
GC_THRESHOLD = (10_000, 10, 10)
GC_LABEL = "threshold 10,000"

KINDS = _kinds()


def google_genai_version() -> str | None:
    """The installed google-genai version, or None when it cannot be imported."""
    try:
        if importlib.util.find_spec("google.genai") is None:
            return None
    except (ImportError, ValueError):
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("google-genai")
    except PackageNotFoundError:
        return None


# -- async kinds --------------------------------------------------------------------------------


async def make_async(kind: str, url: str) -> tuple[AsyncCall, AsyncClose]:
    """Build the client of ``kind`` on the running loop."""
    kind = kind.removesuffix(GC_SUFFIX)
    if kind.startswith("raw-aiohttp"):
        return _raw_aiohttp(url, stream=kind.endswith("-stream"))
    if kind == "raw-httpx":
        return _raw_httpx(url)
    if kind.startswith("google-genai"):
        return _google_async(url, stream=kind.endswith("-stream"))
    return _ours_async(kind, url)


def _raw_aiohttp(url: str, *, stream: bool) -> tuple[AsyncCall, AsyncClose]:
    import aiohttp
    import orjson

    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=100), cookie_jar=aiohttp.DummyCookieJar()
    )
    headers = {"Content-Type": "application/json", "x-goog-api-key": API_KEY}
    dumps, loads = orjson.dumps, orjson.loads

    if stream:
        full = f"{url}/v1beta/{STREAM_PATH}"

        async def call() -> Any:
            events = []
            async with session.post(full, data=dumps(BODY), headers=headers) as resp:
                if resp.status != 200:
                    raise RuntimeError(f"HTTP {resp.status}")
                async for line in resp.content:
                    if line.startswith(b"data:"):
                        events.append(loads(line[5:]))
            return events

    else:
        full = f"{url}/v1beta/{PATH}"

        async def call() -> Any:
            async with session.post(full, data=dumps(BODY), headers=headers) as resp:
                data = await resp.read()
                if resp.status != 200:
                    raise RuntimeError(f"HTTP {resp.status}")
                return loads(data)

    return call, session.close


def _raw_httpx(url: str) -> tuple[AsyncCall, AsyncClose]:
    import httpx
    import orjson

    # The pool our sessions default to (100 connections, all kept alive), no timeout:
    # httpx's own defaults (20 kept alive, 5 s pool timeout) fail outright at 1,024 in flight.
    client = httpx.AsyncClient(
        timeout=None, limits=httpx.Limits(max_connections=100, max_keepalive_connections=100)
    )
    headers = {"Content-Type": "application/json", "x-goog-api-key": API_KEY}
    full = f"{url}/v1beta/{PATH}"
    dumps, loads = orjson.dumps, orjson.loads

    async def call() -> Any:
        resp = await client.post(full, content=dumps(BODY), headers=headers)
        if resp.status_code != 200:
            raise RuntimeError(f"HTTP {resp.status_code}")
        return loads(resp.content)

    return call, client.aclose


def _ours_async(kind: str, url: str) -> tuple[AsyncCall, AsyncClose]:
    import genai_async

    options: dict[str, Any] = {"base_url": url}
    if kind == "genai_async-trust_env-off":
        options["async_client_args"] = {"trust_env": False}
    elif kind == "genai_async-trust_env-on":
        options["async_client_args"] = {"trust_env": True}
    elif kind.startswith("genai_async-httpx"):
        options["backend"] = "httpx"
    elif kind.startswith("genai_async-native"):
        options["backend"] = "native"
    elif kind.startswith("genai_async-aiohttp"):
        options["backend"] = "aiohttp"
    if kind.endswith("-lineonly"):
        # httpcore's own pool logic behind our line: what the _LinePool patch buys.
        from genai_async._backends import httpx as httpx_backend

        httpx_backend.assign_in_one_pass = lambda transport: False  # type: ignore[assignment]
    client = genai_async.AsyncClient(api_key=API_KEY, http_options=options)
    models = client.models

    if kind == "genai_async-request":

        async def call() -> Any:
            return await client.request("POST", PATH, BODY)

    elif kind.endswith("-stream-events"):

        async def call() -> Any:
            async with client.stream("POST", STREAM_PATH, BODY) as events:
                return [event async for event in events]

    elif kind.endswith("-stream"):

        async def call() -> Any:
            stream = await models.generate_content_stream(model=MODEL, contents=PROMPT)
            return [chunk async for chunk in stream]

    else:

        async def call() -> Any:
            return await models.generate_content(model=MODEL, contents=PROMPT)

    return call, client.aclose


def _google_async(url: str, *, stream: bool) -> tuple[AsyncCall, AsyncClose]:
    from google import genai

    client = genai.Client(api_key=API_KEY, http_options={"base_url": url, "api_version": "v1beta"})
    models = client.aio.models

    if stream:

        async def call() -> Any:
            chunks = await models.generate_content_stream(model=MODEL, contents=PROMPT)
            return [chunk async for chunk in chunks]

    else:

        async def call() -> Any:
            return await models.generate_content(model=MODEL, contents=PROMPT)

    async def close() -> None:
        await client.aio.aclose()
        client.close()

    return call, close


# -- sync kinds ---------------------------------------------------------------------------------


def make_sync(kind: str, url: str) -> tuple[SyncCall, SyncClose]:
    """Build the sync client of ``kind``; its call is safe from many threads."""
    if kind == "google-genai-sync":
        from google import genai

        gclient = genai.Client(
            api_key=API_KEY, http_options={"base_url": url, "api_version": "v1beta"}
        )

        def google_call() -> Any:
            return gclient.models.generate_content(model=MODEL, contents=PROMPT)

        return google_call, gclient.close

    import genai_async

    client = genai_async.Client(api_key=API_KEY, http_options={"base_url": url})
    models = client.models

    def call() -> Any:
        return models.generate_content(model=MODEL, contents=PROMPT)

    return call, client.close


# -- extras ---------------------------------------------------------------------------------------


def construct_ours(url: str) -> tuple[Callable[[], Any], Callable[[Any], Awaitable[Any]]]:
    """Build an AsyncClient; call it once."""
    import genai_async

    def build() -> Any:
        return genai_async.AsyncClient(api_key=API_KEY, http_options={"base_url": url})

    async def first(client: Any) -> Any:
        try:
            return await client.models.generate_content(model=MODEL, contents=PROMPT)
        finally:
            await client.aclose()

    return build, first


def construct_google(url: str) -> tuple[Callable[[], Any], Callable[[Any], Awaitable[Any]]]:
    """Build a google-genai Client; call it once through ``.aio``."""
    from google import genai

    def build() -> Any:
        return genai.Client(
            api_key=API_KEY, http_options={"base_url": url, "api_version": "v1beta"}
        )

    async def first(client: Any) -> Any:
        try:
            return await client.aio.models.generate_content(model=MODEL, contents=PROMPT)
        finally:
            await client.aio.aclose()
            client.close()

    return build, first
