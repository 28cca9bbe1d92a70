"""client.file_search_stores (and its documents) and files.register_files: every request
as google-genai 3.6.1 sends it, against the embedded server, then the whole flow on our
clients (create -> upload -> operation polled to done -> documents -> delete)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pydantic
import pytest
from google import genai as google_genai
from google.oauth2.credentials import Credentials

import genai_async as genai
from genai_async import errors, types
from genai_async.testing import Fault, MockServer, RecordedRequest
from test_oracle import Creds, assert_same_request

pytestmark = [pytest.mark.anyio, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

METADATA = [
    {"key": "author", "string_value": "Ada"},
    {"key": "year", "numeric_value": 1843},
    {"key": "tags", "string_list_value": {"values": ["math", "engines"]}},
]
CHUNKING = {"white_space_config": {"max_tokens_per_chunk": 200, "max_overlap_tokens": 20}}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


Pair = tuple[Any, genai.AsyncClient, MockServer]


@pytest.fixture
async def pair() -> AsyncIterator[Pair]:
    with MockServer() as server:
        theirs = google_genai.Client(
            api_key="k", http_options={"base_url": server.url, "api_version": "v1beta"}
        )
        async with genai.AsyncClient(api_key="k", http_options={"base_url": server.url}) as ours:
            yield theirs.aio, ours, server
        await theirs.aio.aclose()


def dumped(value: Any) -> Any:
    if isinstance(value, list):
        return [dumped(v) for v in value]
    if not isinstance(value, pydantic.BaseModel):
        return value
    return value.model_dump(mode="json", exclude_none=True, exclude={"sdk_http_response"})


async def same(
    server: MockServer, call: Callable[[Any], Awaitable[Any]], theirs: Any, ours: Any
) -> tuple[Any, Any]:
    """One call on each client; the two requests must be the same."""
    their_result = await call(theirs)
    our_result = await call(ours)
    assert_same_request(server)
    return their_result, our_result


async def test_store_and_document_requests_match_google_genai(pair: Pair) -> None:
    theirs, ours, server = pair
    server.set_operation_polls(1)
    create_config = {"display_name": "Manuals", "embedding_model": "gemini-embedding-001"}
    a, b = await same(
        server, lambda c: c.file_search_stores.create(config=create_config), theirs, ours
    )
    assert (
        dumped(b)["embedding_model"]
        == dumped(a)["embedding_model"]
        == ("models/gemini-embedding-001")
    )
    store = a.name
    their_get, our_get = await same(
        server, lambda c: c.file_search_stores.get(name=store), theirs, ours
    )
    assert dumped(our_get) == dumped(their_get)
    assert isinstance(our_get, types.FileSearchStore)

    # Paged listing: the same requests page by page, the same stores.
    their_pager = await theirs.file_search_stores.list(config={"page_size": 1})
    our_pager = await ours.file_search_stores.list(config={"page_size": 1})
    assert_same_request(server)
    our_names = [s.name async for s in our_pager]
    assert our_names == [s.name async for s in their_pager]
    assert len(our_names) == 2
    listed = [
        r for r in server.requests if r.method == "GET" and r.path.endswith("/fileSearchStores")
    ]
    assert [r.query_params() for r in listed] == [
        {"pageSize": ["1"]}, {"pageSize": ["1"]},
        {"pageSize": ["1"], "pageToken": ["1"]}, {"pageSize": ["1"], "pageToken": ["1"]},
    ]  # fmt: skip

    file = server.add_file(b"the analytical engine", "text/plain", name="notes", generated=False)
    import_config = {"custom_metadata": METADATA, "chunking_config": CHUNKING}
    their_op, our_op = await same(
        server,
        lambda c: c.file_search_stores.import_file(
            file_search_store_name=store, file_name=file["name"], config=import_config
        ),
        theirs,
        ours,
    )
    body = server.last_request.json()
    assert body["fileName"] == "files/notes"
    assert body["chunkingConfig"] == {
        "whiteSpaceConfig": {"maxTokensPerChunk": 200, "maxOverlapTokens": 20}
    }
    assert isinstance(our_op, types.ImportFileOperation)
    assert our_op.done is their_op.done is None
    # Polled with client.operations.get, as in google-genai: a GET of the operation.
    while not their_op.done:
        their_op = await theirs.operations.get(their_op)
        our_op = await ours.operations.get(our_op)
        assert (server.requests[-1].method, server.requests[-1].path.split("/mock-op-")[0]) == (
            server.requests[-2].method,
            server.requests[-2].path.split("/mock-op-")[0],
        )
    assert isinstance(our_op, types.ImportFileOperation)
    assert our_op.done
    assert our_op.response is not None
    assert their_op.response is not None
    assert our_op.response.parent == their_op.response.parent == store
    doc = our_op.response.document_name
    assert doc is not None
    assert doc != their_op.response.document_name

    their_docs, our_docs = await same(
        server,
        lambda c: c.file_search_stores.documents.list(parent=store, config={"page_size": 5}),
        theirs,
        ours,
    )
    assert dumped(list(our_docs)) == dumped(list(their_docs))
    assert len(our_docs) == 2
    their_doc, our_doc = await same(
        server, lambda c: c.file_search_stores.documents.get(name=doc), theirs, ours
    )
    assert dumped(our_doc) == dumped(their_doc)
    assert our_doc.custom_metadata is not None
    assert our_doc.custom_metadata[2].string_list_value == types.StringList(
        values=["math", "engines"]
    )
    media = doc.replace("/documents/", "/media/")
    their_bytes, our_bytes = await same(
        server, lambda c: c.file_search_stores.download_media(media_id=media), theirs, ours
    )
    assert our_bytes == their_bytes == b"the analytical engine"

    # Deletes: both answered by the server script, so both name the same resource.
    for call in (
        lambda c: c.file_search_stores.documents.delete(name=doc, config={"force": True}),
        lambda c: c.file_search_stores.documents.delete(name=doc),
        lambda c: c.file_search_stores.delete(name=store, config={"force": True}),
        lambda c: c.file_search_stores.delete(name=store, config={"force": False}),
    ):
        server.inject(Fault(match="/fileSearchStores/", status=200, body={}, times=2))
        their_result, our_result = await same(server, call, theirs, ours)
        assert our_result is their_result is None
    assert server.requests[-2].query_params() == {"force": ["False"]}  # as google-genai sends it


def upload_requests(server: MockServer) -> list[RecordedRequest]:
    return [r for r in server.requests if "uploadToFileSearchStore" in r.path]


@pytest.mark.filterwarnings("ignore:Sending a large body:ResourceWarning")
async def test_upload_matches_google_genai(pair: Pair, tmp_path: Path) -> None:
    theirs, ours, server = pair
    server.set_operation_polls(0)
    store = (await ours.file_search_stores.create()).name
    path = tmp_path / "manual.md"
    path.write_bytes(os.urandom(9 * 1024 * 1024 + 5))  # two chunks
    config: dict[str, Any] = {
        "display_name": "Manual",
        "custom_metadata": METADATA[:1],
        "chunking_config": CHUNKING,
    }
    server.clear()
    their_op = await theirs.file_search_stores.upload_to_file_search_store(
        file_search_store_name=store, file=str(path), config=config
    )
    their_requests = upload_requests(server)
    server.clear()
    our_op = await ours.file_search_stores.upload_to_file_search_store(
        file_search_store_name=store,
        file=path,
        config=types.UploadToFileSearchStoreConfig(**config),
    )
    our_requests = upload_requests(server)
    assert [r.header("x-goog-upload-command") for r in our_requests] == [
        "start", "upload", "upload, finalize"
    ]  # fmt: skip
    assert len(their_requests) == 3
    assert_same_request(server, (their_requests[0], our_requests[0]))
    assert our_requests[0].header("x-goog-upload-file-name") == "manual.md"
    assert our_requests[0].header("x-goog-upload-header-content-type") == "text/markdown"
    assert "mimeType" not in our_requests[0].json()  # guessed: only in the upload header
    for their_chunk, our_chunk in zip(their_requests[1:], our_requests[1:], strict=True):
        assert (our_chunk.method, our_chunk.path) == (their_chunk.method, their_chunk.path)
        theirs_headers = {k.lower(): v for k, v in their_chunk.headers}
        ours_headers = {k.lower(): v for k, v in our_chunk.headers}
        for name, value in theirs_headers.items():
            if name.startswith("x-goog-upload") or name in ("content-type", "content-length"):
                assert ours_headers[name] == value, name
        assert our_chunk.body == their_chunk.body
    assert isinstance(our_op, types.UploadToFileSearchStoreOperation)
    assert our_op.done is their_op.done is True
    assert our_op.response is not None
    assert their_op.response is not None
    assert our_op.response.parent == their_op.response.parent == store
    doc = await ours.file_search_stores.documents.get(name=our_op.response.document_name or "")
    assert doc.display_name == "Manual"
    assert doc.size_bytes == path.stat().st_size
    assert doc.mime_type == "text/markdown"


async def test_register_files_matches_google_genai(pair: Pair) -> None:
    theirs, ours, server = pair
    creds = Credentials(token="t0ken", quota_project_id="billing-project")
    uris = ["gs://bucket/a.pdf", "gs://bucket/b.txt"]
    their_result, our_result = await same(
        server, lambda c: c.files.register_files(auth=creds, uris=uris), theirs, ours
    )
    request = server.last_request
    assert request.path == "/v1beta/files:register"
    assert request.header("authorization") == "Bearer t0ken"
    assert request.header("x-goog-user-project") == "billing-project"
    assert request.json() == {"uris": uris}
    assert isinstance(our_result, types.RegisterFilesResponse)
    assert [f.source for f in our_result.files or []] == ["REGISTERED", "REGISTERED"]
    assert len(our_result.files or []) == len(their_result.files) == 2

    # The token replaces an Authorization header of the user's own; other headers stay.
    config = {"http_options": {"headers": {"Authorization": "Bearer old", "x-tag": "1"}}}
    await same(
        server,
        lambda c: c.files.register_files(auth=creds, uris=uris[:1], config=config),
        theirs,
        ours,
    )
    assert server.last_request.header_all("authorization") == ["Bearer t0ken"]
    assert server.last_request.header("x-tag") == "1"
    raw = await ours.files.register_files(
        auth=creds,
        uris=uris[:1],
        config=types.RegisterFilesConfig(should_return_http_response=True),
    )
    assert raw.files is None
    assert raw.sdk_http_response is not None


async def test_the_whole_flow_async(server: MockServer) -> None:
    server.set_operation_polls(2)
    async with genai.AsyncClient(api_key="k", http_options={"base_url": server.url}) as client:
        stores = client.file_search_stores
        store = await stores.create(config=types.CreateFileSearchStoreConfig(display_name="Docs"))
        assert store.name is not None
        assert store.name.startswith("fileSearchStores/")
        operation = await stores.upload_to_file_search_store(
            file_search_store_name=store.name,
            file=b"Ada Lovelace wrote the first program.",
            config={"mime_type": "text/plain", "display_name": "ada"},
        )
        assert not operation.done
        pending = [d async for d in await stores.documents.list(parent=store.name)]
        assert [d.state for d in pending] == [types.DocumentState.STATE_PENDING]
        assert (await stores.get(name=store.name)).pending_documents_count == 1
        polls = 0
        while not operation.done:
            operation = await client.operations.get(operation)
            polls += 1
        assert polls == 3  # two "not yet", then done
        assert operation.response is not None
        assert operation.response.document_name is not None
        docs = [d async for d in await stores.documents.list(parent=store.name)]
        assert [(d.name, d.display_name, d.state, d.size_bytes) for d in docs] == [
            (operation.response.document_name, "ada", types.DocumentState.STATE_ACTIVE, 37)
        ]
        fresh = await stores.get(name=store.name)
        assert (fresh.active_documents_count, fresh.size_bytes) == (1, 37)
        # A store with documents, and a document with chunks, need force (as on the API).
        with pytest.raises(errors.APIError) as info:
            await stores.delete(name=store.name)
        assert info.value.code == 400
        with pytest.raises(errors.APIError):
            await stores.documents.delete(name=docs[0].name or "")
        await stores.documents.delete(name=docs[0].name or "", config={"force": True})
        assert [d async for d in await stores.documents.list(parent=store.name)] == []
        await stores.delete(name=store.name)
        assert [s async for s in await stores.list()] == []


def test_the_whole_flow_sync(server: MockServer) -> None:
    server.set_operation_polls(1)
    with genai.Client(api_key="k", http_options={"base_url": server.url}) as client:
        stores = client.file_search_stores
        store = stores.create(config={"display_name": "Sync docs"})
        file = client.files.upload(file=b"notes", config={"mime_type": "text/plain"})
        operation = stores.import_file(
            file_search_store_name=store.name or "", file_name=file.name or ""
        )
        while not operation.done:
            operation = client.operations.get(operation)
        assert isinstance(operation, types.ImportFileOperation)
        docs = list(stores.documents.list(parent=store.name or ""))
        assert [d.state for d in docs] == [types.DocumentState.STATE_ACTIVE]
        assert stores.documents.get(name=docs[0].name or "").size_bytes == 5
        media = (docs[0].name or "").replace("/documents/", "/media/")
        assert stores.download_media(media_id=media) == b"notes"
        stores.delete(name=store.name or "", config={"force": True})
        assert list(stores.list()) == []
        registered = client.files.register_files(auth=Credentials(token="t"), uris=["gs://b/c"])
        assert registered.files is not None
        assert registered.files[0].source == "REGISTERED"


async def test_a_dropped_store_upload_resumes(server: MockServer) -> None:
    server.set_operation_polls(0)
    data = os.urandom(300_000)
    async with genai.AsyncClient(
        api_key="k",
        http_options={
            "base_url": server.url,
            "retry_options": {"attempts": 3, "initial_delay": 0.01, "max_delay": 0.05},
        },
    ) as client:
        store = await client.file_search_stores.create()
        server.drop_upload_at(100_000)
        server.clear()
        operation = await client.file_search_stores.upload_to_file_search_store(
            file_search_store_name=store.name or "",
            file=data,
            config={"mime_type": "application/octet-stream"},
        )
        commands = [r.header("x-goog-upload-command") for r in upload_requests(server)]
        assert commands == ["start", "upload, finalize", "query", "upload, finalize"]
        assert operation.done
        assert operation.response is not None
        media = (operation.response.document_name or "").replace("/documents/", "/media/")
        assert await client.file_search_stores.download_media(media_id=media) == data


async def test_vertex_ai_is_refused_before_sending(server: MockServer) -> None:
    async with genai.AsyncClient(
        vertexai=True,
        project="p",
        location="us-central1",
        credentials=Creds(),
        http_options={"base_url": server.url},
    ) as client:
        stores = client.file_search_stores
        calls: list[Callable[[], Awaitable[Any]]] = [
            lambda: stores.create(),
            lambda: stores.get(name="fileSearchStores/s"),
            lambda: stores.delete(name="fileSearchStores/s"),
            lambda: stores.list(),
            lambda: stores.import_file(file_search_store_name="s", file_name="files/f"),
            lambda: stores.upload_to_file_search_store(file_search_store_name="s", file=b"x"),
            lambda: stores.download_media(media_id="fileSearchStores/s/media/m"),
            lambda: stores.documents.get(name="fileSearchStores/s/documents/d"),
            lambda: stores.documents.delete(name="fileSearchStores/s/documents/d"),
            lambda: stores.documents.list(parent="fileSearchStores/s"),
            lambda: client.files.register_files(auth=Credentials(token="t"), uris=["gs://b/c"]),
        ]
        for call in calls:
            with pytest.raises(ValueError, match="only supported on the Gemini Developer API"):
                await call()
    assert server.requests == []


async def test_what_cannot_be_sent_is_refused(server: MockServer) -> None:
    async with genai.AsyncClient(api_key="k", http_options={"base_url": server.url}) as client:
        stores = client.file_search_stores
        with pytest.raises(
            ValueError, match="unknown CreateFileSearchStoreConfig field 'dispaly_name'"
        ):
            await stores.create(config={"dispaly_name": "x"})
        with pytest.raises(ValueError, match="unknown CustomMetadata field 'value'"):
            await stores.import_file(
                file_search_store_name="s",
                file_name="files/f",
                config={"custom_metadata": [{"key": "k", "value": "v"}]},
            )
        with pytest.raises(ValueError, match=r"config\.mime_type is needed"):
            await stores.upload_to_file_search_store(file_search_store_name="s", file=b"x")
        with pytest.raises(ValueError, match="should_return_http_response"):
            await stores.upload_to_file_search_store(
                file_search_store_name="s",
                file=b"x",
                config={"mime_type": "text/plain", "should_return_http_response": True},
            )
        with pytest.raises(ValueError, match="Invalid media_id format"):
            await stores.download_media(media_id="fileSearchStores/s/documents/d")
        with pytest.raises(TypeError, match=r"config\.force must be a bool"):
            await stores.delete(name="s", config={"force": "yes"})
        with pytest.raises(
            ValueError, match=r"auth must be a google\.auth\.credentials\.Credentials"
        ):
            await client.files.register_files(auth="token", uris=["gs://b/c"])
        with pytest.raises(TypeError, match="uris must be a list of str"):
            await client.files.register_files(auth=Credentials(token="t"), uris="gs://b/c")
    assert server.requests == []
    # Without a bearer token the registration endpoint answers 401, as the API does.
    async with genai.AsyncClient(api_key="k", http_options={"base_url": server.url}) as client:
        with pytest.raises(errors.APIError) as info:
            await client.request("POST", "files:register", {"uris": ["gs://b/c"]})
        assert info.value.code == 401


async def test_bare_ids_are_completed(server: MockServer) -> None:
    async with genai.AsyncClient(api_key="k", http_options={"base_url": server.url}) as client:
        store = await client.file_search_stores.create(config={"display_name": "ids"})
        store_id = (store.name or "").split("/", 1)[1]
        assert (await client.file_search_stores.get(name=store_id)).name == store.name
        assert server.last_request.path == f"/v1beta/{store.name}"
        pager = await client.file_search_stores.documents.list(parent=store_id)
        assert list(pager) == []
        assert server.last_request.path == f"/v1beta/{store.name}/documents"
