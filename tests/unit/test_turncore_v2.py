"""The turn tracker without sockets on v2 (API-v2.md §2.1, §4.4-4.6): the same tracker, v2's statuses and
event order (a chat that stays running from one prompt to the next, requires_action with its calls, paused,
history_reset, ChatError), beside the experimental order where both apply."""

from __future__ import annotations

from typing import Any

import pytest

from coder_chat.client.models import ChatError, ChatMessage, ChatMessagePart, ChatStatus, ChatStreamEvent
from coder_chat.client.types import UNSET
from coder_chat.streaming._turns.turncore import TurnTracker
from tests.unit.test_turncore import (
    CHAT,
    action_required,
    delta,
    event,
    feed,
    message,
    message_json,
    queue,
    status,
    text,
)


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
