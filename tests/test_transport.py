"""client_args / async_client_args classification (spec §7.5): every key takes effect or is refused."""

from __future__ import annotations

import ssl
import warnings
from typing import Any

import aiohttp
import httpx
import pytest

from genai_async._keys import DEFAULT_LIMITS, Limits, ProxyConfig, TransportKey
from genai_async._transport import resolve_transport


def _basic_auth() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return aiohttp.BasicAuth("u", "s")


def resolve(
    args: dict[str, Any] | None,
    *,
    backend: str | None = None,
    environ: dict[str, str] | None = None,
    role: str = "async",
    borrowed: Any = None,
) -> Any:
    return resolve_transport(
        args,
        role=role,
        backend=backend,
        borrowed_client=borrowed,  # type: ignore[arg-type]
        environ=environ or {},
    )


def test_no_args_is_the_shared_default() -> None:
    a = resolve(None)
    b = resolve({})
    assert a.base_key == b.base_key
    assert a.key_for("asyncio").backend == "native"  # the default on every loop
    assert a.key_for("trio").backend == "native"  # the trio default
    assert resolve({"http2": True}).key_for("trio").backend == "httpx"  # httpx-only settings
    assert resolve({"cookies": {"s": "1"}}).key_for("trio").backend == "native"
    assert a.base_key.limits == DEFAULT_LIMITS
    assert a.base_key.limits.max_connections == 100
    hash(a.key_for("asyncio"))


@pytest.mark.parametrize(
    ("args", "backend"),
    [
        ({"http2": True}, "httpx"),
        ({"limits": httpx.Limits(max_keepalive_connections=5)}, "httpx"),
        ({"event_hooks": {"request": []}}, "httpx"),
        ({"timeout": httpx.Timeout(3.0)}, "httpx"),
        ({"proxy": httpx.Proxy("http://p:1")}, "httpx"),
        ({"read_bufsize": 2**20}, "aiohttp"),
        ({"server_hostname": "x"}, "aiohttp"),
        ({"auth": _basic_auth()}, "aiohttp"),
        ({"timeout": aiohttp.ClientTimeout(total=3)}, "aiohttp"),
        ({"ssl": None, "trust_env": True}, None),
        ({"cookies": {"session": "abc123"}}, None),
    ],
)
def test_library_specific_settings_pick_their_backend(
    args: dict[str, Any], backend: str | None
) -> None:
    assert resolve(args).required == backend


def test_seed_httpx_example_selects_httpx() -> None:
    choice = resolve({"http2": True, "limits": httpx.Limits(max_keepalive_connections=5)})
    key = choice.key_for("asyncio")
    assert key.backend == "httpx"
    assert key.http2 is True
    assert key.limits == Limits(
        max_connections=100, max_keepalive_connections=5, keepalive_expiry=5.0
    )


def test_aiohttp_only_under_trio_is_a_clear_error() -> None:
    choice = resolve({"read_bufsize": 1024})
    with pytest.raises(ValueError, match="trio"):
        choice.key_for("trio")
    with pytest.raises(ValueError, match="trio"):
        resolve(None, backend="aiohttp").key_for("trio")


def test_mixing_libraries_is_refused_naming_keys() -> None:
    with pytest.raises(ValueError, match=r"read_bufsize.*http2|http2.*read_bufsize"):
        resolve({"read_bufsize": 1, "http2": True})
    with pytest.raises(ValueError, match="http2"):
        resolve({"http2": True}, backend="aiohttp")
    with pytest.raises(ValueError, match="read_bufsize"):
        resolve({"read_bufsize": 1}, backend="httpx")


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        ("base_url", "HttpOptions.base_url"),
        ("proxies", "0.28"),
        ("raise_for_status", "typed"),
        ("data", "set by genai_async"),
        ("json", "set by genai_async"),
        ("default_encoding", "UTF-8"),
        ("compress", "not supported"),
        ("made_up", "not an argument"),
    ],
)
def test_refused_keys_name_key_and_reason(key: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment) as info:
        resolve({key: 1})
    assert repr(key) in str(info.value)


def test_tls_settings_are_portable_and_keyed() -> None:
    assert resolve({"ssl": False}).base_key.tls.verify is False
    assert resolve({"verify": False}).base_key.tls.verify is False
    ctx = ssl.create_default_context()
    assert resolve({"ssl": ctx}).base_key.tls.context is ctx
    assert resolve({"verify": ctx}).base_key.tls.context is ctx
    assert resolve({"verify": "/tmp/ca.pem"}).base_key.tls.ca_file == "/tmp/ca.pem"
    assert resolve({"cert": ("c.pem", "k.pem")}).base_key.tls.cert == ("c.pem", "k.pem", None)
    assert resolve({"ssl": False}).base_key != resolve({}).base_key
    assert resolve({"ssl": None}).base_key == resolve({}).base_key


def test_ca_bundle_from_environment_only_with_trust_env() -> None:
    env = {"SSL_CERT_FILE": "/etc/ca.pem", "SSL_CERT_DIR": "/etc/certs"}
    tls = resolve(None, environ=env).base_key.tls
    assert (tls.ca_file, tls.ca_dir) == ("/etc/ca.pem", "/etc/certs")
    tls = resolve({"trust_env": False}, environ=env).base_key.tls
    assert (tls.ca_file, tls.ca_dir) == (None, None)


def test_trust_env_resolves_proxies_once_into_the_key() -> None:
    env = {"HTTPS_PROXY": "http://user:pw@proxy.local:3128", "NO_PROXY": "internal.example"}
    key = resolve(None, environ=env).base_key
    assert key.proxies is not None
    assert key.proxies.https == ProxyConfig(url="http://proxy.local:3128", auth=("user", "pw"))
    assert "pw" not in repr(key)
    assert key.proxies.for_origin("https", "api.example", None) is key.proxies.https
    assert key.proxies.for_origin("https", "internal.example", None) is None
    assert key.proxies.for_origin("http", "api.example", None) is None
    assert resolve({"trust_env": False}, environ=env).base_key.proxies is None
    # lowercase wins, as in urllib
    env2 = {"HTTPS_PROXY": "http://upper:1", "https_proxy": "http://lower:2"}
    proxies = resolve(None, environ=env2).base_key.proxies
    assert proxies is not None
    assert proxies.https is not None
    assert proxies.https.url == "http://lower:2"


def test_explicit_proxy_with_aiohttp_auth_and_headers() -> None:
    key = resolve(
        {"proxy": "http://p:8080", "proxy_auth": _basic_auth(), "proxy_headers": {"X-P": "1"}}
    ).base_key
    assert key.proxies is not None
    assert key.proxies.http == ProxyConfig("http://p:8080", ("u", "s"), (("X-P", "1"),))


def test_request_level_settings_never_change_the_key() -> None:
    base = resolve({}).base_key
    choice = resolve(
        {
            "headers": {"X-Arg": "1"},
            "params": {"q": "v"},
            "cookies": {"session": "abc"},
            "timeout": 7,
            "follow_redirects": False,
            "auth": ("u", "p"),
        }
    )
    assert choice.base_key == base
    extras = choice.extras
    assert extras.headers is not None
    assert extras.headers["x-arg"] == "1"
    assert extras.headers["cookie"] == "session=abc"
    assert extras.headers["authorization"].startswith("Basic ")
    assert extras.params == (("q", "v"),)
    assert extras.follow_redirects is False
    assert extras.connect_timeout == extras.read_timeout == 7.0


def test_aiohttp_client_timeout_maps_to_phases() -> None:
    extras = resolve({"timeout": aiohttp.ClientTimeout(total=9, connect=2, sock_read=4)}).extras
    assert (extras.total_timeout, extras.connect_timeout, extras.read_timeout) == (9.0, 2.0, 4.0)


def test_session_level_settings_split_the_key() -> None:
    jar = object()
    a = resolve({"cookie_jar": jar}).base_key
    assert a != resolve({}).base_key
    assert a == resolve({"cookie_jar": jar}).base_key
    assert resolve({"http2": True}).base_key != resolve({"http2": False, "http1": True}).base_key


def test_borrowed_connector_is_identity_keyed_and_never_owned() -> None:
    sentinel = aiohttp.TCPConnector.__new__(aiohttp.TCPConnector)
    key = resolve({"connector": sentinel}).base_key
    assert key.borrowed is sentinel
    with pytest.raises(ValueError, match="never closes"):
        resolve({"connector_owner": True})
    assert resolve({"connector": None}).base_key == resolve({}).base_key


def test_borrowed_httpx_client_refuses_session_settings() -> None:
    client = httpx.AsyncClient()
    try:
        with pytest.raises(ValueError, match="limits"):
            resolve({"limits": httpx.Limits()}, borrowed=client)
        choice = resolve({"headers": {"X": "1"}}, borrowed=client)
        assert choice.key_for("trio").borrowed is client
        assert choice.required == "httpx"
    finally:
        import asyncio

        asyncio.run(client.aclose())


def test_sync_role_takes_httpx_settings_only() -> None:
    choice = resolve({"http2": True, "verify": False}, role="sync")
    assert choice.required == "httpx"
    with pytest.raises(ValueError, match="async_client_args"):
        resolve({"read_bufsize": 1}, role="sync")


def test_key_is_frozen() -> None:
    key = resolve(None).base_key
    with pytest.raises(AttributeError):
        key.backend = "x"  # type: ignore[misc]
    assert isinstance(key, TransportKey)


def test_sync_role_without_args_keeps_the_default_backend() -> None:
    assert resolve(None, role="sync").required is None
    assert resolve({"headers": {"X": "1"}}, role="sync").required == "httpx"


def test_sync_role_sync_objects_need_a_sync_httpx_client() -> None:
    transport = httpx.HTTPTransport()
    try:
        choice = resolve({"transport": transport}, role="sync")
        assert choice.required == "httpx-sync"
        assert choice.key_for("asyncio").backend == "httpx-sync"
        assert choice.key_for("trio").borrowed is transport
    finally:
        transport.close()
    client = httpx.Client()
    try:
        choice = resolve(None, role="sync", borrowed=client)
        assert choice.key_for("asyncio").borrowed is client
        assert choice.required == "httpx-sync"
    finally:
        client.close()
