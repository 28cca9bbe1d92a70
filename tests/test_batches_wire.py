"""client.batches against google-genai 3.6.1: every request as it sends it, and every
response read as it reads it, on the Gemini Developer API and on Vertex AI.

Both libraries call the same embedded server; each response is scripted (a
Fault with status 200 answering both calls), so both parse the same JSON.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pydantic
import pytest
from google import genai as google_genai
from google.genai import types as gtypes

import genai_async
from genai_async import types
from genai_async.batches import AsyncBatches, Batches
from genai_async.testing import Fault, MockServer
from test_oracle import Creds, assert_same_request, normalise

pytestmark = [pytest.mark.anyio, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

Pair = tuple[Any, AsyncBatches, MockServer]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def gemini() -> AsyncIterator[Pair]:
    with MockServer() as server:
        theirs = google_genai.Client(
            api_key="k", http_options={"base_url": server.url, "api_version": "v1beta"}
        )
        async with genai_async.AsyncClient(
            api_key="k", http_options={"base_url": server.url}
        ) as ours:
            yield theirs.aio.batches, AsyncBatches(ours, "async"), server
        await theirs.aio.aclose()


@pytest.fixture
async def vertex() -> AsyncIterator[Pair]:
    with MockServer() as server:
        common: dict[str, Any] = {
            "vertexai": True,
            "project": "p",
            "location": "us-central1",
            "http_options": {"base_url": server.url},
        }
        theirs = google_genai.Client(credentials=Creds(), **common)  # type: ignore[arg-type]
        async with genai_async.AsyncClient(credentials=Creds(), **common) as ours:
            yield theirs.aio.batches, AsyncBatches(ours, "async"), server
        await theirs.aio.aclose()


async def both(
    server: MockServer,
    match: str,
    body: Any,
    theirs: Callable[[], Awaitable[Any]],
    ours: Callable[[], Awaitable[Any]],
) -> tuple[Any, Any]:
    """Answer both calls with ``body``; the two requests must be the same."""
    server.inject(Fault(match=match, status=200, body=body, times=2))
    their_result = await theirs()
    our_result = await ours()
    assert_same_request(server)
    return their_result, our_result


def dumped(value: Any) -> Any:
    """A result as plain JSON data, without the HTTP response and our extra fields."""
    extra = set(value.model_extra or ()) if isinstance(value, pydantic.BaseModel) else set()
    return value.model_dump(mode="json", exclude_none=True, exclude={"sdk_http_response", *extra})


def assert_same_result(theirs: Any, ours: Any) -> None:
    assert dumped(ours) == dumped(theirs)


# -- scripted responses ------------------------------------------------------------------------

GEMINI_METADATA = {
    "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatch",
    "name": "batches/abc123",
    "model": "models/gemini-2.5-flash",
    "displayName": "jokes",
    "createTime": "2025-07-01T10:00:00.123456Z",
    "updateTime": "2025-07-01T10:00:01Z",
    "batchStats": {"requestCount": "2", "pendingRequestCount": "2"},
}
GEMINI_RUNNING = {
    "name": "batches/abc123",
    "metadata": {**GEMINI_METADATA, "state": "BATCH_STATE_RUNNING"},
}
ANSWER = {
    "candidates": [
        {
            "content": {"parts": [{"text": "Why did the chicken..."}], "role": "model"},
            "finishReason": "STOP",
            "index": 0,
            "citationMetadata": {
                "citationSources": [{"startIndex": 1, "endIndex": 5, "uri": "https://a.example"}]
            },
            "safetyRatings": [
                {"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"}
            ],
        }
    ],
    "usageMetadata": {"promptTokenCount": 4, "candidatesTokenCount": 9, "totalTokenCount": 13},
    "modelVersion": "gemini-2.5-flash",
    "responseId": "r-1",
}
GEMINI_INLINED = {
    "name": "batches/abc123",
    "metadata": {
        **GEMINI_METADATA,
        "state": "BATCH_STATE_SUCCEEDED",
        "endTime": "2025-07-01T10:05:00Z",
        "output": {
            "inlinedResponses": {
                "inlinedResponses": [
                    {"response": ANSWER, "metadata": {"id": "1"}},
                    {"error": {"code": 3, "message": "invalid request"}, "metadata": {"id": "2"}},
                ]
            }
        },
    },
    "done": True,
    "response": {"@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.X"},
}
GEMINI_FILE = {
    "name": "batches/abc123",
    "metadata": {
        **GEMINI_METADATA,
        "state": "BATCH_STATE_FAILED",
        "output": {"responsesFile": "files/batch-abc123-out"},
    },
    "done": True,
}
GEMINI_EMBEDDINGS = {
    "name": "batches/emb1",
    "metadata": {
        **GEMINI_METADATA,
        "model": "models/gemini-embedding-001",
        "state": "BATCH_STATE_SUCCEEDED",
        "output": {
            "inlinedResponses": {
                "inlinedResponses": [
                    {"response": {"embedding": {"values": [0.25, -0.5]}, "tokenCount": "3"}},
                    {"error": {"code": 3, "message": "empty"}},
                ]
            }
        },
    },
}
GEMINI_PENDING_UNKNOWN = {
    "name": "batches/abc123",
    "metadata": {**GEMINI_METADATA, "state": "BATCH_STATE_PENDING"},
}
GEMINI_RESPONSES = {
    "running": GEMINI_RUNNING,
    "inlined": GEMINI_INLINED,
    "file": GEMINI_FILE,
    "embeddings": GEMINI_EMBEDDINGS,
    "pending": GEMINI_PENDING_UNKNOWN,
    "empty": {},
}

VERTEX_NAME = "projects/p/locations/us-central1/batchPredictionJobs/123"
VERTEX_JOB = {
    "name": VERTEX_NAME,
    "displayName": "d",
    "model": "publishers/google/models/gemini-2.5-flash",
    "inputConfig": {"instancesFormat": "jsonl", "gcsSource": {"uris": ["gs://b/in.jsonl"]}},
    "outputConfig": {
        "predictionsFormat": "jsonl",
        "gcsDestination": {"outputUriPrefix": "gs://b/in/dest"},
    },
    "state": "JOB_STATE_SUCCEEDED",
    "completionStats": {"successfulCount": "10", "failedCount": "1", "incompleteCount": "0"},
    "outputInfo": {"gcsOutputDirectory": "gs://b/in/dest/prediction-model-2025"},
    "createTime": "2025-07-01T10:00:00.5Z",
    "startTime": "2025-07-01T10:00:05Z",
    "endTime": "2025-07-01T10:30:00Z",
    "updateTime": "2025-07-01T10:30:00Z",
    "modelVersionId": "1",
    "labels": {"team": "a"},
}
VERTEX_BIGQUERY = {
    "name": VERTEX_NAME,
    "displayName": "bq",
    "model": "publishers/google/models/gemini-2.5-flash",
    "inputConfig": {"instancesFormat": "bigquery", "bigquerySource": {"inputUri": "bq://p.d.t"}},
    "outputConfig": {
        "predictionsFormat": "bigquery",
        "bigqueryDestination": {"outputUri": "bq://p.d.out"},
    },
    "state": "JOB_STATE_RUNNING",
    "outputInfo": {"bigqueryOutputTable": "bq://p.d.out"},
}
VERTEX_FAILED = {
    "name": VERTEX_NAME,
    "displayName": "ds",
    "inputConfig": {
        "instancesFormat": "vertex-dataset",
        "vertexMultimodalDatasetSource": {"datasetName": "projects/p/locations/l/datasets/d"},
    },
    "outputConfig": {
        "vertexMultimodalDatasetDestination": {
            "bigqueryDestination": {"outputUri": "bq://p.d.ds"},
            "displayName": "out",
        }
    },
    "state": "JOB_STATE_FAILED",
    "error": {"code": 13, "message": "internal error"},
}
VERTEX_RESPONSES = {
    "gcs": VERTEX_JOB,
    "bigquery": VERTEX_BIGQUERY,
    "failed": VERTEX_FAILED,
    "queued": {"name": VERTEX_NAME, "state": "JOB_STATE_QUEUED", "inputConfig": {}},
}


# -- Gemini API: create --------------------------------------------------------------------------

SCHEMA = {"type": "OBJECT", "properties": {"joke": {"type": "STRING"}}, "required": ["joke"]}
FULL_CONFIG = {
    "temperature": 0.2,
    "max_output_tokens": 100,
    "system_instruction": "You are funny.",
    "tools": [{"google_search": {}}],
    "safety_settings": [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"}],
    "response_mime_type": "application/json",
    "response_schema": SCHEMA,
    "thinking_config": {"thinking_budget": 0},
    "labels": {"k": "v"},
}


def gemini_sources(lib: Any) -> dict[str, Any]:
    """Each case's ``src``, built with ``lib``'s types (ours or google-genai's)."""
    return {
        "dicts": [
            {"contents": "Tell me a joke", "metadata": {"id": "1"}, "config": FULL_CONFIG},
            {"contents": ["Tell me", "a story"], "metadata": {"id": "2"}},
        ],
        "models": [
            lib.InlinedRequest(
                model="gemini-2.0-flash",
                contents=[lib.Content(role="user", parts=[lib.Part(text="Hi")])],
                config=lib.GenerateContentConfig(
                    temperature=0.5, tool_config={"function_calling_config": {"mode": "NONE"}}
                ),
            ),
            lib.InlinedRequest(contents="plain", metadata={"id": "x"}),
        ],
        "source_inlined": lib.BatchJobSource(inlined_requests=[lib.InlinedRequest(contents="one")]),
        "dict_inlined": {"inlined_requests": [{"contents": "one", "config": {"seed": 3}}]},
        "file": "files/batch-input",
        "source_file": lib.BatchJobSource(file_name="files/batch-input"),
        "dict_file": {"file_name": "files/batch-input"},
    }


CREATE_CONFIGS: dict[str, Any] = {
    "none": None,
    "display_name": {"display_name": "jokes"},
    "webhook": {
        "display_name": "jokes",
        "webhook_config": {"uris": ["https://hook.example/x"], "user_metadata": {"team": "a"}},
    },
}


@pytest.mark.parametrize("config", sorted(CREATE_CONFIGS))
@pytest.mark.parametrize("case", sorted(gemini_sources(types)))
async def test_gemini_create_matches(gemini: Pair, case: str, config: str) -> None:
    theirs, ours, server = gemini
    cfg = CREATE_CONFIGS[config]
    their_job, our_job = await both(
        server,
        ":batchGenerateContent",
        GEMINI_RUNNING,
        lambda: theirs.create(
            model="gemini-2.5-flash", src=gemini_sources(gtypes)[case], config=cfg
        ),
        lambda: ours.create(model="gemini-2.5-flash", src=gemini_sources(types)[case], config=cfg),
    )
    assert_same_result(their_job, our_job)
    assert our_job.state is types.JobState.JOB_STATE_RUNNING
    assert not our_job.done
    assert our_job.batchStats == {"requestCount": "2", "pendingRequestCount": "2"}  # kept


async def test_gemini_create_with_config_model_and_foreign_objects(gemini: Pair) -> None:
    theirs, ours, server = gemini
    src = [gtypes.InlinedRequest(contents="hi", config=gtypes.GenerateContentConfig(seed=1))]
    await both(
        server,
        ":batchGenerateContent",
        GEMINI_RUNNING,
        lambda: theirs.create(
            model="models/gemini-2.5-flash",
            src=src,
            config=gtypes.CreateBatchJobConfig(display_name="x"),
        ),
        lambda: ours.create(
            model="models/gemini-2.5-flash",
            src=src,
            config=types.CreateBatchJobConfig(display_name="x"),
        ),
    )


# -- Gemini API: get -----------------------------------------------------------------------------


@pytest.mark.parametrize("response", sorted(GEMINI_RESPONSES))
async def test_gemini_get_matches(gemini: Pair, response: str) -> None:
    theirs, ours, server = gemini
    config = {"http_options": {"timeout": 30_000}}
    their_job, our_job = await both(
        server,
        "batches/abc123",
        GEMINI_RESPONSES[response],
        lambda: theirs.get(name="batches/abc123", config=config),
        lambda: ours.get(name="batches/abc123", config=config),
    )
    assert_same_result(their_job, our_job)
    assert our_job.done == their_job.done


async def test_gemini_inlined_responses_are_typed(gemini: Pair) -> None:
    _, ours, server = gemini
    server.inject(Fault(match="batches/abc123", status=200, body=GEMINI_INLINED))
    job = await ours.get(name="batches/abc123")
    assert job.done
    assert job.state == "JOB_STATE_SUCCEEDED"
    assert job.dest is not None
    assert job.dest.inlined_responses is not None
    first, second = job.dest.inlined_responses
    assert first.response is not None
    assert first.response.text == "Why did the chicken..."
    assert first.metadata == {"id": "1"}
    assert second.error is not None
    assert second.error.code == 3


async def test_gemini_names(gemini: Pair) -> None:
    theirs, ours, _server = gemini
    for bad in ("abc123", "models/x", "batches/a/b"):
        with pytest.raises(ValueError):
            await theirs.get(name=bad)
        with pytest.raises(ValueError, match="batch job name"):
            await ours.get(name=bad)


# -- Gemini API: create_embeddings ---------------------------------------------------------------


def embedding_sources(lib: Any) -> dict[str, Any]:
    return {
        "inlined": {
            "inlined_requests": {
                "contents": ["first", "second"],
                "config": {"task_type": "RETRIEVAL_DOCUMENT", "output_dimensionality": 8},
            }
        },
        "model": lib.EmbeddingsBatchJobSource(
            inlined_requests=lib.EmbedContentBatch(
                contents=lib.Content(parts=[lib.Part(text="only")]),
                config=lib.EmbedContentConfig(title="t"),
            )
        ),
        "file": {"file_name": "files/embed-input"},
        "model_file": lib.EmbeddingsBatchJobSource(file_name="files/embed-input"),
    }


@pytest.mark.filterwarnings("ignore:batches.create_embeddings")
@pytest.mark.parametrize("case", sorted(embedding_sources(types)))
async def test_gemini_create_embeddings_matches(gemini: Pair, case: str) -> None:
    theirs, ours, server = gemini
    config = {"display_name": "emb"}
    their_job, our_job = await both(
        server,
        ":asyncBatchEmbedContent",
        GEMINI_EMBEDDINGS,
        lambda: theirs.create_embeddings(
            model="gemini-embedding-001", src=embedding_sources(gtypes)[case], config=config
        ),
        lambda: ours.create_embeddings(
            model="gemini-embedding-001", src=embedding_sources(types)[case], config=config
        ),
    )
    assert_same_result(their_job, our_job)
    assert our_job.dest is not None
    assert our_job.dest.inlined_embed_content_responses is not None
    first = our_job.dest.inlined_embed_content_responses[0]
    assert first.response is not None
    assert first.response.token_count == 3


# -- Vertex AI: create ---------------------------------------------------------------------------


def vertex_cases(lib: Any) -> dict[str, tuple[Any, Any]]:
    """Each case's (src, config), built with ``lib``'s types."""
    return {
        "gcs_jsonl": ("gs://b/in.jsonl", {"display_name": "d"}),
        "gcs_dir": ("gs://b/in/", {"display_name": "d"}),
        "gcs_dest": ("gs://b/in.jsonl", {"display_name": "d", "dest": "gs://b/out"}),
        "bigquery_dest": ("bq://p.d.t", {"display_name": "d", "dest": "bq://p.d.out"}),
        "source_model": (
            lib.BatchJobSource(gcs_uri=["gs://a/1.jsonl", "gs://a/2.jsonl"], format="jsonl"),
            lib.CreateBatchJobConfig(
                display_name="two",
                dest=lib.BatchJobDestination(gcs_uri="gs://a/out", format="jsonl"),
            ),
        ),
        "source_dict": (
            {"bigquery_uri": "bq://p.d.t", "format": "bigquery"},
            {"display_name": "d", "dest": {"bigquery_uri": "bq://p.d.o", "format": "bigquery"}},
        ),
        "dataset": (
            "projects/p/locations/l/datasets/d",
            {
                "display_name": "ds",
                "dest": {
                    "vertex_dataset": {"display_name": "out", "bigquery_destination": "bq://x"}
                },
            },
        ),
    }


@pytest.mark.parametrize("case", sorted(vertex_cases(types)))
async def test_vertex_create_matches(vertex: Pair, case: str) -> None:
    theirs, ours, server = vertex
    their_src, their_config = vertex_cases(gtypes)[case]
    our_src, our_config = vertex_cases(types)[case]
    their_job, our_job = await both(
        server,
        "batchPredictionJobs",
        VERTEX_JOB,
        lambda: theirs.create(model="gemini-2.5-flash", src=their_src, config=their_config),
        lambda: ours.create(model="gemini-2.5-flash", src=our_src, config=our_config),
    )
    assert_same_result(their_job, our_job)
    assert our_job.labels == {"team": "a"}  # an unmapped field, kept


UNIQUE = re.compile(r"\d{14}_[0-9a-f]{5}")


def masked(value: Any) -> Any:
    """``value`` with each generated unique name replaced by a placeholder."""
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    return UNIQUE.sub("<unique>", value) if isinstance(value, str) else value


@pytest.mark.parametrize(
    ("src", "config"),
    [("bq://p.d.t", None), ("gs://b/in.jsonl", None), ("bq://p.d.t", {"display_name": "d"})],
)
async def test_vertex_create_names_the_job_and_its_destination(
    vertex: Pair, src: str, config: Any
) -> None:
    theirs, ours, server = vertex
    server.inject(Fault(match="batchPredictionJobs", status=200, body=VERTEX_JOB, times=2))
    await theirs.create(model="gemini-2.5-flash", src=src, config=config)
    await ours.create(model="gemini-2.5-flash", src=src, config=config)
    their_request, our_request = server.requests[-2:]
    assert (our_request.method, our_request.path) == (their_request.method, their_request.path)

    their_body, our_body = normalise(their_request.json()), normalise(our_request.json())
    assert masked(our_body) == masked(their_body)
    if config is None:
        assert UNIQUE.search(our_body["displayName"])
        if src.startswith("bq://"):  # one unique name for both
            unique = UNIQUE.search(our_body["displayName"])
            assert unique is not None
            assert our_body["outputConfig"]["bigqueryDestination"]["outputUri"].endswith(
                unique.group()
            )


# -- Vertex AI: get ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["123", VERTEX_NAME])
@pytest.mark.parametrize("response", sorted(VERTEX_RESPONSES))
async def test_vertex_get_matches(vertex: Pair, response: str, name: str) -> None:
    theirs, ours, server = vertex
    their_job, our_job = await both(
        server,
        "batchPredictionJobs/123",
        VERTEX_RESPONSES[response],
        lambda: theirs.get(name=name),
        lambda: ours.get(name=name),
    )
    assert_same_result(their_job, our_job)
    assert our_job.done == their_job.done


async def test_vertex_names(vertex: Pair) -> None:
    theirs, ours, _server = vertex
    for bad in ("abc", "batches/123", "projects/p/locations/l/batchPredictionJobs/1/x"):
        with pytest.raises(ValueError):
            await theirs.get(name=bad)
        with pytest.raises(ValueError, match="batch job name"):
            await ours.get(name=bad)


# -- cancel and delete ---------------------------------------------------------------------------


async def test_gemini_cancel_and_delete_match(gemini: Pair) -> None:
    theirs, ours, server = gemini
    their_result, our_result = await both(
        server,
        "batches/abc123:cancel",
        {},
        lambda: theirs.cancel(name="batches/abc123"),
        lambda: ours.cancel(name="batches/abc123"),
    )
    assert their_result is None
    assert our_result is None
    their_delete, our_delete = await both(
        server,
        "batches/abc123",
        {},
        lambda: theirs.delete(name="batches/abc123"),
        lambda: ours.delete(name="batches/abc123"),
    )
    assert_same_result(their_delete, our_delete)
    assert our_delete.sdk_http_response is not None


DELETE_OPERATION = {
    "name": "projects/p/locations/us-central1/operations/456",
    "metadata": {
        "@type": "type.googleapis.com/google.cloud.aiplatform.v1beta1.DeleteOperationMetadata"
    },
    "done": True,
}


@pytest.mark.parametrize("name", ["123", VERTEX_NAME])
async def test_vertex_cancel_and_delete_match(vertex: Pair, name: str) -> None:
    theirs, ours, server = vertex
    await both(
        server,
        "batchPredictionJobs/123:cancel",
        {},
        lambda: theirs.cancel(name=name),
        lambda: ours.cancel(name=name),
    )
    their_delete, our_delete = await both(
        server,
        "batchPredictionJobs/123",
        DELETE_OPERATION,
        lambda: theirs.delete(name=name),
        lambda: ours.delete(name=name),
    )
    assert_same_result(their_delete, our_delete)
    assert our_delete.done is True


# -- list ----------------------------------------------------------------------------------------


async def list_both(
    server: MockServer, collection: str, pages: tuple[Any, Any], theirs: Any, ours: Any
) -> tuple[list[Any], list[Any]]:
    """Iterate both pagers over two scripted pages; each request must be the same."""
    server.inject(
        Fault(match="pageToken=t2", status=200, body=pages[1], times=2),
        Fault(match=collection, status=200, body=pages[0], times=2),
    )
    their_jobs = [job async for job in await theirs()]
    our_pager = await ours()
    our_jobs = [job async for job in our_pager]
    their_first, their_second, our_first, our_second = server.requests[-4:]
    assert_same_request(server, (their_first, our_first))
    assert_same_request(server, (their_second, our_second))
    return their_jobs, our_jobs


@pytest.mark.parametrize("config", [None, {"page_size": 2}, {"page_size": 2, "page_token": "t1"}])
async def test_gemini_list_matches(gemini: Pair, config: Any) -> None:
    theirs, ours, server = gemini
    pages = (
        {"operations": [GEMINI_RUNNING, GEMINI_FILE], "nextPageToken": "t2"},
        {"operations": [GEMINI_INLINED]},
    )
    their_jobs, our_jobs = await list_both(
        server,
        "batches",
        pages,
        lambda: theirs.list(config=config),
        lambda: ours.list(config=config),
    )
    assert [dumped(j) for j in our_jobs] == [dumped(j) for j in their_jobs]
    assert len(our_jobs) == 3


@pytest.mark.parametrize(
    "config", [None, {"page_size": 2, "filter": 'state="JOB_STATE_SUCCEEDED"'}]
)
async def test_vertex_list_matches(vertex: Pair, config: Any) -> None:
    theirs, ours, server = vertex
    pages = (
        {"batchPredictionJobs": [VERTEX_JOB, VERTEX_BIGQUERY], "nextPageToken": "t2"},
        {"batchPredictionJobs": [VERTEX_FAILED]},
    )
    their_jobs, our_jobs = await list_both(
        server,
        "batchPredictionJobs",
        pages,
        lambda: theirs.list(config=config),
        lambda: ours.list(config=types.ListBatchJobsConfig(**config) if config else None),
    )
    assert [dumped(j) for j in our_jobs] == [dumped(j) for j in their_jobs]
    assert [j.state for j in our_jobs] == [
        "JOB_STATE_SUCCEEDED",
        "JOB_STATE_RUNNING",
        "JOB_STATE_FAILED",
    ]


async def test_list_of_an_empty_page(gemini: Pair) -> None:
    _, ours, server = gemini
    server.inject(Fault(match="batches", status=200, body={}))
    pager = await ours.list()
    assert [job async for job in pager] == []


# -- input errors --------------------------------------------------------------------------------

INLINED = [{"contents": "x"}]
GEMINI_ERRORS: dict[str, tuple[str, dict[str, Any], str]] = {
    "gcs_source": ("create", {"src": "gs://b/in.jsonl"}, "gcs_uri"),
    "bigquery_source": ("create", {"src": "bq://p.d.t"}, "bigquery_uri"),
    "dataset_source": ("create", {"src": {"vertex_dataset_name": "projects/p/x"}}, "vertex_data"),
    "dest": ("create", {"src": INLINED, "config": {"dest": "gs://o"}}, "dest"),
    "two_sources": (
        "create",
        {"src": {"file_name": "files/a", "inlined_requests": INLINED}},
        "exactly one",
    ),
    "no_source": ("create", {"src": {}}, "exactly one"),
    "unknown_request_field": ("create", {"src": [{"contents": "x", "bogus": 1}]}, "bogus"),
    "unsupported_string": ("create", {"src": "nope"}, "unsupported batch source"),
    "vertex_only_generation_field": (
        "create",
        {"src": [{"contents": "x", "config": {"routing_config": {"auto_mode": {}}}}]},
        "routing_config",
    ),
    "list_filter": ("list", {"config": {"filter": "x"}}, "filter"),
    "embeddings_two_sources": (
        "create_embeddings",
        {"src": {"file_name": "files/a", "inlined_requests": {"contents": ["x"]}}},
        "exactly one",
    ),
    "embeddings_vertex_only_field": (
        "create_embeddings",
        {"src": {"inlined_requests": {"contents": ["x"], "config": {"auto_truncate": True}}}},
        "auto_truncate",
    ),
}
VERTEX_ERRORS: dict[str, tuple[str, dict[str, Any], str]] = {
    "inlined_source": ("create", {"src": INLINED}, "inlined_requests"),
    "file_source": ("create", {"src": "files/in"}, "file_name"),
    "webhook": (
        "create",
        {"src": "gs://b/in.jsonl", "config": {"webhook_config": {"uris": ["https://h"]}}},
        "webhook_config",
    ),
    "unsupported_dest": (
        "create",
        {"src": "gs://b/in.jsonl", "config": {"dest": "files/out"}},
        "unsupported batch destination",
    ),
    "gemini_dest_field": (
        "create",
        {"src": "gs://b/in.jsonl", "config": {"dest": {"file_name": "files/out"}}},
        "file_name",
    ),
    "two_sources": (
        "create",
        {"src": {"gcs_uri": ["gs://a"], "bigquery_uri": "bq://p.d.t"}},
        "exactly one",
    ),
    "embeddings": ("create_embeddings", {"src": {"file_name": "files/a"}}, "Vertex AI"),
}


async def assert_both_refuse(pair: Pair, method: str, kwargs: dict[str, Any], match: str) -> None:
    theirs, ours, server = pair
    if method != "list":
        kwargs = {"model": "gemini-2.5-flash", **kwargs}
    sent = len(server.requests)
    with pytest.raises(ValueError):
        await getattr(theirs, method)(**kwargs)
    with pytest.raises(ValueError, match=match):
        await getattr(ours, method)(**kwargs)
    assert len(server.requests) == sent  # refused before sending


@pytest.mark.filterwarnings("ignore:batches.create_embeddings")
@pytest.mark.parametrize("case", sorted(GEMINI_ERRORS))
async def test_gemini_refuses_what_google_genai_refuses(gemini: Pair, case: str) -> None:
    await assert_both_refuse(gemini, *GEMINI_ERRORS[case])


@pytest.mark.filterwarnings("ignore:batches.create_embeddings")
@pytest.mark.parametrize("case", sorted(VERTEX_ERRORS))
async def test_vertex_refuses_what_google_genai_refuses(vertex: Pair, case: str) -> None:
    await assert_both_refuse(vertex, *VERTEX_ERRORS[case])


async def test_unknown_method_is_reported(gemini: Pair) -> None:
    _, ours, _ = gemini
    with pytest.raises(AttributeError, match="batches"):
        ours.create_batch  # noqa: B018


# -- the sync twin -------------------------------------------------------------------------------


def test_sync_batches(server: MockServer) -> None:
    with genai_async.Client(api_key="k", http_options={"base_url": server.url}) as client:
        batches = Batches(client._lease, AsyncBatches(client._aio, "sync"))
        assert not batches.vertexai
        server.inject(Fault(match=":batchGenerateContent", status=200, body=GEMINI_RUNNING))
        job = batches.create(model="gemini-2.5-flash", src=INLINED, config={"display_name": "j"})
        assert job.name == "batches/abc123"
        assert server.requests[-1].json()["batch"]["displayName"] == "j"
        server.inject(Fault(match="batches/abc123", status=200, body=GEMINI_INLINED))
        assert batches.get(name="batches/abc123").done
        server.inject(
            Fault(match="batches", status=200, body={"operations": [GEMINI_RUNNING, GEMINI_FILE]})
        )
        assert [j.state for j in batches.list()] == ["JOB_STATE_RUNNING", "JOB_STATE_FAILED"]
        server.inject(Fault(match=":cancel", status=200, body={}))
        batches.cancel(name="batches/abc123")
        assert server.requests[-1].path.endswith("batches/abc123:cancel")
        server.inject(Fault(match="batches/abc123", status=200, body={}))
        assert batches.delete(name="batches/abc123").name is None
        server.inject(Fault(match=":asyncBatchEmbedContent", status=200, body=GEMINI_EMBEDDINGS))
        job = batches.create_embeddings(
            model="gemini-embedding-001", src={"file_name": "files/embed-input"}
        )
        assert job.dest is not None
        assert job.dest.inlined_embed_content_responses is not None
