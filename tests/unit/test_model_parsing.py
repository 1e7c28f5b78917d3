"""What the faster generated parsers (templates/model.py.jinja, str_enum, types, models_init) must keep.

`from_dict` reads its input without copying it; these pin that it still never changes the input, that
`additional_properties` holds exactly the unknown keys (in input order, in a dict of its own), that a
Mapping other than a dict still works, and that wrong types are refused as before. The enum and UUID
shortcuts give what the plain calls give, and the models package imports a model only on first use.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from types import MappingProxyType
from typing import Any
from uuid import UUID

import pytest

import coder_chat.client.models as models
from coder_chat.client.errors import FieldTypeError, ResponseValidationError
from coder_chat.client.models import (
    ChatMessage,
    ChatMessagePart,
    ChatMessagePartType,
    ChatModelOpenAIProviderOptionsLogitBias,
    ChatStatus,
)
from coder_chat.client.types import UNSET, uuid_from_wire

CHAT = "6f1c1b4e-8a51-4c43-9d2e-0b8a7f1c9e21"


def message(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "id": 7,
        "chat_id": CHAT,
        "created_at": "2026-01-15T12:00:00.12345Z",
        "role": "assistant",
        "content": [{"type": "text", "text": "hi", "zeta": 1}, {"type": "reasoning", "text": "hmm"}],
        "usage": {"input_tokens": 3, "output_tokens": 4},
        "later_field": {"a": [1]},
    }
    raw.update(changes)
    return raw


def test_from_dict_leaves_its_input_unchanged() -> None:
    raw = message()
    before = copy.deepcopy(raw)
    parsed = ChatMessage.from_dict(raw)
    assert raw == before
    assert ChatMessage.from_dict(parsed.to_dict()) == parsed  # and it round-trips
    assert parsed.additional_properties == {"later_field": {"a": [1]}}


def test_additional_properties_are_the_unknown_keys_in_order_in_a_dict_of_their_own() -> None:
    raw = {"zeta": 1, "type": "text", "alpha": [2], "text": "x", "mid": None}
    part = ChatMessagePart.from_dict(raw)
    assert list(part.additional_properties.items()) == [("zeta", 1), ("alpha", [2]), ("mid", None)]
    assert part.additional_properties is not raw
    part.additional_properties["new"] = True
    assert "new" not in raw
    plain = ChatMessagePart.from_dict({"type": "text", "text": "x"})
    assert plain.additional_properties == {}
    other = ChatMessagePart.from_dict({"type": "text", "text": "y"})
    assert plain.additional_properties is not other.additional_properties  # never shared


def test_a_mapping_that_is_not_a_dict_still_parses() -> None:
    part = ChatMessagePart.from_dict(MappingProxyType({"type": "tool-call", "tool_call_id": "c1", "extra": 5}))
    assert (part.type_, part.tool_call_id, part.text) == (ChatMessagePartType.TOOL_CALL, "c1", UNSET)
    assert part.additional_properties == {"extra": 5}


def test_typed_additional_properties_skip_nothing_but_known_keys() -> None:
    bias = ChatModelOpenAIProviderOptionsLogitBias.from_dict({"50256": -100, "198": 5})
    assert bias.additional_properties == {"50256": -100, "198": 5}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": "7"}, "id"),
        ({"role": 5}, "role"),
        ({"content": [{"type": "text", "text": 5}]}, "content[0].text"),
        ({"content": [{"type": "text", "is_error": "no"}]}, "content[0].is_error"),
        ({"content": [{"type": "text", "text": None}]}, "content[0].text"),
        ({"usage": "x"}, "usage"),
    ],
)
def test_wrong_types_are_refused_naming_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(FieldTypeError) as info:
        ChatMessage.from_dict(message(**changes))
    assert info.value.field == field


def test_subclasses_of_the_json_types_are_accepted_as_isinstance_accepts_them() -> None:
    class Text(str):
        pass

    class Number(int):
        pass

    part = ChatMessagePart.from_dict({"type": "text", "text": Text("x"), "is_error": True})
    assert part.text == "x"
    assert ChatMessage.from_dict(message(id=Number(5))).id == 5


@pytest.mark.parametrize("value", [True, False, 2**63, -(2**63) - 1, 10**30])
def test_an_integer_field_refuses_booleans_and_numbers_outside_int64_as_go_does(value: object) -> None:
    with pytest.raises(FieldTypeError) as info:
        ChatMessage.from_dict(message(id=value))
    assert info.value.field == "id"
    assert isinstance(info.value, TypeError)  # FieldTypeError stays a TypeError
    with pytest.raises(FieldTypeError) as info:  # nullable integers too
        ChatMessage.from_dict(message(usage={"input_tokens": value}))
    assert info.value.field == "usage.input_tokens"


@pytest.mark.parametrize("value", [0, 2**63 - 1, -(2**63)])
def test_an_integer_field_accepts_the_whole_int64_range(value: int) -> None:
    parsed = ChatMessage.from_dict(message(id=value, usage={"input_tokens": value}))
    assert parsed.id == value
    assert parsed.to_dict()["usage"]["input_tokens"] == value


def test_missing_required_field_is_a_key_error_naming_it() -> None:
    raw = message()
    del raw["created_at"]
    with pytest.raises(KeyError, match="created_at"):
        ChatMessage.from_dict(raw)


@pytest.mark.parametrize("value", [5, None, ["x"], {"a": 1}])
def test_a_uuid_field_that_is_not_a_string_fails_as_uuid_does(value: object) -> None:
    with pytest.raises(Exception) as expected:
        UUID(value)  # type: ignore[arg-type]
    with pytest.raises(ResponseValidationError) as info:  # naming the field, UUID()'s error as its cause
        ChatMessage.from_dict(message(chat_id=value))
    assert info.value.field == "chat_id"
    assert type(info.value.__cause__) is type(expected.value)


def test_uuid_from_wire_is_uuid_and_shares_repeats() -> None:
    first, second = uuid_from_wire(CHAT), uuid_from_wire(CHAT.upper())
    assert first == second == UUID(CHAT)
    assert uuid_from_wire(CHAT) is first
    with pytest.raises(ValueError):
        uuid_from_wire("chat-1")
    messages = [ChatMessage.from_dict(message(id=n)) for n in range(1, 4)]
    assert len({id(m.chat_id) for m in messages}) == 1


@pytest.mark.parametrize("value", ["text", "tool-call", "banana", "", "TEXT"])
def test_enum_parse_gives_what_calling_the_enum_gives(value: str) -> None:
    parsed = ChatMessagePartType._parse(value)
    assert parsed == ChatMessagePartType(value)
    assert type(parsed) is ChatMessagePartType
    assert parsed.is_known == ChatMessagePartType(value).is_known
    assert ChatStatus._parse("running") is ChatStatus.RUNNING


@pytest.mark.parametrize("value", [1, None, ["text"]])
def test_enum_parse_refuses_what_the_enum_refuses(value: object) -> None:
    with pytest.raises(ValueError):
        ChatMessagePartType(value)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        ChatMessagePartType._parse(value)


def test_models_package_exports_every_model_on_demand() -> None:
    assert set(models.__all__) <= set(dir(models))
    for name in models.__all__:
        assert getattr(models, name).__name__ == name
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        models.Nope  # type: ignore[attr-defined]  # noqa: B018


def test_importing_the_models_package_imports_no_model_until_used() -> None:
    probe = (
        "import sys, coder_chat.client.models as m\n"
        "loaded = lambda: sorted(k for k in sys.modules if k.startswith('coder_chat.client.models.'))\n"
        "assert loaded() == [], loaded()\n"
        "from coder_chat.client.models import ChatStatus\n"
        "assert loaded() == ['coder_chat.client.models.chat_status'], loaded()\n"
        "from coder_chat.client.models import *\n"
        "assert ChatWithMessages.__module__ == 'coder_chat.client.models.chat_with_messages'\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, timeout=60)
