"""Visible reconnects: every drop (with its cause), every failed attempt and every reconnection of a
chat stream or a watch, sync or async, is an INFO record of the ``coder_chat.streaming`` logger,
with no credential in it; and a turn that times out says what was happening and chains the stream's
last error.

Real sockets only: a scripted websocket server (``tests/support/ws_script.py``) for exact close codes
and refusals, the fake Coder (``tests/fakecoder``) and its fault knobs for the watch and the turns.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.errors import APITimeoutError, ServerError
from coder_chat.streaming import TurnResult, TurnTimeoutError, aask, ask, stream_chat, watch_chats
from tests.fakecoder import FakeCoder, Script
from tests.support.async_bridge import BlockingAsyncStream, blocking_awatch_chats
from tests.support.ws_script import RawConnection, WSScriptServer

# Scripted servers are no Coder: clients name the generation, so no generation probe reaches them.
SCRIPTED = "experimental"

pytestmark = pytest.mark.timeout(30)

LOGGER = "coder_chat.streaming"
TOKEN = "abcdefghij-0123456789abcdefghijkl"
CHAT_ID = "5a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b"


def no_sleep(_seconds: float) -> None:
    """Reconnect at once (the delays are still computed, and logged)."""


def no_jitter() -> float:
    """The jitter source's middle: every delay is exactly the backoff schedule's (1 s, 2 s, 4 s ...)."""
    return 0.5


def stream_records(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == LOGGER]


def status_event(value: str) -> dict[str, Any]:
    return {"type": "status", "chat_id": CHAT_ID, "status": {"status": value}}


@pytest.mark.usefixtures("flavour")
def test_a_chat_stream_logs_each_drop_its_cause_each_failed_attempt_and_the_reconnection(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: none may show the token

    def handler(conn: RawConnection) -> None:
        number = len(server.connections)
        if number == 1:  # a server that echoes the token back, in a close reason ...
            conn.accept()
            conn.send_events(status_event("running"))
            conn.send_close(1012, f"restarting {TOKEN}")
            conn.drain(timeout=2)
        elif number == 2:  # ... and in the body of a refused handshake
            conn.refuse(503, {"message": f"busy, token {TOKEN}"})
        else:
            conn.accept()
            conn.send_events(status_event("waiting"))
            conn.drain(timeout=5)

    with WSScriptServer(handler) as server:
        client = AuthenticatedClient(api_generation=SCRIPTED, base_url=server.url, token=TOKEN)
        with stream_chat(client, CHAT_ID, sleep=no_sleep, random=no_jitter) as stream:
            statuses = [str(next(stream).status.status) for _ in range(2)]  # type: ignore[union-attr]
            loop = stream.stream if isinstance(stream, BlockingAsyncStream) else stream
            kind = type(loop).__name__
    assert statuses == ["running", "waiting"]
    label = f"<{kind} chat_id={CHAT_ID} open reconnects="
    assert stream_records(caplog) == [
        (logging.INFO, f"{label}0>: connection dropped: server closed the stream: 1012 restarting [REDACTED]"),
        (logging.INFO, f"{label}0>: reconnecting in 1.0 s (attempt 1 of 10)"),
        (logging.INFO, f"{label}0>: reconnection failed: 503 Service Unavailable: busy, token [REDACTED]"),
        (logging.INFO, f"{label}0>: reconnecting in 2.0 s (attempt 2 of 10)"),
        (logging.INFO, f"{label}1>: reconnected (reconnection 1)"),
    ]
    assert all(TOKEN not in record.getMessage() for record in caplog.records)
    assert TOKEN not in caplog.text


def test_a_stream_that_gives_up_logs_why(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)

    def handler(conn: RawConnection) -> None:
        conn.accept()
        conn.send_events(status_event("running"))
        conn.send_close(1011, "internal error")
        conn.drain(timeout=2)

    with WSScriptServer(handler) as server:
        client = AuthenticatedClient(api_generation=SCRIPTED, base_url=server.url, token=TOKEN)
        with stream_chat(client, CHAT_ID, reconnect=False) as stream:
            next(stream)
            with pytest.raises(Exception, match="chat stream disconnected"):
                next(stream)
    label = f"<ChatStream chat_id={CHAT_ID} closed reconnects=0>"
    assert stream_records(caplog) == [
        (
            logging.INFO,
            f"<ChatStream chat_id={CHAT_ID} open reconnects=0>: connection dropped: "
            "server closed the stream: 1011 internal error",
        ),
        (
            logging.INFO,
            f"{label.replace('closed', 'open')}: not reconnecting: "
            "chat stream disconnected: server closed the stream: 1011 internal error",
        ),
    ]


# --- the watch -------------------------------------------------------------------------------------------


@pytest.fixture
def quiet_fake() -> Iterator[FakeCoder]:
    """A fake without protocol pings: a silenced socket sends nothing at all."""
    with FakeCoder(script=Script(auto_run=False), ping_interval=None) as fake:
        yield fake


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_watch_logs_its_drop_a_failed_resync_and_the_reconnection(
    quiet_fake: FakeCoder, flavour: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    chat_id = quiet_fake.create_chat("watched")
    open_watch: Callable[..., Any] = watch_chats if flavour == "sync" else blocking_awatch_chats
    client = AuthenticatedClient(
        api_generation=SCRIPTED, base_url=quiet_fake.url, token=quiet_fake.admin_token, max_retries=0
    )
    with client, open_watch(client, idle_timeout=0.5, sleep=no_sleep, random=no_jitter) as watch:
        assert quiet_fake.silence_watches() == 1
        quiet_fake.set_title(chat_id, "renamed while silent")  # only the resync can report it
        quiet_fake.fail_next_requests(1, 503)  # the first resync listing fails
        event = next(watch)
    assert (str(event.kind), event.chat.title) == ("title_change", "renamed while silent")
    label = f"<{'ChatWatch' if flavour == 'sync' else 'AsyncChatWatch'} open reconnects="
    assert stream_records(caplog) == [
        (logging.INFO, f"{label}0>: connection dropped: no frame and no ping within the idle timeout"),
        (logging.INFO, f"{label}0>: reconnecting in 1.0 s (attempt 1 of 10)"),
        (logging.INFO, f"{label}0>: resynchronisation failed: 503 Service Unavailable: Injected 503 error."),
        (logging.INFO, f"{label}0>: reconnecting in 2.0 s (attempt 2 of 10)"),
        (logging.INFO, f"{label}1>: reconnected (reconnection 1)"),
    ]


# --- a turn on a server that went dead -------------------------------------------------------------------


def run_aask(client: AuthenticatedClient, prompt: str, **kwargs: Any) -> TurnResult:
    async def main() -> TurnResult:
        async with AuthenticatedClient(
            api_generation=SCRIPTED, base_url=client.base_url, token=client.token
        ) as async_client:
            return await aask(async_client, prompt, **kwargs)

    return asyncio.run(main())


@pytest.mark.serial
@pytest.mark.parametrize("ask_fn", [ask, run_aask], ids=["sync", "async"])
def test_a_turn_timing_out_while_the_stream_reconnects_says_so_and_chains_the_streams_error(
    quiet_fake: FakeCoder, ask_fn: Callable[..., TurnResult]
) -> None:
    chat_id = quiet_fake.create_chat("first")
    quiet_fake.set_chat_status(chat_id, "waiting")

    def go_dead() -> None:  # mid-turn: the open stream falls silent, and every reconnection is refused
        quiet_fake.refuse_next_streams(10_000, 503)
        quiet_fake.silence_streams()

    timer = threading.Timer(0.6, go_dead)
    timer.start()
    started = time.monotonic()
    try:
        with (
            AuthenticatedClient(
                api_generation=SCRIPTED, base_url=quiet_fake.url, token=quiet_fake.admin_token
            ) as client,
            pytest.raises(TurnTimeoutError) as raised,
        ):
            ask_fn(
                client,
                "anyone there?",
                chat_id=chat_id,
                timeout=2.5,
                idle_timeout=0.4,
                backoff_initial=0.05,
                backoff_max=0.1,
                max_reconnect_attempts=10_000,
            )
    finally:
        timer.cancel()
    elapsed = time.monotonic() - started
    assert 2.5 <= elapsed < 3.5
    error = raised.value
    assert str(error) == (
        "the turn did not end within 2.5 s while the chat stream was reconnecting after: "
        "503 Service Unavailable: Injected 503 error."
    )
    assert isinstance(error, APITimeoutError)
    assert isinstance(error.__cause__, ServerError) and error.__cause__.status_code == 503
    assert isinstance(error.result, TurnResult) and error.result.chat_id == uuid.UUID(chat_id)
