"""The request of ``models.generate_videos`` (Vertex AI ``:predictLongRunning``).

One instance (prompt, image, video, last frame, reference images, mask) and
``parameters`` from the config, as google-genai 3.6.1 sends them; like it, the
Gemini Developer API is refused with ``ValueError``. Field conversion and
error locations are those of the Imagen builders (:mod:`.images`).
"""

from __future__ import annotations

from typing import Any

from .._types.videos import (
    ImageResizeMode,
    VideoCompressionQuality,
    VideoGenerationMaskMode,
    VideoGenerationReferenceType,
)
from .convert import CallOptions
from .images import (
    _CLIENT,
    _LABELS,
    IMAGE,
    _at,
    _bool,
    _enum,
    _for_method,
    _image,
    _int,
    _list_of,
    _nested,
    _p,
    _str,
    _vertex_only,
    _walk,
)
from .spec import Ctx, b64, spec

__all__ = ("PREDICT_LONG_RUNNING", "generate_videos_request")

PREDICT_LONG_RUNNING = "predictLongRunning"

VIDEO = spec(
    "Video",
    uri={"conv": _str, "wire": "gcsUri"},
    video_bytes={"conv": b64, "wire": "bytesBase64Encoded"},
    mime_type=_str,
)
_video = _nested(VIDEO)

REFERENCE_IMAGE = spec(
    "VideoGenerationReferenceImage",
    image=_image,
    reference_type=_enum(VideoGenerationReferenceType),
)
MASK = spec(
    "VideoGenerationMask",
    image={"conv": lambda v, ctx: v, "wire": "image"},
    mask_mode=_enum(VideoGenerationMaskMode),
)


def _mask(value: Any, ctx: Ctx) -> dict[str, Any]:
    """A mask: its image's fields at the top, with ``maskMode``."""
    fields = _walk(MASK, value, ctx, {})
    image = fields.pop("image", None)
    out = _walk(IMAGE, image, ctx, {}) if image is not None else {}
    out.update(fields)
    return out


def _i(wire: str, conv: Any) -> dict[str, Any]:
    """A config field sent inside the one instance."""
    return {"conv": conv, "wire": f"instance.{wire}"}


def _no_webhook(value: Any, ctx: Ctx) -> Any:
    raise ValueError("is only supported on the Gemini Developer API, not on Vertex AI")


GENERATE_VIDEOS_CONFIG = spec(
    "GenerateVideosConfig",
    http_options=_CLIENT,
    number_of_videos=_p("sampleCount", _int),
    output_gcs_uri=_p("storageUri", _str),
    fps=_p("fps", _int),
    duration_seconds=_p("durationSeconds", _int),
    seed=_p("seed", _int),
    aspect_ratio=_p("aspectRatio", _str),
    resolution=_p("resolution", _str),
    person_generation=_p("personGeneration", _str),
    pubsub_topic=_p("pubsubTopic", _str),
    negative_prompt=_p("negativePrompt", _str),
    enhance_prompt=_p("enhancePrompt", _bool),
    generate_audio=_p("generateAudio", _bool),
    last_frame=_i("lastFrame", _image),
    reference_images=_i("referenceImages", _list_of(_nested(REFERENCE_IMAGE))),
    mask=_i("mask", _mask),
    compression_quality=_p("compressionQuality", _enum(VideoCompressionQuality)),
    labels=_LABELS,
    webhook_config=_no_webhook,
    resize_mode=_p("resizeMode", _enum(ImageResizeMode)),
)
SOURCE = spec("GenerateVideosSource", prompt=_str, image=_image, video=_video)


def generate_videos_request(
    model_path: str,
    prompt: Any,
    image: Any,
    video: Any,
    source: Any,
    config: Any,
    ctx: Ctx,
) -> tuple[str, dict[str, Any], CallOptions]:
    """``generate_videos``: ``source`` (or the older ``prompt``/``image``/``video``) as
    the one instance, the config as ``parameters``, ``labels`` and instance fields."""
    _vertex_only("generate_videos", ctx)
    if source is not None and (prompt is not None or image is not None or video is not None):
        raise ValueError(
            "generate_videos: source and prompt/image/video are mutually exclusive; use source"
        )
    try:
        instance: dict[str, Any] = {}
        if source is not None:
            try:
                _walk(SOURCE, source, ctx, instance)
            except (TypeError, ValueError) as exc:
                raise _at("source", exc) from None
        else:
            for name, value, conv in (
                ("prompt", prompt, _str),
                ("image", image, _image),
                ("video", video, _video),
            ):
                if value is not None:
                    try:
                        instance[name] = conv(value, ctx)
                    except (TypeError, ValueError) as exc:
                        raise _at(name, exc) from None
        body: dict[str, Any] = {}
        options = CallOptions()
        if config is not None:
            try:
                _walk(GENERATE_VIDEOS_CONFIG, config, ctx, body, options)
            except (TypeError, ValueError) as exc:
                raise _at("config", exc) from None
        instance.update(body.pop("instance", {}))
    except (TypeError, ValueError) as exc:
        raise _for_method("generate_videos", exc) from None
    return PREDICT_LONG_RUNNING, {"instances": [instance], **body}, options
