"""The ASGI app: a hand-rolled router reproducing coderd's middleware order.

Order per request: REST fault knobs (delay, canned answers) -> `/api/v2/buildinfo` (no token) ->
a `/chats` mount of the generation (else the other `/api/v2` routes, else 404 Route not found,
unauthenticated) -> API key -> reserved segments (404) and static routes -> `{chat}` param checks
-> sub-route match (404 Route not found, 405 wrong method). The routes come from generation.py.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from .context import Context, authenticate, load_chat, parse_chat_param
from .generation import Handler, Mount, RouteTable
from .oneway import RAW_SEND_KEY, refuse
from .routes_chats import Call
from .routes_users import build_info
from .stream import stream_endpoint
from .watch import watch_endpoint
from .wire import ROUTE_NOT_FOUND, SKIP_SPEC_KEY, APIError, json_response

V2 = "/api/v2"


def _match(table: RouteTable, segs: list[str]) -> tuple[dict[str, Handler], list[str]] | None:
    for pattern, methods in table.items():
        if len(pattern) == len(segs) and all(p in ("*", s) for p, s in zip(pattern, segs, strict=True)):
            return methods, [s for p, s in zip(pattern, segs, strict=True) if p == "*"]
    return None


def _method_not_allowed(methods: dict[str, Handler]) -> Response:
    # chi's default 405: empty body, Allow header.
    return Response(status_code=405, headers={"Allow": ", ".join(sorted(methods))})


async def _route(call: Call, table: RouteTable, segs: list[str]) -> Response:
    """Match `segs` in `table` and run the handler: 404 Route not found, 405 wrong method."""
    found = _match(table, segs)
    if found is None:
        return json_response(404, ROUTE_NOT_FOUND)
    methods, call.params = found
    if call.request.method not in methods:
        return _method_not_allowed(methods)
    return await methods[call.request.method](call)


async def _dispatch(ctx: Context, request: Request) -> Response:
    path = request.url.path.rstrip("/")
    gen = ctx.generation
    if path == V2 + "/buildinfo":
        return json_response(200, build_info(gen.version, str(request.base_url).rstrip("/"), ctx.deployment_id))
    for mount in gen.mounts:
        base = mount.prefix + "/chats"
        if path == base or path.startswith(base + "/"):
            return await _dispatch_chats(ctx, request, mount, [s for s in path[len(base) :].split("/") if s])
    segs = path[len(V2) + 1 :].split("/")
    if path.startswith(V2 + "/") and _match(gen.api_routes, segs) is not None:
        call = Call(ctx, request, authenticate(request, ctx.state), await request.body(), [])
        return await _route(call, gen.api_routes, segs)
    return json_response(404, ROUTE_NOT_FOUND)


async def _dispatch_chats(ctx: Context, request: Request, mount: Mount, segs: list[str]) -> Response:
    """coderd's `/chats` router: API key, static routes, then `{chat}` checks and its sub-routes."""
    user = authenticate(request, ctx.state)
    call = Call(ctx, request, user, await request.body(), [])
    if not segs or segs[0] in mount.static_first:
        if segs and segs[0] in mount.reserved:
            return json_response(404, ROUTE_NOT_FOUND)
        return await _route(call, mount.top, segs)
    call.chat = load_chat(ctx.state, user, parse_chat_param(segs[0]))
    return await _route(call, mount.chat, segs[1:])


async def rest_endpoint(request: Request) -> Response:
    """Every HTTP request: fault knobs first, then routing; APIError -> JSON error body."""
    ctx: Context = request.app.state.ctx
    if request.url.path.startswith("/api/"):
        if ctx.knobs.rest_delay > 0:
            await asyncio.sleep(ctx.knobs.rest_delay)
        fault = ctx.knobs.take_rest_fault()
        if fault is not None:
            request.scope[SKIP_SPEC_KEY] = True
            if isinstance(fault.body, str):
                return Response(fault.body, fault.status, headers=fault.headers, media_type="text/plain; charset=utf-8")
            return json_response(fault.status, fault.body, fault.headers)
    try:
        return await _dispatch(ctx, request)
    except APIError as exc:
        return json_response(exc.status, exc.body)
    except ClientDisconnect:
        # The client gave up (e.g. timed out on a slow answer): nobody reads this.
        request.scope[SKIP_SPEC_KEY] = True
        return Response(status_code=499)


async def websocket_not_found(websocket: WebSocket) -> None:
    """A websocket to any other path: refused with the router's 404 body."""
    await refuse(websocket, 404, ROUTE_NOT_FOUND)


class RawSendMiddleware:
    """Outermost layer: remembers the server's own `send` so a stream can reach its socket."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[RAW_SEND_KEY] = send
        await self.app(scope, receive, send)


def build_app(ctx: Context, wrap: Callable[[ASGIApp], ASGIApp] | None = None) -> ASGIApp:
    """The Starlette app for `ctx`; `wrap` adds an inner middleware (spec validation)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ctx.runner.attach(asyncio.get_running_loop())
        yield
        ctx.runner.cancel_all()
        await asyncio.sleep(0)  # let cancelled turns unwind before the loop stops

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    sockets = [
        route
        for mount in ctx.generation.mounts
        if mount.sockets
        for route in (
            WebSocketRoute(mount.prefix + "/chats/watch", watch_endpoint),
            WebSocketRoute(mount.prefix + "/chats/{chat_id}/stream", stream_endpoint),
        )
    ]
    app = Starlette(
        routes=[
            *sockets,
            WebSocketRoute("/{path:path}", websocket_not_found),
            Route("/{path:path}", rest_endpoint, methods=methods),
        ],
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    inner: ASGIApp = wrap(app) if wrap is not None else app
    return RawSendMiddleware(inner)
