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

Each piece is imported on first access (PEP 562 ``__getattr__``): ``from coder_chat.streaming import
stream_chat`` loads the sync stream (and websocket-client), not asyncio, websockets, the turns or the
watch. ``from ... import``, attribute access, ``__all__``, ``import *`` and ``dir()`` work as before, and
type checkers see the plain imports.
"""

from typing import TYPE_CHECKING

from coder_chat._runtime.exceptions import (
    ChatRequiresActionError,
    StreamDecodeError,
    StreamDisconnectedError,
    StreamError,
    StreamFrameTooLargeError,
    StreamServerError,
    StreamTimeoutError,
    TurnError,
    TurnTimeoutError,
)
from coder_chat._runtime.lazy import lazy_attributes

if TYPE_CHECKING:
    from ._accumulator import ChatAccumulator, ToolCall, ToolResult, TurnState
    from ._codec.decode import decode_frame
    from ._connection.async_transport import AsyncChatStream, astream_chat
    from ._connection.transport import ChatStream, stream_chat
    from ._generation import ApiGeneration, adetect_api, detect_api
    from ._load import aload_chat, load_chat
    from ._turns.async_turn import AsyncTurn
    from ._turns.opening import aask, ask, astart_turn, start_turn
    from ._turns.toolio import asubmit_tool_results, submit_tool_results
    from ._turns.tools import Tool, tool
    from ._turns.turn import Turn
    from ._turns.turncore import TurnResult, TurnToolCall
    from ._watch.watch import AsyncChatWatch, ChatWatch, awatch_chats, watch_chats
    from ._watch.watchcore import decode_watch_frame

# Public name -> the submodule that defines it.
_MODULES: dict[str, str] = {
    "ChatAccumulator": "._accumulator",
    "ToolCall": "._accumulator",
    "ToolResult": "._accumulator",
    "TurnState": "._accumulator",
    "ApiGeneration": "._generation",
    "adetect_api": "._generation",
    "detect_api": "._generation",
    "aload_chat": "._load",
    "load_chat": "._load",
    "AsyncChatStream": "._connection.async_transport",
    "astream_chat": "._connection.async_transport",
    "decode_frame": "._codec.decode",
    "ChatStream": "._connection.transport",
    "stream_chat": "._connection.transport",
    "AsyncTurn": "._turns.async_turn",
    "Turn": "._turns.turn",
    "aask": "._turns.opening",
    "ask": "._turns.opening",
    "astart_turn": "._turns.opening",
    "start_turn": "._turns.opening",
    "asubmit_tool_results": "._turns.toolio",
    "submit_tool_results": "._turns.toolio",
    "Tool": "._turns.tools",
    "tool": "._turns.tools",
    "TurnResult": "._turns.turncore",
    "TurnToolCall": "._turns.turncore",
    "AsyncChatWatch": "._watch.watch",
    "ChatWatch": "._watch.watch",
    "awatch_chats": "._watch.watch",
    "watch_chats": "._watch.watch",
    "decode_watch_frame": "._watch.watchcore",
}


if not TYPE_CHECKING:  # type checkers read the imports above, and flag a misspelt name
    __getattr__, __dir__ = lazy_attributes(__name__, _MODULES, globals())


__all__ = [
    "ApiGeneration",
    "AsyncChatStream",
    "AsyncChatWatch",
    "AsyncTurn",
    "ChatAccumulator",
    "ChatRequiresActionError",
    "ChatStream",
    "ChatWatch",
    "StreamDecodeError",
    "StreamDisconnectedError",
    "StreamError",
    "StreamFrameTooLargeError",
    "StreamServerError",
    "StreamTimeoutError",
    "Tool",
    "ToolCall",
    "ToolResult",
    "Turn",
    "TurnError",
    "TurnResult",
    "TurnState",
    "TurnTimeoutError",
    "TurnToolCall",
    "aask",
    "adetect_api",
    "aload_chat",
    "ask",
    "astart_turn",
    "astream_chat",
    "asubmit_tool_results",
    "awatch_chats",
    "decode_frame",
    "decode_watch_frame",
    "detect_api",
    "load_chat",
    "start_turn",
    "stream_chat",
    "submit_tool_results",
    "tool",
    "watch_chats",
]
