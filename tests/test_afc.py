"""Automatic function calling and chats on every loop flavour, and from the sync client.

The embedded server's mock model calls a declared function when the last user
text names it (placeholder arguments) and answers a function response with
``Function results: {...}``; exact calls are scripted with a 200 ``Fault``.
"""

from __future__ import annotations

import threading
from typing import Any

import orjson
import pydantic
import pytest

import genai_async as genai
from genai_async import errors, types
from genai_async.testing import Fault, MockServer

pytestmark = pytest.mark.anyio


def call_reply(name: str, args: dict[str, Any]) -> dict[str, Any]:
    part = {"functionCall": {"name": name, "args": args}}
    return {"candidates": [{"content": {"role": "model", "parts": [part]}, "finishReason": "STOP"}]}


def sent_answers(server: MockServer, index: int = -1) -> list[dict[str, Any]]:
    last = server.requests[index].json()["contents"][-1]
    assert last["role"] == "user"
    return [p["functionResponse"] for p in last["parts"]]


class Point(pydantic.BaseModel):
    x: int
    y: float


def client_for(server: MockServer, **options: Any) -> genai.AsyncClient:
    return genai.AsyncClient(api_key="k", http_options={"base_url": server.url, **options})


async def test_sync_tools_run_off_the_loop_and_async_tools_on_it(server: MockServer) -> None:
    loop_thread = threading.get_ident()
    seen: dict[str, int] = {}

    def lookup(city: str) -> dict[str, Any]:
        seen["lookup"] = threading.get_ident()
        return {"city": city, "temperature": 21}

    async def alookup(city: str) -> str:
        seen["alookup"] = threading.get_ident()
        return city.upper()

    async with client_for(server) as client:
        response = await client.models.generate_content(
            model="gemini-2.5-flash",
            contents="use lookup",
            config={"tools": [lookup, alookup]},
        )
        assert seen["lookup"] != loop_thread
        assert sent_answers(server) == [
            {"name": "lookup", "response": {"result": {"city": "mock", "temperature": 21}}}
        ]
        assert (
            response.text
            == 'Function results: {"lookup":{"result":{"city":"mock","temperature":21}}}'
        )
        history = response.automatic_function_calling_history
        assert [c.role for c in history] == ["user", "model", "user"]
        assert history[1].parts[0].function_call.name == "lookup"
        assert history[2].parts[0].function_response.response["result"]["city"] == "mock"

        await client.models.generate_content(
            model="gemini-2.5-flash", contents="use alookup", config={"tools": [lookup, alookup]}
        )
        assert seen["alookup"] == loop_thread
        assert sent_answers(server)[0]["response"] == {"result": "MOCK"}


async def test_arguments_are_validated_into_the_annotations(server: MockServer) -> None:
    got: list[Any] = []

    def place(p: Point, count: int, tags: list[str] | None = None) -> str:
        got.extend([p, count, tags])
        return "placed"

    server.inject(
        Fault(
            match=":generateContent",
            status=200,
            body=call_reply("place", {"p": {"x": 1.0, "y": 2}, "count": 3.0}),
        )
    )
    async with client_for(server) as client:
        await client.models.generate_content(
            model="gemini-2.5-flash-lite", contents="go", config={"tools": [place]}
        )
    assert got == [Point(x=1, y=2.0), 3, None]
    assert type(got[1]) is int

    server.inject(
        Fault(
            match=":generateContent",
            status=200,
            body=call_reply("place", {"p": "nope", "count": 1}),
        )
    )
    async with client_for(server) as client:
        await client.models.generate_content(
            model="gemini-2.5-flash-lite", contents="go", config={"tools": [place]}
        )
    (answer,) = sent_answers(server)
    assert "Failed to parse parameter p for function place" in answer["response"]["error"]


async def test_a_raising_tool_and_an_unknown_function_answer_with_errors(
    server: MockServer,
) -> None:
    def explode(n: int) -> int:
        raise RuntimeError("boom")

    async with client_for(server) as client:
        response = await client.models.generate_content(
            model="gemini-2.5-flash-lite", contents="explode now", config={"tools": [explode]}
        )
        (answer,) = sent_answers(server)
        assert answer["name"] == "explode"
        assert answer["response"]["error"].startswith("Failed to invoke function explode")
        assert "boom" in answer["response"]["error"]
        assert response.text.startswith("Function results:")

        server.inject(Fault(match=":generateContent", status=200, body=call_reply("ghost", {})))
        await client.models.generate_content(
            model="gemini-2.5-flash-lite", contents="x", config={"tools": [explode]}
        )
        assert sent_answers(server) == [
            {"name": "ghost", "response": {"error": "There is no function named 'ghost'."}}
        ]


async def test_the_loop_stops_at_maximum_remote_calls(server: MockServer) -> None:
    calls: list[str] = []

    def again(step: str) -> str:
        calls.append(step)
        return "call again"

    server.inject(
        Fault(
            match=":generateContent",
            status=200,
            body=call_reply("again", {"step": "s"}),
            times=None,
        )
    )
    async with client_for(server) as client:
        config = {"tools": [again], "automatic_function_calling": {"maximum_remote_calls": 3}}
        response = await client.models.generate_content(
            model="gemini-2.5-flash-lite", contents="x", config=config
        )
    assert len(server.requests) == 3
    assert calls == ["s", "s"]  # the last request's call is left to the caller
    assert response.function_calls[0].name == "again"
    assert len(response.automatic_function_calling_history) == 5


async def test_disabled_calling_sends_the_declaration_and_calls_nothing(server: MockServer) -> None:
    def never(x: str) -> str:
        raise AssertionError("not to be called")

    async with client_for(server) as client:
        config = types.GenerateContentConfig(
            tools=[never],
            automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
        )
        response = await client.models.generate_content(
            model="gemini-2.5-flash-lite", contents="never", config=config
        )
    assert len(server.requests) == 1
    assert server.requests[0].json()["tools"][0]["functionDeclarations"][0]["name"] == "never"
    assert response.function_calls[0].name == "never"
    assert response.automatic_function_calling_history is None


async def test_streamed_function_calling(server: MockServer) -> None:
    def lookup(city: str) -> str:
        return f"sunny in {city}"

    async with client_for(server) as client:
        stream = await client.models.generate_content_stream(
            model="gemini-2.5-flash-lite", contents="lookup please", config={"tools": [lookup]}
        )
        async with stream:
            chunks = [c async for c in stream]
    assert chunks[0].function_calls[0].name == "lookup"
    assert "".join(c.text or "" for c in chunks[1:]) == (
        'Function results: {"lookup":{"result":"sunny in mock"}}'
    )
    assert len(chunks[-1].automatic_function_calling_history) == 3
    assert len(server.requests) == 2
    assert sent_answers(server) == [{"name": "lookup", "response": {"result": "sunny in mock"}}]


async def test_stopping_a_calling_stream_early_releases_its_connection(server: MockServer) -> None:
    def lookup(city: str) -> str:
        return city

    async with client_for(server) as client:
        async with await client.models.generate_content_stream(
            model="gemini-2.5-flash-lite", contents="lookup", config={"tools": [lookup]}
        ) as stream:
            async for _ in stream:
                break
        stats = client.pool_stats()
    assert all(s.in_flight == 0 for s in stats.sessions)


async def test_chat_keeps_curated_and_comprehensive_history(server: MockServer) -> None:
    async with client_for(server) as client:
        chat = client.chats.create(model="gemini-2.5-flash", config={"temperature": 0})
        first = await chat.send_message("Hi, I am Ada.")
        assert first.text == "Echo: Hi, I am Ada."
        server.inject(Fault(match=":generateContent", status=200, body={"candidates": []}))
        await chat.send_message("this turn gets no answer")
        await chat.send_message("What is my name?")
        sent = server.requests[-1].json()["contents"]
        assert [c["parts"][0]["text"] for c in sent] == [
            "Hi, I am Ada.", "Echo: Hi, I am Ada.", "What is my name?"
        ]  # fmt: skip
        assert len(chat.get_history()) == 6
        assert len(chat.get_history(curated=True)) == 4
        assert chat.get_history()[3] == types.Content(role="model", parts=[])

        async with await chat.send_message_stream("stream me") as stream:
            text = "".join([c.text async for c in stream])
        assert text == "Echo: stream me"
        assert chat.get_history()[-1].role == "model"
        assert len(chat.get_history(curated=True)) == 4 + 1 + 3  # one content per chunk


async def test_chat_calls_functions_and_records_each_step(server: MockServer) -> None:
    def lookup(city: str) -> str:
        return "rain"

    async with client_for(server) as client:
        chat = client.chats.create(model="gemini-2.5-flash-lite", config={"tools": [lookup]})
        response = await chat.send_message("lookup the weather")
    assert response.text == 'Function results: {"lookup":{"result":"rain"}}'
    roles = [(c.role, next(k for k, v in c.parts[0] if v is not None)) for c in chat.get_history()]
    assert roles == [
        ("user", "text"), ("model", "function_call"), ("user", "function_response"), ("model", "text")
    ]  # fmt: skip


async def test_chat_refuses_a_content_message(server: MockServer) -> None:
    async with client_for(server) as client:
        chat = client.chats.create(model="gemini-2.5-flash-lite")
        with pytest.raises(ValueError, match="not a Content"):
            await chat.send_message(types.Content(role="user", parts=[types.Part(text="x")]))
        with pytest.raises(ValueError, match="role must be 'user' or 'model'"):
            client.chats.create(
                model="gemini-2.5-flash-lite",
                history=[{"role": "system", "parts": [{"text": "x"}]}],
            )
    assert server.requests == []


class Opaque:
    pass


async def test_tools_that_cannot_be_described_fail_before_sending(server: MockServer) -> None:
    def bad(thing: Opaque) -> None:
        pass

    class Local:
        pass

    def unresolvable(thing: Local) -> None:
        pass

    async with client_for(server) as client:
        with pytest.raises(ValueError, match=r"parameter thing: .*Opaque of function 'bad'"):
            await client.models.generate_content(
                model="gemini-2.5-flash-lite", contents="x", config={"tools": [bad]}
            )
        with pytest.raises(ValueError, match=r"type hints of function 'unresolvable'.*'Local'"):
            await client.models.generate_content(
                model="gemini-2.5-flash-lite", contents="x", config={"tools": [unresolvable]}
            )
    assert server.requests == []


def test_sync_client_runs_functions_and_chats(server: MockServer) -> None:
    caller = threading.get_ident()
    seen: list[int] = []

    def lookup(city: str) -> str:
        seen.append(threading.get_ident())
        return "fog"

    async def alookup(city: str) -> str:
        return "mist"

    with genai.Client(api_key="k", http_options={"base_url": server.url}) as client:
        response = client.models.generate_content(
            model="gemini-2.5-flash-lite", contents="lookup", config={"tools": [lookup]}
        )
        assert response.text == 'Function results: {"lookup":{"result":"fog"}}'
        assert seen
        assert seen[0] != caller
        chat = client.chats.create(model="gemini-2.5-flash-lite", config={"tools": [alookup]})
        assert (
            chat.send_message("alookup").text == 'Function results: {"alookup":{"result":"mist"}}'
        )
        chunks = list(chat.send_message_stream("hello"))
        assert "".join(c.text for c in chunks) == "Echo: hello"
        assert len(chat.get_history()) == 4 + 1 + len(chunks)
    body = orjson.loads(server.requests[-1].body)
    assert body["tools"][0]["functionDeclarations"][0]["name"] == "alookup"


def test_function_invocation_error_is_a_value_error() -> None:
    assert issubclass(errors.FunctionInvocationError, ValueError)
    assert issubclass(errors.UnknownFunctionCallArgumentError, ValueError)
