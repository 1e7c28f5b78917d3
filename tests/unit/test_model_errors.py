"""A malformed value anywhere in a body: ``from_dict`` raises ``ResponseValidationError`` naming its path.

The path runs from the root of what ``from_dict`` was given (``chat.owner_id``,
``messages[3].content[0].created_at``, ``[2].id`` in a list body); the message says what was expected and
what came. The error is also the exception the models raised before it named the path (``KeyError`` for a
missing key, ``FieldTypeError`` for a wrong type, ``ValueError`` for a bad string).
"""

from __future__ import annotations

import pickle
import uuid
from typing import Any

import pytest

from coder_chat.client import AuthenticatedClient, errors
from coder_chat.client.api.chats import get_chat, list_chats
from coder_chat.client.models import (
    Chat,
    ChatMessage,
    ChatMessagePart,
    ChatMessagesResponse,
    ChatStatus,
    ChatWatchEvent,
    CreateChatProviderConfigRequest,
)
from tests.support.scripted_http import Reply, ScriptedServer

TOKEN = "session-token"


def chat(**changes: Any) -> dict[str, Any]:
    """A valid Chat object, with `changes` (a value of `...` drops the key)."""
    raw: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "owner_id": str(uuid.uuid4()),
        "last_model_config_id": str(uuid.uuid4()),
        "title": "hello",
        "status": "waiting",
        "created_at": "2026-02-26T10:00:00Z",
        "updated_at": "2026-02-26T10:00:01.5Z",
        "archived": False,
    }
    raw.update(changes)
    return {key: value for key, value in raw.items() if value is not ...}


def message(**changes: Any) -> dict[str, Any]:
    """A valid ChatMessage object with two text parts, with `changes` (`...` drops the key)."""
    raw: dict[str, Any] = {
        "id": 7,
        "chat_id": str(uuid.uuid4()),
        "created_at": "2026-02-26T10:00:00Z",
        "role": "assistant",
        "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
        "usage": {"input_tokens": 3, "output_tokens": 4},
    }
    raw.update(changes)
    return {key: value for key, value in raw.items() if value is not ...}


def refused(parse: Any, raw: object) -> errors.ResponseValidationError:
    with pytest.raises(errors.ResponseValidationError) as info:
        parse(raw)
    return info.value


def test_a_missing_required_key_names_its_path_and_is_still_a_key_error() -> None:
    error = refused(Chat.from_dict, chat(title=...))
    assert error.field == "title"
    assert isinstance(error, KeyError)
    assert str(error) == "'title'"  # what a KeyError's str() is: the missing key
    nested = refused(ChatWatchEvent.from_dict, {"kind": "created", "chat": chat(owner_id=...)})
    assert nested.field == "chat.owner_id"
    assert isinstance(nested, KeyError) and nested.args == ("chat.owner_id",)


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        (chat(title=5), "title", "field 'title' must be str, not int"),  # a string field
        (chat(archived="no"), "archived", "field 'archived' must be bool, not str"),  # a boolean field
        (chat(title=None), "title", "field 'title' must be str, not NoneType"),
        (chat(mcp_server_ids="x"), "mcp_server_ids", "field 'mcp_server_ids' must be a list (each item a UUID), not"),
        (chat(diff_status=[]), "diff_status", "field 'diff_status' must be ChatDiffStatus, not list"),  # an object
    ],
)
def test_a_wrong_json_type_names_the_field(raw: dict[str, Any], field: str, message: str) -> None:
    error = refused(Chat.from_dict, raw)
    assert error.field == field
    assert str(error).startswith(message)
    assert isinstance(error, errors.FieldTypeError)  # as before the path: a FieldTypeError (a TypeError)


def test_a_wrong_json_type_for_an_integer_and_a_list_field() -> None:
    error = refused(ChatMessage.from_dict, message(id="7"))
    assert (error.field, str(error)) == ("id", "field 'id' must be int, not str")
    error = refused(ChatMessage.from_dict, message(content={"type": "text"}))
    assert error.field == "content"
    assert str(error) == "field 'content' must be a list (each item a ChatMessagePart object), not an object"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not-a-uuid", "field 'owner_id' must be a UUID, not the string 'not-a-uuid'"),
        (5, "field 'owner_id' must be a UUID, not the number 5"),
        ([], "field 'owner_id' must be a UUID, not a list"),
    ],
)
def test_a_bad_uuid_names_the_field(value: object, message: str) -> None:
    error = refused(Chat.from_dict, chat(owner_id=value))
    assert (error.field, str(error)) == ("owner_id", message)
    assert error.__cause__ is not None  # what UUID() raised, kept for debugging


@pytest.mark.parametrize(
    ("value", "message", "kind"),
    [
        ("yesterday", "field 'created_at' must be an RFC 3339 date-time, not the string 'yesterday'", ValueError),
        (1700000000, "field 'created_at' must be an RFC 3339 date-time, not the number 1700000000", TypeError),
        (None, "field 'created_at' must be an RFC 3339 date-time, not null", TypeError),
    ],
)
def test_a_bad_date_time_names_the_field(value: object, message: str, kind: type[Exception]) -> None:
    error = refused(Chat.from_dict, chat(created_at=value))
    assert (error.field, str(error)) == ("created_at", message)
    assert isinstance(error, kind)  # a bad string stays a ValueError, a wrong type a TypeError


def test_an_enum_refuses_a_value_that_is_no_string_naming_the_field() -> None:
    error = refused(Chat.from_dict, chat(status=7))
    assert (error.field, str(error)) == ("status", "field 'status' must be a ChatStatus value, not the number 7")
    assert isinstance(error, ValueError)
    assert Chat.from_dict(chat(status="running")).status is ChatStatus.RUNNING
    # A string the enum does not know is kept (forward compatibility), not refused.
    assert Chat.from_dict(chat(status="hibernating")).status == "hibernating"


def test_a_bad_item_of_a_list_of_uuids_names_its_index() -> None:
    error = refused(Chat.from_dict, chat(mcp_server_ids=[str(uuid.uuid4()), "x"]))
    assert (error.field, str(error)) == (
        "mcp_server_ids[1]",
        "field 'mcp_server_ids[1]' must be a UUID, not the string 'x'",
    )


def test_a_list_element_that_is_not_an_object_names_its_index() -> None:
    content = [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}, "c"]
    error = refused(ChatMessage.from_dict, message(content=content))
    assert error.field == "content[2]"
    assert str(error) == "field 'content[2]' must be a ChatMessagePart object, not the string 'c'"


def test_a_nested_models_bad_field_gets_its_parents_path() -> None:
    assert ChatMessage.from_dict(message()).usage.output_tokens == 4  # type: ignore[union-attr]  # (unbroken)
    error = refused(ChatMessage.from_dict, message(usage={"input_tokens": "many"}))
    assert error.field == "usage.input_tokens"
    assert "field 'usage.input_tokens' must be int | None, not str" in str(error)

    messages = [message(id=i) for i in range(5)]
    assert len(ChatMessagesResponse.from_dict({"messages": messages, "has_more": False}).messages) == 5
    messages[3]["content"][1] = {"type": "reasoning", "created_at": "yesterday"}
    error = refused(ChatMessagesResponse.from_dict, {"messages": messages, "has_more": False})
    assert error.field == "messages[3].content[1].created_at"
    assert str(error) == (
        "field 'messages[3].content[1].created_at' must be an RFC 3339 date-time, not the string 'yesterday'"
    )

    children = [chat(), chat(children=[chat(), chat(id="x")])]
    error = refused(Chat.from_dict, chat(children=children))
    assert error.field == "children[1].children[1].id"


def test_a_sparse_models_bad_field_and_missing_type() -> None:
    # ChatMessagePart reads the keys present in one loop: the key it was reading is the one named.
    error = refused(ChatMessagePart.from_dict, {"type": "text", "text": "a", "completed_at": 5})
    assert (error.field, str(error)) == (
        "completed_at",
        "field 'completed_at' must be an RFC 3339 date-time, not the number 5",
    )
    error = refused(ChatMessage.from_dict, message(content=[{"type": "text"}, {"text": "no type"}]))
    assert error.field == "content[1].type"
    assert isinstance(error, KeyError)


def test_a_value_that_is_not_an_object_at_the_root() -> None:
    error = refused(Chat.from_dict, 5)
    assert error.field is None
    assert str(error) == "the JSON value must be a Chat object, not the number 5"


def test_a_long_or_secret_value_stays_out_of_the_message() -> None:
    error = refused(Chat.from_dict, chat(owner_id="x" * 500))
    assert str(error) == f"field 'owner_id' must be a UUID, not the string {'x' * 40 + '...'!r}"
    provider = {"provider": "openai", "api_key": "sk-" + "s" * 30}
    assert CreateChatProviderConfigRequest.from_dict(provider).api_key == provider["api_key"]
    error = refused(CreateChatProviderConfigRequest.from_dict, {**provider, "api_key": 12345678})
    assert error.field == "api_key"
    assert "12345678" not in str(error)


def test_the_error_pickles_with_its_path() -> None:
    error = refused(ChatMessage.from_dict, message(usage={"input_tokens": "many"}))
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (copy.field, str(copy)) == (error.field, str(error))


def test_a_rest_body_names_the_path_from_its_root() -> None:
    body = {"chat": chat(), "messages": [message(), message(content=[{"type": "text", "text": 5}])]}
    with (
        ScriptedServer(Reply(200, body)) as server,
        AuthenticatedClient(base_url=server.url, token=TOKEN) as client,
        pytest.raises(errors.ResponseValidationError) as info,
    ):
        get_chat.sync(uuid.uuid4(), client=client)
    assert info.value.field == "messages[1].content[0].text"
    assert str(info.value) == (
        "invalid 200 response to get_chat: field 'messages[1].content[0].text' must be str, not int"
    )
    assert (info.value.status_code, type(info.value)) == (200, errors.ResponseValidationError)


def test_a_list_body_names_the_index_of_its_bad_element() -> None:
    body = [chat(), chat(), chat(id=42)]
    with (
        ScriptedServer(Reply(200, body)) as server,
        AuthenticatedClient(base_url=server.url, token=TOKEN) as client,
        pytest.raises(errors.ResponseValidationError) as info,
    ):
        list_chats.sync(client=client)
    assert info.value.field == "[2].id"
    assert str(info.value) == "invalid 200 response to list_chats: field '[2].id' must be a UUID, not the number 42"

    with (
        ScriptedServer(Reply(200, {"chats": []})) as server,
        AuthenticatedClient(base_url=server.url, token=TOKEN) as client,
        pytest.raises(errors.ResponseValidationError) as info,
    ):
        list_chats.sync(client=client)
    assert info.value.field is None
    assert (
        str(info.value)
        == "invalid 200 response to list_chats: the JSON value must be a list (each item a Chat object), not an object"
    )


def test_a_model_built_from_a_malformed_nested_mapping_names_the_path() -> None:
    # A converter reads a mapping with the nested model's from_dict: its error gets the field's name.
    with pytest.raises(errors.FieldTypeError) as info:
        ChatWatchEvent(kind="created", chat=chat(owner_id=5))  # type: ignore[arg-type]
    assert isinstance(info.value, errors.ResponseValidationError)
    assert (info.value.field, str(info.value)) == (
        "chat.owner_id",
        "field 'chat.owner_id' must be a UUID, not the number 5",
    )
