"""Exactly-once delivery on v2 (``_codec/episodes.py`` through ``ReplayFilter``): parts by episode and
``seq``, the sync's ``preview_reset``, ``history_reset`` with an unchanged or a rewritten history, and
the sync's repeated ``action_required``/``retry``/``error`` (API-v2.md §4.5-4.8)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from coder_chat.streaming._codec.decode import decode_frame
from coder_chat.streaming._codec.replay import ReplayFilter

CHAT = "5f0c2a4e-8d0b-4c55-9f1e-2b7c3f5f9a10"
Raw = dict[str, Any]


def part(seq: int, text: str = "", version: int = 4, attempt: int = 1) -> Raw:
    body = {"type": "text", "text": text or f"t{seq}"}
    return {
        "type": "message_part",
        "chat_id": CHAT,
        "message_part": {
            "role": "assistant",
            "part": body,
            "history_version": version,
            "generation_attempt": attempt,
            "seq": seq,
        },
    }


def event(kind: str, **payload: Any) -> Raw:
    return {"type": kind, "chat_id": CHAT, **payload}


def status(value: str) -> Raw:
    return event("status", status={"status": value})


def message(message_id: int, text: str, role: str = "user") -> Raw:
    body = {"id": message_id, "chat_id": CHAT, "created_at": "2026-03-01T12:00:00Z", "role": role}
    return event("message", message={**body, "content": [{"type": "text", "text": text}]})


ACTION = event(
    "action_required", action_required={"tool_calls": [{"tool_call_id": "c1", "tool_name": "w", "args": "{}"}]}
)


class Consumer:
    """A ``ReplayFilter`` fed frame by frame; ``seen`` lists what came out, as short labels."""

    def __init__(self) -> None:
        self.filter = ReplayFilter(CHAT)
        self.seen: list[str] = []

    def connect(self, *events: Raw) -> Consumer:
        self.filter.connection_opened()
        return self.send(*events)

    def send(self, *events: Raw) -> Consumer:
        frame = json.dumps(list(events))
        self.filter.frame_received(frame)
        for out in self.filter.feed_all(decode_frame(frame)) + self.filter.frame_done():  # as the core feeds a frame
            self.seen.append(label(out))
        return self

    def take(self) -> list[str]:
        seen, self.seen = self.seen, []
        return seen


def label(out: Any) -> str:
    kind = str(out.type_)
    if kind == "message_part":
        return f"part:{out.message_part.part.text}"
    if kind == "message":
        return f"message:{out.message.id}:{out.message.content[0].text}"
    if kind == "status":
        return f"status:{out.status.status}"
    return kind


SYNC = [message(1, "q"), status("running"), event("preview_reset")]


def test_a_reconnect_mid_episode_delivers_only_the_parts_not_yet_delivered() -> None:
    c = Consumer().connect(*SYNC, *(part(i) for i in range(1, 6)))
    assert c.take() == [
        "message:1:q",
        "status:running",
        "preview_reset",
        "part:t1",
        "part:t2",
        "part:t3",
        "part:t4",
        "part:t5",
    ]
    c.connect(*SYNC, *(part(i) for i in range(1, 8)))
    assert c.take() == ["part:t6", "part:t7"]  # the sync's message, status and reset were replays too
    c.send(part(8))
    assert c.take() == ["part:t8"]


def test_a_new_attempt_while_disconnected_comes_with_its_reset_and_from_seq_1() -> None:
    c = Consumer().connect(*SYNC, part(1), part(2))
    c.take()
    retry = event("retry", retry={"attempt": 1, "error": "overloaded"})
    c.connect(message(1, "q"), status("running"), retry, event("preview_reset"), part(1, "n1", attempt=2))
    assert c.take() == ["retry", "preview_reset", "part:n1"]
    c.send(part(2, "old", attempt=1), part(2, "n2", attempt=2))  # a late part of the failed attempt
    assert c.take() == ["part:n2"]
    c.connect(message(1, "q"), status("running"), retry, event("preview_reset"), part(1, "n1", attempt=2))
    assert c.take() == []  # the same retry again is the sync's replay


def test_live_resets_pass_and_a_sync_reset_followed_by_no_part_is_dropped() -> None:
    c = Consumer().connect(*SYNC, part(1))
    c.send(message(2, "answer", role="assistant"), status("waiting"), event("preview_reset"))
    assert c.take() == [
        "message:1:q",
        "status:running",
        "preview_reset",
        "part:t1",
        "message:2:answer",
        "status:waiting",
        "preview_reset",
    ]
    c.connect(message(1, "q"), message(2, "answer", role="assistant"), status("waiting"), event("preview_reset"))
    c.send(message(3, "next"), status("running"), event("preview_reset"), part(1, "x", version=6))
    assert c.take() == ["message:3:next", "status:running", "preview_reset", "part:x"]


def test_history_reset_of_an_unchanged_history_delivers_nothing_again() -> None:
    history = [event("history_reset"), message(1, "q"), message(5, "edited"), message(6, "a", role="assistant")]
    c = Consumer().connect(*history, status("waiting"), event("preview_reset"))
    assert c.take() == [
        "history_reset",
        "message:1:q",
        "message:5:edited",
        "message:6:a",
        "status:waiting",
        "preview_reset",
    ]
    for _ in range(2):  # every connection of an edited chat starts so, whatever after_id says
        c.connect(*history, status("waiting"), event("preview_reset"))
        assert c.take() == []
    assert c.filter.last_message_id == 6


def test_a_rewritten_history_is_delivered_whole_after_its_reset() -> None:
    c = Consumer().connect(message(1, "q"), message(2, "a", role="assistant"), status("waiting"))
    c.take()
    rewritten = [event("history_reset"), message(1, "q"), message(3, "q edited")]
    c.send(*rewritten[:2])
    assert c.take() == []  # held until the history is complete
    c.send(rewritten[2], status("running"))
    assert c.take() == ["history_reset", "message:1:q", "message:3:q edited", "status:running"]
    c.connect(*rewritten, status("running"), event("preview_reset"))
    assert c.take() == []  # and once delivered, its replay is a replay


def test_a_history_cut_by_a_drop_is_taken_from_the_next_connection() -> None:
    c = Consumer().connect(message(1, "q"), status("waiting"))
    c.take()
    c.connect(event("history_reset"), message(4, "edited"))
    c.connect(event("history_reset"), message(4, "edited"), status("waiting"))
    # The chat moved on while the stream was away (an edit, a run): its status, though equal, comes after.
    assert c.take() == ["history_reset", "message:4:edited", "status:waiting"]


def test_action_required_once_per_status_change() -> None:
    c = Consumer().connect(message(1, "q"), status("requires_action"), ACTION, event("preview_reset"))
    assert c.take() == ["message:1:q", "status:requires_action", "action_required", "preview_reset"]
    c.connect(message(1, "q"), status("requires_action"), ACTION, event("preview_reset"))
    assert c.take() == []
    c.send(status("running"), status("requires_action"), ACTION)
    assert c.take() == ["status:running", "status:requires_action", "action_required"]


def test_the_sync_of_a_grown_history_gives_only_its_new_messages() -> None:
    history = [event("history_reset"), message(1, "q"), message(5, "edited")]
    c = Consumer().connect(*history, status("waiting"))
    c.take()
    c.connect(*history, message(6, "a", role="assistant"), message(7, "next"), status("running"))
    assert c.take() == ["message:6:a", "message:7:next", "status:running"]  # no reset: nothing was deleted


_V2_EVENTS = st.one_of(
    st.builds(part, st.integers(1, 6), st.just(""), st.integers(3, 5), st.integers(1, 2)),
    st.sampled_from([event("preview_reset"), status("running"), status("waiting"), ACTION]),
    st.builds(message, st.integers(1, 4), st.sampled_from(["q", "r"]), st.sampled_from(["user", "assistant"])),
    st.just("reconnect"),
)


@settings(max_examples=300, deadline=None)
# A reconnect's reset held, the next part of the followed episode (the reset was a replay), then a new episode.
@example([part(1), "reconnect", event("preview_reset"), part(2), part(1, version=5)], [6])
@given(st.lists(_V2_EVENTS, max_size=40), st.lists(st.integers(1, 6), min_size=1, max_size=40))
def test_frames_fed_whole_deliver_what_events_fed_one_by_one_do(script: list[Any], sizes: list[int]) -> None:
    """The stream's core takes a frame's events in one ``feed_all`` (which delivers the parts that go on
    the followed episode without ``feed``): the same events, in the same order, as ``feed`` one by one."""
    one_by_one, whole = ReplayFilter(CHAT), ReplayFilter(CHAT)
    one_by_one.connection_opened()
    whole.connection_opened()
    expected: list[Any] = []
    got: list[Any] = []
    segments: list[list[Raw]] = [[]]
    for item in script:
        if item == "reconnect":
            segments.append([])
        else:
            segments[-1].append(item)
    for number, segment in enumerate(segments):
        if number:
            one_by_one.connection_opened()
            whole.connection_opened()
        for raw in segment:
            for out in one_by_one.feed(decode_frame(json.dumps([raw]))[0]):
                expected.append(out.to_dict())
        start = 0
        while start < len(segment):
            size = sizes[(number + start) % len(sizes)]
            frame = json.dumps(segment[start : start + size])
            whole.frame_received(frame)
            got += [out.to_dict() for out in whole.feed_all(decode_frame(frame))]
            start += size
    assert got == expected
