"""Errors a new user meets say what to do: missing extras, units, typos, CLI words.

Missing optional libraries are simulated in a child interpreter whose
``sitecustomize`` puts an import blocker first on ``sys.meta_path`` (nothing of
genai_async is replaced); everything else runs against the embedded server.
"""

from __future__ import annotations

import email.utils
import json
import os
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path
from typing import Any

import pytest

import genai_async
from genai_async import errors, types
from genai_async.__main__ import main
from genai_async.testing import Fault, MockServer
from genai_async.testing.__main__ import build_parser as mock_parser

SRC = str(Path(genai_async.__file__).resolve().parents[1])
MODEL = "gemini-2.5-flash"
LINE = {"request": {"contents": [{"parts": [{"text": "hi"}]}]}}

_BLOCKER = '''
import os, sys

_BLOCKED = tuple(n for n in os.environ.get("BLOCK_IMPORTS", "").split(",") if n)


class _Blocker:
    """Acts as if the packages named in BLOCK_IMPORTS were not installed."""

    def find_spec(self, name, path=None, target=None):
        if any(name == b or name.startswith(b + ".") for b in _BLOCKED):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _Blocker())
'''


def run_without(
    tmp_path: Path, blocked: str, args: list[str], **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGS`` with the packages in ``blocked`` (comma-separated) unimportable."""
    site = tmp_path / "blocker"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(_BLOCKER)
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOOGLE_", "GEMINI_")) and k != "PYTHONPATH"
    }
    environ.update(PYTHONPATH=os.pathsep.join([str(site), SRC]), BLOCK_IMPORTS=blocked, **env)
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=environ,
        cwd=tmp_path,
    )


def write_lines(path: Path, *lines: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


# -- 1. Vertex AI without google-auth ------------------------------------------------------

_VERTEX_SCRIPT = textwrap.dedent(
    """
    import genai_async as genai

    client = genai.Client(
        vertexai=True, project="p", location="us-central1",
        http_options={"base_url": "http://127.0.0.1:9"},  # never reached: auth fails first
    )
    try:
        client.models.generate_content(model="gemini-2.5-flash", contents="hi")
    except Exception as exc:
        print("request:", type(exc).__name__, exc)
    finally:
        client.close()
    try:
        genai.Client(vertexai=True)
    except Exception as exc:
        print("construct:", type(exc).__name__, exc)
    """
)


@pytest.mark.parametrize("blocked", ["google", "google.auth"])
def test_vertex_without_google_auth_names_the_extra(tmp_path: Path, blocked: str) -> None:
    done = run_without(tmp_path, blocked, ["-c", _VERTEX_SCRIPT])
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("request: ImportError"), done.stdout
    assert lines[1].startswith("construct: ValueError"), done.stdout
    for line in lines:
        assert 'pip install "genai-async[vertex]"' in line
        assert "No module named" not in line


def test_batch_vertex_without_google_auth_exits_2_naming_the_extra(tmp_path: Path) -> None:
    source = write_lines(tmp_path / "in.jsonl", {"key": "a", **LINE})
    done = run_without(
        tmp_path,
        "google",
        ["-m", "genai_async", "batch", str(source), "-o", str(tmp_path / "out.jsonl"),
         "--vertex", "--project", "p", "--location", "us-central1",
         "--base-url", "http://127.0.0.1:9"],
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert 'pip install "genai-async[vertex]"' in done.stderr
    assert "Traceback" not in done.stderr


# -- 2. --loop trio without trio -----------------------------------------------------------


def test_batch_loop_trio_without_trio_is_one_line_and_exit_2(tmp_path: Path) -> None:
    source = write_lines(tmp_path / "in.jsonl", {"key": "a", **LINE})
    output = tmp_path / "out.jsonl"
    done = run_without(
        tmp_path,
        "trio",
        ["-m", "genai_async", "batch", str(source), "-o", str(output), "--mock", "-q",
         "--loop", "trio"],
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        'genai-async batch: error: the trio event loop needs trio: pip install "genai-async[trio]"'
    ]
    assert not output.exists()  # refused before anything was opened


# -- 3. timeouts: the unit, and which limit ran out ----------------------------------------


def test_a_timeout_under_a_second_warns_that_the_unit_is_milliseconds() -> None:
    with pytest.warns(errors.TimeoutUnitWarning, match="milliseconds") as seen:
        types.HttpOptions(timeout=30)
    assert "timeout=30000" in str(seen[0].message)
    assert seen[0].filename == __file__  # points at the caller's line, not at pydantic
    with pytest.warns(errors.TimeoutUnitWarning, match="deadline=5") as seen:
        client = genai_async.Client(api_key="k", http_options={"deadline": 5})
    client.close()
    assert seen[0].filename == __file__


@pytest.mark.parametrize("options", [{}, {"timeout": 0}, {"timeout": 1000}, {"deadline": 60_000}])
def test_no_unit_warning_for_zero_or_a_second_and_more(options: dict[str, Any]) -> None:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        types.HttpOptions(**options)
    assert not [w for w in seen if issubclass(w.category, errors.TimeoutUnitWarning)]


@pytest.fixture
def anyio_backend() -> Any:
    return ("asyncio", {"use_uvloop": False})


def _client(server: MockServer, backend: str, **options: Any) -> genai_async.AsyncClient:
    return genai_async.AsyncClient(
        api_key="k", http_options={"base_url": server.url, "backend": backend, **options}
    )


async def _call(client: genai_async.AsyncClient, case: str) -> None:
    if case == "unary":
        await client.models.generate_content(model=MODEL, contents="hi")
        return
    stream = await client.models.generate_content_stream(model=MODEL, contents="hi")
    async with stream:
        async for _ in stream:
            pass


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("case", "fault", "named"),
    [
        ("unary", Fault(delay=1.5), "HttpOptions.timeout=300 ms (0.3 s, the whole call)"),
        ("stream", Fault(delay=1.5), "HttpOptions.timeout=300 ms (0.3 s, the wait for a stream"),
        (
            "stream",
            Fault(slow_body=1.5),
            "HttpOptions.timeout=300 ms (0.3 s, the longest silence of a stream)",
        ),
    ],
    ids=["unary", "stream-headers", "stream-body"],
)
async def test_a_read_timeout_names_http_options_timeout(
    server: MockServer, http_backend: str, case: str, fault: Fault, named: str
) -> None:
    server.inject(fault)
    with pytest.warns(errors.TimeoutUnitWarning):
        client = _client(server, http_backend, timeout=300)
    async with client:
        with pytest.raises(errors.ReadTimeout) as info:
            await _call(client, case)
    assert named in str(info.value)


@pytest.mark.anyio
@pytest.mark.parametrize("case", ["unary", "stream"])
async def test_a_read_timeout_names_the_client_args_read_timeout(
    server: MockServer, http_backend: str, case: str
) -> None:
    server.inject(Fault(delay=1.5) if case == "unary" else Fault(slow_body=1.5))
    started = time.monotonic()
    async with _client(server, http_backend, async_client_args={"timeout": 0.3}) as client:
        with pytest.raises(errors.ReadTimeout) as info:
            await _call(client, case)
    assert time.monotonic() - started < 1.4  # the read timeout, not the server, ended it
    assert "async_client_args['timeout'] read=0.3 s" in str(info.value)


# -- 4. typos get "did you mean" -----------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "meant"),
    [
        ({"timout": 5000}, "timeout"),
        ({"baseUrl": "http://x", "apiVersoin": "v1"}, "api_version"),
        ({"maxConnection": 3}, "max_connections"),
        ({"retry_options": {"atempts": 2}}, "attempts"),
    ],
)
def test_http_options_typos_suggest_the_field(given: dict[str, Any], meant: str) -> None:
    with pytest.raises(ValueError, match=f"did you mean '{meant}'") as info:
        types.HttpOptions(**given)
    assert "unknown Http" in str(info.value)


def test_http_options_camel_case_and_unrelated_names() -> None:
    opts = types.HttpOptions(baseUrl="http://x", retryOptions={"initialDelay": 0.5})
    assert opts.base_url == "http://x"
    assert opts.retry_options is not None
    assert opts.retry_options.initial_delay == 0.5
    with pytest.raises(ValueError, match="unknown HttpOptions field 'zzz'") as info:
        types.HttpOptions(zzz=1)
    assert "did you mean" not in str(info.value)


@pytest.mark.parametrize(
    ("where", "typo", "meant"),
    [
        ("async_client_args", "verfy", "verify"),
        ("async_client_args", "follow_redirect", "follow_redirects"),
        ("client_args", "timeot", "timeout"),
    ],
)
def test_client_args_typos_suggest_the_key(where: str, typo: str, meant: str) -> None:
    with pytest.raises(ValueError, match=rf"{where}\['{typo}'\].*did you mean '{meant}'"):
        with genai_async.Client(api_key="k", http_options={where: {typo: 1}}) as client:
            client.models.count_tokens(model=MODEL, contents="hi")  # pragma: no cover


# -- 5. the CLI's missing-key message speaks in flags --------------------------------------


def test_batch_missing_key_names_the_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_lines(tmp_path / "in.jsonl", {"key": "a", **LINE})
    assert main(["batch", str(source), "-o", str(tmp_path / "out.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "--api-key" in err
    assert "--vertex" in err
    assert "GOOGLE_API_KEY" in err
    assert "GEMINI_API_KEY" in err
    assert "api_key=" not in err
    assert "vertexai=True" not in err


# -- 6. a non-string key -------------------------------------------------------------------


def test_batch_numeric_key_is_reported_as_not_a_string(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_lines(tmp_path / "in.jsonl", {"key": "ok", **LINE}, {"key": 17, **LINE})
    output = tmp_path / "out.jsonl"
    assert main(["batch", str(source), "-o", str(output), "--mock", "-q"]) == 1
    records = {r["key"]: r for r in map(json.loads, output.read_text().splitlines())}
    message = records["line:2"]["error"]["message"]
    assert "line 2" in message
    assert "'key' must be a string, not a number (17)" in message
    assert "missing or empty" not in message
    assert "response" in records["ok"]


# -- 7. APIError.retry_delay reads Retry-After ---------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (Fault(status=429, retry_after="7"), 7.0),
        (Fault(status=503, retry_after=2.5), 2.5),
        (Fault(status=429, retry_after="7", retry_delay="30s"), 7.0),  # the header first
        (Fault(status=429, retry_delay="30s"), 30.0),
        (Fault(status=429), None),
    ],
)
async def test_retry_delay_reads_retry_after_as_the_retry_loop_does(
    server: MockServer, fault: Fault, expected: float | None
) -> None:
    server.inject(fault)
    async with _client(server, "aiohttp") as client:
        with pytest.raises(errors.APIError) as info:
            await client.models.generate_content(model=MODEL, contents="hi")
    assert info.value.retry_delay == expected


@pytest.mark.anyio
async def test_retry_delay_reads_an_http_date(server: MockServer) -> None:
    when = email.utils.formatdate(time.time() + 40, usegmt=True)
    server.inject(Fault(status=429, retry_after=when))
    async with _client(server, "httpx") as client:
        with pytest.raises(errors.RateLimitError) as info:
            await client.models.generate_content(model=MODEL, contents="hi")
    delay = info.value.retry_delay
    assert delay is not None
    assert 35 <= delay <= 41


# -- 8. serve-mock --help and batch -q -----------------------------------------------------


def test_serve_mock_help_shows_defaults_and_the_control_endpoints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["serve-mock", "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    assert text == mock_parser("genai-async serve-mock").format_help()
    flat = " ".join(text.split())  # argparse wraps to the terminal width
    for default in ("(default: 127.0.0.1)", "(default: 8080)", "(default: 50)", "(default: 7)"):
        assert default in flat
    for endpoint in ("POST   /_mock/faults", "DELETE /_mock/faults", "GET    /_mock/stats"):
        assert endpoint in text
    assert "retry_after" in text
    assert "drop_after_events" in text


def test_serve_mock_help_example_fault_is_accepted() -> None:
    """The example in the help text is a fault the control endpoint takes."""
    text = mock_parser().format_help()
    example = next(line.strip() for line in text.splitlines() if line.strip().startswith("{"))
    assert Fault.from_dict(json.loads(example)).status == 429


def test_batch_quiet_prints_nothing_on_success(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_lines(tmp_path / "in.jsonl", *({"key": f"k{i}", **LINE} for i in range(5)))
    output = tmp_path / "out.jsonl"
    assert main(["batch", str(source), "-o", str(output), "--mock", "-q", "--api-key", "x"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
    assert len(output.read_text().splitlines()) == 5


def test_batch_quiet_still_reports_failed_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_lines(tmp_path / "in.jsonl", {"key": "a", **LINE}, {"request": {}})
    assert main(["batch", str(source), "-o", str(tmp_path / "out.jsonl"), "--mock", "-q"]) == 1
    err = capsys.readouterr().err
    assert "errors 1" in err
    assert "mock:" not in err


def test_a_per_request_timeout_on_the_sync_client_warns_at_the_callers_line(
    server: MockServer,
) -> None:
    """Per-request options of a sync call are read on the client's loop thread; the
    warning still names the line that made the call, not the event loop's runner."""
    with genai_async.Client(api_key="k", http_options={"base_url": server.url}) as client:
        with pytest.warns(errors.TimeoutUnitWarning, match="timeout=300") as seen:
            client.models.generate_content(
                model="gemini-2.5-flash",
                contents="hi",
                config={"http_options": {"timeout": 300}},
            )
    assert seen[0].filename == __file__, seen[0].filename
