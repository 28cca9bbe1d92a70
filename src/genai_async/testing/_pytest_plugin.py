"""pytest plugin (registered through the ``pytest11`` entry point): the ``genai_mock_server`` fixture.

Usage::

    def test_generate(genai_mock_server):
        url = genai_mock_server.url
        ...

    @pytest.mark.genai_mock_server(latency=0.05, stream_events=5)
    def test_slow(genai_mock_server): ...

The marker's keyword arguments are passed to :class:`~genai_async.testing.MockServer`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._server import MockServer

__all__ = ("genai_mock_server", "pytest_configure")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "genai_mock_server(**kwargs): MockServer options for the genai_mock_server fixture",
    )


@pytest.fixture
def genai_mock_server(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    """A started :class:`~genai_async.testing.MockServer`, stopped after the test."""
    marker = request.node.get_closest_marker("genai_mock_server")
    options = dict(marker.kwargs) if marker is not None else {}
    server = MockServer(**options)
    server.start()
    try:
        yield server
    finally:
        server.stop()
