"""``stream_chat`` against the fake Coder server: turns, after_id, refusals, faults, idle, close()."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.errors import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from coder_chat.client.models import ChatStreamEvent
from coder_chat.streaming import (
    AsyncChatStream,
    ChatStream,
    StreamDisconnectedError,
    StreamError,
    StreamFrameTooLargeError,
    StreamServerError,
    stream_chat,
)
from tests.fakecoder import FakeCoder, Script
from tests.support.async_bridge import BlockingAsyncStream
from tests.support.generations import api_generation_of
from tests.support.stream_view import call_later, collect, status_is

# Every test runs against stream_chat and against astream_chat (through the blocking bridge).
pytestmark = [pytest.mark.timeout(30), pytest.mark.usefixtures("flavour")]

PROMPT = "list the files"


def no_sleep(_seconds: float) -> None:
    """Backoff without waiting: reconnection tests need not sleep."""


def end_of_snapshot(event: ChatStreamEvent) -> bool:
    """The last event of a new chat's snapshot (status pending, then the user's message)."""
    return getattr(event.message, "role", None) == "user"


@pytest.fixture
def fake() -> Iterator[FakeCoder]:
    with FakeCoder(script=Script(auto_run=False, text_deltas=12)) as server:
        yield server


def client_for(fake: FakeCoder, token: str | None = None) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=fake.url, token=fake.admin_token if token is None else token, api_generation=api_generation_of(fake)
    )


def test_a_full_turn(fake: FakeCoder, flavour: str) -> None:
    chat_id = fake.create_chat(PROMPT)
    with stream_chat(client_for(fake), chat_id) as stream:
        underlying = stream.stream if isinstance(stream, BlockingAsyncStream) else stream
        assert isinstance(underlying, ChatStream if flavour == "sync" else AsyncChatStream)
        assert stream.chat_id == uuid.UUID(chat_id)
        fake.start_turn(chat_id)
        view = collect(stream, until=status_is("waiting"))
    assert view.statuses == ["pending", "running", "waiting"]
    assert view.text == fake.script.reply_text(PROMPT)
    assert len(view.parts("text")) == 12
    assert [p["text"] for p in view.parts("reasoning")] == [f"Thinking about: {PROMPT}"]
    assert [m["role"] for m in view.messages] == ["user", "assistant", "tool"]
    assert stream.last_message_id == view.message_ids[-1]
    assert stream.reconnects == 0
    assert stream.closed
    assert list(stream) == []  # a closed stream iterates no more


@pytest.mark.parametrize("frame_format", ["bare", "object"])
def test_newer_frame_formats(fake: FakeCoder, frame_format: str) -> None:
    fake.set_frame_format(frame_format)  # type: ignore[arg-type]
    chat_id = fake.create_chat(PROMPT)
    with stream_chat(client_for(fake), chat_id) as stream:
        fake.start_turn(chat_id)
        view = collect(stream, until=status_is("waiting"))
    assert view.statuses == ["pending", "running", "waiting"]
    assert view.text == fake.script.reply_text(PROMPT)


def _finished_chat(fake: FakeCoder) -> tuple[str, list[int]]:
    """A chat with one finished turn, and its persisted message ids."""
    chat_id = fake.create_chat(PROMPT)
    fake.start_turn(chat_id)
    fake.wait_idle(chat_id)
    with stream_chat(client_for(fake), chat_id) as stream:
        view = collect(stream, until=lambda e: str(e.type_) == "message" and getattr(e.message, "role", "") == "tool")
    # The server ends its side of that connection a moment later: wait, so tests count only their own.
    deadline = time.monotonic() + 5
    while fake.stream_count(chat_id) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert fake.stream_count(chat_id) == 0
    return chat_id, view.message_ids


@pytest.mark.parametrize("seed_server", [False, True], ids=["honours-after_id", "ignores-after_id"])
def test_after_id_skips_known_messages(fake: FakeCoder, seed_server: bool) -> None:
    chat_id, ids = _finished_chat(fake)
    assert len(ids) == 3
    fake.set_ignore_after_id(seed_server)
    with stream_chat(client_for(fake), chat_id, after_id=ids[0]) as stream:
        assert stream.last_message_id == ids[0]
        view = collect(stream, until=lambda e: getattr(e.message, "id", None) == ids[2])
        assert view.statuses == ["waiting"]
        assert view.message_ids == ids[1:]
        assert stream.last_message_id == ids[2]


@pytest.mark.parametrize(
    ("token", "chat", "error"),
    [
        ("abcdefghij-abcdefghijabcdefghij12", "own", AuthenticationError),
        ("malformed", "own", AuthenticationError),  # (an empty token is refused when the client is built)
        (None, "random", NotFoundError),
        (None, "member", NotFoundError),
    ],
)
def test_refused_handshakes_raise_rest_errors(
    fake: FakeCoder, token: str | None, chat: str, error: type[Exception]
) -> None:
    own = fake.create_chat(PROMPT)
    chat_id = {"own": own, "random": str(uuid.uuid4()), "member": fake.create_chat("x", owner="member")}[chat]
    with pytest.raises(error) as raised:
        stream_chat(client_for(fake, token), chat_id)
    if error is AuthenticationError:
        assert raised.value.status_code == 401  # type: ignore[attr-defined]
        assert "signed out" in str(raised.value)
    else:
        assert str(raised.value) == "404 Not Found: Resource not found or you do not have access to this resource"


def test_forbidden_and_server_errors_on_the_first_handshake(fake: FakeCoder) -> None:
    chat_id = fake.create_chat(PROMPT)
    fake.refuse_next_streams(1, 403, body={"message": "Forbidden.", "detail": "agents experiment is off"})
    with pytest.raises(PermissionDeniedError) as raised:
        stream_chat(client_for(fake), chat_id)
    assert (raised.value.message, raised.value.detail) == ("Forbidden.", "agents experiment is off")
    # The first connection is not retried: a 5xx or 429 raises at once too.
    fake.refuse_next_streams(1, 503)
    with pytest.raises(ServerError):
        stream_chat(client_for(fake), chat_id, sleep=no_sleep)
    fake.refuse_next_streams(1, 429, retry_after=7)
    with pytest.raises(RateLimitError) as limited:
        stream_chat(client_for(fake), chat_id, sleep=no_sleep)
    assert limited.value.retry_after == 7


def test_error_envelope_raises_stream_server_error(fake: FakeCoder) -> None:
    chat_id = fake.create_chat(PROMPT)
    fake.error_next_streams("Failed to subscribe.", "pubsub is down")
    stream = stream_chat(client_for(fake), chat_id, sleep=no_sleep)
    with pytest.raises(StreamServerError) as raised:
        next(stream)
    assert (raised.value.message, raised.value.detail) == ("Failed to subscribe.", "pubsub is down")
    assert stream.closed and stream.reconnects == 0
    assert list(stream) == []


def test_a_dropped_connection_reconnects_with_after_id(fake: FakeCoder) -> None:
    chat_id, ids = _finished_chat(fake)
    with stream_chat(client_for(fake), chat_id, sleep=no_sleep) as stream:
        view = collect(stream, until=lambda e: getattr(e.message, "id", None) == ids[2])
        assert fake.drop_streams() == 1
        fake.set_ignore_after_id(True)  # the reconnect's snapshot repeats everything: nothing is yielded twice
        call_later(0.3, lambda: fake.set_chat_status(chat_id, "paused"))
        collect(stream, until=status_is("paused"), view=view)
        assert stream.reconnects == 1
    assert view.statuses == ["waiting", "paused"]
    assert view.message_ids == ids


def test_reconnect_after_refusals_counts_attempts(fake: FakeCoder) -> None:
    chat_id = fake.create_chat(PROMPT)
    delays: list[float] = []
    with stream_chat(
        client_for(fake), chat_id, sleep=delays.append, random=lambda: 0.5, backoff_initial=0.5, backoff_max=1.5
    ) as stream:
        collect(stream, until=end_of_snapshot)
        fake.refuse_next_streams(3, 503)
        fake.drop_streams()
        call_later(0.3, lambda: fake.set_chat_status(chat_id, "paused"))
        collect(stream, until=status_is("paused"))
        assert stream.reconnects == 1
    assert delays == [0.5, 1.0, 1.5, 1.5]  # three refusals, then the connection that worked


def test_reconnect_gives_up_after_max_attempts(fake: FakeCoder) -> None:
    chat_id = fake.create_chat(PROMPT)
    stream = stream_chat(client_for(fake), chat_id, max_reconnect_attempts=3, sleep=no_sleep)
    collect(stream, until=end_of_snapshot)
    fake.refuse_next_streams(3, 502)
    fake.drop_streams()
    with pytest.raises(StreamDisconnectedError) as raised:
        next(stream)
    assert isinstance(raised.value.__cause__, ServerError)
    assert raised.value.__cause__.status_code == 502
    assert "gave up after 3 consecutive failed reconnection attempts" in str(raised.value)
    assert stream.closed
    # Exactly three attempts were made: the next handshake finds no refusal left.
    stream_chat(client_for(fake), chat_id).close()


def test_a_refusal_other_than_5xx_or_429_while_reconnecting_raises(fake: FakeCoder) -> None:
    chat_id = fake.create_chat(PROMPT)
    with stream_chat(client_for(fake), chat_id, sleep=no_sleep) as stream:
        collect(stream, until=end_of_snapshot)
        fake.refuse_next_streams(1, 401, body={"message": "You are signed out."})
        fake.drop_streams()
        with pytest.raises(AuthenticationError):
            next(stream)
        assert stream.closed


def test_connections_cut_before_any_frame_count_as_failed_attempts(fake: FakeCoder) -> None:
    chat_id = fake.create_chat(PROMPT)
    stream = stream_chat(client_for(fake), chat_id, max_reconnect_attempts=4, sleep=no_sleep)
    collect(stream, until=end_of_snapshot)
    fake.drop_next_streams(0, count=4)  # accepted, then cut at once, four times
    fake.drop_streams()
    with pytest.raises(StreamDisconnectedError):
        next(stream)
    assert stream.reconnects == 4  # each handshake worked, none delivered a frame


def test_reconnect_false_raises_on_the_first_drop(fake: FakeCoder) -> None:
    chat_id = fake.create_chat(PROMPT)
    stream = stream_chat(client_for(fake), chat_id, reconnect=False)
    collect(stream, until=end_of_snapshot)
    fake.drop_streams()
    with pytest.raises(StreamDisconnectedError) as raised:
        next(stream)
    assert raised.value.__cause__ is not None
    assert stream.closed and stream.reconnects == 0


@pytest.mark.serial
def test_idle_timeout_reconnects_a_silent_stream() -> None:
    with FakeCoder(script=Script(auto_run=False), ping_interval=None) as fake:
        chat_id = fake.create_chat(PROMPT)
        started = time.monotonic()  # before the stream exists, so before the last frame the timeout counts from
        with stream_chat(client_for(fake), chat_id, idle_timeout=0.3, sleep=no_sleep) as stream:
            collect(stream, until=end_of_snapshot)
            assert fake.silence_streams() == 1
            fake.set_chat_status(chat_id, "paused")  # published, but the silent connection never sends it
            view = collect(stream, until=status_is("paused"))
            elapsed = time.monotonic() - started
            assert stream.reconnects == 1
        assert view.statuses == ["paused"]  # the reconnect's snapshot delivered it
        assert 0.3 <= elapsed < 2.0


@pytest.mark.serial
def test_idle_timeout_without_reconnect_raises() -> None:
    with FakeCoder(script=Script(auto_run=False), ping_interval=None) as fake:
        chat_id = fake.create_chat(PROMPT)
        # Before the stream exists, so before its last frame, which the idle timeout counts from (the
        # async variant's bridge may read the snapshot as soon as the stream is built).
        started = time.monotonic()
        stream = stream_chat(client_for(fake), chat_id, idle_timeout=0.3, reconnect=False)
        collect(stream, until=end_of_snapshot)
        fake.silence_streams()
        with pytest.raises(StreamDisconnectedError, match="idle timeout"):
            next(stream)
        assert 0.3 <= time.monotonic() - started < 2.0


@pytest.mark.serial
def test_protocol_pings_are_answered_and_nothing_else_is_sent() -> None:
    # The fake pings every 50 ms and drops a client that does not pong within 200 ms; any data
    # frame from the client would make it close with 1002. A second of quiet must change nothing.
    with FakeCoder(script=Script(auto_run=False), ping_interval=0.05, ping_timeout=0.2) as fake:
        chat_id = fake.create_chat(PROMPT)
        with stream_chat(client_for(fake), chat_id, reconnect=False, idle_timeout=5) as stream:
            collect(stream, until=end_of_snapshot)
            call_later(1.0, lambda: fake.set_chat_status(chat_id, "paused"))
            collect(stream, until=status_is("paused"))
            assert stream.reconnects == 0
            assert fake.stream_count(chat_id) == 1


@pytest.mark.serial
def test_close_from_another_thread_ends_a_blocked_iteration(fake: FakeCoder) -> None:
    chat_id = fake.create_chat(PROMPT)
    stream = stream_chat(client_for(fake), chat_id)
    collect(stream, until=end_of_snapshot)
    ended = threading.Event()
    outcome: list[object] = []

    def consume() -> None:
        try:
            outcome.extend(stream)  # blocks: the chat is idle
        except BaseException as exc:  # pragma: no cover - reported below
            outcome.append(exc)
        ended.set()

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    stream.close()
    assert ended.wait(1.0), "iteration did not end within 1 s of close()"
    assert time.monotonic() - started < 1.0
    assert outcome == []
    stream.close()  # idempotent
    deadline = time.monotonic() + 2
    while fake.stream_count(chat_id) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert fake.stream_count(chat_id) == 0


@pytest.mark.serial
def test_close_during_a_backoff_wait(fake: FakeCoder) -> None:
    chat_id = fake.create_chat(PROMPT)
    stream = stream_chat(client_for(fake), chat_id, backoff_initial=30, backoff_max=30)
    collect(stream, until=end_of_snapshot)
    fake.drop_streams()
    timer = call_later(0.3, stream.close)
    started = time.monotonic()
    assert list(stream) == []  # the drop leads to a 30 s wait, which close() cuts short
    assert time.monotonic() - started < 1.3
    timer.join()


def test_frames_over_max_frame_bytes_are_refused_and_fatal(fake: FakeCoder) -> None:
    chat_id = fake.create_chat(PROMPT)
    stream = stream_chat(client_for(fake), chat_id, max_frame_bytes=64 * 1024, sleep=no_sleep)
    collect(stream, until=end_of_snapshot)
    big = {
        "type": "message_part",
        "message_part": {"role": "assistant", "part": {"type": "text", "text": "x" * 100_000}},
    }
    fake.publish_event(chat_id, big)
    with pytest.raises(StreamFrameTooLargeError, match=r"exceeds max_frame_bytes=65536") as raised:
        next(stream)
    assert isinstance(raised.value, StreamError)
    assert raised.value.limit == 65536
    assert raised.value.size is not None and 100_000 < raised.value.size < 100_400  # the text and its envelope
    assert stream.closed and stream.reconnects == 0


def test_sub_agent_statuses_come_through(fake: FakeCoder) -> None:
    chat_id = fake.create_chat(PROMPT)
    with stream_chat(client_for(fake), chat_id) as stream:
        collect(stream, until=end_of_snapshot)
        child = fake.create_child_chat(chat_id, status="running")
        fake.set_chat_status(child, "running")  # a repeat: not yielded again
        fake.set_chat_status(child, "completed")
        view = collect(stream, until=status_is("completed"))
    assert [(e["chat_id"], e["status"]["status"]) for e in view.events] == [(child, "running"), (child, "completed")]
