"""Running a test on each chat API generation the fake serves, and the REST calls such tests make
through the generation's own operations (``coder_chat.client.api.chats`` or ``coder_chat.client.api.v2``).

``GENERATIONS`` are the fake's generations the task-level suites run on: the experimental API and current
Coder (v2 only); Coder 2.37 (both prefixes) is for the tests where the prefixes matter.
"""

from __future__ import annotations

from types import SimpleNamespace
from uuid import UUID

from coder_chat.client import AuthenticatedClient
from coder_chat.client.api.chats import edit_chat_message as experimental_edit_chat_message
from coder_chat.client.api.chats import interrupt_chat as experimental_interrupt_chat
from coder_chat.client.api.v2 import edit_chat_message, interrupt_chat
from coder_chat.client.models import ChatMessage, ChatQueuedMessage
from coder_chat.streaming import load_chat
from tests.fakecoder import FakeCoder

GENERATIONS = ("experimental", "current")
"""The fake's generations every task-level suite runs on (a fixture's ``params``)."""


def ops(fake: FakeCoder) -> SimpleNamespace:
    """The generation's ``interrupt_chat`` and ``edit_chat_message`` modules (same call on both)."""
    if fake.generation.v2:
        return SimpleNamespace(interrupt_chat=interrupt_chat, edit_chat_message=edit_chat_message)
    return SimpleNamespace(interrupt_chat=experimental_interrupt_chat, edit_chat_message=experimental_edit_chat_message)


def persisted(client: AuthenticatedClient, chat_id: UUID | str) -> list[ChatMessage]:
    """The chat's persisted messages, by id, on either generation (``load_chat``)."""
    return load_chat(client, chat_id).messages


def queued(client: AuthenticatedClient, chat_id: UUID | str) -> list[ChatQueuedMessage]:
    """The chat's queue, on either generation."""
    return load_chat(client, chat_id).queued_messages


def api_generation_of(fake: FakeCoder) -> str:
    """The ``api_generation=`` a client of ``fake`` names (``"v2"`` on 2.37 and current, else
    ``"experimental"``), for the stream and watch tests that are not about detection: no probe."""
    return "v2" if fake.generation.v2 else "experimental"
