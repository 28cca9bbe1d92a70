"""``--retry-errors``: only the keys whose record is an error are sent again, and their
records are replaced; crash-safe like every other run."""

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

from genai_async import batch
from genai_async.__main__ import main
from genai_async.testing import Fault, MockServer, RecordedRequest


def write_input(path: Path, n: int, *, broken: bool = False) -> list[str]:
    keys = [f"k{i:05d}" for i in range(n)]
    with path.open("w") as f:
        for key in keys:
            request = {"contents": [{"role": "user", "parts": [{"text": f"item={key}"}]}]}
            f.write(json.dumps({"key": key, "request": request}) + "\n")
        if broken:
            f.write("{broken\n")
    return keys


def sent_key(request: RecordedRequest) -> str:
    text: str = request.json()["contents"][0]["parts"][0]["text"]
    return text.removeprefix("item=")


def sent_keys(requests: list[RecordedRequest]) -> Counter[str]:
    return Counter(sent_key(r) for r in requests if r.path.endswith(":generateContent"))


def records(path: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for line in path.read_bytes().splitlines():
        obj = json.loads(line)
        assert obj["key"] not in out, f"{obj['key']} written twice"
        out[obj["key"]] = obj
    return out


def error_keys(path: Path) -> set[str]:
    return {key for key, obj in records(path).items() if "error" in obj}


def count_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def test_only_error_keys_are_sent_again_and_their_records_replaced(tmp_path: Path) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    keys = write_input(source, 300, broken=True)
    with MockServer(record_limit=100_000) as server:
        config = batch.ClientConfig(api_key="k", base_url=server.url)
        server.inject(Fault(match=":generateContent", status=400, times=40))
        first = batch.run_file(
            source, output, model="gemini-2.5-flash-lite", client=config, stream=None
        )
        assert first.errors == 41  # 40 refused requests and the broken line
        failed = error_keys(output) - {"line:301"}
        assert len(failed) == 40
        answered_lines = {
            line for line in output.read_bytes().splitlines() if b'"response"' in line
        }

        server.clear()
        summary = batch.run_file(
            source,
            output,
            model="gemini-2.5-flash-lite",
            client=config,
            retry_errors=True,
            stream=None,
        )
        sent = sent_keys(server.requests)

    assert sent == Counter(failed)  # each failed key once, nothing else
    assert summary.skipped == 260
    assert summary.ok == 40
    assert summary.errors == 1  # the broken line is reported again, as a new record
    assert summary.earlier_errors == 0
    final = records(output)
    assert sorted(final) == sorted([*keys, "line:301"])
    assert error_keys(output) == {"line:301"}
    assert answered_lines <= set(output.read_bytes().splitlines())  # earlier answers kept as-is
    assert not Path(f"{output}.retry-tmp").exists()


def test_retry_errors_on_an_output_without_errors_changes_nothing(tmp_path: Path) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(source, 20)
    with MockServer() as server:
        config = batch.ClientConfig(api_key="k", base_url=server.url)
        batch.run_file(source, output, model="gemini-2.5-flash-lite", client=config, stream=None)
        before = output.stat()
        server.clear()
        summary = batch.run_file(
            source,
            output,
            model="gemini-2.5-flash-lite",
            client=config,
            retry_errors=True,
            stream=None,
        )
        assert server.stats().requests == 0
    assert summary.skipped == 20
    assert summary.exit_code == 0
    after = output.stat()
    assert (after.st_ino, after.st_size) == (before.st_ino, before.st_size)  # not rewritten


def test_dry_run_counts_the_records_to_replace_and_touches_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(source, 10)
    lines = [
        json.dumps({"key": f"k{i:05d}", "error": {"code": 503, "status": "UNAVAILABLE"}})
        if i % 2
        else json.dumps({"key": f"k{i:05d}", "response": {"candidates": []}})
        for i in range(10)
    ]
    output.write_text("\n".join(lines) + "\n")
    before = output.read_bytes()
    code = main(["batch", str(source), "-o", str(output), "--retry-errors", "--dry-run"])
    err = capsys.readouterr().err
    assert "5 error records would be replaced" in err
    assert "5 requests would be sent" in err
    assert code == 0
    assert output.read_bytes() == before


def test_a_copy_left_by_a_crash_before_its_rename_is_redone(tmp_path: Path) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    keys = write_input(source, 10)
    ok = [json.dumps({"key": k, "response": {"candidates": []}}) for k in keys[:6]]
    bad = [json.dumps({"key": k, "error": {"code": 500, "status": "INTERNAL"}}) for k in keys[6:]]
    output.write_text("\n".join(ok + bad) + "\n" + '{"key":"k000')  # and a cut-off last line
    stale = Path(f"{output}.retry-tmp")
    stale.write_text('{"key":"zzz","response":{}}\n' * 3)  # killed mid-copy
    with MockServer() as server:
        config = batch.ClientConfig(api_key="k", base_url=server.url)
        summary = batch.run_file(
            source,
            output,
            model="gemini-2.5-flash-lite",
            client=config,
            retry_errors=True,
            stream=None,
        )
        sent = sent_keys(server.requests)
    assert sent == Counter(keys[6:])
    assert summary.exit_code == 0
    assert sorted(records(output)) == keys
    assert not stale.exists()


def test_gemini_batch_engine_refuses_retry_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    write_input(source, 3)
    code = main(
        ["batch", str(source), "-o", str(tmp_path / "o.jsonl"), "--mock", "--retry-errors",
         "--engine", "gemini-batch"]
    )  # fmt: skip
    assert code == 2
    assert "--retry-errors is not supported with --engine gemini-batch" in capsys.readouterr().err


def test_a_local_run_on_an_unfinished_gemini_batch_output_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(source, 3)
    output.write_text(json.dumps({"key": "k00000", "error": {"code": 500}}) + "\n")
    Path(f"{output}.gemini-batch.json").write_text("{}")
    code = main(["batch", str(source), "-o", str(output), "--mock", "--retry-errors"])
    assert code == 2
    assert "a gemini-batch run" in capsys.readouterr().err


@pytest.mark.parametrize("again", ["--resume", "--retry-errors"])
def test_sigkill_during_a_retry_run_then_again_sends_no_answered_key(
    tmp_path: Path, again: str
) -> None:
    n, n_ok, concurrency = 1500, 300, 16
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    keys = write_input(source, n)
    ok = [json.dumps({"key": k, "response": {"candidates": []}}) for k in keys[:n_ok]]
    bad = [json.dumps({"key": k, "error": {"code": 503, "status": "UNAVAILABLE"}}) for k in keys[n_ok:]]  # fmt: skip
    output.write_text("\n".join(ok + bad) + "\n")
    with MockServer(latency=0.01, record_limit=100_000) as server:
        env = {**os.environ, "GOOGLE_API_KEY": "test-key"}
        args = [sys.executable, "-m", "genai_async", "batch", str(source), "-o", str(output),
                "--base-url", server.url, "--concurrency", str(concurrency), "-q"]  # fmt: skip
        with subprocess.Popen(
            [*args, "--retry-errors"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        ) as proc:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    pytest.fail(f"the run ended before the kill: {proc.stderr.read()!r}")  # type: ignore[union-attr]
                if b'"error"' not in output.read_bytes() and count_lines(output) >= n_ok + 200:
                    break  # rewritten, and part of the way through the errors' keys
                time.sleep(0.005)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        time.sleep(0.2)  # requests already on the wire are read by now
        first_run = sent_keys(server.requests)
        written = set(records(output))  # whole records at the kill
        assert n_ok + 200 <= len(written) < n
        server.clear()

        done = subprocess.run([*args, again], env=env, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
        second_run = sent_keys(server.requests)

    final = records(output)
    assert sorted(final) == keys
    assert all("response" in obj for obj in final.values())
    assert not set(keys[:n_ok]) & (set(first_run) | set(second_run))  # never errors: never sent
    assert not written & set(second_run)  # no answered key sent again
    assert max(second_run.values()) == 1
    in_flight = set(first_run) - written  # sent, but unanswered at the kill
    assert len(in_flight) <= concurrency
    assert set(second_run) == set(keys) - written


def test_dask_engine_retries_errors_too(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    keys = write_input(source, 120)
    lines = [
        json.dumps({"key": k, "error": {"code": 503, "status": "UNAVAILABLE"}})
        if i % 3 == 0
        else json.dumps({"key": k, "response": {"candidates": []}})
        for i, k in enumerate(keys)
    ]
    output.write_text("\n".join(lines) + "\n")
    with MockServer(record_limit=100_000) as server:
        config = batch.ClientConfig(api_key="k", base_url=server.url)
        summary = batch.run_file(
            source, output, model="gemini-2.5-flash-lite", client=config, retry_errors=True, engine="dask",
            workers=1, chunk_size=8, stream=None,
        )  # fmt: skip
        sent = sent_keys(server.requests)
    assert sent == Counter(keys[::3])
    assert summary.ok == 40
    assert summary.exit_code == 0
    assert not error_keys(output)
    assert sorted(records(output)) == keys
