"""When a websocket stream reconnects, when it gives up, and with which error. Pure: no I/O, no clock.

The I/O loops (``ChatStream``, ``AsyncChatStream``, the chat watches) describe what happened, through
``LoopCore`` (which also logs it on ``coder_chat.streaming``), and do what ``ReconnectPolicy`` answers:
``Wait(delay)`` (sleep, then try to connect again) or ``Fail(error)`` (raise it). The rules, described
in docs/protocol.md ("Reconnection"):

* The first connection is opened by the caller itself: its failures raise at once, no policy needed.
* A *drop* is a socket error, EOF, an idle timeout, or a close frame from the server other than a
  deliberate protocol refusal (``FATAL_CLOSE_CODES``), which ends the stream. With ``reconnect=False``
  every drop ends the stream.
* A drop after at least one frame on that connection resets the count of consecutive failures; a
  connection accepted and cut before a single frame counts as a failed attempt, so a server that does
  that forever ends in ``StreamDisconnectedError`` instead of a loop.
* A failed attempt is a connection error, a timeout, or a handshake answered 5xx or 429. Any other
  refusal (401, 403, 404, a redirect, ...) raises its ``APIError`` at once: retrying cannot help.
* After ``max_attempts`` consecutive failures the stream ends: with ``StreamTimeoutError`` when the
  last failure was a timeout (idle or handshake), else ``StreamDisconnectedError``.
* Waits follow ``Backoff``: ``delay(n)`` before the attempt that follows ``n`` consecutive failures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coder_chat._runtime.exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    CoderChatError,
    StreamDisconnectedError,
    StreamTimeoutError,
)

from .backoff import Backoff

__all__ = [
    "FATAL_CLOSE_CODES",
    "ConnectionDropped",
    "Fail",
    "IdleTimeout",
    "ReconnectPolicy",
    "ServerClosed",
    "Wait",
]

FATAL_CLOSE_CODES = frozenset({1002, 1003, 1007, 1009, 1010})
"""Close codes that mean the server refuses what this client does (protocol error, unsupported or
invalid data, too big, missing extension): reconnecting would meet the same refusal, so the stream
ends with ``StreamDisconnectedError``. Every other code (1000 normal, 1001 going away / ping failed,
1011 server error, 1012 restart, 1013 try later, 4xxx ...) is a drop: a reconnect's handshake tells
an expired token or a deleted chat apart with a precise ``APIError``."""


class ConnectionDropped(Exception):
    """What an I/O loop reports when a connection is gone (socket error, EOF); the cause is ``__cause__``."""


class IdleTimeout(ConnectionDropped):
    """No frame and no ping arrived within the idle timeout: the server went silent."""


class ServerClosed(ConnectionDropped):
    """The server sent a close frame with ``code`` (1005 when it had none) and ``reason``."""

    def __init__(self, code: int, reason: str) -> None:
        self.code = code
        self.reason = reason
        super().__init__(f"server closed the stream: {code} {reason}".rstrip())


@dataclass(frozen=True, slots=True)
class Wait:
    """Sleep ``delay`` seconds, then open a new connection."""

    delay: float


@dataclass(frozen=True, slots=True)
class Fail:
    """Raise ``error`` (its ``__cause__`` is already set): the stream is over."""

    error: CoderChatError


class ReconnectPolicy:
    """The reconnection decisions of one stream; feed it every drop and every failed reconnection."""

    def __init__(self, *, reconnect: bool, max_attempts: int, backoff: Backoff) -> None:
        if max_attempts < 0:
            raise ValueError("max_reconnect_attempts must be >= 0")
        self.reconnect = reconnect
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.failures = 0
        """Consecutive failed attempts since the last connection that delivered a frame."""
        self._last_error: BaseException | None = None

    @classmethod
    def from_settings(
        cls,
        *,
        reconnect: bool,
        max_reconnect_attempts: int,
        backoff_initial: float,
        backoff_max: float,
        random: Callable[[], float] | None,
    ) -> ReconnectPolicy:
        """The policy for the keyword arguments of ``stream_chat`` and its twins."""
        backoff = Backoff(backoff_initial, backoff_max, random=random)
        return cls(reconnect=reconnect, max_attempts=max_reconnect_attempts, backoff=backoff)

    def dropped(self, drop: ConnectionDropped, *, frames_received: int) -> Wait | Fail:
        """A connection that was open is gone; ``frames_received`` counts its frames (pings included)."""
        if isinstance(drop, ServerClosed) and drop.code in FATAL_CLOSE_CODES:
            return _fail(StreamDisconnectedError(f"the server refused the stream: {drop}"), drop)
        if not self.reconnect:
            error = StreamTimeoutError if isinstance(drop, IdleTimeout) else StreamDisconnectedError
            return _fail(error(f"chat stream disconnected: {drop}"), drop)
        if frames_received:
            self.failures = 0
        else:
            self.failures += 1  # accepted, then cut before a single frame: not a working connection
        self._last_error = drop
        return self._next_attempt()

    def attempt_failed(self, error: APIError | APIConnectionError) -> Wait | Fail:
        """A reconnection attempt failed: its handshake was refused (``APIError``) or never completed."""
        if isinstance(error, APIError) and error.status_code < 500 and error.status_code != 429:
            return Fail(error)  # 401, 403, 404, a redirect ...: another attempt would meet the same answer
        self.failures += 1
        self._last_error = error
        return self._next_attempt()

    def _next_attempt(self) -> Wait | Fail:
        if self.failures >= self.max_attempts:
            last = self._last_error
            error = StreamTimeoutError if isinstance(last, IdleTimeout | APITimeoutError) else StreamDisconnectedError
            return _fail(
                error(
                    f"chat stream disconnected: gave up after {self.failures} consecutive failed reconnection "
                    f"attempts (max_reconnect_attempts={self.max_attempts}); last error: {last}"
                ),
                last,
            )
        return Wait(self.backoff.delay(self.failures))


def _fail(error: CoderChatError, cause: BaseException | None) -> Fail:
    error.__cause__ = cause
    return Fail(error)
