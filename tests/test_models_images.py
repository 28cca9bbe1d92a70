"""The Imagen methods of client.models end to end: the same request path and body as
google-genai 3.6.1 on Vertex AI, typed results, the Gemini API refused before sending."""

from __future__ import annotations

from typing import Any

import pytest
from google import genai as google_genai

import genai_async as genai
from genai_async import types
from genai_async.testing import MockServer
from test_oracle import Creds, assert_same_request

pytestmark = [pytest.mark.anyio, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(60))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "generate_images": (
        "imagen-4.0-generate-001",
        {"prompt": "a red fox", "config": {"number_of_images": 2, "aspect_ratio": "16:9"}},
    ),
    "edit_image": (
        "imagen-3.0-capability-001",
        {
            "prompt": "add a hat",
            "reference_images": [
                {"reference_image": {"image_bytes": PNG, "mime_type": "image/png"},
                 "reference_id": 1, "reference_type": "REFERENCE_TYPE_RAW"},
            ],
            "config": {"edit_mode": "EDIT_MODE_INPAINT_INSERTION", "number_of_images": 1},
        },
    ),
    "upscale_image": (
        "imagen-4.0-upscale-preview",
        {"image": {"image_bytes": PNG, "mime_type": "image/png"}, "upscale_factor": "x2"},
    ),
    "segment_image": (
        "image-segmentation-001",
        {"source": {"image": {"image_bytes": PNG, "mime_type": "image/png"}}},
    ),
}  # fmt: skip


def _ours(args: dict[str, Any]) -> dict[str, Any]:
    out = dict(args)
    if "reference_images" in out:
        out["reference_images"] = [
            types.RawReferenceImage(
                reference_image=types.Image(image_bytes=PNG, mime_type="image/png"),
                reference_id=1,
            )
        ]
    return out


def _theirs(args: dict[str, Any]) -> dict[str, Any]:
    from google.genai import types as gtypes

    out = dict(args)
    if "reference_images" in out:
        out["reference_images"] = [
            gtypes.RawReferenceImage(
                reference_image=gtypes.Image(image_bytes=PNG, mime_type="image/png"),
                reference_id=1,
            )
        ]
    return out


@pytest.mark.parametrize("method", sorted(CALLS))
async def test_imagen_methods_match_google_genai(server: MockServer, method: str) -> None:
    model, args = CALLS[method]
    common: dict[str, Any] = {
        "vertexai": True,
        "project": "p",
        "location": "us-central1",
        "credentials": Creds(),
        "http_options": {"base_url": server.url},
    }
    theirs = google_genai.Client(**common)
    their_result = await getattr(theirs.aio.models, method)(model=model, **_theirs(args))
    await theirs.aio.aclose()
    async with genai.AsyncClient(**common) as client:
        our_result = await getattr(client.models, method)(model=model, **_ours(args))
    assert_same_request(server)
    assert server.requests[-1].path.endswith(f"/publishers/google/models/{model}:predict")
    if method == "segment_image":
        ours_masks = [m.mask.image_bytes for m in our_result.generated_masks]
        assert ours_masks == [m.mask.image_bytes for m in their_result.generated_masks]
        assert our_result.generated_masks[0].labels[0].label == "mock"
    else:
        ours_images = [g.image.image_bytes for g in our_result.generated_images]
        assert ours_images == [g.image.image_bytes for g in their_result.generated_images]
        assert ours_images[0].startswith(b"\x89PNG")


async def test_imagen_is_refused_on_the_gemini_api(server: MockServer) -> None:
    async with genai.AsyncClient(api_key="k", http_options={"base_url": server.url}) as client:
        with pytest.raises(ValueError, match="only supported on Vertex AI"):
            await client.models.generate_images(model="imagen-4.0-generate-001", prompt="x")
    assert server.requests == []


def test_sync_generate_images_saves_an_image(server: MockServer, tmp_path: Any) -> None:
    with genai.Client(
        vertexai=True,
        project="p",
        location="us-central1",
        credentials=Creds(),
        http_options={"base_url": server.url},
    ) as client:
        response = client.models.generate_images(model="imagen-4.0-generate-001", prompt="fox")
    target = tmp_path / "fox.png"
    response.generated_images[0].image.save(str(target))
    assert target.read_bytes().startswith(b"\x89PNG")
