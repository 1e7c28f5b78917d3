"""Friendlier requests and client set-up against the fake server (each trap reproduced first)."""

from __future__ import annotations

import asyncio

import pytest

from coder_chat.client import AuthenticatedClient, models
from coder_chat.client.api.chats import (
    create_chat,
    get_chat,
    list_chat_providers,
    list_chats,
    update_chat_provider,
)
from coder_chat.client.types import Unset
from tests.fakecoder import FakeCoder


def hello() -> models.CreateChatRequest:
    return models.CreateChatRequest(content=[models.ChatInputPart(type_="text", text="hello")])


def test_with_after_a_first_call_works(fake: FakeCoder) -> None:
    # Before: RuntimeError: Cannot open a client instance more than once.
    client = AuthenticatedClient(base_url=fake.url, token=fake.admin_token)
    assert list_chats.sync(client=client) == []
    with client as entered:
        assert entered is client
        assert list_chats.sync(client=client) == []
    # Leaving closed the pool; a later call builds a new one, and so does entering again.
    assert list_chats.sync(client=client) == []
    with client:
        with client:  # entering twice: the inner exit closes the pool, the outer block goes on with a new one
            assert list_chats.sync(client=client) == []
        assert list_chats.sync(client=client) == []
    client.close()
    client.close()  # idempotent
    with client:
        assert list_chats.sync(client=client) == []


def test_async_with_after_a_first_call_works(fake: FakeCoder) -> None:
    async def main() -> None:
        client = AuthenticatedClient(base_url=fake.url, token=fake.admin_token)
        assert await list_chats.asyncio(client=client) == []
        async with client as entered:
            assert entered is client
            assert await list_chats.asyncio(client=client) == []
        assert await list_chats.asyncio(client=client) == []
        async with client:
            async with client:
                assert await list_chats.asyncio(client=client) == []
            assert await list_chats.asyncio(client=client) == []
        await client.aclose()

    asyncio.run(main())


def test_from_env_talks_to_the_deployment(fake: FakeCoder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODER_URL", fake.url)
    monkeypatch.setenv("CODER_SESSION_TOKEN", fake.admin_token)
    with AuthenticatedClient.from_env(max_retries=0) as client:
        assert list_chats.sync(client=client) == []


def test_wire_strings_and_str_ids_through_a_round_trip(admin: AuthenticatedClient) -> None:
    # Before: create_chat.sync crashed inside to_dict with AttributeError: 'str' object has no attribute 'value'.
    chat = create_chat.sync(client=admin, body=hello())
    fetched = get_chat.sync(str(chat.id), client=admin)
    assert fetched.chat.id == chat.id
    content = fetched.messages[0].content
    assert not isinstance(content, Unset)
    assert [(part.type_, part.text) for part in content] == [(models.ChatMessagePartType.TEXT, "hello")]
    assert get_chat.sync(str(chat.id).upper(), client=admin).chat.id == chat.id


def test_clearing_a_provider_api_key(admin: AuthenticatedClient) -> None:
    """Like the seed server: `null` or an absent `api_key` keeps the key, an empty (or blank) string clears it."""

    def openai() -> models.ChatProviderConfig:
        (provider,) = [p for p in list_chat_providers.sync(client=admin) if p.provider == "openai"]
        return provider

    provider_id = openai().id
    assert openai().has_api_key is True

    kept = update_chat_provider.sync(provider_id, client=admin, body=models.UpdateChatProviderConfigRequest())
    assert kept.has_api_key is True
    kept = update_chat_provider.sync(
        str(provider_id), client=admin, body=models.UpdateChatProviderConfigRequest(api_key=None)
    )
    assert models.UpdateChatProviderConfigRequest(api_key=None).to_dict() == {"api_key": None}
    assert kept.has_api_key is True

    cleared = update_chat_provider.sync(
        provider_id, client=admin, body=models.UpdateChatProviderConfigRequest(api_key="")
    )
    assert cleared.has_api_key is False
    assert openai().has_api_key is False

    update_chat_provider.sync(provider_id, client=admin, body=models.UpdateChatProviderConfigRequest(api_key="sk-new"))
    assert openai().has_api_key is True
    blank = update_chat_provider.sync(
        provider_id, client=admin, body=models.UpdateChatProviderConfigRequest(api_key="   ")
    )
    assert blank.has_api_key is False
