"""Turns, the task-level API: send a prompt, follow the agent's work on it, get its answer.

``ask`` / ``aask`` do it in one call; ``start_turn`` / ``astart_turn`` return a ``Turn`` / ``AsyncTurn``
as soon as the prompt is sent and the chat's stream is open, to read ``text_stream`` or ``events`` as
they arrive, then ``wait()`` for the ``TurnResult``. Which events are the turn's and when it ends is
``TurnTracker``'s (pure, in ``_turncore``); this module does the I/O, twice (sync and async):

1. A new chat is created with the prompt, then its stream opened: the server's snapshot replays the
   turn so far. For an existing chat the stream is opened first, after its last persisted message
   (``get_chat``), and the prompt sent after, so that nothing between the two is lost.
2. A pump (a thread, or a task on the event loop) reads the stream into a queue, so that ``wait(timeout)``
   can give up without closing the stream: after ``TurnTimeoutError`` the turn stays open.
3. At the end, ``get_chat`` reads what the chat persisted, and the result is built from it.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from types import TracebackType
from typing import Any, Self
from uuid import UUID

import httpx

from coder_chat._runtime.exceptions import APITimeoutError, CoderChatError, TurnError, TurnTimeoutError
from coder_chat.client import Client
from coder_chat.client.api.chats import create_chat, create_chat_message, get_chat
from coder_chat.client.models import (
    ChatInputPart,
    ChatMessage,
    ChatQueuedMessage,
    ChatStreamEvent,
    ChatWithMessages,
    CreateChatMessageRequest,
    CreateChatMessageResponse,
    CreateChatRequest,
)
from coder_chat.client.types import Unset

from ._async_transport import AsyncChatStream, astream_chat
from ._protocol import chat_uuid
from ._transport import ChatStream, stream_chat
from ._turncore import TurnResult, TurnTracker, input_parts

__all__ = ["AsyncTurn", "Turn", "aask", "ask", "astart_turn", "start_turn"]

_END = object()  # the pump's last item: the stream ended


def _check_stream_kwargs(stream_kwargs: dict[str, Any]) -> None:
    if "after_id" in stream_kwargs:
        raise TypeError("a turn chooses the stream's after_id itself")


def _last_message_id(messages: Sequence[ChatMessage] | Unset) -> int | None:
    return None if isinstance(messages, Unset) or not messages else max(m.id for m in messages)


def _tracker_for_reply(chat_id: UUID, reply: CreateChatMessageResponse) -> TurnTracker:
    if reply.queued and isinstance(reply.queued_message, ChatQueuedMessage):
        queued = reply.queued_message
        return TurnTracker.for_queued(chat_id, queued.id, queued.content)
    if isinstance(reply.message, ChatMessage):
        return TurnTracker.for_message(chat_id, reply.message.id)
    raise CoderChatError("the server answered the prompt with neither a message nor a queued message")


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def _deadline(timeout: float | None) -> float | None:
    return None if timeout is None else time.monotonic() + timeout


class _TurnBase:
    """What ``Turn`` and ``AsyncTurn`` share: the tracker, the streamed text, the outcome."""

    def __init__(self, client: Client, tracker: TurnTracker) -> None:
        self.chat_id: UUID = tracker.chat_id
        self._client = client
        self._tracker = tracker
        self._streamed: list[str] = []
        self._result: TurnResult | None = None

    def _take(self, event: ChatStreamEvent) -> list[str]:
        deltas = self._tracker.feed(event)
        self._streamed += deltas
        return deltas

    def _finish(self, chat: ChatWithMessages) -> None:
        """The turn ended: its result from what the chat persisted (``get_chat``, read just now)."""
        self._tracker.explain_failure(chat.chat.last_error)
        self._result = self._tracker.result(_messages(chat.messages))

    def _rest_of_text(self) -> str:
        """What ``text_stream`` still owes once the turn ended: the persisted text the deltas did not
        bring (all of it when the turn ended before the stream opened)."""
        assert self._result is not None
        streamed = "".join(self._streamed)
        text = self._result.text
        return text[len(streamed) :] if text.startswith(streamed) else ""

    def _outcome(self) -> TurnResult:
        assert self._result is not None
        if self._tracker.error is not None:
            raise TurnError(self._tracker.error, result=self._result)
        return self._result

    def _timed_out(self, timeout: float | None) -> TurnTimeoutError:
        partial = self._tracker.result([])
        return TurnTimeoutError(f"the turn did not end within {timeout} s (it goes on server-side)", result=partial)


class Turn(_TurnBase):
    """A turn in progress (sync): ``text_stream``, ``events``, ``wait()``; a context manager.

    Built by ``start_turn``. A thread reads the chat's stream meanwhile; ``close()`` ends both.
    """

    def __init__(self, client: Client, tracker: TurnTracker, stream: ChatStream) -> None:
        super().__init__(client, tracker)
        self._stream = stream
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._pump = threading.Thread(target=self._run_pump, name=f"coder-chat-turn-{self.chat_id}", daemon=True)
        self._pump.start()

    def _run_pump(self) -> None:
        try:
            for event in self._stream:
                self._queue.put(event)
        except BaseException as exc:  # handed to the consumer, which raises it
            self._queue.put(exc)
        self._queue.put(_END)

    def _items(self, timeout: float | None = None) -> Iterator[tuple[ChatStreamEvent, list[str]]]:
        """Each event until the turn ends, with the text deltas it adds; then the result is built."""
        deadline = _deadline(timeout)
        while self._result is None:
            if self._tracker.ended:  # the turn's last event was handed out: read what it persisted
                try:
                    with _bounded(self._client, deadline) as client:
                        chat = get_chat.sync(self.chat_id, client=client)
                except APITimeoutError as exc:
                    if isinstance(exc, TurnTimeoutError) or deadline is None or _remaining(deadline):
                        raise
                    raise self._timed_out(timeout) from exc
                finally:
                    self.close()
                self._finish(chat)
                return
            try:
                item = self._queue.get(timeout=_remaining(deadline))
            except queue.Empty:
                raise self._timed_out(timeout) from None
            if item is _END or isinstance(item, BaseException):
                self.close()
                if isinstance(item, BaseException):
                    raise item
                raise TurnError("the chat stream ended before the turn did", result=self._tracker.result([]))
            assert isinstance(item, ChatStreamEvent)
            yield item, self._take(item)

    @property
    def events(self) -> Iterator[ChatStreamEvent]:
        """This chat's ``ChatStreamEvent``s from the stream's opening until the turn ends."""
        return (event for event, _ in self._items() if event.chat_id == self.chat_id)

    @property
    def text_stream(self) -> Iterator[str]:
        """The assistant's text deltas of this turn as they arrive, ending when the turn ends (the
        persisted text in one piece when the turn had ended before the stream opened)."""

        def deltas() -> Iterator[str]:
            for _, new in self._items():
                yield from new
            if rest := self._rest_of_text():
                yield rest

        return deltas()

    def wait(self, timeout: float | None = None) -> TurnResult:
        """Consume what is left and return the result: ``TurnError`` for a failed turn,
        ``TurnTimeoutError`` after ``timeout`` seconds (the turn stays open: ``wait()`` may be called again)."""
        for _ in self._items(timeout):
            pass
        return self._outcome()

    def close(self) -> None:
        """Stop following the turn (it goes on server-side) and release the stream; idempotent."""
        self._stream.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Turn chat_id={self.chat_id} {'ended' if self._result is not None else 'open'}>"


class AsyncTurn(_TurnBase):
    """A turn in progress on the event loop: ``async for`` over ``text_stream`` or ``events``,
    ``await wait()``; an async context manager. A task reads the chat's stream meanwhile."""

    def __init__(self, client: Client, tracker: TurnTracker, stream: AsyncChatStream) -> None:
        super().__init__(client, tracker)
        self._stream = stream
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._pump = asyncio.get_running_loop().create_task(self._run_pump())

    async def _run_pump(self) -> None:
        try:
            async for event in self._stream:
                self._queue.put_nowait(event)
        except Exception as exc:  # handed to the consumer, which raises it
            self._queue.put_nowait(exc)
        self._queue.put_nowait(_END)

    async def _items(self, timeout: float | None = None) -> AsyncIterator[tuple[ChatStreamEvent, list[str]]]:
        deadline = _deadline(timeout)
        while self._result is None:
            if self._tracker.ended:  # the turn's last event was handed out: read what it persisted
                try:
                    async with asyncio.timeout(_remaining(deadline)):
                        chat = await get_chat.asyncio(self.chat_id, client=self._client)
                except TimeoutError:
                    raise self._timed_out(timeout) from None
                finally:
                    await self.aclose()
                self._finish(chat)
                return
            try:
                async with asyncio.timeout(_remaining(deadline)):
                    item = await self._queue.get()  # cancelling a get loses nothing
            except TimeoutError:
                raise self._timed_out(timeout) from None
            if item is _END or isinstance(item, BaseException):
                await self.aclose()
                if isinstance(item, BaseException):
                    raise item
                raise TurnError("the chat stream ended before the turn did", result=self._tracker.result([]))
            assert isinstance(item, ChatStreamEvent)
            yield item, self._take(item)

    @property
    def events(self) -> AsyncIterator[ChatStreamEvent]:
        """This chat's ``ChatStreamEvent``s from the stream's opening until the turn ends."""

        async def events() -> AsyncIterator[ChatStreamEvent]:
            async for event, _ in self._items():
                if event.chat_id == self.chat_id:
                    yield event

        return events()

    @property
    def text_stream(self) -> AsyncIterator[str]:
        """The assistant's text deltas of this turn as they arrive, ending when the turn ends."""

        async def deltas() -> AsyncIterator[str]:
            async for _, new in self._items():
                for delta in new:
                    yield delta
            if rest := self._rest_of_text():
                yield rest

        return deltas()

    async def wait(self, timeout: float | None = None) -> TurnResult:
        """``Turn.wait``'s twin."""
        async for _ in self._items(timeout):
            pass
        return self._outcome()

    async def aclose(self) -> None:
        """Stop following the turn (it goes on server-side) and release the stream; idempotent."""
        await self._stream.aclose()
        if not self._pump.done() and self._pump is not asyncio.current_task():
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"<AsyncTurn chat_id={self.chat_id} {'ended' if self._result is not None else 'open'}>"


def _messages(messages: list[ChatMessage] | Unset) -> list[ChatMessage]:
    return [] if isinstance(messages, Unset) else messages


# --- opening a turn --------------------------------------------------------------------------------


def start_turn(
    client: Client, prompt: str | Sequence[ChatInputPart], *, chat_id: UUID | str | None = None, **stream_kwargs: Any
) -> Turn:
    """Send ``prompt`` (a new chat without ``chat_id``) and return the ``Turn`` once the stream is open.

    ``stream_kwargs`` are ``stream_chat``'s (but ``after_id``, which the turn chooses).
    """
    return _start_turn(client, prompt, chat_id, stream_kwargs, deadline=None)


def _start_turn(
    client: Client,
    prompt: str | Sequence[ChatInputPart],
    chat_id: UUID | str | None,
    stream_kwargs: dict[str, Any],
    *,
    deadline: float | None,
) -> Turn:
    _check_stream_kwargs(stream_kwargs)
    parts = input_parts(prompt)
    if chat_id is None:
        with _bounded(client, deadline) as bounded:
            chat = create_chat.sync(client=bounded, body=CreateChatRequest(content=parts))
            stream = stream_chat(bounded, chat.id, **stream_kwargs)
        return Turn(client, TurnTracker.for_new_chat(chat.id), stream)
    chat_uuid_ = chat_uuid(chat_id)
    with _bounded(client, deadline) as bounded:
        known = get_chat.sync(chat_uuid_, client=bounded)
    with _bounded(client, deadline) as bounded:
        stream = stream_chat(bounded, chat_uuid_, after_id=_last_message_id(known.messages), **stream_kwargs)
    try:
        with _bounded(client, deadline) as bounded:
            body = CreateChatMessageRequest(content=parts)
            reply = create_chat_message.sync(chat_uuid_, client=bounded, body=body)
        tracker = _tracker_for_reply(chat_uuid_, reply)
    except BaseException:
        stream.close()
        raise
    return Turn(client, tracker, stream)


@contextlib.contextmanager
def _bounded(client: Client, deadline: float | None) -> Iterator[Client]:
    """``client``, or, with a deadline, a copy whose every timeout ends by then (its pool closed after)."""
    remaining = _remaining(deadline)
    if remaining is None:
        yield client
        return
    if remaining <= 0:
        raise TurnTimeoutError("the turn's timeout expired")
    current = client.timeout

    def cap(value: float | None) -> float:
        return remaining if value is None else min(value, remaining)

    capped = httpx.Timeout(
        connect=cap(current.connect), read=cap(current.read), write=cap(current.write), pool=cap(current.pool)
    )
    derived = client.with_timeout(capped)
    try:
        yield derived
    finally:
        derived.close()


def ask(
    client: Client,
    prompt: str | Sequence[ChatInputPart],
    *,
    chat_id: UUID | str | None = None,
    timeout: float | None = None,
    **stream_kwargs: Any,
) -> TurnResult:
    """Send ``prompt`` and return the ``TurnResult`` once the agent has finished the turn that answers it.

    Without ``chat_id`` a chat is created with the prompt. ``TurnError`` when the turn fails;
    ``TurnTimeoutError`` after ``timeout`` seconds, which cover sending, connecting and waiting (the
    turn goes on server-side). ``stream_kwargs`` are ``stream_chat``'s.
    """
    deadline = _deadline(timeout)
    try:
        turn = _start_turn(client, prompt, chat_id, stream_kwargs, deadline=deadline)
    except APITimeoutError as exc:
        if deadline is not None and not isinstance(exc, TurnTimeoutError) and _remaining(deadline) == 0:
            raise TurnTimeoutError(f"the prompt was not sent and followed within {timeout} s") from exc
        raise
    with turn:
        return turn.wait(_remaining(deadline))


async def astart_turn(
    client: Client, prompt: str | Sequence[ChatInputPart], *, chat_id: UUID | str | None = None, **stream_kwargs: Any
) -> AsyncTurn:
    """``start_turn`` on the event loop (``stream_kwargs`` are ``astream_chat``'s)."""
    _check_stream_kwargs(stream_kwargs)
    parts = input_parts(prompt)
    if chat_id is None:
        chat = await create_chat.asyncio(client=client, body=CreateChatRequest(content=parts))
        stream = await astream_chat(client, chat.id, **stream_kwargs)
        return AsyncTurn(client, TurnTracker.for_new_chat(chat.id), stream)
    chat_uuid_ = chat_uuid(chat_id)
    known = await get_chat.asyncio(chat_uuid_, client=client)
    stream = await astream_chat(client, chat_uuid_, after_id=_last_message_id(known.messages), **stream_kwargs)
    try:
        body = CreateChatMessageRequest(content=parts)
        reply = await create_chat_message.asyncio(chat_uuid_, client=client, body=body)
        tracker = _tracker_for_reply(chat_uuid_, reply)
    except BaseException:
        await stream.aclose()
        raise
    return AsyncTurn(client, tracker, stream)


async def aask(
    client: Client,
    prompt: str | Sequence[ChatInputPart],
    *,
    chat_id: UUID | str | None = None,
    timeout: float | None = None,
    **stream_kwargs: Any,
) -> TurnResult:
    """``ask`` on the event loop."""
    deadline = _deadline(timeout)
    try:
        async with asyncio.timeout(timeout):
            turn = await astart_turn(client, prompt, chat_id=chat_id, **stream_kwargs)
    except TimeoutError:
        raise TurnTimeoutError(f"the prompt was not sent and followed within {timeout} s") from None
    async with turn:
        return await turn.wait(_remaining(deadline))
