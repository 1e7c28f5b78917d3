"""Each upstream error body, served over real HTTP, raises the right exception with its message and detail."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from coder_chat.client import AuthenticatedClient, errors
from coder_chat.client.api.chats import get_chat
from tests.conformance.placeholders import FIXTURES, load
from tests.support.scripted_http import Reply, ScriptedServer

EXPECTED_CLASS = {
    400: errors.BadRequestError,
    401: errors.AuthenticationError,
    404: errors.NotFoundError,
    409: errors.ConflictError,
    429: errors.RateLimitError,
}
ERROR_FIXTURES = sorted(path.name for path in (FIXTURES / "errors").glob("*.json"))


def test_error_fixtures_are_all_here() -> None:
    assert len(ERROR_FIXTURES) == 19


@pytest.mark.parametrize("name", ERROR_FIXTURES)
def test_error_fixture_raises_its_class(name: str) -> None:
    fixture = load(str(Path("errors") / name))
    status, body = fixture["status"], fixture["body"]
    with ScriptedServer(Reply(status, body)) as server, AuthenticatedClient(base_url=server.url, token="t") as client:
        with pytest.raises(errors.APIError) as caught:
            get_chat.sync(uuid.uuid4(), client=client)
        detailed = get_chat.sync_detailed(uuid.uuid4(), client=client)
    error = caught.value
    assert type(error) is EXPECTED_CLASS[status]
    assert error.status_code == status
    assert error.message == body["message"]
    assert error.detail == body.get("detail")
    assert error.validations == []
    assert str(error).startswith(f"{status} ")
    assert body["message"] in str(error)
    # The detailed call returns the same answer without raising, and does not parse the error body.
    assert detailed.status_code == status
    assert detailed.parsed is None
    assert detailed.content == error.content


def test_str_reads_like_the_design() -> None:
    with (
        ScriptedServer(Reply(404, load("errors/resource-not-found.404.json")["body"])) as server,
        AuthenticatedClient(base_url=server.url, token="t") as client,
        pytest.raises(errors.NotFoundError) as caught,
    ):
        get_chat.sync(uuid.uuid4(), client=client)
    assert str(caught.value) == "404 Not Found: Resource not found or you do not have access to this resource"


def test_validations_are_parsed() -> None:
    body = {
        "message": "Validation failed.",
        "validations": [{"field": "content", "detail": 'Validation failed for tag "required" with value: ""'}],
    }
    with (
        ScriptedServer(Reply(400, body)) as server,
        AuthenticatedClient(base_url=server.url, token="t") as client,
        pytest.raises(errors.BadRequestError) as caught,
    ):
        get_chat.sync(uuid.uuid4(), client=client)
    assert caught.value.validations == [
        errors.ValidationDetail("content", 'Validation failed for tag "required" with value: ""')
    ]
    assert "content: Validation failed" in str(caught.value)


@pytest.mark.parametrize(
    ("status", "cls"),
    [(403, errors.PermissionDeniedError), (500, errors.ServerError), (503, errors.ServerError), (418, errors.APIError)],
)
def test_other_statuses_map_to_their_class(status: int, cls: type[errors.APIError]) -> None:
    with (
        ScriptedServer(Reply(status, {"message": "nope"})) as server,
        AuthenticatedClient(base_url=server.url, token="t") as client,
        pytest.raises(errors.APIError) as caught,
    ):
        get_chat.sync(uuid.uuid4(), client=client)
    assert type(caught.value) is cls
    assert caught.value.message == "nope"


def test_non_json_error_body_gives_api_error_with_raw_text() -> None:
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    with (
        ScriptedServer(Reply(502, page, {"Content-Type": "text/html"})) as server,
        AuthenticatedClient(base_url=server.url, token="t") as client,
        pytest.raises(errors.ServerError) as caught,
    ):
        get_chat.sync(uuid.uuid4(), client=client)
    assert caught.value.message == page
    assert caught.value.detail is None
    assert caught.value.headers["content-type"] == "text/html"


def test_status_520_does_not_crash() -> None:
    with (
        ScriptedServer(Reply(520, "origin error")) as server,
        AuthenticatedClient(base_url=server.url, token="t") as client,
    ):
        detailed = get_chat.sync_detailed(uuid.uuid4(), client=client)
        with pytest.raises(errors.ServerError) as caught:
            get_chat.sync(uuid.uuid4(), client=client)
    assert detailed.status_code == 520
    assert detailed.parsed is None
    assert str(caught.value) == "520 Unknown Status: origin error"


def test_rate_limit_retry_after_seconds_and_date() -> None:
    body = load("errors/post-message-queue-full.429.json")["body"]
    with (
        ScriptedServer(Reply(429, body, {"Retry-After": "7"})) as server,
        AuthenticatedClient(base_url=server.url, token="t") as client,
        pytest.raises(errors.RateLimitError) as caught,
    ):
        get_chat.sync(uuid.uuid4(), client=client)
    assert caught.value.retry_after == 7.0
    assert caught.value.detail == "Maximum 20 messages can be queued."
    assert errors.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert errors.parse_retry_after("soon") is None
    assert errors.parse_retry_after(None) is None
