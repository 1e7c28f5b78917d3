"""One websocket connection to a stream on the asyncio event loop, on the ``websockets`` library.

The async twin of ``wsconn.py``: opening maps a refused handshake to the REST ``APIError`` classes and
transport failures to ``APIConnectionError``/``APITimeoutError``; reading reports a drop as the
``ConnectionDropped`` family the ``ReconnectPolicy`` understands. ``websockets`` answers pings itself
and reassembles fragmented messages; ``_CountingConnection`` notes every frame (pings included), so
the idle timeout measures silence, not the time since the last message. Handshake redirects are not
followed, and no ping or data frame is ever sent.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Mapping
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, PayloadTooBig, WebSocketException
from websockets.frames import CloseCode, Frame
from websockets.protocol import Event

from coder_chat._runtime.exceptions import StreamFrameTooLargeError
from coder_chat.client.errors import APIConnectionError, APITimeoutError, api_error_from_response

from .policy import ConnectionDropped, IdleTimeout, ServerClosed

__all__ = ["AsyncConnection", "open_async_connection"]


class _CountingConnection(ClientConnection):
    """``ClientConnection`` noting how many frames arrived, and when the last one did."""

    frames_received = 0
    last_frame_at = 0.0

    def process_event(self, event: Event) -> None:
        if isinstance(event, Frame):
            self.frames_received += 1
            self.last_frame_at = self.loop.time()
        super().process_event(event)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.protocol.parser_exc is not None and self.transport is not None:
            # The protocol failed the connection (a frame over max_size, a protocol error) and queued
            # its close frame: flush it and close now, instead of waiting close_timeout for the server.
            self.transport.close()


class _NoDebugLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """websockets' logger without its DEBUG records, which show every handshake header (the session
    token included) and every frame."""

    def isEnabledFor(self, level: int) -> bool:
        return level > logging.DEBUG and self.logger.isEnabledFor(level)


_LOGGER = _NoDebugLogger(logging.getLogger("websockets.client"))


class _NoRedirects(connect):
    """``websockets.connect`` that treats a redirect as a refusal: the token must not follow it."""

    def process_redirect(self, exc: Exception) -> Exception | str:
        return exc


class AsyncConnection:
    """An open stream connection: ``read_message()`` from the task that iterates, ``abort()`` from any."""

    def __init__(self, ws: _CountingConnection, *, idle_timeout: float, max_frame_bytes: int) -> None:
        self._ws = ws
        self._idle_timeout = idle_timeout
        self._max = max_frame_bytes
        self._opened_at = asyncio.get_running_loop().time()  # the idle clock starts with the connection

    @property
    def frames_received(self) -> int:
        return self._ws.frames_received

    async def read_message(self) -> bytes:
        """The payload of the next text or binary message (text stays undecoded: the decoder checks it).

        Raises ``ServerClosed`` for a close frame, ``IdleTimeout`` when no frame (not even a ping)
        arrived for the idle timeout, ``ConnectionDropped`` when the connection fails, and
        ``StreamFrameTooLargeError`` for a message over ``max_frame_bytes``.
        """
        ws = self._ws
        loop = asyncio.get_running_loop()
        while True:
            remaining = max(ws.last_frame_at, self._opened_at) + self._idle_timeout - loop.time()
            if remaining <= 0:
                raise IdleTimeout("no frame and no ping within the idle timeout")
            try:
                async with asyncio.timeout(remaining):
                    message = await ws.recv(decode=False)
            except TimeoutError:
                continue  # a ping may have come meanwhile: the loop measures the silence again
            except ConnectionClosed as exc:
                raise self._dropped(exc) from exc
            except (OSError, WebSocketException) as exc:
                raise ConnectionDropped(f"connection lost: {type(exc).__name__}: {exc}") from exc
            return message

    def _dropped(self, exc: ConnectionClosed) -> Exception:
        sent, received = exc.sent, exc.rcvd
        if received is None and sent is not None and sent.code == CloseCode.MESSAGE_TOO_BIG:
            too_big = self._ws.protocol.parser_exc
            if isinstance(too_big, PayloadTooBig) and too_big.size is not None:
                size = too_big.size + (too_big.current_size or 0)  # a fragment's size, after those read before
                return StreamFrameTooLargeError(size, self._max)
            return StreamFrameTooLargeError(None, self._max)
        if received is not None:
            return ServerClosed(received.code, received.reason)
        return ConnectionDropped(f"connection lost: {exc}")

    def abort(self) -> None:
        """Drop the connection at once and release its socket (no closing handshake); synchronous."""
        transport = self._ws.transport
        if transport is not None:
            transport.abort()

    async def close(self) -> None:
        """Close with a 1000 close frame, waiting a moment at most for the server's answer."""
        try:
            async with asyncio.timeout(0.5):
                await self._ws.close()
        except (TimeoutError, OSError, WebSocketException):
            pass
        finally:
            self.abort()


async def open_async_connection(
    url: str,
    *,
    headers: Mapping[str, str],
    cookie: str | None,
    ssl_context: ssl.SSLContext | None,
    connect_timeout: float | None,
    idle_timeout: float,
    max_frame_bytes: int,
) -> AsyncConnection:
    """Open ``url`` (ws:// or wss://) and return the connection, or raise like a REST call would."""
    additional: dict[str, str] = dict(headers)
    if cookie:
        additional["Cookie"] = cookie
    options: dict[str, Any] = {"ssl": ssl_context} if ssl_context is not None else {}
    try:
        ws = await _NoRedirects(
            url,
            additional_headers=additional,
            user_agent_header=None,
            open_timeout=connect_timeout,
            ping_interval=None,  # never send anything but pongs and the closing handshake
            max_size=max_frame_bytes,
            compression=None,
            create_connection=_CountingConnection,
            logger=_LOGGER,
            **options,
        )
    except InvalidStatus as exc:
        response = exc.response
        lowered = {str(k).lower(): str(v) for k, v in response.headers.raw_items()}
        raise api_error_from_response(response.status_code, bytes(response.body or b""), lowered) from exc
    except TimeoutError as exc:
        raise APITimeoutError(f"stream handshake timed out (connect timeout {connect_timeout} s)") from exc
    except (OSError, WebSocketException) as exc:
        raise APIConnectionError(f"stream connection failed: {type(exc).__name__}: {exc}") from exc
    assert isinstance(ws, _CountingConnection)
    return AsyncConnection(ws, idle_timeout=idle_timeout, max_frame_bytes=max_frame_bytes)
