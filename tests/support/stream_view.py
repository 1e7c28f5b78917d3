"""What a stream consumer saw, in comparable form, for the integration tests of ``stream_chat``."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coder_chat.client.models import ChatStreamEvent

TLS_DIR = Path(__file__).parent / "tls"
"""A test-only CA (``ca.pem``) and a server certificate for 127.0.0.1/localhost signed by it
(``server.pem``, ``server.key``), valid until 2126. The CA's key was discarded."""


def _strip(value: Any) -> Any:
    """Drop what differs between two servers that behaved the same: random ids and timestamps."""
    if isinstance(value, dict):
        return {
            k: _strip(v)
            for k, v in value.items()
            if k not in ("chat_id", "created_at", "created_by", "model_config_id")
        }
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


@dataclass
class View:
    """Everything the consumer got, plus convenient projections of it."""

    events: list[dict[str, Any]] = field(default_factory=list)

    def add(self, event: ChatStreamEvent) -> None:
        self.events.append(event.to_dict())

    @property
    def normalized(self) -> list[Any]:
        return [_strip(e) for e in self.events]

    @property
    def statuses(self) -> list[str]:
        return [e["status"]["status"] for e in self.events if e["type"] == "status"]

    def parts(self, kind: str) -> list[dict[str, Any]]:
        return [
            e["message_part"]["part"]
            for e in self.events
            if e["type"] == "message_part" and e["message_part"]["part"]["type"] == kind
        ]

    @property
    def text(self) -> str:
        return "".join(p["text"] for p in self.parts("text"))

    @property
    def messages(self) -> list[dict[str, Any]]:
        return [e["message"] for e in self.events if e["type"] == "message"]

    @property
    def message_ids(self) -> list[int]:
        return [m["id"] for m in self.messages]


def collect(
    events: Iterable[ChatStreamEvent],
    *,
    until: Callable[[ChatStreamEvent], bool] | None = None,
    timeout: float = 10.0,
    view: View | None = None,
) -> View:
    """Iterate until ``until(event)`` holds (inclusive), the stream ends, or ``timeout`` passes."""
    view = view if view is not None else View()
    deadline = time.monotonic() + timeout
    for event in events:
        view.add(event)
        if until is not None and until(event):
            return view
        assert time.monotonic() < deadline, f"no end after {timeout} s; last events: {view.events[-3:]}"
    return view


def status_is(value: str) -> Callable[[ChatStreamEvent], bool]:
    """A predicate for ``collect``: a status event of the watched chat with this status."""

    def check(event: ChatStreamEvent) -> bool:
        return str(event.type_) == "status" and getattr(event.status, "status", None) == value

    return check


def call_later(delay: float, action: Callable[[], object]) -> threading.Timer:
    """Run ``action`` on a timer thread after ``delay`` seconds (the caller joins it)."""
    timer = threading.Timer(delay, action)
    timer.daemon = True
    timer.start()
    return timer
