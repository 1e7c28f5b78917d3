"""The generated client's ``asyncio()`` / ``asyncio_detailed()`` against the fake Coder (a representative
subset: create, get, list, messages, delete, the catalog, and typed errors).

pytest-asyncio is not installed: ``run_async`` (conftest) runs each coroutine function in
``asyncio.run`` with an ``AuthenticatedClient`` used as an async context manager.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol, TypeVar
from uuid import UUID

import pytest

from coder_chat.client import AuthenticatedClient, Client, errors, models
from coder_chat.client.api.chats import (
    create_chat,
    create_chat_message,
    delete_chat,
    get_chat,
    list_chat_models,
    list_chat_providers,
    list_chats,
)
from coder_chat.client.types import UNSET
from tests.fakecoder import FakeCoder, Script

pytestmark = pytest.mark.timeout(20)

T = TypeVar("T")


class AsyncRunner(Protocol):
    """The ``run_async`` fixture (conftest's ``AsyncRunner``)."""

    def __call__(
        self, fn: Callable[[AuthenticatedClient], Coroutine[Any, Any, T]], *, token: str | None = None
    ) -> T: ...


NOT_FOUND = "Resource not found or you do not have access to this resource"


def ask(text: str) -> models.CreateChatRequest:
    return models.CreateChatRequest(content=[models.ChatInputPart(type_=models.ChatInputPartType.TEXT, text=text)])


def say(text: str) -> models.CreateChatMessageRequest:
    return models.CreateChatMessageRequest(
        content=[models.ChatInputPart(type_=models.ChatInputPartType.TEXT, text=text)]
    )


async def until_idle(client: AuthenticatedClient, chat_id: UUID) -> models.ChatWithMessages:
    """Poll with asyncio() until the chat is neither pending nor running."""
    deadline = time.monotonic() + 5
    while True:
        got = await get_chat.asyncio(chat_id, client=client)
        if got.chat.status not in (models.ChatStatus.PENDING, models.ChatStatus.RUNNING):
            return got
        assert time.monotonic() < deadline, "chat never went idle"
        await asyncio.sleep(0.01)


def test_async_create_get_list(fake: FakeCoder, run_async: AsyncRunner, fixture_json: Callable[[str], Any]) -> None:
    body = models.CreateChatRequest.from_dict(fixture_json("request-create-chat.json"))

    async def scenario(client: AuthenticatedClient) -> None:
        chat = await create_chat.asyncio(client=client, body=body)
        assert isinstance(chat, models.Chat)
        assert (chat.title, chat.status, chat.owner_id) == (
            "hello from chats route tests",
            models.ChatStatus.PENDING,
            UUID(fake.admin_id),
        )
        assert chat.root_chat_id == chat.id
        assert chat.workspace_id is UNSET

        got = await until_idle(client, chat.id)
        assert got.chat.status == models.ChatStatus.WAITING
        assert [m.role for m in got.messages] == ["user", "assistant", "tool"]
        assert [p.to_dict() for p in got.messages[0].content or []] == [
            {"type": "text", "text": "hello from chats route tests"}
        ]
        reply = fake.script.reply_text("hello from chats route tests")
        assert (got.messages[1].content or [])[0].text == reply
        assert got.queued_messages == []

        (listed,) = await list_chats.asyncio(client=client)
        assert (listed.id, listed.status) == (chat.id, models.ChatStatus.WAITING)
        assert isinstance(listed.diff_status, models.ChatDiffStatus)
        assert listed.diff_status.chat_id == chat.id

        detailed = await get_chat.asyncio_detailed(chat.id, client=client)
        assert detailed.status_code == 200
        assert isinstance(detailed.parsed, models.ChatWithMessages)
        assert detailed.parsed.to_dict() == got.to_dict()

        deleting: Awaitable[object] = delete_chat.asyncio(chat.id, client=client)
        assert await deleting is None
        assert await list_chats.asyncio(client=client) == []

    run_async(scenario)


def test_async_messages_idle_and_queued(fake: FakeCoder, run_async: AsyncRunner) -> None:
    async def idle(client: AuthenticatedClient) -> UUID:
        chat = await create_chat.asyncio(client=client, body=ask("first"))
        await until_idle(client, chat.id)
        sent = await create_chat_message.asyncio(chat.id, client=client, body=say("second"))
        assert sent.queued is False and sent.queued_message is UNSET
        assert isinstance(sent.message, models.ChatMessage)
        assert (sent.message.role, sent.message.chat_id) == ("user", chat.id)
        assert [p.to_dict() for p in sent.message.content or []] == [{"type": "text", "text": "second"}]
        got = await until_idle(client, chat.id)
        assert [m.role for m in got.messages] == ["user", "assistant", "tool"] * 2
        return chat.id

    chat_id = run_async(idle)

    fake.script = Script(auto_run=False)

    async def busy(client: AuthenticatedClient) -> None:
        assert (await create_chat_message.asyncio(chat_id, client=client, body=say("third"))).queued is False
        sent = await create_chat_message.asyncio(chat_id, client=client, body=say("fourth"))
        assert sent.queued is True and sent.message is UNSET
        assert isinstance(sent.queued_message, models.ChatQueuedMessage)
        assert sent.queued_message.chat_id == chat_id
        got = await get_chat.asyncio(chat_id, client=client)
        assert [q.id for q in got.queued_messages] == [sent.queued_message.id]

    run_async(busy)


def test_async_concurrent_calls_share_one_client(run_async: AsyncRunner) -> None:
    async def scenario(client: AuthenticatedClient) -> None:
        created = await asyncio.gather(*(create_chat.asyncio(client=client, body=ask(f"chat {i}")) for i in range(8)))
        assert sorted(c.title for c in created) == [f"chat {i}" for i in range(8)]
        assert len({c.id for c in created}) == 8
        listed = await list_chats.asyncio(client=client)
        assert {c.id for c in listed} == {c.id for c in created}
        assert [c.updated_at for c in listed] == sorted((c.updated_at for c in listed), reverse=True)

    run_async(scenario)


def test_async_models_and_member(fake: FakeCoder, run_async: AsyncRunner) -> None:
    async def scenario(client: AuthenticatedClient) -> None:
        catalog = await list_chat_models.asyncio(client=client)
        assert [(p.provider, p.available, [m.id for m in p.models]) for p in catalog.providers] == [
            ("openai", True, ["openai:gpt-4o-mini"])
        ]
        with pytest.raises(errors.PermissionDeniedError) as caught:
            await list_chat_providers.asyncio(client=client)
        assert (caught.value.status_code, caught.value.message) == (403, "Forbidden.")
        detailed = await list_chat_providers.asyncio_detailed(client=client)
        assert (detailed.status_code, detailed.parsed) == (403, None)

    run_async(scenario, token=fake.member_token)


def test_async_errors(
    fake: FakeCoder, run_async: AsyncRunner, member: AuthenticatedClient, fixture_json: Callable[[str], Any]
) -> None:
    theirs = create_chat.sync(client=member, body=ask("member's"))

    async def scenario(client: AuthenticatedClient) -> None:
        for chat_id in (theirs.id, uuid.uuid4()):
            with pytest.raises(errors.NotFoundError) as caught:
                await get_chat.asyncio(chat_id, client=client)
            assert (caught.value.status_code, caught.value.message, caught.value.detail) == (404, NOT_FOUND, None)
        detailed = await get_chat.asyncio_detailed(theirs.id, client=client)
        assert (detailed.status_code, detailed.parsed) == (404, None)
        assert json.loads(detailed.content) == {"message": NOT_FOUND}

        with pytest.raises(errors.BadRequestError) as bad:
            await create_chat.asyncio(client=client, body=ask("   "))
        expected = fixture_json("errors/create-chat-empty-text.400.json")["body"]
        assert (bad.value.message, bad.value.detail) == (expected["message"], expected["detail"])

    run_async(scenario)

    async def anonymous(_: AuthenticatedClient) -> None:
        expected = fixture_json("errors/unauthenticated-no-token.401.json")["body"]
        async with Client(base_url=fake.url) as anon:
            with pytest.raises(errors.AuthenticationError) as caught:
                await list_chats.asyncio(client=anon)
            assert (caught.value.status_code, caught.value.message, caught.value.detail) == (
                401,
                expected["message"],
                expected["detail"],
            )
            detailed = await create_chat.asyncio_detailed(client=anon, body=ask("hi"))
            assert (detailed.status_code, detailed.parsed) == (401, None)

    run_async(anonymous)
    assert list_chats.sync(client=member) != []
    assert len(fake.state.chats) == 1


# The first loop's pool is left open, as such a program leaves it: its sockets are dropped with it, and
# Python reports them when they are collected (the README says to close the pool inside its loop).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_one_client_serves_one_event_loop_after_another(fake: FakeCoder) -> None:
    """Older synchronous programs call ``asyncio.run`` more than once with one client: a new event loop
    gets a new pool once the one the pool was built in is closed (its connections belonged to that loop:
    reusing them raised ``RuntimeError: Event loop is closed``), and closing the client afterwards works."""
    client = AuthenticatedClient(base_url=fake.url, token=fake.admin_token)

    async def create(text: str) -> models.Chat:
        chat = await create_chat.asyncio(client=client, body=ask(text))
        assert isinstance(chat, models.Chat)
        return chat

    async def create_and_close(text: str) -> models.Chat:
        chat = await create(text)
        await client.aclose()
        return chat

    first = asyncio.run(create("first"))  # the pool stays open; asyncio.run closes its loop
    second = asyncio.run(create_and_close("second"))  # a new loop, a new pool (closed in its loop)
    gc.collect()  # the first pool's sockets, reported here
    assert first.id != second.id
    with client:
        assert {c.id for c in list_chats.sync(client=client) or []} >= {first.id, second.id}
