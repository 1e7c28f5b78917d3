"""What a turn produced: ``TurnResult`` and its ``TurnToolCall``s, built from the messages the turn
persisted (or, for a turn that ended before persisting, from its deltas). No I/O; ``turncore.py``'s
``TurnTracker.result`` builds them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from coder_chat.client.models import ChatError, ChatMessage, ChatMessagePart, ChatStatus
from coder_chat.client.types import Unset

from .._accumulator import TurnState

__all__ = ["TurnResult", "TurnToolCall", "content_key", "delta_tool_calls", "json_args", "message_parts", "persisted"]


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
    the turn ended before persisting any); ``tool_calls`` (in order, each paired with its result);
    ``pending_tool_calls`` (a turn that ended in ``requires_action``: the client-side tool calls waiting
    for results, each with ``id``, ``name`` and ``args``; empty otherwise); ``error`` (the ``ChatError``
    of a failed turn, ``kind`` and all on v2, ``message`` alone on the experimental API; else ``None``).
    """

    __slots__ = ("chat_id", "error", "messages", "pending_tool_calls", "reasoning", "status", "text", "tool_calls")

    def __init__(
        self,
        chat_id: UUID,
        status: ChatStatus | None,
        messages: list[ChatMessage],
        text: str,
        reasoning: str,
        tool_calls: list[TurnToolCall],
        pending_tool_calls: list[TurnToolCall] | None = None,
        error: ChatError | None = None,
    ) -> None:
        self.chat_id = chat_id
        self.status = status
        self.messages = messages
        self.text = text
        self.reasoning = reasoning
        self.tool_calls = tool_calls
        self.pending_tool_calls: list[TurnToolCall] = [] if pending_tool_calls is None else pending_tool_calls
        self.error = error

    def __repr__(self) -> str:
        pending = f", pending_tool_calls={len(self.pending_tool_calls)}" if self.pending_tool_calls else ""
        return (
            f"TurnResult(chat_id={self.chat_id}, status={self.status!s}, messages={len(self.messages)}, "
            f"text={self.text[:60]!r}{'...' if len(self.text) > 60 else ''}, tool_calls={len(self.tool_calls)}"
            f"{pending})"
        )


# Printed and pickled under their public module (coder_chat.streaming lists them as defined in _turncore,
# which re-exports them from here).
TurnToolCall.__module__ = TurnResult.__module__ = "coder_chat.streaming"


def message_parts(message: ChatMessage) -> list[ChatMessagePart]:
    return [] if isinstance(message.content, Unset) else list(message.content)


def content_key(parts: Sequence[ChatMessagePart]) -> list[dict[str, Any]]:
    return [part.to_dict() for part in parts]


def json_args(value: Any) -> Any:
    """Tool-call arguments as parsed JSON: a string of JSON is parsed, anything else kept as is."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than can be parsed: kept as text
            return value
    return None if isinstance(value, Unset) else value


def persisted(mine: list[ChatMessage]) -> tuple[str, str, list[TurnToolCall]]:
    """The text, reasoning and tool calls (paired with their results by id) of the turn's messages."""
    text, reasoning, calls, results = [], [], [], {}
    for message in mine:
        for part in message_parts(message):
            if message.role == "assistant" and part.type_ == "text" and isinstance(part.text, str):
                text.append(part.text)
            elif message.role == "assistant" and part.type_ == "reasoning" and isinstance(part.text, str):
                reasoning.append(part.text)
            elif part.type_ == "tool-call" and isinstance(part.tool_call_id, str):
                name = part.tool_name if isinstance(part.tool_name, str) else None
                calls.append(TurnToolCall(part.tool_call_id, name, json_args(part.args)))
            elif part.type_ == "tool-result" and isinstance(part.tool_call_id, str):
                results[part.tool_call_id] = part
    for call in calls:
        result = results.get(call.id)
        if result is not None:
            call.result = None if isinstance(result.result, Unset) else result.result
            call.is_error = result.is_error is True
    return "".join(text), "".join(reasoning), calls


def delta_tool_calls(deltas: TurnState) -> list[TurnToolCall]:
    """The tool calls of a turn that persisted none, from its deltas: each call with its result (and a
    result whose call never came, alone), arguments as JSON (or the text so far when it is not JSON)."""
    out = []
    for call_id, call in deltas.tool_calls.items():
        args = call.args if call.args is not None or not call.args_text else json_args(call.args_text)
        out.append(TurnToolCall(call_id, call.name, args))
    calls = {call.id: call for call in out}
    for call_id, result in deltas.tool_results.items():
        paired = calls.get(call_id)
        if paired is None:
            paired = TurnToolCall(call_id, result.name, None)
            out.append(paired)
        paired.result = result.result if result.result is not None else json_args(result.result_text or None)
        paired.is_error = result.is_error
    return out
