"""The ASGI app: a hand-rolled router reproducing coderd's middleware order.

Order per request: REST fault knobs (delay, canned answers) -> `/chats` prefix
(else 404 Route not found, unauthenticated) -> API key -> static routes ->
`{chat}` param checks -> sub-route match (404 Route not found, 405 wrong method).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from . import routes_admin as admin
from . import routes_chats as chats
from .context import Context, authenticate, load_chat, parse_chat_param
from .oneway import RAW_SEND_KEY, refuse
from .routes_chats import Call
from .stream import stream_endpoint
from .watch import watch_endpoint
from .wire import ROUTE_NOT_FOUND, SKIP_SPEC_KEY, APIError, json_response

Handler = Callable[[Call], Awaitable[Response]]
RouteTable = dict[tuple[str, ...], dict[str, Handler]]

PREFIX = "/api/experimental"

# "*" matches one path segment, passed to the handler in `Call.params`.
TOP_ROUTES: RouteTable = {
    (): {"GET": chats.list_chats, "POST": chats.create_chat},
    ("watch",): {"GET": chats.stream_without_upgrade},
    ("models",): {"GET": admin.list_models},
    ("providers",): {"GET": admin.list_providers, "POST": admin.create_provider},
    ("providers", "*"): {"PATCH": admin.update_provider, "DELETE": admin.delete_provider},
    ("model-configs",): {"GET": admin.list_model_configs, "POST": admin.create_model_config},
    ("model-configs", "*"): {"PATCH": admin.update_model_config, "DELETE": admin.delete_model_config},
}
STATIC_FIRST_SEGMENTS = ("watch", "models", "providers", "model-configs")
# Routes under /chats/{chat}. There is deliberately no `git-changes`: no seed-era
# coderd registers it, so it is a 404 "Route not found." after the chat checks.
CHAT_ROUTES: RouteTable = {
    (): {"GET": chats.get_chat, "DELETE": chats.delete_chat},
    ("messages",): {"POST": chats.post_message},
    ("messages", "*"): {"PATCH": chats.edit_message},
    ("stream",): {"GET": chats.stream_without_upgrade},
    ("interrupt",): {"POST": chats.interrupt},
    ("diff-status",): {"GET": chats.diff_status},
    ("diff",): {"GET": chats.diff_contents},
    ("queue", "*"): {"DELETE": chats.delete_queued},
    ("queue", "*", "promote"): {"POST": chats.promote_queued},
}


def _match(table: RouteTable, segs: list[str]) -> tuple[dict[str, Handler], list[str]] | None:
    for pattern, methods in table.items():
        if len(pattern) == len(segs) and all(p in ("*", s) for p, s in zip(pattern, segs, strict=True)):
            return methods, [s for p, s in zip(pattern, segs, strict=True) if p == "*"]
    return None


def _method_not_allowed(methods: dict[str, Handler]) -> Response:
    # chi's default 405: empty body, Allow header.
    return Response(status_code=405, headers={"Allow": ", ".join(sorted(methods))})


async def _dispatch(ctx: Context, request: Request) -> Response:
    path = request.url.path.rstrip("/")
    if not (path == PREFIX + "/chats" or path.startswith(PREFIX + "/chats/")):
        return json_response(404, ROUTE_NOT_FOUND)
    segs = [s for s in path[len(PREFIX + "/chats") :].split("/") if s]
    user = authenticate(request, ctx.state)
    body = await request.body()
    method = request.method
    static = _match(TOP_ROUTES, segs) if not segs or segs[0] in STATIC_FIRST_SEGMENTS else None
    if static is not None:
        methods, params = static
        if method not in methods:
            return _method_not_allowed(methods)
        return await methods[method](Call(ctx, request, user, body, params))
    chat = load_chat(ctx.state, user, parse_chat_param(segs[0]))
    found = _match(CHAT_ROUTES, segs[1:])
    if found is None:
        return json_response(404, ROUTE_NOT_FOUND)
    methods, params = found
    if method not in methods:
        return _method_not_allowed(methods)
    return await methods[method](Call(ctx, request, user, body, params, chat))


async def rest_endpoint(request: Request) -> Response:
    """Every HTTP request: fault knobs first, then routing; APIError -> JSON error body."""
    ctx: Context = request.app.state.ctx
    if request.url.path.startswith(PREFIX + "/"):
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
    app = Starlette(
        routes=[
            WebSocketRoute(PREFIX + "/chats/watch", watch_endpoint),
            WebSocketRoute(PREFIX + "/chats/{chat_id}/stream", stream_endpoint),
            WebSocketRoute("/{path:path}", websocket_not_found),
            Route("/{path:path}", rest_endpoint, methods=methods),
        ],
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    inner: ASGIApp = wrap(app) if wrap is not None else app
    return RawSendMiddleware(inner)
