"""What only asyncio code does with ``astream_chat``: both ways to open it, cancellation, many streams in one loop.

The behaviour the sync stream also has (turns, after_id, refusals, faults, bounded waits, credentials,
exactly-once) is tested for both flavours by the other stream suites (the ``flavour`` fixture). Here
the stream runs on the test's own event loop (``asyncio.run``), and every test counts what is left
behind: no task, thread or file descriptor may outlive a closed or cancelled stream.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.errors import NotFoundError
from coder_chat.client.models import ChatStreamEvent
from coder_chat.streaming import AsyncChatStream, astream_chat
from tests.fakecoder import FakeCoder, Script
from tests.fakecoder.generation import GenerationName
from tests.integration.test_stream_load import open_fds, settle
from tests.support.generations import GENERATIONS, api_generation_of
from tests.support.stream_view import View, status_is

PROMPT = "list the files"


async def no_sleep(_seconds: float) -> None:
    """Reconnect at once: the drops are the point, not the backoff."""


@pytest.fixture
def fake() -> Iterator[FakeCoder]:
    with FakeCoder(script=Script(auto_run=False, text_deltas=12)) as server:
        yield server


@pytest.fixture
def leak_check() -> Iterator[None]:
    """Fail the test when a thread or file descriptor it opened outlives it."""
    FakeCoder().start().stop()  # the first server of a process keeps a process-wide signal pipe
    threads_before = set(threading.enumerate())
    fds_before = open_fds()
    yield
    assert settle(lambda: set(threading.enumerate()) <= threads_before), set(threading.enumerate()) - threads_before
    assert settle(lambda: open_fds().keys() <= fds_before.keys()), {
        fd: target for fd, target in open_fds().items() if fd not in fds_before
    }


def client_for(fake: FakeCoder) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=fake.url, token=fake.admin_token, api_generation=api_generation_of(fake))


async def acollect(
    stream: AsyncChatStream, until: Callable[[ChatStreamEvent], bool], *, view: View | None = None, timeout: float = 10
) -> View:
    view = view if view is not None else View()
    async with asyncio.timeout(timeout):
        async for event in stream:
            view.add(event)
            if until(event):
                break
    return view


def other_tasks() -> set[asyncio.Task[object]]:
    return asyncio.all_tasks() - {asyncio.current_task()}


@pytest.mark.timeout(30)
def test_async_with_and_await_both_connect_before_the_first_event(fake: FakeCoder, leak_check: None) -> None:
    chat_id = fake.create_chat(PROMPT)

    async def main() -> tuple[View, View]:
        client = client_for(fake)
        async with astream_chat(client, chat_id) as stream:
            assert isinstance(stream, AsyncChatStream)
            assert fake.stream_count() == 1  # connected by `async with`, before any event was asked for
            fake.start_turn(chat_id)
            first = await acollect(stream, status_is("waiting"))
        assert stream.closed
        assert [event async for event in stream] == []  # a closed stream iterates no more
        second_stream = await astream_chat(client, chat_id)
        assert fake.stream_count() == 1
        second = await acollect(second_stream, lambda e: getattr(e.message, "role", None) == "tool")
        await second_stream.aclose()
        await second_stream.aclose()  # idempotent
        assert other_tasks() == set()
        return first, second

    first, second = asyncio.run(main())
    assert first.statuses == ["pending", "running", "waiting"]
    assert first.text == fake.script.reply_text(PROMPT)
    assert [m["role"] for m in second.messages] == ["user", "assistant", "tool"]
    assert settle(lambda: fake.stream_count() == 0)


@pytest.mark.timeout(30)
def test_a_refused_handshake_raises_where_the_stream_is_opened(fake: FakeCoder, leak_check: None) -> None:
    member_chat = fake.create_chat("x", owner="member")

    async def main() -> None:
        with pytest.raises(NotFoundError):
            await astream_chat(client_for(fake), member_chat)
        with pytest.raises(NotFoundError):
            async with astream_chat(client_for(fake), member_chat):
                pytest.fail("entered")

    asyncio.run(main())


@pytest.mark.timeout(30)
@pytest.mark.serial
@pytest.mark.parametrize("where", ["reading", "backoff"])
def test_cancelling_the_consuming_task_closes_the_socket_at_once(fake: FakeCoder, leak_check: None, where: str) -> None:
    chat_id = fake.create_chat(PROMPT)

    async def main() -> AsyncChatStream:
        long_sleep = 3600.0
        stream = await astream_chat(client_for(fake), chat_id, backoff_initial=long_sleep, backoff_max=long_sleep)
        await acollect(stream, lambda e: getattr(e.message, "role", None) == "user")
        if where == "backoff":
            fake.refuse_next_streams(5, 503)
            fake.drop_streams()

        async def consume() -> None:
            async for _event in stream:
                pass

        task = asyncio.create_task(consume())
        await asyncio.sleep(0.3)  # blocked in recv(), or in the hour-long backoff wait
        assert not task.done()
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - started < 0.5
        assert stream.closed
        assert other_tasks() == set()
        return stream

    stream = asyncio.run(main())
    assert stream.closed
    assert settle(lambda: fake.stream_count() == 0)


@pytest.mark.timeout(30)
def test_leaving_async_with_early_closes_the_stream(fake: FakeCoder, leak_check: None) -> None:
    chat_id = fake.create_chat(PROMPT)

    async def main() -> None:
        async with astream_chat(client_for(fake), chat_id) as stream:
            fake.start_turn(chat_id)
            async for event in stream:
                if event.message_part:
                    break  # mid-turn
        assert stream.closed
        assert other_tasks() == set()

    asyncio.run(main())
    assert settle(lambda: fake.stream_count() == 0)


@pytest.mark.timeout(30)
def test_aclose_from_another_task_ends_a_waiting_iteration(fake: FakeCoder, leak_check: None) -> None:
    chat_id = fake.create_chat(PROMPT)

    async def main() -> list[ChatStreamEvent]:
        stream = await astream_chat(client_for(fake), chat_id)
        await acollect(stream, lambda e: getattr(e.message, "role", None) == "user")
        seen: list[ChatStreamEvent] = []

        async def consume() -> None:
            async for event in stream:
                seen.append(event)

        task = asyncio.create_task(consume())
        await asyncio.sleep(0.2)
        await stream.aclose()
        async with asyncio.timeout(1):
            await task  # the iteration ended: StopAsyncIteration, no error
        return seen

    assert asyncio.run(main()) == []


STREAMS = 50
DELTAS = 300
PACE = 0.01
LATER_DROPS = 100


@pytest.mark.slow
@pytest.mark.serial
@pytest.mark.timeout(60)
def test_fifty_async_streams_in_one_loop_with_drops_each_see_the_fault_free_transcript(leak_check: None) -> None:
    rng = random.Random(20261130)

    async def main(fake: FakeCoder, chat_id: str) -> tuple[list[View], list[AsyncChatStream]]:
        client = client_for(fake)
        views: list[View] = []
        streams: list[AsyncChatStream] = [await astream_chat(client, chat_id, reconnect=False)]
        views.append(await acollect(streams[0], lambda e: getattr(e.message, "role", None) == "user"))
        for _ in range(STREAMS):
            fake.drop_next_streams(rng.randint(2, 8))
        for _ in range(STREAMS):
            streams.append(await astream_chat(client, chat_id, sleep=no_sleep, max_reconnect_attempts=5))
            views.append(await acollect(streams[-1], lambda e: getattr(e.message, "role", None) == "user"))
        for _ in range(LATER_DROPS):
            fake.drop_next_streams(rng.randint(2, 12))

        async def consume(stream: AsyncChatStream, view: View) -> None:
            async with stream:
                await acollect(stream, status_is("waiting"), view=view, timeout=30)

        consumers = [asyncio.create_task(consume(s, v)) for s, v in zip(streams, views, strict=True)]
        await asyncio.sleep(0)
        fake.start_turn(chat_id)
        await asyncio.gather(*consumers)
        assert other_tasks() == set()
        return views, streams

    with FakeCoder(script=Script(auto_run=False, text_deltas=DELTAS, delay=PACE)) as fake:
        chat_id = fake.create_chat(PROMPT)
        views, streams = asyncio.run(main(fake, chat_id))
    clean, *faulty = views
    assert streams[0].reconnects == 0
    assert clean.statuses == ["pending", "running", "waiting"]
    assert len(clean.parts("text")) == DELTAS
    reconnects = [stream.reconnects for stream in streams[1:]]
    assert min(reconnects) >= 1, reconnects
    assert sum(reconnects) >= STREAMS + LATER_DROPS // 2, reconnects
    assert [n for n, view in enumerate(faulty, 1) if view.events != clean.events] == []
    assert all(stream.closed for stream in streams)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("generation", GENERATIONS)
def test_an_auto_client_probes_once_and_streams_either_generation(generation: GenerationName, leak_check: None) -> None:
    with FakeCoder(script=Script(auto_run=False, text_deltas=12, delay=0.02), generation=generation) as fake:
        chat_id = fake.create_chat(PROMPT)

        async def main() -> tuple[View, View]:
            async with AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client:  # "auto"
                async with astream_chat(client, chat_id, sleep=no_sleep) as stream:
                    fake.start_turn(chat_id)
                    fake.drop_next_streams(5)
                    first = await acollect(stream, lambda e: getattr(e.message_part, "part", None) is not None)
                    fake.drop_streams()  # a reconnection mid-turn, on the routes detected once
                    rest = await acollect(stream, status_is("waiting"))
                    assert stream.reconnects >= 1
                assert other_tasks() == set()
                return first, rest

        first, rest = asyncio.run(main())
    text = "".join(p["text"] for view in (first, rest) for p in view.parts("text"))
    assert text == fake.script.reply_text(PROMPT)  # every delta once across the drops
    assert rest.statuses[-1] == "waiting"
