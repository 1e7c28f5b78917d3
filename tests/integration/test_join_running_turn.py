"""Joining a chat mid-turn: start the accumulator from the chat's REST state (``load_chat``: ``get_chat`` on
the experimental API, its message pages on v2) and stream after its last message; on both generations."""

from __future__ import annotations

import time

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.models import (
    ChatInputPart,
    ChatInputPartType,
    ChatMessage,
    ChatStreamEventType,
    CreateChatRequest,
)
from coder_chat.streaming import load_chat, stream_chat
from coder_chat.streaming._organizations import resolve_organization
from coder_chat.streaming._routes import routes_for
from tests.fakecoder import FakeCoder, Script
from tests.support.generations import GENERATIONS

PROMPT = "join me halfway"


@pytest.mark.serial
@pytest.mark.usefixtures("flavour")
@pytest.mark.parametrize("generation", GENERATIONS)
def test_from_chat_then_after_id_keeps_the_replayed_start_of_the_turn(generation: str) -> None:
    script = Script(text_deltas=40, delay=0.02, reasoning=False, tool_call=False)
    fake = FakeCoder(script=script, generation=generation)  # type: ignore[arg-type]
    with fake, AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client:
        organization = resolve_organization(client)  # the fake lists its organization on both generations
        assert organization is not None
        prompt = [ChatInputPart(type_=ChatInputPartType.TEXT, text=PROMPT)]
        request = CreateChatRequest(content=prompt, organization_id=organization)
        chat = routes_for(client).create_chat(client=client, body=request)
        deadline = time.monotonic() + 5
        while fake.state.chats[str(chat.id)].status != "running" and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)  # about ten deltas into the turn

        state = load_chat(client, chat.id)
        assert state.last_message_id is not None
        assert [m.role for m in state.messages] == ["user"]
        text_before_persisting = None
        with stream_chat(client, chat.id, after_id=state.last_message_id) as stream:
            for event in stream:
                message = event.message
                if (
                    event.type_ == ChatStreamEventType.MESSAGE
                    and isinstance(message, ChatMessage)
                    and message.role == "assistant"
                ):
                    text_before_persisting = state.turn.text
                state.apply(event)
                if state.status == "waiting" and text_before_persisting is not None:
                    break
    full_reply = script.reply_text(PROMPT)
    assert text_before_persisting == full_reply  # the replayed first deltas were kept, not reset
    assert [m.role for m in state.messages] == ["user", "assistant"]
    content = state.messages[1].content
    assert isinstance(content, list)
    assert content[0].text == full_reply
