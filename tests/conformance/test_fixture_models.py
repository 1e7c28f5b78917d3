"""Every upstream payload parses with its generated model and survives ``to_dict()`` unchanged."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from coder_chat.client import models
from tests.conformance.placeholders import FIXTURES, load, placeholder_uuid, with_uuids

# fixture file -> the model it is an instance of
MODEL_OF_FIXTURE = {
    "chat-minimal.json": models.Chat,
    "chat-message-user-text.json": models.ChatMessage,
    "chat-message-assistant-text.json": models.ChatMessage,
    "chat-queued-message.json": models.ChatQueuedMessage,
    "chat-with-messages.json": models.ChatWithMessages,
    "docs-chat-created-response.json": models.Chat,
    "docs-create-chat-request.json": models.CreateChatRequest,
    "docs-input-part-text.json": models.ChatInputPart,
    "request-create-chat.json": models.CreateChatRequest,
    "request-create-chat-message.json": models.CreateChatRequest,
    "request-edit-chat-message.json": models.EditChatMessageRequest,
    "request-create-chat-provider.json": models.CreateChatProviderConfigRequest,
    "request-update-chat-provider.json": models.UpdateChatProviderConfigRequest,
    "request-create-chat-model-config.json": models.CreateChatModelConfigRequest,
    "request-update-chat-model-config.json": models.UpdateChatModelConfigRequest,
    "stream-event-message-part-text.json": models.ChatStreamEvent,
    "stream-event-message.json": models.ChatStreamEvent,
    "stream-event-status-pending.json": models.ChatStreamEvent,
    "stream-event-status-running.json": models.ChatStreamEvent,
    "stream-event-status-subagent-completed.json": models.ChatStreamEvent,
    "stream-event-queue-update-empty.json": models.ChatStreamEvent,
    "stream-event-error.json": models.ChatStreamEvent,
    "stream-event-error-blank-message.json": models.ChatStreamEvent,
    "stream-event-retry.json": models.ChatStreamEvent,
    "stream-event-message-other-chat.json": models.ChatStreamEvent,
}
# The asserted-values files leave out `chat_id` (a generated UUID upstream); the test adds one.
EXPECTED_WITHOUT_CHAT_ID = {
    "expected-diff-status-cached.json": models.ChatDiffStatus,
    "expected-diff-status-no-cache.json": models.ChatDiffStatus,
    "expected-diff-contents-cached-reference.json": models.ChatDiffContents,
}
ENVELOPES = [
    "stream-envelope-batch-text-parts.json",
    "stream-envelope-batch-part-then-status-waiting.json",
    "stream-envelope-batch-message-then-part.json",
]


def normalized(value: Any) -> Any:
    """Compare JSON by meaning: RFC 3339 strings as instants (``.000Z`` and ``+00:00`` are the same time)."""
    if isinstance(value, dict):
        return {key: normalized(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalized(item) for item in value]
    if isinstance(value, str) and len(value) >= 20 and value[4:5] == "-" and value[10:11] == "T":
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def assert_round_trips(model: Any, payload: Any) -> Any:
    parsed = model.from_dict(payload)
    assert normalized(parsed.to_dict()) == normalized(payload)
    return parsed


def test_every_fixture_file_is_covered() -> None:
    covered = (
        set(MODEL_OF_FIXTURE)
        | set(EXPECTED_WITHOUT_CHAT_ID)
        | set(ENVELOPES)
        | {"docs-stream-envelope-data.json", "stream-events-delta-sequence-pre-seed.json", "README.md"}
    )
    on_disk = {path.name for path in FIXTURES.iterdir() if path.is_file()}
    assert on_disk == covered


@pytest.mark.parametrize("name", sorted(MODEL_OF_FIXTURE))
def test_fixture_round_trips(name: str) -> None:
    assert_round_trips(MODEL_OF_FIXTURE[name], with_uuids(load(name)))


@pytest.mark.parametrize("name", sorted(EXPECTED_WITHOUT_CHAT_ID))
def test_expected_values_round_trip(name: str) -> None:
    payload = {"chat_id": placeholder_uuid("chat-1"), **load(name)}
    assert_round_trips(EXPECTED_WITHOUT_CHAT_ID[name], payload)


@pytest.mark.parametrize("name", ENVELOPES)
def test_envelope_events_round_trip(name: str) -> None:
    envelope = with_uuids(load(name))
    assert envelope["type"] == "data"
    for event in envelope["data"]:
        assert_round_trips(models.ChatStreamEvent, event)


def test_pre_seed_delta_sequence_parses_once_chat_id_is_filled_in() -> None:
    chat_id = placeholder_uuid("chat-1")
    events = [
        assert_round_trips(models.ChatStreamEvent, {**e, "chat_id": chat_id})
        for e in load("stream-events-delta-sequence-pre-seed.json")
    ]
    parts = [event.message_part.part for event in events]
    assert [p.type_ for p in parts] == ["text", "text", "reasoning", "tool-call", "tool-call", "tool-call"]
    assert parts[3].args_delta + parts[4].args_delta == '{"command":"echo hi"}'
    assert parts[5].args == {"command": "echo hi"}


def test_docs_envelope_status_event_parses_and_the_elided_part_is_reported() -> None:
    """The docs page elides the message_part body (``{"...": "..."}``): it lacks the required ``part``."""
    status_event, elided = with_uuids(load("docs-stream-envelope-data.json"))["data"]
    assert assert_round_trips(models.ChatStreamEvent, status_event).status.status == models.ChatStatus.RUNNING
    with pytest.raises(KeyError, match="part"):
        models.ChatStreamEvent.from_dict(elided)


def test_typed_values_of_a_parsed_chat() -> None:
    chat = models.ChatWithMessages.from_dict(with_uuids(load("chat-with-messages.json")))
    assert str(chat.chat.id) == placeholder_uuid("chat-1")
    assert chat.chat.status is models.ChatStatus.RUNNING
    assert chat.chat.created_at == datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    assert chat.chat.last_error is None
    assert chat.chat.archived is False
    assert [m.id for m in chat.messages] == [1]
    content = chat.messages[0].content
    assert isinstance(content, list)
    assert content[0].text == "hello"
    assert [q.id for q in chat.queued_messages] == [10]


def test_diff_status_nulls_are_kept_distinct_from_absent() -> None:
    payload = {"chat_id": placeholder_uuid("chat-1"), **load("expected-diff-status-no-cache.json")}
    status = models.ChatDiffStatus.from_dict(payload)
    assert status.url is None
    assert "url" in status.to_dict()
    absent = models.ChatDiffStatus.from_dict({k: v for k, v in payload.items() if v is not None})
    assert "url" not in absent.to_dict()
