"""The v2 generation in the spec: its operations (``coder_chat.client.api.v2``), and the shared models reading
v2 payloads (shapes from Coder's v2 chat API: docs/protocol.md) while the experimental ones still read."""

from __future__ import annotations

import copy
import importlib
import inspect
import typing
from typing import Any
from uuid import UUID

import pytest

from coder_chat._runtime.files import File
from coder_chat.client import models
from coder_chat.client.api import chats as experimental_api
from coder_chat.client.api import v2 as v2_api

CHAT_ID = "5f0c2a4e-8d0b-4c55-9f1e-2b7c3f5f9a10"
ORG_ID = "703f72a1-1c6a-4b1b-9d2c-0e7c4b5a6d70"
OWNER_ID = "0b6c7b0e-2f0a-4a36-8c3a-6f1a2d9e3b41"
MODEL_ID = "f5fb4d91-62ca-4377-9ee6-5d1e0c2b7a33"

# A v2 create answer (every key a v2 server sends on a new root chat).
V2_CHAT: dict[str, Any] = {
    "id": CHAT_ID,
    "organization_id": ORG_ID,
    "owner_id": OWNER_ID,
    "owner_username": "alice",
    "root_chat_id": CHAT_ID,
    "last_model_config_id": MODEL_ID,
    "title": "hello world",
    "status": "running",
    "last_turn_summary": None,
    "summary": None,
    "created_at": "2026-09-20T10:00:00.123456Z",
    "updated_at": "2026-09-20T10:00:00.123456Z",
    "archived": False,
    "shared": False,
    "pin_order": 0,
    "mcp_server_ids": [],
    "labels": {},
    "has_unread": False,
    "client_type": "api",
    "children": [],
}

# A persisted v2 text part: the fields without omitempty on every part, the three null ids.
V2_TEXT_PART: dict[str, Any] = {
    "type": "text",
    "text": "hello",
    "mcp_server_config_id": None,
    "url": "",
    "media_type": "",
    "file_id": None,
    "file_name": "",
    "start_line": 0,
    "end_line": 0,
    "content": "",
    "context_file_path": "",
    "context_file_agent_id": None,
    "skill_name": "",
}

V2_OPERATIONS = {
    "clear_chat",
    "compact_chat",
    "create_chat",
    "create_chat_file_download_url",
    "create_chat_message",
    "create_organization_chat_model",
    "delete_chat_queued_message",
    "delete_organization_chat_model",
    "download_chat_file",
    "edit_chat_message",
    "edit_chat_queued_message",
    "get_build_info",
    "get_chat",
    "get_chat_cost",
    "get_chat_diff_contents",
    "get_chats_by_workspace",
    "get_organization",
    "get_organization_chat_model",
    "get_user",
    "interrupt_chat",
    "list_chat_messages",
    "list_chat_prompts",
    "list_chats",
    "list_organization_chat_models",
    "list_user_organizations",
    "promote_chat_queued_message",
    "propose_chat_title",
    "refresh_chat_context",
    "submit_chat_tool_results",
    "update_chat",
    "update_organization_chat_model",
    "upload_chat_file",
}


def _modules(package: Any) -> set[str]:
    import pkgutil

    return {m.name for m in pkgutil.iter_modules(package.__path__)}


def test_the_v2_operations_are_their_own_package() -> None:
    assert _modules(v2_api) == V2_OPERATIONS
    for name in V2_OPERATIONS:
        module = importlib.import_module(f"coder_chat.client.api.v2.{name}")
        for function in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
            assert callable(getattr(module, function)), f"{name}.{function}"
    assert len(_modules(experimental_api)) == 21  # the experimental generation is untouched


@pytest.mark.parametrize(
    ("operation", "returns"),
    [
        ("get_chat", models.Chat),
        ("update_chat", type(None)),
        ("list_chat_messages", models.ChatMessagesResponse),
        ("edit_chat_message", models.EditChatMessageResponse),
        ("promote_chat_queued_message", models.AcceptedResponse),
        ("submit_chat_tool_results", type(None)),
        ("get_build_info", models.BuildInfoResponse),
        ("list_user_organizations", list[models.Organization]),
        ("list_organization_chat_models", models.OrganizationChatModelsResponse),
        ("download_chat_file", File),
    ],
)
def test_what_the_v2_operations_return(operation: str, returns: Any) -> None:
    module = importlib.import_module(f"coder_chat.client.api.v2.{operation}")
    assert typing.get_type_hints(module.sync)["return"] == returns


def test_the_path_and_query_parameters_keep_their_names() -> None:
    from coder_chat.client.api.v2 import list_chat_messages, list_chats, promote_chat_queued_message

    assert list(inspect.signature(list_chat_messages.sync).parameters) == [
        "chat_id",
        "client",
        "before_id",
        "after_id",
        "limit",
        "max_retries",
    ]
    assert list(inspect.signature(promote_chat_queued_message.sync).parameters)[:2] == ["chat_id", "queued_message_id"]
    assert {"q", "label", "after_id", "limit", "offset"} <= set(inspect.signature(list_chats.sync).parameters)


def test_a_v2_chat_parses_into_typed_fields_and_round_trips() -> None:
    chat = models.Chat.from_dict(copy.deepcopy(V2_CHAT))
    assert chat.organization_id == UUID(ORG_ID)
    assert chat.status is models.ChatStatus.RUNNING
    assert (chat.owner_username, chat.client_type, chat.pin_order, chat.shared, chat.has_unread) == (
        "alice",
        "api",
        0,
        False,
        False,
    )
    assert (chat.last_turn_summary, chat.summary, chat.children, chat.mcp_server_ids) == (None, None, [], [])
    assert isinstance(chat.labels, models.ChatLabels) and chat.labels.additional_properties == {}
    assert chat.additional_properties == {}
    out = chat.to_dict()
    assert set(out) == set(V2_CHAT)
    assert models.Chat.from_dict(out) == chat


def test_a_v2_chat_with_error_object_children_labels_and_files() -> None:
    child_id = "9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    raw = {
        **V2_CHAT,
        "status": "requires_action",
        "labels": {"team": "core"},
        "last_error": {"message": "overloaded", "kind": "overloaded", "provider": "anthropic", "retryable": True},
        "children": [{**V2_CHAT, "id": child_id, "parent_chat_id": CHAT_ID, "status": "interrupting"}],
        "files": [{"id": MODEL_ID, "name": "a.png", "mime_type": "image/png", "size_bytes": 3}],
        "context": {"dirty": True, "resources": [{"source": "AGENTS.md", "kind": "instructions", "size_bytes": 9}]},
        "diff_status": {
            "chat_id": CHAT_ID,
            "pull_request_title": "",
            "pull_request_draft": False,
            "changes_requested": False,
            "additions": 0,
            "deletions": 0,
            "changed_files": 0,
        },
    }
    chat = models.Chat.from_dict(raw)
    assert chat.status is models.ChatStatus.REQUIRES_ACTION and chat.status.is_known
    assert isinstance(chat.last_error, models.ChatError)
    assert (chat.last_error.kind, chat.last_error.retryable) == ("overloaded", True)
    assert isinstance(chat.children, list)
    (child,) = chat.children
    assert isinstance(child, models.Chat) and child.parent_chat_id == UUID(CHAT_ID)
    assert child.status is models.ChatStatus.INTERRUPTING
    assert isinstance(chat.labels, models.ChatLabels) and chat.labels["team"] == "core"
    assert isinstance(chat.files, list) and chat.files[0].size_bytes == 3
    assert isinstance(chat.context, models.ChatContext) and chat.context.dirty is True
    assert isinstance(chat.diff_status, models.ChatDiffStatus) and chat.diff_status.pull_request_draft is False
    assert models.Chat.from_dict(chat.to_dict()) == chat


def test_the_seed_last_error_string_still_reads() -> None:
    chat = models.Chat.from_dict({**V2_CHAT, "last_error": "provider returned 529"})
    assert chat.last_error == "provider returned 529"


def test_a_v2_part_with_its_empty_fields_and_null_ids_round_trips_exactly() -> None:
    part = models.ChatMessagePart.from_dict(dict(V2_TEXT_PART))
    assert (part.type_, part.text, part.file_id, part.mcp_server_config_id, part.start_line) == (
        models.ChatMessagePartType.TEXT,
        "hello",
        None,
        None,
        0,
    )
    assert part.additional_properties == {}
    assert part.to_dict() == V2_TEXT_PART


@pytest.mark.parametrize(
    "raw",
    [
        {"type": "file-reference", "file_name": "a.go", "start_line": 4, "end_line": 9, "content": "x"},
        {"type": "file", "media_type": "image/png", "name": "a.png", "file_id": MODEL_ID},
        {"type": "context-file", "context_file_path": "AGENTS.md", "context_file_truncated": True},
        {"type": "skill", "skill_name": "deploy", "skill_description": "Deploys."},
        {"type": "hook-notice", "text": "blocked"},
        {"type": "tool-call", "tool_call_id": "c1", "tool_name": "execute", "parsed_commands": [["ls", "-la"]]},
        {"type": "tool-result", "tool_call_id": "c1", "result": {"ok": True}, "provider_executed": True},
        {
            "type": "reasoning",
            "text": "hm",
            "created_at": "2026-09-20T10:00:00Z",
            "completed_at": "2026-09-20T10:00:01Z",
        },
    ],
)
def test_the_v2_part_types_and_fields_are_known(raw: dict[str, Any]) -> None:
    part = models.ChatMessagePart.from_dict(dict(raw))
    assert part.type_.is_known and part.additional_properties == {}
    assert models.ChatMessagePart.from_dict(part.to_dict()) == part


def test_edit_and_page_answers() -> None:
    message = {
        "id": 57,
        "chat_id": CHAT_ID,
        "created_by": OWNER_ID,
        "model_config_id": MODEL_ID,
        "created_at": "2026-09-20T10:05:00Z",
        "role": "user",
        "content": [{**V2_TEXT_PART, "text": "Try Lyon instead"}],
    }
    edit = models.EditChatMessageResponse.from_dict(
        {"message": message, "messages": [message], "deleted_message_ids": [51, 52, 53, 54]}
    )
    assert edit.message.id == 57 and edit.message.created_by == UUID(OWNER_ID)
    assert edit.deleted_message_ids == [51, 52, 53, 54]
    page = models.ChatMessagesResponse.from_dict({"messages": [message], "queued_messages": [], "has_more": True})
    assert (page.has_more, [m.id for m in page.messages], page.queued_messages) == (True, [57], [])
    queued = models.ChatQueuedMessage.from_dict(
        {"id": 3, "chat_id": CHAT_ID, "model_config_id": MODEL_ID, "content": [], "created_at": "2026-09-20T10:05:00Z"}
    )
    assert queued.model_config_id == UUID(MODEL_ID)


def test_requests_carry_the_v2_fields() -> None:
    request = models.CreateChatRequest(
        organization_id=UUID(ORG_ID),
        content=[models.ChatInputPart(type_=models.ChatInputPartType.TEXT, text="What's the weather in Paris?")],
        unsafe_dynamic_tools=[
            models.DynamicTool(
                name="get_weather",
                description="Get the weather for a city.",
                input_schema={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
            )
        ],
        client_type="api",
    )
    assert request.to_dict() == {
        "content": [{"type": "text", "text": "What's the weather in Paris?"}],
        "organization_id": ORG_ID,
        "unsafe_dynamic_tools": [
            {
                "name": "get_weather",
                "description": "Get the weather for a city.",
                "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
            }
        ],
        "client_type": "api",
    }
    assert models.UpdateChatRequest(archived=True).to_dict() == {"archived": True}
    assert models.UpdateChatRequest(title="t").to_dict() == {"title": "t"}  # the seed's one field still works
    assert models.CreateChatMessageRequest(content=[], busy_behavior=models.ChatBusyBehavior.INTERRUPT).to_dict() == {
        "content": [],
        "busy_behavior": "interrupt",
    }
    results = models.SubmitToolResultsRequest(
        results=[
            models.ToolResult(tool_call_id="call_1", output={"city": "Paris", "temp_c": 21}),
            models.ToolResult(tool_call_id="call_2", output="invalid parameters: city", is_error=True),
        ]
    )
    assert results.to_dict() == {
        "results": [
            {"tool_call_id": "call_1", "output": {"city": "Paris", "temp_c": 21}, "is_error": False},
            {"tool_call_id": "call_2", "output": "invalid parameters: city", "is_error": True},
        ]
    }


def event(kind: str, **payload: Any) -> dict[str, Any]:
    return {"type": kind, "chat_id": CHAT_ID, **payload}


def test_the_v2_stream_events_parse_into_typed_payloads() -> None:
    required = models.ChatStreamEvent.from_dict(
        event(
            "action_required",
            action_required={
                "tool_calls": [{"tool_call_id": "call_1", "tool_name": "get_weather", "args": '{"city":"Paris"}'}]
            },
        )
    )
    assert required.type_ is models.ChatStreamEventType.ACTION_REQUIRED
    assert isinstance(required.action_required, models.ChatStreamActionRequired)
    (call,) = required.action_required.tool_calls
    assert (call.tool_call_id, call.tool_name, call.args) == ("call_1", "get_weather", '{"city":"Paris"}')

    part = models.ChatStreamEvent.from_dict(
        event(
            "message_part",
            message_part={
                "role": "assistant",
                "part": V2_TEXT_PART,
                "history_version": 3,
                "generation_attempt": 2,
                "seq": 7,
            },
        )
    )
    assert isinstance(part.message_part, models.ChatStreamMessagePart)
    assert (part.message_part.history_version, part.message_part.generation_attempt, part.message_part.seq) == (3, 2, 7)

    status = models.ChatStreamEvent.from_dict(event("status", status={"status": "paused", "history_version": 4}))
    assert isinstance(status.status, models.ChatStreamStatus)
    assert (status.status.status, status.status.history_version) == (models.ChatStatus.PAUSED, 4)

    retry = models.ChatStreamEvent.from_dict(
        event(
            "retry",
            retry={
                "attempt": 1,
                "delay_ms": 500,
                "error": "overloaded",
                "kind": "overloaded",
                "status_code": 529,
                "retrying_at": "2026-09-20T10:00:01Z",
            },
        )
    )
    assert isinstance(retry.retry, models.ChatStreamRetry) and (retry.retry.kind, retry.retry.status_code) == (
        "overloaded",
        529,
    )
    for kind in ("preview_reset", "history_reset"):
        bare = models.ChatStreamEvent.from_dict(event(kind))
        assert bare.type_.is_known and bare.additional_properties == {}


@pytest.mark.parametrize(
    "error",
    [
        {"message": "Chat processing failed."},  # the seed's shape
        {
            "message": "rate limited",
            "detail": "429",
            "kind": "rate_limit",
            "provider": "openai",
            "retryable": True,
            "status_code": 429,
        },
    ],
)
def test_the_error_event_reads_in_both_shapes(error: dict[str, Any]) -> None:
    parsed = models.ChatStreamEvent.from_dict(event("error", error=error))
    assert isinstance(parsed.error, models.ChatStreamError)
    assert parsed.error.message == error["message"]
    assert parsed.error.additional_properties == {}
    assert parsed.to_dict()["error"] == error


def test_the_v2_watch_event_carries_the_tool_calls() -> None:
    raw = {
        "kind": "action_required",
        "chat": {**V2_CHAT, "status": "requires_action"},
        "tool_calls": [{"tool_call_id": "call_1", "tool_name": "get_weather", "args": '{"city":"Paris"}'}],
    }
    watched = models.ChatWatchEvent.from_dict(copy.deepcopy(raw))
    assert watched.kind is models.ChatWatchEventKind.ACTION_REQUIRED
    assert isinstance(watched.tool_calls, list) and watched.tool_calls[0].tool_name == "get_weather"
    for kind in ("summary_change", "chat_summary_change", "context_dirty"):
        assert models.ChatWatchEventKind(kind).is_known


def test_organization_models_and_build_info() -> None:
    listing = models.OrganizationChatModelsResponse.from_dict(
        {
            "models": [
                {
                    "id": MODEL_ID,
                    "organization_id": ORG_ID,
                    "ai_provider_id": OWNER_ID,
                    "model": "claude-sonnet",
                    "display_name": "Claude Sonnet",
                    "enabled": True,
                    "is_default": True,
                    "context_limit": 200000,
                    "compression_threshold": 70,
                    "reasoning_efforts": ["low", "high"],
                    "created_at": "2026-09-20T10:00:00Z",
                    "updated_at": "2026-09-20T10:00:00Z",
                }
            ],
            "providers": [
                {"id": OWNER_ID, "type": "anthropic", "available": False, "unavailable_reason": "user_api_key_required"}
            ],
            "unsupported_providers": [],
        }
    )
    (model,) = listing.models
    assert isinstance(model, models.OrganizationChatModel) and model.is_default is True
    assert isinstance(listing.providers, list)
    assert listing.providers[0].unavailable_reason is models.ChatModelProviderUnavailableReason.USER_API_KEY_REQUIRED
    info = models.BuildInfoResponse.from_dict(
        {"version": "v2.37.0+abc1234", "external_url": "https://coder.example.com"}
    )
    assert info.version == "v2.37.0+abc1234"
    orgs = [models.Organization.from_dict({"id": ORG_ID, "name": "acme", "is_default": True})]
    assert orgs[0].is_default is True
