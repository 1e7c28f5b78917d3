"""Follow a chat as it happens: the websocket stream of ``GET /api/experimental/chats/{chat}/stream``.

::

    with stream_chat(client, chat_id) as stream:      # reconnects by itself, delivers each event once
        state = ChatAccumulator(chat_id)
        for event in stream:
            state.apply(event)                         # state.turn.text grows as deltas arrive

Pieces, each usable alone: ``decode_frame`` (pure: one frame in, events out), ``ChatStream`` (the
connection: pings, idle timeout, reconnection with ``after_id`` and an exactly-once filter) and
``ChatAccumulator`` (the official web client's rules for turning events into messages and a turn).
Errors derive from ``StreamError``, itself a ``coder_chat.client.errors.CoderChatError``.
"""

from coder_chat._runtime.exceptions import (
    StreamDecodeError,
    StreamDisconnectedError,
    StreamError,
    StreamFrameTooLargeError,
    StreamServerError,
    StreamTimeoutError,
    TurnError,
    TurnTimeoutError,
)

from ._accumulator import ChatAccumulator, ToolCall, ToolResult, TurnState
from ._async_transport import AsyncChatStream, astream_chat
from ._decoder import decode_frame
from ._transport import ChatStream, stream_chat
from ._turn import AsyncTurn, Turn, aask, ask, astart_turn, start_turn
from ._turncore import TurnResult, TurnToolCall
from ._watch import AsyncChatWatch, ChatWatch, awatch_chats, watch_chats
from ._watchcore import decode_watch_frame

__all__ = [
    "AsyncChatStream",
    "AsyncChatWatch",
    "AsyncTurn",
    "ChatAccumulator",
    "ChatStream",
    "ChatWatch",
    "StreamDecodeError",
    "StreamDisconnectedError",
    "StreamError",
    "StreamFrameTooLargeError",
    "StreamServerError",
    "StreamTimeoutError",
    "ToolCall",
    "ToolResult",
    "Turn",
    "TurnError",
    "TurnResult",
    "TurnState",
    "TurnTimeoutError",
    "TurnToolCall",
    "aask",
    "ask",
    "astart_turn",
    "astream_chat",
    "awatch_chats",
    "decode_frame",
    "decode_watch_frame",
    "start_turn",
    "stream_chat",
    "watch_chats",
]
