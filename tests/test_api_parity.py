"""Every public async method has a typed sync twin with the same parameters.

The sync facade is written by hand (one ``_run`` line per method): this is
the check that keeps it complete, as httpcore's ``unasync --check`` does.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest

import genai_async
from genai_async import AsyncClient, Client
from genai_async._blocking import SyncSurface

_RENAMED = {"aclose": "close", "__aenter__": "__enter__", "__aexit__": "__exit__"}
# Async-only by nature: the async client has no sync-calls counterpart for these.
_ASYNC_ONLY: set[str] = set()


def _public_modules() -> list[Any]:
    modules = []
    for info in pkgutil.iter_modules(genai_async.__path__):
        if info.name.startswith("_") or info.name in {"testing", "batch"}:
            continue
        modules.append(importlib.import_module(f"genai_async.{info.name}"))
    return modules


def _pairs() -> list[tuple[type, type]]:
    pairs = []
    for module in _public_modules():
        for name, cls in vars(module).items():
            if not (inspect.isclass(cls) and name.startswith("Async")):
                continue
            if cls.__module__ != module.__name__:
                continue
            twin = getattr(module, name.removeprefix("Async"), None)
            if isinstance(twin, type) and issubclass(twin, SyncSurface):
                pairs.append((cls, twin))
    return pairs


def _methods(cls: type) -> dict[str, Any]:
    return {
        name: value
        for name, value in inspect.getmembers(cls)
        if (not name.startswith("_") or name in _RENAMED)
        and (inspect.isfunction(value) or isinstance(inspect.getattr_static(cls, name), property))
    }


def _params(fn: Any) -> list[tuple[str, Any, Any]]:
    sig = inspect.signature(fn)
    return [(p.name, p.kind, p.default) for p in sig.parameters.values()]


def test_the_surfaces_are_found() -> None:
    names = {(a.__name__, s.__name__) for a, s in _pairs()}
    assert ("AsyncModels", "Models") in names
    assert ("AsyncPager", "Pager") in names
    assert {("AsyncChats", "Chats"), ("AsyncChat", "Chat")} <= names


@pytest.mark.parametrize("pair", _pairs(), ids=lambda p: p[1].__name__)
def test_every_async_method_has_a_sync_twin(pair: tuple[type, type]) -> None:
    async_cls, sync_cls = pair
    sync_methods = _methods(sync_cls)
    for name, member in _methods(async_cls).items():
        twin_name = _RENAMED.get(name, name)
        if twin_name.startswith("__") or name in _ASYNC_ONLY:
            continue
        assert twin_name in sync_methods, f"{sync_cls.__name__} has no {twin_name}()"
        twin = sync_methods[twin_name]
        if isinstance(member, property):
            assert isinstance(inspect.getattr_static(sync_cls, twin_name), property)
            continue
        assert _params(twin) == _params(member), f"{sync_cls.__name__}.{twin_name}"
        # The sync twin is declared, not forwarded: mypy and IDEs see its return type.
        assert inspect.signature(twin).return_annotation is not inspect.Signature.empty


def test_the_clients_offer_the_same_surfaces() -> None:
    def public(cls: type) -> set[str]:
        return {n for n in dir(cls) if not n.startswith("_")}

    missing = {_RENAMED.get(n, n) for n in public(AsyncClient)} - public(Client) - _ASYNC_ONLY
    assert not missing, f"Client lacks {sorted(missing)}"
    for name in public(AsyncClient):
        attr = inspect.getattr_static(AsyncClient, name)
        if isinstance(attr, property):
            hints = inspect.get_annotations(attr.fget, eval_str=False) if attr.fget else {}
            twin = inspect.getattr_static(Client, name)
            assert isinstance(twin, property), name
            assert hints.get("return") is not None, name
