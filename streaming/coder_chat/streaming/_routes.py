"""Where each chat API generation answers: the one place the task layer picks its routes.

Everything above the generated REST operations (turns, streams, the watch, ``load_chat``, the command
line) asks ``routes(generation)`` (or ``routes_for(client)`` / ``await aroutes_for(client)``, which detect
the generation once per client) for its websocket paths and REST operations, and never names a prefix
itself. docs/protocol.md, "Two generations", says how the generations differ on the wire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from coder_chat._runtime.generation import ApiGeneration, adetect_api, detect_api
from coder_chat.client import Client

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


EXPERIMENTAL: Final = Routes(
    generation=ApiGeneration.EXPERIMENTAL,
    stream_path="/api/experimental/chats/{chat_id}/stream",
    watch_path="/api/experimental/chats/watch",
)
V2: Final = Routes(
    generation=ApiGeneration.V2,
    stream_path="/api/v2/chats/{chat_id}/stream",
    watch_path="/api/v2/chats/watch",
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
