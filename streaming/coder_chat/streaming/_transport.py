"""``stream_chat``: follow a chat's websocket stream, reconnecting with exactly-once delivery.

A thin I/O shell around pure pieces: ``_wsconn`` opens and reads one connection, ``decode_frame``
turns frames into events, ``ReplayFilter`` drops what a reconnect replays, ``Backoff`` spaces the
attempts. Reconnection policy (DESIGN.md, "Streaming"; API.md §4.5):

* The first connection is opened by ``stream_chat`` itself: its failures raise at once.
* A *drop* is a socket error, EOF, an idle timeout, or a close frame from the server other than a
  deliberate protocol refusal (``FATAL_CLOSE_CODES``). With ``reconnect=True`` the stream reconnects
  after ``Backoff.delay(n)`` with ``after_id=<last persisted message id>``; ``n`` counts consecutive
  failed attempts and resets once a connection delivers a frame (a connection that is accepted and
  then cut before sending anything counts as a failed attempt, so a server that does that forever
  ends in ``StreamDisconnectedError`` instead of a loop).
* A failed attempt is a connection error, a timeout, or a handshake answered 5xx or 429. Any other
  refusal (401, 403, 404, a redirect, ...) raises its ``APIError`` at once: retrying cannot help.
* Every wait is bounded: a handshake by the client's connect timeout (``APITimeoutError``), a read by
  ``idle_timeout``. A stream that ends because the server went silent (an idle timeout with
  ``reconnect=False``, or a last failed attempt that timed out) raises ``StreamTimeoutError``, which is
  both a ``StreamDisconnectedError`` and an ``APITimeoutError``.
* Secrets stay out of errors: the client's credential values are masked in the preview and reason of a
  ``StreamDecodeError`` and in a ``StreamServerError``'s text, should a server ever echo them.
"""

from __future__ import annotations

import logging
import ssl
import threading
from collections import deque
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Self
from uuid import UUID

import httpx

from coder_chat._runtime.exceptions import (
    StreamDecodeError,
    StreamDisconnectedError,
    StreamError,
    StreamServerError,
    StreamTimeoutError,
)
from coder_chat.client import Client
from coder_chat.client.errors import APIConnectionError, APIError, APITimeoutError
from coder_chat.client.models import ChatStreamEvent

from ._backoff import Backoff
from ._decoder import decode_frame_in_chunks
from ._delivery import ReplayFilter
from ._redact import mask_error, secrets_of
from ._wsconn import Connection, ConnectionDropped, IdleTimeout, ServerClosed, open_connection, ssl_context

__all__ = ["FATAL_CLOSE_CODES", "ChatStream", "stream_chat"]

logger = logging.getLogger("coder_chat.streaming")

STREAM_PATH = "/api/experimental/chats/{chat_id}/stream"

FATAL_CLOSE_CODES = frozenset({1002, 1003, 1007, 1009, 1010})
"""Close codes that mean the server refuses what this client does (protocol error, unsupported or
invalid data, too big, missing extension): reconnecting would meet the same refusal, so the stream
ends with ``StreamDisconnectedError``. Every other code (1000 normal, 1001 going away / ping failed,
1011 server error, 1012 restart, 1013 try later, 4xxx ...) is a drop: a reconnect's handshake tells
an expired token or a deleted chat apart with a precise ``APIError``."""


class ChatStream:
    """An open chat stream: iterate it for ``ChatStreamEvent``s, ``close()`` it when done.

    Built by ``stream_chat``. A context manager and an iterator; iteration ends (``StopIteration``)
    after ``close()``, which is idempotent and may be called from another thread to end a blocked
    ``next()`` within a moment. One thread iterates at a time. Attributes: ``chat_id``,
    ``reconnects`` (connections re-established after a drop), ``last_message_id`` (the ``after_id``
    the next reconnection sends).
    """

    def __init__(
        self,
        client: Client,
        chat_id: UUID,
        *,
        after_id: int | None,
        reconnect: bool,
        max_reconnect_attempts: int,
        backoff: Backoff,
        idle_timeout: float,
        max_frame_bytes: int,
        sleep: Callable[[float], object] | None,
    ) -> None:
        self.chat_id = chat_id
        self.reconnects = 0
        self._client = client
        self._reconnect = reconnect
        self._max_attempts = max_reconnect_attempts
        self._backoff = backoff
        self._idle_timeout = idle_timeout
        self._max_frame_bytes = max_frame_bytes
        self._sleep = sleep
        self._filter = ReplayFilter(chat_id, after_id=after_id)
        self._ready: deque[ChatStreamEvent] = deque()
        self._chunks: Iterator[list[ChatStreamEvent]] | None = None  # the current frame's events, still to build
        self._failures = 0  # consecutive failed connection attempts
        self._ssl: ssl.SSLContext | None = None  # built on the first wss connection, then reused
        self._last_error: BaseException | None = None
        # close() may run on another thread: it flips _closed and interrupts whatever blocks. The
        # iterating thread owns the connection while _reading; otherwise close() releases it.
        self._lock = threading.Lock()
        self._closed = False
        self._wake = threading.Event()
        self._reading = False
        self._conn: Connection | None = None
        self._abort_connect: Callable[[], None] = _nothing
        self._secrets = secrets_of(client)

    @property
    def last_message_id(self) -> int | None:
        """The highest persisted message id of this chat seen so far (initially ``after_id``)."""
        return self._filter.last_message_id

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called or the stream ended with an error."""
        return self._closed

    # --- public surface ----------------------------------------------------------------

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> ChatStreamEvent:
        # Most events are already decoded and filtered: no I/O for close() to interrupt, so no lock. A
        # next() after close() still sees _closed (set first); one racing it may get an event, as before.
        ready = self._ready
        if ready and not self._closed and not self._reading:
            try:
                return ready.popleft()
            except IndexError:  # another thread took the last one meanwhile: take the slow path
                pass
        with self._lock:
            if self._closed:
                raise StopIteration
            if self._reading:
                raise RuntimeError("ChatStream is already being iterated by another thread")
            self._reading = True
        masked: StreamError | None = None
        try:
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
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<ChatStream chat_id={self.chat_id} {state} reconnects={self.reconnects}>"

    # --- connection lifecycle ---------------------------------------------------------------

    def connect_first(self) -> None:
        """Open the first connection; its failure raises (nothing to reconnect to yet)."""
        conn = self._open()
        with self._lock:
            self._conn = conn
        self._filter.connection_opened()

    def _url(self) -> str:
        base = httpx.URL(self._client.base_url)
        scheme = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}.get(base.scheme)
        if scheme is None:
            raise ValueError(f"base_url must be an http:// or https:// URL, got scheme {base.scheme!r}")
        path = base.path.rstrip("/") + STREAM_PATH.format(chat_id=self.chat_id)
        after_id = self._filter.last_message_id
        params = {"after_id": str(after_id)} if after_id is not None else {}
        return str(base.copy_with(scheme=scheme, path=path, params=params, fragment=None))

    def _open(self) -> Connection:
        url = self._url()
        headers = {**self._client.headers, **self._client.credential_headers()}
        for name, value in headers.items():
            if any(c in f"{name}{value}" for c in "\r\n\0"):
                raise ValueError(f"header {name!r} contains a line break or NUL")
        cookies = self._client.cookies
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items()) or None
        context = None
        if url.startswith("wss:"):
            if self._ssl is None:
                self._ssl = ssl_context(self._client.verify_ssl)
            context = self._ssl
        return open_connection(
            url,
            headers=headers,
            cookie=cookie,
            ssl_context=context,
            connect_timeout=self._client.timeout.connect,
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

    def _next_event(self) -> ChatStreamEvent:
        ready, feed_all = self._ready, self._filter.feed_all
        while not ready:
            events = None if self._chunks is None else next(self._chunks, None)
            if events is None:  # the last frame is used up: read the next one
                self._chunks = decode_frame_in_chunks(self._receive(), chat_id=self.chat_id)
                continue
            ready.extend(feed_all(events))
        return ready.popleft()

    def _receive(self) -> bytes:
        """The next message from the server, reconnecting as the policy allows."""
        while True:
            if self._closed:
                raise StopIteration
            conn = self._conn
            if conn is None:
                conn = self._reconnect_with_backoff()
            try:
                message = conn.read_message()
            except ConnectionDropped as exc:
                if self._closed:
                    raise StopIteration from None
                self._on_drop(conn, exc)
                continue
            self._failures = 0
            return message

    def _on_drop(self, conn: Connection, exc: ConnectionDropped) -> None:
        with self._lock:
            self._release()
        if isinstance(exc, ServerClosed) and exc.code in FATAL_CLOSE_CODES:
            raise StreamDisconnectedError(f"the server refused the stream: {exc}") from exc
        if not self._reconnect:
            error = StreamTimeoutError if isinstance(exc, IdleTimeout) else StreamDisconnectedError
            raise error(f"chat stream disconnected: {exc}") from exc
        if conn.frames_received:
            self._failures = 0
        else:
            self._failures += 1  # accepted, then cut before a single frame: not a working connection
        self._last_error = exc
        logger.info("chat %s: stream dropped (%s); reconnecting", self.chat_id, exc)

    def _reconnect_with_backoff(self) -> Connection:
        while True:
            if self._closed:
                raise StopIteration
            if self._failures >= self._max_attempts:
                timed_out = isinstance(self._last_error, IdleTimeout | APITimeoutError)
                raise (StreamTimeoutError if timed_out else StreamDisconnectedError)(
                    f"chat stream disconnected: gave up after {self._failures} consecutive failed reconnection "
                    f"attempts (max_reconnect_attempts={self._max_attempts}); last error: {self._last_error}"
                ) from self._last_error
            delay = self._backoff.delay(self._failures)
            if self._sleep is not None:
                self._sleep(delay)
            else:
                self._wake.wait(delay)
            if self._closed:
                raise StopIteration
            try:
                conn = self._open()
            except APIError as exc:
                if exc.status_code < 500 and exc.status_code != 429:
                    raise
                self._failures += 1
                self._last_error = exc
                logger.info("chat %s: reconnection refused (%s)", self.chat_id, exc)
                continue
            except APIConnectionError as exc:
                self._failures += 1
                self._last_error = exc
                logger.info("chat %s: reconnection failed (%s)", self.chat_id, exc)
                continue
            with self._lock:
                if self._closed:
                    conn.close()
                    raise StopIteration
                self._conn = conn
            self.reconnects += 1
            self._filter.connection_opened()
            return conn


def _nothing() -> None:
    pass


def stream_chat(
    client: Client,
    chat_id: UUID | str,
    *,
    after_id: int | None = None,
    reconnect: bool = True,
    max_reconnect_attempts: int = 10,
    backoff_initial: float = 1.0,
    backoff_max: float = 10.0,
    idle_timeout: float = 45.0,
    max_frame_bytes: int = 4 * 1024 * 1024,
    sleep: Callable[[float], object] | None = None,
    random: Callable[[], float] | None = None,
) -> ChatStream:
    """Open ``GET /api/experimental/chats/{chat_id}/stream`` and return the ``ChatStream``.

    Connects before returning, with the client's credential headers, extra headers, cookies, TLS
    verification and connect timeout; a refused handshake raises the REST ``APIError`` subclass
    (``AuthenticationError`` for 401, ...), a failed connection ``APIConnectionError`` or
    ``APITimeoutError``. ``after_id`` skips persisted messages up to that id (also on servers that
    ignore it). See the module docstring for reconnection; ``sleep`` (default: a wait that ``close()``
    interrupts) and ``random`` (the jitter source) are injectable for tests.
    """
    if isinstance(after_id, bool) or (after_id is not None and not isinstance(after_id, int)):
        raise TypeError(f"after_id must be an int or None, got {after_id!r}")
    if max_reconnect_attempts < 0:
        raise ValueError("max_reconnect_attempts must be >= 0")
    if not idle_timeout > 0:
        raise ValueError("idle_timeout must be > 0 seconds")
    if max_frame_bytes < 1:
        raise ValueError("max_frame_bytes must be >= 1")
    stream = ChatStream(
        client,
        chat_id if isinstance(chat_id, UUID) else UUID(str(chat_id)),
        after_id=after_id,
        reconnect=reconnect,
        max_reconnect_attempts=max_reconnect_attempts,
        backoff=Backoff(backoff_initial, backoff_max, random=random),
        idle_timeout=idle_timeout,
        max_frame_bytes=max_frame_bytes,
        sleep=sleep,
    )
    stream.connect_first()
    return stream
