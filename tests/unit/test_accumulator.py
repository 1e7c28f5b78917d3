"""``ChatAccumulator``: the web client's stream-state rules (docs/protocol.md), fed from upstream fixtures.

Each §6.2 checklist item of "Stream state", "Queue", "Errors, retries and status" and "Part accumulation"
is its own test, named after it. Fixtures go through ``decode_frame`` as frames, with placeholder ids
swapped for UUIDs (``with_uuids``), so the tests also cover the decoder-to-accumulator path.
"""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import pytest

from coder_chat.client.models import ChatStatus, ChatStreamEvent
from coder_chat.client.types import Unset
from coder_chat.streaming import ChatAccumulator, ToolCall, ToolResult, TurnState, decode_frame
from tests.conformance.placeholders import load, placeholder_uuid, with_uuids

# Once with msgspec parsing frames and encoding digests, once with the standard library alone.
pytestmark = pytest.mark.usefixtures("json_backend")

CHAT_1 = uuid.UUID(placeholder_uuid("chat-1"))


def chat_of(placeholder: str) -> uuid.UUID:
    return uuid.UUID(placeholder_uuid(placeholder))


def fixture(name: str, **changes: Any) -> list[ChatStreamEvent]:
    """The fixture's events, decoded from a frame: envelopes as they are, single events wrapped."""
    payload = with_uuids(load(name))
    if name.startswith("stream-event-"):
        payload = {"type": "data", "data": [payload | changes]}
    return decode_frame(json.dumps(payload))


def apply(acc: ChatAccumulator, events: list[ChatStreamEvent]) -> ChatAccumulator:
    for event in events:
        acc.apply(event)
    return acc


def event(kind: str, chat_id: uuid.UUID = CHAT_1, **payload: Any) -> ChatStreamEvent:
    (decoded,) = decode_frame(json.dumps([{"type": kind, "chat_id": str(chat_id), **payload}]))
    return decoded


def part(chat_id: uuid.UUID = CHAT_1, **fields: Any) -> ChatStreamEvent:
    return event("message_part", chat_id, message_part={"role": "assistant", "part": fields})


def text(value: str, chat_id: uuid.UUID = CHAT_1) -> ChatStreamEvent:
    return part(chat_id, type="text", text=value)


def status(value: str, chat_id: uuid.UUID = CHAT_1) -> ChatStreamEvent:
    return event("status", chat_id, status={"status": value})


def message(message_id: int, content: str, chat_id: uuid.UUID = CHAT_1, role: str = "assistant") -> ChatStreamEvent:
    body = with_uuids(load("chat-message-assistant-text.json")) | {"id": message_id, "role": role}
    body["chat_id"] = str(chat_id)
    body["content"] = [{"type": "text", "text": content}]
    return event("message", chat_id, message=body)


def texts(acc: ChatAccumulator) -> list[str]:
    result = []
    for message in acc.messages:
        assert isinstance(message.content, list)
        text = message.content[0].text
        assert isinstance(text, str)
        result.append(text)
    return result


# --- Stream state ---------------------------------------------------------------------------------


def test_a_duplicate_snapshot_message_does_not_clear_in_progress_parts() -> None:
    acc = apply(ChatAccumulator(CHAT_1), fixture("stream-event-message.json"))
    apply(acc, fixture("stream-event-message-part-text.json"))
    assert acc.turn.text == "reconnect-part-one"
    replay = fixture("stream-event-message.json")  # a new object, equal by value
    assert replay[0].message is not acc.messages[0]
    apply(acc, replay)
    assert acc.turn.text == "reconnect-part-one"
    assert [m.id for m in acc.messages] == [2]


def test_a_new_message_id_clears_the_stream_state() -> None:
    acc = apply(ChatAccumulator(CHAT_1), fixture("stream-event-message-part-text.json"))
    assert acc.turn.text == "reconnect-part-one"
    apply(acc, fixture("stream-event-message.json"))
    assert acc.turn.is_empty
    assert acc.turn.text == ""
    assert [m.id for m in acc.messages] == [2]


def test_the_same_message_id_with_new_content_clears_the_stream_state_and_replaces_it() -> None:
    acc = apply(ChatAccumulator(CHAT_1), fixture("stream-event-message.json"))
    apply(acc, fixture("stream-event-message-part-text.json"))
    apply(acc, [message(2, "done, edited")])
    assert acc.turn.is_empty
    assert texts(acc) == ["done, edited"]


def test_two_text_parts_in_one_batch_concatenate() -> None:
    acc = apply(ChatAccumulator(CHAT_1), fixture("stream-envelope-batch-text-parts.json"))
    assert acc.turn.text == "hello world"


def test_a_pending_status_clears_parts_and_later_parts_are_ignored_while_pending() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [text("before")])
    apply(acc, fixture("stream-event-status-pending.json"))
    assert acc.status is ChatStatus.PENDING
    assert acc.turn.is_empty
    apply(acc, [text("ignored"), part(type="tool-call", tool_call_id="t", args_delta="{")])
    assert acc.turn.is_empty
    apply(acc, [status("running"), text("after")])  # the next turn accumulates again
    assert acc.turn.text == "after"


def test_in_the_batch_part_then_waiting_the_part_is_discarded() -> None:
    chat = chat_of("chat-status-guard")
    acc = apply(ChatAccumulator(chat), fixture("stream-envelope-batch-part-then-status-waiting.json"))
    assert acc.status is ChatStatus.WAITING
    assert acc.turn.text == ""
    assert acc.turn.is_empty
    apply(acc, [text("late")])
    assert acc.turn.is_empty


def test_in_the_batch_message_then_part_the_part_starts_a_new_turn() -> None:
    chat = chat_of("chat-raf")
    acc = ChatAccumulator(chat)
    apply(acc, [text("old turn")])
    apply(acc, fixture("stream-envelope-batch-message-then-part.json"))
    assert acc.turn.text == " more"
    assert texts(acc) == ["done"]


def test_a_message_for_another_chat_is_ignored_and_does_not_reset_the_stream() -> None:
    acc = apply(ChatAccumulator(CHAT_1), fixture("stream-event-message-part-text.json"))
    turn = acc.turn
    apply(acc, fixture("stream-event-message-other-chat.json"))
    assert acc.turn is turn
    assert acc.turn.text == "reconnect-part-one"
    assert acc.messages == []


def test_parts_of_another_chat_are_ignored() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [text("mine"), text("theirs", chat_of("chat-2"))])
    assert acc.turn.text == "mine"


# --- Queue ----------------------------------------------------------------------------------------


def queue_update(chat_id: uuid.UUID = CHAT_1) -> ChatStreamEvent:
    queued = with_uuids(load("chat-queued-message.json")) | {"chat_id": str(chat_id)}
    return event("queue_update", chat_id, queued_messages=[queued])


def test_queue_update_replaces_the_queue_and_an_empty_one_empties_it() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [queue_update()])
    assert [(q.id, q.content[0].text) for q in acc.queued_messages] == [(10, "queued")]
    apply(acc, fixture("stream-event-queue-update-empty.json"))
    assert acc.queued_messages == []
    # A replayed snapshot cannot bring the old item back unless the server sends it again.
    apply(acc, fixture("stream-event-message.json") + fixture("stream-event-status-running.json"))
    assert acc.queued_messages == []


def test_a_queue_update_without_the_key_means_an_empty_queue() -> None:
    # The seed server sends an empty queue with Go's omitempty: no queued_messages at all.
    acc = apply(ChatAccumulator(CHAT_1), [queue_update(), event("queue_update")])
    assert acc.queued_messages == []


def test_queue_update_for_another_chat_is_ignored() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [queue_update(), event("queue_update", chat_of("chat-2"))])
    assert [q.id for q in acc.queued_messages] == [10]


def test_the_queue_is_a_copy_of_the_event_list() -> None:
    update = queue_update()
    acc = apply(ChatAccumulator(CHAT_1), [update])
    update.queued_messages.clear()  # type: ignore[union-attr]
    assert len(acc.queued_messages) == 1


# --- Errors, retries and status -------------------------------------------------------------------


def test_an_error_event_sets_status_error_and_the_message() -> None:
    chat = chat_of("chat-error")
    acc = apply(ChatAccumulator(chat), [status("running", chat), *fixture("stream-event-error.json")])
    assert acc.status is ChatStatus.ERROR
    assert acc.error == "Rate limit exceeded"


def test_an_error_event_with_a_blank_message_gets_the_fallback() -> None:
    chat = chat_of("chat-error-empty")
    acc = apply(ChatAccumulator(chat), fixture("stream-event-error-blank-message.json"))
    assert acc.status is ChatStatus.ERROR
    assert acc.error == "Chat processing failed."
    acc = apply(ChatAccumulator(CHAT_1), [event("error", error={"message": ""})])
    assert acc.error == "Chat processing failed."


def test_a_retry_event_sets_attempt_and_error_and_running_clears_it() -> None:
    chat = chat_of("chat-retry")
    acc = apply(ChatAccumulator(chat), fixture("stream-event-retry.json"))
    assert acc.retry is not None
    assert (acc.retry.attempt, acc.retry.error, acc.retry.delay_ms) == (2, "upstream timeout", 5000)
    apply(acc, [status("pending", chat), status("waiting", chat), status("error", chat)])
    assert acc.retry is not None  # only running clears it
    apply(acc, fixture("stream-event-status-running.json", chat_id=str(chat)))
    assert acc.retry is None
    assert acc.status is ChatStatus.RUNNING


def test_the_retry_clear_fixture_is_a_running_status() -> None:
    chat = chat_of("chat-retry-clear")
    acc = apply(ChatAccumulator(chat), [event("retry", chat, retry={"attempt": 1, "error": "x"})])
    apply(acc, fixture("stream-event-status-running.json"))
    assert acc.retry is None


@pytest.mark.parametrize("new_status", ["running", "waiting", "pending", "completed", "requires_action"])
def test_a_non_error_status_clears_the_error_reason(new_status: str) -> None:
    acc = apply(ChatAccumulator(CHAT_1), [event("error", error={"message": "boom"})])
    assert acc.error == "boom"
    apply(acc, [status(new_status)])
    assert acc.error is None
    assert acc.status == new_status


def test_an_error_status_keeps_the_error_reason() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [event("error", error={"message": "boom"}), status("error")])
    assert (acc.status, acc.error) == (ChatStatus.ERROR, "boom")


def test_a_status_for_another_chat_is_a_subagent_override_and_the_main_status_is_unchanged() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [status("running"), text("work")])
    apply(acc, fixture("stream-event-status-subagent-completed.json"))
    assert acc.status is ChatStatus.RUNNING
    assert acc.subagent_statuses == {chat_of("chat-subagent-1"): ChatStatus.COMPLETED}
    assert acc.turn.text == "work"
    apply(acc, [status("running", chat_of("chat-subagent-1"))])
    assert acc.subagent_statuses == {chat_of("chat-subagent-1"): ChatStatus.RUNNING}


def test_status_is_unknown_until_a_status_event_and_unknown_statuses_are_kept() -> None:
    acc = ChatAccumulator(str(CHAT_1))
    assert (acc.chat_id, acc.status, acc.error, acc.retry) == (CHAT_1, None, None, None)
    apply(acc, [status("interrupting")])
    assert acc.status == "interrupting"


def test_a_waiting_status_discards_the_turn_but_keeps_messages_and_queue() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [message(1, "hi", role="user"), queue_update(), text("partial")])
    apply(acc, [status("waiting")])
    assert acc.turn.is_empty
    assert texts(acc) == ["hi"]
    assert [q.id for q in acc.queued_messages] == [10]


# --- Part accumulation ----------------------------------------------------------------------------


def tool_call(**fields: Any) -> ChatStreamEvent:
    return part(type="tool-call", **fields)


def test_args_delta_fragments_parse_once_complete() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [tool_call(tool_call_id="t1", tool_name="ls", args_delta='{"com')])
    call = acc.turn.tool_calls["t1"]
    assert (call.args_text, call.args) == ('{"com', None)
    apply(acc, [tool_call(tool_call_id="t1", args_delta='mand":"ls"}')])
    assert acc.turn.tool_calls["t1"] is call
    assert (call.name, call.args_text, call.args) == ("ls", '{"command":"ls"}', {"command": "ls"})


def test_complete_args_are_accepted_without_deltas() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [tool_call(tool_call_id="t1", tool_name="read", args={"path": "/a"})])
    call = acc.turn.tool_calls["t1"]
    assert (call.name, call.args_text, call.args) == ("read", "", {"path": "/a"})


def test_complete_args_win_over_the_delta_text() -> None:
    acc = apply(
        ChatAccumulator(CHAT_1),
        [tool_call(tool_call_id="t", args_delta='{"a":1}'), tool_call(tool_call_id="t", args={"a": 2})],
    )
    assert (acc.turn.tool_calls["t"].args_text, acc.turn.tool_calls["t"].args) == ('{"a":1}', {"a": 2})


def test_a_missing_tool_call_id_gets_a_generated_unique_id() -> None:
    acc = apply(
        ChatAccumulator(CHAT_1),
        [tool_call(tool_name="a", args={"n": 1}), tool_call(tool_name="b", args={"n": 2}), tool_call(tool_call_id="x")],
    )
    calls = acc.turn.tool_calls
    assert len(calls) == 3
    generated = [call_id for call_id in calls if call_id != "x"]
    assert len(set(generated)) == 2
    assert all(call_id.startswith("generated-") for call_id in generated)
    assert [(calls[i].id, calls[i].name, calls[i].args) for i in generated] == [
        (generated[0], "a", {"n": 1}),
        (generated[1], "b", {"n": 2}),
    ]


def test_sources_are_deduplicated_by_url() -> None:
    acc = apply(
        ChatAccumulator(CHAT_1),
        [
            part(type="source", source_id="s1", url="https://a", title="A"),
            part(type="source", source_id="s2", url="https://b", title="B"),
            part(type="source", source_id="s3", url="https://a", title="A again"),
            part(type="source", source_id="s4", title="no url"),
        ],
    )
    assert [(s.url, s.title) for s in acc.turn.sources] == [("https://a", "A"), ("https://b", "B")]


def test_an_unknown_part_type_is_ignored() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [part(type="banana", text="peel"), part(type="file-reference", content="x")])
    assert acc.turn.is_empty
    apply(acc, [text("ok")])
    assert acc.turn.text == "ok"


def test_tool_results_default_is_error_to_false_and_accumulate_deltas() -> None:
    acc = apply(
        ChatAccumulator(CHAT_1),
        [
            part(type="tool-result", tool_call_id="t1", tool_name="ls", result={"out": "a b"}),
            part(type="tool-result", tool_call_id="t2", result_delta="par"),
            part(type="tool-result", tool_call_id="t2", result_delta="tial", is_error=True),
        ],
    )
    first, second = acc.turn.tool_results["t1"], acc.turn.tool_results["t2"]
    assert (first.name, first.result, first.result_text, first.is_error) == ("ls", {"out": "a b"}, "", False)
    assert (second.name, second.result, second.result_text, second.is_error) == (None, None, "partial", True)


def test_empty_text_and_reasoning_are_ignored() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [text(""), part(type="reasoning", text="")])
    assert acc.turn.is_empty


def test_the_pre_seed_delta_sequence_assembles_one_turn() -> None:
    frame = json.dumps(load("stream-events-delta-sequence-pre-seed.json"))
    acc = apply(ChatAccumulator(CHAT_1), decode_frame(frame, chat_id=CHAT_1))
    turn = acc.turn
    assert (turn.text, turn.reasoning) == ("hello", "thinking")
    assert list(turn.tool_calls) == ["call-1"]
    call = turn.tool_calls["call-1"]
    assert (call.id, call.name) == ("call-1", "execute")
    assert call.args == {"command": "echo hi"}
    assert call.args_text == '{"command":"echo hi"}'
    assert (turn.tool_results, turn.sources) == ({}, [])


def test_text_keeps_every_character_as_sent() -> None:
    chunks = ["a\r\n", "b\n", "\u2028", "é日\U0001f600", " "]
    acc = apply(ChatAccumulator(CHAT_1), [text(chunk) for chunk in chunks])
    assert acc.turn.text == "".join(chunks)


def test_many_deltas_make_one_text() -> None:
    acc = ChatAccumulator(CHAT_1)
    delta = text("ab")
    for _ in range(50_000):
        acc.apply(delta)
    assert acc.turn.text == "ab" * 50_000
    acc.apply(delta)
    assert len(acc.turn.text) == 100_002


# --- messages -------------------------------------------------------------------------------------


def test_messages_are_ordered_by_id_and_upserted_by_id() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [message(5, "five"), message(2, "two"), message(9, "nine")])
    assert [m.id for m in acc.messages] == [2, 5, 9]
    apply(acc, [message(5, "five, edited"), message(12, "twelve")])
    assert [m.id for m in acc.messages] == [2, 5, 9, 12]
    assert texts(acc) == ["two", "five, edited", "nine", "twelve"]


def test_messages_is_a_fresh_list_each_time() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [message(1, "one")])
    acc.messages.clear()
    assert [m.id for m in acc.messages] == [1]


def test_events_of_unknown_types_and_empty_payloads_are_ignored() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [status("running"), text("kept")])
    before = (acc.status, acc.turn.text, acc.messages, acc.queued_messages, acc.error, acc.retry)
    apply(
        acc,
        [
            event("action_required", action_required=None),
            event("turn_summary", summary="from a newer server"),
            event("message", message=None),
            event("status", status=None),
            event("message_part", message_part=None),
            event("retry", retry=None),
        ],
    )
    assert (acc.status, acc.turn.text, acc.messages, acc.queued_messages, acc.error, acc.retry) == before


def test_a_reset_gives_a_new_turn_object() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [text("first")])
    old = acc.turn
    apply(acc, [message(1, "first")])
    assert acc.turn is not old
    assert old.text == "first"  # a consumer holding the old turn still sees what it was
    assert isinstance(acc.turn, TurnState)


def test_reprs_show_the_turn() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [text("hi"), tool_call(tool_call_id="t", tool_name="ls", args_delta="{}")])
    apply(acc, [part(type="tool-result", tool_call_id="t", result=1)])
    assert isinstance(acc.turn.tool_calls["t"], ToolCall)
    assert isinstance(acc.turn.tool_results["t"], ToolResult)
    assert repr(acc.turn) == (
        "TurnState(text='hi', reasoning='', "
        "tool_calls=[ToolCall(id='t', name='ls', args_text='{}', args={})], "
        "tool_results=[ToolResult(id='t', name=None, result=1, result_text='', is_error=False)], sources=[])"
    )


def test_apply_does_not_mutate_the_event() -> None:
    delta = text("x")
    snapshot = copy.deepcopy(delta.to_dict())
    acc = apply(ChatAccumulator(CHAT_1), [delta])
    assert delta.to_dict() == snapshot
    assert acc.turn.text == "x"


def test_messages_arriving_in_id_order_stay_in_order_between_reads() -> None:
    acc = ChatAccumulator(CHAT_1)
    seen = []
    for message_id in (1, 2, 3, 7):
        acc.apply(message(message_id, str(message_id)))
        seen.append([m.id for m in acc.messages])
    assert seen == [[1], [1, 2], [1, 2, 3], [1, 2, 3, 7]]
    acc.apply(message(4, "4"))
    assert [m.id for m in acc.messages] == [1, 2, 3, 4, 7]


# --- v2 events (API-v2.md §4.4, §4.7) -------------------------------------------------------------


def test_history_reset_replaces_the_transcript_with_the_history_that_follows() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [message(1, "q", role="user"), message(2, "a"), message(3, "q2", role="user")])
    apply(acc, [status("running"), text("half a repl")])
    apply(acc, [event("history_reset"), message(1, "q", role="user"), message(4, "edited", role="user")])
    assert [(m.id, texts_of(m)) for m in acc.messages] == [(1, ["q"]), (4, ["edited"])]
    assert acc.turn.is_empty and acc.last_message_id == 4


def test_preview_reset_starts_the_in_progress_turn_over_and_keeps_the_rest() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [message(1, "q", role="user"), status("running"), text("first try")])
    apply(acc, [event("preview_reset"), text("second")])
    assert acc.turn.text == "second"
    assert [m.id for m in acc.messages] == [1] and acc.status is ChatStatus.RUNNING


def test_action_required_lists_the_pending_tool_calls_until_the_next_other_status() -> None:
    calls = [{"tool_call_id": "call_1", "tool_name": "get_weather", "args": '{"city":"Paris"}'}]
    acc = apply(
        ChatAccumulator(CHAT_1),
        [status("requires_action"), event("action_required", action_required={"tool_calls": calls})],
    )
    assert [(c.tool_call_id, c.tool_name, c.args) for c in acc.pending_tool_calls] == [
        ("call_1", "get_weather", '{"city":"Paris"}')
    ]
    apply(acc, [status("requires_action")])
    assert len(acc.pending_tool_calls) == 1  # the same status again (a reconnect's sync) keeps them
    apply(acc, [status("running")])
    assert acc.pending_tool_calls == []


def test_a_v2_error_keeps_the_whole_chat_error_and_the_seed_shape_only_its_message() -> None:
    v2_error = {"message": "The chat request failed unexpectedly.", "kind": "rate_limit", "retryable": True}
    acc = apply(ChatAccumulator(CHAT_1), [status("running"), event("error", error=v2_error)])
    assert acc.error == "The chat request failed unexpectedly."
    assert acc.chat_error is not None
    assert (acc.chat_error.kind, acc.chat_error.retryable) == ("rate_limit", True)
    apply(acc, [status("running")])
    assert banners(acc) == (None, None)
    seed = apply(ChatAccumulator(CHAT_1), [event("error", error={"message": "boom"})])
    assert seed.chat_error is not None and seed.chat_error.message == "boom"
    assert isinstance(seed.chat_error.kind, Unset)


@pytest.mark.parametrize("rest", ["paused", "requires_action"])
def test_v2_rest_statuses_discard_the_turn_and_drop_late_parts(rest: str) -> None:
    acc = apply(ChatAccumulator(CHAT_1), [status("running"), text("partial"), status(rest), text("late")])
    assert acc.turn.is_empty


def test_interrupting_keeps_the_turn_in_progress() -> None:
    acc = apply(ChatAccumulator(CHAT_1), [status("running"), text("partial"), status("interrupting"), text(" more")])
    assert acc.turn.text == "partial more"


def texts_of(message_model: Any) -> list[str]:
    return [part.text for part in message_model.content]


def banners(acc: ChatAccumulator) -> tuple[str | None, object]:
    """``(error, chat_error)``, read afresh (so a narrowed attribute is not assumed unchanged)."""
    return acc.error, acc.chat_error
