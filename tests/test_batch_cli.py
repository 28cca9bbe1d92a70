"""``genai-async batch``: the command line, in process and as a real subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from genai_async.__main__ import main
from genai_async.testing import Fault, MockServer


def write_input(path: Path, n: int, prefix: str = "k") -> list[str]:
    keys = [f"{prefix}{i:05d}" for i in range(n)]
    with path.open("w") as f:
        for key in keys:
            request = {
                "contents": [{"role": "user", "parts": [{"text": f"Summarise item {key}."}]}]
            }
            f.write(json.dumps({"key": key, "request": request}) + "\n")
    return keys


def output_keys(path: Path) -> Counter[str]:
    return Counter(json.loads(line)["key"] for line in path.read_bytes().splitlines())


def count_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def batch_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "genai_async", "batch", *args]


def test_sigkill_mid_run_then_resume_loses_and_repeats_nothing(tmp_path: Path) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    keys = write_input(source, 2000)
    args = batch_cmd(str(source), "--output", str(output), "--mock", "--mock-latency-ms", "20")
    with subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as proc:
        deadline = time.monotonic() + 30
        while count_lines(output) < 300 and time.monotonic() < deadline:
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    written = count_lines(output)
    assert 300 <= written < 2000, "the run must be killed part-way"

    done = subprocess.run(
        [*args, "--resume"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert output_keys(output) == Counter(keys)
    assert "resume:" in done.stderr
    assert "skipped" in done.stderr


def test_a_cut_off_last_line_is_repaired_on_resume(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    keys = write_input(source, 30)
    assert main(["batch", str(source), "--output", str(output), "--mock", "-q"]) == 0
    lines = output.read_bytes().splitlines(keepends=True)
    output.write_bytes(b"".join(lines[:10]) + lines[10][: len(lines[10]) // 2])

    assert main(["batch", str(source), "--output", str(output), "--mock", "--resume"]) == 0
    assert output_keys(output) == Counter(keys)
    err = capsys.readouterr().err
    assert "cut a partial last line" in err
    assert "skipped 10" in err


def test_an_existing_output_is_refused_without_resume(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(source, 3)
    output.write_text('{"key":"other","response":{}}\n')
    assert main(["batch", str(source), "--output", str(output), "--mock"]) == 2
    assert "--resume" in capsys.readouterr().err
    assert output.read_text() == '{"key":"other","response":{}}\n'


def test_bad_lines_and_duplicate_keys_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    good = {"contents": [{"parts": [{"text": "hello"}]}]}
    source.write_text(
        "\n".join(
            [
                json.dumps({"key": "a", "request": good}),
                "{not json",
                json.dumps({"key": "", "request": good}),
                json.dumps({"key": "b"}),
                "",
                json.dumps({"key": "a", "request": good}),
                json.dumps({"key": "c", "request": good, "model": "gemini-2.5-pro"}),
                json.dumps({"key": "a", "request": good}),
            ]
        )
        + "\n"
    )
    assert main(["batch", str(source), "--output", str(output), "--mock"]) == 1
    err = capsys.readouterr().err
    records = {
        json.loads(line)["key"]: json.loads(line) for line in output.read_text().splitlines()
    }
    assert sorted(records) == ["a", "c", "line:2", "line:3", "line:4"]
    assert records["line:2"]["error"]["status"] == "INVALID_ARGUMENT"
    assert "missing 'request'" in records["line:4"]["error"]["message"]
    assert "response" in records["a"]
    assert "response" in records["c"]
    assert "line 2: invalid JSON" in err
    assert "line 6: duplicate key 'a' (first on line 1)" in err
    assert "line 8: duplicate key 'a' (first on line 1)" in err
    assert "duplicates 2" in err
    assert "bad lines 3" in err
    assert "duplicate keys at lines 6, 8" in err


def test_progress_lines_and_summary_without_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(source, 450)
    code = main(
        ["batch", str(source), "--output", str(output), "--mock", "--mock-latency-ms", "5",
         "--rpm", "9000"]
    )  # fmt: skip
    assert code == 0
    err = capsys.readouterr().err
    progress = [line for line in err.splitlines() if line.startswith("progress: ")]
    # 150 req/s: a 3 s run prints one line every 2 s and the final one
    assert len(progress) >= 2
    assert progress[-1].startswith("progress: 450/450 (100.0%)")
    assert "\r" not in err
    assert "mock: sending to the embedded mock server" in err
    assert "done: 450 input lines" in err
    assert "ok 450, errors 0" in err
    assert "latency p50" in err
    assert "p99" in err
    assert "tokens in" in err


def test_rpm_limit_holds_within_5_percent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(source, 61)
    monkeypatch.setenv("GOOGLE_API_KEY", "test-key")
    with MockServer() as server:
        code = main(
            ["batch", str(source), "--output", str(output), "--base-url", server.url,
             "--rpm", "1200", "--concurrency", "16", "-q"]
        )  # fmt: skip
        times = sorted(r.time for r in server.requests)
    assert code == 0
    assert len(times) == 61
    rate = (len(times) - 1) / (times[-1] - times[0])  # 20/s asked
    assert 20 * 0.9 <= rate <= 20 * 1.05


def test_a_retry_after_429_pauses_the_whole_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(source, 100)
    monkeypatch.setenv("GEMINI_API_KEY", "test-key")
    with MockServer() as server:
        server.inject(Fault(match=":generateContent", status=429, retry_after="0.5", times=1))
        code = main(
            ["batch", str(source), "--output", str(output), "--base-url", server.url,
             "--concurrency", "8", "--initial-backoff", "0.01", "-q"]
        )  # fmt: skip
        times = sorted(r.time for r in server.requests)
    assert code == 0
    assert len(times) == 101
    assert [t for t in times if 0.05 < t - times[0] < 0.45] == []
    assert output_keys(output) == Counter(f"k{i:05d}" for i in range(100))


def test_faults_still_give_every_key_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    keys = write_input(source, 400)
    monkeypatch.setenv("GOOGLE_API_KEY", "test-key")
    with MockServer(latency=(0.0, 0.01)) as server:
        server.inject(
            Fault(match=":generateContent", status=429, retry_after="0.1", times=5),
            Fault(match=":generateContent", status=502, times=3),
            Fault(match=":generateContent", drop="before_response", times=3),
            Fault(match=":generateContent", status=404, times=1),  # not retried: an error record
        )
        code = main(
            ["batch", str(source), "--output", str(output), "--base-url", server.url,
             "--concurrency", "32", "--initial-backoff", "0.01", "--max-attempts", "10", "-q"]
        )  # fmt: skip
    assert code == 1
    assert output_keys(output) == Counter(keys)
    errors = [json.loads(line) for line in output.read_text().splitlines() if '"error"' in line]
    assert [e["error"]["code"] for e in errors] == [404]


def test_missing_credentials_name_the_variables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(source, 2)
    assert main(["batch", str(source), "--output", str(output)]) == 2
    err = capsys.readouterr().err
    assert "GOOGLE_API_KEY" in err
    assert "GEMINI_API_KEY" in err
    assert "--mock" in err
    assert not output.exists()


def test_api_key_flag_warns_about_process_lists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(source, 2)
    with MockServer() as server:
        code = main(
            ["batch", str(source), "--output", str(output), "--api-key", "secret-key",
             "--base-url", server.url]
        )  # fmt: skip
        assert server.last_request is not None
        assert server.last_request.header("x-goog-api-key") == "secret-key"
    assert code == 0
    err = capsys.readouterr().err
    assert "process lists" in err
    assert "secret-key" not in err


def test_dask_engine_without_dask_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(source, 2)
    monkeypatch.setitem(sys.modules, "distributed", None)  # "import distributed" fails
    assert main(["batch", str(source), "--output", str(output), "--mock", "--engine", "dask"]) == 2
    assert "genai-async[dask]" in capsys.readouterr().err


def test_usage_errors_and_unreadable_input_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.jsonl"
    with pytest.raises(SystemExit) as exc:
        main(["batch", "in.jsonl"])  # no --output
    assert exc.value.code == 2
    assert main(["batch", str(tmp_path / "missing.jsonl"), "--output", str(output), "--mock"]) == 2
    assert "cannot read input" in capsys.readouterr().err


def test_dry_run_sends_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(source, 20)
    assert main(["batch", str(source), "--output", str(output), "--dry-run"]) == 0
    assert "20 requests would be sent" in capsys.readouterr().err
    assert not output.exists()


def test_serve_mock_help_and_subprocess_smoke(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["serve-mock", "--help"])
    assert exc.value.code == 0
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    keys = write_input(source, 50)
    env: dict[str, Any] = {**os.environ, "GOOGLE_API_KEY": "ignored-with-mock"}
    done = subprocess.run(
        batch_cmd(str(source), "-o", str(output), "--mock", "--progress", "bar"),
        capture_output=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"\r[########################] 100.0% 50/50 " in done.stderr
    assert output_keys(output) == Counter(keys)


def test_vertex_credentials_are_checked_before_anything_is_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def no_token(self: Any) -> dict[str, str]:
        raise RuntimeError("no application default credentials here")

    monkeypatch.setattr("genai_async._auth.TokenSource.headers", no_token)
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(source, 5)
    with MockServer() as server:
        code = main(
            ["batch", str(source), "-o", str(output), "--vertex", "--project", "p",
             "--location", "us-central1", "--base-url", server.url]
        )  # fmt: skip
        assert server.stats().requests == 0
    assert code == 2
    assert "no application default credentials here" in capsys.readouterr().err
    assert not output.exists()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import genai_async

    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"genai-async {genai_async.__version__}"
