"""The experimental generation's wire shapes: `Chat`, messages, the queue, the stream's connect
snapshot. `Views` is a mixin of `state.State`; `views_v2.V2Views` overrides it for v2."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .hub import Event
from .wire import NIL_UUID, JSONDict, fmt_time

if TYPE_CHECKING:
    from .state import Chat


class Views:
    """JSON views of the store (mixed into `State`)."""

    extra_chat_fields: JSONDict

    def chat_json(self, chat: Chat, *, with_diff: bool = False) -> JSONDict:
        """A `Chat` in Go field order; optional pointers omitted when nil."""
        out: JSONDict = {"id": chat.id, "owner_id": chat.owner_id}
        for key in ("workspace_id", "workspace_agent_id", "parent_chat_id", "root_chat_id"):
            if getattr(chat, key) is not None:
                out[key] = getattr(chat, key)
        out.update(last_model_config_id=chat.last_model_config_id, title=chat.title, status=chat.status)
        if with_diff:
            out["diff_status"] = self.diff_status_json(chat)
        out.update(created_at=fmt_time(chat.created_at), updated_at=fmt_time(chat.updated_at))
        if chat.last_error is not None:
            out["last_error"] = chat.last_error
        out.update(self.extra_chat_fields)
        return out

    def watch_chat_json(self, chat: Chat, *, with_diff: bool = False) -> JSONDict:
        """The `chat` of a watch event, as coderd's publishChatPubsubEvent builds it from the row:
        no workspace_agent_id, the zero UUID as last_model_config_id (the field is not set there),
        root_chat_id always, and a diff status only when asked (newer servers' diff_status_change)."""
        out: JSONDict = {"id": chat.id, "owner_id": chat.owner_id}
        for key in ("workspace_id", "parent_chat_id"):
            if getattr(chat, key) is not None:
                out[key] = getattr(chat, key)
        out["root_chat_id"] = chat.root_chat_id or chat.id
        out.update(last_model_config_id=NIL_UUID, title=chat.title, status=chat.status)
        if with_diff:
            out["diff_status"] = self.diff_status_json(chat)
        out.update(created_at=fmt_time(chat.created_at), updated_at=fmt_time(chat.updated_at))
        out.update(self.extra_chat_fields)
        return out

    @staticmethod
    def diff_status_json(chat: Chat) -> JSONDict:
        base: JSONDict = {
            "chat_id": chat.id,
            "changes_requested": False,
            "additions": 0,
            "deletions": 0,
            "changed_files": 0,
        }
        if chat.diff_status is not None:
            base.update({k: v for k, v in chat.diff_status.items() if v is not None})
        return base

    def message_json(self, msg: JSONDict) -> JSONDict:
        out: JSONDict = {"id": msg["id"], "chat_id": msg["chat_id"]}
        if msg.get("model_config_id"):
            out["model_config_id"] = msg["model_config_id"]
        out.update(created_at=fmt_time(msg["created_at"]), role=msg["role"])
        if msg["content"]:
            out["content"] = [dict(p) for p in msg["content"]]
        if msg.get("usage"):
            out["usage"] = dict(msg["usage"])
        return out

    def queued_json(self, item: JSONDict) -> JSONDict:
        return {
            "id": item["id"],
            "chat_id": item["chat_id"],
            "content": [dict(p) for p in item["content"]],
            "created_at": fmt_time(item["created_at"]),
        }

    def visible_messages(self, chat: Chat, after_id: int | None = None) -> list[JSONDict]:
        """Persisted messages as JSON, id order, system messages hidden."""
        return [
            self.message_json(m)
            for m in chat.messages
            if m["role"] != "system" and (after_id is None or m["id"] > after_id)
        ]

    def _queue_event(self, chat: Chat) -> Event:
        event: Event = {"type": "queue_update", "chat_id": chat.id}
        if chat.queue:  # Go's `omitempty`: an empty queue is sent without the key
            event["queued_messages"] = [self.queued_json(q) for q in chat.queue]
        return event

    def snapshot(self, chat: Chat, after_id: int | None) -> list[Event]:
        """Connect-time events in upstream order: status, parts, messages, queue."""
        events: list[Event] = [{"type": "status", "chat_id": chat.id, "status": {"status": chat.status}}]
        events += chat.parts
        events += [{"type": "message", "chat_id": chat.id, "message": m} for m in self.visible_messages(chat, after_id)]
        if chat.queue:
            events.append(self._queue_event(chat))
        return events
