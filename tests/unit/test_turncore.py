"""The turn tracker without sockets: which events are the turn's, when it ends, and its result."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from coder_chat.client.models import ChatError, ChatMessage, ChatMessagePart, ChatStatus, ChatStreamEvent
from coder_chat.client.types import UNSET
from coder_chat.streaming._turncore import TurnTracker, input_parts

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
        out += tracker.feed(event)
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


# --- v2 (API-v2.md §2.1, §4.4-4.6): the same tracker, v2's statuses and event order ---------------------


def persisted(*rows: tuple[int, str, dict[str, Any]]) -> list[ChatMessage]:
    return [ChatMessage.from_dict(message_json(i, role, part)) for i, role, part in rows]


@pytest.mark.parametrize("generation", ["experimental", "v2"])
def test_a_prompt_sent_to_an_idle_chat_in_each_generations_order(generation: str) -> None:
    tracker = TurnTracker.for_message(CHAT, 5)
    # experimental: pending then running; v2: running at once, and a preview_reset opens each episode.
    started = [status("pending"), status("running")] if generation == "experimental" else [status("running")]
    reset = [event("preview_reset")] if generation == "v2" else []
    feed(tracker, status("waiting"), *reset, message(5, "user", text("hi")), *started, *reset)
    assert feed(tracker, delta("Hel"), delta("lo")) == ["Hel", "lo"]
    feed(tracker, message(6, "assistant", text("Hello")), status("waiting"), *reset)
    assert tracker.ended and tracker.status == ChatStatus.WAITING and tracker.error is None
    result = tracker.result(persisted((5, "user", text("hi")), (6, "assistant", text("Hello"))))
    assert (result.text, result.pending_tool_calls, result.error) == ("Hello", [], None)


def test_v2_promotes_the_next_queued_prompt_while_the_chat_stays_running() -> None:
    """R1 -> R1: the running turn ends when the next prompt's user message is persisted; that prompt has
    started then (no status event), its user message before the queue_update that empties its slot."""
    content = [ChatMessagePart.from_dict(text("q"))]
    running = TurnTracker.for_message(CHAT, 5)
    first, second = TurnTracker.for_queued(CHAT, 10, content, known_id=5), TurnTracker.for_queued(CHAT, 11, content)
    events = [
        message(5, "user", text("a")),
        status("running"),
        queue(10, 11),  # identical prompts, queued behind the running turn
        delta("A"),
        message(6, "assistant", text("A")),
        message(7, "user", text("q")),  # 10 promoted: persisted first...
        queue(11),  # ...then its slot is emptied; no status: the chat stays running
        event("preview_reset"),
        delta("B"),
        message(8, "assistant", text("B")),
        message(9, "user", text("q")),  # 11 promoted
        queue(),
        event("preview_reset"),
        delta("C"),
        message(12, "assistant", text("C")),
        status("waiting"),
    ]
    assert feed(running, *events) == ["A"]
    assert running.ended and running.status == ChatStatus.RUNNING and running.error is None
    assert feed(first, *events) == ["B"]
    assert first.ended and first.message_id == 7 and first.status == ChatStatus.RUNNING and first.error is None
    assert feed(second, *events) == ["C"]
    assert second.ended and second.message_id == 9 and second.status == ChatStatus.WAITING
    history = persisted(
        (5, "user", text("a")), (6, "assistant", text("A")), (7, "user", text("q")), (8, "assistant", text("B")),
        (9, "user", text("q")), (12, "assistant", text("C")),
    )  # fmt: skip
    assert [(r.text, [m.id for m in r.messages]) for r in (t.result(history) for t in (running, first, second))] == [
        ("A", [5, 6]),
        ("B", [7, 8]),
        ("C", [9, 12]),
    ]


def test_v2_a_queued_prompt_whose_slot_empties_without_its_message_never_ran() -> None:
    tracker = TurnTracker.for_queued(CHAT, 10, [ChatMessagePart.from_dict(text("q"))], known_id=3, messages_first=True)
    # An edit empties the queue: history_reset, the new history (an old message of the same content is not
    # the promoted prompt), then the queue; the chat stays running (no status event).
    feed(tracker, status("running"), queue(10), event("history_reset"), message(2, "user", text("q")))
    feed(tracker, message(4, "user", text("edited")))
    assert not tracker.ended
    feed(tracker, queue())  # v2 sends a promoted prompt's message before this: it will not run
    assert tracker.ended and tracker.error == "the queued prompt was removed from the queue before it ran"


def test_interrupting_neither_starts_nor_ends_a_v2_turn() -> None:
    tracker = TurnTracker.for_new_chat(CHAT)
    feed(tracker, message(1, "user", text("hi")), status("running"), delta("par"), status("interrupting"))
    assert not tracker.ended and tracker.started
    assert feed(tracker, delta("tial")) == ["tial"]
    feed(tracker, message(2, "assistant", text("partial")), status("waiting"))
    assert tracker.ended and tracker.status == ChatStatus.WAITING


def test_requires_action_ends_the_turn_with_the_pending_tool_calls() -> None:
    tracker = TurnTracker.for_new_chat(CHAT)
    call = {"type": "tool-call", "tool_call_id": "c1", "tool_name": "get_weather", "args": '{"city":"Paris"}'}
    feed(tracker, message(1, "user", text("go")), status("running"), delta("Let me check."))
    feed(tracker, message(2, "assistant", text("Let me check."), call), status("requires_action"))
    assert not tracker.ended
    feed(tracker, action_required(("c1", "get_weather", '{"city":"Paris"}'), ("c2", "clock", "not json")))
    assert tracker.ended and tracker.status == ChatStatus.REQUIRES_ACTION and tracker.error is None
    history = persisted((1, "user", text("go")), (2, "assistant", call))
    result = tracker.result(history)
    assert [(c.id, c.name, c.args) for c in result.pending_tool_calls] == [
        ("c1", "get_weather", {"city": "Paris"}),
        ("c2", "clock", "not json"),  # arguments that are not JSON stay text
    ]
    assert result.status == ChatStatus.REQUIRES_ACTION and result.error is None
    # Where a client-side tool runner goes on: the results were submitted, the chat runs and rests again.
    tracker.resume()
    result_part = {"type": "tool-result", "tool_call_id": "c1", "tool_name": "get_weather", "result": {"t": 21}}
    feed(tracker, message(3, "tool", result_part), status("running"), delta("21"), status("waiting"))
    assert tracker.ended and tracker.status == ChatStatus.WAITING
    assert tracker.result(history).pending_tool_calls == []
    with pytest.raises(RuntimeError, match="requires_action"):
        tracker.resume()


def test_requires_action_without_its_event_takes_the_pending_calls_from_the_history() -> None:
    tracker = TurnTracker.for_new_chat(CHAT)
    call = {"type": "tool-call", "tool_call_id": "c1", "tool_name": "ask_user", "args": {"q": "ok?"}}
    feed(tracker, message(1, "user", text("go")), status("running"), status("requires_action"))
    feed(tracker, event("preview_reset"))
    assert tracker.ended and tracker.status == ChatStatus.REQUIRES_ACTION
    result = tracker.result(persisted((1, "user", text("go")), (2, "assistant", call)))
    assert [(c.id, c.name, c.args) for c in result.pending_tool_calls] == [("c1", "ask_user", {"q": "ok?"})]


def test_a_v2_error_event_gives_the_chat_error_with_its_kind() -> None:
    tracker = TurnTracker.for_message(CHAT, 5)
    payload = {"message": "Rate limited.", "kind": "rate_limit", "retryable": True, "status_code": 429}
    error = ChatStreamEvent.from_dict({"type": "error", "chat_id": str(CHAT), "error": payload})
    feed(tracker, message(5, "user", text("a")), status("running"), error)
    assert tracker.ended and tracker.error == "Rate limited."
    result = tracker.result([])
    assert isinstance(result.error, ChatError)
    assert (result.error.message, result.error.kind, result.error.retryable, result.error.status_code) == (
        "Rate limited.",
        "rate_limit",
        True,
        429,
    )


def test_a_v2_error_status_takes_the_chats_last_error_object() -> None:
    tracker = TurnTracker.for_new_chat(CHAT)
    feed(tracker, status("error"))  # v2 sends the status before the error event: the turn ends here
    tracker.explain_failure(ChatError(message="Out of credit.", kind="usage_limit"))
    assert tracker.error == "Out of credit."
    error = tracker.result([]).error
    assert error is not None and (error.message, error.kind) == ("Out of credit.", "usage_limit")
    seed = TurnTracker.for_new_chat(CHAT)
    feed(seed, status("error"))
    seed.explain_failure("Quota exceeded.")  # the experimental API's string
    seed_error = seed.result([]).error
    assert seed_error is not None and (seed_error.message, seed_error.kind) == ("Quota exceeded.", UNSET)


def test_a_v2_history_reset_that_drops_the_prompt_ends_the_turn() -> None:
    kept, dropped = TurnTracker.for_message(CHAT, 5), TurnTracker.for_message(CHAT, 5)
    events = [message(5, "user", text("a")), status("running"), delta("x")]
    feed(kept, *events)
    feed(dropped, *events)
    # An edit of message 3 (v2: history_reset, the whole new history, the edited message under a new id).
    rewrite = [event("history_reset"), message(1, "user", text("one")), message(6, "user", text("three'"))]
    feed(dropped, *rewrite, status("running"))
    assert dropped.ended and dropped.error == "the prompt was removed by an edit of the chat's history"
    # A replay that keeps the prompt (and earlier messages) changes nothing.
    feed(kept, event("history_reset"), message(1, "user", text("one")), message(5, "user", text("a")))
    feed(kept, event("preview_reset"), delta("y"))
    assert not kept.ended and kept.deltas.text == "xy"
    # A replay thinned of what the caller already has (the prompt among it) proves nothing by what it lacks.
    feed(kept, event("history_reset"), message(8, "assistant", text("xy")), event("queue_update"))
    assert not kept.ended
    feed(kept, status("waiting"))
    assert kept.ended and kept.error is None
