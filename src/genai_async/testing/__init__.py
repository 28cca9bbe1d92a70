"""Test helpers: an embedded Gemini / Vertex AI compatible HTTP server.

``MockServer`` runs a real HTTP/1.1 server on loopback in its own thread;
``MockServer.spawn()`` runs the same server in a separate process
(``python -m genai_async.testing``). Both record requests, count connections
and can be scripted to misbehave with :class:`Fault`. Installing the package
also registers a pytest plugin with the ``genai_mock_server`` fixture.
"""

from __future__ import annotations

from ._faults import Fault as Fault
from ._process import MockServerProcess as MockServerProcess
from ._records import RecordedRequest as RecordedRequest
from ._records import ServerStats as ServerStats
from ._server import MockServer as MockServer
from ._strict import KNOWN_MODELS as KNOWN_MODELS

__all__ = (
    "KNOWN_MODELS",
    "Fault",
    "MockServer",
    "MockServerProcess",
    "RecordedRequest",
    "ServerStats",
)

for _name in __all__:
    if isinstance(globals()[_name], type):
        globals()[_name].__module__ = __name__
del _name
