"""Every public name of google-genai's clients and models either works here or says,
on first use, that genai_async does not provide it: never a bare AttributeError."""

from __future__ import annotations

from typing import Any, TypeVar

import pytest

import genai_async
from genai_async import errors

google_client = pytest.importorskip("google.genai.client")
google_models = pytest.importorskip("google.genai.models")
google_chats = pytest.importorskip("google.genai.chats")
google_files = pytest.importorskip("google.genai.files")
google_caches = pytest.importorskip("google.genai.caches")
google_operations = pytest.importorskip("google.genai.operations")
google_batches = pytest.importorskip("google.genai.batches")
google_tunings = pytest.importorskip("google.genai.tunings")
google_stores = pytest.importorskip("google.genai.file_search_stores")
google_documents = pytest.importorskip("google.genai.documents")


def _public(cls: type) -> list[str]:
    return sorted(
        n
        for n in dir(cls)
        if not n.startswith("_") and not isinstance(getattr(cls, n), TypeVar)  # not API
    )


def _check(obj: Any, names: list[str]) -> None:
    for name in names:
        if name in dir(type(obj)):
            getattr(obj, name)  # provided here
            continue
        with pytest.raises(errors.NotProvidedError) as info:
            getattr(obj, name)  # a plain AttributeError fails the test
        assert name in str(info.value)
        assert "not provided by genai_async" in str(info.value)
        assert isinstance(info.value, AttributeError)  # hasattr() sees it as absent
        assert not hasattr(obj, name)


def test_async_client_and_models() -> None:
    client = genai_async.AsyncClient(api_key="k")
    _check(client, _public(google_client.AsyncClient))
    _check(client.models, _public(google_models.AsyncModels))
    _check(client.chats, _public(google_chats.AsyncChats))
    _check(client.chats.create(model="m"), _public(google_chats.AsyncChat))
    _check(client.files, _public(google_files.AsyncFiles))
    _check(client.caches, _public(google_caches.AsyncCaches))
    _check(client.operations, _public(google_operations.AsyncOperations))
    _check(client.batches, _public(google_batches.AsyncBatches))
    _check(client.tunings, _public(google_tunings.AsyncTunings))
    _check(client.file_search_stores, _public(google_stores.AsyncFileSearchStores))
    _check(client.file_search_stores.documents, _public(google_documents.AsyncDocuments))


def test_sync_client_and_models() -> None:
    with genai_async.Client(api_key="k") as client:
        _check(client, _public(google_client.Client))
        _check(client.models, _public(google_models.Models))
        _check(client.chats, _public(google_chats.Chats))
        _check(client.chats.create(model="m"), _public(google_chats.Chat))
        _check(client.files, _public(google_files.Files))
        _check(client.caches, _public(google_caches.Caches))
        _check(client.operations, _public(google_operations.Operations))
        _check(client.batches, _public(google_batches.Batches))
        _check(client.tunings, _public(google_tunings.Tunings))
        _check(client.file_search_stores, _public(google_stores.FileSearchStores))
        _check(client.file_search_stores.documents, _public(google_documents.Documents))
        assert client.models.vertexai is False


def test_the_error_names_the_feature() -> None:
    client = genai_async.AsyncClient(api_key="k")
    with pytest.raises(errors.NotProvidedError, match=r"client\.live \(the Live API"):
        client.live  # noqa: B018
    with pytest.raises(errors.NotProvidedError, match=r"client\.agents \(agents\)"):
        client.agents  # noqa: B018
    with pytest.raises(AttributeError) as info:
        client.no_such_thing  # noqa: B018
    assert not isinstance(info.value, errors.NotProvidedError)
