"""Chats and automatic function calling against google-genai 3.6.1, on the wire.

Both libraries run the same conversation against the embedded server, whose
mock model calls a declared function when the prompt names it; every request
of the conversation is compared pairwise (the allowed differences are those of
``test_oracle``). google-genai runs on asyncio only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any, Literal

import pydantic
import pytest
from google import genai as google_genai
from google.genai import _automatic_function_calling_util as google_afc
from google.genai import types as gtypes

import genai_async
from genai_async import types
from genai_async.testing import MockServer
from test_oracle import Creds, assert_same_request

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class City(pydantic.BaseModel):
    name: str
    country: str | None = None


def get_weather(city: str, days: int = 1, unit: Literal["c", "f"] = "c") -> dict[str, float]:
    """The weather in a city.

    Args:
        city: the city's name
    """
    return {"temperature": 21.5, "days": days}


async def find_city(city: City, when: dt.date | None = None) -> list[str]:
    """Where a city is."""
    return [city.name, str(when)]


def no_arguments():  # type: ignore[no-untyped-def]
    return "ok"


def broken(n: int) -> int:
    raise RuntimeError("the tool broke")


class Shelf:
    def count(self, kind: str, sizes: tuple[int, str] = (1, "a")) -> int:
        """Count things."""
        return 3


@pytest.mark.parametrize("fn", [get_weather, find_city, no_arguments, broken, Shelf().count])
def test_function_declarations_match(fn: Any) -> None:
    theirs = google_afc.parse_function_declaration_json_schema(fn, None)
    ours = types.FunctionDeclaration.from_callable(callable=fn)
    assert ours.model_dump(exclude_none=True, mode="json") == theirs.model_dump(
        exclude_none=True, mode="json"
    )


@pytest.fixture(params=["gemini", "vertex"])
async def clients(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Any, Any, MockServer]]:
    with MockServer() as server:
        if request.param == "vertex":
            common: dict[str, Any] = {
                "vertexai": True,
                "project": "p",
                "location": "us-central1",
                "http_options": {"base_url": server.url},
            }
            theirs = google_genai.Client(credentials=Creds(), **common)  # type: ignore[arg-type]
            ours = genai_async.AsyncClient(credentials=Creds(), **common)
        else:
            theirs = google_genai.Client(
                api_key="k", http_options={"base_url": server.url, "api_version": "v1beta"}
            )
            ours = genai_async.AsyncClient(api_key="k", http_options={"base_url": server.url})
        async with ours:
            yield theirs.aio, ours, server
        await theirs.aio.aclose()


def assert_same_conversation(server: MockServer, count: int) -> None:
    requests = server.requests
    assert len(requests) == 2 * count, [r.path for r in requests]
    for theirs, ours in zip(requests[:count], requests[count:], strict=True):
        assert_same_request(server, (theirs, ours))


TOOLS = [get_weather, find_city, broken, Shelf().count]


@pytest.mark.parametrize(
    "prompt", ["What is the weather? Use get_weather.", "Call broken, please.", "Use count."]
)
async def test_automatic_function_calling_matches(clients: Any, prompt: str) -> None:
    theirs, ours, server = clients
    config = {"tools": TOOLS, "temperature": 0.5}
    their_response = await theirs.models.generate_content(
        model="gemini-2.5-flash-lite", contents=prompt, config=config
    )
    server_half = len(server.requests)
    our_response = await ours.models.generate_content(
        model="gemini-2.5-flash-lite", contents=prompt, config=config
    )
    assert server_half == 2
    assert_same_conversation(server, 2)
    assert our_response.text == their_response.text
    ours_history = [
        c.model_dump(exclude_none=True) for c in our_response.automatic_function_calling_history
    ]
    theirs_history = [
        c.model_dump(exclude_none=True) for c in their_response.automatic_function_calling_history
    ]
    assert ours_history == theirs_history


async def test_no_function_called_gives_an_empty_history(clients: Any) -> None:
    theirs, ours, server = clients
    config = types.GenerateContentConfig(tools=[get_weather])
    their_response = await theirs.models.generate_content(
        model="gemini-2.5-flash-lite",
        contents="Hello",
        config=gtypes.GenerateContentConfig(tools=[get_weather]),
    )
    our_response = await ours.models.generate_content(
        model="gemini-2.5-flash-lite", contents="Hello", config=config
    )
    assert_same_conversation(server, 1)
    assert our_response.automatic_function_calling_history == []
    assert their_response.automatic_function_calling_history == []
    plain = await ours.models.generate_content(model="gemini-2.5-flash-lite", contents="Hello")
    assert plain.automatic_function_calling_history == []


@pytest.mark.parametrize(
    "afc",
    [
        {"disable": True},
        {"maximum_remote_calls": 1},
        {"maximum_remote_calls": 0},
        {"ignore_call_history": True},
    ],
)
async def test_call_loop_settings_match(clients: Any, afc: dict[str, Any]) -> None:
    theirs, ours, server = clients
    config = {"tools": [get_weather], "automatic_function_calling": afc}
    prompt = "Use get_weather"
    their_response = await theirs.models.generate_content(
        model="gemini-2.5-flash-lite", contents=prompt, config=config
    )
    count = len(server.requests)
    our_response = await ours.models.generate_content(
        model="gemini-2.5-flash-lite", contents=prompt, config=config
    )
    assert_same_conversation(server, count)
    assert [c.model_dump() for c in our_response.function_calls or ()] == [
        c.model_dump() for c in their_response.function_calls or ()
    ]
    assert (our_response.automatic_function_calling_history is None) == (
        their_response.automatic_function_calling_history is None
    )


async def test_streamed_function_calling_matches(clients: Any) -> None:
    theirs, ours, server = clients
    config = {"tools": [get_weather]}
    prompt = "Weather by get_weather"
    their_chunks = [
        c
        async for c in await theirs.models.generate_content_stream(
            model="gemini-2.5-flash-lite", contents=prompt, config=config
        )
    ]
    async with await ours.models.generate_content_stream(
        model="gemini-2.5-flash-lite", contents=prompt, config=config
    ) as stream:
        our_chunks = [c async for c in stream]
    assert_same_conversation(server, 2)
    assert [c.text for c in our_chunks] == [c.text for c in their_chunks]
    assert [len(c.automatic_function_calling_history or ()) for c in our_chunks] == [
        len(c.automatic_function_calling_history or ()) for c in their_chunks
    ]


HISTORY = [
    {"role": "user", "parts": [{"text": "Hi"}]},
    {"role": "model", "parts": [{"text": "Hello!"}]},
    {"role": "user", "parts": [{"text": "Dropped with its empty answer"}]},
    {"role": "model", "parts": []},
]


async def _converse(
    client: Any, messages: list[Any], config: Any, stream: bool
) -> tuple[Any, list[Any]]:
    chat = client.chats.create(model="gemini-2.5-flash-lite", config=config, history=list(HISTORY))
    calling_histories = []
    for message in messages:
        if stream:
            async for _ in await chat.send_message_stream(message):
                pass
        else:
            response = await chat.send_message(message)
            calling_histories.append(
                [
                    c.model_dump(exclude_none=True)
                    for c in response.automatic_function_calling_history or ()
                ]
            )
    return chat, calling_histories


@pytest.mark.parametrize("stream", [False, True], ids=["unary", "stream"])
@pytest.mark.parametrize("with_tools", [False, True], ids=["plain", "tools"])
async def test_chat_matches(clients: Any, stream: bool, with_tools: bool) -> None:
    theirs, ours, server = clients
    config: dict[str, Any] = {"temperature": 0.1}
    if with_tools:
        config["tools"] = [get_weather, find_city]
    messages: list[Any] = [
        "Tell me about get_weather",
        ["two", "parts"],
        types.Part(text="a part"),
    ]
    their_messages = [messages[0], messages[1], gtypes.Part(text="a part")]
    their_chat, their_calls = await _converse(theirs, their_messages, config, stream)
    count = len(server.requests)
    our_chat, our_calls = await _converse(ours, messages, config, stream)
    assert_same_conversation(server, count)
    assert our_calls == their_calls  # each response's automatic_function_calling_history
    for curated in (False, True):
        ours_history = [c.model_dump(exclude_none=True) for c in our_chat.get_history(curated)]
        theirs_history = [c.model_dump(exclude_none=True) for c in their_chat.get_history(curated)]
        assert ours_history == theirs_history
