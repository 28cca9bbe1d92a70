"""client.batches (Gemini API) end to end on the embedded server's batch jobs: inlined
and file sources, polling to an outcome, per-line errors, cancel, list, delete."""

from __future__ import annotations

import orjson
import pytest

import genai_async as genai
from genai_async import types
from genai_async.testing import MockServer

pytestmark = pytest.mark.anyio

REQUESTS = [
    {"contents": [{"role": "user", "parts": [{"text": "first"}]}]},
    {"contents": [{"role": "user", "parts": [{"text": "[error] second"}]}]},
]


def client_for(server: MockServer) -> genai.AsyncClient:
    return genai.AsyncClient(api_key="k", http_options={"base_url": server.url})


async def test_an_inlined_job_runs_to_its_responses(server: MockServer) -> None:
    server.set_batch(polls=2)
    async with client_for(server) as client:
        job = await client.batches.create(
            model="gemini-2.5-flash", src=REQUESTS, config={"display_name": "nightly"}
        )
        assert job.state == types.JobState.JOB_STATE_PENDING
        assert job.display_name == "nightly"
        states = []
        while not job.done:
            job = await client.batches.get(name=job.name)
            states.append(job.state)
        assert states == [
            types.JobState.JOB_STATE_RUNNING,
            types.JobState.JOB_STATE_RUNNING,
            types.JobState.JOB_STATE_SUCCEEDED,
        ]
        first, second = job.dest.inlined_responses
        assert first.response.text == "Echo: first"
        assert second.error.code == 400
        assert [j.name async for j in await client.batches.list()] == [job.name]
        await client.batches.delete(name=job.name)
        assert [j.name async for j in await client.batches.list()] == []


@pytest.mark.parametrize("outcome", ["BATCH_STATE_FAILED", "BATCH_STATE_EXPIRED"])
async def test_a_job_that_fails_or_expires_says_so(server: MockServer, outcome: str) -> None:
    server.set_batch(polls=0, outcome=outcome)
    async with client_for(server) as client:
        job = await client.batches.create(model="gemini-2.5-flash", src=REQUESTS)
        job = await client.batches.get(name=job.name)
    assert job.done
    assert job.state.name == outcome.replace("BATCH_", "JOB_")
    assert job.dest is None


async def test_a_file_job_and_its_result_file(server: MockServer) -> None:
    lines = b"".join(
        orjson.dumps({"key": f"k{i}", "request": r}) + b"\n" for i, r in enumerate(REQUESTS)
    )
    server.set_batch(polls=1)
    async with client_for(server) as client:
        file = await client.files.upload(file=lines, config={"mime_type": "application/jsonl"})
        job = await client.batches.create(model="gemini-2.5-flash", src=file.name)
        while not job.done:
            job = await client.batches.get(name=job.name)
        data = await client.files.download(file=job.dest.file_name)
    results = [orjson.loads(line) for line in data.splitlines()]
    assert [r["key"] for r in results] == ["k0", "k1"]
    assert results[0]["response"]["candidates"][0]["content"]["parts"][0]["text"] == "Echo: first"
    assert results[1]["error"]["code"] == 400


async def test_cancel_stops_a_running_job(server: MockServer) -> None:
    server.set_batch(polls=5)
    async with client_for(server) as client:
        job = await client.batches.create(model="gemini-2.5-flash", src=REQUESTS)
        await client.batches.cancel(name=job.name)
        job = await client.batches.get(name=job.name)
    assert job.state == types.JobState.JOB_STATE_CANCELLED
    assert server.requests[-2].path.endswith(f"{job.name}:cancel")


def test_sync_batches(server: MockServer) -> None:
    server.set_batch(polls=0)
    with genai.Client(api_key="k", http_options={"base_url": server.url}) as client:
        job = client.batches.create(model="gemini-2.5-flash", src=REQUESTS[:1])
        job = client.batches.get(name=job.name)
        assert job.dest.inlined_responses[0].response.text == "Echo: first"
        assert [j.name for j in client.batches.list()] == [job.name]
