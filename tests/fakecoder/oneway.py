"""What the chat stream and the watch socket share: both are coderd's one-way websockets.

The handshake checks and the refusals that answer them with a plain HTTP response, the canned
`error` envelope after the upgrade, the bookkeeping of open connections (for the drop and silence
knobs), the send loop's "drop after N frames" knob, and serving a connection until either side goes
away: a client that sends anything is closed with 1002, as coderd does on a one-way socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

from starlette.responses import Response
from starlette.websockets import WebSocket, WebSocketDisconnect

from .faults import CannedFault
from .hub import Hub, Subscriber
from .wire import SKIP_SPEC_KEY, APIError, JSONDict, json_response

ONE_WAY_REASON = "Clients cannot send messages for one-way WebSockets"
RAW_SEND_KEY = "fakecoder.raw_send"
logger = logging.getLogger("tests.fakecoder")

T = TypeVar("T")


class Dropped(Exception):
    """The connection was cut on purpose by a fault knob."""


class StreamConn:
    """One open stream or watch connection, reachable by the knobs from other threads."""

    def __init__(self, websocket: WebSocket, loop: asyncio.AbstractEventLoop) -> None:
        self.websocket = websocket
        self.loop = loop
        self.silent = False
        # uvicorn passes its protocol's bound `send`; through it we reach the TCP
        # transport, the only way to drop a socket without a close frame.
        raw_send = websocket.scope.get(RAW_SEND_KEY)
        self._protocol: Any = getattr(raw_send, "__self__", None)
        self.drop_requested = asyncio.Event()

    async def abort_transport(self) -> bool:
        """Cut the TCP connection (no close frame). False if not possible here."""
        transport = getattr(self._protocol, "transport", None)
        if transport is None:
            return False
        # Let frames already sent leave the process first, so "after N frames" is exact.
        for _ in range(1000):
            if transport.is_closing() or transport.get_write_buffer_size() == 0:
                break
            await asyncio.sleep(0.001)
        transport.abort()
        return True

    def go_silent(self) -> None:
        """Stop frames and protocol pings on this connection (call on the loop)."""
        self.silent = True
        stop = getattr(self._protocol, "stop_keepalive", None)
        if callable(stop):
            stop()

    def drop_soon(self) -> None:
        """Have the connection's loop drop it (from any thread)."""
        self.loop.call_soon_threadsafe(self.drop_requested.set)

    def go_silent_soon(self) -> None:
        """Have the connection's loop silence it (from any thread)."""
        self.loop.call_soon_threadsafe(self.go_silent)


def encode(value: Any) -> str:
    """One JSON frame as Go's encoder writes it (compact, UTF-8, a trailing newline)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def error_envelope(message: str, detail: str | None) -> JSONDict:
    """The `data` of an `error` frame (a codersdk.Response)."""
    body: JSONDict = {"message": message}
    if detail is not None:
        body["detail"] = detail
    return body


async def refuse(websocket: WebSocket, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
    """Answer the upgrade request with a plain HTTP response (no 101)."""
    if isinstance(body, str):
        await websocket.send_denial_response(Response(body, status, headers=headers))
    else:
        await websocket.send_denial_response(json_response(status, body, headers))
    # uvicorn's websockets-sansio protocol sends the denial but never marks the
    # handshake done, then logs "ASGI callable returned without completing
    # handshake." for every refusal; mark it done so only real problems are logged.
    protocol = getattr(websocket.scope.get(RAW_SEND_KEY), "__self__", None)
    if protocol is not None and getattr(protocol, "initial_response", None) is not None:
        protocol.handshake_complete = True


async def check_handshake(websocket: WebSocket, refusal: CannedFault | None, check: Callable[[], T]) -> T | None:
    """Run the checks before the upgrade: a canned refusal answers first, then `check`'s `APIError` does.

    Returns what `check` returns, or None when the request was refused (and answered).
    """
    if refusal is not None:
        websocket.scope[SKIP_SPEC_KEY] = True
        await refuse(websocket, refusal.status, refusal.body, refusal.headers)
        return None
    try:
        return check()
    except APIError as exc:
        await refuse(websocket, exc.status, exc.body)
        return None


async def send_error(websocket: WebSocket, body: JSONDict) -> None:
    """An `error` envelope, then a normal close: coderd's answer to a failed Subscribe."""
    with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
        await websocket.send_text(encode({"type": "error", "data": body}))
        await websocket.close(1000, "Connection closed")


@contextlib.contextmanager
def registered(
    conn: StreamConn, conns: set[StreamConn], lock: threading.Lock, hub: Hub, sub: Subscriber
) -> Iterator[None]:
    """Keep `conn` in `conns` (where the knobs find it) while it is served; then unsubscribe `sub`."""
    with lock:
        conns.add(conn)
    try:
        yield
    finally:
        with lock:
            conns.discard(conn)
        hub.unsubscribe(sub)


class Sender:
    """Sends frames on `conn`, none while it is silent, and cuts it after `drop_after` frames."""

    def __init__(self, conn: StreamConn, drop_after: int | None) -> None:
        self.conn = conn
        self.drop_after = drop_after
        self.sent = 0

    async def start(self) -> None:
        """Before the first frame: a connection to drop after 0 frames is cut at once."""
        if self.drop_after == 0:
            await drop(self.conn)
            raise Dropped

    async def send(self, frame: str) -> None:
        if self.conn.silent:
            return
        await self.conn.websocket.send_text(frame)
        self.sent += 1
        if self.drop_after is not None and self.sent >= self.drop_after:
            await drop(self.conn)
            raise Dropped


async def serve(conn: StreamConn, write: Coroutine[Any, Any, None], what: str) -> None:
    """Run `write` until it ends, the client sends or goes away, or a knob drops the connection."""
    websocket = conn.websocket
    writer = asyncio.create_task(write)
    reader = asyncio.create_task(_read(websocket))
    dropper = asyncio.create_task(conn.drop_requested.wait())
    done, pending = await asyncio.wait({writer, reader, dropper}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    for task in pending:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    failure = next((t.exception() for t in done if t is writer and not t.cancelled()), None)
    if dropper in done:
        await drop(conn)
    elif reader in done and reader.result() == "client-sent":
        with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
            await websocket.close(1002, ONE_WAY_REASON)
    elif failure is not None and not isinstance(failure, (Dropped, WebSocketDisconnect, OSError)):
        # A bug in the fake: say so loudly, and close the way coderd does on a write failure.
        logger.error("fakecoder: %s writer failed", what, exc_info=failure)
        with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
            await websocket.close(1011, "Unable to send newest message")


async def drop(conn: StreamConn) -> None:
    """Cut the connection without a close frame (or, where that cannot be done, close it with 1011)."""
    if not await conn.abort_transport():
        # Not on uvicorn's websockets-sansio protocol: the closest we can do is 1011.
        with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
            await conn.websocket.close(1011, "fakecoder: dropped")


async def _read(websocket: WebSocket) -> str:
    """Wait for the client: any data frame breaks the one-way contract."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return "disconnect"
        if message["type"] == "websocket.receive":
            return "client-sent"
