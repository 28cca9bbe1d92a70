"""Request bodies and responses of the Imagen methods (Vertex AI ``:predict``).

``generate_images``, ``edit_image``, ``upscale_image``, ``recontext_image`` and
``segment_image`` all post ``{"instances": [one instance], "parameters": {...}}``
to the model's ``predict`` method, on Vertex AI only (as in google-genai, the
Gemini Developer API is refused with ``ValueError``). Each builder returns the
method, the body and the call's :class:`CallOptions`; its inputs may be plain
dicts (snake_case or camelCase keys), our models or google-genai's. The model
path is not part of the body; every builder takes it first all the same.

A config field's wire name is a dotted path in the body (``number_of_images``
-> ``parameters.sampleCount``). Unknown fields raise ``ValueError``; a value
of the wrong kind raises ``TypeError``; both name the field, with its path
(``reference_images[1].config.mask_dilation``).

Responses: each prediction becomes a ``GeneratedImage`` (or, for
``segment_image``, a ``GeneratedImageMask``); keys this library does not know
are kept on the object they belong to.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from .._types.images import (
    ControlReferenceType,
    EditImageResponse,
    EditMode,
    GenerateImagesResponse,
    ImagePromptLanguage,
    MaskReferenceMode,
    PersonGeneration,
    RecontextImageResponse,
    SafetyFilterLevel,
    SegmentImageResponse,
    SegmentMode,
    SubjectReferenceType,
    UpscaleImageResponse,
)
from .._types.response import HttpResponse
from .convert import CallOptions
from .spec import Ctx, Spec, b64, plain, spec

__all__ = (
    "PREDICT",
    "edit_image_request",
    "generate_images_request",
    "parse_edit_image",
    "parse_generate_images",
    "parse_recontext_image",
    "parse_segment_image",
    "parse_upscale_image",
    "recontext_image_request",
    "segment_image_request",
    "upscale_image_request",
)

PREDICT = "predict"

Conv = Callable[[Any, Ctx], Any]


# -- errors that say where ----------------------------------------------------------------------


class _Located:
    """An input error with the path of the field it is about."""

    where: list[str]
    reason: str
    method: str | None

    def _init(self, where: list[str], reason: str) -> None:
        self.where = where
        self.reason = reason
        self.method = None

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.where, self.reason), {"method": self.method}

    def __str__(self) -> str:
        path = ""
        for segment in self.where:
            path += segment if segment.startswith("[") or not path else "." + segment
        text = f"{path}: {self.reason}" if path else self.reason
        return f"{self.method}: {text}" if self.method else text


class _BadValue(_Located, ValueError):
    def __init__(self, where: list[str], reason: str) -> None:
        ValueError.__init__(self, reason)
        self._init(where, reason)


class _BadType(_Located, TypeError):
    def __init__(self, where: list[str], reason: str) -> None:
        TypeError.__init__(self, reason)
        self._init(where, reason)


def _located(where: list[str], exc: Exception) -> _BadType | _BadValue:
    kind = _BadType if isinstance(exc, TypeError) else _BadValue
    return kind(where, str(exc))


def _at(segment: str, exc: Exception) -> Exception:
    """``exc`` as an error about ``segment`` (prepended to the path it already has)."""
    if isinstance(exc, _Located):
        exc.where.insert(0, segment)
        return exc
    return _located([segment], exc)


def _for_method(method: str, exc: Exception) -> Exception:
    """``exc`` with the method named first in its message."""
    located = exc if isinstance(exc, (_BadType, _BadValue)) else _located([], exc)
    located.method = method
    return located


# -- value converters -------------------------------------------------------------------------


def _kind(value: Any) -> str:
    return type(value).__name__


def _str(value: Any, ctx: Ctx) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if not isinstance(value, str):
        raise TypeError(f"expected a string, not {_kind(value)}")
    return str(value)


def _int(value: Any, ctx: Ctx) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, not {_kind(value)}")
    return int(value)


def _float(value: Any, ctx: Ctx) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number, not {_kind(value)}")
    return float(value)


def _bool(value: Any, ctx: Ctx) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected True or False, not {_kind(value)}")
    return value


def _enum(kind: type[enum.Enum]) -> Conv:
    """A member of ``kind`` or its value in any case (unknown values are sent as given)."""

    def conv(value: Any, ctx: Ctx) -> str:
        text = _str(value, ctx)
        return str(kind(text).value)

    return conv


def _labels(value: Any, ctx: Ctx) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise TypeError(f"expected a dict of strings, not {_kind(value)}")
    out: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise TypeError(f"label {key!r}: keys and values must be strings")
        out[key] = item
    return out


def _pairs(value: Any, spec_: Spec) -> Iterable[tuple[str, Any]]:
    if type(value) is dict:
        return value.items()
    if isinstance(value, BaseModel):
        return value.__dict__.items()
    if isinstance(value, Mapping):
        return value.items()
    raise TypeError(f"expected a dict or a types.{spec_.name}, not {type(value).__qualname__}")


def _put(out: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at a dotted ``path`` of ``out``, making the dicts on the way."""
    *parents, last = path.split(".")
    node = out
    for name in parents:
        node = node.setdefault(name, {})
    node[last] = value


def _walk(
    spec_: Spec, value: Any, ctx: Ctx, out: dict[str, Any], options: CallOptions | None = None
) -> dict[str, Any]:
    """Convert ``value`` field by field into ``out`` (wire names are dotted paths);
    client-side fields (``http_options``) go to ``options``."""
    fields = spec_.fields
    for key, item in _pairs(value, spec_):
        if item is None:
            continue
        f = fields.get(key)
        if f is None:
            raise spec_.unknown(key)
        if f.place == "client":
            if options is not None and f.name == "http_options":
                options.http_options = item
            continue
        try:
            wire = f.conv(item, ctx)
        except (TypeError, ValueError) as exc:
            raise _at(f.name, exc) from None
        _put(out, f.wire, wire)
    return out


def _nested(spec_: Spec) -> Conv:
    def conv(value: Any, ctx: Ctx) -> dict[str, Any]:
        return _walk(spec_, value, ctx, {})

    return conv


def _list_of(item: Conv) -> Conv:
    def conv(value: Any, ctx: Ctx) -> list[Any]:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected a list, not {_kind(value)}")
        out = []
        for i, entry in enumerate(value):
            try:
                out.append(item(entry, ctx))
            except (TypeError, ValueError) as exc:
                raise _at(f"[{i}]", exc) from None
        return out

    return conv


# -- specs ------------------------------------------------------------------------------------

IMAGE = spec(
    "Image",
    image_bytes={"conv": b64, "wire": "bytesBase64Encoded"},
    gcs_uri=_str,
    mime_type=_str,
)
_image = _nested(IMAGE)

PRODUCT_IMAGE = spec("ProductImage", product_image={"conv": _image, "wire": "image"})
SCRIBBLE_IMAGE = spec("ScribbleImage", image=_image)

RECONTEXT_IMAGE_SOURCE = spec(
    "RecontextImageSource",
    prompt=_str,
    person_image={"conv": _image, "wire": "personImage.image"},
    product_images=_list_of(_nested(PRODUCT_IMAGE)),
)
SEGMENT_IMAGE_SOURCE = spec(
    "SegmentImageSource",
    prompt=_str,
    image=_image,
    scribble_image={"conv": _nested(SCRIBBLE_IMAGE), "wire": "scribble"},
)

MASK_REFERENCE_CONFIG = spec(
    "MaskReferenceConfig",
    mask_mode=_enum(MaskReferenceMode),
    segmentation_classes={"conv": _list_of(_int), "wire": "maskClasses"},
    mask_dilation={"conv": _float, "wire": "dilation"},
)
CONTROL_REFERENCE_CONFIG = spec(
    "ControlReferenceConfig",
    control_type=_enum(ControlReferenceType),
    enable_control_image_computation={"conv": _bool, "wire": "computeControl"},
)
STYLE_REFERENCE_CONFIG = spec("StyleReferenceConfig", style_description=_str)
SUBJECT_REFERENCE_CONFIG = spec(
    "SubjectReferenceConfig",
    subject_type=_enum(SubjectReferenceType),
    subject_description=_str,
)
REFERENCE_IMAGE = spec(
    "ReferenceImage",
    reference_image=_image,
    reference_id=_int,
    reference_type=_str,
    config=plain,  # read by _reference_image: its kind follows reference_type
    mask_image_config=_nested(MASK_REFERENCE_CONFIG),
    control_image_config=_nested(CONTROL_REFERENCE_CONFIG),
    style_image_config=_nested(STYLE_REFERENCE_CONFIG),
    subject_image_config=_nested(SUBJECT_REFERENCE_CONFIG),
)
_CONFIG_FIELD_OF_TYPE = {
    "REFERENCE_TYPE_MASK": "mask_image_config",
    "REFERENCE_TYPE_CONTROL": "control_image_config",
    "REFERENCE_TYPE_STYLE": "style_image_config",
    "REFERENCE_TYPE_SUBJECT": "subject_image_config",
}


def _reference_image(value: Any, ctx: Ctx) -> dict[str, Any]:
    """One reference image: ``types.RawReferenceImage`` and its siblings (ours or
    google-genai's) or a dict of the same fields. A ``config`` is sent under the
    name its ``reference_type`` gives it (``maskImageConfig``, ...)."""
    fields: dict[str, Any] = {}
    for key, item in _pairs(value, REFERENCE_IMAGE):
        if item is None:
            continue
        f = REFERENCE_IMAGE.fields.get(key)
        if f is None:
            raise REFERENCE_IMAGE.unknown(key)
        fields[f.name] = item
    config = fields.pop("config", None)
    if config is not None:
        kind = fields.get("reference_type")
        target = _CONFIG_FIELD_OF_TYPE.get(_str(kind, ctx)) if kind is not None else None
        if target is None:
            raise _BadValue(
                ["config"],
                "a config needs a reference_type of mask, control, style or subject "
                "(use types.MaskReferenceImage, ControlReferenceImage, StyleReferenceImage "
                "or SubjectReferenceImage)",
            )
        fields.setdefault(target, config)
    return _walk(REFERENCE_IMAGE, fields, ctx, {})


def _p(wire: str, conv: Conv) -> dict[str, Any]:
    """A config field sent under ``parameters``."""
    return {"conv": conv, "wire": f"parameters.{wire}"}


_CLIENT = {"conv": plain, "place": "client"}
_LABELS = {"conv": _labels, "wire": "labels"}
_OUTPUT = {
    "output_mime_type": _p("outputOptions.mimeType", _str),
    "output_compression_quality": _p("outputOptions.compressionQuality", _int),
}
_SAFETY = {
    "safety_filter_level": _p("safetySetting", _enum(SafetyFilterLevel)),
    "person_generation": _p("personGeneration", _enum(PersonGeneration)),
}
_GENERATION = {
    "http_options": _CLIENT,
    "output_gcs_uri": _p("storageUri", _str),
    "negative_prompt": _p("negativePrompt", _str),
    "number_of_images": _p("sampleCount", _int),
    "aspect_ratio": _p("aspectRatio", _str),
    "guidance_scale": _p("guidanceScale", _float),
    "seed": _p("seed", _int),
    **_SAFETY,
    "include_safety_attributes": _p("includeSafetyAttributes", _bool),
    "include_rai_reason": _p("includeRaiReason", _bool),
    "language": _p("language", _enum(ImagePromptLanguage)),
    **_OUTPUT,
    "add_watermark": _p("addWatermark", _bool),
    "labels": _LABELS,
}

GENERATE_IMAGES_CONFIG = spec(
    "GenerateImagesConfig",
    **_GENERATION,
    image_size=_p("sampleImageSize", _str),
    enhance_prompt=_p("enhancePrompt", _bool),
)
EDIT_IMAGE_CONFIG = spec(
    "EditImageConfig",
    **_GENERATION,
    edit_mode=_p("editMode", _enum(EditMode)),
    base_steps=_p("editConfig.baseSteps", _int),
)
UPSCALE_IMAGE_CONFIG = spec(
    "UpscaleImageConfig",
    http_options=_CLIENT,
    output_gcs_uri=_p("storageUri", _str),
    **_SAFETY,
    include_rai_reason=_p("includeRaiReason", _bool),
    **_OUTPUT,
    enhance_input_image=_p("upscaleConfig.enhanceInputImage", _bool),
    image_preservation_factor=_p("upscaleConfig.imagePreservationFactor", _float),
    labels=_LABELS,
)
RECONTEXT_IMAGE_CONFIG = spec(
    "RecontextImageConfig",
    http_options=_CLIENT,
    number_of_images=_p("sampleCount", _int),
    base_steps=_p("baseSteps", _int),
    output_gcs_uri=_p("storageUri", _str),
    seed=_p("seed", _int),
    **_SAFETY,
    add_watermark=_p("addWatermark", _bool),
    **_OUTPUT,
    enhance_prompt=_p("enhancePrompt", _bool),
    labels=_LABELS,
)
SEGMENT_IMAGE_CONFIG = spec(
    "SegmentImageConfig",
    http_options=_CLIENT,
    mode=_p("mode", _enum(SegmentMode)),
    max_predictions=_p("maxPredictions", _int),
    confidence_threshold=_p("confidenceThreshold", _float),
    mask_dilation=_p("maskDilation", _float),
    binary_color_threshold=_p("binaryColorThreshold", _float),
    labels=_LABELS,
)


# -- requests ---------------------------------------------------------------------------------


def _vertex_only(method: str, ctx: Ctx) -> None:
    if not ctx.vertexai:
        raise ValueError(
            f"{method} is only supported on Vertex AI, not on the Gemini Developer API"
        )


def _config(spec_: Spec, config: Any, ctx: Ctx, body: dict[str, Any]) -> CallOptions:
    options = CallOptions()
    if config is not None:
        try:
            _walk(spec_, config, ctx, body, options)
        except (TypeError, ValueError) as exc:
            raise _at("config", exc) from None
    return options


def _value(conv: Conv, value: Any, ctx: Ctx, name: str) -> Any:
    """A required argument, converted; errors name it."""
    if value is None:
        raise _BadType([name], "is required")
    try:
        return conv(value, ctx)
    except (TypeError, ValueError) as exc:
        raise _at(name, exc) from None


def generate_images_request(
    model_path: str, prompt: str, config: Any, ctx: Ctx
) -> tuple[str, dict[str, Any], CallOptions]:
    """``generate_images``: the prompt as the one instance, the config as ``parameters``
    (and ``labels``)."""
    _vertex_only("generate_images", ctx)
    try:
        body: dict[str, Any] = {"instances": [{"prompt": _value(_str, prompt, ctx, "prompt")}]}
        options = _config(GENERATE_IMAGES_CONFIG, config, ctx, body)
    except (TypeError, ValueError) as exc:
        raise _for_method("generate_images", exc) from None
    return PREDICT, body, options


def edit_image_request(
    model_path: str, prompt: str, reference_images: Any, config: Any, ctx: Ctx
) -> tuple[str, dict[str, Any], CallOptions]:
    """``edit_image``: the prompt and the reference images as the one instance."""
    _vertex_only("edit_image", ctx)
    try:
        instance = {
            "prompt": _value(_str, prompt, ctx, "prompt"),
            "referenceImages": _value(
                _list_of(_reference_image), reference_images, ctx, "reference_images"
            ),
        }
        body: dict[str, Any] = {"instances": [instance]}
        options = _config(EDIT_IMAGE_CONFIG, config, ctx, body)
    except (TypeError, ValueError) as exc:
        raise _for_method("edit_image", exc) from None
    return PREDICT, body, options


def upscale_image_request(
    model_path: str, image: Any, upscale_factor: str, config: Any, ctx: Ctx
) -> tuple[str, dict[str, Any], CallOptions]:
    """``upscale_image``: the image as the one instance; ``upscaleFactor`` (``"x2"``,
    ``"x4"``) and the config as ``parameters``, with the fixed ``mode`` and
    ``sampleCount`` the upscale API takes."""
    _vertex_only("upscale_image", ctx)
    try:
        body: dict[str, Any] = {
            "instances": [{"image": _value(_image, image, ctx, "image")}],
            "parameters": {
                "upscaleConfig": {
                    "upscaleFactor": _value(_str, upscale_factor, ctx, "upscale_factor")
                }
            },
        }
        options = _config(UPSCALE_IMAGE_CONFIG, config, ctx, body)
        body["parameters"]["mode"] = "upscale"
        body["parameters"]["sampleCount"] = 1
    except (TypeError, ValueError) as exc:
        raise _for_method("upscale_image", exc) from None
    return PREDICT, body, options


def recontext_image_request(
    model_path: str, source: Any, config: Any, ctx: Ctx
) -> tuple[str, dict[str, Any], CallOptions]:
    """``recontext_image`` (virtual try-on, product recontext): the source as the one
    instance."""
    _vertex_only("recontext_image", ctx)
    try:
        instance = _value(_nested(RECONTEXT_IMAGE_SOURCE), source, ctx, "source")
        body: dict[str, Any] = {"instances": [instance]}
        options = _config(RECONTEXT_IMAGE_CONFIG, config, ctx, body)
    except (TypeError, ValueError) as exc:
        raise _for_method("recontext_image", exc) from None
    return PREDICT, body, options


def segment_image_request(
    model_path: str, source: Any, config: Any, ctx: Ctx
) -> tuple[str, dict[str, Any], CallOptions]:
    """``segment_image``: the image, prompt and scribble as the one instance."""
    _vertex_only("segment_image", ctx)
    try:
        instance = _value(_nested(SEGMENT_IMAGE_SOURCE), source, ctx, "source")
        body: dict[str, Any] = {"instances": [instance]}
        options = _config(SEGMENT_IMAGE_CONFIG, config, ctx, body)
    except (TypeError, ValueError) as exc:
        raise _for_method("segment_image", exc) from None
    return PREDICT, body, options


# -- responses --------------------------------------------------------------------------------

_IMAGE_KEYS = ("gcsUri", "bytesBase64Encoded", "mimeType")
_GENERATED_IMAGE_KEYS = {*_IMAGE_KEYS, "raiFilteredReason", "safetyAttributes", "contentType"}
_GENERATED_IMAGE_FIELDS = {
    "image",
    "rai_filtered_reason",
    "raiFilteredReason",
    "safety_attributes",
    "enhanced_prompt",
    "enhancedPrompt",
}
_MASK_FIELDS = {"mask", "labels"}
POSITIVE_PROMPT = "Positive Prompt"


def _dict(value: Any) -> dict[str, Any]:
    return value if type(value) is dict else {}


def _image_of(prediction: dict[str, Any]) -> dict[str, Any]:
    return {
        "gcs_uri": prediction.get("gcsUri"),
        "image_bytes": prediction.get("bytesBase64Encoded"),
        "mime_type": prediction.get("mimeType"),
    }


def _safety_attributes(holder: dict[str, Any]) -> dict[str, Any]:
    """``{"safetyAttributes": {"categories", "scores", ...}, "contentType"}`` -> one
    ``SafetyAttributes`` (unknown keys of the inner object kept)."""
    inner = _dict(holder.get("safetyAttributes"))
    out = {k: v for k, v in inner.items() if k not in ("categories", "scores")}
    out.update(
        categories=inner.get("categories"),
        scores=inner.get("scores"),
        content_type=holder.get("contentType"),
    )
    return out


def _generated_image(prediction: Any) -> dict[str, Any]:
    p = _dict(prediction)
    out = {
        k: v
        for k, v in p.items()
        if k not in _GENERATED_IMAGE_KEYS and k != "prompt" and k not in _GENERATED_IMAGE_FIELDS
    }
    out.update(
        image=_image_of(p),
        rai_filtered_reason=p.get("raiFilteredReason"),
        safety_attributes=_safety_attributes(p),
        enhanced_prompt=p.get("prompt"),
    )
    return out


def _generated_images(data: dict[str, Any]) -> list[dict[str, Any]] | None:
    predictions = data.get("predictions")
    if not isinstance(predictions, list):
        return None
    return [_generated_image(p) for p in predictions]


def _rest(data: dict[str, Any], *known: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in known}


def parse_generate_images(data: Any, http: HttpResponse | None) -> GenerateImagesResponse:
    """A ``generate_images`` response. A prediction whose content type is
    ``"Positive Prompt"`` carries the prompt's safety attributes: it becomes
    ``positive_prompt_safety_attributes`` instead of an image (a top-level
    ``positivePromptSafetyAttributes`` is used when no prediction is one)."""
    data = _dict(data)
    images = _generated_images(data)
    positive: dict[str, Any] | None = None
    top = data.get("positivePromptSafetyAttributes")
    if type(top) is dict:
        positive = _safety_attributes(top)
    if images is not None:
        kept = []
        for image in images:
            if image["safety_attributes"].get("content_type") == POSITIVE_PROMPT:
                positive = image["safety_attributes"]
            else:
                kept.append(image)
        images = kept
    out = _rest(data, "predictions", "positivePromptSafetyAttributes")
    out.update(
        generated_images=images,
        positive_prompt_safety_attributes=positive,
        sdk_http_response=http,
    )
    return GenerateImagesResponse.model_validate(out)


def parse_edit_image(data: Any, http: HttpResponse | None) -> EditImageResponse:
    """An ``edit_image`` response: one ``GeneratedImage`` per prediction."""
    data = _dict(data)
    out = _rest(data, "predictions")
    out.update(generated_images=_generated_images(data), sdk_http_response=http)
    return EditImageResponse.model_validate(out)


def parse_upscale_image(data: Any, http: HttpResponse | None) -> UpscaleImageResponse:
    """An ``upscale_image`` response: one ``GeneratedImage`` per prediction."""
    data = _dict(data)
    out = _rest(data, "predictions")
    out.update(generated_images=_generated_images(data), sdk_http_response=http)
    return UpscaleImageResponse.model_validate(out)


def parse_recontext_image(data: Any, http: HttpResponse | None) -> RecontextImageResponse:
    """A ``recontext_image`` response: one ``GeneratedImage`` per prediction."""
    data = _dict(data)
    out = _rest(data, "predictions")
    out.update(generated_images=_generated_images(data), sdk_http_response=http)
    return RecontextImageResponse.model_validate(out)


def _mask(prediction: Any) -> dict[str, Any]:
    p = _dict(prediction)
    out = {k: v for k, v in p.items() if k not in _IMAGE_KEYS and k not in _MASK_FIELDS}
    labels = p.get("labels")
    out.update(mask=_image_of(p), labels=labels if isinstance(labels, list) else None)
    return out


def parse_segment_image(data: Any, http: HttpResponse | None) -> SegmentImageResponse:
    """A ``segment_image`` response: one ``GeneratedImageMask`` (mask and entity labels)
    per prediction."""
    data = _dict(data)
    predictions = data.get("predictions")
    masks = [_mask(p) for p in predictions] if isinstance(predictions, list) else None
    out = _rest(data, "predictions")
    out.update(generated_masks=masks, sdk_http_response=http)
    return SegmentImageResponse.model_validate(out)
