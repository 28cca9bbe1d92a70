"""``client.files``: the Files API of the Gemini Developer API.

``upload`` streams a path, a binary file object or bytes with the resumable
upload protocol (bounded memory; a failed chunk resumes from what the server
holds), ``download`` streams a generated file to a path, a writable object or
bytes, and ``get`` / ``list`` / ``delete`` manage the stored files. Vertex AI
has no file service: every method raises ``ValueError`` there, as in
google-genai.
"""

from __future__ import annotations

import builtins
import inspect
import mimetypes
import os
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import anyio

from ._auth import TokenSource
from ._blocking import SyncSurface
from ._options import coerce_http_options
from ._types.file_search_stores import RegisterFilesResponse
from ._types.files import DeleteFileResponse, File, ListFilesResponse
from ._unsupported import missing
from ._upload import Source, resumable_upload
from ._wire.convert import http_response, method_options
from ._wire.spec import spec
from .pagers import AsyncPager, Pager, config_dict

if TYPE_CHECKING:
    from ._client import ClientCore

__all__ = ("AsyncFiles", "Files")

_UPLOAD_CONFIG = spec(
    "UploadFileConfig", http_options=None, name=None, mime_type=None, display_name=None
)
_LIST_CONFIG = spec("ListFilesConfig", http_options=None, page_size=None, page_token=None)
_METHOD_CONFIG = spec("GetFileConfig", http_options={"conv": None, "place": "client"})
_REGISTER_CONFIG = spec(
    "RegisterFilesConfig",
    http_options={"conv": None, "place": "client"},
    should_return_http_response={"conv": None, "place": "client"},
)


def _check_credentials(auth: Any) -> None:
    """``auth`` must be google-auth credentials (or, without google-auth, an object
    with ``token`` and ``refresh``)."""
    try:
        from google.auth.credentials import Credentials
    except ImportError:
        if hasattr(auth, "token") and callable(getattr(auth, "refresh", None)):
            return
        raise ValueError(
            "auth must be a google.auth.credentials.Credentials object "
            f"(install google-auth), not {type(auth).__qualname__}"
        ) from None
    if not isinstance(auth, Credentials):
        raise ValueError(
            "auth must be a google.auth.credentials.Credentials object, "
            f"not {type(auth).__qualname__}"
        )


def _fields(config: Any, allowed: Any) -> dict[str, Any]:
    """The set fields of a config (dict or model); unknown names raise ``ValueError``."""
    if config is None:
        return {}
    items = config.items() if isinstance(config, dict) else vars(config).items()
    out = {}
    for key, value in items:
        if value is None:
            continue
        found = allowed.fields.get(key)
        if found is None:
            raise allowed.unknown(key)
        out[found.name] = value
    return out


def _file_id(file: Any) -> str:
    """The id of a file given as ``files/…``, a bare id, a ``https://…/files/…`` URI or an
    object with ``name`` (a ``File``) or ``uri`` (a video)."""
    name = file
    if not isinstance(file, str):
        name = getattr(file, "name", None) if hasattr(file, "size_bytes") else None
        if name is None:
            video = getattr(file, "video", None)
            name = getattr(video if video is not None else file, "uri", None)
    if name is None:
        raise ValueError("file: a file name is required")
    if not isinstance(name, str):
        raise ValueError(f"file: cannot take a file name from {type(file).__qualname__}")
    if name.startswith("https://"):
        match = re.match(r"[a-z0-9]+", name.split("files/", 1)[-1])
        if match is None:
            raise ValueError(f"file: no file name in the URI {name!r}")
        return match.group(0)
    return name.removeprefix("files/")


class AsyncFiles:
    """``client.files`` (Gemini Developer API).

    Usage::

        file = await client.files.upload(file="notes.txt")
        print(file.name, file.size_bytes)
        async for f in await client.files.list():
            print(f.name)
        await client.files.delete(name=file.name)
    """

    def __init__(self, client: ClientCore, role: str) -> None:
        self._client = client
        self._role = role
        self._vertexai = bool(client._api.vertexai)

    @property
    def vertexai(self) -> bool:
        """Whether the client talks to Vertex AI (which has no file service)."""
        return self._vertexai

    def __getattr__(self, name: str) -> Any:
        raise missing("files", name)

    def _gemini_only(self, method: str) -> None:
        if self._vertexai:
            raise ValueError(
                f"files.{method} is only supported on the Gemini Developer API, not on Vertex AI"
            )

    async def upload(self, *, file: Any, config: Any = None) -> File:
        """Upload a path, a binary file object (from its current position) or bytes.

        ``config``: ``name``, ``mime_type`` (guessed from a path when unset; needed for
        file objects and bytes) and ``display_name``. Returns the stored file.
        """
        self._gemini_only("upload")
        fields = _fields(config, _UPLOAD_CONFIG)
        source = Source(file)
        mime = fields.get("mime_type")
        if mime is None and source.file_name is not None:
            mime, _ = mimetypes.guess_type(source.file_name)
        if mime is None:
            raise ValueError(
                "config.mime_type is needed: it cannot be guessed for this file "
                "(give it, e.g. {'mime_type': 'text/plain'})"
            )
        meta: dict[str, Any] = {}
        name = fields.get("name")
        if name is not None:
            meta["name"] = name if name.startswith("files/") else f"files/{name}"
        meta["mimeType"] = mime
        meta["sizeBytes"] = source.size
        if fields.get("display_name") is not None:
            meta["displayName"] = fields["display_name"]
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
            self._client, source, {"file": meta}, headers, fields.get("http_options"), self._role
        )
        return File.model_validate(answer.get("file") or {})

    async def get(self, *, name: str, config: Any = None) -> File:
        """The metadata of a file (``files/…`` or its id)."""
        self._gemini_only("get")
        options = method_options(config, _METHOD_CONFIG)
        data, _ = await self._client._call(
            "GET", f"files/{_file_id(name)}", None, options.http_options, self._role
        )
        return File.model_validate(data)

    async def delete(self, *, name: str, config: Any = None) -> DeleteFileResponse:
        """Delete a file."""
        self._gemini_only("delete")
        options = method_options(config, _METHOD_CONFIG)
        _, headers = await self._client._call(
            "DELETE", f"files/{_file_id(name)}", None, options.http_options, self._role
        )
        return DeleteFileResponse(sdk_http_response=http_response(headers))

    async def list(self, *, config: Any = None) -> AsyncPager[File]:
        """The stored files, page by page (``page_size``, ``page_token``)."""
        self._gemini_only("list")
        fields = _fields(config, _LIST_CONFIG)
        http_options = fields.get("http_options")
        size = fields.get("page_size")
        client, role = self._client, self._role

        async def fetch(token: str | None) -> ListFilesResponse:
            query = [("pageSize", str(size))] if size is not None else []
            if token:
                query.append(("pageToken", token))
            path = f"files?{urlencode(query, quote_via=quote)}" if query else "files"
            data, headers = await client._call("GET", path, None, http_options, role)
            response = ListFilesResponse.model_validate(data if isinstance(data, dict) else {})
            response.sdk_http_response = http_response(headers)
            return response

        first = await fetch(fields.get("page_token"))
        return AsyncPager("files", fetch, first, config_dict(config))

    async def register_files(
        self, *, auth: Any, uris: builtins.list[str], config: Any = None
    ) -> RegisterFilesResponse:
        """Register Cloud Storage objects (``gs://…`` ``uris``) as files, with the bearer
        token of ``auth`` (google-auth credentials, refreshed in a worker thread when due;
        its quota project goes in ``x-goog-user-project``)."""
        self._gemini_only("register_files")
        _check_credentials(auth)
        if isinstance(uris, str) or not isinstance(uris, (list, tuple)):
            raise TypeError(f"uris must be a list of str, not {type(uris).__qualname__}")
        for uri in uris:
            if not isinstance(uri, str):
                raise TypeError(f"uris must hold str, not {type(uri).__qualname__}")
        options = method_options(config, _REGISTER_CONFIG)
        user = coerce_http_options(options.http_options, where="config.http_options")
        token_headers = await TokenSource(auth).headers()
        if user is None:
            http_options: Any = {"headers": token_headers}
        else:
            headers = {**(user.headers or {}), **token_headers}
            http_options = user.model_copy(update={"headers": headers})
        data, headers = await self._client._call(
            "POST", "files:register", {"uris": list(uris)}, http_options, self._role
        )
        if options.raw_http:
            return RegisterFilesResponse(sdk_http_response=http_response(headers))
        response = RegisterFilesResponse.model_validate(data if isinstance(data, dict) else {})
        response.sdk_http_response = http_response(headers)
        return response

    async def download(
        self, *, file: Any, destination: Any = None, config: Any = None
    ) -> bytes | None:
        """The bytes of a generated file (one with a ``download_uri``), streamed: to
        ``destination`` (a path, or an object with ``write``) returning ``None``, or
        returned whole when no destination is given."""
        self._gemini_only("download")
        if isinstance(file, File) and file.download_uri is None:
            raise ValueError(
                "only generated files can be downloaded (this one has no download_uri); "
                "uploaded files cannot be"
            )
        if destination is not None and not (
            isinstance(destination, (str, os.PathLike)) or hasattr(destination, "write")
        ):
            raise ValueError(
                "destination must be a path or a writable object, "
                f"not {type(destination).__qualname__}"
            )
        options = method_options(config, _METHOD_CONFIG)
        path = f"files/{_file_id(file)}:download?alt=media"
        stream = await self._client._open_bytes("GET", path, options.http_options, self._role)
        async with stream:
            if destination is None:
                data = b"".join([chunk async for chunk in stream])
                video = getattr(file, "video", file)
                if hasattr(video, "video_bytes"):
                    video.video_bytes = data
                return data
            if isinstance(destination, (str, os.PathLike)):
                async with await anyio.open_file(destination, "wb") as out:
                    async for chunk in stream:
                        await out.write(chunk)
                return None
            write = destination.write
            async for chunk in stream:
                result = write(chunk)
                if inspect.isawaitable(result):
                    await result
        return None


class Files(SyncSurface):
    """``Client.files``: the sync twin of :class:`AsyncFiles`."""

    __slots__ = ()

    _async: AsyncFiles

    @property
    def vertexai(self) -> bool:
        """Whether the client talks to Vertex AI (which has no file service)."""
        return self._async.vertexai

    def __getattr__(self, name: str) -> Any:
        raise missing("files", name)

    def upload(self, *, file: Any, config: Any = None) -> File:
        """Upload a path, a binary file object or bytes; returns the stored file."""
        return self._run(self._async.upload, file=file, config=config)

    def get(self, *, name: str, config: Any = None) -> File:
        """The metadata of a file."""
        return self._run(self._async.get, name=name, config=config)

    def delete(self, *, name: str, config: Any = None) -> DeleteFileResponse:
        """Delete a file."""
        return self._run(self._async.delete, name=name, config=config)

    def list(self, *, config: Any = None) -> Pager[File]:
        """The stored files, page by page."""
        return Pager(self._lease, self._run(self._async.list, config=config))

    def register_files(
        self, *, auth: Any, uris: builtins.list[str], config: Any = None
    ) -> RegisterFilesResponse:
        """Register Cloud Storage objects as files, with the bearer token of ``auth``."""
        return self._run(self._async.register_files, auth=auth, uris=uris, config=config)

    def download(self, *, file: Any, destination: Any = None, config: Any = None) -> bytes | None:
        """The bytes of a generated file, to ``destination`` or returned."""
        return self._run(self._async.download, file=file, destination=destination, config=config)
