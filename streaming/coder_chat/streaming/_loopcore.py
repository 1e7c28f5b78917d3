"""What the two I/O loops (``StreamLoop``, ``AsyncStreamLoop``) share, written once. No I/O.

``StreamSettings`` holds the keyword arguments that ``stream_chat``, ``watch_chats`` and their async
twins have in common; ``LoopCore`` checks them and keeps the state both loops start from (the
client, the sans-I/O core, the ``ReconnectPolicy``, the credential values to mask, the TLS context
of the first ``wss`` connection) and builds each connection's handshake.
"""

from __future__ import annotations

import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from coder_chat.client import Client

from ._policy import ReconnectPolicy
from ._protocol import FrameProtocol, handshake_headers
from ._redact import secrets_of

__all__ = ["AsyncSleep", "Handshake", "LoopCore", "Sleep", "StreamSettings"]

EventT = TypeVar("EventT")
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

    reconnect: bool
    max_reconnect_attempts: int
    backoff_initial: float
    backoff_max: float
    idle_timeout: float
    max_frame_bytes: int
    sleep: SleepT | None
    random: Callable[[], float] | None

    def policy(self) -> ReconnectPolicy:
        """A new ``ReconnectPolicy`` for these settings (one per stream: it counts failures)."""
        return ReconnectPolicy.from_settings(
            reconnect=self.reconnect,
            max_reconnect_attempts=self.max_reconnect_attempts,
            backoff_initial=self.backoff_initial,
            backoff_max=self.backoff_max,
            random=self.random,
        )


class Handshake(NamedTuple):
    """What opening the next connection takes, besides the timeouts."""

    url: str
    headers: dict[str, str]
    cookie: str | None
    ssl_context: ssl.SSLContext | None


class LoopCore(Generic[EventT, SleepT]):
    """The state of an I/O loop that does not depend on how it does I/O: settings checked, core, policy.

    ``reconnects`` counts connections re-established after a drop; ``closed`` says whether the stream
    was closed or ended with an error.
    """

    def __init__(self, client: Client, protocol: FrameProtocol[EventT], settings: StreamSettings[SleepT]) -> None:
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
        self._secrets = secrets_of(client)

    @property
    def closed(self) -> bool:
        """Whether the stream was closed (``close()``, ``aclose()``) or ended with an error."""
        return self._closed

    def _handshake(self) -> Handshake:
        """The URL, headers, cookie and TLS context of the next connection."""
        url = self._protocol.url(self._client.base_url)
        headers, cookie = handshake_headers(self._client)
        context = None
        if url.startswith("wss:"):
            if self._ssl is None:
                self._ssl = self._client.ssl_context()  # the one REST uses
            context = self._ssl
        return Handshake(url, headers, cookie, context)
