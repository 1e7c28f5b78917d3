"""``decode_frame``: every frame shape, every upstream stream fixture, and every way a frame can be broken.

Pure function, so the tests feed it frames directly (h11/wsproto style): whole, split, concatenated,
as str and as bytes, huge, hostile.
"""

from __future__ import annotations

import contextlib
import copy
import json
import uuid
from typing import Any, cast

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coder_chat._runtime import speedups
from coder_chat.client.errors import CoderChatError
from coder_chat.client.models import (
    ChatMessagePart,
    ChatMessagePartType,
    ChatStatus,
    ChatStreamEvent,
    ChatStreamEventType,
)
from coder_chat.client.types import UNSET
from coder_chat.streaming import StreamDecodeError, StreamServerError, decode_frame
from coder_chat.streaming._codec import schema
from coder_chat.streaming._codec.decode import decode_frame_in_chunks
from coder_chat.streaming._codec.fast import PARSER
from coder_chat.streaming._codec.fingerprint import fingerprint
from tests.conformance.placeholders import FIXTURES, load, placeholder_uuid, with_uuids

# Once with msgspec parsing frames and encoding digests, once with the standard library alone.
pytestmark = pytest.mark.usefixtures("json_backend")

CHAT = uuid.UUID("6f1c1b1e-8c43-4d0e-9a57-0b8a5c3f2d11")
OTHER = uuid.UUID("0b8e7c52-5c1d-4a3e-8f0e-3d7a9e2b6c44")


def part_event(text: str, chat_id: uuid.UUID = CHAT, part_type: str = "text") -> dict[str, Any]:
    return {
        "type": "message_part",
        "chat_id": str(chat_id),
        "message_part": {"role": "assistant", "part": {"type": part_type, "text": text}},
    }


def envelope(data: Any) -> str:
    return json.dumps({"type": "data", "data": data}, ensure_ascii=False)  # real UTF-8 text, not \u escapes


def fixture_frame(name: str) -> str:
    """The fixture as a frame: envelopes as they are, a single event wrapped, an event list bare."""
    payload = with_uuids(load(name))
    if name.startswith("stream-event-"):
        payload = {"type": "data", "data": [payload]}
    return json.dumps(payload)


def fixture_events(name: str) -> list[dict[str, Any]]:
    payload = with_uuids(load(name))
    if isinstance(payload, list):
        return payload
    return payload["data"] if name.startswith("stream-envelope-") else [payload]


STREAM_FIXTURES = sorted(
    path.name for path in FIXTURES.glob("stream-*.json") if path.name != "stream-events-delta-sequence-pre-seed.json"
)


def decode_error(frame: Any, **kwargs: Any) -> StreamDecodeError:
    with pytest.raises(StreamDecodeError) as info:
        decode_frame(frame, **kwargs)
    assert info.value.__cause__ is not None  # always chained to what went wrong
    assert len(info.value.preview) <= 200
    return info.value


# --- frame shapes ---------------------------------------------------------------------------------


def test_envelope_with_array_gives_the_events_in_order() -> None:
    events = decode_frame(envelope([part_event("hello "), part_event("world")]))
    assert [e.type_ for e in events] == [ChatStreamEventType.MESSAGE_PART, ChatStreamEventType.MESSAGE_PART]
    assert [e.message_part.part.text for e in events] == ["hello ", "world"]  # type: ignore[union-attr]
    assert [e.chat_id for e in events] == [CHAT, CHAT]
    assert events[0].message_part.role == "assistant"  # type: ignore[union-attr]
    assert events[0].message_part.part.type_ is ChatMessagePartType.TEXT  # type: ignore[union-attr]


def test_envelope_with_a_single_object_gives_one_event() -> None:
    events = decode_frame(envelope(part_event("solo")))
    assert len(events) == 1
    assert events[0].message_part.part.text == "solo"  # type: ignore[union-attr]


def test_bare_array_as_newer_servers_send() -> None:
    events = decode_frame(json.dumps([part_event("a"), part_event("b")]))
    assert [e.message_part.part.text for e in events] == ["a", "b"]  # type: ignore[union-attr]


def test_the_three_shapes_give_equal_events() -> None:
    event = part_event("same")
    as_array = decode_frame(envelope([event]))
    as_object = decode_frame(envelope(event))
    bare = decode_frame(json.dumps([event]))
    assert as_array == as_object == bare
    assert as_array[0].to_dict() == event


def test_empty_batches() -> None:
    assert decode_frame(envelope([])) == []
    assert decode_frame("[]") == []


@pytest.mark.parametrize(
    "frame",
    ['{"type":"ping"}', '{"type":"ping","data":null}', '{"type": "ping", "data": {}}', '{"type":"data","data":null}'],
)
def test_ping_and_null_data_give_no_events(frame: str) -> None:
    assert decode_frame(frame) == []


def test_unknown_envelope_type_gives_no_events() -> None:
    assert decode_frame(json.dumps({"type": "heartbeat", "data": [part_event("x")]})) == []


def test_str_bytes_and_bytearray_decode_alike() -> None:
    frame = envelope([part_event("héllo 日本 \U0001f600")])
    from_str = decode_frame(frame)
    assert decode_frame(frame.encode()) == from_str
    # decode_frame is annotated str | bytes; at run time it takes any bytes-like object.
    assert decode_frame(cast(bytes, bytearray(frame.encode()))) == from_str
    assert from_str[0].message_part.part.text == "héllo 日本 \U0001f600"  # type: ignore[union-attr]


def test_newlines_and_escapes_in_text_survive() -> None:
    text = 'line 1\r\nline 2\t"quoted" \\ \u2028 \ud800'
    (event,) = decode_frame(envelope([part_event(text)]))
    assert event.message_part.part.text == text  # type: ignore[union-attr]


# --- error envelopes ------------------------------------------------------------------------------


def server_error(data: Any, *, omit: bool = False) -> StreamServerError:
    frame = json.dumps({"type": "error"} if omit else {"type": "error", "data": data})
    with pytest.raises(StreamServerError) as info:
        decode_frame(frame)
    return info.value


def test_error_envelope_raises_with_message_and_detail() -> None:
    err = server_error({"message": "Failed to subscribe.", "detail": "pubsub: closed", "validations": []})
    assert (err.message, err.detail) == ("Failed to subscribe.", "pubsub: closed")
    assert str(err) == "Failed to subscribe.: pubsub: closed"
    assert isinstance(err, CoderChatError)


def test_error_envelope_without_detail() -> None:
    err = server_error({"message": "  Internal error.  "})
    assert (err.message, err.detail) == ("Internal error.", None)
    assert str(err) == "Internal error."


def test_error_envelope_with_blank_message_keeps_the_detail() -> None:
    err = server_error({"message": " ", "detail": "context canceled"})
    assert (err.message, err.detail) == ("chat stream returned an error", "context canceled")


@pytest.mark.parametrize(
    "data", [{}, {"message": "", "detail": ""}, {"message": 5, "detail": ["x"]}, None, 7, [], [1, 2], "   ", True]
)
def test_error_envelope_without_a_usable_body_gets_the_go_sdk_fallback(data: Any) -> None:
    err = server_error(data)
    assert (err.message, err.detail) == ("chat stream returned an error", None)


def test_error_envelope_without_data() -> None:
    assert server_error(None, omit=True).message == "chat stream returned an error"


def test_error_envelope_with_a_string_uses_it_as_go_does() -> None:
    err = server_error("  upstream unavailable ")
    assert (err.message, err.detail) == ("upstream unavailable", None)


# --- upstream fixtures ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", STREAM_FIXTURES)
def test_every_stream_fixture_decodes_to_what_from_dict_builds(name: str) -> None:
    events = decode_frame(fixture_frame(name))
    expected = [ChatStreamEvent.from_dict(raw) for raw in fixture_events(name)]
    assert events == expected
    assert [e.chat_id for e in events] == [uuid.UUID(raw["chat_id"]) for raw in fixture_events(name)]


def test_fixture_text_parts_envelope() -> None:
    events = decode_frame(fixture_frame("stream-envelope-batch-text-parts.json"))
    assert [e.message_part.part.text for e in events] == ["hello ", "world"]  # type: ignore[union-attr]
    assert {e.chat_id for e in events} == {uuid.UUID(placeholder_uuid("chat-1"))}


def test_fixture_message_then_part_envelope() -> None:
    message, part = decode_frame(fixture_frame("stream-envelope-batch-message-then-part.json"))
    assert message.type_ is ChatStreamEventType.MESSAGE
    assert message.message.id == 2  # type: ignore[union-attr]
    assert message.message.role == "assistant"  # type: ignore[union-attr]
    assert message.message.content[0].text == "done"  # type: ignore[union-attr,index]
    assert part.message_part.part.text == " more"  # type: ignore[union-attr]


def test_fixture_part_then_waiting_envelope() -> None:
    part, status = decode_frame(fixture_frame("stream-envelope-batch-part-then-status-waiting.json"))
    assert part.message_part.part.text == "should be discarded"  # type: ignore[union-attr]
    assert status.status.status is ChatStatus.WAITING  # type: ignore[union-attr]


def test_fixture_single_events() -> None:
    (retry,) = decode_frame(fixture_frame("stream-event-retry.json"))
    assert (retry.retry.attempt, retry.retry.error, retry.retry.delay_ms) == (2, "upstream timeout", 5000)  # type: ignore[union-attr]
    (error,) = decode_frame(fixture_frame("stream-event-error.json"))
    assert error.error.message == "Rate limit exceeded"  # type: ignore[union-attr]
    (queue,) = decode_frame(fixture_frame("stream-event-queue-update-empty.json"))
    assert queue.queued_messages == []
    (sub,) = decode_frame(fixture_frame("stream-event-status-subagent-completed.json"))
    assert sub.status.status is ChatStatus.COMPLETED  # type: ignore[union-attr]
    assert sub.chat_id == uuid.UUID(placeholder_uuid("chat-subagent-1"))


def test_pre_seed_delta_sequence_as_a_bare_array_takes_the_given_chat_id() -> None:
    frame = json.dumps(load("stream-events-delta-sequence-pre-seed.json"))
    events = decode_frame(frame, chat_id=str(CHAT))
    assert len(events) == 6
    assert {e.chat_id for e in events} == {CHAT}
    assert {e.message_part.role for e in events} == {"assistant"}  # type: ignore[union-attr]
    parts = [e.message_part.part for e in events]  # type: ignore[union-attr]
    assert [p.type_ for p in parts] == ["text", "text", "reasoning", "tool-call", "tool-call", "tool-call"]
    assert [p.args_delta for p in parts[3:]] == ['{"command":"echo', ' hi"}', UNSET]
    assert parts[5].args == {"command": "echo hi"}
    assert parts[5].tool_call_id == "call-1"
    assert parts[5].tool_name == "execute"


def test_pre_seed_delta_sequence_without_a_chat_id_is_rejected() -> None:
    err = decode_error(json.dumps(load("stream-events-delta-sequence-pre-seed.json")))
    assert err.reason == "event 0: event has no chat_id and decode_frame was given none"


def test_docs_example_with_an_elided_part_is_rejected() -> None:
    frame = json.dumps(with_uuids(load("docs-stream-envelope-data.json")))
    err = decode_error(frame)
    assert err.reason == "event 1: missing field 'part'"
    assert err.preview == frame[:200]
    assert isinstance(err.__cause__, KeyError)


# --- chat_id --------------------------------------------------------------------------------------


def test_chat_id_argument_fills_only_missing_ids() -> None:
    own = part_event("sub", chat_id=OTHER)
    missing = part_event("main")
    del missing["chat_id"]
    null = part_event("null")
    null["chat_id"] = None
    for given_id in (CHAT, str(CHAT)):
        events = decode_frame(envelope([own, missing, null]), chat_id=given_id)
        assert [e.chat_id for e in events] == [OTHER, CHAT, CHAT]


def test_a_chat_id_argument_that_is_not_a_uuid_is_a_caller_error() -> None:
    with pytest.raises(ValueError):
        decode_frame("[]", chat_id="chat-1")


def test_many_distinct_chat_ids_each_keep_their_own() -> None:
    ids = [uuid.UUID(int=n) for n in range(1, 2100)]
    events = decode_frame(envelope([part_event(str(n), chat_id=i) for n, i in enumerate(ids)]))
    assert [e.chat_id for e in events] == ids


# --- forward compatibility ------------------------------------------------------------------------


def test_unknown_event_type_and_fields_round_trip() -> None:
    # Names no version of the spec has: whatever a newer server adds is kept as it came.
    raw = {
        "type": "future_event",
        "chat_id": str(CHAT),
        "future_event": {"tool_calls": [{"tool_call_id": "t1", "tool_name": "ask", "args": {"q": 1}}]},
        "future_seq": 17,
    }
    (event,) = decode_frame(envelope([copy.deepcopy(raw)]))
    assert event.type_ == "future_event"
    assert not event.type_.is_known
    assert event.additional_properties == {"future_event": raw["future_event"], "future_seq": 17}
    assert event.to_dict() == raw


def test_unknown_part_type_and_part_fields_round_trip() -> None:
    raw = {
        "type": "message_part",
        "chat_id": str(CHAT),
        "future_version": 3,
        "message_part": {
            "role": "assistant",
            "future_attempt": 1,
            "part": {"type": "future-reference", "future_name": "a.go", "future_line": 4, "future_content": "x"},
        },
    }
    (event,) = decode_frame(envelope([copy.deepcopy(raw)]))
    part = event.message_part.part  # type: ignore[union-attr]
    assert part.type_ == "future-reference"
    assert part.additional_properties == {"future_name": "a.go", "future_line": 4, "future_content": "x"}
    assert event.message_part.additional_properties == {"future_attempt": 1}  # type: ignore[union-attr]
    assert event.to_dict() == raw


def test_known_part_with_newer_fields_round_trips() -> None:
    raw = part_event("x", part_type="reasoning")
    raw["message_part"]["part"].update({"title": "Planning", "future_executed": True, "future_at": "2026-01-01"})
    (event,) = decode_frame(envelope([copy.deepcopy(raw)]))
    part = event.message_part.part  # type: ignore[union-attr]
    assert (part.type_, part.text, part.title) == (ChatMessagePartType.REASONING, "x", "Planning")
    assert part.additional_properties == {"future_executed": True, "future_at": "2026-01-01"}
    assert event.to_dict() == raw


def test_unknown_status_round_trips() -> None:
    raw = {"type": "status", "chat_id": str(CHAT), "status": {"status": "requires_action"}}
    (event,) = decode_frame(envelope([copy.deepcopy(raw)]))
    assert event.status.status == "requires_action"  # type: ignore[union-attr]
    assert event.to_dict() == raw


def test_null_lists_are_empty_as_go_nil_slices_are() -> None:
    (queue,) = decode_frame(envelope([{"type": "queue_update", "chat_id": str(CHAT), "queued_messages": None}]))
    assert queue.queued_messages is UNSET  # the accumulator reads a missing queue as empty
    message = with_uuids(load("chat-message-assistant-text.json")) | {"content": None}
    (persisted,) = decode_frame(envelope([{"type": "message", "chat_id": str(CHAT), "message": message}]))
    assert persisted.message.content is UNSET  # type: ignore[union-attr]


def test_null_payloads_are_kept_as_the_model_allows() -> None:
    raw = [{"type": t, "chat_id": str(CHAT), t: None} for t in ("message", "message_part", "status", "error", "retry")]
    events = decode_frame(envelope(copy.deepcopy(raw)))
    assert [(e.message, e.message_part, e.status, e.error, e.retry) for e in events] == [
        (None, UNSET, UNSET, UNSET, UNSET),
        (UNSET, None, UNSET, UNSET, UNSET),
        (UNSET, UNSET, None, UNSET, UNSET),
        (UNSET, UNSET, UNSET, None, UNSET),
        (UNSET, UNSET, UNSET, UNSET, None),
    ]
    assert [e.to_dict() for e in events] == raw


def test_null_in_a_string_field_is_rejected_as_from_dict_rejects_it() -> None:
    assert decode_error(envelope([with_change({"message_part.part.title": None})])).reason == (
        "event 0: part.title is null, not a string"
    )
    assert decode_error(envelope([with_change({"message_part.role": None})])).reason == (
        "event 0: message_part.role is null, not a string"
    )


def test_tool_parts_decode_with_every_field() -> None:
    call = {
        "type": "tool-call",
        "tool_call_id": "c1",
        "tool_name": "execute",
        "args_delta": '{"a":',
        "args": {"a": 1.5},
    }
    result = {"type": "tool-result", "tool_call_id": "c1", "result": ["ok"], "result_delta": "o", "is_error": False}
    source = {"type": "source", "source_id": "s1", "url": "https://x", "title": "X"}
    events = decode_frame(
        envelope(
            [
                {"type": "message_part", "chat_id": str(CHAT), "message_part": {"part": p}}
                for p in (call, result, source)
            ]
        )
    )
    assert [e.message_part.part.to_dict() for e in events] == [call, result, source]  # type: ignore[union-attr]
    assert events[0].message_part.role is UNSET  # type: ignore[union-attr]


# --- malformed frames -----------------------------------------------------------------------------


def splittable_frames() -> list[str]:
    frames = [fixture_frame(name) for name in STREAM_FIXTURES if name.startswith("stream-envelope-")]
    return [json.dumps(json.loads(frame), separators=(",", ":")) for frame in frames]


@pytest.mark.parametrize("frame", splittable_frames())
def test_every_split_of_a_frame_is_rejected_half_by_half(frame: str) -> None:
    assert decode_frame(frame)  # whole, it decodes
    for cut in range(1, len(frame)):
        for half in (frame[:cut], frame[cut:]):
            with pytest.raises(StreamDecodeError):
                decode_frame(half)


def test_every_byte_split_inside_multibyte_text_is_rejected() -> None:
    frame = envelope([part_event("é日\U0001f600")]).encode()
    start = frame.index("é".encode())
    for cut in range(start, start + 10):
        for half in (frame[:cut], frame[cut:]):
            with pytest.raises(StreamDecodeError):
                decode_frame(half)


@pytest.mark.parametrize("separator", ["", "\n", " "])
def test_two_frames_concatenated_are_rejected(separator: str) -> None:
    one = envelope([part_event("a")])
    err = decode_error(one + separator + one)
    assert err.reason.startswith("invalid JSON (JSONDecodeError: Extra data")


def test_invalid_utf8_is_rejected_with_a_readable_preview() -> None:
    frame = b'{"type":"data","data":[{"text":"\xff\xfe"}]}'
    err = decode_error(frame)
    assert isinstance(err.__cause__, UnicodeDecodeError)
    assert err.preview == '{"type":"data","data":[{"text":"\ufffd\ufffd"}]}'


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (b'"x":"\xff",', "frame is not valid UTF-8 ("),
        (b'"k\xc0":0,', "frame is not valid UTF-8 ("),
        (b'"x":{"a":[1e400]},', "invalid JSON (ValueError: number 1e400 is out of range)"),
        (b'"x":NaN,', "invalid JSON (ValueError: NaN is not valid JSON)"),
    ],
    ids=["bad-utf8-value", "bad-utf8-key", "huge-number", "nan"],
)
def test_an_unknown_envelope_key_is_checked_like_the_rest(extra: bytes, reason: str) -> None:
    # A parser may skip a value it has no use for; the frame is still not valid JSON text.
    frame = b'{"type":"data",' + extra + b'"data":[' + json.dumps(part_event("a")).encode() + b"]}"
    assert decode_frame(frame.replace(extra, b""))[0].message_part.part.text == "a"  # type: ignore[union-attr]
    assert decode_error(frame).reason.startswith(reason)


@pytest.mark.parametrize("chunk_size", [1, 2, 64])
def test_in_chunks_the_same_events_are_built_a_few_at_a_time(chunk_size: int) -> None:
    frame = envelope(
        [part_event(str(i)) for i in range(5)]
        + [{"type": "status", "chat_id": str(CHAT), "status": {"status": "waiting"}}]
    )
    chunks = list(decode_frame_in_chunks(frame, chunk_size=chunk_size))
    assert [len(chunk) for chunk in chunks] == [min(chunk_size, 6 - i) for i in range(0, 6, chunk_size)]
    assert [event for chunk in chunks for event in chunk] == decode_frame(frame)
    assert list(decode_frame_in_chunks('{"type":"ping"}')) == []


def test_both_paths_build_parts_that_fingerprint_alike() -> None:
    by_user = part_event("a")
    by_user["message_part"]["role"] = "user"
    with_args = part_event("c")
    with_args["message_part"]["part"] = {"type": "tool-call", "args": {"k": 1}}
    status = {"type": "status", "chat_id": str(CHAT), "status": {"status": "waiting"}}
    tool_delta = part_event("d")
    tool_delta["message_part"]["part"] = {"type": "tool-call", "tool_call_id": "c1", "args_delta": "{"}
    frame = envelope([part_event("a"), by_user, status, with_args, tool_delta])
    [events] = decode_frame_in_chunks(frame)
    with speedups.disabled():
        [plain] = decode_frame_in_chunks(frame)
    parts = [fingerprint(events[index].message_part) for index in (0, 1, 3, 4)]
    assert parts == [fingerprint(plain[index].message_part) for index in (0, 1, 3, 4)]
    # A part with args takes the JSON fingerprint, the others hash their fields: all four differ.
    assert len(set(parts)) == 4


def test_in_chunks_the_chunk_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="chunk_size must be at least 1"):
        next(decode_frame_in_chunks(envelope([part_event("a")]), chunk_size=0))


@pytest.mark.parametrize("chunk_size", [1, 2, 64])
def test_in_chunks_a_bad_event_raises_after_the_events_before_it(chunk_size: int) -> None:
    good = [part_event("a"), part_event("b"), {"type": "status", "chat_id": str(CHAT), "status": {"status": "waiting"}}]
    frame = envelope([*good, {"type": "message_part", "chat_id": "not-a-uuid"}, part_event("after")])
    chunks = decode_frame_in_chunks(frame, chunk_size=chunk_size)
    handed_out: list[ChatStreamEvent] = []
    with pytest.raises(StreamDecodeError) as raised:
        for events in chunks:
            assert len(events) <= chunk_size
            handed_out += events
    assert handed_out == decode_frame(envelope(good))  # every event before the bad one, none after
    assert raised.value.reason == decode_error(frame).reason  # as decode_frame says it
    assert raised.value.reason.startswith("event 3: ")  # counted in the frame, not in the chunk
    assert next(chunks, None) is None  # and the frame is over


@pytest.mark.parametrize(
    "frame", ['{"type":"data","data":[' + json.dumps(part_event("a")) + ",", '{"type":"error","data":{"message":"x"}}']
)
def test_in_chunks_a_frame_that_is_no_json_or_an_error_raises_before_any_event(frame: str) -> None:
    with pytest.raises((StreamDecodeError, StreamServerError)):
        next(decode_frame_in_chunks(frame))


def test_utf16_bytes_are_rejected_not_sniffed() -> None:
    # json.loads(bytes) would detect UTF-16; a websocket text frame is UTF-8 by definition.
    decode_error(envelope([part_event("x")]).encode("utf-16"))


def test_a_bom_is_rejected() -> None:
    decode_error("\ufeff" + envelope([]))


@pytest.mark.parametrize("frame", ["[" * 100_000, "[" * 100_000 + "]" * 100_000, '{"a":' * 100_000])
def test_deeply_nested_json_is_a_decode_error_not_a_recursion_error(frame: str) -> None:
    err = decode_error(frame)
    assert len(err.preview) == 200


def test_deeply_nested_args_are_rejected_and_moderately_nested_args_decode() -> None:
    def frame(depth: int) -> str:
        part = '{"type":"tool-call","tool_call_id":"c","args":' + "[" * depth + "]" * depth + "}"
        return envelope([part_event("x")]).replace('{"type": "text", "text": "x"}', part)

    decode_error(frame(200_000))
    (event,) = decode_frame(frame(300))
    assert json.dumps(event.message_part.part.args) == "[" * 300 + "]" * 300  # type: ignore[union-attr]


@pytest.mark.parametrize("number", ["1" * 5000, "-" + "9" * 4400, "1e400", "-1e999", "NaN", "Infinity", "-Infinity"])
def test_huge_numbers_and_non_json_constants_are_rejected(number: str) -> None:
    decode_error(envelope([part_event("x")]).replace('"x"}', '"x", "args": ' + number + "}"))


def test_ordinary_numbers_decode() -> None:
    args = "[1.5e300,-2,0.1," + "9" * 4000 + "]"
    (event,) = decode_frame(envelope([part_event("x")]).replace('"x"}', '"x", "args": ' + args + "}"))
    assert event.message_part.part.args == [1.5e300, -2, 0.1, int("9" * 4000)]  # type: ignore[union-attr]


def test_a_4_mib_frame_of_many_events_decodes() -> None:
    events = [part_event(f"token {n:06d} " + "x" * 100) for n in range(15_600)]
    frame = envelope(events)
    assert 4 * 1024 * 1024 - 50_000 < len(frame) <= 4 * 1024 * 1024
    decoded = decode_frame(frame.encode())
    assert len(decoded) == 15_600
    assert decoded[-1].message_part.part.text == "token 015599 " + "x" * 100  # type: ignore[union-attr]


def test_preview_of_a_4_mib_malformed_frame_is_bounded() -> None:
    frame = envelope([part_event("x" * 1000) for _ in range(4000)])[:-1]  # drop the closing brace
    assert len(frame) > 4_000_000
    err = decode_error(frame)
    assert err.preview == frame[:200]
    assert len(str(err)) < 500
    bad_event = envelope([part_event("x" * 1000) for _ in range(4000)] + [{"type": 5}])
    err = decode_error(bad_event)
    assert err.reason == "event 4000: ValueError: 5 is not a valid ChatStreamEventType"
    assert err.preview == bad_event[:200]


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        ('"data"', "frame is a string, not an array or object"),
        ("5", "frame is an integer, not an array or object"),
        ("null", "frame is null, not an array or object"),
        ('{"type":"data"}', "data envelope without 'data'"),
        ('{"type":"data","data":7}', "envelope 'data' is an integer, not an array or object"),
        ('{"type":"data","data":"x"}', "envelope 'data' is a string, not an array or object"),
        ('{"type":5,"data":[]}', "envelope 'type' is an integer, not a string"),
        ('{"data":[]}', "envelope 'type' is null, not a string"),
        ("", "invalid JSON (JSONDecodeError: Expecting value: line 1 column 1 (char 0))"),
    ],
)
def test_malformed_envelopes(frame: str, reason: str) -> None:
    err = decode_error(frame)
    assert err.reason == reason
    assert err.preview == frame


def test_a_frame_that_is_not_text_is_a_decode_error() -> None:
    err = decode_error(12345)
    assert err.reason == "frame is int, not str or bytes"


def with_change(change: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    event = copy.deepcopy(base or part_event("x"))
    for path, value in change.items():
        *parents, last = path.split(".")
        target = event
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value
    return event


MESSAGE_EVENT = {"type": "message", "chat_id": str(CHAT), "message": with_uuids(load("chat-message-user-text.json"))}
QUEUE_EVENT = {
    "type": "queue_update",
    "chat_id": str(CHAT),
    "queued_messages": [with_uuids(load("chat-queued-message.json"))],
}
RETRY_EVENT = with_uuids(load("stream-event-retry.json"))
ERROR_EVENT = with_uuids(load("stream-event-error.json"))
STATUS_EVENT = with_uuids(load("stream-event-status-running.json"))
MESSAGE_PART_EVENT = part_event("x")

BAD_EVENTS: list[tuple[str, Any, str]] = [
    ("not an object", "event", "event is a string, not an object"),
    ("null event", None, "event is null, not an object"),
    ("array event", [], "event is an array, not an object"),
    ("no type", with_change({"type": KeyError}), "missing field 'type'"),
    ("type 5", with_change({"type": 5}), "ValueError: 5 is not a valid ChatStreamEventType"),
    ("chat_id 5", with_change({"chat_id": 5}), "chat_id is an integer, not a string"),
    ("chat_id list", with_change({"chat_id": []}), "chat_id is an array, not a string"),
    ("chat_id not a uuid", with_change({"chat_id": "chat-1"}), "ValueError: badly formed hexadecimal UUID string"),
    ("message_part str", with_change({"message_part": "x"}), "message_part is a string, not an object"),
    ("no part", with_change({"message_part.part": KeyError}), "missing field 'part'"),
    ("part list", with_change({"message_part.part": []}), "message_part.part is an array, not an object"),
    ("part type missing", with_change({"message_part.part.type": KeyError}), "missing field 'type'"),
    ("part type 1", with_change({"message_part.part.type": 1}), "ValueError: 1 is not a valid ChatMessagePartType"),
    (
        "part type list",
        with_change({"message_part.part.type": ["text"]}),
        "ValueError: ['text'] is not a valid ChatMessagePartType",
    ),
    ("text 5", with_change({"message_part.part.text": 5}), "part.text is an integer, not a string"),
    ("text list", with_change({"message_part.part.text": ["a"]}), "part.text is an array, not a string"),
    ("is_error str", with_change({"message_part.part.is_error": "yes"}), "part.is_error is a string, not a boolean"),
    ("args_delta obj", with_change({"message_part.part.args_delta": {}}), "part.args_delta is an object, not a string"),
    ("role 5", with_change({"message_part.role": 5}), "message_part.role is an integer, not a string"),
    ("message str", with_change({"message": "x"}, MESSAGE_EVENT), "message is a string, not an object"),
    (
        "message id str",
        with_change({"message.id": "1"}, MESSAGE_EVENT),
        "field 'id' must be int, not str",
    ),
    # The models' from_dict apply Go's int64 rule (no boolean, nothing out of range), for REST and the stream alike.
    (
        "message id bool",
        with_change({"message.id": True}, MESSAGE_EVENT),
        "field 'id' must be int, not bool",
    ),
    (
        "message id huge",
        with_change({"message.id": 2**63}, MESSAGE_EVENT),
        f"field 'id' is {2**63}, out of the int64 range",
    ),
    ("message no id", with_change({"message.id": KeyError}, MESSAGE_EVENT), "missing field 'id'"),
    (
        "role list",
        with_change({"message.role": []}, MESSAGE_EVENT),
        "field 'role' must be str, not list",
    ),
    (
        "content str",
        with_change({"message.content": "abc"}, MESSAGE_EVENT),
        "message.content is a string, not an array",
    ),
    ("content obj", with_change({"message.content": {}}, MESSAGE_EVENT), "message.content is an object, not an array"),
    (
        "content part 5",
        with_change({"message.content.0.text": 5}, MESSAGE_EVENT),
        "field 'content[0].text' must be str, not int",
    ),
    (
        "created_at 5",
        with_change({"message.created_at": 5}, MESSAGE_EVENT),
        "field 'created_at' must be an RFC 3339 date-time, not the number 5",
    ),
    (
        "usage str",
        with_change({"message.usage": {"input_tokens": "1"}}, MESSAGE_EVENT),
        "field 'usage.input_tokens' must be int | None, not str",
    ),
    ("queue str", with_change({"queued_messages": "x"}, QUEUE_EVENT), "queued_messages is a string, not an array"),
    ("queue item 5", with_change({"queued_messages": [5]}, QUEUE_EVENT), "queued message is an integer, not an object"),
    (
        "queue content",
        with_change({"queued_messages.0.content": "x"}, QUEUE_EVENT),
        "queued message content is a string, not an array",
    ),
    (
        "queue id",
        with_change({"queued_messages.0.id": 1.5}, QUEUE_EVENT),
        "field 'id' must be int, not float",
    ),
    ("status str", with_change({"status": "running"}, STATUS_EVENT), "status is a string, not an object"),
    (
        "status 5",
        with_change({"status.status": 5}, STATUS_EVENT),
        "field 'status' must be a ChatStatus value, not the number 5",
    ),
    ("error 5", with_change({"error.message": 5}, ERROR_EVENT), "field 'message' must be str, not int"),
    ("error list", with_change({"error": []}, ERROR_EVENT), "error is an array, not an object"),
    (
        "retry attempt",
        with_change({"retry.attempt": "2"}, RETRY_EVENT),
        "field 'attempt' must be int, not str",
    ),
    ("retry error", with_change({"retry.error": 1}, RETRY_EVENT), "field 'error' must be str, not int"),
    (
        "retry time",
        with_change({"retry.retrying_at": "soon"}, RETRY_EVENT),
        "field 'retrying_at' must be an RFC 3339 date-time, not the string 'soon'",
    ),
]


@pytest.mark.parametrize(("event", "reason"), [(e, r) for _, e, r in BAD_EVENTS], ids=[i for i, _, _ in BAD_EVENTS])
def test_wrong_types_anywhere_are_decode_errors(event: Any, reason: str) -> None:
    good = part_event("before")
    frame = envelope([good, event])
    err = decode_error(frame)
    assert err.reason == f"event 1: {reason}"
    assert err.__cause__ is not None
    assert err.preview == frame[:200]


@pytest.mark.parametrize(
    "base", [MESSAGE_EVENT, QUEUE_EVENT, RETRY_EVENT, ERROR_EVENT, STATUS_EVENT, MESSAGE_PART_EVENT], ids=str
)
def test_the_unbroken_bases_of_the_bad_events_decode(base: dict[str, Any]) -> None:
    (event,) = decode_frame(envelope([copy.deepcopy(base)]))
    assert event == ChatStreamEvent.from_dict(base)


# --- properties -----------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=12,
)
known_keys = st.sampled_from(["type", "chat_id", "data", "message_part", "part", "text", "role", "status", "message"])
hostile = st.recursive(
    json_values,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(known_keys | st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=20,
)


@given(hostile)
def test_any_json_gives_events_or_a_stream_error(payload: Any) -> None:
    for frame in (json.dumps(payload), {"type": "data", "data": payload}, [payload]):
        text = frame if isinstance(frame, str) else json.dumps(frame)
        try:
            events = decode_frame(text, chat_id=CHAT)
        except (StreamDecodeError, StreamServerError) as exc:
            assert len(getattr(exc, "preview", "")) <= 200
        else:
            assert all(isinstance(event, ChatStreamEvent) for event in events)


@given(st.binary(max_size=64))
def test_any_bytes_give_events_or_a_stream_error(frame: bytes) -> None:
    with contextlib.suppress(StreamDecodeError, StreamServerError):  # and nothing else
        decode_frame(frame)


part_fields = st.fixed_dictionaries(
    {"type": st.sampled_from(["text", "reasoning", "tool-call", "source", "banana"])},
    optional={
        "text": st.text(max_size=10),
        "tool_call_id": st.text(max_size=5),
        "args_delta": st.text(max_size=5),
        "args": json_values.filter(lambda value: value is not None),  # a null field is decoded as absent
        "is_error": st.booleans(),
        "url": st.text(max_size=5),
        "seq": st.integers(),
    },
)
stream_parts = st.fixed_dictionaries({"part": part_fields}, optional={"role": st.sampled_from(["assistant", "tool"])})
valid_events = st.fixed_dictionaries(
    {"type": st.sampled_from(["message_part", "status", "future_event"])},
    optional={
        "chat_id": st.sampled_from([str(CHAT), str(OTHER)]),
        "message_part": stream_parts,
        "status": st.fixed_dictionaries({"status": st.sampled_from(["running", "waiting", "interrupting"])}),
        "history_version": st.integers(min_value=0),
    },
)


@given(st.lists(valid_events, max_size=5))
def test_valid_events_decode_exactly_as_from_dict_builds_them(raw_events: list[dict[str, Any]]) -> None:
    # The fast path and the general path must agree with the generated parser on every valid event.
    events = decode_frame(envelope(raw_events), chat_id=CHAT)
    expected = [ChatStreamEvent.from_dict({"chat_id": str(CHAT)} | raw) for raw in raw_events]
    assert events == expected
    assert [e.to_dict() for e in events] == [{"chat_id": str(CHAT)} | raw for raw in raw_events]


part_keys = st.sampled_from([*(f.name.removesuffix("_") for f in attrs.fields(ChatMessagePart)), "seq"])


@given(
    st.dictionaries(part_keys, json_values, max_size=5), st.sampled_from([{}, {"role": "assistant"}, {"role": None}])
)
def test_part_builder_accepts_and_rejects_exactly_what_from_dict_does(
    part: dict[str, Any], role: dict[str, Any]
) -> None:
    # Parts are built without from_dict for speed: they must still agree with it on every input, bad ones included.
    raw = {"type": "message_part", "chat_id": str(CHAT), "message_part": {"part": {"type": "text"} | part} | role}
    try:
        expected = ChatStreamEvent.from_dict(copy.deepcopy(raw))
    except Exception:
        with pytest.raises(StreamDecodeError):
            decode_frame(envelope([raw]))
    else:
        assert decode_frame(envelope([raw])) == [expected]


def test_the_part_builder_knows_the_type_of_every_generated_part_field() -> None:
    # Read from the generated model when the codec is imported: a field added by `make generate` is in the table.
    declared: dict[object, Any] = {
        "str | Unset": str,
        "bool | Unset": bool,
        "int | Unset": int,
        "Any | Unset": schema.ANY_JSON,
        "ChatMessagePartType": ChatMessagePartType,
    }
    kinds = {field.attr: field.kind for field in schema.PART_FIELDS}
    for field in attrs.fields(ChatMessagePart):
        if field.name != "additional_properties":
            assert kinds.pop(field.name) is declared.get(str(field.type), schema.CONVERTED), field.name
    assert kinds == {}


def test_a_frame_of_known_event_types_is_decoded_in_one_call_with_the_reference_result() -> None:
    status = {"type": "status", "chat_id": str(CHAT), "status": {"status": "running"}}
    queue = {"type": "queue_update", "chat_id": str(CHAT), "queued_messages": None}
    error = {"type": "error", "chat_id": str(OTHER), "error": {"message": "boom"}}
    message = {
        "type": "message",
        "chat_id": str(CHAT),
        "message": {"id": 3, "chat_id": str(CHAT), "created_at": "2026-03-01T12:00:00Z", "role": "user", "content": []},
    }
    known = [
        status,
        part_event("a"),
        queue,
        error,
        message,
        part_event("b", OTHER),
        {"type": "retry", "chat_id": str(CHAT)},
    ]
    extra_key = {**status, "newer_field": 1}  # declines the one-call path: the reference parser takes the frame
    assert PARSER is not None  # the dev install has msgspec (with the stdlib backend, decode_frame does not use it)
    for events, whole in ((known, True), ([*known, extra_key], False)):
        frame = envelope(events)
        assert (PARSER.parse(frame) is not None) is whole
        decoded = decode_frame(frame)
        with speedups.disabled():
            assert repr(decoded) == repr(decode_frame(frame))
        assert [event.type_ for event in decoded] == [event["type"] for event in events]
