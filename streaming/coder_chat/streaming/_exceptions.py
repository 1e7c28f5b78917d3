"""The stream's exceptions, under the distribution-wide ``CoderChatError``.

::

    CoderChatError                  coder_chat.client.errors
    └── StreamError                 anything the chat stream raises
        ├── StreamDecodeError       a frame that is not valid stream JSON (.preview shows its start)
        ├── StreamServerError       the server sent an error envelope (.message, .detail)
        └── StreamDisconnectedError the connection dropped and was not (or could not be) re-established
            └── StreamTimeoutError  ... because it went silent: also an ``APITimeoutError``

A handshake the server refuses raises the REST ``APIError`` subclasses instead (401, 403, 404, ...);
one that gets no answer within the client's connect timeout raises ``APITimeoutError``.
"""

from __future__ import annotations

from coder_chat.client.errors import APITimeoutError, CoderChatError

__all__ = ["StreamDecodeError", "StreamDisconnectedError", "StreamError", "StreamServerError", "StreamTimeoutError"]


class StreamError(CoderChatError):
    """Base class of the errors raised while following a chat stream."""


class StreamDecodeError(StreamError):
    """A frame could not be decoded; ``preview`` holds at most a few hundred characters of it."""

    def __init__(self, reason: str, preview: str = "") -> None:
        self.reason = reason
        self.preview = preview
        super().__init__(f"{reason}: {preview!r}" if preview else reason)


class StreamServerError(StreamError):
    """The server sent ``{"type": "error", "data": {"message", "detail"}}`` and will close the stream."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        self.message = message
        self.detail = detail
        super().__init__(f"{message}: {detail}" if detail else message)


class StreamDisconnectedError(StreamError):
    """The connection dropped; raised when ``reconnect=False`` or when reconnection attempts ran out."""


class StreamTimeoutError(StreamDisconnectedError, APITimeoutError):
    """The stream ended because the server went silent: no frame and no ping for ``idle_timeout`` seconds
    (with ``reconnect=False``), or the last reconnection attempt timed out (idle or handshake).

    Both a ``StreamDisconnectedError`` and a ``coder_chat.client.errors.APITimeoutError``, so code that
    handles REST timeouts handles a silent stream the same way.
    """
