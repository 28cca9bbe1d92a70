"""Python functions as tools: the declaration the model sees and the argument adapters.

Layer: pure data (``inspect`` + pydantic), no I/O. A function's declaration is
built from its signature, type hints and docstring the way google-genai builds
it for automatic function calling: one JSON Schema per parameter
(``parametersJsonSchema``), ``$defs`` lifted to the top, ``required`` for
every parameter without a default, the docstring as the description and the
return annotation as ``responseJsonSchema``. Built once per function (cached
weakly), so sending the same tools on every turn costs a dict copy.
"""

from __future__ import annotations

import inspect
import typing
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
import pydantic
from pydantic_core import to_jsonable_python

__all__ = ("FunctionTool", "function_tool", "is_function")

_PARAM_KINDS = (
    inspect.Parameter.POSITIONAL_ONLY,
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
    inspect.Parameter.KEYWORD_ONLY,
)
_ADAPTER_CONFIG = pydantic.ConfigDict(arbitrary_types_allowed=True)


def is_function(tool: Any) -> bool:
    """A plain function, ``async def`` function or bound method (what may be a tool)."""
    return inspect.isfunction(tool) or inspect.ismethod(tool)


@dataclass(frozen=True, slots=True)
class FunctionTool:
    """One Python function prepared as a tool.

    ``declaration`` is the wire JSON of its ``FunctionDeclaration`` (as bytes,
    so every request gets a fresh copy); ``adapters`` validate the arguments
    the model sends into the annotated parameter types.
    """

    name: str
    declaration: bytes
    adapters: dict[str, pydantic.TypeAdapter[Any] | None]
    is_async: bool

    def declaration_wire(self) -> dict[str, Any]:
        """A fresh copy of the declaration's wire JSON."""
        value: dict[str, Any] = orjson.loads(self.declaration)
        return value


def _unsupported(param: inspect.Parameter, name: str, exc: BaseException) -> ValueError:
    err = ValueError(
        f"tools: cannot describe parameter {param} of function {name!r} for automatic "
        "function calling; give it a simpler annotation (str, int, float, bool, list, "
        "dict, a pydantic model, ...) or declare the function with "
        f"types.FunctionDeclaration ({type(exc).__name__}: {exc})"
    )
    err.__cause__ = exc
    return err


def _schema(annotation: Any) -> dict[str, Any]:
    if inspect.isclass(annotation) and issubclass(annotation, pydantic.BaseModel):
        schema: dict[str, Any] = annotation.model_json_schema()
    else:
        schema = pydantic.TypeAdapter(annotation, config=_ADAPTER_CONFIG).json_schema()
    prefix = schema.get("prefixItems")
    if schema.get("type") == "array" and prefix and schema.get("maxItems") == len(prefix):
        schema["unevaluatedItems"] = False  # a fixed-length tuple
    return schema


def _adapter(annotation: Any) -> pydantic.TypeAdapter[Any] | None:
    """A validator for the arguments of one parameter; ``None`` when any value is fine."""
    if annotation is inspect.Parameter.empty or annotation is Any or annotation is object:
        return None
    try:
        if inspect.isclass(annotation) and issubclass(annotation, pydantic.BaseModel):
            return pydantic.TypeAdapter(annotation)
        return pydantic.TypeAdapter(annotation, config=_ADAPTER_CONFIG)
    except Exception:
        return None


def _required(properties: dict[str, Any]) -> list[str]:
    out = []
    for name, schema in properties.items():
        if not schema:
            continue  # an ``Any`` parameter
        if ("nullable" in schema and not schema["nullable"]) or "default" not in schema:
            out.append(name)
    return out


def _build(fn: Callable[..., Any], behavior: Any) -> FunctionTool:
    name = fn.__name__
    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except Exception as exc:
        raise ValueError(
            f"tools: cannot resolve the type hints of function {name!r}: {exc}"
        ) from exc
    signature = inspect.signature(fn)
    properties: dict[str, Any] = {}
    defs: dict[str, Any] = {}
    adapters: dict[str, pydantic.TypeAdapter[Any] | None] = {}
    for pname, param in signature.parameters.items():
        if param.kind not in _PARAM_KINDS:
            continue
        annotation = param.annotation
        if isinstance(annotation, str):
            annotation = hints.get(pname, annotation)
            param = param.replace(annotation=annotation)
        try:
            schema = _schema(annotation)
        except Exception as exc:
            raise _unsupported(param, name, exc) from exc
        defs.update(schema.pop("$defs", {}))
        defs.update(schema.pop("definitions", {}))
        if param.default is not inspect.Parameter.empty:
            schema["default"] = param.default
        properties[pname] = schema
        adapters[pname] = _adapter(annotation)
    declaration: dict[str, Any] = {
        "name": name,
        "description": inspect.cleandoc(fn.__doc__) if fn.__doc__ else "",
    }
    if behavior is not None:
        declaration["behavior"] = getattr(behavior, "value", behavior)
    if properties:
        parameters: dict[str, Any] = {"type": "object", "properties": properties}
        if defs:
            parameters["$defs"] = defs
        parameters["required"] = _required(properties)
        declaration["parametersJsonSchema"] = parameters
        returns = signature.return_annotation
        if returns is not inspect.Signature.empty:
            if isinstance(returns, str):
                returns = hints.get("return", returns)
            try:
                declaration["responseJsonSchema"] = _schema(returns)
            except Exception as exc:
                ret = inspect.Parameter(
                    "return_value", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=returns
                )
                raise _unsupported(ret, name, exc) from exc
    try:
        encoded = orjson.dumps(declaration, default=to_jsonable_python)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"tools: a default value of function {name!r} cannot be sent as JSON: {exc}"
        ) from exc
    target = fn.__func__ if inspect.ismethod(fn) else fn
    return FunctionTool(
        name=name,
        declaration=encoded,
        adapters=adapters,
        is_async=inspect.iscoroutinefunction(target),
    )


_CACHE: weakref.WeakKeyDictionary[Any, dict[tuple[bool, Any], FunctionTool]] = (
    weakref.WeakKeyDictionary()
)


def function_tool(fn: Callable[..., Any], behavior: Any = None) -> FunctionTool:
    """The prepared tool of ``fn`` (a function or bound method), built once per function.

    Raises ``TypeError`` for other callables and ``ValueError`` (naming the
    parameter) for a signature that cannot be described.
    """
    if not is_function(fn):
        raise TypeError(
            f"tools: {fn!r} is callable but not a function or method; automatic function "
            "calling takes def / async def functions and bound methods (wrap it in a def)"
        )
    bound = inspect.ismethod(fn)
    owner = fn.__func__ if bound else fn  # type: ignore[attr-defined]
    key = (bound, behavior)
    try:
        per_function = _CACHE.get(owner)
    except TypeError:  # not weak-referenceable: build every time
        return _build(fn, behavior)
    if per_function is None:
        per_function = _CACHE[owner] = {}
    found = per_function.get(key)
    if found is None:
        found = per_function[key] = _build(fn, behavior)
    return found
