"""``response_schema`` and function-parameter schemas in the API's Schema format,
and ``response.parsed``.

``response_schema`` may be a pydantic model class, a ``list[Model]`` (or any
type pydantic can describe: ``int``, ``Optional[X]``, unions), an ``Enum``, a
``Literal`` of strings, a :class:`~genai_async.types.Schema` (or google-genai's)
or a dict. The result is the wire form google-genai sends for the same input:
JSON Schema from pydantic with ``$defs`` inlined, ``{"type": "null"}`` turned
into ``nullable``, single-value literals into ``enum``, upper-case type names
and ``propertyOrdering`` for objects of several properties - except that every
key is camelCase. Keywords the Schema format lacks (``exclusiveMinimum``,
``prefixItems``, ...) raise ``ValueError``; use ``response_json_schema`` for full
JSON Schema.
"""

from __future__ import annotations

import copy
import enum
import functools
import types as _pytypes
import typing
from typing import Any

import orjson
from pydantic import BaseModel, TypeAdapter, create_model

__all__ = ("parse_structured", "response_schema_to_wire", "schema_to_wire")

# Schema fields: snake_case name -> wire name. Both spellings are accepted.
_FIELDS = {
    "additional_properties": "additionalProperties",
    "defs": "defs",
    "ref": "ref",
    "any_of": "anyOf",
    "default": "default",
    "description": "description",
    "enum": "enum",
    "example": "example",
    "format": "format",
    "items": "items",
    "max_items": "maxItems",
    "max_length": "maxLength",
    "max_properties": "maxProperties",
    "maximum": "maximum",
    "min_items": "minItems",
    "min_length": "minLength",
    "min_properties": "minProperties",
    "minimum": "minimum",
    "nullable": "nullable",
    "pattern": "pattern",
    "properties": "properties",
    "property_ordering": "propertyOrdering",
    "required": "required",
    "title": "title",
    "type": "type",
}
_WIRE_NAME = {**_FIELDS, **{wire: wire for wire in _FIELDS.values()}}
_TYPES = frozenset(
    ("TYPE_UNSPECIFIED", "STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL")
)
_SPELLINGS = (
    ("additional_properties", "additionalProperties"),
    ("any_of", "anyOf"),
    ("prefix_items", "prefixItems"),
    ("property_ordering", "propertyOrdering"),
)
_UNION_ORIGINS = (typing.Union, _pytypes.UnionType)


# -- reading Schema objects ------------------------------------------------------------------


def _is_schema_model(value: Any) -> bool:
    if not isinstance(value, BaseModel):
        return False
    fields = type(value).model_fields
    return "type" in fields and "properties" in fields and "any_of" in fields


def _schema_model_to_dict(value: Any) -> Any:
    """A Schema model (ours or google-genai's) -> plain dict of its set fields."""
    if isinstance(value, BaseModel):
        out: dict[str, Any] = {}
        for name, item in value.__dict__.items():
            if item is not None:
                out[name] = _schema_model_to_dict(item)
        extra = value.__pydantic_extra__
        if extra:
            out.update(extra)
        return out
    if isinstance(value, dict):
        return {k: _schema_model_to_dict(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_schema_model_to_dict(v) for v in value]
    return value


# -- JSON Schema -> Schema format (google-genai's rules) -------------------------------------


def _type_name(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        value = value.value
    return value.upper() if isinstance(value, str) else value


def _null_to_nullable(schema: dict[str, Any]) -> None:
    if schema.get("type") == "null":
        schema["nullable"] = True
        del schema["type"]
        return
    any_of = schema.get("anyOf")
    if not isinstance(any_of, list):
        return
    if any(isinstance(item, dict) and item.get("type") == "null" for item in any_of):
        schema["nullable"] = True
        remaining = [
            item for item in any_of if not (isinstance(item, dict) and item == {"type": "null"})
        ]
        schema["anyOf"] = remaining
        if len(remaining) == 1:
            del schema["anyOf"]
            schema.update(remaining[0])


class _Processor:
    """Rewrites one JSON Schema tree in place (inputs are private copies)."""

    def __init__(self, defs: dict[str, Any], vertexai: bool) -> None:
        self.defs = defs
        self.vertexai = vertexai
        self.active_refs: set[str] = set()
        self.active_nodes: set[int] = set()

    def resolve(self, ref: Any) -> dict[str, Any] | None:
        name = str(ref).split("defs/")[-1]
        if name in self.active_refs:
            return None  # a recursive reference: cut the cycle
        if name not in self.defs:
            raise ValueError(f"response_schema: unresolvable reference {ref!r}")
        target: dict[str, Any] = copy.deepcopy(self.defs[name])
        self.active_refs.add(name)
        try:
            self.process(target)
        finally:
            self.active_refs.discard(name)
        return target

    def sub(self, node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            resolved = self.resolve(node.pop("$ref"))
            return {} if resolved is None else resolved
        self.process(node)
        return node

    def process(self, schema: dict[str, Any]) -> None:
        if id(schema) in self.active_nodes:
            return
        self.active_nodes.add(id(schema))
        try:
            self._process(schema)
        finally:
            self.active_nodes.discard(id(schema))

    def _process(self, schema: dict[str, Any]) -> None:
        if schema.get("title") == "PlaceholderLiteralEnum":
            del schema["title"]
        if not self.vertexai and (
            schema.get("additionalProperties") or schema.get("additional_properties")
        ):
            raise ValueError(
                "response_schema: additionalProperties is only supported on Vertex AI, "
                "not on the Gemini Developer API (use response_json_schema)"
            )
        for snake, camel in _SPELLINGS:
            value = schema.pop(snake, None)
            if value is not None:
                schema[camel] = value
        schema.pop("$defs", None)
        _null_to_nullable(schema)
        ref = schema.pop("$ref", None)
        if ref is not None:
            resolved = self.resolve(ref)
            if resolved is not None:
                schema.update(resolved)
            return
        any_of = schema.get("anyOf")
        if any_of is not None:
            schema["anyOf"] = [self.sub(item) for item in any_of]
            return
        kind = _type_name(schema.get("type"))
        const = schema.get("const")
        if const is not None:
            if kind != "STRING":
                raise ValueError("response_schema: Literal values must be strings")
            schema["enum"] = [const]
            del schema["const"]
        if kind == "OBJECT":
            properties = schema.get("properties")
            if properties is not None:
                for name in list(properties):
                    properties[name] = self.sub(properties[name])
                if len(properties) > 1 and "propertyOrdering" not in schema:
                    schema["propertyOrdering"] = list(properties)
            additional = schema.get("additionalProperties")
            if isinstance(additional, dict):
                schema["additionalProperties"] = self.sub(additional)
        elif kind == "ARRAY":
            items = schema.get("items")
            if items is not None:
                schema["items"] = self.sub(items)
            prefix = schema.get("prefixItems")
            if prefix is not None:
                schema["prefixItems"] = [self.sub(item) for item in prefix]


def _process_json_schema(schema: dict[str, Any], vertexai: bool) -> dict[str, Any]:
    defs = schema.get("$defs") or {}
    _Processor(defs, vertexai).process(schema)
    return schema


# -- Schema format -> wire (camelCase keys, checked) ------------------------------------------


def schema_to_wire(
    node: Any, *, where: str = "response_schema", loose: bool = False
) -> dict[str, Any]:
    """A Schema-format dict or Schema model -> the wire dict (no JSON Schema rewriting).

    ``loose`` (the inside of ``additionalProperties``, which google-genai sends
    untyped) keeps type names as given and unknown keywords as they are.
    """
    if isinstance(node, BaseModel):
        node = _schema_model_to_dict(node)
    if not isinstance(node, dict):
        raise TypeError(f"{where}: a schema must be a dict or a Schema, not {type(node).__name__}")
    out: dict[str, Any] = {}
    for key, value in node.items():
        if value is None:
            continue
        wire = _WIRE_NAME.get(key)
        if wire is None:
            if loose:
                out[key] = value
                continue
            raise ValueError(
                f"{where}: the schema keyword {key!r} is not part of the Schema format; "
                "use response_json_schema / parameters_json_schema for full JSON Schema"
            )
        if wire == "type":
            if not loose:
                value = _type_name(value)
                if value not in _TYPES:
                    raise ValueError(f"{where}: unknown schema type {value!r}")
            elif isinstance(value, enum.Enum):
                value = value.value
        elif wire == "items":
            value = schema_to_wire(value, where=where, loose=loose)
        elif wire == "anyOf":
            value = [schema_to_wire(item, where=where, loose=loose) for item in value]
        elif wire in ("properties", "defs"):
            value = {
                name: schema_to_wire(sub, where=where, loose=loose) for name, sub in value.items()
            }
        elif wire == "additionalProperties":
            if isinstance(value, (dict, BaseModel)):
                value = schema_to_wire(value, where=where, loose=True)
        elif wire == "enum":
            if not loose and (
                not isinstance(value, list) or not all(isinstance(v, str) for v in value)
            ):
                raise ValueError(f"{where}: enum values must be strings")
        elif isinstance(value, enum.Enum):
            value = value.value
        out[wire] = value
    return out


def _placeholder_schema(origin: Any) -> dict[str, Any]:
    holder = create_model("Placeholder", placeholder=(origin, ...))
    schema = holder.model_json_schema()
    return schema


def _enum_schema(origin: Any, vertexai: bool) -> dict[str, Any]:
    values = [member.value for member in origin]
    for member in origin:
        if not isinstance(member.value, (str, int)) or isinstance(member.value, bool):
            raise TypeError(
                f"response_schema: enum member {member.name} must have a str or int value"
            )
    target: Any = origin
    if any(isinstance(v, int) for v in values):
        names = [str(v) for v in values]
        make_enum: Any = enum.Enum
        target = make_enum(origin.__name__, [(n, n) for n in names], type=str)
    schema = _process_json_schema(_placeholder_schema(target), vertexai)
    result: dict[str, Any] = schema["properties"]["placeholder"]
    return result


def _is_literal(origin: Any) -> bool:
    return typing.get_origin(origin) is typing.Literal


def _convert(origin: Any, vertexai: bool) -> dict[str, Any]:
    if _is_literal(origin):
        values = typing.get_args(origin)
        if not all(isinstance(v, str) for v in values):
            raise ValueError(f"response_schema: Literal {origin} must hold only strings")
        return {"enum": list(values), "type": "STRING"}
    if isinstance(origin, dict):
        return schema_to_wire(_process_json_schema(_schema_model_to_dict(origin), vertexai))
    if isinstance(origin, enum.EnumMeta):
        return schema_to_wire(_enum_schema(origin, vertexai))
    if _is_schema_model(origin):
        data = _schema_model_to_dict(origin)
        if not data:
            raise ValueError(f"response_schema: unsupported empty schema {origin!r}")
        return schema_to_wire(_process_json_schema(data, vertexai))
    if (
        isinstance(origin, type)
        and not isinstance(origin, _pytypes.GenericAlias)
        and issubclass(origin, BaseModel)
    ):
        return schema_to_wire(_process_json_schema(origin.model_json_schema(), vertexai))
    if (
        isinstance(origin, (type, _pytypes.GenericAlias, _pytypes.UnionType))
        or typing.get_origin(origin) in _UNION_ORIGINS
        or typing.get_origin(origin) is not None
    ):
        schema = _process_json_schema(_placeholder_schema(origin), vertexai)
        return schema_to_wire(schema["properties"]["placeholder"])
    raise ValueError(f"response_schema: unsupported schema type {origin!r}")


@functools.lru_cache(maxsize=256)
def _convert_cached(origin: Any, vertexai: bool) -> dict[str, Any]:
    return _convert(origin, vertexai)


def response_schema_to_wire(origin: Any, *, vertexai: bool) -> dict[str, Any] | None:
    """``GenerateContentConfig.response_schema`` -> the wire ``responseSchema``.

    Types (model classes, generics, enums) are converted once and cached; the
    returned dict is shared and must not be mutated.
    """
    if origin is None or (isinstance(origin, (dict, list)) and not origin):
        return None
    if isinstance(origin, (dict, BaseModel)):
        return _convert(origin, vertexai)
    try:
        return _convert_cached(origin, vertexai)
    except TypeError as exc:
        if "unhashable" in str(exc):
            return _convert(origin, vertexai)
        raise


# -- response.parsed -------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _adapter(schema: Any) -> TypeAdapter[Any]:
    return TypeAdapter(schema)


def parse_structured(schema: Any, text: str) -> Any:
    """The value of ``response.parsed`` for ``text`` under ``schema`` (``None`` when
    the text does not parse, e.g. a partial stream chunk)."""
    try:
        if isinstance(schema, type) and not isinstance(schema, _pytypes.GenericAlias):
            if issubclass(schema, BaseModel):
                return schema.model_validate_json(text)
            if issubclass(schema, enum.Enum):
                return schema(text.replace('"', ""))
        if _is_literal(schema):
            value = text.replace('"', "")
            return value if value in typing.get_args(schema) else None
        if isinstance(schema, (dict, BaseModel)):
            return orjson.loads(text)
        value = orjson.loads(text)
        try:
            adapter = _adapter(schema)
        except TypeError:
            return value
        return adapter.validate_python(value)
    except (ValueError, TypeError):
        return None
