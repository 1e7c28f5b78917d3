"""Bounded waits: every public call has a finite default timeout, and a server that accepts the
connection and then never answers gives ``APITimeoutError`` within the timeout plus one second.

Proved over real loopback sockets for REST (connect over TLS, read, write, pool), the websocket
handshake (plain, TLS that never completes, TLS then silence, and reconnections that time out) and a
stream that goes silent in the middle of a turn (``StreamTimeoutError``, which is both a
``StreamDisconnectedError`` and an ``APITimeoutError``).
"""

from __future__ import annotations

import asyncio
import inspect
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.api.chats import create_chat_message, list_chats
from coder_chat.client.client import DEFAULT_TIMEOUT
from coder_chat.client.errors import APIConnectionError, APITimeoutError
from coder_chat.client.models import ChatInputPart, ChatInputPartType, CreateChatMessageRequest
from coder_chat.streaming import (
    StreamDisconnectedError,
    StreamError,
    StreamTimeoutError,
    stream_chat,
)
from tests.fakecoder import FakeCoder, Script
from tests.support.dual_http import SilentServer
from tests.support.stream_view import TLS_DIR, collect, status_is
from tests.support.ws_script import RawConnection, WSScriptServer

# Scripted servers are no Coder: clients name the generation, so no generation probe reaches them.
SCRIPTED = "experimental"

pytestmark = [pytest.mark.timeout(60), pytest.mark.serial]

TOKEN = "abcdefghij-0123456789abcdefghijkl"
CHAT_ID = "5a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b"
CA = ssl.create_default_context(cafile=TLS_DIR / "ca.pem")
TIMEOUT = 0.5  # the timeout under test; each wait must end within TIMEOUT + SLACK
SLACK = 1.0
PROMPT = "go quiet halfway"


def no_sleep(_seconds: float) -> None:
    """Backoff without waiting."""


def timed(call: Callable[[], object], expected: type[BaseException]) -> tuple[BaseException, float]:
    """Run ``call``, which must raise ``expected``; return the exception and the seconds it took."""
    started = time.monotonic()
    with pytest.raises(expected) as raised:
        call()
    return raised.value, time.monotonic() - started


def client_for(url: str, timeout: httpx.Timeout | float = TIMEOUT, **kwargs: Any) -> AuthenticatedClient:
    return AuthenticatedClient(
        api_generation=SCRIPTED, base_url=url, token=TOKEN, timeout=timeout, verify_ssl=CA, **kwargs
    )


@pytest.fixture
def silent() -> Iterator[Callable[..., SilentServer]]:
    servers: list[SilentServer] = []

    def start(**kwargs: Any) -> SilentServer:
        server = SilentServer(**kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


# --- defaults ---------------------------------------------------------------------------------------


def test_every_default_timeout_is_finite() -> None:
    expected = httpx.Timeout(connect=5.0, read=60.0, write=60.0, pool=60.0)
    assert expected == DEFAULT_TIMEOUT
    client = AuthenticatedClient(api_generation=SCRIPTED, base_url="http://127.0.0.1:9", token=TOKEN)
    assert client.timeout == expected
    assert client.get_httpx_client().timeout == expected
    assert client.get_async_httpx_client().timeout == expected
    client.close()
    asyncio.run(client.aclose())
    # The stream: its handshake uses the client's connect timeout (5 s); a read waits idle_timeout at most.
    defaults = {name: p.default for name, p in inspect.signature(stream_chat).parameters.items()}
    assert defaults["idle_timeout"] == 45.0
    assert defaults["max_reconnect_attempts"] == 10
    assert defaults["backoff_max"] == 10.0


# --- REST ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_rest_read_timeout_when_the_server_never_answers(silent: Callable[..., SilentServer], method: str) -> None:
    server = silent()
    client = client_for(server.url())
    body = CreateChatMessageRequest(content=[ChatInputPart(type_=ChatInputPartType.TEXT, text="hi")])
    call: Callable[[], object] = {
        "GET": lambda: list_chats.sync(client=client),
        "POST": lambda: create_chat_message.sync(uuid.UUID(CHAT_ID), client=client, body=body),
    }[method]
    error, elapsed = timed(call, APITimeoutError)
    assert isinstance(error.__cause__, httpx.ReadTimeout)
    assert elapsed < TIMEOUT + SLACK
    assert server.accepted == 1  # a read timeout is not retried: the server may be working on it


def test_rest_async_read_timeout(silent: Callable[..., SilentServer]) -> None:
    server = silent()

    async def call() -> None:
        async with client_for(server.url()) as client:
            await list_chats.asyncio(client=client)

    error, elapsed = timed(lambda: asyncio.run(call()), APITimeoutError)
    assert isinstance(error.__cause__, httpx.ReadTimeout)
    assert elapsed < TIMEOUT + SLACK


def test_rest_read_timeout_after_a_tls_handshake(silent: Callable[..., SilentServer]) -> None:
    server = silent(tls="handshake")
    error, elapsed = timed(lambda: list_chats.sync(client=client_for(server.url("https"))), APITimeoutError)
    assert isinstance(error.__cause__, httpx.ReadTimeout)
    assert elapsed < TIMEOUT + SLACK


def test_rest_tls_handshake_never_answered_single_attempt(silent: Callable[..., SilentServer]) -> None:
    server = silent()  # plain TCP: the client's ClientHello is read and never answered
    client = client_for(server.url("https"), max_retries=0)
    error, elapsed = timed(lambda: list_chats.sync(client=client), APITimeoutError)
    assert isinstance(error.__cause__, httpx.ConnectTimeout)
    assert elapsed < TIMEOUT + SLACK


def test_rest_tls_handshake_never_answered_is_retried_as_a_connect_timeout(
    silent: Callable[..., SilentServer],
) -> None:
    """A TLS handshake that never completes is a connect timeout: the request never left, so it is retried
    like a refused connection (the documented choice), and the wait stays bounded by the attempts."""
    server = silent()
    client = client_for(server.url("https"), retry_backoff=0.1)
    error, elapsed = timed(lambda: list_chats.sync(client=client), APITimeoutError)
    assert isinstance(error.__cause__, httpx.ConnectTimeout)
    assert server.accepted == 3  # the first attempt and DEFAULT_MAX_RETRIES == 2 retries
    # three connect timeouts, plus backoff of at most 0.1 s + 0.2 s
    assert elapsed < 3 * TIMEOUT + 0.3 + SLACK


def test_rest_write_timeout_when_the_server_never_reads(silent: Callable[..., SilentServer]) -> None:
    server = silent(read=False)
    client = client_for(server.url())
    # Far more than the loopback socket buffers hold, so the upload blocks once they are full.
    big = CreateChatMessageRequest(content=[ChatInputPart(type_=ChatInputPartType.TEXT, text="x" * (64 << 20))])
    error, elapsed = timed(
        lambda: create_chat_message.sync(uuid.UUID(CHAT_ID), client=client, body=big), APITimeoutError
    )
    assert isinstance(error.__cause__, httpx.WriteTimeout)
    assert elapsed < TIMEOUT + SLACK + 1.0  # plus the time to fill the buffers with 64 MiB
    assert server.accepted == 1


def test_rest_pool_timeout_when_the_only_connection_is_busy(silent: Callable[..., SilentServer]) -> None:
    server = silent()
    client = client_for(
        server.url(),
        timeout=httpx.Timeout(TIMEOUT + SLACK + 0.5, pool=TIMEOUT),  # the holder outlasts the pool wait
        httpx_args={"limits": httpx.Limits(max_connections=1)},
    )
    first: list[BaseException] = []

    def hold_the_connection() -> None:
        try:
            list_chats.sync(client=client)
        except APITimeoutError as exc:
            first.append(exc)

    holder = threading.Thread(target=hold_the_connection, daemon=True)
    holder.start()
    deadline = time.monotonic() + 5
    while not (server.received and b"\r\n\r\n" in server.received[0]):  # the request is out: the pool is full
        assert time.monotonic() < deadline
        time.sleep(0.01)
    error, elapsed = timed(lambda: list_chats.sync(client=client), APITimeoutError)
    assert isinstance(error.__cause__, httpx.PoolTimeout)
    assert elapsed < TIMEOUT + SLACK
    holder.join(timeout=10)
    assert not holder.is_alive()
    assert [type(e.__cause__) for e in first] == [httpx.ReadTimeout]
    assert server.accepted == 1


# --- the websocket handshake -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "tls", "sync_cause"),
    [
        ("http", None, "WebSocketTimeoutException"),  # the upgrade request is read, never answered
        ("https", None, "TimeoutError"),  # the ClientHello is read, never answered
        ("https", "handshake", "WebSocketTimeoutException"),  # TLS completes, then silence
    ],
    ids=["ws", "wss-no-server-hello", "wss-silent-after-tls"],
)
def test_stream_handshake_times_out(
    silent: Callable[..., SilentServer], scheme: str, tls: str | None, sync_cause: str, flavour: str
) -> None:
    server = silent(tls=tls)
    client = client_for(server.url(scheme), timeout=httpx.Timeout(30.0, connect=TIMEOUT))
    error, elapsed = timed(lambda: stream_chat(client, CHAT_ID), APITimeoutError)
    assert type(error) is APITimeoutError
    assert str(error) == f"stream handshake timed out (connect timeout {TIMEOUT} s)"
    # The library's own timeout is the cause: websocket-client's, or the asyncio one websockets raises.
    assert type(error.__cause__).__name__ == (sync_cause if flavour == "sync" else "TimeoutError")
    assert elapsed < TIMEOUT + SLACK
    assert server.accepted == 1


@pytest.mark.usefixtures("flavour")
def test_reconnections_that_time_out_end_in_stream_timeout_error() -> None:
    def handler(conn: RawConnection) -> None:
        if len(server.connections) == 1:  # the first connection works, then drops
            conn.accept()
            conn.send_events({"type": "status", "chat_id": CHAT_ID, "status": {"status": "waiting"}})
            conn.abort()
        else:  # every reconnection: the upgrade request is read and never answered
            conn.read_frame(timeout=5)

    with WSScriptServer(handler) as server:
        client = client_for(server.url, timeout=httpx.Timeout(30.0, connect=TIMEOUT))
        stream = stream_chat(client, CHAT_ID, max_reconnect_attempts=2, sleep=no_sleep)
        assert collect(stream, until=lambda e: True).statuses == ["waiting"]
        error, elapsed = timed(lambda: next(stream), StreamTimeoutError)
        assert isinstance(error, APITimeoutError) and isinstance(error, StreamDisconnectedError)
        assert type(error.__cause__) is APITimeoutError
        assert str(error) == (
            "chat stream disconnected: gave up after 2 consecutive failed reconnection attempts "
            "(max_reconnect_attempts=2); last error: stream handshake timed out (connect timeout 0.5 s)"
        )
        assert elapsed < 2 * TIMEOUT + SLACK
        assert stream.closed and len(server.connections) == 3


# --- a stream that goes silent mid-turn ---------------------------------------------------------------


@pytest.fixture
def quiet_fake() -> Iterator[FakeCoder]:
    # No protocol pings, so a silenced connection sends nothing at all. 150 deltas 20 ms apart: the
    # turn runs for about 3 s, long after the silence (at the 5th delta) has been detected.
    with FakeCoder(script=Script(auto_run=False, text_deltas=150, delay=0.02), ping_interval=None) as fake:
        yield fake


IDLE = "no frame and no ping within the idle timeout"


@pytest.mark.usefixtures("flavour")
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reconnect": False}, f"chat stream disconnected: {IDLE}"),
        (
            {"max_reconnect_attempts": 0},
            "chat stream disconnected: gave up after 0 consecutive failed reconnection attempts "
            f"(max_reconnect_attempts=0); last error: {IDLE}",
        ),
    ],
    ids=["reconnect-false", "no-attempts-left"],
)
def test_a_stream_silent_mid_turn_raises_stream_timeout_error(
    quiet_fake: FakeCoder, kwargs: dict[str, Any], message: str
) -> None:
    chat_id = quiet_fake.create_chat(PROMPT)
    client = AuthenticatedClient(api_generation=SCRIPTED, base_url=quiet_fake.url, token=quiet_fake.admin_token)
    stream = stream_chat(client, chat_id, idle_timeout=TIMEOUT, sleep=no_sleep, **kwargs)
    turn_started_at = time.monotonic()  # before any of the turn's frames, so before the last frame
    quiet_fake.start_turn(chat_id)
    view = collect(stream, until=lambda e: str(e.type_) == "message_part")
    for _ in range(4):
        view.add(next(stream))
    assert view.statuses == ["pending", "running"] and len(view.parts("text")) == 5
    silenced_at = time.monotonic()
    assert quiet_fake.silence_streams() == 1

    def drain() -> None:
        for event in stream:  # what was already on the wire comes through, then nothing
            view.add(event)

    error, _ = timed(drain, StreamTimeoutError)
    elapsed = time.monotonic() - silenced_at
    assert isinstance(error, APITimeoutError)
    assert isinstance(error, APIConnectionError) and isinstance(error, StreamDisconnectedError)
    assert isinstance(error, StreamError)
    assert str(error) == message
    # The idle timeout counts from the last frame, which came after the turn started and at the latest
    # as the silence began (frames already on the wire are read after silenced_at).
    assert time.monotonic() - turn_started_at >= TIMEOUT
    assert elapsed < TIMEOUT + SLACK
    assert stream.closed and stream.reconnects == 0
    assert 5 <= len(view.parts("text")) < 150
    assert list(stream) == []


@pytest.mark.usefixtures("flavour")
def test_a_stream_silent_mid_turn_reconnects_and_loses_nothing(quiet_fake: FakeCoder) -> None:
    chat_id = quiet_fake.create_chat(PROMPT)
    client = AuthenticatedClient(api_generation=SCRIPTED, base_url=quiet_fake.url, token=quiet_fake.admin_token)
    with stream_chat(client, chat_id, idle_timeout=TIMEOUT, sleep=no_sleep) as stream:
        quiet_fake.start_turn(chat_id)
        view = collect(stream, until=lambda e: str(e.type_) == "message_part")
        for _ in range(4):
            view.add(next(stream))
        silenced_at = time.monotonic()
        assert quiet_fake.silence_streams() == 1
        before = len(view.events)
        gap_ended: list[float] = []
        for event in stream:
            view.add(event)
            if stream.reconnects == 1 and not gap_ended:
                gap_ended.append(time.monotonic())
            if status_is("waiting")(event):
                break
        assert stream.reconnects == 1
    assert len(view.events) > before
    assert gap_ended[0] - silenced_at < TIMEOUT + SLACK  # the silent connection was given up in time
    assert view.statuses == ["pending", "running", "waiting"]
    assert len(view.parts("text")) == 150
    assert view.text == quiet_fake.script.reply_text(PROMPT)
    assert [m["role"] for m in view.messages] == ["user", "assistant", "tool"]
