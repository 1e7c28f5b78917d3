"""Chat, message, queue and diff handlers (seed-era `coderd/chats.go` semantics, §3).

Each handler gets a `Call` whose user is authenticated and, for `/{chat}/...`
routes, whose chat already passed the UUID and ownership checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from .context import Context
from .state import Chat, User
from .wire import (
    NIL_UUID,
    QUEUE_FULL,
    RESOURCE_NOT_FOUND,
    APIError,
    JSONDict,
    go_parse_int64,
    go_quote,
    json_response,
    read_struct,
)


@dataclass
class Call:
    """One routed request."""

    ctx: Context
    request: Request
    user: User
    body: bytes
    params: list[str]
    chat: Chat | None = None

    @property
    def the_chat(self) -> Chat:
        assert self.chat is not None, "route registered without a chat"
        return self.chat


def validate_content(parts: list[JSONDict] | None, files: dict[str, JSONDict] | None = None) -> list[JSONDict]:
    """createChatInputFromParts: the §3.1 checks, in order. Returns the parts to persist (text
    trimmed). `files` (v2: the uploaded files) also allows `file` and `file-reference` parts."""
    if not parts:
        raise APIError(400, "Content is required.", "Content cannot be empty.")
    out: list[JSONDict] = []
    for i, part in enumerate(parts):
        raw_type = part.get("type", "")
        kind = raw_type.strip().lower()
        if files is not None and kind in ("file", "file-reference"):
            out.append(_file_part(i, kind, part, files))
            continue
        if kind != "text":
            raise APIError(400, "Invalid input part.", f"content[{i}].type {go_quote(raw_type)} is not supported.")
        text = part.get("text", "").strip()
        if not text:
            raise APIError(400, "Invalid input part.", f"content[{i}].text cannot be empty.")
        out.append({"type": "text", "text": text})
    if not out:
        raise APIError(400, "Invalid input part.", "Content must include at least one text part.")
    return out


def _file_part(i: int, kind: str, part: JSONDict, files: dict[str, JSONDict]) -> JSONDict:
    """A v2 `file` part (an uploaded file's id) or `file-reference` part (a quoted code range)."""
    if kind == "file":
        file_id = part.get("file_id")
        if not file_id or file_id == NIL_UUID:
            raise APIError(400, "Invalid input part.", f"content[{i}].file_id is required for file parts.")
        stored = files.get(file_id)
        if stored is None:
            raise APIError(400, "Invalid input part.", f"content[{i}].file_id references a file that does not exist.")
        return {"type": "file", "media_type": stored["mime_type"], "name": stored["name"], "file_id": file_id}
    if not part.get("file_name", "").strip():
        raise APIError(400, "Invalid input part.", f"content[{i}].file_name cannot be empty for file-reference.")
    keys = ("file_name", "start_line", "end_line", "content")
    return {"type": "file-reference", **{k: part.get(k, 0 if k.endswith("_line") else "") for k in keys}}


def _model_config_id(call: Call, requested: str | None) -> str:
    state = call.ctx.state
    if requested is not None:
        if requested == NIL_UUID or requested not in state.model_configs:
            raise APIError(400, "Invalid model config ID.")
        return requested
    default = state.default_model_config()
    if default is None:
        raise APIError(400, "No default chat model config is configured.")
    return str(default["id"])


async def create_chat(call: Call) -> Response:
    body = read_struct(
        call.body, "CreateChatRequest", {"content": "parts", "workspace_id": "uuid", "model_config_id": "uuid"}
    )
    content = validate_content(body.get("content"))
    state = call.ctx.state
    with state.lock:
        workspace = None
        if "workspace_id" in body:
            workspace = state.workspaces.get(body["workspace_id"])
            if workspace is None or workspace["owner_id"] != call.user.id:
                raise APIError(400, "Workspace not found or you do not have access to this resource")
        config_id = _model_config_id(call, body.get("model_config_id"))
        chat = state.create_chat(call.user, content, config_id, workspace=workspace)
        return json_response(201, state.chat_json(chat))


async def list_chats(call: Call) -> Response:
    state = call.ctx.state
    with state.lock:
        mine = [c for c in state.chats.values() if c.owner_id == call.user.id]
        mine.sort(key=lambda c: c.updated_at, reverse=True)
        return json_response(200, [state.chat_json(c, with_diff=True) for c in mine])


async def get_chat(call: Call) -> Response:
    state = call.ctx.state
    with state.lock:
        chat = call.the_chat
        return json_response(
            200,
            {
                "chat": state.chat_json(chat, with_diff=True),
                "messages": state.visible_messages(chat),
                "queued_messages": [state.queued_json(q) for q in chat.queue],
            },
        )


async def delete_chat(call: Call) -> Response:
    with call.ctx.state.lock:
        call.ctx.state.delete_chat(call.the_chat)
    return json_response(204, None)


async def post_message(call: Call) -> Response:
    body = read_struct(call.body, "CreateChatMessageRequest", {"content": "parts", "model_config_id": "uuid"})
    content = validate_content(body.get("content"))
    state = call.ctx.state
    with state.lock:
        chat = call.the_chat
        if "model_config_id" in body:
            chat.last_model_config_id = _model_config_id(call, body["model_config_id"])
        result = state.post_message(chat, content)
    if result.get("queue_full"):
        raise APIError.with_body(429, QUEUE_FULL)
    return json_response(200, result)


async def edit_message(call: Call) -> Response:
    message_id, _ = go_parse_int64(call.params[0])
    if message_id is None or message_id <= 0:
        raise APIError(400, "Invalid chat message ID.", "Message ID must be a positive integer.")
    body = read_struct(call.body, "EditChatMessageRequest", {"content": "parts"})
    content = validate_content(body.get("content"))
    state = call.ctx.state
    with state.lock:
        chat = call.the_chat
        msg = next((m for m in chat.messages if m["id"] == message_id), None)
        if msg is None:
            raise APIError(404, "Chat message not found.", "Message does not belong to this chat.")
        if msg["role"] != "user":
            raise APIError(400, "Only user messages can be edited.")
        return json_response(200, state.edit_message(chat, msg, content))


async def interrupt(call: Call) -> Response:
    state = call.ctx.state
    with state.lock:
        state.interrupt(call.the_chat)
        return json_response(200, state.chat_json(call.the_chat))


async def diff_status(call: Call) -> Response:
    with call.ctx.state.lock:
        return json_response(200, call.ctx.state.diff_status_json(call.the_chat))


async def diff_contents(call: Call) -> Response:
    with call.ctx.state.lock:
        chat = call.the_chat
        out: JSONDict = {"chat_id": chat.id}
        ref = chat.diff_ref or {}
        for key in ("provider", "remote_origin", "branch", "pull_request_url", "diff"):
            if ref.get(key):  # omitempty: nil pointers and "" diff are absent
                out[key] = ref[key]
        return json_response(200, out)


def _queued_id(call: Call) -> int:
    queued_id, err = go_parse_int64(call.params[0])
    if queued_id is None:
        raise APIError(400, "Invalid queued message ID.", err)
    return queued_id


async def delete_queued(call: Call) -> Response:
    queued_id = _queued_id(call)
    with call.ctx.state.lock:
        # A plain DELETE ... WHERE upstream: an unknown id is not an error.
        call.ctx.state.delete_queued(call.the_chat, queued_id)
    return json_response(204, None)


async def promote_queued(call: Call) -> Response:
    queued_id = _queued_id(call)
    with call.ctx.state.lock:
        msg = call.ctx.state.promote_queued(call.the_chat, queued_id)
    if msg is None:
        raise APIError.with_body(404, RESOURCE_NOT_FOUND)
    return json_response(200, msg)


async def stream_without_upgrade(call: Call) -> Response:
    """A plain GET on the stream or the watch socket: coder/websocket's Accept answers 426."""
    return Response(
        'WebSocket protocol violation: Connection header "" does not contain Upgrade',
        status_code=426,
        media_type="text/plain; charset=utf-8",
        headers={"Connection": "Upgrade", "Upgrade": "websocket"},
    )
