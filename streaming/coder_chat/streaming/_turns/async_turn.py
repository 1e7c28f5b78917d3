"""``AsyncTurn``: ``Turn``'s twin on the event loop (``turn.py`` says how a turn is followed).

Its pump task reads the stream from the start: any await may be cancelled, and cancelling the stream's
own read would close it, where cancelling a wait on the queue loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Self

from coder_chat._runtime.exceptions import TurnTimeoutError
from coder_chat.client import Client
from coder_chat.client.models import ChatStreamEvent

from .._connection.async_transport import AsyncChatStream
from .._routes import Routes
from .chatreads import aread_since
from .deadline import _deadline, _remaining, _timeout_error
from .toolio import apost_tool_results, arun_tool_calls
from .toolrunner import ToolRunner
from .turn import _END, _TurnBase
from .turncore import TurnResult, TurnTracker

__all__ = ["AsyncTurn"]


class AsyncTurn(_TurnBase):
    """A turn in progress on the event loop: ``async for`` over ``text_stream`` or ``events``,
    ``await wait()``; an async context manager. A task reads the chat's stream meanwhile (module
    docstring: any await may be cancelled)."""

    def __init__(
        self,
        client: Client,
        routes: Routes,
        tracker: TurnTracker,
        stream: AsyncChatStream,
        runner: ToolRunner | None = None,
    ) -> None:
        super().__init__(client, routes, tracker, stream, runner)
        self._stream = stream
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._pump = asyncio.get_running_loop().create_task(self._run_pump())

    async def _run_pump(self) -> None:
        try:
            async for event in self._stream:
                self._queue.put_nowait([event, *self._stream._take_ready()])
        except Exception as exc:  # handed to the consumer, which raises it
            self._queue.put_nowait(exc)
        self._queue.put_nowait(_END)

    async def _advance(self, deadline: float | None = None, timeout: float | None = None) -> bool:
        """``Turn._advance``'s twin (the pump task reads the stream)."""
        while self._at == len(self._deltas):
            if self._result is not None:
                return False
            if self._tracker.ended:  # the turn's last event was handed out: its tools, or what it persisted
                if await self._answer_tools(deadline, timeout):
                    continue
                try:
                    async with asyncio.timeout(_remaining(deadline)):
                        read = await aread_since(self._client, self._routes, self.chat_id, self._tracker.message_id)
                except TimeoutError:
                    raise _timeout_error(timeout, "reading the turn's result", self._partial()) from None
                finally:
                    await self.aclose()
                self._finish(*read)
            elif not self._feed():
                self._new_batch(await self._from_pump(deadline, timeout))
        return True

    async def _from_pump(self, deadline: float | None, timeout: float | None) -> list[ChatStreamEvent]:
        """``Turn._from_pump``'s twin."""
        try:
            async with asyncio.timeout(_remaining(deadline)):
                item = await self._queue.get()  # cancelling a get loses nothing
        except TimeoutError:
            raise self._timed_out(timeout) from self._loop._trouble
        if isinstance(item, list):
            return item
        self._queue.put_nowait(_END)  # the end stays: a later wait sees it too
        await self.aclose()
        if isinstance(item, BaseException):
            raise item
        raise self._stream_ended()

    async def _answer_tools(self, deadline: float | None, timeout: float | None) -> bool:
        """``Turn._answer_tools``'s twin: async tools awaited, sync tools in a worker thread."""
        calls = self._tool_calls_due()
        if calls is None:
            return False
        assert self._runner is not None
        try:
            results = await arun_tool_calls(self._runner, calls, deadline=deadline)
        except TurnTimeoutError as exc:
            raise _timeout_error(timeout, f"running client-side tools ({exc})", self._partial()) from None
        if results is not None:
            try:
                async with asyncio.timeout(_remaining(deadline)):
                    await apost_tool_results(self._client, self.chat_id, results)
            except TimeoutError:
                raise _timeout_error(timeout, "submitting the tool results", self._partial()) from None
        self._tools_answered(results)
        return True

    @property
    def events(self) -> AsyncIterator[ChatStreamEvent]:
        """This chat's ``ChatStreamEvent``s from the stream's opening until the turn ends."""

        async def events() -> AsyncIterator[ChatStreamEvent]:
            while self._at < len(self._deltas) or await self._advance():
                event = self._batch[self._at]
                self._at += 1
                if event.chat_id == self.chat_id:
                    yield event

        return events()

    @property
    def text_stream(self) -> AsyncIterator[str]:
        """The assistant's text deltas of this turn as they arrive, ending when the turn ends."""

        async def deltas() -> AsyncIterator[str]:
            while self._at < len(self._deltas) or await self._advance():
                delta = self._deltas[self._at]
                self._at += 1
                if delta is not None:
                    yield delta
            if rest := self._rest_of_text():
                yield rest

        return deltas()

    async def wait(self, timeout: float | None = None) -> TurnResult:
        """``Turn.wait``'s twin."""
        return await self._wait(_deadline(timeout), timeout)

    async def _wait(self, deadline: float | None, timeout: float | None) -> TurnResult:
        while await self._advance(deadline, timeout):
            self._at = len(self._deltas)
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
