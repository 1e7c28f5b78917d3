"""Typed decoding, in C, of the frames that make up the bulk of a stream (the optional ``fast`` extra).

``decode_frame`` spends most of its time checking, in Python, the few shapes almost every event has.
With msgspec installed, ``FastPath`` has msgspec check them while it parses. A frame whose events are
all of the known types, each with its own payload only, is decoded in one call (``check_whole``): plain
``message_part`` events into typed structs, the other events' payloads as raw JSON handed to the
reference builder. Any other frame is split into its events (``split``), and each event that is a
plain ``message_part`` (the bulk) is parsed straight into typed structs (``check``). ``build`` turns the
structs into the same models ``_decoder`` builds.

No behaviour of its own: where a struct does not fit (another event type, an unknown field or part
type, a missing key, a wrong JSON type, bad JSON) the answer is "not mine" and ``_decoder`` takes
its reference path, whose events and errors are the contract. A differential test holds the two
paths to identical results.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping
from types import GenericAlias
from typing import Any, Literal

import attrs

from coder_chat._runtime.speedups import msgspec  # None without the fast extra
from coder_chat.client.models import (
    ChatMessagePart,
    ChatMessagePartType,
    ChatStreamEvent,
    ChatStreamEventType,
    ChatStreamMessagePart,
)
from coder_chat.client.types import UNSET, uuid_from_wire

from ._digests import NON_SCALARS_UNSET, PartDigest, non_scalar_fields

__all__ = ["BuiltEvent", "FastPath"]

_MESSAGE_PART = ChatStreamEventType.MESSAGE_PART

# The event types besides message_part, each with its payload field.
_OTHER_EVENTS = (
    ("message", "message"),
    ("status", "status"),
    ("error", "error"),
    ("queue_update", "queued_messages"),
    ("retry", "retry"),
)
_PAYLOADS = dict(_OTHER_EVENTS)


class BuiltEvent:
    """An event that ``check`` had the reference builder build at once (any but a plain part), with the
    digest that builder handed over for it (``None`` if it had none)."""

    __slots__ = ("digest", "event")

    def __init__(self, event: ChatStreamEvent, digest: int | None) -> None:
        self.event = event
        self.digest = digest


class FastPath:
    """``split`` a frame into raw events, ``check`` them all, then ``build`` the events (in slices if need be)."""

    def __init__(self, part_checks: Mapping[str, type]) -> None:
        """``part_checks``: wire name -> the JSON type (``str`` or ``bool``) of each checked part field."""
        assert msgspec is not None
        # Struct fields in ChatMessagePart's own order, so a decoded part's tuple is its positional
        # arguments. A missing field takes UNSET (msgspec never checks a default); unchecked fields
        # (``args``, ``result``) are any JSON; an unknown key is a validation error ("not mine").
        fields: list[Any] = [("type_", ChatMessagePartType)]
        for field in attrs.fields(ChatMessagePart)[1:]:
            if field.name != "additional_properties":
                fields.append((field.name, part_checks.get(field.name.removesuffix("_"), Any), UNSET))
        part = msgspec.defstruct(
            "Part", fields, rename=lambda name: name.removesuffix("_"), forbid_unknown_fields=True, gc=False
        )
        stream_part = msgspec.defstruct(
            "StreamPart", [("part", part), ("role", str, UNSET)], forbid_unknown_fields=True, gc=False
        )
        part_event = msgspec.defstruct(
            "PartEvent",
            [("type", Literal["message_part"]), ("chat_id", str), ("message_part", stream_part)],
            forbid_unknown_fields=True,
            gc=False,
        )
        # An envelope with any other key is declined: msgspec would skip its value unchecked (bad UTF-8,
        # 1e400), where the reference parser refuses the frame.
        envelope = msgspec.defstruct(
            "Envelope", [("type", str), ("data", list[msgspec.Raw])], forbid_unknown_fields=True, gc=False
        )
        self._split = msgspec.json.Decoder(envelope | list[msgspec.Raw]).decode
        # A whole frame in one call, when every event is of a known type with exactly its own payload
        # (a tagged union on "type"): plain message_part events as structs, the other events' payloads
        # as raw JSON, parsed afterwards. Anything else declines the frame to split + check.
        tagged: list[Any] = [
            msgspec.defstruct(
                "TaggedPartEvent",
                [("chat_id", str), ("message_part", stream_part)],
                tag_field="type",
                tag="message_part",
                forbid_unknown_fields=True,
                gc=False,
            )
        ]
        for kind, payload in _OTHER_EVENTS:
            tagged.append(
                msgspec.defstruct(
                    f"Tagged{kind.title()}Event",
                    [("chat_id", str), (payload, msgspec.Raw, UNSET)],
                    tag_field="type",
                    tag=kind,
                    forbid_unknown_fields=True,
                    gc=False,
                )
            )
        self._tagged_part = tagged[0]
        events = GenericAlias(list, (functools.reduce(operator.or_, tagged),))  # list[PartEvent | ... | RetryEvent]
        tagged_envelope = msgspec.defstruct(
            "TaggedEnvelope", [("type", str), ("data", events)], forbid_unknown_fields=True, gc=False
        )
        self._whole = msgspec.json.Decoder(tagged_envelope | events).decode
        self._part_event = msgspec.json.Decoder(part_event).decode
        self._any = msgspec.json.Decoder().decode
        self._as_tuple = msgspec.structs.astuple
        self._validation_error = msgspec.ValidationError

    def split(self, frame: str | bytes) -> list[Any] | None:
        """The raw events of a ``{"type": "data", "data": [...]}`` or bare ``[...]`` frame; None for any other."""
        try:
            value: Any = self._split(frame)
        except Exception:  # not JSON, not these shapes, not UTF-8: the reference path says which
            return None
        if value.__class__ is list:
            return value
        return value.data if value.type == "data" else None  # an Envelope

    def check_whole(self, frame: str | bytes, build_other: Callable[[Any], BuiltEvent]) -> list[Any] | None:
        """``check``'s result for a whole frame decoded in one call, or None when it has another shape
        (``split`` + ``check`` take it then). ``build_other`` gets the other events as parsed JSON."""
        try:
            value: Any = self._whole(frame)
        except Exception:  # not these shapes (or not JSON at all): split + check say which
            return None
        if value.__class__ is not list:
            if value.type != "data":
                return None
            value = value.data
        tagged_part, parse = self._tagged_part, self._any
        checked: list[Any] = []
        append = checked.append
        last_wire_id: str | None = None
        last_chat_id: Any = None
        for event in value:
            if event.__class__ is tagged_part:
                wire_id = event.chat_id
                if wire_id != last_wire_id:  # a frame's events are almost always of one chat
                    last_wire_id, last_chat_id = wire_id, uuid_from_wire(wire_id)
                append((last_chat_id, event.message_part))
                continue
            kind = event.__struct_config__.tag
            raw: dict[str, Any] = {"type": kind, "chat_id": event.chat_id}
            payload = _PAYLOADS[kind]
            value_json = getattr(event, payload)
            if value_json is not UNSET:
                raw[payload] = parse(value_json)
            append(build_other(raw))
        return checked

    def check(self, raw_events: list[Any], build_other: Callable[[Any], BuiltEvent]) -> list[Any]:
        """Parse and check every raw event of a frame, building no model yet: ``build`` does that.

        Plain ``message_part`` events become ``(chat_id, StreamPart struct)`` (structs the garbage
        collector does not track); any other event is built at once by ``build_other`` (the reference
        builder). Raises whatever either raises (msgspec's ``DecodeError`` for bad JSON,
        ``ValueError`` for a chat_id that is no UUID, ...).
        """
        # One loop with everything bound locally: at ~200k events/s, each lookup and call counts.
        decode_part_event, not_a_part = self._part_event, self._validation_error
        checked: list[Any] = []
        append = checked.append
        last_wire_id: str | None = None
        last_chat_id: Any = None
        for raw in raw_events:
            try:
                event: Any = decode_part_event(raw)
            except not_a_part:  # valid JSON of another shape
                append(build_other(raw))
                continue
            wire_id = event.chat_id
            if wire_id != last_wire_id:  # a frame's events are almost always of one chat
                last_wire_id, last_chat_id = wire_id, uuid_from_wire(wire_id)
            append((last_chat_id, event.message_part))
        return checked

    def build(
        self, checked: list[Any], start: int, out: list[ChatStreamEvent], digests: list[PartDigest | None] | None = None
    ) -> None:
        """Appends the events of (a slice of) ``check``'s result to ``out``; never raises (``start``, the
        slice's position in the frame, is for the reference builder's errors). With ``digests``, appends each
        event's digest to it (a plain part's ``part_fields_digest`` of the values it is built from, or
        ``None``; another event's ``BuiltEvent.digest``), for the replay filter, which would otherwise
        compute them from the model."""
        as_tuple = self._as_tuple
        keep_digest = None if digests is None else digests.append
        non_scalar = non_scalar_fields
        append = out.append
        for item in checked:
            if item.__class__ is tuple:
                chat_id, stream_part = item
                fields = as_tuple(stream_part.part)  # type_ then the other fields, in the model's order
                role = stream_part.role
                part = ChatMessagePart(*fields)
                append(ChatStreamEvent(_MESSAGE_PART, chat_id, UNSET, ChatStreamMessagePart(part, role)))
                if keep_digest is not None:
                    # part_fields_digest(role, fields), inlined: the values msgspec checked are hashable.
                    keep_digest(hash((role, fields)) if non_scalar(fields) == NON_SCALARS_UNSET else None)
            else:
                append(item.event)
                if keep_digest is not None:
                    keep_digest(item.digest)

    def parse(self, raw: Any) -> Any:
        """The JSON value of a frame or a raw event (any shape)."""
        return self._any(raw)
