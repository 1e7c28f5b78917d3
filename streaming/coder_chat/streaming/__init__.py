"""The chat stream: frame decoder, websocket transport, reconnection and turn accumulator.

Placeholder until the streaming layer lands: only the exception classes exist so far.
"""

from ._exceptions import StreamDecodeError, StreamDisconnectedError, StreamError, StreamServerError

__all__ = ["StreamDecodeError", "StreamDisconnectedError", "StreamError", "StreamServerError"]
