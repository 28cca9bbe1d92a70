"""JSON on the wire (orjson): encoding, decoding, ``extra_body`` merging, error bodies.

Compact UTF-8 out, strict parsing in, one library error for a bad success body
(wire.md §9.2), Google's error envelope parsed per §9.1/§9.3. Pure; no I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import orjson

from .errors import STATUS_TO_CODE, APIError, ResponseInfo, UnknownApiResponseError, error_class_for

__all__ = ("api_error", "decode_success", "encode", "in_band_error", "merge_extra_body")

logger = logging.getLogger("genai_async")

dumps = orjson.dumps
loads = orjson.loads


def encode(value: Any) -> bytes:
    try:
        return dumps(value)
    except TypeError as exc:
        raise TypeError(f"request body is not JSON-serialisable: {exc}") from None


def merge_extra_body(body: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """http-options.md §5.3: keys aligned ignoring '_' and case, dicts merged deeply,
    everything else (lists included) replaced. Returns a new dict; inputs are untouched."""
    result = dict(body)
    if not extra:
        return result
    spellings = {_norm(k): k for k in result}
    for key, value in extra.items():
        target = spellings.get(_norm(key), key)
        current = result.get(target)
        if isinstance(current, dict) and isinstance(value, dict):
            result[target] = merge_extra_body(current, value)
            continue
        if target in result and current is not None and type(current) is not type(value):
            logger.warning(
                "extra_body replaces %r (a %s) with a %s",
                target,
                type(current).__name__,
                type(value).__name__,
            )
        result[target] = value
        spellings[_norm(key)] = target
    return result


def _norm(key: str) -> str:
    return key.replace("_", "").lower()


def in_band_error(obj: Any, fallback_code: int, response: ResponseInfo | None) -> APIError | None:
    """An ``{"error": {...}}`` object as the APIError its code (or status) names."""
    if type(obj) is not dict or "error" not in obj:
        return None
    err = obj["error"]
    if not isinstance(err, dict):
        return None
    code = err.get("code")
    if isinstance(code, str) and code.isdigit():
        code = int(code)
    if not isinstance(code, int) or isinstance(code, bool):
        status = err.get("status")
        code = (
            STATUS_TO_CODE.get(status, fallback_code) if isinstance(status, str) else fallback_code
        )
    return error_class_for(code)(code, obj, response)


def decode_success(body: bytes, response: ResponseInfo | None = None) -> Any:
    """A 2xx body: ``{}`` when empty, the parsed JSON otherwise; a body holding only
    an error object raises it."""
    if not body:
        return {}
    try:
        value = loads(body)
    except orjson.JSONDecodeError as exc:
        raise UnknownApiResponseError(
            f"the response body is not valid JSON ({exc})", _preview(body)
        ) from None
    if type(value) is dict and len(value) == 1 and "error" in value:
        err = in_band_error(value, response.status if response else 200, response)
        if err is not None:
            raise err
    return value


def api_error(
    status: int, reason: str | None, headers: Mapping[str, str], body: bytes, url: str
) -> APIError:
    """wire.md §9: the error for a non-2xx response."""
    info = ResponseInfo(status=status, reason=reason, headers=dict(headers.items()), url=url)
    details: Any
    try:
        details = loads(body) if body else {}
    except orjson.JSONDecodeError:
        details = {"message": body.decode("utf-8", "replace"), "status": reason}
    if isinstance(details, list) and len(details) == 1:
        details = details[0]
    if not isinstance(details, dict):
        details = {"message": str(details), "status": reason}
    return error_class_for(status)(status, details, info)


def _preview(body: bytes) -> str:
    return body[:2000].decode("utf-8", "replace")
