"""`GET /api/experimental/chats/{chat}/stream`: the one-way websocket.

Handshake checks (auth, chat, `after_id`) answer with a plain HTTP error response
via the ASGI websocket denial extension, so clients see a real 4xx status and a
JSON body instead of a 101. After the upgrade: the snapshot in upstream order,
then live events, batched at most 256 per frame, never repeating a message id.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from starlette.responses import Response
from starlette.websockets import WebSocket, WebSocketDisconnect

from .context import Context, authenticate, load_chat, parse_chat_param
from .hub import Event, Subscriber
from .wire import SKIP_SPEC_KEY, APIError, JSONDict, go_parse_int64, json_response

BATCH = 256  # coderd's chatStreamBatchSize
ONE_WAY_REASON = "Clients cannot send messages for one-way WebSockets"
RAW_SEND_KEY = "fakecoder.raw_send"
logger = logging.getLogger("tests.fakecoder")


class _Dropped(Exception):
    """The connection was cut on purpose by a fault knob."""


class StreamConn:
    """One open stream connection, reachable by the knobs from other threads."""

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


def _render(events: list[Event], fmt: str) -> list[str]:
    """Frames for one batch in the configured wire format (Go's encoder adds a newline)."""

    def enc(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"

    if fmt == "bare":
        return [enc(events)]
    if fmt == "object":
        return [enc({"type": "data", "data": e}) for e in events]
    return [enc({"type": "data", "data": events})]


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


async def stream_endpoint(websocket: WebSocket) -> None:
    """Check, upgrade, snapshot, then relay live events until either side goes away."""
    ctx: Context = websocket.app.state.ctx
    refusal = ctx.knobs.take_stream_refusal()
    if refusal is not None:
        websocket.scope[SKIP_SPEC_KEY] = True
        await refuse(websocket, refusal.status, refusal.body, refusal.headers)
        return
    try:
        user = authenticate(websocket, ctx.state)
        chat = load_chat(ctx.state, user, parse_chat_param(websocket.path_params["chat_id"]))
        after_raw = websocket.query_params.get("after_id")
        after_id: int | None = None
        if after_raw is not None and after_raw != "":
            after_id, err = go_parse_int64(after_raw)
            if after_id is None:
                raise APIError(400, "Invalid after_id parameter.", err)
    except APIError as exc:
        await refuse(websocket, exc.status, exc.body)
        return
    if ctx.knobs.ignore_after_id:
        after_id = None

    await websocket.accept()
    loop = asyncio.get_running_loop()
    conn = StreamConn(websocket, loop)
    error_body = ctx.knobs.take_stream_error()
    if error_body is not None:
        # An `error` envelope, as newer servers send when Subscribe fails; then close.
        frame = json.dumps({"type": "error", "data": error_body}, separators=(",", ":"))
        with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
            await websocket.send_text(frame + "\n")
            await websocket.close(1000, "Connection closed")
        return

    state = ctx.state
    with state.lock:
        # Snapshot and subscribe atomically: every later event is in the queue, no
        # earlier one is, so nothing is lost or doubled between the two.
        current = state.chats.get(chat.id)
        snapshot = state.snapshot(current, after_id) if current is not None else []
        sub = state.hub.subscribe(chat.id, loop)
    with ctx.streams_lock:
        ctx.streams.add(conn)
    try:
        if current is None:  # deleted while we were upgrading
            await websocket.close(1000, "Connection closed")
            return
        await _serve(ctx, conn, sub, snapshot, after_id)
    finally:
        with ctx.streams_lock:
            ctx.streams.discard(conn)
        state.hub.unsubscribe(sub)


async def _serve(ctx: Context, conn: StreamConn, sub: Subscriber, snapshot: list[Event], after_id: int | None) -> None:
    websocket = conn.websocket
    writer = asyncio.create_task(_write(ctx, conn, sub, snapshot, after_id))
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
        await _drop(conn)
    elif reader in done and reader.result() == "client-sent":
        with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
            await websocket.close(1002, ONE_WAY_REASON)
    elif failure is not None and not isinstance(failure, (_Dropped, WebSocketDisconnect, OSError)):
        # A bug in the fake: say so loudly, and close the way coderd does on a write failure.
        logger.error("fakecoder: stream writer failed", exc_info=failure)
        with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
            await websocket.close(1011, "Unable to send newest message")


async def _drop(conn: StreamConn) -> None:
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


async def _write(ctx: Context, conn: StreamConn, sub: Subscriber, snapshot: list[Event], after_id: int | None) -> None:
    drop_after = ctx.knobs.take_drop()
    sent = 0
    last_sent = after_id if after_id is not None else 0

    def keep(event: Event) -> bool:
        nonlocal last_sent
        if event.get("type") != "message":
            return True
        msg_id = int(event.get("message", {}).get("id", 0))
        if msg_id <= last_sent:
            return False  # lastSentMessageID: an id is never sent twice on one connection
        last_sent = msg_id
        return True

    async def send(batch: list[Event]) -> None:
        nonlocal sent
        for frame in _render(batch, ctx.knobs.frame_format):
            if conn.silent:
                return
            await conn.websocket.send_text(frame)
            sent += 1
            if drop_after is not None and sent >= drop_after:
                await _drop(conn)
                raise _Dropped

    if drop_after == 0:
        await _drop(conn)
        raise _Dropped
    snapshot = [e for e in snapshot if keep(e)]
    for i in range(0, len(snapshot), BATCH):
        await send(snapshot[i : i + BATCH])
    while True:
        batch: list[Event] = []
        event = await sub.queue.get()
        if keep(event):
            batch.append(event)
        while len(batch) < BATCH and not sub.queue.empty():
            event = sub.queue.get_nowait()
            if keep(event):
                batch.append(event)
        if batch and not conn.silent:
            await send(batch)


def error_envelope(message: str, detail: str | None) -> JSONDict:
    """The `data` of an `error` frame (a codersdk.Response)."""
    body: JSONDict = {"message": message}
    if detail is not None:
        body["detail"] = detail
    return body
