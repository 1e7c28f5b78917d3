"""`GET {prefix}/chats/{chat}/stream`: the one-way websocket.

Handshake checks (auth, chat, `after_id`) answer with a plain HTTP error response
via the ASGI websocket denial extension, so clients see a real 4xx status and a
JSON body instead of a 101. After the upgrade: the snapshot in the generation's
order (the store's `snapshot`), then live events, batched at most 256 per frame,
never repeating a message id (except the whole history after a v2 `history_reset`).
"""

from __future__ import annotations

import asyncio

from starlette.websockets import WebSocket

from .context import Context, authenticate, load_chat, parse_chat_param
from .hub import Event, Subscriber
from .oneway import Sender, StreamConn, check_handshake, encode, registered, send_error, serve
from .wire import APIError, go_parse_int64

BATCH = 256  # coderd's chatStreamBatchSize


def _render(events: list[Event], fmt: str) -> list[str]:
    """Frames for one batch in the configured wire format (Go's encoder adds a newline)."""
    if fmt == "bare":
        return [encode(events)]
    if fmt == "object":
        return [encode({"type": "data", "data": e}) for e in events]
    return [encode({"type": "data", "data": events})]


async def stream_endpoint(websocket: WebSocket) -> None:
    """Check, upgrade, snapshot, then relay live events until either side goes away."""
    ctx: Context = websocket.app.state.ctx

    def check() -> tuple[str, int | None]:
        user = authenticate(websocket, ctx.state)
        chat = load_chat(ctx.state, user, parse_chat_param(websocket.path_params["chat_id"]))
        after_raw = websocket.query_params.get("after_id")
        after_id: int | None = None
        if after_raw is not None and after_raw != "":
            after_id, err = go_parse_int64(after_raw)
            if after_id is None:
                raise APIError(400, "Invalid after_id parameter.", err)
        return chat.id, after_id

    checked = await check_handshake(websocket, ctx.knobs.take_stream_refusal(), check)
    if checked is None:
        return
    chat_id, after_id = checked
    if ctx.knobs.ignore_after_id:
        after_id = None

    await websocket.accept()
    loop = asyncio.get_running_loop()
    conn = StreamConn(websocket, loop)
    error_body = ctx.knobs.take_stream_error()
    if error_body is not None:
        # An `error` envelope, as newer servers send when Subscribe fails; then close.
        await send_error(websocket, error_body)
        return

    state = ctx.state
    with state.lock:
        # Snapshot and subscribe atomically: every later event is in the queue, no
        # earlier one is, so nothing is lost or doubled between the two.
        current = state.chats.get(chat_id)
        snapshot = state.snapshot(current, after_id) if current is not None else []
        sub = state.hub.subscribe(chat_id, loop)
    with registered(conn, ctx.streams, ctx.streams_lock, state.hub, sub):
        if current is None:  # deleted while we were upgrading
            await websocket.close(1000, "Connection closed")
            return
        await serve(conn, _write(ctx, conn, sub, snapshot, after_id), "stream")


async def _write(ctx: Context, conn: StreamConn, sub: Subscriber, snapshot: list[Event], after_id: int | None) -> None:
    sender = Sender(conn, ctx.knobs.take_drop())
    last_sent = after_id if after_id is not None else 0

    def keep(event: Event) -> bool:
        nonlocal last_sent
        if event.get("type") == "history_reset":
            last_sent = 0  # the whole rewritten history follows (v2)
            return True
        if event.get("type") != "message":
            return True
        msg_id = int(event.get("message", {}).get("id", 0))
        if msg_id <= last_sent:
            return False  # lastSentMessageID: an id is never sent twice on one connection
        last_sent = msg_id
        return True

    async def send(batch: list[Event]) -> None:
        for frame in _render(batch, ctx.knobs.frame_format):
            await sender.send(frame)

    await sender.start()
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
