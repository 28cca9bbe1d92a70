"""Seed example: your own pre-configured httpx clients (used as given, never closed)."""

import asyncio

import httpx

import genai_async as genai
from genai_async import types

# Custom httpx clients
sync_client = httpx.Client(http2=True)
async_client = httpx.AsyncClient(http2=True)

client = genai.Client(
    api_key="GEMINI_API_KEY",
    http_options=types.HttpOptions(httpx_client=sync_client, httpx_async_client=async_client),
)

print(client.models.generate_content(model="gemini-2.0-flash", contents="Say hi (sync)").text)


async def main() -> None:
    response = await client.aio.models.generate_content(
        model="gemini-2.0-flash", contents="Say hi (async)"
    )
    print(response.text)
    await client.aio.aclose()
    await async_client.aclose()  # yours to close


asyncio.run(main())
client.close()
sync_client.close()  # yours to close
