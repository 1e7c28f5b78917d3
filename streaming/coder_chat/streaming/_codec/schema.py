"""What the stream codec builds, read from the generated models when this module is imported.

No hand lists: ``EVENT_TYPES`` and ``PART_TYPES`` (the enums' wire values), ``PART_FIELDS`` and
``STREAM_PART_FIELDS`` (the part models' fields, each with its wire name and JSON type) and
``PAYLOADS`` (every property of ``ChatStreamEvent`` after ``type_`` and ``chat_id``, with how it is
built) follow from the attrs fields and type hints that ``make generate`` writes. A model the codec
cannot build fails here, with ``ImportError`` naming the field (docs/design.md, "What fails at import").
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any

import attrs

from coder_chat.client import models
from coder_chat.client.models import (
    ChatMessagePart,
    ChatMessagePartType,
    ChatStreamEvent,
    ChatStreamEventType,
    ChatStreamMessagePart,
)
from coder_chat.client.types import Unset

__all__ = [
    "ANY_JSON",
    "CONVERTED",
    "EVENT_TYPES",
    "PART_FIELDS",
    "PART_TYPES",
    "PAYLOADS",
    "STREAM_PART_FIELDS",
    "Field",
    "Payload",
    "hints",
    "label",
    "list_fields",
]

ANY_JSON: Any = object()
"""``Field.kind`` of a field that holds any JSON (``args``, ``result``)."""

CONVERTED: Any = object()
"""``Field.kind`` of a field of another schema, which the model's ``from_dict`` parses."""

SCALARS = (str, bool, int, float)


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a part model: its attribute, its wire name, and what JSON it holds."""

    attr: str
    wire: str
    kind: Any
    """``str``, ``bool``, ``int`` (Go's int64), ``float`` (a number, no boolean), ``ANY_JSON`` or ``CONVERTED``."""
    nullable: bool = False
    """Whether JSON ``null`` is a value of the field (never for ``ANY_JSON``, which takes it anyway)."""


@dataclass(frozen=True, slots=True)
class Payload:
    """One property of ``ChatStreamEvent`` after ``type_`` and ``chat_id``."""

    attr: str
    wire: str
    shape: str
    """``"part"`` (``message_part``), ``"model"`` (a model or null), ``"list"`` (a list of models; null is
    an empty list, as Go writes a nil slice) or ``"other"`` (``ChatStreamEvent.from_dict`` parses it)."""
    model: type | None
    """The model of a ``"model"`` or ``"list"`` payload (its items'), else ``None``."""


class _Models(dict[str, Any]):
    """The models a hint names, imported as it is evaluated (the package imports its models lazily)."""

    def __missing__(self, name: str) -> Any:
        try:
            return getattr(models, name)
        except AttributeError:
            raise KeyError(name) from None  # a builtin or a name of the model's module


def hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a generated model's fields (its annotations are strings)."""
    return typing.get_type_hints(cls, localns=_Models())


def _members(hint: Any) -> tuple[Any, ...]:
    """The members of a union hint, without ``Unset``."""
    args = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
    return tuple(arg for arg in args if arg is not Unset)


def _wire(attr: str) -> str:
    return attr.removesuffix("_")  # the generator appends "_" to names that are Python keywords or builtins


def _fields(cls: type) -> list[attrs.Attribute[Any]]:
    return [f for f in attrs.fields(cls) if f.name != "additional_properties"]


def _hot_field(cls: type, field: attrs.Attribute[Any], hint: Any) -> Field:
    members = _members(hint)
    nullable = type(None) in members
    kinds = [member for member in members if member is not type(None)]
    if field.default is attrs.NOTHING:
        raise ImportError(
            f"{cls.__name__}.{field.name} is required: the stream decoder builds a part whose fields are "
            "optional but for ChatMessagePart.type_ and ChatStreamMessagePart.part (docs/design.md)"
        )
    if kinds == [Any]:
        return Field(field.name, _wire(field.name), ANY_JSON)
    if len(kinds) == 1 and kinds[0] in SCALARS:
        return Field(field.name, _wire(field.name), kinds[0], nullable)
    return Field(field.name, _wire(field.name), CONVERTED)


def _expect_first(cls: type, *names: str) -> None:
    # The builders pass these fields positionally (a third cheaper than keywords): a regenerated model
    # that reorders them must fail here, loudly, rather than fill the wrong fields.
    actual = tuple(f.name for f in _fields(cls))[: len(names)]
    if actual != names:
        raise ImportError(f"{cls.__name__} fields start {actual}; the stream decoder expects {names}")


def _part_fields() -> tuple[Field, ...]:
    _expect_first(ChatMessagePart, "type_")
    part_hints = hints(ChatMessagePart)
    if part_hints["type_"] is not ChatMessagePartType:
        raise ImportError(f"ChatMessagePart.type_ is {part_hints['type_']}, not ChatMessagePartType")
    first = Field("type_", "type", ChatMessagePartType)
    return (first, *(_hot_field(ChatMessagePart, f, part_hints[f.name]) for f in _fields(ChatMessagePart)[1:]))


def _stream_part_fields() -> tuple[Field, ...]:
    _expect_first(ChatStreamMessagePart, "part")
    stream_hints = hints(ChatStreamMessagePart)
    return tuple(_hot_field(ChatStreamMessagePart, f, stream_hints[f.name]) for f in _fields(ChatStreamMessagePart)[1:])


def _payload(attr: str, hint: Any) -> Payload:
    members = [member for member in _members(hint) if member is not type(None)]
    if attr == "message_part":
        if members != [ChatStreamMessagePart]:
            raise ImportError(f"ChatStreamEvent.message_part is {hint}, not ChatStreamMessagePart")
        return Payload(attr, _wire(attr), "part", ChatStreamMessagePart)
    if len(members) == 1 and attrs.has(members[0]):
        return Payload(attr, _wire(attr), "model", members[0])
    if len(members) == 1 and typing.get_origin(members[0]) is list:
        (item,) = typing.get_args(members[0])
        if attrs.has(item):
            return Payload(attr, _wire(attr), "list", item)
    return Payload(attr, _wire(attr), "other", None)


def _payloads() -> tuple[Payload, ...]:
    _expect_first(ChatStreamEvent, "type_", "chat_id", "message", "message_part")
    event_hints = hints(ChatStreamEvent)
    return tuple(_payload(f.name, event_hints[f.name]) for f in _fields(ChatStreamEvent)[2:])


def list_fields(model: type) -> list[tuple[str, bool]]:
    """``(wire name, required)`` of each list field of a payload's model (``build.py`` checks them)."""
    model_hints = hints(model)
    return [
        (_wire(f.name), f.default is attrs.NOTHING)
        for f in _fields(model)
        if any(typing.get_origin(member) is list for member in _members(model_hints[f.name]))
    ]


def label(cls: type) -> str:
    """How an error names an item of a list payload: ``ChatQueuedMessage`` -> ``"queued message"``."""
    name = cls.__name__.removeprefix("Chat")
    return "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()


EVENT_TYPES: dict[str, ChatStreamEventType] = {member.value: member for member in ChatStreamEventType}
PART_TYPES: dict[str, ChatMessagePartType] = {member.value: member for member in ChatMessagePartType}
PART_FIELDS = _part_fields()
STREAM_PART_FIELDS = _stream_part_fields()
PAYLOADS = _payloads()
