"""Forward compatibility through the generated REST client: what newer servers add is kept, not lost.

Forward compatibility (README, "Newer servers"): unknown JSON fields land in ``additional_properties`` and
round-trip through ``to_dict()``; unknown enum values stay plain strings.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import pytest

from coder_chat.client import AuthenticatedClient, models
from coder_chat.client.api.chats import create_chat, get_chat, interrupt_chat, list_chats
from coder_chat.client.types import UNSET
from tests.fakecoder import FakeCoder, Script
from tests.support.scripted_http import RecordedRequest, Reply, ScriptedServer

pytestmark = pytest.mark.timeout(20)

# Fields of the newest servers that the spec does not describe (its v2 fields, such as pin_order,
# labels or build_id, are typed fields now).
NEWER_FIELDS: dict[str, Any] = {
    "project_position": 3,
    "goal": {"team": "core", "priority": None},
    "inline_mcp_servers": [],
    "title_source": "b-17",
}


def ask(text: str) -> models.CreateChatRequest:
    return models.CreateChatRequest(content=[models.ChatInputPart(type_=models.ChatInputPartType.TEXT, text=text)])


def assert_round_trips(chat: models.Chat, raw: dict[str, Any]) -> None:
    """The extra fields are kept as sent, and to_dict() gives back every key the server sent."""
    assert chat.additional_properties == NEWER_FIELDS
    for key, value in NEWER_FIELDS.items():
        assert chat[key] == value
    assert sorted(chat.additional_keys) == sorted(NEWER_FIELDS)
    out = chat.to_dict()
    assert set(out) == set(raw)
    assert {k: out[k] for k in NEWER_FIELDS} == NEWER_FIELDS
    assert models.Chat.from_dict(out) == chat


def test_unknown_chat_fields_are_kept(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    fake.script = Script(auto_run=False)
    fake.set_extra_chat_fields(archived=False, last_error=None, **NEWER_FIELDS)

    created = create_chat.sync_detailed(client=admin, body=ask("from a newer server"))
    assert created.status_code == 201 and isinstance(created.parsed, models.Chat)
    chat = created.parsed
    assert (chat.archived, chat.last_error) == (False, None)  # near-seed fields the spec knows
    assert_round_trips(chat, json.loads(created.content))

    (listed,) = list_chats.sync(client=admin)
    assert listed.additional_properties == NEWER_FIELDS
    assert isinstance(listed.diff_status, models.ChatDiffStatus)
    assert listed.diff_status.additional_properties == {}

    got = get_chat.sync_detailed(chat.id, client=admin)
    assert isinstance(got.parsed, models.ChatWithMessages)
    assert_round_trips(got.parsed.chat, json.loads(got.content)["chat"])
    assert got.parsed.additional_properties == {}

    interrupted = interrupt_chat.sync(chat.id, client=admin)
    assert interrupted.status == models.ChatStatus.WAITING
    assert interrupted.additional_properties == NEWER_FIELDS


def test_last_error_string(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    fake.set_extra_chat_fields(archived=True, last_error="provider returned 529")
    chat = create_chat.sync(client=admin, body=ask("hi"))
    assert (chat.archived, chat.last_error, chat.additional_properties) == (True, "provider returned 529", {})
    assert chat.to_dict()["last_error"] == "provider returned 529"


def test_newer_server_shapes_do_not_break_parsing() -> None:
    """A later upstream's chat (§7: new statuses, a ChatError object, new part types): a purpose-built
    server, since the validating fake answers only what the seed spec allows."""
    chat_id = "5a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b"
    chat = {
        "id": chat_id,
        "owner_id": "0b6f2d9e-1111-4c4c-9a9a-123456789abc",
        "last_model_config_id": "0b6f2d9e-2222-4c4c-9a9a-123456789abc",
        "title": "newer",
        "status": "compacting",
        "created_at": "2026-03-01T12:00:00Z",
        "updated_at": "2026-03-01T12:00:01Z",
        "last_error": {"message": "rate limited", "kind": "provider"},
        "manage_automations_enabled": 0,
    }
    message = {
        "id": 7,
        "chat_id": chat_id,
        "created_at": "2026-03-01T12:00:00Z",
        "role": "user",
        "content": [
            {"type": "goal-reference", "goal_id": "f-1", "text": "see file"},
            {"type": "text", "text": "hello", "provider_metadata": {"x": 1}},
        ],
        "automation_id": "someone",
    }
    body = {"chat": chat, "messages": [message], "queued_messages": [], "has_more": False}

    def handler(request: RecordedRequest) -> Reply:
        return Reply(200, body)

    with ScriptedServer(handler) as server, AuthenticatedClient(base_url=server.url, token="t") as client:
        got = get_chat.sync(UUID(chat_id), client=client)
    assert got.chat.status == "compacting"
    assert isinstance(got.chat.status, models.ChatStatus) and not got.chat.status.is_known
    # Newer servers send a ChatError object where near-seed ones send a string.
    assert isinstance(got.chat.last_error, models.ChatError)
    assert (got.chat.last_error.message, got.chat.last_error.kind) == ("rate limited", "provider")
    assert got.chat.to_dict()["last_error"] == {"message": "rate limited", "kind": "provider"}
    assert got.chat.additional_properties == {"manage_automations_enabled": 0}
    assert got.additional_properties == {"has_more": False}
    (msg,) = got.messages
    assert msg.additional_properties == {"automation_id": "someone"}
    assert isinstance(msg.content, list)
    file_ref, text = msg.content
    assert file_ref.type_ == "goal-reference" and not file_ref.type_.is_known
    assert (file_ref.text, file_ref.additional_properties) == ("see file", {"goal_id": "f-1"})
    assert (text.type_, text.text, text.additional_properties) == (
        models.ChatMessagePartType.TEXT,
        "hello",
        {"provider_metadata": {"x": 1}},
    )
    assert got.to_dict()["chat"]["status"] == "compacting"
    assert got.to_dict()["messages"] == [{**message, "created_at": "2026-03-01T12:00:00+00:00"}]
    assert got.chat.workspace_id is UNSET
