"""Request-side types: safety, generation settings and the method configs.

All of them reject unknown fields, so a misspelt option fails at construction.
Nested values may be given as these models or as plain dicts (snake_case or
camelCase keys). A method's ``config`` may also simply be a dict: the request
converter reads dicts directly and never builds these models for them.
"""

from __future__ import annotations

from typing import Annotated, Any

from .._options import HttpOptions
from .base import FOREIGN, RequestModel
from .content import Content, Part
from .enums import (
    FeatureSelectionPreference,
    HarmBlockMethod,
    HarmBlockThreshold,
    HarmCategory,
    MediaResolution,
    ServiceTier,
    ThinkingLevel,
)
from .tools import Tool, ToolConfig

__all__ = (
    "AutomaticFunctionCallingConfig",
    "ComputeTokensConfig",
    "CountTokensConfig",
    "DeleteModelConfig",
    "EmbedContentConfig",
    "GenerateContentConfig",
    "GenerationConfig",
    "GetModelConfig",
    "ImageConfig",
    "ListModelsConfig",
    "ModelSelectionConfig",
    "MultiSpeakerVoiceConfig",
    "PrebuiltVoiceConfig",
    "SafetySetting",
    "SpeakerVoiceConfig",
    "SpeechConfig",
    "ThinkingConfig",
    "UpdateModelConfig",
    "VoiceConfig",
)


class SafetySetting(RequestModel):
    """A safety threshold for one harm category.

    Usage::

        types.SafetySetting(category="HARM_CATEGORY_HARASSMENT", threshold="BLOCK_ONLY_HIGH")
    """

    category: HarmCategory | None = None
    method: HarmBlockMethod | None = None
    threshold: HarmBlockThreshold | None = None


class ThinkingConfig(RequestModel):
    """Thinking budget or level, and whether thought summaries are returned.

    Usage::

        types.ThinkingConfig(thinking_budget=0)
    """

    include_thoughts: bool | None = None
    thinking_budget: int | None = None
    thinking_level: ThinkingLevel | None = None


class PrebuiltVoiceConfig(RequestModel):
    """A prebuilt voice by name.

    Usage::

        types.PrebuiltVoiceConfig(voice_name="Kore")
    """

    voice_name: str | None = None


class VoiceConfig(RequestModel):
    """The voice of generated speech.

    Usage::

        types.VoiceConfig(prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name="Kore"))
    """

    replicated_voice_config: Any = None
    prebuilt_voice_config: PrebuiltVoiceConfig | None = None
    voice: str | None = None


class SpeakerVoiceConfig(RequestModel):
    """The voice of one named speaker.

    Usage::

        types.SpeakerVoiceConfig(speaker="Alice", voice_config=types.VoiceConfig(...))
    """

    speaker: str | None = None
    voice_config: VoiceConfig | None = None


class MultiSpeakerVoiceConfig(RequestModel):
    """Voices of several speakers.

    Usage::

        types.MultiSpeakerVoiceConfig(speaker_voice_configs=[...])
    """

    speaker_voice_configs: list[SpeakerVoiceConfig] | None = None


class SpeechConfig(RequestModel):
    """Speech output settings. ``GenerateContentConfig.speech_config`` also takes a
    voice name string.

    Usage::

        types.SpeechConfig(voice_config=types.VoiceConfig(
            prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name="Kore")))
    """

    voice_config: VoiceConfig | None = None
    language_code: str | None = None
    multi_speaker_voice_config: MultiSpeakerVoiceConfig | None = None


class ImageConfig(RequestModel):
    """Image output settings.

    Usage::

        types.ImageConfig(aspect_ratio="16:9")
    """

    aspect_ratio: str | None = None
    image_size: str | None = None
    person_generation: str | None = None
    prominent_people: Any = None
    output_mime_type: str | None = None
    output_compression_quality: int | None = None
    image_output_options: Any = None


class AutomaticFunctionCallingConfig(RequestModel):
    """How Python functions in ``tools`` are called (never sent): ``disable``,
    ``maximum_remote_calls`` (requests per call, default 10) and
    ``ignore_call_history`` (leave ``automatic_function_calling_history`` unset).

    Usage::

        types.AutomaticFunctionCallingConfig(disable=True)
    """

    disable: bool | None = None
    maximum_remote_calls: int | None = None
    ignore_call_history: bool | None = None


class ModelSelectionConfig(RequestModel):
    """Model selection preference (Vertex AI).

    Usage::

        types.ModelSelectionConfig(feature_selection_preference="BALANCED")
    """

    feature_selection_preference: FeatureSelectionPreference | None = None


class GenerationConfig(RequestModel):
    """Generation settings as one object (``CountTokensConfig.generation_config``, Vertex AI).

    Usage::

        types.GenerationConfig(temperature=0.2, max_output_tokens=64)
    """

    model_selection_config: ModelSelectionConfig | None = None
    response_json_schema: Any = None
    audio_timestamp: bool | None = None
    candidate_count: int | None = None
    enable_affective_dialog: bool | None = None
    frequency_penalty: float | None = None
    logprobs: int | None = None
    max_output_tokens: int | None = None
    media_resolution: MediaResolution | None = None
    presence_penalty: float | None = None
    response_logprobs: bool | None = None
    response_mime_type: str | None = None
    response_modalities: list[str] | None = None
    response_schema: Any = None
    routing_config: Any = None
    seed: int | None = None
    speech_config: SpeechConfig | None = None
    stop_sequences: list[str] | None = None
    temperature: float | None = None
    thinking_config: ThinkingConfig | None = None
    top_k: float | None = None
    top_p: float | None = None
    enable_enhanced_civic_answers: bool | None = None
    response_format: list[Any] | None = None
    translation_config: Any = None
    audio_transcription_config: Any = None


class GenerateContentConfig(RequestModel):
    """Options of ``generate_content`` and ``generate_content_stream``.

    ``http_options`` overrides the client's HTTP options for this call;
    ``automatic_function_calling``, ``automatic_continuation`` and
    ``should_return_http_response`` are client-side and never sent.

    Usage::

        types.GenerateContentConfig(
            system_instruction="Answer tersely.",
            temperature=0.2,
            max_output_tokens=64,
            response_mime_type="application/json",
            response_schema=MyPydanticModel,
        )
    """

    http_options: HttpOptions | None = None
    should_return_http_response: bool | None = None
    system_instruction: (
        Annotated[Content, FOREIGN] | str | Annotated[Part, FOREIGN] | list[str | Part] | Any | None
    ) = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: float | None = None
    candidate_count: int | None = None
    max_output_tokens: int | None = None
    stop_sequences: list[str] | None = None
    response_logprobs: bool | None = None
    logprobs: int | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    seed: int | None = None
    response_mime_type: str | None = None
    response_schema: Any = None
    response_json_schema: Any = None
    routing_config: Any = None
    model_selection_config: ModelSelectionConfig | None = None
    safety_settings: list[SafetySetting] | None = None
    tools: list[Tool | Any] | None = None
    tool_config: ToolConfig | None = None
    labels: dict[str, str] | None = None
    cached_content: str | None = None
    response_modalities: list[str] | None = None
    media_resolution: MediaResolution | None = None
    speech_config: SpeechConfig | str | None = None
    audio_timestamp: bool | None = None
    automatic_function_calling: AutomaticFunctionCallingConfig | None = None
    thinking_config: ThinkingConfig | None = None
    image_config: ImageConfig | None = None
    enable_enhanced_civic_answers: bool | None = None
    model_armor_config: Any = None
    service_tier: ServiceTier | None = None
    audio_transcription_config: Any = None
    continuation_token: bytes | None = None
    automatic_continuation: bool | None = None
    generation_output_config: Any = None
    store: bool | None = None


class CountTokensConfig(RequestModel):
    """Options of ``count_tokens``. ``system_instruction``, ``tools`` and
    ``generation_config`` are counted on Vertex AI only.

    Usage::

        types.CountTokensConfig(system_instruction="Be brief.")
    """

    http_options: HttpOptions | None = None
    system_instruction: (
        Annotated[Content, FOREIGN] | str | Annotated[Part, FOREIGN] | list[str | Part] | Any | None
    ) = None
    tools: list[Tool | Any] | None = None
    generation_config: GenerationConfig | None = None


class EmbedContentConfig(RequestModel):
    """Options of ``embed_content``. ``mime_type``, ``auto_truncate``,
    ``document_ocr`` and ``audio_track_extraction`` are Vertex AI only.

    Usage::

        types.EmbedContentConfig(task_type="RETRIEVAL_QUERY", output_dimensionality=256)
    """

    task_type: str | None = None
    title: str | None = None
    output_dimensionality: int | None = None
    mime_type: str | None = None
    auto_truncate: bool | None = None
    document_ocr: bool | None = None
    audio_track_extraction: bool | None = None
    http_options: HttpOptions | None = None


class ComputeTokensConfig(RequestModel):
    """Options of ``compute_tokens`` (Vertex AI).

    Usage::

        types.ComputeTokensConfig(http_options={"timeout": 5000})
    """

    http_options: HttpOptions | None = None


class UpdateModelConfig(RequestModel):
    """The fields ``models.update`` changes on a tuned model.

    Usage::

        types.UpdateModelConfig(display_name="my model", description="tuned on X")
    """

    http_options: HttpOptions | None = None
    display_name: str | None = None
    description: str | None = None
    default_checkpoint_id: str | None = None


class DeleteModelConfig(RequestModel):
    """Options of ``models.delete``."""

    http_options: HttpOptions | None = None


class GetModelConfig(RequestModel):
    """Options of ``models.get``.

    Usage::

        types.GetModelConfig(http_options={"timeout": 5000})
    """

    http_options: HttpOptions | None = None


class ListModelsConfig(RequestModel):
    """Options of ``models.list``: ``query_base`` True (default) lists base models,
    False tuned models.

    Usage::

        types.ListModelsConfig(page_size=100, query_base=True)
    """

    http_options: HttpOptions | None = None
    page_size: int | None = None
    page_token: str | None = None
    filter: str | None = None
    query_base: bool | None = None
