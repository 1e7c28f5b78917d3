"""The turn objects, ``Turn`` and ``AsyncTurn``: a prompt sent, its stream open, its end awaited.

``TurnTracker`` (``turncore.py``, pure) says which events are the turn's and when it ends; this module
does the I/O: ``_TurnBase``, what both twins share, and the sync ``Turn`` (``async_turn.py``: its
twin). Who reads the stream (docs/design.md, "Turns"): a sync turn's consumer while it iterates (no
hand-over between threads), its pump thread from the moment a wait has a deadline, tools run, or the
consumer leaves the stream unread for a second or two (``STANDBY``: the server's pings go on being answered);
the pump reads into a queue, so that a wait can give up without losing half a frame (after
``TurnTimeoutError`` the turn stays open). An async turn's pump task reads from the start.
At the end ``chatreads.py`` reads what the chat persisted since the prompt, and the
result is built from it. ``opening.py`` opens turns (``ask``, ``start_turn`` and their twins).

With client-side tools (``tools=``, a ``ToolRunner``), a turn that ends in ``requires_action`` runs the
``action_required`` event's calls in the consumer's thread or task (``toolio.py``: a tool may ask at
the terminal), submits every result in one request, calls ``TurnTracker.resume()`` and reads on until
the chat rests again, round after round. A reconnect's replayed ``action_required`` lists calls the
runner has answered: nothing runs or is sent again. Without tools the turn ends there, with its
``pending_tool_calls``.

Deadlines: ``asyncio.timeout`` in async code; in sync code each REST call is bounded on the client's
own pool (``deadline.py``). The turn's deadline covers the tools and the submission. A
``TurnTimeoutError`` says what the turn was doing and chains the error behind it, if any.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from coder_chat._runtime.exceptions import TurnError, TurnTimeoutError
from coder_chat.client import Client
from coder_chat.client.models import (
    Chat,
    ChatMessage,
    ChatStatus,
    ChatStreamActionRequired,
    ChatStreamEvent,
    ChatStreamToolCall,
    ToolResult,
)

from .._connection.loopcore import LoopCore
from .._connection.transport import ChatStream
from .._routes import Routes
from .chatreads import read_since
from .deadline import _deadline, _remaining, _step, _timeout_error
from .toolio import post_tool_results, run_tool_calls
from .toolrunner import ToolRunner
from .turncore import TurnResult, TurnTracker

__all__ = ["Turn"]

_END = object()  # the pump's last item: the stream ended
STANDBY = 1.0
"""How often a sync turn's pump thread, standing by, looks whether the consumer read its stream since;
if it did not, the pump takes the reading over (so a stream is left unread for two of these at most)."""


class _TurnBase:
    """What ``Turn`` and ``AsyncTurn`` share: the tracker, the streamed text, the outcome."""

    def __init__(
        self,
        client: Client,
        routes: Routes,
        tracker: TurnTracker,
        stream: LoopCore[ChatStreamEvent, Any],
        runner: ToolRunner | None,
    ) -> None:
        self.chat_id: UUID = tracker.chat_id
        self._client = client
        self._routes = routes
        self._tracker = tracker
        self._loop = stream
        self._streamed: list[str] = []
        self._result: TurnResult | None = None
        self._runner = runner
        self._calls: list[ChatStreamToolCall] | None = None  # the action_required that ended the turn
        # The last batch of events read (by the pump or here), the text delta (or None) of each one fed to
        # the tracker so far, and how many were handed out: an event is fed with the run it arrived in, and
        # handed out when a consumer asks for it (``_advance``).
        self._batch: list[ChatStreamEvent] = []
        self._deltas: list[str | None] = []
        self._at = 0

    def _stream_ended(self) -> TurnError:
        return TurnError("the chat stream ended before the turn did", result=self._tracker.result([]))

    def _feed(self) -> bool:
        """Feed the rest of the batch to the tracker, up to the turn's end; ``False`` when all of it was fed."""
        batch, deltas = self._batch, self._deltas
        start = len(deltas)
        if start == len(batch):
            return False
        fed = self._tracker.feed_run(batch, start)
        deltas += fed
        self._streamed.append("".join(filter(None, fed)))
        if self._tracker.ended:
            action_required = batch[len(deltas) - 1].action_required  # of the event that ended the turn
            if isinstance(action_required, ChatStreamActionRequired):
                self._calls = list(action_required.tool_calls)
        return True

    def _new_batch(self, batch: list[ChatStreamEvent]) -> None:
        self._batch, self._deltas, self._at = batch, [], 0

    def _tool_calls_due(self) -> list[ChatStreamToolCall] | None:
        """The calls for the turn's tools to answer now: the turn ended in ``requires_action`` with an
        ``action_required`` event and has a runner. ``None`` otherwise (the turn's end is its result)."""
        tracker = self._tracker
        if self._runner is None or not tracker.ended or tracker.status != ChatStatus.REQUIRES_ACTION:
            return None
        return self._calls

    def _tools_answered(self, results: list[ToolResult] | None) -> None:
        """The calls were answered (``results`` submitted, or ``None``: answered before): follow the chat on."""
        assert self._runner is not None
        if results is not None:
            self._runner.submitted(results)
        self._calls = None
        self._tracker.resume()

    def _finish(self, chat: Chat, messages: list[ChatMessage]) -> None:
        """The turn ended: its result from what the chat persisted (read just now)."""
        self._tracker.explain_failure(chat.last_error)
        self._result = self._tracker.result(messages)

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

    def _partial(self) -> TurnResult:
        """What the turn has produced so far (the result of a ``TurnTimeoutError``)."""
        return self._tracker.result([])

    def _timed_out(self, timeout: float | None) -> TurnTimeoutError:
        """``TurnTimeoutError`` for a wait that ran out, saying what was happening; raise it from the
        stream's ``_trouble`` (the error it is reconnecting after; ``None`` while it is connected)."""
        trouble = self._loop._trouble  # why the stream is reconnecting; None while it is connected
        if trouble is not None:
            doing = f"the chat stream was reconnecting after: {self._loop._masked(trouble)}"
        else:
            doing = f"waiting for the agent ({self._tracker.progress}; the turn goes on server-side)"
        return _timeout_error(timeout, doing, self._partial())


class Turn(_TurnBase):
    """A turn in progress (sync): ``text_stream``, ``events``, ``wait()``; a context manager.

    Built by ``start_turn``. The consumer reads the chat's stream while it iterates, the pump thread
    otherwise (module docstring); ``close()`` ends both.
    """

    def __init__(
        self, client: Client, routes: Routes, tracker: TurnTracker, stream: ChatStream, runner: ToolRunner | None = None
    ) -> None:
        super().__init__(client, routes, tracker, stream, runner)
        self._stream = stream
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        # Who reads the stream: the consumer while ``_pumping`` is False (deciding under ``_reader``,
        # which it holds while it reads), the pump thread from the moment it is True, for good.
        self._reader = threading.Lock()
        self._pumping = False
        self._reads = 0  # events the consumer read: the stand-by pump sees whether it still reads
        self._take_over = threading.Event()
        self._pump = threading.Thread(target=self._run_pump, name=f"coder-chat-turn-{self.chat_id}", daemon=True)
        self._pump.start()

    def _run_pump(self) -> None:
        """Stand by while the consumer reads the stream; read it into the queue from the moment the
        consumer stops reading (``STANDBY``: the server's pings go on being answered), a wait has a
        deadline or tools run (``_start_pump``), or the turn is closed."""
        while not self._pumping:
            reads = self._reads
            woken = self._take_over.wait(STANDBY)
            if not woken and self._reads != reads:
                continue  # the consumer is reading
            # Not while the consumer is in a read (blocked on a silent server: ask again later); when
            # woken by close(), once that read has ended.
            if self._reader.acquire(timeout=0.05) if woken else self._reader.acquire(blocking=False):
                self._pumping = True
                self._reader.release()
        try:
            for event in self._stream:
                self._queue.put([event, *self._stream._take_ready()])
        except BaseException as exc:  # handed to the consumer, which raises it
            self._queue.put(exc)
        self._queue.put(_END)

    def _advance(self, deadline: float | None = None, timeout: float | None = None) -> bool:
        """Whether an event fed to the tracker waits to be handed out (``_batch[_at]``): feeds the batch,
        reads the next one, runs the turn's tools or builds its result, as the turn needs; ``False`` once the
        result is built. ``TurnTimeoutError`` at ``deadline``, saying ``timeout`` (the whole call's, for ``ask``)."""
        while self._at == len(self._deltas):
            if self._result is not None:
                return False
            if self._tracker.ended:  # the turn's last event was handed out: its tools, or what it persisted
                if self._answer_tools(deadline, timeout):
                    continue
                try:
                    partial = self._partial
                    with _step(self._client, "reading the turn's result", deadline, timeout, partial):
                        chat, messages = read_since(self._client, self._routes, self.chat_id, self._tracker.message_id)
                finally:
                    self.close()
                self._finish(chat, messages)
            elif not self._feed():
                batch = self._read() if deadline is None and not self._pumping else []
                self._new_batch(batch or self._from_pump(deadline, timeout))
        return True

    def _read(self) -> list[ChatStreamEvent]:
        """Read the stream's next event in the consumer's thread, and every one already decoded after it
        (one hold of ``_reader`` for them all); nothing once the pump reads the stream."""
        with self._reader:
            if self._pumping:
                return []
            try:
                event = next(self._stream)
            except StopIteration:
                self.close()
                raise self._stream_ended() from None
            except Exception:  # the stream's error ends it (a Ctrl-C leaves the closing to the caller's `with`)
                self.close()
                raise
            self._reads += 1
            return [event, *self._stream._take_ready()]

    def _start_pump(self) -> None:
        """From now on the pump thread reads the stream, for good (no read of the consumer's under way)."""
        if not self._pumping:
            with self._reader:
                self._pumping = True
            self._take_over.set()

    def _from_pump(self, deadline: float | None, timeout: float | None) -> list[ChatStreamEvent]:
        """The pump's next batch (it reads from now on), by ``deadline``."""
        self._start_pump()
        try:
            item = self._queue.get(timeout=_remaining(deadline))
        except queue.Empty:
            raise self._timed_out(timeout) from self._loop._trouble
        if isinstance(item, list):
            return item
        self._queue.put(_END)  # the end stays: a later wait sees it too
        self.close()
        if isinstance(item, BaseException):
            raise item
        raise self._stream_ended()

    def _answer_tools(self, deadline: float | None, timeout: float | None) -> bool:
        """Run and answer the calls the turn's tools are due to answer; ``False`` when there are none."""
        calls = self._tool_calls_due()
        if calls is None:
            return False
        assert self._runner is not None
        self._start_pump()  # the stream is read meanwhile (pings answered), however long the tools take
        try:
            results = run_tool_calls(self._runner, calls, deadline=deadline)
        except TurnTimeoutError as exc:
            raise _timeout_error(timeout, f"running client-side tools ({exc})", self._partial()) from None
        if results is not None:
            with _step(self._client, "submitting the tool results", deadline, timeout, self._partial):
                post_tool_results(self._client, self.chat_id, results)
        self._tools_answered(results)
        return True

    @property
    def events(self) -> Iterator[ChatStreamEvent]:
        """This chat's ``ChatStreamEvent``s from the stream's opening until the turn ends."""

        def events() -> Iterator[ChatStreamEvent]:
            while self._at < len(self._deltas) or self._advance():
                event = self._batch[self._at]
                self._at += 1
                if event.chat_id == self.chat_id:
                    yield event

        return events()

    @property
    def text_stream(self) -> Iterator[str]:
        """The assistant's text deltas of this turn as they arrive, ending when the turn ends (the
        persisted text in one piece when the turn had ended before the stream opened)."""

        def deltas() -> Iterator[str]:
            while self._at < len(self._deltas) or self._advance():
                delta = self._deltas[self._at]
                self._at += 1
                if delta is not None:
                    yield delta
            if rest := self._rest_of_text():
                yield rest

        return deltas()

    def wait(self, timeout: float | None = None) -> TurnResult:
        """Consume what is left and return the result: ``TurnError`` for a failed turn,
        ``TurnTimeoutError`` after ``timeout`` seconds (the turn stays open: ``wait()`` may be called again)."""
        return self._wait(_deadline(timeout), timeout)

    def _wait(self, deadline: float | None, timeout: float | None) -> TurnResult:
        while self._advance(deadline, timeout):
            self._at = len(self._deltas)
        return self._outcome()

    def close(self) -> None:
        """Stop following the turn (it goes on server-side) and release the stream; idempotent."""
        self._stream.close()
        self._take_over.set()  # the pump, standing by, ends (it finds the stream closed)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Turn chat_id={self.chat_id} {'ended' if self._result is not None else 'open'}>"
