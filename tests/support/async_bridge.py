"""Run ``astream_chat`` behind ``stream_chat``'s blocking interface, for the tests both must pass.

The sync stream's integration tests (turns, after_id, refusals, faults, bounded waits, credentials,
exactly-once) run a second time against the async stream through ``blocking_astream_chat``: the
``AsyncChatStream`` runs on a real event loop in a thread of its own, over real sockets, and each
``next()`` awaits one ``__anext__()`` there. ``close()`` from any thread awaits ``aclose()`` on that
loop. The loop and its thread end with the stream. What only async code can do (cancellation, many
streams in one loop) is tested natively in ``test_async_stream.py``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from types import TracebackType
from typing import Any, Generic, Self, TypeVar
from uuid import UUID

from coder_chat.client import Client
from coder_chat.client.models import ChatStreamEvent, ChatWatchEvent
from coder_chat.streaming import AsyncTurn, TurnResult, astart_turn, astream_chat, awatch_chats
from coder_chat.streaming._connection.async_transport import AsyncStreamLoop

T = TypeVar("T")
E = TypeVar("E")


class _LoopThread:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="async-bridge", daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def stop(self) -> None:
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()


class BlockingAsyncStream(Generic[E]):
    """``ChatStream``'s (or ``ChatWatch``'s) interface over an async stream running on its own loop thread."""

    def __init__(self, stream: AsyncStreamLoop[E], loop: _LoopThread, client: Client) -> None:
        self.stream = stream
        self._loop = loop
        self._client = client
        self._lock = threading.Lock()

    chat_id = property(lambda self: self.stream.chat_id)
    reconnects = property(lambda self: self.stream.reconnects)
    last_message_id = property(lambda self: self.stream.last_message_id)
    closed = property(lambda self: self.stream.closed)

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> E:
        if self._loop.loop.is_closed():
            raise StopIteration
        try:
            return self._loop.run(self.stream.__anext__())
        except StopAsyncIteration:
            raise StopIteration from None
        except BaseException:
            self._stop()
            raise

    def close(self) -> None:
        if not self._loop.loop.is_closed():
            self._loop.run(self.stream.aclose())
        self._stop()

    def _stop(self) -> None:
        with self._lock:
            if self.stream.closed and not self._loop.loop.is_closed():
                # What `async with client:` does at the end: the async REST pool (the watch's resync
                # uses it) belongs to this loop and is closed on it.
                self._loop.run(self._client.aclose())
                self._loop.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()


def blocking_astream_chat(client: Client, chat_id: UUID | str, **kwargs: Any) -> BlockingAsyncStream[ChatStreamEvent]:
    """``astream_chat(client, chat_id, **kwargs)``, connected, behind a blocking interface."""
    client = _own_pool(client)
    return _blocking(client, lambda: astream_chat(client, chat_id, **_async_sleep(kwargs)))


def blocking_awatch_chats(client: Client, **kwargs: Any) -> BlockingAsyncStream[ChatWatchEvent]:
    """``awatch_chats(client, **kwargs)``, connected, behind a blocking interface."""
    client = _own_pool(client)
    return _blocking(client, lambda: awatch_chats(client, **_async_sleep(kwargs)))


def _async_sleep(kwargs: dict[str, Any]) -> dict[str, Any]:
    """A sync ``sleep`` (the tests' ``no_sleep``, or one that acts during the wait) becomes an async one."""
    sleep: Callable[[float], object] | None = kwargs.pop("sleep", None)
    if sleep is not None:

        async def async_sleep(seconds: float) -> None:
            sleep(seconds)

        kwargs["sleep"] = async_sleep
    return kwargs


def _own_pool(client: Client) -> Client:
    """A copy of ``client`` with a connection pool of its own: an async pool belongs to one event loop,
    and each bridge runs its own."""
    return client.with_headers({})


def _blocking(client: Client, open_stream: Callable[[], AsyncStreamLoop[E]]) -> BlockingAsyncStream[E]:
    loop = _LoopThread()
    try:
        stream = loop.run(_connected(open_stream()))
    except BaseException:
        loop.run(client.aclose())
        loop.stop()
        raise
    return BlockingAsyncStream(stream, loop, client)


async def _connected(stream: AsyncStreamLoop[E]) -> AsyncStreamLoop[E]:
    return await stream


class BlockingAsyncTurn:
    """``Turn``'s interface over an ``AsyncTurn`` running on its own loop thread (see the module docstring)."""

    def __init__(self, turn: AsyncTurn, loop: _LoopThread, client: Client) -> None:
        self.turn = turn
        self.chat_id = turn.chat_id
        self._loop = loop
        self._client = client

    def _iterate(self, iterator: AsyncIterator[T]) -> Iterator[T]:
        while True:
            try:
                yield self._loop.run(_next(iterator))
            except StopAsyncIteration:
                return

    @property
    def text_stream(self) -> Iterator[str]:
        return self._iterate(self.turn.text_stream)

    @property
    def events(self) -> Iterator[ChatStreamEvent]:
        return self._iterate(self.turn.events)

    def wait(self, timeout: float | None = None) -> TurnResult:
        if self._loop.loop.is_closed():  # closed already: wait() answers at once, on any loop
            return asyncio.run(self.turn.wait(timeout))
        return self._loop.run(self.turn.wait(timeout))

    def close(self) -> None:
        if not self._loop.loop.is_closed():
            self._loop.run(self.turn.aclose())
            self._loop.run(self._client.aclose())
            self._loop.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()


def blocking_astart_turn(client: Client, prompt: Any, **kwargs: Any) -> BlockingAsyncTurn:
    """``astart_turn(client, prompt, **kwargs)`` behind ``start_turn``'s blocking interface."""
    loop = _LoopThread()
    client = _own_pool(client)
    try:
        turn = loop.run(_started(client, prompt, kwargs))
    except BaseException:
        loop.run(client.aclose())
        loop.stop()
        raise
    return BlockingAsyncTurn(turn, loop, client)


async def _started(client: Client, prompt: Any, kwargs: dict[str, Any]) -> AsyncTurn:
    """``await astart_turn(...)`` (which returns an awaitable, not a coroutine)."""
    return await astart_turn(client, prompt, **_async_sleep(kwargs))


async def _next(iterator: AsyncIterator[T]) -> T:
    return await anext(iterator)
