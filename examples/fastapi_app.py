"""A FastAPI app with one shared ``AsyncClient``: a JSON endpoint and a streaming one.

Run it (``pip install fastapi uvicorn``; against the embedded server, start
``genai-async serve-mock`` first and point ``GOOGLE_GEMINI_BASE_URL`` at it)::

    GOOGLE_API_KEY=... uvicorn examples.fastapi_app:app

    curl 'http://127.0.0.1:8000/ask?q=Hi'
    curl -N 'http://127.0.0.1:8000/stream?q=Tell+a+story'

The client is built once, in the app's lifespan, and closed when the app
stops. A web client that hangs up in the middle of ``/stream`` leaves the
generator below suspended at its ``yield``; the stream's connection still goes
back to the pool as soon as its response has arrived (and an unfinished one
after its time limit), so hang-ups cannot starve ``/ask``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

import genai_async

MODEL = os.environ.get("GENAI_MODEL", "gemini-2.0-flash")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # The key and base URL come from the environment (GOOGLE_API_KEY, GOOGLE_GEMINI_BASE_URL);
    # GENAI_BACKEND ("native", "aiohttp", "httpx") and GENAI_TIMEOUT_MS are optional.
    options: dict[str, Any] = {}
    if "GENAI_BACKEND" in os.environ:
        options["backend"] = os.environ["GENAI_BACKEND"]
    if "GENAI_TIMEOUT_MS" in os.environ:
        options["timeout"] = int(os.environ["GENAI_TIMEOUT_MS"])
    async with genai_async.AsyncClient(http_options=options) as client:
        app.state.client = client
        yield


app = FastAPI(lifespan=lifespan)


def _client(request: Request) -> genai_async.AsyncClient:
    client: genai_async.AsyncClient = request.app.state.client
    return client


@app.get("/ask")
async def ask(request: Request, q: str) -> dict[str, Any]:
    response = await _client(request).models.generate_content(model=MODEL, contents=q)
    return {"text": response.text}


@app.get("/stream")
async def stream(request: Request, q: str) -> StreamingResponse:
    client = _client(request)

    async def chunks() -> AsyncIterator[str]:
        async with await client.models.generate_content_stream(model=MODEL, contents=q) as stream:
            async for chunk in stream:
                yield chunk.text or ""

    return StreamingResponse(chunks(), media_type="text/plain")


@app.get("/pool")
async def pool(request: Request) -> dict[str, Any]:
    """The shared sessions of this worker: requests in flight and open connections."""
    stats = _client(request).pool_stats()
    return {"in_flight": stats.in_flight, "connections": stats.connections, "live": stats.live}
