"""``contents`` and ``system_instruction`` in wire form (google-genai's normalisation).

* a string -> one user content with one text part;
* a list of strings and parts -> consecutive parts grouped into one content
  (``role`` ``"user"``, or ``"model"`` for function-call parts);
* a content (dict with ``parts``/``role``, or a Content model) -> itself;
* a nested list -> one user content of those parts.

Parts are strings, dicts (Part fields, or FileData fields), Part models
(ours or google-genai's), google-genai ``File`` objects and PIL images.
"""

from __future__ import annotations

import importlib
import io
from typing import Any

from pydantic import BaseModel

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

__all__ = ("PART", "content_to_wire", "contents_to_wire", "part_to_wire")

BLOB = spec("Blob", data=b64, display_name=None, mime_type=None)
FILE_DATA = spec("FileData", display_name=None, file_uri=None, mime_type=None)
VIDEO_METADATA = spec(
    "VideoMetadata", end_offset=None, fps=None, start_offset=None, content_layers=loose
)
MEDIA_RESOLUTION = spec("PartMediaResolution", level=None, num_tokens=None)
FUNCTION_CALL = spec(
    "FunctionCall",
    id=None,
    args=plain,
    name=None,
    partial_args=vertex_only(loose),
    will_continue=vertex_only(),
)
FUNCTION_RESPONSE_PART = spec(
    "FunctionResponsePart",
    inline_data=BLOB,
    file_data=FILE_DATA,
    media_processing=gemini_only(loose),
    media_resolution=MEDIA_RESOLUTION,
    video_metadata=VIDEO_METADATA,
    document_metadata=loose,
    spreadsheet_metadata=loose,
    audio_metadata=loose,
)
FUNCTION_RESPONSE = spec(
    "FunctionResponse",
    will_continue=gemini_only(),
    scheduling=None,
    parts=list_of(nested(FUNCTION_RESPONSE_PART)),
    id=None,
    name=None,
    response=plain,
)
EXECUTABLE_CODE = spec("ExecutableCode", code=None, language=None, id=None)
CODE_EXECUTION_RESULT = spec("CodeExecutionResult", outcome=None, output=None, id=None)
PART = spec(
    "Part",
    media_resolution=MEDIA_RESOLUTION,
    code_execution_result=CODE_EXECUTION_RESULT,
    executable_code=EXECUTABLE_CODE,
    file_data=FILE_DATA,
    function_call=FUNCTION_CALL,
    function_response=FUNCTION_RESPONSE,
    inline_data=BLOB,
    text=None,
    thought=None,
    thought_signature=b64,
    video_metadata=VIDEO_METADATA,
    tool_call=gemini_only(loose),
    tool_response=gemini_only(loose),
    part_metadata=gemini_only(plain),
    audio_transcription=loose,
    media_processing=loose,
    speech_metadata=loose,
    document_metadata=loose,
    spreadsheet_metadata=loose,
    audio_metadata=loose,
)
_CONTENT_KEYS = frozenset(("parts", "role"))


def _file_like(value: BaseModel) -> dict[str, Any] | None:
    """google-genai's ``File`` (an uploaded file) as a file-data part."""
    fields = type(value).model_fields
    if "uri" in fields and "mime_type" in fields and "parts" not in fields:
        uri = getattr(value, "uri", None)
        mime = getattr(value, "mime_type", None)
        if not uri or not mime:
            raise ValueError("a File used as a part needs both uri and mime_type")
        return {"fileData": {"fileUri": uri, "mimeType": mime}}
    return None


def _pil_part(value: Any) -> dict[str, Any] | None:
    if "image" not in type(value).__name__.lower():
        return None
    try:
        pil_image: Any = importlib.import_module("PIL.Image")
    except ImportError:
        return None
    if not isinstance(value, pil_image.Image):
        return None
    fmt, options = "PNG", {}
    if (
        value.format == "JPEG"
        and getattr(value, "filename", "")
        and value.mode in ("1", "L", "RGB", "RGBX", "CMYK")
    ):
        fmt, options = "JPEG", {"quality": "keep"}
    buf = io.BytesIO()
    value.save(buf, fmt, **options)
    return {
        "inlineData": {"data": b64(buf.getvalue(), Ctx(False)), "mimeType": f"image/{fmt.lower()}"}
    }


def part_to_wire(value: Any, ctx: Ctx) -> dict[str, Any]:
    """One part in wire form."""
    if type(value) is str:
        return {"text": value}
    if type(value) is dict:
        if len(value) == 1:
            text = value.get("text")
            if type(text) is str:
                return {"text": text}
        part_fields = PART.fields
        if any(key not in part_fields for key in value) and all(
            key in FILE_DATA.fields for key in value
        ):
            return {"fileData": convert(FILE_DATA, value, ctx)}
        return convert(PART, value, ctx)
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        if "inline_data" in fields and "function_call" in fields:
            return convert(PART, value, ctx)
        file_part = _file_like(value)
        if file_part is not None:
            return file_part
        if "file_uri" in fields:
            return {"fileData": convert(FILE_DATA, value, ctx)}
        raise TypeError(f"unsupported content part type: {type(value).__qualname__}")
    if isinstance(value, str):
        return {"text": str(value)}
    pil = _pil_part(value)
    if pil is not None:
        return pil
    raise TypeError(f"unsupported content part type: {type(value).__qualname__}")


def _is_content(value: Any) -> bool:
    if type(value) is dict:
        return not value or all(key in _CONTENT_KEYS for key in value)
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return "parts" in fields and "role" in fields
    return False


def _parts(value: Any, ctx: Ctx) -> list[dict[str, Any]]:
    if isinstance(value, (list, tuple)):
        return [part_to_wire(item, ctx) for item in value]
    return [part_to_wire(value, ctx)]


def _content(value: Any, ctx: Ctx) -> dict[str, Any]:
    """A content dict or model -> wire (``parts`` then ``role``)."""
    out: dict[str, Any] = {}
    if type(value) is dict:
        parts, role = value.get("parts"), value.get("role")
    else:
        parts, role = getattr(value, "parts", None), getattr(value, "role", None)
        extra = value.__pydantic_extra__ if isinstance(value, BaseModel) else None
        if extra:
            out.update({k: plain(v, ctx) for k, v in extra.items() if v is not None})
    if parts is not None:
        out["parts"] = _parts(parts, ctx)
    if role is not None:
        out["role"] = role
    return out


def _wrap(part: dict[str, Any]) -> dict[str, Any]:
    return {"parts": [part], "role": "model" if "functionCall" in part else "user"}


def content_to_wire(value: Any, ctx: Ctx, *, what: str = "content") -> dict[str, Any]:
    """One content (``system_instruction``, an embedding input): content, part or string."""
    if value is None:
        raise ValueError(f"{what} is required")
    if type(value) is str:
        return {"parts": [{"text": value}], "role": "user"}
    if _is_content(value):
        return _content(value, ctx)
    if isinstance(value, (list, tuple)):
        if not value:
            raise ValueError(f"{what} must not be empty")
        return {"parts": _parts(value, ctx), "role": "user"}
    return _wrap(part_to_wire(value, ctx))


def contents_to_wire(value: Any, ctx: Ctx) -> list[dict[str, Any]]:
    """``contents`` of generateContent / countTokens in wire form."""
    if type(value) is str:
        return [{"parts": [{"text": value}], "role": "user"}]
    if value is None or (isinstance(value, (list, tuple)) and not value):
        raise ValueError("contents are required")
    if not isinstance(value, (list, tuple)):
        return [content_to_wire(value, ctx, what="contents")]
    result: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    pending_model = False
    for item in value:
        if _is_content(item):
            if pending:
                result.append({"parts": pending, "role": "model" if pending_model else "user"})
                pending = []
            result.append(_content(item, ctx))
        elif isinstance(item, (list, tuple)):
            if pending:
                result.append({"parts": pending, "role": "model" if pending_model else "user"})
                pending = []
            result.append({"parts": _parts(item, ctx), "role": "user"})
        else:
            part = part_to_wire(item, ctx)
            is_model = "functionCall" in part
            if pending and is_model is not pending_model:
                result.append({"parts": pending, "role": "model" if pending_model else "user"})
                pending = []
            pending.append(part)
            pending_model = is_model
    if pending:
        result.append({"parts": pending, "role": "model" if pending_model else "user"})
    return result
