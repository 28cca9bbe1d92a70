"""HttpOptions / HttpRetryOptions: spellings, validation, foreign objects (spec §1-3)."""

from __future__ import annotations

import pydantic
import pytest

from genai_async import types
from genai_async._options import coerce_http_options
from genai_async._retry import DEFAULT_STATUS_CODES, RetryPolicy


def test_snake_and_camel_case_are_the_same_field() -> None:
    a = types.HttpOptions(base_url="https://x/", api_version="v1", timeout=5)
    b = types.HttpOptions.model_validate(
        {"baseUrl": "https://x/", "apiVersion": "v1", "timeout": 5}
    )
    assert a == b
    r = types.HttpRetryOptions.model_validate({"httpStatusCodes": [429], "initialDelay": 0.5})
    assert r.http_status_codes == [429]
    assert r.initial_delay == 0.5


def test_unknown_key_is_rejected_naming_it() -> None:
    with pytest.raises(pydantic.ValidationError, match="timeout_ms"):
        types.HttpOptions.model_validate({"timeout_ms": 5})
    with pytest.raises(ValueError, match="backof"):
        coerce_http_options({"retry_options": {"backof": 2}})


@pytest.mark.parametrize(("value", "expected"), [("3000", 3000), (2.0, 2), (0, 0)])
def test_timeout_coercion(value: object, expected: int) -> None:
    assert types.HttpOptions(timeout=value).timeout == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [1.5, -1, "soon"])
def test_timeout_rejected(value: object) -> None:
    with pytest.raises(ValueError, match="timeout"):
        types.HttpOptions(timeout=value)  # type: ignore[arg-type]


def test_deadline_and_backend_extensions() -> None:
    opts = types.HttpOptions(deadline=2500, backend="httpx")
    assert opts.deadline == 2500
    with pytest.raises(ValueError, match="deadline"):
        types.HttpOptions(deadline=-1)
    with pytest.raises(ValueError, match="backend"):
        types.HttpOptions(backend="requests")  # type: ignore[arg-type]


def test_negative_attempts_rejected_zero_means_one_without_mutation() -> None:
    with pytest.raises(ValueError, match="attempts"):
        types.HttpRetryOptions(attempts=-1)
    opts = types.HttpRetryOptions(attempts=0)
    assert RetryPolicy.from_options(opts).attempts == 1
    assert opts.attempts == 0


@pytest.mark.parametrize("field", ["initial_delay", "max_delay", "jitter"])
def test_negative_delays_rejected(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        types.HttpRetryOptions(**{field: -0.1})


def test_retry_defaults_apply_only_to_unset_fields() -> None:
    policy = RetryPolicy.from_options(types.HttpRetryOptions(initial_delay=0.0, jitter=0))
    assert policy.attempts == 5
    assert policy.initial_delay == 0.0
    assert policy.jitter == 0.0
    assert policy.max_delay == 60.0
    assert policy.status_codes == DEFAULT_STATUS_CODES
    assert RetryPolicy.from_options(types.HttpRetryOptions(http_status_codes=[])).status_codes == (
        DEFAULT_STATUS_CODES
    )
    assert RetryPolicy.from_options(None).attempts == 1


def test_resource_scope_is_case_insensitive() -> None:
    assert types.HttpOptions(base_url_resource_scope="collection").base_url_resource_scope is (  # type: ignore[arg-type]
        types.ResourceScope.COLLECTION
    )


def test_header_injection_refused_at_validation() -> None:
    with pytest.raises(ValueError, match=r"CR, LF"):
        types.HttpOptions(headers={"X-A": "ok\r\nX-Evil: 1"})
    with pytest.raises(ValueError, match="header name"):
        types.HttpOptions(headers={"Bad Name": "v"})


def test_client_fields_are_type_checked() -> None:
    with pytest.raises(ValueError, match=r"aiohttp\.ClientSession"):
        types.HttpOptions(aiohttp_client=object())


def test_coerce_accepts_dicts_ours_and_none() -> None:
    assert coerce_http_options(None) is None
    ours = types.HttpOptions(timeout=1)
    assert coerce_http_options(ours) is ours
    assert coerce_http_options({"timeout": 1}) == ours
    with pytest.raises(TypeError, match="http_options"):
        coerce_http_options(42)


def test_google_genai_option_objects_are_accepted() -> None:
    gtypes = pytest.importorskip("google.genai.types")
    theirs = gtypes.HttpOptions(
        base_url="https://gw/",
        api_version="v1",
        headers={"X-A": "1"},
        timeout=1500,
        retry_options=gtypes.HttpRetryOptions(attempts=2, http_status_codes=[503]),
    )
    ours = coerce_http_options(theirs)
    assert ours is not None
    assert ours.base_url == "https://gw/"
    assert ours.timeout == 1500
    assert ours.headers == {"X-A": "1"}
    assert ours.retry_options is not None
    assert ours.retry_options.attempts == 2
    assert ours.retry_options.http_status_codes == [503]
    # A google-genai retry object inside our own options is accepted too.
    mixed = types.HttpOptions(retry_options=gtypes.HttpRetryOptions(attempts=3))
    assert mixed.retry_options is not None
    assert mixed.retry_options.attempts == 3


def test_the_dict_twins_cover_google_genais() -> None:
    google = pytest.importorskip("google.genai.types")
    from genai_async import types

    for ours, theirs in (
        (types.HttpOptionsDict, google.HttpOptionsDict),
        (types.HttpRetryOptionsDict, google.HttpRetryOptionsDict),
    ):
        assert set(theirs.__annotations__) <= set(ours.__annotations__)
    # every key of the dict twin is a field of the model it stands for
    assert set(types.HttpOptionsDict.__annotations__) == set(types.HttpOptions.model_fields)
    assert set(types.HttpRetryOptionsDict.__annotations__) == set(
        types.HttpRetryOptions.model_fields
    )


def test_an_http_options_dict_configures_a_client() -> None:
    import genai_async
    from genai_async import types

    options = types.HttpOptionsDict(
        base_url="http://127.0.0.1:9/gateway", headers={"X-Team": "a"}, timeout=5_000
    )
    client = genai_async.AsyncClient(api_key="k", http_options=options)
    prep = client._prepared(None, "async")
    assert prep.url("POST", "models/m:generateContent").startswith("http://127.0.0.1:9/gateway/")
    assert prep.unary_headers["X-Team"] == "a" or prep.unary_headers.get("x-team") == "a"
    assert prep.send.timeouts.attempt == 5.0
