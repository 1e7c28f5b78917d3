"""What a turn reads of a chat over REST, on either generation: where its stream starts, and at its end
the chat and the messages persisted since its prompt.

Experimental: one ``get_chat`` answers both (the chat with every message). v2: ``get_chat`` is the chat
alone, and the messages come in pages of ``list_chat_messages`` (API-v2.md §3.5), newest first, paged
back with ``before_id`` only as far as the turn needs: the newest message for where the stream starts,
the messages from the prompt's id for the result (all of them when the prompt's id is not known yet, a
new chat's). The paging is ``_load.MessagePages`` (no I/O), shared with ``load_chat``; the two loops
below only do the calls.
"""

from __future__ import annotations

from uuid import UUID

from coder_chat._runtime.generation import ApiGeneration
from coder_chat.client import Client
from coder_chat.client.api.chats import get_chat as experimental_get_chat
from coder_chat.client.api.v2 import get_chat, list_chat_messages
from coder_chat.client.models import Chat, ChatMessage
from coder_chat.client.types import Unset

from .._load import PAGE_SIZE, MessagePages
from .._routes import Routes

__all__ = ["PAGE_SIZE", "alast_message_id", "aread_since", "last_message_id", "read_since"]


def _newest(messages: list[ChatMessage] | Unset) -> int | None:
    return None if isinstance(messages, Unset) or not messages else max(m.id for m in messages)


def last_message_id(client: Client, routes: Routes, chat_id: UUID) -> int | None:
    """The id of the chat's newest persisted message (``None``: it has none)."""
    if routes.generation is ApiGeneration.EXPERIMENTAL:
        return _newest(experimental_get_chat.sync(chat_id, client=client).messages)
    return _newest(list_chat_messages.sync(chat_id, client=client, limit=1).messages)


async def alast_message_id(client: Client, routes: Routes, chat_id: UUID) -> int | None:
    """``last_message_id`` on the event loop."""
    if routes.generation is ApiGeneration.EXPERIMENTAL:
        return _newest((await experimental_get_chat.asyncio(chat_id, client=client)).messages)
    return _newest((await list_chat_messages.asyncio(chat_id, client=client, limit=1)).messages)


def read_since(client: Client, routes: Routes, chat_id: UUID, from_id: int | None) -> tuple[Chat, list[ChatMessage]]:
    """The chat, and its messages from id ``from_id`` on (all when ``None``), in id order."""
    if routes.generation is ApiGeneration.EXPERIMENTAL:
        both = experimental_get_chat.sync(chat_id, client=client)
        return both.chat, _from(both.messages, from_id)
    chat = get_chat.sync(chat_id, client=client)
    pages = MessagePages(from_id)
    while not pages.done:
        pages.add(list_chat_messages.sync(chat_id, client=client, before_id=pages.cursor(), limit=PAGE_SIZE))
    return chat, pages.since()


async def aread_since(
    client: Client, routes: Routes, chat_id: UUID, from_id: int | None
) -> tuple[Chat, list[ChatMessage]]:
    """``read_since`` on the event loop."""
    if routes.generation is ApiGeneration.EXPERIMENTAL:
        both = await experimental_get_chat.asyncio(chat_id, client=client)
        return both.chat, _from(both.messages, from_id)
    chat = await get_chat.asyncio(chat_id, client=client)
    pages = MessagePages(from_id)
    while not pages.done:
        page = await list_chat_messages.asyncio(chat_id, client=client, before_id=pages.cursor(), limit=PAGE_SIZE)
        pages.add(page)
    return chat, pages.since()


def _from(messages: list[ChatMessage] | Unset, from_id: int | None) -> list[ChatMessage]:
    listed = [] if isinstance(messages, Unset) else messages
    return sorted((m for m in listed if from_id is None or m.id >= from_id), key=lambda m: m.id)
