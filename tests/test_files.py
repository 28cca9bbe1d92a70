"""client.files against the embedded server: the resumable upload protocol on the wire
(compared with google-genai 3.6.1), resuming a dropped upload, downloads, and the rest."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from google import genai as google_genai

import genai_async as genai
from genai_async import errors, types
from genai_async.testing import Fault, MockServer, RecordedRequest
from test_oracle import assert_same_request

pytestmark = pytest.mark.anyio

FAST_RETRY = {"attempts": 3, "initial_delay": 0.01, "max_delay": 0.05}


def client_for(server: MockServer, **options: Any) -> genai.AsyncClient:
    return genai.AsyncClient(api_key="k", http_options={"base_url": server.url, **options})


def upload_requests(server: MockServer) -> list[RecordedRequest]:
    return [r for r in server.requests if r.path.endswith("/upload/v1beta/files")]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore:Sending a large body:ResourceWarning")
@pytest.mark.parametrize("how", ["path", "fileobj"])
async def test_upload_matches_google_genai(server: MockServer, tmp_path: Path, how: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(os.urandom(9 * 1024 * 1024 + 5))  # two chunks
    config = {"display_name": "Report", "name": "report-1", "mime_type": "text/plain"}

    theirs = google_genai.Client(
        api_key="k", http_options={"base_url": server.url, "api_version": "v1beta"}
    )
    if how == "path":
        their_file = await theirs.aio.files.upload(file=str(path), config=config)
    else:
        with path.open("rb") as f:
            their_file = await theirs.aio.files.upload(file=f, config=config)
    await theirs.aio.aclose()
    their_requests = upload_requests(server)
    server.clear()
    await_delete = server.files  # the name is taken: upload ours under another name
    assert "files/report-1" in await_delete

    async with client_for(server) as client:
        await client.files.delete(name="report-1")
        server.clear()
        if how == "path":
            our_file = await client.files.upload(file=path, config=config)
        else:
            with path.open("rb") as f:
                our_file = await client.files.upload(
                    file=f, config=types.UploadFileConfig(**config)
                )
    our_requests = upload_requests(server)
    assert [r.header("x-goog-upload-command") for r in our_requests] == [
        "start", "upload", "upload, finalize"
    ]  # fmt: skip
    assert len(their_requests) == len(our_requests) == 3
    assert_same_request(server, (their_requests[0], our_requests[0]))
    for theirs_chunk, ours_chunk in zip(their_requests[1:], our_requests[1:], strict=True):
        # Departure: chunk requests carry the client's usual auth and identity headers.
        assert (ours_chunk.method, ours_chunk.path) == (theirs_chunk.method, theirs_chunk.path)
        assert ours_chunk.query_params().keys() == theirs_chunk.query_params().keys()
        theirs_headers = {k.lower(): v for k, v in theirs_chunk.headers}
        ours_headers = {k.lower(): v for k, v in ours_chunk.headers}
        for name, value in theirs_headers.items():
            if name.startswith("x-goog-upload") or name in ("content-type", "content-length"):
                assert ours_headers[name] == value, name
        assert ours_chunk.body == theirs_chunk.body
    assert our_file.model_dump(exclude={"create_time", "update_time", "expiration_time"}) == (
        their_file.model_dump(exclude={"create_time", "update_time", "expiration_time"})
    )
    assert server.file_bytes("files/report-1") == path.read_bytes()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore:Sending a large body:ResourceWarning")
async def test_get_list_delete_download_match_google_genai(server: MockServer) -> None:
    for i in range(3):
        server.add_file(bytes([i]) * 10, "image/png", name=f"img{i}")
    theirs = google_genai.Client(
        api_key="k", http_options={"base_url": server.url, "api_version": "v1beta"}
    )
    async with client_for(server) as ours:
        pairs: list[tuple[Any, Any]] = [
            (lambda c: c.files.get(name="files/img0"), None),
            (lambda c: c.files.list(config={"page_size": 2}), None),
            (lambda c: c.files.download(file="files/img1"), b"\x01" * 10),
            (lambda c: c.files.delete(name="img2"), None),
        ]
        for call, expected in pairs:
            their_result = await call(theirs.aio)
            server.add_file(b"\x02" * 10, "image/png", name="img2")  # deleted again below
            our_result = await call(ours)
            assert_same_request(server)
            if expected is not None:
                assert our_result == their_result == expected
        their_pager = await theirs.aio.files.list(config={"page_size": 2})
        our_pager = await ours.files.list(config={"page_size": 2})
        assert [f.name async for f in our_pager] == [f.name async for f in their_pager]
    await theirs.aio.aclose()


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
@pytest.mark.parametrize("drop_at", [100, 8 * 1024 * 1024 - 1, 8 * 1024 * 1024 + 77])
async def test_a_dropped_upload_resumes_from_what_the_server_holds(
    server: MockServer, drop_at: int
) -> None:
    data = os.urandom(8 * 1024 * 1024 + 1000)
    server.drop_upload_at(drop_at)
    async with client_for(server, retry_options=FAST_RETRY) as client:
        file = await client.files.upload(
            file=io.BytesIO(data), config={"mime_type": "application/octet-stream"}
        )
    assert file.size_bytes == len(data)
    assert server.file_bytes(file.name) == data
    commands = [(r.header("x-goog-upload-command"), r.header("x-goog-upload-offset"))
                for r in upload_requests(server)]  # fmt: skip
    assert ("query", None) in commands
    resumed = commands[commands.index(("query", None)) + 1]
    assert resumed[1] == str(drop_at)


async def test_a_retryable_status_resumes_and_a_client_error_does_not(server: MockServer) -> None:
    data = b"abc" * 1000
    server.inject(Fault(match="/upload/", status=503, times=1))
    async with client_for(server, retry_options=FAST_RETRY) as client:
        # The start request retries on 503 with the client's policy.
        file = await client.files.upload(file=data, config={"mime_type": "text/plain"})
        assert server.file_bytes(file.name) == data
        server.clear()
        server.inject(Fault(match="upload_id", status=503, times=1))
        file = await client.files.upload(file=data, config={"mime_type": "text/plain"})
        assert [r.header("x-goog-upload-command") for r in upload_requests(server)] == [
            "start", "upload, finalize", "query", "upload, finalize"
        ]  # fmt: skip
        server.inject(Fault(match="upload_id", status=400, times=1))
        with pytest.raises(errors.BadRequestError):
            await client.files.upload(file=data, config={"mime_type": "text/plain"})


async def test_upload_refuses_what_it_cannot_send(server: MockServer, tmp_path: Path) -> None:
    text = tmp_path / "t.unknownext"
    text.write_text("x")
    async with client_for(server) as client:
        with pytest.raises(ValueError, match="mime_type is needed"):
            await client.files.upload(file=b"data")
        with pytest.raises(ValueError, match="mime_type is needed"):
            await client.files.upload(file=text)
        with pytest.raises(FileNotFoundError):
            await client.files.upload(file=tmp_path / "missing.txt")
        with text.open("r") as f, pytest.raises(ValueError, match="binary mode"):
            await client.files.upload(file=f, config={"mime_type": "text/plain"})
        with pytest.raises(ValueError, match="unknown UploadFileConfig field 'mimetype'"):
            await client.files.upload(file=b"x", config={"mimetype": "text/plain"})
        with pytest.raises(ValueError, match="only generated files can be downloaded"):
            await client.files.download(file=types.File(name="files/x"))
    assert server.requests == []


async def test_files_are_gemini_only() -> None:
    client = genai.AsyncClient(vertexai=True, project="p", location="us-central1", api_key="k")
    for call in (
        client.files.upload(file=b"x", config={"mime_type": "text/plain"}),
        client.files.get(name="x"),
        client.files.list(),
        client.files.delete(name="x"),
        client.files.download(file="x"),
    ):
        with pytest.raises(ValueError, match="only supported on the Gemini Developer API"):
            await call
    await client.aclose()


async def test_download_streams_to_a_path_and_a_writer(server: MockServer, tmp_path: Path) -> None:
    blob = os.urandom(3 * 1024 * 1024 + 3)
    meta = server.add_file(blob, "video/mp4", name="clip")
    async with client_for(server) as client:
        file = await client.files.get(name="clip")
        assert file.download_uri is not None
        target = tmp_path / "clip.mp4"
        assert await client.files.download(file=file, destination=target) is None
        assert target.read_bytes() == blob
        sink = io.BytesIO()
        await client.files.download(file=meta["uri"], destination=sink)
        assert sink.getvalue() == blob
        with pytest.raises(ValueError, match="destination must be a path or a writable"):
            await client.files.download(file="clip", destination=42)
        stats = client.pool_stats()
    assert all(s.in_flight == 0 for s in stats.sessions)


def test_sync_files(server: MockServer, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"a": 1}')
    with genai.Client(api_key="k", http_options={"base_url": server.url}) as client:
        file = client.files.upload(file=path)
        assert file.mime_type == "application/json"
        assert [f.name for f in client.files.list()] == [file.name]
        assert client.files.get(name=file.name).size_bytes == 8
        client.files.delete(name=file.name)
        assert server.files == {}
        with pytest.raises(errors.NotFoundError):
            client.files.get(name=file.name)
