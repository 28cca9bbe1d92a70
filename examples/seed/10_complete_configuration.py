"""Seed example: the complete configuration (Vertex AI, v1, headers, timeout,
extra_body, retries, aiohttp arguments)."""

import genai_async as genai
from genai_async import types

client = genai.Client(
    vertexai=True,
    project="your-project-id",
    location="us-central1",
    http_options=types.HttpOptions(
        api_version="v1",
        headers={"X-Custom-Header": "value"},
        timeout=60000,  # 60 seconds
        extra_body={"debugMode": False},
        retry_options=types.HttpRetryOptions(attempts=5, initial_delay=1.0, max_delay=60.0),
        async_client_args={"ssl": None, "trust_env": True},
    ),
)

response = client.models.generate_content(model="gemini-2.0-flash", contents="Say hi")
print(response.text)
client.close()
