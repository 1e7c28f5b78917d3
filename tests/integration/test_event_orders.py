"""Servers that order events otherwise than ``tests/fakecoder`` (issue 20's two defects):

* a prompt queued behind a running turn is recognised when it is promoted, also when the server
  persists its user message *before* the ``queue_update`` that removes it from the queue (v2's sync
  order: messages, then queue, then status);
* after a reconnection the watch yields its resync differences as soon as the listing is done, also
  from a server that sends nothing on a quiet socket (no ping: v2, and the newer experimental servers).

Sync and async, over real loopback sockets: a scripted Coder (REST and the chat stream on one port,
``tests/support/ws_script.py``) speaking either generation, and the fake without pings.
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
from tests.support.generations import GENERATIONS
from tests.support.ws_script import RawConnection, WSScriptServer

pytestmark = pytest.mark.timeout(30)

TOKEN = "abcdefghij-0123456789abcdefghijkl"
CHAT_ID = "5a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b"
OWNER = "0f0e0d0c-0b0a-4908-8706-050403020100"
MODEL = "11111111-2222-4333-8444-555555555555"
TIME = "2026-02-01T10:00:00Z"
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
    with its user message (id 3) persisted *before* the queue_update that empties the queue.

    ``generation="experimental"``: a status between the turns (``waiting``, ``pending``, ``running``),
    envelopes, ``get_chat`` with the messages. ``"v2"`` (API-v2.md §2.1, §4.5-4.6): the chat stays
    ``running`` from one turn to the next (no status event), bare arrays, ``preview_reset`` per episode,
    the messages in pages of ``list_chat_messages``; the probe answers 200."""

    def __init__(self, generation: str) -> None:
        self.v2 = generation == "v2"
        self.chat_path = f"/api/{'v2' if self.v2 else 'experimental'}/chats/{CHAT_ID}"
        self.posted = threading.Event()
        self.server = WSScriptServer(self.handle)
        self.bodies: list[Any] = []

    def send(self, conn: RawConnection, *events: dict[str, Any]) -> None:
        if self.v2:
            conn.send_text(json.dumps(list(events)))  # v2 frames are bare arrays
        else:
            conn.send_events(*events)

    def persisted(self) -> list[dict[str, Any]]:
        persisted = [message(1, "user", "first")]
        if self.posted.is_set():  # the final read: the turn's messages
            persisted += [
                message(2, "assistant", "ok"),
                message(3, "user", PROMPT),
                message(4, "assistant", "Tests pass."),
            ]
        return persisted

    def stream(self, conn: RawConnection) -> None:
        conn.accept()
        self.send(conn, event("status", status={"status": "running"}))  # the snapshot
        self.posted.wait(5)
        self.send(conn, event("queue_update", queued_messages=[queued(7, PROMPT)]))
        self.send(conn, event("message_part", message_part={"role": "assistant", "part": text("ok")[0]}))
        self.send(conn, event("message", message=message(2, "assistant", "ok")))
        if not self.v2:
            self.send(conn, event("status", status={"status": "waiting"}))
        # The promotion, message first (each event in its own frame, as a server may publish them).
        self.send(conn, event("message", message=message(3, "user", PROMPT)))
        self.send(conn, event("queue_update"))  # the queue is empty: the key is left out
        if self.v2:
            self.send(conn, event("preview_reset"))  # a new episode; the chat stays running
        else:
            self.send(conn, event("status", status={"status": "pending"}))
            self.send(conn, event("status", status={"status": "running"}))
        for chunk in ("Tests ", "pass."):
            self.send(conn, event("message_part", message_part={"role": "assistant", "part": text(chunk)[0]}))
        self.send(conn, event("message", message=message(4, "assistant", "Tests pass.")))
        self.send(conn, event("status", status={"status": "waiting"}))
        conn.drain(timeout=5)

    def handle(self, conn: RawConnection) -> None:
        request = conn.request
        path = request.path.split("?")[0]
        status = "waiting" if self.posted.is_set() else "running"
        if path == f"{self.chat_path}/stream":
            self.stream(conn)
        elif request.method == "POST" and path == f"{self.chat_path}/messages":
            self.bodies.append(json.loads(request.body))
            conn.answer(200, {"queued": True, "queued_message": queued(7, PROMPT)})
            self.posted.set()
        elif self.v2 and request.method == "GET" and path == "/api/v2/chats":
            conn.answer(200, [])  # the generation probe
        elif self.v2 and request.method == "GET" and path == f"{self.chat_path}/messages":
            newest_first = sorted(self.persisted(), key=lambda m: -int(m["id"]))
            conn.answer(200, {"messages": newest_first, "has_more": False, "queued_messages": []})
        elif request.method == "GET" and path == self.chat_path:
            body = chat(status, self.persisted())
            conn.answer(200, body["chat"] if self.v2 else body)
        else:
            conn.answer(404, {"message": "not scripted"})


def run_aask(client: AuthenticatedClient, prompt: str, **kwargs: Any) -> TurnResult:
    async def main() -> TurnResult:
        async with AuthenticatedClient(base_url=client.base_url, token=client.token) as async_client:
            return await aask(async_client, prompt, **kwargs)

    return asyncio.run(main())


@pytest.mark.parametrize("generation", ["experimental", "v2"])
@pytest.mark.parametrize("ask_fn", [ask, run_aask], ids=["sync", "async"])
def test_a_queued_prompt_promoted_message_first_gets_its_own_answer(
    ask_fn: Callable[..., TurnResult], generation: str
) -> None:
    coder = MessageFirstCoder(generation)
    with coder.server, AuthenticatedClient(base_url=coder.server.url, token=TOKEN) as client:
        result = ask_fn(client, PROMPT, chat_id=CHAT_ID, timeout=10)
    assert coder.bodies == [{"content": text(PROMPT)}]
    assert result.status == ChatStatus.WAITING
    assert [m.id for m in result.messages] == [3, 4]
    assert result.text == "Tests pass."


# --- the watch's resync, from a server that sends no ping -------------------------------------------------


@pytest.fixture(params=GENERATIONS)
def pingless_fake(request: pytest.FixtureRequest) -> Iterator[FakeCoder]:
    """A fake whose watch sends nothing on a quiet socket: no protocol pings, no JSON ping first (v2's
    watch never sends one)."""
    with FakeCoder(script=Script(auto_run=False), ping_interval=None, generation=request.param) as fake:
        if not fake.generation.v2:
            fake.set_watch_frame_format("bare")
        yield fake


@pytest.mark.serial
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
