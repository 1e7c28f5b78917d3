"""msgspec's parse of a frame, in C (the optional ``fast`` extra): no model, no behaviour of its own.

``Parser.parse`` gives ``build.build_events`` a frame's events: ``message_part`` events as
``PART_EVENT`` structs (every field checked but the part's, left its JSON object), every other event
as a struct of ``OTHER_EVENTS``. Whatever does not fit (another frame shape, an unknown key or type, a
wrong JSON type, bad JSON) gives ``None`` for the whole frame, and the reference parser takes it; a
differential test holds the two to identical results (docs/design.md, "Two parsers, one builder").
"""

from __future__ import annotations

import functools
import operator
from types import GenericAlias
from typing import Annotated, Any

from coder_chat._runtime.speedups import msgspec  # None without the fast extra
from coder_chat._runtime.types import INT64_MAX, INT64_MIN
from coder_chat.client.types import UNSET

from .schema import ANY_JSON, CONVERTED, EVENT_TYPES, PAYLOADS, STREAM_PART_FIELDS, Field

__all__ = ["PARSER", "Parser"]


def _annotation(field: Field) -> Any:
    """The msgspec type of a stream part field: exactly the JSON that ``build.py`` accepts for it."""
    if field.kind is ANY_JSON:
        return Any
    if field.kind is CONVERTED:
        return _NEVER  # the model's from_dict parses it: such an event takes the reference path
    kind: Any = field.kind
    if kind is int:
        kind = Annotated[int, msgspec.Meta(ge=INT64_MIN, le=INT64_MAX)]
    elif kind is float:
        kind = int | float  # kept as written: 1 stays an int, as the reference parser leaves it
    return kind | None if field.nullable else kind


def _struct(name: str, fields: list[Any], **options: Any) -> Any:
    # Unknown keys are an error ("not mine"), and structs the garbage collector does not track.
    return msgspec.defstruct(name, fields, forbid_unknown_fields=True, gc=False, **options)


# A type no JSON value has (an integer at least 1 and at most 0): "not mine".
_NEVER = Annotated[int, msgspec.Meta(ge=1, le=0)] if msgspec is not None else None


class Parser:
    """The msgspec decoders, built from ``schema.py``'s tables once, when the ``fast`` extra is installed."""

    def __init__(self) -> None:
        # A missing field takes UNSET (msgspec never checks a default): a stream part struct's tuple is its
        # model's arguments. The part itself is left an object: a struct of the part model's 41 fields
        # cost more to fill in with defaults, free and turn into the object of its set fields than the
        # builder's check of the 2-3 keys a part has (``build.build_events``: the reference parser's too).
        stream_fields = [("part", dict[str, Any]), *((f.attr, _annotation(f), UNSET) for f in STREAM_PART_FIELDS)]
        rename = {f.attr: f.wire for f in STREAM_PART_FIELDS}
        stream_part = _struct("StreamPart", stream_fields, rename=rename, omit_defaults=True)
        part_event = [("chat_id", str), ("message_part", stream_part)]
        # A whole frame in one call: every event of a known type, a part event with its part only, any
        # other with its chat id and payloads as parsed JSON.
        other_event = [("chat_id", str), *((p.wire, Any, UNSET) for p in PAYLOADS if p.shape != "part")]
        tagged = [_struct("TaggedPart", part_event, tag_field="type", tag="message_part")]
        tagged += [
            _struct(f"Tagged_{kind}", other_event, tag_field="type", tag=kind)
            for kind in EVENT_TYPES
            if kind != "message_part"
        ]
        self.part_event = tagged[0]
        self.other_events = frozenset(tagged[1:])
        event = functools.reduce(operator.or_, tagged)  # TaggedPart | Tagged_error | ...
        events = GenericAlias(list, (event,))
        whole = _struct("TaggedEnvelope", [("type", str), ("data", events)])
        self._whole = msgspec.json.Decoder(whole | events).decode
        self._any = msgspec.json.Decoder().decode

    def parse(self, frame: str | bytes) -> list[Any] | None:
        """The items of ``frame`` for ``build.build_events``, or ``None`` when the reference parser must take it."""
        try:
            events: Any = self._whole(frame)
        except Exception:  # another shape, an event it does not know, bad JSON, ...: the reference path says what
            return None
        if events.__class__ is not list:
            return events.data if events.type == "data" else None
        return events

    def json_value(self, text: str | bytes) -> Any:
        """The JSON value of ``text``, any shape, as msgspec parses a part's object and the other events'
        payloads (the differential tests hold it to the reference parser's)."""
        return self._any(text)


PARSER: Parser | None = Parser() if msgspec is not None else None
"""The fast parser when the ``fast`` extra is installed (used while ``speedups.enabled``)."""
PART_EVENT: Any = None if PARSER is None else PARSER.part_event
"""The struct of a plain part event: ``chat_id`` and ``message_part`` (``part`` then the stream part's fields)."""
OTHER_EVENTS: frozenset[Any] = frozenset() if PARSER is None else PARSER.other_events
"""The structs of the other events: ``chat_id`` and the payloads, each ``UNSET`` where absent."""


def as_json(event: Any) -> dict[str, Any]:
    """A struct of ``OTHER_EVENTS`` or ``PART_EVENT`` as the object of its JSON, for ``build.build_event``."""
    if event.__class__ is PART_EVENT:
        return {
            "type": "message_part",
            "chat_id": event.chat_id,
            "message_part": msgspec.to_builtins(event.message_part),
        }
    raw = {"type": event.__struct_config__.tag, "chat_id": event.chat_id}
    for name in event.__struct_fields__[1:]:
        value = getattr(event, name)
        if value is not UNSET:
            raw[name] = value
    return raw


as_tuple: Any = None if msgspec is None else msgspec.structs.astuple
"""A struct's field values, in order: for a stream part struct, its model's positional arguments."""
