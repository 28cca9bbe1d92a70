"""``client.file_search_stores``: File Search stores and their documents (Gemini
Developer API).

A store holds documents a model searches with the ``types.FileSearch`` tool.
``upload_to_file_search_store`` streams a path, a binary file object or bytes
with the resumable upload protocol (as ``files.upload``, resuming a failed
chunk), ``import_file`` adds a file of the Files API; both return a
long-running operation to poll with ``client.operations.get``.
``documents`` lists, reads and deletes what a store holds. Vertex AI has no
File Search stores: every method raises ``ValueError`` there, before sending,
as in google-genai.
"""

from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from ._blocking import SyncSurface
from ._types.file_search_stores import (
    Document,
    FileSearchStore,
    ImportFileOperation,
    ListDocumentsResponse,
    ListFileSearchStoresResponse,
    UploadToFileSearchStoreOperation,
)
from ._unsupported import missing
from ._upload import Source, resumable_upload
from ._urls import normalize_model
from ._wire.convert import CallOptions, config_body, http_response
from ._wire.spec import Ctx, Spec, list_of, nested, spec
from .pagers import AsyncPager, Pager, config_dict

if TYPE_CHECKING:
    from ._client import ClientCore
    from ._portal import PortalLease

__all__ = ("AsyncDocuments", "AsyncFileSearchStores", "Documents", "FileSearchStores")

_CLIENT = {"conv": None, "place": "client"}
_GEMINI = Ctx(False)


def _embedding_model(value: Any, ctx: Ctx) -> Any:
    return normalize_model(value, vertexai=False)


_CUSTOM_METADATA = spec(
    "CustomMetadata",
    key=None,
    numeric_value=None,
    string_list_value=spec("StringList", values=None),
    string_value=None,
)
_CHUNKING_CONFIG = spec(
    "ChunkingConfig",
    white_space_config=spec("WhiteSpaceConfig", max_tokens_per_chunk=None, max_overlap_tokens=None),
)
_CREATE_CONFIG = spec(
    "CreateFileSearchStoreConfig",
    http_options=_CLIENT,
    display_name=None,
    embedding_model=_embedding_model,
)
_GET_CONFIG = spec("GetFileSearchStoreConfig", http_options=_CLIENT)
_DELETE_CONFIG = spec("DeleteFileSearchStoreConfig", http_options=_CLIENT, force=None)
_LIST_CONFIG = spec(
    "ListFileSearchStoresConfig", http_options=_CLIENT, page_size=None, page_token=None
)
_IMPORT_CONFIG = spec(
    "ImportFileConfig",
    http_options=_CLIENT,
    custom_metadata=list_of(nested(_CUSTOM_METADATA)),
    chunking_config=_CHUNKING_CONFIG,
)
_UPLOAD_CONFIG = spec(
    "UploadToFileSearchStoreConfig",
    http_options=_CLIENT,
    should_return_http_response=_CLIENT,
    mime_type=None,
    display_name=None,
    custom_metadata=list_of(nested(_CUSTOM_METADATA)),
    chunking_config=_CHUNKING_CONFIG,
)
_DOWNLOAD_MEDIA_CONFIG = spec("DownloadMediaConfig", http_options=_CLIENT)
_GET_DOCUMENT_CONFIG = spec("GetDocumentConfig", http_options=_CLIENT)
_DELETE_DOCUMENT_CONFIG = spec("DeleteDocumentConfig", http_options=_CLIENT, force=None)
_LIST_DOCUMENTS_CONFIG = spec(
    "ListDocumentsConfig", http_options=_CLIENT, page_size=None, page_token=None
)


def _only_gemini(vertexai: bool, method: str) -> None:
    if vertexai:
        raise ValueError(
            f"{method} is only supported on the Gemini Developer API, not on Vertex AI "
            "(Vertex AI has no File Search stores)"
        )


def _config(config_spec: Spec, config: Any) -> tuple[dict[str, Any], CallOptions]:
    return config_body(config_spec, config, _GEMINI)


def _name(value: Any, what: str, prefix: str | None = None) -> str:
    """A resource name, checked; a bare id gets ``prefix`` (``fileSearchStores/``)."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__qualname__}")
    name = value.strip("/")
    if not name:
        raise ValueError(f"{what} must not be empty")
    if "?" in name or "#" in name or ".." in name.split("/"):
        raise ValueError(f"invalid {what} {value!r}: '?', '#' and '..' are not allowed")
    if prefix is not None and "/" not in name:
        return f"{prefix}/{name}"
    return name


def _delete_path(name: str, body: dict[str, Any]) -> str:
    force = body.get("force")
    if force is None:
        return name
    if not isinstance(force, bool):
        raise TypeError(f"config.force must be a bool, not {type(force).__qualname__}")
    return f"{name}?{urlencode({'force': force})}"  # force=True, as google-genai sends it


def _page_path(path: str, size: Any, token: str | None) -> str:
    query = [("pageSize", str(size))] if size is not None else []
    if token:
        query.append(("pageToken", token))
    return f"{path}?{urlencode(query, quote_via=quote)}" if query else path


class AsyncFileSearchStores:
    """``client.file_search_stores`` (Gemini Developer API).

    Usage::

        store = await client.file_search_stores.create(config={"display_name": "manuals"})
        operation = await client.file_search_stores.upload_to_file_search_store(
            file_search_store_name=store.name, file="manual.pdf"
        )
        while not operation.done:
            await anyio.sleep(5)
            operation = await client.operations.get(operation)
        async for doc in await client.file_search_stores.documents.list(parent=store.name):
            print(doc.name, doc.state)
        await client.file_search_stores.delete(name=store.name, config={"force": True})
    """

    def __init__(self, client: ClientCore, role: str) -> None:
        self._client = client
        self._role = role
        self._vertexai = bool(client._api.vertexai)
        self._documents: AsyncDocuments | None = None

    @property
    def vertexai(self) -> bool:
        """Whether the client talks to Vertex AI (which has no File Search stores)."""
        return self._vertexai

    @property
    def documents(self) -> AsyncDocuments:
        """The documents of the stores: get, list, delete."""
        documents = self._documents
        if documents is None:
            documents = self._documents = AsyncDocuments(self._client, self._role)
        return documents

    def __getattr__(self, name: str) -> Any:
        raise missing("file_search_stores", name)

    def _check(self, method: str) -> None:
        _only_gemini(self._vertexai, f"file_search_stores.{method}")

    async def create(self, *, config: Any = None) -> FileSearchStore:
        """Create a store (``display_name``, ``embedding_model``)."""
        self._check("create")
        body, options = _config(_CREATE_CONFIG, config)
        data, _ = await self._client._call(
            "POST", "fileSearchStores", body, options.http_options, self._role
        )
        return FileSearchStore.model_validate(data if isinstance(data, dict) else {})

    async def get(self, *, name: str, config: Any = None) -> FileSearchStore:
        """A store's metadata (``fileSearchStores/…`` or its id)."""
        self._check("get")
        path = _name(name, "name", "fileSearchStores")
        _, options = _config(_GET_CONFIG, config)
        data, _ = await self._client._call("GET", path, None, options.http_options, self._role)
        return FileSearchStore.model_validate(data if isinstance(data, dict) else {})

    async def delete(self, *, name: str, config: Any = None) -> None:
        """Delete a store; ``config.force`` also deletes the documents it holds."""
        self._check("delete")
        path = _name(name, "name", "fileSearchStores")
        query, options = _config(_DELETE_CONFIG, config)
        await self._client._call(
            "DELETE", _delete_path(path, query), None, options.http_options, self._role
        )

    async def list(self, *, config: Any = None) -> AsyncPager[FileSearchStore]:
        """The stores, page by page (``page_size``, ``page_token``)."""
        self._check("list")
        params, options = _config(_LIST_CONFIG, config)
        http_options = options.http_options
        size = params.get("pageSize")
        client, role = self._client, self._role

        async def fetch(token: str | None) -> ListFileSearchStoresResponse:
            path = _page_path("fileSearchStores", size, token)
            data, headers = await client._call("GET", path, None, http_options, role)
            page = ListFileSearchStoresResponse.model_validate(
                data if isinstance(data, dict) else {}
            )
            page.sdk_http_response = http_response(headers)
            return page

        first = await fetch(params.get("pageToken"))
        return AsyncPager("file_search_stores", fetch, first, config_dict(config))

    async def import_file(
        self, *, file_search_store_name: str, file_name: str, config: Any = None
    ) -> ImportFileOperation:
        """Add a file of the Files API (``files/…``) to a store; a long-running operation."""
        self._check("import_file")
        store = _name(file_search_store_name, "file_search_store_name", "fileSearchStores")
        body, options = _config(_IMPORT_CONFIG, config)
        body = {"fileName": _name(file_name, "file_name", "files"), **body}
        data, _ = await self._client._call(
            "POST", f"{store}:importFile", body, options.http_options, self._role
        )
        operation = ImportFileOperation.from_api_response(data)
        assert isinstance(operation, ImportFileOperation)
        return operation

    async def upload_to_file_search_store(
        self, *, file_search_store_name: str, file: Any, config: Any = None
    ) -> UploadToFileSearchStoreOperation:
        """Upload a path, a binary file object (from its current position) or bytes into a
        store, streamed with the resumable upload protocol; a long-running operation.

        ``config``: ``mime_type`` (guessed from a path when unset; needed for file objects
        and bytes), ``display_name``, ``custom_metadata``, ``chunking_config``.
        """
        self._check("upload_to_file_search_store")
        store = _name(file_search_store_name, "file_search_store_name", "fileSearchStores")
        body, options = _config(_UPLOAD_CONFIG, config)
        if options.raw_http:
            raise ValueError(
                "config.should_return_http_response is not supported by "
                "upload_to_file_search_store: it returns the upload's operation"
            )
        source = Source(file)
        mime = body.get("mimeType")
        if mime is None and source.file_name is not None:
            mime, _ = mimetypes.guess_type(source.file_name)
        if mime is None:
            raise ValueError(
                "config.mime_type is needed: it cannot be guessed for this file "
                "(give it, e.g. {'mime_type': 'text/plain'})"
            )
        headers = {
            "Content-Type": "application/json",
            "X-Goog-Upload-Protocol": "resumable",
            "X-Goog-Upload-Command": "start",
            "X-Goog-Upload-Header-Content-Length": str(source.size),
            "X-Goog-Upload-Header-Content-Type": mime,
        }
        if source.file_name is not None:
            headers["X-Goog-Upload-File-Name"] = source.file_name
        answer = await resumable_upload(
            self._client,
            source,
            body,
            headers,
            options.http_options,
            self._role,
            path=f"upload/{{api_version}}/{store}:uploadToFileSearchStore",
        )
        operation = UploadToFileSearchStoreOperation.from_api_response(answer)
        assert isinstance(operation, UploadToFileSearchStoreOperation)
        return operation

    async def download_media(self, *, media_id: str, config: Any = None) -> bytes:
        """The bytes of a media id from grounding metadata
        (``fileSearchStores/<store>/media/<blob>``)."""
        self._check("download_media")
        name = _name(media_id, "media_id")
        if "/media/" not in f"/{name}":
            raise ValueError(
                f"Invalid media_id format: {media_id!r}. "
                "Expected format: fileSearchStores/<store>/media/<blob_id>"
            )
        _, options = _config(_DOWNLOAD_MEDIA_CONFIG, config)
        stream = await self._client._open_bytes(
            "GET", f"{name}?alt=media", options.http_options, self._role
        )
        async with stream:
            return b"".join([chunk async for chunk in stream])


class AsyncDocuments:
    """``client.file_search_stores.documents`` (Gemini Developer API)."""

    def __init__(self, client: ClientCore, role: str) -> None:
        self._client = client
        self._role = role
        self._vertexai = bool(client._api.vertexai)

    @property
    def vertexai(self) -> bool:
        """Whether the client talks to Vertex AI (which has no File Search stores)."""
        return self._vertexai

    def __getattr__(self, name: str) -> Any:
        raise missing("documents", name)

    def _check(self, method: str) -> None:
        _only_gemini(self._vertexai, f"file_search_stores.documents.{method}")

    async def get(self, *, name: str, config: Any = None) -> Document:
        """A document's metadata (``fileSearchStores/…/documents/…``)."""
        self._check("get")
        _, options = _config(_GET_DOCUMENT_CONFIG, config)
        data, _ = await self._client._call(
            "GET", _name(name, "name"), None, options.http_options, self._role
        )
        return Document.model_validate(data if isinstance(data, dict) else {})

    async def delete(self, *, name: str, config: Any = None) -> None:
        """Delete a document; ``config.force`` also deletes its chunks."""
        self._check("delete")
        query, options = _config(_DELETE_DOCUMENT_CONFIG, config)
        await self._client._call(
            "DELETE",
            _delete_path(_name(name, "name"), query),
            None,
            options.http_options,
            self._role,
        )

    async def list(self, *, parent: str, config: Any = None) -> AsyncPager[Document]:
        """The documents of the store ``parent``, page by page (``page_size``, ``page_token``)."""
        self._check("list")
        store = _name(parent, "parent", "fileSearchStores")
        params, options = _config(_LIST_DOCUMENTS_CONFIG, config)
        http_options = options.http_options
        size = params.get("pageSize")
        client, role = self._client, self._role

        async def fetch(token: str | None) -> ListDocumentsResponse:
            path = _page_path(f"{store}/documents", size, token)
            data, headers = await client._call("GET", path, None, http_options, role)
            page = ListDocumentsResponse.model_validate(data if isinstance(data, dict) else {})
            page.sdk_http_response = http_response(headers)
            return page

        first = await fetch(params.get("pageToken"))
        return AsyncPager("documents", fetch, first, config_dict(config))


class FileSearchStores(SyncSurface):
    """``Client.file_search_stores``: the sync twin of :class:`AsyncFileSearchStores`."""

    __slots__ = ("_documents",)

    _async: AsyncFileSearchStores

    def __init__(self, lease: PortalLease, target: AsyncFileSearchStores) -> None:
        super().__init__(lease, target)
        self._documents = Documents(lease, target.documents)

    @property
    def vertexai(self) -> bool:
        """Whether the client talks to Vertex AI (which has no File Search stores)."""
        return self._async.vertexai

    @property
    def documents(self) -> Documents:
        """The documents of the stores: get, list, delete (blocking)."""
        return self._documents

    def __getattr__(self, name: str) -> Any:
        raise missing("file_search_stores", name)

    def create(self, *, config: Any = None) -> FileSearchStore:
        """Create a store."""
        return self._run(self._async.create, config=config)

    def get(self, *, name: str, config: Any = None) -> FileSearchStore:
        """A store's metadata."""
        return self._run(self._async.get, name=name, config=config)

    def delete(self, *, name: str, config: Any = None) -> None:
        """Delete a store."""
        return self._run(self._async.delete, name=name, config=config)

    def list(self, *, config: Any = None) -> Pager[FileSearchStore]:
        """The stores, page by page."""
        return Pager(self._lease, self._run(self._async.list, config=config))

    def import_file(
        self, *, file_search_store_name: str, file_name: str, config: Any = None
    ) -> ImportFileOperation:
        """Add a file of the Files API to a store; a long-running operation."""
        return self._run(
            self._async.import_file,
            file_search_store_name=file_search_store_name,
            file_name=file_name,
            config=config,
        )

    def upload_to_file_search_store(
        self, *, file_search_store_name: str, file: Any, config: Any = None
    ) -> UploadToFileSearchStoreOperation:
        """Upload a path, a binary file object or bytes into a store; a long-running operation."""
        return self._run(
            self._async.upload_to_file_search_store,
            file_search_store_name=file_search_store_name,
            file=file,
            config=config,
        )

    def download_media(self, *, media_id: str, config: Any = None) -> bytes:
        """The bytes of a media id from grounding metadata."""
        return self._run(self._async.download_media, media_id=media_id, config=config)


class Documents(SyncSurface):
    """``Client.file_search_stores.documents``: the sync twin of :class:`AsyncDocuments`."""

    __slots__ = ()

    _async: AsyncDocuments

    @property
    def vertexai(self) -> bool:
        """Whether the client talks to Vertex AI (which has no File Search stores)."""
        return self._async.vertexai

    def __getattr__(self, name: str) -> Any:
        raise missing("documents", name)

    def get(self, *, name: str, config: Any = None) -> Document:
        """A document's metadata."""
        return self._run(self._async.get, name=name, config=config)

    def delete(self, *, name: str, config: Any = None) -> None:
        """Delete a document."""
        return self._run(self._async.delete, name=name, config=config)

    def list(self, *, parent: str, config: Any = None) -> Pager[Document]:
        """The documents of a store, page by page."""
        return Pager(self._lease, self._run(self._async.list, parent=parent, config=config))
