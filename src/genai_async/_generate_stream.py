"""The typed stream of ``generate_content_stream``, and its variant that calls
Python functions for the model as their calls arrive (automatic function calling).

Place in the layering: with the surface helpers, under ``models``.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._afc import Plan, call_functions, to_contents
from ._types.content import Content
from ._types.response import GenerateContentResponse, HttpResponse
from ._wire.contents import content_to_wire
from ._wire.convert import CallOptions, http_response, parse_generate, parse_generate_json

if TYPE_CHECKING:
    from ._stream import EventStream
    from .models import AsyncModels

__all__ = ("CallingStream", "GenerateContentStream", "first_content")


def first_content(response: GenerateContentResponse) -> Content | None:
    candidates = response.candidates
    if not candidates:
        return None
    return candidates[0].content


class GenerateContentStream:
    """The chunks of one ``streamGenerateContent`` call, as typed responses.

    Iterate with ``async for``; leaving ``async with`` or calling :meth:`aclose`
    releases the connection (also when you stop early). An error the server
    sends inside the stream raises the matching :class:`~genai_async.errors.APIError`.

    Usage::

        async with await client.models.generate_content_stream(
            model="gemini-2.5-flash", contents="Tell a story"
        ) as stream:
            async for chunk in stream:
                print(chunk.text, end="")
    """

    __slots__ = ("_events", "_http", "_schema")

    def __init__(self, events: EventStream, schema: Any = None) -> None:
        self._events = events
        self._schema = schema
        self._http: HttpResponse | None = None

    @property
    def sdk_http_response(self) -> HttpResponse:
        """The response headers of the stream (one object shared by every chunk)."""
        http = self._http
        if http is None:
            http = self._http = http_response(self._events.headers)
        return http

    def __aiter__(self) -> GenerateContentStream:
        return self

    async def __anext__(self) -> GenerateContentResponse:
        events = self._events
        http = self._http
        if http is None:
            http = self.sdk_http_response
        # An event is validated from its JSON text; errors take the decoding path.
        payload = events._payload_now()
        if payload is None and not events._pending:
            await events._ready()
            payload = events._payload_now()
        if payload is not None:
            response = parse_generate_json(payload, http, self._schema)
            if response is not None:
                events._consume()
                return response
        return parse_generate(await events.__anext__(), http, self._schema)

    async def aclose(self) -> None:
        """Stop reading and release the connection. Idempotent."""
        await self._events.aclose()

    async def __aenter__(self) -> GenerateContentStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class CallingStream(GenerateContentStream):
    """A stream with automatic function calling: the function calls of each
    request's chunks are run as they arrive; when a request's stream ends with
    calls answered, the next request (history + calls + answers) streams on."""

    __slots__ = ("_answers", "_body", "_current", "_history", "_models", "_options", "_output",
                 "_path", "_plan", "_remaining", "_typed")  # fmt: skip

    def __init__(
        self,
        models: AsyncModels,
        path: str,
        body: dict[str, Any],
        options: CallOptions,
        plan: Plan,
        first: GenerateContentStream,
    ) -> None:
        self._models = models
        self._path = path
        self._body = body
        self._options = options
        self._plan = plan
        self._current = first
        self._remaining = plan.max_calls - 1
        self._history: list[Content] = []
        self._output: list[Content] = []
        self._answers: list[dict[str, Any]] = []
        self._typed: list[Any] = []

    @property
    def sdk_http_response(self) -> HttpResponse:
        """The response headers of the request streaming now."""
        return self._current.sdk_http_response

    async def __anext__(self) -> GenerateContentResponse:
        while True:
            try:
                chunk = await self._current.__anext__()
            except StopAsyncIteration:
                if not await self._next_request():
                    raise
                continue
            if self._plan.keep_history and self._history:
                chunk.automatic_function_calling_history = self._history
            content = first_content(chunk)
            if content is not None:
                if self._remaining > 0 and content.parts:
                    wire = content_to_wire(content, self._models._ctx)
                    answers, typed = await call_functions(wire["parts"], self._plan)
                    self._answers.extend(answers)
                    self._typed.extend(typed)
                self._output.append(content)
            return chunk

    async def _next_request(self) -> bool:
        if self._remaining <= 0 or not self._answers:
            return False
        self._remaining -= 1
        ctx = self._models._ctx
        contents = self._body["contents"]
        if not self._history:
            self._history.extend(to_contents(contents))
        reply = Content(role="user", parts=self._typed)
        contents = [
            *contents,
            *(content_to_wire(c, ctx) for c in self._output),
            {"role": "user", "parts": self._answers},
        ]
        self._history.extend(self._output)
        self._history.append(reply)
        self._body = {**self._body, "contents": contents}
        self._output, self._answers, self._typed = [], [], []
        await self._current.aclose()
        self._current = await self._models._open(self._path, self._body, self._options)
        return True

    async def aclose(self) -> None:
        """Stop reading and release the connection. Idempotent."""
        await self._current.aclose()
