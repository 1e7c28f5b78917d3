"""``watch_chats`` / ``awatch_chats``: every change to the caller's chats, from ``GET /chats/watch``.

The same I/O loops as the chat stream (``StreamLoop``, ``AsyncStreamLoop``: routes, reconnection
policy, idle timeout, close, errors) over the watch's sans-I/O core (``ChatWatchProtocol``). The watch
socket replays nothing, so with ``resync=True`` each connection, the first included, is followed by a
call of the generation's ``list_chats`` (``Routes.list_chats``; inside the connection attempt: a failed
listing is a failed attempt), and the differences against what the watch knew come out before the
connection's live events, as with a Kubernetes list-then-watch. The first listing is the baseline: it
yields nothing. A change may be reported twice around a reconnect (once live, once by the listing),
never not at all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from coder_chat.client import Client
from coder_chat.client.models import ChatWatchEvent

from .._connection.async_transport import AsyncStreamLoop
from .._connection.loopcore import DEFAULTS, AsyncSleep, Sleep, StreamSettings
from .._connection.transport import StreamLoop
from .watchcore import ChatWatchProtocol

__all__ = ["AsyncChatWatch", "ChatWatch", "awatch_chats", "watch_chats"]


class ChatWatch(StreamLoop[ChatWatchEvent]):
    """Changes to the caller's chats as ``ChatWatchEvent``s; a context manager and an iterator.

    Built by ``watch_chats``. ``close()`` is idempotent and may be called from another thread.
    """

    _protocol: ChatWatchProtocol

    def __init__(self, client: Client, settings: StreamSettings[Sleep], *, resync: bool) -> None:
        super().__init__(client, ChatWatchProtocol(), settings)
        self._resync = resync

    def _connected(self) -> None:
        super()._connected()
        if self._resync:
            self._protocol.resynced(self._known_routes().list_chats(client=self._client))

    def __repr__(self) -> str:
        return f"<ChatWatch {'closed' if self._closed else 'open'} reconnects={self.reconnects}>"


class AsyncChatWatch(AsyncStreamLoop[ChatWatchEvent]):
    """``ChatWatch`` on the event loop: ``async for`` its events, ``await aclose()`` it."""

    _protocol: ChatWatchProtocol

    def __init__(self, client: Client, settings: StreamSettings[AsyncSleep], *, resync: bool) -> None:
        super().__init__(client, ChatWatchProtocol(), settings)
        self._resync = resync

    async def _connected(self) -> None:
        await super()._connected()
        if self._resync:
            self._protocol.resynced(await self._known_routes().alist_chats(client=self._client))

    def __repr__(self) -> str:
        return f"<AsyncChatWatch {'closed' if self._closed else 'open'} reconnects={self.reconnects}>"


def watch_chats(
    client: Client,
    *,
    reconnect: bool = DEFAULTS.reconnect,
    max_reconnect_attempts: int = DEFAULTS.max_reconnect_attempts,
    backoff_initial: float = DEFAULTS.backoff_initial,
    backoff_max: float = DEFAULTS.backoff_max,
    idle_timeout: float = DEFAULTS.idle_timeout,
    max_frame_bytes: int = DEFAULTS.max_frame_bytes,
    resync: bool = True,
    sleep: Callable[[float], object] | None = None,
    random: Callable[[], float] | None = None,
) -> ChatWatch:
    """Open the watch socket (``/api/experimental/chats/watch``, on v2 ``/api/v2/chats/watch``: the
    generation ``detect_api`` finds) and, with ``resync``, list the chats; return the watch.

    Connects before returning: a refused handshake raises its ``APIError`` here, as ``stream_chat``
    does. Reconnection, idle timeout, ``max_frame_bytes``, ``close()`` and errors are ``stream_chat``'s;
    ``sleep`` and ``random`` are injectable for tests.
    """
    settings = StreamSettings(
        reconnect=reconnect,
        max_reconnect_attempts=max_reconnect_attempts,
        backoff_initial=backoff_initial,
        backoff_max=backoff_max,
        idle_timeout=idle_timeout,
        max_frame_bytes=max_frame_bytes,
        sleep=sleep,
        random=random,
    )
    watch = ChatWatch(client, settings, resync=resync)
    watch._connect_first()
    return watch


def awatch_chats(
    client: Client,
    *,
    reconnect: bool = DEFAULTS.reconnect,
    max_reconnect_attempts: int = DEFAULTS.max_reconnect_attempts,
    backoff_initial: float = DEFAULTS.backoff_initial,
    backoff_max: float = DEFAULTS.backoff_max,
    idle_timeout: float = DEFAULTS.idle_timeout,
    max_frame_bytes: int = DEFAULTS.max_frame_bytes,
    resync: bool = True,
    sleep: Callable[[float], Awaitable[object]] | None = None,
    random: Callable[[], float] | None = None,
) -> AsyncChatWatch:
    """``watch_chats`` on the event loop: ``async with awatch_chats(client) as watch:`` or
    ``watch = await awatch_chats(client)`` (either connects, and lists, before the first event)."""
    settings = StreamSettings(
        reconnect=reconnect,
        max_reconnect_attempts=max_reconnect_attempts,
        backoff_initial=backoff_initial,
        backoff_max=backoff_max,
        idle_timeout=idle_timeout,
        max_frame_bytes=max_frame_bytes,
        sleep=sleep,
        random=random,
    )
    return AsyncChatWatch(client, settings, resync=resync)
