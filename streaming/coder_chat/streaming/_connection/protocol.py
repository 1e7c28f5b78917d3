"""The sans-I/O core of a chat stream: frames in, events out, and the URL of the next connection.

In the style of h11 and wsproto: ``ChatStreamProtocol`` does no I/O. An I/O loop (the sync
``ChatStream``, the async ``AsyncChatStream``) opens a connection to ``url(base_url)``, calls
``connection_opened()``, hands every message it reads to ``receive_frame()`` and takes events from
``next_event()`` until it answers ``None`` (meaning: read the next frame). Decoding (``_codec.decode``)
and exactly-once delivery across reconnects (``_codec.replay.ReplayFilter``) happen here, once, for
both loops. The frame formats and the delivery rules are in docs/protocol.md.

``handshake_headers`` and ``websocket_url`` build the handshake from a REST client's settings, for
every stream of this package (chat streams and chat watches alike).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from typing import Protocol, TypeVar
from uuid import UUID

import httpx

from coder_chat.client import Client
from coder_chat.client.models import ChatStreamEvent

from .._codec.decode import decode_frame_in_chunks
from .._codec.replay import ReplayFilter
from .._routes import Routes

__all__ = [
    "ChatStreamAttributes",
    "ChatStreamProtocol",
    "FrameProtocol",
    "chat_uuid",
    "handshake_headers",
    "websocket_url",
]

EventT = TypeVar("EventT")
EventT_co = TypeVar("EventT_co", covariant=True)


def websocket_url(base_url: str, path: str, params: Mapping[str, str] | None = None) -> str:
    """The ``ws://``/``wss://`` URL of ``path`` (appended to ``base_url``'s path) with query ``params``."""
    base = httpx.URL(base_url)
    scheme = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}.get(base.scheme)
    if scheme is None:
        raise ValueError(f"base_url must be an http:// or https:// URL, got scheme {base.scheme!r}")
    full_path = base.path.rstrip("/") + path
    return str(base.copy_with(scheme=scheme, path=full_path, params=dict(params or {}), fragment=None))


def handshake_headers(client: Client) -> tuple[dict[str, str], str | None]:
    """The handshake's headers (the client's extra headers and credentials) and its ``Cookie`` value.

    A header with a line break or NUL raises ``ValueError`` rather than reaching the wire.
    """
    headers = {**client.headers, **client.credential_headers()}
    for name, value in headers.items():
        if any(c in f"{name}{value}" for c in "\r\n\0"):
            raise ValueError(f"header {name!r} contains a line break or NUL")
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items()) or None
    return headers, cookie


def chat_uuid(chat_id: UUID | str) -> UUID:
    """A chat id given as a ``UUID`` or its string (a string that is no UUID raises ``ValueError``)."""
    return chat_id if isinstance(chat_id, UUID) else UUID(str(chat_id))


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
                self._chunks = None
                return None
            ready.extend(self._filter.feed_all(chunk))
        return ready.popleft()

    def pop_ready(self) -> ChatStreamEvent | None:
        """The next event already decoded and filtered, or ``None``; never decodes, never raises, so an
        I/O loop may take it without its lock (a ``deque.popleft`` is atomic)."""
        try:
            return self._ready.popleft()
        except IndexError:
            return None


class FrameProtocol(Protocol[EventT_co]):
    """What an I/O loop needs of a sans-I/O stream core (``ChatStreamProtocol``, the watch's core)."""

    def pop_ready(self) -> EventT_co | None: ...

    def url(self, base_url: str, routes: Routes) -> str: ...

    def connection_opened(self) -> None: ...

    def receive_frame(self, frame: str | bytes) -> None: ...

    def next_event(self) -> EventT_co | None: ...


class ChatStreamAttributes:
    """What ``ChatStream`` and ``AsyncChatStream`` show of their core, written once (a mixin)."""

    _protocol: ChatStreamProtocol
    _closed: bool
    reconnects: int

    @property
    def chat_id(self) -> UUID:
        """The chat this stream follows."""
        return self._protocol.chat_id

    @property
    def last_message_id(self) -> int | None:
        """The highest persisted message id of this chat seen so far (initially ``after_id``): the
        ``after_id`` the next reconnection sends."""
        return self._protocol.last_message_id

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<{type(self).__name__} chat_id={self.chat_id} {state} reconnects={self.reconnects}>"
