"""Stateful REST resources of the mock server: files (resumable uploads, downloads)
and cached contents; batch jobs and operations come from :class:`._jobs.Jobs`.

Everything here runs on the server's loop thread, except the few methods a
test calls to seed or script state (they take the lock). Paths are matched by
their resource segments, ignoring any prefix and the API version, as the rest
of the mock does. Uploaded bytes are kept for files up to
:data:`KEEP_BYTES_LIMIT`; larger uploads keep only their size and SHA-256, so a
1 GiB upload does not grow the server.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import mimetypes
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import orjson

from ._catalog import RouteError
from ._faults import error_body
from ._jobs import Jobs, ResourceReply, _json, _later, _now, _page

if TYPE_CHECKING:
    from ._stores import FileSearchStores

__all__ = ("DROP", "KEEP_BYTES_LIMIT", "ResourceReply", "Resources")

KEEP_BYTES_LIMIT = 64 * 1024 * 1024
"""Uploads up to this size keep their bytes (downloadable); larger ones only a digest."""

DROP = object()
"""A reply that closes the connection without answering (a dropped upload)."""


@dataclass(slots=True)
class _Upload:
    name: str
    size: int
    meta: dict[str, Any]
    received: int = 0
    data: bytearray | None = field(default_factory=bytearray)
    digest: Any = field(default_factory=hashlib.sha256)
    # What a finished upload answers (a store upload's operation); None: a stored file.
    finish: Callable[[_Upload], dict[str, Any]] | None = None


def _ttl_hours(ttl: Any) -> float:
    """``"3600s"`` -> 1.0; the API's default lifetime (one hour) when unset."""
    if isinstance(ttl, str) and ttl.endswith("s"):
        try:
            return float(ttl[:-1]) / 3600
        except ValueError:
            raise RouteError(400, f"Invalid ttl: {ttl!r}") from None
    return 1.0


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


class Resources(Jobs):
    """The mock's files, uploads, cached contents and batch jobs."""

    def __init__(
        self,
        page_size_default: int = 50,
        generate: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None,
    ) -> None:
        self._generate = generate
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.page_size_default = page_size_default
        self.files: dict[str, dict[str, Any]] = {}
        self.blobs: dict[str, bytes] = {}
        self.uploads: dict[str, _Upload] = {}
        self.finished: dict[str, dict[str, Any]] = {}  # upload id -> file, for late queries
        self.drops: list[int] = []
        self.caches: dict[str, dict[str, Any]] = {}
        self.operation_polls = 1
        self.batch_polls = 2
        self.batch_outcome = "BATCH_STATE_SUCCEEDED"
        self.batches: dict[str, dict[str, Any]] = {}
        self.operations: dict[str, list[Any]] = {}  # name -> [polls left, response]
        self.stores: FileSearchStores | None = None  # attached by the server core

    # -- test-side controls (any thread) ------------------------------------------------------

    def add_file(
        self, data: bytes, mime_type: str, name: str | None = None, *, generated: bool = True
    ) -> dict[str, Any]:
        """Store a file as if the service had made it (downloadable when ``generated``)."""
        with self._lock:
            name = self._file_name(name)
            meta = self._file_meta(name, len(data), mime_type, None, hashlib.sha256(data))
            meta["source"] = "GENERATED" if generated else "UPLOADED"
            if generated:
                meta["downloadUri"] = f"{meta['uri']}:download?alt=media"
            self.files[name] = meta
            self.blobs[name] = data
            return dict(meta)

    def drop_upload_at(self, offset: int) -> None:
        """The next upload chunk that crosses byte ``offset`` is kept up to it and the
        connection is closed without an answer (as a connection dropped mid-upload)."""
        with self._lock:
            self.drops.append(offset)

    def snapshot_files(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {k: dict(v) for k, v in self.files.items()}

    def blob(self, name: str) -> bytes | None:
        with self._lock:
            return self.blobs.get(name)

    def clear(self) -> None:
        with self._lock:
            self.files.clear()
            self.blobs.clear()
            self.uploads.clear()
            self.finished.clear()
            self.drops.clear()
            self.caches.clear()
            self.operations.clear()
            self.batches.clear()
            if self.stores is not None:
                self.stores.clear()

    # -- routing (server thread) --------------------------------------------------------------

    def respond(
        self,
        method: str,
        path: str,
        query: str,
        headers: list[tuple[str, str]],
        body: bytes,
    ) -> ResourceReply | object | None:
        """The reply of a resource route, :data:`DROP`, or ``None`` for other routes."""
        segments = [s for s in path.split("/") if s]
        try:
            verb = segments[-1].rpartition(":")[2] if segments and ":" in segments[-1] else ""
            if verb in ("predictLongRunning", "fetchPredictOperation") and method == "POST":
                with self._lock:
                    return self._long_running(verb, segments, body)
            if "operations" in segments and method == "GET" and "models" in segments:
                with self._lock:
                    return self._poll("/".join(segments[segments.index("models") :]), vertex=False)
            if self.stores is not None and "fileSearchStores" in segments:
                with self._lock:
                    return self.stores.respond(method, segments, query, headers, body)
            if segments and segments[-1] == "files:register" and method == "POST":
                with self._lock:
                    return self._register(headers, body)
            if "upload" in segments and segments[-1] == "files":
                with self._lock:
                    return self._upload(query, headers, body)
            if verb == "batchGenerateContent" and method == "POST":
                with self._lock:
                    return self._create_batch(segments, body)
            if "batches" in segments:
                index = segments.index("batches")
                with self._lock:
                    return self._batches(method, segments[index + 1 :], query)
            if "cachedContents" in segments:
                index = segments.index("cachedContents")
                with self._lock:
                    return self._caches(
                        method, segments[:index], segments[index + 1 :], query, body
                    )
            if "files" in segments:
                index = len(segments) - 1 - segments[::-1].index("files")
                rest = segments[index + 1 :]
                with self._lock:
                    return self._files(method, rest, query)
        except RouteError as exc:
            return _json(exc.status, error_body(exc.status, exc.message))
        return None

    # -- files --------------------------------------------------------------------------------

    def _file_name(self, name: str | None) -> str:
        if name:
            return name if name.startswith("files/") else f"files/{name}"
        return f"files/mock{next(self._ids):06d}"

    def _file_meta(
        self, name: str, size: int, mime: str, display: str | None, digest: Any
    ) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "name": name,
            "mimeType": mime,
            "sizeBytes": str(size),
            "createTime": _now(),
            "updateTime": _now(),
            "expirationTime": _later(48),
            "sha256Hash": base64.b64encode(digest.hexdigest().encode()).decode(),
            "uri": f"https://generativelanguage.googleapis.com/v1beta/{name}",
            "state": "ACTIVE",
            "source": "UPLOADED",
        }
        if display:
            meta["displayName"] = display
        return meta

    def _upload(
        self, query: str, headers: list[tuple[str, str]], body: bytes
    ) -> ResourceReply | object:
        command = (_header(headers, "x-goog-upload-command") or "").replace(" ", "")
        params = parse_qs(query)
        ids = params.get("upload_id")
        upload_id = ids[0] if ids else None
        if upload_id is None:
            if command != "start":
                raise RouteError(400, "X-Goog-Upload-Command: start is required.")
            return self._start(headers, body)
        upload = self.uploads.get(upload_id)
        if upload is None:
            done = self.finished.get(upload_id)
            if done is not None and command == "query":
                return _json(200, done, {"X-Goog-Upload-Status": "final"})
            raise RouteError(404, f"Upload {upload_id} not found.")
        if command == "query":
            return _json(
                200,
                {},
                {
                    "X-Goog-Upload-Status": "active",
                    "X-Goog-Upload-Size-Received": str(upload.received),
                },
            )
        if command == "cancel":
            del self.uploads[upload_id]
            return _json(200, {}, {"X-Goog-Upload-Status": "cancelled"})
        if command not in ("upload", "upload,finalize"):
            raise RouteError(400, f"Unknown X-Goog-Upload-Command: {command}")
        offset = int(_header(headers, "x-goog-upload-offset") or "-1")
        if offset != upload.received:
            raise RouteError(
                400, f"Upload offset {offset} does not match the {upload.received} bytes received."
            )
        if self.drops and any(
            upload.received < d < upload.received + len(body) for d in self.drops
        ):
            cut = min(d for d in self.drops if upload.received < d < upload.received + len(body))
            self.drops.remove(cut)
            self._take(upload, body[: cut - upload.received])
            return DROP
        self._take(upload, body)
        if upload.received > upload.size:
            raise RouteError(400, "More bytes were sent than the upload declared.")
        if command == "upload":
            return _json(200, {}, {"X-Goog-Upload-Status": "active"})
        if upload.received != upload.size:
            raise RouteError(
                400, f"Finalized with {upload.received} of {upload.size} declared bytes."
            )
        del self.uploads[upload_id]
        if upload.finish is not None:
            answer = upload.finish(upload)
            self.finished[upload_id] = answer
            return _json(200, answer, {"X-Goog-Upload-Status": "final"})
        meta = {**upload.meta, **self._file_meta(
            upload.name, upload.size, upload.meta.get("mimeType", "application/octet-stream"),
            upload.meta.get("displayName"), upload.digest,
        )}  # fmt: skip
        self.finished[upload_id] = {"file": meta}
        self.files[upload.name] = meta
        if len(self.finished) > 1000:
            self.finished.pop(next(iter(self.finished)))
        if upload.data is not None:
            self.blobs[upload.name] = bytes(upload.data)
        return _json(200, {"file": meta}, {"X-Goog-Upload-Status": "final"})

    @staticmethod
    def _take(upload: _Upload, data: bytes) -> None:
        upload.received += len(data)
        upload.digest.update(data)
        if upload.data is not None:
            if upload.received > KEEP_BYTES_LIMIT:
                upload.data = None
            else:
                upload.data += data

    def _start(self, headers: list[tuple[str, str]], body: bytes) -> ResourceReply:
        try:
            request = orjson.loads(body) if body else {}
        except orjson.JSONDecodeError:
            raise RouteError(400, "Invalid JSON payload received.") from None
        file = request.get("file") if isinstance(request, dict) else None
        file = file if isinstance(file, dict) else {}
        size = _header(headers, "x-goog-upload-header-content-length")
        mime = _header(headers, "x-goog-upload-header-content-type")
        if size is None or not size.isdigit():
            raise RouteError(400, "X-Goog-Upload-Header-Content-Length is required.")
        name = self._file_name(file.get("name"))
        if name in self.files:
            raise RouteError(409, f"File {name} already exists.")
        meta = {"mimeType": mime or file.get("mimeType") or file.get("mime_type")}
        display = file.get("displayName") or file.get("display_name")
        if display:
            meta["displayName"] = display
        return self.start_upload(headers, name, int(size), meta, "upload/v1beta/files")

    def start_upload(
        self,
        headers: list[tuple[str, str]],
        name: str,
        size: int,
        meta: dict[str, Any],
        path: str,
        finish: Callable[[_Upload], dict[str, Any]] | None = None,
    ) -> ResourceReply:
        """Open an upload session of ``size`` bytes; its chunks go to ``path`` with the
        session's id; ``finish`` makes the final answer (else the upload is a file)."""
        upload_id = f"mock-upload-{next(self._ids)}"
        self.uploads[upload_id] = _Upload(name, size, meta, finish=finish)
        host = _header(headers, "host") or "127.0.0.1"
        url = f"http://{host}/{path}?upload_id={upload_id}&upload_protocol=resumable"
        return _json(200, {}, {"X-Goog-Upload-URL": url, "X-Goog-Upload-Status": "active"})

    def upload_chunk(
        self, query: str, headers: list[tuple[str, str]], body: bytes
    ) -> ResourceReply | object:
        """A request of an open upload session (``upload``, ``query``, ``cancel``)."""
        return self._upload(query, headers, body)

    def _register(self, headers: list[tuple[str, str]], body: bytes) -> ResourceReply:
        """``files:register``: Cloud Storage objects become files (OAuth only, as the API)."""
        auth = _header(headers, "authorization") or ""
        if not auth.startswith("Bearer ") or not auth[7:].strip():
            raise RouteError(401, "Registering files needs an OAuth access token.")
        try:
            request = orjson.loads(body) if body else {}
        except orjson.JSONDecodeError:
            raise RouteError(400, "Invalid JSON payload received.") from None
        uris = request.get("uris") if isinstance(request, dict) else None
        if not isinstance(uris, list) or not uris:
            raise RouteError(400, "uris is required.")
        registered = []
        for uri in uris:
            if not isinstance(uri, str) or not uri.startswith("gs://"):
                raise RouteError(400, f"Invalid Cloud Storage URI: {uri!r}")
            name = self._file_name(None)
            mime = mimetypes.guess_type(uri)[0] or "application/octet-stream"
            meta = self._file_meta(
                name, 0, mime, uri.rsplit("/", 1)[-1], hashlib.sha256(uri.encode())
            )
            meta["source"] = "REGISTERED"
            self.files[name] = meta
            registered.append(meta)
        return _json(200, {"files": registered})

    def _caches(
        self, method: str, parent: list[str], rest: list[str], query: str, body: bytes
    ) -> ResourceReply:
        # The API version segment is not part of a resource name.
        parent = [p for p in parent if not (p.startswith("v1") and p[2:3] in ("", "b", "a"))]
        prefix = "/".join(parent)
        try:
            request = orjson.loads(body) if body else {}
        except orjson.JSONDecodeError:
            raise RouteError(400, "Invalid JSON payload received.") from None
        if not isinstance(request, dict):
            raise RouteError(400, "Invalid JSON payload: expected an object.")
        if not rest:
            if method == "GET":
                items = [c for c in self.caches.values() if c["name"].startswith(prefix)]
                return _json(200, _page(items, query, "cachedContents", self.page_size_default))
            if method != "POST":
                raise RouteError(404, f"Method not found: {method} cachedContents")
            if not request.get("model"):
                raise RouteError(400, "model is required.")
            name = f"{prefix}/cachedContents/mock{next(self._ids):06d}".lstrip("/")
            now = _now()
            texts = sum(
                len(str(p.get("text", "")).split())
                for c in request.get("contents") or []
                if isinstance(c, dict)
                for p in c.get("parts") or []
                if isinstance(p, dict)
            )
            cache: dict[str, Any] = {
                "name": name,
                "model": request["model"],
                "createTime": now,
                "updateTime": now,
                "expireTime": request.get("expireTime") or _later(_ttl_hours(request.get("ttl"))),
                "usageMetadata": {"totalTokenCount": max(texts, 1)},
            }
            if request.get("displayName"):
                cache["displayName"] = request["displayName"]
            self.caches[name] = cache
            return _json(200, cache)
        name = f"{prefix}/cachedContents/{rest[0]}".lstrip("/")
        found = self.caches.get(name)
        if found is None:
            raise RouteError(404, f"CachedContent not found: {name}")
        cache = found
        if method == "GET":
            return _json(200, cache)
        if method == "DELETE":
            del self.caches[name]
            return _json(200, {})
        if method == "PATCH":
            if request.get("ttl"):
                cache["expireTime"] = _later(_ttl_hours(request["ttl"]))
            if request.get("expireTime"):
                cache["expireTime"] = request["expireTime"]
            cache["updateTime"] = _now()
            return _json(200, cache)
        raise RouteError(404, f"Method not found: {method} {name}")

    def _files(self, method: str, rest: list[str], query: str) -> ResourceReply:
        if not rest:
            if method != "GET":
                raise RouteError(404, f"Method not found: {method} files")
            items = list(self.files.values())
            return _json(200, _page(items, query, "files", self.page_size_default))
        file_id, _, verb = rest[0].partition(":")
        name = f"files/{file_id}"
        meta = self.files.get(name)
        if meta is None:
            raise RouteError(404, f"File {name} not found.")
        if verb == "download":
            if method != "GET" or meta.get("source") != "GENERATED":
                raise RouteError(400, f"File {name} cannot be downloaded.")
            return ResourceReply(200, self.blobs.get(name, b""), {}, meta["mimeType"])
        if verb:
            raise RouteError(404, f"Method not found: {method} {name}:{verb}")
        if method == "GET":
            return _json(200, meta)
        if method == "DELETE":
            del self.files[name]
            self.blobs.pop(name, None)
            return _json(200, {})
        raise RouteError(404, f"Method not found: {method} {name}")
