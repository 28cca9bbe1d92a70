"""Request-side types of structured output and tools: ``Schema``, function
declarations, the built-in tools and ``ToolConfig``.

All of them reject unknown fields. Nested values may be these models or dicts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from .base import RequestModel
from .enums import (
    Behavior,
    DynamicRetrievalConfigMode,
    Environment,
    FunctionCallingConfigMode,
    Type,
)

__all__ = (
    "CodeExecution",
    "ComputerUse",
    "DynamicRetrievalConfig",
    "EnterpriseWebSearch",
    "FileSearch",
    "FunctionCallingConfig",
    "FunctionDeclaration",
    "GoogleMaps",
    "GoogleSearch",
    "GoogleSearchRetrieval",
    "Interval",
    "LatLng",
    "Retrieval",
    "RetrievalConfig",
    "Schema",
    "Tool",
    "ToolCodeExecution",
    "ToolConfig",
    "UrlContext",
)


class Schema(RequestModel):
    """The OpenAPI-subset schema of structured output and function parameters.

    Usage::

        types.Schema(
            type=types.Type.OBJECT,
            properties={"name": types.Schema(type="STRING")},
            required=["name"],
        )
    """

    additional_properties: Any = None
    defs: dict[str, Schema] | None = None
    ref: str | None = None
    any_of: list[Schema] | None = None
    default: Any = None
    description: str | None = None
    enum: list[str] | None = None
    example: Any = None
    format: str | None = None
    items: Schema | None = None
    max_items: int | None = None
    max_length: int | None = None
    max_properties: int | None = None
    maximum: float | None = None
    min_items: int | None = None
    min_length: int | None = None
    min_properties: int | None = None
    minimum: float | None = None
    nullable: bool | None = None
    pattern: str | None = None
    properties: dict[str, Schema] | None = None
    property_ordering: list[str] | None = None
    required: list[str] | None = None
    title: str | None = None
    type: Type | None = None


class FunctionDeclaration(RequestModel):
    """A function the model may call. Give ``parameters`` (a :class:`Schema`) or
    ``parameters_json_schema`` (a JSON Schema dict).

    Usage::

        types.FunctionDeclaration(
            name="get_weather",
            description="Current weather in a city",
            parameters={"type": "OBJECT", "properties": {"city": {"type": "STRING"}}},
        )
    """

    description: str | None = None
    name: str | None = None
    parameters: Schema | None = None
    parameters_json_schema: Any = None
    response: Schema | None = None
    response_json_schema: Any = None
    behavior: Behavior | None = None

    @classmethod
    def from_callable(
        cls,
        *,
        client: Any = None,
        callable: Callable[..., Any],
        behavior: Behavior | None = None,
        use_json_schema: bool = True,
    ) -> FunctionDeclaration:
        """The declaration of a Python function, as automatic function calling sends it:
        parameters and result as JSON Schema (``parameters_json_schema``,
        ``response_json_schema``), the docstring as the description.

        ``client`` is accepted for google-genai compatibility; the declaration is
        the same for both APIs. ``use_json_schema=False`` (google-genai's
        OpenAPI ``Schema`` path, which it warns against) is not provided.
        """
        return cls.from_callable_with_api_option(
            callable=callable, behavior=behavior, use_json_schema=use_json_schema
        )

    @classmethod
    def from_callable_with_api_option(
        cls,
        *,
        callable: Callable[..., Any],
        api_option: str = "GEMINI_API",
        behavior: Behavior | None = None,
        use_json_schema: bool = True,
    ) -> FunctionDeclaration:
        """:meth:`from_callable` with google-genai's ``api_option`` (``"GEMINI_API"``,
        ``"VERTEX_AI"`` or ``"ENTERPRISE"``; the result is the same for all)."""
        if api_option not in ("ENTERPRISE", "GEMINI_API", "VERTEX_AI"):
            raise ValueError(
                f"api_option must be 'ENTERPRISE', 'GEMINI_API' or 'VERTEX_AI', not {api_option!r}"
            )
        if not use_json_schema:
            raise ValueError(
                "use_json_schema=False (declarations as OpenAPI Schema) is not provided by "
                "genai_async; the JSON Schema declaration works on both APIs"
            )
        from .callables import function_tool

        return cls.model_validate(function_tool(callable, behavior).declaration_wire())


class Interval(RequestModel):
    """A time range (Google Search ``time_range_filter``).

    Usage::

        types.Interval(start_time=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    """

    end_time: datetime.datetime | None = None
    start_time: datetime.datetime | None = None


class GoogleSearch(RequestModel):
    """The Google Search grounding tool.

    Usage::

        types.Tool(google_search=types.GoogleSearch())
    """

    search_types: Any = None
    blocking_confidence: Any = None
    exclude_domains: list[str] | None = None
    time_range_filter: Interval | None = None


class DynamicRetrievalConfig(RequestModel):
    """When Google Search retrieval runs.

    Usage::

        types.DynamicRetrievalConfig(mode="MODE_DYNAMIC", dynamic_threshold=0.5)
    """

    dynamic_threshold: float | None = None
    mode: DynamicRetrievalConfigMode | None = None


class GoogleSearchRetrieval(RequestModel):
    """The legacy Google Search retrieval tool.

    Usage::

        types.Tool(google_search_retrieval=types.GoogleSearchRetrieval())
    """

    dynamic_retrieval_config: DynamicRetrievalConfig | None = None


class ToolCodeExecution(RequestModel):
    """The code-execution tool (no options).

    Usage::

        types.Tool(code_execution=types.ToolCodeExecution())
    """


CodeExecution = ToolCodeExecution


class UrlContext(RequestModel):
    """The URL-context tool (no options).

    Usage::

        types.Tool(url_context=types.UrlContext())
    """


class GoogleMaps(RequestModel):
    """The Google Maps grounding tool.

    Usage::

        types.Tool(google_maps=types.GoogleMaps(enable_widget=True))
    """

    auth_config: Any = None
    enable_widget: bool | None = None
    grounding_types: Any = None


class ComputerUse(RequestModel):
    """The computer-use tool.

    Usage::

        types.Tool(computer_use=types.ComputerUse(environment="ENVIRONMENT_BROWSER"))
    """

    environment: Environment | None = None
    excluded_predefined_functions: list[str] | None = None
    enable_prompt_injection_detection: bool | None = None
    disabled_safety_policies: list[Any] | None = None


class FileSearch(RequestModel):
    """The file-search tool (Gemini Developer API).

    Usage::

        types.Tool(file_search=types.FileSearch(file_search_store_names=["fileSearchStores/x"]))
    """

    file_search_store_names: list[str] | None = None
    top_k: int | None = None
    metadata_filter: str | None = None


class EnterpriseWebSearch(RequestModel):
    """The enterprise web-search tool (Vertex AI).

    Usage::

        types.Tool(enterprise_web_search=types.EnterpriseWebSearch())
    """

    blocking_confidence: Any = None
    exclude_domains: list[str] | None = None


class Retrieval(RequestModel):
    """Retrieval from Vertex AI Search or a RAG store (Vertex AI); nested values are dicts.

    Usage::

        types.Retrieval(vertex_ai_search={"datastore": "projects/p/.../dataStores/d"})
    """

    disable_attribution: bool | None = None
    external_api: Any = None
    vertex_ai_search: Any = None
    vertex_rag_store: Any = None


class Tool(RequestModel):
    """Tools the model may use. Python functions go straight into
    ``config.tools`` (automatic function calling); this class holds declared
    functions (run them yourself) and the built-in tools.

    Usage::

        types.Tool(function_declarations=[types.FunctionDeclaration(name="f")])
        types.Tool(google_search=types.GoogleSearch())
    """

    retrieval: Retrieval | None = None
    computer_use: ComputerUse | None = None
    file_search: FileSearch | None = None
    google_search: GoogleSearch | None = None
    google_maps: GoogleMaps | None = None
    code_execution: ToolCodeExecution | None = None
    enterprise_web_search: EnterpriseWebSearch | None = None
    function_declarations: list[FunctionDeclaration] | None = None
    google_search_retrieval: GoogleSearchRetrieval | None = None
    parallel_ai_search: Any = None
    url_context: UrlContext | None = None
    mcp_servers: list[Any] | None = None
    exa_ai_search: Any = None


class FunctionCallingConfig(RequestModel):
    """How the model may call the declared functions.

    Usage::

        types.FunctionCallingConfig(mode="ANY", allowed_function_names=["get_weather"])
    """

    allowed_function_names: list[str] | None = None
    mode: FunctionCallingConfigMode | None = None
    stream_function_call_arguments: bool | None = None


class LatLng(RequestModel):
    """A latitude/longitude pair.

    Usage::

        types.LatLng(latitude=48.85, longitude=2.35)
    """

    latitude: float | None = None
    longitude: float | None = None


class RetrievalConfig(RequestModel):
    """Location and language hints for grounding tools.

    Usage::

        types.RetrievalConfig(lat_lng=types.LatLng(latitude=48.85, longitude=2.35))
    """

    lat_lng: LatLng | None = None
    language_code: str | None = None


class ToolConfig(RequestModel):
    """Configuration shared by all tools of a request.

    Usage::

        types.ToolConfig(function_calling_config=types.FunctionCallingConfig(mode="AUTO"))
    """

    retrieval_config: RetrievalConfig | None = None
    function_calling_config: FunctionCallingConfig | None = None
    include_server_side_tool_invocations: bool | None = None
