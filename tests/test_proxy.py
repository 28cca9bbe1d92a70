"""Proxies on the wire: ``trust_env`` with ``HTTP(S)_PROXY`` / ``NO_PROXY`` (both cases), an
explicit ``proxy=``, basic auth, plain HTTP and HTTPS ``CONNECT``, through a real proxy
(proxy.py), resolved once per session key, and credentials never printed."""

from __future__ import annotations

import base64
import logging
import threading
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

import genai_async
from _pickling import pickled_with_chain
from _servers import Certs, ProxyServer
from genai_async.errors import ProxyError
from genai_async.testing import MockServer

pytestmark = pytest.mark.anyio

BODY = {"contents": [{"role": "user", "parts": [{"text": "through the proxy"}]}]}
GEN = "models/gemini-2.5-flash-lite:generateContent"
STREAM = "models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse"
USER, PASSWORD = "proxyuser", "s3cret-proxy-pw"


def secrets_in(text: str, password: str = PASSWORD) -> list[str]:
    """The proxy password, plain or as a Basic credentials token, found in ``text``."""
    token = base64.b64encode(f"{USER}:{password}".encode()).decode()
    return [s for s in (password, token) if s in text]


@pytest.fixture(scope="module")
def proxies() -> Iterator[tuple[ProxyServer, ProxyServer]]:
    """(open proxy, proxy requiring basic auth), started once for the module."""
    pytest.importorskip("proxy", reason="proxy.py is needed for the proxy tests")
    open_proxy = ProxyServer().start()
    auth_proxy = ProxyServer(basic_auth=f"{USER}:{PASSWORD}").start()
    yield open_proxy, auth_proxy
    stoppers = [threading.Thread(target=p.stop) for p in (open_proxy, auth_proxy)]
    for t in stoppers:
        t.start()
    for t in stoppers:
        t.join()


@pytest.fixture
def open_proxy(proxies: tuple[ProxyServer, ProxyServer]) -> ProxyServer:
    proxies[0].clear()
    return proxies[0]


@pytest.fixture
def auth_proxy(proxies: tuple[ProxyServer, ProxyServer]) -> ProxyServer:
    proxies[1].clear()
    return proxies[1]


@pytest.fixture(params=["http", "https"])
def target(
    request: pytest.FixtureRequest, certs: Certs, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MockServer]:
    """The API server, over plain HTTP or HTTPS (trusted through ``SSL_CERT_FILE``)."""
    if request.param == "https":
        monkeypatch.setenv("SSL_CERT_FILE", certs.ca_file)
        with MockServer(ssl=certs.server_context()) as srv:
            yield srv
    else:
        with MockServer() as srv:
            yield srv


def client_for(server: MockServer, backend: str, **options: Any) -> genai_async.AsyncClient:
    opts: dict[str, Any] = {"base_url": server.url, "backend": backend, **options}
    return genai_async.AsyncClient(api_key="test-key", http_options=opts)


def proxied_lines(server: MockServer, proxy: ProxyServer, count: int) -> list[str]:
    """The proxy's log lines for ``server``: ``CONNECT`` for HTTPS, one request line per
    request for plain HTTP."""
    lines = proxy.wait_lines(count)
    return [line for line in lines if f"127.0.0.1:{server.port}" in line]


def assert_went_through(server: MockServer, proxy: ProxyServer, requests: int) -> None:
    assert server.stats().requests == requests
    if server.url.startswith("https"):
        lines = proxied_lines(server, proxy, 1)
        assert lines, f"no CONNECT reached the proxy: {proxy.lines()}"
        assert all(line.startswith("CONNECT ") for line in lines)
        assert len(lines) == server.stats().connections_opened
    else:
        lines = proxied_lines(server, proxy, requests)
        assert len(lines) == requests
        assert all(line.startswith("POST http://") for line in lines)
        # proxy.py adds Via to the first request it forwards on each upstream connection
        assert "proxy.py" in (server.requests[0].header("via") or "")


def assert_direct(server: MockServer, proxy: ProxyServer) -> None:
    assert server.stats().requests >= 1
    assert proxy.lines() == []
    assert all(r.header("via") is None for r in server.requests)


# -- trust_env ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["upper", "lower"])
async def test_environment_proxy(
    target: MockServer,
    open_proxy: ProxyServer,
    http_backend: str,
    case: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scheme = target.url.split(":", 1)[0]
    name = f"{scheme}_proxy"
    monkeypatch.setenv(name.upper() if case == "upper" else name, open_proxy.url)
    async with client_for(target, http_backend) as client:
        await client.request("POST", GEN, BODY)
        await client.request("POST", GEN, BODY)
        async with client.stream("POST", STREAM, BODY) as events:
            assert len([e async for e in events]) == 3
    assert_went_through(target, open_proxy, 3)


@pytest.mark.parametrize("case", ["upper", "lower"])
async def test_no_proxy_bypasses(
    target: MockServer,
    open_proxy: ProxyServer,
    http_backend: str,
    case: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", open_proxy.url)
    monkeypatch.setenv("https_proxy", open_proxy.url)
    monkeypatch.setenv("NO_PROXY" if case == "upper" else "no_proxy", "example.test,127.0.0.1")
    async with client_for(target, http_backend) as client:
        await client.request("POST", GEN, BODY)
    assert_direct(target, open_proxy)


async def test_lowercase_no_proxy_wins(
    server: MockServer, open_proxy: ProxyServer, http_backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in urllib: when both spellings are set, the lowercase one is used."""
    monkeypatch.setenv("HTTP_PROXY", open_proxy.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "example.test")
    async with client_for(server, http_backend) as client:
        await client.request("POST", GEN, BODY)
    assert_went_through(server, open_proxy, 1)


async def test_trust_env_false_ignores_proxy_variables(
    server: MockServer, open_proxy: ProxyServer, http_backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", open_proxy.url)
    args = {"trust_env": False}
    async with client_for(server, http_backend, async_client_args=args) as client:
        await client.request("POST", GEN, BODY)
    assert_direct(server, open_proxy)


# -- explicit proxy= ----------------------------------------------------------------------


async def test_explicit_proxy_argument(
    target: MockServer, open_proxy: ProxyServer, http_backend: str
) -> None:
    args = {"proxy": open_proxy.url}
    async with client_for(target, http_backend, async_client_args=args) as client:
        await client.request("POST", GEN, BODY)
        await client.request("POST", GEN, BODY)
    assert_went_through(target, open_proxy, 2)


async def test_explicit_proxy_wins_over_environment(
    server: MockServer,
    proxies: tuple[ProxyServer, ProxyServer],
    http_backend: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    open_proxy, auth_proxy = proxies
    open_proxy.clear()
    auth_proxy.clear()
    monkeypatch.setenv("HTTP_PROXY", auth_proxy.url)  # would answer 407
    args = {"proxy": open_proxy.url}
    async with client_for(server, http_backend, async_client_args=args) as client:
        await client.request("POST", GEN, BODY)
    assert_went_through(server, open_proxy, 1)
    assert auth_proxy.lines() == []


async def test_proxy_none_still_trusts_the_environment(
    server: MockServer, open_proxy: ProxyServer, http_backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``proxy=None`` means "no explicit proxy" in aiohttp and httpx alike."""
    monkeypatch.setenv("HTTP_PROXY", open_proxy.url)
    args = {"proxy": None}
    async with client_for(server, http_backend, async_client_args=args) as client:
        await client.request("POST", GEN, BODY)
    assert_went_through(server, open_proxy, 1)


async def test_library_proxy_objects(
    target: MockServer, auth_proxy: ProxyServer, http_backend: str
) -> None:
    """aiohttp's ``proxy`` + ``proxy_auth=BasicAuth``; httpx's ``httpx.Proxy(url, auth=...)``."""
    args: dict[str, Any]
    if http_backend == "aiohttp":
        import aiohttp

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # aiohttp 3.14 deprecates it
            auth = aiohttp.BasicAuth(USER, PASSWORD)
        args = {"proxy": auth_proxy.url, "proxy_auth": auth}
    else:
        import httpx

        args = {"proxy": httpx.Proxy(auth_proxy.url, auth=(USER, PASSWORD))}
    async with client_for(target, http_backend, async_client_args=args) as client:
        await client.request("POST", GEN, BODY)
        assert secrets_in(repr(client.pool_stats())) == []
    assert_went_through(target, auth_proxy, 1)


# -- basic auth ---------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["env", "proxy_arg"])
async def test_proxy_basic_auth(
    target: MockServer,
    auth_proxy: ProxyServer,
    http_backend: str,
    how: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    options: dict[str, Any] = {}
    if how == "env":
        monkeypatch.setenv("HTTP_PROXY", auth_proxy.url_with_auth())
        monkeypatch.setenv("HTTPS_PROXY", auth_proxy.url_with_auth())
    else:
        options["async_client_args"] = {"proxy": auth_proxy.url_with_auth()}
    with caplog.at_level(logging.DEBUG):
        async with client_for(target, http_backend, **options) as client:
            await client.request("POST", GEN, BODY)
            await client.request("POST", GEN, BODY)
            printed = [repr(client), repr(client.pool_stats())]
            printed += [repr(s) for s in client.pool_stats().sessions]
            entry = next(iter(client._hot.entries.values()))  # type: ignore[union-attr]
            printed += [repr(entry.key), str(entry.key)]
    assert_went_through(target, auth_proxy, 2)
    if target.url.startswith("https"):
        # credentials ride on the CONNECT only, never inside the tunnel. (Over plain HTTP
        # they are on every request to the proxy, whose job it is to drop them; proxy.py
        # forgets to on the second and later requests of a keep-alive connection.)
        for request in target.requests:
            assert request.header("proxy-authorization") is None
    for text in [*printed, caplog.text]:
        assert secrets_in(text) == []
    assert f"proxy=ProxyConfig(url='{auth_proxy.url}', auth=[redacted])" in printed[1]


async def test_proxy_auth_refused_is_a_proxy_error_without_secrets(
    target: MockServer,
    auth_proxy: ProxyServer,
    http_backend: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    wrong = auth_proxy.url_with_auth().replace(PASSWORD, "wrong-" + PASSWORD)
    monkeypatch.setenv("HTTP_PROXY", wrong)
    monkeypatch.setenv("HTTPS_PROXY", wrong)
    options = {"retry_options": {"attempts": 3, "initial_delay": 0, "jitter": 0}}
    with caplog.at_level(logging.DEBUG):
        async with client_for(target, http_backend, **options) as client:
            with pytest.raises(ProxyError) as info:
                await client.request("POST", GEN, BODY)
            assert secrets_in(repr(client.pool_stats())) == []
    assert target.stats().requests == 0
    assert "407" in str(info.value)
    assert info.value.retryable is False
    assert "retrying" not in caplog.text
    chain: list[BaseException] = [info.value]
    while chain[-1].__cause__ is not None:
        chain.append(chain[-1].__cause__)
    wrong_password = "wrong-" + PASSWORD
    # What a traceback or a log line shows: str() of every error of the chain, repr() of ours,
    # and what Dask ships: the error pickled with its chain.
    shipped = pickled_with_chain(info.value)
    for text in [caplog.text, repr(info.value), *(str(e) for e in chain), shipped]:
        assert secrets_in(text, wrong_password) == []


async def test_missing_proxy_credentials_are_refused(
    server: MockServer, auth_proxy: ProxyServer, http_backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", auth_proxy.url)
    async with client_for(server, http_backend) as client:
        with pytest.raises(ProxyError):
            await client.request("POST", GEN, BODY)
    assert server.stats().requests == 0


# -- resolved once ------------------------------------------------------------------------


async def test_environment_is_resolved_when_the_client_is_built(
    server: MockServer, open_proxy: ProxyServer, http_backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", open_proxy.url)
    proxied = client_for(server, http_backend)
    monkeypatch.delenv("HTTP_PROXY")
    direct = client_for(server, http_backend)
    async with proxied, direct:
        monkeypatch.setenv("HTTP_PROXY", open_proxy.url)
        await direct.request("POST", GEN, BODY)
        # a per-request transport override uses the environment of construction too
        override = {"async_client_args": {"cookies": {"c": "1"}}}
        await direct.request("POST", GEN, BODY, http_options=override)
        assert_direct(server, open_proxy)
        monkeypatch.delenv("HTTP_PROXY")
        await proxied.request("POST", GEN, BODY)
        await proxied.request("POST", GEN, BODY, http_options=override)
    lines = proxied_lines(server, open_proxy, 2)
    assert len(lines) == 2
    assert [r.header("via") is not None for r in server.requests][:3] == [False, False, True]


async def test_no_proxy_lookup_per_request(
    server: MockServer, open_proxy: ProxyServer, http_backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sessions read no environment: neither library looks proxies up per request."""
    import urllib.request

    import aiohttp.helpers
    import httpx._utils

    monkeypatch.setenv("HTTP_PROXY", open_proxy.url)
    calls: list[str] = []

    def spy(name: str, real: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return real(*args, **kwargs)

        return wrapper

    async with client_for(server, http_backend) as client:
        await client.request("POST", GEN, BODY)
        for module, name in (
            (urllib.request, "getproxies"),
            (aiohttp.helpers, "get_env_proxy_for_url"),
            (aiohttp.helpers, "proxies_from_env"),
            (aiohttp.helpers, "netrc_from_env"),
            (httpx._utils, "get_environment_proxies"),
        ):
            monkeypatch.setattr(module, name, spy(name, getattr(module, name)))
        if http_backend == "aiohttp":
            import aiohttp.client

            monkeypatch.setattr(
                aiohttp.client, "get_env_proxy_for_url", spy("client.get_env_proxy_for_url", None)
            )
        for _ in range(5):
            await client.request("POST", GEN, BODY)
        entry = next(iter(client._hot.entries.values()))  # type: ignore[union-attr]
        session = entry.backend.session if http_backend == "aiohttp" else entry.backend.client
        assert session.trust_env is False
    assert calls == []
    assert_went_through(server, open_proxy, 6)
