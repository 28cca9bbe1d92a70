"""Case-insensitive headers, header validation, version headers and redaction.

Departure from google-genai (http-options.md §5.2): names compare
case-insensitively, the last writer wins whatever its case, and a merged set
holds each name once. Pure; no I/O.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterable, Iterator, Mapping

from ._version import __version__

__all__ = (
    "LIBRARY_LABEL",
    "SECRET_HEADERS",
    "Headers",
    "check_header",
    "redact_headers",
    "server_timeout_value",
)

PRODUCT_TOKEN = f"genai-async/{__version__}"
PYTHON_TOKEN = f"gl-python/{sys.version.split()[0]}"
LIBRARY_LABEL = f"{PRODUCT_TOKEN} {PYTHON_TOKEN}"

_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
SECRET_HEADERS = frozenset(
    {"x-goog-api-key", "authorization", "proxy-authorization", "cookie", "x-goog-user-project"}
)


def check_header(name: object, value: object) -> None:
    """Refuse a header that could not be sent as given (header injection included)."""
    if not isinstance(name, str) or not _TOKEN.match(name):
        raise ValueError(f"invalid header name {name!r}: must be an HTTP token")
    if not isinstance(value, str):
        raise TypeError(f"header {name!r} must have a str value, not {type(value).__qualname__}")
    if "\r" in value or "\n" in value or "\0" in value:
        raise ValueError(f"header {name!r} has a CR, LF or NUL character in its value")


class Headers(Mapping[str, str]):
    """An immutable, case-insensitive header set that keeps the spelling last given.

    Lookups take any case; iteration yields the wire spelling.
    """

    __slots__ = ("_items", "_wire")

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        store: dict[str, tuple[str, str]] = {}
        pairs = items.items() if isinstance(items, Mapping) else items
        for name, value in pairs:
            check_header(name, value)
            store[name.lower()] = (name, value)
        self._items = store
        self._wire: dict[str, str] | None = None

    @classmethod
    def _from_store(cls, store: dict[str, tuple[str, str]]) -> Headers:
        self = cls.__new__(cls)
        self._items = store
        self._wire = None
        return self

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Headers):
            return {k: v for k, (_, v) in self._items.items()} == {
                k: v for k, (_, v) in other._items.items()
            }
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset((k, v) for k, (_, v) in self._items.items()))

    def merged(self, override: Mapping[str, str] | None) -> Headers:
        """``self`` with every header of ``override`` set (any case replaces)."""
        if not override:
            return self
        store = dict(self._items)
        for name, value in override.items():
            check_header(name, value)
            store[name.lower()] = (name, value)
        return Headers._from_store(store)

    def with_default(self, name: str, value: str) -> Headers:
        """Set ``name`` only if no header of that name (any case) is present."""
        if name.lower() in self._items:
            return self
        store = dict(self._items)
        store[name.lower()] = (name, value)
        return Headers._from_store(store)

    def with_version_headers(self) -> Headers:
        """Apply the library label to ``user-agent`` and ``x-goog-api-client`` (§9)."""
        store = dict(self._items)
        for key in ("user-agent", "x-goog-api-client"):
            found = store.get(key)
            if found is None:
                store[key] = (key, LIBRARY_LABEL)
                continue
            name, value = found
            if PRODUCT_TOKEN not in value:
                store[key] = (name, f"{LIBRARY_LABEL} {value}")
            elif PYTHON_TOKEN.split("/")[0] + "/" not in value:
                store[key] = (name, f"{value} {PYTHON_TOKEN}")
        return Headers._from_store(store)

    def wire(self) -> dict[str, str]:
        """The headers as sent (a cached dict; callers must not mutate it)."""
        wire = self._wire
        if wire is None:
            wire = self._wire = {name: value for name, value in self._items.values()}
        return wire

    def __repr__(self) -> str:
        return f"Headers({redact_headers(self.wire())!r})"


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy safe to print: secrets are replaced by a fixed mask."""
    return {
        name: ("[redacted]" if name.lower() in SECRET_HEADERS else value)
        for name, value in headers.items()
    }


def server_timeout_value(seconds: float) -> str:
    """``X-Server-Timeout``: whole seconds, rounded up, at least 1 (http-options.md §6)."""
    return str(max(1, math.ceil(seconds)))
