"""`GET /api/experimental/chats/watch`: the one-way websocket over all of the caller's chats.

As coderd's seed `watchChats`: authenticate, upgrade, subscribe to the caller's own channel (an
admin sees only their own chats too), send `{"type":"ping"}` once the subscription is ready, then
one `{"type":"data","data":{kind, chat}}` frame per event. With the `bare` watch frame format it
behaves like newer servers instead: no initial ping, one bare `{kind, chat}` object per frame (Go's
JSON encoder adds a newline). Nothing is replayed. Protocol keepalive pings come from uvicorn, as on
the chat stream (`FakeCoder(ping_interval=...)`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from .context import Context, authenticate
from .hub import Subscriber
from .stream import ONE_WAY_REASON, StreamConn, _drop, _Dropped, _read, refuse
from .wire import SKIP_SPEC_KEY, APIError

PING_FRAME = '{"type":"ping"}\n'
logger = logging.getLogger("tests.fakecoder")


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def render_watch_event(event: dict[str, Any], fmt: str) -> str:
    """One watch event as a frame in the configured format."""
    return _encode(event if fmt == "bare" else {"type": "data", "data": event})


async def watch_endpoint(websocket: WebSocket) -> None:
    """Check, upgrade, subscribe, ping, then relay the caller's chat events until either side goes away."""
    ctx: Context = websocket.app.state.ctx
    refusal = ctx.knobs.take_watch_refusal()
    if refusal is not None:
        websocket.scope[SKIP_SPEC_KEY] = True
        await refuse(websocket, refusal.status, refusal.body, refusal.headers)
        return
    try:
        user = authenticate(websocket, ctx.state)
    except APIError as exc:
        await refuse(websocket, exc.status, exc.body)
        return

    await websocket.accept()
    error_body = ctx.knobs.take_watch_error()
    if error_body is not None:
        # The seed's answer to a failed Subscribe: an `error` envelope, then the handler returns.
        with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
            await websocket.send_text(_encode({"type": "error", "data": error_body}))
            await websocket.close(1000, "Connection closed")
        return
    loop = asyncio.get_running_loop()
    conn = StreamConn(websocket, loop)
    sub = ctx.state.watch_hub.subscribe(user.id, loop)  # before the ping: the ping means "ready"
    with ctx.streams_lock:
        ctx.watches.add(conn)
    try:
        await _serve(ctx, conn, sub)
    finally:
        with ctx.streams_lock:
            ctx.watches.discard(conn)
        ctx.state.watch_hub.unsubscribe(sub)


async def _serve(ctx: Context, conn: StreamConn, sub: Subscriber) -> None:
    websocket = conn.websocket
    writer = asyncio.create_task(_write(ctx, conn, sub))
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
        logger.error("fakecoder: watch writer failed", exc_info=failure)
        with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
            await websocket.close(1011, "Unable to send newest message")


async def _write(ctx: Context, conn: StreamConn, sub: Subscriber) -> None:
    drop_after = ctx.knobs.take_watch_drop()
    fmt = ctx.knobs.watch_frame_format  # fixed per connection, read at connect time
    sent = 0

    async def send(frame: str) -> None:
        nonlocal sent
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
    if fmt != "bare":
        await send(PING_FRAME)
    while True:
        event = await sub.queue.get()
        await send(render_watch_event(event, fmt))
