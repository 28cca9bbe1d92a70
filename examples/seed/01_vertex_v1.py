"""Seed example: Vertex AI with the v1 API.

The seed's code with the imports switched to genai_async, plus one call. It
talks to whatever GOOGLE_VERTEX_BASE_URL names (e.g. `genai-async serve-mock`)
with Application Default Credentials, or to Vertex AI itself.
"""

import genai_async as genai
from genai_async import types

client = genai.Client(
    vertexai=True,
    project="your-project-id",
    location="us-central1",
    http_options=types.HttpOptions(api_version="v1"),
)

response = client.models.generate_content(model="gemini-2.0-flash", contents="Say hi")
print(response.text)
client.close()
