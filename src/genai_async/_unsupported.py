"""google-genai names genai_async does not provide: one clear error on first use.

Place in the layering: a leaf next to ``errors``. The client, the sync client
and the model surfaces consult :func:`missing` from ``__getattr__``, so a name
google-genai has never fails with a bare ``AttributeError``.
"""

from __future__ import annotations

from .errors import NotProvidedError

__all__ = ("missing",)

_LATER = "not provided by genai_async yet"
_NEVER = "not provided by genai_async (use google-genai for it)"

_CLIENT: dict[str, tuple[str, str]] = {
    "auth_tokens": ("ephemeral auth tokens for the Live API", _NEVER),
    "live": ("the Live API (websockets)", _NEVER),
    "interactions": ("the Interactions API", _NEVER),
    "agents": ("agents", _NEVER),
    "decisions": ("decisions", _NEVER),
    "environments": ("environments", _NEVER),
    "triggers": ("triggers", _NEVER),
    "voices": ("voices", _NEVER),
    "webhooks": ("webhooks", _NEVER),
    "credentials": ("the credentials attribute", _LATER),
}

_MODELS: dict[str, tuple[str, str]] = {}

_FILES: dict[str, tuple[str, str]] = {}

_TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "client": _CLIENT,
    "models": _MODELS,
    "files": _FILES,
    "caches": {},
    "batches": {},
    "operations": {},
    "tunings": {},
    "file_search_stores": {},
    "documents": {},
}


def missing(owner: str, name: str) -> NotProvidedError | AttributeError:
    """The error for ``<owner>.<name>``: which feature it is and that it is not provided,
    or a plain ``AttributeError`` for a name google-genai does not have either."""
    found = _TABLES[owner].get(name)
    if found is None:
        return AttributeError(f"{owner!r} object has no attribute {name!r}")
    what, status = found
    return NotProvidedError(f"{owner}.{name} ({what}) is {status}")
