"""The public API is exactly what the package exports."""

from __future__ import annotations

import importlib

import pytest

import genai_async

PUBLIC = {
    "AsyncClient",
    "AttemptStart",
    "CallEnd",
    "CallStart",
    "Client",
    "Hooks",
    "ResponseReceived",
    "RetryScheduled",
    "EventStream",
    "HttpOptions",
    "HttpRetryOptions",
    "PoolStats",
    "SessionStats",
    "__version__",
    "errors",
    "types",
}


def test_all_is_a_tuple_and_pinned() -> None:
    assert isinstance(genai_async.__all__, tuple)
    assert set(genai_async.__all__) == PUBLIC


def test_every_export_exists_and_shows_the_public_module() -> None:
    for name in genai_async.__all__:
        value = getattr(genai_async, name)
        if isinstance(value, type):
            assert value.__module__ == "genai_async", name


@pytest.mark.parametrize("module", ["genai_async.errors", "genai_async.types", "genai_async.testing"])
def test_public_modules_have_a_tuple_all_that_exists(module: str) -> None:
    mod = importlib.import_module(module)
    assert isinstance(mod.__all__, tuple)
    for name in mod.__all__:
        assert hasattr(mod, name), f"{module}.{name}"


def test_google_genai_names_are_importable() -> None:
    from genai_async import errors, types

    for name in ("APIError", "ClientError", "ServerError", "UnknownApiResponseError"):
        assert issubclass(getattr(errors, name), Exception)
    for name in ("HttpOptions", "HttpRetryOptions", "GenerateContentConfig", "Content", "Part"):
        assert hasattr(types, name)
