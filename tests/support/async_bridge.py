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
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, Self, TypeVar
from uuid import UUID

from coder_chat.client import Client
from coder_chat.client.models import ChatStreamEvent
from coder_chat.streaming import AsyncChatStream, astream_chat

T = TypeVar("T")


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


class BlockingAsyncStream:
    """``ChatStream``'s interface over an ``AsyncChatStream`` running on its own loop thread."""

    def __init__(self, stream: AsyncChatStream, loop: _LoopThread) -> None:
        self.stream = stream
        self._loop = loop
        self._lock = threading.Lock()

    chat_id = property(lambda self: self.stream.chat_id)
    reconnects = property(lambda self: self.stream.reconnects)
    last_message_id = property(lambda self: self.stream.last_message_id)
    closed = property(lambda self: self.stream.closed)

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> ChatStreamEvent:
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
            if self.stream.closed:
                self._loop.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()


def blocking_astream_chat(client: Client, chat_id: UUID | str, **kwargs: Any) -> BlockingAsyncStream:
    """``astream_chat(client, chat_id, **kwargs)``, connected, behind a blocking interface.

    A sync ``sleep`` (the tests' ``no_sleep``) becomes an async one that calls it.
    """
    sleep: Callable[[float], object] | None = kwargs.pop("sleep", None)
    if sleep is not None:

        async def async_sleep(seconds: float) -> None:
            sleep(seconds)

        kwargs["sleep"] = async_sleep
    loop = _LoopThread()
    try:
        stream = loop.run(_connected(astream_chat(client, chat_id, **kwargs)))
    except BaseException:
        loop.stop()
        raise
    return BlockingAsyncStream(stream, loop)


async def _connected(stream: AsyncChatStream) -> AsyncChatStream:
    return await stream
