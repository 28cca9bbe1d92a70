"""genai_async: a fast, dependable async-first runtime for Google's GenAI REST APIs.

``import genai_async as genai; from genai_async import types`` runs google-genai
code for the covered calls, on asyncio, uvloop and trio.
"""

from __future__ import annotations

import logging

from . import errors as errors
from . import types as types
from ._client import AsyncClient as AsyncClient
from ._client import EventStream as EventStream
from ._options import HttpOptions as HttpOptions
from ._options import HttpRetryOptions as HttpRetryOptions
from ._registry import PoolStats as PoolStats
from ._registry import SessionStats as SessionStats
from ._sync import Client as Client
from ._version import __version__ as __version__

__all__ = (
    "AsyncClient",
    "Client",
    "EventStream",
    "HttpOptions",
    "HttpRetryOptions",
    "PoolStats",
    "SessionStats",
    "__version__",
    "errors",
    "types",
)

logging.getLogger("genai_async").addHandler(logging.NullHandler())

for _name in (
    "AsyncClient",
    "Client",
    "EventStream",
    "HttpOptions",
    "HttpRetryOptions",
    "PoolStats",
    "SessionStats",
):
    globals()[_name].__module__ = "genai_async"
del _name
