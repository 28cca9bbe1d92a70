"""Seed example: a custom base URL (an API gateway) with the gateway's own auth header.

The gateway URL comes from GATEWAY_BASE_URL when set, so the example can run
against a local server; otherwise it is the seed's placeholder.
"""

import os

import genai_async as genai
from genai_async import types

base_url = os.environ.get("GATEWAY_BASE_URL", "https://test-api-gateway-proxy.com")
client = genai.Client(
    vertexai=True,  # Currently only vertexai=True is supported
    http_options=types.HttpOptions(
        base_url=base_url, headers={"Authorization": "Bearer test_token"}
    ),
)

# The operation stays in the URL: <base>/v1beta1/publishers/google/models/<model>:generateContent
response = client.models.generate_content(model="gemini-2.0-flash", contents="Say hi")
print(response.text)
client.close()
