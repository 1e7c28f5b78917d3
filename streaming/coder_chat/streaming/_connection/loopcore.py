"""What the two I/O loops (``StreamLoop``, ``AsyncStreamLoop``) share, written once. No I/O.

``StreamSettings`` holds the keyword arguments that ``stream_chat``, ``watch_chats``, their async
twins and the turns have in common, with their defaults (written here only: ``DEFAULTS``);
``LoopCore`` checks them and keeps the state both loops start from (the client, the sans-I/O core,
the ``ReconnectPolicy``, the credential values to mask, the TLS context of the first ``wss``
connection, the generation's ``Routes``: given, or detected by the loop before its first connection),
builds each connection's handshake, and turns what happened to a connection into the
policy's decision and the INFO records of the ``coder_chat.streaming`` logger (``_dropped``,
``_attempt_failed``, ``_reconnected``), so that both loops report drops and reconnects alike.
``FrameProtocol`` is what a loop needs of its sans-I/O core; ``ChatStreamAttributes`` what both chat
streams show of theirs.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final, Generic, NamedTuple, Protocol, TypeVar
from uuid import UUID

from coder_chat.client import Client
from coder_chat.client.errors import APIConnectionError, APIError
from coder_chat.client.models import ChatStreamEvent

from .._routes import Routes
from .handshake import handshake_headers
from .policy import ConnectionDropped, Fail, ReconnectPolicy, Wait
from .protocol import ChatStreamProtocol
from .redact import mask_text, secrets_of

__all__ = [
    "DEFAULTS",
    "AsyncSleep",
    "ChatStreamAttributes",
    "FrameProtocol",
    "Handshake",
    "LoopCore",
    "Sleep",
    "StreamSettings",
    "logger",
]

logger = logging.getLogger("coder_chat.streaming")
"""Where every stream and watch, sync or async, logs each drop (with its cause), each reconnection
attempt and its outcome, at INFO (documented in the README and docs/protocol.md). Credential values
are masked in these records, should a server echo them in a close reason or an error body."""

EventT = TypeVar("EventT")
EventT_co = TypeVar("EventT_co", covariant=True)
SleepT = TypeVar("SleepT")

Sleep = Callable[[float], object]
"""The sync loop's injectable backoff wait."""
AsyncSleep = Callable[[float], Awaitable[object]]
"""The async loop's injectable backoff wait."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamSettings(Generic[SleepT]):
    """The shared keyword arguments of ``stream_chat``, ``watch_chats`` and their async twins.

    ``SleepT`` is the injectable backoff wait: a plain callable for the sync loop, an async one for
    the async loop. Checked by ``LoopCore``, not here, so that a stream's other arguments (its chat
    id, ``after_id``) are still checked first.
    """

    reconnect: bool = True
    max_reconnect_attempts: int = 10
    backoff_initial: float = 1.0
    backoff_max: float = 10.0
    idle_timeout: float = 45.0
    max_frame_bytes: int = 4 * 1024 * 1024
    sleep: SleepT | None = None
    random: Callable[[], float] | None = None

    def policy(self) -> ReconnectPolicy:
        """A new ``ReconnectPolicy`` for these settings (one per stream: it counts failures)."""
        return ReconnectPolicy.from_settings(
            reconnect=self.reconnect,
            max_reconnect_attempts=self.max_reconnect_attempts,
            backoff_initial=self.backoff_initial,
            backoff_max=self.backoff_max,
            random=self.random,
        )


DEFAULTS: Final[StreamSettings[Any]] = StreamSettings()
"""The defaults of the stream options, which every factory's signature reads (``= DEFAULTS.reconnect``)."""


class Handshake(NamedTuple):
    """What opening the next connection takes, besides the timeouts."""

    url: str
    headers: dict[str, str]
    cookie: str | None
    ssl_context: ssl.SSLContext | None


class LoopCore(Generic[EventT, SleepT]):
    """The state of an I/O loop that does not depend on how it does I/O: settings checked, core, policy.

    ``reconnects`` counts connections re-established after a drop; ``closed`` says whether the stream
    was closed or ended with an error. ``_trouble`` is why the stream is reconnecting (the last drop or
    failed attempt), ``None`` while a connection is up: a turn that times out names it, and chains it.
    """

    def __init__(
        self,
        client: Client,
        protocol: FrameProtocol[EventT],
        settings: StreamSettings[SleepT],
        *,
        routes: Routes | None = None,
    ) -> None:
        policy = settings.policy()
        if not settings.idle_timeout > 0:
            raise ValueError("idle_timeout must be > 0 seconds")
        if settings.max_frame_bytes < 1:
            raise ValueError("max_frame_bytes must be >= 1")
        self.reconnects = 0
        self._client = client
        self._protocol = protocol
        self._policy = policy
        self._idle_timeout = settings.idle_timeout
        self._max_frame_bytes = settings.max_frame_bytes
        self._sleep = settings.sleep
        self._ssl: ssl.SSLContext | None = None  # built on the first wss connection, then reused
        self._closed = False
        self._started = False  # the first connection was attempted (by the factory or the first event)
        self._trouble: BaseException | None = None
        self._secrets = secrets_of(client)
        # The generation's routes: given by a caller that knows them (a turn), else set by the loop
        # (routes_for / aroutes_for: one probe per client) before its first connection.
        self._routes = routes

    @property
    def closed(self) -> bool:
        """Whether the stream was closed (``close()``, ``aclose()``) or ended with an error."""
        return self._closed

    def _handshake(self) -> Handshake:
        """The URL, headers, cookie and TLS context of the next connection."""
        url = self._protocol.url(self._client.base_url, self._known_routes())
        headers, cookie = handshake_headers(self._client)
        context = None
        if url.startswith("wss:"):
            if self._ssl is None:
                self._ssl = self._client.ssl_context()  # the one REST uses
            context = self._ssl
        return Handshake(url, headers, cookie, context)

    def _known_routes(self) -> Routes:
        """The routes, which the loop sets before its first connection."""
        if self._routes is None:  # a bug in a loop, not a caller's mistake
            raise RuntimeError(f"{type(self).__name__}: no routes before connecting")
        return self._routes

    # --- what happened to a connection: the policy's decision, logged once for both loops ------------

    def _dropped(self, drop: ConnectionDropped, *, frames_received: int) -> Wait | Fail:
        """A connection that was up is gone: log its cause and ask the policy what to do."""
        self._trouble = drop
        self._log("connection dropped: %s", drop)
        return self._decided(self._policy.dropped(drop, frames_received=frames_received))

    def _attempt_failed(self, error: APIError | APIConnectionError, *, resync: bool = False) -> Wait | Fail:
        """A reconnection attempt failed: its handshake (or, ``resync``, the watch's listing after it)."""
        self._trouble = error
        self._log("resynchronisation failed: %s" if resync else "reconnection failed: %s", error)
        return self._decided(self._policy.attempt_failed(error))

    def _reconnected(self) -> None:
        """A new connection is up (and, for the watch, resynchronised)."""
        self.reconnects += 1
        self._trouble = None
        self._log("reconnected (reconnection %s)", self.reconnects)

    def _decided(self, decision: Wait | Fail) -> Wait | Fail:
        if isinstance(decision, Wait):
            attempt = f"{self._policy.failures + 1} of {self._policy.max_attempts}"
            self._log("reconnecting in %s s (attempt %s)", f"{decision.delay:.1f}", attempt)
        else:
            self._log("not reconnecting: %s", decision.error)
        return decision

    def _log(self, message: str, *details: object) -> None:
        """An INFO record ``<stream>: message``, credential values masked in ``details``."""
        if logger.isEnabledFor(logging.INFO):
            logger.info("%s: " + message, repr(self), *map(self._masked, details))  # the state as it is now

    def _masked(self, detail: object) -> str:
        """``str(detail)`` with the client's credential values masked."""
        return mask_text(str(detail), self._secrets)


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

    def _take_ready(self) -> list[ChatStreamEvent]:
        """The events already decoded and filtered after the one last handed out: no I/O, never raises.
        For the thread or task that iterates the stream and hands its events on in batches (a turn)."""
        return [] if self._closed else self._protocol.take_ready()

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
