"""The replay record refers to the frames its parts came in and fingerprints them only for a reconnect
(``_codec/frame_refs.py``): what it resolves to, how much it keeps, and frames it cannot refer to."""

from __future__ import annotations

import json
from typing import Any

import pytest

from coder_chat.client.models import ChatStreamEvent
from coder_chat.streaming._codec import frame_refs
from coder_chat.streaming._codec.decode import decode_frame_in_chunks
from coder_chat.streaming._codec.fingerprint import fingerprint
from coder_chat.streaming._codec.frame_refs import REFERENCE
from coder_chat.streaming._codec.replay import ReplayFilter

pytestmark = pytest.mark.usefixtures("json_backend")

CHAT = "7d9b5c3e-0a51-4d8e-9d5b-2f3c1a000001"
Raw = dict[str, Any]


def part(text: str, **fields: Any) -> Raw:
    stream_part = {"role": "assistant", "part": {"type": "text", "text": text, **fields}}
    return {"type": "message_part", "chat_id": CHAT, "message_part": stream_part}


def status(value: str) -> Raw:
    return {"type": "status", "chat_id": CHAT, "status": {"status": value}}


def feed_frame(replay: ReplayFilter, events: list[Raw], frame: str | bytes | bytearray | None = None) -> list[str]:
    """Feed one frame as the stream's core does (announced, then decoded a chunk at a time); the texts yielded."""
    frame = json.dumps(events) if frame is None else frame
    replay.frame_received(frame)  # type: ignore[arg-type]  # (a bytearray: the frame a filter cannot keep)
    out = []
    decoded = bytes(frame) if isinstance(frame, bytearray) else frame
    for chunk in decode_frame_in_chunks(decoded, chat_id=CHAT, chunk_size=4):
        out += replay.feed_all(chunk)
    return [event.to_dict()["message_part"]["part"]["text"] for event in out if event.type_ == "message_part"]


def fingerprints(events: list[Raw]) -> list[int]:
    parts = [raw for raw in events if raw["type"] == "message_part"]
    return [fingerprint(ChatStreamEvent.from_dict(raw).message_part) for raw in parts]


def test_parts_are_recorded_as_references_and_a_reconnect_resolves_them_to_their_fingerprints() -> None:
    replay = ReplayFilter(CHAT)
    replay.connection_opened()
    first = [status("running"), *(part(f"a{i}") for i in range(10))]
    second = [part(f"b{i}", signature="s") for i in range(7)]
    assert feed_frame(replay, first) == [f"a{i}" for i in range(10)]
    assert feed_frame(replay, second) == [f"b{i}" for i in range(7)]
    # The first part of a record is fingerprinted as it arrives (it starts the record); the others wait.
    assert sum(entry >= REFERENCE for entry in replay._record) == 16
    replay.connection_opened()
    assert replay._record == fingerprints(first + second)
    # The reconnect's snapshot replays the turn: nothing comes out twice, the new part does.
    assert feed_frame(replay, [status("running"), *first[1:], *second, part("new")]) == ["new"]


def test_kept_frames_are_bounded_and_the_parts_beyond_are_fingerprinted_as_they_arrive(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frames = [[part(f"{n}-{i}") for i in range(20)] for n in range(6)]
    monkeypatch.setattr(frame_refs, "MAX_KEPT_CHARS", 3 * len(json.dumps(frames[0])))
    replay = ReplayFilter(CHAT)
    replay.connection_opened()
    feed_frame(replay, [status("running")])
    for events in frames:
        feed_frame(replay, events)
        assert replay._refs._kept_chars <= frame_refs.MAX_KEPT_CHARS
    # The fourth frame would have passed the bound: the parts of the first three are references (but the
    # record's first part), the others were fingerprinted as they arrived.
    assert [entry >= REFERENCE for entry in replay._record] == [False] + [True] * 59 + [False] * 60
    assert len(replay._refs._kept) == 3
    replay.connection_opened()
    assert replay._record == fingerprints([event for events in frames for event in events])
    assert replay._refs._kept == {}
    # A new turn starts a new record, which refers to its frames again.
    feed_frame(replay, [status("waiting"), status("running")])
    feed_frame(replay, frames[0])
    assert sum(entry >= REFERENCE for entry in replay._record) == 19  # all but the first part
    assert len(replay._refs._kept) == 1


def test_a_new_record_forgets_the_frames_of_the_last() -> None:
    replay = ReplayFilter(CHAT)
    replay.connection_opened()
    for n in range(3):
        feed_frame(replay, [status("running"), *(part(f"{n}-{i}") for i in range(5)), status("waiting")])
        assert len(replay._refs._kept) == 1  # the current frame only


def test_parts_before_a_malformed_event_resolve_from_their_frame() -> None:
    replay = ReplayFilter(CHAT)
    replay.connection_opened()
    feed_frame(replay, [status("running"), part("x")])
    events = [part(f"c{i}") for i in range(6)]
    frame = json.dumps([*events, {"type": "message_part", "chat_id": CHAT, "message_part": 5}])
    replay.frame_received(frame)
    chunks = decode_frame_in_chunks(frame, chat_id=CHAT, chunk_size=4)
    delivered = [event for event in replay.feed_all(next(chunks))]
    delivered += replay.feed_all(next(chunks))  # the two before the bad event
    with pytest.raises(Exception, match="event 6"):
        next(chunks)
    assert len(delivered) == 6
    replay.connection_opened()
    assert replay._record == fingerprints([part("x"), *events])


@pytest.mark.parametrize("frame_class", [bytes, bytearray])
def test_a_frame_of_bytes_is_referred_to_and_a_mutable_one_fingerprinted_at_once(frame_class: type) -> None:
    replay = ReplayFilter(CHAT)
    replay.connection_opened()
    feed_frame(replay, [status("running"), part("x")])
    events = [part(f"d{i}") for i in range(5)]
    assert feed_frame(replay, events, frame_class(json.dumps(events).encode())) == [f"d{i}" for i in range(5)]
    lazy = sum(entry >= REFERENCE for entry in replay._record)
    assert lazy == (5 if frame_class is bytes else 0)
    replay.connection_opened()
    assert replay._record == fingerprints([part("x"), *events])
