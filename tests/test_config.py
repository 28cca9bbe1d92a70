"""Environment precedence (http-options.md §10) and URL assembly (wire.md §2)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from genai_async import types
from genai_async._config import ApiConfig, Settings, resolve_api_config
from genai_async._urls import encode_path, normalize_model


def api(environ: dict[str, str] | None = None, **kwargs: Any) -> ApiConfig:
    options = kwargs.pop("http_options", None)
    args: dict[str, Any] = {
        "api_key": None,
        "vertexai": None,
        "enterprise": None,
        "project": None,
        "location": None,
        "credentials": None,
        "options": options,
    }
    args.update(kwargs)
    config = resolve_api_config(environ=environ or {}, **args)
    _OPTIONS[id(config)] = options
    return config


_OPTIONS: dict[int, Any] = {}


def url(
    config: ApiConfig, path: str, method: str = "POST", options: types.HttpOptions | None = None
) -> str:
    settings = Settings.resolve(config, _OPTIONS.get(id(config)), environ={})
    if options is not None:
        settings = settings.patched(options)
    return settings.url(method, path)


class _Creds:
    token = "t"
    valid = True


# -- Gemini --------------------------------------------------------------------


def test_gemini_defaults() -> None:
    config = api(api_key=" k ")
    assert config.api_key == "k"
    assert config.api_version == "v1beta"
    assert url(config, "models/gemini-2.5-flash-lite:generateContent") == (
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash-lite:generateContent"
    )


def test_gemini_key_from_environment(caplog: pytest.LogCaptureFixture) -> None:
    assert api({"GEMINI_API_KEY": "g"}).api_key == "g"
    with caplog.at_level(logging.WARNING, logger="genai_async"):
        assert api({"GOOGLE_API_KEY": "a", "GEMINI_API_KEY": "g"}).api_key == "a"
    assert "GOOGLE_API_KEY" in caplog.text
    assert api({"GOOGLE_API_KEY": "", "GEMINI_API_KEY": "g"}).api_key == "g"


def test_gemini_errors() -> None:
    with pytest.raises(ValueError, match="GOOGLE_API_KEY"):
        api()
    with pytest.raises(ValueError, match="project/location"):
        api(api_key="k", project="p")
    with pytest.raises(ValueError, match="Live API"):
        api(api_key="auth_tokens/abc")


@pytest.mark.parametrize(
    ("env_version", "expected"), [("beta", "v1beta"), ("v1", "v1"), ("v1alpha", "v1alpha")]
)
def test_api_version_from_environment(env_version: str, expected: str) -> None:
    assert api({"GOOGLE_GENAI_API_VERSION": env_version}, api_key="k").api_version == expected
    explicit = api(
        {"GOOGLE_GENAI_API_VERSION": env_version},
        api_key="k",
        http_options=types.HttpOptions(api_version="v9"),
    )
    assert explicit.api_version == "v9"


def test_gemini_base_url_forms() -> None:
    proxy = api(
        api_key="k", http_options=types.HttpOptions(base_url="https://proxy.example.com/gemini/")
    )
    assert url(proxy, "models/gemini-2.5-flash-lite:generateContent") == (
        "https://proxy.example.com/gemini/v1beta/models/gemini-2.5-flash-lite:generateContent"
    )
    coll = api(
        api_key="k",
        http_options=types.HttpOptions(
            base_url="https://proxy.example.com/gemini/v1beta", base_url_resource_scope="COLLECTION"
        ),
    )
    assert url(coll, "models/gemini-2.5-flash-lite:generateContent") == (
        "https://proxy.example.com/gemini/v1beta/models/gemini-2.5-flash-lite:generateContent"
    )
    env = api({"GOOGLE_GEMINI_BASE_URL": "https://env.example/"}, api_key="k")
    assert url(env, "models/m:countTokens") == "https://env.example/v1beta/models/m:countTokens"
    with pytest.raises(ValueError, match="base_url must be set"):
        api(api_key="k", http_options=types.HttpOptions(base_url_resource_scope="COLLECTION"))
    with pytest.raises(ValueError, match="absolute"):
        api(api_key="k", http_options=types.HttpOptions(base_url="example.com"))


# -- Vertex ----------------------------------------------------------------------

P = "projects/p/locations"


@pytest.mark.parametrize(
    ("kwargs", "path", "method", "expected"),
    [
        (
            {"project": "p", "location": "us-central1"},
            "publishers/google/models/gemini-2.5-flash-lite:generateContent",
            "POST",
            f"https://us-central1-aiplatform.googleapis.com/v1beta1/{P}/us-central1/publishers/google/models/gemini-2.5-flash-lite:generateContent",
        ),
        (
            {"project": "p", "location": "us-central1"},
            "publishers/google/models/gemini-2.5-flash-lite",
            "GET",
            "https://us-central1-aiplatform.googleapis.com/v1beta1/publishers/google/models/gemini-2.5-flash-lite",
        ),
        (
            {"project": "p", "location": "global"},
            "publishers/google/models/gemini-2.5-flash-lite:generateContent",
            "POST",
            f"https://aiplatform.googleapis.com/v1beta1/{P}/global/publishers/google/models/gemini-2.5-flash-lite:generateContent",
        ),
        (
            {"project": "p", "location": "eu"},
            "publishers/google/models/gemini-2.5-flash-lite:generateContent",
            "POST",
            f"https://aiplatform.eu.rep.googleapis.com/v1beta1/{P}/eu/publishers/google/models/gemini-2.5-flash-lite:generateContent",
        ),
        (
            {"project": "p", "location": "us"},
            "publishers/google/models/gemini-2.5-flash-lite:generateContent",
            "POST",
            f"https://aiplatform.us.rep.googleapis.com/v1beta1/{P}/us/publishers/google/models/gemini-2.5-flash-lite:generateContent",
        ),
        (
            {"api_key": "k"},
            "publishers/google/models/gemini-2.5-flash-lite:generateContent",
            "POST",
            "https://aiplatform.googleapis.com/v1beta1/publishers/google/models/gemini-2.5-flash-lite:generateContent",
        ),
        (
            {"project": "p", "location": "us-central1"},
            "projects/p2/locations/l2/publishers/google/models/gemini-2.5-flash-lite:generateContent",
            "POST",
            "https://us-central1-aiplatform.googleapis.com/v1beta1/projects/p2/locations/l2/publishers/google/models/gemini-2.5-flash-lite:generateContent",
        ),
        (
            {
                "project": "p",
                "location": "us-central1",
                "http_options": types.HttpOptions(base_url="https://gw.example.com/"),
            },
            "publishers/google/models/gemini-2.5-flash-lite:generateContent",
            "POST",
            f"https://gw.example.com/v1beta1/{P}/us-central1/publishers/google/models/gemini-2.5-flash-lite:generateContent",
        ),
        (
            {
                "http_options": types.HttpOptions(
                    base_url="https://gw.example.com/", base_url_resource_scope="COLLECTION"
                )
            },
            "publishers/google/models/gemini-2.5-flash-lite:generateContent",
            "POST",
            "https://gw.example.com/publishers/google/models/gemini-2.5-flash-lite:generateContent",
        ),
        # Departure: the gateway URL keeps the operation (no SDK gateway mode).
        (
            {"http_options": types.HttpOptions(base_url="https://gw.example.com/")},
            "publishers/google/models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse",
            "POST",
            "https://gw.example.com/v1beta1/publishers/google/models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse",
        ),
    ],
)
def test_vertex_url_table(kwargs: dict[str, Any], path: str, method: str, expected: str) -> None:
    config = api(vertexai=True, credentials=None if "api_key" in kwargs else _Creds(), **kwargs)
    assert url(config, path, method) == expected


def test_vertex_collection_per_request_without_custom_base_drops_only_version() -> None:
    config = api(vertexai=True, project="p", location="us-central1", credentials=_Creds())
    got = url(
        config,
        "publishers/google/models/gemini-2.5-flash-lite:generateContent",
        options=types.HttpOptions(base_url_resource_scope="COLLECTION"),
    )
    assert (
        got
        == f"https://us-central1-aiplatform.googleapis.com/{P}/us-central1/publishers/google/models/gemini-2.5-flash-lite:generateContent"
    )


def test_vertex_never_builds_projects_none() -> None:
    config = api(vertexai=True, api_key="k", project="p")
    assert config.location is None
    assert "None" not in url(
        config, "publishers/google/models/gemini-2.5-flash-lite:generateContent"
    )


def test_vertex_precedence_table() -> None:
    env = {"GOOGLE_CLOUD_PROJECT": "ep", "GOOGLE_CLOUD_LOCATION": "el", "GOOGLE_API_KEY": "ek"}
    # explicit credentials + env key: key dropped
    c = api(env, vertexai=True, credentials=_Creds())
    assert c.api_key is None
    assert (c.project, c.location) == ("ep", "el")
    # explicit key, env project/location: express mode
    c = api(env, vertexai=True, api_key="k")
    assert (c.api_key, c.project, c.location) == ("k", None, None)
    # explicit project/location, env key: key dropped
    c = api(env, vertexai=True, project="p", location="l", credentials=_Creds())
    assert (c.api_key, c.project, c.location) == (None, "p", "l")
    # nothing explicit, env project/location and key: project/location win
    c = api(env, vertexai=True, credentials=_Creds())
    assert c.api_key is None
    assert c.uses_oauth
    with pytest.raises(ValueError, match="mutually exclusive"):
        api(vertexai=True, api_key="k", credentials=_Creds())


def test_vertex_location_defaults_to_global() -> None:
    c = api({"GOOGLE_CLOUD_PROJECT": "p"}, vertexai=True, credentials=_Creds())
    assert c.location == "global"
    assert c.base_url == "https://aiplatform.googleapis.com/"


def test_vertex_custom_base_url_skips_auth_checks() -> None:
    c = api(
        vertexai=True,
        http_options=types.HttpOptions(
            base_url="https://gw/", headers={"Authorization": "Bearer t"}
        ),
    )
    assert c.custom_base_url
    assert (c.project, c.location, c.api_key) == (None, None, None)
    assert not c.uses_oauth


def test_vertex_env_flags() -> None:
    env = {"GOOGLE_GENAI_USE_VERTEXAI": "true", "GOOGLE_API_KEY": "k"}
    assert api(env).vertexai
    assert (
        api(
            {
                "GOOGLE_GENAI_USE_VERTEXAI": "TRUE",
                "GOOGLE_GENAI_USE_ENTERPRISE": "0",
                "GOOGLE_API_KEY": "k",
            }
        ).vertexai
        is False
    )
    assert api({"GOOGLE_GENAI_USE_ENTERPRISE": "1", "GOOGLE_API_KEY": "k"}).vertexai
    with pytest.raises(ValueError, match="conflicting"):
        api(api_key="k", vertexai=True, enterprise=False)
    assert api(api_key="k", enterprise=True).vertexai


def test_vertex_base_url_from_env_counts_as_custom() -> None:
    c = api({"GOOGLE_VERTEX_BASE_URL": "https://vx.example/"}, vertexai=True)
    assert c.custom_base_url
    assert c.base_url == "https://vx.example/"


def test_api_config_repr_hides_key() -> None:
    assert "sekret" not in repr(api(api_key="sekret"))


# -- path safety -------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    ["../x", "models/../../admin", "a/%2e%2e/b", "//evil.com/x", "http://evil/x", "m#frag", "a\nb"],
)
def test_paths_that_could_escape_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        encode_path(bad)


def test_paths_are_percent_encoded() -> None:
    assert encode_path("models/a b:generateContent") == "models/a%20b:generateContent"
    assert encode_path("models/ünï") == "models/%C3%BCn%C3%AF"
    assert encode_path("models?pageSize=5&pageToken=a b") == "models?pageSize=5&pageToken=a%20b"


def test_model_normalisation() -> None:
    assert (
        normalize_model("gemini-2.5-flash-lite", vertexai=False) == "models/gemini-2.5-flash-lite"
    )
    assert normalize_model("tunedModels/t", vertexai=False) == "tunedModels/t"
    assert (
        normalize_model("gemini-2.5-flash-lite", vertexai=True)
        == "publishers/google/models/gemini-2.5-flash-lite"
    )
    assert normalize_model("meta/llama-y", vertexai=True) == "publishers/meta/models/llama-y"
    assert (
        normalize_model("projects/p/locations/l/models/m", vertexai=True)
        == "projects/p/locations/l/models/m"
    )
    for bad in ["", "a/../b", "m?x", "m&x"]:
        with pytest.raises(ValueError):
            normalize_model(bad, vertexai=False)


# -- resolved once -------------------------------------------------------------------------


def test_changing_the_users_options_after_construction_changes_nothing() -> None:
    from genai_async import AsyncClient, types

    options = types.HttpOptions(
        base_url="http://127.0.0.1:9/", timeout=5_000, headers={"x-a": "1"}, extra_body={"k": 1}
    )
    client = AsyncClient(api_key="k", http_options=options)
    before = client._prepared(None, "async")
    with_override = client._prepared({"timeout": 7_000}, "async")
    options.timeout = 1_000
    options.base_url = "http://127.0.0.2:9/"
    assert options.headers is not None
    assert options.extra_body is not None
    options.headers["x-b"] = "2"
    options.extra_body["k"] = 2
    for prep in (client._prepared(None, "async"), client._prepared({"timeout": 9_000}, "async")):
        assert prep.settings.base_url == "http://127.0.0.1:9/"
        assert "x-b" not in prep.unary_headers
        assert prep.settings.extra_body == {"k": 1}
    assert client._prepared(None, "async") is before
    assert with_override.send.timeouts.attempt == 7.0


def test_equal_overrides_reuse_one_resolution() -> None:
    from genai_async import AsyncClient, types

    client = AsyncClient(api_key="k", http_options={"base_url": "http://127.0.0.1:9/"})
    settings = client._settings
    first = settings.override({"timeout": 3_000, "headers": {"x-a": "1"}})
    assert settings.override({"timeout": 3_000, "headers": {"x-a": "1"}}) is first
    assert settings.override(types.HttpOptions(timeout=3_000, headers={"x-a": "1"})) is not None
    other = settings.override({"timeout": 4_000, "headers": {"x-a": "1"}})
    assert other is not first
    assert other.timeout == 4.0
    assert first.timeout == 3.0
    # a mutated override dict is a different override
    given = {"timeout": 3_000, "headers": {"x-a": "1"}}
    assert settings.override(given) is first
    given["headers"]["x-a"] = "2"
    changed = settings.override(given)
    assert changed is not first
    assert changed.user_headers.get("x-a") == "2"
    assert first.user_headers.get("x-a") == "1"


def test_override_cache_is_bounded() -> None:
    from genai_async import AsyncClient

    client = AsyncClient(api_key="k", http_options={"base_url": "http://127.0.0.1:9/"})
    settings = client._settings
    for timeout in range(1_000, 1_000 + 200):
        settings.override({"timeout": timeout})
    assert len(settings._overrides) <= 64
