"""Seed example: aiohttp arguments for async calls (mutual TLS, cookies, trust_env).

async_client_args configure `client.aio` calls, so the call below is async. The
SSL context presents client.crt/client.key from the working directory and trusts
the default CA store (which SSL_CERT_FILE can point elsewhere).
"""

import asyncio
import ssl

import genai_async as genai
from genai_async import types

# Configure SSL context
ssl_context = ssl.create_default_context()
ssl_context.load_cert_chain("client.crt", "client.key")

client = genai.Client(
    api_key="GEMINI_API_KEY",
    http_options=types.HttpOptions(
        async_client_args={
            "cookies": {"session": "abc123"},
            "ssl": ssl_context,
            "connector": None,  # Custom connector
            "trust_env": True,
        }
    ),
)


async def main() -> None:
    response = await client.aio.models.generate_content(model="gemini-2.0-flash", contents="Say hi")
    print(response.text)
    await client.aio.aclose()


asyncio.run(main())
client.close()
