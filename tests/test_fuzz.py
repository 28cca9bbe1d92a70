"""Properties under random input (hypothesis): options, merging, URL safety."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pydantic
from hypothesis import given, settings
from hypothesis import strategies as st

from genai_async import types
from genai_async._config import Settings, _patch, resolve_api_config
from genai_async._headers import Headers
from genai_async._urls import normalize_model

FIELDS = list(types.HttpOptions.model_fields)
CAMEL = [types.HttpOptions.model_fields[f].alias or f for f in FIELDS]

_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**40), max_value=2**40)
    | st.floats(allow_nan=True)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_keys = st.sampled_from(FIELDS + CAMEL) | st.text(max_size=12)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_keys, _values, max_size=6))
def test_random_dicts_validate_or_raise_validation_error(data: dict[str, Any]) -> None:
    try:
        opts = types.HttpOptions.model_validate(data)
    except pydantic.ValidationError:
        return
    assert isinstance(opts, types.HttpOptions)
    if opts.timeout is not None:
        assert opts.timeout >= 0


_header_names = st.sampled_from(
    ["X-A", "x-a", "X-B", "x-b", "User-Agent", "user-agent", "X-Server-Timeout"]
)
_headers = st.dictionaries(_header_names, st.text(alphabet="abc123 ", max_size=5), max_size=4)
_options = st.builds(
    lambda headers, timeout, version, extra: types.HttpOptions(
        headers=headers or None, timeout=timeout, api_version=version, extra_body=extra
    ),
    _headers,
    st.none() | st.integers(min_value=0, max_value=10_000),
    st.none() | st.sampled_from(["v1", "v1beta", "v1alpha"]),
    st.none() | st.dictionaries(st.sampled_from(["a", "b"]), st.integers(), max_size=2),
)


def _canonical(opts: types.HttpOptions) -> tuple[Any, ...]:
    headers = Headers(opts.headers or {})
    return (
        {k.lower(): v for k, v in headers.items()},
        opts.timeout,
        opts.api_version,
        opts.extra_body,
    )


@settings(max_examples=300, deadline=None)
@given(_options, _options, _options)
def test_merge_is_associative_with_case_insensitive_headers(
    a: types.HttpOptions, b: types.HttpOptions, c: types.HttpOptions
) -> None:
    left = _patch(_patch(a, b), c)
    right = _patch(a, _patch(b, c))
    assert _canonical(left) == _canonical(right)
    merged = Headers(left.headers or {})
    assert len({k.lower() for k in merged}) == len(merged)


_API = resolve_api_config(
    api_key="k",
    vertexai=None,
    enterprise=None,
    project=None,
    location=None,
    credentials=None,
    options=types.HttpOptions(base_url="https://api.example.com/base/"),
    environ={},
)
_SETTINGS = Settings.resolve(
    _API, types.HttpOptions(base_url="https://api.example.com/base/"), environ={}
)
_tricky = st.lists(
    st.sampled_from(
        [*"ab/:?#&.%@ ü\\\t\n", "..", "//", "http://evil", "%2e%2e", "@evil.com", "%2F"]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_tricky)
def test_paths_never_change_host_or_leave_the_api_path(path: str) -> None:
    try:
        url = _SETTINGS.url("POST", path)
    except ValueError:
        return
    parts = urlsplit(url)
    assert parts.scheme == "https"
    assert parts.netloc == "api.example.com"
    assert parts.path.startswith("/base/v1beta/")
    assert not parts.fragment
    segments = parts.path.split("/")
    assert ".." not in segments
    assert "." not in segments
    assert " " not in url
    assert all(ord(ch) < 128 for ch in url)


@settings(max_examples=300, deadline=None)
@given(_tricky)
def test_model_names_are_normalised_or_rejected(model: str) -> None:
    try:
        name = normalize_model(model, vertexai=False)
    except ValueError:
        return
    try:
        url = _SETTINGS.url("POST", f"{name}:generateContent")
    except ValueError:
        return
    parts = urlsplit(url)
    assert parts.netloc == "api.example.com"
    assert parts.path.startswith("/base/v1beta/")
    assert not parts.query
