"""The public types: response typing and its conveniences, request-model strictness.

No network: responses are validated from dicts shaped like the API's bodies.
"""

from __future__ import annotations

import base64
import enum
import pickle
from typing import Any, Literal

import pydantic
import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from genai_async import types
from genai_async._wire.convert import (
    http_response,
    parse_count_tokens,
    parse_embed,
    parse_generate,
    parse_list,
    parse_model,
)
from genai_async._wire.schema import parse_structured

pytestmark = pytest.mark.anyio

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


def response(**candidate: Any) -> types.GenerateContentResponse:
    return parse_generate({"candidates": [candidate]}, None)


# -- typed responses -------------------------------------------------------------------------


def test_small_response_is_typed() -> None:
    r = parse_generate(SMALL, None)
    assert r.text == "2, 3, 5"
    cand = r.candidates[0]  # type: ignore[index]
    assert cand.finish_reason is types.FinishReason.STOP
    assert cand.finish_reason == "STOP"
    assert cand.index == 0
    assert r.usage_metadata is not None
    assert r.usage_metadata.total_token_count == 14
    assert r.model_version == "gemini-2.5-flash-lite-001"
    assert r.response_id == "r-7f3a"
    assert isinstance(cand.content, types.Content)
    assert isinstance(cand.content.parts[0], types.Part)  # type: ignore[index]
    assert repr(cand.content).startswith("Content(")
    assert r.sdk_http_response is None


def test_unknown_fields_are_kept_at_every_level() -> None:
    data = {
        "candidates": [
            {
                "content": {
                    "role": "model",
                    "parts": [
                        {"text": "x", "newPartField": {"a": 1}},
                        {"inlineData": {"mimeType": "image/png", "data": "AAEC", "newBlob": 2}},
                    ],
                    "newContentField": True,
                },
                "newCandidateField": [1, 2],
            }
        ],
        "usageMetadata": {"totalTokenCount": 3, "newUsageField": "u"},
        "brandNewTopLevel": {"nested_key": 5},
    }
    r = parse_generate(data, None)
    assert r.model_extra == {"brandNewTopLevel": {"nested_key": 5}}
    assert r.brandNewTopLevel == {"nested_key": 5}  # type: ignore[attr-defined]
    cand = r.candidates[0]  # type: ignore[index]
    assert cand.model_extra == {"newCandidateField": [1, 2]}
    assert cand.content.model_extra == {"newContentField": True}  # type: ignore[union-attr]
    part0, part1 = cand.content.parts  # type: ignore[union-attr,misc]
    assert part0.model_extra == {"newPartField": {"a": 1}}
    assert part1.inline_data is not None
    assert part1.inline_data.data == b"\x00\x01\x02"
    assert part1.inline_data.model_extra == {"newBlob": 2}
    assert r.usage_metadata.model_extra == {"newUsageField": "u"}  # type: ignore[union-attr]
    raw = r.raw
    assert raw["brandNewTopLevel"] == {"nested_key": 5}
    assert raw["candidates"][0]["newCandidateField"] == [1, 2]
    assert raw["candidates"][0]["content"]["parts"][0]["newPartField"] == {"a": 1}
    assert raw["usageMetadata"] == {"totalTokenCount": 3, "newUsageField": "u"}


def test_int64_counts_as_strings_and_snake_case_input() -> None:
    r = parse_generate(
        {"usageMetadata": {"promptTokenCount": "9", "total_token_count": "9007199254740993"}},
        None,
    )
    assert r.usage_metadata.prompt_token_count == 9  # type: ignore[union-attr]
    assert r.usage_metadata.total_token_count == 9007199254740993  # type: ignore[union-attr]
    assert parse_count_tokens({"totalTokens": "12"}, None).total_tokens == 12


def test_bytes_fields_accept_both_base64_alphabets() -> None:
    blob = bytes(range(250, 256)) + b"\xfb\xff"
    std = base64.b64encode(blob).decode()
    url = base64.urlsafe_b64encode(blob).decode().rstrip("=")
    r = response(
        content={
            "parts": [
                {"inlineData": {"data": std, "mimeType": "a/b"}},
                {"inlineData": {"data": url, "mimeType": "a/b"}, "thoughtSignature": url},
            ]
        }
    )
    parts = r.parts
    assert parts is not None
    assert parts[0].inline_data.data == blob  # type: ignore[union-attr]
    assert parts[1].inline_data.data == blob  # type: ignore[union-attr]
    assert parts[1].thought_signature == blob


def test_text_joins_text_parts_and_skips_thoughts() -> None:
    r = response(
        content={
            "parts": [
                {"text": "thinking...", "thought": True},
                {"text": "Hello, "},
                {"functionCall": {"name": "f", "args": {}}},
                {"text": "world"},
            ]
        }
    )
    assert r.text == "Hello, world"
    assert response(content={"parts": [{"text": ""}]}).text == ""
    assert response(content={"parts": [{"functionCall": {"name": "f"}}]}).text is None
    assert response(content={"parts": [{"text": "t", "thought": True}]}).text is None
    assert parse_generate({}, None).text is None
    assert response(finishReason="SAFETY").text is None


def test_function_calls_code_and_results() -> None:
    r = response(
        content={
            "role": "model",
            "parts": [
                {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}, "id": "c1"}},
                {"functionCall": {"name": "get_time", "args": {}}},
                {"executableCode": {"language": "PYTHON", "code": "print(1)"}},
                {"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": "1\n"}},
            ],
        }
    )
    calls = r.function_calls
    assert calls is not None
    assert [c.name for c in calls] == ["get_weather", "get_time"]
    assert calls[0].args == {"city": "Paris"}
    assert isinstance(calls[0], types.FunctionCall)
    assert r.executable_code == "print(1)"
    assert r.code_execution_result == "1\n"
    assert response(content={"parts": [{"text": "x"}]}).function_calls is None


def test_citations_safety_grounding_and_feedback() -> None:
    r = parse_generate(
        {
            "candidates": [
                {
                    "content": {"parts": [{"text": "x"}]},
                    "citationMetadata": {
                        "citationSources": [{"uri": "https://a", "startIndex": 1}]
                    },
                    "safetyRatings": [
                        {"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"}
                    ],
                    "groundingMetadata": {
                        "webSearchQueries": ["q"],
                        "groundingChunks": [{"web": {"uri": "u"}}],
                    },
                    "finishReason": "A_REASON_FROM_THE_FUTURE",
                }
            ],
            "promptFeedback": {"blockReason": "SAFETY"},
        },
        None,
    )
    cand = r.candidates[0]  # type: ignore[index]
    assert cand.citation_metadata.citations[0].uri == "https://a"  # type: ignore[union-attr,index]
    assert cand.citation_metadata.citations[0].start_index == 1  # type: ignore[union-attr,index]
    assert cand.safety_ratings[0].category is types.HarmCategory.HARM_CATEGORY_HARASSMENT  # type: ignore[index]
    assert cand.grounding_metadata.web_search_queries == ["q"]  # type: ignore[union-attr]
    assert cand.grounding_metadata.grounding_chunks == [{"web": {"uri": "u"}}]  # type: ignore[union-attr]
    assert cand.finish_reason == "A_REASON_FROM_THE_FUTURE"
    assert cand.finish_reason is not None
    assert cand.finish_reason.name == "A_REASON_FROM_THE_FUTURE"
    assert isinstance(cand.finish_reason, types.FinishReason)
    assert r.prompt_feedback.block_reason is types.BlockedReason.SAFETY  # type: ignore[union-attr]


def test_vertex_create_time_is_a_datetime() -> None:
    r = parse_generate({"createTime": "2025-01-02T03:04:05.123456Z"}, None)
    assert r.create_time is not None
    assert (r.create_time.year, r.create_time.microsecond) == (2025, 123456)


def test_enums_match_any_case() -> None:
    assert types.HarmCategory("harm_category_harassment") is (
        types.HarmCategory.HARM_CATEGORY_HARASSMENT
    )
    assert types.ServiceTier("FLEX") is types.ServiceTier.FLEX
    assert types.Type("object") is types.Type.OBJECT
    assert types.FinishReason("NEW_ONE") is types.FinishReason("NEW_ONE")


# -- headers ---------------------------------------------------------------------------------


def test_sdk_http_response_headers_are_lazy_flat_and_picklable() -> None:
    raw = CIMultiDictProxy(CIMultiDict([("Content-Type", "a/b"), ("Vary", "x"), ("vary", "y")]))
    r = parse_generate(SMALL, http_response(raw))
    assert r.sdk_http_response is not None
    assert r.sdk_http_response.headers == {"content-type": "a/b", "vary": "x, y"}
    clone = pickle.loads(pickle.dumps(parse_generate(SMALL, http_response(raw))))
    assert clone.sdk_http_response.headers == {"content-type": "a/b", "vary": "x, y"}
    assert clone == r
    dumped = r.model_dump()
    assert dumped["sdk_http_response"]["headers"]["vary"] == "x, y"
    assert "sdkHttpResponse" not in r.raw
    built = types.HttpResponse(headers={"a": "b"}, body="{}")
    assert built.headers == {"a": "b"}
    assert types.HttpResponse.model_validate({"headers": {"c": "d"}}).headers == {"c": "d"}


# -- other responses -------------------------------------------------------------------------


def test_embedding_responses_of_every_endpoint_normalise() -> None:
    batch = parse_embed({"embeddings": [{"values": [1, 2]}, {"values": [3.5]}]}, None)
    assert [e.values for e in batch.embeddings] == [[1.0, 2.0], [3.5]]  # type: ignore[union-attr]

    predict = parse_embed(
        {
            "predictions": [
                {
                    "embeddings": {
                        "values": [0.1],
                        "statistics": {"token_count": 2, "truncated": False},
                    }
                }
            ],
            "metadata": {"billableCharacterCount": 5},
        },
        None,
    )
    emb = predict.embeddings[0]  # type: ignore[index]
    assert emb.values == [0.1]
    assert emb.statistics.token_count == 2  # type: ignore[union-attr]
    assert emb.statistics.truncated is False  # type: ignore[union-attr]
    assert predict.metadata.billable_character_count == 5  # type: ignore[union-attr]

    single = parse_embed(
        {
            "embedding": {"values": [0.5]},
            "usageMetadata": {"promptTokenCount": 3},
            "truncated": True,
        },
        None,
    )
    emb = single.embeddings[0]  # type: ignore[index]
    assert emb.values == [0.5]
    assert emb.statistics.token_count == 3  # type: ignore[union-attr]
    assert emb.statistics.truncated is True  # type: ignore[union-attr]
    assert single.truncated is True

    bare = parse_embed({"embedding": {"values": [0.25]}}, None)
    assert bare.embeddings[0].values == [0.25]  # type: ignore[index]
    assert bare.embeddings[0].statistics is None  # type: ignore[index]


def test_model_metadata_of_both_backends() -> None:
    gemini = parse_model(
        {
            "name": "models/gemini-2.5-flash-lite",
            "displayName": "Gemini X",
            "inputTokenLimit": "1048576",
            "supportedGenerationMethods": ["generateContent"],
            "topK": 64,
            "thinking": True,
            "someNewField": 1,
        }
    )
    assert gemini.supported_actions == ["generateContent"]
    assert gemini.input_token_limit == 1048576
    assert gemini.someNewField == 1  # type: ignore[attr-defined]
    assert gemini.tuned_model_info is None

    vertex = parse_model(
        {
            "name": "projects/p/locations/l/models/1",
            "versionId": "3",
            "labels": {"google-vertex-llm-tuning-base-model-id": "gemini-base"},
            "createTime": "2025-01-01T00:00:00Z",
            "deployedModels": [
                {"endpoint": "projects/p/locations/l/endpoints/9", "deployedModelId": "9"}
            ],
            "checkpoints": [{"checkpointId": "1", "epoch": "2", "step": "10"}],
        }
    )
    assert vertex.version == "3"
    assert vertex.endpoints[0].name.endswith("/endpoints/9")  # type: ignore[index,union-attr]
    assert vertex.endpoints[0].deployed_model_id == "9"  # type: ignore[index]
    assert vertex.tuned_model_info.base_model == "gemini-base"  # type: ignore[union-attr]
    assert vertex.checkpoints[0].epoch == 2  # type: ignore[index]

    page = parse_list({"publisherModels": [{"name": "publishers/google/models/a"}]}, None)
    assert [m.name for m in page.models] == ["publishers/google/models/a"]  # type: ignore[union-attr]
    assert parse_list({}, None).models == []


# -- structured output -----------------------------------------------------------------------


class City(pydantic.BaseModel):
    name: str
    population: int


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


def test_parsed_for_each_schema_kind() -> None:
    assert parse_structured(City, '{"name": "Oslo", "population": 700000}') == City(
        name="Oslo", population=700000
    )
    assert parse_structured(list[City], '[{"name": "A", "population": 1}]') == [
        City(name="A", population=1)
    ]
    assert parse_structured(Color, '"blue"') is Color.BLUE
    assert parse_structured(Literal["x", "y"], '"y"') == "y"
    assert parse_structured({"type": "OBJECT"}, '{"a": 1}') == {"a": 1}
    assert parse_structured(types.Schema(type="OBJECT"), "[1]") == [1]
    assert parse_structured(City, '{"name": "partial') is None
    assert parse_structured(int, "12") == 12


def test_parsed_is_set_on_generate_responses() -> None:
    data = {"candidates": [{"content": {"parts": [{"text": '{"name": "B", "population": 2}'}]}}]}
    assert parse_generate(data, None, City).parsed == City(name="B", population=2)
    assert parse_generate(data, None).parsed is None


# -- request models --------------------------------------------------------------------------


def test_request_models_reject_unknown_fields() -> None:
    with pytest.raises(pydantic.ValidationError, match="temprature"):
        types.GenerateContentConfig.model_validate({"temprature": 0.5})
    with pytest.raises(pydantic.ValidationError):
        types.Part.model_validate({"txt": "x"})
    with pytest.raises(pydantic.ValidationError):
        types.Content.model_validate({"parts": [{"txt": "x"}]})
    with pytest.raises(pydantic.ValidationError):
        types.Tool.model_validate({"google_serch": {}})


def test_request_models_accept_camel_case_and_enums() -> None:
    cfg = types.GenerateContentConfig.model_validate(
        {"maxOutputTokens": 5, "safetySettings": [{"category": "harm_category_harassment"}]}
    )
    assert cfg.max_output_tokens == 5
    assert cfg.safety_settings[0].category is types.HarmCategory.HARM_CATEGORY_HARASSMENT  # type: ignore[index]
    assert (
        types.SafetySetting(threshold="BLOCK_NONE").threshold is types.HarmBlockThreshold.BLOCK_NONE
    )


def test_part_factories_and_role_contents() -> None:
    assert types.Part.from_text(text="hi").text == "hi"
    blob = types.Part.from_bytes(data=b"\x00", mime_type="image/png")
    assert blob.inline_data == types.Blob(data=b"\x00", mime_type="image/png")
    uri = types.Part.from_uri(file_uri="gs://b/doc.pdf")
    assert uri.file_data.mime_type == "application/pdf"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="mime_type"):
        types.Part.from_uri(file_uri="gs://b/no-extension")
    call = types.Part.from_function_call(name="f", args={"a": 1})
    assert call.function_call.name == "f"  # type: ignore[union-attr]
    result = types.Part.from_function_response(name="f", response={"ok": True})
    assert result.function_response.response == {"ok": True}  # type: ignore[union-attr]
    code = types.Part.from_executable_code(code="x", language="PYTHON").executable_code
    assert code is not None
    assert code.language == "PYTHON"
    outcome = types.Part.from_code_execution_result(outcome="OUTCOME_OK", output="o")
    assert outcome.code_execution_result is not None
    assert outcome.code_execution_result.output == "o"
    user = types.UserContent(["a", types.Part(text="b")])
    assert user.role == "user"
    assert [p.text for p in user.parts] == ["a", "b"]  # type: ignore[union-attr]
    assert types.ModelContent("m").role == "model"


def test_response_content_is_reusable_as_request_history() -> None:
    r = parse_generate(SMALL, None)
    content = r.candidates[0].content  # type: ignore[index]
    assert isinstance(content, types.Content)
    again = types.GenerateContentConfig(system_instruction=content)
    assert again.system_instruction is content


def test_public_names_match_google_genai() -> None:
    expected = {
        "Blob", "Candidate", "CitationMetadata", "CodeExecutionResult", "Content",
        "ContentEmbedding", "CountTokensConfig", "CountTokensResponse", "EmbedContentConfig",
        "EmbedContentResponse", "ExecutableCode", "FileData", "FunctionCall",
        "FunctionCallingConfig", "FunctionDeclaration", "FunctionResponse",
        "GenerateContentConfig", "GenerateContentResponse", "GetModelConfig", "GoogleSearch",
        "GroundingMetadata", "HarmBlockThreshold", "HarmCategory", "HttpOptions",
        "HttpResponse", "HttpRetryOptions", "ImageConfig", "ListModelsConfig",
        "ListModelsResponse", "Model", "Part", "ResourceScope", "SafetyRating",
        "SafetySetting", "Schema", "SpeechConfig", "ThinkingConfig", "Tool", "ToolConfig",
        "Type", "UserContent", "ModelContent", "UsageMetadata", "PromptFeedback",
        "CodeExecution",
    }  # fmt: skip
    assert expected <= set(types.__all__)
    for name in types.__all__:
        assert hasattr(types, name)


def test_google_genai_models_inside_typed_configs() -> None:
    from google.genai import types as gtypes

    cfg = types.GenerateContentConfig(
        safety_settings=[
            gtypes.SafetySetting(category="HARM_CATEGORY_HARASSMENT", threshold="OFF")
        ],
        tools=[gtypes.Tool(google_search=gtypes.GoogleSearch())],
        system_instruction=gtypes.Content(parts=[gtypes.Part(text="s")]),
    )
    assert cfg.safety_settings == [
        types.SafetySetting(category="HARM_CATEGORY_HARASSMENT", threshold="OFF")
    ]
    assert cfg.tools == [types.Tool(google_search=types.GoogleSearch())]
    assert cfg.system_instruction == types.Content(parts=[types.Part(text="s")])

    class Unrelated:
        category = "HARM_CATEGORY_HARASSMENT"

    with pytest.raises(pydantic.ValidationError):
        types.GenerateContentConfig(safety_settings=[Unrelated()])


def test_hand_built_responses_for_mocks() -> None:
    r = types.GenerateContentResponse(
        candidates=[types.Candidate(content=types.Content(parts=[types.Part(text="hi")]))]
    )
    assert r.text == "hi"
    assert isinstance(r.candidates[0].content, types.Content)  # type: ignore[index]


def test_the_typed_dict_twins_are_generated_from_the_current_models() -> None:
    import sys
    from pathlib import Path

    scripts = Path(__file__).resolve().parent.parent / "scripts"
    sys.path.insert(0, str(scripts))
    try:
        import gen_typed_dicts
    finally:
        sys.path.remove(str(scripts))
    current = gen_typed_dicts.TARGET.read_text()
    assert gen_typed_dicts.render() == current, "run: python scripts/gen_typed_dicts.py"
    assert "class GenerateContentConfigDict(TypedDict, total=False):" in current
    assert "    temperature: float\n" in current


def test_errors_about_a_response_name_the_public_classes() -> None:
    from genai_async._types.content import WireContent

    with pytest.raises(pydantic.ValidationError) as info:
        WireContent.model_validate({"parts": [{"functionCall": {"name": 1}}]})
    assert str(info.value).startswith("1 validation error for Content")
    assert "_Wire" not in str(info.value)


def test_part_as_image() -> None:
    png = b"\x89PNG\r\n\x1a\n"
    image = types.Part(inline_data=types.Blob(data=png, mime_type="image/png")).as_image()
    assert isinstance(image, types.Image)
    assert image.image_bytes == png
    assert types.Part(text="x").as_image() is None
    assert types.Blob(data=b"x", mime_type="audio/wav").as_image() is None


@pytest.mark.parametrize("hand_built", [True, False])
def test_a_lazy_http_response_is_the_model_pydantic_builds(
    hand_built: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HttpResponse.lazy lays the instance out by hand (pydantic 2); whichever way it
    is built, it is the same model as a validated one: fields, dump, copy, pickle."""
    import pickle

    from genai_async._types import response as module

    monkeypatch.setattr(module, "_HAND_BUILT", hand_built)
    source = {"Content-Type": "application/json", "X-Request-Id": "r1"}
    lazy = types.HttpResponse.lazy(source)
    built = types.HttpResponse(headers={"content-type": "application/json", "x-request-id": "r1"})
    assert lazy.headers == built.headers
    assert lazy.model_dump() == built.model_dump()
    assert lazy == built
    assert lazy.model_fields_set == set()
    assert lazy.model_copy().headers == built.headers
    assert pickle.loads(pickle.dumps(lazy)) == built
    assert types.HttpResponse.model_validate(lazy.model_dump()) == built
