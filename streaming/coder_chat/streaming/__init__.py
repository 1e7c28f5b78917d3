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
    from ._async_transport import AsyncChatStream, astream_chat
    from ._codec.decode import decode_frame
    from ._generation import ApiGeneration, adetect_api, detect_api
    from ._load import aload_chat, load_chat
    from ._opening import aask, ask, astart_turn, start_turn
    from ._toolio import asubmit_tool_results, submit_tool_results
    from ._tools import Tool, tool
    from ._transport import ChatStream, stream_chat
    from ._turn import AsyncTurn, Turn
    from ._turncore import TurnResult, TurnToolCall
    from ._watch import AsyncChatWatch, ChatWatch, awatch_chats, watch_chats
    from ._watchcore import decode_watch_frame

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
    "AsyncChatStream": "._async_transport",
    "astream_chat": "._async_transport",
    "decode_frame": "._codec.decode",
    "ChatStream": "._transport",
    "stream_chat": "._transport",
    "AsyncTurn": "._turn",
    "Turn": "._turn",
    "aask": "._opening",
    "ask": "._opening",
    "astart_turn": "._opening",
    "start_turn": "._opening",
    "asubmit_tool_results": "._toolio",
    "submit_tool_results": "._toolio",
    "Tool": "._tools",
    "tool": "._tools",
    "TurnResult": "._turncore",
    "TurnToolCall": "._turncore",
    "AsyncChatWatch": "._watch",
    "ChatWatch": "._watch",
    "awatch_chats": "._watch",
    "watch_chats": "._watch",
    "decode_watch_frame": "._watchcore",
}


if not TYPE_CHECKING:  # type checkers read the imports above, and flag a misspelt name
    __getattr__, __dir__ = lazy_attributes(__name__, _MODULES, globals())


__all__ = [
    "ApiGeneration",
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
