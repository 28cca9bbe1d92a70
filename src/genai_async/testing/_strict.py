"""The mock server's checks: refuse what the real API refuses (on by default;
``MockServer(strict=False)`` / ``serve-mock --lenient`` turn them off).

A request naming an unknown model answers 404 NOT_FOUND, an unknown field of a
``generateContent`` / ``streamGenerateContent`` / ``countTokens`` body answers
400 INVALID_ARGUMENT with the API's "Unknown name" message, and an unknown API
version or an empty path segment (``/v1//models``) answers 404. Known models
are :data:`KNOWN_MODELS` plus ``MockServer(known_models=...)``; tuned models
(``tunedModels/…``), full Vertex AI endpoint names and the names this server's own
model listing gives (``gemini-mock-NNNN``) always pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._catalog import RouteError

__all__ = ("KNOWN_MODELS", "StrictRules")

KNOWN_MODELS = frozenset(
    {
        "gemini-3-pro-preview",
        "gemini-3-flash-preview",
        "gemini-2.5-pro",
        "gemini-2.5-flash",
        "gemini-2.5-flash-lite",
        "gemini-2.5-flash-image",
        "gemini-2.0-flash",
        "gemini-2.0-flash-001",
        "gemini-2.0-flash-lite",
        "gemini-embedding-001",
        "text-embedding-004",
        "text-embedding-005",
        "text-multilingual-embedding-002",
        "gemma-3-27b-it",
        "imagen-4.0-generate-001",
        "imagen-4.0-fast-generate-001",
        "imagen-4.0-ultra-generate-001",
        "imagen-3.0-generate-002",
        "imagen-3.0-capability-001",
        "imagen-4.0-upscale-preview",
        "image-segmentation-001",
        "virtual-try-on-preview-08-04",
        "imagen-product-recontext-preview-06-30",
        "veo-3.0-generate-001",
        "veo-3.0-fast-generate-001",
        "veo-2.0-generate-001",
    }
)
VERSIONS = frozenset({"v1", "v1beta", "v1alpha", "v1beta1"})

_GENERATE_FIELDS = frozenset(
    {
        "contents", "generationConfig", "safetySettings", "tools", "toolConfig",
        "systemInstruction", "cachedContent", "labels", "serviceTier", "modelArmorConfig",
        "store", "continuationToken", "outputConfig", "model",
    }
)  # fmt: skip
_GENERATION_CONFIG_FIELDS = frozenset(
    {
        "temperature", "topP", "topK", "candidateCount", "maxOutputTokens", "stopSequences",
        "responseLogprobs", "logprobs", "presencePenalty", "frequencyPenalty", "seed",
        "responseMimeType", "responseSchema", "responseJsonSchema", "routingConfig",
        "modelConfig", "responseModalities", "mediaResolution", "speechConfig",
        "audioTimestamp", "thinkingConfig", "imageConfig", "enableEnhancedCivicAnswers",
        "audioTranscriptionConfig", "enableAffectiveDialog", "responseFormat",
        "translationConfig",
    }
)  # fmt: skip
_COUNT_FIELDS = frozenset({"contents", "generateContentRequest", "systemInstruction", "tools",
                           "generationConfig"})  # fmt: skip


def _snake_to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def _unknown(name: str, where: str | None) -> RouteError:
    place = f" at '{where}'" if where else ""
    return RouteError(
        400, f'Invalid JSON payload received. Unknown name "{name}"{place}: Cannot find field.'
    )


class StrictRules:
    """The checks of one strict server."""

    __slots__ = ("models",)

    def __init__(self, extra_models: Iterable[str] = ()) -> None:
        self.models = KNOWN_MODELS | frozenset(extra_models)

    def check_path(self, path: str) -> None:
        """An API version and no empty segment (``/v1beta/models/x``, any prefix)."""
        if "//" in path:
            raise RouteError(404, f"Not found: {path} (an empty path segment)")
        segments = [s for s in path.split("/") if s]
        for segment in segments:
            if segment in VERSIONS:
                return
            if segment.startswith("v") and segment[1:2].isdigit():
                raise RouteError(404, f"Not found: API version {segment!r} does not exist")
        if segments and segments[0] not in ("upload",):
            raise RouteError(404, f"Not found: {path} (no API version in the path)")

    def check_model(self, model: str) -> None:
        if model in self.models or "/" in model or model.startswith("gemini-mock-"):
            return  # (gemini-mock-NNNN: what this server's own model listing names)
        raise RouteError(
            404,
            f"models/{model} is not found for API version, or is not supported. Call "
            "ListModels to see the list of available models and their supported methods. "
            "(MockServer: a model outside genai_async.testing.KNOWN_MODELS; accept it with "
            "MockServer(known_models=[...]), serve-mock --known-model, or strict=False)",
        )

    def check_body(self, method: str, request: dict[str, Any]) -> None:
        if method in ("generateContent", "streamGenerateContent"):
            fields, where = _GENERATE_FIELDS, None
        elif method == "countTokens":
            fields, where = _COUNT_FIELDS, None
        else:
            return
        for key in request:
            if _snake_to_camel(key) not in fields:
                raise _unknown(key, where)
        config = request.get("generationConfig") or request.get("generation_config")
        if isinstance(config, dict):
            for key in config:
                if _snake_to_camel(key) not in _GENERATION_CONFIG_FIELDS:
                    raise _unknown(key, "generation_config")
