"""``load_chat`` / ``aload_chat``: a chat's persisted state from REST on both generations (the fake Coder as
an experimental server and as current Coder), and the v2 paging against a small scripted server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.api.chats import get_chat as experimental_get_chat
from coder_chat.client.api.v2 import list_chat_messages
from coder_chat.client.errors import NotFoundError
from coder_chat.client.models import ChatStatus
from coder_chat.streaming import ChatAccumulator
from coder_chat.streaming._load import aload_chat, load_chat
from tests.fakecoder import FakeCoder, Script
from tests.integration.conftest import SPEC
from tests.support.scripted_http import RecordedRequest, Reply, ScriptedServer

pytestmark = pytest.mark.timeout(30)


@pytest.fixture(params=["experimental", "current"])
def generation_fake(request: pytest.FixtureRequest) -> Iterator[FakeCoder]:
    with FakeCoder(script=Script(), validate_spec_path=SPEC, generation=request.param) as server:
        yield server
    assert server.spec_violations == []


def summary(state: ChatAccumulator) -> list[tuple[int, str]]:
    return [(m.id, str(m.role)) for m in state.messages]


def test_a_finished_chat_loads_alike_on_both_generations(generation_fake: FakeCoder) -> None:
    chat_id = generation_fake.create_chat("load me")
    assert generation_fake.wait_idle(chat_id) == "waiting"
    with AuthenticatedClient(base_url=generation_fake.url, token=generation_fake.admin_token) as client:
        state = load_chat(client, chat_id)

        async def main() -> ChatAccumulator:
            try:
                return await aload_chat(client, UUID(chat_id))
            finally:
                await client.aclose()

        async_state = asyncio.run(main())
        if generation_fake.generation.name == "experimental":
            expected = experimental_get_chat.sync(chat_id, client=client).messages
        else:
            expected = list(reversed(list_chat_messages.sync(chat_id, client=client, limit=200).messages))
    assert state.chat_id == UUID(chat_id)
    assert state.status is ChatStatus.WAITING
    roles = [role for _, role in summary(state)]
    assert roles[0] == "user" and "assistant" in roles
    assert state.messages == expected
    assert state.last_message_id == expected[-1].id
    assert state.queued_messages == []
    assert summary(async_state) == summary(state) and async_state.status == state.status


def test_an_unknown_chat_raises_not_found(generation_fake: FakeCoder) -> None:
    with AuthenticatedClient(base_url=generation_fake.url, token=generation_fake.admin_token) as client:
        with pytest.raises(NotFoundError):
            load_chat(client, "00000000-0000-4000-8000-000000000001")
        with pytest.raises(ValueError, match="chat_id must be a UUID"):
            load_chat(client, "not-a-uuid")


CHAT_ID = "5f0c2a4e-8d0b-4c55-9f1e-2b7c3f5f9a10"
CHAT: dict[str, Any] = {
    "id": CHAT_ID,
    "organization_id": "703f72a1-1c6a-4b1b-9d2c-0e7c4b5a6d70",
    "owner_id": "0b6c7b0e-2f0a-4a36-8c3a-6f1a2d9e3b41",
    "last_model_config_id": "f5fb4d91-62ca-4377-9ee6-5d1e0c2b7a33",
    "title": "long",
    "status": "running",
    "created_at": "2026-09-20T10:00:00Z",
    "updated_at": "2026-09-20T10:00:00Z",
}
QUEUED = {
    "id": 1,
    "chat_id": CHAT_ID,
    "content": [{"type": "text", "text": "next"}],
    "created_at": "2026-09-20T10:00:00Z",
}


def message(number: int) -> dict[str, Any]:
    role = "user" if number % 2 else "assistant"
    return {"id": number, "chat_id": CHAT_ID, "created_at": "2026-09-20T10:00:00Z", "role": role, "content": []}


class V2Server:
    """``GET /api/v2/chats`` (the probe), the chat, and its ``total`` messages paged as a v2 server does
    (newest first; ``before_id``; ``limit`` capped at 200); ``honour_before_id=False`` repeats the first page."""

    def __init__(self, total: int, *, honour_before_id: bool = True) -> None:
        self.total = total
        self.honour_before_id = honour_before_id

    def __call__(self, request: RecordedRequest) -> Reply:
        url = urlsplit(request.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/api/v2/chats":
            return Reply(200, [CHAT])
        if url.path == f"/api/v2/chats/{CHAT_ID}":
            return Reply(200, CHAT)
        if url.path == f"/api/v2/chats/{CHAT_ID}/messages":
            limit = min(int(query.get("limit", 50)), 200)
            before = int(query["before_id"]) if "before_id" in query and self.honour_before_id else self.total + 1
            ids = [n for n in range(self.total, 0, -1) if n < before]
            body = {
                "messages": [message(n) for n in ids[:limit]],
                "queued_messages": [QUEUED] if "before_id" not in query else [],
                "has_more": len(ids) > limit,
            }
            return Reply(200, body)
        return Reply(404, {"message": "Route not found."})


def test_v2_reads_every_page() -> None:
    server = ScriptedServer(V2Server(450))
    with server, AuthenticatedClient(base_url=server.url, token="t") as client:
        state = load_chat(client, CHAT_ID)
    assert [m.id for m in state.messages] == list(range(1, 451))
    assert [q.id for q in state.queued_messages] == [1]
    assert (state.status, state.last_message_id) == (ChatStatus.RUNNING, 450)
    assert [r.path for r in server.requests] == [
        "/api/v2/chats?limit=1",
        f"/api/v2/chats/{CHAT_ID}",
        f"/api/v2/chats/{CHAT_ID}/messages?limit=200",
        f"/api/v2/chats/{CHAT_ID}/messages?before_id=251&limit=200",
        f"/api/v2/chats/{CHAT_ID}/messages?before_id=51&limit=200",
    ]


def test_v2_async_reads_every_page() -> None:
    server = ScriptedServer(V2Server(201))

    async def main() -> ChatAccumulator:
        async with AuthenticatedClient(base_url=server.url, token="t") as client:
            return await aload_chat(client, CHAT_ID)

    with server:
        state = asyncio.run(main())
    assert [m.id for m in state.messages] == list(range(1, 202))
    assert len(server.requests) == 4


def test_v2_an_empty_chat_is_one_page() -> None:
    server = ScriptedServer(V2Server(0))
    with server, AuthenticatedClient(base_url=server.url, token="t", api_generation="v2") as client:
        state = load_chat(client, CHAT_ID)
    assert (state.messages, state.last_message_id) == ([], None)
    assert len(server.requests) == 2  # forced generation: no probe


def test_v2_a_server_ignoring_the_cursor_does_not_loop() -> None:
    server = ScriptedServer(V2Server(450, honour_before_id=False))
    with server, AuthenticatedClient(base_url=server.url, token="t", api_generation="v2") as client:
        state = load_chat(client, CHAT_ID)
    assert [m.id for m in state.messages] == list(range(251, 451))
    assert len(server.requests) == 3  # the chat, the first page, one repeat that brought nothing older
