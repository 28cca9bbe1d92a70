"""``client.chats``: multi-turn chat sessions over ``models.generate_content``.

A chat keeps two histories, as google-genai does: the *comprehensive* one
(every turn, also the ones the model answered with nothing valid) and the
*curated* one (only valid turns), which is what the next message is sent with.
A turn is valid when its response has a first candidate whose content has
parts and no empty part; a streamed turn must also end with a finish reason.
Python functions in the config's tools are called for the model (automatic
function calling) and each call and answer enters the history as its own turn.

A chat object holds only its model, config and histories; any number of chats
share one client and its connection pools.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._afc import Plan, call_functions, check_stream_config, plan_for
from ._blocking import BlockingIterator, SyncSurface
from ._generate_stream import first_content
from ._types.content import Content, Part
from ._types.response import GenerateContentResponse
from ._wire.contents import content_to_wire
from ._wire.convert import generate_request

if TYPE_CHECKING:
    from .models import AsyncModels, GenerateContentStream

__all__ = ("AsyncChat", "AsyncChatStream", "AsyncChats", "Chat", "Chats")


def _valid_content(content: Content | None) -> bool:
    if content is None or not content.parts:
        return False
    for part in content.parts:
        if all(v is None for v in part.__dict__.values()) and not part.model_extra:
            return False  # an empty part
    return True


def _valid_response(response: GenerateContentResponse) -> bool:
    candidates = response.candidates
    return bool(candidates) and _valid_content(candidates[0].content)  # type: ignore[index]


def _curated(history: list[Content]) -> list[Content]:
    """The valid turns of a history: a user turn followed by model turns that are all
    valid; a user turn whose answer is invalid is dropped with it."""
    curated: list[Content] = []
    i, length = 0, len(history)
    while i < length:
        role = history[i].role
        if role not in ("user", "model"):
            raise ValueError(f"history: role must be 'user' or 'model', not {role!r}")
        if role == "user":
            curated.append(history[i])
            i += 1
            continue
        output: list[Content] = []
        valid = True
        while i < length and history[i].role == "model":
            output.append(history[i])
            valid = valid and _valid_content(history[i])
            i += 1
        if valid:
            curated.extend(output)
        elif curated:
            curated.pop()
    return curated


def _as_content(item: Any) -> Content:
    if isinstance(item, Content):
        return item
    return Content.model_validate(item)


class AsyncChat:
    """One chat session: :meth:`send_message` / :meth:`send_message_stream` send the
    curated history plus the new message and record the turn.

    Usage::

        chat = client.chats.create(model="gemini-2.5-flash")
        response = await chat.send_message("Hi, I am Ada.")
        response = await chat.send_message("What is my name?")
        for content in chat.get_history():
            print(content.role, content.parts[0].text)
    """

    def __init__(
        self,
        models: AsyncModels,
        *,
        model: str,
        config: Any = None,
        history: list[Any] | None = None,
    ) -> None:
        self._models = models
        self._model = model
        self._config = config
        contents = [_as_content(item) for item in history or ()]
        self._comprehensive_history: list[Content] = contents
        self._curated_history: list[Content] = _curated(contents)

    @property
    def model(self) -> str:
        """The model this chat talks to."""
        return self._model

    def get_history(self, curated: bool = False) -> list[Content]:
        """The history: comprehensive (every turn, the default) or curated (the valid
        turns, which the next message is sent with). The list itself, as in google-genai."""
        return self._curated_history if curated else self._comprehensive_history

    def record_history(
        self, user_input: Content, model_output: list[Content], is_valid: bool
    ) -> None:
        """Add one turn; an empty answer is recorded as an empty model content."""
        output = model_output or [Content(role="model", parts=[])]
        self._comprehensive_history.append(user_input)
        self._comprehensive_history.extend(output)
        if is_valid:
            self._curated_history.append(user_input)
            self._curated_history.extend(output)

    def _turn(self, message: Any, config: Any) -> tuple[Content, Any, Plan | None]:
        if isinstance(message, Content) or (
            isinstance(message, dict) and ("role" in message or "parts" in message)
        ):
            raise ValueError(
                "message must be a part, a string or a list of them, not a Content "
                "(the chat adds the role)"
            )
        if message is None or (isinstance(message, list) and not message):
            raise ValueError("message must not be empty")
        user_input = Content.model_validate(content_to_wire(message, self._models._ctx))
        config = config or self._config
        return user_input, config, plan_for(config, self._models.vertexai)

    async def send_message(self, message: Any, config: Any = None) -> GenerateContentResponse:
        """Send ``message`` (text, a part, or a list of them) with the history; returns
        the response and records the turn. ``config`` replaces the chat's for this call."""
        user_input, config, plan = self._turn(message, config)
        models = self._models
        path = models._path(self._model, "generateContent")
        contents = [*self._curated_history, user_input]
        body, options = generate_request(contents, config, models._ctx)
        response, data = await models._generate(path, body, options)
        if plan is not None and plan.functions and not options.raw_http:
            turn = [user_input]

            def record(called: GenerateContentResponse, content: Content, reply: Content) -> None:
                self.record_history(turn[0], [content], _valid_response(called))
                turn[0] = reply  # the function answers are the next turn's input

            # (a chat's responses carry no calling history: its turns are the record, as in google-genai)
            quiet = dataclasses.replace(plan, keep_history=False)
            response = await models._call_loop(path, body, options, quiet, response, data, record)
            user_input = turn[0]
        content = first_content(response)
        self.record_history(
            user_input, [content] if content is not None else [], _valid_response(response)
        )
        return response

    async def send_message_stream(self, message: Any, config: Any = None) -> AsyncChatStream:
        """Send ``message`` as a stream: ``async for chunk in await chat.send_message_stream(...)``.
        The turn is recorded when the stream has been read to its end."""
        user_input, config, plan = self._turn(message, config)
        if plan is not None and plan.functions:
            check_stream_config(config)
        models = self._models
        path = models._path(self._model, "streamGenerateContent?alt=sse")
        contents = [*self._curated_history, user_input]
        body, options = generate_request(contents, config, models._ctx)
        if options.raw_http:
            raise ValueError("should_return_http_response is not supported for streams")
        first = await models._open(path, body, options)
        return AsyncChatStream(self._chunks(first, user_input, path, body, options, plan))

    async def _chunks(
        self,
        stream: GenerateContentStream,
        user_input: Content,
        path: str,
        body: dict[str, Any],
        options: Any,
        plan: Plan | None,
    ) -> AsyncIterator[GenerateContentResponse]:
        models = self._models
        calling = plan is not None and bool(plan.functions)
        remaining = plan.max_calls if plan is not None else 1
        wire: list[Any] = body["contents"]
        try:
            while True:
                remaining -= 1
                last = not calling or remaining <= 0
                output: list[Content] = []
                answers: list[dict[str, Any]] = []
                typed: list[Part] = []
                valid, finished = True, False
                async for chunk in stream:
                    valid = valid and _valid_response(chunk)
                    content = first_content(chunk)
                    if content is not None:
                        if not last and content.parts:
                            assert plan is not None
                            parts = content_to_wire(content, models._ctx)["parts"]
                            found, found_typed = await call_functions(parts, plan)
                            answers.extend(found)
                            typed.extend(found_typed)
                        output.append(content)
                    if chunk.candidates and chunk.candidates[0].finish_reason:
                        finished = True
                    yield chunk
                if last or not answers:
                    self.record_history(user_input, output, valid and finished)
                    return
                self.record_history(user_input, output, valid and finished)
                user_input = Content(role="user", parts=typed)
                wire = [
                    *wire,
                    *(content_to_wire(c, models._ctx) for c in output),
                    {"role": "user", "parts": answers},
                ]
                await stream.aclose()
                stream = await models._open(path, {**body, "contents": wire}, options)
        finally:
            await stream.aclose()


class AsyncChatStream:
    """The chunks of one streamed chat turn (an async iterator; ``async with`` or
    :meth:`aclose` to stop early - the turn is then not recorded)."""

    __slots__ = ("_chunks",)

    def __init__(self, chunks: AsyncIterator[GenerateContentResponse]) -> None:
        self._chunks = chunks

    def __aiter__(self) -> AsyncChatStream:
        return self

    async def __anext__(self) -> GenerateContentResponse:
        return await self._chunks.__anext__()

    async def aclose(self) -> None:
        """Stop reading and release the connection. Idempotent."""
        await self._chunks.aclose()  # type: ignore[attr-defined]

    async def __aenter__(self) -> AsyncChatStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class AsyncChats:
    """``client.chats``: creates chat sessions (cheap; they share the client's pools).

    Usage::

        chat = client.chats.create(model="gemini-2.5-flash", config={"temperature": 0})
    """

    def __init__(self, models: AsyncModels) -> None:
        self._models = models

    def create(
        self, *, model: str, config: Any = None, history: list[Any] | None = None
    ) -> AsyncChat:
        """A new chat with ``model``, a default ``config`` and an optional starting ``history``."""
        return AsyncChat(self._models, model=model, config=config, history=history)


class Chat(SyncSurface):
    """The sync twin of :class:`AsyncChat`."""

    __slots__ = ()

    _async: AsyncChat

    @property
    def model(self) -> str:
        """The model this chat talks to."""
        return self._async.model

    def get_history(self, curated: bool = False) -> list[Content]:
        """The history: comprehensive (default) or curated."""
        return self._async.get_history(curated)

    def record_history(
        self, user_input: Content, model_output: list[Content], is_valid: bool
    ) -> None:
        """Add one turn; an empty answer is recorded as an empty model content."""
        self._async.record_history(user_input, model_output, is_valid)

    def send_message(self, message: Any, config: Any = None) -> GenerateContentResponse:
        """Send ``message`` with the history; returns the response and records the turn."""
        return self._run(self._async.send_message, message, config)

    def send_message_stream(
        self, message: Any, config: Any = None
    ) -> BlockingIterator[GenerateContentResponse]:
        """Send ``message`` as a stream; the turn is recorded when it has been read to its end."""
        return self._iterate(self._run(self._async.send_message_stream, message, config))


class Chats(SyncSurface):
    """``Client.chats``: creates sync chat sessions."""

    __slots__ = ()

    _async: AsyncChats

    def create(self, *, model: str, config: Any = None, history: list[Any] | None = None) -> Chat:
        """A new chat with ``model``, a default ``config`` and an optional starting ``history``."""
        return Chat(self._lease, self._async.create(model=model, config=config, history=history))
