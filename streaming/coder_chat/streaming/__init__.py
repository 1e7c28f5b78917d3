"""The chat stream: frame decoder, websocket transport, reconnection and turn accumulator.

Placeholder until the streaming layer lands: only the exception classes exist so far.
"""

from ._accumulator import ChatAccumulator, ToolCall, ToolResult, Turn
from ._decoder import decode_frame
from ._exceptions import StreamDecodeError, StreamDisconnectedError, StreamError, StreamServerError
from ._transport import ChatStream, stream_chat

__all__ = [
    "ChatAccumulator",
    "ChatStream",
    "StreamDecodeError",
    "StreamDisconnectedError",
    "StreamError",
    "StreamServerError",
    "ToolCall",
    "ToolResult",
    "Turn",
    "decode_frame",
    "stream_chat",
]
