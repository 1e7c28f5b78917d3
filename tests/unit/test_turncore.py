"""The turn tracker without sockets: which events are the turn's, when it ends, and its result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from coder_chat.client.models import ChatMessage, ChatMessagePart, ChatStatus, ChatStreamEvent, ChatStreamMessagePart
from coder_chat.streaming._turns.turncore import TurnTracker, input_parts

CHAT = UUID("7d9b5c3e-0a51-4d8e-9d5b-2f3c1a000001")
TIME = "2026-03-01T12:00:00Z"


def status(value: str) -> ChatStreamEvent:
    return ChatStreamEvent.from_dict({"type": "status", "chat_id": str(CHAT), "status": {"status": value}})


def message_json(message_id: int, role: str, *parts: dict[str, Any]) -> dict[str, Any]:
    return {"id": message_id, "chat_id": str(CHAT), "created_at": TIME, "role": role, "content": list(parts)}


def message(message_id: int, role: str, *parts: dict[str, Any]) -> ChatStreamEvent:
    return ChatStreamEvent.from_dict(
        {"type": "message", "chat_id": str(CHAT), "message": message_json(message_id, role, *parts)}
    )


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value}


def delta(value: str, kind: str = "text") -> ChatStreamEvent:
    part = {"type": kind, "text": value}
    return ChatStreamEvent.from_dict(
        {"type": "message_part", "chat_id": str(CHAT), "message_part": {"role": "assistant", "part": part}}
    )


def queue(*ids: int) -> ChatStreamEvent:
    items = [{"id": i, "chat_id": str(CHAT), "content": [text("q")], "created_at": TIME} for i in ids]
    return ChatStreamEvent.from_dict({"type": "queue_update", "chat_id": str(CHAT), "queued_messages": items})


def action_required(*calls: tuple[str, str, str]) -> ChatStreamEvent:
    listed = [{"tool_call_id": i, "tool_name": n, "args": a} for i, n, a in calls]
    return ChatStreamEvent.from_dict(
        {"type": "action_required", "chat_id": str(CHAT), "action_required": {"tool_calls": listed}}
    )


def event(kind: str) -> ChatStreamEvent:
    return ChatStreamEvent.from_dict({"type": kind, "chat_id": str(CHAT)})


def feed(tracker: TurnTracker, *events: ChatStreamEvent) -> list[str]:
    out: list[str] = []
    for event in events:
        delta = tracker.feed(event)
        if delta is not None:
            out.append(delta)
    return out


def test_a_prompt_sent_to_an_idle_chat() -> None:
    tracker = TurnTracker.for_message(CHAT, 5)
    # The snapshot of the stream opened before the send: the previous turn's stale parts are not the turn's.
    assert feed(tracker, status("waiting"), delta("old")) == []
    assert feed(tracker, message(5, "user", text("hi")), status("pending"), status("running")) == []
    assert feed(tracker, delta("Hel"), delta("lo"), delta("hmm", "reasoning")) == ["Hel", "lo"]
    assert not tracker.ended
    feed(tracker, message(6, "assistant", text("Hello")), status("waiting"))
    assert tracker.ended and tracker.status == ChatStatus.WAITING and tracker.error is None
    result = tracker.result([ChatMessage.from_dict(message_json(i, r, text(t))) for i, r, t in [
        (4, "assistant", "before"), (5, "user", "hi"), (6, "assistant", "Hello"), (7, "user", "next"),
    ]])  # fmt: skip
    assert [m.id for m in result.messages] == [5, 6]
    assert result.text == "Hello" and result.reasoning == ""


@pytest.mark.parametrize("rest", ["waiting", "paused", "requires_action"])
def test_a_newer_servers_statuses_end_a_turn_at_rest_not_while_interrupting(rest: str) -> None:
    # Newer servers: `requires_action` (the agent waits for the user) is a rest, ending with the
    # `action_required` event that follows it; `paused` (a queued message under edit) too; `interrupting`
    # is not yet.
    tracker = TurnTracker.for_message(CHAT, 5)
    feed(tracker, message(5, "user", text("hi")), status("running"), delta("Hel"), status("interrupting"))
    assert not tracker.ended
    feed(tracker, status(rest))
    if rest == "requires_action":
        assert not tracker.ended  # the pending calls come next
        feed(tracker, action_required())
    assert tracker.ended and tracker.status == rest and tracker.error is None


def test_interrupting_does_not_start_a_turn() -> None:
    # The end of a previous run (seen in the snapshot, or after the prompt itself was edited): the turn
    # has not run yet, and the rest that follows is not its end.
    tracker = TurnTracker.for_message(CHAT, 5)
    feed(tracker, status("running"), message(5, "user", text("hi")), status("interrupting"), status("waiting"))
    assert not tracker.ended
    feed(tracker, status("running"), delta("Hi"), status("waiting"))
    assert tracker.ended and tracker.status == ChatStatus.WAITING


def test_a_turn_that_ran_while_the_stream_was_away_ends_at_the_rest_after_its_message() -> None:
    # A prompt sent to an idle chat is followed by its own status, so a rest after its message, the chat
    # having been at rest, means it ran and ended while the stream was away: a reconnection's sync gives the
    # chat's state and the turn's messages (the replay filter yields such a status after them).
    answered = TurnTracker.for_message(CHAT, 5)
    feed(answered, status("waiting"), message(5, "user", text("hi")), message(6, "assistant", text("Hello")))
    assert not answered.ended
    feed(answered, status("waiting"))
    assert answered.ended and answered.status == ChatStatus.WAITING and answered.error is None
    failed = TurnTracker.for_message(CHAT, 5)  # a chat in error, whose next prompt failed too
    feed(failed, status("error"), message(5, "user", text("hi")), status("error"))
    assert failed.ended and failed.status == ChatStatus.ERROR and failed.error
    unseen = TurnTracker.for_message(CHAT, 5)  # no status before the sync
    feed(unseen, message(5, "user", text("hi")), status("waiting"))
    assert unseen.ended and unseen.status == ChatStatus.WAITING


def test_the_agents_message_after_the_prompt_means_the_turn_started() -> None:
    tracker = TurnTracker.for_message(CHAT, 5)
    feed(tracker, status("running"), message(5, "user", text("hi")), message(6, "assistant", text("Hello")))
    assert tracker.started and not tracker.ended
    feed(tracker, status("waiting"))
    assert tracker.ended and tracker.status == ChatStatus.WAITING


def test_a_new_chat_whose_turn_ended_before_the_stream_opened() -> None:
    tracker = TurnTracker.for_new_chat(CHAT)
    # The snapshot: status first, then the finished turn's parts, then the messages.
    feed(tracker, status("waiting"))
    assert tracker.ended and tracker.status == ChatStatus.WAITING
    result = tracker.result(
        [
            ChatMessage.from_dict(message_json(2, "user", text("hi"))),
            ChatMessage.from_dict(message_json(3, "assistant", text("Hello"), {"type": "reasoning", "text": "r"})),
        ]
    )
    assert [m.id for m in result.messages] == [2, 3]
    assert (result.text, result.reasoning) == ("Hello", "r")


def test_a_queued_prompt_is_the_message_persisted_after_it_left_the_queue() -> None:
    content = [ChatMessagePart.from_dict(text("q"))]
    first, second = TurnTracker.for_queued(CHAT, 10, content), TurnTracker.for_queued(CHAT, 11, content)
    events = [
        status("running"),
        queue(10),
        queue(10, 11),  # identical prompts, queued together
        status("waiting"),
        queue(11),  # 10 leaves the queue, and runs:
        message(20, "user", text("q")),
        status("pending"),
        status("running"),
        delta("A"),
        status("waiting"),
        queue(),  # then 11
        message(22, "user", text("q")),
        status("pending"),
        status("running"),
        delta("B"),
        status("waiting"),
    ]
    assert feed(first, *events) == ["A"]
    assert feed(second, *events) == ["B"]
    assert (first.message_id, second.message_id) == (20, 22)
    assert first.ended and second.ended


@pytest.mark.parametrize("message_first", [False, True], ids=["queue-then-message", "message-then-queue"])
def test_identical_queued_prompts_are_recognised_whichever_comes_first_the_message_or_the_queue_update(
    message_first: bool,
) -> None:
    content = [ChatMessagePart.from_dict(text("q"))]
    first, second = TurnTracker.for_queued(CHAT, 10, content), TurnTracker.for_queued(CHAT, 11, content)

    def promoted(message_id: int, queue_after: ChatStreamEvent) -> list[ChatStreamEvent]:
        persisted = message(message_id, "user", text("q"))
        return [persisted, queue_after] if message_first else [queue_after, persisted]

    events = [
        status("running"),
        queue(10, 11),  # identical prompts, queued together behind a running turn
        status("waiting"),
        *promoted(20, queue(11)),  # 10 leaves the queue and runs
        status("pending"),
        status("running"),
        delta("A"),
        status("waiting"),
        *promoted(22, queue()),  # then 11
        status("pending"),
        status("running"),
        delta("B"),
        status("waiting"),
    ]
    assert feed(first, *events) == ["A"]
    assert feed(second, *events) == ["B"]
    assert (first.message_id, second.message_id) == (20, 22)
    assert first.ended and second.ended and first.error is None and second.error is None


def test_a_queued_prompt_that_ran_while_the_stream_was_away_ends_with_the_snapshot() -> None:
    tracker = TurnTracker.for_queued(CHAT, 10, [ChatMessagePart.from_dict(text("q"))])
    feed(tracker, status("running"), queue(10))
    # A reconnection's snapshot: the status (at rest: the turn ran meanwhile), the persisted messages
    # (the promoted prompt and its answer), then the queue, without it.
    feed(tracker, status("waiting"), message(20, "user", text("q")), message(21, "assistant", text("A")), queue())
    assert not tracker.ended
    feed(tracker, status("waiting"))  # the next status closes the promotion: the prompt was message 20
    assert tracker.ended and tracker.error is None and tracker.message_id == 20


def test_a_queued_prompt_dropped_from_the_queue_fails() -> None:
    tracker = TurnTracker.for_queued(CHAT, 10, [ChatMessagePart.from_dict(text("q"))])
    feed(tracker, status("running"), queue(10), message(1, "user", text("edited")), queue(), status("pending"))
    assert tracker.ended and tracker.error == "the queued prompt was removed from the queue before it ran"


def test_the_next_prompt_persisted_ends_the_turn() -> None:
    tracker = TurnTracker.for_message(CHAT, 5)
    feed(tracker, message(5, "user", text("a")), status("running"), delta("x"), message(6, "assistant", text("x")))
    feed(tracker, message(7, "user", text("b")))
    assert tracker.ended and tracker.error is None and tracker.status == ChatStatus.RUNNING
    rows = [(5, "user", "a"), (6, "assistant", "x"), (7, "user", "b")]
    persisted = [ChatMessage.from_dict(message_json(i, role, text(t))) for i, role, t in rows]
    assert [m.id for m in tracker.result(persisted).messages] == [5, 6]


def test_an_edit_of_an_earlier_message_cuts_the_prompt_off() -> None:
    tracker = TurnTracker.for_message(CHAT, 5)
    feed(tracker, message(5, "user", text("a")), status("running"), message(3, "user", text("edited")))
    assert tracker.ended and tracker.error == "the prompt was removed by an edit of an earlier message"


def test_errors_end_the_turn_with_their_message_or_the_chats_last_error() -> None:
    by_event = TurnTracker.for_message(CHAT, 5)
    error = ChatStreamEvent.from_dict({"type": "error", "chat_id": str(CHAT), "error": {"message": " boom "}})
    feed(by_event, message(5, "user", text("a")), status("running"), delta("par"), error)
    assert by_event.ended and by_event.error == "boom" and by_event.status == ChatStatus.ERROR
    assert by_event.result([]).text == "par"
    by_status = TurnTracker.for_new_chat(CHAT)
    feed(by_status, status("error"))
    assert by_status.error == "Chat processing failed."
    by_status.explain_failure("Quota exceeded.")
    assert by_status.error == "Quota exceeded."


def test_tool_calls_pair_with_their_results_by_id() -> None:
    tracker = TurnTracker.for_message(CHAT, 1)
    feed(tracker, message(1, "user", text("go")), status("running"), status("waiting"))
    call = {"type": "tool-call", "tool_call_id": "c1", "tool_name": "run", "args": {"cmd": "ls"}}
    other = {"type": "tool-call", "tool_call_id": "c2", "tool_name": "read", "args": '{"path": "a"}'}
    result_part = {"type": "tool-result", "tool_call_id": "c1", "tool_name": "run", "result": {"out": "x"}}
    result = tracker.result(
        [
            ChatMessage.from_dict(message_json(1, "user", text("go"))),
            ChatMessage.from_dict(message_json(2, "assistant", call, other)),
            ChatMessage.from_dict(message_json(3, "tool", {**result_part, "is_error": True})),
        ]
    )
    assert [(c.id, c.name, c.args, c.result, c.is_error) for c in result.tool_calls] == [
        ("c1", "run", {"cmd": "ls"}, {"out": "x"}, True),
        ("c2", "read", {"path": "a"}, None, False),
    ]


def test_input_parts() -> None:
    assert [p.to_dict() for p in input_parts("hi")] == [{"type": "text", "text": "hi"}]
    with pytest.raises(TypeError, match=r"prompt\[0\]"):
        input_parts(["hi"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="no parts"):
        input_parts([])


OTHER_CHAT = UUID("7d9b5c3e-0a51-4d8e-9d5b-2f3c1a000002")


def other_chat_delta(value: str) -> ChatStreamEvent:
    part = {"type": "text", "text": value}
    return ChatStreamEvent.from_dict(
        {"type": "message_part", "chat_id": str(OTHER_CHAT), "message_part": {"role": "assistant", "part": part}}
    )


def tool_call_delta(call_id: str, args: str) -> ChatStreamEvent:
    part = {"type": "tool-call", "tool_call_id": call_id, "args_delta": args}
    return ChatStreamEvent.from_dict({"type": "message_part", "chat_id": str(CHAT), "message_part": {"part": part}})


def bare_part_event() -> ChatStreamEvent:
    return ChatStreamEvent.from_dict({"type": "message_part", "chat_id": str(CHAT)})


# What a turn's stream may hold, around a prompt sent as message 5: the bulk (deltas of every kind, empty
# ones, a sub-agent chat's) and every event that decides which events are the turn's and when it ends.
_EVENTS: list[Callable[[], ChatStreamEvent]] = [
    lambda: delta("Hel"),
    lambda: delta("lo"),
    lambda: delta(""),
    lambda: delta("think", "reasoning"),
    lambda: tool_call_delta("c1", '{"a"'),
    lambda: delta("x", "banana"),
    lambda: other_chat_delta("elsewhere"),
    bare_part_event,
    lambda: status("waiting"),
    lambda: status("pending"),
    lambda: status("running"),
    lambda: status("requires_action"),
    lambda: status("error"),
    lambda: message(5, "user", text("hi")),
    lambda: message(6, "assistant", text("Hello")),
    lambda: message(7, "user", text("next")),
    lambda: action_required(("c1", "lookup", "{}")),
    lambda: event("history_reset"),
    lambda: queue(),
]


def _observed(tracker: TurnTracker) -> tuple[Any, ...]:
    deltas = tracker.deltas
    calls = {key: (call.name, call.args_text) for key, call in deltas.tool_calls.items()}
    return (
        tracker.ended, tracker.started, tracker.status, tracker.error, tracker.message_id,
        deltas.text, deltas.reasoning, calls, [c.id for c in tracker.pending_tool_calls],
    )  # fmt: skip


_PROMPT, _RUNNING = 13, 10  # positions in _EVENTS


@given(
    st.sampled_from([[], [_PROMPT], [_PROMPT, _RUNNING]]),  # most sequences reach the turn's parts
    st.lists(st.integers(0, len(_EVENTS) - 1), max_size=40),
    st.lists(st.integers(1, 8), min_size=1, max_size=40),
)
@example(opening=[_PROMPT], picks=[6], cuts=[1])
@example(opening=[_PROMPT, _RUNNING], picks=[0, 6, 1, 7, 4, 5, 3, 2, 16, 8, 0], cuts=[3, 1])
@example(opening=[_PROMPT, _RUNNING], picks=[11, 0, 16], cuts=[3])  # parts between requires_action and its calls
@example(opening=[_PROMPT, _RUNNING], picks=[17, 0, 14, 1], cuts=[2])  # a history_reset's replay
def test_feeding_runs_of_events_equals_feeding_them_one_by_one(
    opening: list[int], picks: list[int], cuts: list[int]
) -> None:
    # The turn feeds the tracker a batch at a time (``feed_run``), up to the turn's end; the tracker's
    # tests feed it event by event: both must take the same events and give the same deltas and state.
    events = [_EVENTS[pick]() for pick in opening + picks]
    one_by_one = TurnTracker.for_message(CHAT, 5)
    expected: list[str | None] = []
    for item in events:
        if one_by_one.ended:
            break
        expected.append(one_by_one.feed(item))
    in_runs = TurnTracker.for_message(CHAT, 5)
    got: list[str | None] = []
    at, cut = 0, 0
    while at < len(events) and not in_runs.ended:
        batch = events[at : at + cuts[cut % len(cuts)]]  # a batch as the stream hands it over
        cut += 1
        taken = in_runs.feed_run(batch, 0)
        assert len(taken) == len(batch) or in_runs.ended  # a run stops early only at the turn's end
        got += taken
        at += len(taken)
    assert got == expected
    assert _observed(in_runs) == _observed(one_by_one)


def test_a_run_starts_where_it_is_told_and_stops_after_the_event_that_ends_the_turn() -> None:
    tracker = TurnTracker.for_message(CHAT, 5)
    batch = [delta("old"), message(5, "user", text("hi")), status("running"), delta("A"), delta("B", "reasoning")]
    batch += [delta("C"), status("waiting"), delta("late")]
    assert tracker.feed_run(batch, 1) == [None, None, "A", None, "C", None]
    assert tracker.ended and tracker.status == ChatStatus.WAITING
    assert tracker.deltas.text == "AC" and tracker.deltas.reasoning == "B"
    assert tracker.feed_run(batch, 7) == []


def test_a_part_event_built_by_hand_with_plain_strings_is_taken_as_the_decoders_are() -> None:
    # ChatStreamEvent's constructor converts nothing: a caller's event may carry "message_part" as a str.
    tracker = TurnTracker.for_message(CHAT, 5)
    feed(tracker, message(5, "user", text("hi")), status("running"))
    stream_part = ChatStreamMessagePart(ChatMessagePart(type_="text", text="Hey"), role="assistant")  # type: ignore[arg-type]
    by_hand = ChatStreamEvent("message_part", CHAT, message_part=stream_part)  # type: ignore[arg-type]
    assert tracker.feed(by_hand) == "Hey"
    assert tracker.feed_run([by_hand, delta("!")], 0) == ["Hey", "!"]
    assert tracker.deltas.text == "HeyHey!"
