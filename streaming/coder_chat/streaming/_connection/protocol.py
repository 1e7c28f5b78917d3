"""The sans-I/O core of a chat stream: frames in, events out, and the URL of the next connection.

In the style of h11 and wsproto: ``ChatStreamProtocol`` does no I/O. An I/O loop (the sync
``ChatStream``, the async ``AsyncChatStream``) opens a connection to ``url(base_url)``, calls
``connection_opened()``, hands every message it reads to ``receive_frame()`` and takes events from
``next_event()`` until it answers ``None`` (meaning: read the next frame). Decoding (``_codec.decode``)
and exactly-once delivery across reconnects (``_codec.replay.ReplayFilter``) happen here, once, for
both loops. The frame formats and the delivery rules are in docs/protocol.md.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from uuid import UUID

from coder_chat.client.models import ChatStreamEvent

from .._codec.decode import decode_frame_in_chunks
from .._codec.replay import ReplayFilter
from .._routes import Routes
from .handshake import websocket_url

__all__ = ["ChatStreamProtocol"]


class ChatStreamProtocol:
    """The state of one chat stream across its connections (see the module docstring)."""

    __slots__ = ("_chunks", "_filter", "_ready", "chat_id")

    def __init__(self, chat_id: UUID, *, after_id: int | None = None) -> None:
        if isinstance(after_id, bool) or (after_id is not None and not isinstance(after_id, int)):
            raise TypeError(f"after_id must be an int or None, got {after_id!r}")
        self.chat_id = chat_id
        self._filter = ReplayFilter(chat_id, after_id=after_id)
        self._ready: deque[ChatStreamEvent] = deque()  # decoded, filtered, not yet handed out
        self._chunks: Iterator[list[ChatStreamEvent]] | None = None  # the current frame's events still to build

    @property
    def last_message_id(self) -> int | None:
        """The highest persisted message id of this chat seen so far (the next connection's ``after_id``)."""
        return self._filter.last_message_id

    def url(self, base_url: str, routes: Routes) -> str:
        """Where the next connection goes: the chat's stream on ``routes``' generation, after the last
        persisted message seen."""
        after_id = self._filter.last_message_id
        params = {"after_id": str(after_id)} if after_id is not None else {}
        return websocket_url(base_url, routes.stream_path.format(chat_id=self.chat_id), params)

    def connection_opened(self) -> None:
        """A connection is up (the first or a reconnection): its snapshot will replay the current turn."""
        self._filter.connection_opened()

    def receive_frame(self, frame: str | bytes) -> None:
        """Take the next message the server sent. Its events come out of ``next_event()``, which raises
        for an error envelope or a frame that is no JSON, and for a malformed event after the events
        before it in its frame (``decode_frame_in_chunks``)."""
        self._chunks = decode_frame_in_chunks(frame, chat_id=self.chat_id)
        self._filter.frame_received(frame)

    def next_event(self) -> ChatStreamEvent | None:
        """The next event to hand out, or ``None`` when every received frame is used up.

        Raises ``StreamDecodeError`` or ``StreamServerError`` for the frame being decoded.
        """
        ready = self._ready
        while not ready:
            chunks = self._chunks
            chunk = None if chunks is None else next(chunks, None)
            if chunk is None:
                if chunks is None:
                    return None
                self._chunks = None
                ready.extend(self._filter.frame_done())  # what the filter held to the frame's end
                continue
            ready.extend(self._filter.feed_all(chunk))
        return ready.popleft()

    def take_ready(self) -> list[ChatStreamEvent]:
        """Every event already decoded and filtered, in order (``[]`` when none): ``pop_ready`` until it
        answers ``None``, at once. For the one thread or task that iterates the stream."""
        ready = [*self._ready]
        self._ready.clear()
        return ready

    def pop_ready(self) -> ChatStreamEvent | None:
        """The next event already decoded and filtered, or ``None``; never decodes, never raises, so an
        I/O loop may take it without its lock (a ``deque.popleft`` is atomic)."""
        try:
            return self._ready.popleft()
        except IndexError:
            return None
