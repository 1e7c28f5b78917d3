"""The v2 generation's wire shapes (API-v2.md §2): `Chat`, `ChatMessage`, parts, the queue, the
connect sync of the stream, and the organization-scoped views (organizations, chat models).

`V2Views` is a mixin of `state_v2.StateV2`: it reads the store the experimental `State` keeps and
overrides the experimental JSON views, so one store serves both generations' shapes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .hub import Event
from .wire import NIL_UUID, JSONDict, fmt_time

if TYPE_CHECKING:
    from .state import Chat, State

    _Base = State
else:
    _Base = object

# Fields of Go's `ChatMessagePart` without `omitempty`: on the wire on every part, whatever its type
# (the three uuid.NullUUID fields are structs, which `omitempty` never drops: they show as null).
PART_DEFAULTS: JSONDict = {
    "text": "",
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


def part_json(part: JSONDict) -> JSONDict:
    """A part as v2 encodes it: its own fields plus every field Go always writes."""
    out: JSONDict = {"type": part["type"]}
    out.update(part)
    for key, value in PART_DEFAULTS.items():
        out.setdefault(key, value)
    return out


def state_code(chat: Chat) -> str:
    """The chatstate name of a chat's state (W, R0, I1, A0, E1, XW, ...), for 409 details."""
    queued = "1" if chat.queue else "0"
    if chat.archived:
        return "XW" if chat.status == "waiting" else f"XE{queued}"
    letter = {"running": "R", "interrupting": "I", "requires_action": "A", "error": "E"}.get(chat.status)
    return "W" if letter is None else letter + queued


class V2Views(_Base):
    """JSON views of the v2 generation (mixed into `StateV2`)."""

    def chat_json(self, chat: Chat, *, with_diff: bool = False, children: bool = True) -> JSONDict:
        """A v2 `Chat` in Go field order. `with_diff`: always a diff status (list rows); else only a
        cached one (GET). Root chats embed their children (depth 1)."""
        owner = self.users[chat.owner_id]
        out: JSONDict = {
            "id": chat.id,
            "organization_id": chat.organization_id or self.organization["id"],
            "owner_id": chat.owner_id,
            "owner_username": owner.username,
        }
        if chat.workspace_id is not None:
            out["workspace_id"] = chat.workspace_id
        if chat.workspace_agent_id is not None:
            out["agent_id"] = chat.workspace_agent_id
        if chat.parent_chat_id is not None:
            out["parent_chat_id"] = chat.parent_chat_id
        out["root_chat_id"] = chat.root_chat_id or chat.id
        out.update(last_model_config_id=chat.last_model_config_id, title=chat.title, status=chat.status)
        if isinstance(chat.last_error, dict):
            out["last_error"] = dict(chat.last_error)
        out.update(last_turn_summary=None, summary=None)
        if with_diff or chat.diff_status is not None:
            out["diff_status"] = self.diff_status_json(chat)
        out.update(
            created_at=fmt_time(chat.created_at),
            updated_at=fmt_time(chat.updated_at),
            archived=chat.archived,
            shared=False,
            pin_order=chat.pin_order,
            mcp_server_ids=[],
            labels=dict(chat.labels),
            has_unread=False,
            client_type=chat.client_type,
        )
        kids = [c for c in self.chats.values() if c.parent_chat_id == chat.id] if children else []
        out["children"] = [self.chat_json(c, with_diff=with_diff, children=False) for c in kids]
        out.update(self.extra_chat_fields)
        return out

    def watch_chat_json(self, chat: Chat, *, with_diff: bool = False) -> JSONDict:
        """The `chat` of a watch event: db2sdk.Chat (no files), a diff status on diff events."""
        return self.chat_json(chat, with_diff=with_diff)

    def message_json(self, msg: JSONDict) -> JSONDict:
        out: JSONDict = {"id": msg["id"], "chat_id": msg["chat_id"]}
        if msg.get("created_by"):
            out["created_by"] = msg["created_by"]
        if msg.get("model_config_id"):
            out["model_config_id"] = msg["model_config_id"]
        out.update(created_at=fmt_time(msg["created_at"]), role=msg["role"])
        if msg["content"]:
            out["content"] = [part_json(p) for p in msg["content"]]
        if msg.get("usage"):
            out["usage"] = dict(msg["usage"])
        return out

    def queued_json(self, item: JSONDict) -> JSONDict:
        out: JSONDict = {"id": item["id"], "chat_id": item["chat_id"]}
        if item.get("model_config_id"):
            out["model_config_id"] = item["model_config_id"]
        out.update(content=[part_json(p) for p in item["content"]], created_at=fmt_time(item["created_at"]))
        return out

    def event(self, chat: Chat, kind: str, **payload: Any) -> Event:
        """A stream event of `kind` for `chat`."""
        return {"type": kind, "chat_id": chat.id, **payload}

    def snapshot(self, chat: Chat, after_id: int | None) -> list[Event]:
        """The connect sync (§4.5): messages (history_reset and all of them once the chat was
        edited), queue, status, error, action_required, preview_reset, the episode's parts."""
        visible = self.visible_messages(chat)
        events: list[Event] = []
        if visible and chat.ever_edited:
            events.append(self.event(chat, "history_reset"))
        events += [
            self.event(chat, "message", message=m)
            for m in visible
            if chat.ever_edited or after_id is None or m["id"] > after_id
        ]
        if chat.queue_version:
            events.append(self._queue_event(chat))
        events.append(self.event(chat, "status", status={"status": chat.status}))
        if chat.status == "error" and isinstance(chat.last_error, dict):
            events.append(self.event(chat, "error", error=dict(chat.last_error)))
        if chat.status == "requires_action":
            events.append(self.event(chat, "action_required", action_required={"tool_calls": chat.pending_calls}))
        if visible or chat.generation_attempt:
            events.append(self.event(chat, "preview_reset"))
        return events + chat.parts

    def messages_page(
        self, chat: Chat, before_id: int, after_id: int, limit: int
    ) -> tuple[list[JSONDict], bool, list[JSONDict]]:
        """GET /messages (§3.5): (page, has_more, queue). Newest first unless only `after_id` is set;
        the queue only without a cursor."""
        rows = [m for m in self.visible_messages(chat) if m["id"] > after_id and (not before_id or m["id"] < before_id)]
        if not (after_id and not before_id):
            rows.reverse()
        queue = [self.queued_json(q) for q in chat.queue] if not (before_id or after_id) else []
        return rows[:limit], len(rows) > limit, queue

    def chat_model_json(self, row: JSONDict) -> JSONDict:
        """An org-scoped `ChatModel` for a model config row (its provider row is the AI provider)."""
        provider = next((p for p in self.providers.values() if p["provider"] == row["provider"]), None)
        out: JSONDict = {
            "id": row["id"],
            "organization_id": self.organization["id"],
            "ai_provider_id": provider["id"] if provider else NIL_UUID,
        }
        for key in ("model", "display_name", "enabled", "is_default", "context_limit", "compression_threshold"):
            out[key] = row[key]
        if row.get("model_config") is not None:
            out["model_config"] = row["model_config"]
        out.update(created_at=fmt_time(row["created_at"]), updated_at=fmt_time(row["updated_at"]))
        return out

    def provider_descriptor(self, row: JSONDict) -> JSONDict:
        """A `ChatModelProviderDescriptor` (redacted: no key)."""
        has_key = bool(row["api_key"])
        out: JSONDict = {
            "id": row["id"],
            "type": row["provider"],
            "display_name": row["display_name"],
            "icon": "",
            "enabled": row["enabled"],
            "has_api_key": has_key,
            "has_user_api_key": False,
            "has_effective_api_key": has_key,
            "allow_user_api_key": False,
            "available": bool(row["enabled"] and has_key),
        }
        if not out["available"]:
            out["unavailable_reason"] = "missing_api_key"
        return out
