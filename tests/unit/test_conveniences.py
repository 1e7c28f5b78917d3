"""Friendlier requests and client set-up: each test first reproduced the trap it guards against."""

from __future__ import annotations

import copy
import importlib.metadata
import pickle
import re
import tomllib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import coder_chat.client
from coder_chat.client import AuthenticatedClient, Client, errors, models
from coder_chat.client.api.chats import edit_chat_message, get_chat
from coder_chat.client.types import UNSET

REPO = Path(__file__).resolve().parents[2]
CHAT_ID = "6f1c1b1e-8c43-4d0e-9a57-0b8a5c3f2d11"
# Nothing listens on port 9 of loopback: a request that were sent would fail with APIConnectionError.
NOWHERE = "http://127.0.0.1:9"


# --- from_env --------------------------------------------------------------------------------------


def test_from_env_reads_the_coder_cli_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODER_URL", "https://coder.example.com")
    monkeypatch.setenv("CODER_SESSION_TOKEN", "tok-123")
    client = AuthenticatedClient.from_env(max_retries=0, prefix="Bearer")
    assert (client.base_url, client.token, client.max_retries, client.prefix) == (
        "https://coder.example.com",
        "tok-123",
        0,
        "Bearer",
    )
    assert client.credential_headers() == {"Coder-Session-Token": "Bearer tok-123"}
    plain = Client.from_env(follow_redirects=True)
    assert (type(plain), plain.base_url, plain.follow_redirects) == (Client, "https://coder.example.com", True)


@pytest.mark.parametrize("value", [None, "", "   "])
@pytest.mark.parametrize("missing", ["CODER_URL", "CODER_SESSION_TOKEN"])
def test_from_env_names_a_missing_or_empty_variable(
    monkeypatch: pytest.MonkeyPatch, missing: str, value: str | None
) -> None:
    monkeypatch.setenv("CODER_URL", "https://coder.example.com")
    monkeypatch.setenv("CODER_SESSION_TOKEN", "secret-token-value")
    if value is None:
        monkeypatch.delenv(missing)
    else:
        monkeypatch.setenv(missing, value)
    with pytest.raises(errors.MissingEnvironmentVariableError) as caught:
        AuthenticatedClient.from_env()
    assert caught.value.name == missing
    assert str(caught.value) == f"environment variable {missing} is not set (or is empty)"
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, errors.CoderChatError)
    assert "secret-token-value" not in repr(caught.value)


def test_client_from_env_needs_only_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CODER_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("CODER_URL", raising=False)
    with pytest.raises(errors.MissingEnvironmentVariableError, match="CODER_URL"):
        Client.from_env()
    monkeypatch.setenv("CODER_URL", "http://127.0.0.1:3000")
    assert Client.from_env().base_url == "http://127.0.0.1:3000"


# --- base_url and token are checked when the client is built ------------------------------------


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        ("coder.example.com", "base_url must be an absolute http:// or https:// URL such as "),
        ("127.0.0.1:3000", "base_url must be an absolute http:// or https:// URL such as "),
        ("ftp://coder.example.com", "base_url must be an absolute http:// or https:// URL such as "),
        ("ws://coder.example.com", "base_url must be an absolute http:// or https:// URL such as "),
        ("/api/experimental", "base_url must be an absolute http:// or https:// URL such as "),
        ("", "base_url must be an absolute http:// or https:// URL such as "),
        ("https://", "base_url must name a host"),
    ],
)
def test_a_base_url_that_is_not_absolute_http_is_refused_when_built(base_url: str, message: str) -> None:
    # Before: built fine; the first call failed with httpx's UnsupportedProtocol inside an APIConnectionError.
    builds: list[Callable[[], object]] = [
        lambda: AuthenticatedClient(base_url=base_url, token="secret-token-value"),
        lambda: Client(base_url=base_url),
    ]
    for build in builds:
        with pytest.raises(ValueError, match="^" + message) as caught:
            build()
        assert "secret-token-value" not in str(caught.value)


def test_a_base_url_of_the_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError) as caught:
        Client(base_url=b"https://coder.example.com")  # type: ignore[arg-type]
    assert str(caught.value) == "base_url must be a str such as 'https://coder.example.com', not bytes"


@pytest.mark.parametrize("token", ["", "  \n"])
def test_an_empty_token_is_refused_when_built(token: str) -> None:
    with pytest.raises(ValueError, match=r"^token is empty: pass the Coder session token"):
        AuthenticatedClient(base_url="https://coder.example.com", token=token)


@pytest.mark.parametrize(
    "token", ["secret-token-value\n# my token", "secret-token-value\0", "secret-token-value\t", "secret-tökén-value"]
)
def test_a_token_that_cannot_be_a_header_is_refused_when_built_without_showing_it(token: str) -> None:
    # httpx would refuse it at the first request, with an error that quotes the whole header value.
    with pytest.raises(ValueError) as caught:
        AuthenticatedClient(base_url="https://coder.example.com", token=token)
    assert str(caught.value) == (
        "token has a line break, a control or a non-ASCII character: a Coder session token has none"
    )
    assert "secret" not in str(caught.value)


def test_task_level_calls_name_a_bad_client_or_chat_id_before_any_request() -> None:
    import asyncio

    from coder_chat.streaming import aask, ask, detect_api, start_turn, stream_chat

    with pytest.raises(TypeError, match=r"^client must be a Client or an AuthenticatedClient, not NoneType$"):
        ask(None, "hi")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^client must be a Client or an AuthenticatedClient, not str$"):
        detect_api("https://coder.example.com")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^client must be a Client or an AuthenticatedClient, not NoneType$"):
        asyncio.run(aask(None, "hi"))  # type: ignore[arg-type]
    client = AuthenticatedClient(base_url=NOWHERE, token="t")  # nothing listens: no request may be tried
    with pytest.raises(TypeError, match=r"^chat_id must be a UUID or a str, not int$"):
        ask(client, "hi", chat_id=123)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^chat_id must be a UUID, not the string 'chat-1'$"):
        start_turn(client, "hi", chat_id="chat-1")
    with pytest.raises(ValueError, match=r"^chat_id must be a UUID, not the string 'chat-1'$"):
        stream_chat(client, "chat-1")


def test_deriving_a_client_keeps_the_checks() -> None:
    client = AuthenticatedClient(base_url="https://coder.example.com", token="t")
    assert client.with_headers({"X-A": "1"}).headers == {"X-A": "1"}


# --- path parameters ---------------------------------------------------------------------------------


def test_a_path_parameter_that_is_not_a_uuid_is_refused_before_any_request() -> None:
    with Client(base_url=NOWHERE) as client:
        with pytest.raises(ValueError, match=r"^chat_id must be a UUID, not the string 'chat-1'$"):
            get_chat.sync("chat-1", client=client)
        with pytest.raises(TypeError, match=r"^chat_id must be a UUID or a str, not int$"):
            get_chat.sync(5, client=client)  # type: ignore[arg-type]
        body = models.EditChatMessageRequest(content=[models.ChatInputPart(type_="text", text="x")])
        with pytest.raises(ValueError, match=r"^message_id must be an integer, not the string 'last'$"):
            edit_chat_message.sync(CHAT_ID, "last", client=client, body=body)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"^message_id must be an int, not bool$"):
            edit_chat_message.sync(CHAT_ID, True, client=client, body=body)
        # A well-formed str id gets as far as the network (nothing listens there).
        with pytest.raises(errors.APIConnectionError):
            get_chat.sync(CHAT_ID, client=client, max_retries=0)


# --- request models ------------------------------------------------------------------------------------


def test_an_enum_field_takes_its_wire_string() -> None:
    # Before: built, then to_dict() raised AttributeError: 'str' object has no attribute 'value'.
    part = models.ChatInputPart(type_="text", text="x")
    assert part.type_ is models.ChatInputPartType.TEXT
    assert part.to_dict() == {"type": "text", "text": "x"}
    part.type_ = "text"  # type: ignore[assignment]
    assert part.type_ is models.ChatInputPartType.TEXT


def test_an_unknown_enum_string_is_kept_and_round_trips() -> None:
    part = models.ChatInputPart(type_="workspace-file-reference", text="x")
    assert part.type_ == "workspace-file-reference" and not part.type_.is_known
    assert part.to_dict() == {"type": "workspace-file-reference", "text": "x"}
    assert models.ChatInputPart.from_dict(part.to_dict()).to_dict() == part.to_dict()


def test_nested_models_may_be_given_as_dicts_and_uuids_as_strings() -> None:
    request = models.CreateChatRequest(
        content=[{"type": "text", "text": "hello"}],  # type: ignore[list-item]
        workspace_id=CHAT_ID,
    )
    assert request.content == [models.ChatInputPart(type_=models.ChatInputPartType.TEXT, text="hello")]
    assert request.workspace_id == uuid.UUID(CHAT_ID)
    assert request.to_dict() == {"content": [{"type": "text", "text": "hello"}], "workspace_id": CHAT_ID}
    assert models.CreateChatRequest(content=(models.ChatInputPart(type_="text", text="a"),)).content == [  # type: ignore[arg-type]
        models.ChatInputPart(type_=models.ChatInputPartType.TEXT, text="a")
    ]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        # Before: AttributeError: 'str' object has no attribute 'to_dict' when sent.
        (lambda: models.CreateChatRequest(content="hello"), "field 'content' must be list[ChatInputPart], not str"),  # type: ignore[arg-type]
        (lambda: models.CreateChatRequest(content=["hello"]), "field 'content[0]' must be ChatInputPart, not str"),  # type: ignore[list-item]
        (lambda: models.CreateChatRequest(content=None), "field 'content' must be list[ChatInputPart], not NoneType"),  # type: ignore[arg-type]
        (lambda: models.ChatInputPart(type_=1), "field 'type' must be ChatInputPartType or its wire value, not int"),  # type: ignore[arg-type]
        (
            lambda: models.ChatInputPart(type_=None),  # type: ignore[arg-type]
            "field 'type' must be ChatInputPartType or its wire value, not NoneType",
        ),
        (
            lambda: models.CreateChatRequest(content=[], model_config_id="nope"),
            "field 'model_config_id' must be a UUID, not the string 'nope'",
        ),
        (
            lambda: models.CreateChatRequest(content=[], model_config_id=7),  # type: ignore[arg-type]
            "field 'model_config_id' must be UUID or str, not int",
        ),
        (
            lambda: models.CreateChatModelConfigRequest(provider="openai", model="m", model_config="fast"),  # type: ignore[arg-type]
            "field 'model_config' must be ChatModelCallConfig, not str",
        ),
        # Optional but not nullable: None is no value for these. Before: accepted, then AttributeError
        # ('NoneType' object has no attribute 'to_dict') or a null the server refuses, when sent.
        (
            lambda: models.ChatModelOpenRouterProviderOptions(extra_body=None),  # type: ignore[arg-type]
            "field 'extra_body' must be ChatModelOpenRouterProviderOptionsExtraBody, not NoneType",
        ),
        (
            lambda: models.ChatModelOpenAIProviderOptions(include=None),  # type: ignore[arg-type]
            "field 'include' must be list[str], not NoneType",
        ),
    ],
)
def test_a_wrong_type_is_a_type_error_naming_the_field_when_built(build: Any, message: str) -> None:
    with pytest.raises(errors.FieldTypeError) as caught:
        build()
    assert str(caught.value) == message
    assert isinstance(caught.value, TypeError)


def test_none_stays_allowed_where_the_field_is_nullable_and_unset_where_it_is_optional() -> None:
    options = models.ChatModelOpenRouterProviderOptions(reasoning=None)  # nullable in the spec
    assert options.reasoning is None
    assert options.to_dict() == {"reasoning": None}
    assert models.ChatModelOpenRouterProviderOptions(extra_body=UNSET).to_dict() == {}


def test_assigning_a_wrong_type_later_is_refused_too() -> None:
    request = models.CreateChatMessageRequest(content=[])
    with pytest.raises(errors.FieldTypeError, match=r"^field 'content' must be list\[ChatInputPart\], not str$"):
        request.content = "hello"  # type: ignore[assignment]


def test_unset_stays_the_one_unset_through_pickle_and_copy() -> None:
    part = models.ChatInputPart(type_="text")  # text unset
    for twin in (pickle.loads(pickle.dumps(part)), copy.deepcopy(part), copy.copy(part)):
        assert twin == part
        assert twin.text is UNSET
        assert twin.to_dict() == {"type": "text"}
    assert pickle.loads(pickle.dumps(UNSET)) is UNSET
    assert copy.deepcopy([UNSET])[0] is UNSET


# --- repr ----------------------------------------------------------------------------------------------


def test_repr_shows_the_fields_that_are_set() -> None:
    # Before: every unset field showed as <coder_chat.client.types.Unset object at 0x...>.
    request = models.CreateChatRequest(content=[models.ChatInputPart(type_="text", text="hi")])
    assert repr(request) == (
        "CreateChatRequest(content=[ChatInputPart(type_=<ChatInputPartType.TEXT: 'text'>, text='hi')])"
    )
    assert repr(models.UpdateChatRequest(title="t")) == "UpdateChatRequest(title='t')"
    assert repr(models.UpdateChatProviderConfigRequest()) == "UpdateChatProviderConfigRequest()"
    part = models.ChatInputPart.from_dict({"type": "text", "extra": 1})
    assert repr(part) == "ChatInputPart(type_=<ChatInputPartType.TEXT: 'text'>, additional_properties={'extra': 1})"
    assert "Unset" not in repr(models.UpdateChatModelConfigRequest(enabled=None))
    assert repr(models.UpdateChatModelConfigRequest(enabled=None)) == "UpdateChatModelConfigRequest(enabled=None)"


def test_a_secret_shows_that_it_is_set_never_its_value() -> None:
    create = models.CreateChatProviderConfigRequest(provider="openai", api_key="sk-very-secret")
    assert repr(create) == "CreateChatProviderConfigRequest(provider='openai', api_key=***)"
    assert str(create) == repr(create)
    update = models.UpdateChatProviderConfigRequest(api_key="sk-very-secret", enabled=True)
    assert repr(update) == "UpdateChatProviderConfigRequest(api_key=***, enabled=True)"
    assert f"{[update]}" == "[UpdateChatProviderConfigRequest(api_key=***, enabled=True)]"
    # An empty key (which clears the stored one) and null carry no secret.
    assert repr(models.UpdateChatProviderConfigRequest(api_key="")) == "UpdateChatProviderConfigRequest(api_key='')"
    assert repr(models.UpdateChatProviderConfigRequest(api_key=None)) == "UpdateChatProviderConfigRequest(api_key=None)"
    assert models.UpdateChatProviderConfigRequest().api_key is UNSET


# --- version -------------------------------------------------------------------------------------------


def test_version_is_the_distribution_version() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["dynamic"] == ["version"]  # written once, in coder_chat._runtime.version
    assert coder_chat.client.__version__ == importlib.metadata.version("coder-chat")
    assert re.fullmatch(r"\d+\.\d+\.\d+", coder_chat.client.__version__)
