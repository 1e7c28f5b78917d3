"""Every field of a model is type-checked when the model is built or a field assigned, scalars too.

A ``str``, ``int``, ``float``, ``bool`` or date-time field refuses a value of another type with a
``FieldTypeError`` naming the field (a ``bool`` is not a number; an ``int`` is a ``float``; an ``int``
must fit Go's ``int64``), so a wrongly typed request never reaches the server. The three stream models
stay unconverted (they are built from the wire, already typed). ``from_dict`` refuses the same values.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest

from coder_chat.client import errors, models
from coder_chat.client.types import UNSET

# The wrong values below are what a type checker refuses; they are built through an untyped alias, as an
# untyped caller (or data read from a file) would.
untyped: Any = models


def _call_config(**fields: Any) -> models.ChatModelCallConfig:
    return models.ChatModelCallConfig(**fields)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: untyped.ChatInputPart(type_="text", text=5), "field 'text' must be str, not int"),
        (
            lambda: untyped.CreateChatProviderConfigRequest(provider="openai", enabled="yes"),
            "field 'enabled' must be bool | None, not str",
        ),
        (
            lambda: untyped.UpdateChatModelConfigRequest(enabled="yes"),
            "field 'enabled' must be bool | None, not str",
        ),
        (lambda: untyped.UpdateChatRequest(title=None), "field 'title' must be str, not NoneType"),
        (lambda: untyped.UpdateChatRequest(title=b"x"), "field 'title' must be str, not bytes"),
        (
            lambda: untyped.CreateChatModelConfigRequest(provider="openai", model="m", display_name=None),
            "field 'display_name' must be str, not NoneType",
        ),
        # bool is not a number
        (
            lambda: untyped.CreateChatModelConfigRequest(provider="openai", model="m", context_limit=True),
            "field 'context_limit' must be int | None, not bool",
        ),
        (lambda: _call_config(temperature=True), "field 'temperature' must be float | None, not bool"),
        (lambda: _call_config(top_k=1.5), "field 'top_k' must be int | None, not float"),
        (lambda: _call_config(top_p="0.9"), "field 'top_p' must be float | None, not str"),
        # a number is not a bool
        (
            lambda: untyped.UpdateChatProviderConfigRequest(enabled=1),
            "field 'enabled' must be bool | None, not int",
        ),
        # Go's int64
        (
            lambda: _call_config(max_output_tokens=2**63),
            f"field 'max_output_tokens' is {2**63}, out of the int64 range",
        ),
        # a secret field is checked too, and its value is not printed
        (
            lambda: untyped.CreateChatProviderConfigRequest(provider="openai", api_key=123456),
            "field 'api_key' must be str, not int",
        ),
    ],
)
def test_a_scalar_of_the_wrong_type_is_refused_naming_the_field(build: Callable[[], object], message: str) -> None:
    with pytest.raises(errors.FieldTypeError) as caught:
        build()
    assert str(caught.value) == message
    assert isinstance(caught.value, TypeError)


def test_the_field_named_is_the_wire_name() -> None:
    with pytest.raises(errors.FieldTypeError) as caught:
        untyped.ChatInputPart(type_="text", text=5)
    assert caught.value.field == "text"


def test_what_a_scalar_field_accepts_is_kept_as_given() -> None:
    config = _call_config(temperature=1, top_p=0.5, top_k=3, max_output_tokens=None, frequency_penalty=UNSET)
    assert config.temperature == 1 and config.temperature.__class__ is int  # an int is a float, kept as is
    assert (config.top_p, config.top_k, config.max_output_tokens) == (0.5, 3, None)
    assert config.frequency_penalty is UNSET
    assert config.to_dict() == {"temperature": 1, "top_p": 0.5, "top_k": 3, "max_output_tokens": None}

    class Name(str):
        pass

    request = models.UpdateChatRequest(title=Name("renamed"))  # a str subclass is a str
    assert request.to_dict() == {"title": "renamed"}
    provider = models.UpdateChatProviderConfigRequest(enabled=False, api_key="")
    assert provider.to_dict() == {"enabled": False, "api_key": ""}


def test_assigning_a_wrong_scalar_later_is_refused_too() -> None:
    config = _call_config(temperature=0.2)
    with pytest.raises(errors.FieldTypeError, match=r"^field 'temperature' must be float \| None, not str$"):
        config.temperature = "hot"  # type: ignore[assignment]
    assert config.temperature == 0.2
    request = models.CreateChatProviderConfigRequest(provider="openai")
    with pytest.raises(errors.FieldTypeError, match=r"^field 'enabled' must be bool \| None, not str$"):
        request.enabled = "yes"  # type: ignore[assignment]
    request.enabled = True
    assert request.to_dict() == {"provider": "openai", "enabled": True}


def test_a_date_time_field_takes_a_datetime_only() -> None:
    now = datetime.datetime.now(datetime.UTC)
    fields: dict[str, Any] = {
        "id": uuid4(),
        "owner_id": uuid4(),
        "last_model_config_id": uuid4(),
        "title": "t",
        "status": "waiting",
        "created_at": now,
        "updated_at": now,
    }
    assert models.Chat(**fields).created_at is now
    with pytest.raises(errors.FieldTypeError, match=r"^field 'created_at' must be datetime.datetime, not str$"):
        models.Chat(**{**fields, "created_at": now.isoformat()})


@pytest.mark.parametrize(
    ("model", "body", "message"),
    [
        # JSON true is not a number, for a float field as for an int field
        (models.ChatModelCallConfig, {"temperature": True}, "field 'temperature' must be float | None, not bool"),
        (models.ChatModelCallConfig, {"top_k": True}, "field 'top_k' must be int | None, not bool"),
        (models.ChatInputPart, {"type": "text", "text": 5}, "field 'text' must be str, not int"),
        (
            models.UpdateChatProviderConfigRequest,
            {"enabled": "yes"},
            "field 'enabled' must be bool | None, not str",
        ),
    ],
)
def test_from_dict_refuses_the_same_values(model: Any, body: dict[str, Any], message: str) -> None:
    with pytest.raises(errors.FieldTypeError) as caught:
        model.from_dict(body)
    assert str(caught.value) == message


def test_from_dict_takes_an_int_for_a_float_field() -> None:
    config = models.ChatModelCallConfig.from_dict({"temperature": 1, "top_p": 0.5})
    assert (config.temperature, config.top_p) == (1, 0.5)


def test_the_three_stream_models_are_not_converted() -> None:
    # Built by the stream decoder from typed JSON; a converter per field would slow every event down.
    part = untyped.ChatMessagePart(type_=models.ChatMessagePartType.TEXT, text=5)
    assert part.text == 5
    # ...but their from_dict checks the JSON type, JSON true included
    with pytest.raises(errors.FieldTypeError, match=r"^field 'text' must be str, not int$"):
        models.ChatMessagePart.from_dict({"type": "text", "text": 5})
