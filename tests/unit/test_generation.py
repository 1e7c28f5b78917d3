"""The clients' ``api_generation=`` setting and ``ApiGeneration``: what is accepted, what is refused when the
client is built, what derived clients keep. (The probe itself: tests/integration/test_detect_api.py.)"""

from __future__ import annotations

import asyncio
import pickle
from typing import Any

import httpx
import pytest

import coder_chat.client
import coder_chat.streaming
from coder_chat.client import ApiGeneration, AuthenticatedClient, Client
from coder_chat.streaming import adetect_api, detect_api

# Nothing listens here: a forced generation must not make any request.
UNREACHABLE = "http://127.0.0.1:9"


def test_the_enum_is_a_str_enum_with_the_wire_values_and_one_class_everywhere() -> None:
    assert [(g.name, g.value) for g in ApiGeneration] == [("V2", "v2"), ("EXPERIMENTAL", "experimental")]
    assert str(ApiGeneration.V2) == "v2" and f"{ApiGeneration.EXPERIMENTAL}" == "experimental"
    assert ApiGeneration("v2") is ApiGeneration.V2
    assert coder_chat.streaming.ApiGeneration is coder_chat.client.ApiGeneration is ApiGeneration
    assert "ApiGeneration" in coder_chat.client.__all__
    assert {"ApiGeneration", "detect_api", "adetect_api"} <= set(coder_chat.streaming.__all__)
    assert pickle.loads(pickle.dumps(ApiGeneration.V2)) is ApiGeneration.V2
    assert repr(ApiGeneration.V2) == "<ApiGeneration.V2: 'v2'>"


@pytest.mark.parametrize("cls", [Client, AuthenticatedClient])
def test_the_default_is_auto(cls: type[Client]) -> None:
    kwargs: dict[str, Any] = {"token": "t"} if cls is AuthenticatedClient else {}
    assert cls(base_url=UNREACHABLE, **kwargs).api_generation == "auto"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("auto", "auto"),
        ("v2", ApiGeneration.V2),
        ("experimental", ApiGeneration.EXPERIMENTAL),
        (ApiGeneration.V2, ApiGeneration.V2),
    ],
)
def test_accepted_settings(given: Any, expected: Any) -> None:
    client = AuthenticatedClient(base_url=UNREACHABLE, token="t", api_generation=given)
    assert client.api_generation == expected
    assert type(client.api_generation) is type(expected)


@pytest.mark.parametrize("given", ["V2", "v1", "", " auto", "experimental/"])
def test_an_unknown_string_is_refused_when_the_client_is_built(given: str) -> None:
    with pytest.raises(ValueError, match="api_generation must be 'auto', 'v2' or 'experimental', not ") as info:
        AuthenticatedClient(base_url=UNREACHABLE, token="t", api_generation=given)
    assert repr(given) in str(info.value)
    with pytest.raises(ValueError, match="api_generation must be"):
        Client(base_url=UNREACHABLE, api_generation=given)


@pytest.mark.parametrize("given", [None, 2, b"v2", ["v2"]])
def test_a_value_that_is_not_a_string_is_refused(given: Any) -> None:
    with pytest.raises(TypeError, match="api_generation must be 'auto', 'v2' or 'experimental', not "):
        AuthenticatedClient(base_url=UNREACHABLE, token="t", api_generation=given)


def test_from_env_passes_it_through(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODER_URL", UNREACHABLE)
    monkeypatch.setenv("CODER_SESSION_TOKEN", "t")
    assert AuthenticatedClient.from_env(api_generation="experimental").api_generation is ApiGeneration.EXPERIMENTAL
    assert Client.from_env(api_generation="v2").api_generation is ApiGeneration.V2
    with pytest.raises(ValueError, match="api_generation"):
        AuthenticatedClient.from_env(api_generation="v9")


def test_derived_clients_keep_the_setting() -> None:
    client = AuthenticatedClient(base_url=UNREACHABLE, token="t", api_generation="experimental")
    derived = [
        client.with_headers({"X-A": "1"}),
        client.with_cookies({"c": "1"}),
        client.with_timeout(httpx.Timeout(3.0)),
    ]
    assert [d.api_generation for d in derived] == [ApiGeneration.EXPERIMENTAL] * 3


def test_a_forced_generation_is_answered_without_a_request() -> None:
    # Nothing listens on UNREACHABLE: a probe would raise APIConnectionError.
    for forced in ApiGeneration:
        client = AuthenticatedClient(base_url=UNREACHABLE, token="t", api_generation=forced.value, max_retries=0)
        assert detect_api(client) is forced
        assert asyncio.run(adetect_api(client)) is forced
        assert client._client is None and client._async_client is None  # no connection pool was even built


def test_the_setting_shows_in_repr_and_equality() -> None:
    a = AuthenticatedClient(base_url=UNREACHABLE, token="t", api_generation="v2")
    assert "api_generation=<ApiGeneration.V2: 'v2'>" in repr(a)
    assert a == AuthenticatedClient(base_url=UNREACHABLE, token="t", api_generation="v2")
    assert a != AuthenticatedClient(base_url=UNREACHABLE, token="t")
