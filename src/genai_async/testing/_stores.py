"""File Search stores of the mock server: stores, their documents, and the
long-running operations (import, upload) that fill them.

A document made by ``importFile`` or ``uploadToFileSearchStore`` is
``STATE_PENDING`` until its operation has been polled as many times as
``set_operation_polls`` says (default 1), then ``STATE_ACTIVE``; the store's
counts follow its documents. Deleting a store that holds documents, or an
active document (it has chunks), needs ``force=true``, as on the API. Runs on
the server's loop thread under the resources' lock.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import orjson

from ._catalog import RouteError
from ._jobs import ResourceReply, _json, _page
from ._resources import _header

if TYPE_CHECKING:
    from ._resources import Resources, _Upload

__all__ = ("FileSearchStores",)

_RESPONSE_TYPE = "type.googleapis.com/google.ai.generativelanguage.v1main.{}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    return slug or "store"


def _forced(query: str) -> bool:
    values = parse_qs(query).get("force") or ["false"]
    return values[0].lower() == "true"


def _body(raw: bytes) -> dict[str, Any]:
    try:
        value = orjson.loads(raw) if raw else {}
    except orjson.JSONDecodeError:
        raise RouteError(400, "Invalid JSON payload received.") from None
    if not isinstance(value, dict):
        raise RouteError(400, "Invalid JSON payload: expected an object.")
    return value


class FileSearchStores:
    """The mock's file search stores (part of :class:`Resources`)."""

    def __init__(self, resources: Resources) -> None:
        self._r = resources
        self.stores: dict[str, dict[str, Any]] = {}
        self.documents: dict[str, dict[str, Any]] = {}  # name -> document
        self.media: dict[str, bytes] = {}  # document name -> uploaded bytes (small ones)
        self.operations: dict[str, list[Any]] = {}  # name -> [polls left, document, kind]

    def clear(self) -> None:
        self.stores.clear()
        self.documents.clear()
        self.media.clear()
        self.operations.clear()

    # -- routing ----------------------------------------------------------------------------

    def respond(
        self,
        method: str,
        segments: list[str],
        query: str,
        headers: list[tuple[str, str]],
        body: bytes,
    ) -> ResourceReply | object:
        index = segments.index("fileSearchStores")
        upload = "upload" in segments[:index]
        rest = segments[index + 1 :]
        if upload and "upload_id" in parse_qs(query):
            return self._r.upload_chunk(query, headers, body)
        if not rest:
            if method == "POST" and not upload:
                return _json(200, self._create(_body(body)))
            if method == "GET":
                views = [self._view(n) for n in self.stores]
                return _json(200, _page(views, query, "fileSearchStores", 20))
            raise RouteError(404, f"Method not found: {method} fileSearchStores")
        store_id, _, verb = rest[0].partition(":")
        store = f"fileSearchStores/{store_id}"
        if store not in self.stores:
            raise RouteError(404, f"FileSearchStore {store} not found.")
        if verb == "uploadToFileSearchStore" and upload and method == "POST":
            return self._start_upload(store, headers, _body(body))
        if verb == "importFile" and method == "POST" and not upload:
            return _json(200, self._import(store, _body(body)))
        if verb:
            raise RouteError(404, f"Method not found: {method} {store}:{verb}")
        tail = rest[1:]
        if not tail:
            if method == "GET":
                return _json(200, self._view(store))
            if method == "DELETE":
                self._delete_store(store, _forced(query))
                return _json(200, {})
        elif "operations" in tail and method == "GET":
            return _json(200, self._poll("/".join(["fileSearchStores", *rest])))
        elif tail[0] == "documents":
            return self._documents(method, store, tail[1:], query)
        elif tail[0] == "media" and len(tail) == 2 and method == "GET":
            return self._media(store, tail[1])
        raise RouteError(404, f"Method not found: {method} {'/'.join(segments)}")

    # -- stores -----------------------------------------------------------------------------

    def _create(self, request: dict[str, Any]) -> dict[str, Any]:
        display = request.get("displayName")
        name = f"fileSearchStores/{_slug(str(display or 'store'))}-{next(self._r._ids):06d}"
        now = _now()
        store: dict[str, Any] = {"name": name, "createTime": now, "updateTime": now}
        if display:
            store["displayName"] = display
        if request.get("embeddingModel"):
            store["embeddingModel"] = request["embeddingModel"]
        self.stores[name] = store
        return self._view(name)

    def _view(self, name: str) -> dict[str, Any]:
        view = dict(self.stores[name])
        counts = {"STATE_ACTIVE": 0, "STATE_PENDING": 0, "STATE_FAILED": 0}
        size = 0
        for doc in self._docs_of(name):
            counts[doc["state"]] = counts.get(doc["state"], 0) + 1
            if doc["state"] == "STATE_ACTIVE":
                size += int(doc.get("sizeBytes") or 0)
        # int64 fields travel as strings; zero values are left out (proto3 JSON).
        for state, key in (
            ("STATE_ACTIVE", "activeDocumentsCount"),
            ("STATE_PENDING", "pendingDocumentsCount"),
            ("STATE_FAILED", "failedDocumentsCount"),
        ):
            if counts[state]:
                view[key] = str(counts[state])
        if size:
            view["sizeBytes"] = str(size)
        return view

    def _docs_of(self, store: str) -> list[dict[str, Any]]:
        prefix = f"{store}/documents/"
        return [d for n, d in self.documents.items() if n.startswith(prefix)]

    def _delete_store(self, store: str, force: bool) -> None:
        docs = self._docs_of(store)
        if docs and not force:
            raise RouteError(
                400, f"FileSearchStore {store} is not empty; delete it with force=true."
            )
        for doc in docs:
            self.documents.pop(doc["name"], None)
            self.media.pop(doc["name"], None)
        del self.stores[store]

    # -- documents and the operations that make them -----------------------------------------

    def _new_document(
        self, store: str, display: str, size: int, mime: str, metadata: Any
    ) -> dict[str, Any]:
        name = f"{store}/documents/{_slug(display)}-{next(self._r._ids):06d}"
        now = _now()
        doc: dict[str, Any] = {
            "name": name,
            "displayName": display,
            "state": "STATE_PENDING",
            "sizeBytes": str(size),
            "mimeType": mime,
            "createTime": now,
            "updateTime": now,
        }
        if metadata:
            doc["customMetadata"] = metadata
        self.documents[name] = doc
        return doc

    def _operation(self, store: str, doc: dict[str, Any], kind: str) -> dict[str, Any]:
        """A new operation for ``doc`` (``kind``: ``ImportFile`` or ``UploadToFileSearchStore``)."""
        middle = "upload/operations" if kind == "UploadToFileSearchStore" else "operations"
        name = f"{store}/{middle}/mock-op-{next(self._r._ids)}"
        self.operations[name] = [self._r.operation_polls, doc["name"], kind]
        if self._r.operation_polls == 0:
            return self._poll(name)
        return {"name": name}

    def _poll(self, name: str) -> dict[str, Any]:
        entry = self.operations.get(name)
        if entry is None:
            raise RouteError(404, f"Operation {name} not found.")
        polls, doc_name, kind = entry
        if polls > 0:
            entry[0] -= 1
            return {"name": name}
        doc = self.documents.get(doc_name)
        if doc is not None and doc["state"] == "STATE_PENDING":
            doc["state"] = "STATE_ACTIVE"
            doc["updateTime"] = _now()
        store = doc_name.split("/documents/", 1)[0]
        return {
            "name": name,
            "done": True,
            "response": {
                "@type": _RESPONSE_TYPE.format(f"{kind}Response"),
                "parent": store,
                "documentName": doc_name,
            },
        }

    def _import(self, store: str, request: dict[str, Any]) -> dict[str, Any]:
        file_name = request.get("fileName")
        if not isinstance(file_name, str) or not file_name:
            raise RouteError(400, "fileName is required.")
        file = self._r.files.get(file_name)
        if file is None:
            raise RouteError(404, f"File {file_name} not found.")
        display = file.get("displayName") or file_name.rsplit("/", 1)[-1]
        doc = self._new_document(
            store,
            str(display),
            int(file.get("sizeBytes") or 0),
            str(file.get("mimeType") or "application/octet-stream"),
            request.get("customMetadata"),
        )
        data = self._r.blobs.get(file_name)
        if data is not None:
            self.media[doc["name"]] = data
        return self._operation(store, doc, "ImportFile")

    def _start_upload(
        self, store: str, headers: list[tuple[str, str]], request: dict[str, Any]
    ) -> ResourceReply:
        size = _header(headers, "x-goog-upload-header-content-length")
        if size is None or not size.isdigit():
            raise RouteError(400, "X-Goog-Upload-Header-Content-Length is required.")
        mime = (
            request.get("mimeType")
            or _header(headers, "x-goog-upload-header-content-type")
            or "application/octet-stream"
        )
        display = (
            request.get("displayName") or _header(headers, "x-goog-upload-file-name") or "document"
        )
        meta = {
            "mimeType": mime,
            "displayName": display,
            "customMetadata": request.get("customMetadata"),
        }

        def finish(upload: _Upload) -> dict[str, Any]:
            doc = self._new_document(
                store, str(display), upload.size, str(mime), meta["customMetadata"]
            )
            if upload.data is not None:
                self.media[doc["name"]] = bytes(upload.data)
            return self._operation(store, doc, "UploadToFileSearchStore")

        path = f"upload/v1beta/{store}:uploadToFileSearchStore"
        return self._r.start_upload(headers, store, int(size), meta, path, finish)

    def _documents(self, method: str, store: str, rest: list[str], query: str) -> ResourceReply:
        if not rest:
            if method != "GET":
                raise RouteError(404, f"Method not found: {method} {store}/documents")
            return _json(200, _page(self._docs_of(store), query, "documents", 20))
        name = f"{store}/documents/{rest[0]}"
        doc = self.documents.get(name)
        if doc is None or len(rest) > 1:
            raise RouteError(404, f"Document {name} not found.")
        if method == "GET":
            return _json(200, doc)
        if method == "DELETE":
            if doc["state"] == "STATE_ACTIVE" and not _forced(query):
                raise RouteError(400, f"Document {name} has chunks; delete it with force=true.")
            del self.documents[name]
            self.media.pop(name, None)
            return _json(200, {})
        raise RouteError(404, f"Method not found: {method} {name}")

    def _media(self, store: str, blob: str) -> ResourceReply:
        name = f"{store}/documents/{blob}"
        data = self.media.get(name)
        if data is None:
            raise RouteError(404, f"Media {store}/media/{blob} not found.")
        mime = str(self.documents.get(name, {}).get("mimeType") or "application/octet-stream")
        return ResourceReply(200, data, {}, mime)
