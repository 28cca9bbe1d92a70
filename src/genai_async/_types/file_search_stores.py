"""Types of File Search (Gemini Developer API): stores, their documents, the operations
that fill them, and ``files.register_files``.

``FileSearchStore`` and ``Document`` are what ``client.file_search_stores`` and its
``documents`` return; ``ImportFileOperation`` / ``UploadToFileSearchStoreOperation``
are polled with ``client.operations.get`` until ``done``.
"""

from __future__ import annotations

import datetime
from typing import Any

from .._options import HttpOptions
from .base import CaseInsensitiveEnum, ContentModel, RequestModel, ResponseModel
from .files import File
from .response import HttpResponse
from .videos import Operation

__all__ = (
    "ChunkingConfig",
    "CreateFileSearchStoreConfig",
    "CustomMetadata",
    "DeleteDocumentConfig",
    "DeleteFileSearchStoreConfig",
    "Document",
    "DocumentState",
    "DownloadMediaConfig",
    "FileSearchStore",
    "GetDocumentConfig",
    "GetFileSearchStoreConfig",
    "ImportFileConfig",
    "ImportFileOperation",
    "ImportFileResponse",
    "ListDocumentsConfig",
    "ListDocumentsResponse",
    "ListFileSearchStoresConfig",
    "ListFileSearchStoresResponse",
    "RegisterFilesConfig",
    "RegisterFilesResponse",
    "StringList",
    "UploadToFileSearchStoreConfig",
    "UploadToFileSearchStoreOperation",
    "UploadToFileSearchStoreResponse",
    "UploadToFileSearchStoreResumableResponse",
    "WhiteSpaceConfig",
)


class DocumentState(CaseInsensitiveEnum):
    """Processing state of a document in a file search store."""

    STATE_UNSPECIFIED = "STATE_UNSPECIFIED"
    STATE_PENDING = "STATE_PENDING"
    STATE_ACTIVE = "STATE_ACTIVE"
    STATE_FAILED = "STATE_FAILED"


class StringList(ContentModel):
    """A list of strings (a metadata value)."""

    values: list[str] | None = None


class CustomMetadata(ContentModel):
    """A ``key`` with one value: ``string_value``, ``numeric_value`` or ``string_list_value``."""

    key: str | None = None
    numeric_value: float | None = None
    string_list_value: StringList | None = None
    string_value: str | None = None


class WhiteSpaceConfig(ContentModel):
    """Chunking on white space: tokens per chunk and overlap between chunks."""

    max_tokens_per_chunk: int | None = None
    max_overlap_tokens: int | None = None


class ChunkingConfig(ContentModel):
    """How a document is cut into chunks."""

    white_space_config: WhiteSpaceConfig | None = None


class FileSearchStore(ResponseModel):
    """A file search store: documents a model can search (``types.FileSearch`` tool).

    Usage::

        store = await client.file_search_stores.create(config={"display_name": "docs"})
        tool = types.Tool(file_search=types.FileSearch(file_search_store_names=[store.name]))
    """

    name: str | None = None
    display_name: str | None = None
    create_time: datetime.datetime | None = None
    update_time: datetime.datetime | None = None
    active_documents_count: int | None = None
    pending_documents_count: int | None = None
    failed_documents_count: int | None = None
    size_bytes: int | None = None
    embedding_model: str | None = None


class Document(ResponseModel):
    """A document of a file search store."""

    name: str | None = None
    display_name: str | None = None
    state: DocumentState | None = None
    size_bytes: int | None = None
    mime_type: str | None = None
    create_time: datetime.datetime | None = None
    custom_metadata: list[CustomMetadata] | None = None
    update_time: datetime.datetime | None = None


class CreateFileSearchStoreConfig(RequestModel):
    """Options of ``file_search_stores.create``: ``display_name``, ``embedding_model``."""

    http_options: HttpOptions | None = None
    display_name: str | None = None
    embedding_model: str | None = None


class GetFileSearchStoreConfig(RequestModel):
    """Options of ``file_search_stores.get``."""

    http_options: HttpOptions | None = None


class DeleteFileSearchStoreConfig(RequestModel):
    """Options of ``file_search_stores.delete``: ``force`` also deletes its documents."""

    http_options: HttpOptions | None = None
    force: bool | None = None


class ListFileSearchStoresConfig(RequestModel):
    """Options of ``file_search_stores.list``: ``page_size`` and ``page_token``."""

    http_options: HttpOptions | None = None
    page_size: int | None = None
    page_token: str | None = None


class ListFileSearchStoresResponse(ResponseModel):
    """One page of ``file_search_stores.list``."""

    sdk_http_response: HttpResponse | None = None
    next_page_token: str | None = None
    file_search_stores: list[FileSearchStore] | None = None


class UploadToFileSearchStoreConfig(RequestModel):
    """Options of ``file_search_stores.upload_to_file_search_store``: ``mime_type``
    (guessed from a path when unset), ``display_name``, ``custom_metadata`` and
    ``chunking_config``."""

    http_options: HttpOptions | None = None
    should_return_http_response: bool | None = None
    mime_type: str | None = None
    display_name: str | None = None
    custom_metadata: list[CustomMetadata] | None = None
    chunking_config: ChunkingConfig | None = None


class UploadToFileSearchStoreResumableResponse(ResponseModel):
    """The answer to the start of an upload to a store (its HTTP response)."""

    sdk_http_response: HttpResponse | None = None


class UploadToFileSearchStoreResponse(ResponseModel):
    """What a finished upload made: the store (``parent``) and the ``document_name``."""

    sdk_http_response: HttpResponse | None = None
    parent: str | None = None
    document_name: str | None = None


class ImportFileConfig(RequestModel):
    """Options of ``file_search_stores.import_file``: ``custom_metadata``, ``chunking_config``."""

    http_options: HttpOptions | None = None
    custom_metadata: list[CustomMetadata] | None = None
    chunking_config: ChunkingConfig | None = None


class ImportFileResponse(ResponseModel):
    """What a finished import made: the store (``parent``) and the ``document_name``."""

    sdk_http_response: HttpResponse | None = None
    parent: str | None = None
    document_name: str | None = None


def _operation_fields(api_response: Any) -> dict[str, Any]:
    data = api_response if isinstance(api_response, dict) else {}
    out = {k: data[k] for k in ("name", "metadata", "done", "error") if k in data}
    response = data.get("response")
    if isinstance(response, dict):
        out["response"] = {k: v for k, v in response.items() if k != "@type"}
    return out


class ImportFileOperation(Operation):
    """The long-running operation of ``file_search_stores.import_file``."""

    response: ImportFileResponse | None = None

    @classmethod
    def from_api_response(cls, api_response: Any, is_vertex_ai: bool = False) -> Operation:
        """An operation from its wire JSON."""
        return cls.model_validate(_operation_fields(api_response))


class UploadToFileSearchStoreOperation(Operation):
    """The long-running operation of ``file_search_stores.upload_to_file_search_store``."""

    response: UploadToFileSearchStoreResponse | None = None

    @classmethod
    def from_api_response(cls, api_response: Any, is_vertex_ai: bool = False) -> Operation:
        """An operation from its wire JSON."""
        return cls.model_validate(_operation_fields(api_response))


class GetDocumentConfig(RequestModel):
    """Options of ``file_search_stores.documents.get``."""

    http_options: HttpOptions | None = None


class DeleteDocumentConfig(RequestModel):
    """Options of ``file_search_stores.documents.delete``: ``force`` also deletes its chunks."""

    http_options: HttpOptions | None = None
    force: bool | None = None


class ListDocumentsConfig(RequestModel):
    """Options of ``file_search_stores.documents.list``: ``page_size`` and ``page_token``."""

    http_options: HttpOptions | None = None
    page_size: int | None = None
    page_token: str | None = None


class ListDocumentsResponse(ResponseModel):
    """One page of ``file_search_stores.documents.list``."""

    sdk_http_response: HttpResponse | None = None
    next_page_token: str | None = None
    documents: list[Document] | None = None


class DownloadMediaConfig(RequestModel):
    """Options of ``file_search_stores.download_media``."""

    http_options: HttpOptions | None = None


class RegisterFilesConfig(RequestModel):
    """Options of ``files.register_files``."""

    http_options: HttpOptions | None = None
    should_return_http_response: bool | None = None


class RegisterFilesResponse(ResponseModel):
    """The files ``files.register_files`` registered."""

    sdk_http_response: HttpResponse | None = None
    files: list[File] | None = None
