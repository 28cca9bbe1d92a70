"""MockServer(strict=True) refuses what the real API refuses; the default answers anything."""

from __future__ import annotations

import pytest

import genai_async as genai
from genai_async import errors
from genai_async.testing import KNOWN_MODELS, MockServer

pytestmark = pytest.mark.anyio


@pytest.fixture
def strict() -> MockServer:
    with MockServer(strict=True, known_models=["my-model"]) as server:
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


async def test_the_default_server_answers_anything(server: MockServer) -> None:
    async with client_for(server, api_version="v2") as client:
        response = await client.models.generate_content(model="gpt-4o", contents="hi")
    assert response.text == "Echo: hi"
