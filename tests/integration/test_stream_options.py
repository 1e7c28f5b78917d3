"""The stream options and the twins: one settings object for every factory, the watch's frame limit,
a directly constructed stream, a Ctrl-C during a sync reconnect or one that misses the socket wait, sync
turns on the client's own connection pool, and typed keywords that a type checker holds a caller to.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.api.chats import get_chat
from coder_chat.client.models import ChatStreamEvent
from coder_chat.streaming import (
    AsyncChatStream,
    ChatStream,
    StreamDisconnectedError,
    StreamFrameTooLargeError,
    aask,
    ask,
    astart_turn,
    astream_chat,
    awatch_chats,
    start_turn,
    stream_chat,
    watch_chats,
)
from coder_chat.streaming._connection.loopcore import DEFAULTS, StreamSettings
from coder_chat.streaming._connection.protocol import ChatStreamProtocol
from coder_chat.streaming._connection.wsconn import WAKE_EVERY
from tests.fakecoder import FakeCoder, Script
from tests.support.stream_view import collect
from tests.support.ws_script import RawConnection, WSScriptServer

# The fake here serves the experimental API: naming it spares the generation probe, which these tests
# do not count among the requests they check.
EXPERIMENTAL_API = "experimental"

pytestmark = pytest.mark.timeout(60)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake() -> Iterator[FakeCoder]:
    with FakeCoder(script=Script(text_deltas=4)) as server:
        yield server


def test_every_factory_reads_its_defaults_from_the_one_settings_object() -> None:
    expected = {
        "reconnect": DEFAULTS.reconnect,
        "max_reconnect_attempts": DEFAULTS.max_reconnect_attempts,
        "backoff_initial": DEFAULTS.backoff_initial,
        "backoff_max": DEFAULTS.backoff_max,
        "idle_timeout": DEFAULTS.idle_timeout,
        "max_frame_bytes": DEFAULTS.max_frame_bytes,
        "sleep": None,
        "random": None,
    }
    assert expected == {
        "reconnect": True,
        "max_reconnect_attempts": 10,
        "backoff_initial": 1.0,
        "backoff_max": 10.0,
        "idle_timeout": 45.0,
        "max_frame_bytes": 4 * 1024 * 1024,
        "sleep": None,
        "random": None,
    }
    for factory in (stream_chat, astream_chat, watch_chats, awatch_chats, ask, aask, start_turn, astart_turn):
        parameters = inspect.signature(factory).parameters
        assert {name: parameters[name].default for name in expected} == expected, factory.__name__
        assert not any(p.kind is p.VAR_KEYWORD for p in parameters.values()), factory.__name__


# --- a directly constructed stream behaves as its twin --------------------------------------------------


def test_a_directly_constructed_chat_stream_connects_at_its_first_event_like_its_async_twin(fake: FakeCoder) -> None:
    fake.script = Script(auto_run=False)  # the chat stays as created: every stream sees the same snapshot
    chat_id = UUID(fake.create_chat("direct"))
    client = AuthenticatedClient(api_generation=EXPERIMENTAL_API, base_url=fake.url, token=fake.admin_token)

    def first_types(events: list[ChatStreamEvent]) -> list[str]:
        return [str(event.type_) for event in events]

    sync_stream = ChatStream(client, ChatStreamProtocol(chat_id), StreamSettings())
    try:
        sync_events = [next(sync_stream), next(sync_stream)]
    finally:
        sync_stream.close()
    with ChatStream(client, ChatStreamProtocol(chat_id), StreamSettings()) as in_context:
        context_events = [next(in_context), next(in_context)]

    async def read_async() -> list[ChatStreamEvent]:
        async with AuthenticatedClient(
            api_generation=EXPERIMENTAL_API, base_url=fake.url, token=fake.admin_token
        ) as async_client:
            stream = AsyncChatStream(async_client, ChatStreamProtocol(chat_id), StreamSettings())
            try:
                return [await anext(stream), await anext(stream)]
            finally:
                await stream.aclose()

    async_events = asyncio.run(read_async())
    assert first_types(sync_events) == first_types(context_events) == first_types(async_events)
    assert first_types(sync_events) == ["status", "message"]
    assert sync_events == async_events
    assert sync_stream.closed and in_context.closed


def test_a_ctrl_c_during_a_reconnect_leaves_the_stream_reconnecting(fake: FakeCoder) -> None:
    """A sync stream reconnects in the thread that iterates it. A ``KeyboardInterrupt`` there, caught
    (a REPL's Ctrl-C), does not end the stream: the next ``next()`` goes on reconnecting, and what the
    chat persisted meanwhile comes through, once."""
    fake.script = Script(text_deltas=4, auto_run=False)
    chat_id = fake.create_chat("interrupted")
    interrupted: list[float] = []

    def sleep(seconds: float) -> None:  # the backoff wait, where a Ctrl-C most likely lands
        if not interrupted:
            interrupted.append(seconds)
            raise KeyboardInterrupt

    client = AuthenticatedClient(api_generation=EXPERIMENTAL_API, base_url=fake.url, token=fake.admin_token)
    with client, stream_chat(client, chat_id, sleep=sleep) as stream:
        assert [str(next(stream).type_), str(next(stream).type_)] == ["status", "message"]  # the snapshot
        fake.drop_streams()
        with pytest.raises(KeyboardInterrupt):
            next(stream)
        fake.start_turn(chat_id)
        fake.wait_idle(chat_id)  # the turn runs while the stream is down: the reconnect's snapshot has it
        # The sync's status comes after its messages (docs/protocol.md, "Exactly-once delivery").
        view = collect(stream, until=lambda event: str(event.type_) == "status")
        assert not stream.closed and stream.reconnects == 1 and len(interrupted) == 1
    assert view.statuses == ["waiting"]
    assert [message["role"] for message in view.messages] == ["assistant", "tool"]  # the prompt's not again


def test_a_ctrl_c_while_a_drop_is_being_decided_leaves_the_policy_in_charge(fake: FakeCoder) -> None:
    """A ``KeyboardInterrupt`` before the policy answered a drop (here, in the drop's log record) leaves
    nothing half done: the next ``next()`` meets the drop again, and ``reconnect=False`` still raises."""
    fake.script = Script(auto_run=False)  # the chat stays as created: nothing follows the snapshot
    chat_id = fake.create_chat("interrupted")

    class CtrlCOnce(logging.Handler):
        fired = False

        def emit(self, record: logging.LogRecord) -> None:
            if "connection dropped" in record.getMessage() and not self.fired:
                self.fired = True
                raise KeyboardInterrupt

    handler = CtrlCOnce()
    streaming_logger = logging.getLogger("coder_chat.streaming")
    streaming_logger.addHandler(handler)
    streaming_logger.setLevel(logging.INFO)
    client = AuthenticatedClient(api_generation=EXPERIMENTAL_API, base_url=fake.url, token=fake.admin_token)
    try:
        with client, stream_chat(client, chat_id, reconnect=False) as stream:
            assert [str(next(stream).type_), str(next(stream).type_)] == ["status", "message"]  # the snapshot
            fake.drop_streams()
            with pytest.raises(KeyboardInterrupt):
                next(stream)
            with pytest.raises(StreamDisconnectedError):
                next(stream)
            assert stream.closed and stream.reconnects == 0
    finally:
        streaming_logger.removeHandler(handler)
        streaming_logger.setLevel(logging.NOTSET)


def test_a_ctrl_c_as_next_claims_the_reading_leaves_the_stream_readable(fake: FakeCoder) -> None:
    """``next()`` claims the reading under the loop's lock. A Ctrl-C raised as that lock is released (a
    call, where Python checks for signals) gives the claim back: the next ``next()`` reads on, and says
    nothing of another thread iterating. A real SIGINT cannot be timed to that instant, so the lock
    raises it."""
    fake.script = Script(text_deltas=2, auto_run=False)
    chat_id = fake.create_chat("interrupted")
    client = AuthenticatedClient(api_generation=EXPERIMENTAL_API, base_url=fake.url, token=fake.admin_token)
    with client, stream_chat(client, chat_id) as stream:
        assert [str(next(stream).type_), str(next(stream).type_)] == ["status", "message"]  # the snapshot

        class CtrlCOnClaim:
            """The loop's lock, raising ``KeyboardInterrupt`` once, as it is released with the reading claimed."""

            def __init__(self) -> None:
                self.lock, self.fired = threading.Lock(), False

            def __enter__(self) -> None:
                self.lock.acquire()

            def __exit__(self, *exc_info: object) -> None:
                self.lock.release()
                if stream._reading and not self.fired:
                    self.fired = True
                    raise KeyboardInterrupt

        stream._lock = CtrlCOnClaim()  # type: ignore[assignment]
        with pytest.raises(KeyboardInterrupt):
            next(stream)
        assert stream._lock.fired  # type: ignore[attr-defined]
        fake.start_turn(chat_id)
        view = collect(stream, until=lambda event: getattr(event.message, "role", None) == "tool")
        assert not stream.closed and stream.reconnects == 0
    assert view.statuses == ["running"]
    assert [message["role"] for message in view.messages] == ["assistant", "tool"]
    assert view.text == fake.script.reply_text("interrupted")  # each delta once


@pytest.mark.serial  # it measures how soon the KeyboardInterrupt comes
def test_a_ctrl_c_that_misses_the_socket_wait_is_raised_within_a_moment(fake: FakeCoder) -> None:
    """Python raises a Ctrl-C's ``KeyboardInterrupt`` when the main thread next runs Python code. A SIGINT
    that reaches the process just before the reading thread enters the socket's wait, or that the kernel
    hands to another thread, interrupts no wait: the read slept on until the next frame, a ping 15 s
    later or the idle timeout (the rare hang of ``coder-chat tail`` after Ctrl-C on CI). Here the SIGINT
    goes to another thread while the stream waits on a silent chat: that state, made certain. A read
    wakes up every ``WAKE_EVERY`` seconds, so the interrupt comes within a moment."""
    assert threading.current_thread() is threading.main_thread()  # where Python raises KeyboardInterrupt
    fake.script = Script(auto_run=False)  # the chat stays as created: nothing follows the snapshot
    chat_id = fake.create_chat("silent")
    signalled: list[float] = []

    def ctrl_c() -> None:  # the timer's thread takes the signal: the main thread's socket wait goes on
        signalled.append(time.monotonic())
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # Python's own, whoever runs the test
    client = AuthenticatedClient(api_generation=EXPERIMENTAL_API, base_url=fake.url, token=fake.admin_token)
    try:
        with client, stream_chat(client, chat_id, idle_timeout=8) as stream:
            assert [str(next(stream).type_), str(next(stream).type_)] == ["status", "message"]  # the snapshot
            timer = threading.Timer(0.3, ctrl_c)
            timer.start()
            with pytest.raises(KeyboardInterrupt):
                next(stream)
            interrupted = time.monotonic()
            timer.join()
    finally:
        signal.signal(signal.SIGINT, previous)
    assert interrupted - signalled[0] < WAKE_EVERY + 1.5  # the idle timeout, 8 s, before the wake-ups


@pytest.mark.serial  # it measures how soon the KeyboardInterrupt comes
def test_a_ctrl_c_that_misses_the_backoff_wait_is_raised_within_a_moment(fake: FakeCoder) -> None:
    """The same for the wait between reconnection attempts (up to ``backoff_max`` and its jitter, 13 s by
    default): it wakes up every ``WAKE_EVERY`` seconds too. The Ctrl-C, caught, leaves the stream
    reconnecting (``test_a_ctrl_c_during_a_reconnect_leaves_the_stream_reconnecting``)."""
    assert threading.current_thread() is threading.main_thread()  # where Python raises KeyboardInterrupt
    fake.script = Script(auto_run=False)
    chat_id = fake.create_chat("dropped")
    signalled: list[float] = []

    def ctrl_c() -> None:  # the timer's thread takes the signal: the main thread's wait goes on
        signalled.append(time.monotonic())
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    client = AuthenticatedClient(api_generation=EXPERIMENTAL_API, base_url=fake.url, token=fake.admin_token)
    try:
        with client, stream_chat(client, chat_id, backoff_initial=8, random=lambda: 0.5) as stream:  # 8 s, no jitter
            assert [str(next(stream).type_), str(next(stream).type_)] == ["status", "message"]  # the snapshot
            fake.drop_streams()
            timer = threading.Timer(0.3, ctrl_c)
            timer.start()
            with pytest.raises(KeyboardInterrupt):
                next(stream)  # meets the drop, then waits 8 s before reconnecting
            interrupted = time.monotonic()
            timer.join()
            assert not stream.closed and stream.reconnects == 0
    finally:
        signal.signal(signal.SIGINT, previous)
    assert interrupted - signalled[0] < WAKE_EVERY + 1.5  # the whole backoff, 8 s, before the wake-ups


def test_a_frame_that_comes_in_pieces_across_the_reads_wake_ups_is_read_whole() -> None:
    """A read waits on the socket ``WAKE_EVERY`` seconds at a time: a frame whose header, length and
    payload come with longer pauses between them is still read whole, once (websocket-client keeps
    what it read of a frame), and the pauses end no connection (the idle timeout counts the whole wait)."""
    chat_id = "5a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b"
    user = {"id": 1, "chat_id": chat_id, "created_at": "2026-03-01T12:00:00Z", "role": "user"}
    events = [
        {"type": "status", "chat_id": chat_id, "status": {"status": "running"}},
        {"type": "message", "chat_id": chat_id, "message": {**user, "content": [{"type": "text", "text": "x" * 80}]}},
    ]
    payload = json.dumps({"type": "data", "data": events}).encode()
    assert 125 < len(payload) < 1 << 16  # a 16-bit extended length: three reads of the socket per frame
    frame = bytes([0x81, 126]) + len(payload).to_bytes(2, "big") + payload
    pause = WAKE_EVERY * 1.6

    def handler(conn: RawConnection) -> None:
        conn.accept()
        for piece in (frame[:1], frame[1:3], frame[3:40], frame[40:]):  # within the header, the length, the payload
            time.sleep(pause)
            conn.sock.sendall(piece)
        conn.drain(timeout=5)

    with WSScriptServer(handler) as server:
        client = AuthenticatedClient(api_generation=EXPERIMENTAL_API, base_url=server.url, token="t0ken-for-pieces")
        with client, stream_chat(client, chat_id, reconnect=False, idle_timeout=4 * pause + 2) as stream:
            view = collect(stream, until=lambda event: str(event.type_) == "message")
            assert stream.reconnects == 0 and not stream.closed
        assert len(server.connections) == 1
    assert [event["type"] for event in view.events] == ["status", "message"]
    assert view.statuses == ["running"] and view.messages[0]["content"] == [{"type": "text", "text": "x" * 80}]


# --- the watch's frame limit -----------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_the_watch_takes_max_frame_bytes(fake: FakeCoder, flavour: str) -> None:
    client = AuthenticatedClient(api_generation=EXPERIMENTAL_API, base_url=fake.url, token=fake.admin_token)
    if flavour == "sync":
        with watch_chats(client, max_frame_bytes=300) as watch, pytest.raises(StreamFrameTooLargeError) as raised:
            fake.create_chat("a chat whose watch event is longer than 300 bytes")
            next(watch)
    else:

        async def main() -> None:
            async_client = AuthenticatedClient(
                api_generation=EXPERIMENTAL_API, base_url=fake.url, token=fake.admin_token
            )
            async with async_client, awatch_chats(async_client, max_frame_bytes=300) as watch:
                fake.create_chat("a chat whose watch event is longer than 300 bytes")
                await anext(watch)

        with pytest.raises(StreamFrameTooLargeError) as raised:
            asyncio.run(main())
    assert raised.value.limit == 300
    client.close()


# --- sync turns use the client's pool --------------------------------------------------------------------


def test_a_sync_turn_with_a_timeout_reuses_the_clients_connection_pool(fake: FakeCoder) -> None:
    chat_id = fake.create_chat("first")
    fake.wait_idle(chat_id)
    seen: list[tuple[str, int, dict[str, Any]]] = []

    def record(response: httpx.Response) -> None:
        sock = response.extensions["network_stream"].get_extra_info("socket")
        seen.append((response.request.method, sock.getsockname()[1], dict(response.request.extensions["timeout"])))

    with AuthenticatedClient(api_generation=EXPERIMENTAL_API, base_url=fake.url, token=fake.admin_token) as client:
        client.get_httpx_client().event_hooks["response"].append(record)
        result = ask(client, "second", chat_id=chat_id, timeout=20)
        assert result.text == fake.script.reply_text("second")
        turn_calls = list(seen)
        get_chat.sync(chat_id, client=client)  # after the turn: the client's own timeouts again
    # get_chat, the prompt's POST, get_chat for the result: each on the one connection of the client's pool,
    # each with its timeouts cut to what was left of the turn's 20 s.
    assert [method for method, _, _ in turn_calls] == ["GET", "POST", "GET"]
    assert len({port for _, port, _ in seen}) == 1
    for _, _, timeouts in turn_calls:
        assert set(timeouts) == {"connect", "read", "write", "pool"}
        assert all(0 < value <= 20 for value in timeouts.values())
    assert seen[-1][2] == {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0}


# --- typed keywords ---------------------------------------------------------------------------------------

MISUSE = textwrap.dedent(
    """\
    from coder_chat.client import AuthenticatedClient
    from coder_chat.streaming import aask, ask, astart_turn, start_turn, stream_chat, watch_chats

    client = AuthenticatedClient(base_url="http://127.0.0.1:1", token="t0ken-for-typing")
    ask(client, "hi", idle_timout=5.0)
    start_turn(client, "hi", reconect=False)
    async def main() -> None: await aask(client, "hi", max_frame_byte=10)
    astart_turn(client, "hi", backoff_maximum=1.0)
    stream_chat(client, "id", idle_timeout="5")
    watch_chats(client, max_frame_bytes=1.5)
    ask(client, "hi", sleep=1)
    """
)


def test_a_misspelt_or_mistyped_stream_option_fails_the_type_checker(tmp_path: Path) -> None:
    script = tmp_path / "misuse.py"
    script.write_text(MISUSE)
    env = {**os.environ, "MYPYPATH": os.pathsep.join(p for p in sys.path if p.endswith(("streaming", "generated")))}
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", os.devnull, str(script)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=240,
    )
    errors = [line.split(": error: ", 1)[1] for line in checked.stdout.splitlines() if ": error: " in line]
    lines = [int(line.split(":")[1]) for line in checked.stdout.splitlines() if ": error: " in line]
    assert lines == [5, 6, 7, 8, 9, 10, 11], checked.stdout
    assert errors[:4] == [
        'Unexpected keyword argument "idle_timout" for "ask"; did you mean "idle_timeout"?  [call-arg]',
        'Unexpected keyword argument "reconect" for "start_turn"; did you mean "reconnect"?  [call-arg]',
        'Unexpected keyword argument "max_frame_byte" for "aask"; did you mean "max_frame_bytes"?  [call-arg]',
        'Unexpected keyword argument "backoff_maximum" for "astart_turn"; did you mean "backoff_max"?  [call-arg]',
    ]
    assert all("[arg-type]" in error for error in errors[4:]), errors
