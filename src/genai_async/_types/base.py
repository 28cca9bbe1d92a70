"""Foundations of the public types: model bases, tolerant enums, wire bytes.

Two kinds of models share one naming scheme (snake_case attributes,
lowerCamelCase aliases, both spellings accepted on input):

* request models reject unknown fields (``extra="forbid"``), so a typo fails
  where it is made;
* response models keep unknown fields (``extra="allow"``): a field the server
  added after this library was written is still there, in ``model_extra``
  under its wire name, and in the :attr:`ResponseModel.raw` view.

Enums are ``str`` enums that accept any case and keep unknown values (a new
finish reason from the server becomes a pseudo-member instead of an error).
"""

from __future__ import annotations

import base64
import binascii
import enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator
from pydantic.alias_generators import to_camel

__all__ = (
    "FOREIGN",
    "CaseInsensitiveEnum",
    "ContentModel",
    "RequestModel",
    "ResponseModel",
    "WireBytes",
    "b64encode",
    "model_config",
    "read_foreign",
)


def model_config(extra: Literal["allow", "forbid"]) -> ConfigDict:
    """The shared pydantic configuration, with the given policy for unknown fields."""
    return ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        protected_namespaces=(),
        arbitrary_types_allowed=True,
        ser_json_bytes="base64",
        val_json_bytes="base64",
        extra=extra,
    )


_UNKNOWN_MEMBERS: dict[tuple[type, str], Any] = {}


class CaseInsensitiveEnum(enum.StrEnum):
    """A ``str`` enum that matches values in any case and keeps unknown values.

    Usage::

        HarmCategory("harm_category_harassment") is HarmCategory.HARM_CATEGORY_HARASSMENT
        FinishReason("SOMETHING_NEW").value == "SOMETHING_NEW"
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        folded = value.casefold()
        for member in cls:
            if member.value.casefold() == folded:
                return member
        key = (cls, value)
        found: Any = _UNKNOWN_MEMBERS.get(key)
        if found is None:
            found = str.__new__(cls, value)
            found._name_ = value
            found._value_ = value
            if len(_UNKNOWN_MEMBERS) < 4096:
                _UNKNOWN_MEMBERS[key] = found
        return found


def _decode_wire_bytes(value: Any) -> Any:
    """Base64 text (standard or URL-safe alphabet, padding optional) -> bytes."""
    if isinstance(value, str):
        text = value
        if "-" in text or "_" in text:
            text = text.replace("-", "+").replace("_", "/")
        pad = -len(text) % 4
        try:
            return binascii.a2b_base64(text + "=" * pad if pad else text)
        except binascii.Error as exc:
            raise ValueError(f"invalid base64 data: {exc}") from None
    return value


WireBytes = Annotated[bytes, BeforeValidator(_decode_wire_bytes)]
"""``bytes`` that also accepts the base64 text the API sends."""


def b64encode(data: bytes) -> str:
    """Standard base64 with padding, as text (the form the library sends)."""
    return base64.b64encode(data).decode("ascii")


class _Model(BaseModel):
    def __repr_args__(self) -> Any:
        for name, value in super().__repr_args__():
            if value is not None:
                yield name, value

    def to_json_dict(self) -> dict[str, Any]:
        """The set fields as JSON-compatible values (snake_case keys), like google-genai."""
        return self.model_dump(exclude_none=True, mode="json")


def read_foreign(data: Any) -> Any:
    """Another library's pydantic model (say google-genai's ``SafetySetting``) -> a
    dict of its set fields, so it validates into ours; anything else unchanged."""
    if isinstance(data, BaseModel) and not isinstance(data, _Model):
        fields = {k: v for k, v in data.__dict__.items() if v is not None}
        extra = data.__pydantic_extra__
        if extra:
            fields.update(extra)
        return fields
    return data


FOREIGN = BeforeValidator(read_foreign)
"""Field marker: accept another library's equivalent model (``Annotated[Part, FOREIGN]``)."""


class ContentModel(_Model):
    """Base of the types that travel both ways (``Content``, ``Part``, ...): unknown
    fields raise. Foreign equivalents are accepted where such a type is a field."""

    model_config = model_config("forbid")


class RequestModel(_Model):
    """Base of the request-side types: unknown fields raise ``ValidationError``.

    Another library's pydantic model given where one of these is expected (say
    google-genai's ``SafetySetting``) is read by its set fields.
    """

    model_config = model_config("forbid")

    @model_validator(mode="before")
    @classmethod
    def _read_foreign_model(cls, data: Any) -> Any:
        return read_foreign(data)


class ResponseModel(_Model):
    """Base of the response-side types: unknown fields are kept.

    Unknown fields are in ``model_extra`` under their wire (camelCase) names and
    readable as attributes; :attr:`raw` shows the whole object in wire form.
    """

    model_config = model_config("allow")

    @property
    def raw(self) -> dict[str, Any]:
        """The object in wire form: camelCase keys, unknown fields included, nulls omitted."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True, exclude=_RAW_EXCLUDE)


_RAW_EXCLUDE = {"sdk_http_response", "parsed", "automatic_function_calling_history"}


def public_repr_name(cls: type) -> str:
    """The name a response variant shows in ``repr``: its public base class's."""
    for klass in cls.__mro__:
        if not klass.__name__.startswith("_"):
            return klass.__name__
    return cls.__name__
