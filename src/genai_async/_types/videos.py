"""Types of video generation (Veo) and of the long-running operations it returns."""

from __future__ import annotations

import importlib
import os
import pathlib
from typing import Any, TypedDict

from .._options import HttpOptions, HttpOptionsDict
from .base import CaseInsensitiveEnum, RequestModel, ResponseModel, WireBytes
from .batches import WebhookConfig
from .images import Image

__all__ = (
    "FetchPredictOperationConfig",
    "GenerateVideosConfig",
    "GenerateVideosConfigDict",
    "GenerateVideosOperation",
    "GenerateVideosResponse",
    "GenerateVideosSource",
    "GenerateVideosSourceDict",
    "GeneratedVideo",
    "GetOperationConfig",
    "GetOperationConfigDict",
    "ImageResizeMode",
    "Operation",
    "Video",
    "VideoCompressionQuality",
    "VideoGenerationMask",
    "VideoGenerationMaskMode",
    "VideoGenerationReferenceImage",
    "VideoGenerationReferenceType",
)


class VideoCompressionQuality(CaseInsensitiveEnum):
    OPTIMIZED = "OPTIMIZED"
    LOSSLESS = "LOSSLESS"


class VideoGenerationReferenceType(CaseInsensitiveEnum):
    ASSET = "ASSET"
    STYLE = "STYLE"


class VideoGenerationMaskMode(CaseInsensitiveEnum):
    INSERT = "INSERT"
    REMOVE = "REMOVE"
    REMOVE_STATIC = "REMOVE_STATIC"
    OUTPAINT = "OUTPAINT"


class ImageResizeMode(CaseInsensitiveEnum):
    CROP = "CROP"
    PAD = "PAD"


class Video(RequestModel):
    """A video: a URI (Cloud Storage, or a Files API URI) or its bytes, and its MIME type.

    Usage::

        operation.response.generated_videos[0].video.save("clip.mp4")
    """

    uri: str | None = None
    video_bytes: WireBytes | None = None
    mime_type: str | None = None

    @classmethod
    def from_file(cls, location: str | os.PathLike[str], mime_type: str | None = None) -> Video:
        """A video read from a local file."""
        import mimetypes

        text = os.fspath(location)
        data = pathlib.Path(text).read_bytes()
        return cls(video_bytes=data, mime_type=mime_type or mimetypes.guess_type(text)[0])

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the video bytes to a local file (download a Files API video first with
        ``client.files.download(file=video)``)."""
        if self.video_bytes is None:
            raise ValueError(
                "the video has no video_bytes to save; download it first with "
                "client.files.download(file=video)"
            )
        pathlib.Path(path).write_bytes(self.video_bytes)

    def show(self) -> None:
        """Display the video inline in a notebook (IPython); elsewhere a warning says
        to ``save()`` it instead."""
        if self.uri and not self.video_bytes:
            raise ValueError("showing a remote video is not supported; download it first")
        if not self.video_bytes:
            raise ValueError("the video has no video_bytes to show")
        try:
            display: Any = importlib.import_module("IPython.display")
        except ImportError:
            import logging

            logging.getLogger("genai_async").warning(
                "Video.show() displays only in a notebook (IPython); use video.save(path)"
            )
            return
        display.display(
            display.Video(data=self.video_bytes, mimetype=self.mime_type or "video/mp4", embed=True)
        )


class VideoGenerationReferenceImage(RequestModel):
    """An image that guides a generated video (an asset or a style)."""

    image: Image | None = None
    reference_type: VideoGenerationReferenceType | None = None


class VideoGenerationMask(RequestModel):
    """A mask image and how it edits the video."""

    image: Image | None = None
    mask_mode: VideoGenerationMaskMode | None = None


class GenerateVideosSource(RequestModel):
    """What a video is generated from: a prompt, an image and/or a video."""

    prompt: str | None = None
    image: Image | None = None
    video: Video | None = None


class GenerateVideosConfig(RequestModel):
    """Options of ``models.generate_videos``."""

    http_options: HttpOptions | None = None
    number_of_videos: int | None = None
    output_gcs_uri: str | None = None
    fps: int | None = None
    duration_seconds: int | None = None
    seed: int | None = None
    aspect_ratio: str | None = None
    resolution: str | None = None
    person_generation: str | None = None
    pubsub_topic: str | None = None
    negative_prompt: str | None = None
    enhance_prompt: bool | None = None
    generate_audio: bool | None = None
    last_frame: Image | None = None
    reference_images: list[VideoGenerationReferenceImage] | None = None
    mask: VideoGenerationMask | None = None
    compression_quality: VideoCompressionQuality | None = None
    labels: dict[str, str] | None = None
    webhook_config: WebhookConfig | None = None
    resize_mode: ImageResizeMode | None = None


class GeneratedVideo(ResponseModel):
    """One generated video."""

    video: Video | None = None


class GenerateVideosResponse(ResponseModel):
    """The videos of a finished generation and what the safety filters removed."""

    generated_videos: list[GeneratedVideo] | None = None
    rai_media_filtered_count: int | None = None
    rai_media_filtered_reasons: list[str] | None = None


class Operation(ResponseModel):
    """A long-running operation: ``name``, ``done``, ``metadata``, ``error``.

    Poll it with ``client.operations.get(operation)`` until ``done``.
    """

    name: str | None = None
    metadata: dict[str, Any] | None = None
    done: bool | None = None
    error: dict[str, Any] | None = None

    @classmethod
    def from_api_response(cls, api_response: Any, is_vertex_ai: bool = False) -> Operation:
        """An operation from its wire JSON."""
        data = api_response if isinstance(api_response, dict) else {}
        return cls.model_validate(
            {k: data[k] for k in ("name", "metadata", "done", "error") if k in data}
        )


def _video(data: Any, vertex: bool) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {}
    if vertex:
        keys = {"gcsUri": "uri", "bytesBase64Encoded": "video_bytes", "mimeType": "mime_type"}
    else:
        keys = {"uri": "uri", "encodedVideo": "video_bytes", "encoding": "mime_type"}
    return {ours: data[wire] for wire, ours in keys.items() if wire in data}


def _videos_response(data: Any, vertex: bool) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {}
    out: dict[str, Any] = {}
    if vertex:
        items = data.get("videos")
        videos = [{"video": _video(item, True)} for item in items or ()]
    else:
        items = data.get("generatedSamples")
        videos = [{"video": _video(item.get("video"), False)} for item in items or ()]
    if items is not None:
        out["generated_videos"] = videos
    for wire, ours in (
        ("raiMediaFilteredCount", "rai_media_filtered_count"),
        ("raiMediaFilteredReasons", "rai_media_filtered_reasons"),
    ):
        if wire in data:
            out[ours] = data[wire]
    return out


class GenerateVideosOperation(Operation):
    """The operation of ``models.generate_videos``; ``response`` (also ``result``) holds
    the videos once ``done``.

    Usage::

        operation = await client.models.generate_videos(model="veo-3.0-generate-001",
                                                        source={"prompt": "a cat"})
        while not operation.done:
            await anyio.sleep(10)
            operation = await client.operations.get(operation)
        video = operation.response.generated_videos[0].video
    """

    response: GenerateVideosResponse | None = None
    result: GenerateVideosResponse | None = None

    @classmethod
    def from_api_response(
        cls, api_response: Any, is_vertex_ai: bool = False
    ) -> GenerateVideosOperation:
        """The operation from its wire JSON (each API puts the videos elsewhere)."""
        data = api_response if isinstance(api_response, dict) else {}
        fields: dict[str, Any] = {
            k: data[k] for k in ("name", "metadata", "done", "error") if k in data
        }
        response = data.get("response")
        if not is_vertex_ai and isinstance(response, dict):
            response = response.get("generateVideoResponse")
        if response is not None:
            fields["response"] = fields["result"] = _videos_response(response, is_vertex_ai)
        return cls.model_validate(fields)


class GetOperationConfig(RequestModel):
    """Options of ``operations.get``."""

    http_options: HttpOptions | None = None


class FetchPredictOperationConfig(RequestModel):
    """Options of the Vertex AI ``fetchPredictOperation`` call behind ``operations.get``."""

    http_options: HttpOptions | None = None


class GenerateVideosSourceDict(TypedDict, total=False):
    prompt: str
    image: Any
    video: Any


class GenerateVideosConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions
    number_of_videos: int
    output_gcs_uri: str
    fps: int
    duration_seconds: int
    seed: int
    aspect_ratio: str
    resolution: str
    person_generation: str
    pubsub_topic: str
    negative_prompt: str
    enhance_prompt: bool
    generate_audio: bool
    last_frame: Any
    reference_images: list[Any]
    mask: Any
    compression_quality: VideoCompressionQuality | str
    labels: dict[str, str]
    webhook_config: Any
    resize_mode: ImageResizeMode | str


class GetOperationConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions
