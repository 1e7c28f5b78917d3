"""What a turn reads of a chat over REST, on either generation: before a prompt to an existing chat,
where the chat stands (``BeforePrompt``: the newest message's id, where the stream starts; the status;
the client-side tool calls it waits for when it is ``requires_action``), and at the turn's end the chat
and the messages persisted since its prompt.

Experimental: one ``get_chat`` answers each (the chat with every message). v2: ``get_chat`` is the chat
alone, and the messages come in pages of ``list_chat_messages`` (API-v2.md §3.5), newest first, paged
back with ``before_id`` only as far as the turn needs: the newest message before a prompt (the last few
when the chat waits for tool results: its last step's calls), the messages from the prompt's id for the
result (all of them when the prompt's id is not known yet, a new chat's). The paging is
``_load.MessagePages`` (no I/O), shared with ``load_chat``; the loops below only do the calls.
"""

from __future__ import annotations

from typing import NamedTuple
from uuid import UUID

from coder_chat._runtime.generation import ApiGeneration
from coder_chat.client import Client
from coder_chat.client.api.chats import get_chat as experimental_get_chat
from coder_chat.client.api.v2 import get_chat, list_chat_messages
from coder_chat.client.models import Chat, ChatMessage, ChatStatus
from coder_chat.client.types import Unset

from .._load import PAGE_SIZE, MessagePages
from .._routes import Routes
from .turnresult import TurnToolCall, persisted

__all__ = ["PAGE_SIZE", "BeforePrompt", "aread_before_prompt", "aread_since", "read_before_prompt", "read_since"]

LAST_STEP_PAGE = 20
"""Messages read (v2) when the chat waits for tool results: its last step's, from its last user message on."""


class BeforePrompt(NamedTuple):
    """Where an existing chat stands before the turn's prompt is sent."""

    last_id: int | None
    """The id of its newest persisted message (``None``: it has none): the stream starts after it."""
    status: ChatStatus
    pending_tool_calls: list[TurnToolCall]
    """When ``status`` is ``requires_action``: the client-side calls waiting for a result (else empty)."""


def _before_prompt(status: ChatStatus, messages: list[ChatMessage] | Unset) -> BeforePrompt:
    """``BeforePrompt`` from the chat's status and its newest messages (any order). The pending calls are
    those persisted since the last user message without a result (as ``TurnResult.pending_tool_calls``
    reads them when no ``action_required`` event came)."""
    ordered = [] if isinstance(messages, Unset) else sorted(messages, key=lambda m: m.id)
    last_id = ordered[-1].id if ordered else None
    if status != ChatStatus.REQUIRES_ACTION:
        return BeforePrompt(last_id, status, [])
    users = [at for at, message in enumerate(ordered) if message.role == "user"]
    _, _, calls = persisted(ordered[users[-1] + 1 if users else 0 :])
    pending = [TurnToolCall(c.id, c.name, c.args) for c in calls if c.result is None and not c.is_error]
    return BeforePrompt(last_id, status, pending)


def read_before_prompt(client: Client, routes: Routes, chat_id: UUID) -> BeforePrompt:
    """Where the chat stands: one ``get_chat`` (experimental), or ``get_chat`` and its newest message (v2)."""
    if routes.generation is ApiGeneration.EXPERIMENTAL:
        both = experimental_get_chat.sync(chat_id, client=client)
        return _before_prompt(both.chat.status, both.messages)
    status = get_chat.sync(chat_id, client=client).status
    limit = LAST_STEP_PAGE if status == ChatStatus.REQUIRES_ACTION else 1
    return _before_prompt(status, list_chat_messages.sync(chat_id, client=client, limit=limit).messages)


async def aread_before_prompt(client: Client, routes: Routes, chat_id: UUID) -> BeforePrompt:
    """``read_before_prompt`` on the event loop."""
    if routes.generation is ApiGeneration.EXPERIMENTAL:
        both = await experimental_get_chat.asyncio(chat_id, client=client)
        return _before_prompt(both.chat.status, both.messages)
    status = (await get_chat.asyncio(chat_id, client=client)).status
    limit = LAST_STEP_PAGE if status == ChatStatus.REQUIRES_ACTION else 1
    return _before_prompt(status, (await list_chat_messages.asyncio(chat_id, client=client, limit=limit)).messages)


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
