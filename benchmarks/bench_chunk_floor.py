"""The floor of a typed stream chunk: what turning one event's JSON text into a
``GenerateContentResponse`` costs, by route, in-process, no network.

Routes: orjson alone (what a raw-JSON consumer pays); pydantic-core's one-pass
``validate_json`` (what ``generate_content_stream`` does); orjson then
``validate_python``; ``validate_json`` on the same schema with the ``read_foreign``
before-validators removed (what those Python calls cost). Each model route
builds an equal model (checked first).

    python benchmarks/bench_chunk_floor.py
    python benchmarks/bench_chunk_floor.py --number 20000 --rounds 9
"""

from __future__ import annotations

import argparse
import statistics
import time
import timeit
from collections.abc import Callable
from typing import Any

import orjson
from pydantic_core import SchemaValidator

from genai_async._types.base import read_foreign
from genai_async._types.response import GenerateContentResponse

CHUNK = (
    b'{"candidates":[{"content":{"role":"model","parts":[{"text":"ho:"}]},"index":0}],'
    b'"usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":1,"totalTokenCount":2},'
    b'"modelVersion":"gemini-2.5-flash-001","responseId":"mock-00000001"}'
)


def _without_read_foreign(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("type") == "function-before" and node["function"]["function"] is read_foreign:
            return _without_read_foreign(node["schema"])
        return {key: _without_read_foreign(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_without_read_foreign(value) for value in node]
    return node


def routes() -> dict[str, Callable[[], Any]]:
    validator = GenerateContentResponse.__pydantic_validator__
    stripped = SchemaValidator(
        _without_read_foreign(GenerateContentResponse.__pydantic_core_schema__)
    )
    loads = orjson.loads
    found: dict[str, Callable[[], Any]] = {
        "orjson.loads (no model)": lambda: loads(CHUNK),
        "validate_json (the library's route)": lambda: validator.validate_json(CHUNK),
        "orjson.loads + validate_python": lambda: validator.validate_python(loads(CHUNK)),
        "validate_json, read_foreign removed": lambda: stripped.validate_json(CHUNK),
    }
    expected = validator.validate_json(CHUNK)
    for name, route in found.items():
        if name.startswith("orjson.loads (") or route() == expected:
            continue
        raise SystemExit(f"{name} built a different model")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    found = routes()
    times: dict[str, list[float]] = {name: [] for name in found}
    for _ in range(args.rounds):  # interleaved, so drift hits every route alike
        for name, route in found.items():
            seconds = timeit.timeit(route, number=args.number, timer=time.process_time)
            times[name].append(seconds / args.number * 1e6)
    base = statistics.median(times["orjson.loads (no model)"])
    print(
        f"One stream chunk ({len(CHUNK)} bytes), CPU µs per chunk, medians of {args.rounds} rounds"
    )
    print()
    print("| route | median µs | min µs | × orjson |")
    print("|---|---:|---:|---:|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.2f} | {min(values):.2f} | {median / base:.1f}× |")


if __name__ == "__main__":
    main()
