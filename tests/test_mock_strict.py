"""MockServer refuses what the real API refuses, by default; strict=False answers anything."""

from __future__ import annotations

import pytest

import genai_async as genai
from genai_async import errors
from genai_async.testing import KNOWN_MODELS, MockServer

pytestmark = pytest.mark.anyio


@pytest.fixture
def strict() -> MockServer:
    with MockServer(known_models=["my-model"]) as server:
        yield server


def client_for(server: MockServer, **options: object) -> genai.AsyncClient:
    return genai.AsyncClient(api_key="k", http_options={"base_url": server.url, **options})


async def test_unknown_models_are_not_found(strict: MockServer) -> None:
    async with client_for(strict) as client:
        with pytest.raises(errors.NotFoundError, match=r"models/gemini-2\.0-flsh is not found"):
            await client.models.generate_content(model="gemini-2.0-flsh", contents="hi")
        with pytest.raises(errors.NotFoundError):
            await client.models.get(model="gpt-4o")
        assert (await client.models.generate_content(model="my-model", contents="hi")).text
        assert "gemini-2.5-flash" in KNOWN_MODELS
        await client.models.generate_content(model="gemini-2.5-flash", contents="hi")
        await client.models.generate_content(model="tunedModels/mine-123", contents="hi")


async def test_unknown_fields_are_invalid(strict: MockServer) -> None:
    async with client_for(strict) as client:
        with pytest.raises(errors.BadRequestError, match='Unknown name "temprature"'):
            await client.request(
                "POST",
                "models/gemini-2.5-flash:generateContent",
                {"contents": [{"parts": [{"text": "hi"}]}], "generationConfig": {"temprature": 1}},
            )
        with pytest.raises(errors.BadRequestError, match='Unknown name "contnets"'):
            await client.request(
                "POST", "models/gemini-2.5-flash:generateContent", {"contnets": []}
            )


@pytest.mark.parametrize("version", ["v2", "v1/"])
async def test_unknown_versions_are_not_found(strict: MockServer, version: str) -> None:
    async with client_for(strict, api_version=version) as client:
        with pytest.raises(errors.NotFoundError):
            await client.models.generate_content(model="gemini-2.5-flash", contents="hi")


async def test_the_lenient_server_answers_anything() -> None:
    with MockServer(strict=False) as server:
        async with client_for(server, api_version="v2") as client:
            response = await client.models.generate_content(
                model="gpt-4o", contents="hi", config={"http_options": {"extra_body": {"x": 1}}}
            )
    assert response.text == "Echo: hi"


async def test_the_default_is_strict_and_says_how_to_allow_a_name() -> None:
    with MockServer() as server:
        async with client_for(server) as client:
            with pytest.raises(errors.NotFoundError) as caught:
                await client.models.generate_content(model="gemini-2.0-flsh", contents="hi")
            with pytest.raises(errors.BadRequestError, match='Unknown name "temprature"'):
                await client.request(
                    "POST",
                    "models/gemini-2.5-flash:generateContent",
                    {"contents": [], "generationConfig": {"temprature": 1}},
                )
            # what the server's own listing names is known to it
            listed = [m.name async for m in await client.models.list()]
            for name in listed:
                assert (await client.models.get(model=name)).name == name
    assert "known_models" in str(caught.value)


async def test_a_batch_job_checks_its_lines_as_the_api_does() -> None:
    """A line naming a made-up field is a per-line error; the others are answered."""

    def line(key: str, request: dict[str, object]) -> dict[str, object]:
        return {"request": request, "metadata": {"key": key}}

    good = {"contents": [{"role": "user", "parts": [{"text": "good"}]}]}
    bad = {**good, "generationConfig": {"temprature": 1}}
    body = {"batch": {"inputConfig": {"requests": {"requests": [line("a", good), line("b", bad)]}}}}
    with MockServer() as server:
        async with client_for(server) as client:
            job = await client.request("POST", "models/gemini-2.5-flash:batchGenerateContent", body)
            while job["metadata"]["state"] != "BATCH_STATE_SUCCEEDED":
                job = await client.request("GET", job["name"])
    answers = job["metadata"]["output"]["inlinedResponses"]["inlinedResponses"]
    assert answers[0]["response"]["candidates"][0]["content"]["parts"][0]["text"] == "Echo: good"
    assert answers[1]["error"]["status"] == "INVALID_ARGUMENT"
    assert "temprature" in answers[1]["error"]["message"]


def test_serve_mock_flags() -> None:
    from genai_async.testing.__main__ import build_parser

    parser = build_parser("serve-mock")
    assert parser.parse_args([]).strict is True
    assert parser.parse_args(["--lenient"]).strict is False
    assert parser.parse_args(["--known-model", "a", "--known-model", "b"]).known_models == [
        "a",
        "b",
    ]
    with pytest.raises(SystemExit):
        parser.parse_args(["--strict", "--lenient"])
