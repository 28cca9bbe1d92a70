"""TLS on the wire: custom CAs, default verification, verification off, the CA
environment variables and mutual TLS, on aiohttp and httpx, against real TLS servers."""

from __future__ import annotations

import logging
import ssl
from typing import Any

import pytest

import genai_async
from _servers import Certs, HandshakeCounter
from genai_async.errors import TLSVerificationError
from genai_async.testing import MockServer

pytestmark = pytest.mark.anyio

BODY = {"contents": [{"role": "user", "parts": [{"text": "hello over TLS"}]}]}
GEN = "models/gemini-2.5-flash-lite:generateContent"
RETRY = {"attempts": 3, "initial_delay": 0, "jitter": 0}


def client_for(base_url: str, backend: str, **options: Any) -> genai_async.AsyncClient:
    opts: dict[str, Any] = {"base_url": base_url, "backend": backend, **options}
    return genai_async.AsyncClient(api_key="test-key", http_options=opts)


def tls_arg(backend: str) -> str:
    """The seed's spelling per backend: aiohttp says ``ssl``, httpx says ``verify``."""
    return "ssl" if backend == "aiohttp" else "verify"


def warnings_about_verification(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "genai_async" and "verification is disabled" in r.getMessage()
    ]


# -- trusting a CA ------------------------------------------------------------------------


async def test_user_ssl_context_trusts_the_test_ca(
    certs: Certs, tls_server: MockServer, http_backend: str
) -> None:
    args = {tls_arg(http_backend): certs.client_context()}
    async with client_for(tls_server.url, http_backend, async_client_args=args) as client:
        data = await client.request("POST", GEN, BODY)
        await client.request("POST", GEN, BODY)
        assert client.pool_stats().sessions[0].backend == http_backend
    assert data["candidates"][0]["content"]["parts"][0]["text"] == "Echo: hello over TLS"
    assert tls_server.stats().requests == 2
    assert tls_server.stats().connections_opened == 1


async def test_verify_ca_bundle_path(
    certs: Certs, tls_server: MockServer, http_backend: str
) -> None:
    args = {"verify": certs.ca_file}
    async with client_for(tls_server.url, http_backend, async_client_args=args) as client:
        await client.request("POST", GEN, BODY)
    assert tls_server.stats().requests == 1


async def test_default_verification_refuses_an_unknown_ca_without_retry(
    certs: Certs, http_backend: str
) -> None:
    """certifi does not know the test CA: refused, typed, and not retried."""
    with HandshakeCounter(certs.server_context()) as server:
        options = {"retry_options": RETRY}
        async with client_for(server.url, http_backend, **options) as client:
            with pytest.raises(TLSVerificationError) as info:
                await client.request("POST", GEN, BODY)
    assert server.accepted == 1
    assert server.handshakes_ok == 0
    assert isinstance(info.value, genai_async.errors.ConnectError)
    assert info.value.retryable is False
    assert "certificate" in str(info.value).lower()


async def test_custom_ca_refuses_a_certificate_from_another_ca(
    certs: Certs, http_backend: str
) -> None:
    with HandshakeCounter(certs.server_context(rogue=True)) as server:
        args = {tls_arg(http_backend): certs.client_context()}
        options = {"retry_options": RETRY, "async_client_args": args}
        async with client_for(server.url, http_backend, **options) as client:
            for _ in range(2):
                with pytest.raises(TLSVerificationError):
                    await client.request("POST", GEN, BODY)
    assert server.accepted == 2  # one handshake per call, none per retry
    assert server.handshakes_ok == 0


# -- verification off ---------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["ssl", "verify"])
async def test_verification_off_works_and_warns_once_per_session_key(
    certs: Certs,
    http_backend: str,
    spelling: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with MockServer(ssl=certs.server_context(rogue=True)) as server:
        args = {spelling: False}
        with caplog.at_level(logging.WARNING, logger="genai_async"):
            a = client_for(server.url, http_backend, async_client_args=args)
            b = client_for(server.url, http_backend, async_client_args=args)
            async with a, b:
                for _ in range(3):
                    await a.request("POST", GEN, BODY)
                    await b.request("POST", GEN, BODY)
                assert len(a.pool_stats().sessions) == 1
                assert len(warnings_about_verification(caplog)) == 1
                # A second key with verification off is a second session: one more warning.
                other = {**args, "max_redirects": 3}
                await a.request("POST", GEN, BODY, http_options={"async_client_args": other})
                assert len(a.pool_stats().sessions) == 2
        assert server.stats().requests == 7
    warnings = warnings_about_verification(caplog)
    assert len(warnings) == 2
    assert all(http_backend in message for message in warnings)


# -- SSL_CERT_FILE / SSL_CERT_DIR ---------------------------------------------------------


@pytest.mark.parametrize("variable", ["SSL_CERT_FILE", "SSL_CERT_DIR"])
async def test_ca_environment_variables_are_honoured(
    certs: Certs,
    tls_server: MockServer,
    http_backend: str,
    variable: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(variable, certs.ca_file if variable == "SSL_CERT_FILE" else certs.ca_dir)
    trusting = client_for(tls_server.url, http_backend)
    ignoring = client_for(tls_server.url, http_backend, async_client_args={"trust_env": False})
    async with trusting, ignoring:
        await trusting.request("POST", GEN, BODY)
        with pytest.raises(TLSVerificationError):
            await ignoring.request("POST", GEN, BODY)
    assert tls_server.stats().requests == 1


async def test_ca_environment_is_read_when_the_client_is_built(
    certs: Certs,
    tls_server: MockServer,
    http_backend: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", certs.ca_file)
    built_with = client_for(tls_server.url, http_backend)
    monkeypatch.delenv("SSL_CERT_FILE")
    built_without = client_for(tls_server.url, http_backend)
    monkeypatch.setenv("SSL_CERT_FILE", certs.ca_file)
    async with built_with, built_without:
        monkeypatch.delenv("SSL_CERT_FILE")
        await built_with.request("POST", GEN, BODY)
        monkeypatch.setenv("SSL_CERT_FILE", certs.ca_file)
        with pytest.raises(TLSVerificationError):
            await built_without.request("POST", GEN, BODY)
        # a per-request transport override keeps the environment of construction
        override = {"async_client_args": {"cookies": {"c": "1"}}}
        monkeypatch.delenv("SSL_CERT_FILE")
        await built_with.request("POST", GEN, BODY, http_options=override)
        monkeypatch.setenv("SSL_CERT_FILE", certs.ca_file)
        with pytest.raises(TLSVerificationError):
            await built_without.request("POST", GEN, BODY, http_options=override)
    assert tls_server.stats().requests == 2


# -- mutual TLS ---------------------------------------------------------------------------


def _client_identity(peer_cert: dict[str, Any] | None) -> list[str]:
    assert peer_cert is not None, "the server saw no client certificate"
    return [value for _, value in peer_cert.get("subjectAltName", ())]


async def test_mutual_tls_with_the_seed_ssl_context(
    certs: Certs, mtls_server: MockServer, http_backend: str
) -> None:
    """``ssl.create_default_context(); load_cert_chain('client.crt', 'client.key')``."""
    ctx = ssl.create_default_context()
    ctx.load_cert_chain(certs.client_cert_file, certs.client_key_file)
    certs.ca.configure_trust(ctx)
    args = {tls_arg(http_backend): ctx}
    async with client_for(mtls_server.url, http_backend, async_client_args=args) as client:
        await client.request("POST", GEN, BODY)
        async with client.stream(
            "POST", "models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse", BODY
        ) as events:
            assert len([e async for e in events]) == 3
    for request in mtls_server.requests:
        assert "genai-async-test-client@example.test" in _client_identity(request.peer_cert)


async def test_mutual_tls_with_cert_files(
    certs: Certs, mtls_server: MockServer, http_backend: str
) -> None:
    """httpx's ``cert=(certfile, keyfile)`` (portable: aiohttp gets the same context)."""
    args = {"cert": (certs.client_cert_file, certs.client_key_file), "verify": certs.ca_file}
    async with client_for(mtls_server.url, http_backend, async_client_args=args) as client:
        await client.request("POST", GEN, BODY)
    assert "genai-async-test-client@example.test" in _client_identity(
        mtls_server.last_request.peer_cert  # type: ignore[union-attr]
    )


async def test_mutual_tls_server_without_client_cert_sees_none(
    certs: Certs, tls_server: MockServer, http_backend: str
) -> None:
    """Control: without a client certificate the recorded ``peer_cert`` is empty."""
    args = {"verify": certs.ca_file}
    async with client_for(tls_server.url, http_backend, async_client_args=args) as client:
        await client.request("POST", GEN, BODY)
    assert tls_server.last_request.peer_cert is None  # type: ignore[union-attr]


# -- sync calls (genai_async.Client) ------------------------------------------------------


def sync_client(base_url: str, **options: Any) -> Any:
    client_cls = getattr(genai_async, "Client", None)
    if client_cls is None:
        pytest.skip("genai_async.Client (sync calls) is not part of this build")
    return client_cls(api_key="test-key", http_options={"base_url": base_url, **options})


def test_sync_verify_context(certs: Certs, tls_server: MockServer) -> None:
    with sync_client(tls_server.url, client_args={"verify": certs.client_context()}) as client:
        client.request("POST", GEN, BODY)
    assert tls_server.stats().requests == 1


def test_sync_verify_false(certs: Certs) -> None:
    with (
        MockServer(ssl=certs.server_context(rogue=True)) as server,
        sync_client(server.url, client_args={"verify": False}) as client,
    ):
        client.request("POST", GEN, BODY)
        assert server.stats().requests == 1


def test_sync_unknown_ca_refused_without_retry(certs: Certs) -> None:
    with HandshakeCounter(certs.server_context(rogue=True)) as server:
        options = {"retry_options": RETRY, "client_args": {"verify": certs.ca_file}}
        with sync_client(server.url, **options) as client:
            with pytest.raises(TLSVerificationError):
                client.request("POST", GEN, BODY)
    assert server.accepted == 1


def test_sync_ca_environment_variable(
    certs: Certs, tls_server: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", certs.ca_file)
    with sync_client(tls_server.url, client_args={"headers": {"X-Sync": "1"}}) as client:
        client.request("POST", GEN, BODY)
    assert tls_server.last_request.header("x-sync") == "1"  # type: ignore[union-attr]


def test_sync_mutual_tls_cert_files(certs: Certs, mtls_server: MockServer) -> None:
    args = {"cert": (certs.client_cert_file, certs.client_key_file), "verify": certs.ca_file}
    with sync_client(mtls_server.url, client_args=args) as client:
        client.request("POST", GEN, BODY)
    assert mtls_server.last_request.peer_cert is not None  # type: ignore[union-attr]


# -- certificate pinning (aiohttp) --------------------------------------------------------


def _server_digest(certs: Certs) -> bytes:
    import hashlib

    pem = certs.server.cert_chain_pems[0].bytes()
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem.decode())).digest()


# aiohttp 3.14 leaves the socket of a mismatched handshake to the garbage collector
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("spelling", ["fingerprint", "ssl"])
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_aiohttp_pins_the_server_certificate(
    certs: Certs, tls_server: MockServer, spelling: str, anyio_backend: Any
) -> None:
    import aiohttp

    digest = _server_digest(certs)
    value: Any = digest if spelling == "fingerprint" else aiohttp.Fingerprint(digest)
    async with client_for(tls_server.url, "auto", async_client_args={spelling: value}) as client:
        await client.request("POST", GEN, BODY)
        assert client.pool_stats().sessions[0].backend == "aiohttp"
    wrong = bytes(32)
    value = wrong if spelling == "fingerprint" else aiohttp.Fingerprint(wrong)
    async with client_for(tls_server.url, "auto", async_client_args={spelling: value}) as client:
        with pytest.raises(genai_async.errors.ConnectError):
            await client.request("POST", GEN, BODY)


def test_a_fingerprint_must_be_a_sha256_digest() -> None:
    with pytest.raises(ValueError, match="32-byte SHA-256"):
        genai_async.AsyncClient(
            api_key="k", http_options={"async_client_args": {"fingerprint": b"x"}}
        )
