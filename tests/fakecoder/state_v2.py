"""The v2 generation's state machine (API-v2.md §2.1, §3): what `/api/v2/chats` does differently.

A new chat starts `running`; it rests in `waiting`, `error` or `requires_action` (dynamic tools);
`interrupting` winds a turn down. When a turn ends with a queue, the head is promoted and the chat
stays `running`. Every persisted change bumps the chat's `history_version`, every assistant step
its `generation_attempt`; both publish `preview_reset`, and part `seq` restarts at 1 (§4.7). Each
change publishes its events in the stream loop's order: messages (or `history_reset` and the whole
history after an edit), `queue_update`, `status`, `error`, `action_required`, `preview_reset`
(§4.5-4.6). Callers hold the lock. Errors are raised as `APIError` with the reference's wording.
"""

from __future__ import annotations

from datetime import datetime

from .state import MAX_QUEUE, Chat, State, User
from .views_v2 import V2Views, part_json, state_code
from .wire import QUEUE_FULL, APIError, JSONDict, new_uuid, now

INTERRUPT_WIND_DOWN = 0.02  # seconds between `interrupting` and the turn's end
CANCELLED = "Tool execution interrupted by user message"


class StateV2(V2Views, State):
    """The store with the v2 generation's semantics and shapes."""

    initial_status = "running"
    busy = ("running", "interrupting")

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, JSONDict] = {}

    # --- publishing in the stream loop's order ----------------------------------

    def set_status(self, chat: Chat, status: str) -> None:
        """A status event only when it changed (the loop compares with what it sent)."""
        if status == chat.status:
            return
        chat.status = status
        chat.updated_at = now()
        self.publish(chat, self.event(chat, "status", status={"status": status}))
        self.publish_watch(chat, "status_change")

    def _preview_reset(self, chat: Chat) -> None:
        chat.parts = []
        chat.seq = 0
        self.publish(chat, self.event(chat, "preview_reset"))

    def _queue_changed(self, chat: Chat) -> None:
        chat.queue_version += 1
        self.publish(chat, self._queue_event(chat))

    def persist_message(
        self, chat: Chat, role: str, content: list[JSONDict], usage: JSONDict | None = None
    ) -> JSONDict:
        msg = super().persist_message(chat, role, content, usage)
        if role == "user":
            msg["created_by"] = chat.owner_id
            chat.tool_rounds = 0
        chat.history_version += 1
        return msg

    def publish_part(self, chat: Chat, part: JSONDict) -> None:
        chat.seq += 1
        stream_part = {
            "role": "assistant",
            "part": part_json(part),
            "history_version": chat.history_version,
            "generation_attempt": chat.generation_attempt,
            "seq": chat.seq,
        }
        event = self.event(chat, "message_part", message_part=stream_part)
        chat.parts.append(event)
        self.publish(chat, event)

    def _action_required(self, chat: Chat) -> None:
        calls = [dict(c) for c in chat.pending_calls]
        self.publish(chat, self.event(chat, "action_required", action_required={"tool_calls": calls}))
        watch = {"kind": "action_required", "chat": self.watch_chat_json(chat), "tool_calls": calls}
        self.watch_hub.publish([chat.owner_id], watch)

    # --- the assistant's steps ----------------------------------------------------

    def begin_turn(self, chat: Chat) -> None:
        """A new generation attempt: a new episode."""
        chat.generation_attempt += 1
        self.set_status(chat, "running")
        self._preview_reset(chat)

    def finish_turn(self, chat: Chat, messages: list[tuple[str, list[JSONDict], JSONDict | None]]) -> None:
        """Persist the step's messages; then the queue head runs (the chat stays `running`) or it rests."""
        for role, content, usage in messages:
            self.append_message(chat, role, content, usage)
        self._next_or_rest(chat)

    def _next_or_rest(self, chat: Chat) -> None:
        if chat.queue:
            item = chat.queue.pop(0)
            # The promoted prompt is persisted before the queue_update that drops it (§4.6).
            self.append_message(chat, "user", item["content"])
            self._queue_changed(chat)
            self.set_status(chat, "running")
            self._preview_reset(chat)
            self._start(chat)
            return
        self.set_status(chat, "waiting")
        self._preview_reset(chat)

    def fail_turn(self, chat: Chat, message: str) -> None:
        """The step failed: status `error`, then the `ChatError` (the queue is kept)."""
        chat.last_error = {"message": message, "kind": "generic", "retryable": False}
        self.set_status(chat, "error")
        self.publish(chat, self.event(chat, "error", error=dict(chat.last_error)))
        self._preview_reset(chat)

    def require_action(
        self, chat: Chat, messages: list[tuple[str, list[JSONDict], JSONDict | None]], calls: list[JSONDict]
    ) -> None:
        """The step called dynamic tools: persist it and wait in `requires_action`."""
        for role, content, usage in messages:
            self.append_message(chat, role, content, usage)
        chat.pending_calls = calls
        chat.tool_rounds += 1
        self.set_status(chat, "requires_action")
        self._action_required(chat)
        self._preview_reset(chat)

    def submit_tool_results(self, chat: Chat, results: list[JSONDict]) -> None:
        """POST /tool-results (§3.10): the checks in the reference's order, then the results become
        one `tool` message and the chat runs on."""
        if chat.status != "requires_action":
            detail = f'chat status is "{chat.status}", expected "requires_action"'
            raise APIError(409, "Chat is not waiting for tool results.", detail)
        seen: set[str] = set()
        for result in results:
            call_id = result["tool_call_id"]
            if call_id in seen:
                raise APIError(400, "Duplicate tool_call_id in results.", f'Duplicate tool call ID "{call_id}".')
            seen.add(call_id)
        for result in results:
            if "output" not in result:
                detail = f'Output for tool call "{result["tool_call_id"]}" is not valid JSON.'
                raise APIError(400, "Tool result output must be valid JSON.", detail)
        pending = {c["tool_call_id"]: c for c in chat.pending_calls}
        for call_id in pending:
            if call_id not in seen:
                raise APIError(400, "Missing tool result.", f'Missing result for tool call "{call_id}".')
        for call_id in seen:
            if call_id not in pending:
                raise APIError(400, "Unexpected tool result.", f'No pending tool call with ID "{call_id}".')
        by_id = {r["tool_call_id"]: r for r in results}
        answered = [{**by_id[c["tool_call_id"]], "tool_name": c["tool_name"]} for c in chat.pending_calls]
        self._close_calls(chat, answered)
        chat.tool_results = answered
        self._start(chat)

    def _close_calls(self, chat: Chat, results: list[JSONDict]) -> None:
        """Persist results for the pending calls as one tool message; `requires_action` -> `running`."""
        parts: list[JSONDict] = []
        for r in results:
            part: JSONDict = {
                "type": "tool-result",
                "tool_call_id": r["tool_call_id"],
                "tool_name": r["tool_name"],
                "result": r["output"],
            }
            if r.get("is_error"):
                part["is_error"] = True
            parts.append(part)
        chat.pending_calls = []
        self.append_message(chat, "tool", parts)
        self.set_status(chat, "running")
        self._preview_reset(chat)

    def _cancel_calls(self, chat: Chat) -> None:
        """Synthetic error results for every pending call (a send, promote or interrupt overrode them)."""
        self._close_calls(
            chat,
            [{**c, "output": {"error": CANCELLED}, "is_error": True} for c in chat.pending_calls],
        )

    # --- REST operations ------------------------------------------------------------

    def create_v2_chat(self, owner: User, content: list[JSONDict], model_id: str, fields: JSONDict) -> Chat:
        """POST /chats after its checks: `fields` are the v2 `Chat` fields (organization, labels, tools, ...)."""
        title = fields.pop("title", None)
        workspace = fields.pop("workspace", None)
        return self.create_chat(owner, content, model_id, workspace=workspace, title=title, extra=fields)

    def post_message(self, chat: Chat, content: list[JSONDict], busy_behavior: str = "queue") -> JSONDict:
        """POST /messages (§3.6), by state: run now, or queue (and maybe interrupt)."""
        if chat.status == "waiting" or (chat.status == "error" and not chat.queue):
            msg = self.append_message(chat, "user", content)
            chat.last_error = None
            self.set_status(chat, "running")
            self._preview_reset(chat)
            self._start(chat)
            out = self.message_json(msg)
            return {"message": out, "messages": [out], "queued": False}
        if len(chat.queue) >= MAX_QUEUE:
            raise APIError.with_body(429, QUEUE_FULL)
        item: JSONDict = {
            "id": self.next_id(),
            "chat_id": chat.id,
            "model_config_id": chat.last_model_config_id,
            "content": content,
            "created_at": now(),
        }
        chat.queue.append(item)
        if chat.status == "error":  # E1: the previous head runs, the new one waits at the tail
            head = chat.queue.pop(0)
            msg = self.append_message(chat, "user", head["content"])
            chat.last_error = None
            self._queue_changed(chat)
            self.set_status(chat, "running")
            self._preview_reset(chat)
            self._start(chat)
            return {"messages": [self.message_json(msg)], "queued_message": self.queued_json(item), "queued": True}
        self._queue_changed(chat)
        if busy_behavior == "interrupt":
            if chat.status == "running":
                self._begin_interrupt(chat)
            elif chat.status == "requires_action":
                self._cancel_calls(chat)
                self._start(chat)
        return {"queued_message": self.queued_json(item), "queued": True}

    def edit_message(self, chat: Chat, msg: JSONDict, content: list[JSONDict]) -> JSONDict:
        """PATCH /messages/{m} (§3.7): drop it and everything after, empty the queue, persist the
        replacement with a new id, publish history_reset and the whole new history, run."""
        self._stop(chat)
        deleted = [m["id"] for m in self.visible_messages(chat) if m["id"] >= msg["id"]]
        chat.messages = [m for m in chat.messages if m["id"] < msg["id"]]
        chat.ever_edited = True
        chat.pending_calls = []
        chat.last_error = None
        new = self.message_json(self.persist_message(chat, "user", content))
        self.publish(chat, self.event(chat, "history_reset"))
        for m in self.visible_messages(chat):
            self.publish(chat, self.event(chat, "message", message=m))
        if chat.queue:
            chat.queue = []
            self._queue_changed(chat)
        self.set_status(chat, "running")
        self._preview_reset(chat)
        self._start(chat)
        return {"message": new, "messages": [new], "deleted_message_ids": deleted}

    def interrupt(self, chat: Chat) -> None:
        """POST /interrupt (§3.8): running -> interrupting (then rest, or the queue head runs);
        requires_action -> running (pending calls cancelled); otherwise 409."""
        if chat.status == "running":
            self._begin_interrupt(chat)
        elif chat.status == "requires_action":
            self._cancel_calls(chat)
            self._start(chat)
        else:
            detail = f"chat state transition Interrupt not allowed from state {state_code(chat)}"
            raise APIError(409, "Chat is not in an interruptible state.", detail)

    def _begin_interrupt(self, chat: Chat) -> None:
        self._stop(chat)
        partial = "".join(
            e["message_part"]["part"].get("text", "") for e in chat.parts if e["message_part"]["part"]["type"] == "text"
        )
        self.set_status(chat, "interrupting")
        if self.driver is not None:
            self.driver.defer(INTERRUPT_WIND_DOWN, self._finish_interrupt, chat.id, partial)

    def _finish_interrupt(self, chat_id: str, partial: str) -> None:
        """The worker drained the interrupted step: its partial text is persisted, then the queue."""
        chat = self.chats.get(chat_id)
        if chat is None or chat.status != "interrupting":
            return
        if partial:
            self.append_message(chat, "assistant", [{"type": "text", "text": partial}])
        self._next_or_rest(chat)

    def delete_queued(self, chat: Chat, queued_id: int) -> None:
        if not chat.queue:
            detail = f"chat state transition DeleteQueuedMessage not allowed from state {state_code(chat)}"
            raise APIError(409, "Chat has no queued messages to delete.", detail)
        item = next((q for q in chat.queue if q["id"] == queued_id), None)
        if item is None:
            raise APIError(404, "Queued message not found.")
        chat.queue.remove(item)
        self._queue_changed(chat)

    def promote_queued(self, chat: Chat, queued_id: int) -> JSONDict | None:
        """POST /promote (§3.9): from error/requires_action it runs now; while busy it moves to the
        head and the step is interrupted so the worker promotes it. Returns the 202 body."""
        if not chat.queue:
            detail = f"chat state transition PromoteQueuedMessage not allowed from state {state_code(chat)}"
            raise APIError(409, "Chat has no queued messages to promote.", detail)
        item = next((q for q in chat.queue if q["id"] == queued_id), None)
        if item is None:
            raise APIError(404, "Queued message not found.")
        chat.queue.remove(item)
        chat.queue.insert(0, item)
        if chat.status in ("running", "interrupting"):
            self._queue_changed(chat)
            if chat.status == "running":
                self._begin_interrupt(chat)
        else:
            if chat.status == "requires_action":
                self._cancel_calls(chat)
            chat.last_error = None
            self._next_or_rest(chat)
        return {"message": "Queued message promotion accepted."}

    def update_chat(self, chat: Chat, body: JSONDict) -> None:
        """PATCH /chats/{chat} (§3.4): title, labels, archived, pin_order, each applied in turn."""
        if "title" in body:
            title = body["title"].strip()
            if not title:
                raise APIError(400, "Title cannot be empty.")
            if len(title) > 200:
                raise APIError(400, "Title must be at most 200 characters.")
            if title != chat.title:
                self.set_title(chat, title)
        if "labels" in body:
            chat.labels = dict(body["labels"])
            chat.updated_at = now()
        if "archived" in body:
            self._set_archived(chat, bool(body["archived"]))
        if "pin_order" in body:
            pin = int(body["pin_order"])
            if pin < 0:
                raise APIError(400, "Pin order must be non-negative.")
            if pin > 0 and chat.archived:
                raise APIError(400, "Cannot pin an archived chat.")
            if pin > 0 and chat.parent_chat_id is not None:
                raise APIError(400, "Cannot pin a child chat.")
            chat.pin_order = pin

    def _set_archived(self, chat: Chat, archived: bool) -> None:
        if chat.parent_chat_id is not None:
            raise APIError(400, "Chat archive state can only be changed on the root chat.")
        if chat.archived == archived:
            raise APIError(400, "Chat is already archived." if archived else "Chat is already not archived.")
        if chat.status not in ("waiting", "error"):
            raise APIError(
                409,
                "Cannot archive an active chat. Interrupt or wait for the chat to finish first.",
                f"chat state transition SetArchived not allowed from state {state_code(chat)}",
            )
        family = [chat] + [c for c in self.chats.values() if chat.id in self.ancestors(c)]
        for member in family:
            member.archived = archived
            member.updated_at = now()
        # Which watch kind an archive produces is not settled (API-v2.md §8): the fake says status_change.
        self.publish_watch(chat, "status_change")

    def add_file(self, owner: User, name: str, mime_type: str, data: bytes) -> str:
        """Store an uploaded chat file; returns its id."""
        file_id = new_uuid()
        created: datetime = now()
        self.files[file_id] = {
            "id": file_id,
            "owner_id": owner.id,
            "name": name,
            "mime_type": mime_type,
            "data": data,
            "created_at": created,
        }
        return file_id

    def cost_json(self, chat: Chat) -> JSONDict:
        """A deterministic `ChatCost` for the chat's tree: 1,000 micro-dollars per assistant message."""
        root = chat.root_chat_id or chat.id
        tree = [c for c in self.chats.values() if (c.root_chat_id or c.id) == root]
        requests = sum(1 for c in tree for m in c.messages if m["role"] == "assistant")
        return {
            "chat_id": chat.id,
            "total_cost_micros": 1000 * requests,
            "request_count": requests,
            "unpriced_request_count": 0,
        }
