"""Adversarial input for ``decode_frame``: whatever a server sends, only events or a stream error come out.

Hypothesis throws random JSON, valid frames truncated and corrupted byte by byte, wrong types in every
field of real events, huge numbers, deep nesting and invalid UTF-8 at the decoder. Each example must
give a list of ``ChatStreamEvent``s or raise ``StreamDecodeError``/``StreamServerError`` (never another
exception, never a hang: each test has a time limit scaled to the example count). Where the outcome is
certain it is asserted exactly: a truncated frame or one with invalid UTF-8 is always a
``StreamDecodeError``, a wrong JSON type in a typed field always is too, and str and bytes frames
always decode alike. Whatever does decode must also pass the stream's exactly-once filter and the
accumulator without an exception.

``make test`` runs the bounded ``default`` profile (tests/conftest.py); ``make fuzz`` the long one.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coder_chat._runtime import speedups
from coder_chat.client.models import ChatMessage, ChatStreamEvent
from coder_chat.streaming import (
    ChatAccumulator,
    StreamDecodeError,
    StreamError,
    StreamServerError,
    decode_frame,
)
from coder_chat.streaming._codec import frames as _frames
from coder_chat.streaming._codec.decode import decode_frame_in_chunks
from coder_chat.streaming._codec.fast import PARSER
from coder_chat.streaming._codec.fingerprint import fingerprint
from coder_chat.streaming._codec.replay import ReplayFilter
from tests.conformance.placeholders import FIXTURES, load, with_uuids

CHAT = UUID("6f1c1b1e-8c43-4d0e-9a57-0b8a5c3f2d11")
PREVIEW_CHARS = 200

# Generous: the slowest example (a 4 MiB frame, 100k-deep nesting) decodes in well under a second.
# Once with msgspec parsing frames, once with the standard library alone (tests/conftest.py).
pytestmark = [pytest.mark.timeout(60 + settings().max_examples // 10), pytest.mark.usefixtures("json_backend")]


# --- what a decode may produce ----------------------------------------------------------------------


Outcome = tuple[str, Any]


def outcome(frame: str | bytes) -> Outcome:
    """Decode ``frame``; only the allowed results get through, anything else fails the test.

    Returns ``("events", [event dicts])``, ``("decode-error", reason)`` or ``("server-error", (message, detail))``.
    With msgspec's typed path on, the frame is decoded again without it: both must give exactly the
    same events (``repr``: every field, type and enum member) or the same error, reason and preview.
    """
    result, exact = _outcome(frame)
    # ChatStream's way: the same events (or error) built a few at a time.
    assert_same(_outcome(frame, decode=chunked)[1], exact)
    if speedups.enabled:
        with speedups.disabled():
            assert_same(_outcome(frame)[1], exact)
            assert_same(_outcome(frame, decode=chunked)[1], exact)
    return result


def assert_same(exact: Any, expected: Any) -> None:
    # Nesting within a few levels of the recursion limit is refused at a depth that depends on how deep
    # the caller's stack already is (and msgspec's limit sits two levels deeper): not comparable.
    if "RecursionError" not in f"{exact}{expected}":
        assert exact == expected


def chunked(frame: str | bytes, *, chat_id: UUID) -> list[ChatStreamEvent]:
    """ChatStreamProtocol's way of decoding. Every message fingerprints as the one ``from_dict`` builds
    from its wire JSON, as the reference parser reads it, whichever path decoded it."""
    events: list[ChatStreamEvent] = []
    for chunk in decode_frame_in_chunks(frame, chat_id=chat_id, chunk_size=3):
        for index, event in enumerate(chunk, start=len(events)):
            if event.type_ == "message" and isinstance(event.message, ChatMessage):
                assert fingerprint(event.message) == fingerprint(ChatMessage.from_dict(wire_message(frame, index)))
        events += chunk
    return events


def wire_message(frame: str | bytes, index: int) -> dict[str, Any]:
    """The ``message`` object of the frame's event ``index``, as the reference parser reads it (a Go nil
    ``content`` dropped, as the decoder builds the model without it)."""
    payload = _frames.parse_frame(frame)
    raw_events = payload if isinstance(payload, list) else _frames.unwrap_envelope(payload)
    wire = raw_events[index]["message"]
    if wire.get("content", 0) is None:
        del wire["content"]
    return wire  # type: ignore[no-any-return]


def _outcome(frame: str | bytes, decode: Callable[..., list[ChatStreamEvent]] = decode_frame) -> tuple[Outcome, Any]:
    try:
        events = decode(frame, chat_id=CHAT)
    except StreamDecodeError as exc:
        assert type(exc) is StreamDecodeError
        assert isinstance(exc.reason, str) and exc.reason
        assert isinstance(exc.preview, str) and len(exc.preview) <= PREVIEW_CHARS
        assert str(exc) and repr(exc)
        return ("decode-error", exc.reason), (exc.reason, exc.preview)
    except StreamServerError as exc:
        assert type(exc) is StreamServerError
        assert isinstance(exc.message, str) and exc.message.strip() == exc.message and exc.message
        assert exc.detail is None or (isinstance(exc.detail, str) and exc.detail)
        return ("server-error", (exc.message, exc.detail)), (exc.message, exc.detail)
    assert isinstance(events, list)
    for event in events:
        assert type(event) is ChatStreamEvent
        assert isinstance(event.chat_id, UUID)
        assert isinstance(event.type_, str)
        json.dumps(event.to_dict())  # every decoded event serializes back to JSON
    dicts = [event.to_dict() for event in events]
    try:
        exact: Any = repr(events)
    except RecursionError:  # nesting the decoder read but repr cannot write (repr takes more stack per level)
        exact = ("too deep for repr", dicts)
    return ("events", dicts), exact


def check(frame: str) -> Outcome:
    """``outcome`` of the frame as text and as UTF-8 bytes, which must agree (unless the text holds a
    lone surrogate, which has no UTF-8 form: then the bytes are a decode error)."""
    as_text = outcome(frame)
    encoded = frame.encode("utf-8", errors="surrogatepass")
    as_bytes = outcome(encoded)
    if encoded.decode("utf-8", errors="replace") == frame:
        assert as_bytes == as_text
    else:
        assert as_bytes[0] == "decode-error"
    return as_text


def decode_error(frame: str | bytes) -> StreamDecodeError:
    with pytest.raises(StreamDecodeError) as raised:
        decode_frame(frame, chat_id=CHAT)
    assert len(raised.value.preview) <= PREVIEW_CHARS
    return raised.value


# --- strategies -------------------------------------------------------------------------------------

huge_integers = st.integers(min_value=-(10**40), max_value=10**40) | st.sampled_from(
    [2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64, 10**4299, -(10**4299)]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | huge_integers
    | st.floats()  # NaN and infinities too: json.dumps writes them, decode_frame must refuse them
    | st.text(max_size=12)
    | st.sampled_from(["", "data", "ping", "error", "message_part", str(CHAT), "chat-1", "\x00", "\u2028"])
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=16,
)
KNOWN_KEYS = [
    "type",
    "chat_id",
    "data",
    "message_part",
    "part",
    "text",
    "role",
    "status",
    "message",
    "id",
    "content",
    "queued_messages",
    "error",
    "retry",
    "args",
    "args_delta",
    "tool_call_id",
    "is_error",
    "usage",
    "created_at",
]
hostile = st.recursive(
    json_values,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=4), children, max_size=5)
    ),
    max_leaves=24,
)


def _stream_fixtures() -> list[dict[str, Any]]:
    """Every upstream stream event, one by one, with real UUIDs."""
    events: list[dict[str, Any]] = []
    for path in sorted(FIXTURES.glob("stream-*.json")):
        payload = with_uuids(load(path.name))
        if isinstance(payload, list):
            events += payload
        elif payload.get("type") == "data":
            events += payload["data"] if isinstance(payload["data"], list) else [payload["data"]]
        else:
            events.append(payload)
    return events


MESSAGE = with_uuids(load("chat-message-assistant-text.json"))
QUEUED = with_uuids(load("chat-queued-message.json"))
BASE_EVENTS: list[dict[str, Any]] = [
    *_stream_fixtures(),
    {"type": "message", "chat_id": str(CHAT), "message": MESSAGE},
    {"type": "queue_update", "chat_id": str(CHAT), "queued_messages": [QUEUED]},
    {
        "type": "message_part",
        "chat_id": str(CHAT),
        "message_part": {
            "role": "assistant",
            "part": {"type": "tool-call", "tool_call_id": "c1", "tool_name": "execute", "args": {"cmd": ["ls"]}},
        },
    },
    {
        "type": "message_part",
        "chat_id": str(CHAT),
        "message_part": {
            "role": "tool",
            "part": {"type": "tool-result", "tool_call_id": "c1", "result": {"out": 1}, "is_error": False},
        },
    },
]


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (dict keys and list indexes)."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def replaced(value: Any, path: tuple[Any, ...], new: Any, *, delete: bool = False) -> Any:
    if not path:
        return new
    copied = copy.copy(value)
    head, rest = path[0], path[1:]
    if delete and not rest:
        del copied[head]
    else:
        copied[head] = replaced(copied[head], rest, new, delete=delete)
    return copied


EVENT_PATHS = [(index, path) for index, event in enumerate(BASE_EVENTS) for path in paths(event)]


def envelope(events: list[Any]) -> str:
    return json.dumps({"type": "data", "data": events}, separators=(",", ":"))


def shapes(payload: Any) -> list[str]:
    """The frame shapes a server may use around a payload: seed envelope, single object, bare array."""
    return [
        json.dumps(payload),
        json.dumps({"type": "data", "data": payload}),
        json.dumps([payload]),
        json.dumps(payload, ensure_ascii=False),
    ]


def envelope_with_extra(events: list[Any]) -> str:
    """An envelope with a key this client has no use for (a parser may skip its value unchecked)."""
    return json.dumps({"type": "data", "trace": "t-0123456789", "data": events}, separators=(",", ":"))


valid_frames = st.lists(st.sampled_from(BASE_EVENTS), min_size=1, max_size=4).flatmap(
    lambda events: st.sampled_from([envelope(events), envelope_with_extra(events)])
)


# --- properties ----------------------------------------------------------------------------------------


def test_the_base_events_decode() -> None:
    kind, events = check(envelope(BASE_EVENTS))
    assert kind == "events"
    assert len(events) == len(BASE_EVENTS)


@given(hostile)
def test_random_json_in_every_frame_shape(payload: Any) -> None:
    for frame in shapes(payload):
        check(frame)


@given(st.data(), st.sampled_from(EVENT_PATHS), json_values, st.booleans())
def test_any_field_of_a_real_event_replaced_or_removed(
    data: st.DataObject, where: tuple[int, tuple[Any, ...]], new: Any, delete: bool
) -> None:
    index, path = where
    event = replaced(BASE_EVENTS[index], path, new, delete=delete and bool(path))
    before = data.draw(st.lists(st.sampled_from(BASE_EVENTS), max_size=2))
    check(envelope([*before, event]))


@given(st.lists(st.tuples(st.sampled_from(EVENT_PATHS), json_values, st.booleans(), st.booleans()), max_size=8))
def test_whatever_decodes_passes_the_streams_own_pipeline(edits: list[tuple[Any, Any, bool, bool]]) -> None:
    # What ChatStream does with each decoded event (the exactly-once filter, across reconnects), then
    # what a consumer does with it (the accumulator): neither may raise on an event the decoder let through.
    replay = ReplayFilter(CHAT)
    replay.connection_opened()
    state = ChatAccumulator(CHAT)
    for (index, path), new, delete, reconnect in edits:
        event = replaced(BASE_EVENTS[index], path, new, delete=delete and bool(path))
        try:
            decoded = decode_frame(envelope([event]), chat_id=CHAT)
        except StreamError:
            continue
        if reconnect:
            replay.connection_opened()
        for item in decoded:
            for delivered in replay.feed(item):
                state.apply(delivered)


# (base event, path, JSON types the field accepts): any other type must be a StreamDecodeError.
NULL, BOOL, INT, FLOAT, STR, ARRAY, OBJECT = "null", "bool", "int", "float", "str", "array", "object"
PART_EVENT = next(e for e in BASE_EVENTS if e["type"] == "message_part" and e["message_part"]["part"]["type"] == "text")
TOOL_RESULT = BASE_EVENTS[-1]
STATUS_EVENT = next(e for e in BASE_EVENTS if e["type"] == "status")
MESSAGE_EVENT = BASE_EVENTS[-4]
QUEUE_EVENT = BASE_EVENTS[-3]
TYPED_FIELDS: list[tuple[dict[str, Any], tuple[Any, ...], frozenset[str]]] = [
    (PART_EVENT, ("type",), frozenset({STR})),
    (PART_EVENT, ("chat_id",), frozenset({STR, NULL})),  # null: the chat_id argument fills it in
    (PART_EVENT, ("message_part",), frozenset({OBJECT, NULL})),
    (PART_EVENT, ("message_part", "role"), frozenset({STR})),
    (PART_EVENT, ("message_part", "part"), frozenset({OBJECT})),
    (PART_EVENT, ("message_part", "part", "type"), frozenset({STR})),
    (PART_EVENT, ("message_part", "part", "text"), frozenset({STR})),
    (TOOL_RESULT, ("message_part", "part", "is_error"), frozenset({BOOL})),
    (TOOL_RESULT, ("message_part", "part", "tool_call_id"), frozenset({STR})),
    (STATUS_EVENT, ("status",), frozenset({OBJECT, NULL})),
    (MESSAGE_EVENT, ("message",), frozenset({OBJECT, NULL})),
    (MESSAGE_EVENT, ("message", "id"), frozenset({INT})),
    (MESSAGE_EVENT, ("message", "content"), frozenset({ARRAY, NULL})),
    (QUEUE_EVENT, ("queued_messages",), frozenset({ARRAY, NULL})),
]


def json_type(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, float):
        return FLOAT
    if isinstance(value, str):
        return STR
    return ARRAY if isinstance(value, list) else OBJECT


def test_the_typed_field_table_matches_the_base_events() -> None:
    for event, path, accepted in TYPED_FIELDS:
        value: Any = event
        for key in path:
            value = value[key]
        assert json_type(value) in accepted, (event["type"], path)


@given(st.sampled_from(TYPED_FIELDS), json_values)
def test_a_wrong_json_type_in_a_typed_field_is_a_decode_error(
    field: tuple[dict[str, Any], tuple[Any, ...], frozenset[str]], new: Any
) -> None:
    event, path, accepted = field
    assume(json_type(new) not in accepted)
    error = decode_error(envelope([replaced(event, path, new)]))
    assert error.reason.startswith("event 0: ") or error.reason.startswith("invalid JSON")


@given(valid_frames, st.data())
def test_every_truncated_frame_is_a_decode_error(frame: str, data: st.DataObject) -> None:
    cut = data.draw(st.integers(min_value=0, max_value=len(frame) - 1))
    error = decode_error(frame[:cut])
    assert error.preview == frame[:cut][:PREVIEW_CHARS]
    encoded = frame.encode()
    byte_cut = data.draw(st.integers(min_value=0, max_value=len(encoded) - 1))
    decode_error(encoded[:byte_cut])


INVALID_UTF8 = [
    b"\xff",
    b"\xfe",
    b"\x80",  # a lone continuation byte
    b"\xc0\xaf",  # overlong "/"
    b"\xe0\x80\xaf",  # overlong, three bytes
    b"\xed\xa0\x80",  # an encoded surrogate
    b"\xf4\x90\x80\x80",  # above U+10FFFF
    b"\xe2\x82",  # a sequence cut short
    b"\xf0\x9f\x98",
]


@given(valid_frames, st.sampled_from(INVALID_UTF8), st.data())
def test_invalid_utf8_anywhere_is_a_decode_error(frame: str, bad: bytes, data: st.DataObject) -> None:
    encoded = frame.encode()
    at = data.draw(st.integers(min_value=0, max_value=len(encoded)))
    corrupted = encoded[:at] + bad + encoded[at:]
    error = decode_error(corrupted)
    assert isinstance(error.__cause__, UnicodeDecodeError)
    assert error.reason.startswith("frame is not valid UTF-8 (")
    assert error.preview == corrupted[:PREVIEW_CHARS].decode("utf-8", errors="replace")


corruptions = st.sampled_from(["flip", "insert", "delete", "duplicate", "swap"])


@given(
    valid_frames, st.lists(st.tuples(corruptions, st.integers(0, 10**6), st.binary(min_size=1, max_size=8)), max_size=4)
)
def test_corrupted_frames(frame: str, edits: list[tuple[str, int, bytes]]) -> None:
    data = bytearray(frame.encode())
    for kind, position, noise in edits:
        at = position % (len(data) + 1)
        if kind == "flip" and at < len(data):
            data[at] ^= noise[0] or 1
        elif kind == "insert":
            data[at:at] = noise
        elif kind == "delete":
            del data[at : at + len(noise)]
        elif kind == "duplicate":
            data[at:at] = data[at : at + 16]
        elif kind == "swap" and at + 1 < len(data):
            data[at], data[at + 1] = data[at + 1], data[at]
    result = outcome(bytes(data))
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        assert result[0] == "decode-error"
    else:
        assert outcome(text) == result


@given(
    st.integers(min_value=1, max_value=120_000),
    st.sampled_from(["[", '{"a":', '{"args":[']),
    st.booleans(),
    st.sampled_from(["args", "result", "text", "data", "message_part"]),
)
def test_deep_nesting_never_escapes(depth: int, opener: str, balanced: bool, key: str) -> None:
    closer = {"[": "]", '{"a":': "}", '{"args":[': "]}"}[opener]
    nested = opener * depth + "1" + (closer * depth if balanced else "")
    part = '{"type":"tool-call","tool_call_id":"c","' + key + '":' + nested + "}"
    frame = '{"type":"data","data":[{"type":"message_part","chat_id":"' + str(CHAT) + '","message_part":{"part":'
    frame += part + "}}]}"
    kind, _ = check(frame)
    if not balanced:
        assert kind == "decode-error"
    check(nested)  # the nesting as the whole frame


NUMBER_FORMS: dict[str, Callable[[int], str]] = {
    "int": lambda d: "9" * d,
    "negative": lambda d: "-" + "9" * d,
    "fraction": lambda d: "0." + "9" * d,
    "exponent": lambda d: f"1e{d}",
    "negative-exponent": lambda d: f"-1e{d}",
    "tiny": lambda d: f"1e-{d}",
}


@given(
    st.sampled_from([p for p in EVENT_PATHS if p[1]]),
    st.sampled_from(sorted(NUMBER_FORMS)),
    st.integers(min_value=1, max_value=12_000),
)
def test_huge_numbers_in_any_field(where: tuple[int, tuple[Any, ...]], form: str, digits: int) -> None:
    index, path = where
    marker = "\u0000NUMBER\u0000"
    frame = envelope([replaced(BASE_EVENTS[index], path, marker)])
    kind, _ = check(frame.replace(json.dumps(marker), NUMBER_FORMS[form](digits)))
    if form in ("int", "negative") and digits > 4300:  # past Python's int() limit: refused, not a crash
        assert kind == "decode-error"
    if form in ("exponent", "negative-exponent") and digits >= 309:  # out of the float range, as Go says
        assert kind == "decode-error"


@given(st.binary(max_size=300))
def test_arbitrary_bytes(frame: bytes) -> None:
    outcome(frame)


@given(st.text(max_size=300))
def test_arbitrary_text(frame: str) -> None:
    outcome(frame)


def test_non_finite_numbers_are_refused() -> None:
    for number in (math.inf, -math.inf, math.nan):
        assert check(envelope([replaced(PART_EVENT, ("message_part", "part"), {"type": "x", "n": number})]))[0] == (
            "decode-error"
        )


# --- msgspec against the reference parser ----------------------------------------------------------


def typed(value: Any) -> Any:
    """``value`` with every type and order made visible: ``1`` != ``1.0`` != ``True``, ``0.0`` != ``-0.0``."""
    if isinstance(value, dict):
        return ("object", [(key, typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("array", [typed(item) for item in value])
    return (type(value).__name__, repr(value))


def object_text(members: list[tuple[str, str]]) -> str:
    """An object written by hand, so keys may repeat (which json.dumps cannot write)."""
    return "{" + ",".join(f"{json.dumps(key)}:{value}" for key, value in members) + "}"


def with_insertions(text: str, edits: list[tuple[int, str]]) -> str:
    """``text`` with each ``(position, insert)`` applied in turn (positions wrap around the length)."""
    for position, insert in edits:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at:]
    return text


json_texts = st.recursive(
    json_values.map(json.dumps),
    lambda children: (
        st.lists(children, max_size=4).map(lambda items: "[" + ",".join(items) + "]")
        | st.lists(
            st.tuples(st.sampled_from(["a", "b", "type", "data"]) | st.text(max_size=3), children), max_size=5
        ).map(object_text)
    ),
    max_leaves=16,
)


@given(
    json_texts,
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=400),
            st.sampled_from(['"', "\\", "1", "e", "-", " ", "\\ud800", "\x00", "}"]),
        ),
        max_size=3,
    ),
    st.booleans(),
)
def test_msgspec_parses_exactly_as_the_reference_parser(
    text: str, edits: list[tuple[int, str]], as_bytes: bool
) -> None:
    """Whatever msgspec accepts, the reference parser accepts with the same value (types, key order,
    repeated keys), so a value msgspec parses is the frame's value whether or not the extra is installed."""
    text = with_insertions(text, edits)
    frame: str | bytes = text.encode("utf-8", "surrogatepass") if as_bytes else text
    try:
        expected: Any = (
            "value",
            typed(_frames._JSON.decode(frame.decode("utf-8") if isinstance(frame, bytes) else frame)),
        )
    except (ValueError, RecursionError) as exc:
        expected = ("error", type(exc))
    fast = PARSER
    if fast is not None and speedups.enabled:
        try:
            value = fast.json_value(frame)
        except Exception:
            pass  # refused: the reference decides
        else:
            assert expected == ("value", typed(value))
