"""The one builder of the stream's models: parsed events in, ``ChatStreamEvent``s out.

``build_events`` takes a frame's events as either parser leaves them (``decode.py``) and builds every
model, from the tables of ``schema.py``: a plain ``message_part`` event (the bulk of any stream) in its
loop, any other event through ``build_event``, which also says what is wrong with a bad one
(docs/design.md, "The stream codec"). As in ``from_dict``, ``null`` is an error where the model allows
none, except for a list: Go encodes a nil slice as ``null`` (the list is then absent).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from coder_chat._runtime.types import INT64_MAX, INT64_MIN
from coder_chat.client.models import (
    ChatMessagePart,
    ChatMessagePartType,
    ChatStreamEvent,
    ChatStreamEventType,
    ChatStreamMessagePart,
)
from coder_chat.client.types import UNSET, uuid_from_wire

from .fast import OTHER_EVENTS, PART_EVENT, as_json, as_tuple
from .frames import JSON_NAMES, Malformed, decode_error, describe, json_type
from .schema import (
    ANY_JSON,
    CONVERTED,
    EVENT_TYPES,
    PART_FIELDS,
    PART_TYPES,
    PAYLOADS,
    STREAM_PART_FIELDS,
    Field,
    Payload,
    label,
    list_fields,
)

__all__ = ["build_event", "build_events"]

_MESSAGE_PART = ChatStreamEventType.MESSAGE_PART


class _Fields:
    """How a part model's fields are checked: wire name -> (attribute, what the field accepts)."""

    def __init__(self, fields: tuple[Field, ...], where: str, model: type, shell: dict[str, Any]) -> None:
        self.where = where
        self.fields = {field.wire: field for field in fields}
        # Each field's attribute and the exact class a value of it has (strings, booleans and integers in
        # int64's range: the bulk; a part's type is any string, looked up apart), ``_ANY`` for any JSON, or
        # None: ``_fits`` says.
        self.spec = {f.wire: (f.attr, _exact_class(f)) for f in fields}
        # A field of another schema: the model's own from_dict parses it (``shell`` is a minimal valid object).
        self.convert = {f.wire: _delegate(model, shell, f.wire, f.attr) for f in fields if f.kind is CONVERTED}

    def present(self, raw: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """The fields of ``raw`` by attribute name (what ``_from_fields`` takes). Given ``extra``, unknown
        keys go there, a field of another schema is converted, and a wrong type raises ``Malformed``;
        without it, any of these gives ``None``."""
        fields: dict[str, Any] = {}
        spec, low, high = self.spec, INT64_MIN, INT64_MAX
        for key, value in raw.items():
            known = spec.get(key)
            if known is None:
                if extra is None:
                    return None
                extra[key] = value
                continue
            exact = known[1]
            if (
                exact is _ANY
                or (value.__class__ is exact and (exact is not int or low <= value <= high))
                or self._fits(key, value)
            ):
                fields[known[0]] = value
            elif extra is None:
                return None
            elif key in self.convert:
                fields[known[0]] = self.convert[key](value)
            else:
                raise Malformed(self._wrong(key, value, self.fields[key]))
        return fields

    def _fits(self, key: str, value: Any) -> bool:
        field = self.fields[key]
        kind = field.kind
        if self.spec[key][1] is not None:
            return False  # a value of another class, or an integer out of int64's range
        if value is None and field.nullable:
            return True
        if kind is int:
            return value.__class__ is int and INT64_MIN <= value <= INT64_MAX
        if kind is float:  # a JSON number may be written 1 or 1.0
            return value.__class__ is int or value.__class__ is float
        return value.__class__ is kind  # a nullable string or boolean; never a field to convert

    def _wrong(self, key: str, value: Any, field: Field) -> str:
        if value.__class__ is int and field.kind is int:
            return f"{self.where}.{key} is {value}, out of the int64 range"
        return f"{self.where}.{key} is {json_type(value)}, not {JSON_NAMES[field.kind]}"


_ANY: Any = object()  # a field's exact class when it takes any JSON


def _exact_class(field: Field) -> Any:
    if field.kind is ChatMessagePartType:
        return str
    if field.kind is ANY_JSON:
        return _ANY
    return field.kind if field.kind in (str, bool, int) and not field.nullable else None


def _delegate(model: Any, shell: dict[str, Any], wire: str, attr: str) -> Callable[[Any], Any]:
    return lambda value: getattr(model.from_dict({**shell, wire: value}), attr)


_PART_SHELL = {"type": next(iter(PART_TYPES))}
_PART = _Fields(PART_FIELDS, "part", ChatMessagePart, _PART_SHELL)
# Whether the models have the fields of most parts, which ``_plain_part`` then takes without a loop (a
# stream part's role as its second positional argument).
_TEXT = Field("text", "text", str) in PART_FIELDS
_ROLE = STREAM_PART_FIELDS[:1] == (Field("role", "role", str),)
# ``part`` too (any JSON here: it is built apart, and replaces what the stream part's model was given).
_STREAM_FIELDS = (Field("part", "part", ANY_JSON), *STREAM_PART_FIELDS)
_STREAM_PART = _Fields(_STREAM_FIELDS, "message_part", ChatStreamMessagePart, {"part": _PART_SHELL})
_LATER: Any = None  # a stream part's part until ``build_events`` has built it


def build_events(
    items: list[Any], start: int, out: list[ChatStreamEvent], frame: str | bytes, default_chat_id: UUID | None
) -> None:
    """Append the events of ``items`` (from position ``start`` of ``frame``) to ``out``, or raise
    ``StreamDecodeError`` for the first bad one, after appending those before it."""
    append = out.append
    built = len(out)
    last_wire_id: object = None
    chat_id: Any = None
    item: Any
    # Everything the loop uses bound locally: at ~150k events/s, each global lookup counts.
    part_event, plain_part, unset, message_part = PART_EVENT, _plain_part, UNSET, _MESSAGE_PART
    new, part_model, stream_model, event_model, part_types, text_only = (
        object.__new__,
        ChatMessagePart,
        ChatStreamMessagePart,
        ChatStreamEvent,
        PART_TYPES,
        _TEXT,
    )
    try:
        for item in items:
            if item.__class__ is part_event:  # the fast parser's struct: the event's and stream part's fields checked
                wire_id, stream = item.chat_id, item.message_part
                part, stream_part = stream.part, stream_model(*as_tuple(stream))  # its part is replaced below
            else:
                if item.__class__ in OTHER_EVENTS:  # the fast parser's struct of another event
                    item = as_json(item)
                row = plain_part(item)
                if row is None:
                    append(build_event(item, default_chat_id))
                    continue
                wire_id, part, stream_part = row
            # The part's fields (what _from_fields takes): a known type (PART_TYPES has only strings: an
            # unhashable value raises, any other misses) and known keys, each of its JSON type. Most parts
            # are {type, text}, taken without a loop when the model has these.
            try:
                part_type = part_types[part["type"]]
            except (KeyError, TypeError):
                part_type = None
            text = part.get("text")
            part_fields: dict[str, Any] | None
            if text_only and len(part) == 2 and text.__class__ is str and part_type is not None:
                part_fields = {"type_": part_type, "text": text}
            else:
                part_fields = None if part_type is None else _PART.present(part)
                if part_fields is None:  # an unknown key, a wrong type, a field to convert: build_event says
                    append(build_event(item if item.__class__ is dict else as_json(item), default_chat_id))
                    continue
                part_fields["type_"] = part_type
            if wire_id != last_wire_id:  # a frame's events are almost always of one chat
                # (one that is no UUID raises here what build_event would say of it)
                last_wire_id, chat_id = wire_id, uuid_from_wire(wire_id)
            # ChatMessagePart._from_fields(part_fields), inlined (a call costs as much as what it does)
            part = new(part_model)
            part.__dict__ = part_fields
            stream_part.part = part
            append(event_model(message_part, chat_id, unset, stream_part))
    except Exception as exc:  # whatever the server sent, the caller sees only StreamDecodeError
        raise decode_error(f"event {start + len(out) - built}: {describe(exc)}", frame) from exc


def _plain_part(raw: Any) -> tuple[str, dict[str, Any], ChatStreamMessagePart] | None:
    """``(wire chat id, the part's object, its ChatStreamMessagePart)`` of a plain part event (whose
    part ``build_events`` sets): exactly ``type``, ``chat_id`` and a ``message_part`` of known fields,
    each of its JSON type, whose part is an object (``build_events`` checks it); ``None`` for anything
    else (``build_event`` builds it, or says what is wrong)."""
    # Plain subscripts in a try cost nothing in 3.11 until something raises: a missing key or a value
    # that is no object where one is subscripted means another shape.
    try:
        if raw["type"] != "message_part" or len(raw) != 3:
            return None
        wire_id, stream_part = raw["chat_id"], raw["message_part"]
        part = stream_part["part"]
    except (KeyError, TypeError):
        return None
    if wire_id.__class__ is not str or stream_part.__class__ is not dict or part.__class__ is not dict:
        return None
    # Most stream parts: {part, role}, taken without a loop when the model has these.
    role = stream_part.get("role")
    if _ROLE and len(stream_part) == 2 and role.__class__ is str:
        return wire_id, part, ChatStreamMessagePart(_LATER, role)
    fields = _STREAM_PART.present(stream_part)
    return None if fields is None else (wire_id, part, ChatStreamMessagePart(**fields))


def build_event(raw: Any, default_chat_id: UUID | None) -> ChatStreamEvent:
    """Any event from its parsed JSON (which it consumes), or ``Malformed``/another exception saying what is wrong."""
    if raw.__class__ is not dict:
        raise Malformed(f"event is {json_type(raw)}, not an object")
    wire_type = raw.pop("type")
    event_type = EVENT_TYPES.get(wire_type) if wire_type.__class__ is str else None
    if event_type is None:
        event_type = ChatStreamEventType(wire_type)  # keeps an unknown string, raises for anything else
    wire_chat_id = raw.pop("chat_id", None)
    if wire_chat_id is not None:
        _check_type(wire_chat_id, str, "chat_id")
        chat_id = uuid_from_wire(wire_chat_id)
    elif default_chat_id is not None:
        chat_id = default_chat_id
    else:
        raise Malformed("event has no chat_id and decode_frame was given none")
    event = ChatStreamEvent(event_type, chat_id)
    for payload, build in _BUILDERS:
        value = raw.pop(payload.wire, UNSET)
        if value is not UNSET:
            setattr(event, payload.attr, build(value))
    if raw:
        event.additional_properties = raw
    return event


def _stream_part(value: Any) -> ChatStreamMessagePart:
    raw = _object(value, "message_part")
    part_raw = _object(raw.pop("part"), "message_part.part")
    wire_type = part_raw["type"]
    part_type = PART_TYPES.get(wire_type) if wire_type.__class__ is str else None
    if part_type is None:
        part_type = ChatMessagePartType(wire_type)  # keeps an unknown string, raises for anything else
    part_extra: dict[str, Any] = {}
    stream_extra: dict[str, Any] = {}
    part_fields = _PART.present(part_raw, part_extra)
    stream_fields = _STREAM_PART.present(raw, stream_extra)
    assert part_fields is not None and stream_fields is not None  # given extra, these raise instead
    part_fields["type_"] = part_type
    part = ChatMessagePart._from_fields(part_fields)
    stream_part = ChatStreamMessagePart(part, **stream_fields)
    if part_extra:
        part.additional_properties = part_extra
    if stream_extra:
        stream_part.additional_properties = stream_extra
    return stream_part


def _builder(payload: Payload) -> Callable[[Any], Any]:
    """What builds ``payload`` from its JSON: the hot part builder, ``from_dict``, or the event's own parser."""
    model = payload.model
    if payload.shape == "part":
        return lambda value: None if value is None else _stream_part(value)
    if payload.shape == "model":
        assert model is not None
        return lambda value: None if value is None else model.from_dict(_go_lists(model, value, payload.wire, "."))  # type: ignore[attr-defined]
    if payload.shape == "list":
        assert model is not None
        item = label(model)

        def build_list(value: Any) -> Any:
            if value is None:  # a Go nil slice (null) is an empty list, as a missing key is
                return UNSET
            _check_type(value, list, payload.wire)
            return [model.from_dict(_go_lists(model, entry, item, " ")) for entry in value]  # type: ignore[attr-defined]

        return build_list
    # An enum, a scalar or a oneOf union: the generated parser of the event's property.
    return _delegate(ChatStreamEvent, _EVENT_SHELL, payload.wire, payload.attr)


_EVENT_SHELL = {"type": "message", "chat_id": "00000000-0000-0000-0000-000000000000"}
_BUILDERS = tuple((payload, _builder(payload)) for payload in PAYLOADS)


_LISTS: dict[type, list[tuple[str, bool]]] = {}


def _go_lists(model: type, value: Any, where: str, sep: str) -> dict[str, Any]:
    """``value`` as an object whose list fields are lists (``from_dict`` would iterate a string); an
    optional one that is ``null`` (a Go nil slice) is dropped."""
    raw = _object(value, where)
    lists = _LISTS.get(model)
    if lists is None:
        lists = _LISTS[model] = list_fields(model)
    for name, required in lists:
        if required:
            _check_type(raw.get(name), list, f"{where}{sep}{name}")
        elif name in raw:
            if raw[name] is None:
                del raw[name]
            else:
                _check_type(raw[name], list, f"{where}{sep}{name}")
    return raw


def _check_type(value: object, expected: type, what: str) -> None:
    if value.__class__ is not expected:  # not isinstance: a JSON true is no integer here
        raise Malformed(f"{what} is {json_type(value)}, not {JSON_NAMES[expected]}")


def _object(value: Any, what: str) -> dict[str, Any]:
    _check_type(value, dict, what)
    return value  # type: ignore[no-any-return]
