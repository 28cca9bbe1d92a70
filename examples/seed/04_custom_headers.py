"""Seed example: custom HTTP headers on every request (names are case-insensitive;
a User-Agent is added after the library's own label, once)."""

import genai_async as genai
from genai_async import types

client = genai.Client(
    api_key="GEMINI_API_KEY",
    http_options=types.HttpOptions(
        headers={"X-Custom-Header": "custom-value", "User-Agent": "MyApp/1.0"}
    ),
)

response = client.models.generate_content(model="gemini-2.0-flash", contents="Say hi")
print(response.text)
client.close()
