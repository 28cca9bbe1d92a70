"""Seed example: a 30 second timeout (milliseconds), also sent as X-Server-Timeout: 30."""

import genai_async as genai
from genai_async import types

# Set 30 second timeout
client = genai.Client(api_key="GEMINI_API_KEY", http_options=types.HttpOptions(timeout=30000))

response = client.models.generate_content(model="gemini-2.0-flash", contents="Say hi")
print(response.text)
client.close()
