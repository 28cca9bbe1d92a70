"""URL assembly (wire.md §2): base URL + version + Vertex resource prefix + path.

Paths are checked and percent-encoded so a model name or method path can never
change the host or climb out of the API path. Pure; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote, urlencode, urlsplit

__all__ = ("check_base_url", "encode_path", "join_url", "normalize_model", "with_query")

# Characters kept as they are in a path: RFC 3986 pchar plus '/', minus '%' handled apart.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_QUERY_SAFE = "/:@!$'()*+,;=-._~&=?"


def check_base_url(base_url: str) -> str:
    """Validate ``base_url``: an absolute http(s) URL without query or fragment."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base_url must be an absolute http:// or https:// URL, got {base_url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"base_url must not have a query or fragment, got {base_url!r}")
    if parts.username or parts.password:
        raise ValueError("base_url must not carry credentials; use headers")
    return base_url


def join_url(base: str, path: str) -> str:
    """Keep scheme and host; one '/' between base path and relative path."""
    if base.endswith("/"):
        base = base[:-1]
    if path.startswith("/"):
        path = path[1:]
    return f"{base}/{path}" if path else base


def encode_path(path: str) -> str:
    """Make a relative API path safe to append to a base URL.

    Splits off the query, refuses fragments, ``..``/``.`` segments, absolute or
    scheme-relative paths and control characters; percent-encodes the rest
    (spaces, non-ASCII). Existing ``%XX`` escapes are kept.
    """
    if "#" in path:
        raise ValueError(f"API path must not contain '#': {path!r}")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path):
        raise ValueError(f"API path must not contain control characters: {path!r}")
    raw_path, sep, query = path.partition("?")
    if raw_path.startswith("//") or "://" in raw_path:
        raise ValueError(f"API path must be relative: {path!r}")
    for segment in raw_path.split("/"):
        if segment in (".", "..") or _unquoted(segment) in (".", ".."):
            raise ValueError(f"API path must not contain '.' or '..' segments: {path!r}")
    encoded = quote(raw_path, safe=_PATH_SAFE + "%")
    if sep:
        encoded += "?" + quote(query, safe=_QUERY_SAFE + "%")
    return encoded


def _unquoted(segment: str) -> str:
    if "%" not in segment:
        return segment
    from urllib.parse import unquote

    return unquote(segment)


def with_query(url: str, params: Iterable[tuple[str, str]] | None) -> str:
    """Append encoded query parameters, with '&' when the URL already has a query."""
    if not params:
        return url
    encoded = urlencode(list(params))
    if not encoded:
        return url
    return f"{url}{'&' if '?' in url else '?'}{encoded}"


def normalize_model(model: str, *, vertexai: bool) -> str:
    """wire.md §2.1: ``gemini-x`` -> ``models/gemini-x`` (Gemini) or
    ``publishers/google/models/gemini-x`` (Vertex)."""
    if not isinstance(model, str):
        raise TypeError(f"model must be a str, not {type(model).__qualname__}")
    if not model:
        raise ValueError("model must not be empty")
    if ".." in model or "?" in model or "&" in model or "#" in model:
        raise ValueError(f"invalid model name {model!r}: '..', '?', '&' and '#' are not allowed")
    if not vertexai:
        if model.startswith(("models/", "tunedModels/")):
            return model
        return f"models/{model}"
    if model.startswith(("projects/", "models/", "publishers/")):
        return model
    if "/" in model:
        publisher, _, ident = model.partition("/")
        return f"publishers/{publisher}/models/{ident}"
    return f"publishers/google/models/{model}"
