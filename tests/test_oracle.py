"""genai_async against google-genai: the same calls, the same server, the same meaning.

Both libraries send each call of a corpus to the embedded server; the
recorded requests are compared. The only differences allowed are the
documented departures: compact JSON; camelCase keys everywhere (google-genai
emits some nested snake_case keys, so both bodies are compared with keys
camelCased); standard instead of URL-safe base64 (compared decoded); no empty
``generationConfig``; ``Accept`` and the library label headers. The typed
responses of both are compared too. google-genai runs on asyncio only.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import re
from collections.abc import AsyncIterator
from typing import Any

import pydantic
import pytest
from google import genai as google_genai
from google.genai import types as gtypes

import genai_async
from genai_async.testing import MockServer

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),  # google-genai's aiohttp subclass
]

DIFFERENT_HEADERS = {"user-agent", "x-goog-api-client", "accept", "content-length", "host"}
BYTES_KEYS = {"data", "thoughtSignature", "continuationToken"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Creds:
    def __init__(self) -> None:
        self.token = "tok"
        self.valid = True
        self.expired = False
        self.expiry = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=1)
        self.quota_project_id = None

    def refresh(self, request: Any) -> None:  # never needed: the token is valid
        raise AssertionError("unexpected refresh")


def camel(key: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), key)


def normalise(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        out = {camel(k): normalise(v, camel(k)) for k, v in value.items()}
        if out.get("generationConfig") == {}:
            del out["generationConfig"]
        return out
    if isinstance(value, list):
        return [normalise(v, key) for v in value]
    if key in BYTES_KEYS and isinstance(value, str):
        return base64.urlsafe_b64decode(value.replace("+", "-").replace("/", "_") + "==")
    return value


@pytest.fixture
async def pair(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Any, Any, MockServer]]:
    vertexai = getattr(request, "param", "gemini") == "vertex"
    with MockServer(models=5) as server:
        if vertexai:
            theirs = google_genai.Client(
                vertexai=True,
                project="p",
                location="us-central1",
                credentials=Creds(),  # type: ignore[arg-type]
                http_options={"base_url": server.url},
            )
            ours = genai_async.AsyncClient(
                vertexai=True,
                project="p",
                location="us-central1",
                credentials=Creds(),
                http_options={"base_url": server.url},
            )
        else:
            theirs = google_genai.Client(
                api_key="k", http_options={"base_url": server.url, "api_version": "v1beta"}
            )
            ours = genai_async.AsyncClient(api_key="k", http_options={"base_url": server.url})
        async with ours:
            yield theirs.aio.models, ours.models, server
        await theirs.aio.aclose()


def assert_same_request(server: MockServer, pair: tuple[Any, Any] | None = None) -> None:
    theirs, ours = pair if pair is not None else server.requests[-2:]
    assert (ours.method, ours.path) == (theirs.method, theirs.path)
    assert ours.query_params() == theirs.query_params()
    their_headers = {k.lower(): v for k, v in theirs.headers if k.lower() not in DIFFERENT_HEADERS}
    our_headers = {k.lower(): v for k, v in ours.headers if k.lower() not in DIFFERENT_HEADERS}
    assert our_headers == their_headers
    assert b'": ' not in ours.body  # compact JSON
    assert b'", "' not in ours.body
    their_body = normalise(theirs.json()) if theirs.body else None
    our_body = normalise(ours.json()) if ours.body else None
    assert our_body == their_body


# -- the corpus ------------------------------------------------------------------------------


class Country(pydantic.BaseModel):
    name: str
    population: int
    capital: str | None = None


class Mood(enum.Enum):
    HAPPY = "happy"
    SAD = "sad"


WEATHER = gtypes.FunctionDeclaration(
    name="get_weather",
    description="Weather in a city",
    parameters=gtypes.Schema(
        type="OBJECT",
        properties={"city_name": gtypes.Schema(type="STRING"), "days": gtypes.Schema(type="INTEGER")},
        required=["city_name"],
    ),
)  # fmt: skip
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))

GEMINI_CASES: dict[str, tuple[Any, Any]] = {
    "string": ("hi", None),
    "list-of-strings": (["a", "b"], {"temperature": 0.5}),
    "sampling": (
        "x",
        {
            "temperature": 0.5, "top_p": 0.9, "top_k": 3, "candidate_count": 2,
            "max_output_tokens": 10, "stop_sequences": ["END"], "seed": 1,
            "presence_penalty": 0.1, "frequency_penalty": 0.2, "response_logprobs": True,
            "logprobs": 2, "response_mime_type": "text/plain",
        },
    ),
    "history": (
        [
            {"role": "user", "parts": [{"text": "weather in Paris?"}]},
            {"role": "model", "parts": [{"function_call": {"name": "get_weather", "args": {"city_name": "Paris"}}}]},
            {"role": "user", "parts": [{"function_response": {"name": "get_weather", "response": {"temp_c": 21}}}]},
        ],
        {"tools": [gtypes.Tool(function_declarations=[WEATHER])]},
    ),
    "media-parts": (
        [
            gtypes.Part.from_bytes(data=PNG, mime_type="image/png"),
            gtypes.Part.from_uri(file_uri="gs://bucket/doc.pdf", mime_type="application/pdf"),
            "What is in these?",
        ],
        None,
    ),
    "part-objects-and-model-parts": (
        [
            gtypes.Part(text="q"),
            gtypes.Part.from_function_call(name="f", args={"a": [1, {"b_c": None}]}),
            gtypes.Part.from_function_response(name="f", response={"ok": True}),
        ],
        None,
    ),
    "system-instruction-str": ("x", {"system_instruction": "Be terse."}),
    "system-instruction-part": ("x", {"system_instruction": gtypes.Part(text="p")}),
    "system-instruction-content": (
        "x",
        {"system_instruction": gtypes.Content(role="system", parts=[gtypes.Part(text="c")])},
    ),
    "system-instruction-list": ("x", {"system_instruction": ["one", "two"]}),
    "safety": (
        "x",
        {
            "safety_settings": [
                gtypes.SafetySetting(category="HARM_CATEGORY_HARASSMENT", threshold="BLOCK_ONLY_HIGH"),
                {"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_NONE"},
            ]
        },
    ),
    "tools": (
        "x",
        {
            "tools": [
                gtypes.Tool(google_search=gtypes.GoogleSearch()),
                gtypes.Tool(code_execution=gtypes.ToolCodeExecution()),
                {"function_declarations": [{"name": "a", "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}]},
                gtypes.Tool(url_context=gtypes.UrlContext(), function_declarations=[WEATHER]),
                gtypes.Tool(google_search_retrieval=gtypes.GoogleSearchRetrieval(
                    dynamic_retrieval_config=gtypes.DynamicRetrievalConfig(mode="MODE_DYNAMIC", dynamic_threshold=0.5))),
            ],
            "tool_config": gtypes.ToolConfig(
                function_calling_config=gtypes.FunctionCallingConfig(mode="ANY", allowed_function_names=["a"])
            ),
        },
    ),
    "thinking-speech-image": (
        "x",
        {
            "thinking_config": gtypes.ThinkingConfig(thinking_budget=1024, include_thoughts=True),
            "speech_config": "Kore",
            "image_config": gtypes.ImageConfig(aspect_ratio="16:9"),
            "response_modalities": ["TEXT", "AUDIO"],
            "media_resolution": "MEDIA_RESOLUTION_LOW",
        },
    ),
    "speech-object": (
        "x",
        {
            "speech_config": gtypes.SpeechConfig(
                voice_config=gtypes.VoiceConfig(prebuilt_voice_config=gtypes.PrebuiltVoiceConfig(voice_name="Puck")),
                language_code="en-US",
            )
        },
    ),
    "top-level-misc": (
        "x",
        {"labels": {"team_x": "y"}, "cached_content": "c1", "service_tier": "flex", "store": False},
    ),
    "schema-model": ("x", {"response_mime_type": "application/json", "response_schema": Country}),
    "schema-list": ("x", {"response_mime_type": "application/json", "response_schema": list[Country]}),
    "schema-enum": ("x", {"response_mime_type": "text/x.enum", "response_schema": Mood}),
    "schema-dict": (
        "x",
        {"response_mime_type": "application/json",
         "response_schema": {"type": "object", "properties": {"a_b": {"type": "string"}, "c": {"type": "integer"}}}},
    ),
    "json-schema": (
        "x",
        {"response_mime_type": "application/json",
         "response_json_schema": {"type": "object", "properties": {"a_b": {"type": "string"}}, "additionalProperties": False}},
    ),
    "typed-config": (
        gtypes.Content(role="user", parts=[gtypes.Part(text="typed")]),
        gtypes.GenerateContentConfig(
            system_instruction="s", temperature=0.1, max_output_tokens=5,
            safety_settings=[gtypes.SafetySetting(category="HARM_CATEGORY_DANGEROUS_CONTENT", threshold="OFF")],
            thinking_config=gtypes.ThinkingConfig(thinking_budget=0),
            http_options=gtypes.HttpOptions(headers={"x-extra": "1"}),
            automatic_function_calling=gtypes.AutomaticFunctionCallingConfig(disable=True),
        ),
    ),
}  # fmt: skip

VERTEX_CASES: dict[str, tuple[Any, Any]] = {
    "string": ("hi", None),
    "vertex-only": (
        "x",
        {
            "routing_config": {"auto_mode": {"model_routing_preference": "BALANCED"}},
            "audio_timestamp": True,
            "safety_settings": [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE", "method": "SEVERITY"}],
            "image_config": {"aspect_ratio": "1:1", "output_mime_type": "image/jpeg"},
            "labels": {"k": "v"},
            "cached_content": "c1",
            "model_armor_config": {"prompt_template_name": "t"},
        },
    ),
    "model-selection": ("x", {"model_selection_config": {"feature_selection_preference": "PRIORITIZE_COST"}}),
    "retrieval-tool": (
        "x",
        {"tools": [gtypes.Tool(retrieval=gtypes.Retrieval(vertex_ai_search=gtypes.VertexAISearch(datastore="projects/p/locations/l/collections/c/dataStores/d")))]},
    ),
    "schema-model": ("x", {"response_mime_type": "application/json", "response_schema": Country}),
    "tools": ("x", {"tools": [gtypes.Tool(function_declarations=[WEATHER]), gtypes.Tool(google_search=gtypes.GoogleSearch())]}),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(GEMINI_CASES))
@pytest.mark.parametrize("pair", ["gemini"], indirect=True)
async def test_generate_content_gemini_matches(case: str, pair: Any) -> None:
    theirs, ours, server = pair
    contents, config = GEMINI_CASES[case]
    their_response = await theirs.generate_content(
        model="gemini-2.5-flash-lite", contents=contents, config=config
    )
    our_response = await ours.generate_content(
        model="gemini-2.5-flash-lite", contents=contents, config=config
    )
    assert_same_request(server)
    assert our_response.text == their_response.text
    assert our_response.candidates[0].finish_reason == their_response.candidates[0].finish_reason
    assert (
        our_response.usage_metadata.total_token_count
        == their_response.usage_metadata.total_token_count
    )
    assert our_response.model_version == their_response.model_version
    assert our_response.parsed == their_response.parsed


@pytest.mark.parametrize("case", sorted(VERTEX_CASES))
@pytest.mark.parametrize("pair", ["vertex"], indirect=True)
async def test_generate_content_vertex_matches(case: str, pair: Any) -> None:
    theirs, ours, server = pair
    contents, config = VERTEX_CASES[case]
    await theirs.generate_content(model="gemini-2.5-flash-lite", contents=contents, config=config)
    await ours.generate_content(model="gemini-2.5-flash-lite", contents=contents, config=config)
    assert_same_request(server)


@pytest.mark.parametrize("pair", ["gemini", "vertex"], indirect=True)
async def test_stream_matches(pair: Any) -> None:
    theirs, ours, server = pair
    their_chunks = [
        c
        async for c in await theirs.generate_content_stream(
            model="gemini-2.5-flash-lite", contents="a b c d"
        )
    ]
    our_chunks = [
        c
        async for c in await ours.generate_content_stream(
            model="gemini-2.5-flash-lite", contents="a b c d"
        )
    ]
    assert_same_request(server)
    assert [c.text for c in our_chunks] == [c.text for c in their_chunks]
    assert [c.usage_metadata.total_token_count for c in our_chunks] == [
        c.usage_metadata.total_token_count for c in their_chunks
    ]


@pytest.mark.parametrize("pair", ["gemini", "vertex"], indirect=True)
async def test_count_tokens_matches(pair: Any) -> None:
    theirs, ours, server = pair
    config = None
    if theirs._api_client.vertexai:
        config = gtypes.CountTokensConfig(
            system_instruction="s",
            tools=[gtypes.Tool(function_declarations=[WEATHER])],
            generation_config=gtypes.GenerationConfig(temperature=0.1, stop_sequences=["x"]),
        )
    their_result = await theirs.count_tokens(
        model="gemini-2.5-flash-lite", contents=["one", "two"], config=config
    )
    our_result = await ours.count_tokens(
        model="gemini-2.5-flash-lite", contents=["one", "two"], config=config
    )
    assert_same_request(server)
    assert our_result.total_tokens == their_result.total_tokens


EMBED_CASES = [
    ("gemini", "text-embedding-004", ["alpha", "beta"], {"task_type": "RETRIEVAL_DOCUMENT", "title": "t", "output_dimensionality": 6}),
    ("gemini", "gemini-embedding-001", "alpha", None),
    ("vertex", "text-embedding-004", ["alpha", "beta"], {"task_type": "RETRIEVAL_QUERY", "output_dimensionality": 4, "auto_truncate": True}),
    ("vertex", "gemini-embedding-001", "alpha", {"output_dimensionality": 4, "task_type": "CLUSTERING"}),
    ("vertex", "gemini-embedding-001", ["alpha", "beta"], {"output_dimensionality": 4, "task_type": "CLUSTERING"}),
    ("vertex", "gemini-embedding-001", "alpha", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("pair", "model", "contents", "config"),
    EMBED_CASES,
    indirect=["pair"],
    ids=lambda v: str(v)[:20],
)
async def test_embed_content_matches(pair: Any, model: str, contents: Any, config: Any) -> None:
    theirs, ours, server = pair
    their_result = await theirs.embed_content(model=model, contents=contents, config=config)
    our_result = await ours.embed_content(model=model, contents=contents, config=config)
    assert_same_request(server)
    assert [e.values for e in our_result.embeddings] == [e.values for e in their_result.embeddings]
    their_stats = [e.statistics and e.statistics.token_count for e in their_result.embeddings]
    assert [e.statistics and e.statistics.token_count for e in our_result.embeddings] == their_stats


@pytest.mark.parametrize("pair", ["gemini", "vertex"], indirect=True)
async def test_models_get_and_list_match(pair: Any) -> None:
    theirs, ours, server = pair
    their_model = await theirs.get(model="gemini-2.5-flash")
    our_model = await ours.get(model="gemini-2.5-flash")
    assert_same_request(server)
    for field in ("name", "display_name", "version", "input_token_limit", "supported_actions"):
        assert getattr(our_model, field) == getattr(their_model, field)
    for query_base in (True, False):
        config = {"page_size": 2, "query_base": query_base}
        server.clear()
        their_names = [m.name async for m in await theirs.list(config=config)]
        our_names = [m.name async for m in await ours.list(config=config)]
        assert our_names == their_names
        requests = server.requests
        assert len(requests) == 6  # 5 models, 2 per page, for each library
        for theirs_req, ours_req in zip(requests[:3], requests[3:], strict=True):
            assert_same_request(server, (theirs_req, ours_req))


@pytest.mark.parametrize("pair", ["vertex"], indirect=True)
async def test_vertex_gemini_embedding_methods(pair: Any) -> None:
    """google-genai 3.6.1: one content -> :embedContent, several -> :batchEmbedContents."""
    theirs, ours, server = pair
    for contents, method in (("x", ":embedContent"), (["x", "y"], ":batchEmbedContents")):
        await theirs.embed_content(model="gemini-embedding-001", contents=contents)
        await ours.embed_content(model="gemini-embedding-001", contents=contents)
        assert server.requests[-2].path.endswith(method)
        assert server.requests[-1].path.endswith(method)


@pytest.mark.parametrize("pair", ["vertex"], indirect=True)
async def test_compute_tokens_matches(pair: Any) -> None:
    theirs, ours, server = pair
    contents = [
        "two words",
        gtypes.Content(role="model", parts=[gtypes.Part(text="and three more")]),
    ]
    our_contents = ["two words", {"role": "model", "parts": [{"text": "and three more"}]}]
    their_response = await theirs.compute_tokens(model="gemini-2.5-flash-lite", contents=contents)
    our_response = await ours.compute_tokens(model="gemini-2.5-flash-lite", contents=our_contents)
    assert_same_request(server)
    ours_info = [i.model_dump(exclude_none=True) for i in our_response.tokens_info]
    theirs_info = [i.model_dump(exclude_none=True) for i in their_response.tokens_info]
    assert ours_info == theirs_info
    assert our_response.tokens_info[0].tokens == [b"two", b"words"]


async def test_compute_tokens_is_vertex_only(pair: Any) -> None:
    _, ours, server = pair
    with pytest.raises(ValueError, match="only supported on Vertex AI"):
        await ours.compute_tokens(model="gemini-2.5-flash-lite", contents="x")
    assert server.requests == []


@pytest.mark.parametrize("pair", ["gemini", "vertex"], indirect=True)
async def test_update_and_delete_match(pair: Any) -> None:
    theirs, ours, server = pair
    model = (
        "projects/p/locations/us-central1/models/123"
        if theirs._api_client.vertexai
        else "tunedModels/t"
    )
    config = {"display_name": "new name", "description": "d", "default_checkpoint_id": "2"}
    their_model = await theirs.update(model=model, config=config)
    our_model = await ours.update(model=model, config=types_update(config))
    assert_same_request(server)
    assert our_model.display_name == their_model.display_name == "new name"
    assert our_model.name == their_model.name
    their_deleted = await theirs.delete(model=model)
    our_deleted = await ours.delete(model=model)
    assert_same_request(server)
    assert server.requests[-1].method == "DELETE"
    assert type(our_deleted).__name__ == type(their_deleted).__name__ == "DeleteModelResponse"
    assert our_deleted.sdk_http_response.headers["content-length"] == "2"


def types_update(config: dict[str, Any]) -> Any:
    return genai_async.types.UpdateModelConfig(**config)
