"""models.generate_videos and client.operations.get: the same requests as google-genai
3.6.1 on Vertex AI, an operation polled to done on the embedded server, on every loop."""

from __future__ import annotations

from typing import Any

import anyio
import anyio.lowlevel
import pytest
from google import genai as google_genai
from google.genai import types as gtypes

import genai_async as genai
from genai_async import types
from genai_async.testing import MockServer
from test_oracle import Creds, assert_same_request

pytestmark = [pytest.mark.anyio, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))


def vertex(server: MockServer) -> dict[str, Any]:
    return {
        "vertexai": True,
        "project": "p",
        "location": "us-central1",
        "credentials": Creds(),
        "http_options": {"base_url": server.url},
    }


CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "prompt": ({"source": {"prompt": "a cat"}}, {"source": {"prompt": "a cat"}}),
    "everything": (
        {
            "source": types.GenerateVideosSource(
                prompt="a cat", image=types.Image(image_bytes=PNG, mime_type="image/png")
            ),
            "config": types.GenerateVideosConfig(
                number_of_videos=2, duration_seconds=8, aspect_ratio="16:9", fps=24, seed=3,
                resolution="1080p", negative_prompt="dogs", enhance_prompt=True,
                generate_audio=True, output_gcs_uri="gs://b/out", person_generation="allow_adult",
                last_frame=types.Image(gcs_uri="gs://b/last.png", mime_type="image/png"),
                reference_images=[types.VideoGenerationReferenceImage(
                    image=types.Image(image_bytes=PNG, mime_type="image/png"), reference_type="ASSET")],
                mask=types.VideoGenerationMask(
                    image=types.Image(gcs_uri="gs://b/m.png", mime_type="image/png"), mask_mode="INSERT"),
                compression_quality="LOSSLESS", labels={"team": "x"}, resize_mode="PAD",
            ),
        },
        {
            "source": gtypes.GenerateVideosSource(
                prompt="a cat", image=gtypes.Image(image_bytes=PNG, mime_type="image/png")
            ),
            "config": gtypes.GenerateVideosConfig(
                number_of_videos=2, duration_seconds=8, aspect_ratio="16:9", fps=24, seed=3,
                resolution="1080p", negative_prompt="dogs", enhance_prompt=True,
                generate_audio=True, output_gcs_uri="gs://b/out", person_generation="allow_adult",
                last_frame=gtypes.Image(gcs_uri="gs://b/last.png", mime_type="image/png"),
                reference_images=[gtypes.VideoGenerationReferenceImage(
                    image=gtypes.Image(image_bytes=PNG, mime_type="image/png"), reference_type="ASSET")],
                mask=gtypes.VideoGenerationMask(
                    image=gtypes.Image(gcs_uri="gs://b/m.png", mime_type="image/png"), mask_mode="INSERT"),
                compression_quality="LOSSLESS", labels={"team": "x"}, resize_mode="PAD",
            ),
        },
    ),
    "older_arguments": (
        {"prompt": "a dog", "video": {"uri": "gs://b/in.mp4", "mime_type": "video/mp4"}},
        {"prompt": "a dog", "video": gtypes.Video(uri="gs://b/in.mp4", mime_type="video/mp4")},
    ),
}  # fmt: skip


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.parametrize("case", sorted(CASES))
async def test_generate_videos_and_polling_match_google_genai(
    server: MockServer, case: str
) -> None:
    ours_args, theirs_args = CASES[case]
    model = "veo-3.0-generate-001"
    server.set_operation_polls(1)
    theirs = google_genai.Client(**vertex(server))
    their_op = await theirs.aio.models.generate_videos(model=model, **theirs_args)
    their_op = await theirs.aio.operations.get(their_op)
    their_done = await theirs.aio.operations.get(their_op)
    await theirs.aio.aclose()
    their_requests = server.requests[-3:]
    async with genai.AsyncClient(**vertex(server)) as client:
        op = await client.models.generate_videos(model=model, **ours_args)
        assert isinstance(op, types.GenerateVideosOperation)
        assert not op.done
        op = await client.operations.get(op)
        assert not op.done
        done = await client.operations.get(op)
    for theirs_req, ours_req in zip(their_requests, server.requests[-3:], strict=True):
        if ours_req.path.endswith(":fetchPredictOperation"):
            # Each library polls its own operation.
            assert ours_req.path == theirs_req.path
            assert ours_req.json()["operationName"].startswith(op.name.rsplit("-", 1)[0])
        else:
            assert_same_request(server, (theirs_req, ours_req))
    assert done.done is their_done.done is True
    ours_videos = [v.video.model_dump() for v in done.response.generated_videos]
    assert ours_videos == [v.video.model_dump() for v in their_done.response.generated_videos]
    assert done.result == done.response


async def test_generate_videos_refusals(server: MockServer) -> None:
    async with genai.AsyncClient(api_key="k", http_options={"base_url": server.url}) as client:
        with pytest.raises(ValueError, match="only supported on Vertex AI"):
            await client.models.generate_videos(model="veo-3.0-generate-001", prompt="x")
    async with genai.AsyncClient(**vertex(server)) as client:
        with pytest.raises(ValueError, match="mutually exclusive"):
            await client.models.generate_videos(model="veo", prompt="x", source={"prompt": "y"})
        with pytest.raises(ValueError, match="webhook_config"):
            await client.models.generate_videos(
                model="veo", source={"prompt": "y"}, config={"webhook_config": {"uris": ["u"]}}
            )
        with pytest.raises(ValueError, match="has no name"):
            await client.operations.get(types.GenerateVideosOperation())
    assert server.requests == []


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_polling_on_each_loop(server: MockServer) -> None:
    server.set_operation_polls(2)
    async with genai.AsyncClient(**vertex(server)) as client:
        op = await client.models.generate_videos(model="veo-3.0-generate-001", prompt="fox")
        polls = 0
        while not op.done:
            await anyio.lowlevel.checkpoint()
            op = await client.operations.get(op)
            polls += 1
    assert polls == 3
    video = op.response.generated_videos[0].video
    assert video.video_bytes == b"mock-video:fox"


def test_sync_video_operation_and_save(server: MockServer, tmp_path: Any) -> None:
    server.set_operation_polls(0)
    with genai.Client(**vertex(server)) as client:
        op = client.models.generate_videos(model="veo-3.0-generate-001", prompt="owl")
        op = client.operations.get(op)
    target = tmp_path / "owl.mp4"
    op.response.generated_videos[0].video.save(target)
    assert target.read_bytes() == b"mock-video:owl"
