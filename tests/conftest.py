"""Shared fixtures: event-loop flavours, a clean environment, the embedded server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from genai_async.testing import MockServer

ALL_LOOPS = [
    pytest.param(("asyncio", {"use_uvloop": False}), id="asyncio"),
    pytest.param(("asyncio", {"use_uvloop": True}), id="uvloop"),
    pytest.param(("trio", {}), id="trio"),
]

_ENV_PREFIXES = ("GOOGLE_", "GEMINI_", "SSL_CERT_", "NETRC")
_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture(params=ALL_LOOPS)
def anyio_backend(request: pytest.FixtureRequest) -> Any:
    return request.param


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the machine's proxies, CA bundle or Google settings."""
    for name in list(os.environ):
        if name.startswith(_ENV_PREFIXES) or name.lower() in _PROXY_VARS:
            monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    """The embedded server, strict as by default; ``@pytest.mark.lenient`` for a test
    whose requests carry made-up fields on purpose (extra_body merges)."""
    strict = request.node.get_closest_marker("lenient") is None
    with MockServer(strict=strict) as srv:
        yield srv


def is_trio(anyio_backend: Any) -> bool:
    name = anyio_backend[0] if isinstance(anyio_backend, tuple) else anyio_backend
    return bool(name == "trio")


def backends_for(anyio_backend: Any) -> list[str]:
    """The HTTP backends that run on this loop flavour."""
    return ["httpx"] if is_trio(anyio_backend) else ["aiohttp", "httpx"]


@pytest.fixture(params=["aiohttp", "httpx", "native"])
def http_backend(request: pytest.FixtureRequest, anyio_backend: Any) -> str:
    """The HTTP backend under test; aiohttp is skipped on trio, where it cannot run."""
    name = str(request.param)
    if name == "aiohttp" and is_trio(anyio_backend):
        pytest.skip("aiohttp does not run under trio")
    return name


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """aiohttp cannot run under trio: drop those combinations instead of skipping them."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        params = callspec.params if callspec is not None else {}
        loop = params.get("anyio_backend")
        if params.get("http_backend") == "aiohttp" and loop is not None and is_trio(loop):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# -- TLS counterparts (tests/_servers.py) ---------------------------------------------------


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Test PKI: server CA, client-certificate CA, a rogue CA; PEM files on disk."""
    pytest.importorskip("trustme", reason="trustme is needed to issue test certificates")
    from _servers import make_certs

    return make_certs(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def tls_server(certs: Any) -> Iterator[MockServer]:
    """The embedded server over HTTPS, with a certificate from the test CA."""
    with MockServer(ssl=certs.server_context()) as srv:
        yield srv


@pytest.fixture
def mtls_server(certs: Any) -> Iterator[MockServer]:
    """HTTPS that requires a client certificate issued by the client CA."""
    with MockServer(ssl=certs.server_context(require_client_cert=True)) as srv:
        yield srv
