"""The shortcuts of the generated ``from_dict`` (templates/model.py.jinja) must build what the slow way built.

* A sparse model (``ChatMessagePart``) reads only the keys present, through a table: its instance holds the
  fields set (and ``UNSET`` is still an absent field), a wrong value is refused naming its field, a missing
  required field is still a ``KeyError`` naming it, whatever else is wrong.
* A model with converters sets its slots directly once what it read is typed: the instance equals the one
  its constructor builds from the same values, it refuses exactly what the converters refuse, its fields
  still convert on assignment, and a subclass is still built by its own constructor.
* ``LazyModel`` binds the class in the namespace it is given; ``scalar_reader`` checks as the inline checks do.
"""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coder_chat._runtime.fields import LazyModel, scalar_reader
from coder_chat.client.errors import FieldTypeError
from coder_chat.client.models import ChatMessage, ChatMessagePart, ChatMessagePartType, ChatMessageUsage
from coder_chat.client.types import UNSET

CHAT = "6f1c1b4e-8a51-4c43-9d2e-0b8a7f1c9e21"
CREATED = "2026-01-15T12:00:00.12345Z"


def test_a_part_holds_the_fields_present_and_reads_the_others_from_its_class() -> None:
    part = ChatMessagePart.from_dict({"type": "tool-call", "tool_call_id": "c1", "args": {"a": [1]}, "is_error": True})
    assert part.__dict__ == {
        "type_": ChatMessagePartType.TOOL_CALL,
        "tool_call_id": "c1",
        "args": {"a": [1]},
        "is_error": True,
    }
    assert part == ChatMessagePart(ChatMessagePartType.TOOL_CALL, tool_call_id="c1", args={"a": [1]}, is_error=True)
    assert (part.text, part.result, part.created_at) == (UNSET, UNSET, UNSET)


def test_a_part_makes_its_own_additional_properties_on_first_read() -> None:
    part, other = (ChatMessagePart.from_dict({"type": "text", "text": "hi"}) for _ in range(2))
    assert "additional_properties" not in part.__dict__
    extra = part.additional_properties
    assert extra == {} and part.additional_properties is extra  # kept once made
    part["k"] = 1  # (item access writes to additional_properties)
    assert part.to_dict() == {"k": 1, "type": "text", "text": "hi"}
    assert other.additional_properties == {} and other.to_dict() == {"type": "text", "text": "hi"}
    assert ChatMessagePart.from_dict({"type": "text", "x": 2}).__dict__["additional_properties"] == {"x": 2}


def test_a_part_field_of_every_kind_reads_as_before() -> None:
    raw = {
        "type": "file",
        "start_line": 3,
        "created_at": "2026-01-15T12:00:00Z",
        "file_id": CHAT,
        "mcp_server_config_id": None,
        "parsed_commands": [["ls", "-l"]],
        "result": None,
        "unknown": 1,
    }
    part = ChatMessagePart.from_dict(raw)
    assert part.start_line == 3
    assert part.created_at == datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
    assert part.file_id == UUID(CHAT)
    assert part.mcp_server_config_id is None
    assert part.parsed_commands == [["ls", "-l"]]
    assert part.result is None  # any JSON, null included, as it is
    assert part.additional_properties == {"unknown": 1}
    assert ChatMessagePart.from_dict(part.to_dict()) == part


def test_unset_in_the_input_is_an_absent_field_as_before() -> None:
    part = ChatMessagePart.from_dict({"type": "text", "text": UNSET, "start_line": UNSET, "file_id": UNSET})
    assert part == ChatMessagePart(ChatMessagePartType.TEXT)
    assert part.to_dict() == {"type": "text"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", 5),
        ("text", None),
        ("is_error", 1),
        ("start_line", True),
        ("start_line", 2**63),
        ("start_line", 1.0),
        ("file_id", 5),
        ("args_delta", ["x"]),
    ],
)
def test_a_wrong_part_value_is_refused_naming_its_field(field: str, value: object) -> None:
    with pytest.raises(FieldTypeError) as info:
        ChatMessagePart.from_dict({"type": "text", field: value})
    assert info.value.field == field


def test_a_part_without_its_type_is_a_key_error_whatever_else_is_wrong() -> None:
    with pytest.raises(KeyError, match="type"):
        ChatMessagePart.from_dict({"text": 5, "start_line": "x"})


def test_a_part_type_the_client_does_not_know_is_kept() -> None:
    part = ChatMessagePart.from_dict({"type": "hologram", "text": "x"})
    assert part.type_ == "hologram" and not part.type_.is_known


def message(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "id": 7,
        "chat_id": CHAT,
        "created_at": CREATED,
        "role": "assistant",
        "content": [{"type": "text", "text": "hi"}],
        "usage": {"input_tokens": 3},
    }
    raw.update(changes)
    return raw


def built(**changes: Any) -> ChatMessage:
    """The same message through the constructor, whose converters check every field."""
    fields: dict[str, Any] = {
        "id": 7,
        "chat_id": UUID(CHAT),
        "created_at": datetime.datetime.fromisoformat(CREATED),
        "role": "assistant",
        "content": [ChatMessagePart(ChatMessagePartType.TEXT, text="hi")],
        "usage": ChatMessageUsage(input_tokens=3),
    }
    fields.update(changes)
    return ChatMessage(**fields)


def test_a_model_built_through_its_slots_equals_the_one_its_constructor_builds() -> None:
    parsed = ChatMessage.from_dict(message(model_config_id=None, queued_message_id=4))
    assert parsed == built(model_config_id=None, queued_message_id=4)
    assert parsed.additional_properties == {}
    assert (parsed.created_by, parsed.usage.output_tokens) == (UNSET, UNSET)  # type: ignore[union-attr]


def test_a_model_built_through_its_slots_still_converts_on_assignment() -> None:
    parsed = ChatMessage.from_dict(message())
    parsed.chat_id = CHAT  # type: ignore[assignment]  # the converter parses a UUID string
    assert parsed.chat_id == UUID(CHAT)
    untyped: Any = parsed
    with pytest.raises(FieldTypeError) as info:
        untyped.role = 5
    assert info.value.field == "role"


def test_a_subclass_is_built_by_its_own_constructor() -> None:
    class Tagged(ChatMessage):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            self.tag = "built by __init__"

    parsed = Tagged.from_dict(message(extra=1))
    assert type(parsed) is Tagged
    assert parsed.tag == "built by __init__"
    assert parsed.id == 7 and parsed.additional_properties == {"extra": 1}


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=False),
    st.text(max_size=3),
    st.just(UNSET),
    st.just([1]),
)


@given(id_=scalars, role=scalars, queued=scalars)
def test_a_model_refuses_exactly_what_its_converters_refuse(id_: object, role: object, queued: object) -> None:
    raw = message(id=id_, role=role, queued_message_id=queued)
    try:
        expected = built(id=id_, role=role, queued_message_id=queued)
    except FieldTypeError as exc:
        with pytest.raises(FieldTypeError) as info:
            ChatMessage.from_dict(raw)
        assert info.value.field == exc.field and str(info.value) == str(exc)
    else:
        assert ChatMessage.from_dict(raw) == expected


def test_lazy_model_binds_the_class_in_the_namespace_it_is_given() -> None:
    namespace: dict[str, Any] = {}
    holder: LazyModel[ChatMessageUsage] = LazyModel(
        "coder_chat.client.models", "chat_message_usage", "ChatMessageUsage", namespace
    )
    assert namespace == {}
    assert holder() is ChatMessageUsage
    assert namespace == {"ChatMessageUsage": ChatMessageUsage}


class Text(str):
    pass


class Number(int):
    pass


@pytest.mark.parametrize(
    ("scalar", "value", "taken"),
    [
        (str, Text("x"), True),
        (str, UNSET, True),
        (str, None, False),
        (str, b"x", False),
        (bool, True, True),
        (bool, 1, False),
        (float, 1, True),
        (float, Number(2), True),
        (float, True, False),
        (float, "1.0", False),
        (int, Number(5), True),
        (int, UNSET, True),
        (int, False, False),
        (int, 2**63, False),
        (int, -(2**63), True),
        (int, 1.0, False),
    ],
)
def test_scalar_reader_takes_what_the_inline_checks_take(scalar: type, value: object, taken: bool) -> None:
    read = scalar_reader("f", scalar)
    if taken:
        assert read(value) is value
    else:
        with pytest.raises(FieldTypeError) as info:
            read(value)
        assert info.value.field == "f"
