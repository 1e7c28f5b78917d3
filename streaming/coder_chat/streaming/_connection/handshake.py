"""A stream's connection from a REST client's settings: its ``ws://``/``wss://`` URL, its handshake
headers and cookie, the chat id it names. For every stream of this package (chat streams and chat
watches alike, sync and async)."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

import httpx

from coder_chat._runtime.endpoints import path_uuid
from coder_chat.client import Client

__all__ = ["chat_uuid", "handshake_headers", "websocket_url"]


def websocket_url(base_url: str, path: str, params: Mapping[str, str] | None = None) -> str:
    """The ``ws://``/``wss://`` URL of ``path`` (appended to ``base_url``'s path) with query ``params``."""
    base = httpx.URL(base_url)
    scheme = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}.get(base.scheme)
    if scheme is None:
        raise ValueError(f"base_url must be an http:// or https:// URL, got scheme {base.scheme!r}")
    full_path = base.path.rstrip("/") + path
    return str(base.copy_with(scheme=scheme, path=full_path, params=dict(params or {}), fragment=None))


def handshake_headers(client: Client) -> tuple[dict[str, str], str | None]:
    """The handshake's headers (the client's extra headers and credentials) and its ``Cookie`` value.

    A header with a line break or NUL raises ``ValueError`` rather than reaching the wire.
    """
    headers = {**client.headers, **client.credential_headers()}
    for name, value in headers.items():
        if any(c in f"{name}{value}" for c in "\r\n\0"):
            raise ValueError(f"header {name!r} contains a line break or NUL")
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items()) or None
    return headers, cookie


def chat_uuid(chat_id: UUID | str) -> UUID:
    """A chat id given as a ``UUID`` or its string (``TypeError`` / ``ValueError`` naming ``chat_id`` otherwise,
    as for the endpoints' path parameters)."""
    return chat_id if isinstance(chat_id, UUID) else UUID(path_uuid("chat_id", chat_id))
