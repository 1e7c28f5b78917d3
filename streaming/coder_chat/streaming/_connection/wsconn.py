"""One websocket connection to a chat stream, on websocket-client's low-level ``WebSocket``.

Opening maps a refused handshake to the REST ``APIError`` classes and transport failures to
``APIConnectionError``/``APITimeoutError``. Reading assembles whole messages itself (instead of
``WebSocket.recv``) so it can refuse oversized frames before reading their payload, answer pings,
and tell a server's close frame (with its code) from a broken socket. It never sends a data frame:
only pongs and the closing handshake, which are control frames.

A read waits on the socket in slices of at most ``WAKE_EVERY`` seconds, the idle timeout counted
across them: a Ctrl-C is raised only when the reading (main) thread runs Python code, and a SIGINT
that reaches the process just before the socket wait begins (or on another thread) does not interrupt
that wait, so without slices a silent stream would hold it until the next ping (15 s) or the idle
timeout (the rare hang of ``coder-chat tail`` after Ctrl-C).
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import time
from collections.abc import Callable, Mapping
from typing import Any, cast

import websocket
from websocket import ABNF

from coder_chat._runtime.exceptions import StreamFrameTooLargeError
from coder_chat._runtime.tls import ssl_context as ssl_context
from coder_chat.client.errors import APIConnectionError, APIError, APITimeoutError, api_error_from_response

from .policy import ConnectionDropped, IdleTimeout, ServerClosed

__all__ = ["Connection", "open_connection", "ssl_context"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
WAKE_EVERY = 0.25
"""The longest a read waits on the socket before the reading thread runs Python code again (so a
Ctrl-C whose signal missed the wait is raised within it): the socket timeout between frames."""


class _FrameTooLarge(Exception):
    def __init__(self, length: int) -> None:
        super().__init__(length)
        self.length = length


class _LimitedFrameBuffer(websocket.frame_buffer):
    """websocket-client's frame reader, refusing a frame by its header before reading the payload."""

    def __init__(self, recv_fn: Callable[[int], bytes], limit: int) -> None:
        # Skip the library's pure-Python UTF-8 check: text is decoded (and checked) in C later.
        super().__init__(recv_fn, skip_utf8_validation=True)
        self.limit = limit

    def recv_length(self) -> None:
        super().recv_length()
        if self.length is not None and self.length > self.limit:
            raise _FrameTooLarge(self.length)


class _StreamSocket(websocket.WebSocket):
    def __init__(self, *, sslopt: dict[str, Any], max_frame_bytes: int) -> None:
        super().__init__(sslopt=sslopt, enable_multithread=True, skip_utf8_validation=True)
        self.frame_buffer = _LimitedFrameBuffer(self._recv, max_frame_bytes)


def _shutdown(ws: websocket.WebSocket) -> None:
    """Wake any thread blocked on this socket (recv returns EOF); safe from any thread."""
    sock = ws.sock
    if sock is not None:
        with contextlib.suppress(OSError):  # not connected yet, or already gone
            sock.shutdown(socket.SHUT_RDWR)


class Connection:
    """An open stream connection. ``read_message()`` from one thread; ``interrupt()`` from any."""

    def __init__(self, ws: _StreamSocket, max_frame_bytes: int, idle_timeout: float) -> None:
        self._ws = ws
        self._max = max_frame_bytes
        self._idle_timeout = idle_timeout
        self._slice = min(idle_timeout, WAKE_EVERY)  # the socket's timeout between frames
        ws.settimeout(self._slice)
        self.frames_received = 0
        self._closed = False

    def read_message(self) -> bytes:
        """The payload of the next text or binary message, answering pings on the way.

        Raises ``ServerClosed`` for a close frame, ``IdleTimeout`` when no frame (a ping included) comes
        within the idle timeout, ``ConnectionDropped`` when it fails and ``StreamFrameTooLargeError`` for a
        frame over ``max_frame_bytes``. A text payload is not checked for UTF-8 here: ``decode_frame`` does that.
        """
        parts: list[bytes] = []
        first_opcode: int | None = None
        size = 0
        while True:
            frame = self._next_frame()
            opcode = frame.opcode
            data = frame.data
            payload = data if isinstance(data, bytes) else data.encode()
            if opcode == ABNF.OPCODE_PING:
                self._send_control(payload, ABNF.OPCODE_PONG)
                continue
            if opcode == ABNF.OPCODE_PONG:
                continue
            if opcode == ABNF.OPCODE_CLOSE:
                raise self._on_close(payload)
            if opcode in (ABNF.OPCODE_TEXT, ABNF.OPCODE_BINARY):
                if first_opcode is not None:
                    raise ConnectionDropped("protocol error: a new message began inside a fragmented one")
                first_opcode = opcode
            elif first_opcode is None:  # OPCODE_CONT
                raise ConnectionDropped("protocol error: continuation frame without a message")
            size += len(payload)
            if size > self._max:
                raise self._too_large(size)
            parts.append(payload)
            if frame.fin:
                # Text stays bytes: decode_frame checks UTF-8 as it parses (cheaper than decoding to str here).
                return parts[0] if len(parts) == 1 else b"".join(parts)

    def _next_frame(self) -> ABNF:
        deadline: float | None = None  # of the idle timeout, set when a slice of the wait ends without a frame
        while True:
            try:
                frame = cast(ABNF, self._ws.recv_frame())  # type: ignore[no-untyped-call]
            except _FrameTooLarge as exc:
                raise self._too_large(exc.length) from None
            except (websocket.WebSocketTimeoutException, TimeoutError) as exc:
                deadline = self._silent(deadline, exc)
                continue  # websocket-client keeps what it read of a frame: the next call goes on with it
            except (websocket.WebSocketException, OSError, struct.error) as exc:
                raise ConnectionDropped(f"connection lost: {type(exc).__name__}: {exc}") from exc
            if deadline is not None:
                self._set_timeout(self._slice)  # _silent may have shortened it
            self.frames_received += 1
            return frame

    def _silent(self, deadline: float | None, exc: Exception) -> float:
        """A slice of the wait for a frame ended without one: raise ``IdleTimeout`` when the idle timeout
        has passed since the wait began, else wait on until it (returns the deadline)."""
        now = time.monotonic()
        if deadline is None:  # the first slice: the wait began a slice ago (or earlier, if part of a frame came)
            deadline = now - self._slice + self._idle_timeout
        remaining = deadline - now
        if remaining <= 0:
            raise IdleTimeout("no frame and no ping within the idle timeout") from exc
        self._set_timeout(min(self._slice, remaining))
        return deadline

    def _set_timeout(self, seconds: float) -> None:
        with contextlib.suppress(OSError):  # a socket closed meanwhile: the next read reports it
            self._ws.settimeout(seconds)

    def _too_large(self, size: int) -> StreamFrameTooLargeError:
        # 1009 tells the server why; the frame's payload is never read.
        self._send_control(struct.pack("!H", websocket.STATUS_MESSAGE_TOO_BIG), ABNF.OPCODE_CLOSE, quiet=True)
        return StreamFrameTooLargeError(size, self._max)

    def _on_close(self, data: bytes) -> ServerClosed:
        code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 1005
        reason = data[2:].decode("utf-8", errors="replace")
        # Complete the closing handshake by echoing the code (1005 must not appear on the wire).
        echo = struct.pack("!H", code) if len(data) >= 2 else b""
        self._send_control(echo, ABNF.OPCODE_CLOSE, quiet=True)
        return ServerClosed(code, reason)

    def _send_control(self, payload: bytes, opcode: int, *, quiet: bool = False) -> None:
        try:
            self._ws.send(payload, opcode)
        except (websocket.WebSocketException, OSError) as exc:
            if not quiet:
                raise ConnectionDropped(f"connection lost: {type(exc).__name__}: {exc}") from exc

    def interrupt(self) -> None:
        """Make a blocked ``read_message()`` return (as a drop) at once; callable from any thread."""
        _shutdown(self._ws)

    def close(self, *, handshake: bool = False) -> None:
        """Release the socket; with ``handshake``, first send a 1000 close frame (best effort)."""
        if self._closed:
            return
        self._closed = True
        if handshake and self._ws.sock is not None:
            with contextlib.suppress(OSError):
                self._ws.sock.settimeout(0.5)  # never hang on a stuck peer while closing
            self._send_control(struct.pack("!H", websocket.STATUS_NORMAL), ABNF.OPCODE_CLOSE, quiet=True)
        _shutdown(self._ws)
        self._ws.shutdown()  # type: ignore[no-untyped-call]


def open_connection(
    url: str,
    *,
    headers: Mapping[str, str],
    cookie: str | None,
    ssl_context: ssl.SSLContext | None,
    connect_timeout: float | None,
    idle_timeout: float,
    max_frame_bytes: int,
    register: Callable[[Callable[[], None]], None] | None = None,
) -> Connection:
    """Open ``url`` (ws:// or wss://) and return the connection, or raise like a REST call would.

    ``register`` receives a function that aborts the attempt from another thread (used by
    ``ChatStream.close()``). Redirects are not followed: a 3xx is a refusal (``APIError``).
    """
    sslopt: dict[str, Any] = {"context": ssl_context} if ssl_context is not None else {}
    ws = _StreamSocket(sslopt=sslopt, max_frame_bytes=max_frame_bytes)
    if register is not None:
        register(lambda: _shutdown(ws))
    options: dict[str, Any] = {
        "header": dict(headers),
        "timeout": connect_timeout,
        "redirect_limit": 0,
        # A non-browser client sends no Origin, like the Go SDK; coderd then skips its origin check.
        "suppress_origin": True,
    }
    if cookie:
        options["cookie"] = cookie
    try:
        ws.connect(url, **options)  # type: ignore[no-untyped-call]
    except websocket.WebSocketBadStatusException as exc:
        raise _refusal(exc.status_code, exc.resp_body or b"", exc.resp_headers or {}) from exc
    except (websocket.WebSocketTimeoutException, TimeoutError) as exc:
        raise APITimeoutError(f"stream handshake timed out (connect timeout {connect_timeout} s)") from exc
    except (websocket.WebSocketException, OSError) as exc:
        status = ws.status
        if status in _REDIRECTS:  # redirect_limit=0 turns a redirect into "Redirect limit exhausted"
            raise _refusal(status, b"", ws.headers or {}) from exc
        raise APIConnectionError(f"stream connection failed: {type(exc).__name__}: {exc}") from exc
    finally:
        if register is not None:
            register(lambda: None)
    return Connection(ws, max_frame_bytes, idle_timeout)


def _refusal(status: int, body: bytes, headers: Mapping[str, str]) -> APIError:
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    return api_error_from_response(status, body, lowered)
