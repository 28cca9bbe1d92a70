"""The table-driven walker that turns request objects into wire JSON.

An object kind is a :class:`Spec`: its fields, each with a wire name, a value
converter and, for backend-specific fields, the one backend that has it. The
walker reads plain dicts directly (snake_case or camelCase keys) and pydantic
models - ours or google-genai's - by their field values, so nothing is
validated twice and no model is built for dict input. Unknown keys raise
``ValueError`` naming the key; absent (``None``) values are omitted.
"""

from __future__ import annotations

import datetime
import difflib
import enum
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from .._types.base import b64encode

__all__ = (
    "GEMINI",
    "VERTEX",
    "Ctx",
    "Field",
    "Spec",
    "camel",
    "convert",
    "items_of",
    "list_of",
    "loose",
    "nested",
    "plain",
    "spec",
)

VERTEX = "vertex"
GEMINI = "gemini"

Conv = Callable[[Any, "Ctx"], Any]


class Ctx:
    """What a conversion depends on: the backend, and the Vertex AI project/location."""

    __slots__ = ("location", "project", "vertexai")

    def __init__(self, vertexai: bool, project: str | None = None, location: str | None = None):
        self.vertexai = vertexai
        self.project = project
        self.location = location


@functools.lru_cache(maxsize=1024)
def camel(name: str) -> str:
    """``thinking_budget`` -> ``thinkingBudget``; camelCase names are unchanged."""
    if "_" not in name:
        return name
    head, *rest = name.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def _plain_value(value: Any) -> Any:
    """A free-form JSON value: keys kept verbatim, models/enums/bytes made JSON."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {key: _plain_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_value(item) for item in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return b64encode(bytes(value))
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return _loose_value(value)
    return value


def _loose_value(value: Any) -> Any:
    """A structured value without a spec: keys camelCased, ``None`` dropped."""
    if isinstance(value, (BaseModel, Mapping)):
        return {camel(key): _loose_value(item) for key, item in items_of(value) if item is not None}
    if isinstance(value, (list, tuple)):
        return [_loose_value(item) for item in value]
    return _plain_value(value)


def plain(value: Any, ctx: Ctx) -> Any:
    """Field converter: a free-form JSON value (function args, labels, JSON Schema)."""
    return _plain_value(value)


def loose(value: Any, ctx: Ctx) -> Any:
    """Field converter: an object this library does not model field by field."""
    return _loose_value(value)


def b64(value: Any, ctx: Ctx) -> Any:
    """Field converter: bytes as standard base64 (text is taken as already encoded)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return b64encode(bytes(value))
    if isinstance(value, str):
        return value
    raise TypeError(f"expected bytes, not {type(value).__name__}")


def items_of(value: Any, what: str = "value") -> Iterable[tuple[str, Any]]:
    """The (name, value) pairs of a dict or of a pydantic model's fields and extras."""
    if type(value) is dict:
        return value.items()
    if isinstance(value, BaseModel):
        extra = value.__pydantic_extra__
        if extra:
            return [*value.__dict__.items(), *extra.items()]
        return value.__dict__.items()
    if isinstance(value, Mapping):
        return value.items()
    raise TypeError(f"{what} must be a dict or a {what} object, not {type(value).__qualname__}")


class Field:
    """One field of a :class:`Spec`."""

    __slots__ = ("conv", "name", "only", "place", "wire")

    def __init__(
        self, name: str, conv: Conv, wire: str, only: str | None, place: str | None
    ) -> None:
        self.name = name
        self.conv = conv
        self.wire = wire
        self.only = only
        self.place = place


class Spec:
    """An object kind: its name (for messages) and fields keyed by both spellings."""

    __slots__ = ("fields", "name", "names")

    def __init__(self, name: str, fields: list[Field]) -> None:
        self.name = name
        self.names = tuple(f.name for f in fields)
        self.fields: dict[str, Field] = {}
        for f in fields:
            self.fields[f.name] = f
            self.fields[camel(f.name)] = f

    def unknown(self, key: str) -> ValueError:
        hint = difflib.get_close_matches(key, self.names, n=1)
        more = f"; did you mean {hint[0]!r}?" if hint else ""
        return ValueError(f"unknown {self.name} field {key!r}{more}")


def backend_error(field: Field, spec: Spec, ctx: Ctx) -> ValueError:
    if field.only == VERTEX:
        return ValueError(
            f"{field.name} ({spec.name}) is only supported on Vertex AI, "
            "not on the Gemini Developer API"
        )
    return ValueError(
        f"{field.name} ({spec.name}) is only supported on the Gemini Developer API, "
        "not on Vertex AI"
    )


def convert(spec_: Spec, value: Any, ctx: Ctx) -> dict[str, Any]:
    """One object -> its wire dict, following ``spec_``.

    Dict keys must be fields of the spec. A model's extra fields (an API
    response's unknown fields, sent back as history) are passed through as
    they are.
    """
    out: dict[str, Any] = {}
    fields = spec_.fields
    vertex = ctx.vertexai
    extra: dict[str, Any] | None = None
    if type(value) is dict:
        pairs: Iterable[tuple[str, Any]] = value.items()
    elif isinstance(value, BaseModel):
        pairs = value.__dict__.items()
        extra = value.__pydantic_extra__
    else:
        pairs = items_of(value, spec_.name)
    for key, item in pairs:
        if item is None:
            continue
        f = fields.get(key)
        if f is None:
            raise spec_.unknown(key)
        only = f.only
        if only is not None and (only == VERTEX) is not vertex:
            raise backend_error(f, spec_, ctx)
        out[f.wire] = f.conv(item, ctx)
    if extra:
        for key, item in extra.items():
            if item is not None:
                out[key] = _plain_value(item)
    return out


def nested(spec_: Spec) -> Conv:
    """Field converter for a nested object of kind ``spec_``."""

    def conv(value: Any, ctx: Ctx) -> Any:
        return convert(spec_, value, ctx)

    return conv


def list_of(item: Conv) -> Conv:
    """Field converter for a list whose items use ``item``."""

    def conv(value: Any, ctx: Ctx) -> Any:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected a list, not {type(value).__name__}")
        return [item(v, ctx) for v in value]

    return conv


def spec(kind: str, /, **fields: Any) -> Spec:
    """Build a Spec. Each keyword is a field: ``None`` (a plain value), a converter,
    a nested :class:`Spec`, or a dict with ``conv``/``wire``/``only``/``place``."""
    built: list[Field] = []
    for field_name, desc in fields.items():
        options: dict[str, Any] = desc if isinstance(desc, dict) else {"conv": desc}
        conv = options.get("conv")
        if conv is None:
            conv = plain
        elif isinstance(conv, Spec):
            conv = nested(conv)
        built.append(
            Field(
                field_name,
                conv,
                options.get("wire") or camel(field_name),
                options.get("only"),
                options.get("place"),
            )
        )
    return Spec(kind, built)


def vertex_only(conv: Any = None, **more: Any) -> dict[str, Any]:
    return {"conv": conv, "only": VERTEX, **more}


def gemini_only(conv: Any = None, **more: Any) -> dict[str, Any]:
    return {"conv": conv, "only": GEMINI, **more}
