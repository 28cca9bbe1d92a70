"""Seed example: per-request HTTP options (a 2 minute timeout for one call)."""

import genai_async as genai
from genai_async import types

client = genai.Client(api_key="GEMINI_API_KEY")

# Override timeout for this specific request
response = client.models.generate_content(
    model="gemini-2.0-flash-exp",
    contents="Tell me a story",
    config=types.GenerateContentConfig(
        http_options=types.HttpOptions(timeout=120000)  # 2 minutes
    ),
)
print(response.text)
client.close()
