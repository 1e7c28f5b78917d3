"""The sans-I/O core of a turn: which events belong to the turn that answers *this* prompt, when it
ends, and the ``TurnResult`` built from what the chat persisted. No I/O: ``turn.py`` does the REST calls
and reads the stream, sync and async alike, and feeds this core.

How a turn is recognised (docs/protocol.md, "Turns", says why):

* The prompt's user message: for a new chat, its first user message (every event of the new chat is
  the turn's); for a prompt sent to an idle chat, the message the POST answered with; for a prompt the
  server queued behind a busy chat, the user message with the queued message's content persisted next
  to the ``queue_update`` that removes it: the last new one since the previous queue change or status,
  or else the first one after it (servers persist the promoted message on either side of that update:
  v2 always before it, API-v2.md §4.6). Identical prompts queued together are answered in queue order:
  each leaves the queue in its turn.
* The turn has started once the chat went through ``pending`` or ``running`` after that message, or
  when that message is persisted while the chat is ``running`` (v2 promotes the next queued prompt
  without a status event: the chat stays ``running``).
* It ends when the chat comes to rest (``waiting``, ``completed``, ``paused``, ``error``, or
  ``requires_action`` with the ``action_required`` event that follows that status and lists the pending
  client-side tool calls), when the next prompt's user message is persisted (the server moved straight
  on), or with an ``error`` event. ``interrupting`` neither starts nor ends a turn.
* A queued prompt whose chat waits for client-side tool results before it (``requires_action`` of an
  earlier turn) can take those calls as its turn's to answer first (``answers_earlier_calls``: the turn has
  tools): the ``action_required`` ends the turn, ``resume()`` after the answer waits for the prompt again.
* A queued prompt that leaves the queue without running (deleted, or dropped by an edit) ends the turn
  in ``TurnError``, as does an edit of an earlier message that cuts the prompt off (experimental: the
  edited message arrives again; v2: a ``history_reset`` whose replayed history lacks the prompt).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from coder_chat.client.models import (
    ChatError,
    ChatInputPart,
    ChatInputPartType,
    ChatMessage,
    ChatMessagePart,
    ChatMessagePartType,
    ChatStatus,
    ChatStreamEvent,
    ChatStreamEventType,
    ChatStreamMessagePart,
)
from coder_chat.client.types import Unset

from .._accumulator import ERROR_FALLBACK, TurnState
from .turnresult import (
    TurnResult,
    TurnToolCall,
    content_key,
    delta_tool_calls,
    json_args,
    message_parts,
    persisted,
)

__all__ = ["TurnResult", "TurnToolCall", "TurnTracker", "input_parts"]

# The statuses a turn ends at, and those it starts at. v2 drops `completed` and `pending`, gives `paused`
# a new meaning (stopped at a queued message under edit: a rest) and adds `requires_action` (the agent
# waits for client-side tool results: the turn has come to rest until they are submitted) and
# `interrupting`, which is neither: a turn that runs is already started, and one that has not may be
# seeing the end of a previous run. ChatStatus is a StrEnum and keeps unknown wire values.
_REST = frozenset(
    {ChatStatus.WAITING, ChatStatus.COMPLETED, ChatStatus.PAUSED, ChatStatus.ERROR, ChatStatus.REQUIRES_ACTION}
)
_BUSY = frozenset({ChatStatus.PENDING, ChatStatus.RUNNING})
_AT_REST = _REST | {None}  # a rest, or no status seen yet
_PART = ChatStreamEventType.MESSAGE_PART
_TEXT = ChatMessagePartType.TEXT


def input_parts(prompt: str | Sequence[ChatInputPart]) -> list[ChatInputPart]:
    """The request content for ``prompt``: a ``str`` becomes one text part."""
    if isinstance(prompt, str):
        return [ChatInputPart(type_=ChatInputPartType.TEXT, text=prompt)]
    parts = list(prompt)
    for index, part in enumerate(parts):
        if not isinstance(part, ChatInputPart):
            raise TypeError(f"prompt[{index}] must be a ChatInputPart, not {type(part).__name__}")
    if not parts:
        raise ValueError("prompt has no parts")
    return parts


class TurnTracker:
    """Follows one chat's events and decides which belong to the turn, and when it ends.

    Build it with ``for_new_chat``, ``for_message`` or ``for_queued``; ``feed`` every event of the
    chat's stream in order. It folds the turn's deltas into a ``TurnState`` (the accumulator's fold, the
    one rule for deltas), for a turn that ends before persisting.
    """

    def __init__(self, chat_id: UUID) -> None:
        self.chat_id = chat_id
        self.message_id: int | None = None
        """The id of the prompt's user message, once known."""
        self.started = False
        self.ended = False
        self.status: ChatStatus | None = None
        """The chat's status as last seen (when ``ended``: the status the turn ended with)."""
        self.error: str | None = None
        """Why the turn failed (``error`` status or event, or a prompt that never ran); None if it did not."""
        self.chat_error: ChatError | None = None
        """The failure as the server described it (the ``error`` event's payload, or the chat's ``last_error``)."""
        self.pending_tool_calls: list[TurnToolCall] = []
        """The client-side tool calls of the ``action_required`` event that ended the turn."""
        self._expected_id: int | None = None
        self._queued_id: int | None = None
        self._queued_content: list[dict[str, Any]] | None = None
        self._queued_seen = False
        self._queued_left = False
        # User messages with the queued prompt's content persisted since the last queue change or status,
        # newer than every message seen before: the promoted one, when the server persists it before the
        # queue_update that removes it (always on v2).
        self._candidates: list[int] = []
        self._newest_id = 0
        # Recognised at its queue_update before it started: a rest status next means it ran meanwhile
        # (a reconnection's snapshot, which sends the chat's state, not its path there).
        self._promoted = False
        self._messages_first = False
        # Between a `history_reset` and the next event that is not a message: the ids of the history the
        # server replays (v2, after an edit), to tell whether the prompt survived the edit. (Only a newer
        # user message without the prompt before it decides: a replay the stream thinned out of what the
        # caller already has proves nothing by what it lacks.)
        self._replayed: set[int] | None = None
        # The chat reached `requires_action`: the turn ends with the `action_required` that follows.
        self._awaiting_action = False
        # A queued prompt's turn answers the calls the chat waits for before the prompt runs (it has tools),
        # and has ended at such calls (resume() then waits for the prompt again, not started).
        self._answers_earlier_calls = False
        self._at_earlier_calls = False
        # A new chat's every event is the turn's. Its stream opens after the turn began, and the
        # server's snapshot sends the status first, then the turn's parts, then the persisted messages:
        # the prompt's id may come after the turn's end (a turn that ended before the stream opened).
        self._new_chat = False
        self._chat_seen: object = chat_id  # the last event's chat_id object that equalled chat_id
        self.deltas = TurnState()
        """The turn's ``message_part`` deltas so far (from the start of the turn, across its steps)."""

    @classmethod
    def for_new_chat(cls, chat_id: UUID) -> TurnTracker:
        """A chat created with the prompt: its first user message is the prompt, and it starts at once."""
        tracker = cls(chat_id)
        tracker.started = True
        tracker._new_chat = True
        return tracker

    @classmethod
    def for_message(cls, chat_id: UUID, message_id: int) -> TurnTracker:
        """A prompt the server persisted at once as message ``message_id``."""
        tracker = cls(chat_id)
        tracker._expected_id = message_id
        return tracker

    @classmethod
    def for_queued(
        cls,
        chat_id: UUID,
        queued_id: int,
        content: Sequence[ChatMessagePart],
        *,
        known_id: int | None = None,
        messages_first: bool = False,
        answers_earlier_calls: bool = False,
    ) -> TurnTracker:
        """A prompt the server queued as queued message ``queued_id`` (its content as the server stored it);
        ``known_id``: the chat's newest message id when the prompt was sent (older ones are not it);
        ``messages_first``: the server always sends a promoted prompt's message before the ``queue_update``
        that empties its slot (v2), so a slot emptied without it means the prompt will not run;
        ``answers_earlier_calls``: an ``action_required`` before the prompt's message (the chat waits for
        tool results ahead of the queue) ends the turn in ``requires_action``, for the turn's tools to answer."""
        tracker = cls(chat_id)
        tracker._answers_earlier_calls = answers_earlier_calls
        tracker._queued_id = queued_id
        tracker._queued_content = content_key(content)
        tracker._newest_id = known_id or 0
        tracker._messages_first = messages_first
        return tracker

    @property
    def progress(self) -> str:
        """Where the turn stands, in words (``TurnTimeoutError`` says it)."""
        if self.message_id is None and self._queued_id is not None:
            return "the prompt was sent and waits in the chat's queue"
        if self.started and self.status == ChatStatus.RUNNING:
            return "the prompt was sent; the agent is working on it"
        return "the prompt was sent; the agent has not started on it"

    @property
    def in_turn(self) -> bool:
        """Whether the events now arriving belong to the turn (its message is persisted, it has not ended)."""
        return (self._new_chat or self.message_id is not None) and not self.ended

    def feed(self, event: ChatStreamEvent) -> str | None:
        """Take the next event of the stream; returns the assistant text delta it adds to the turn, if any."""
        chat_id = event.chat_id
        if self.ended or (chat_id is not self._chat_seen and chat_id != self.chat_id):
            return None
        self._chat_seen = chat_id  # the decoder reuses one UUID object for a run of events: `is` next time
        kind = event.type_
        if self._replayed is not None and kind != ChatStreamEventType.MESSAGE:
            self._replayed = None  # the replay is over
        if self._awaiting_action:
            self._on_action_required(event)
            return None
        if kind == ChatStreamEventType.MESSAGE and isinstance(event.message, ChatMessage):
            self._on_message(event.message)
        elif kind == ChatStreamEventType.HISTORY_RESET:
            self._replayed = set()
            self._candidates.clear()
        elif kind == ChatStreamEventType.STATUS and event.status is not None and not isinstance(event.status, Unset):
            self._on_status(event.status.status)
        elif kind == ChatStreamEventType.QUEUE_UPDATE:
            self._on_queue([] if isinstance(event.queued_messages, Unset) else [q.id for q in event.queued_messages])
        elif kind == ChatStreamEventType.ERROR and self.in_turn:
            message = None
            if event.error is not None and not isinstance(event.error, Unset):
                message = event.error.message if isinstance(event.error.message, str) else None
                self.chat_error = ChatError.from_dict(event.error.to_dict())
            self._end(ChatStatus.ERROR, (message or "").strip() or ERROR_FALLBACK)
        elif kind == ChatStreamEventType.MESSAGE_PART and self.in_turn:
            return self._on_part(event)
        elif kind == ChatStreamEventType.ACTION_REQUIRED and self._answers_earlier_calls and self.message_id is None:
            self._at_earlier_calls = True  # calls ahead of the queued prompt: answered, then resume() waits on
            self._on_action_required(event)
        return None

    def feed_run(self, events: Sequence[ChatStreamEvent], start: int) -> list[str | None]:
        """``feed`` for ``events[start:]``, in order, until the turn ends: the text delta each event taken
        adds (``None`` for none), one per event. The turn's parts between other events are folded as a run."""
        deltas: list[str | None] = []
        at, count = start, len(events)
        while at < count and not self.ended:
            if self._replayed is None and not self._awaiting_action and (self._new_chat or self.message_id is not None):
                at = self._parts_run(events, at, deltas)
                if at == count:
                    break
            deltas.append(self.feed(events[at]))
            at += 1
        return deltas

    def _parts_run(self, events: Sequence[ChatStreamEvent], at: int, deltas: list[str | None]) -> int:
        """``_on_part`` for the turn's parts from ``events[at]`` on (the bulk of a stream: nothing they hold
        changes which events are the turn's); where the run stops, at an event ``feed`` must take."""
        chat, fold, stream_class = self._chat_seen, self.deltas._apply, ChatStreamMessagePart
        texts: list[str] = []
        count = len(events)
        while at < count:
            event = events[at]
            kind, stream_part = event.type_, event.message_part
            # (identity first, the decoder's objects; equality and isinstance for an event built by hand, as `feed`)
            if (kind is not _PART and kind != _PART) or event.chat_id is not chat:
                break
            if stream_part.__class__ is not stream_class and not isinstance(stream_part, stream_class):
                break
            part = stream_part.part
            part_type, text = part.type_, part.text
            if part_type is not _TEXT and part_type != "text":
                fold(part)
                deltas.append(None)
            elif text and isinstance(text, str):
                texts.append(text)
                deltas.append(text)
            else:
                deltas.append(None)
            at += 1
        if texts:  # folded as one piece: the text's buffer grows once a run
            self.deltas._add_text("".join(texts))
        return at

    def _on_message(self, message: ChatMessage) -> None:
        newest, self._newest_id = self._newest_id, max(self._newest_id, message.id)
        if self._replayed is not None:
            self._replayed.add(message.id)
        if message.role != "user":
            if self.message_id is not None and message.id > self.message_id:
                self.started = True  # the agent answered the prompt: it ran, perhaps while the stream was away
            return
        if self.message_id is None:
            if self._is_prompt(message):
                self._found(message.id)
            elif (
                self._queued_id is not None
                and message.id > newest
                and content_key(message_parts(message)) == self._queued_content
            ):
                self._candidates.append(message.id)  # perhaps promoted before its queue_update: see _on_queue
            return
        if self._replayed is not None and self.message_id not in self._replayed and message.id > self.message_id:
            # The replay, in id order, went past the prompt without it to a newer user message: the edit's
            # replacement (v2 gives the edited message a new id and drops every later one).
            self._end(self.status, _REWRITTEN)
        elif message.id > self.message_id:
            if self.started:  # the next prompt is persisted: the server moved straight on to it
                self._end(self.status, None)
        elif self._replayed is not None:
            return  # the history a reset replays: whether the prompt survived is decided at its end
        elif message.id < self.message_id:  # an earlier message was edited: the prompt is cut off
            self._end(self.status, _CUT_OFF)
        else:  # the prompt itself was edited: its turn runs again
            self.started = False
            self._forget_deltas()

    def _found(self, message_id: int) -> None:
        """The prompt's user message is ``message_id``. A queued prompt persisted while the chat runs has
        started: v2 promotes it without a status event (the chat stays ``running``). (A prompt sent to an
        idle chat is followed by its own status: a ``running`` before it is a previous run's end.)"""
        self.message_id = message_id
        if self.status == ChatStatus.RUNNING and self._queued_id is not None:
            self.started = True

    def _is_prompt(self, message: ChatMessage) -> bool:
        if self._new_chat:
            return True  # its first user message
        if self._expected_id is not None:
            return self._expected_id == message.id
        return self._queued_left and content_key(message_parts(message)) == self._queued_content

    def _on_status(self, status: ChatStatus) -> None:
        previous, self.status = self.status, status
        if self._promoted and status in _REST:  # the promoted prompt ran while the stream was away
            self.started = True
        self._promoted = False
        if self.message_id is None and not self._new_chat:
            if not self._queued_left:
                self._candidates.clear()  # a status ends a promotion: those were another prompt's messages
                return
            if not self._candidates:  # it left the queue and the chat moved on without it
                self._end(status, _NEVER_RAN)
                return
            self._found(self._candidates[-1])
            if status in _REST:  # the turn ran while the stream was away (a reconnect's snapshot)
                self.started = True
        if status in _BUSY:
            self.started = True
        elif self._expected_id is not None and self.message_id is not None and status in _REST and previous in _AT_REST:
            # A prompt the server took at once, at rest, is followed by its own status: a rest after its message
            # and a rest means it ran while the stream was away (a reconnection's sync gives the chat's state,
            # not its path). After a busy status, a rest may be the end of a previous run.
            self.started = True
        if status == ChatStatus.REQUIRES_ACTION and self.started:
            self._awaiting_action = True  # the action_required event follows with the pending calls
        elif status in _REST and self.started:
            self._end(status, ERROR_FALLBACK if status == ChatStatus.ERROR else None)

    def _on_action_required(self, event: ChatStreamEvent) -> None:
        """The event after ``requires_action``: the ``action_required`` that lists the pending calls ends the
        turn; any other event ends it too (the calls are then read from the persisted history)."""
        self._awaiting_action = False
        payload = event.action_required
        if (
            event.type_ == ChatStreamEventType.ACTION_REQUIRED
            and payload is not None
            and not isinstance(payload, Unset)
        ):
            self.pending_tool_calls = [
                TurnToolCall(call.tool_call_id, call.tool_name, json_args(call.args)) for call in payload.tool_calls
            ]
        self._end(ChatStatus.REQUIRES_ACTION, None)

    def _on_queue(self, queued_ids: list[int]) -> None:
        if self._queued_id is None or self.message_id is not None:
            return
        if self._queued_id in queued_ids:
            self._queued_seen = True
            self._candidates.clear()  # still queued: those messages were another prompt's
        elif self._queued_seen:
            self._queued_left = True
            if self._candidates:  # promoted, its user message persisted just before this update (v2's order)
                self._found(self._candidates[-1])
                self._candidates.clear()
                self._promoted = not self.started
            elif self._messages_first:  # v2: deleted, or dropped by an edit (which empties the queue)
                self._end(self.status, _NEVER_RAN)

    def _on_part(self, event: ChatStreamEvent) -> str | None:
        deltas: list[str | None] = []
        self._parts_run((event,), 0, deltas)
        return deltas[0] if deltas else None

    def _forget_deltas(self) -> None:
        self.deltas = TurnState()

    def _end(self, status: ChatStatus | None, error: str | None) -> None:
        self.ended = True
        self.status = status
        self.error = error

    def resume(self) -> None:
        """Follow the turn again after it ended in ``requires_action`` and its tool results were submitted:
        the chat runs on, and the turn ends when it rests again (where a client-side tool runner goes on)."""
        if not (self.ended and self.status == ChatStatus.REQUIRES_ACTION):
            raise RuntimeError("only a turn that ended in requires_action can be resumed")
        self.ended = False
        if not self._at_earlier_calls:  # (calls ahead of the prompt: it has yet to run)
            self.started = True
        self._at_earlier_calls = False
        self.pending_tool_calls = []

    def explain_failure(self, last_error: object) -> None:
        """A failed turn takes the chat's ``last_error`` (a string, or a ``ChatError`` on newer servers) as
        its ``chat_error`` when no ``error`` event brought one, and as its message when none was seen (it
        ended at the ``error`` status, or before the stream opened)."""
        if self.error is None:
            return
        if isinstance(last_error, ChatError) and self.chat_error is None:
            self.chat_error = last_error
        elif isinstance(last_error, str) and last_error.strip() and self.chat_error is None:
            self.chat_error = ChatError(message=last_error.strip())
        if self.error != ERROR_FALLBACK:
            return
        message = last_error if isinstance(last_error, str) else getattr(last_error, "message", None)
        if isinstance(message, str) and message.strip():
            self.error = message.strip()
        if self.chat_error is None:
            self.chat_error = ChatError(message=self.error)

    # --- the result ---------------------------------------------------------------------------------

    def result(self, messages: Sequence[ChatMessage]) -> TurnResult:
        """The turn's result from the chat's persisted ``messages`` (the turn's and any others, in any order)."""
        mine: list[ChatMessage] = []
        ordered = sorted(messages, key=lambda m: m.id)
        if self.message_id is None and self._new_chat:
            self.message_id = next((m.id for m in ordered if m.role == "user"), None)
        if self.message_id is not None:
            for message in ordered:
                if message.id < self.message_id:
                    continue
                if message.role == "user" and message.id != self.message_id:
                    break  # the next prompt's turn starts here
                mine.append(message)
        assistant = [m for m in mine if m.role == "assistant"]
        if not assistant:  # the turn ended before persisting an answer: what the deltas said
            deltas = self.deltas
            calls = delta_tool_calls(deltas)
            text, reasoning = deltas.text, deltas.reasoning
        else:
            text, reasoning, calls = persisted(mine)
        return TurnResult(
            self.chat_id, self.status, mine, text, reasoning, calls, self._pending(calls), self._failure()
        )

    def _pending(self, calls: list[TurnToolCall]) -> list[TurnToolCall]:
        """The calls waiting for client-side results: the ``action_required`` event's, else (a server that
        did not send it) the turn's calls without a result."""
        if self.status != ChatStatus.REQUIRES_ACTION:
            return []
        if self.pending_tool_calls:
            return list(self.pending_tool_calls)
        return [TurnToolCall(c.id, c.name, c.args) for c in calls if c.result is None and not c.is_error]

    def _failure(self) -> ChatError | None:
        if self.error is None:
            return None
        return self.chat_error if self.chat_error is not None else ChatError(message=self.error)


_NEVER_RAN = "the queued prompt was removed from the queue before it ran"
_CUT_OFF = "the prompt was removed by an edit of an earlier message"
_REWRITTEN = "the prompt was removed by an edit of the chat's history"
