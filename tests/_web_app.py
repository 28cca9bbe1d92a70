"""examples/fastapi_app.py plus one endpoint written as older docs showed: the
stream is never closed by the app (no ``async with``), as in much code in use."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import Request
from fastapi.responses import StreamingResponse
from fastapi_app import MODEL, _client, app

__all__ = ("app",)


@app.get("/stream-unclosed")
async def stream_unclosed(request: Request, q: str) -> StreamingResponse:
    client = _client(request)

    async def chunks() -> AsyncIterator[str]:
        stream = await client.models.generate_content_stream(model=MODEL, contents=q)
        async for chunk in stream:
            yield chunk.text or ""

    return StreamingResponse(chunks(), media_type="text/plain")
