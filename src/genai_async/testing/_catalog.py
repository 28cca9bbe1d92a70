"""The fake model catalog of the mock server: ``models.get`` and paged ``models.list``.

GET routes are recognised by their trailing resource path, whatever prefix and
API version precede it: ``…/models``, ``…/tunedModels`` and
``…/publishers/<p>/models`` list; ``…/models/<id>`` and friends get one model.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qs

import orjson

__all__ = ("RouteError", "int_param", "model_metadata")

_KNOWN_MODELS = (
    "gemini-2.5-pro",
    "gemini-2.5-flash",
    "gemini-2.5-flash-lite",
    "gemini-2.0-flash",
    "gemini-embedding-001",
    "text-embedding-004",
    "gemma-3-27b-it",
)
_TIMESTAMP = "2025-01-01T00:00:00.000000Z"


class RouteError(Exception):
    """A request that routing rejects with an HTTP error status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def int_param(value: Any, name: str, default: int, lo: int, hi: int) -> int:
    """``value`` as an int in ``[lo, hi]`` (``default`` when absent); 400 otherwise."""
    if value is None:
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise RouteError(400, f"Invalid value for {name}: {value!r}") from None
    if not lo <= number <= hi:
        raise RouteError(400, f"{name} must be between {lo} and {hi}")
    return number


def _known_model(i: int) -> str:
    return _KNOWN_MODELS[i] if i < len(_KNOWN_MODELS) else f"gemini-mock-{i:04d}"


def _encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(b"offset:%d" % offset).decode("ascii").rstrip("=")


def _decode_token(token: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        prefix, _, number = raw.partition(b":")
        if prefix != b"offset" or not number.isdigit():
            raise ValueError(token)
        return int(number)
    except ValueError:
        raise RouteError(400, f"Invalid page token: {token!r}") from None


def model_metadata(path: str, query: str, models: int, page_size_default: int) -> bytes:
    """JSON body for a GET of a model or a model listing; raises :class:`RouteError`."""
    segments = [s for s in path.split("/") if s]
    if not segments:
        raise RouteError(404, f"Not found: GET {path}")
    last = segments[-1]
    if last in ("models", "tunedModels"):
        return orjson.dumps(_list(segments, query, models, page_size_default))
    if len(segments) >= 2 and segments[-2] in ("models", "tunedModels"):
        return orjson.dumps(_resource(segments[:-2], segments[-2], last, 0))
    raise RouteError(404, f"Not found: GET {path}")


def _list(segments: list[str], query: str, models: int, page_size_default: int) -> dict[str, Any]:
    params = parse_qs(query, keep_blank_values=True)
    size_values = params.get("pageSize") or params.get("page_size")
    size = int_param(
        size_values[0] if size_values else None,
        "pageSize",
        page_size_default,
        0,
        1_000_000,
    )
    size = min(size or page_size_default, 1000)
    token = (params.get("pageToken") or params.get("page_token") or [""])[0]
    offset = _decode_token(token) if token else 0
    parents, collection = segments[:-1], segments[-1]
    if len(parents) >= 2 and parents[-2] == "publishers":
        key = "publisherModels"
    elif collection == "tunedModels":
        key = "tunedModels"
    else:
        key = "models"
    end = min(offset + size, models)
    items = [_resource(parents, collection, None, i) for i in range(offset, end)]
    body: dict[str, Any] = {key: items}
    if end < models:
        body["nextPageToken"] = _encode_token(end)
    return body


def _resource(parents: list[str], collection: str, ident: str | None, i: int) -> dict[str, Any]:
    """A model resource; ``ident`` is the requested id, or ``None`` for listing entry ``i``."""
    if len(parents) >= 2 and parents[-2] == "publishers":
        model_id = ident or _known_model(i)
        return {
            "name": f"publishers/{parents[-1]}/models/{model_id}",
            "versionId": "001",
            "displayName": model_id,
            "description": f"Mock publisher model {model_id}.",
            "openSourceCategory": "PROPRIETARY",
            "launchStage": "GA",
            "versionState": "VERSION_STATE_STABLE",
            "labels": {},
        }
    if "projects" in parents:
        prefix = "/".join(parents[parents.index("projects") :])
        model_id = ident or str(1_000_000_000 + i)
        return {
            "name": f"{prefix}/models/{model_id}",
            "versionId": "1",
            "displayName": f"tuned-{model_id}",
            "description": f"Mock tuned model {model_id}.",
            "labels": {"tune-type": "supervised"},
            "createTime": _TIMESTAMP,
            "updateTime": _TIMESTAMP,
            "deployedModels": [
                {"endpoint": f"{prefix}/endpoints/{model_id}", "deployedModelId": model_id}
            ],
            "defaultCheckpointId": "1",
            "checkpoints": [{"checkpointId": "1", "epoch": "1", "step": "10"}],
        }
    if collection == "tunedModels":
        model_id = ident or f"tuned-mock-{i:04d}"
    else:
        model_id = ident or _known_model(i)
    embedding = "embedding" in model_id
    resource: dict[str, Any] = {
        "name": f"{collection}/{model_id}",
        "baseModelId": model_id,
        "version": "001",
        "displayName": model_id.replace("-", " ").title(),
        "description": f"Mock model {model_id} served by genai_async.testing.",
        "inputTokenLimit": 2048 if embedding else 1_048_576,
        "outputTokenLimit": 1 if embedding else 65_536,
        "supportedGenerationMethods": (
            ["embedContent", "batchEmbedContents"]
            if embedding
            else ["generateContent", "streamGenerateContent", "countTokens"]
        ),
        "temperature": 1.0,
        "maxTemperature": 2.0,
        "topP": 0.95,
        "topK": 64,
        "thinking": not embedding,
    }
    if collection == "tunedModels":
        resource["baseModel"] = "models/gemini-2.5-flash"
        resource["state"] = "ACTIVE"
        resource["createTime"] = _TIMESTAMP
        resource["updateTime"] = _TIMESTAMP
    return resource
