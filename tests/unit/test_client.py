"""The REST client's defaults, secrets, validation and transport errors, over real loopback HTTP."""

from __future__ import annotations

import logging
import socket
import threading
import uuid

import attrs
import httpx
import pytest

from coder_chat.client import AuthenticatedClient, Client, errors, models
from coder_chat.client.api.chats import create_chat_provider, get_chat, list_chats
from coder_chat.client.types import UNSET
from tests.support.scripted_http import RecordedRequest, Reply, ScriptedServer

TOKEN = "abcdefghij-0123456789abcdefghijkl"
CHAT = {
    "id": str(uuid.uuid4()),
    "owner_id": str(uuid.uuid4()),
    "last_model_config_id": str(uuid.uuid4()),
    "title": "hello",
    "status": "waiting",
    "created_at": "2026-02-26T10:00:00Z",
    "updated_at": "2026-02-26T10:00:01.5Z",
}


def test_defaults() -> None:
    client = AuthenticatedClient(base_url="http://127.0.0.1:9", token=TOKEN)
    assert client.timeout == httpx.Timeout(60.0, connect=5.0)
    assert client.follow_redirects is False
    assert client.credential_headers() == {"Coder-Session-Token": TOKEN}
    httpx_client = client.get_httpx_client()
    assert httpx_client.timeout == httpx.Timeout(60.0, connect=5.0)
    assert httpx_client.follow_redirects is False
    assert Client(base_url="http://127.0.0.1:9").timeout == httpx.Timeout(60.0, connect=5.0)


def test_token_sent_as_coder_session_token_header_without_prefix() -> None:
    with ScriptedServer(Reply(200, [])) as server, AuthenticatedClient(base_url=server.url, token=TOKEN) as client:
        assert list_chats.sync(client=client) == []
    assert server.requests[0].headers["coder-session-token"] == TOKEN
    assert "authorization" not in server.requests[0].headers


def test_prefix_and_header_name_are_configurable() -> None:
    with (
        ScriptedServer(Reply(200, [])) as server,
        AuthenticatedClient(
            base_url=server.url, token=TOKEN, auth_header_name="Authorization", prefix="Bearer"
        ) as client,
    ):
        list_chats.sync(client=client)
    assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_secrets_absent_from_repr_and_str() -> None:
    client = AuthenticatedClient(base_url="http://127.0.0.1:9", token=TOKEN, headers={"X-Custom": "hidden"})
    request = models.CreateChatProviderConfigRequest(provider="openai", api_key="sk-live-SECRET")
    update = models.UpdateChatProviderConfigRequest(api_key="sk-live-SECRET")
    for text in (repr(client), str(client), repr(request), str(request), repr(update)):
        assert TOKEN not in text
        assert "sk-live-SECRET" not in text
    assert request.to_dict()["api_key"] == "sk-live-SECRET"


def test_no_secret_in_debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    body = models.CreateChatProviderConfigRequest(provider="openai", api_key="sk-live-SECRET")
    with (
        ScriptedServer(Reply(401, {"message": "no"})) as server,
        AuthenticatedClient(base_url=server.url, token=TOKEN) as client,
        pytest.raises(errors.AuthenticationError) as caught,
    ):
        create_chat_provider.sync(client=client, body=body)
    assert server.requests[0].headers["coder-session-token"] == TOKEN
    assert caplog.records, "httpx/httpcore debug logging should have produced records"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert TOKEN not in logged and "sk-live-SECRET" not in logged
    assert TOKEN not in str(caught.value) and TOKEN not in repr(caught.value)


def _redirect_to(target: str, status: int = 302) -> Reply:
    return Reply(status, b"", {"Location": target})


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_to_another_origin_never_carries_the_token(status: int) -> None:
    with (
        ScriptedServer(Reply(200, [])) as other,
        ScriptedServer(_redirect_to(f"{other.url}/api/experimental/chats", status)) as origin,
        AuthenticatedClient(base_url=origin.url, token=TOKEN, follow_redirects=True) as client,
    ):
        assert list_chats.sync(client=client) == []
    assert origin.requests[0].headers["coder-session-token"] == TOKEN
    assert len(other.requests) == 1
    assert "coder-session-token" not in other.requests[0].headers


def test_redirects_are_not_followed_by_default() -> None:
    with (
        ScriptedServer(Reply(200, [])) as other,
        ScriptedServer(_redirect_to(f"{other.url}/x")) as origin,
        AuthenticatedClient(base_url=origin.url, token=TOKEN) as client,
        pytest.raises(errors.APIError) as caught,
    ):
        list_chats.sync(client=client)
    assert caught.value.status_code == 302
    assert other.requests == []


def test_relative_redirect_on_the_same_origin_keeps_the_token() -> None:
    def handler(request: RecordedRequest) -> Reply:
        if request.path == "/api/experimental/chats":
            return _redirect_to("/moved", 307)
        return Reply(200, [])

    with (
        ScriptedServer(handler) as server,
        AuthenticatedClient(base_url=server.url, token=TOKEN, follow_redirects=True) as client,
    ):
        assert list_chats.sync(client=client) == []
    assert [r.path for r in server.requests] == ["/api/experimental/chats", "/moved"]
    assert all(r.headers["coder-session-token"] == TOKEN for r in server.requests)


def test_unknown_enum_values_and_fields_round_trip() -> None:
    # Values and fields newer than the spec (v2's requires_action, mode, labels and file-reference are known).
    newer = {**CHAT, "status": "compacting", "goal": "orchestrate", "project": {"a": "b"}}
    with ScriptedServer(Reply(200, [newer])) as server, AuthenticatedClient(base_url=server.url, token=TOKEN) as client:
        (chat,) = list_chats.sync(client=client)
    assert chat.status == "compacting"
    assert isinstance(chat.status, str)
    assert not chat.status.is_known
    assert models.ChatStatus.WAITING.is_known
    assert chat.additional_properties == {"goal": "orchestrate", "project": {"a": "b"}}
    assert chat.to_dict()["status"] == "compacting"
    assert chat.to_dict()["goal"] == "orchestrate"
    part = models.ChatMessagePart.from_dict({"type": "goal-reference", "goal_name": "a.py", "goal_line": 3})
    assert part.to_dict() == {"type": "goal-reference", "goal_name": "a.py", "goal_line": 3}


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({k: v for k, v in CHAT.items() if k != "title"}, "chat.title", "field 'chat.title' is required but missing"),
        (
            {**CHAT, "created_at": "yesterday"},
            "chat.created_at",
            "field 'chat.created_at' must be an RFC 3339 date-time, not the string 'yesterday'",
        ),
        ({**CHAT, "id": 42}, "chat.id", "field 'chat.id' must be a UUID, not the number 42"),
        ({**CHAT, "title": 5}, "chat.title", "field 'chat.title' must be str, not int"),
        ({**CHAT, "archived": "no"}, "chat.archived", "field 'chat.archived' must be bool, not str"),
        ({**CHAT, "workspace_id": 7}, "chat.workspace_id", "field 'chat.workspace_id' must be UUID, not int"),
        ({**CHAT, "title": None}, "chat.title", "field 'chat.title' must be str, not NoneType"),
        (
            {**CHAT, "diff_status": {"additions": 1}},
            "chat.diff_status.chat_id",
            "field 'chat.diff_status.chat_id' is required but missing",
        ),
    ],
)
def test_invalid_success_body_raises_response_validation_error(body: object, field: str | None, reason: str) -> None:
    with (
        ScriptedServer(Reply(200, {"chat": body, "messages": [], "queued_messages": []})) as server,
        AuthenticatedClient(base_url=server.url, token=TOKEN) as client,
        pytest.raises(errors.ResponseValidationError) as caught,
    ):
        get_chat.sync(uuid.uuid4(), client=client)
    assert caught.value.field == field
    assert reason in str(caught.value)
    assert "get_chat" in str(caught.value)


@pytest.mark.parametrize("raw", [b"", b'{"chat": {"id"', b"<html>oops</html>", b"null", b"[]"])
def test_unparseable_success_body_raises_response_validation_error(raw: bytes) -> None:
    with (
        ScriptedServer(Reply(200, raw, {"Content-Type": "application/json"})) as server,
        AuthenticatedClient(base_url=server.url, token=TOKEN) as client,
        pytest.raises(errors.ResponseValidationError) as caught,
    ):
        get_chat.sync(uuid.uuid4(), client=client)
    assert caught.value.status_code == 200
    assert caught.value.content == raw


def test_connection_refused_is_api_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with AuthenticatedClient(base_url=f"http://127.0.0.1:{port}", token=TOKEN) as client:
        with pytest.raises(errors.APIConnectionError) as caught:
            list_chats.sync(client=client)
        assert isinstance(caught.value.__cause__, httpx.ConnectError)
        assert not isinstance(caught.value, errors.APITimeoutError)


def test_silent_server_gives_api_timeout_error() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    acceptor = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    acceptor.start()
    try:
        with AuthenticatedClient(
            base_url=f"http://127.0.0.1:{listener.getsockname()[1]}", token=TOKEN, timeout=httpx.Timeout(0.3)
        ) as client:
            with pytest.raises(errors.APITimeoutError) as caught:
                list_chats.sync(client=client)
            assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    finally:
        acceptor.join(timeout=2)
        for conn in accepted:
            conn.close()
        listener.close()


async def _async_list(url: str) -> list[models.Chat]:
    async with AuthenticatedClient(base_url=url, token=TOKEN) as client:
        return await list_chats.asyncio(client=client)


def test_async_calls_share_the_same_behaviour() -> None:
    import asyncio

    with ScriptedServer(Reply(200, [CHAT])) as server:
        (chat,) = asyncio.run(_async_list(server.url))
    assert chat.title == "hello"
    assert server.requests[0].headers["coder-session-token"] == TOKEN


def test_one_connection_is_reused() -> None:
    with ScriptedServer(Reply(200, [])) as server, AuthenticatedClient(base_url=server.url, token=TOKEN) as client:
        for _ in range(5):
            list_chats.sync(client=client)
    assert len(server.requests) == 5
    assert server.connections == 1


def test_http_to_remote_host_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="coder_chat")
    AuthenticatedClient(base_url="http://coder.internal.test", token=TOKEN)
    AuthenticatedClient(base_url="http://127.0.0.1:3000", token=TOKEN)
    AuthenticatedClient(base_url="https://coder.internal.test", token=TOKEN)
    warnings = [r for r in caplog.records if r.name == "coder_chat"]
    assert len(warnings) == 1
    assert "unencrypted" in warnings[0].getMessage()
    assert TOKEN not in warnings[0].getMessage()


def test_http_warning_is_logged_once_per_client_however_often_it_is_derived(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="coder_chat")
    client = AuthenticatedClient(base_url="http://coder.internal.test", token=TOKEN)
    derived = client.with_headers({"X-A": "1"}).with_timeout(httpx.Timeout(3.0)).with_cookies({"c": "1"})
    derived = attrs.evolve(derived.with_headers({"X-B": "2"}), max_retries=0)
    assert derived.headers == {"X-A": "1", "X-B": "2"}
    assert [r.name for r in caplog.records] == ["coder_chat"]
    # A new client is a new client: it warns again.
    AuthenticatedClient(base_url="http://coder.internal.test", token=TOKEN).with_headers({"X-A": "1"})
    assert len(caplog.records) == 2


@pytest.mark.parametrize("value", [True, 2**63, -(2**63) - 1])
def test_rest_integer_field_refuses_booleans_and_numbers_outside_int64(value: object) -> None:
    message = {"id": value, "chat_id": CHAT["id"], "created_at": "2026-02-26T10:00:00Z", "role": "user"}
    body = {"chat": CHAT, "messages": [message], "queued_messages": []}
    with (
        ScriptedServer(Reply(200, body)) as server,
        AuthenticatedClient(base_url=server.url, token=TOKEN) as client,
        pytest.raises(errors.ResponseValidationError) as caught,
    ):
        get_chat.sync(uuid.uuid4(), client=client)
    assert caught.value.field == "messages[0].id"
    assert "field 'messages[0].id'" in str(caught.value)


def test_unset_is_falsy_and_shared() -> None:
    assert not UNSET
    assert models.ChatInputPart(type_=models.ChatInputPartType.TEXT).to_dict() == {"type": "text"}


def test_password_in_base_url_stays_out_of_repr_and_warning(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="coder_chat")
    client = AuthenticatedClient(base_url="http://bob:hunter2@coder.internal.test:8080/", token=TOKEN)
    assert "hunter2" not in repr(client)
    assert "coder.internal.test:8080" in repr(client)
    assert "hunter2" not in caplog.text
    assert "coder.internal.test:8080" in caplog.text


def test_ca_bundle_path_is_accepted_without_deprecation_warning() -> None:
    import warnings
    from pathlib import Path

    ca = Path(__file__).parents[1] / "support" / "tls" / "ca.pem"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client = AuthenticatedClient(base_url="https://127.0.0.1:9", token=TOKEN, verify_ssl=str(ca))
        client.get_httpx_client()
    assert client.verify_ssl == str(ca)
