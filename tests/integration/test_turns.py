"""Turns against the fake Coder, sync and async: ``ask``/``aask``, ``start_turn``/``astart_turn``.

Every case of a turn's end whatever the timing: a new chat's first turn, a follow-up to an idle chat,
a follow-up queued behind a running turn, several queued at once (identical ones too), a failed
turn, an interrupted one, a queued prompt dropped by an edit, drops of the stream during the turn,
the turn that ended before its stream opened, and timeouts. The expected texts are the fake's
scripted replies (``Script.reply_text``), so each result is checked exactly. Every test runs on the
experimental API and on current Coder (v2): the same code, the same results (``fake`` is parametrized).
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.errors import APITimeoutError
from coder_chat.client.models import ChatInputPart, ChatInputPartType, ChatStatus, EditChatMessageRequest
from coder_chat.streaming import (
    AsyncTurn,
    Turn,
    TurnError,
    TurnResult,
    TurnTimeoutError,
    TurnToolCall,
    aask,
    ask,
    astart_turn,
    start_turn,
)
from tests.fakecoder import FakeCoder, Script
from tests.fakecoder.generation import GenerationName
from tests.support.async_bridge import BlockingAsyncTurn, blocking_astart_turn
from tests.support.generations import GENERATIONS, ops, persisted, queued

pytestmark = pytest.mark.timeout(60)


def no_sleep(_seconds: float) -> None:
    """Reconnect at once."""


@pytest.fixture(params=GENERATIONS)
def fake(request: pytest.FixtureRequest) -> Iterator[FakeCoder]:
    with FakeCoder(script=Script(text_deltas=8), generation=request.param) as server:
        yield server


@pytest.fixture
def client(fake: FakeCoder) -> Iterator[AuthenticatedClient]:
    with AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as c:
        yield c


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


@pytest.fixture(params=["sync", "async"])
def ask_fn(request: pytest.FixtureRequest, client: AuthenticatedClient) -> Callable[..., TurnResult]:
    """``ask``, or ``aask`` run in its own event loop (with its own client context)."""
    if request.param == "sync":
        return ask

    def via_aask(c: AuthenticatedClient, prompt: Any, **kwargs: Any) -> TurnResult:
        async def main() -> TurnResult:
            async with AuthenticatedClient(base_url=c.base_url, token=c.token) as async_client:
                return await aask(async_client, prompt, **kwargs)

        result: TurnResult = run(main())
        return result

    return via_aask


@pytest.fixture(params=["sync", "async"])
def start_fn(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """``start_turn``, or ``astart_turn`` behind the blocking bridge (``tests/support/async_bridge.py``)."""
    return start_turn if request.param == "sync" else blocking_astart_turn


def reconnects_of(turn: Any) -> int:
    stream = turn.turn._stream if isinstance(turn, BlockingAsyncTurn) else turn._stream
    return int(stream.reconnects)


def expect_answer(fake: FakeCoder, result: TurnResult, prompt: str, status: ChatStatus = ChatStatus.WAITING) -> None:
    """The fake's scripted turn for ``prompt``, exactly."""
    script = fake.script
    assert result.status == status
    assert (result.pending_tool_calls, result.error) == ([], None)
    assert result.text == script.reply_text(prompt)
    assert result.reasoning == f"Thinking about: {prompt}"
    assert result.tool_calls == [
        TurnToolCall(result.tool_calls[0].id, "execute", {"command": f"echo {prompt}"}, {"output": prompt})
    ]
    assert [m.role for m in result.messages] == ["user", "assistant", "tool"]
    user = result.messages[0]
    assert [p.text for p in user.content] == [prompt]  # type: ignore[union-attr]
    assert [m.id for m in result.messages] == sorted(m.id for m in result.messages)


def test_a_new_chats_first_turn(
    fake: FakeCoder, client: AuthenticatedClient, ask_fn: Callable[..., TurnResult]
) -> None:
    result = ask_fn(client, "list the files")
    expect_answer(fake, result, "list the files")
    assert [m.id for m in persisted(client, result.chat_id)] == [m.id for m in result.messages]


def test_a_follow_up_to_an_idle_chat(
    fake: FakeCoder, client: AuthenticatedClient, ask_fn: Callable[..., TurnResult]
) -> None:
    first = ask_fn(client, "first")
    second = ask_fn(client, "second", chat_id=str(first.chat_id))
    assert second.chat_id == first.chat_id
    expect_answer(fake, second, "second")
    assert second.messages[0].id > first.messages[-1].id


def test_a_prompt_as_input_parts(
    fake: FakeCoder, client: AuthenticatedClient, ask_fn: Callable[..., TurnResult]
) -> None:
    result = ask_fn(client, [ChatInputPart(type_=ChatInputPartType.TEXT, text="parts")])
    expect_answer(fake, result, "parts")


def test_a_follow_up_queued_behind_a_running_turn_gets_its_own_answer(
    fake: FakeCoder, client: AuthenticatedClient, ask_fn: Callable[..., TurnResult]
) -> None:
    fake.script = Script(text_deltas=60, delay=0.01)  # each turn runs for about 0.6 s
    chat_id = fake.create_chat("busy")
    fake.start_turn(chat_id)
    result = ask_fn(client, "follow-up", chat_id=chat_id)  # queued: the chat is running
    expect_answer(fake, result, "follow-up")
    users = [m for m in persisted(client, chat_id) if m.role == "user"]
    assert [p.text for m in users for p in m.content] == ["busy", "follow-up"]  # type: ignore[union-attr]
    assert result.messages[0].id == users[1].id


def test_several_follow_ups_queued_at_once_each_get_their_own_answer(
    fake: FakeCoder, client: AuthenticatedClient, start_fn: Callable[..., Any]
) -> None:
    fake.script = Script(text_deltas=8, auto_run=False)
    chat_id = fake.create_chat("first")
    fake.set_chat_status(chat_id, "running")  # busy: every prompt below is queued
    prompts = ["again", "other", "again"]  # identical prompts are answered in queue order
    turns = [start_fn(client, prompt, chat_id=chat_id, sleep=no_sleep) for prompt in prompts]
    assert [q.content[0].text for q in queued(client, chat_id)] == prompts
    fake.script = Script(text_deltas=8)  # from now on each turn's end runs the queue's head
    fake.start_turn(chat_id)
    results = [turn.wait(timeout=20) for turn in turns]
    for turn in turns:
        turn.close()
    # v2 promotes the next prompt while the chat stays running: a turn followed by another ends `running`.
    ends = (
        [ChatStatus.RUNNING, ChatStatus.RUNNING, ChatStatus.WAITING] if fake.generation.v2 else [ChatStatus.WAITING] * 3
    )
    for prompt, result, status in zip(prompts, results, ends, strict=True):
        expect_answer(fake, result, prompt, status)
    ids = [result.messages[0].id for result in results]
    assert ids == sorted(ids) and len(set(ids)) == 3


def test_a_failed_turn_raises_turn_error_with_what_arrived(
    fake: FakeCoder, client: AuthenticatedClient, ask_fn: Callable[..., TurnResult]
) -> None:
    # Slow enough that the stream is open while the deltas come (a new chat's turn starts at once).
    fake.script = Script(text_deltas=5, delay=0.1, fail_with="The model provider is unavailable.")
    with pytest.raises(TurnError) as raised:
        ask_fn(client, "doomed")
    error = raised.value
    assert error.message == "The model provider is unavailable."
    assert isinstance(error.result, TurnResult)
    assert error.result.status == ChatStatus.ERROR
    assert error.result.text == fake.script.reply_text("doomed")  # the deltas that had arrived
    assert [m.role for m in error.result.messages] == ["user"]


def test_a_failing_follow_up_raises_turn_error(
    fake: FakeCoder, client: AuthenticatedClient, ask_fn: Callable[..., TurnResult]
) -> None:
    chat_id = fake.create_chat("warm up")
    fake.wait_idle(chat_id)
    fake.script = Script(text_deltas=5, fail_with="Quota exceeded.")
    with pytest.raises(TurnError) as raised:
        ask_fn(client, "doomed", chat_id=chat_id)
    assert raised.value.message == "Quota exceeded."
    assert raised.value.result.status == ChatStatus.ERROR
    assert raised.value.result.text == fake.script.reply_text("doomed")  # the stream was open before the send


@pytest.mark.serial
def test_an_interrupted_turn_ends_waiting_with_what_arrived(
    fake: FakeCoder, client: AuthenticatedClient, start_fn: Callable[..., Any]
) -> None:
    fake.script = Script(text_deltas=400, delay=0.01, reasoning=False, tool_call=False)
    with start_fn(client, "long") as turn:
        seen: list[str] = []
        for delta in turn.text_stream:
            seen.append(delta)
            if len(seen) == 5:
                ops(fake).interrupt_chat.sync(turn.chat_id, client=client)
        result = turn.wait()
    assert result.status == ChatStatus.WAITING  # v2 went through `interrupting`, which did not end the turn
    assert 5 <= len(seen) < 400
    assert result.text == "".join(seen) and result.text
    # v2 persists the partial answer when the run winds down (API-v2.md §3.8); the experimental API drops it.
    assert [m.role for m in result.messages] == (["user", "assistant"] if fake.generation.v2 else ["user"])


def test_text_stream_yields_the_deltas_as_they_arrive(
    fake: FakeCoder, client: AuthenticatedClient, start_fn: Callable[..., Any]
) -> None:
    fake.script = Script(text_deltas=30, delay=0.005)
    with start_fn(client, "stream it") as turn:
        assert isinstance(turn, Turn | BlockingAsyncTurn)
        deltas = list(turn.text_stream)
        result = turn.wait()
    assert deltas == fake.script.text_chunks("stream it")
    assert "".join(deltas) == result.text
    assert turn.wait() is result  # at once, again


def test_the_iterators_of_a_turn_share_its_position(
    fake: FakeCoder, client: AuthenticatedClient, start_fn: Callable[..., Any]
) -> None:
    """Every ``text_stream`` and ``events`` iterator of a turn hands out its events from one position: a
    consumer that leaves one mid-frame and takes up another loses and repeats nothing (the turn feeds
    its tracker a frame's events at once, ahead of handing them out)."""
    fake.script = Script(text_deltas=120, delay=0.003, reasoning=False, tool_call=False)
    # The stream drops early and comes back 0.2 s later: the reconnection brings the deltas published
    # meanwhile many to a frame.
    fake.drop_next_streams(4)
    chunks = fake.script.text_chunks("share")
    with start_fn(client, "share", sleep=lambda _: time.sleep(0.2)) as turn:
        iterators = [turn.text_stream, turn.text_stream, turn.events]
        taken: list[str] = []
        for step in itertools.count():
            iterator = iterators[step % 3]
            try:
                for _ in range(step % 3 + 2):  # 2 deltas, 3 deltas, 4 events, ...
                    item = next(iterator)
                    if isinstance(item, str):
                        taken.append(item)
                    elif item.message_part and item.message_part.part.type_ == "text" and item.message_part.part.text:
                        taken.append(item.message_part.part.text)
            except StopIteration:
                break
        result = turn.wait()
    assert reconnects_of(turn) == 1
    assert taken == chunks
    assert result.text == "".join(chunks)


def test_a_turn_that_ended_before_its_stream_opened_streams_its_text_in_one_piece(
    fake: FakeCoder, client: AuthenticatedClient, start_fn: Callable[..., Any]
) -> None:
    first = ask(client, "warm up")
    with start_fn(client, "quick", chat_id=first.chat_id) as turn:
        time.sleep(0.5)  # the whole turn runs before anything is read
        deltas = list(turn.text_stream)
        result = turn.wait()
    assert "".join(deltas) == result.text == fake.script.reply_text("quick")


def test_events_are_the_chats_until_the_turn_ends(
    fake: FakeCoder, client: AuthenticatedClient, start_fn: Callable[..., Any]
) -> None:
    fake.script = Script(text_deltas=8, delay=0.05)  # the stream opens while the turn runs
    with start_fn(client, "events") as turn:
        events = list(turn.events)
        result = turn.wait()
    kinds = [str(e.type_) for e in events]
    assert kinds.count("message_part") >= 8 and kinds[-1] == "status"
    assert all(e.chat_id == turn.chat_id for e in events)
    assert events[-1].status.status == "waiting"
    expect_answer(fake, result, "events")


def test_drops_during_the_turn_lose_and_double_nothing(
    fake: FakeCoder, client: AuthenticatedClient, start_fn: Callable[..., Any]
) -> None:
    fake.script = Script(text_deltas=200, delay=0.003)
    for after in (5, 17, 40, 90):
        fake.drop_next_streams(after)
    with start_fn(client, "through the drops", sleep=no_sleep) as turn:
        deltas = list(turn.text_stream)
        result = turn.wait()
    assert reconnects_of(turn) >= 3
    assert deltas == fake.script.text_chunks("through the drops")
    expect_answer(fake, result, "through the drops")


@pytest.mark.parametrize("after_frames", [0, 1])
def test_a_turn_that_runs_while_its_stream_is_down_ends_with_the_reconnection(
    fake: FakeCoder, client: AuthenticatedClient, ask_fn: Callable[..., TurnResult], after_frames: int
) -> None:
    """The turn's stream drops before the turn's first event (at once, or after its opening snapshot) and
    stays down while the agent answers: the reconnection's sync gives the chat at rest again, as before the
    prompt, and the turn's messages. The turn ends there, with its whole answer (it used to wait forever:
    the sync's status, equal to the last one seen, was taken for a replay)."""
    chat_id = fake.create_chat("warm up")
    fake.wait_idle(chat_id)
    fake.drop_next_streams(after_frames)
    result = ask_fn(client, "while away", chat_id=chat_id, timeout=20, backoff_initial=0.5, backoff_max=0.5)
    expect_answer(fake, result, "while away")


@pytest.mark.parametrize("after_frames", [0, 1])
def test_a_failing_turn_that_runs_while_its_stream_is_down_raises_turn_error(
    fake: FakeCoder, client: AuthenticatedClient, ask_fn: Callable[..., TurnResult], after_frames: int
) -> None:
    """The same for a chat in ``error`` whose next prompt fails too: the sync's ``error`` status is the one
    the stream saw before the prompt. The turn ends with ``TurnError`` and the new failure's message."""
    fake.script = Script(text_deltas=3, fail_with="Quota exceeded.")
    chat_id = fake.create_chat("warm up")
    fake.wait_idle(chat_id)
    fake.script = Script(text_deltas=3, fail_with="Quota still exceeded.")
    fake.drop_next_streams(after_frames)
    with pytest.raises(TurnError) as raised:
        ask_fn(client, "doomed again", chat_id=chat_id, timeout=20, backoff_initial=0.5, backoff_max=0.5)
    assert raised.value.result.status == ChatStatus.ERROR
    assert raised.value.message == "Quota still exceeded."
    assert [m.role for m in raised.value.result.messages][:1] == ["user"]


def test_a_queued_prompt_dropped_by_an_edit_raises_turn_error(
    fake: FakeCoder, client: AuthenticatedClient, start_fn: Callable[..., Any]
) -> None:
    fake.script = Script(text_deltas=4, auto_run=False)
    chat_id = fake.create_chat("original")
    fake.set_chat_status(chat_id, "running")
    with start_fn(client, "never runs", chat_id=chat_id) as turn:
        first = persisted(client, chat_id)[0]
        body = EditChatMessageRequest(content=[ChatInputPart(type_=ChatInputPartType.TEXT, text="edited")])
        ops(fake).edit_chat_message.sync(UUID(chat_id), first.id, client=client, body=body)  # drops the queue
        with pytest.raises(TurnError, match="removed from the queue before it ran"):
            turn.wait(timeout=10)


@pytest.mark.serial
def test_timeout_raises_and_the_turn_stays_open(
    fake: FakeCoder, client: AuthenticatedClient, start_fn: Callable[..., Any]
) -> None:
    fake.script = Script(text_deltas=4, auto_run=False)
    chat_id = fake.create_chat("x")
    fake.set_chat_status(chat_id, "waiting")
    with start_fn(client, "later", chat_id=chat_id) as turn:
        started = time.monotonic()
        with pytest.raises(TurnTimeoutError) as raised:
            turn.wait(timeout=0.5)
        assert 0.5 <= time.monotonic() - started < 1.5
        assert isinstance(raised.value.result, TurnResult)
        # v2 has no `pending`: a sent prompt runs at once (the fake's step just does not come yet).
        progress = "the agent is working on it" if fake.generation.v2 else "the agent has not started on it"
        assert str(raised.value) == (
            f"the turn did not end within 0.5 s while waiting for the agent (the prompt was sent; "
            f"{progress}; the turn goes on server-side)"
        )
        assert raised.value.__cause__ is None  # the stream is connected: no stream error behind it
        fake.start_turn(chat_id)
        expect_answer(fake, turn.wait(timeout=10), "later")


@pytest.mark.serial
def test_a_timed_wait_mid_stream_takes_over_the_reading_and_loses_nothing(
    fake: FakeCoder, client: AuthenticatedClient, start_fn: Callable[..., Any]
) -> None:
    """A sync ``text_stream`` reads the stream in the caller's thread; a ``wait(timeout)`` in between
    hands the reading to the pump for good. No delta comes out twice or out of order, none is lost
    from the result, and the stream never reconnects (no half-read frame was dropped)."""
    fake.script = Script(text_deltas=40, delay=0.05)  # two seconds of deltas
    chunks = fake.script.text_chunks("slowly")
    with start_fn(client, "slowly") as turn:
        deltas = turn.text_stream
        first = [next(deltas) for _ in range(3)]
        with pytest.raises(TurnTimeoutError):
            turn.wait(timeout=0.2)
        rest = list(deltas)  # what the wait did not take, from the pump now
        result = turn.wait(timeout=10)
    assert first == chunks[:3]
    assert rest and rest == chunks[len(chunks) - len(rest) :] and len(first) + len(rest) < len(chunks)
    assert reconnects_of(turn) == 0
    expect_answer(fake, result, "slowly")


@pytest.mark.serial
@pytest.mark.parametrize("generation", GENERATIONS)
def test_a_turn_left_unread_still_answers_the_servers_pings(
    generation: GenerationName, start_fn: Callable[..., Any]
) -> None:
    """A server drops a socket that does not answer its pings in time. The consumer of a sync turn reads
    its stream only while it iterates; left unread (the program does something else first), the turn's
    pump thread takes the reading over, so the socket lives on: no reconnect needed, none allowed here."""
    script = Script(text_deltas=6, auto_run=False)
    with (
        FakeCoder(script=script, generation=generation, ping_interval=0.5, ping_timeout=1.5) as fake,
        AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client,
    ):
        chat_id = fake.create_chat("x")
        fake.set_chat_status(chat_id, "waiting")
        turn = start_fn(client, "later", chat_id=chat_id, reconnect=False)
        with turn:
            time.sleep(2.5)  # pings at 0.5 s, 1.0 s, ...: each must be answered within 1.5 s
            fake.start_turn(chat_id)
            deltas = list(turn.text_stream)
            result = turn.wait(timeout=10)
    assert deltas == script.text_chunks("later")
    assert reconnects_of(turn) == 0
    expect_answer(fake, result, "later")


def test_every_wait_after_the_stream_ended_says_so(
    fake: FakeCoder, client: AuthenticatedClient, start_fn: Callable[..., Any]
) -> None:
    """A turn whose stream is gone (closed here) raises ``TurnError`` at every later wait, with or without
    a timeout: the pump's last word is not used up by the first one."""
    fake.script = Script(auto_run=False)
    chat_id = fake.create_chat("x")
    fake.set_chat_status(chat_id, "waiting")
    with start_fn(client, "never answered", chat_id=chat_id) as turn:
        turn.close()
        for timeout in (None, None, 5, None):
            with pytest.raises(TurnError, match="the chat stream ended before the turn did"):
                turn.wait(timeout=timeout)


@pytest.mark.serial
@pytest.mark.parametrize(("timeout", "error"), [(-1, ValueError), (math.nan, ValueError), (True, TypeError)])
def test_a_bad_timeout_is_the_callers_error_before_anything_is_sent(
    fake: FakeCoder, client: AuthenticatedClient, ask_fn: Callable[..., TurnResult], timeout: Any, error: type
) -> None:
    chat_id = fake.create_chat("warm up")
    fake.wait_idle(chat_id)
    before = [m.id for m in persisted(client, chat_id)]
    with pytest.raises(error, match=r"^timeout must be a number of seconds"):
        ask_fn(client, "never sent", chat_id=chat_id, timeout=timeout)
    assert [m.id for m in persisted(client, chat_id)] == before


def test_a_timeout_longer_than_a_thread_can_wait_waits_for_the_turn(
    fake: FakeCoder, client: AuthenticatedClient, ask_fn: Callable[..., TurnResult]
) -> None:
    expect_answer(fake, ask_fn(client, "patient", timeout=math.inf), "patient")
    expect_answer(fake, ask_fn(client, "patient", timeout=1e12), "patient")


def test_ask_timeout_covers_the_whole_call(fake: FakeCoder, client: AuthenticatedClient) -> None:
    fake.script = Script(auto_run=False)
    started = time.monotonic()
    with pytest.raises(TurnTimeoutError):
        ask(client, "never answered", timeout=0.7)
    assert time.monotonic() - started < 1.7
    fake.set_rest_delay(2.0)  # now the REST calls themselves are slow
    started = time.monotonic()
    with pytest.raises(TurnTimeoutError) as raised:
        ask(client, "slow server", timeout=0.7)
    assert time.monotonic() - started < 1.7
    assert str(raised.value) == "the turn did not end within 0.7 s while creating the chat"
    assert isinstance(raised.value.__cause__, APITimeoutError)  # the REST call's own timeout, cut to the deadline


def test_async_turn_both_ways_and_cancellation(fake: FakeCoder) -> None:
    async def main() -> tuple[list[str], TurnResult]:
        async with AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client:
            turn = await astart_turn(client, "async")
            assert isinstance(turn, AsyncTurn)
            async with turn:
                deltas = [delta async for delta in turn.text_stream]
                result = await turn.wait()
            slow = Script(auto_run=False)
            fake.script = slow
            pending = await astart_turn(client, "cancelled", chat_id=result.chat_id)
            task = asyncio.create_task(pending.wait())
            await asyncio.sleep(0.2)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await pending.aclose()
            assert asyncio.all_tasks() == {asyncio.current_task()}
            fake.script = Script(text_deltas=8)
            async with astart_turn(client, "no await") as in_context:  # a new chat; no await needed
                assert isinstance(in_context, AsyncTurn)
                follow_up = await in_context.wait(timeout=10)
            expect_answer(fake, follow_up, "no await")
            assert in_context._stream.closed  # leaving the block closed the turn and its stream
            return deltas, result

    deltas, result = run(main())
    assert "".join(deltas) == result.text
    expect_answer(fake, result, "async")
