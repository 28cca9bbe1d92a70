"""The mock server's batch jobs and long-running operations (a part of
:class:`._resources.Resources`): jobs made from inlined requests or an uploaded
JSONL file, finished after ``set_batch(polls=)`` polls with ``outcome``; operations
(video generation, File Search imports) done after ``set_operation_polls(n)`` polls.
Also the reply type and JSON helpers the resource modules share.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import orjson

from ._catalog import RouteError, int_param

__all__ = ("Jobs", "ResourceReply")


@dataclass(slots=True)
class ResourceReply:
    """A JSON (or raw) reply with extra headers."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=UTF-8"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")


def _later(hours: float) -> str:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)
    return when.isoformat().replace("+00:00", "Z")


def _json(status: int, value: Any, headers: dict[str, str] | None = None) -> ResourceReply:
    return ResourceReply(status, orjson.dumps(value), headers or {})


def _page(items: list[dict[str, Any]], query: str, key: str, default: int) -> dict[str, Any]:
    params = parse_qs(query, keep_blank_values=True)
    sizes = params.get("pageSize")
    size = int_param(sizes[0] if sizes else None, "pageSize", default, 1, 1000)
    token = (params.get("pageToken") or [""])[0]
    start = int(token) if token.isdigit() else 0
    out: dict[str, Any] = {key: items[start : start + size]} if items[start:] else {}
    if start + size < len(items):
        out["nextPageToken"] = str(start + size)
    return out


class Jobs:
    """Batch jobs and operations; :class:`._resources.Resources` holds the state."""

    _lock: threading.Lock
    _ids: itertools.count[int]
    _generate: Callable[[str, dict[str, Any]], dict[str, Any]] | None
    page_size_default: int
    files: dict[str, dict[str, Any]]
    blobs: dict[str, bytes]
    operation_polls: int
    batch_polls: int
    batch_outcome: str
    batches: dict[str, dict[str, Any]]
    operations: dict[str, list[Any]]

    def _file_meta(
        self, name: str, size: int, mime: str, display: str | None, digest: Any
    ) -> dict[str, Any]:
        raise NotImplementedError  # Resources' own

    def set_batch(self, *, polls: int | None = None, outcome: str | None = None) -> None:
        """How many polls a new batch job takes to finish, and its final state
        (``BATCH_STATE_SUCCEEDED``, ``_FAILED``, ``_EXPIRED`` or ``_CANCELLED``)."""
        with self._lock:
            if polls is not None:
                if polls < 0:
                    raise ValueError("polls must be >= 0")
                self.batch_polls = polls
            if outcome is not None:
                self.batch_outcome = outcome

    def _answer(self, model: str, request: Any) -> dict[str, Any]:
        """One line's result: ``{"response": ...}``, or ``{"error": ...}`` for a request
        whose text contains ``[error]`` or that the server refuses (a strict server's
        unknown model or field)."""
        if not isinstance(request, dict) or "[error]" in orjson.dumps(request).decode():
            return {
                "error": {
                    "code": 400,
                    "message": "Invalid request (mock).",
                    "status": "INVALID_ARGUMENT",
                }
            }
        if self._generate is None:
            return {"response": {}}
        answer = self._generate(model, request)
        error = answer.get("error")
        if isinstance(error, dict) and len(answer) == 1:
            return {"error": error}
        return {"response": answer}

    def _create_batch(self, segments: list[str], body: bytes) -> ResourceReply:
        try:
            request = orjson.loads(body) if body else {}
        except orjson.JSONDecodeError:
            raise RouteError(400, "Invalid JSON payload received.") from None
        batch = request.get("batch") if isinstance(request, dict) else None
        if not isinstance(batch, dict):
            raise RouteError(400, "batch is required.")
        model = segments[-1].rpartition(":")[0]
        source = batch.get("inputConfig") or {}
        name = f"batches/mock-batch-{next(self._ids)}"
        output: dict[str, Any]
        counts = [0, 0]  # succeeded, failed
        if "fileName" in source:
            data = self.blobs.get(str(source["fileName"]))
            if data is None:
                raise RouteError(404, f"File {source['fileName']} not found.")
            lines = []
            for raw in data.splitlines():
                if not raw.strip():
                    continue
                try:
                    item = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    item = {}
                answer = self._answer(
                    model, item.get("request") if isinstance(item, dict) else None
                )
                counts[0 if "response" in answer else 1] += 1
                key = item.get("key") if isinstance(item, dict) else None
                lines.append(orjson.dumps({"key": key, **answer}))
            out_name = f"files/{name.rsplit('/', 1)[-1]}-output"
            blob = b"\n".join(lines) + b"\n"
            meta = self._file_meta(
                out_name, len(blob), "application/jsonl", None, hashlib.sha256(blob)
            )
            meta["source"] = "GENERATED"
            meta["downloadUri"] = f"{meta['uri']}:download?alt=media"
            self.files[out_name] = meta
            self.blobs[out_name] = blob
            output = {"responsesFile": out_name}
        else:
            inlined = (source.get("requests") or {}).get("requests") or []
            answers = []
            for entry in inlined:
                answer = self._answer(
                    model, entry.get("request") if isinstance(entry, dict) else None
                )
                counts[0 if "response" in answer else 1] += 1
                if isinstance(entry, dict) and entry.get("metadata") is not None:
                    answer["metadata"] = entry["metadata"]
                answers.append(answer)
            output = {"inlinedResponses": {"inlinedResponses": answers}}
        now = _now()
        self.batches[name] = {
            "polls": self.batch_polls,
            "outcome": self.batch_outcome,
            "output": output,
            "meta": {
                "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatch",
                "name": name,
                "model": model,
                "displayName": batch.get("displayName") or name,
                "createTime": now,
                "updateTime": now,
                "state": "BATCH_STATE_PENDING",
                "batchStats": {
                    "requestCount": str(sum(counts)),
                    "pendingRequestCount": str(sum(counts)),
                },
            },
            "counts": counts,
        }
        return _json(200, self._batch_view(name))

    def _batch_view(self, name: str) -> dict[str, Any]:
        job = self.batches[name]
        view: dict[str, Any] = {"name": name, "metadata": dict(job["meta"])}
        if job["meta"]["state"] in (
            "BATCH_STATE_SUCCEEDED", "BATCH_STATE_FAILED", "BATCH_STATE_EXPIRED",
            "BATCH_STATE_CANCELLED",
        ):  # fmt: skip
            view["done"] = True
        return view

    def _advance(self, name: str) -> None:
        job = self.batches[name]
        meta = job["meta"]
        if meta["state"] not in ("BATCH_STATE_PENDING", "BATCH_STATE_RUNNING"):
            return
        if job["polls"] > 0:  # created pending; running from the first read on
            job["polls"] -= 1
            meta["state"] = "BATCH_STATE_RUNNING"
            return
        meta["state"] = job["outcome"]
        meta["updateTime"] = meta["endTime"] = _now()
        ok, failed = job["counts"]
        if job["outcome"] == "BATCH_STATE_SUCCEEDED":
            meta["output"] = job["output"]
            meta["batchStats"] = {
                "requestCount": str(ok + failed),
                "successfulRequestCount": str(ok),
                "failedRequestCount": str(failed),
            }

    def _batches(self, method: str, rest: list[str], query: str) -> ResourceReply:
        if not rest:
            if method != "GET":
                raise RouteError(404, f"Method not found: {method} batches")
            views = [self._batch_view(n) for n in self.batches]
            return _json(200, _page(views, query, "operations", self.page_size_default))
        job_id, _, verb = rest[0].partition(":")
        name = f"batches/{job_id}"
        if name not in self.batches:
            raise RouteError(404, f"Batch {name} not found.")
        if verb == "cancel" and method == "POST":
            meta = self.batches[name]["meta"]
            if meta["state"] in ("BATCH_STATE_PENDING", "BATCH_STATE_RUNNING"):
                meta["state"] = "BATCH_STATE_CANCELLED"
                meta["updateTime"] = meta["endTime"] = _now()
            return _json(200, {})
        if verb:
            raise RouteError(404, f"Method not found: {method} {name}:{verb}")
        if method == "GET":
            self._advance(name)
            return _json(200, self._batch_view(name))
        if method == "DELETE":
            del self.batches[name]
            return _json(200, {})
        raise RouteError(404, f"Method not found: {method} {name}")

    def set_operation_polls(self, polls: int) -> None:
        """How many polls a new long-running operation answers ``done: false`` to."""
        if polls < 0:
            raise ValueError("polls must be >= 0")
        with self._lock:
            self.operation_polls = polls

    def _long_running(self, verb: str, segments: list[str], body: bytes) -> ResourceReply:
        try:
            request = orjson.loads(body) if body else {}
        except orjson.JSONDecodeError:
            raise RouteError(400, "Invalid JSON payload received.") from None
        if verb == "fetchPredictOperation":
            name = request.get("operationName") if isinstance(request, dict) else None
            if not isinstance(name, str):
                raise RouteError(400, "operationName is required.")
            return self._poll(name, vertex=True)
        # A new video generation: the resource name keeps the request's prefix.
        parts = [p for p in segments if not (p.startswith("v1") and p[2:3] in ("", "b", "a"))]
        resource = "/".join(parts).rpartition(":")[0]
        name = f"{resource}/operations/mock-op-{next(self._ids)}"
        instances = request.get("instances") if isinstance(request, dict) else None
        prompt = ""
        if isinstance(instances, list) and instances and isinstance(instances[0], dict):
            prompt = str(instances[0].get("prompt") or "")
        count = 1
        parameters = request.get("parameters") if isinstance(request, dict) else None
        if isinstance(parameters, dict):
            count = int_param(parameters.get("sampleCount"), "sampleCount", 1, 1, 4)
        data = base64.b64encode(b"mock-video:" + prompt.encode()).decode()
        videos = [{"bytesBase64Encoded": data, "mimeType": "video/mp4"}] * count
        self.operations[name] = [self.operation_polls, {"videos": videos}, "models/" in name]
        return _json(200, {"name": name})

    def _poll(self, name: str, *, vertex: bool) -> ResourceReply:
        entry = self.operations.get(name)
        if entry is None:
            raise RouteError(404, f"Operation {name} not found.")
        if entry[0] > 0:
            entry[0] -= 1
            return _json(200, {"name": name, "done": False})
        response = entry[1]
        if not vertex:  # the Gemini API's shape (read with GET on the operation)
            samples = [
                {"video": {"encodedVideo": v["bytesBase64Encoded"], "encoding": v["mimeType"]}}
                for v in response["videos"]
            ]
            response = {"generateVideoResponse": {"generatedSamples": samples}}
        return _json(200, {"name": name, "done": True, "response": response})
