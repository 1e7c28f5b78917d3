"""The fake's in-memory store: users and tokens, chats, messages, queues, admin config.

All mutation happens under `State.lock` (a re-entrant threading lock), because the
server's event loop and test threads both touch the store. Chat lifecycle methods
publish the matching stream events while still holding the lock, so a stream
connection that snapshots and subscribes under the same lock never misses or
doubles an event. They also publish the watch socket's `{kind, chat}` events to
the owner's watchers (`watch_hub`, keyed by owner id), as coderd publishes them to
the owner's `chat:owner:<id>` channel.
"""

from __future__ import annotations

import itertools
import secrets
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from .hub import Event, Hub
from .views import Views
from .wire import JSONDict, new_uuid, now

MAX_QUEUE = 20
BUSY = ("pending", "running")
SUPPORTED_PROVIDERS = {
    "anthropic": "Anthropic",
    "google": "Google",
    "openai": "OpenAI",
    "openaicompat": "OpenAI Compatible",
    "openrouter": "OpenRouter",
    "vercel": "Vercel AI Gateway",
}


class TurnDriver(Protocol):
    """What the store needs from the assistant: start and stop turns."""

    def start_turn(self, chat_id: str) -> None: ...

    def cancel_turn(self, chat_id: str) -> None: ...

    def defer(self, delay: float, func: Callable[..., object], *args: object) -> None: ...


@dataclass
class User:
    id: str
    username: str
    is_admin: bool
    token: str


@dataclass
class Chat:
    """A chat row; `messages` includes hidden system messages."""

    id: str
    owner_id: str
    last_model_config_id: str
    title: str
    status: str
    created_at: datetime
    updated_at: datetime
    parent_chat_id: str | None = None
    root_chat_id: str | None = None
    workspace_id: str | None = None
    workspace_agent_id: str | None = None
    messages: list[JSONDict] = field(default_factory=list)
    queue: list[JSONDict] = field(default_factory=list)
    parts: list[Event] = field(default_factory=list)  # in-progress turn's message_part events
    diff_status: JSONDict | None = None
    diff_ref: JSONDict | None = None
    # Why the last turn failed: a string (servers just after the seed) or a v2 `ChatError` object.
    last_error: str | JSONDict | None = None
    # v2 generation only (state_v2.py); the experimental one never reads them.
    organization_id: str | None = None
    archived: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    pin_order: int = 0
    client_type: str = "api"
    dynamic_tools: list[JSONDict] = field(default_factory=list)  # unsafe_dynamic_tools as declared
    pending_calls: list[JSONDict] = field(default_factory=list)  # {tool_call_id, tool_name, args}
    tool_rounds: int = 0  # requires_action stops since the last user message
    tool_results: list[JSONDict] | None = None  # submitted results the next step answers
    history_version: int = 0  # bumped by every persisted change
    generation_attempt: int = 0  # bumped by every assistant step
    seq: int = 0  # last part `seq` of the current episode
    ever_edited: bool = False  # every connection then opens with history_reset
    queue_version: int = 0  # bumped by every queue change


def _random_token() -> str:
    alphabet = string.ascii_letters + string.digits
    key_id = "".join(secrets.choice(alphabet) for _ in range(10))
    secret = "".join(secrets.choice(alphabet) for _ in range(22))
    return f"{key_id}-{secret}"


def make_title(text: str) -> str:
    """First 6 words (+ "…" when cut), at most 80 runes; "New Chat" when empty."""
    words = text.split()
    if not words:
        return "New Chat"
    title = " ".join(words[:6]) + ("…" if len(words) > 6 else "")
    return title if len(title) <= 80 else title[:79] + "…"


class State(Views):
    """Everything the fake server knows. Seeded with two users, a provider and a model.

    This class has the experimental generation's semantics; `state_v2.StateV2` overrides what
    the v2 generation does differently (the generation picks the class, in generation.py)."""

    initial_status = "pending"  # a new chat's status
    busy: tuple[str, ...] = BUSY  # statuses in which a send is queued and `wait_idle` waits

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.hub = Hub()
        self.watch_hub = Hub()  # keyed by owner id: each user's watch sockets
        self.driver: TurnDriver | None = None
        self._ids = itertools.count(1)
        self.admin = User(new_uuid(), "admin", True, _random_token())
        self.member = User(new_uuid(), "member", False, _random_token())
        self.users = {u.id: u for u in (self.admin, self.member)}
        self.chats: dict[str, Chat] = {}
        self.providers: dict[str, JSONDict] = {}
        self.model_configs: dict[str, JSONDict] = {}
        self.workspaces: dict[str, JSONDict] = {}
        self.extra_chat_fields: JSONDict = {}
        t = now()
        self.created_at = t
        # The one organization both users belong to (the default one), as every Coder has.
        self.organization: JSONDict = {
            "id": new_uuid(),
            "name": "coder",
            "display_name": "Coder",
            "description": "",
            "icon": "",
            "created_at": t,
            "updated_at": t,
            "is_default": True,
        }
        openai: JSONDict = {
            "id": new_uuid(),
            "provider": "openai",
            "display_name": "OpenAI",
            "enabled": True,
            "api_key": "sk-fake-openai-key",
            "base_url": "",
            "created_at": t,
            "updated_at": t,
        }
        self.providers[openai["id"]] = openai
        config: JSONDict = {
            "id": new_uuid(),
            "provider": "openai",
            "model": "gpt-4o-mini",
            "display_name": "GPT-4o Mini",
            "enabled": True,
            "is_default": True,
            "context_limit": 4096,
            "compression_threshold": 70,
            "model_config": None,
            "created_at": t,
            "updated_at": t,
        }
        self.model_configs[config["id"]] = config

    # --- ids and lookups ------------------------------------------------------

    def next_id(self) -> int:
        """One global int64 counter for messages and queued messages."""
        return next(self._ids)

    def user_by_token(self, token: str) -> User | None:
        return next((u for u in self.users.values() if u.token == token), None)

    def key_id_known(self, key_id: str) -> bool:
        return any(u.token.split("-")[0] == key_id for u in self.users.values())

    def default_model_config(self) -> JSONDict | None:
        return next((c for c in self.model_configs.values() if c["is_default"]), None)

    def owned_chat(self, chat_id: str, user: User) -> Chat | None:
        chat = self.chats.get(chat_id)
        return chat if chat is not None and chat.owner_id == user.id else None

    def ancestors(self, chat: Chat) -> list[str]:
        """Parent, grandparent, ... of a chat (sub-agent statuses go to all of them)."""
        out: list[str] = []
        cur = chat.parent_chat_id
        while cur is not None and cur in self.chats and cur not in out:
            out.append(cur)
            cur = self.chats[cur].parent_chat_id
        return out

    # --- events ---------------------------------------------------------------

    def publish(self, chat: Chat, event: Event) -> None:
        """Send an event to the chat's streams (status events also to ancestors')."""
        targets = [chat.id]
        if event.get("type") == "status":
            targets += self.ancestors(chat)
        self.hub.publish(targets, event)

    def publish_watch(self, chat: Chat, kind: str, *, with_diff: bool = False) -> None:
        """Send `{kind, chat}` to the chat owner's watch sockets (and nobody else's)."""
        event: Event = {"kind": kind, "chat": self.watch_chat_json(chat, with_diff=with_diff)}
        self.watch_hub.publish([chat.owner_id], event)

    # --- chat lifecycle (callers hold the lock) ---------------------------------

    def set_status(self, chat: Chat, status: str) -> None:
        changed = status != chat.status
        chat.status = status
        chat.updated_at = now()
        if status == "pending":
            chat.last_error = None  # a new turn
        if status not in self.busy:
            chat.parts = []
        self.publish(chat, {"type": "status", "chat_id": chat.id, "status": {"status": status}})
        if changed:
            # coderd publishes status_change on its own transitions (send, edit, interrupt, end of
            # a turn) but not on `running`; the fake reports every change, a superset.
            self.publish_watch(chat, "status_change")

    def set_title(self, chat: Chat, title: str) -> None:
        """Retitle a chat (as newer servers' asynchronous title generation does) and publish it."""
        chat.title = title
        chat.updated_at = now()
        self.publish_watch(chat, "title_change")

    def set_diff_status(self, chat: Chat, diff_status: JSONDict | None) -> None:
        """Cache a diff status and publish diff_status_change (with the status, as newer servers do)."""
        chat.diff_status = diff_status
        self.publish_watch(chat, "diff_status_change", with_diff=True)

    def publish_part(self, chat: Chat, part: JSONDict) -> None:
        event: Event = {"type": "message_part", "chat_id": chat.id, "message_part": {"role": "assistant", "part": part}}
        chat.parts.append(event)
        self.publish(chat, event)

    def append_message(self, chat: Chat, role: str, content: list[JSONDict], usage: JSONDict | None = None) -> JSONDict:
        """Persist a message and publish it (system messages are stored silently)."""
        msg = self.persist_message(chat, role, content, usage)
        if role != "system":
            self.publish(chat, {"type": "message", "chat_id": chat.id, "message": self.message_json(msg)})
        return msg

    def persist_message(
        self, chat: Chat, role: str, content: list[JSONDict], usage: JSONDict | None = None
    ) -> JSONDict:
        """Store a message without publishing it."""
        msg: JSONDict = {
            "id": self.next_id(),
            "chat_id": chat.id,
            "role": role,
            "model_config_id": chat.last_model_config_id,
            "created_at": now(),
            "content": content,
            "usage": usage,
        }
        chat.messages.append(msg)
        chat.updated_at = msg["created_at"]
        return msg

    def create_chat(
        self,
        owner: User,
        content: list[JSONDict],
        model_config_id: str,
        *,
        workspace: JSONDict | None = None,
        parent: Chat | None = None,
        title: str | None = None,
        extra: JSONDict | None = None,
    ) -> Chat:
        """Insert a chat with a hidden system prompt and the first user message; `extra` sets
        more `Chat` fields before anything is published."""
        t = now()
        cid = new_uuid()
        text = " ".join(p.get("text", "") for p in content)
        chat = Chat(
            id=cid,
            owner_id=owner.id,
            last_model_config_id=model_config_id,
            title=title or make_title(text),
            status=self.initial_status,
            created_at=t,
            updated_at=t,
            root_chat_id=cid,
        )
        if parent is not None:
            chat.parent_chat_id = parent.id
            chat.root_chat_id = parent.root_chat_id or parent.id
        if workspace is not None:
            chat.workspace_id = workspace["id"]
            chat.workspace_agent_id = workspace["agent_id"]
        for key, value in (extra or {}).items():
            setattr(chat, key, value)
        self.chats[cid] = chat
        self.append_message(chat, "system", [{"type": "text", "text": "You are a fake agent."}])
        if content:
            self.append_message(chat, "user", content)
        chat.updated_at = t
        self.publish_watch(chat, "created")
        self._start(chat)
        return chat

    def _start(self, chat: Chat) -> None:
        if self.driver is not None:
            self.driver.start_turn(chat.id)

    def _stop(self, chat: Chat) -> None:
        if self.driver is not None:
            self.driver.cancel_turn(chat.id)

    def post_message(self, chat: Chat, content: list[JSONDict]) -> JSONDict:
        """Queue the message if the chat is busy, else persist it and start a turn."""
        if chat.status in self.busy:
            if len(chat.queue) >= MAX_QUEUE:
                return {"queue_full": True}
            item = {"id": self.next_id(), "chat_id": chat.id, "content": content, "created_at": now()}
            chat.queue.append(item)
            self.publish(chat, self._queue_event(chat))
            return {"queued": True, "queued_message": self.queued_json(item)}
        msg = self.append_message(chat, "user", content)
        self.set_status(chat, "pending")
        self._start(chat)
        return {"queued": False, "message": self.message_json(msg)}

    def edit_message(self, chat: Chat, msg: JSONDict, content: list[JSONDict]) -> JSONDict:
        """Edit in place, drop later messages and the queue, re-run from there."""
        self._stop(chat)
        msg["content"] = content
        chat.messages = [m for m in chat.messages if m["id"] <= msg["id"]]
        chat.queue = []
        chat.updated_at = now()
        out = self.message_json(msg)
        self.publish(chat, {"type": "message", "chat_id": chat.id, "message": out})
        self.publish(chat, self._queue_event(chat))
        self.set_status(chat, "pending")
        self._start(chat)
        return out

    def interrupt(self, chat: Chat) -> None:
        """Stop the running turn (nothing more is published for it) and wait."""
        self._stop(chat)
        self.set_status(chat, "waiting")

    def delete_chat(self, chat: Chat) -> None:
        """Delete a chat and all its descendants. As the seed's chatd DeleteChat, only the chat
        itself is published as `deleted` to watchers (with its last state), not its descendants."""
        doomed = [c for c in self.chats.values() if chat.id in self.ancestors(c)] + [chat]
        for c in doomed:
            self._stop(c)
            self.chats.pop(c.id, None)
        self.publish_watch(chat, "deleted")

    def delete_queued(self, chat: Chat, queued_id: int) -> None:
        before = len(chat.queue)
        chat.queue = [q for q in chat.queue if q["id"] != queued_id]
        if len(chat.queue) != before:
            self.publish(chat, self._queue_event(chat))

    def promote_queued(self, chat: Chat, queued_id: int) -> JSONDict | None:
        """Send a queued message now: it leaves the queue and starts a fresh turn."""
        item = next((q for q in chat.queue if q["id"] == queued_id), None)
        if item is None:
            return None
        self._stop(chat)
        chat.queue.remove(item)
        self.publish(chat, self._queue_event(chat))
        msg = self.append_message(chat, "user", item["content"])
        self.set_status(chat, "pending")
        self._start(chat)
        return self.message_json(msg)

    def pop_queue(self, chat: Chat) -> bool:
        """After a turn: move the queue head into the chat and start the next turn."""
        if not chat.queue:
            return False
        item = chat.queue.pop(0)
        self.publish(chat, self._queue_event(chat))
        self.append_message(chat, "user", item["content"])
        self.set_status(chat, "pending")
        self._start(chat)
        return True

    # --- the assistant's turn (called by assistant.Runner with the lock held) -----

    def begin_turn(self, chat: Chat) -> None:
        """A turn starts producing parts."""
        chat.parts = []
        self.set_status(chat, "running")

    def finish_turn(self, chat: Chat, messages: list[tuple[str, list[JSONDict], JSONDict | None]]) -> None:
        """Persist the turn's (role, content, usage) messages, rest, and run the queue head."""
        for role, content, usage in messages:
            self.append_message(chat, role, content, usage)
        self.set_status(chat, "waiting")
        self.pop_queue(chat)

    def fail_turn(self, chat: Chat, message: str) -> None:
        """The turn failed: an `error` event, then status `error`."""
        self.publish(chat, {"type": "error", "chat_id": chat.id, "error": {"message": message}})
        chat.last_error = message
        self.set_status(chat, "error")

    def require_action(
        self, chat: Chat, messages: list[tuple[str, list[JSONDict], JSONDict | None]], calls: list[JSONDict]
    ) -> None:
        """Dynamic tools exist only on the v2 generation (`StateV2`)."""
        raise RuntimeError("fakecoder: dynamic tools need the v2 generation")
