"""Retries: what is re-sent, what never is, and how long the client waits (real loopback HTTP)."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from coder_chat.client import AuthenticatedClient, errors, models
from coder_chat.client.api.chats import create_chat_message, delete_chat, edit_chat_message, list_chats
from tests.support.scripted_http import RecordedRequest, Reply, ScriptedServer

TOKEN = "abcdefghij-0123456789abcdefghijkl"
MESSAGE = models.CreateChatMessageRequest(
    content=[models.ChatInputPart(type_=models.ChatInputPartType.TEXT, text="run the tests")]
)


_made: list[AuthenticatedClient] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    """Close every client ``_client`` made during the test: a kept-alive socket left to the garbage
    collector is a ``ResourceWarning``, which the suite turns into an error."""
    yield
    while _made:
        _made.pop().close()


def _client(url: str, **kwargs: object) -> AuthenticatedClient:
    client = AuthenticatedClient(base_url=url, token=TOKEN, retry_backoff=0.01, **kwargs)  # type: ignore[arg-type]
    _made.append(client)
    return client


def _failing_then(statuses: list[int], final: Reply) -> object:
    replies = iter(statuses)

    def handler(request: RecordedRequest) -> Reply:
        status = next(replies, None)
        return final if status is None else Reply(status, {"message": f"status {status}"})

    return handler


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_get_is_retried_on_retryable_statuses(status: int) -> None:
    with ScriptedServer(_failing_then([status, status], Reply(200, []))) as server:  # type: ignore[arg-type]
        assert list_chats.sync(client=_client(server.url)) == []
    assert len(server.requests) == 3
    assert all(r.headers["coder-session-token"] == TOKEN for r in server.requests)


def test_retries_run_out_after_max_retries() -> None:
    with ScriptedServer(Reply(503, {"message": "busy"})) as server, pytest.raises(errors.ServerError) as caught:
        list_chats.sync(client=_client(server.url))
    assert len(server.requests) == 3  # the first attempt and DEFAULT_MAX_RETRIES == 2 retries
    assert caught.value.message == "busy"


def test_max_retries_on_the_client_and_per_call() -> None:
    with ScriptedServer(Reply(503, {"message": "busy"})) as server:
        with pytest.raises(errors.ServerError):
            list_chats.sync(client=_client(server.url, max_retries=0))
        assert len(server.requests) == 1
        with pytest.raises(errors.ServerError):
            list_chats.sync(client=_client(server.url, max_retries=0), max_retries=4)
        assert len(server.requests) == 1 + 5
        with pytest.raises(errors.ServerError):
            list_chats.sync(client=_client(server.url), max_retries=0)
        assert len(server.requests) == 1 + 5 + 1


def test_delete_is_retried_like_get() -> None:
    with ScriptedServer(_failing_then([502], Reply(204))) as server:  # type: ignore[arg-type]
        # Raises ServerError unless the 502 is retried; returns None for the 204 (its type says so: mypy checks it).
        delete_chat.sync(uuid.uuid4(), client=_client(server.url))
    assert [r.method for r in server.requests] == ["DELETE", "DELETE"]


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_post_and_patch_are_never_resent_after_an_answer(status: int) -> None:
    with ScriptedServer(Reply(status, {"message": "nope"})) as server:
        client = _client(server.url)
        with pytest.raises(errors.APIError):
            create_chat_message.sync(uuid.uuid4(), client=client, body=MESSAGE)
        with pytest.raises(errors.APIError):
            edit_chat_message.sync(
                uuid.uuid4(), 7, client=client, body=models.EditChatMessageRequest(content=MESSAGE.content)
            )
    assert [r.method for r in server.requests] == ["POST", "PATCH"]


class _DropAfterRequest:
    """A loopback server that reads each request and closes the connection without answering."""

    def __init__(self) -> None:
        self.requests = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                # Read the whole body too, so that closing sends a clean FIN and not a reset
                # (a reset with unread data would race the client's read into a ReadError).
                head, _, body = data.partition(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":", 1)[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                while len(body) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    body += chunk
                self.requests += 1

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._listener.close()


def test_connection_dropped_mid_request_get_retried_post_not() -> None:
    server = _DropAfterRequest()
    try:
        with pytest.raises(errors.APIConnectionError):
            list_chats.sync(client=_client(server.url))
        assert server.requests == 3
        with pytest.raises(errors.APIConnectionError) as caught:
            create_chat_message.sync(uuid.uuid4(), client=_client(server.url), body=MESSAGE)
        assert server.requests == 4  # the POST reached the server once and was not re-sent
        assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)
    finally:
        server.close()


def test_post_is_retried_when_the_connection_was_refused() -> None:
    """A refused connection proves the request never left; a real socket cannot refuse then accept on cue."""
    attempts: list[str] = []

    def network(request: httpx.Request) -> httpx.Response:
        attempts.append(request.method)
        if len(attempts) < 3:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"queued": False})

    client = _client("http://127.0.0.1:9", httpx_args={"transport": httpx.MockTransport(network)})
    answer = create_chat_message.sync(uuid.uuid4(), client=client, body=MESSAGE)
    assert answer.queued is False
    assert attempts == ["POST", "POST", "POST"]


@pytest.mark.serial
def test_retry_after_is_honoured() -> None:
    replies = iter([Reply(429, {"message": "slow down"}, {"Retry-After": "1"}), Reply(200, [])])
    with ScriptedServer(lambda request: next(replies)) as server:
        started = time.monotonic()
        assert list_chats.sync(client=_client(server.url)) == []
        waited = time.monotonic() - started
    assert len(server.requests) == 2
    assert 0.9 <= waited < 5


@pytest.mark.serial
def test_retry_after_beyond_the_cap_fails_at_once() -> None:
    with ScriptedServer(Reply(429, {"message": "You've been rate limited"}, {"Retry-After": "120"})) as server:
        started = time.monotonic()
        with pytest.raises(errors.RateLimitError) as caught:
            list_chats.sync(client=_client(server.url))
        elapsed = time.monotonic() - started
    assert len(server.requests) == 1
    assert caught.value.retry_after == 120.0
    assert elapsed < 1


def test_retry_after_http_date_beyond_the_cap() -> None:
    with (
        ScriptedServer(
            Reply(503, {"message": "maintenance"}, {"Retry-After": "Fri, 31 Dec 2100 23:59:59 GMT"})
        ) as server,
        pytest.raises(errors.ServerError),
    ):
        list_chats.sync(client=_client(server.url, max_retry_after=5))
    assert len(server.requests) == 1


def test_async_calls_retry_too() -> None:
    import asyncio

    async def run(url: str) -> list[models.Chat]:
        async with _client(url) as client:
            return await list_chats.asyncio(client=client)

    with ScriptedServer(_failing_then([503], Reply(200, []))) as server:  # type: ignore[arg-type]
        assert asyncio.run(run(server.url)) == []
    assert len(server.requests) == 2
