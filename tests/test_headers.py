"""Case-insensitive headers and the library version headers (spec §5.2, §9)."""

from __future__ import annotations

import sys

import pytest

from genai_async._headers import LIBRARY_LABEL, Headers, redact_headers, server_timeout_value
from genai_async._version import __version__

PY = sys.version.split()[0]


def test_label_format() -> None:
    assert f"genai-async/{__version__} gl-python/{PY}" == LIBRARY_LABEL


def test_merge_is_case_insensitive_last_writer_wins() -> None:
    merged = Headers({"X-A": "1", "user-agent": "x"}).merged(
        {"x-a": "2", "User-Agent": "MyApp/1.0"}
    )
    assert merged.wire() == {"x-a": "2", "User-Agent": "MyApp/1.0"}
    assert merged["X-A"] == "2"
    assert "USER-AGENT" in merged
    assert len(merged) == 2


def test_version_headers_rules() -> None:
    absent = Headers().with_version_headers()
    assert absent["user-agent"] == LIBRARY_LABEL
    assert absent["x-goog-api-client"] == LIBRARY_LABEL
    user = Headers({"User-Agent": "MyApp/1.0"}).with_version_headers()
    assert user.wire()["User-Agent"] == f"{LIBRARY_LABEL} MyApp/1.0"
    partial = Headers(
        {"x-goog-api-client": f"genai-async/{__version__} extra"}
    ).with_version_headers()
    assert partial["x-goog-api-client"] == f"genai-async/{__version__} extra gl-python/{PY}"
    # Idempotent: applying twice changes nothing.
    assert user.with_version_headers() == user


@pytest.mark.parametrize(
    ("seconds", "value"), [(2.5, "3"), (0.001, "1"), (30.0, "30"), (30.01, "31")]
)
def test_server_timeout_value(seconds: float, value: str) -> None:
    assert server_timeout_value(seconds) == value


def test_redaction() -> None:
    headers = Headers({"x-goog-api-key": "sekret", "Authorization": "Bearer tok", "X-A": "1"})
    assert "sekret" not in repr(headers)
    assert "tok" not in repr(headers)
    assert redact_headers(headers.wire())["X-A"] == "1"


@pytest.mark.parametrize(
    ("name", "value"), [("X-A", "a\nb"), ("X-A", "a\rb"), ("X A", "v"), ("X:A", "v")]
)
def test_invalid_headers(name: str, value: str) -> None:
    with pytest.raises(ValueError):
        Headers({name: value})
