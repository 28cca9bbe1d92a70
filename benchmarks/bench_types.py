"""Typing and conversion cost: genai_async vs google-genai, in-process, no network.

Measures CPU microseconds per operation (best of several timing runs, process
time, so other load on the machine barely matters):

* parse: a decoded generateContent body -> typed response with headers
  (small response, a response with safety ratings and usage details, one
  stream chunk); also with JSON decoding included;
* convert: ``contents`` + ``config`` -> the JSON body (string prompt, dict
  config, typed config, a tools + response_schema config).

google-genai's numbers use its own per-call steps (its parameter model,
converters, ``_from_response`` and ``HttpResponse``).

    python benchmarks/bench_types.py
    python benchmarks/bench_types.py --number 5000 --repeat 25
"""

from __future__ import annotations

import argparse
import copy
import json
import time
import timeit
from collections.abc import Callable
from typing import Any

import orjson
import pydantic

SMALL = {
    "candidates": [
        {
            "content": {"role": "model", "parts": [{"text": "2, 3, 5"}]},
            "finishReason": "STOP",
            "index": 0,
        }
    ],
    "usageMetadata": {"promptTokenCount": 9, "candidatesTokenCount": 5, "totalTokenCount": 14},
    "modelVersion": "gemini-2.5-flash-lite-001",
    "responseId": "r-7f3a",
}
RATED = {
    "candidates": [
        {
            "content": {
                "role": "model",
                "parts": [{"text": "Here is a longer answer with a few sentences. " * 4}],
            },
            "finishReason": "STOP",
            "index": 0,
            "safetyRatings": [
                {"category": c, "probability": "NEGLIGIBLE"}
                for c in (
                    "HARM_CATEGORY_HARASSMENT",
                    "HARM_CATEGORY_HATE_SPEECH",
                    "HARM_CATEGORY_SEXUALLY_EXPLICIT",
                    "HARM_CATEGORY_DANGEROUS_CONTENT",
                )
            ],
        }
    ],
    "usageMetadata": {
        "promptTokenCount": 9,
        "candidatesTokenCount": 40,
        "totalTokenCount": 120,
        "thoughtsTokenCount": 71,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 9}],
    },
    "modelVersion": "gemini-2.5-flash",
    "responseId": "r-7f3a",
}
CHUNK = {
    "candidates": [{"content": {"role": "model", "parts": [{"text": "2, "}]}, "index": 0}],
    "usageMetadata": {"promptTokenCount": 9, "candidatesTokenCount": 1, "totalTokenCount": 10},
    "modelVersion": "gemini-2.5-flash-lite-001",
    "responseId": "r-7f3a",
}
HEADERS = [
    ("Content-Type", "application/json; charset=UTF-8"),
    ("Vary", "Origin"),
    ("Vary", "X-Origin"),
    ("Vary", "Referer"),
    ("Date", "Mon, 01 Jan 2025 00:00:00 GMT"),
    ("Server", "scaffolding on HTTPServer2"),
    ("X-XSS-Protection", "0"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("X-Content-Type-Options", "nosniff"),
    ("Server-Timing", "gfet4t7; dur=512"),
    ("Alt-Svc", 'h3=":443"; ma=2592000,h3-29=":443"; ma=2592000'),
    ("Transfer-Encoding", "chunked"),
]
PROMPT = "Name three prime numbers."
DICT_CONFIG = {
    "system_instruction": "Answer tersely.",
    "temperature": 0.2,
    "max_output_tokens": 64,
    "safety_settings": [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"}],
    "thinking_config": {"thinking_budget": 0},
}


class Country(pydantic.BaseModel):
    name: str
    population: int


def tools_config(types: Any) -> Any:
    return types.GenerateContentConfig(
        tools=[
            types.Tool(
                function_declarations=[
                    types.FunctionDeclaration(
                        name="get_weather",
                        description="Weather in a city",
                        parameters=types.Schema(
                            type="OBJECT",
                            properties={"city": types.Schema(type="STRING")},
                            required=["city"],
                        ),
                    )
                ]
            )
        ],
        response_mime_type="application/json",
        response_schema=Country,
    )


def best(fn: Callable[[], Any], number: int, repeat: int) -> float:
    """Best CPU time per call (process time: robust to other load on the machine)."""
    fn()
    runs = timeit.repeat(fn, number=number, repeat=repeat, timer=time.process_time)
    return min(runs) / number * 1e6


def ours(number: int, repeat: int) -> dict[str, float]:
    from multidict import CIMultiDict, CIMultiDictProxy

    from genai_async import types
    from genai_async._wire.convert import generate_request, http_response, parse_generate
    from genai_async._wire.spec import Ctx

    headers = CIMultiDictProxy(CIMultiDict(HEADERS))
    ctx = Ctx(False)
    shared = http_response(headers)
    small_bytes, rated_bytes = orjson.dumps(SMALL), orjson.dumps(RATED)
    typed = types.GenerateContentConfig(**DICT_CONFIG)
    tools = tools_config(types)
    return {
        "parse small response": best(
            lambda: parse_generate(SMALL, http_response(headers)), number, repeat
        ),
        "parse rated response": best(
            lambda: parse_generate(RATED, http_response(headers)), number, repeat
        ),
        "parse stream chunk": best(lambda: parse_generate(CHUNK, shared), number, repeat),
        "decode+parse small": best(
            lambda: parse_generate(orjson.loads(small_bytes), http_response(headers)),
            number,
            repeat,
        ),
        "decode+parse rated": best(
            lambda: parse_generate(orjson.loads(rated_bytes), http_response(headers)),
            number,
            repeat,
        ),
        "convert str prompt": best(lambda: generate_request(PROMPT, None, ctx), number, repeat),
        "convert dict config": best(
            lambda: generate_request(PROMPT, DICT_CONFIG, ctx), number, repeat
        ),
        "convert typed config": best(lambda: generate_request(PROMPT, typed, ctx), number, repeat),
        "convert tools+schema": best(lambda: generate_request(PROMPT, tools, ctx), number, repeat),
        "encode body (orjson)": best(
            lambda: orjson.dumps(generate_request(PROMPT, DICT_CONFIG, ctx)[0]), number, repeat
        ),
    }


def theirs(number: int, repeat: int) -> dict[str, float]:
    import warnings

    from google import genai
    from google.genai import _common, models
    from google.genai import types as gtypes

    warnings.simplefilter("ignore")
    api = genai.Client(api_key="bench-key")._api_client
    headers = dict(HEADERS)
    small_text, rated_text = json.dumps(SMALL), json.dumps(RATED)

    def parse(data: dict[str, Any]) -> Any:
        converted = models._GenerateContentResponse_from_mldev(data)
        result = gtypes.GenerateContentResponse._from_response(response=converted, kwargs={})
        result.sdk_http_response = gtypes.HttpResponse(headers=headers)
        return result

    def convert(config: Any) -> Any:
        params = gtypes._GenerateContentParameters(
            model="gemini-2.5-flash-lite", contents=PROMPT, config=config
        )
        body = models._GenerateContentParameters_to_mldev(api, params)
        body.pop("_url", None)
        body = _common.convert_to_dict(body)
        return _common.encode_unserializable_types(body)

    typed = gtypes.GenerateContentConfig(**DICT_CONFIG)
    tools = tools_config(gtypes)
    return {
        "parse small response": best(lambda: parse(copy.deepcopy(SMALL)), number, repeat),
        "parse rated response": best(lambda: parse(copy.deepcopy(RATED)), number, repeat),
        "parse stream chunk": best(lambda: parse(copy.deepcopy(CHUNK)), number, repeat),
        "decode+parse small": best(lambda: parse(json.loads(small_text)), number, repeat),
        "decode+parse rated": best(lambda: parse(json.loads(rated_text)), number, repeat),
        "convert str prompt": best(lambda: convert(None), number, repeat),
        "convert dict config": best(lambda: convert(DICT_CONFIG), number, repeat),
        "convert typed config": best(lambda: convert(typed), number, repeat),
        "convert tools+schema": best(lambda: convert(tools), number, repeat),
        "encode body (orjson)": best(
            lambda: json.dumps(convert(DICT_CONFIG)).encode(), number, repeat
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--number", type=int, default=2000, help="calls per timing run")
    parser.add_argument("--repeat", type=int, default=15, help="timing runs (best is kept)")
    args = parser.parse_args()
    a = ours(args.number, args.repeat)
    b = theirs(max(args.number // 10, 100), args.repeat)
    print(f"{'operation':<24} {'genai_async µs':>15} {'google-genai µs':>16} {'speed-up':>9}")
    for name in a:
        print(f"{name:<24} {a[name]:>15.2f} {b[name]:>16.2f} {b[name] / a[name]:>8.1f}x")
    print("\n(google-genai 'encode body' is json.dumps; its 'parse' copies the dict first,")
    print(" since its converter mutates it - the copy costs ~3-5 µs of its numbers.)")


if __name__ == "__main__":
    main()
