"""The sans-I/O core of a turn: which events belong to the turn that answers *this* prompt, when it
ends, and the ``TurnResult`` built from what the chat persisted. No I/O: ``_turn`` does the REST calls
and reads the stream, sync and async alike, and feeds this core.

How a turn is recognised (docs/protocol.md, "Turns", says why):

* The prompt's user message: for a new chat, its first user message (every event of the new chat is
  the turn's); for a prompt sent to an idle chat, the message the POST answered with; for a prompt the
  server queued behind a busy chat, the user message with the queued message's content persisted next
  to the ``queue_update`` that removes it: the first one after it, or else the last one before it since
  the previous status (servers persist the promoted message on either side of that update; a status
  always follows the pair). Identical prompts queued together are answered in queue order: each
  leaves the queue in its turn.
* The turn has started once the chat went through ``pending`` or ``running`` after that message.
* It ends when the chat comes to rest (``waiting``, ``completed``, ``paused``, ``error``), when the next
  prompt's user message is persisted (the server moved straight on), or with an ``error`` event.
* A queued prompt that leaves the queue without running (deleted, or dropped by an edit) ends the turn
  in ``TurnError``, as does an edit of an earlier message that cuts the prompt off.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from coder_chat.client.models import (
    ChatInputPart,
    ChatInputPartType,
    ChatMessage,
    ChatMessagePart,
    ChatStatus,
    ChatStreamEvent,
    ChatStreamEventType,
)
from coder_chat.client.types import Unset

from ._accumulator import ERROR_FALLBACK, TurnState

__all__ = ["TurnResult", "TurnToolCall", "TurnTracker", "input_parts"]

# The statuses a turn ends at, and those it starts at. Newer servers drop `completed`, `paused` and
# `pending` and add `requires_action` (the agent waits for the user, e.g. to approve a tool call: the turn
# has come to rest until the user answers) and `interrupting`, which is neither: a turn that runs is already
# started, and one that has not may be seeing the end of a previous run. ChatStatus is a StrEnum and keeps
# unknown wire values, so the wire strings match as members do.
_REST = frozenset({ChatStatus.WAITING, ChatStatus.COMPLETED, ChatStatus.PAUSED, ChatStatus.ERROR, "requires_action"})
_BUSY = frozenset({ChatStatus.PENDING, ChatStatus.RUNNING})


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


class TurnToolCall:
    """One tool call of a turn: ``id``, ``name``, ``args`` (parsed JSON), ``result`` (JSON, or ``None``
    when no result came) and ``is_error``."""

    __slots__ = ("args", "id", "is_error", "name", "result")

    def __init__(self, id: str, name: str | None, args: Any, result: Any = None, is_error: bool = False) -> None:
        self.id = id
        self.name = name
        self.args = args
        self.result = result
        self.is_error = is_error

    def __repr__(self) -> str:
        return (
            f"TurnToolCall(id={self.id!r}, name={self.name!r}, args={self.args!r}, result={self.result!r}, "
            f"is_error={self.is_error!r})"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TurnToolCall) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None  # type: ignore[assignment]


class TurnResult:
    """What a turn produced.

    ``chat_id``; ``status`` (the chat's status when the turn ended); ``messages`` (the messages
    persisted for this turn, by id, the prompt's user message first); ``text`` and ``reasoning`` (the
    assistant's, parts joined: from the persisted messages, or from the deltas that had arrived when
    the turn ended before persisting any); ``tool_calls`` (in order, each paired with its result).
    """

    __slots__ = ("chat_id", "messages", "reasoning", "status", "text", "tool_calls")

    def __init__(
        self,
        chat_id: UUID,
        status: ChatStatus | None,
        messages: list[ChatMessage],
        text: str,
        reasoning: str,
        tool_calls: list[TurnToolCall],
    ) -> None:
        self.chat_id = chat_id
        self.status = status
        self.messages = messages
        self.text = text
        self.reasoning = reasoning
        self.tool_calls = tool_calls

    def __repr__(self) -> str:
        return (
            f"TurnResult(chat_id={self.chat_id}, status={self.status!s}, messages={len(self.messages)}, "
            f"text={self.text[:60]!r}{'...' if len(self.text) > 60 else ''}, tool_calls={len(self.tool_calls)})"
        )


def _parts(message: ChatMessage) -> list[ChatMessagePart]:
    return [] if isinstance(message.content, Unset) else list(message.content)


def _content_key(parts: Sequence[ChatMessagePart]) -> list[dict[str, Any]]:
    return [part.to_dict() for part in parts]


def _json_args(value: Any) -> Any:
    """Tool-call arguments as parsed JSON: a string of JSON is parsed, anything else kept as is."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than can be parsed: kept as text
            return value
    return None if isinstance(value, Unset) else value


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
        self._expected_id: int | None = None
        self._queued_id: int | None = None
        self._queued_content: list[dict[str, Any]] | None = None
        self._queued_seen = False
        self._queued_left = False
        # User messages with the queued prompt's content persisted since the last status while it was
        # still queued: the promoted one, when the server persists it before the queue_update.
        self._candidates: list[int] = []
        # A new chat's every event is the turn's. Its stream opens after the turn began, and the
        # server's snapshot sends the status first, then the turn's parts, then the persisted messages:
        # the prompt's id may come after the turn's end (a turn that ended before the stream opened).
        self._new_chat = False
        self.deltas = TurnState()
        """The turn's ``message_part`` deltas so far (from the start of the turn, across its steps)."""

    @classmethod
    def for_new_chat(cls, chat_id: UUID) -> TurnTracker:
        """A chat created with the prompt: its first user message is the prompt, and it starts pending."""
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
    def for_queued(cls, chat_id: UUID, queued_id: int, content: Sequence[ChatMessagePart]) -> TurnTracker:
        """A prompt the server queued as queued message ``queued_id`` (its content as the server stored it)."""
        tracker = cls(chat_id)
        tracker._queued_id = queued_id
        tracker._queued_content = _content_key(content)
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

    def feed(self, event: ChatStreamEvent) -> list[str]:
        """Take the next event of the stream; returns the assistant text deltas it adds to the turn."""
        if self.ended or event.chat_id != self.chat_id:
            return []
        kind = event.type_
        if kind == ChatStreamEventType.MESSAGE and isinstance(event.message, ChatMessage):
            self._on_message(event.message)
        elif kind == ChatStreamEventType.STATUS and event.status is not None and not isinstance(event.status, Unset):
            self._on_status(event.status.status)
        elif kind == ChatStreamEventType.QUEUE_UPDATE:
            self._on_queue([] if isinstance(event.queued_messages, Unset) else [q.id for q in event.queued_messages])
        elif kind == ChatStreamEventType.ERROR and self.in_turn:
            message = None
            if event.error is not None and not isinstance(event.error, Unset):
                message = event.error.message if isinstance(event.error.message, str) else None
            self._end(ChatStatus.ERROR, (message or "").strip() or ERROR_FALLBACK)
        elif kind == ChatStreamEventType.MESSAGE_PART and self.in_turn:
            return self._on_part(event)
        return []

    def _on_message(self, message: ChatMessage) -> None:
        if message.role != "user":
            return
        if self.message_id is None:
            if self._is_prompt(message):
                self.message_id = message.id
            elif self._queued_id is not None and _content_key(_parts(message)) == self._queued_content:
                self._candidates.append(message.id)  # perhaps promoted before its queue_update: see _on_status
            return
        if message.id > self.message_id:
            if self.started:  # the next prompt is persisted: the server moved straight on to it
                self._end(self.status, None)
        elif message.id < self.message_id:  # an earlier message was edited: the prompt is cut off
            self._end(self.status, "the prompt was removed by an edit of an earlier message")
        else:  # the prompt itself was edited: its turn runs again
            self.started = False
            self._forget_deltas()

    def _is_prompt(self, message: ChatMessage) -> bool:
        if self._new_chat:
            return True  # its first user message
        if self._expected_id is not None:
            return self._expected_id == message.id
        return self._queued_left and _content_key(_parts(message)) == self._queued_content

    def _on_status(self, status: ChatStatus) -> None:
        self.status = status
        if self.message_id is None and not self._new_chat:
            if not self._queued_left:
                self._candidates.clear()  # a status ends a promotion: those were another prompt's messages
                return
            if not self._candidates:  # it left the queue and the chat moved on without it
                self._end(status, "the queued prompt was removed from the queue before it ran")
                return
            # Promoted with its user message persisted before the queue_update that removed it (v2's
            # order, and the experimental server promises none): the last such message since a status.
            self.message_id = self._candidates[-1]
            if status in _REST:  # the turn ran while the stream was away (a reconnect's snapshot)
                self.started = True
        if status in _BUSY:
            self.started = True
        elif status in _REST and self.started:
            self._end(status, ERROR_FALLBACK if status == ChatStatus.ERROR else None)

    def _on_queue(self, queued_ids: list[int]) -> None:
        if self._queued_id is None or self.message_id is not None:
            return
        if self._queued_id in queued_ids:
            self._queued_seen = True
        elif self._queued_seen:
            self._queued_left = True

    def _on_part(self, event: ChatStreamEvent) -> list[str]:
        stream_part = event.message_part
        if stream_part is None or isinstance(stream_part, Unset):
            return []
        part = stream_part.part
        self.deltas._apply(part)
        text = part.text
        return [text] if part.type_ == "text" and text and isinstance(text, str) else []

    def _forget_deltas(self) -> None:
        self.deltas = TurnState()

    def _end(self, status: ChatStatus | None, error: str | None) -> None:
        self.ended = True
        self.status = status
        self.error = error

    def explain_failure(self, last_error: object) -> None:
        """A failed turn whose ``error`` event was not seen (it ended before the stream opened) takes
        the chat's ``last_error`` (a string, or a ``ChatError`` on newer servers) as its message."""
        if self.error != ERROR_FALLBACK:
            return
        message = last_error if isinstance(last_error, str) else getattr(last_error, "message", None)
        if isinstance(message, str) and message.strip():
            self.error = message.strip()

    # --- the result ---------------------------------------------------------------------------------

    def result(self, messages: Sequence[ChatMessage]) -> TurnResult:
        """The turn's result from the chat's persisted ``messages`` (a fresh ``get_chat``, in any order)."""
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
            calls = _delta_tool_calls(deltas)
            return TurnResult(self.chat_id, self.status, mine, deltas.text, deltas.reasoning, calls)
        text, reasoning, calls, results = [], [], [], {}
        for message in mine:
            for part in _parts(message):
                if message.role == "assistant" and part.type_ == "text" and isinstance(part.text, str):
                    text.append(part.text)
                elif message.role == "assistant" and part.type_ == "reasoning" and isinstance(part.text, str):
                    reasoning.append(part.text)
                elif part.type_ == "tool-call" and isinstance(part.tool_call_id, str):
                    name = part.tool_name if isinstance(part.tool_name, str) else None
                    calls.append(TurnToolCall(part.tool_call_id, name, _json_args(part.args)))
                elif part.type_ == "tool-result" and isinstance(part.tool_call_id, str):
                    results[part.tool_call_id] = part
        for call in calls:
            result = results.get(call.id)
            if result is not None:
                call.result = None if isinstance(result.result, Unset) else result.result
                call.is_error = result.is_error is True
        return TurnResult(self.chat_id, self.status, mine, "".join(text), "".join(reasoning), calls)


def _delta_tool_calls(deltas: TurnState) -> list[TurnToolCall]:
    """The tool calls of a turn that persisted none, from its deltas: each call with its result (and a
    result whose call never came, alone), arguments as JSON (or the text so far when it is not JSON)."""
    out = []
    for call_id, call in deltas.tool_calls.items():
        args = call.args if call.args is not None or not call.args_text else _json_args(call.args_text)
        out.append(TurnToolCall(call_id, call.name, args))
    calls = {call.id: call for call in out}
    for call_id, result in deltas.tool_results.items():
        paired = calls.get(call_id)
        if paired is None:
            paired = TurnToolCall(call_id, result.name, None)
            out.append(paired)
        paired.result = result.result if result.result is not None else _json_args(result.result_text or None)
        paired.is_error = result.is_error
    return out
