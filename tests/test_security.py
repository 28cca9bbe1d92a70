"""Secrets stay secret: API keys and bearer tokens never reach a repr, an error
(its text, its traceback with the cause chain, its pickle) or any log line."""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import ssl
import traceback
from typing import Any

import pytest

import genai_async
from _pickling import pickled_with_chain
from genai_async import errors
from genai_async.testing import Fault, MockServer

pytestmark = pytest.mark.anyio

KEY = "AIzaSy-TOP-SECRET-KEY-0123456789"
TOKEN = "ya29.TOP-SECRET-BEARER"
BODY = {"contents": [{"parts": [{"text": "hi"}]}]}


class Creds:
    token: str | None = None
    valid = False
    expiry: dt.datetime | None = None
    quota_project_id = None

    def refresh(self, request: Any) -> None:
        self.token = TOKEN
        self.valid = True
        self.expiry = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=1)


def _leaks(err: BaseException) -> list[str]:
    texts = {
        "str": str(err),
        "repr": repr(err),
        "traceback": "".join(traceback.format_exception(err)),
        "pickle": pickle.dumps(err).decode("latin-1"),
        "pickle with the cause chain": pickled_with_chain(err),
    }
    return [name for name, text in texts.items() if KEY in text or TOKEN in text]


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    for name in ("genai_async", "aiohttp", "httpx", "httpcore", "asyncio"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    return caplog


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=400, times=None),
        Fault(status=503, times=None),
        Fault(status=429, retry_after="0", times=None),
        Fault(drop="mid_body", times=None),
        Fault(drop="before_response", times=None),
        Fault(delay=2.0, times=None),
        Fault(body=b"{not json", times=None),
    ],
    ids=["400", "503", "429", "mid_body", "before_response", "timeout", "bad_json"],
)
async def test_api_key_never_leaks(
    server: MockServer, http_backend: str, all_logs: pytest.LogCaptureFixture, fault: Fault
) -> None:
    server.inject(fault)
    options = {
        "base_url": server.url,
        "backend": http_backend,
        "timeout": 300,
        "retry_options": {"attempts": 2, "initial_delay": 0, "jitter": 0},
    }
    async with genai_async.AsyncClient(api_key=KEY, http_options=options) as client:
        assert KEY not in repr(client)
        assert KEY not in repr(client.pool_stats())
        # Every attempt fails (times=None), so the error path always runs.
        with pytest.raises(errors.GenAIError) as caught:
            await client.request("POST", "models/gemini-2.5-flash-lite:generateContent", BODY)
        assert _leaks(caught.value) == []
    assert server.requests[0].header("x-goog-api-key") == KEY  # it was sent, to the server only
    assert KEY not in all_logs.text


async def test_bearer_token_never_leaks(
    server: MockServer, http_backend: str, all_logs: pytest.LogCaptureFixture
) -> None:
    server.inject(Fault(status=403))
    client = genai_async.AsyncClient(
        vertexai=True,
        project="p",
        location="us-central1",
        credentials=Creds(),
        http_options={"base_url": server.url, "backend": http_backend},
    )
    async with client:
        with pytest.raises(errors.PermissionDeniedError) as info:
            await client.request(
                "POST", "publishers/google/models/gemini-2.5-flash-lite:generateContent", BODY
            )
        assert TOKEN not in repr(client)
        assert client._auth is not None
        assert TOKEN not in repr(client._auth)
    assert _leaks(info.value) == []
    assert server.requests[0].header("authorization") == f"Bearer {TOKEN}"
    assert TOKEN not in all_logs.text


async def test_connection_failures_never_leak(http_backend: str) -> None:
    with MockServer() as server:
        url = server.url
    async with genai_async.AsyncClient(
        api_key=KEY, http_options={"base_url": url, "backend": http_backend}
    ) as client:
        with pytest.raises(errors.ConnectError) as info:
            await client.request("POST", "models/gemini-2.5-flash-lite:generateContent", BODY)
    assert _leaks(info.value) == []


def test_one_user_ssl_context_is_never_handed_to_both_backends() -> None:
    """httpx sets ALPN on the contexts it is given; sharing one with the native backend
    or aiohttp would break it."""
    import aiohttp
    import anyio

    ctx = ssl.create_default_context()
    with MockServer() as server:

        async def use(args: dict[str, Any]) -> None:
            options = {"base_url": server.url, "async_client_args": args}
            async with genai_async.AsyncClient(api_key="k", http_options=options) as client:
                await client.request("POST", "models/gemini-2.5-flash-lite:generateContent", BODY)

        anyio.run(use, {"ssl": ctx})  # the default takes it (plain-HTTP server: unused but claimed)
        with pytest.raises(ValueError, match="already used by the native backend"):
            anyio.run(use, {"verify": ctx, "http2": True})
        with pytest.raises(ValueError, match="already used by the native backend"):
            anyio.run(use, {"ssl": ctx, "timeout": aiohttp.ClientTimeout(total=5)})


def test_client_and_option_reprs_hide_proxy_credentials() -> None:
    from genai_async._transport import resolve_transport

    choice = resolve_transport(
        {"proxy": "http://user:pr0xy-pa55@proxy.local:3128"},
        role="async",
        backend=None,
        borrowed_client=None,
        environ={},
    )
    assert "pr0xy-pa55" not in repr(choice)
    assert "pr0xy-pa55" not in repr(choice.base_key)


def test_redaction_does_not_depend_on_the_libraries_attribute_names() -> None:
    """A library that renames where it keeps the request (or the proxy's password)
    on its exceptions still gets redacted: every attribute and argument is checked."""
    import aiohttp
    import httpx
    from multidict import CIMultiDict, CIMultiDictProxy
    from yarl import URL

    from genai_async._backends.aiohttp import map_aiohttp_error
    from genai_async._backends.httpx import map_httpx_error

    request = httpx.Request("POST", "https://h/x", headers={"x-goog-api-key": "sekrit-key"})
    hx = httpx.ConnectError("boom")
    hx.__dict__["_renamed_request"] = request  # not where httpx 0.28 keeps it
    hx.args = ("boom", request)
    err = map_httpx_error(hx, 0)
    text = pickled_with_chain(err)
    assert "sekrit-key" not in text
    assert "[redacted]" in text

    headers = CIMultiDictProxy(CIMultiDict({"Authorization": "Bearer sekrit-token"}))
    info = aiohttp.RequestInfo(URL("https://h/x"), "POST", headers, URL("https://h/x"))
    ax = aiohttp.ClientResponseError(info, (), status=500)
    ax.__dict__["renamed_info"] = info  # a second, renamed copy
    err = map_aiohttp_error(ax, 1)
    text = pickled_with_chain(err)
    assert "sekrit-token" not in text
    assert "[redacted]" in text
