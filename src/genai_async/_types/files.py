"""Types of the Files API (Gemini Developer API): ``File`` and the configs of ``client.files``."""

from __future__ import annotations

import datetime
from typing import Any, TypedDict

from .._options import HttpOptions, HttpOptionsDict
from .base import CaseInsensitiveEnum, RequestModel, ResponseModel
from .response import HttpResponse

__all__ = (
    "CreateFileResponse",
    "DeleteFileConfig",
    "DeleteFileConfigDict",
    "DeleteFileResponse",
    "DownloadFileConfig",
    "DownloadFileConfigDict",
    "File",
    "FileSource",
    "FileState",
    "FileStatus",
    "GetFileConfig",
    "GetFileConfigDict",
    "ListFilesConfig",
    "ListFilesConfigDict",
    "ListFilesResponse",
    "UploadFileConfig",
    "UploadFileConfigDict",
)


class FileState(CaseInsensitiveEnum):
    """Processing state of a file."""

    STATE_UNSPECIFIED = "STATE_UNSPECIFIED"
    PROCESSING = "PROCESSING"
    ACTIVE = "ACTIVE"
    FAILED = "FAILED"


class FileSource(CaseInsensitiveEnum):
    """Where a file came from."""

    SOURCE_UNSPECIFIED = "SOURCE_UNSPECIFIED"
    UPLOADED = "UPLOADED"
    GENERATED = "GENERATED"
    REGISTERED = "REGISTERED"


class FileStatus(ResponseModel):
    """Why processing a file failed."""

    details: list[dict[str, Any]] | None = None
    message: str | None = None
    code: int | None = None


class File(ResponseModel):
    """A file of the Files API.

    Usage::

        file = await client.files.upload(file="report.pdf")
        response = await client.models.generate_content(
            model="gemini-2.5-flash", contents=[file, "Summarise this report."]
        )
    """

    name: str | None = None
    display_name: str | None = None
    mime_type: str | None = None
    size_bytes: int | None = None
    create_time: datetime.datetime | None = None
    expiration_time: datetime.datetime | None = None
    update_time: datetime.datetime | None = None
    sha256_hash: str | None = None
    uri: str | None = None
    download_uri: str | None = None
    state: FileState | None = None
    source: FileSource | None = None
    video_metadata: dict[str, Any] | None = None
    error: FileStatus | None = None


class UploadFileConfig(RequestModel):
    """Options of ``files.upload``: the file's ``name`` (``files/…`` added when
    missing), ``mime_type`` (guessed from a path's extension when unset) and
    ``display_name``."""

    http_options: HttpOptions | None = None
    name: str | None = None
    mime_type: str | None = None
    display_name: str | None = None


class GetFileConfig(RequestModel):
    """Options of ``files.get``."""

    http_options: HttpOptions | None = None


class DeleteFileConfig(RequestModel):
    """Options of ``files.delete``."""

    http_options: HttpOptions | None = None


class DownloadFileConfig(RequestModel):
    """Options of ``files.download``."""

    http_options: HttpOptions | None = None


class ListFilesConfig(RequestModel):
    """Options of ``files.list``: ``page_size`` and ``page_token``."""

    http_options: HttpOptions | None = None
    page_size: int | None = None
    page_token: str | None = None


class ListFilesResponse(ResponseModel):
    """One page of ``files.list``."""

    sdk_http_response: HttpResponse | None = None
    next_page_token: str | None = None
    files: list[File] | None = None


class CreateFileResponse(ResponseModel):
    """The answer to the start of an upload (its HTTP response)."""

    sdk_http_response: HttpResponse | None = None


class DeleteFileResponse(ResponseModel):
    """The result of ``files.delete``: only the HTTP response."""

    sdk_http_response: HttpResponse | None = None


class UploadFileConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions
    name: str
    mime_type: str
    display_name: str


class GetFileConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions


class DeleteFileConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions


class DownloadFileConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions


class ListFilesConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions
    page_size: int
    page_token: str
