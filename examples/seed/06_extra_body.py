"""Seed example: extra parameters merged into every JSON request body (Vertex AI)."""

import genai_async as genai
from genai_async import types

client = genai.Client(
    vertexai=True,
    project="your-project-id",
    location="us-central1",
    http_options=types.HttpOptions(extra_body={"customParam": "value", "debugMode": True}),
)

response = client.models.generate_content(model="gemini-2.0-flash", contents="Say hi")
print(response.text)
client.close()
