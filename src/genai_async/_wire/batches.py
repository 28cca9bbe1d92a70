"""Requests and responses of the server-side Batch API (``client.batches``).

Gemini Developer API: a job is created with ``POST {model}:batchGenerateContent``
(``{model}:asyncBatchEmbedContent`` for embeddings) and read back as an
Operation (``name``, ``metadata`` holding the job). Vertex AI: a
``batchPredictionJob`` resource. Both become one :class:`BatchJob`, mapped the
way google-genai maps them (``BATCH_STATE_*`` reported as ``JOB_STATE_*``,
inlined responses typed as ``GenerateContentResponse``). Fields of the job
this library does not map are kept as the job's extra fields, under their wire
names.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from .._types.batches import BatchJob, DeleteResourceJob, ListBatchJobsResponse
from .._types.response import HttpResponse
from .._urls import normalize_model
from .configs import EMBED_CONTENT_CONFIG
from .contents import content_to_wire
from .convert import CallOptions, config_body, generate_request
from .spec import Ctx, Spec, convert, gemini_only, items_of, plain, spec, vertex_only

__all__ = (
    "CANCEL_BATCH_JOB_CONFIG",
    "CREATE_BATCH_JOB_CONFIG",
    "CREATE_EMBEDDINGS_BATCH_JOB_CONFIG",
    "DELETE_BATCH_JOB_CONFIG",
    "GET_BATCH_JOB_CONFIG",
    "LIST_BATCH_JOBS_CONFIG",
    "batch_job_path",
    "create_embeddings_request",
    "create_request",
    "list_query",
    "parse_batch_job",
    "parse_delete",
    "parse_list",
)

_CLIENT: dict[str, Any] = {"conv": plain, "place": "client"}


def _fields(spec_: Spec, value: Any) -> dict[str, Any]:
    """The set fields of a dict or model by their snake_case names (either spelling
    accepted); an unknown key raises ``ValueError`` naming it."""
    out: dict[str, Any] = {}
    for key, item in items_of(value, spec_.name):
        if item is None:
            continue
        f = spec_.fields.get(key)
        if f is None:
            raise spec_.unknown(key)
        out[f.name] = item
    return out


# -- names ------------------------------------------------------------------------------------

_GEMINI_NAME = re.compile(r"batches/[^/]+$")
_VERTEX_NAME = re.compile(r"projects/[^/]+/locations/[^/]+/batchPredictionJobs/[^/]+$")


def batch_job_path(name: Any, ctx: Ctx) -> str:
    """The path of a job: ``batches/{id}`` (Gemini API, which needs the full
    ``batches/…`` name) or ``batchPredictionJobs/{id}`` (Vertex AI: a full
    ``projects/…/batchPredictionJobs/{id}`` name or a numeric id, placed under the
    client's project and location as google-genai does)."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, not {type(name).__qualname__}")
    if not ctx.vertexai:
        if _GEMINI_NAME.match(name):
            return name
        raise ValueError(f"invalid batch job name {name!r}: expected 'batches/<id>'")
    if _VERTEX_NAME.match(name) or name.isdigit():
        return f"batchPredictionJobs/{name.rsplit('/', 1)[-1]}"
    raise ValueError(
        f"invalid batch job name {name!r}: expected "
        "'projects/<p>/locations/<l>/batchPredictionJobs/<id>' or a numeric id"
    )


# -- sources ----------------------------------------------------------------------------------

_INLINED_REQUEST = spec("InlinedRequest", model=None, contents=None, metadata=None, config=None)


def _inlined_request(value: Any, ctx: Ctx, index: int) -> dict[str, Any]:
    fields = _fields(_INLINED_REQUEST, value)
    contents = fields.get("contents")
    if contents is None:
        raise ValueError(f"inlined_requests[{index}]: contents are required")
    request, _ = generate_request(contents, fields.get("config"), ctx)
    model = fields.get("model")
    if model is not None:
        request["model"] = normalize_model(model, vertexai=ctx.vertexai)
    out: dict[str, Any] = {"request": request}
    if "metadata" in fields:
        out["metadata"] = plain(fields["metadata"], ctx)
    return out


def _inlined_requests(value: Any, ctx: Ctx) -> dict[str, Any]:
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"inlined_requests must be a list, not {type(value).__qualname__}")
    return {"requests": [_inlined_request(item, ctx, i) for i, item in enumerate(value)]}


def _gcs_source(value: Any, ctx: Ctx) -> dict[str, Any]:
    return {"uris": [value] if isinstance(value, str) else list(value)}


BATCH_JOB_SOURCE = spec(
    "BatchJobSource",
    format=vertex_only(wire="instancesFormat"),
    gcs_uri=vertex_only(_gcs_source, wire="gcsSource"),
    bigquery_uri=vertex_only(lambda v, ctx: {"inputUri": v}, wire="bigquerySource"),
    file_name=gemini_only(),
    inlined_requests=gemini_only(_inlined_requests, wire="requests"),
    vertex_dataset_name=vertex_only(
        lambda v, ctx: {"datasetName": v}, wire="vertexMultimodalDatasetSource"
    ),
)
_GEMINI_SOURCES = ("fileName", "requests")
_VERTEX_SOURCES = ("gcsSource", "bigquerySource", "vertexMultimodalDatasetSource")
_DATASET = re.compile(r"^projects/[^/]+/locations/[^/]+/datasets/[^/]+$")


def _source_value(src: Any) -> Any:
    """``src`` as a source object: a list is inlined requests; a string names a
    file (``files/…``), a Cloud Storage object, a BigQuery table or a dataset."""
    if isinstance(src, (list, tuple)):
        return {"inlined_requests": src}
    if isinstance(src, str):
        if src.startswith("gs://"):
            return {"gcs_uri": [src], "format": "jsonl"}
        if src.startswith("bq://"):
            return {"bigquery_uri": src, "format": "bigquery"}
        if _DATASET.match(src):
            return {"vertex_dataset_name": src, "format": "vertex-dataset"}
        if src.startswith("files/"):
            return {"file_name": src}
        raise ValueError(
            f"unsupported batch source {src!r}: expected 'files/…' (Gemini API), "
            "'gs://…', 'bq://…' or a dataset name (Vertex AI)"
        )
    if isinstance(src, (Mapping, BaseModel)):
        return src
    raise TypeError(
        "src must be a list of inlined requests, a str or a types.BatchJobSource, "
        f"not {type(src).__qualname__}"
    )


def _source_to_wire(src: Any, ctx: Ctx) -> dict[str, Any]:
    wire = convert(BATCH_JOB_SOURCE, _source_value(src), ctx)
    sources = _VERTEX_SOURCES if ctx.vertexai else _GEMINI_SOURCES
    if sum(key in wire for key in sources) != 1:
        if ctx.vertexai:
            raise ValueError(
                "src: exactly one of gcs_uri, bigquery_uri or vertex_dataset_name must be set"
            )
        raise ValueError("src: exactly one of inlined_requests or file_name must be set")
    return wire


# -- destinations (Vertex AI) -----------------------------------------------------------------

_DATASET_DESTINATION = spec(
    "VertexMultimodalDatasetDestination",
    bigquery_destination={"conv": lambda v, ctx: {"outputUri": v}, "wire": "bigqueryDestination"},
    display_name=None,
)
BATCH_JOB_DESTINATION = spec(
    "BatchJobDestination",
    format={"wire": "predictionsFormat"},
    gcs_uri={"conv": lambda v, ctx: {"outputUriPrefix": v}, "wire": "gcsDestination"},
    bigquery_uri={"conv": lambda v, ctx: {"outputUri": v}, "wire": "bigqueryDestination"},
    file_name=gemini_only(),
    inlined_responses=gemini_only(),
    inlined_embed_content_responses=gemini_only(),
    vertex_dataset={"conv": _DATASET_DESTINATION, "wire": "vertexMultimodalDatasetDestination"},
)


def _destination(value: Any, ctx: Ctx) -> dict[str, Any]:
    if isinstance(value, str):
        if value.startswith("gs://"):
            value = {"format": "jsonl", "gcs_uri": value}
        elif value.startswith("bq://"):
            value = {"format": "bigquery", "bigquery_uri": value}
        else:
            raise ValueError(
                f"unsupported batch destination {value!r}: expected 'gs://…' or 'bq://…'"
            )
    return convert(BATCH_JOB_DESTINATION, value, ctx)


# -- create -----------------------------------------------------------------------------------

WEBHOOK_CONFIG = spec("WebhookConfig", uris=None, user_metadata=plain)
CREATE_BATCH_JOB_CONFIG = spec(
    "CreateBatchJobConfig",
    http_options=_CLIENT,
    display_name=None,
    dest=vertex_only(_destination, wire="outputConfig"),
    webhook_config=gemini_only(WEBHOOK_CONFIG),
)
CREATE_EMBEDDINGS_BATCH_JOB_CONFIG = spec(
    "CreateEmbeddingsBatchJobConfig", http_options=_CLIENT, display_name=None
)


def _unique_name() -> str:
    """A timestamp and a short random suffix, as google-genai names the jobs it names."""
    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    return f"{stamp}_{uuid.uuid4().hex[:5]}"


def _vertex_defaults(job: dict[str, Any]) -> None:
    """A display name when none is given; a destination next to a ``.jsonl`` source
    or a BigQuery source when none is given (as google-genai derives them)."""
    unique = None
    if not job.get("displayName"):
        unique = _unique_name()
        job["displayName"] = f"genai_batch_job_{unique}"
    if job.get("outputConfig"):
        return
    source = job["inputConfig"]
    uris = source.get("gcsSource", {}).get("uris") or []
    table = source.get("bigquerySource", {}).get("inputUri")
    if uris and uris[0].endswith(".jsonl"):
        job["outputConfig"] = {
            "predictionsFormat": "jsonl",
            "gcsDestination": {"outputUriPrefix": f"{uris[0][:-6]}/dest"},
        }
    elif table:
        job["outputConfig"] = {
            "predictionsFormat": "bigquery",
            "bigqueryDestination": {"outputUri": f"{table}_dest_{unique or _unique_name()}"},
        }


def create_request(
    model: str, src: Any, config: Any, ctx: Ctx
) -> tuple[str, dict[str, Any], CallOptions]:
    """Path, body and options of ``batches.create``."""
    source = _source_to_wire(src, ctx)
    settings, options = config_body(CREATE_BATCH_JOB_CONFIG, config, ctx)
    if ctx.vertexai:
        job = {"model": normalize_model(model, vertexai=True), "inputConfig": source, **settings}
        _vertex_defaults(job)
        return "batchPredictionJobs", job, options
    path = f"{normalize_model(model, vertexai=False)}:batchGenerateContent"
    return path, {"batch": {"inputConfig": source, **settings}}, options


_EMBED_CONTENT_BATCH = spec("EmbedContentBatch", contents=None, config=None)
_EMBEDDINGS_SOURCE = spec("EmbeddingsBatchJobSource", file_name=None, inlined_requests=None)


def _embed_requests(value: Any, ctx: Ctx) -> dict[str, Any]:
    fields = _fields(_EMBED_CONTENT_BATCH, value)
    contents = fields.get("contents")
    if contents is None:
        raise ValueError("inlined_requests: contents are required")
    settings, _ = config_body(EMBED_CONTENT_CONFIG, fields.get("config"), ctx)
    items = contents if isinstance(contents, (list, tuple)) else [contents]
    requests = [
        {"request": {"content": content_to_wire(item, ctx, what="contents"), **settings}}
        for item in items
    ]
    return {"requests": requests}


def create_embeddings_request(
    model: str, src: Any, config: Any, ctx: Ctx
) -> tuple[str, dict[str, Any], CallOptions]:
    """Path, body and options of ``batches.create_embeddings`` (Gemini API only)."""
    if ctx.vertexai:
        raise ValueError(
            "batches.create_embeddings is only supported on the Gemini Developer API, "
            "not on Vertex AI"
        )
    if not isinstance(src, (Mapping, BaseModel)):
        raise TypeError(
            f"src must be a dict or a types.EmbeddingsBatchJobSource, not {type(src).__qualname__}"
        )
    fields = _fields(_EMBEDDINGS_SOURCE, src)
    if len(fields) != 1:
        raise ValueError("src: exactly one of inlined_requests or file_name must be set")
    if "file_name" in fields:
        source: dict[str, Any] = {"fileName": str(fields["file_name"])}
    else:
        source = {"requests": _embed_requests(fields["inlined_requests"], ctx)}
    settings, options = config_body(CREATE_EMBEDDINGS_BATCH_JOB_CONFIG, config, ctx)
    path = f"{normalize_model(model, vertexai=False)}:asyncBatchEmbedContent"
    return path, {"batch": {"inputConfig": source, **settings}}, options


GET_BATCH_JOB_CONFIG = spec("GetBatchJobConfig", http_options=_CLIENT)
CANCEL_BATCH_JOB_CONFIG = spec("CancelBatchJobConfig", http_options=_CLIENT)
DELETE_BATCH_JOB_CONFIG = spec("DeleteBatchJobConfig", http_options=_CLIENT)


# -- list -------------------------------------------------------------------------------------

LIST_BATCH_JOBS_CONFIG = spec(
    "ListBatchJobsConfig",
    http_options=_CLIENT,
    page_size=None,
    page_token=None,
    filter=vertex_only(),
)


def list_query(config: Any, ctx: Ctx) -> tuple[str, list[tuple[str, str]], str | None, CallOptions]:
    """Collection path, query parameters (``pageToken`` apart), the first page's
    token and the options of ``batches.list``."""
    values, options = config_body(LIST_BATCH_JOBS_CONFIG, config, ctx)
    params: list[tuple[str, str]] = []
    if values.get("pageSize") is not None:
        params.append(("pageSize", str(int(values["pageSize"]))))
    if values.get("filter"):
        params.append(("filter", str(values["filter"])))
    path = "batchPredictionJobs" if ctx.vertexai else "batches"
    token = values.get("pageToken")
    return path, params, str(token) if token else None, options


# -- responses --------------------------------------------------------------------------------

_BATCH_STATES = {
    "BATCH_STATE_UNSPECIFIED": "JOB_STATE_UNSPECIFIED",
    "BATCH_STATE_PENDING": "JOB_STATE_PENDING",
    "BATCH_STATE_RUNNING": "JOB_STATE_RUNNING",
    "BATCH_STATE_SUCCEEDED": "JOB_STATE_SUCCEEDED",
    "BATCH_STATE_FAILED": "JOB_STATE_FAILED",
    "BATCH_STATE_CANCELLED": "JOB_STATE_CANCELLED",
    "BATCH_STATE_EXPIRED": "JOB_STATE_EXPIRED",
}


def _state(value: Any) -> Any:
    return _BATCH_STATES.get(value, value) if isinstance(value, str) else value


def _dict(value: Any) -> dict[str, Any]:
    return value if type(value) is dict else {}


def _is_embedding(item: Any) -> bool:
    return (
        type(item) is dict
        and type(item.get("response")) is dict
        and ("embedding" in item["response"])
    )


def _gemini_dest(output: dict[str, Any]) -> dict[str, Any]:
    dest: dict[str, Any] = {}
    if output.get("responsesFile") is not None:
        dest["file_name"] = output["responsesFile"]
    inlined = _dict(output.get("inlinedResponses")).get("inlinedResponses")
    embedded = _dict(output.get("inlinedEmbedContentResponses")).get("inlinedResponses")
    if isinstance(inlined, list) and any(_is_embedding(item) for item in inlined):
        embedded, inlined = inlined, None
    if inlined is not None:
        dest["inlined_responses"] = inlined
    if embedded is not None:
        dest["inlined_embed_content_responses"] = embedded
    return dest


_GEMINI_JOB = {
    "displayName": "display_name",
    "createTime": "create_time",
    "endTime": "end_time",
    "updateTime": "update_time",
    "model": "model",
}
_GEMINI_DROPPED = {"@type", "name", "inputConfig", "state", "output"}


def _gemini_job(data: dict[str, Any]) -> dict[str, Any]:
    meta = _dict(data.get("metadata"))
    job: dict[str, Any] = {
        key: value
        for key, value in meta.items()
        if key not in _GEMINI_JOB and key not in _GEMINI_DROPPED
    }
    if data.get("name") is not None:
        job["name"] = data["name"]
    for wire, field in _GEMINI_JOB.items():
        if meta.get(wire) is not None:
            job[field] = meta[wire]
    if meta.get("state") is not None:
        job["state"] = _state(meta["state"])
    if meta.get("output") is not None:
        job["dest"] = _gemini_dest(_dict(meta["output"]))
    return job


_VERTEX_JOB = {
    "name": "name",
    "displayName": "display_name",
    "error": "error",
    "createTime": "create_time",
    "startTime": "start_time",
    "endTime": "end_time",
    "updateTime": "update_time",
    "model": "model",
    "completionStats": "completion_stats",
    "outputInfo": "output_info",
}
_VERTEX_MAPPED = {*_VERTEX_JOB, "state", "inputConfig", "outputConfig"}


def _vertex_source(source: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if source.get("instancesFormat") is not None:
        out["format"] = source["instancesFormat"]
    uris = _dict(source.get("gcsSource")).get("uris")
    if uris is not None:
        out["gcs_uri"] = uris
    table = _dict(source.get("bigquerySource")).get("inputUri")
    if table is not None:
        out["bigquery_uri"] = table
    dataset = _dict(source.get("vertexMultimodalDatasetSource")).get("datasetName")
    if dataset is not None:
        out["vertex_dataset_name"] = dataset
    return out


def _vertex_dest(dest: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if dest.get("predictionsFormat") is not None:
        out["format"] = dest["predictionsFormat"]
    prefix = _dict(dest.get("gcsDestination")).get("outputUriPrefix")
    if prefix is not None:
        out["gcs_uri"] = prefix
    table = _dict(dest.get("bigqueryDestination")).get("outputUri")
    if table is not None:
        out["bigquery_uri"] = table
    dataset = dest.get("vertexMultimodalDatasetDestination")
    if type(dataset) is dict:
        wire: dict[str, Any] = {}
        uri = _dict(dataset.get("bigqueryDestination")).get("outputUri")
        if uri is not None:
            wire["bigquery_destination"] = uri
        if dataset.get("displayName") is not None:
            wire["display_name"] = dataset["displayName"]
        out["vertex_dataset"] = wire
    return out


def _vertex_job(data: dict[str, Any]) -> dict[str, Any]:
    job: dict[str, Any] = {k: v for k, v in data.items() if k not in _VERTEX_MAPPED}
    for wire, field in _VERTEX_JOB.items():
        if data.get(wire) is not None:
            job[field] = data[wire]
    if data.get("state") is not None:
        job["state"] = _state(data["state"])
    if data.get("inputConfig") is not None:
        job["src"] = _vertex_source(_dict(data["inputConfig"]))
    if data.get("outputConfig") is not None:
        job["dest"] = _vertex_dest(_dict(data["outputConfig"]))
    return job


def _job_dict(data: Any, vertexai: bool) -> dict[str, Any]:
    data = _dict(data)
    return _vertex_job(data) if vertexai else _gemini_job(data)


def parse_batch_job(data: Any, vertexai: bool) -> BatchJob:
    """A Gemini API batch Operation or a Vertex AI ``batchPredictionJob`` as a BatchJob."""
    return BatchJob.model_validate(_job_dict(data, vertexai))


def parse_list(data: Any, vertexai: bool, http: HttpResponse | None) -> ListBatchJobsResponse:
    """One ``batches.list`` page (``operations`` or ``batchPredictionJobs``)."""
    data = _dict(data)
    items = data.get("batchPredictionJobs" if vertexai else "operations")
    page: dict[str, Any] = {"sdk_http_response": http}
    if data.get("nextPageToken") is not None:
        page["next_page_token"] = data["nextPageToken"]
    if isinstance(items, list):
        page["batch_jobs"] = [_job_dict(item, vertexai) for item in items]
    return ListBatchJobsResponse.model_validate(page)


def parse_delete(data: Any, http: HttpResponse | None) -> DeleteResourceJob:
    """The result of ``batches.delete``: the deletion Operation's ``name``, ``done``
    and ``error`` when the API returns one."""
    data = _dict(data)
    fields = {k: data[k] for k in ("name", "done", "error") if data.get(k) is not None}
    return DeleteResourceJob.model_validate({**fields, "sdk_http_response": http})
