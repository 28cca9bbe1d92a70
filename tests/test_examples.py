"""Every example under examples/, run for real by the machinery of ``genai-async examples``.

The seed document's code blocks (examples/seed/), google-genai's README snippets
(examples/google_genai/) and the FastAPI app each run in a child Python against
the embedded server over HTTPS (a generated CA through SSL_CERT_FILE; the server
asks for, and records, client certificates). Vertex examples authenticate with
Application Default Credentials: a service-account key file whose token endpoint
is a local server, so the whole OAuth refresh (a signed JWT exchanged for a token)
happens on loopback. The command's own tests are at the end.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from genai_async.testing import RecordedRequest
from genai_async.testing._examples import ExampleResult, ExampleWorld, discover, main

pytest.importorskip("cryptography")
pytest.importorskip("google.auth")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "examples"
EXAMPLES = EXAMPLES_DIR / "seed"
VERTEX_PREFIX = "projects/your-project-id/locations/us-central1/publishers/google/models"

TESTED = {
    "fastapi_app.py",
    "google_genai/chats.py",
    "google_genai/function_calling.py",
    "google_genai/vertex_media.py",
    "seed/01_vertex_v1.py",
    "seed/02_gemini_v1alpha.py",
    "seed/03_custom_base_url.py",
    "seed/04_custom_headers.py",
    "seed/05_timeout.py",
    "seed/06_extra_body.py",
    "seed/07_aiohttp_args.py",
    "seed/08_httpx_args.py",
    "seed/09_custom_clients.py",
    "seed/10_complete_configuration.py",
    "seed/11_per_request_options.py",
    "trio_app.py",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ExampleWorld]:
    with ExampleWorld(EXAMPLES_DIR, work_dir=tmp_path_factory.mktemp("examples")) as w:
        yield w


def run_example(world: ExampleWorld, name: str) -> ExampleResult:
    result = world.run(name)
    assert result.status == "ok", f"{result.detail}\n{result.stdout}\n{result.stderr}"
    assert result.stderr == ""
    return result


def run(world: ExampleWorld, name: str) -> list[RecordedRequest]:
    """A seed example: it prints the mock model's echo of its prompt."""
    result = run_example(world, f"seed/{name}")
    assert "Echo: Say hi" in result.stdout or "Echo: Tell me a story" in result.stdout
    return result.requests


def test_every_example_is_tested() -> None:
    assert set(discover(EXAMPLES_DIR)) == TESTED


def test_every_seed_block_has_an_example() -> None:
    assert len(sorted(EXAMPLES.glob("*.py"))) == 11


def test_vertex_v1(world: ExampleWorld) -> None:
    (req,) = run(world, "01_vertex_v1.py")
    assert req.path == f"/v1/{VERTEX_PREFIX}/gemini-2.0-flash:generateContent"
    assert req.header("authorization") == "Bearer adc-token"
    assert req.header("x-goog-api-key") is None


def test_gemini_v1alpha(world: ExampleWorld) -> None:
    (req,) = run(world, "02_gemini_v1alpha.py")
    assert req.path == "/v1alpha/models/gemini-2.0-flash:generateContent"
    assert req.header("x-goog-api-key") == "GEMINI_API_KEY"


def test_custom_base_url(world: ExampleWorld) -> None:
    (req,) = run(world, "03_custom_base_url.py")
    assert req.path == "/v1beta1/publishers/google/models/gemini-2.0-flash:generateContent"
    assert req.header_all("authorization") == ["Bearer test_token"]


def test_custom_headers(world: ExampleWorld) -> None:
    (req,) = run(world, "04_custom_headers.py")
    assert req.header("x-custom-header") == "custom-value"
    (agent,) = req.header_all("user-agent")
    assert agent.startswith("genai-async/")
    assert agent.endswith(" MyApp/1.0")


def test_timeout(world: ExampleWorld) -> None:
    (req,) = run(world, "05_timeout.py")
    assert req.header("x-server-timeout") == "30"


def test_extra_body(world: ExampleWorld) -> None:
    (req,) = run(world, "06_extra_body.py")
    body = req.json()
    assert body["customParam"] == "value"
    assert body["debugMode"] is True
    assert req.header("authorization") == "Bearer adc-token"


def test_aiohttp_args_mutual_tls_and_cookies(world: ExampleWorld) -> None:
    (req,) = run(world, "07_aiohttp_args.py")
    assert req.header("cookie") == "session=abc123"
    assert req.peer_cert is not None  # the seed's load_cert_chain reached the server
    assert "example-client@genai-async.test" in json.dumps(req.peer_cert)


def test_httpx_args(world: ExampleWorld) -> None:
    requests = run(world, "08_httpx_args.py")
    assert [json.loads(r.body)["contents"][0]["parts"][0]["text"] for r in requests] == [
        "Say hi (sync)",
        "Say hi (async)",
    ]


def test_custom_clients(world: ExampleWorld) -> None:
    requests = run(world, "09_custom_clients.py")
    assert len(requests) == 2
    assert all("python-httpx" not in (r.header("user-agent") or "") for r in requests)


def test_complete_configuration(world: ExampleWorld) -> None:
    (req,) = run(world, "10_complete_configuration.py")
    assert req.path == f"/v1/{VERTEX_PREFIX}/gemini-2.0-flash:generateContent"
    assert req.header("x-custom-header") == "value"
    assert req.header("x-server-timeout") == "60"
    assert req.json()["debugMode"] is False


def test_per_request_options(world: ExampleWorld) -> None:
    (req,) = run(world, "11_per_request_options.py")
    assert req.path == "/v1beta/models/gemini-2.0-flash-exp:generateContent"
    assert req.header("x-server-timeout") == "120"


def test_google_genai_vertex_media_snippets(world: ExampleWorld) -> None:
    """compute_tokens, Imagen and Veo, as google-genai's README shows them, on Vertex AI
    with Application Default Credentials."""
    result = run_example(world, "google_genai/vertex_media.py")
    assert result.stdout.strip().endswith("videos: True True")
    paths = [r.path for r in result.requests]
    prefix = "/v1beta1/projects/your-project-id/locations/us-central1/publishers/google/models/"
    assert prefix + "gemini-2.5-flash:computeTokens" in paths
    assert prefix + "imagen-4.0-generate-001:predict" in paths
    assert sum(p.endswith(":fetchPredictOperation") for p in paths) == 4
    assert all(r.header("authorization") == "Bearer adc-token" for r in result.requests)
    assert (world.work_dir / "umbrella-sunny.png").read_bytes().startswith(b"\x89PNG")


def test_google_genai_chats(world: ExampleWorld) -> None:
    result = run_example(world, "google_genai/chats.py")
    out, requests = result.stdout, result.requests
    assert out.splitlines()[:2] == [
        "Echo: tell me a story",
        "Echo: summarize the story you told me in 1 sentence",
    ]
    second = requests[1].json()["contents"]
    assert [c["role"] for c in second] == ["user", "model", "user"]
    assert second[1]["parts"][0]["text"] == "Echo: tell me a story"
    assert out.splitlines()[-1] == "4 contents in the history"  # 1 user + 3 streamed chunks


def test_google_genai_function_calling(world: ExampleWorld) -> None:
    result = run_example(world, "google_genai/function_calling.py")
    lines = result.stdout.splitlines()
    assert lines[0] == 'Function results: {"get_current_weather":{"result":"sunny"}}'
    assert "get_current_weather" in lines[1]
    assert "mock" in lines[1]
    assert lines[3] == 'Function results: {"get_current_weather":{"result":"sunny"}}'
    assert lines[4] == 'Function results: {"get_current_weather":{"result":"sunny"}}'
    answered = result.requests[-1].json()
    assert answered["toolConfig"] == {"functionCallingConfig": {"mode": "ANY"}}
    assert answered["contents"][-1]["parts"][0]["functionResponse"]["name"] == "get_current_weather"


def test_fastapi_app(world: ExampleWorld) -> None:
    """The app under uvicorn answers /ask and /stream from the embedded server and stops
    cleanly on SIGINT."""
    pytest.importorskip("fastapi")
    pytest.importorskip("uvicorn")
    result = run_example(world, "fastapi_app.py")
    assert "/ask: {'text': 'Echo: Hi'}" in result.stdout
    paths = [r.path for r in result.requests]
    assert paths == [
        "/v1beta/models/gemini-2.0-flash:generateContent",
        "/v1beta/models/gemini-2.0-flash:streamGenerateContent",
    ]


def test_trio_app(world: ExampleWorld) -> None:
    """The trio program against the command's server: every call ends (answered or
    cancelled) and the pool holds nothing afterwards (tests/test_trio_app.py runs it
    on its own embedded server, with latency)."""
    pytest.importorskip("trio")
    result = run_example(world, "trio_app.py")
    assert "calls: 120" in result.stdout
    assert "pool after: in_flight=0" in result.stdout


# -- the command -------------------------------------------------------------------------------

_BLOCKER = """
import os, sys
_BLOCKED = tuple(filter(None, os.environ.get("EXAMPLES_TEST_BLOCK", "").split(",")))
class _Block:
    def find_spec(self, name, path=None, target=None):
        if any(name == b or name.startswith(b + ".") for b in _BLOCKED):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, _Block())
"""


def _command(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "genai_async", "examples", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_prints_a_line_per_example() -> None:
    proc = _command("seed/02", "seed/07", "vertex_v1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("embedded server: https://127.0.0.1:")
    assert [line.split()[:2] for line in lines[1:4]] == [
        ["seed/01_vertex_v1.py", "ok"],
        ["seed/02_gemini_v1alpha.py", "ok"],
        ["seed/07_aiohttp_args.py", "ok"],
    ]
    assert all(line.endswith(" s") for line in lines[1:4])
    assert lines[4] == "3 ok, 0 failed, 0 skipped"


def test_command_fails_on_a_failing_example(tmp_path: Path) -> None:
    """Exit status 1 when any example fails: one that exits non-zero, one that writes to
    standard error, one that never reaches the embedded server."""
    (tmp_path / "good.py").write_text(
        "import genai_async as genai\n"
        "client = genai.Client()\n"
        "print(client.models.generate_content(model='gemini-2.0-flash', contents='Hi').text)\n"
        "client.close()\n"
    )
    (tmp_path / "crash.py").write_text("raise SystemExit(3)\n")
    (tmp_path / "noisy.py").write_text(
        "import sys, genai_async as genai\n"
        "genai.Client().models.count_tokens(model='gemini-2.0-flash', contents='Hi')\n"
        "print('careful', file=sys.stderr)\n"
    )
    (tmp_path / "offline.py").write_text("print('Echo: nothing sent')\n")
    out = io.StringIO()
    assert main(["--dir", str(tmp_path)], out=out) == 1
    lines = out.getvalue().splitlines()
    status = {line.split()[0]: line for line in lines if line.endswith(")") or " ok " in line}
    assert "failed" in status["crash.py"]
    assert "(exit status 3)" in status["crash.py"]
    assert "(wrote to standard error)" in status["noisy.py"]
    assert "    careful" in lines  # a failure shows its output
    assert "(sent no request to the embedded server)" in status["offline.py"]
    assert status["good.py"].split()[1] == "ok"
    assert lines[-1] == "1 ok, 3 failed, 0 skipped"


def test_command_without_optional_packages(tmp_path: Path) -> None:
    """A base install (no cryptography, google-auth, h2, fastapi): plain HTTP, and the
    examples that need those are skipped, naming them; the rest still run."""
    (tmp_path / "sitecustomize.py").write_text(_BLOCKER)
    env = {
        **os.environ,
        "EXAMPLES_TEST_BLOCK": "cryptography,google.auth,h2,fastapi,uvicorn",
        "PYTHONPATH": os.pathsep.join(
            [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
    }
    proc = _command("fastapi", "seed/0", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = {line.split()[0]: line for line in proc.stdout.splitlines()[1:-1]}
    assert proc.stdout.startswith("embedded server: http://127.0.0.1:")
    assert "(needs fastapi, uvicorn: " in lines["fastapi_app.py"]
    assert "(needs google.auth, cryptography: " in lines["seed/01_vertex_v1.py"]
    assert "(needs cryptography: " in lines["seed/07_aiohttp_args.py"]
    assert "(needs h2: " in lines["seed/08_httpx_args.py"]
    for name in ("02_gemini_v1alpha", "03_custom_base_url", "04_custom_headers", "05_timeout"):
        assert lines[f"seed/{name}.py"].split()[1] == "ok"
    assert proc.stdout.splitlines()[-1] == "4 ok, 0 failed, 6 skipped"


def test_command_needs_an_examples_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--dir", str(tmp_path / "missing")]) == 2
    assert "no examples directory" in capsys.readouterr().err
    assert main(["--dir", str(ROOT / "examples"), "no-such-example"]) == 2
    assert "no example matches" in capsys.readouterr().err


def test_an_example_cannot_reach_beyond_loopback(tmp_path: Path) -> None:
    """An example that ignores the base-URL variables meets a proxy on loopback that
    refuses, instead of the real endpoint (the script checks the guard before it calls)."""
    (tmp_path / "escape.py").write_text(
        "import os, urllib.parse\n"
        "for var in ('HTTPS_PROXY', 'https_proxy'):\n"
        "    assert urllib.parse.urlsplit(os.environ[var]).hostname == '127.0.0.1', var\n"
        "import genai_async as genai\n"
        "from genai_async import errors\n"
        "client = genai.Client(\n"
        "    api_key='k', http_options={'base_url': 'https://generativelanguage.example.invalid'}\n"
        ")\n"
        "try:\n"
        "    client.models.generate_content(model='gemini-2.0-flash', contents='Hi')\n"
        "except errors.ProxyError:\n"
        "    print('refused by the guard')\n"
        "client.close()\n"
    )
    out = io.StringIO()
    assert main(["--dir", str(tmp_path)], out=out) == 1
    text = out.getvalue()
    assert "escape.py  failed" in text
    assert "(sent no request to the embedded server)" in text
    assert "    refused by the guard" in text
