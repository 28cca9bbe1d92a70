"""Seed example: httpx arguments for sync (client_args) and async (async_client_args) calls."""

import asyncio

import httpx

import genai_async as genai
from genai_async import types

client = genai.Client(
    api_key="GEMINI_API_KEY",
    http_options=types.HttpOptions(
        client_args={"http2": True, "limits": httpx.Limits(max_keepalive_connections=5)},
        async_client_args={"http2": True, "limits": httpx.Limits(max_keepalive_connections=5)},
    ),
)

print(client.models.generate_content(model="gemini-2.0-flash", contents="Say hi (sync)").text)


async def main() -> None:
    response = await client.aio.models.generate_content(
        model="gemini-2.0-flash", contents="Say hi (async)"
    )
    print(response.text)
    await client.aio.aclose()


asyncio.run(main())
client.close()
