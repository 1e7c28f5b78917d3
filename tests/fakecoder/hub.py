"""Per-chat event hub: fans stream events out to the websocket connections of a chat.

Publishing may happen on the server's event loop (handlers, assistant turns) or on
a test thread (state helpers). Every delivery goes through the loop's ready queue,
so each subscriber sees events in exactly the order they were published.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from dataclasses import dataclass, field
from typing import Any

Event = dict[str, Any]


@dataclass(eq=False)
class Subscriber:
    """One stream connection's inbox."""

    chat_id: str
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Event] = field(default_factory=asyncio.Queue)


class Hub:
    """Subscribers by chat id. Callers hold the state lock while publishing."""

    def __init__(self) -> None:
        self._subs: dict[str, set[Subscriber]] = {}
        self._lock = threading.Lock()

    def subscribe(self, chat_id: str, loop: asyncio.AbstractEventLoop) -> Subscriber:
        """Register a connection for `chat_id`; call from the loop thread."""
        sub = Subscriber(chat_id, loop)
        with self._lock:
            self._subs.setdefault(chat_id, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        with self._lock:
            subs = self._subs.get(sub.chat_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[sub.chat_id]

    def subscriber_count(self, chat_id: str | None = None) -> int:
        """Open connections for one chat, or for all chats."""
        with self._lock:
            if chat_id is not None:
                return len(self._subs.get(chat_id, ()))
            return sum(len(s) for s in self._subs.values())

    def publish(self, chat_ids: list[str], event: Event) -> None:
        """Deliver `event` to every subscriber of any of `chat_ids`."""
        with self._lock:
            targets = [s for cid in chat_ids for s in self._subs.get(cid, ())]
        for sub in targets:
            # call_soon_threadsafe from any thread keeps one FIFO order per loop; a
            # RuntimeError means the loop is closed (shutdown), so nobody is listening.
            with contextlib.suppress(RuntimeError):
                sub.loop.call_soon_threadsafe(sub.queue.put_nowait, event)
