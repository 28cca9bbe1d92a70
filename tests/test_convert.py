"""Request conversion (wire.md §5, §7, §8): contents, config placement, backend checks.

Pure functions, no network. Where google-genai is the reference, its own
converters are called for the same input and the results compared.
"""

from __future__ import annotations

import base64
import enum
import re
from typing import Any, Literal, Optional

import pydantic
import pytest
from google.genai import types as gtypes

from genai_async import types
from genai_async._wire.convert import (
    count_tokens_request,
    embed_request,
    generate_request,
    list_query,
    method_options,
)
from genai_async._wire.schema import response_schema_to_wire
from genai_async._wire.spec import Ctx

pytestmark = pytest.mark.anyio

GEMINI = Ctx(False)
VERTEX = Ctx(True, "p", "us-central1")


def body(contents: Any, config: Any = None, ctx: Ctx = GEMINI) -> dict[str, Any]:
    return generate_request(contents, config, ctx)[0]


def walk(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every (path, value) in a JSON tree."""
    out = [(path, value)]
    if isinstance(value, dict):
        for k, v in value.items():
            out += walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += walk(v, f"{path}[{i}]")
    return out


# -- contents --------------------------------------------------------------------------------


def test_string_contents() -> None:
    assert body("hi") == {"contents": [{"parts": [{"text": "hi"}], "role": "user"}]}


def test_list_of_strings_is_one_user_content() -> None:
    assert body(["a", "b"]) == {
        "contents": [{"parts": [{"text": "a"}, {"text": "b"}], "role": "user"}]
    }


def test_history_of_contents_and_parts() -> None:
    contents = [
        {"role": "user", "parts": [{"text": "q"}]},
        types.Content(role="model", parts=[types.Part(text="a")]),
        gtypes.Content(role="user", parts=[gtypes.Part(text="g")]),
        "loose text",
        {"function_call": {"name": "f", "args": {"x_y": 1}}},
        {"functionResponse": {"name": "f", "response": {"out_put": None}}},
        ["nested", {"text": "list"}],
    ]
    assert body(contents)["contents"] == [
        {"parts": [{"text": "q"}], "role": "user"},
        {"parts": [{"text": "a"}], "role": "model"},
        {"parts": [{"text": "g"}], "role": "user"},
        {"parts": [{"text": "loose text"}], "role": "user"},
        {"parts": [{"functionCall": {"name": "f", "args": {"x_y": 1}}}], "role": "model"},
        {
            "parts": [{"functionResponse": {"name": "f", "response": {"out_put": None}}}],
            "role": "user",
        },
        {"parts": [{"text": "nested"}, {"text": "list"}], "role": "user"},
    ]


def test_every_part_kind() -> None:
    data = bytes(range(256))
    parts = [
        types.Part.from_bytes(data=data, mime_type="image/png"),
        {"inline_data": {"data": data, "mime_type": "audio/wav"}},
        {"file_uri": "gs://b/f.pdf", "mime_type": "application/pdf"},
        gtypes.Part.from_uri(file_uri="gs://b/v.mp4", mime_type="video/mp4"),
        {
            "file_data": {"file_uri": "gs://b/v.mp4", "mime_type": "video/mp4"},
            "video_metadata": {"start_offset": "1s", "end_offset": "2s", "fps": 0.5},
        },
        {"text": "thinking", "thought": True, "thought_signature": b"\x01\x02"},
        {"executable_code": {"code": "print(1)", "language": "PYTHON"}},
        {"code_execution_result": {"outcome": "OUTCOME_OK", "output": "1"}},
    ]
    wire = body(parts)["contents"][0]["parts"]
    std = base64.b64encode(data).decode()
    assert wire == [
        {"inlineData": {"data": std, "mimeType": "image/png"}},
        {"inlineData": {"data": std, "mimeType": "audio/wav"}},
        {"fileData": {"fileUri": "gs://b/f.pdf", "mimeType": "application/pdf"}},
        {"fileData": {"fileUri": "gs://b/v.mp4", "mimeType": "video/mp4"}},
        {
            "fileData": {"fileUri": "gs://b/v.mp4", "mimeType": "video/mp4"},
            "videoMetadata": {"startOffset": "1s", "endOffset": "2s", "fps": 0.5},
        },
        {"text": "thinking", "thought": True, "thoughtSignature": "AQI="},
        {"executableCode": {"code": "print(1)", "language": "PYTHON"}},
        {"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": "1"}},
    ]
    assert "+" in std or "/" in std  # the standard alphabet, with padding


def test_unknown_part_key_and_bad_contents() -> None:
    with pytest.raises(ValueError, match="unknown Part field 'txt'"):
        body([{"txt": "x"}])
    with pytest.raises(ValueError, match="contents are required"):
        body([])
    with pytest.raises(TypeError, match="unsupported content part"):
        body([object()])


def test_response_content_extras_are_sent_back() -> None:
    from genai_async._wire.convert import parse_generate

    r = parse_generate(
        {"candidates": [{"content": {"role": "model", "parts": [{"text": "a", "newField": 1}]}}]},
        None,
    )
    content = r.candidates[0].content  # type: ignore[index]
    assert body([content])["contents"] == [
        {"parts": [{"text": "a", "newField": 1}], "role": "model"}
    ]


# -- config placement (wire.md §5) -----------------------------------------------------------

TOP_LEVEL = {
    "system_instruction": (
        "systemInstruction",
        "Be brief.",
        {"parts": [{"text": "Be brief."}], "role": "user"},
    ),
    "safety_settings": (
        "safetySettings",
        [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"}],
        [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"}],
    ),
    "tools": ("tools", [{"google_search": {}}], [{"googleSearch": {}}]),
    "tool_config": (
        "toolConfig",
        {"function_calling_config": {"mode": "ANY", "allowed_function_names": ["f"]}},
        {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["f"]}},
    ),
    "labels": ("labels", {"team_name": "a"}, {"team_name": "a"}),
    "cached_content": ("cachedContent", "abc", "cachedContents/abc"),
    "service_tier": ("serviceTier", "flex", "flex"),
    "store": ("store", True, True),
    "continuation_token": ("continuationToken", b"\xff", "/w=="),
}
IN_GENERATION_CONFIG = {
    "temperature": ("temperature", 0.2),
    "top_p": ("topP", 0.9),
    "top_k": ("topK", 40),
    "candidate_count": ("candidateCount", 2),
    "max_output_tokens": ("maxOutputTokens", 64),
    "stop_sequences": ("stopSequences", ["END"]),
    "response_logprobs": ("responseLogprobs", True),
    "logprobs": ("logprobs", 3),
    "presence_penalty": ("presencePenalty", 0.1),
    "frequency_penalty": ("frequencyPenalty", 0.2),
    "seed": ("seed", 7),
    "response_mime_type": ("responseMimeType", "application/json"),
    "response_json_schema": ("responseJsonSchema", {"type": "object", "x_y": 1}),
    "response_modalities": ("responseModalities", ["TEXT", "IMAGE"]),
    "media_resolution": ("mediaResolution", "MEDIA_RESOLUTION_LOW"),
    "enable_enhanced_civic_answers": ("enableEnhancedCivicAnswers", True),
    "audio_transcription_config": ("audioTranscriptionConfig", {}),
}


@pytest.mark.parametrize("name", sorted(TOP_LEVEL))
def test_top_level_fields(name: str) -> None:
    wire, given, expected = TOP_LEVEL[name]
    out = body("x", {name: given})
    assert out[wire] == expected
    assert "generationConfig" not in out


@pytest.mark.parametrize("name", sorted(IN_GENERATION_CONFIG))
def test_generation_config_fields(name: str) -> None:
    wire, value = IN_GENERATION_CONFIG[name]
    out = body("x", {name: value})
    assert out["generationConfig"] == {wire: value}
    assert set(out) == {"contents", "generationConfig"}
    camel = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)
    assert body("x", {camel: value}) == out  # camelCase keys are accepted too


def test_nested_settings_are_camel_case() -> None:
    out = body(
        "x",
        {
            "thinking_config": {"thinking_budget": 0, "include_thoughts": True},
            "speech_config": "Kore",
            "image_config": {"aspect_ratio": "16:9", "image_size": "2K"},
        },
    )
    assert out["generationConfig"] == {
        "thinkingConfig": {"thinkingBudget": 0, "includeThoughts": True},
        "speechConfig": {"voiceConfig": {"prebuiltVoiceConfig": {"voiceName": "Kore"}}},
        "imageConfig": {"aspectRatio": "16:9", "imageSize": "2K"},
    }
    speech = body(
        "x",
        {
            "speech_config": types.SpeechConfig(
                multi_speaker_voice_config=types.MultiSpeakerVoiceConfig(
                    speaker_voice_configs=[
                        types.SpeakerVoiceConfig(
                            speaker="A",
                            voice_config=types.VoiceConfig(
                                prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name="Puck")
                            ),
                        )
                    ]
                )
            )
        },
    )
    assert speech["generationConfig"]["speechConfig"] == {
        "multiSpeakerVoiceConfig": {
            "speakerVoiceConfigs": [
                {"speaker": "A", "voiceConfig": {"prebuiltVoiceConfig": {"voiceName": "Puck"}}}
            ]
        }
    }


def test_json_schema_fields_take_model_classes() -> None:
    class Reply(pydantic.BaseModel):
        answer: str

    out, options = generate_request("x", {"response_json_schema": Reply}, GEMINI)
    assert out["generationConfig"]["responseJsonSchema"] == Reply.model_json_schema()
    assert options.schema is Reply
    decl = {"name": "f", "parameters_json_schema": Reply}
    wire = body("x", {"tools": [{"function_declarations": [decl]}]})["tools"][0]
    assert wire["functionDeclarations"][0]["parametersJsonSchema"]["required"] == ["answer"]


def test_client_only_fields_are_never_sent() -> None:
    out, options = generate_request(
        "x",
        {
            "http_options": {"timeout": 5000},
            "automatic_function_calling": {"disable": True},
            "automatic_continuation": False,
            "should_return_http_response": True,
            "temperature": None,
        },
        GEMINI,
    )
    assert out == {"contents": [{"parts": [{"text": "x"}], "role": "user"}]}
    assert options.http_options == {"timeout": 5000}
    assert options.raw_http is True


def test_automatic_continuation_on_says_it_is_not_provided() -> None:
    from genai_async.errors import NotProvidedError

    with pytest.raises(NotProvidedError, match="automatic_continuation=True"):
        generate_request("x", {"automatic_continuation": True}, GEMINI)
    with pytest.raises(NotProvidedError):
        generate_request("x", types.GenerateContentConfig(automatic_continuation=True), GEMINI)


def test_no_nulls_and_no_snake_case_outside_free_form_values() -> None:
    config = types.GenerateContentConfig(
        system_instruction=types.Content(parts=[types.Part(text="s")]),
        temperature=0.5,
        safety_settings=[types.SafetySetting(category="HARM_CATEGORY_HATE_SPEECH", threshold="OFF")],
        tools=[
            types.Tool(
                function_declarations=[
                    types.FunctionDeclaration(
                        name="get_weather",
                        parameters=types.Schema(
                            type="OBJECT",
                            properties={"city_name": types.Schema(type="STRING")},
                            property_ordering=["city_name"],
                        ),
                    )
                ]
            ),
            types.Tool(google_search_retrieval=types.GoogleSearchRetrieval(
                dynamic_retrieval_config=types.DynamicRetrievalConfig(mode="MODE_DYNAMIC", dynamic_threshold=0.3)
            )),
        ],
        tool_config=types.ToolConfig(retrieval_config=types.RetrievalConfig(lat_lng=types.LatLng(latitude=1, longitude=2))),
        thinking_config=types.ThinkingConfig(thinking_budget=128),
        labels={"cost_center": "x"},
    )  # fmt: skip
    out = body("x", config)
    free = (".labels", ".properties")
    for path, value in walk(out):
        assert value is not None, path
        key = path.rsplit(".", 1)[-1]
        if "_" in key and not path.endswith(free):
            assert any(path.rsplit(".", 1)[0].endswith(f) for f in free), path
    assert out["tools"][0]["googleSearchRetrieval"] == {
        "dynamicRetrievalConfig": {"mode": "MODE_DYNAMIC", "dynamicThreshold": 0.3}
    }
    decl = out["tools"][1]["functionDeclarations"][0]
    assert decl["parameters"]["propertyOrdering"] == ["city_name"]
    assert out["toolConfig"] == {"retrievalConfig": {"latLng": {"latitude": 1.0, "longitude": 2.0}}}


def test_function_declarations_are_merged_into_one_last_tool() -> None:
    out = body(
        "x",
        {
            "tools": [
                {"function_declarations": [{"name": "a"}]},
                {"google_search": {}, "function_declarations": [{"name": "b"}]},
                types.Tool(code_execution=types.ToolCodeExecution()),
                {"url_context": {}},
            ]
        },
    )
    assert out["tools"] == [
        {"googleSearch": {}},
        {"codeExecution": {}},
        {"urlContext": {}},
        {"functionDeclarations": [{"name": "a"}, {"name": "b"}]},
    ]


def test_function_declaration_schemas() -> None:
    decl = {
        "name": "f",
        "description": "d",
        "parameters": {
            "type": "object",
            "properties": {"n": {"type": "integer", "max_items": 2}},
            "required": ["n"],
        },
        "response_json_schema": {"type": "object", "additionalProperties": False},
        "behavior": types.Behavior.NON_BLOCKING,
    }
    wire = body("x", {"tools": [{"function_declarations": [decl]}]})["tools"][0]
    assert wire["functionDeclarations"][0] == {
        "name": "f",
        "description": "d",
        "parameters": {
            "type": "OBJECT",
            "properties": {"n": {"type": "INTEGER", "maxItems": 2}},
            "required": ["n"],
        },
        "responseJsonSchema": {"type": "object", "additionalProperties": False},
        "behavior": "NON_BLOCKING",
    }
    with pytest.raises(ValueError, match="'exclusiveMinimum'"):
        body(
            "x",
            {
                "tools": [
                    {
                        "function_declarations": [
                            {"name": "f", "parameters": {"exclusiveMinimum": 1}}
                        ]
                    }
                ]
            },
        )


# -- errors ----------------------------------------------------------------------------------


def test_unknown_config_keys_are_named() -> None:
    with pytest.raises(
        ValueError, match=r"unknown GenerateContentConfig field 'temprature'.*'temperature'"
    ):
        body("x", {"temprature": 1})
    with pytest.raises(ValueError, match="unknown Tool field 'google_serch'"):
        body("x", {"tools": [{"google_serch": {}}]})
    with pytest.raises(ValueError, match="unknown FunctionDeclaration field 'nme'"):
        body("x", {"tools": [{"function_declarations": [{"nme": "f"}]}]})
    with pytest.raises(ValueError, match="unknown ThinkingConfig field"):
        body("x", {"thinking_config": {"budget": 1}})
    with pytest.raises(ValueError, match="unknown EmbedContentConfig field 'dimensions'"):
        embed_request("models/m", "x", {"dimensions": 3}, GEMINI)
    with pytest.raises(TypeError, match="config must be a dict"):
        body("x", 42)


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"routing_config": {"auto_mode": {}}}, "routing_config"),
        ({"model_selection_config": {"feature_selection_preference": "BALANCED"}}, "model_selection_config"),
        ({"audio_timestamp": True}, "audio_timestamp"),
        ({"model_armor_config": {"prompt_template_name": "t"}}, "model_armor_config"),
        ({"generation_output_config": {}}, "generation_output_config"),
        ({"safety_settings": [{"category": "HARM_CATEGORY_HARASSMENT", "method": "SEVERITY"}]}, "method"),
        ({"tools": [{"retrieval": {"vertex_ai_search": {}}}]}, "retrieval"),
        ({"tools": [{"enterprise_web_search": {}}]}, "enterprise_web_search"),
        ({"tools": [{"google_search": {"exclude_domains": ["a"]}}]}, "exclude_domains"),
        ({"image_config": {"output_mime_type": "image/jpeg"}}, "output_mime_type"),
        ({"tool_config": {"function_calling_config": {"stream_function_call_arguments": True}}}, "stream_function_call_arguments"),
    ],
)  # fmt: skip
def test_vertex_only_fields_on_gemini(config: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=rf"^{field} \(.*only supported on Vertex AI"):
        body("x", config)
    body("x", config, VERTEX)  # accepted on Vertex AI


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"store": True}, "store"),
        ({"enable_enhanced_civic_answers": True}, "enable_enhanced_civic_answers"),
        ({"tools": [{"file_search": {"file_search_store_names": ["s"]}}]}, "file_search"),
        ({"tool_config": {"include_server_side_tool_invocations": True}}, "include_server_side_tool_invocations"),
    ],
)  # fmt: skip
def test_gemini_only_fields_on_vertex(config: dict[str, Any], field: str) -> None:
    with pytest.raises(
        ValueError, match=rf"^{field} \(.*only supported on the Gemini Developer API"
    ):
        body("x", config, VERTEX)


def get_weather(city: str) -> str:
    return city


class Tally:
    def __call__(self, n: int) -> int:
        return n


def test_functions_in_tools_become_one_declaration_tool() -> None:
    out = body(
        "x",
        {
            "tools": [
                get_weather,
                {"google_search": {}},
                types.Tool(function_declarations=[{"name": "f"}]),
            ]
        },
    )
    assert out["tools"][0] == {"googleSearch": {}}
    names = [d["name"] for d in out["tools"][1]["functionDeclarations"]]
    assert names == ["get_weather", "f"]
    assert out["tools"][1]["functionDeclarations"][0]["parametersJsonSchema"] == {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    }
    only = body("x", types.GenerateContentConfig(tools=[get_weather]))["tools"]
    assert only == [{"functionDeclarations": out["tools"][1]["functionDeclarations"][:1]}]


def test_other_callables_in_tools_are_refused() -> None:
    with pytest.raises(TypeError, match="not a function or method"):
        body("x", {"tools": [Tally()]})
    with pytest.raises(TypeError, match="not a function or method"):
        body("x", {"tools": [len]})


def test_vertex_image_config_and_model_config() -> None:
    out = body(
        "x",
        {
            "image_config": {"output_mime_type": "image/jpeg", "output_compression_quality": 80},
            "model_selection_config": {"feature_selection_preference": "BALANCED"},
            "generation_output_config": {"a_b": 1},
        },
        VERTEX,
    )
    assert out["generationConfig"] == {
        "imageConfig": {"imageOutputOptions": {"mimeType": "image/jpeg", "compressionQuality": 80}},
        "modelConfig": {"featureSelectionPreference": "BALANCED"},
    }
    assert out["outputConfig"] == {"aB": 1}


def test_cached_content_names() -> None:
    assert body("x", {"cached_content": "c1"})["cachedContent"] == "cachedContents/c1"
    assert (
        body("x", {"cached_content": "cachedContents/c1"})["cachedContent"] == "cachedContents/c1"
    )
    v = body("x", {"cached_content": "c1"}, VERTEX)["cachedContent"]
    assert v == "projects/p/locations/us-central1/cachedContents/c1"
    full = "projects/q/locations/eu/cachedContents/c2"
    assert body("x", {"cached_content": full}, VERTEX)["cachedContent"] == full


# -- countTokens (wire.md §7) ----------------------------------------------------------------


def test_count_tokens_gemini_sends_only_contents() -> None:
    out, options = count_tokens_request(
        ["hello", "world"], {"http_options": {"timeout": 1}}, GEMINI
    )
    assert out == {"contents": [{"parts": [{"text": "hello"}, {"text": "world"}], "role": "user"}]}
    assert options.http_options == {"timeout": 1}
    for key in ("system_instruction", "tools", "generation_config"):
        with pytest.raises(ValueError, match=rf"^{key} .*only supported on Vertex AI"):
            count_tokens_request("x", {key: "s" if key == "system_instruction" else {}}, GEMINI)


def test_count_tokens_vertex_body() -> None:
    out, _ = count_tokens_request(
        "x",
        types.CountTokensConfig(
            system_instruction="s",
            tools=[types.Tool(function_declarations=[types.FunctionDeclaration(name="f")])],
            generation_config=types.GenerationConfig(temperature=0.1, max_output_tokens=3),
        ),
        VERTEX,
    )
    assert out == {
        "contents": [{"parts": [{"text": "x"}], "role": "user"}],
        "systemInstruction": {"parts": [{"text": "s"}], "role": "user"},
        "tools": [{"functionDeclarations": [{"name": "f"}]}],
        "generationConfig": {"temperature": 0.1, "maxOutputTokens": 3},
    }


# -- embeddings (wire.md §8) -----------------------------------------------------------------


def test_gemini_batch_embed_body() -> None:
    method, out, _ = embed_request(
        "models/text-embedding-004",
        ["alpha", "beta"],
        {"task_type": "RETRIEVAL_QUERY", "output_dimensionality": 8},
        GEMINI,
    )
    assert method == "batchEmbedContents"
    assert out == {
        "requests": [
            {
                "model": "models/text-embedding-004",
                "content": {"parts": [{"text": t}], "role": "user"},
                "taskType": "RETRIEVAL_QUERY",
                "outputDimensionality": 8,
            }
            for t in ("alpha", "beta")
        ]
    }
    for key in ("mime_type", "auto_truncate", "document_ocr", "audio_track_extraction"):
        with pytest.raises(ValueError, match=f"^{key} .*Vertex AI"):
            embed_request("models/m", "x", {key: "v"}, GEMINI)


def test_vertex_predict_body() -> None:
    method, out, _ = embed_request(
        "publishers/google/models/text-embedding-004",
        ["alpha", types.Content(parts=[types.Part(text="beta"), types.Part(text="gamma")])],
        {
            "task_type": "RETRIEVAL_QUERY",
            "title": "t",
            "output_dimensionality": 8,
            "auto_truncate": False,
        },
        VERTEX,
    )
    assert method == "predict"
    assert out == {
        "instances": [
            {"content": c, "task_type": "RETRIEVAL_QUERY", "title": "t"}
            for c in ("alpha", "beta", "gamma")
        ],
        "parameters": {"outputDimensionality": 8, "autoTruncate": False},
    }
    assert (
        embed_request("publishers/google/models/gemini-embedding-001", "x", None, VERTEX)[0]
        == "embedContent"
    )


def test_vertex_embed_content_body_and_single_content_rule() -> None:
    method, out, _ = embed_request(
        "publishers/google/models/gemini-embedding-2",
        ["alpha", "beta"],
        {"task_type": "RETRIEVAL_QUERY", "output_dimensionality": 8, "document_ocr": True},
        VERTEX,
    )
    assert method == "embedContent"
    assert out == {
        "content": {"parts": [{"text": "alpha"}, {"text": "beta"}], "role": "user"},
        "embedContentConfig": {
            "taskType": "RETRIEVAL_QUERY",
            "outputDimensionality": 8,
            "documentOcr": True,
        },
    }
    method, out, _ = embed_request(
        "publishers/google/models/gemini-embedding-exp-03-07",
        ["a", "b"],
        {"task_type": "CLUSTERING"},
        VERTEX,
    )
    assert method == "batchEmbedContents"
    assert out == {
        "requests": [
            {
                "content": {"parts": [{"text": t}], "role": "user"},
                "embedContentConfig": {"taskType": "CLUSTERING"},
            }
            for t in ("a", "b")
        ]
    }
    with pytest.raises(ValueError, match="one content per call"):
        embed_request(
            "publishers/meta/models/llama-maas",
            [types.Content(parts=[types.Part(text="a")])] * 2,
            None,
            VERTEX,
        )
    assert embed_request("publishers/x/models/some-maas", "x", None, VERTEX)[1] == {
        "content": {"parts": [{"text": "x"}], "role": "user"}
    }


# -- other configs ---------------------------------------------------------------------------


def test_list_query_and_method_options() -> None:
    path, params, options = list_query(
        {"page_size": 5, "filter": "a b&c", "http_options": {"timeout": 1}}, GEMINI
    )
    assert (path, params, options.http_options) == (
        "models",
        [("pageSize", "5"), ("filter", "a b&c")],
        {"timeout": 1},
    )
    assert list_query({"query_base": False}, GEMINI)[0] == "tunedModels"
    assert list_query(None, VERTEX)[:2] == ("publishers/google/models", [])
    assert list_query({"query_base": False, "page_token": "t"}, VERTEX)[:2] == (
        "models",
        [("filter", "labels.tune-type:*"), ("pageToken", "t")],
    )
    assert method_options(
        types.GetModelConfig(http_options={"timeout": 9})
    ).http_options == types.HttpOptions(timeout=9)
    with pytest.raises(ValueError, match="unknown GetModelConfig field"):
        method_options({"page_size": 1})


def test_google_genai_objects_convert_like_ours() -> None:
    ours = types.GenerateContentConfig(
        system_instruction=types.Part(text="s"),
        temperature=0.3,
        safety_settings=[types.SafetySetting(category="HARM_CATEGORY_HARASSMENT", threshold="BLOCK_NONE")],
        tools=[types.Tool(google_search=types.GoogleSearch(), function_declarations=[types.FunctionDeclaration(name="f")])],
        thinking_config=types.ThinkingConfig(thinking_budget=0),
        speech_config="Kore",
    )  # fmt: skip
    theirs = gtypes.GenerateContentConfig(
        system_instruction=gtypes.Part(text="s"),
        temperature=0.3,
        safety_settings=[gtypes.SafetySetting(category="HARM_CATEGORY_HARASSMENT", threshold="BLOCK_NONE")],
        tools=[gtypes.Tool(google_search=gtypes.GoogleSearch(), function_declarations=[gtypes.FunctionDeclaration(name="f")])],
        thinking_config=gtypes.ThinkingConfig(thinking_budget=0),
        speech_config="Kore",
    )  # fmt: skip
    contents_ours = [types.UserContent([types.Part.from_bytes(data=b"x", mime_type="a/b"), "q"])]
    contents_theirs = [
        gtypes.UserContent([gtypes.Part.from_bytes(data=b"x", mime_type="a/b"), "q"])
    ]
    assert body(contents_theirs, theirs) == body(contents_ours, ours)
    assert body(contents_ours, ours) == body(
        [{"role": "user", "parts": [{"inline_data": {"data": b"x", "mime_type": "a/b"}}, "q"]}],
        ours.model_dump(exclude_none=True),
    )


# -- response_schema against google-genai's own converter ------------------------------------


class Inner(pydantic.BaseModel):
    """An inner object."""

    x: int = pydantic.Field(description="x value", ge=0, le=9)
    tags: list[str] = []


class Outer(pydantic.BaseModel):
    inner: Inner
    maybe: Optional[Inner] = None  # noqa: UP045
    either: int | str
    kind: Literal["a", "b"]
    const: Literal["only"]
    mapping: dict[str, int] | None = None
    many: list[Inner]


class Node(pydantic.BaseModel):
    name: str
    children: list[Node] = []


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


SCHEMAS: list[Any] = [
    Inner,
    Outer,
    list[Outer],
    Node,
    Color,
    Level,
    int,
    list[int],
    Optional[str],  # noqa: UP045
    Literal["x", "y"],
    {"type": "object", "properties": {"a_b": {"type": "string"}, "n": {"type": "array", "items": {"type": "number"}}}},
    {"type": "OBJECT", "properties": {"opt": {"anyOf": [{"type": "string"}, {"type": "null"}]}}},
]  # fmt: skip


def _camel_keys(value: Any, free: bool = False) -> Any:
    if isinstance(value, dict):
        return {
            (k if free else re.sub(r"_([a-z])", lambda m: m.group(1).upper(), k)): _camel_keys(
                v, free=(k == "properties" and not free)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_camel_keys(v) for v in value]
    return value


class _Api:
    def __init__(self, vertexai: bool) -> None:
        self.vertexai = vertexai


@pytest.mark.parametrize("vertexai", [False, True], ids=["gemini", "vertex"])
@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: getattr(s, "__name__", str(s))[:24])
def test_response_schema_matches_google_genai(schema: Any, vertexai: bool) -> None:
    import copy

    from google.genai import _transformers

    given = copy.deepcopy(schema) if isinstance(schema, dict) else schema
    if getattr(schema, "__origin__", None) is Literal:
        given = gtypes.GenerateContentConfig(response_schema=schema).response_schema
    refusal: ValueError | None = None
    try:
        expected = _transformers.t_schema(_Api(vertexai), given)  # type: ignore[arg-type]
    except ValueError as exc:
        refusal = exc
    if refusal is not None:
        # google-genai 3.3 refuses additionalProperties on the Gemini API (3.6 sends it);
        # genai_async sends it: a documented departure.
        assert "additionalProperties" in str(refusal)
        assert "additionalProperties" in str(response_schema_to_wire(schema, vertexai=vertexai))
        return
    assert expected is not None
    theirs = _camel_keys(expected.model_dump(exclude_none=True, mode="json"))
    assert response_schema_to_wire(schema, vertexai=vertexai) == theirs


def test_response_schema_from_schema_objects() -> None:
    ours = types.Schema(
        type="OBJECT",
        properties={"first": types.Schema(type="STRING"), "second": types.Schema(type="INTEGER", nullable=True)},
    )  # fmt: skip
    theirs = gtypes.Schema(
        type="OBJECT",
        properties={"first": gtypes.Schema(type="STRING"), "second": gtypes.Schema(type="INTEGER", nullable=True)},
    )  # fmt: skip
    expected = {
        "type": "OBJECT",
        "properties": {
            "first": {"type": "STRING"},
            "second": {"type": "INTEGER", "nullable": True},
        },
        "propertyOrdering": ["first", "second"],
    }
    assert response_schema_to_wire(ours, vertexai=False) == expected
    assert response_schema_to_wire(theirs, vertexai=False) == expected
    assert body("x", {"response_schema": theirs})["generationConfig"]["responseSchema"] == expected


def test_response_schema_errors() -> None:
    class Strict(pydantic.BaseModel):
        n: int = pydantic.Field(gt=0)

    with pytest.raises(ValueError, match="exclusiveMinimum"):
        response_schema_to_wire(Strict, vertexai=False)
    with pytest.raises(ValueError, match="additionalProperties is only supported on Vertex AI"):
        response_schema_to_wire(
            {"type": "OBJECT", "additionalProperties": {"type": "STRING"}}, vertexai=False
        )
    with pytest.raises(ValueError, match="Literal"):
        response_schema_to_wire(Literal[1, 2], vertexai=False)
    with pytest.raises(ValueError, match="unsupported"):
        response_schema_to_wire(object(), vertexai=False)


def test_dict_schemas_are_not_mutated() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}
    before = repr(schema)
    response_schema_to_wire(schema, vertexai=False)
    assert repr(schema) == before
