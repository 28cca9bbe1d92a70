"""``genai_async.batch``: the Python API, admission control and the file driver (in process)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from contextlib import aclosing
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel
import pytest

from genai_async import AsyncClient, batch
from genai_async.batch._io import KeyIndex, scan_output
from genai_async.batch._limits import Gate
from genai_async.testing import Fault, MockServer

pytestmark = pytest.mark.anyio

GEN = ":generateContent"


def items(n: int, prefix: str = "k") -> Iterator[dict[str, Any]]:
    for i in range(n):
        text = f"question {i} about the weather in city {i % 7}"
        yield {"key": f"{prefix}{i}", "request": {"contents": [{"parts": [{"text": text}]}]}}


def client_for(server: MockServer, **options: Any) -> AsyncClient:
    return AsyncClient(api_key="test-key", http_options={"base_url": server.url, **options})


async def collect(results: AsyncGenerator[batch.BatchResult, None]) -> list[batch.BatchResult]:
    async with aclosing(results) as it:
        return [r async for r in it]


def write_lines(path: Path, objs: list[Any]) -> None:
    path.write_text("".join(json.dumps(o) + "\n" for o in objs))


def keys_of(path: Path) -> Counter[str]:
    return Counter(json.loads(line)["key"] for line in path.read_text().splitlines())


# -- the Python API ---------------------------------------------------------------------------


async def test_every_key_once_through_429s_5xx_and_dropped_connections() -> None:
    with MockServer(latency=0.002) as server:
        server.inject(
            Fault(match=GEN, status=429, retry_after="0.05", times=6),
            Fault(match=GEN, status=503, times=4),
            Fault(match=GEN, status=500, times=2),
            Fault(match=GEN, drop="before_response", times=3),
            Fault(match=GEN, drop="reset", times=2),
            Fault(match=GEN, drop="mid_body", times=2),
        )
        async with client_for(server) as client:
            results = await collect(
                batch.run(
                    items(300),
                    client=client,
                    model="gemini-2.5-flash-lite",
                    concurrency=16,
                    max_attempts=12,
                    initial_delay=0.01,
                )
            )
        sent = server.stats().requests
    assert Counter(r.key for r in results) == Counter(f"k{i}" for i in range(300))
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    # Every status fault costs a retry; a drop on a reused connection may instead be
    # re-sent once by the client itself (its stale-connection rule).
    assert sum(r.attempts - 1 for r in results) >= 12
    assert sent >= 300 + 19
    first = next(r for r in results if r.key == "k0")
    assert first.response is not None
    assert first.response["candidates"]
    assert first.prompt_tokens > 0
    assert first.output_tokens > 0
    assert first.latency_s > 0


async def test_a_429_with_retry_after_pauses_every_send(anyio_backend: Any) -> None:
    with MockServer() as server:
        server.inject(Fault(match=GEN, status=429, retry_after="0.5", times=1))
        async with client_for(server) as client:
            started = anyio.current_time()
            results = await collect(
                batch.run(
                    items(60),
                    client=client,
                    model="gemini-2.5-flash-lite",
                    concurrency=4,
                    initial_delay=0.01,
                )
            )
            elapsed = anyio.current_time() - started
        times = sorted(r.time for r in server.requests)
    assert all(r.ok for r in results)
    assert len(results) == 60
    assert elapsed >= 0.45
    t429 = times[0]
    # Requests already in flight when the 429 arrived land within a few ms; then nothing
    # reaches the server until the pause is over.
    quiet = [t - t429 for t in times if 0.05 < t - t429 < 0.45]
    assert quiet == []
    assert any(t - t429 >= 0.45 for t in times)


async def test_concurrency_bounds_requests_in_flight(anyio_backend: Any) -> None:
    with MockServer(latency=0.02) as server:
        async with client_for(server) as client:
            results = await collect(
                batch.run(items(40), client=client, model="gemini-2.5-flash-lite", concurrency=3)
            )
        assert len(results) == 40
        assert server.stats().peak_connections_open <= 3


async def test_bad_items_model_override_and_non_retryable_errors(anyio_backend: Any) -> None:
    requests: list[Any] = [
        {"key": "ok", "request": {"contents": [{"parts": [{"text": "hi"}]}]}},
        {"request": {"contents": []}},
        "not a dict",
        {"key": "other", "model": "gemini-2.5-pro", "request": {"contents": []}},
        {"key": "bad-model", "model": "a?b", "request": {"contents": []}},
    ]
    with MockServer() as server:
        async with client_for(server) as client:

            async def source() -> AsyncIterator[Any]:
                for obj in requests:
                    await anyio.lowlevel.checkpoint()
                    yield obj

            results = {
                r.key: r
                for r in await collect(
                    batch.run(source(), client=client, model="gemini-2.0-flash", concurrency=1)
                )
            }
            server.inject(
                Fault(match="gemini-2.5-flash-lite", status=400, message="bad thing", times=1)
            )
            refused = await collect(
                batch.run(
                    [{"key": "refused", "request": {}}],
                    client=client,
                    model="gemini-2.5-flash-lite",
                )
            )
        paths = [r.path for r in server.requests]
    assert results["ok"].ok
    assert results["other"].ok
    assert results["item:2"].error == {
        "code": 400,
        "status": "INVALID_ARGUMENT",
        "message": "missing or empty 'key' (a non-empty string)",
    }
    assert results["item:3"].error is not None
    assert results["item:3"].attempts == 0
    assert results["bad-model"].error is not None
    assert "a?b" in results["bad-model"].error["message"]
    assert "/v1beta/models/gemini-2.5-pro:generateContent" in paths
    assert "/v1beta/models/gemini-2.0-flash:generateContent" in paths
    assert refused[0].error == {"code": 400, "status": "INVALID_ARGUMENT", "message": "bad thing"}
    assert refused[0].attempts == 1


async def test_attempts_run_out_and_the_client_policy_does_not_retry_underneath() -> None:
    with MockServer() as server:
        server.inject(Fault(match=GEN, status=503, times=None))
        client = client_for(server, retry_options={"attempts": 4, "initial_delay": 0.01})
        async with client:
            results = await collect(
                batch.run(
                    items(2),
                    client=client,
                    model="gemini-2.5-flash-lite",
                    max_attempts=3,
                    initial_delay=0.01,
                )
            )
        assert [r.attempts for r in results] == [3, 3]
        assert all(r.error is not None and r.error["code"] == 503 for r in results)
        assert len(server.requests) == 6


async def test_reading_is_lazy_and_memory_bounded(anyio_backend: Any) -> None:
    pulled = 0

    def source() -> Iterator[dict[str, Any]]:
        nonlocal pulled
        for item in items(200):
            pulled += 1
            yield item

    seen = 0
    worst = 0
    with MockServer() as server:
        async with client_for(server) as client:
            async with aclosing(
                batch.run(source(), client=client, model="gemini-2.5-flash-lite", concurrency=4)
            ) as results:
                async for _ in results:
                    seen += 1
                    worst = max(worst, pulled - seen)
                    await anyio.sleep(0.001)  # a slow consumer
    assert seen == 200
    assert worst <= 3 * 4 + 1


async def test_stopping_early_cancels_the_rest(anyio_backend: Any) -> None:
    with MockServer(latency=0.01) as server:
        async with client_for(server) as client:
            got = []
            async with aclosing(
                batch.run(items(1000), client=client, model="gemini-2.5-flash-lite", concurrency=8)
            ) as results:
                async for r in results:
                    got.append(r)
                    if len(got) == 5:
                        break
            # the run's tasks are gone when it closes: none holds a connection any more
            assert client.pool_stats().in_flight == 0
            count = len(server.requests)
    assert count < 100


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_tpm_paces_tokens(anyio_backend: Any) -> None:
    # The mock counts a prompt's words as its tokens and echoes them: 24 + 25 tokens.
    request = {
        "contents": [{"parts": [{"text": " ".join(["word"] * 24)}]}],
        "generationConfig": {"maxOutputTokens": 30},
    }
    requests = [{"key": f"t{i}", "request": request} for i in range(16)]
    with MockServer() as server:
        async with client_for(server) as client:
            results = await collect(
                batch.run(
                    requests,
                    client=client,
                    model="gemini-2.5-flash-lite",
                    concurrency=8,
                    tpm=60_000,
                )
            )
        times = sorted(r.time for r in server.requests)
    per_request = results[0].prompt_tokens + results[0].output_tokens
    assert per_request == 49
    # 1,000 tokens/s: the first request goes at once, each later one waits for its tokens
    # (estimated as 119 chars / 4 + 30 = 59 before, settled at 49 after).
    ideal = per_request * (len(times) - 1) / 1000
    assert 0.95 * ideal <= times[-1] - times[0] <= 1.5 * ideal


async def test_gate_aimd_window() -> None:
    gate = Gate(64)
    seq = await gate.admit()
    gate.release()
    gate.on_throttle(seq)
    assert gate.limit == 32
    gate.on_throttle(seq)  # an answer to an attempt sent before the cut: no second cut
    assert gate.limit == 32
    later = await gate.admit()
    gate.release()
    gate.on_throttle(later)
    assert gate.limit == 16
    for _ in range(200):
        gate.on_success(0, 0)
    assert 16 < gate.limit < 64
    for _ in range(5000):
        gate.on_success(0, 0)
    assert gate.limit == 64


async def test_gate_pause_holds_admission() -> None:
    gate = Gate(4)
    gate.pause(0.2)
    started = anyio.current_time()
    await gate.admit()
    gate.release()
    assert anyio.current_time() - started >= 0.19


# -- files ------------------------------------------------------------------------------------


def test_run_file_resume_repairs_a_cut_off_last_line(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    output = tmp_path / "out.jsonl"
    keys = ["plain", 'with "quotes"', "back\\slash", "üñí ✓", "line:99", "x" * 300]
    write_lines(source, [{"key": k, "request": {"contents": "hi"}} for k in keys])
    done = [{"key": k, "response": {"candidates": []}} for k in keys[:3]]
    text = "".join(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n" for o in done)
    output.write_text(text + '{"key":"üñí ✓","respo', encoding="utf-8")
    with MockServer() as server:
        summary = batch.run_file(
            source,
            output,
            model="gemini-2.5-flash-lite",
            client=batch.ClientConfig(api_key="k", base_url=server.url),
            resume=True,
            stream=None,
        )
        assert len(server.requests) == 3
    assert keys_of(output) == Counter(keys)
    assert summary.skipped == 3
    assert summary.ok == 3
    assert summary.exit_code == 0


def test_scan_reads_keys_of_foreign_formatting(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    output.write_text(
        '{ "key": "spaced", "response": {} }\n'
        '{"error": {"code": 500}, "key": "error-first"}\n'
        "garbage line\n"
        "\n"
        '{"key":"e\\u0301","error":{"code":1}}\n'
    )
    index = KeyIndex()
    scan, good_end = scan_output(str(output), index)
    assert (scan.records, scan.errors, scan.unreadable, scan.truncated_bytes) == (3, 2, 1, 0)
    assert good_end == output.stat().st_size
    assert index.see("spaced", 1) == KeyIndex.DONE
    assert index.see("e\u0301", 2) == KeyIndex.DONE
    assert index.see("new", 3) == KeyIndex.NEW
    assert index.see("new", 4) == 3
    assert index.see("spaced", 5) == 1


@pytest.mark.parametrize("loop", ["asyncio", "trio"])
def test_run_file_on_each_loop(tmp_path: Path, loop: str) -> None:
    source = tmp_path / "in.jsonl"
    output = tmp_path / "out.jsonl"
    write_lines(source, list(items(50)))
    with MockServer() as server:
        summary = batch.run_file(
            source,
            output,
            model="gemini-2.5-flash-lite",
            client=batch.ClientConfig(api_key="k", base_url=server.url),
            loop=loop,
            stream=None,
        )
    assert summary.ok == 50
    assert summary.sent == 50
    assert keys_of(output) == Counter(f"k{i}" for i in range(50))


def test_run_file_refuses_a_non_empty_output(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    output = tmp_path / "out.jsonl"
    write_lines(source, list(items(3)))
    output.write_text("precious\n")
    with pytest.raises(batch.BatchStartError, match="--resume"):
        batch.run_file(
            source, output, model="gemini-2.5-flash-lite", client=batch.ClientConfig(api_key="k")
        )
    assert output.read_text() == "precious\n"
