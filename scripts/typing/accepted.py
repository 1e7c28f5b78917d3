"""A user's script that ``make wheel-check`` type-checks with ``mypy --strict`` against the installed wheel.

It must pass, and every ``assert_type`` holds only if the wheel's types reach the user (a package
without ``py.typed`` would make them ``Any``, which ``assert_type`` refuses). Never run: no server.
"""

from __future__ import annotations

from typing import assert_type
from uuid import UUID

from coder_chat.client import AuthenticatedClient
from coder_chat.client.api.chats import get_chat
from coder_chat.client.errors import APIError, CoderChatError, NotFoundError, TurnTimeoutError
from coder_chat.client.models import ChatInputPart, ChatWithMessages, CreateChatRequest
from coder_chat.client.types import UNSET, Unset
from coder_chat.streaming import ChatAccumulator, ChatStream, TurnResult, ask, stream_chat


def ask_and_follow(chat_id: UUID) -> str:
    client = AuthenticatedClient(base_url="https://coder.example.com", token="a-token")
    assert_type(client, AuthenticatedClient)

    request = CreateChatRequest(content=[ChatInputPart(type_="text", text="hello")])
    text = request.content[0].text
    assert_type(text, str | Unset)
    if not isinstance(text, Unset):
        assert_type(text, str)
    assert request.model_config_id is UNSET

    try:
        chat = get_chat.sync(chat_id, client=client)
        assert_type(chat, ChatWithMessages)
    except NotFoundError as error:
        assert_type(error.status_code, int)
        raise

    try:
        result = ask(client, "what changed?", chat_id=chat.chat.id, timeout=60.0, idle_timeout=30.0)
    except TurnTimeoutError as error:
        assert_type(error, TurnTimeoutError)
        return "timed out"
    except (APIError, CoderChatError):
        return "failed"
    assert_type(result, TurnResult)

    state = ChatAccumulator(chat_id)
    with stream_chat(client, chat_id, after_id=None) as stream:
        assert_type(stream, ChatStream)
        for event in stream:
            state.apply(event)
            break
    return result.text
