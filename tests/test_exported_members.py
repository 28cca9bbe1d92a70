"""The public API is exactly what the package exports."""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
import typing

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
    "batch",
    "errors",
    "models",
    "testing",
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


@pytest.mark.parametrize(
    "module", ["genai_async.errors", "genai_async.types", "genai_async.testing"]
)
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


def _public_module_names() -> list[str]:
    names = ["genai_async", "genai_async.testing"]
    for info in pkgutil.iter_modules(genai_async.__path__):
        if not info.name.startswith("_") and info.name != "testing":
            names.append(f"genai_async.{info.name}")
    return names


@pytest.mark.parametrize("module", _public_module_names())
def test_every_public_name_is_in_all(module: str) -> None:
    """As anyio's test_all_attributes: a public name missing from ``__all__`` fails."""
    mod = importlib.import_module(module)
    exported = getattr(mod, "__all__", None)
    assert isinstance(exported, tuple), f"{module}.__all__ must be a tuple"
    for name in exported:
        assert hasattr(mod, name), f"{module}.{name}"
    missing = []
    for name, value in vars(mod).items():
        if name.startswith("_") or inspect.ismodule(value) or name in exported:
            continue
        if isinstance(value, bool | logging.Logger | typing.TypeVar | typing.ParamSpec):
            continue  # TYPE_CHECKING, loggers, type variables
        if inspect.isclass(value) or inspect.isfunction(value):
            if value.__module__ != module:
                continue  # imported for use here; exported where it is defined
        elif hasattr(value, "__module__") and not isinstance(value, dict | tuple | frozenset):
            continue
        missing.append(name)
    assert not missing, f"{module} has public names missing from __all__: {missing}"


def test_lazy_modules_are_listed_and_in_dir() -> None:
    for name in ("types", "models", "batch", "testing"):
        assert name in genai_async.__all__
        assert name in dir(genai_async)
