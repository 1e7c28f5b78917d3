"""``astream_chat``: the chat stream on the asyncio event loop, no thread per stream.

The async twin of ``transport.py``: the same sans-I/O core (``ChatStreamProtocol``: decoding, the
exactly-once filter, the URL of the next connection) and the same ``ReconnectPolicy``; only the I/O
differs (``aconn.py``, on the ``websockets`` asyncio client). ``AsyncStreamLoop`` is shared with the
async chat watch.

Both ``async with astream_chat(...) as stream:`` and ``stream = await astream_chat(...)`` connect
before the first event, like ``websockets.connect``. Cancelling the task that iterates the stream,
or leaving ``async with`` early, drops the socket at once: nothing outlives a closed stream.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Generator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from coder_chat._runtime.exceptions import StreamDecodeError, StreamError, StreamServerError
from coder_chat.client import Client
from coder_chat.client.errors import APIConnectionError, APIError
from coder_chat.client.models import ChatStreamEvent

from .._routes import Routes, aroutes_for
from .handshake import chat_uuid
from .loopcore import DEFAULTS, AsyncSleep, ChatStreamAttributes, FrameProtocol, LoopCore, StreamSettings
from .policy import ConnectionDropped, Fail, Wait
from .protocol import ChatStreamProtocol
from .redact import mask_error

if TYPE_CHECKING:
    from .aconn import AsyncConnection

__all__ = ["AsyncChatStream", "AsyncStreamLoop", "astream_chat", "open_async_chat_stream"]

EventT = TypeVar("EventT")


class AsyncStreamLoop(LoopCore[EventT, AsyncSleep]):
    """The async I/O loop of a websocket stream: connect, read frames into ``protocol``, hand out events.

    An async iterator and an async context manager, and awaitable (``await`` connects and returns the
    stream). ``aclose()`` is idempotent; after it, iteration ends. ``reconnects`` counts connections
    re-established after a drop.
    """

    def __init__(
        self,
        client: Client,
        protocol: FrameProtocol[EventT],
        settings: StreamSettings[AsyncSleep],
        *,
        routes: Routes | None = None,
    ) -> None:
        super().__init__(client, protocol, settings, routes=routes)
        self._conn: AsyncConnection | None = None
        self._wake: asyncio.Event | None = None  # made on the loop, at the first backoff wait

    # --- public surface ----------------------------------------------------------------

    def __await__(self) -> Generator[Any, None, Self]:
        return self._start().__await__()

    async def __aenter__(self) -> Self:
        return await self._start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> EventT:
        if not self._closed:
            event = self._protocol.pop_ready()
            if event is not None:
                return event
        if self._closed:
            raise StopAsyncIteration
        if not self._started:
            await self._start()
        masked: StreamError | None = None
        try:
            return await self._next_event()
        except (StreamDecodeError, StreamServerError) as exc:
            self._abort()
            masked = mask_error(exc, self._secrets)
            if masked is exc:
                raise
        except BaseException:  # a stream that raised, or whose task was cancelled, is over
            self._abort()
            raise
        raise masked  # outside the handler, so the unmasked original is not kept as __context__

    async def aclose(self) -> None:
        """End the stream and close its socket (with a closing handshake when it is open). Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._wake is not None:
            self._wake.set()
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.close()

    # --- connection lifecycle ---------------------------------------------------------------

    async def _start(self) -> Self:
        """Open the first connection, on the routes of the generation the client's deployment serves; a
        failure raises (nothing to reconnect to yet)."""
        if not self._started:
            self._started = True
            try:
                if self._routes is None:
                    self._routes = await aroutes_for(self._client)  # a probe at most once per client
                self._conn = await self._open()
                await self._connected()
            except BaseException:
                self._abort()
                raise
        return self

    async def _connected(self) -> None:
        """A connection is up, before its first frame is read. A subclass that needs a REST call here
        (the watch's resync) may raise ``APIError``/``APIConnectionError``: the attempt failed."""
        self._protocol.connection_opened()

    async def _open(self) -> AsyncConnection:
        # Imported here: `websockets` is only loaded by programs that use an async stream.
        from .aconn import open_async_connection

        url, headers, cookie, context = self._handshake()
        return await open_async_connection(
            url,
            headers=headers,
            cookie=cookie,
            ssl_context=context,
            connect_timeout=self._client.timeout.connect,
            idle_timeout=self._idle_timeout,
            max_frame_bytes=self._max_frame_bytes,
        )

    def _abort(self) -> None:
        """End the stream now: the socket is released at once, without a closing handshake."""
        self._closed = True
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.abort()

    # --- iteration --------------------------------------------------------------------------

    async def _next_event(self) -> EventT:
        protocol = self._protocol
        while True:
            event = protocol.next_event()
            if event is not None:
                return event
            frame = await self._receive()
            if frame is not None:
                protocol.receive_frame(frame)

    async def _receive(self) -> bytes | None:
        """The next message from the server; ``None`` once a lost connection was replaced (see
        ``StreamLoop._receive``)."""
        conn = self._conn
        if self._closed or conn is None:
            raise StopAsyncIteration
        try:
            return await conn.read_message()
        except ConnectionDropped as exc:
            if self._closed:
                raise StopAsyncIteration from None
            self._conn = None
            conn.abort()
            await self._reconnect(self._dropped(exc, frames_received=conn.frames_received))
            return None

    async def _reconnect(self, decision: Wait | Fail) -> None:
        """Follow the policy's decisions until a new connection is up or it says to give up."""
        while not isinstance(decision, Fail):
            await self._wait(decision.delay)
            if self._closed:
                raise StopAsyncIteration
            try:
                conn = await self._open()
            except (APIError, APIConnectionError) as exc:
                decision = self._attempt_failed(exc)
                continue
            if self._closed:  # aclose() ran during the handshake
                conn.abort()
                raise StopAsyncIteration
            self._conn = conn
            try:
                await self._connected()
            except (APIError, APIConnectionError) as exc:
                self._conn = None
                conn.abort()
                decision = self._attempt_failed(exc, resync=True)
                continue
            self._reconnected()
            return
        raise decision.error

    async def _wait(self, delay: float) -> None:
        """The backoff wait: ``sleep`` when one was injected, else a wait that ``aclose()`` ends."""
        if self._sleep is not None:
            await self._sleep(delay)
            return
        if self._wake is None:
            self._wake = asyncio.Event()
        try:
            async with asyncio.timeout(delay):
                await self._wake.wait()
        except TimeoutError:
            pass


class AsyncChatStream(ChatStreamAttributes, AsyncStreamLoop[ChatStreamEvent]):
    """An open chat stream on the event loop: ``async for`` its ``ChatStreamEvent``s, ``aclose()`` it.

    Built by ``astream_chat``; the same attributes as ``ChatStream``: ``chat_id``, ``reconnects``,
    ``last_message_id`` and ``closed``.
    """

    _protocol: ChatStreamProtocol


def astream_chat(
    client: Client,
    chat_id: UUID | str,
    *,
    after_id: int | None = None,
    reconnect: bool = DEFAULTS.reconnect,
    max_reconnect_attempts: int = DEFAULTS.max_reconnect_attempts,
    backoff_initial: float = DEFAULTS.backoff_initial,
    backoff_max: float = DEFAULTS.backoff_max,
    idle_timeout: float = DEFAULTS.idle_timeout,
    max_frame_bytes: int = DEFAULTS.max_frame_bytes,
    sleep: Callable[[float], Awaitable[object]] | None = None,
    random: Callable[[], float] | None = None,
) -> AsyncChatStream:
    """Follow the chat's stream socket on the event loop (on either generation): ``stream_chat``'s twin.

    Use ``async with astream_chat(client, chat_id) as stream:`` or ``stream = await astream_chat(...)``;
    either connects before the first event, and a refused handshake raises there, as in ``stream_chat``.
    The keyword arguments are ``stream_chat``'s; an injected ``sleep`` is an async callable.
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
    return open_async_chat_stream(client, chat_uuid(chat_id), after_id, settings)


def open_async_chat_stream(
    client: Client,
    chat_id: UUID,
    after_id: int | None,
    settings: StreamSettings[AsyncSleep],
    *,
    routes: Routes | None = None,
) -> AsyncChatStream:
    """``astream_chat`` from its settings (the turns open their streams here); not connected yet. On
    ``routes``, default: ``await aroutes_for(client)`` when it connects."""
    return AsyncChatStream(client, ChatStreamProtocol(chat_id, after_id=after_id), settings, routes=routes)
