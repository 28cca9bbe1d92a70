"""google-genai's README snippets (examples/google_genai/), run for real against the
embedded server in a child Python, with only the import changed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from genai_async.testing import MockServer, RecordedRequest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "google_genai"


def run(server: MockServer, name: str) -> tuple[str, list[RecordedRequest]]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOOGLE_", "GEMINI_")) and not k.lower().endswith("_proxy")
    }
    env.update(
        GEMINI_API_KEY="k",
        GOOGLE_GEMINI_BASE_URL=server.url,
        PYTHONWARNINGS="error::ResourceWarning",
    )
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", proc.stderr
    return proc.stdout, server.requests


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in EXAMPLES.glob("*.py") if not p.name.startswith("vertex_")),
)  # the Vertex AI ones run with credentials in test_examples.py
def test_example_runs(server: MockServer, name: str) -> None:
    run(server, name)


def test_chats(server: MockServer) -> None:
    out, requests = run(server, "chats.py")
    assert out.splitlines()[:2] == [
        "Echo: tell me a story",
        "Echo: summarize the story you told me in 1 sentence",
    ]
    second = requests[1].json()["contents"]
    assert [c["role"] for c in second] == ["user", "model", "user"]
    assert second[1]["parts"][0]["text"] == "Echo: tell me a story"
    assert out.splitlines()[-1] == "4 contents in the history"  # 1 user + 3 streamed chunks


def test_function_calling(server: MockServer) -> None:
    out, requests = run(server, "function_calling.py")
    lines = out.splitlines()
    assert lines[0] == 'Function results: {"get_current_weather":{"result":"sunny"}}'
    assert "get_current_weather" in lines[1]
    assert "mock" in lines[1]
    assert lines[3] == 'Function results: {"get_current_weather":{"result":"sunny"}}'
    assert lines[4] == 'Function results: {"get_current_weather":{"result":"sunny"}}'
    answered = requests[-1].json()
    assert answered["toolConfig"] == {"functionCallingConfig": {"mode": "ANY"}}
    assert answered["contents"][-1]["parts"][0]["functionResponse"]["name"] == "get_current_weather"
