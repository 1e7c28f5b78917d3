"""Fold stream events into the state of one chat, with the official web client's rules (docs/protocol.md).

``ChatAccumulator`` keeps what a UI shows: the status, the persisted messages, the queue, the error
and retry banners, sub-agent statuses, the client-side tool calls a v2 chat waits for, and the
in-progress assistant ``TurnState`` assembled from ``message_part`` deltas. It never stores events,
so its size is that of the chat, not of the stream. Both API generations' events fold alike; v2 adds
``history_reset`` (an edit rewrote the history: the messages that follow replace the transcript),
``preview_reset`` (a new episode: the in-progress turn starts over) and ``action_required``.

A consumer that opens a fresh stream (a new ``stream_chat``, not a reconnect of the same one, which
the transport deduplicates) should start a fresh accumulator: the server replays the current turn's
parts from its start, and an old accumulator would append them twice.

To join a chat whose turn is already running, start from its ``get_chat`` answer, as the web client
does, and stream after its last message::

    state = ChatAccumulator.from_chat(get_chat.sync(chat_id, client=client))
    with stream_chat(client, chat_id, after_id=state.last_message_id) as stream: ...

A fresh accumulator would instead see the snapshot's persisted messages after the replayed parts,
take each for new, and reset the turn it had just rebuilt.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable
from typing import Any
from uuid import UUID

from coder_chat.client.models import (
    ChatMessage,
    ChatMessagePart,
    ChatMessagePartType,
    ChatQueuedMessage,
    ChatStatus,
    ChatStreamActionRequired,
    ChatStreamError,
    ChatStreamEvent,
    ChatStreamEventType,
    ChatStreamMessagePart,
    ChatStreamRetry,
    ChatStreamStatus,
    ChatStreamToolCall,
    ChatWithMessages,
)
from coder_chat.client.types import Unset

__all__ = ["ERROR_FALLBACK", "ChatAccumulator", "ToolCall", "ToolResult", "TurnState"]

ERROR_FALLBACK = "Chat processing failed."
"""``ChatAccumulator.error`` after an ``error`` event with a blank message (the web client's text)."""

# Statuses in which the chat is not generating: the turn is discarded and late parts are dropped. v2's
# `paused` and `requires_action` are rests too; `interrupting` is not (the run is still stopping).
_IDLE_STATUSES = frozenset({ChatStatus.PENDING, ChatStatus.WAITING, ChatStatus.PAUSED, ChatStatus.REQUIRES_ACTION})


class _TextBuffer:
    """Append-only text. ``StringIO`` keeps a turn of many tiny deltas compact (one buffer, not one
    object per delta); the joined value is cached until the next append."""

    __slots__ = ("_buffer", "_value")

    def __init__(self) -> None:
        self._buffer = io.StringIO(newline="")  # newline="": keep "\r\n" as sent
        self._value: str | None = ""

    def append(self, chunk: str) -> None:
        self._buffer.write(chunk)
        self._value = None

    @property
    def value(self) -> str:
        if self._value is None:
            self._value = self._buffer.getvalue()
        return self._value


class ToolCall:
    """A tool call of the in-progress turn: streamed ``args_delta`` fragments and/or the complete ``args``."""

    __slots__ = ("_args", "_args_text", "_complete_args", "_parsed_length", "id", "name")

    def __init__(self, tool_call_id: str, name: str | None = None) -> None:
        self.id = tool_call_id
        self.name = name
        self._args_text = _TextBuffer()
        self._complete_args: Any = None
        self._args: Any = None
        self._parsed_length = -1  # length of args_text when _args was last computed

    @property
    def args_text(self) -> str:
        """The ``args_delta`` fragments so far, concatenated (``""`` when only complete ``args`` came)."""
        return self._args_text.value

    @property
    def args(self) -> Any:
        """The arguments as JSON: the complete ``args`` when the server sent them, else ``args_text``
        once it parses as a whole; ``None`` until then. Parsed on access, at most once per new text."""
        if self._complete_args is not None:
            return self._complete_args
        text = self._args_text.value
        if len(text) != self._parsed_length:
            self._parsed_length = len(text)
            try:
                self._args = json.loads(text) if text.strip() else None
            except (ValueError, RecursionError):  # not complete yet (or never valid): no arguments so far
                self._args = None
        return self._args

    def __repr__(self) -> str:
        return f"ToolCall(id={self.id!r}, name={self.name!r}, args_text={self.args_text!r}, args={self.args!r})"


class ToolResult:
    """A tool result of the in-progress turn: the complete ``result`` and/or streamed ``result_delta`` text."""

    __slots__ = ("_result_text", "id", "is_error", "name", "result")

    def __init__(self, tool_call_id: str, name: str | None = None) -> None:
        self.id = tool_call_id
        self.name = name
        self.result: Any = None
        self.is_error = False
        self._result_text = _TextBuffer()

    @property
    def result_text(self) -> str:
        """The ``result_delta`` fragments so far, concatenated."""
        return self._result_text.value

    def __repr__(self) -> str:
        return (
            f"ToolResult(id={self.id!r}, name={self.name!r}, result={self.result!r}, "
            f"result_text={self.result_text!r}, is_error={self.is_error!r})"
        )


class TurnState:
    """The in-progress assistant turn, built from ``message_part`` deltas until a persisted message replaces it.

    ``tool_calls`` and ``tool_results`` are keyed by ``tool_call_id`` (a generated ``generated-<hex>`` id
    when the part had none); ``sources`` are the ``source`` parts, first one per url.
    """

    __slots__ = ("_reasoning", "_source_urls", "_text", "sources", "tool_calls", "tool_results")

    def __init__(self) -> None:
        self._text: _TextBuffer | None = None  # created on first use: most turns of a replay stay empty
        self._reasoning: _TextBuffer | None = None
        self.tool_calls: dict[str, ToolCall] = {}
        self.tool_results: dict[str, ToolResult] = {}
        self.sources: list[ChatMessagePart] = []
        self._source_urls: set[str] = set()

    @property
    def text(self) -> str:
        """The response text so far."""
        return "" if self._text is None else self._text.value

    @property
    def reasoning(self) -> str:
        """The reasoning ("thinking") text so far."""
        return "" if self._reasoning is None else self._reasoning.value

    @property
    def is_empty(self) -> bool:
        """True when no part has been accumulated since the turn started."""
        return (
            self._text is None
            and self._reasoning is None
            and not self.tool_calls
            and not self.tool_results
            and not self.sources
        )

    def __repr__(self) -> str:
        return (
            f"TurnState(text={self.text!r}, reasoning={self.reasoning!r}, "
            f"tool_calls={list(self.tool_calls.values())!r}, "
            f"tool_results={list(self.tool_results.values())!r}, sources={[s.url for s in self.sources]!r})"
        )

    def _apply(self, part: ChatMessagePart) -> None:
        # Unknown types (file parts, types from newer servers, "banana") are ignored, as the web client does.
        handler = _PART_HANDLERS.get(part.type_)
        if handler is not None:
            handler(self, part)

    def _apply_text(self, part: ChatMessagePart) -> None:
        if part.text and isinstance(part.text, str):  # empty text is ignored
            self._add_text(part.text)

    def _add_text(self, text: str) -> None:
        if self._text is None:
            self._text = _TextBuffer()
        self._text.append(text)

    def _apply_reasoning(self, part: ChatMessagePart) -> None:
        if part.text and isinstance(part.text, str):
            if self._reasoning is None:
                self._reasoning = _TextBuffer()
            self._reasoning.append(part.text)

    def _apply_tool_call(self, part: ChatMessagePart) -> None:
        call_id = _tool_call_id(part)
        call = self.tool_calls.get(call_id)
        if call is None:
            call = self.tool_calls[call_id] = ToolCall(call_id)
        if part.tool_name and isinstance(part.tool_name, str):
            call.name = part.tool_name
        if part.args_delta and isinstance(part.args_delta, str):
            call._args_text.append(part.args_delta)
        if part.args is not None and not isinstance(part.args, Unset):
            call._complete_args = part.args

    def _apply_tool_result(self, part: ChatMessagePart) -> None:
        call_id = _tool_call_id(part)
        result = self.tool_results.get(call_id)
        if result is None:
            result = self.tool_results[call_id] = ToolResult(call_id)
        if part.tool_name and isinstance(part.tool_name, str):
            result.name = part.tool_name
        if part.result is not None and not isinstance(part.result, Unset):
            result.result = part.result
        if part.result_delta and isinstance(part.result_delta, str):
            result._result_text.append(part.result_delta)
        if isinstance(part.is_error, bool):
            result.is_error = part.is_error

    def _apply_source(self, part: ChatMessagePart) -> None:
        url = part.url
        # A source is only worth its url, which the web client deduplicates by (later servers require it).
        if url and isinstance(url, str) and url not in self._source_urls:
            self._source_urls.add(url)
            self.sources.append(part)


_PART_HANDLERS: dict[str, Callable[[TurnState, ChatMessagePart], None]] = {
    ChatMessagePartType.TEXT: TurnState._apply_text,
    ChatMessagePartType.REASONING: TurnState._apply_reasoning,
    ChatMessagePartType.TOOL_CALL: TurnState._apply_tool_call,
    ChatMessagePartType.TOOL_RESULT: TurnState._apply_tool_result,
    ChatMessagePartType.SOURCE: TurnState._apply_source,
}


def _tool_call_id(part: ChatMessagePart) -> str:
    call_id = part.tool_call_id
    if call_id and isinstance(call_id, str):
        return call_id
    # The web client gives an id-less call its own fresh id, so it can never merge into another call.
    return f"generated-{uuid.uuid4().hex}"


class ChatAccumulator:
    """The state of one chat, folded from its stream events with ``apply``.

    ``status`` (``None`` until a status event), ``messages`` (persisted, by id), ``queued_messages``,
    ``error`` and ``retry`` (the banners: ``error`` is the message text, ``chat_error`` the whole
    ``ChatStreamError``: on v2 its ``kind``, ``retryable``, ``provider``, ``status_code`` too),
    ``pending_tool_calls`` (v2 ``action_required``: the client-side tool calls the chat waits for, until
    the next status other than ``requires_action``), ``subagent_statuses`` (statuses of other chats seen
    on this stream) and ``turn`` (the in-progress assistant turn; a new ``TurnState`` on every reset).
    Events for other chats are ignored except their statuses. Not thread-safe: apply from one thread.
    """

    def __init__(self, chat_id: UUID | str) -> None:
        self.chat_id = chat_id if isinstance(chat_id, UUID) else UUID(chat_id)
        self.status: ChatStatus | None = None
        self.error: str | None = None
        self.chat_error: ChatStreamError | None = None
        self.pending_tool_calls: list[ChatStreamToolCall] = []
        self.retry: ChatStreamRetry | None = None
        self.queued_messages: list[ChatQueuedMessage] = []
        self.subagent_statuses: dict[UUID, ChatStatus] = {}
        self.turn = TurnState()
        self._messages: dict[int, ChatMessage] = {}
        self._sorted: list[ChatMessage] | None = []  # the messages by id; None when it must be re-sorted
        self._idle = False  # status is pending or waiting: parts are dropped

    @classmethod
    def from_chat(cls, chat: ChatWithMessages) -> ChatAccumulator:
        """Start from a ``get_chat`` answer: its status, persisted messages and queue (see the module docstring)."""
        state = cls(chat.chat.id)
        state.status = chat.chat.status
        state._idle = state.status in _IDLE_STATUSES
        state._messages = {message.id: message for message in chat.messages}
        state._sorted = None
        state.queued_messages = list(chat.queued_messages)
        return state

    @property
    def last_message_id(self) -> int | None:
        """The highest persisted message id held, for ``stream_chat(..., after_id=...)``; None when none."""
        return max(self._messages, default=None)

    @property
    def messages(self) -> list[ChatMessage]:
        """The persisted messages, ordered by id (a new list on each access)."""
        if self._sorted is None:
            self._sorted = sorted(self._messages.values(), key=_message_id)
        return list(self._sorted)

    def apply(self, event: ChatStreamEvent) -> None:
        """Fold one event into the state; events of unknown types are ignored."""
        if event.chat_id != self.chat_id:
            # A sub-agent's status shows beside the chat; anything else about another chat is not ours.
            if event.type_ is ChatStreamEventType.STATUS and isinstance(event.status, ChatStreamStatus):
                self.subagent_statuses[event.chat_id] = event.status.status
            return
        handler = _HANDLERS.get(event.type_)
        if handler is not None:
            handler(self, event)

    def _on_message_part(self, event: ChatStreamEvent) -> None:
        if self._idle:
            return  # a part racing a pending/waiting status belongs to a turn that is over
        stream_part = event.message_part
        if isinstance(stream_part, ChatStreamMessagePart):
            self.turn._apply(stream_part.part)

    def _on_message(self, event: ChatStreamEvent) -> None:
        message = event.message
        if not isinstance(message, ChatMessage):
            return
        previous = self._messages.get(message.id)
        if previous is not None and previous == message:
            return  # a snapshot replay of a message we hold: the turn in progress stays
        self._messages[message.id] = message
        if previous is None and self._sorted is not None and (not self._sorted or self._sorted[-1].id < message.id):
            self._sorted.append(message)  # the usual case: messages arrive in id order
        else:
            self._sorted = None
        # The turn is now persisted (or superseded by an edit): a following part starts a new one.
        self.turn = TurnState()

    def _on_status(self, event: ChatStreamEvent) -> None:
        if not isinstance(event.status, ChatStreamStatus):
            return
        status = event.status.status
        self.status = status
        if status != ChatStatus.ERROR:
            self.error = None
            self.chat_error = None
        if status != ChatStatus.REQUIRES_ACTION:
            self.pending_tool_calls = []
        if status == ChatStatus.RUNNING:
            self.retry = None
        self._idle = status in _IDLE_STATUSES
        if self._idle:
            self.turn = TurnState()

    def _on_error(self, event: ChatStreamEvent) -> None:
        self.status = ChatStatus.ERROR
        self._idle = False
        error = event.error if isinstance(event.error, ChatStreamError) else None
        self.chat_error = error
        self.error = (error.message.strip() if error is not None else "") or ERROR_FALLBACK

    def _on_queue_update(self, event: ChatStreamEvent) -> None:
        # The seed server omits an empty queue's key (Go omitempty): missing means empty.
        queued = event.queued_messages
        self.queued_messages = [] if isinstance(queued, Unset) else list(queued)

    def _on_retry(self, event: ChatStreamEvent) -> None:
        if isinstance(event.retry, ChatStreamRetry):
            self.retry = event.retry

    def _on_action_required(self, event: ChatStreamEvent) -> None:
        required = event.action_required
        if isinstance(required, ChatStreamActionRequired):
            self.pending_tool_calls = list(required.tool_calls)

    def _on_preview_reset(self, _event: ChatStreamEvent) -> None:
        # A new episode (history version or generation attempt): the parts so far are void.
        self.turn = TurnState()

    def _on_history_reset(self, _event: ChatStreamEvent) -> None:
        # The history was rewritten: the whole visible history follows as message events.
        self._messages = {}
        self._sorted = []
        self.turn = TurnState()


def _message_id(message: ChatMessage) -> int:
    return message.id


_HANDLERS: dict[ChatStreamEventType, Callable[[ChatAccumulator, ChatStreamEvent], None]] = {
    ChatStreamEventType.MESSAGE_PART: ChatAccumulator._on_message_part,
    ChatStreamEventType.MESSAGE: ChatAccumulator._on_message,
    ChatStreamEventType.STATUS: ChatAccumulator._on_status,
    ChatStreamEventType.ERROR: ChatAccumulator._on_error,
    ChatStreamEventType.QUEUE_UPDATE: ChatAccumulator._on_queue_update,
    ChatStreamEventType.RETRY: ChatAccumulator._on_retry,
    ChatStreamEventType.ACTION_REQUIRED: ChatAccumulator._on_action_required,
    ChatStreamEventType.PREVIEW_RESET: ChatAccumulator._on_preview_reset,
    ChatStreamEventType.HISTORY_RESET: ChatAccumulator._on_history_reset,
}
