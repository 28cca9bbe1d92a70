"""``genai-async batch --engine dask``: the same output as the local engine, from Dask workers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from genai_async import batch
from genai_async.__main__ import main
from genai_async.testing import Fault, MockServer

distributed = pytest.importorskip("distributed")


def write_input(path: Path, n: int) -> list[str]:
    keys = [f"doc-{i:04d}" for i in range(n)]
    with path.open("w") as f:
        for i, key in enumerate(keys):
            line: dict[str, Any] = {
                "key": key,
                "request": {"contents": [{"role": "user", "parts": [{"text": f"Title for {i}"}]}]},
            }
            if i % 50 == 0:
                line["model"] = "gemini-2.5-pro"
            f.write(json.dumps(line) + "\n")
        f.write("{broken\n")
    return [*keys, f"line:{n + 1}"]


def records(path: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for line in path.read_text().splitlines():
        obj = json.loads(line)
        assert obj["key"] not in out, f"{obj['key']} written twice"
        if "response" in obj:
            obj["response"].pop("responseId")  # a per-server counter
        out[obj["key"]] = obj
    return out


def test_dask_engine_writes_what_the_local_engine_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    keys = write_input(source, 600)
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert main(["batch", str(source), "-o", str(local), "--mock", "-q"]) == 1  # the broken line
    code = main(
        ["batch", str(source), "-o", str(dask), "--mock", "--engine", "dask", "--workers", "2",
         "--chunk-size", "100", "--concurrency", "16"]
    )  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert "dask: 2 workers" in err
    assert "ok 600, errors 1 (bad lines 1)" in err
    assert sorted(records(dask)) == sorted(keys)
    assert records(dask) == records(local)
    assert records(dask)["doc-0050"]["response"]["modelVersion"] == "gemini-2.5-pro-001"


def test_dask_engine_on_a_given_scheduler_resumes_and_retries(tmp_path: Path) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    keys = write_input(source, 400)
    with MockServer(latency=0.002) as server:
        config = batch.ClientConfig(api_key="test-key", base_url=server.url)
        first = batch.run_file(
            source, output, model="gemini-2.5-flash-lite", client=config, stream=None
        )
        assert first.ok == 400
        lines = output.read_bytes().splitlines(keepends=True)
        output.write_bytes(b"".join(lines[:150]) + lines[150][:40])  # a crash mid-write
        server.clear()
        server.inject(
            Fault(match=":generateContent", status=503, times=3),
            Fault(match=":generateContent", status=429, retry_after="0.05", times=3),
        )
        with distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster:
            summary = batch.run_file(
                source,
                output,
                model="gemini-2.5-flash-lite",
                client=config,
                resume=True,
                engine="dask",
                scheduler=cluster.scheduler_address,
                chunk_size=64,
                initial_delay=0.01,
                rpm=60_000,
                stream=None,
            )
        sent = server.stats().requests
    assert summary.skipped == 150
    assert summary.ok == 250
    assert summary.retries >= 6
    assert sent == 250 + 6
    assert sorted(records(output)) == sorted(keys)  # each once: records() checks
