"""``genai-async batch --engine gemini-batch`` against the embedded server's Batch API:
the usual output, one job per run even when the run is killed (SIGKILL) and resumed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from genai_async.__main__ import main
from genai_async.batch import ClientConfig
from genai_async.batch._gemini import run_gemini_batch
from genai_async.testing import MockServer


def write_input(path: Path, count: int, model: str | None = None) -> None:
    lines = []
    for i in range(count):
        line: dict[str, object] = {
            "key": f"k{i}",
            "request": {"contents": [{"role": "user", "parts": [{"text": f"prompt {i}"}]}]},
        }
        if model is not None and i == 0:
            line["model"] = model
        lines.append(orjson.dumps(line))
    lines.append(b'{"no key": 1}')
    path.write_bytes(b"\n".join(lines) + b"\n")


def records(path: Path) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for line in path.read_bytes().splitlines():
        obj = orjson.loads(line)
        assert obj["key"] not in out, f"{obj['key']} written twice"
        out[obj["key"]] = obj
    return out


def args(server: MockServer, src: Path, out: Path, *more: str) -> list[str]:
    return [
        "batch", str(src), "--output", str(out), "--engine", "gemini-batch",
        "--base-url", server.url, "--api-key", "k", "--poll-interval", "0.05", "--quiet", *more,
    ]  # fmt: skip


def job_creations(server: MockServer) -> int:
    return sum(1 for r in server.requests if r.path.endswith(":batchGenerateContent"))


def test_a_run_writes_the_usual_records(server: MockServer, tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(src, 20, model="gemini-2.5-pro")
    server.set_batch(polls=2)
    assert main(args(server, src, out, "--model", "gemini-2.5-flash")) == 1
    got = records(out)
    assert len(got) == 21  # 20 keys and the bad line
    assert got["k1"]["response"]["candidates"][0]["content"]["parts"][0]["text"] == "Echo: prompt 1"
    assert "line:21" in got
    creations = [r for r in server.requests if r.path.endswith(":batchGenerateContent")]
    assert sorted(r.path.rsplit("/", 1)[-1] for r in creations) == [
        "gemini-2.5-flash:batchGenerateContent", "gemini-2.5-pro:batchGenerateContent"
    ]  # fmt: skip
    assert got["k0"]["response"]["modelVersion"] == "gemini-2.5-pro-001"
    assert not (tmp_path / "out.jsonl.gemini-batch.json").exists()
    # Nothing left to do: a resume sends nothing.
    assert main(args(server, src, out, "--resume")) == 1
    assert job_creations(server) == 2


def test_an_input_over_the_file_limit_is_split(server: MockServer, tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(src, 50)
    server.set_batch(polls=0)
    summary = run_gemini_batch(
        str(src),
        str(out),
        model="gemini-2.5-flash",
        client=ClientConfig(base_url=server.url, api_key="k"),
        poll_interval=0.01,
        stream=None,
        max_file_bytes=1000,
    )
    assert summary.ok == 50
    assert job_creations(server) > 3
    assert len(records(out)) == 51
    assert list(tmp_path.iterdir()) == [src, out] or sorted(tmp_path.iterdir()) == sorted(
        [src, out]
    )


@pytest.mark.parametrize("outcome", ["BATCH_STATE_EXPIRED", "BATCH_STATE_FAILED"])
def test_keys_of_a_job_that_did_not_finish_are_error_records(
    server: MockServer, tmp_path: Path, outcome: str
) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(src, 5)
    server.set_batch(polls=0, outcome=outcome)
    assert main(args(server, src, out)) == 1
    got = records(out)
    assert all("ended JOB_STATE_" in got[f"k{i}"]["error"]["message"] for i in range(5))


@pytest.mark.parametrize("kill_after", ["uploading", "created", "JOB_STATE_RUNNING"])
def test_killed_and_resumed_the_run_makes_one_job(
    server: MockServer, tmp_path: Path, kill_after: str
) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(src, 200)
    server.set_batch(polls=40)
    cmd = args(server, src, out)
    cmd.remove("--quiet")
    proc = subprocess.Popen(
        [sys.executable, "-m", "genai_async", *cmd], stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if kill_after in line:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    server.set_batch(polls=1)
    assert main(args(server, src, out, "--resume")) == 1  # the bad line
    got = records(out)
    assert sorted(got) == sorted([f"k{i}" for i in range(200)] + ["line:201"])
    assert job_creations(server) == 1


def test_cancel_needs_resume_and_cancels_the_job(server: MockServer, tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(src, 3)
    assert main(args(server, src, out, "--cancel")) == 2
    server.set_batch(polls=1000)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "genai_async",
            *[a for a in args(server, src, out) if a != "--quiet"],
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "created" in line:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert main(args(server, src, out, "--resume", "--cancel")) == 1
    got = records(out)
    assert "JOB_STATE_CANCELLED" in got["k0"]["error"]["message"]
