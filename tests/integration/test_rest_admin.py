"""The generated REST client's catalog, provider and model-config operations against the fake Coder.

Upstream checklist (docs/protocol.md, REST) (ListChatModels, ListChatProviders,
CreateChatProvider, UpdateChatProvider, DeleteChatProvider and the model-config equivalents), plus
admin vs member on every admin route.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest

from coder_chat.client import AuthenticatedClient, errors, models
from coder_chat.client.api.chats import (
    create_chat,
    create_chat_message,
    create_chat_model_config,
    create_chat_provider,
    delete_chat,
    delete_chat_model_config,
    delete_chat_provider,
    get_chat,
    get_chat_diff_contents,
    get_chat_diff_status,
    interrupt_chat,
    list_chat_model_configs,
    list_chat_models,
    list_chat_providers,
    list_chats,
    update_chat_model_config,
    update_chat_provider,
)
from coder_chat.client.types import UNSET
from tests.fakecoder import FakeCoder

pytestmark = pytest.mark.timeout(20)

NIL = UUID(int=0)
ZERO_TIME = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)
SUPPORTED = ["anthropic", "google", "openai", "openaicompat", "openrouter", "vercel"]
FORBIDDEN_DETAIL = (
    "You don't have permission to view this content. If you believe this is a mistake, please contact your "
    "administrator or try signing in with different credentials."
)


def by_provider(client: AuthenticatedClient) -> dict[str, models.ChatProviderConfig]:
    return {p.provider: p for p in list_chat_providers.sync(client=client)}


def openai_provider(client: AuthenticatedClient) -> models.ChatProviderConfig:
    return by_provider(client)["openai"]


def seeded_config(client: AuthenticatedClient) -> models.ChatModelConfig:
    (config,) = list_chat_model_configs.sync(client=client)
    return config


def result_of(call: Callable[[], object]) -> object:
    """What `call` returned: lets a test assert that a 204 operation's sync() gives None."""
    return call()


# --- list_chat_models -----------------------------------------------------------------------------


def test_models_catalog(admin: AuthenticatedClient, member: AuthenticatedClient) -> None:
    for client in (admin, member):  # open to any authenticated user
        catalog = list_chat_models.sync(client=client)
        assert isinstance(catalog, models.ChatModelsResponse)
        (openai,) = catalog.providers
        assert (openai.provider, openai.available, openai.unavailable_reason) == ("openai", True, UNSET)
        assert [m.to_dict() for m in openai.models] == [
            {"id": "openai:gpt-4o-mini", "provider": "openai", "model": "gpt-4o-mini", "display_name": "GPT-4o Mini"}
        ]


def test_models_catalog_marks_providers_without_a_key(admin: AuthenticatedClient) -> None:
    create_chat_provider.sync(client=admin, body=models.CreateChatProviderConfigRequest(provider="anthropic"))
    create_chat_model_config.sync(
        client=admin,
        body=models.CreateChatModelConfigRequest(
            provider="anthropic", model="claude-sonnet-4", display_name="Claude Sonnet 4", context_limit=200_000
        ),
    )
    catalog = {p.provider: p for p in list_chat_models.sync(client=admin).providers}
    assert sorted(catalog) == ["anthropic", "openai"]
    anthropic = catalog["anthropic"]
    assert anthropic.available is False
    assert anthropic.unavailable_reason == models.ChatModelProviderUnavailableReason.MISSING_API_KEY
    assert [(m.id, m.model, m.display_name) for m in anthropic.models] == [
        ("anthropic:claude-sonnet-4", "claude-sonnet-4", "Claude Sonnet 4")
    ]
    assert catalog["openai"].available is True


# --- providers ------------------------------------------------------------------------------------


def test_list_providers(admin: AuthenticatedClient) -> None:
    providers = list_chat_providers.sync(client=admin)
    assert [p.provider for p in providers] == SUPPORTED
    for p in providers:
        assert isinstance(p, models.ChatProviderConfig)
        if p.provider == "openai":
            assert p.id != NIL
            assert (p.source, p.enabled, p.has_api_key, p.display_name) == (
                models.ChatProviderConfigSource.DATABASE,
                True,
                True,
                "OpenAI",
            )
            assert p.base_url is UNSET
            assert isinstance(p.created_at, datetime.datetime) and p.created_at > ZERO_TIME
        else:  # supported but not configured: nil UUID, source "supported"
            assert (p.id, p.source, p.enabled, p.has_api_key) == (
                NIL,
                models.ChatProviderConfigSource.SUPPORTED,
                False,
                False,
            )
            assert p.created_at == ZERO_TIME and p.updated_at == ZERO_TIME
        assert "api_key" not in p.to_dict()
    assert by_provider(admin)["openaicompat"].display_name == "OpenAI Compatible"


def test_create_provider_upstream_success(admin: AuthenticatedClient, fixture_json: Callable[[str], Any]) -> None:
    delete_chat_provider.sync(openai_provider(admin).id, client=admin)  # upstream starts without one
    body = models.CreateChatProviderConfigRequest.from_dict(fixture_json("request-create-chat-provider.json"))
    assert "test-api-key" not in repr(body)

    created = create_chat_provider.sync(client=admin, body=body)
    assert isinstance(created, models.ChatProviderConfig)
    assert created.id != NIL
    assert (created.provider, created.display_name, created.enabled, created.has_api_key) == (
        "openai",
        "OpenAI Primary",
        True,
        True,
    )
    assert created.source == models.ChatProviderConfigSource.DATABASE
    assert created.base_url is UNSET
    assert isinstance(created.created_at, datetime.datetime)
    assert created.updated_at == created.created_at
    assert openai_provider(admin).to_dict() == created.to_dict()


def test_create_provider_without_key_with_base_url(admin: AuthenticatedClient) -> None:
    created = create_chat_provider.sync(
        client=admin,
        body=models.CreateChatProviderConfigRequest(provider="openaicompat", base_url="http://127.0.0.1:9/v1"),
    )
    assert (created.provider, created.display_name, created.has_api_key, created.base_url) == (
        "openaicompat",
        "OpenAI Compatible",
        False,
        "http://127.0.0.1:9/v1",
    )
    listed = by_provider(admin)["openaicompat"]
    assert (listed.id, listed.source) == (created.id, models.ChatProviderConfigSource.DATABASE)


def test_update_provider_upstream_success(admin: AuthenticatedClient, fixture_json: Callable[[str], Any]) -> None:
    before = openai_provider(admin)
    body = models.UpdateChatProviderConfigRequest.from_dict(fixture_json("request-update-chat-provider.json"))
    updated = update_chat_provider.sync(before.id, client=admin, body=body)
    assert isinstance(updated, models.ChatProviderConfig)
    assert updated.id == before.id
    assert (updated.display_name, updated.enabled, updated.base_url) == (
        "OpenAI Updated",
        False,
        "https://example.com/v1",
    )
    assert updated.has_api_key is True  # the key was not touched
    assert updated.source == models.ChatProviderConfigSource.DATABASE
    assert updated.created_at == before.created_at
    assert isinstance(updated.updated_at, datetime.datetime) and isinstance(before.updated_at, datetime.datetime)
    assert updated.updated_at > before.updated_at
    assert openai_provider(admin).to_dict() == updated.to_dict()

    cleared = update_chat_provider.sync(
        before.id, client=admin, body=models.UpdateChatProviderConfigRequest(api_key="", enabled=True)
    )
    assert (cleared.has_api_key, cleared.enabled, cleared.display_name) == (False, True, "OpenAI Updated")


def test_delete_provider(admin: AuthenticatedClient) -> None:
    provider = openai_provider(admin)
    assert result_of(lambda: delete_chat_provider.sync(provider.id, client=admin)) is None
    back = openai_provider(admin)  # listed again as an unconfigured supported provider
    assert (back.id, back.source, back.has_api_key) == (NIL, models.ChatProviderConfigSource.SUPPORTED, False)
    assert all(p.id != provider.id for p in list_chat_providers.sync(client=admin))


# --- model configs --------------------------------------------------------------------------------


def test_list_model_configs(admin: AuthenticatedClient) -> None:
    config = seeded_config(admin)
    assert isinstance(config, models.ChatModelConfig)
    assert (config.provider, config.model, config.display_name) == ("openai", "gpt-4o-mini", "GPT-4o Mini")
    assert (config.enabled, config.is_default, config.context_limit, config.compression_threshold) == (
        True,
        True,
        4096,
        70,
    )
    assert config.model_config is UNSET
    assert config.updated_at == config.created_at


def test_create_model_config_upstream_success_first_is_default(
    admin: AuthenticatedClient, fixture_json: Callable[[str], Any]
) -> None:
    delete_chat_model_config.sync(seeded_config(admin).id, client=admin)  # upstream starts with none
    assert list_chat_model_configs.sync(client=admin) == []
    body = models.CreateChatModelConfigRequest.from_dict(fixture_json("request-create-chat-model-config.json"))
    created = create_chat_model_config.sync(client=admin, body=body)
    assert isinstance(created, models.ChatModelConfig)
    assert (created.provider, created.model, created.context_limit, created.is_default) == (
        "openai",
        "gpt-4o-mini",
        4096,
        True,
    )
    assert (created.display_name, created.enabled, created.compression_threshold) == ("gpt-4o-mini", True, 70)
    assert [c.to_dict() for c in list_chat_model_configs.sync(client=admin)] == [created.to_dict()]


def test_first_model_config_is_default_even_without_asking(admin: AuthenticatedClient) -> None:
    delete_chat_model_config.sync(seeded_config(admin).id, client=admin)
    first = create_chat_model_config.sync(
        client=admin, body=models.CreateChatModelConfigRequest(provider="openai", model="gpt-4o", context_limit=10)
    )
    assert first.is_default is True
    second = create_chat_model_config.sync(
        client=admin, body=models.CreateChatModelConfigRequest(provider="openai", model="o3", context_limit=10)
    )
    assert second.is_default is False
    third = create_chat_model_config.sync(
        client=admin,
        body=models.CreateChatModelConfigRequest(provider="openai", model="o4", context_limit=10, is_default=True),
    )
    assert third.is_default is True
    assert {c.model: c.is_default for c in list_chat_model_configs.sync(client=admin)} == {
        "gpt-4o": False,
        "o3": False,
        "o4": True,
    }


def test_create_model_config_with_call_config(admin: AuthenticatedClient) -> None:
    call_config = {
        "max_output_tokens": 1024,
        "temperature": 0.25,
        "top_k": 40,
        "provider_options": {"openai": {"reasoning_effort": "high"}},
    }
    created = create_chat_model_config.sync(
        client=admin,
        body=models.CreateChatModelConfigRequest(
            provider="openai",
            model="o3",
            display_name="o3 (high effort)",
            enabled=False,
            context_limit=200_000,
            compression_threshold=85,
            model_config=models.ChatModelCallConfig.from_dict(call_config),
        ),
    )
    assert (created.display_name, created.enabled, created.compression_threshold, created.context_limit) == (
        "o3 (high effort)",
        False,
        85,
        200_000,
    )
    assert isinstance(created.model_config, models.ChatModelCallConfig)
    assert created.model_config.to_dict() == call_config
    assert (created.model_config.temperature, created.model_config.max_output_tokens) == (0.25, 1024)
    options = created.model_config.provider_options
    assert isinstance(options, models.ChatModelProviderOptions)
    assert isinstance(options.openai, models.ChatModelOpenAIProviderOptions)
    assert options.openai.reasoning_effort == "high"
    # A disabled config is not offered in the catalog.
    assert [m.model for p in list_chat_models.sync(client=admin).providers for m in p.models] == ["gpt-4o-mini"]


def test_update_model_config_upstream_success(admin: AuthenticatedClient, fixture_json: Callable[[str], Any]) -> None:
    before = seeded_config(admin)
    body = models.UpdateChatModelConfigRequest.from_dict(fixture_json("request-update-chat-model-config.json"))
    updated = update_chat_model_config.sync(before.id, client=admin, body=body)
    assert isinstance(updated, models.ChatModelConfig)
    assert updated.id == before.id
    assert (updated.display_name, updated.context_limit) == ("GPT-4o Mini Updated", 8192)
    assert (updated.provider, updated.model, updated.is_default, updated.compression_threshold) == (
        "openai",
        "gpt-4o-mini",
        True,
        70,
    )
    assert updated.created_at == before.created_at
    assert updated.updated_at > before.updated_at
    assert seeded_config(admin).to_dict() == updated.to_dict()


def test_update_model_config_makes_default(admin: AuthenticatedClient) -> None:
    seeded = seeded_config(admin)
    other = create_chat_model_config.sync(
        client=admin, body=models.CreateChatModelConfigRequest(provider="openai", model="gpt-4o", context_limit=1)
    )
    assert other.is_default is False
    promoted = update_chat_model_config.sync(
        other.id, client=admin, body=models.UpdateChatModelConfigRequest(is_default=True, compression_threshold=0)
    )
    assert (promoted.is_default, promoted.compression_threshold) == (True, 0)
    defaults = {c.id: c.is_default for c in list_chat_model_configs.sync(client=admin)}
    assert defaults == {seeded.id: False, other.id: True}
    # New chats use the new default.
    chat = create_chat.sync(
        client=admin,
        body=models.CreateChatRequest(content=[models.ChatInputPart(type_=models.ChatInputPartType.TEXT, text="hi")]),
    )
    assert chat.last_model_config_id == other.id


def test_delete_model_config(admin: AuthenticatedClient) -> None:
    seeded = seeded_config(admin)
    other = create_chat_model_config.sync(
        client=admin, body=models.CreateChatModelConfigRequest(provider="openai", model="gpt-4o", context_limit=1)
    )
    assert result_of(lambda: delete_chat_model_config.sync(seeded.id, client=admin)) is None
    (left,) = list_chat_model_configs.sync(client=admin)
    assert (left.id, left.is_default) == (other.id, True)  # the server always keeps a default
    response = delete_chat_model_config.sync_detailed(other.id, client=admin)
    assert (response.status_code, response.parsed) == (204, None)
    assert list_chat_model_configs.sync(client=admin) == []


# --- admin vs member ------------------------------------------------------------------------------

AdminCall = Callable[[AuthenticatedClient, UUID, UUID], object]

# Each admin route, called with ids that exist (the seeded openai provider and model config) and a
# body the admin may send: 403 must come from the role alone.
ADMIN_ROUTES: dict[str, AdminCall] = {
    "list_chat_providers": lambda c, p, m: list_chat_providers.sync(client=c),
    "create_chat_provider": lambda c, p, m: create_chat_provider.sync(
        client=c, body=models.CreateChatProviderConfigRequest(provider="google", api_key="g-key")
    ),
    "update_chat_provider": lambda c, p, m: update_chat_provider.sync(
        p, client=c, body=models.UpdateChatProviderConfigRequest(display_name="Renamed")
    ),
    "delete_chat_provider": lambda c, p, m: delete_chat_provider.sync(p, client=c),
    "list_chat_model_configs": lambda c, p, m: list_chat_model_configs.sync(client=c),
    "create_chat_model_config": lambda c, p, m: create_chat_model_config.sync(
        client=c, body=models.CreateChatModelConfigRequest(provider="openai", model="gpt-4o", context_limit=1)
    ),
    "update_chat_model_config": lambda c, p, m: update_chat_model_config.sync(
        m, client=c, body=models.UpdateChatModelConfigRequest(display_name="Renamed")
    ),
    "delete_chat_model_config": lambda c, p, m: delete_chat_model_config.sync(m, client=c),
}


def admin_state(admin: AuthenticatedClient) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return (
        [p.to_dict() for p in list_chat_providers.sync(client=admin)],
        [c.to_dict() for c in list_chat_model_configs.sync(client=admin)],
    )


@pytest.mark.parametrize("route", sorted(ADMIN_ROUTES))
def test_member_is_forbidden_and_admin_is_allowed(
    route: str, admin: AuthenticatedClient, member: AuthenticatedClient
) -> None:
    call = ADMIN_ROUTES[route]
    provider_id, config_id = openai_provider(admin).id, seeded_config(admin).id
    state = admin_state(admin)

    with pytest.raises(errors.PermissionDeniedError) as caught:
        call(member, provider_id, config_id)
    err = caught.value
    assert type(err) is errors.PermissionDeniedError
    assert (err.status_code, err.message, err.detail, err.validations) == (403, "Forbidden.", FORBIDDEN_DETAIL, [])
    assert str(err) == f"403 Forbidden: Forbidden. ({FORBIDDEN_DETAIL})"
    assert admin_state(admin) == state  # nothing changed

    result = call(admin, provider_id, config_id)
    if route.startswith("delete_"):
        assert result is None
    elif route.startswith("list_"):
        assert isinstance(result, list) and result
    else:
        assert isinstance(result, (models.ChatProviderConfig, models.ChatModelConfig))


def test_member_uses_chats_and_models(fake: FakeCoder, member: AuthenticatedClient, admin: AuthenticatedClient) -> None:
    catalog = list_chat_models.sync(client=member)
    assert [m.id for p in catalog.providers for m in p.models] == ["openai:gpt-4o-mini"]

    body = models.CreateChatRequest(content=[models.ChatInputPart(type_=models.ChatInputPartType.TEXT, text="hi")])
    chat = create_chat.sync(client=member, body=body)
    assert (chat.owner_id, chat.status) == (UUID(fake.member_id), models.ChatStatus.PENDING)
    assert fake.wait_idle(str(chat.id)) == "waiting"
    assert [c.id for c in list_chats.sync(client=member)] == [chat.id]
    assert [m.role for m in get_chat.sync(chat.id, client=member).messages] == ["user", "assistant", "tool"]
    message = models.CreateChatMessageRequest(
        content=[models.ChatInputPart(type_=models.ChatInputPartType.TEXT, text="more")]
    )
    assert create_chat_message.sync(chat.id, client=member, body=message).queued is False
    assert interrupt_chat.sync(chat.id, client=member).status == models.ChatStatus.WAITING
    assert get_chat_diff_status.sync(chat.id, client=member).chat_id == chat.id
    assert get_chat_diff_contents.sync(chat.id, client=member).chat_id == chat.id
    # The admin is just another user for chats: the member's chat is invisible to them.
    assert list_chats.sync(client=admin) == []
    with pytest.raises(errors.NotFoundError):
        get_chat.sync(chat.id, client=admin)
    assert result_of(lambda: delete_chat.sync(chat.id, client=member)) is None
    assert list_chats.sync(client=member) == []
