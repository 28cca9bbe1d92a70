"""Routing and deterministic response bodies of the mock Gemini / Vertex AI server.

Everything here is pure: given a request (method, path, query, body) it returns
either a :class:`Reply` (a complete JSON body) or a :class:`StreamReply` that
renders the events of ``streamGenerateContent``. Routing ignores any path
prefix and API version segment: POST routes are chosen by the ``:method``
suffix; GET requests for model metadata go to :mod:`._catalog`.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import struct
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import orjson

from ._catalog import RouteError, int_param, model_metadata
from ._faults import error_body
from ._strict import StrictRules

__all__ = ("Reply", "Responder", "StreamReply")

_FALLBACK_TEXT = "This is a deterministic reply from the genai_async mock server."
_MAX_TEXT = 2000
_FILLER = "0123456789abcdef" * 64


class Reply:
    """A complete unary response: status and JSON body."""

    __slots__ = ("body", "status")

    def __init__(self, status: int, body: bytes) -> None:
        self.status = status
        self.body = body


class StreamReply:
    """The content of one ``streamGenerateContent`` call, rendered into events on demand."""

    __slots__ = ("call", "candidates", "model", "prompt_tokens", "response_id", "sse", "text")

    def __init__(
        self,
        sse: bool,
        text: str,
        candidates: int,
        prompt_tokens: int,
        model: str,
        rid: str,
        call: dict[str, Any] | None = None,
    ) -> None:
        self.sse = sse
        self.text = text
        self.candidates = candidates
        self.prompt_tokens = prompt_tokens
        self.model = model
        self.response_id = rid
        self.call = call

    def payloads(self, count: int, event_size: int | None = None) -> list[bytes]:
        """JSON payloads of ``count`` events whose texts concatenate to the unary text.

        With ``event_size``, each event's text is padded so that its ``data:`` line is
        at least that many bytes long.
        """
        if self.call is not None:  # a function call comes whole, in one event
            event = self._event("", 1, True)
            for cand in event["candidates"]:
                cand["content"]["parts"] = [{"functionCall": self.call}]
            return [orjson.dumps(event)]
        text = self.text
        size = len(text)
        out: list[bytes] = []
        for k in range(count):
            start, end = size * k // count, size * (k + 1) // count
            last = k == count - 1
            cumulative = len(text[:end].split()) * self.candidates
            event = self._event(text[start:end], cumulative, last)
            data = orjson.dumps(event)
            if event_size is not None and len(data) + 6 < event_size:
                pad = event_size - 6 - len(data)
                filler = (_FILLER * (pad // len(_FILLER) + 1))[:pad]
                data = orjson.dumps(self._event(text[start:end] + filler, cumulative, last))
            out.append(data)
        return out

    def _event(self, fragment: str, cumulative: int, last: bool) -> dict[str, Any]:
        candidates = []
        for i in range(self.candidates):
            cand: dict[str, Any] = {
                "content": {"role": "model", "parts": [{"text": fragment}]},
                "index": i,
            }
            if last:
                cand["finishReason"] = "STOP"
            candidates.append(cand)
        prompt = self.prompt_tokens
        return {
            "candidates": candidates,
            "usageMetadata": {
                "promptTokenCount": prompt,
                "candidatesTokenCount": cumulative,
                "totalTokenCount": prompt + cumulative,
            },
            "modelVersion": self.model + "-001",
            "responseId": self.response_id,
        }


def _error(status: int, message: str) -> Reply:
    return Reply(status, orjson.dumps(error_body(status, message)))


def _pick(obj: Any, camel: str, snake: str) -> Any:
    if not isinstance(obj, dict):
        return None
    value = obj.get(camel)
    return obj.get(snake) if value is None else value


def _parts_text(content: Any) -> list[str]:
    """Text parts of one content (a content dict, or leniently a bare string)."""
    if isinstance(content, str):
        return [content]
    if not isinstance(content, dict):
        return []
    parts = content.get("parts")
    if not isinstance(parts, list):
        parts = [parts]
    texts: list[str] = []
    for part in parts:
        text = part.get("text") if isinstance(part, dict) else part
        if isinstance(text, str):
            texts.append(text)
    return texts


def _prompt(request: dict[str, Any]) -> tuple[int, str | None]:
    """Word count over all text parts of ``contents`` (min 1) and the last user text."""
    contents = request.get("contents")
    if not isinstance(contents, list):
        contents = [] if contents is None else [contents]
    words = 0
    last_user: str | None = None
    for content in contents:
        if isinstance(content, dict):
            user = content.get("role", "user") in ("user", None)
            parts = content.get("parts")
            if not isinstance(parts, list):
                parts = [parts]
        else:
            user = True
            parts = [content]
        for part in parts:
            text = part.get("text") if isinstance(part, dict) else part
            if isinstance(text, str):
                words += len(text.split())
                if user:
                    last_user = text
    return max(words, 1), last_user


_PLACEHOLDERS: dict[str, Any] = {
    "string": "mock",
    "integer": 1,
    "number": 1.5,
    "boolean": True,
    "array": [],
    "object": {},
}


def _declared_functions(request: dict[str, Any]) -> list[dict[str, Any]]:
    tools = request.get("tools")
    out: list[dict[str, Any]] = []
    for tool in tools if isinstance(tools, list) else ():
        found = _pick(tool, "functionDeclarations", "function_declarations")
        if isinstance(found, list):
            out.extend(d for d in found if isinstance(d, dict) and isinstance(d.get("name"), str))
    return out


def _placeholder_args(declaration: dict[str, Any]) -> dict[str, Any]:
    """Arguments for a declared function: each required parameter's default, else a
    placeholder of its type (``"mock"``, ``1``, ``1.5``, ``True``, ``[]``, ``{}``)."""
    schema = _pick(declaration, "parametersJsonSchema", "parameters_json_schema")
    if not isinstance(schema, dict):
        schema = declaration.get("parameters")
    if not isinstance(schema, dict):
        return {}
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return {}
    required = schema.get("required") or []
    args: dict[str, Any] = {}
    for name, prop in properties.items():
        if name not in required or not isinstance(prop, dict):
            continue
        if "default" in prop:
            args[name] = prop["default"]
            continue
        kind = prop.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "string")
        if not isinstance(kind, str) and isinstance(prop.get("enum"), list) and prop["enum"]:
            args[name] = prop["enum"][0]
            continue
        args[name] = _PLACEHOLDERS.get(str(kind or "string").lower(), "mock")
    return args


def _last_content(request: dict[str, Any]) -> dict[str, Any] | None:
    contents = request.get("contents")
    if isinstance(contents, list) and contents and isinstance(contents[-1], dict):
        return contents[-1]
    return None


def function_call(request: dict[str, Any]) -> dict[str, Any] | None:
    """The function call the mock model makes: when the request declares functions
    and its last turn is user text naming one of them (as a word), a call of the first
    (with placeholder arguments); else ``None``."""
    declarations = _declared_functions(request)
    last = _last_content(request) if declarations else None
    if last is None or last.get("role", "user") != "user":
        return None
    text = " ".join(_parts_text(last))
    for declaration in declarations:
        if re.search(rf"(?<!\w){re.escape(declaration['name'])}(?!\w)", text):
            return {"name": declaration["name"], "args": _placeholder_args(declaration)}
    return None


def _function_results(request: dict[str, Any]) -> str | None:
    """The function responses of the last turn as compact JSON, or ``None``."""
    last = _last_content(request)
    parts = last.get("parts") if last is not None else None
    results = {}
    for part in parts if isinstance(parts, list) else ():
        response = _pick(part, "functionResponse", "function_response")
        if isinstance(response, dict):
            results[str(response.get("name"))] = response.get("response")
    return orjson.dumps(results).decode() if results else None


def _tiny_png(seed: str) -> bytes:
    """A valid 1x1 PNG whose colour depends on ``seed``."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rgb = hashlib.sha256(seed.encode()).digest()[:3]
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + rgb)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _vector(text: str, dim: int) -> list[float]:
    raw = hashlib.shake_128(text.encode()).digest(2 * dim)
    return [round(v / 32767.5 - 1.0, 6) for v in struct.unpack(f"<{dim}H", raw)]


def _is_model_path(path: str) -> bool:
    segments = [s for s in path.split("/") if s]
    return len(segments) >= 2 and segments[-2] in ("models", "tunedModels")


def _named_by_google(resource: str) -> bool:
    """A Google model (``models/x``, ``publishers/google/models/x``), not one of the
    user's own (``tunedModels/x``, Vertex ``projects/p/locations/l/models/123``)."""
    if "/tunedModels/" in resource:
        return False
    return "/projects/" not in resource or "/publishers/" in resource


def _model_from_path(resource: str) -> str:
    """The model id: everything after the last ``models/`` or ``tunedModels/`` segment."""
    base = resource.rfind("/models/")
    tuned = resource.rfind("/tunedModels/")
    if base > tuned:
        return resource[base + 8 :]
    if tuned >= 0:
        return resource[tuned + 13 :]
    return resource[resource.rfind("/") + 1 :]


class Responder:
    """Computes responses for one server; keeps the response-id counter."""

    __slots__ = ("_ids", "_methods", "models", "page_size_default", "stream_events", "strict")

    def __init__(self, *, models: int, page_size_default: int, stream_events: int) -> None:
        self.models = models
        self.page_size_default = page_size_default
        self.stream_events = stream_events
        self.strict: StrictRules | None = None
        self._ids = itertools.count(1)
        self._methods: dict[str, Callable[[str, Any, str], Reply | StreamReply]] = {
            "generateContent": self._generate,
            "streamGenerateContent": self._stream,
            "countTokens": self._count_tokens,
            "computeTokens": self._compute_tokens,
            "embedContent": self._embed,
            "batchEmbedContents": self._batch_embed,
            "predict": self._predict,
        }

    def respond(self, method: str, path: str, query: str, body: bytes) -> Reply | StreamReply:
        """Route one request and build its response."""
        if "%" in path:
            path = unquote(path)
        strict = self.strict
        try:
            if strict is not None:
                strict.check_path(path)
            colon = path.rfind(":")
            if colon > path.rfind("/"):
                verb = path[colon + 1 :]
                handler = self._methods.get(verb)
                if handler is None or method != "POST":
                    raise RouteError(404, f"Method not found: {method} {path}")
                try:
                    request = orjson.loads(body) if body else {}
                except orjson.JSONDecodeError:
                    raise RouteError(400, "Invalid JSON payload received.") from None
                if not isinstance(request, dict):
                    raise RouteError(400, "Invalid JSON payload: expected an object.")
                model = _model_from_path(path[:colon])
                if strict is not None:
                    if _named_by_google(path[:colon]):
                        strict.check_model(model)
                    strict.check_body(verb, request)
                return handler(model, request, query)
            if method == "GET":
                if strict is not None and _is_model_path(path) and _named_by_google(path):
                    strict.check_model(_model_from_path(path))
                return Reply(200, model_metadata(path, query, self.models, self.page_size_default))
            if method in ("PATCH", "DELETE") and _is_model_path(path):
                if method == "DELETE":
                    return Reply(200, b"{}")
                model = orjson.loads(model_metadata(path, "", self.models, self.page_size_default))
                changes = orjson.loads(body) if body else {}
                if not isinstance(changes, dict):
                    raise RouteError(400, "Invalid JSON payload: expected an object.")
                return Reply(200, orjson.dumps({**model, **changes}))
            raise RouteError(404, f"Method not found: {method} {path}")
        except RouteError as exc:
            return _error(exc.status, exc.message)

    # -- generation ---------------------------------------------------------------------------

    def _generation(self, request: dict[str, Any]) -> tuple[str, int, int]:
        prompt_tokens, last_user = _prompt(request)
        results = _function_results(request)
        if results is not None:
            text = ("Function results: " + results)[:_MAX_TEXT]
        elif last_user is None:
            text = _FALLBACK_TEXT
        else:
            text = ("Echo: " + last_user)[:_MAX_TEXT]
        count = 1
        config = _pick(request, "generationConfig", "generation_config")
        if config:
            mime = _pick(config, "responseMimeType", "response_mime_type")
            if mime == "application/json":
                text = orjson.dumps({"echo": text}).decode()
            count = int_param(
                _pick(config, "candidateCount", "candidate_count"), "candidateCount", 1, 1, 8
            )
        return text, count, prompt_tokens

    def _generate(self, model: str, request: dict[str, Any], query: str) -> Reply:
        text, count, prompt = self._generation(request)
        call = function_call(request)
        words = 1 if call is not None else len(text.split()) * count
        part: dict[str, Any] = {"functionCall": call} if call is not None else {"text": text}
        candidates = [
            {
                "content": {"role": "model", "parts": [part]},
                "finishReason": "STOP",
                "index": i,
            }
            for i in range(count)
        ]
        body = {
            "candidates": candidates,
            "usageMetadata": {
                "promptTokenCount": prompt,
                "candidatesTokenCount": words,
                "totalTokenCount": prompt + words,
            },
            "modelVersion": model + "-001",
            "responseId": f"mock-{next(self._ids):08x}",
        }
        return Reply(200, orjson.dumps(body))

    def _stream(self, model: str, request: dict[str, Any], query: str) -> StreamReply:
        text, count, prompt = self._generation(request)
        sse = "alt=sse" in query.split("&")
        rid = f"mock-{next(self._ids):08x}"
        return StreamReply(sse, text, count, prompt, model, rid, function_call(request))

    def _compute_tokens(self, model: str, request: dict[str, Any], query: str) -> Reply:
        """One ``tokensInfo`` per content: each word a token (ids as int64 strings)."""
        contents = request.get("contents")
        infos = []
        for content in contents if isinstance(contents, list) else ():
            words = " ".join(_parts_text(content)).split()
            infos.append(
                {
                    "role": content.get("role", "user") if isinstance(content, dict) else "user",
                    "tokenIds": [str(int.from_bytes(w.encode()[:6], "big")) for w in words],
                    "tokens": [base64.b64encode(w.encode()).decode() for w in words],
                }
            )
        return Reply(200, orjson.dumps({"tokensInfo": infos}))

    def _count_tokens(self, model: str, request: dict[str, Any], query: str) -> Reply:
        inner = _pick(request, "generateContentRequest", "generate_content_request")
        prompt, _ = _prompt(inner if isinstance(inner, dict) else request)
        return Reply(200, orjson.dumps({"totalTokens": prompt}))

    # -- embeddings ---------------------------------------------------------------------------

    @staticmethod
    def _dimension(*sources: Any) -> int:
        for source in sources:
            value = _pick(source, "outputDimensionality", "output_dimensionality")
            if value is not None:
                return int_param(value, "outputDimensionality", 8, 1, 65536)
        return 8

    def _embed(self, model: str, request: dict[str, Any], query: str) -> Reply:
        text = " ".join(_parts_text(_pick(request, "content", "content")))
        config = _pick(request, "embedContentConfig", "embed_content_config")
        body: dict[str, Any] = {
            "embedding": {"values": _vector(text, self._dimension(config, request))}
        }
        if config is not None:
            body["usageMetadata"] = {"promptTokenCount": max(len(text.split()), 1)}
            body["truncated"] = False
        return Reply(200, orjson.dumps(body))

    def _batch_embed(self, model: str, request: dict[str, Any], query: str) -> Reply:
        entries = _pick(request, "requests", "requests")
        if not isinstance(entries, list):
            raise RouteError(400, "batchEmbedContents needs a 'requests' list.")
        embeddings = []
        for entry in entries:
            text = " ".join(_parts_text(_pick(entry, "content", "content")))
            embeddings.append({"values": _vector(text, self._dimension(entry, request))})
        return Reply(200, orjson.dumps({"embeddings": embeddings}))

    def _images(self, model: str, instance: dict[str, Any], parameters: Any) -> Reply:
        """Imagen predictions: ``sampleCount`` tiny PNGs (one by default); segmentation
        models answer with one mask labelled ``"mock"``."""
        parameters = parameters if isinstance(parameters, dict) else {}
        count = int_param(parameters.get("sampleCount"), "sampleCount", 1, 1, 8)
        prompt = str(instance.get("prompt") or "")
        png = base64.b64encode(_tiny_png(prompt)).decode()
        prediction: dict[str, Any] = {"bytesBase64Encoded": png, "mimeType": "image/png"}
        if "segment" in model:
            prediction["labels"] = [{"label": "mock", "score": 1.0}]
        return Reply(200, orjson.dumps({"predictions": [prediction] * count}))

    def _predict(self, model: str, request: dict[str, Any], query: str) -> Reply:
        instances = _pick(request, "instances", "instances")
        if not isinstance(instances, list):
            raise RouteError(400, "predict needs an 'instances' list.")
        if instances and isinstance(instances[0], dict) and "content" not in instances[0]:
            return self._images(model, instances[0], request.get("parameters"))
        dim = self._dimension(_pick(request, "parameters", "parameters"))
        predictions = []
        characters = 0
        for instance in instances:
            content = _pick(instance, "content", "content")
            text = content if isinstance(content, str) else ""
            characters += len(text)
            stats = {"token_count": max(len(text.split()), 1), "truncated": False}
            predictions.append({"embeddings": {"values": _vector(text, dim), "statistics": stats}})
        body = {"predictions": predictions, "metadata": {"billableCharacterCount": characters}}
        return Reply(200, orjson.dumps(body))
