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
from typing import Any

from starlette.websockets import WebSocket

from .context import Context, authenticate
from .hub import Subscriber
from .oneway import Sender, StreamConn, check_handshake, encode, registered, send_error, serve

PING_FRAME = '{"type":"ping"}\n'


def render_watch_event(event: dict[str, Any], fmt: str) -> str:
    """One watch event as a frame in the configured format."""
    return encode(event if fmt == "bare" else {"type": "data", "data": event})


async def watch_endpoint(websocket: WebSocket) -> None:
    """Check, upgrade, subscribe, ping, then relay the caller's chat events until either side goes away."""
    ctx: Context = websocket.app.state.ctx
    user = await check_handshake(websocket, ctx.knobs.take_watch_refusal(), lambda: authenticate(websocket, ctx.state))
    if user is None:
        return

    await websocket.accept()
    error_body = ctx.knobs.take_watch_error()
    if error_body is not None:
        # The seed's answer to a failed Subscribe: an `error` envelope, then the handler returns.
        await send_error(websocket, error_body)
        return
    loop = asyncio.get_running_loop()
    conn = StreamConn(websocket, loop)
    hub = ctx.state.watch_hub
    sub = hub.subscribe(user.id, loop)  # before the ping: the ping means "ready"
    with registered(conn, ctx.watches, ctx.streams_lock, hub, sub):
        await serve(conn, _write(ctx, conn, sub), "watch")


async def _write(ctx: Context, conn: StreamConn, sub: Subscriber) -> None:
    sender = Sender(conn, ctx.knobs.take_watch_drop())
    fmt = ctx.knobs.watch_frame_format  # fixed per connection, read at connect time
    await sender.start()
    if fmt != "bare":
        await sender.send(PING_FRAME)
    while True:
        event = await sub.queue.get()
        await sender.send(render_watch_event(event, fmt))
