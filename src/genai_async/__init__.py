"""genai_async: a fast, dependable async-first runtime for Google's GenAI REST APIs.

``import genai_async as genai; from genai_async import types`` runs google-genai
code for the covered calls, on asyncio, uvloop and trio.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from . import errors as errors
from ._async_client import AsyncClient as AsyncClient
from ._client import EventStream as EventStream
from ._hooks import AttemptStart as AttemptStart
from ._hooks import CallEnd as CallEnd
from ._hooks import CallStart as CallStart
from ._hooks import Hooks as Hooks
from ._hooks import ResponseReceived as ResponseReceived
from ._hooks import RetryScheduled as RetryScheduled
from ._options import HttpOptions as HttpOptions
from ._options import HttpRetryOptions as HttpRetryOptions
from ._registry import PoolStats as PoolStats
from ._registry import SessionStats as SessionStats
from ._sync import Client as Client
from ._version import __version__ as __version__

if TYPE_CHECKING:
    from . import batch as batch
    from . import models as models
    from . import testing as testing
    from . import types as types

__all__ = (
    "AsyncClient",
    "AttemptStart",
    "CallEnd",
    "CallStart",
    "Client",
    "EventStream",
    "Hooks",
    "HttpOptions",
    "HttpRetryOptions",
    "PoolStats",
    "ResponseReceived",
    "RetryScheduled",
    "SessionStats",
    "__version__",
    "batch",
    "errors",
    "models",
    "testing",
    "types",
)

logging.getLogger("genai_async").addHandler(logging.NullHandler())

for _name in (
    "AsyncClient",
    "AttemptStart",
    "CallEnd",
    "CallStart",
    "Client",
    "EventStream",
    "Hooks",
    "HttpOptions",
    "HttpRetryOptions",
    "PoolStats",
    "ResponseReceived",
    "RetryScheduled",
    "SessionStats",
):
    globals()[_name].__module__ = "genai_async"
del _name


def __getattr__(name: str) -> Any:
    # The ~100 pydantic types cost a few hundred ms to build: load them on first use
    # (``from genai_async import types`` or ``genai_async.types``), not at import.
    if name in ("types", "models", "batch", "testing"):
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
