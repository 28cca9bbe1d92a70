"""Wire specs of tools, safety, generation settings and the method configs (wire.md §5, §7, §8).

``GENERATE_CONTENT_CONFIG`` places each field: ``top`` (a member of the request
body), ``gen`` (inside ``generationConfig``) or ``client`` (read by the
library, never sent). Fields that exist on one backend only carry that
backend, and using them on the other raises ``ValueError`` naming the field,
as google-genai does.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .._types.callables import function_tool, is_function
from .contents import content_to_wire, contents_to_wire
from .schema import response_schema_to_wire, schema_to_wire
from .spec import (
    Ctx,
    b64,
    convert,
    gemini_only,
    list_of,
    loose,
    nested,
    plain,
    spec,
    vertex_only,
)

__all__ = (
    "COMPUTE_TOKENS_CONFIG",
    "COUNT_TOKENS_CONFIG",
    "CREATE_CACHED_CONTENT_CONFIG",
    "DELETE_MODEL_CONFIG",
    "EMBED_CONTENT_CONFIG",
    "GENERATE_CONTENT_CONFIG",
    "GENERATION_CONFIG",
    "LIST_CACHED_CONTENTS_CONFIG",
    "LIST_MODELS_CONFIG",
    "METHOD_CONFIG",
    "UPDATE_CACHED_CONTENT_CONFIG",
    "UPDATE_MODEL_CONFIG",
    "cached_content_name",
    "tools_to_wire",
)


def _schema(value: Any, ctx: Ctx) -> Any:
    return schema_to_wire(value, where="parameters")


def json_schema(value: Any, ctx: Ctx) -> Any:
    """A JSON Schema, sent as given; a pydantic model class becomes its JSON Schema."""
    if isinstance(value, type) and issubclass(value, BaseModel):
        return value.model_json_schema()
    return plain(value, ctx)


FUNCTION_DECLARATION = spec(
    "FunctionDeclaration",
    description=None,
    name=None,
    parameters=_schema,
    parameters_json_schema=json_schema,
    response=_schema,
    response_json_schema=json_schema,
    behavior=None,
)
GOOGLE_SEARCH = spec(
    "GoogleSearch",
    search_types=loose,
    blocking_confidence=vertex_only(),
    exclude_domains=vertex_only(),
    time_range_filter=loose,
)
GOOGLE_MAPS = spec(
    "GoogleMaps", auth_config=loose, enable_widget=None, grounding_types=vertex_only(loose)
)
TOOL = spec(
    "Tool",
    retrieval=vertex_only(loose),
    computer_use=loose,
    file_search=gemini_only(loose),
    google_search=GOOGLE_SEARCH,
    google_maps=GOOGLE_MAPS,
    code_execution=loose,
    enterprise_web_search=vertex_only(loose),
    function_declarations=list_of(nested(FUNCTION_DECLARATION)),
    google_search_retrieval=loose,
    parallel_ai_search=vertex_only(loose),
    url_context=loose,
    mcp_servers=list_of(loose),
    exa_ai_search=vertex_only(loose),
)


def _check_tool(tool: Any) -> None:
    if isinstance(tool, (dict, BaseModel)):
        return
    module = type(tool).__module__ or ""
    if module.split(".", 1)[0] == "mcp":
        raise TypeError(
            "tools: MCP sessions and tools are not provided by genai_async; declare the "
            "functions with types.FunctionDeclaration or pass Python functions"
        )
    if callable(tool):
        function_tool(tool)  # raises TypeError naming what is accepted
    raise TypeError(f"tools: unsupported tool type {type(tool).__qualname__}")


def tools_to_wire(value: Any, ctx: Ctx) -> list[dict[str, Any]]:
    """``tools``: function declarations of all tools (Python functions included)
    merged into one last tool, as google-genai sends them; other tools kept in order."""
    if not isinstance(value, (list, tuple)):
        value = [value]
    out: list[dict[str, Any]] = []
    declarations: list[Any] = []
    for tool in value:
        if tool is None:
            continue
        if is_function(tool):
            declarations.append(function_tool(tool).declaration_wire())
            continue
        _check_tool(tool)
        wire = convert(TOOL, tool, ctx)
        found = wire.get("functionDeclarations")
        if found:
            declarations.extend(wire.pop("functionDeclarations"))
            if wire:
                out.append(wire)
        else:
            out.append(wire)
    if declarations:
        out.append({"functionDeclarations": declarations})
    return out


def tools_in_order(value: Any, ctx: Ctx) -> list[dict[str, Any]]:
    """``tools`` as given, one wire tool per tool (how a cache stores them; a Python
    function becomes a tool with its one declaration)."""
    if not isinstance(value, (list, tuple)):
        value = [value]
    out: list[dict[str, Any]] = []
    for tool in value:
        if tool is None:
            continue
        if is_function(tool):
            out.append({"functionDeclarations": [function_tool(tool).declaration_wire()]})
            continue
        _check_tool(tool)
        out.append(convert(TOOL, tool, ctx))
    return out


FUNCTION_CALLING_CONFIG = spec(
    "FunctionCallingConfig",
    allowed_function_names=None,
    mode=None,
    stream_function_call_arguments=vertex_only(),
)
TOOL_CONFIG = spec(
    "ToolConfig",
    retrieval_config=loose,
    function_calling_config=FUNCTION_CALLING_CONFIG,
    include_server_side_tool_invocations=gemini_only(),
)
SAFETY_SETTING = spec("SafetySetting", category=None, method=vertex_only(), threshold=None)
THINKING_CONFIG = spec(
    "ThinkingConfig", include_thoughts=None, thinking_budget=None, thinking_level=None
)
PREBUILT_VOICE_CONFIG = spec("PrebuiltVoiceConfig", voice_name=None)
VOICE_CONFIG = spec(
    "VoiceConfig",
    replicated_voice_config=loose,
    prebuilt_voice_config=PREBUILT_VOICE_CONFIG,
    voice=None,
)
SPEAKER_VOICE_CONFIG = spec("SpeakerVoiceConfig", speaker=None, voice_config=VOICE_CONFIG)
SPEECH_CONFIG = spec(
    "SpeechConfig",
    voice_config=VOICE_CONFIG,
    language_code=None,
    multi_speaker_voice_config=spec(
        "MultiSpeakerVoiceConfig",
        speaker_voice_configs=list_of(nested(SPEAKER_VOICE_CONFIG)),
    ),
)
_IMAGE_CONFIG = spec(
    "ImageConfig",
    aspect_ratio=None,
    image_size=None,
    person_generation=vertex_only(),
    prominent_people=vertex_only(),
    output_mime_type=vertex_only(),
    output_compression_quality=vertex_only(),
    image_output_options=vertex_only(loose),
)


def _image_config(value: Any, ctx: Ctx) -> dict[str, Any]:
    wire = convert(_IMAGE_CONFIG, value, ctx)
    mime = wire.pop("outputMimeType", None)
    quality = wire.pop("outputCompressionQuality", None)
    if mime is not None or quality is not None:
        options = wire.setdefault("imageOutputOptions", {})
        if mime is not None:
            options.setdefault("mimeType", mime)
        if quality is not None:
            options.setdefault("compressionQuality", quality)
    return wire


def _speech_config(value: Any, ctx: Ctx) -> dict[str, Any]:
    if isinstance(value, str):
        return {"voiceConfig": {"prebuiltVoiceConfig": {"voiceName": value}}}
    return convert(SPEECH_CONFIG, value, ctx)


def _system_instruction(value: Any, ctx: Ctx) -> dict[str, Any]:
    return content_to_wire(value, ctx, what="system_instruction")


def _response_schema(value: Any, ctx: Ctx) -> Any:
    return response_schema_to_wire(value, vertexai=ctx.vertexai)


def cached_content_name(value: Any, ctx: Ctx) -> str:
    """A cache name as google-genai completes it (``cachedContents/…``, and the
    Vertex AI ``projects/…/locations/…`` prefix when both are known)."""
    name = str(value)
    bare = "/" not in name
    if not ctx.vertexai:
        return f"cachedContents/{name}" if bare else name
    if name.startswith("projects/"):
        return name
    prefix = (
        f"projects/{ctx.project}/locations/{ctx.location}/" if ctx.project and ctx.location else ""
    )
    if name.startswith("locations/"):
        return f"projects/{ctx.project}/{name}" if ctx.project else name
    if name.startswith("cachedContents/"):
        return prefix + name
    if bare:
        return f"{prefix}cachedContents/{name}"
    return name


def _client(place: str = "client") -> dict[str, Any]:
    return {"conv": plain, "place": place}


def _top(conv: Any = None, **more: Any) -> dict[str, Any]:
    return {"conv": conv, "place": "top", **more}


def _gen(conv: Any = None, **more: Any) -> dict[str, Any]:
    return {"conv": conv, "place": "gen", **more}


_SAFETY_SETTINGS = list_of(nested(SAFETY_SETTING))

GENERATE_CONTENT_CONFIG = spec(
    "GenerateContentConfig",
    http_options=_client(),
    should_return_http_response=_client(),
    automatic_function_calling=_client(),
    automatic_continuation=_client(),
    system_instruction=_top(_system_instruction),
    temperature=_gen(),
    top_p=_gen(),
    top_k=_gen(),
    candidate_count=_gen(),
    max_output_tokens=_gen(),
    stop_sequences=_gen(),
    response_logprobs=_gen(),
    logprobs=_gen(),
    presence_penalty=_gen(),
    frequency_penalty=_gen(),
    seed=_gen(),
    response_mime_type=_gen(),
    response_schema=_gen(_response_schema),
    response_json_schema=_gen(json_schema),
    routing_config=_gen(loose, only="vertex"),
    model_selection_config=_gen(loose, only="vertex", wire="modelConfig"),
    safety_settings=_top(_SAFETY_SETTINGS),
    tools=_top(tools_to_wire),
    tool_config=_top(nested(TOOL_CONFIG)),
    labels=_top(plain),
    cached_content=_top(cached_content_name),
    response_modalities=_gen(),
    media_resolution=_gen(),
    speech_config=_gen(_speech_config),
    audio_timestamp=_gen(only="vertex"),
    thinking_config=_gen(nested(THINKING_CONFIG)),
    image_config=_gen(_image_config),
    enable_enhanced_civic_answers=_gen(only="gemini"),
    model_armor_config=_top(loose, only="vertex"),
    service_tier=_top(),
    audio_transcription_config=_gen(loose),
    continuation_token=_top(b64),
    generation_output_config=_top(loose, only="vertex", wire="outputConfig"),
    store=_top(only="gemini"),
)

GENERATION_CONFIG = spec(
    "GenerationConfig",
    model_selection_config=vertex_only(loose, wire="modelConfig"),
    response_json_schema=json_schema,
    audio_timestamp=vertex_only(),
    candidate_count=None,
    enable_affective_dialog=None,
    frequency_penalty=None,
    logprobs=None,
    max_output_tokens=None,
    media_resolution=None,
    presence_penalty=None,
    response_logprobs=None,
    response_mime_type=None,
    response_modalities=None,
    response_schema=_response_schema,
    routing_config=vertex_only(loose),
    seed=None,
    speech_config=_speech_config,
    stop_sequences=None,
    temperature=None,
    thinking_config=THINKING_CONFIG,
    top_k=None,
    top_p=None,
    enable_enhanced_civic_answers=gemini_only(),
    response_format=list_of(loose),
    translation_config=loose,
    audio_transcription_config=loose,
)

COUNT_TOKENS_CONFIG = spec(
    "CountTokensConfig",
    http_options=_client(),
    system_instruction=vertex_only(_system_instruction, wire="systemInstruction"),
    tools=vertex_only(tools_to_wire),
    generation_config=vertex_only(GENERATION_CONFIG),
)
EMBED_CONTENT_CONFIG = spec(
    "EmbedContentConfig",
    http_options=_client(),
    task_type=None,
    title=None,
    output_dimensionality=None,
    mime_type=vertex_only(),
    auto_truncate=vertex_only(),
    document_ocr=vertex_only(),
    audio_track_extraction=vertex_only(),
)
METHOD_CONFIG = spec("GetModelConfig", http_options=_client())
COMPUTE_TOKENS_CONFIG = spec("ComputeTokensConfig", http_options=_client())
DELETE_MODEL_CONFIG = spec("DeleteModelConfig", http_options=_client())
UPDATE_MODEL_CONFIG = spec(
    "UpdateModelConfig",
    http_options=_client(),
    display_name=None,
    description=None,
    default_checkpoint_id=None,
)
LIST_MODELS_CONFIG = spec(
    "ListModelsConfig",
    http_options=_client(),
    page_size=None,
    page_token=None,
    filter=None,
    query_base=None,
)


def _encryption_spec(value: Any, ctx: Ctx) -> dict[str, Any]:
    return {"kmsKeyName": str(value)}


def _contents(value: Any, ctx: Ctx) -> Any:
    return contents_to_wire(value, ctx)


CREATE_CACHED_CONTENT_CONFIG = spec(
    "CreateCachedContentConfig",
    http_options=_client(),
    ttl=_top(),
    expire_time=_top(plain),
    display_name=_top(),
    contents=_top(_contents),
    system_instruction=_top(_system_instruction),
    tools=_top(tools_in_order),
    tool_config=_top(nested(TOOL_CONFIG)),
    kms_key_name=_top(_encryption_spec, only="vertex", wire="encryptionSpec"),
)
UPDATE_CACHED_CONTENT_CONFIG = spec(
    "UpdateCachedContentConfig", http_options=_client(), ttl=_top(), expire_time=_top(plain)
)
LIST_CACHED_CONTENTS_CONFIG = spec(
    "ListCachedContentsConfig", http_options=_client(), page_size=_top(), page_token=_top()
)
