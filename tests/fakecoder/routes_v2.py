"""Handlers of the v2 generation (API-v2.md §3) where it differs from the experimental one.

Handlers the generations share (diff, the 426 of a plain GET on a socket) stay in routes_chats.py;
the route tables of generation.py pick which handler serves which path. Every chat here is a
`StateV2` chat; each handler runs the reference's checks in its order (§3, §7).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from .routes_chats import Call, validate_content
from .state import Chat
from .state_v2 import StateV2
from .wire import (
    NIL_UUID,
    APIError,
    JSONDict,
    decode_json_body,
    go_parse_int64,
    go_quote,
    json_response,
    read_struct,
)

BODY_LIMIT = 256 * 1024  # httpapi.ReadLimit of create and tool-results
REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh", "max")
CLIENT_TYPES = ("ui", "api")
MAX_DYNAMIC_TOOLS = 250
CREATE_FIELDS = {
    "organization_id": "uuid",
    "content": "parts_v2",
    "workspace_id": "uuid",
    "model_config_id": "uuid",
    "reasoning_effort": "string",
    "plan_mode": "string",
    "client_type": "string",
}


def store(call: Call) -> StateV2:
    """The v2 store (the generation guarantees it on every v2 route)."""
    state = call.ctx.state
    assert isinstance(state, StateV2), "a v2 route on an experimental store"
    return state


def _object_field(call: Call, name: str) -> Any:
    """A field read raw from the JSON body (maps and lists read_struct does not type)."""
    value = decode_json_body(call.body)
    return value.get(name) if isinstance(value, dict) else None


def _limit_body(call: Call) -> None:
    if len(call.body) > BODY_LIMIT:
        raise APIError(413, "Request body too large.", "Request body exceeds 256 KiB.")


def _not_archived(chat: Chat, what: str) -> None:
    if chat.archived:
        raise APIError(400, f"Cannot {what} an archived chat.")


def _model(state: StateV2, requested: str | None) -> str:
    if requested is None:
        default = state.default_model_config()
        if default is None:
            raise APIError(
                400,
                "No chat model is available in this organization.",
                "Ask an organization administrator to configure and enable a chat model.",
            )
        return str(default["id"])
    if requested == NIL_UUID:
        raise APIError(400, "Invalid model config ID.")
    row = state.model_configs.get(requested)
    if row is None or not row["enabled"]:
        raise APIError(400, "Invalid model_config_id: model config not found or disabled.")
    return requested


def _reasoning_effort(body: JSONDict) -> None:
    effort = body.get("reasoning_effort")
    if effort is not None and effort not in REASONING_EFFORTS:
        detail = f"Invalid value {go_quote(effort)}, must be one of {', '.join(REASONING_EFFORTS)}"
        raise APIError(400, "Invalid reasoning_effort value.", detail)


def _labels(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(v, str) and k for k, v in raw.items()):
        raise APIError.with_body(
            400,
            {
                "message": "Invalid labels.",
                "validations": [{"field": "labels", "detail": "Labels must map strings to strings."}],
            },
        )
    return dict(raw)


def _dynamic_tools(raw: Any) -> list[JSONDict]:
    tools = [t for t in raw if isinstance(t, dict)] if isinstance(raw, list) else []
    if len(tools) > MAX_DYNAMIC_TOOLS:
        raise APIError(400, "Too many dynamic tools.", "Maximum 250 dynamic tools per chat.")
    seen: set[str] = set()
    for tool in tools:
        name = tool.get("name")
        if not isinstance(name, str) or not name:
            raise APIError(400, "Dynamic tool name must not be empty.")
        if name in seen:
            raise APIError(400, "Duplicate dynamic tool name.", f"Tool {go_quote(name)} appears more than once.")
        seen.add(name)
    return [{k: t[k] for k in ("name", "description", "input_schema") if k in t} for t in tools]


async def create_chat(call: Call) -> Response:
    """POST /chats (§3.1) -> 201 `Chat`, status `running`."""
    _limit_body(call)
    body = read_struct(call.body, "CreateChatRequest", CREATE_FIELDS)
    state = store(call)
    org_id = body.get("organization_id")
    if org_id is None or org_id == NIL_UUID:
        raise APIError(400, "organization_id is required.")
    if org_id != state.organization["id"]:
        raise APIError(403, "You are not a member of the specified organization.")
    with state.lock:
        content = validate_content(body.get("content"), state.files)
        fields: JSONDict = {"organization_id": org_id}
        if "workspace_id" in body:
            workspace = state.workspaces.get(body["workspace_id"])
            if workspace is None or workspace["owner_id"] != call.user.id:
                raise APIError(400, "Workspace not found or you do not have access to this resource")
            fields["workspace"] = workspace
        model_id = _model(state, body.get("model_config_id"))
        if body.get("plan_mode", "") not in ("", "plan"):
            raise APIError(400, "Invalid plan_mode value.")
        labels = _object_field(call, "labels")
        if labels is not None:
            fields["labels"] = _labels(labels)
        fields["dynamic_tools"] = _dynamic_tools(_object_field(call, "unsafe_dynamic_tools"))
        client_type = body.get("client_type", "api") or "api"
        if client_type not in CLIENT_TYPES:
            raise APIError(400, "Invalid client_type.", f"got {go_quote(client_type)}, want one of [ui api]")
        fields["client_type"] = client_type
        _reasoning_effort(body)
        chat = state.create_v2_chat(call.user, content, model_id, fields)
        return json_response(201, state.chat_json(chat))


_ARCHIVED_Q = re.compile(r"(?:^|\s)archived:(true|false)(?:\s|$)")


def _query_int(call: Call, name: str, bits: int, default: int) -> int:
    raw = call.request.query_params.get(name)
    if raw is None or raw == "":
        return default
    value, err = go_parse_int64(raw)
    if value is None or value < 0 or value >= 2 ** (bits - 1):
        detail = f'Query param "{name}" must be a valid {bits}-bit positive integer: {err or "out of range"}'
        raise APIError.with_body(
            400,
            {"message": "Query parameters have invalid values.", "validations": [{"field": name, "detail": detail}]},
        )
    return value


async def list_chats(call: Call) -> Response:
    """GET /chats (§3.2): root chats with their children, pinned first, then most recent."""
    limit = _query_int(call, "limit", 32, 0)
    match = _ARCHIVED_Q.search(call.request.query_params.get("q", ""))
    labels = [raw.split(":", 1) for raw in call.request.query_params.getlist("label")]
    for pair in labels:
        if len(pair) != 2 or not all(pair):
            raise APIError(
                400,
                f"Invalid label filter: {go_quote(':'.join(pair))} (expected format key:value, both must be non-empty)",
            )
    state = store(call)
    with state.lock:
        rows = [c for c in state.chats.values() if c.owner_id == call.user.id and c.parent_chat_id is None]
        if match is not None:
            rows = [c for c in rows if c.archived == (match.group(1) == "true")]
        rows = [c for c in rows if all(c.labels.get(k) == v for k, v in labels)]
        rows.sort(key=lambda c: c.updated_at, reverse=True)
        rows.sort(key=lambda c: c.pin_order if c.pin_order > 0 else 2**31)
        if limit:
            rows = rows[:limit]
        return json_response(200, [state.chat_json(c, with_diff=True) for c in rows])


async def get_chat(call: Call) -> Response:
    state = store(call)
    with state.lock:
        return json_response(200, state.chat_json(call.the_chat))


async def update_chat(call: Call) -> Response:
    """PATCH /chats/{chat} (§3.4) -> 204."""
    body = read_struct(call.body, "UpdateChatRequest", {"title": "string", "archived": "bool", "pin_order": "int32"})
    labels = _object_field(call, "labels")
    if labels is not None:
        body["labels"] = _labels(labels)
    state = store(call)
    with state.lock:
        state.update_chat(call.the_chat, body)
    return json_response(204, None)


async def list_messages(call: Call) -> Response:
    """GET /chats/{chat}/messages (§3.5) -> `ChatMessagesResponse`."""
    before_id = _query_int(call, "before_id", 64, 0)
    after_id = _query_int(call, "after_id", 64, 0)
    limit = _query_int(call, "limit", 32, 50)
    if not 1 <= limit <= 200:
        raise APIError(400, "Invalid limit parameter (1-200).")
    if before_id and after_id and after_id >= before_id:
        raise APIError(400, "after_id must be less than before_id.")
    state = store(call)
    with state.lock:
        page, has_more, queue = state.messages_page(call.the_chat, before_id, after_id, limit)
    return json_response(200, {"messages": page, "queued_messages": queue, "has_more": has_more})


async def post_message(call: Call) -> Response:
    """POST /chats/{chat}/messages (§3.6) -> `CreateChatMessageResponse`."""
    state = store(call)
    _not_archived(call.the_chat, "send messages to")
    fields = {"content": "parts_v2", "model_config_id": "uuid", "busy_behavior": "string", "reasoning_effort": "string"}
    body = read_struct(call.body, "CreateChatMessageRequest", fields)
    with state.lock:
        content = validate_content(body.get("content"), state.files)
        busy = body.get("busy_behavior", "")
        if busy not in ("", "queue", "interrupt"):
            raise APIError(400, "Invalid busy_behavior value.", 'Must be "queue" or "interrupt".')
        chat = call.the_chat
        if body.get("model_config_id") not in (None, NIL_UUID):
            chat.last_model_config_id = _model(state, body["model_config_id"])
        _reasoning_effort(body)
        return json_response(200, state.post_message(chat, content, busy or "queue"))


async def edit_message(call: Call) -> Response:
    """PATCH /chats/{chat}/messages/{message} (§3.7) -> `EditChatMessageResponse`."""
    state = store(call)
    _not_archived(call.the_chat, "edit messages in")
    message_id, _ = go_parse_int64(call.params[0])
    if message_id is None or message_id <= 0:
        raise APIError(400, "Invalid chat message ID.", "Message ID must be a positive integer.")
    body = read_struct(call.body, "EditChatMessageRequest", {"content": "parts_v2", "model_config_id": "uuid"})
    with state.lock:
        content = validate_content(body.get("content"), state.files)
        chat = call.the_chat
        msg = next((m for m in chat.messages if m["id"] == message_id), None)
        if msg is None:
            raise APIError(404, "Chat message not found.", "Message does not belong to this chat.")
        if msg["role"] != "user":
            raise APIError(400, "Only user messages can be edited.")
        return json_response(200, state.edit_message(chat, msg, content))


async def interrupt(call: Call) -> Response:
    """POST /chats/{chat}/interrupt (§3.8) -> the chat right after the transition."""
    state = store(call)
    _not_archived(call.the_chat, "interrupt")
    with state.lock:
        state.interrupt(call.the_chat)
        return json_response(200, state.chat_json(call.the_chat))


async def submit_tool_results(call: Call) -> Response:
    """POST /chats/{chat}/tool-results (§3.10) -> 204."""
    state = store(call)
    _not_archived(call.the_chat, "submit tool results to")
    _limit_body(call)
    raw = _object_field(call, "results")
    results: list[JSONDict] = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            raise APIError(400, "Request body must be valid JSON.", "json: cannot unmarshal into codersdk.ToolResult")
        result: JSONDict = {"tool_call_id": str(item.get("tool_call_id", "")), "is_error": item.get("is_error") is True}
        if "output" in item:
            result["output"] = item["output"]
        results.append(result)
    if not results:
        raise APIError(400, "At least one tool result is required.")
    with state.lock:
        state.submit_tool_results(call.the_chat, results)
    return json_response(204, None)


def _queued_id(call: Call) -> int:
    queued_id, err = go_parse_int64(call.params[0])
    if queued_id is None:
        raise APIError(400, "Invalid queued message ID.", err)
    return queued_id


async def delete_queued(call: Call) -> Response:
    state = store(call)
    queued_id = _queued_id(call)
    with state.lock:
        state.delete_queued(call.the_chat, queued_id)
    return json_response(204, None)


async def promote_queued(call: Call) -> Response:
    """POST /queue/{q}/promote (§3.9) -> 202; the outcome arrives on the stream."""
    state = store(call)
    _not_archived(call.the_chat, "promote queued messages in")
    queued_id = _queued_id(call)
    with state.lock:
        return json_response(202, state.promote_queued(call.the_chat, queued_id))


async def chat_cost(call: Call) -> Response:
    state = store(call)
    with state.lock:
        return json_response(200, state.cost_json(call.the_chat))


async def legacy_gone(call: Call) -> Response:
    """2.37's experimental mount: every legacy provider route is a tombstone (§1.4)."""
    return json_response(
        410,
        {
            "message": "Legacy chat provider APIs were removed. Use AI provider APIs instead.",
            "detail": "See https://coder.com/docs/ai-coder/agents/models#providers for AI provider configuration.",
        },
    )
