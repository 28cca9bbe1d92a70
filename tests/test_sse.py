"""The SSE decoder: WHATWG line grammar, stray JSON, any chunking (wire.md §6.3)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from genai_async._sse import SSEDecoder
from genai_async.errors import StreamError


def decode(chunks: list[bytes], max_bytes: int | None = None) -> list[bytes]:
    decoder = SSEDecoder() if max_bytes is None else SSEDecoder(max_bytes)
    out: list[bytes] = []
    for chunk in chunks:
        out += decoder.feed(chunk)
    return out + decoder.flush()


def test_basic_events_and_line_endings() -> None:
    body = b'data: {"a":1}\r\n\r\ndata:{"b":2}\n\ndata: {"c":3}\r\r'
    assert decode([body]) == [b'{"a":1}', b'{"b":2}', b'{"c":3}']


def test_comments_fields_and_multiline_data() -> None:
    body = b": keep-alive\nevent: message\nid: 7\nretry: 100\ndata: line1\ndata: line2\n\n"
    assert decode([body]) == [b"line1\nline2"]


def test_final_event_without_blank_line() -> None:
    assert decode([b'data: {"a":1}\n\ndata: {"z":9}']) == [b'{"a":1}', b'{"z":9}']


def test_stray_pretty_printed_json_with_braces_in_strings() -> None:
    body = b'data: {"a":1}\n\n{\n  "error": {\n    "code": 500,\n    "message": "a } and { inside"\n  }\n}\n'
    out = decode([body])
    assert out[0] == b'{"a":1}'
    assert out[1].startswith(b"{")
    assert b"inside" in out[1]
    assert len(out) == 2


def test_malformed_stray_json_does_not_swallow_later_events() -> None:
    out = decode([b'{"error": {"code": 500\n\ndata: {"ok":1}\n\n'])
    assert out == [b'{"error": {"code": 500', b'{"ok":1}']


def test_multi_mib_event_in_small_chunks() -> None:
    payload = b'{"t":"' + b"x" * (6 * 1024 * 1024) + b'"}'
    body = b"data: " + payload + b"\r\n\r\n"
    chunks = [body[i : i + 65536] for i in range(0, len(body), 65536)]
    assert decode(chunks) == [payload]


def test_line_limit_raises_documented_error() -> None:
    with pytest.raises(StreamError):
        decode([b"data: " + b"x" * 200], max_bytes=100)
    with pytest.raises(StreamError):
        decode([b"data: " + b"x" * 60, b"x" * 60], max_bytes=100)


_EVENT = st.builds(
    lambda text, crlf, space: (
        b"data:" + (b" " if space else b"") + text.encode() + (b"\r\n\r\n" if crlf else b"\n\n")
    ),
    st.text(
        alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)),
        max_size=40,
    ),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(
    events=st.lists(_EVENT, max_size=8),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=12),
)
def test_any_split_gives_the_same_events(events: list[bytes], cuts: list[int]) -> None:
    body = b"".join(events)
    whole = decode([body])
    points = sorted({c % (len(body) + 1) for c in cuts})
    pieces = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]
    assert decode(pieces) == whole
    assert len([e for e in events if e]) == len(whole)


@settings(max_examples=300, deadline=None)
@given(
    data=st.binary(max_size=600), cuts=st.lists(st.integers(min_value=0, max_value=600), max_size=8)
)
def test_random_bytes_only_raise_the_documented_error(data: bytes, cuts: list[int]) -> None:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    try:
        split = decode(pieces, max_bytes=256)
        whole = decode([data], max_bytes=256)
    except StreamError:
        return
    assert split == whole
