"""``load_chat`` / ``aload_chat``: a chat's persisted state from REST, as a ``ChatAccumulator`` ready to
stream after its ``last_message_id``, on either generation (``detect_api``).

Experimental: one ``get_chat`` (the chat, every message, the queue). v2: ``get_chat`` (the chat alone) and
every page of ``list_chat_messages``, newest first, paging back with ``before_id`` while ``has_more``; the
queue comes with the first page. The pages are folded into the ``ChatWithMessages`` that
``ChatAccumulator.from_chat`` takes, so the accumulator starts alike on both generations.
"""

from __future__ import annotations

from uuid import UUID

from coder_chat._runtime.endpoints import path_uuid
from coder_chat.client import AuthenticatedClient, Client
from coder_chat.client.api.chats import get_chat as experimental_get_chat
from coder_chat.client.api.v2 import get_chat, list_chat_messages
from coder_chat.client.models import Chat, ChatMessage, ChatMessagesResponse, ChatQueuedMessage, ChatWithMessages
from coder_chat.client.types import UNSET, Unset

from ._accumulator import ChatAccumulator
from ._generation import ApiGeneration, adetect_api, detect_api

__all__ = ["PAGE_SIZE", "MessagePages", "aload_chat", "load_chat"]

PAGE_SIZE = 200
"""Messages per v2 page: the most the server gives (its default is 50)."""


class MessagePages:
    """The v2 paging, without I/O: ``cursor()`` gives the next ``before_id`` (``UNSET`` for the newest page)
    until ``done``; ``add(page)`` takes each answer. With ``from_id`` the walk stops once it has reached
    that message (a turn needs its messages only as far back as its prompt)."""

    def __init__(self, from_id: int | None = None) -> None:
        self.from_id = from_id
        self.messages: dict[int, ChatMessage] = {}
        self.queued: list[ChatQueuedMessage] = []
        self.done = False
        self._first = True

    def cursor(self) -> int | Unset:
        return UNSET if self._first else min(self.messages)

    def add(self, page: ChatMessagesResponse) -> None:
        before = self.cursor()
        if self._first and isinstance(page.queued_messages, list):
            self.queued = list(page.queued_messages)
        older = [m for m in page.messages if isinstance(before, Unset) or m.id < before]
        self.messages.update((m.id, m) for m in older)
        self._first = False
        reached = self.from_id is not None and any(m.id <= self.from_id for m in older)
        # A page that brings nothing older ends the walk even if it says has_more: a server that does not
        # honour before_id must not loop us forever.
        self.done = not page.has_more or not older or reached

    def since(self) -> list[ChatMessage]:
        """The messages read, oldest first, from ``from_id`` on."""
        return [self.messages[key] for key in sorted(self.messages) if self.from_id is None or key >= self.from_id]

    def state(self, chat: Chat) -> ChatAccumulator:
        messages = self.since()
        return ChatAccumulator.from_chat(ChatWithMessages(chat=chat, messages=messages, queued_messages=self.queued))


def load_chat(client: AuthenticatedClient | Client, chat_id: UUID | str) -> ChatAccumulator:
    """The chat's status, persisted messages and queue, read over REST, as a ``ChatAccumulator``.

    Raises what the REST calls raise (``NotFoundError`` for an unknown chat, ``APIConnectionError`` ...), and
    ``ValueError`` for a ``chat_id`` that is not a UUID.
    """
    chat_id = UUID(path_uuid("chat_id", chat_id))
    if detect_api(client) is ApiGeneration.EXPERIMENTAL:
        return ChatAccumulator.from_chat(experimental_get_chat.sync(chat_id, client=client))
    chat = get_chat.sync(chat_id, client=client)
    pages = MessagePages()
    while not pages.done:
        pages.add(list_chat_messages.sync(chat_id, client=client, before_id=pages.cursor(), limit=PAGE_SIZE))
    return pages.state(chat)


async def aload_chat(client: AuthenticatedClient | Client, chat_id: UUID | str) -> ChatAccumulator:
    """``load_chat`` for async code."""
    chat_id = UUID(path_uuid("chat_id", chat_id))
    if await adetect_api(client) is ApiGeneration.EXPERIMENTAL:
        return ChatAccumulator.from_chat(await experimental_get_chat.asyncio(chat_id, client=client))
    chat = await get_chat.asyncio(chat_id, client=client)
    pages = MessagePages()
    while not pages.done:
        page = await list_chat_messages.asyncio(chat_id, client=client, before_id=pages.cursor(), limit=PAGE_SIZE)
        pages.add(page)
    return pages.state(chat)
