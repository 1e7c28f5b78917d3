"""``stream_chat``: follow a chat's websocket stream, reconnecting with exactly-once delivery.

A thin I/O loop around pure pieces: ``wsconn.py`` opens and reads one connection (websocket-client),
``ChatStreamProtocol`` turns frames into events and filters what a reconnect replays, and
``ReconnectPolicy`` decides when to reconnect and which error ends the stream (its docstring and
docs/protocol.md give the rules). ``StreamLoop`` is the loop itself, shared with the chat watch.

Every wait is bounded: a handshake by the client's connect timeout (``APITimeoutError``), a read by
``idle_timeout``. Secrets stay out of errors: the client's credential values are masked in a
``StreamDecodeError``'s preview and reason and in a ``StreamServerError``'s text, should a server ever
echo them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Self, TypeVar
from uuid import UUID

from coder_chat._runtime.exceptions import StreamDecodeError, StreamError, StreamServerError
from coder_chat.client import Client
from coder_chat.client.errors import APIConnectionError, APIError
from coder_chat.client.models import ChatStreamEvent

from .._routes import Routes, routes_for
from .handshake import chat_uuid
from .loopcore import DEFAULTS, ChatStreamAttributes, FrameProtocol, LoopCore, Sleep, StreamSettings
from .policy import ConnectionDropped, Fail, Wait
from .protocol import ChatStreamProtocol
from .redact import mask_error
from .wsconn import WAKE_EVERY, Connection, open_connection

__all__ = ["ChatStream", "StreamLoop", "open_chat_stream", "stream_chat"]

EventT = TypeVar("EventT")


class StreamLoop(LoopCore[EventT, Sleep]):
    """The sync I/O loop of a websocket stream: connect, read frames into ``protocol``, hand out its events.

    An iterator and a context manager; iteration ends (``StopIteration``) after ``close()``, which is
    idempotent and may be called from another thread to end a blocked ``next()`` within a moment. One
    thread iterates at a time. ``reconnects`` counts connections re-established after a drop. The
    factories connect before returning; a loop constructed directly connects at ``with`` or at its first
    ``next()``, as ``AsyncStreamLoop`` does at ``async with`` or its first event.
    """

    def __init__(
        self,
        client: Client,
        protocol: FrameProtocol[EventT],
        settings: StreamSettings[Sleep],
        *,
        routes: Routes | None = None,
    ) -> None:
        super().__init__(client, protocol, settings, routes=routes)
        # close() may run on another thread: it flips _closed and interrupts whatever blocks. The
        # iterating thread owns the connection while _reading; otherwise close() releases it.
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._reading = False
        self._conn: Connection | None = None
        self._abort_connect: Callable[[], None] = _nothing
        # The policy allowed a reconnect that has not completed: an exception raised in this thread (a
        # Ctrl-C, caught by the caller) may cut it short, and the next next() goes on with it.
        self._reconnecting = False

    # --- public surface ----------------------------------------------------------------

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> EventT:
        # Most events are already decoded and filtered: no I/O for close() to interrupt, so no lock. A
        # next() after close() still sees _closed (set first); one racing it may still get an event.
        if not self._closed and not self._reading:
            event = self._protocol.pop_ready()
            if event is not None:
                return event
        masked: StreamError | None = None
        claimed = False
        # The claim is made inside the try: a Ctrl-C raised as the lock is released (a call, where Python
        # checks for signals) must still give it back, or every later next() would say another thread reads.
        try:
            with self._lock:
                if self._closed:
                    raise StopIteration
                if self._reading:
                    raise RuntimeError(f"{type(self).__name__} is already being iterated by another thread")
                self._reading = claimed = True
            if not self._started:
                self._connect_first()
            return self._next_event()
        except (StreamDecodeError, StreamServerError) as exc:
            self._end()
            masked = mask_error(exc, self._secrets)
            if masked is exc:
                raise
        except (StreamError, APIError, APIConnectionError):
            self._end()  # a stream that raised is over: release the socket now
            raise
        finally:
            if claimed:
                with self._lock:
                    self._reading = False
                    if self._closed:
                        self._release()
        raise masked  # outside the handler, so the unmasked original is not kept as __context__

    def close(self) -> None:
        """End the stream and release its socket. Idempotent; safe from any thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._wake.set()  # ends a backoff wait
            self._abort_connect()  # ends a handshake in progress
            if self._reading and self._conn is not None:
                self._conn.interrupt()  # the iterating thread wakes up and releases it
            elif not self._reading:
                self._release(handshake=True)

    def __enter__(self) -> Self:
        if not self._started:
            self._connect_first()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- connection lifecycle ---------------------------------------------------------------

    def _connect_first(self, connect_timeout: float | None = None) -> None:
        """Open the first connection (within ``connect_timeout``, default the client's), on the routes of
        the generation the client's deployment serves; a failure raises (nothing to reconnect to yet)."""
        self._started = True
        try:
            if self._routes is None:
                self._routes = routes_for(self._client)  # a probe at most once per client
            conn = self._open(connect_timeout)
            with self._lock:
                self._conn = conn
            self._connected()
        except BaseException:
            self._end()
            with self._lock:
                self._release()
            raise

    def _connected(self) -> None:
        """A connection is up, before its first frame is read. A subclass that needs a REST call here
        (the watch's resync) may raise ``APIError``/``APIConnectionError``: the attempt failed."""
        self._protocol.connection_opened()

    def _open(self, connect_timeout: float | None = None) -> Connection:
        url, headers, cookie, context = self._handshake()
        return open_connection(
            url,
            headers=headers,
            cookie=cookie,
            ssl_context=context,
            connect_timeout=self._client.timeout.connect if connect_timeout is None else connect_timeout,
            idle_timeout=self._idle_timeout,
            max_frame_bytes=self._max_frame_bytes,
            register=self._set_abort,
        )

    def _set_abort(self, abort: Callable[[], None]) -> None:
        with self._lock:
            self._abort_connect = abort
            if self._closed:
                abort()

    def _release(self, *, handshake: bool = False) -> None:
        """Close the current connection (call with the lock held)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close(handshake=handshake)

    def _end(self) -> None:
        with self._lock:
            self._closed = True
            self._wake.set()

    # --- iteration --------------------------------------------------------------------------

    def _next_event(self) -> EventT:
        protocol = self._protocol
        while True:
            event = protocol.next_event()
            if event is not None:
                return event
            frame = self._receive()
            if frame is not None:
                protocol.receive_frame(frame)

    def _receive(self) -> bytes | None:
        """The next message from the server; ``None`` once a lost connection was replaced (the policy
        allowing), so that what the new one queued when it opened (the watch's resync) goes out first,
        before a server that sends nothing (no ping) is waited for."""
        if self._closed:
            raise StopIteration
        if self._reconnecting:  # cut short (see __init__): a connection it opened is set up anew
            with self._lock:
                self._release()
            self._reconnect(Wait(0.0))
            return None
        conn = self._conn
        if conn is None:
            raise StopIteration  # closed from another thread between two frames
        try:
            return conn.read_message()
        except ConnectionDropped as exc:
            if self._closed:
                raise StopIteration from None
            decision = self._dropped(exc, frames_received=conn.frames_received)
            with self._lock:
                self._release()
            self._reconnect(decision)
            return None

    def _reconnect(self, decision: Wait | Fail) -> None:
        """Follow the policy's decisions until a new connection is up or it says to give up."""
        while not isinstance(decision, Fail):
            self._reconnecting = True
            if self._sleep is not None:
                self._sleep(decision.delay)
            else:
                _wait(self._wake, decision.delay)
            if self._closed:
                raise StopIteration
            try:
                conn = self._open()
            except (APIError, APIConnectionError) as exc:
                decision = self._attempt_failed(exc)
                continue
            with self._lock:
                if self._closed:
                    conn.close()
                    raise StopIteration
                self._conn = conn
            try:
                self._connected()
            except (APIError, APIConnectionError) as exc:
                with self._lock:
                    self._release()
                decision = self._attempt_failed(exc, resync=True)
                continue
            self._reconnected()
            self._reconnecting = False
            return
        self._reconnecting = False
        raise decision.error


class ChatStream(ChatStreamAttributes, StreamLoop[ChatStreamEvent]):
    """An open chat stream: iterate it for ``ChatStreamEvent``s, ``close()`` it when done.

    Built by ``stream_chat``. Besides ``StreamLoop``'s ``reconnects`` and ``closed``: ``chat_id`` and
    ``last_message_id`` (the ``after_id`` the next reconnection sends).
    """

    _protocol: ChatStreamProtocol


def _nothing() -> None:
    pass


def _wait(wake: threading.Event, seconds: float) -> None:
    """``wake.wait(seconds)``, waking up every ``WAKE_EVERY`` seconds: like a socket wait (see ``wsconn``),
    a lock's wait is not interrupted by a SIGINT that came just before it began or went to another
    thread, so the Ctrl-C is raised within a slice rather than at the end of the backoff."""
    deadline = time.monotonic() + seconds
    while (remaining := deadline - time.monotonic()) > 0 and not wake.wait(min(remaining, WAKE_EVERY)):
        pass


def stream_chat(
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
    sleep: Callable[[float], object] | None = None,
    random: Callable[[], float] | None = None,
) -> ChatStream:
    """Open the chat's stream socket and return the ``ChatStream``: ``/api/experimental/chats/{chat_id}/stream``
    or, on v2, ``/api/v2/chats/{chat_id}/stream``, whichever generation ``detect_api`` finds (one probe
    per client, unless the client's ``api_generation`` says).

    Connects before returning, with the client's credential headers, extra headers, cookies, TLS
    verification and connect timeout; a refused handshake raises the REST ``APIError`` subclass
    (``AuthenticationError`` for 401, ...), a failed connection ``APIConnectionError`` or
    ``APITimeoutError``. ``after_id`` skips persisted messages up to that id (also on servers that
    ignore it). See the module docstring for reconnection; ``sleep`` (default: a wait that ``close()``
    interrupts) and ``random`` (the jitter source) are injectable for tests.
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
    return open_chat_stream(client, chat_uuid(chat_id), after_id, settings)


def open_chat_stream(
    client: Client,
    chat_id: UUID,
    after_id: int | None,
    settings: StreamSettings[Sleep],
    *,
    connect_timeout: float | None = None,
    routes: Routes | None = None,
) -> ChatStream:
    """``stream_chat`` from its settings (the turns open their streams here), connected within
    ``connect_timeout`` (default: the client's), on ``routes`` (default: ``routes_for(client)``)."""
    stream = ChatStream(client, ChatStreamProtocol(chat_id, after_id=after_id), settings, routes=routes)
    stream._connect_first(connect_timeout)
    return stream
