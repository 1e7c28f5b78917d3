"""Servers that order events otherwise than ``tests/fakecoder`` (issue 20's two defects):

* a prompt queued behind a running turn is recognised when it is promoted, also when the server
  persists its user message *before* the ``queue_update`` that removes it from the queue (v2's sync
  order: messages, then queue, then status);
* after a reconnection the watch yields its resync differences as soon as the listing is done, also
  from a server that sends nothing on a quiet socket (no ping: v2, and the newer experimental servers).

Sync and async, over real loopback sockets: a scripted Coder (REST and the chat stream on one port,
``tests/support/ws_script.py``) and the fake without pings.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.models import ChatStatus
from coder_chat.streaming import TurnResult, aask, ask, watch_chats
from tests.fakecoder import FakeCoder, Script
from tests.support.async_bridge import blocking_awatch_chats
from tests.support.ws_script import RawConnection, WSScriptServer

pytestmark = pytest.mark.timeout(30)

TOKEN = "abcdefghij-0123456789abcdefghijkl"
CHAT_ID = "5a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b"
OWNER = "0f0e0d0c-0b0a-4908-8706-050403020100"
MODEL = "11111111-2222-4333-8444-555555555555"
TIME = "2026-02-01T10:00:00Z"
CHAT_PATH = f"/api/experimental/chats/{CHAT_ID}"
PROMPT = "and now the tests"


def text(value: str) -> list[dict[str, Any]]:
    return [{"type": "text", "text": value}]


def message(message_id: int, role: str, value: str) -> dict[str, Any]:
    return {"id": message_id, "chat_id": CHAT_ID, "created_at": TIME, "role": role, "content": text(value)}


def queued(queued_id: int, value: str) -> dict[str, Any]:
    return {"id": queued_id, "chat_id": CHAT_ID, "content": text(value), "created_at": TIME}


def chat(status: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    fields = {"id": CHAT_ID, "owner_id": OWNER, "last_model_config_id": MODEL, "title": "t", "status": status}
    return {"chat": {**fields, "created_at": TIME, "updated_at": TIME}, "messages": messages, "queued_messages": []}


def event(kind: str, **payload: Any) -> dict[str, Any]:
    return {"type": kind, "chat_id": CHAT_ID, **payload}


class MessageFirstCoder:
    """A chat whose turn is running when a prompt arrives: the prompt is queued (id 7), then promoted
    with its user message (id 3) persisted *before* the queue_update that empties the queue."""

    def __init__(self) -> None:
        self.posted = threading.Event()
        self.server = WSScriptServer(self.handle)
        self.bodies: list[Any] = []

    def handle(self, conn: RawConnection) -> None:
        request = conn.request
        if request.path == f"{CHAT_PATH}/stream":
            conn.accept()
            conn.send_events(event("status", status={"status": "running"}))  # the snapshot
            self.posted.wait(5)
            conn.send_events(event("queue_update", queued_messages=[queued(7, PROMPT)]))
            conn.send_events(event("message_part", message_part={"role": "assistant", "part": text("ok")[0]}))
            conn.send_events(event("message", message=message(2, "assistant", "ok")))
            conn.send_events(event("status", status={"status": "waiting"}))
            # The promotion, message first (each event in its own frame, as a server may publish them).
            conn.send_events(event("message", message=message(3, "user", PROMPT)))
            conn.send_events(event("queue_update"))  # the queue is empty: the key is left out
            conn.send_events(event("status", status={"status": "pending"}))
            conn.send_events(event("status", status={"status": "running"}))
            for chunk in ("Tests ", "pass."):
                conn.send_events(event("message_part", message_part={"role": "assistant", "part": text(chunk)[0]}))
            conn.send_events(event("message", message=message(4, "assistant", "Tests pass.")))
            conn.send_events(event("status", status={"status": "waiting"}))
            conn.drain(timeout=5)
        elif request.method == "POST" and request.path == f"{CHAT_PATH}/messages":
            self.bodies.append(json.loads(request.body))
            conn.answer(200, {"queued": True, "queued_message": queued(7, PROMPT)})
            self.posted.set()
        elif request.method == "GET" and request.path == CHAT_PATH:
            persisted = [message(1, "user", "first")]
            if self.posted.is_set():  # the final read: the turn's messages
                persisted += [
                    message(2, "assistant", "ok"),
                    message(3, "user", PROMPT),
                    message(4, "assistant", "Tests pass."),
                ]
            conn.answer(200, chat("running" if not self.posted.is_set() else "waiting", persisted))
        else:
            conn.answer(404, {"message": "not scripted"})


def run_aask(client: AuthenticatedClient, prompt: str, **kwargs: Any) -> TurnResult:
    async def main() -> TurnResult:
        async with AuthenticatedClient(base_url=client.base_url, token=client.token) as async_client:
            return await aask(async_client, prompt, **kwargs)

    return asyncio.run(main())


@pytest.mark.parametrize("ask_fn", [ask, run_aask], ids=["sync", "async"])
def test_a_queued_prompt_promoted_message_first_gets_its_own_answer(ask_fn: Callable[..., TurnResult]) -> None:
    coder = MessageFirstCoder()
    with coder.server, AuthenticatedClient(base_url=coder.server.url, token=TOKEN) as client:
        result = ask_fn(client, PROMPT, chat_id=CHAT_ID, timeout=10)
    assert coder.bodies == [{"content": text(PROMPT)}]
    assert result.status == ChatStatus.WAITING
    assert [m.id for m in result.messages] == [3, 4]
    assert result.text == "Tests pass."


# --- the watch's resync, from a server that sends no ping -------------------------------------------------


@pytest.fixture
def pingless_fake() -> Iterator[FakeCoder]:
    """A fake whose watch sends nothing on a quiet socket: no protocol pings, no JSON ping first."""
    with FakeCoder(script=Script(auto_run=False), ping_interval=None) as fake:
        fake.set_watch_frame_format("bare")
        yield fake


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_the_watch_yields_its_resync_differences_as_soon_as_it_reconnected(
    pingless_fake: FakeCoder, flavour: str
) -> None:
    chat_id = pingless_fake.create_chat("watched")
    open_watch: Callable[..., Any] = watch_chats if flavour == "sync" else blocking_awatch_chats
    idle = 0.5
    client = AuthenticatedClient(base_url=pingless_fake.url, token=pingless_fake.admin_token)
    with client, open_watch(client, idle_timeout=idle, sleep=lambda _s: None) as watch:
        assert pingless_fake.silence_watches() == 1
        pingless_fake.set_title(chat_id, "renamed while silent")  # only the resync can report it
        silenced = time.monotonic()
        event = next(watch)  # the drop after `idle`, the reconnection, the listing: then at once
        elapsed = time.monotonic() - silenced
        reconnects = (watch.stream if flavour == "async" else watch).reconnects
    assert (str(event.kind), event.chat.title) == ("title_change", "renamed while silent")
    assert reconnects == 1  # not after a second idle timeout on the new, silent connection
    assert elapsed < 2 * idle  # the idle timeout counts from the last frame, before the silence
