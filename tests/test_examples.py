"""Every code block of the seed document, as a runnable file in examples/seed/, run for real.

Each example runs in a child Python against the embedded server over HTTPS
(a trustme CA through SSL_CERT_FILE; the server asks for, and records, client
certificates). Vertex examples authenticate with Application Default
Credentials: a service-account key file whose token endpoint is a local
server, so the whole OAuth refresh (a signed JWT exchanged for a token) happens
on loopback.
"""

from __future__ import annotations

import http.server
import json
import os
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from genai_async.testing import MockServer, RecordedRequest

trustme = pytest.importorskip("trustme")
pytest.importorskip("google.auth")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "seed"
VERTEX_PREFIX = "projects/your-project-id/locations/us-central1/publishers/google/models"


class _TokenHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps(
            {"access_token": "adc-token", "expires_in": 3600, "token_type": "Bearer"}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


def _service_account(token_uri: str) -> dict[str, str]:
    """A service-account key file whose token endpoint is on loopback (google-auth honours
    ``token_uri`` for service accounts), with a fresh RSA key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return {
        "type": "service_account",
        "project_id": "your-project-id",
        "private_key_id": "test",
        "private_key": pem,
        "client_email": "examples@your-project-id.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": token_uri,
    }


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("seed")
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp / "ca.pem"))
    client_cert = ca.issue_cert("example-client@genai-async.test")
    client_cert.cert_chain_pems[0].write_to_path(str(tmp / "client.crt"))
    client_cert.private_key_pem.write_to_path(str(tmp / "client.key"))

    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(server_ctx)
    ca.configure_trust(server_ctx)
    server_ctx.verify_mode = ssl.CERT_OPTIONAL

    tokens = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _TokenHandler)
    thread = threading.Thread(target=tokens.serve_forever, daemon=True)
    thread.start()
    adc = tmp / "adc.json"
    adc.write_text(
        json.dumps(_service_account(f"http://127.0.0.1:{tokens.server_address[1]}/token"))
    )
    with MockServer(ssl=server_ctx) as server:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("GOOGLE_", "GEMINI_", "SSL_CERT_"))
            and not k.lower().endswith("_proxy")
        }
        env.update(
            GOOGLE_GEMINI_BASE_URL=server.url,
            GOOGLE_VERTEX_BASE_URL=server.url,
            GATEWAY_BASE_URL=server.url,
            GOOGLE_APPLICATION_CREDENTIALS=str(adc),
            SSL_CERT_FILE=str(tmp / "ca.pem"),
            PYTHONWARNINGS="error::ResourceWarning",
        )
        yield {"server": server, "env": env, "cwd": tmp}
    tokens.shutdown()
    tokens.server_close()


def run(world: dict[str, Any], name: str) -> list[RecordedRequest]:
    server: MockServer = world["server"]
    server.clear()
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        env=world["env"],
        cwd=world["cwd"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", proc.stderr
    assert "Echo: Say hi" in proc.stdout or "Echo: Tell me a story" in proc.stdout
    return server.requests


def test_every_seed_block_has_an_example() -> None:
    assert len(sorted(EXAMPLES.glob("*.py"))) == 11


def test_vertex_v1(world: dict[str, Any]) -> None:
    (req,) = run(world, "01_vertex_v1.py")
    assert req.path == f"/v1/{VERTEX_PREFIX}/gemini-2.0-flash:generateContent"
    assert req.header("authorization") == "Bearer adc-token"
    assert req.header("x-goog-api-key") is None


def test_gemini_v1alpha(world: dict[str, Any]) -> None:
    (req,) = run(world, "02_gemini_v1alpha.py")
    assert req.path == "/v1alpha/models/gemini-2.0-flash:generateContent"
    assert req.header("x-goog-api-key") == "GEMINI_API_KEY"


def test_custom_base_url(world: dict[str, Any]) -> None:
    (req,) = run(world, "03_custom_base_url.py")
    assert req.path == "/v1beta1/publishers/google/models/gemini-2.0-flash:generateContent"
    assert req.header_all("authorization") == ["Bearer test_token"]


def test_custom_headers(world: dict[str, Any]) -> None:
    (req,) = run(world, "04_custom_headers.py")
    assert req.header("x-custom-header") == "custom-value"
    (agent,) = req.header_all("user-agent")
    assert agent.startswith("genai-async/")
    assert agent.endswith(" MyApp/1.0")


def test_timeout(world: dict[str, Any]) -> None:
    (req,) = run(world, "05_timeout.py")
    assert req.header("x-server-timeout") == "30"


def test_extra_body(world: dict[str, Any]) -> None:
    (req,) = run(world, "06_extra_body.py")
    body = req.json()
    assert body["customParam"] == "value"
    assert body["debugMode"] is True
    assert req.header("authorization") == "Bearer adc-token"


def test_aiohttp_args_mutual_tls_and_cookies(world: dict[str, Any]) -> None:
    (req,) = run(world, "07_aiohttp_args.py")
    assert req.header("cookie") == "session=abc123"
    assert req.peer_cert is not None  # the seed's load_cert_chain reached the server
    assert "example-client@genai-async.test" in json.dumps(req.peer_cert)


def test_httpx_args(world: dict[str, Any]) -> None:
    requests = run(world, "08_httpx_args.py")
    assert [json.loads(r.body)["contents"][0]["parts"][0]["text"] for r in requests] == [
        "Say hi (sync)",
        "Say hi (async)",
    ]


def test_custom_clients(world: dict[str, Any]) -> None:
    requests = run(world, "09_custom_clients.py")
    assert len(requests) == 2
    assert all("python-httpx" not in (r.header("user-agent") or "") for r in requests)


def test_complete_configuration(world: dict[str, Any]) -> None:
    (req,) = run(world, "10_complete_configuration.py")
    assert req.path == f"/v1/{VERTEX_PREFIX}/gemini-2.0-flash:generateContent"
    assert req.header("x-custom-header") == "value"
    assert req.header("x-server-timeout") == "60"
    assert req.json()["debugMode"] is False


def test_per_request_options(world: dict[str, Any]) -> None:
    (req,) = run(world, "11_per_request_options.py")
    assert req.path == "/v1beta/models/gemini-2.0-flash-exp:generateContent"
    assert req.header("x-server-timeout") == "120"


def test_google_genai_vertex_media_snippets(world: dict[str, Any]) -> None:
    """compute_tokens, Imagen and Veo, as google-genai's README shows them, on Vertex AI
    with Application Default Credentials."""
    server: MockServer = world["server"]
    server.clear()
    server.set_operation_polls(1)
    script = EXAMPLES.parent / "google_genai" / "vertex_media.py"
    proc = subprocess.run(
        [sys.executable, str(script)],
        env={**world["env"], "EXAMPLE_POLL_SECONDS": "0"},
        cwd=world["cwd"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("videos: True True")
    paths = [r.path for r in server.requests]
    prefix = "/v1beta1/projects/your-project-id/locations/us-central1/publishers/google/models/"
    assert prefix + "gemini-2.5-flash:computeTokens" in paths
    assert prefix + "imagen-4.0-generate-001:predict" in paths
    assert sum(p.endswith(":fetchPredictOperation") for p in paths) == 4
    assert all(r.header("authorization") == "Bearer adc-token" for r in server.requests)
    assert (world["cwd"] / "umbrella-sunny.png").read_bytes().startswith(b"\x89PNG")
