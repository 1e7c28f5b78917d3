"""``watch_chats`` and ``awatch_chats`` against the fake Coder: every kind, both frame formats, whose
chats, list-then-watch across drops, refusals, close and cancellation.

Each test runs against the sync watch and against the async one (through the blocking bridge of
``tests/support/async_bridge.py``), except the ones only asyncio code can do.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.api.v2 import create_chat as v2_create_chat
from coder_chat.client.errors import AuthenticationError, ServerError
from coder_chat.client.models import (
    ChatInputPart,
    ChatInputPartType,
    ChatWatchEvent,
    ChatWatchEventKind,
    CreateChatRequest,
    DynamicTool,
)
from coder_chat.client.types import Unset
from coder_chat.streaming import AsyncChatWatch, ChatWatch, StreamServerError, awatch_chats, watch_chats
from tests.fakecoder import DynamicCall, FakeCoder, Script
from tests.support.async_bridge import blocking_awatch_chats
from tests.support.generations import GENERATIONS, api_generation_of

pytestmark = pytest.mark.timeout(30)


def no_sleep(_seconds: float) -> None:
    """Reconnect at once."""


@pytest.fixture
def fake() -> Iterator[FakeCoder]:
    with FakeCoder(script=Script(auto_run=False, text_deltas=3)) as server:
        yield server


@pytest.fixture(params=GENERATIONS)
def any_fake(request: pytest.FixtureRequest) -> Iterator[FakeCoder]:
    """The fake on each generation the task layer runs on (experimental, current Coder)."""
    with FakeCoder(script=Script(auto_run=False, text_deltas=3), generation=request.param) as server:
        yield server


def new_status(fake: FakeCoder) -> str:
    """A new chat's status: pending on the experimental API, running on v2 (API-v2.md §2.1)."""
    return "running" if fake.generation.v2 else "pending"


@pytest.fixture(params=["sync", "async"])
def open_watch(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """``watch_chats``, or ``awatch_chats`` behind the blocking bridge."""
    return watch_chats if request.param == "sync" else blocking_awatch_chats


_OPEN: list[AuthenticatedClient] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    """Close every client a test made (the watch's resync uses its REST pool), as ``with client:`` would."""
    yield
    while _OPEN:
        _OPEN.pop().close()


def client_for(fake: FakeCoder, owner: str = "admin") -> AuthenticatedClient:
    token = fake.admin_token if owner == "admin" else fake.member_token
    client = AuthenticatedClient(base_url=fake.url, token=token, api_generation=api_generation_of(fake))
    _OPEN.append(client)
    return client


def take(watch: Any, count: int, timeout: float = 10.0) -> list[tuple[str, str, str]]:
    """The next ``count`` events as ``(kind, chat id, status)``."""
    out: list[tuple[str, str, str]] = []
    deadline = time.monotonic() + timeout
    for event in watch:
        assert isinstance(event, ChatWatchEvent)
        out.append((str(event.kind), str(event.chat.id), str(event.chat.status)))
        if len(out) == count:
            return out
        assert time.monotonic() < deadline, out
    raise AssertionError(f"the watch ended after {out}")


@pytest.mark.parametrize("frame_format", ["envelope", "bare"])
def test_every_kind_in_both_frame_formats(fake: FakeCoder, open_watch: Callable[..., Any], frame_format: str) -> None:
    fake.set_watch_frame_format(frame_format)  # type: ignore[arg-type]
    existing = fake.create_chat("already there")
    with open_watch(client_for(fake)) as watch:  # the baseline listing knows `existing`: no event for it
        created = fake.create_chat("new")
        assert take(watch, 1) == [("created", created, "pending")]
        fake.set_title(created, "A new title")
        fake.set_diff_status(created, branch="main", remote_origin="https://github.com/o/r", additions=3)
        fake.set_chat_status(existing, "running")
        fake.delete_chat(existing)
        events = take(watch, 4)
    assert events == [
        ("title_change", created, "pending"),
        ("diff_status_change", created, "pending"),
        ("status_change", existing, "running"),
        ("deleted", existing, "running"),
    ]
    assert watch.closed


def test_only_the_callers_own_chats(fake: FakeCoder, open_watch: Callable[..., Any]) -> None:
    with open_watch(client_for(fake, "member")) as member_watch, open_watch(client_for(fake)) as admin_watch:
        admin_chat = fake.create_chat("admin's", owner="admin")
        member_chat = fake.create_chat("member's", owner="member")
        assert take(member_watch, 1) == [("created", member_chat, "pending")]
        assert take(admin_watch, 1) == [("created", admin_chat, "pending")]


def test_changes_made_while_disconnected_are_reported_after_the_reconnect(
    any_fake: FakeCoder, open_watch: Callable[..., Any]
) -> None:
    fake = any_fake  # on v2 the watch is /api/v2/chats/watch, bare frames, no ping; the listing v2's list_chats
    fresh = new_status(fake)
    kept = fake.create_chat("kept")
    doomed = fake.create_chat("doomed")
    retitled = fake.create_chat("retitled")
    born: list[str] = []

    def while_disconnected(_seconds: float) -> None:
        # The backoff wait before the first reconnection: no watch socket is open, nothing is published
        # to this watch. Only the listing after the reconnection can tell these changes.
        if not born:
            assert fake.watch_count("admin") == 0
            fake.set_chat_status(kept, "running")
            fake.delete_chat(doomed)
            fake.set_title(retitled, "Renamed")
            born.append(fake.create_chat("born while away"))

    with open_watch(client_for(fake), sleep=while_disconnected) as watch:
        fake.set_chat_status(kept, "waiting")
        assert take(watch, 1) == [("status_change", kept, "waiting")]
        fake.drop_watches()
        events = take(watch, 4)
        assert watch.reconnects == 1
        live = fake.create_chat("after the reconnect")
        assert take(watch, 1) == [("created", live, fresh)]
    # Deletions first; then the listing's order (newest first: the chat created while away, then the
    # two changed ones, which the fake lists by the time of their last change).
    assert events == [
        ("deleted", doomed, fresh),
        ("created", born[0], fresh),
        ("title_change", retitled, fresh),
        ("status_change", kept, "running"),
    ]


def test_a_ctrl_c_during_the_resync_listing_does_not_skip_it(fake: FakeCoder) -> None:
    """The sync watch reconnects, and lists the chats again, in the thread that iterates it. A
    ``KeyboardInterrupt`` during that listing, caught (a REPL's Ctrl-C), leaves the reconnection to be
    done again at the next ``next()``, listing included: a change made while away is still reported."""
    chat_id = fake.create_chat("changed while away")
    client = client_for(fake)
    interrupt: list[bool] = []

    def ctrl_c_once(request: Any) -> None:
        if interrupt and request.method == "GET":
            interrupt.clear()
            raise KeyboardInterrupt

    client.get_httpx_client().event_hooks["request"].append(ctrl_c_once)

    waits: list[float] = []

    def while_disconnected(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 1:  # the first reconnection: its listing is interrupted
            fake.set_chat_status(chat_id, "running")
            interrupt.append(True)

    with watch_chats(client, sleep=while_disconnected) as watch:
        fake.set_title(chat_id, "live")
        assert take(watch, 1) == [("title_change", chat_id, new_status(fake))]
        fake.drop_watches()
        with pytest.raises(KeyboardInterrupt):
            next(watch)
        assert take(watch, 1) == [("status_change", chat_id, "running")]
        assert watch.reconnects == 1 and waits[1:] == [0.0]  # the resumed reconnection does not wait again


def test_without_resync_a_change_made_while_disconnected_is_not_seen(
    fake: FakeCoder, open_watch: Callable[..., Any]
) -> None:
    chat = fake.create_chat("x")
    away = threading.Event()
    later: list[str] = []

    def while_disconnected(_seconds: float) -> None:
        fake.set_title(chat, "lost")  # no watch socket is open: only a resync could tell
        away.set()

    def after_the_reconnect() -> None:
        assert away.wait(10)
        deadline = time.monotonic() + 10
        while fake.watch_count() != 1:  # the watch is connected again
            assert time.monotonic() < deadline
            time.sleep(0.01)
        later.append(fake.create_chat("later"))

    with open_watch(client_for(fake), resync=False, sleep=while_disconnected) as watch:
        helper = threading.Thread(target=after_the_reconnect, daemon=True)
        helper.start()
        fake.drop_watches()
        events = take(watch, 1)  # drives the reconnection; the title change is never reported
        helper.join(10)
        assert events == [("created", later[0], "pending")]


def test_a_refused_handshake_raises_where_the_watch_is_opened(fake: FakeCoder, open_watch: Callable[..., Any]) -> None:
    fake.refuse_next_watches(1, 401, body={"message": "You are signed out or your session has expired."})
    with pytest.raises(AuthenticationError, match="401 Unauthorized: You are signed out"):
        open_watch(client_for(fake))


def test_reconnection_refusals_are_retried_then_give_up(fake: FakeCoder, open_watch: Callable[..., Any]) -> None:
    waits: list[float] = []
    born: list[str] = []

    def backoff(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:  # after two refused reconnections, before the third (accepted) one
            born.append(fake.create_chat("while refused"))

    with open_watch(client_for(fake), sleep=backoff, max_reconnect_attempts=3, random=lambda: 0.5) as watch:
        fake.refuse_next_watches(2, 503)
        fake.drop_watches()
        assert take(watch, 1) == [("created", born[0], "pending")]  # from the listing after reconnecting
        assert watch.reconnects == 1
        assert waits == [1.0, 2.0, 4.0]  # the backoff doubles with each refusal (no jitter at random=0.5)
        waits.clear()
        fake.refuse_next_watches(5, 502)
        fake.drop_watches()
        with pytest.raises(Exception, match="gave up after 3 consecutive failed reconnection attempts") as raised:
            next(watch)
        assert isinstance(raised.value.__cause__, ServerError)
    assert watch.closed


def test_an_error_envelope_raises_stream_server_error(fake: FakeCoder, open_watch: Callable[..., Any]) -> None:
    fake.error_next_watches("Internal error subscribing to chat events.")
    with open_watch(client_for(fake)) as watch, pytest.raises(StreamServerError, match="Internal error subscribing"):
        next(watch)


@pytest.mark.serial
def test_a_silent_watch_counts_as_dropped(fake: FakeCoder, open_watch: Callable[..., Any]) -> None:
    with open_watch(client_for(fake), idle_timeout=0.5, sleep=no_sleep) as watch:
        started = time.monotonic()
        before = fake.create_chat("before the silence")
        assert take(watch, 1) == [("created", before, "pending")]  # so the last frame arrived after `started`
        fake.silence_watches()
        time.sleep(0.1)
        later = fake.create_chat("after the silence")  # published to the silent socket: never sent there
        assert take(watch, 1) == [("created", later, "pending")]  # reported by the listing after reconnecting
        # Not before the idle timeout, counted from the last frame (the one above, or a ping after it).
        assert 0.5 <= time.monotonic() - started < 2.5
        assert watch.reconnects == 1


@pytest.mark.serial
def test_close_from_another_thread_ends_a_blocked_iteration(fake: FakeCoder) -> None:
    watch = watch_chats(client_for(fake))
    assert isinstance(watch, ChatWatch)
    threading.Timer(0.3, watch.close).start()
    started = time.monotonic()
    assert list(watch) == []
    assert time.monotonic() - started < 2
    assert watch.closed
    deadline = time.monotonic() + 5
    while fake.watch_count() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert fake.watch_count() == 0


def test_async_watch_cancellation_and_both_ways_to_open(fake: FakeCoder) -> None:
    async def main() -> list[ChatWatchEvent]:
        async with client_for(fake) as client:
            return await watch_twice(client)

    async def watch_twice(client: AuthenticatedClient) -> list[ChatWatchEvent]:
        seen: list[ChatWatchEvent] = []
        async with awatch_chats(client) as watch:
            assert isinstance(watch, AsyncChatWatch)
            chat = fake.create_chat("one")
            async for event in watch:
                seen.append(event)
                break
        assert watch.closed and str(seen[0].chat.id) == chat

        second = await awatch_chats(client)

        async def consume() -> None:
            async for event in second:
                seen.append(event)

        task = asyncio.create_task(consume())
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert second.closed
        assert asyncio.all_tasks() == {asyncio.current_task()}
        return seen

    seen = asyncio.run(main())
    assert [event.kind for event in seen] == [ChatWatchEventKind.CREATED]
    deadline = time.monotonic() + 5
    while fake.watch_count() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert fake.watch_count() == 0


def test_a_v2_watch_reports_action_required_with_its_tool_calls(open_watch: Callable[..., Any]) -> None:
    script = Script(text_deltas=2, dynamic_calls=(DynamicCall("get_weather", {"city": "Paris"}),))
    with FakeCoder(script=script, generation="current") as fake:
        client = client_for(fake)
        weather = DynamicTool(name="get_weather", input_schema={"type": "object"})
        body = CreateChatRequest(
            content=[ChatInputPart(type_=ChatInputPartType.TEXT, text="weather?")],
            organization_id=UUID(fake.organization_id),
            unsafe_dynamic_tools=[weather],
        )
        with open_watch(client) as watch:
            chat = v2_create_chat.sync(client=client, body=body)
            assert chat is not None
            kinds: list[str] = []
            for event in watch:
                assert isinstance(event, ChatWatchEvent) and event.chat.id == chat.id
                kinds.append(str(event.kind))
                if event.kind == ChatWatchEventKind.ACTION_REQUIRED:
                    break
    assert kinds[0] == "created" and kinds[-1] == "action_required"
    assert event.chat.status == "requires_action"
    assert not isinstance(event.tool_calls, Unset)
    assert [(c.tool_name, c.args) for c in event.tool_calls] == [("get_weather", '{"city":"Paris"}')]
