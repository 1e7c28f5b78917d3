"""Where each chat API generation answers: the one place the task layer picks its routes.

Everything above the generated REST operations (turns, streams, the watch, ``load_chat``, the command
line) asks ``routes(generation)`` (or ``routes_for(client)`` / ``await aroutes_for(client)``, which detect
the generation once per client) for its websocket paths and REST operations, and never names a prefix
itself. The REST operations here are those whose call and answer are alike on both generations
(``coder_chat.client.api.chats`` or ``coder_chat.client.api.v2``); reading a chat's history, whose shape
differs (v2 pages its messages), is ``_turns/chatreads.py``'s, which asks ``Routes.generation``.
docs/protocol.md, "Two generations", says how the generations differ on the wire.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from coder_chat._runtime.generation import ApiGeneration, adetect_api, detect_api
from coder_chat.client import Client
from coder_chat.client.api.chats import create_chat as experimental_create_chat
from coder_chat.client.api.chats import create_chat_message as experimental_create_chat_message
from coder_chat.client.api.chats import list_chats as experimental_list_chats
from coder_chat.client.api.v2 import create_chat as v2_create_chat
from coder_chat.client.api.v2 import create_chat_message as v2_create_chat_message
from coder_chat.client.api.v2 import list_chats as v2_list_chats
from coder_chat.client.models import Chat, CreateChatMessageResponse

__all__ = ["EXPERIMENTAL", "V2", "Routes", "aroutes_for", "routes", "routes_for"]


@dataclass(frozen=True, slots=True)
class Routes:
    """The routes of one generation. Websocket paths are relative to the client's ``base_url`` and take
    ``chat_id`` through ``str.format``."""

    generation: ApiGeneration
    stream_path: str
    """``GET`` (websocket) of one chat's stream: ``stream_path.format(chat_id=...)``."""
    watch_path: str
    """``GET`` (websocket) of every change to the caller's chats."""
    create_chat: Callable[..., Chat]
    """``POST /chats`` (``body=CreateChatRequest``); ``acreate_chat`` is its async twin."""
    acreate_chat: Callable[..., Awaitable[Chat]]
    create_chat_message: Callable[..., CreateChatMessageResponse]
    """``POST /chats/{chat_id}/messages`` (``chat_id``, ``body=CreateChatMessageRequest``)."""
    acreate_chat_message: Callable[..., Awaitable[CreateChatMessageResponse]]
    list_chats: Callable[..., list[Chat]]
    """``GET /chats``: the caller's chats (v2 also takes filters and paging)."""
    alist_chats: Callable[..., Awaitable[list[Chat]]]


EXPERIMENTAL: Final = Routes(
    generation=ApiGeneration.EXPERIMENTAL,
    stream_path="/api/experimental/chats/{chat_id}/stream",
    watch_path="/api/experimental/chats/watch",
    create_chat=experimental_create_chat.sync,
    acreate_chat=experimental_create_chat.asyncio,
    create_chat_message=experimental_create_chat_message.sync,
    acreate_chat_message=experimental_create_chat_message.asyncio,
    list_chats=experimental_list_chats.sync,
    alist_chats=experimental_list_chats.asyncio,
)
V2: Final = Routes(
    generation=ApiGeneration.V2,
    stream_path="/api/v2/chats/{chat_id}/stream",
    watch_path="/api/v2/chats/watch",
    create_chat=v2_create_chat.sync,
    acreate_chat=v2_create_chat.asyncio,
    create_chat_message=v2_create_chat_message.sync,
    acreate_chat_message=v2_create_chat_message.asyncio,
    list_chats=v2_list_chats.sync,
    alist_chats=v2_list_chats.asyncio,
)
_BY_GENERATION: Final = {ApiGeneration.EXPERIMENTAL: EXPERIMENTAL, ApiGeneration.V2: V2}


def routes(generation: ApiGeneration) -> Routes:
    """The routes of ``generation``."""
    return _BY_GENERATION[generation]


def routes_for(client: Client) -> Routes:
    """The routes of the generation ``client``'s deployment serves (``detect_api``: at most one probe per
    client)."""
    return _BY_GENERATION[detect_api(client)]


async def aroutes_for(client: Client) -> Routes:
    """``routes_for`` on the event loop (``adetect_api``)."""
    return _BY_GENERATION[await adetect_api(client)]
