"""Shared server context and the middleware checks REST and the stream both run.

The checks follow coderd's order: API key (cookie, query, header), then the chat
path parameter (UUID parse, then existence and ownership).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection

from .assistant import Runner
from .faults import Knobs
from .state import Chat, State, User
from .wire import NO_TOKEN_DETAIL, RESOURCE_NOT_FOUND, SIGNED_OUT, APIError, go_parse_uuid, new_uuid

if TYPE_CHECKING:
    from .generation import Generation
    from .oneway import StreamConn

TOKEN_NAME = "coder_session_token"


@dataclass
class Context:
    """What every handler can reach: the store, the assistant, the knobs, the generation, open
    streams and watches."""

    state: State
    runner: Runner
    knobs: Knobs
    generation: Generation
    deployment_id: str = field(default_factory=new_uuid)
    streams: set[StreamConn] = field(default_factory=set)
    streams_lock: threading.Lock = field(default_factory=threading.Lock)
    watches: set[StreamConn] = field(default_factory=set)  # open watch sockets (guarded by streams_lock)

    def open_streams(self) -> list[StreamConn]:
        """A copy of the open stream connections, safe to use from any thread."""
        with self.streams_lock:
            return list(self.streams)

    def open_watches(self) -> list[StreamConn]:
        """A copy of the open watch connections, safe to use from any thread."""
        with self.streams_lock:
            return list(self.watches)


def _signed_out(detail: str) -> APIError:
    return APIError(401, SIGNED_OUT, detail)


def authenticate(conn: HTTPConnection, state: State) -> User:
    """Resolve the session token like httpmw.ExtractAPIKey, or raise a 401."""
    token = (
        conn.cookies.get(TOKEN_NAME)
        or conn.query_params.get(TOKEN_NAME)
        or conn.headers.get("Coder-Session-Token")
        or ""
    )
    if not token:
        raise _signed_out(NO_TOKEN_DETAIL)
    parts = token.split("-")
    if len(parts) != 2:
        raise _signed_out(f"Invalid API key format: incorrect amount of API key parts, expected 2 got {len(parts)}")
    key_id, secret = parts
    if len(key_id) != 10:
        raise _signed_out(f"Invalid API key format: invalid API key ID length, expected 10 got {len(key_id)}")
    if len(secret) != 22:
        raise _signed_out(f"Invalid API key format: invalid API key secret length, expected 22 got {len(secret)}")
    with state.lock:
        user = state.user_by_token(token)
        if user is None:
            known = state.key_id_known(key_id)
            raise _signed_out("API key secret is invalid." if known else "API key is invalid.")
    return user


def parse_chat_param(raw: str) -> str:
    """The `{chat}` path parameter as a canonical UUID, or a 400 like ParseUUIDParam."""
    chat_id, err = go_parse_uuid(raw)
    if chat_id is None:
        raise APIError(400, 'Invalid UUID "chat".', err)
    return chat_id


def load_chat(state: State, user: User, chat_id: str) -> Chat:
    """The caller's chat, or the generic 404 (also for other users' chats)."""
    with state.lock:
        chat = state.owned_chat(chat_id, user)
    if chat is None:
        raise APIError.with_body(404, RESOURCE_NOT_FOUND)
    return chat
