"""Automatic function calling: run the Python functions of ``config.tools`` for the model.

Place in the layering: an API-surface helper under ``models`` and ``chats``;
it does no I/O itself. :func:`plan_for` reads a config once and says whether
the call loop applies (google-genai's rules: on by default when there are
Python functions; off with ``disable=True``, with ``maximum_remote_calls <=
0``, or when the tools also hold declared functions). :func:`call_functions`
answers the function calls of one model turn: ``async def`` functions are
awaited on the loop, plain functions run in a worker thread (they never block
the loop), arguments are validated into the annotated types, and an exception
becomes the call's ``{"error": ...}`` response, as google-genai sends it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
import pydantic
from pydantic_core import to_jsonable_python

from ._types.callables import FunctionTool, function_tool, is_function
from ._types.content import Content, Part
from .errors import FunctionInvocationError, UnknownFunctionCallArgumentError

__all__ = ("Plan", "call_functions", "plan_for", "to_contents")

logger = logging.getLogger("genai_async")

DEFAULT_MAX_REMOTE_CALLS = 10


@dataclass(frozen=True, slots=True)
class Plan:
    """What the call loop of one request does: which functions it may run, how
    many requests it may send, and whether the response gets the call history."""

    functions: Mapping[str, tuple[Callable[..., Any], FunctionTool]]
    max_calls: int
    keep_history: bool


_NO_FUNCTIONS = Plan({}, DEFAULT_MAX_REMOTE_CALLS, True)


def _get(obj: Any, name: str, camel: str | None = None) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        value = obj.get(name)
        if value is None and camel is not None:
            value = obj.get(camel)
        return value
    return getattr(obj, name, None)


def _declares_functions(tool: Any) -> bool:
    return bool(_get(tool, "function_declarations", "functionDeclarations"))


def plan_for(config: Any, vertexai: bool) -> Plan | None:
    """The call loop of a request with ``config``; ``None`` when automatic function
    calling is off (disabled, or tools it cannot run beside declared functions)."""
    if config is None:
        return _NO_FUNCTIONS
    afc = _get(config, "automatic_function_calling", "automaticFunctionCalling")
    max_calls = _get(afc, "maximum_remote_calls", "maximumRemoteCalls")
    if max_calls is not None and int(max_calls) <= 0:
        logger.warning(
            "automatic_function_calling.maximum_remote_calls is %s (<= 0): automatic "
            "function calling is off",
            max_calls,
        )
        return None
    if _get(afc, "disable"):
        return None
    tools = _get(config, "tools")
    if tools is None:
        tools = ()
    elif not isinstance(tools, (list, tuple)):
        tools = (tools,)
    functions: dict[str, tuple[Callable[..., Any], FunctionTool]] = {}
    other = 0
    for tool in tools:
        if is_function(tool):
            functions[tool.__name__] = (tool, function_tool(tool))
        elif _declares_functions(tool) or (
            _get(tool, "mcp_servers", "mcpServers") and not vertexai
        ):
            other += 1
    if other:
        if functions:
            logger.warning(
                "tools hold both Python functions and declared functions (or MCP "
                "servers): automatic function calling is off for this request"
            )
        return None
    keep = not _get(afc, "ignore_call_history", "ignoreCallHistory")
    if not functions and keep and max_calls is None:
        return _NO_FUNCTIONS
    return Plan(
        functions,
        DEFAULT_MAX_REMOTE_CALLS if max_calls is None else int(max_calls),
        keep,
    )


def check_stream_config(config: Any) -> None:
    """google-genai's rule: streamed function-call arguments need the call loop off."""
    tool_config = _get(config, "tool_config", "toolConfig")
    calling = _get(tool_config, "function_calling_config", "functionCallingConfig")
    if _get(calling, "stream_function_call_arguments", "streamFunctionCallArguments"):
        raise ValueError(
            "tool_config.function_calling_config.stream_function_call_arguments needs "
            "automatic function calling off: set "
            "config.automatic_function_calling.disable=True"
        )


def to_contents(wire: Iterable[Mapping[str, Any]]) -> list[Content]:
    """Typed contents of wire-form contents (for ``automatic_function_calling_history``)."""
    return [Content.model_validate(item) for item in wire]


def _integral(value: Any) -> Any:
    """JSON numbers like ``3.0`` back to ``int`` (the API sends every number as a float)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integral(v) for v in value]
    return value


def _arguments(tool: FunctionTool, args: dict[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for name, value in args.items():
        if name not in tool.adapters:
            continue  # google-genai passes only the function's own parameters
        adapter = tool.adapters[name]
        if adapter is None:
            kwargs[name] = value
            continue
        try:
            kwargs[name] = adapter.validate_python(value)
        except pydantic.ValidationError as exc:
            raise UnknownFunctionCallArgumentError(
                f"Failed to parse parameter {name} for function {tool.name} from function "
                f"call part because function call argument value {value!r} is not "
                f"compatible with the parameter annotation: {exc}"
            ) from exc
    return kwargs


async def _invoke(fn: Callable[..., Any], tool: FunctionTool, args: dict[str, Any]) -> Any:
    kwargs = _arguments(tool, args)
    try:
        if tool.is_async:
            return await fn(**kwargs)
        return await anyio.to_thread.run_sync(functools.partial(fn, **kwargs))
    except Exception as exc:
        raise FunctionInvocationError(
            f"Failed to invoke function {tool.name} with converted arguments {kwargs} from "
            f"model returned function call argument {args} because of error {exc}"
        ) from exc


async def call_functions(
    parts: Iterable[Mapping[str, Any]], plan: Plan
) -> tuple[list[dict[str, Any]], list[Part]]:
    """Run the function calls among a model turn's wire ``parts``, in order.

    Returns the function-response parts in wire form (for the next request)
    and typed (for the history); both empty when the turn calls nothing.
    """
    wire: list[dict[str, Any]] = []
    typed: list[Part] = []
    for part in parts:
        call = part.get("functionCall")
        if not call:
            continue
        name = call.get("name")
        if name is None:
            continue
        args = _integral(call.get("args") or {})
        found = plan.functions.get(name)
        result: dict[str, Any]
        if found is None:
            logger.warning("the model called %r, which is not among the tools' functions", name)
            result = {"error": f"There is no function named {name!r}."}
        else:
            try:
                result = {"result": await _invoke(found[0], found[1], args)}
            except (FunctionInvocationError, UnknownFunctionCallArgumentError) as exc:
                result = {"error": str(exc)}
        try:
            sent = to_jsonable_python(result, bytes_mode="base64")
        except Exception as exc:
            raise TypeError(
                f"the result of tool function {name!r} cannot be sent as JSON: {exc}"
            ) from exc
        wire.append({"functionResponse": {"name": name, "response": sent}})
        typed.append(Part.from_function_response(name=name, response=result))
    return wire, typed
