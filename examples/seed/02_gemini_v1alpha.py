"""Seed example: the Gemini Developer API with v1alpha."""

import genai_async as genai
from genai_async import types

client = genai.Client(
    api_key="GEMINI_API_KEY", http_options=types.HttpOptions(api_version="v1alpha")
)

response = client.models.generate_content(model="gemini-2.0-flash", contents="Say hi")
print(response.text)
client.close()
