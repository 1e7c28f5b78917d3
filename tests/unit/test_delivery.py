"""The exactly-once replay filter, fed scripted event sequences (no sockets).

Each scenario states what a server sends on each connection and asserts exactly what the consumer
gets. The last tests run a small model of a seed server (snapshot on every connect) with random
drop points and check the consumer's view equals the fault-free run, event for event.
"""

from __future__ import annotations

import copy
import json
import marshal
import random
import sys
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coder_chat.client.models import (
    ChatMessage,
    ChatMessagePart,
    ChatMessagePartType,
    ChatStreamEvent,
    ChatStreamMessagePart,
)
from coder_chat.streaming._codec.decode import decode_frame_in_chunks
from coder_chat.streaming._codec.fingerprint import _flat_fingerprint, fingerprint
from coder_chat.streaming._codec.replay import ReplayFilter

# Once with msgspec parsing frames and encoding digests, once with the standard library alone.
pytestmark = pytest.mark.usefixtures("json_backend")

CHAT = "7d9b5c3e-0a51-4d8e-9d5b-2f3c1a000001"
CHILD = "7d9b5c3e-0a51-4d8e-9d5b-2f3c1a000002"
TIME = "2026-03-01T12:00:00Z"
Raw = dict[str, Any]


def part(text: str, chat: str = CHAT, kind: str = "text") -> Raw:
    return {
        "type": "message_part",
        "chat_id": chat,
        "message_part": {"role": "assistant", "part": {"type": kind, "text": text}},
    }


def status(value: str, chat: str = CHAT) -> Raw:
    return {"type": "status", "chat_id": chat, "status": {"status": value}}


def message(message_id: int, text: str, role: str = "assistant", chat: str = CHAT) -> Raw:
    return {
        "type": "message",
        "chat_id": chat,
        "message": {
            "id": message_id,
            "chat_id": chat,
            "created_at": TIME,
            "role": role,
            "content": [{"type": "text", "text": text}],
        },
    }


def queue(*ids: int) -> Raw:
    event: Raw = {"type": "queue_update", "chat_id": CHAT}
    if ids:  # a seed server omits the key for an empty queue
        event["queued_messages"] = [
            {
                "id": i,
                "chat_id": CHAT,
                "content": [{"type": "text", "text": f"q{i}"}],
                "created_at": TIME,
            }
            for i in ids
        ]
    return event


def label(raw: Raw) -> str:
    """A short, exact name for an event, so expected outputs read like the scenario."""
    kind = raw["type"]
    if kind == "message_part":
        return f"part:{raw['message_part']['part']['text']}"
    if kind == "status":
        prefix = "" if raw["chat_id"] == CHAT else "child "
        return f"{prefix}status:{raw['status']['status']}"
    if kind == "message":
        text = raw["message"]["content"][0]["text"]
        return f"message:{raw['message']['id']}:{text}"
    if kind == "queue_update":
        return f"queue:{[q['id'] for q in raw.get('queued_messages', [])]}"
    return str(kind)


class Consumer:
    """Drives a ReplayFilter connection by connection, collecting labels of what it yields."""

    # How send() feeds the filter (the ``feeding`` fixture sets it): event by event ("feed"), a batch at
    # a time ("feed_all"), or as the stream's core does, decoded from a frame a chunk at a time ("decoded").
    feeding = "feed"

    def __init__(self, **kwargs: Any) -> None:
        self.filter = ReplayFilter(CHAT, **kwargs)
        self.seen: list[str] = []
        self.events: list[Raw] = []
        self.connections = 0

    def connect(self, *events: Raw) -> Consumer:
        self.filter.connection_opened()
        return self.send(*events)

    def send(self, *events: Raw) -> Consumer:
        if self.feeding == "decoded":
            frame = json.dumps(list(events))
            chunks = decode_frame_in_chunks(frame, chat_id=CHAT, chunk_size=3)
            self.filter.frame_received(frame)  # the record refers to the frame's parts (frame_refs.py)
            out = [kept for chunk in chunks for kept in self.filter.feed_all(chunk)]
        elif self.feeding == "feed_all":
            out = self.filter.feed_all([ChatStreamEvent.from_dict(raw) for raw in events])
        else:
            out = [kept for raw in events for kept in self.filter.feed(ChatStreamEvent.from_dict(raw))]
        out += self.filter.frame_done()  # each send is a frame, whose end the core announces
        for event in out:
            self.events.append(event.to_dict())
            self.seen.append(label(event.to_dict()))
        return self


@pytest.fixture(autouse=True, params=["feed", "feed_all", "decoded"])
def feeding(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every scenario event by event (``feed``), in batches as a frame brings them (``feed_all``), and
    decoded from frames with the part and message digests the decoder hands over (``decoded``)."""
    monkeypatch.setattr(Consumer, "feeding", request.param)


def parts(*texts: str) -> list[Raw]:
    return [part(t) for t in texts]


# --- scenarios ----------------------------------------------------------------------------


def test_a_fault_free_turn_passes_through_unchanged() -> None:
    turn = [status("pending"), message(1, "hi", "user"), status("running"), *parts("He", "llo"), message(2, "Hello")]
    c = Consumer().connect(*turn, status("waiting"))
    assert c.seen == [
        "status:pending",
        "message:1:hi",
        "status:running",
        "part:He",
        "part:llo",
        "message:2:Hello",
        "status:waiting",
    ]
    assert c.filter.last_message_id == 2


def test_reconnect_mid_turn_skips_the_replayed_parts() -> None:
    c = Consumer().connect(status("running"), message(1, "hi", "user"), *parts("a", "b", "c"))
    c.seen.clear()
    # The server replays the turn from its start, then goes on with new parts.
    c.connect(status("running"), *parts("a", "b", "c", "d"), message(1, "hi", "user"))
    c.send(*parts("e"))
    assert c.seen == ["part:d", "part:e"]
    assert c.filter.turn_parts == 5


@pytest.mark.parametrize("order", ["status first", "messages first"])
def test_a_turn_that_ran_while_the_stream_was_down_ends_with_its_status_again(order: str) -> None:
    """The chat was waiting; the stream dropped; a whole turn ran and ended; the reconnection's sync gives
    the chat's state (waiting, equal to the last status yielded) and the turn's messages, in the experimental
    order (status first) or v2's (messages first). The status comes out after the messages: the chat left it
    and came back. (Taken for a replay, it left a turn waiting for an end that had already come.)"""
    c = Consumer().connect(status("waiting"), message(1, "hi", "user"), message(2, "Hello"))
    c.seen.clear()
    new = [message(3, "again", "user"), message(4, "Sure")]
    sync = [status("waiting"), *new] if order == "status first" else [*new, status("waiting")]
    c.connect(*sync)
    assert c.seen == ["message:3:again", "message:4:Sure", "status:waiting"]
    c.seen.clear()
    c.connect(*sync)  # the same sync again: nothing new, so the status is a replay
    c.send(queue())
    assert c.seen == ["queue:[]"]


def test_a_sync_status_is_decided_at_the_end_of_its_frame() -> None:
    c = Consumer().connect(status("waiting"), message(1, "hi", "user"))
    c.seen.clear()
    c.connect(status("waiting"))  # nothing new in the sync: a replay
    c.send(message(2, "again", "user"), message(3, "Sure"))  # live, after the sync: no status comes with them
    assert c.seen == ["message:2:again", "message:3:Sure"]
    c.seen.clear()
    c.connect(status("error"))  # a status that changed comes out at the end of its frame
    assert c.seen == ["status:error"]
    c.seen.clear()
    c.connect(status("error"), *parts("a"))  # decided at the sync's next event of another type: a replay
    assert c.seen == ["part:a"]


def test_a_sync_cut_before_its_status_leaves_the_next_sync_to_say_the_chat_moved_on() -> None:
    c = Consumer().connect(status("waiting"), message(1, "hi", "user"))
    c.seen.clear()
    new = [message(2, "again", "user"), message(3, "Sure")]
    c.connect(*new)  # v2's order, messages first: the connection drops before the status
    c.connect(*new, status("waiting"))
    assert c.seen == ["message:2:again", "message:3:Sure", "status:waiting"]
    c.seen.clear()
    c.connect(*new, status("waiting"))  # once the status is out, a sync with nothing new is a replay
    assert c.seen == []


def test_a_busy_sync_status_is_not_held() -> None:
    c = Consumer().connect(status("waiting"), message(1, "hi", "user"))
    c.seen.clear()
    c.connect(status("running"), *parts("a"), message(2, "again", "user"))
    assert c.seen == ["status:running", "part:a", "message:2:again"]


def test_repeated_deltas_are_matched_by_position() -> None:
    c = Consumer().connect(status("running"), *parts("x", "x", "y", "x"))
    c.seen.clear()
    c.connect(status("running"), *parts("x", "x", "y", "x", "x", "x"))
    assert c.seen == ["part:x", "part:x"]


def test_drop_during_the_replay_and_reconnect_again() -> None:
    c = Consumer().connect(status("running"), *parts("a", "b", "c", "d"))
    c.seen.clear()
    c.connect(status("running"), *parts("a", "b"))  # dropped inside the replay: nothing new yet
    assert c.seen == []
    c.connect(status("running"), *parts("a", "b", "c", "d", "e"))
    assert c.seen == ["part:e"]


def test_reconnect_after_turn_end_replays_nothing_new() -> None:
    turn = [status("running"), *parts("a", "b"), message(2, "ab"), status("waiting")]
    c = Consumer().connect(message(1, "hi", "user"), *turn)
    c.seen.clear()
    # A seed server keeps the finished turn's parts until the next turn starts.
    c.connect(status("waiting"), *parts("a", "b"), message(1, "hi", "user"), message(2, "ab"))
    # A server that cleared them, or that honours after_id, sends less.
    c.connect(status("waiting"))
    assert c.seen == []
    # The next turn is delivered whole, even though it starts with the same deltas.
    c.send(status("pending"), message(3, "again", "user"), status("running"), *parts("a", "b", "c"))
    assert c.seen == ["status:pending", "message:3:again", "status:running", "part:a", "part:b", "part:c"]


def test_new_turn_started_while_disconnected() -> None:
    c = Consumer().connect(status("running"), message(1, "q1", "user"), *parts("Sure", ",", " one"))
    c.seen.clear()
    # While away: turn 1 ended (message 2), the user asked again (message 3), turn 2 began with the
    # same first delta. The snapshot shows status running (unchanged) and turn 2's parts.
    c.connect(
        status("running"), *parts("Sure", "!", " two"), message(2, "Sure, one", chat=CHAT), message(3, "q2", "user")
    )
    assert c.seen == ["part:Sure", "part:!", "part: two", "message:2:Sure, one", "message:3:q2"]
    # The record is now turn 2: a later reconnect replays it and nothing is repeated.
    c.seen.clear()
    c.connect(status("running"), *parts("Sure", "!", " two", " more"))
    assert c.seen == ["part: more"]


def test_new_turn_whose_parts_so_far_are_a_prefix_of_the_old_one() -> None:
    c = Consumer().connect(status("running"), *parts("I", " will", " check"))
    c.seen.clear()
    # Turn 2 has sent "I", " will" so far; the messages after them show the replay is over.
    c.connect(status("running"), *parts("I", " will"), message(5, "I will check"))
    assert c.seen == ["part:I", "part: will", "message:5:I will check"]


def test_status_change_while_disconnected_then_replay_of_the_same_turn() -> None:
    c = Consumer().connect(status("running"), *parts("a", "b"))
    c.seen.clear()
    # The turn finished while away; the seed server still holds its parts while waiting.
    c.connect(status("waiting"), *parts("a", "b", "c"), message(9, "abc"))
    assert c.seen == ["status:waiting", "part:c", "message:9:abc"]


def test_server_buffering_per_step_replays_from_the_last_persisted_message() -> None:
    c = Consumer().connect(status("running"), *parts("s1a", "s1b"), message(4, "step 1"), *parts("s2a", "s2b"))
    c.seen.clear()
    c.connect(status("running"), *parts("s2a", "s2b", "s2c"))
    assert c.seen == ["part:s2c"]


def test_server_buffering_the_whole_turn_across_steps() -> None:
    # Identical steps: the later replay start matches first, but the whole-turn replay goes on.
    c = Consumer().connect(status("running"), *parts("a", "b"), message(4, "step 1"), *parts("a", "b"))
    c.seen.clear()
    c.connect(status("running"), *parts("a", "b", "a", "b", "c"))
    assert c.seen == ["part:c"]
    c.seen.clear()
    # A replay from the later start covers the record first; "d" then rules out the earlier start.
    c.connect(status("running"), *parts("a", "b", "c", "d"))
    assert c.seen == ["part:d"]


def test_seed_server_ignoring_after_id_replays_every_message() -> None:
    history = [message(1, "hi", "user"), message(2, "hello"), message(3, "more", "user"), message(4, "sure")]
    c = Consumer().connect(status("waiting"), *history)
    assert c.filter.last_message_id == 4
    c.seen.clear()
    for _ in range(3):
        c.connect(status("waiting"), *history)
    assert c.seen == []
    c.send(message(5, "new", "user"))
    assert c.seen == ["message:5:new"]


def test_after_id_given_by_the_caller_holds_against_a_seed_server() -> None:
    c = Consumer(after_id=2).connect(status("waiting"), message(1, "a", "user"), message(2, "b"), message(3, "c"))
    assert c.seen == ["status:waiting", "message:3:c"]
    assert c.filter.last_message_id == 3


def test_an_edited_message_is_yielded_again_once() -> None:
    c = Consumer().connect(status("waiting"), message(1, "hi", "user"), message(2, "hello"))
    c.send(message(1, "hi, edited", "user"), queue(), status("pending"))
    c.connect(status("pending"), message(1, "hi, edited", "user"))
    assert c.seen == [
        "status:waiting",
        "message:1:hi",
        "message:2:hello",
        "message:1:hi, edited",
        "queue:[]",
        "status:pending",
    ]


def test_repeated_status_and_queue_updates_are_not_repeated() -> None:
    c = Consumer().connect(status("running"), status("running"), queue(7), queue(7), queue(7, 8), queue())
    c.send(queue(), status("running"), status("waiting"), status("waiting"))
    c.connect(status("waiting"))
    assert c.seen == ["status:running", "queue:[7]", "queue:[7, 8]", "queue:[]", "status:waiting"]


def test_sub_agent_statuses_are_kept_per_chat() -> None:
    c = Consumer().connect(status("running"), status("running", CHILD), status("running", CHILD))
    c.send(part("p"), part("child part", CHILD), status("completed", CHILD), status("running"))
    c.connect(status("running"), part("p"), status("completed", CHILD))
    assert c.seen == [
        "status:running",
        "child status:running",
        "part:p",
        "part:child part",
        "child status:completed",
    ]


def test_parts_of_other_chats_pass_through_and_do_not_disturb_matching() -> None:
    c = Consumer().connect(status("running"), *parts("a", "b"))
    c.seen.clear()
    c.connect(status("running"), part("a"), part("x", CHILD), part("b"), part("c"))
    assert c.seen == ["part:x", "part:c"]


def test_errors_and_unknown_events_pass_through() -> None:
    error: Raw = {"type": "error", "chat_id": CHAT, "error": {"message": "boom"}}
    unknown: Raw = {"type": "preview_reset", "chat_id": CHAT}
    c = Consumer().connect(error, error, unknown)
    assert c.seen == ["error", "error", "preview_reset"]


def test_memory_is_bounded_per_turn_and_per_tracked_messages() -> None:
    c = Consumer(max_tracked_messages=3).connect(status("running"), *parts(*(str(i) for i in range(500))))
    assert c.filter.turn_parts == 500
    c.send(message(1, "long"), status("waiting"), status("pending"), status("running"), *parts("x", "y"))
    assert c.filter.turn_parts == 2
    c.send(*(message(i, f"m{i}") for i in range(2, 8)))
    assert len(c.filter._messages) == 3
    c.seen.clear()
    # Evicted ids are below the floor: a seed server's full replay still yields nothing.
    c.connect(status("running"), *parts("x", "y"), *(message(i, f"m{i}") for i in range(1, 8)))
    assert c.seen == []


def test_the_record_keeps_no_models_and_a_long_turn_replayed_whole_yields_only_what_is_new() -> None:
    turn = [status("running"), *parts(*(f"t{i}" for i in range(5000)))]
    c = Consumer()
    c.connect(*turn)
    assert c.filter.turn_parts == 5000
    # Ints only (fingerprints, or references to the frames the parts came in): no model is kept alive for
    # the garbage collector to walk through a long turn.
    assert all(entry.__class__ is int for entry in c.filter._record)
    c.seen.clear()
    c.connect()
    # The reconnect compares the record: it holds each part's fingerprint, however the parts were fed.
    assert c.filter._record == [fingerprint(ChatStreamEvent.from_dict(raw).message_part) for raw in turn[1:]]
    c.send(*turn, part("new"))  # the whole turn replayed: only the new part comes out
    assert c.seen == ["part:new"]


def test_invalid_max_tracked_messages() -> None:
    with pytest.raises(ValueError):
        ReplayFilter(CHAT, max_tracked_messages=0)


def _digest_of(part_json: Raw, role: str = "assistant") -> int:
    return fingerprint(ChatStreamMessagePart.from_dict({"role": role, "part": part_json}))


def test_part_digests_tell_apart_what_json_tells_apart() -> None:
    base = {"type": "tool-call", "tool_call_id": "c1", "tool_name": "run", "args_delta": '{"a'}
    assert _digest_of(base) == _digest_of(dict(base))  # equal parts, equal digests
    different: list[Raw] = [
        base,
        {**base, "type": "text"},
        {**base, "tool_call_id": "c2"},
        {**base, "args_delta": '{"a"'},
        {**base, "is_error": False},
        {**base, "extra": "kept"},  # an unknown field counts
        {"type": "text", "text": "a"},
        {"type": "reasoning", "text": "a"},
        {"type": "text", "text": "a", "signature": ""},
        # args/result are any JSON: 1, 1.0 and true are three different values there.
        {**base, "args": 1},
        {**base, "args": 1.0},
        {**base, "args": True},
        {**base, "result": 1},
    ]
    digests = {_digest_of(part) for part in different}
    assert len(digests) == len(different)
    assert _digest_of(base, role="tool") != _digest_of(base)
    assert _digest_of({**base, "args": {"x": [1, 2]}}) == _digest_of({**base, "args": {"x": [1, 2]}})


# Two different values per declared field type; a field type not listed here fails the test below.
_TWO_VALUES: dict[str, tuple[Any, Any]] = {
    "str | Unset": ("a", "b"),
    "bool | Unset": (True, False),
    "Any | Unset": ({"x": [1]}, {"x": [2]}),
    "int | Unset": (1, 2),
    "None | Unset | UUID": ("6f1c1b1e-8c43-4d0e-9a57-0b8a5c3f2d11", "6f1c1b1e-8c43-4d0e-9a57-0b8a5c3f2d12"),
    "datetime.datetime | Unset": ("2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z"),
    "list[list[str]] | Unset": ([["a"]], [["b"]]),
}


_PART_FIELDS = [f for f in attrs.fields(ChatMessagePart) if f.name not in ("type_", "additional_properties")]


@pytest.mark.parametrize("field", _PART_FIELDS, ids=lambda f: f.name)
def test_every_field_of_the_part_model_is_in_the_digest(field: attrs.Attribute[Any]) -> None:
    # Read from the generated model: a field added to the spec and regenerated is covered here. Were it
    # left out of the digest, a new part that differs from a replayed one only in that field would be
    # taken for the replay and dropped after a reconnect.
    declared = str(field.type)  # annotations are strings in the generated models
    assert declared in _TWO_VALUES, f"ChatMessagePart.{field.name}: give the test two values of {declared}"
    first, second = _TWO_VALUES[declared]
    wire = field.name.removesuffix("_")
    for base in ({"type": "text"}, {"type": "tool-call", "args": {"k": 1}}):  # the hash and the JSON digest
        if wire in base:
            continue
        assert _digest_of({**base, wire: first}) != _digest_of({**base, wire: second}), wire
        assert _digest_of({**base, wire: first}) != _digest_of(base), wire
        assert _digest_of({**base, wire: first}) == _digest_of({**base, wire: first}), wire


def test_a_hand_built_part_digests_like_the_decoded_one() -> None:
    decoded = ChatStreamMessagePart.from_dict({"role": "assistant", "part": {"type": "text", "text": "hi"}})
    assert type(decoded.part.type_) is ChatMessagePartType
    # Stream models do not convert (they are built from the wire): a hand-built one may hold the wire string.
    by_hand = ChatStreamMessagePart(ChatMessagePart("text", "hi"), "assistant")  # type: ignore[arg-type]
    assert fingerprint(by_hand) == fingerprint(
        ChatStreamMessagePart(ChatMessagePart(ChatMessagePartType.TEXT, "hi"), "assistant")
    )
    assert fingerprint(by_hand) == fingerprint(decoded)


# --- a model seed server with random drops -------------------------------------------------


def _timeline(rng: random.Random, turns: int) -> list[Raw]:
    """Live events of several turns, with tiny delta alphabets so coincidences are frequent."""
    events: list[Raw] = []
    next_id = 1
    for _ in range(turns):
        events += [status("pending"), message(next_id, f"prompt {next_id}", "user"), status("running")]
        next_id += 1
        for _step in range(rng.randint(1, 2)):
            texts = [rng.choice("ab ") for _ in range(rng.randint(0, 12))]
            events += parts(*texts)
            if rng.random() < 0.3:
                events.append(status("running", CHILD))
                events.append(status(rng.choice(["running", "completed"]), CHILD))
            events.append(message(next_id, "".join(texts)))
            next_id += 1
        if rng.random() < 0.3:
            events.append(queue(*range(100, 100 + rng.randint(0, 2))))
        if rng.random() < 0.2 and next_id > 2:
            events.append(message(rng.randrange(1, next_id), f"edited {rng.random():.3f}", "user"))
        events.append(status("waiting"))
    return events


def _snapshot(events: list[Raw], upto: int, after_id: int | None, per_step: bool) -> list[Raw]:
    """What a seed server sends on connect after ``events[:upto]``: status, buffered parts, messages, queue."""
    current = status("waiting")
    buffered: list[Raw] = []
    messages: dict[int, Raw] = {}
    queued: Raw | None = None
    for event in events[:upto]:
        kind = event["type"]
        if kind == "status" and event["chat_id"] == CHAT:
            current = event
            if event["status"]["status"] == "running":
                buffered = []  # reset at turn start
        elif kind == "message_part":
            buffered.append(event)
        elif kind == "message":
            messages[event["message"]["id"]] = event
            if per_step and event["message"]["role"] == "assistant":
                buffered = []
        elif kind == "queue_update":
            queued = event if event.get("queued_messages") else None
    replayed = [m for i, m in sorted(messages.items()) if after_id is None or i > after_id]
    return [current, *buffered, *replayed, *([queued] if queued else [])]


def _run(events: list[Raw], rng: random.Random | None, *, honour_after_id: bool, per_step: bool) -> Consumer:
    """Deliver ``events``; with ``rng``, cut each connection after a random number of events."""
    consumer = Consumer()
    position = 0
    connections = 0
    while True:
        after_id = consumer.filter.last_message_id if honour_after_id else None
        snapshot = _snapshot(events, position, after_id, per_step)
        # Cut anywhere: inside the snapshot or a few live events after it.
        budget = len(snapshot) + len(events) if rng is None else rng.randint(0, len(snapshot) + 8)
        connections += 1
        consumer.filter.connection_opened()
        delivered = snapshot[:budget]
        consumer.send(*delivered)
        live = events[position : position + max(0, budget - len(snapshot))]
        consumer.send(*live)
        position += len(live)
        if position == len(events) and budget >= len(snapshot) + len(live):
            consumer.connections = connections
            return consumer


@pytest.mark.parametrize("per_step", [False, True], ids=["turn-buffer", "step-buffer"])
@pytest.mark.parametrize("honour_after_id", [True, False], ids=["after_id", "seed-ignores-after_id"])
def test_random_drops_match_the_fault_free_run(honour_after_id: bool, per_step: bool) -> None:
    reconnects = 0
    for seed in range(150):
        rng = random.Random(seed)
        events = _timeline(rng, turns=rng.randint(1, 4))
        clean = _run(events, None, honour_after_id=honour_after_id, per_step=per_step)
        faulty = _run(events, rng, honour_after_id=honour_after_id, per_step=per_step)
        assert faulty.events == clean.events, f"seed {seed}"
        reconnects += faulty.connections - 1
    assert reconnects > 1_000  # the drops really happened, at many different points


def test_digesting_leaves_no_utf8_copy_in_the_strings_the_consumer_keeps() -> None:
    # Encoding a str to UTF-8 makes CPython store a copy inside it for good; the filter digests the very
    # strings an accumulator keeps (the whole chat), so the digests must not ask for UTF-8 (bench: memory).
    greeting = "Grüße, 世界 " * 100
    arguments = {"path": "docs/日本語.md", "edits": ["→ ✓ " * 50]}
    events = [
        ChatStreamEvent.from_dict(message(1, greeting)),
        ChatStreamEvent.from_dict(queue(2)),
        ChatStreamEvent.from_dict(
            {**part(""), "message_part": {"role": "assistant", "part": {"type": "tool-call", "args": arguments}}}
        ),
    ]
    kept = [greeting, arguments["path"], arguments["edits"][0]]  # from_dict keeps these very objects
    sizes = [sys.getsizeof(value) for value in kept]
    consumer = ReplayFilter(CHAT)
    consumer.connection_opened()
    assert consumer.feed_all(events) == events
    assert [sys.getsizeof(value) for value in kept] == sizes


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30,
)


def _message_digest(message: Any) -> int:
    return fingerprint(message)


def _tool_message(args: Any, args_again: Any = None) -> Any:
    """A message whose content holds two tool calls, with ``args`` and ``args_again`` (default: the very
    same objects, shared within the message as a decoder may well hand them out)."""
    raw = message(7, "done")
    for value in (args, args if args_again is None else args_again):
        raw["message"]["content"].append(
            {"type": "tool-call", "tool_call_id": "c1", "tool_name": "edit", "args": value}
        )
    return ChatStreamEvent.from_dict(raw).message


@given(_JSON_VALUES)
def test_a_message_digests_by_its_values_not_by_which_objects_it_shares(args: Any) -> None:
    # A replay of a stored message must digest as its first delivery did, whichever decoder built it
    # and whatever objects that decoder happened to reuse (marshal's format with no back-references).
    assert _message_digest(_tool_message(args)) == _message_digest(
        _tool_message(copy.deepcopy(args), copy.deepcopy(args))
    )


def test_an_edit_anywhere_in_a_message_changes_its_digest() -> None:
    base = _message_digest(_tool_message({"path": "a.py", "line": 1}))
    edits = [{"path": "b.py", "line": 1}, {"path": "a.py", "line": 2}, {"path": "a.py", "line": 1.0}]
    edits += [{"path": "a.py", "line": True}, {"path": "a.py"}, {"path": "a.py", "line": 1, "x": None}]
    digests = {_message_digest(_tool_message(args)) for args in edits}
    assert len(digests) == len(edits) and base not in digests
    edited_text = ChatStreamEvent.from_dict(message(7, "done!")).message
    assert _message_digest(edited_text) != _message_digest(ChatStreamEvent.from_dict(message(7, "done")).message)


def test_a_message_marshal_refuses_still_digests_by_value() -> None:
    deep: Any = "x"
    for _ in range(5_000):  # past marshal's nesting limit (and the json encoder's recursion limit)
        deep = [deep]
    assert _message_digest(_tool_message(deep)) == _message_digest(_tool_message(deep, deep))
    assert _message_digest(_tool_message(deep)) != _message_digest(_tool_message([deep]))
    # A JSON list outside a part (a queue's, an unknown field's): no recursion either.
    same: Any = "x"
    for _ in range(5_000):
        same = [same]
    assert fingerprint([deep, 1]) == fingerprint([same, 1]) != fingerprint([[deep], 1])
    odd = ChatStreamEvent.from_dict(message(7, "done")).message
    assert isinstance(odd, ChatMessage)
    odd.additional_properties["seen"] = object()  # hand-built: no JSON value (the json digest str()s it)
    assert isinstance(_message_digest(odd), int)


@given(_JSON_VALUES, _JSON_VALUES)
def test_the_fallback_for_what_marshal_refuses_tells_values_apart_as_marshal_does(value: Any, other: Any) -> None:
    # Taken for nesting past marshal's limit, at any depth of the stack: equal values, equal fingerprints;
    # values marshal tells apart (1, 1.0 and true; key order), different ones.
    assert _flat_fingerprint(value) == _flat_fingerprint(copy.deepcopy(value))
    assert (_flat_fingerprint(value) == _flat_fingerprint(other)) == (
        marshal.dumps(value, 2) == marshal.dumps(other, 2)
    )


def test_a_part_nested_deeper_than_the_encoder_can_go_still_digests() -> None:
    # The decoder accepts nesting within the recursion limit at its own depth; the filter digests it
    # further down the stack. Nothing may escape, and the digest must be the same wherever it is taken.
    deep: Any = "x"
    for _ in range(sys.getrecursionlimit() * 3):
        deep = [deep]
    args_part = {**part(""), "message_part": {"role": "assistant", "part": {"type": "tool-call", "args": deep}}}
    event = ChatStreamEvent.from_dict(args_part)
    consumer = ReplayFilter(CHAT)
    consumer.connection_opened()
    assert consumer.feed_all([event]) == [event]
    assert fingerprint(event.message_part) == fingerprint(ChatStreamEvent.from_dict(args_part).message_part)
    shallow = {**args_part, "message_part": {"role": "assistant", "part": {"type": "tool-call", "args": ["x"]}}}
    assert fingerprint(event.message_part) != fingerprint(ChatStreamEvent.from_dict(shallow).message_part)
