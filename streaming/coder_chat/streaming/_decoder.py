"""Turn one websocket text frame of the chat stream into ``ChatStreamEvent`` models.

Pure (no I/O, no websocket import), in the style of h11/wsproto: the transport feeds whole frames in
and gets events or a stream exception back. Frame shapes (docs/protocol.md):

* ``{"type": "data", "data": [event, ...]}`` (seed), ``{"type": "data", "data": event}`` (web stories)
  and a bare ``[event, ...]`` (newer servers) give the events;
* ``{"type": "ping"}``, ``{"type": "data", "data": null}`` and envelope types this client does not know give ``[]``;
* ``{"type": "error", "data": <codersdk.Response>}`` raises ``StreamServerError``;
* anything else raises ``StreamDecodeError``, with the first ``PREVIEW_CHARS`` characters of the frame.

Stream parts are built directly, with the same type checks as ``from_dict`` (which costs about twenty
``json.loads`` per event); the rarer payloads go through ``from_dict`` (which checks integers as Go
does: a JSON int in the int64 range) plus the checks it leaves out (array types). As in
``from_dict``, ``null`` is an error where the model allows none, except for a list
(``queued_messages``, ``message.content``): Go encodes a nil slice as ``null``.

With msgspec installed (the ``fast`` extra), ``_fastpath`` decodes the common frames first and this
module's reference path takes whatever it declines; results and errors are the same either way. The
reference JSON parser, envelopes and the errors are shared with the watch socket (``_frames.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any
from uuid import UUID

import attrs

from coder_chat._runtime import speedups
from coder_chat._runtime.exceptions import StreamDecodeError
from coder_chat.client.models import (
    ChatMessage,
    ChatMessagePart,
    ChatMessagePartType,
    ChatQueuedMessage,
    ChatStreamError,
    ChatStreamEvent,
    ChatStreamEventType,
    ChatStreamMessagePart,
    ChatStreamRetry,
    ChatStreamStatus,
)
from coder_chat.client.types import UNSET, uuid_from_wire

from ._digests import PartDigest, message_digest, part_fields_digest
from ._fastpath import BuiltEvent, FastPath
from ._frames import JSON_NAMES, Malformed, decode_error, describe, json_type, parse_frame, unwrap_envelope

__all__ = ["decode_frame", "decode_frame_in_chunks"]

# Known enum members by wire value: a dict lookup is several times cheaper than calling the enum.
_EVENT_TYPES = {member.value: member for member in ChatStreamEventType}
_PART_TYPES = {member.value: member for member in ChatMessagePartType}
_MESSAGE_PART = ChatStreamEventType.MESSAGE_PART
_MESSAGE = ChatStreamEventType.MESSAGE

# ChatMessagePart wire name -> attribute, from the model itself so a field added by `make generate` is never lost.
_PART_ATTRS = {
    f.name.removesuffix("_"): f.name for f in attrs.fields(ChatMessagePart) if f.name != "additional_properties"
}
# The types ChatMessagePart.from_dict checks, for the parts built without it (``args``/``result`` are any JSON).
_PART_CHECKS: dict[str, type] = {"is_error": bool}
_PART_CHECKS |= dict.fromkeys(("text", "signature", "tool_call_id", "tool_name", "args_delta", "result_delta"), str)
_PART_CHECKS |= dict.fromkeys(("source_id", "url", "title", "media_type", "data"), str)

# ChatMessagePart's fields by wire name -> position, and the type each position must hold (or None).
_PART_INDEX = {wire: index for index, wire in enumerate(_PART_ATTRS)}
_PART_EXPECTED = tuple(_PART_CHECKS.get(wire) for wire in _PART_ATTRS)
_UNSET_ROW: list[Any] = [UNSET] * len(_PART_ATTRS)

# The msgspec paths, built when the ``fast`` extra is installed; used while ``speedups.enabled``.
_FAST: FastPath | None = FastPath(_PART_CHECKS) if speedups.available else None


def _require_field_order(cls: type, *names: str) -> None:
    # The decoder passes these fields positionally (a third cheaper than keywords), and text_part_digest
    # (which digests the TextPartKeys it hands over) lays out type_ and text first: a regenerated model
    # that reorders them must fail here, loudly, rather than fill the wrong fields or digest a part
    # unlike the filter does.
    actual = tuple(f.name for f in attrs.fields(cls))[: len(names)]
    if actual != names:
        raise ImportError(f"{cls.__name__} fields start {actual}; the stream decoder expects {names}")


_require_field_order(ChatStreamEvent, "type_", "chat_id", "message", "message_part")
_require_field_order(ChatStreamMessagePart, "part", "role")
_require_field_order(ChatMessagePart, "type_", "text")


def decode_frame(frame: str | bytes, *, chat_id: UUID | str | None = None) -> list[ChatStreamEvent]:
    """Decode one text frame of ``GET /chats/{chat}/stream`` into its events, in order.

    ``chat_id`` fills in events that carry none (the pre-seed publisher left it out); an event's own
    ``chat_id`` always wins, since it may name a sub-agent chat. Raises ``StreamServerError`` for an
    error envelope and ``StreamDecodeError`` for anything malformed, never another exception (a
    ``chat_id`` argument that is not a UUID is the caller's bug and raises ``ValueError``).
    """
    items, build = _decode(frame, _as_uuid(chat_id), with_digests=False)
    events: list[ChatStreamEvent] = []
    build(items, 0, events, None)
    return events


def decode_frame_in_chunks(
    frame: str | bytes, *, chat_id: UUID | str | None = None, chunk_size: int = 64
) -> Iterator[tuple[list[ChatStreamEvent], list[PartDigest | None]]]:
    """``decode_frame(frame)``'s events, in lists of at most ``chunk_size`` built as they are asked for,
    each with its events' part digests for ``ReplayFilter.feed_all`` (``None`` where the builder has none).

    For the stream's core: a stream's models die young, a chunk at a time, instead of a 256-event
    frame of them surviving the garbage collector's young generation (which cost ~8 % of a stream's
    time). A frame that is no JSON, an error envelope or a frame of another shape raises at the first
    ``next()``; an event that is malformed raises after the events before it, which come out first (in
    a shorter last chunk). So a stream hands out everything good a frame holds, in order, and then
    the error, with either decoding path (the fast one takes a frame only when all of it is good).

    Both paths hand over the digests they have at hand as they build an event, which the filter would
    otherwise compute from the model: ``part_fields_digest`` of a part's field values (every part without
    ``args``, ``result`` or unknown fields; the reference path hands a text-only part's ``TextPartKey``,
    which the filter digests only if a reconnect needs it) and ``message_digest`` of a message's wire
    JSON (every one).
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    items, build = _decode(frame, _as_uuid(chat_id), with_digests=True)
    for start in range(0, len(items), chunk_size):
        events: list[ChatStreamEvent] = []
        digests: list[PartDigest | None] = []
        try:
            build(items[start : start + chunk_size], start, events, digests)
        except StreamDecodeError:
            if events:
                yield events, digests[: len(events)]
            raise
        yield events, digests


def _decode(frame: str | bytes, default_chat_id: UUID | None, *, with_digests: bool) -> tuple[list[Any], _Builder]:
    """The one place that picks a decoding path: ``(items, build)``, where ``build(items[i:j], i, out,
    digests)`` appends the events of ``items[i:j]`` to ``out`` (and their part digests to ``digests``,
    if a list), or raises ``StreamDecodeError`` for the first bad one, after appending those before it.
    ``with_digests``: whether the caller wants the digests (the fast path builds its other events
    during ``check``, before ``build`` is given ``digests``).

    With msgspec (the ``fast`` extra) a frame of the common shapes is decoded and type-checked in C (in
    one call when every event is of a known type, else split into events first), and its plain
    ``message_part`` events built later from typed structs. Anything the fast path declines
    (another frame shape, no extra, or anything wrong: bad JSON, a wrong type, a bad chat id) takes the
    reference path, whose events, or error, are what the frame means; a differential test holds the
    two paths to identical results.
    """
    fast = _FAST if speedups.enabled and (frame.__class__ is str or frame.__class__ is bytes) else None
    # (msgspec would read other buffers, which the reference path refuses)
    if fast is not None:
        try:
            # The whole frame in one msgspec call; failing that (an event of another shape), event by event.
            checked = fast.check_whole(
                frame, lambda raw: BuiltEvent(*_build_other_event(raw, default_chat_id, with_digests))
            )
            if checked is None:
                raw_events = fast.split(frame)
                if raw_events is not None:
                    checked = fast.check(
                        raw_events,
                        lambda raw: BuiltEvent(*_build_other_event(fast.parse(raw), default_chat_id, with_digests)),
                    )
            if checked is not None:
                return checked, fast.build
        except Exception:  # the reference path decodes it again, to raise its error (or accept it)
            pass
    payload = parse_frame(frame)
    try:
        raw_events = _unwrap(payload)
    except Malformed as exc:
        raise decode_error(str(exc), frame) from exc
    return raw_events, partial(_build_reference, frame, default_chat_id)


_Builder = Callable[[list[Any], int, list[ChatStreamEvent], list[PartDigest | None] | None], None]


def _build_reference(
    frame: str | bytes,
    default_chat_id: UUID | None,
    raw_events: list[Any],
    start: int,
    out: list[ChatStreamEvent],
    digests: list[PartDigest | None] | None,
) -> None:
    """The reference path's builder (see ``_decode``) for the raw events of ``frame`` from ``start`` on.

    The bulk of any stream, a plain part event, is built right here with the fewest checks that give
    the same result as the general path (``_build_other_event``, which takes everything else and says
    what is wrong with it): exactly ``{"type": "message_part", "chat_id": <uuid>, "message_part":
    {"role": <str>, "part": {...}}}``. A part of exactly ``{"type": <known type>, "text": <str>}`` (most
    deltas) is built inline, handing over its ``TextPartKey``, any other part object by
    ``_build_part`` (its digest: ``part_fields_digest``, or ``None`` for a part with unknown fields).
    One loop, and a frame's chat id parsed once: at ~150k events/s, each call per event costs ~1 %.
    """
    append = out.append
    keep_digest = None if digests is None else digests.append
    built = len(out)
    last_wire_id: object = None
    chat_id: UUID | None = None
    try:
        for raw in raw_events:
            # Plain subscripts in a try, which costs nothing in 3.11 until something raises (`in` checks
            # or dict.get calls cost more): a missing key, or a value that is no object where one is
            # subscripted, means another shape.
            try:
                kind, wire_chat_id, stream_part = raw["type"], raw["chat_id"], raw["message_part"]
                part, role = stream_part["part"], stream_part["role"]
            except (KeyError, TypeError):
                kind = None
            if (
                kind == "message_part"
                and len(raw) == 3
                and stream_part.__class__ is dict
                and len(stream_part) == 2
                and part.__class__ is dict
                and role.__class__ is str
                and wire_chat_id.__class__ is str
            ):
                if wire_chat_id != last_wire_id:  # a frame's events are almost always of one chat
                    last_wire_id, chat_id = wire_chat_id, _uuid_or_none(wire_chat_id)
                if chat_id is not None:
                    part_type = None
                    if len(part) == 2 and "text" in part and "type" in part:
                        text, wire_type = part["text"], part["type"]
                        if text.__class__ is str and wire_type.__class__ is str:
                            part_type = _PART_TYPES.get(wire_type)
                    if part_type is not None:
                        built_part = ChatMessagePart(part_type, text)
                        if keep_digest is not None:
                            keep_digest((role, wire_type, text))  # a TextPartKey, digested if need be
                    else:
                        built_part, fields = _build_part(part)
                        if keep_digest is not None:
                            keep_digest(None if fields is None else part_fields_digest(role, fields))
                    append(ChatStreamEvent(_MESSAGE_PART, chat_id, UNSET, ChatStreamMessagePart(built_part, role)))
                    continue
            # Any other event, or a plain-looking one with something wrong (the general path says what).
            event, digest = _build_other_event(raw, default_chat_id, keep_digest is not None)
            if keep_digest is not None:
                keep_digest(digest)
            append(event)
    except Exception as exc:  # whatever the server sent, the caller sees only StreamDecodeError
        raise decode_error(f"event {start + len(out) - built}: {describe(exc)}", frame) from exc


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return uuid_from_wire(value)
    except ValueError:  # not a UUID: the general path says what is wrong
        return None


def _as_uuid(chat_id: UUID | str | None) -> UUID | None:
    """The ``chat_id`` argument as a UUID (a string that is none raises ``ValueError``)."""
    return chat_id if chat_id is None or isinstance(chat_id, UUID) else UUID(chat_id)


def _unwrap(payload: Any) -> list[Any]:
    """The raw events of a parsed frame; ``[]`` for pings and unknown envelopes."""
    if isinstance(payload, list):
        return payload
    if not isinstance(payload, dict):
        raise Malformed(f"frame is {json_type(payload)}, not an array or object")
    return unwrap_envelope(payload)


def _build_other_event(raw: Any, default_chat_id: UUID | None, with_digest: bool) -> tuple[ChatStreamEvent, int | None]:
    """``_build_event(raw)``, for an event that is not a plain part, with the digest the filter keeps of
    it: ``message_digest`` of a message (the wire JSON it was built from), else ``None``. Without
    ``with_digest`` (``decode_frame``, which has no filter to hand it to) always ``None``: a message's
    digest costs about as much as building it."""
    wire_message = raw.get("message") if with_digest and raw.__class__ is dict else None
    event = _build_event(raw, default_chat_id)
    if event.type_ is _MESSAGE and wire_message.__class__ is dict and event.message.__class__ is ChatMessage:
        return event, message_digest(wire_message)
    return event, None


def _build_event(raw: Any, default_chat_id: UUID | None) -> ChatStreamEvent:
    if raw.__class__ is not dict:
        raise Malformed(f"event is {json_type(raw)}, not an object")
    # ``raw`` is fresh from the JSON decoder and held by no one else: pop the known keys, keep the rest.
    wire_type = raw.pop("type")
    event_type = _EVENT_TYPES.get(wire_type) if wire_type.__class__ is str else None
    if event_type is None:
        event_type = ChatStreamEventType(wire_type)  # keeps an unknown string, raises for anything else
    wire_chat_id = raw.pop("chat_id", None)
    if wire_chat_id is not None:
        event_chat_id = _uuid(wire_chat_id)
    elif default_chat_id is not None:
        event_chat_id = default_chat_id
    else:
        raise Malformed("event has no chat_id and decode_frame was given none")

    event = ChatStreamEvent(event_type, event_chat_id)
    message_part = raw.pop("message_part", UNSET)
    if message_part is not UNSET:
        event.message_part = None if message_part is None else _build_stream_part(message_part)
    if raw:
        _build_rare_fields(event, raw)
        event.additional_properties = raw
    return event


def _build_stream_part(value: Any) -> ChatStreamMessagePart:
    raw = _object(value, "message_part")
    part, _fields = _build_part(_object(raw.pop("part"), "message_part.part"))
    role = raw.pop("role", UNSET)
    if role is not UNSET and role.__class__ is not str:
        raise Malformed(f"message_part.role is {json_type(role)}, not a string")
    stream_part = ChatStreamMessagePart(part, role)
    stream_part.additional_properties = raw
    return stream_part


def _build_part(raw: dict[str, Any]) -> tuple[ChatMessagePart, tuple[Any, ...] | None]:
    """The part of a wire object, and its field values in the model's order (``type_`` first, ``UNSET``
    where absent: what ``part_fields_digest`` takes) when it has no unknown field (else ``None``)."""
    wire_type = raw.pop("type")
    part_type = _PART_TYPES.get(wire_type) if wire_type.__class__ is str else None
    if part_type is None:
        part_type = ChatMessagePartType(wire_type)
    values = _UNSET_ROW.copy()
    values[0] = part_type
    extra: dict[str, Any] | None = None
    for key, value in raw.items():
        index = _PART_INDEX.get(key)
        if index is None:
            if extra is None:
                extra = {}
            extra[key] = value
        else:
            expected = _PART_EXPECTED[index]
            if expected is not None and value.__class__ is not expected:
                raise Malformed(f"part.{key} is {json_type(value)}, not {JSON_NAMES[expected]}")
            values[index] = value
    part = ChatMessagePart(*values)
    if extra is not None:
        part.additional_properties = extra
        return part, None
    return part, tuple(values)


def _build_rare_fields(event: ChatStreamEvent, raw: dict[str, Any]) -> None:
    """Fill the payloads other than ``message_part``: ``from_dict``, then the checks it leaves out."""
    message = raw.pop("message", UNSET)
    if message is not UNSET:
        event.message = None if message is None else _parse_message(message)
    status = raw.pop("status", UNSET)
    if status is not UNSET:
        event.status = None if status is None else ChatStreamStatus.from_dict(_object(status, "status"))
    error = raw.pop("error", UNSET)
    if error is not UNSET:
        event.error = None if error is None else ChatStreamError.from_dict(_object(error, "error"))
    queued = raw.pop("queued_messages", None)  # a Go nil slice (null) is an empty queue, as a missing key is
    if queued is not None:
        _check_type(queued, list, "queued_messages")
        event.queued_messages = [_parse_queued(item) for item in queued]
    retry = raw.pop("retry", UNSET)
    if retry is not UNSET:
        event.retry = None if retry is None else ChatStreamRetry.from_dict(_object(retry, "retry"))


def _parse_message(value: Any) -> ChatMessage:
    raw = _object(value, "message")
    content = raw.get("content", UNSET)
    if content is None:  # a Go nil slice: no content
        del raw["content"]
    elif content is not UNSET:
        _check_type(content, list, "message.content")  # from_dict would iterate a string or an object
    return ChatMessage.from_dict(raw)  # integer fields: a JSON int in the int64 range, as Go's decoder


def _parse_queued(value: Any) -> ChatQueuedMessage:
    raw = _object(value, "queued message")
    _check_type(raw.get("content"), list, "queued message content")
    return ChatQueuedMessage.from_dict(raw)


def _check_type(value: object, expected: type, what: str) -> None:
    if value.__class__ is not expected:  # not isinstance: a JSON true is no integer here
        raise Malformed(f"{what} is {json_type(value)}, not {JSON_NAMES[expected]}")


def _object(value: Any, what: str) -> dict[str, Any]:
    _check_type(value, dict, what)
    return value  # type: ignore[no-any-return]


def _uuid(value: Any) -> UUID:
    _check_type(value, str, "chat_id")
    return uuid_from_wire(value)
