"""The watch socket's pure core: ``decode_watch_frame`` (every frame shape, kind and breakage) and
``WatchState`` (the list-then-watch diff). Frames are fed in directly, h11/wsproto style."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import pytest

from coder_chat.client.models import Chat, ChatDiffStatus, ChatStatus, ChatWatchEvent, ChatWatchEventKind
from coder_chat.client.types import UNSET
from coder_chat.streaming import StreamDecodeError, StreamServerError
from coder_chat.streaming._watch.watchcore import WatchState, decode_watch_frame

# Once with msgspec parsing frames, once with the standard library alone.
pytestmark = pytest.mark.usefixtures("json_backend")

CHAT = "6f1c1b1e-8c43-4d0e-9a57-0b8a5c3f2d11"
OTHER = "0b8e7c52-5c1d-4a3e-8f0e-3d7a9e2b6c44"
THIRD = "9d2f4a61-0c7e-4b8a-a1d3-5e6f7a8b9c0d"
OWNER = "2c5a8e3b-7d41-4f69-b0a2-c3d4e5f60718"
ZERO = "00000000-0000-0000-0000-000000000000"
KINDS = ["status_change", "title_change", "created", "deleted", "diff_status_change"]


def chat_json(chat_id: str = CHAT, **fields: Any) -> dict[str, Any]:
    """A chat as the seed watch socket sends it: from the row alone, zero model config id, no diff."""
    out: dict[str, Any] = {
        "id": chat_id,
        "owner_id": OWNER,
        "root_chat_id": chat_id,
        "last_model_config_id": ZERO,
        "title": "Fix the flaky test",
        "status": "pending",
        "created_at": "2026-01-15T12:00:00Z",
        "updated_at": "2026-01-15T12:00:01.5Z",
    }
    out.update(fields)
    return out


def event_json(kind: str = "created", **chat_fields: Any) -> dict[str, Any]:
    return {"kind": kind, "chat": chat_json(**chat_fields)}


def round_tripped(raw_event: dict[str, Any]) -> dict[str, Any]:
    """``raw_event`` as ``to_dict()`` gives it back: the same, with the times in Python's isoformat."""
    out = copy.deepcopy(raw_event)
    out["chat"].update(created_at="2026-01-15T12:00:00+00:00", updated_at="2026-01-15T12:00:01.500000+00:00")
    return out


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def make_chat(chat_id: str = CHAT, **fields: Any) -> Chat:
    return Chat.from_dict(chat_json(chat_id, **fields))


def diff(chat_id: str = CHAT, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"chat_id": chat_id, "changes_requested": False, "additions": 0, "deletions": 0}
    out["changed_files"] = 0
    out.update(fields)
    return out


def summary(events: list[ChatWatchEvent]) -> list[tuple[str, str, str]]:
    return [(str(e.kind), str(e.chat.id), e.chat.title) for e in events]


# ------------------------------------------------------------------ frame shapes


@pytest.mark.parametrize("kind", KINDS)
def test_seed_envelope_of_every_kind(kind: str) -> None:
    [event] = decode_watch_frame(dumps({"type": "data", "data": event_json(kind)}))
    assert event.kind is ChatWatchEventKind(kind)
    assert event.kind.is_known
    assert event.chat == make_chat()
    assert event.chat.last_model_config_id == uuid.UUID(ZERO)
    assert event.chat.diff_status is UNSET
    assert event.to_dict() == round_tripped(event_json(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_bare_object_of_every_kind_with_go_encoders_newline(kind: str) -> None:
    frame = dumps(event_json(kind)) + "\n"
    [event] = decode_watch_frame(frame)
    assert event.kind is ChatWatchEventKind(kind)
    assert event.chat == make_chat()
    [as_bytes] = decode_watch_frame(frame.encode())
    assert as_bytes == event


def test_envelope_data_list_and_bare_list_keep_order() -> None:
    raw = [event_json("created"), event_json("title_change", chat_id=OTHER, title="Renamed")]
    expected = [("created", CHAT, "Fix the flaky test"), ("title_change", OTHER, "Renamed")]
    assert summary(decode_watch_frame(dumps({"type": "data", "data": raw}))) == expected
    assert summary(decode_watch_frame(dumps(raw))) == expected
    assert decode_watch_frame("[]") == []
    assert decode_watch_frame(dumps({"type": "data", "data": []})) == []


@pytest.mark.parametrize(
    "frame",
    [
        '{"type":"ping"}',
        '{"type":"ping","data":null}',
        '{"type":"data","data":null}',
        '{"type":"heartbeat","data":{"kind":"created"}}',
        ' {"type":"ping"}\n',
    ],
)
def test_pings_and_unknown_envelopes_give_nothing(frame: str) -> None:
    assert decode_watch_frame(frame) == []
    assert decode_watch_frame(frame.encode()) == []


def test_diff_status_change_of_newer_servers_carries_the_diff_status() -> None:
    status = diff(url="https://github.com/coder/coder/pull/789", pull_request_state="open", additions=3)
    [event] = decode_watch_frame(dumps(event_json("diff_status_change", diff_status=status)))
    assert event.kind is ChatWatchEventKind.DIFF_STATUS_CHANGE
    assert isinstance(event.chat.diff_status, ChatDiffStatus)
    assert event.chat.diff_status.to_dict() == status


def test_unknown_kind_and_unknown_fields_are_kept_and_round_trip() -> None:
    # Values and fields of servers newer than the spec (v2's action_required, requires_action and
    # has_unread are known now).
    raw = event_json("goal_change", status="compacting", goal_set=True)
    raw["seq"] = 7
    [event] = decode_watch_frame(dumps(raw))
    assert event.kind == "goal_change"
    assert isinstance(event.kind, ChatWatchEventKind)
    assert not event.kind.is_known
    assert event.chat.status == "compacting"
    assert isinstance(event.chat.status, ChatStatus)
    assert event.chat.additional_properties == {"goal_set": True}
    assert event.additional_properties == {"seq": 7}
    assert event.to_dict() == round_tripped(raw)
    assert decode_watch_frame(dumps(event.to_dict())) == [event]


def test_an_event_with_a_type_key_is_still_an_event() -> None:
    raw = event_json("created")
    raw["type"] = "chat"
    [event] = decode_watch_frame(dumps(raw))
    assert event.kind is ChatWatchEventKind.CREATED
    assert event.additional_properties == {"type": "chat"}


# ------------------------------------------------------------------ errors


def test_error_envelope_raises_server_error() -> None:
    frame = dumps({"type": "error", "data": {"message": "Internal error subscribing to chat events.", "detail": "x"}})
    with pytest.raises(StreamServerError) as caught:
        decode_watch_frame(frame)
    assert (caught.value.message, caught.value.detail) == ("Internal error subscribing to chat events.", "x")


def test_error_envelope_without_body_uses_the_fallback_message() -> None:
    with pytest.raises(StreamServerError) as caught:
        decode_watch_frame('{"type":"error"}')
    assert (caught.value.message, caught.value.detail) == ("chat stream returned an error", None)


def bad_chat(**changes: Any) -> str:
    raw = event_json("status_change")
    raw["chat"].update(changes)
    for key, value in changes.items():
        if value is ...:
            del raw["chat"][key]
    return dumps(raw)


MALFORMED: list[tuple[str, str]] = [
    (
        "{",
        "invalid JSON (JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1))",
    ),
    ("", "invalid JSON (JSONDecodeError: Expecting value: line 1 column 1 (char 0))"),
    ('{"kind":NaN,"chat":{}}', "invalid JSON (ValueError: NaN is not valid JSON)"),
    ("42", "frame is an integer, not an array or object"),
    ('"ping"', "frame is a string, not an array or object"),
    ("null", "frame is null, not an array or object"),
    ("{}", "object is neither an envelope (no 'type') nor an event (no 'kind' or 'chat')"),
    ('{"data":{"kind":"created"}}', "object is neither an envelope (no 'type') nor an event (no 'kind' or 'chat')"),
    ('{"type":5}', "envelope 'type' is an integer, not a string"),
    ('{"type":"data"}', "data envelope without 'data'"),
    ('{"type":"data","data":"created"}', "envelope 'data' is a string, not an array or object"),
    ('{"type":"data","data":[1]}', "event 0: event is an integer, not an object"),
    ("[null]", "event 0: event is null, not an object"),
    ('{"chat":{}}', "event 0: event has no 'kind'"),
    ('{"kind":"created"}', "event 0: event has no 'chat'"),
    ('{"kind":["created"],"chat":{}}', "event 0: kind is an array, not a string"),
    ('{"kind":null,"chat":{}}', "event 0: kind is null, not a string"),
    ('{"kind":"created","chat":null}', "event 0: chat is null, not an object"),
    ('{"kind":"created","chat":[["id","x"]]}', "event 0: chat is an array, not an object"),
    ('{"kind":"created","chat":"x"}', "event 0: chat is a string, not an object"),
    (bad_chat(id=...), "event 0: missing field 'chat.id'"),
    (bad_chat(title=...), "event 0: missing field 'chat.title'"),
    (bad_chat(status=7), "event 0: field 'chat.status' must be a ChatStatus value, not the number 7"),
    (
        bad_chat(created_at="yesterday"),
        "event 0: field 'chat.created_at' must be an RFC 3339 date-time, not the string 'yesterday'",
    ),
    (bad_chat(diff_status=[]), "event 0: field 'chat.diff_status' must be ChatDiffStatus, not list"),
    (dumps([event_json(), {"kind": "deleted"}]), "event 1: event has no 'chat'"),
]


@pytest.mark.parametrize(("frame", "reason"), MALFORMED)
def test_malformed_frames_raise_decode_error_with_preview(frame: str, reason: str) -> None:
    for value in (frame, frame.encode()):
        with pytest.raises(StreamDecodeError) as caught:
            decode_watch_frame(value)
        assert caught.value.reason == reason
        assert caught.value.preview == frame[:200]


def test_model_failures_never_escape_as_other_exceptions() -> None:
    for key, value in [("id", 12), ("id", "not-a-uuid"), ("owner_id", None), ("title", 3), ("updated_at", 5)]:
        with pytest.raises(StreamDecodeError) as caught:
            decode_watch_frame(bad_chat(**{key: value}))
        assert caught.value.reason.startswith("event 0: ")


def test_preview_is_capped_and_redacts_secrets() -> None:
    frame = '{"type":"data","data":{"kind":"created","chat":{"token":"s3cret"' + " " * 500
    with pytest.raises(StreamDecodeError) as caught:
        decode_watch_frame(frame)
    assert caught.value.preview == frame[:200].replace("s3cret", "[REDACTED]")
    with pytest.raises(StreamDecodeError) as bad_utf8:
        decode_watch_frame(b'{"kind":"created","chat":"\xff"}')
    assert bad_utf8.value.reason.startswith("frame is not valid UTF-8")


@pytest.mark.parametrize(
    "frame",
    [
        dumps({"type": "data", "data": event_json("title_change", title="Ünïcode ✓")}),
        dumps(event_json("deleted")) + "\n",
        dumps([event_json("created"), event_json("status_change", status="running")]),
    ],
)
def test_every_proper_prefix_of_a_valid_frame_is_a_decode_error(frame: str) -> None:
    expected = decode_watch_frame(frame)
    assert expected
    text = frame.rstrip()  # whitespace after the value still completes it
    data = text.encode()
    for cut in range(len(text)):
        with pytest.raises(StreamDecodeError):
            decode_watch_frame(text[:cut])
    for cut in range(len(data)):  # every byte, inside multi-byte characters too
        with pytest.raises(StreamDecodeError):
            decode_watch_frame(data[:cut])
    assert decode_watch_frame(text) == expected
    assert decode_watch_frame(data) == expected


# ------------------------------------------------------------------ WatchState


def test_first_resync_is_a_baseline() -> None:
    state = WatchState()
    assert not state.synced
    assert state.resync([make_chat(), make_chat(OTHER)]) == []
    assert state.synced
    assert list(state.chats) == [uuid.UUID(CHAT), uuid.UUID(OTHER)]
    assert state.resync([make_chat(), make_chat(OTHER)]) == []


def test_resync_reports_created_and_deleted() -> None:
    state = WatchState()
    state.resync([make_chat(), make_chat(OTHER, title="Other")])
    events = state.resync([make_chat(THIRD, title="Third"), make_chat()])
    assert summary(events) == [("deleted", OTHER, "Other"), ("created", THIRD, "Third")]
    assert events[0].chat == make_chat(OTHER, title="Other")  # the last known chat
    assert list(state.chats) == [uuid.UUID(THIRD), uuid.UUID(CHAT)]
    assert state.resync([]) == [
        ChatWatchEvent(ChatWatchEventKind.DELETED, make_chat(THIRD, title="Third")),
        ChatWatchEvent(ChatWatchEventKind.DELETED, make_chat()),
    ]
    assert state.chats == {}


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        ({"status": "running"}, "status_change"),
        ({"status": "requires_action"}, "status_change"),
        ({"title": "New title"}, "title_change"),
        ({"diff_status": diff(additions=4)}, "diff_status_change"),
    ],
)
def test_resync_reports_each_change_kind_with_the_new_chat(changes: dict[str, Any], kind: str) -> None:
    state = WatchState()
    state.resync([make_chat(OTHER), make_chat(diff_status=diff())])
    new = make_chat(**changes)
    assert state.resync([make_chat(OTHER), new]) == [ChatWatchEvent(ChatWatchEventKind(kind), new)]
    assert state.chats[uuid.UUID(CHAT)] is new


def test_resync_reports_several_changes_in_order() -> None:
    state = WatchState()
    state.resync([make_chat(), make_chat(OTHER), make_chat(THIRD, diff_status=diff())])
    changed = make_chat(status="waiting", title="Renamed", diff_status=diff(url="https://github.com/a/b/pull/1"))
    third = make_chat(THIRD, title="Third renamed", diff_status=diff())
    events = state.resync([third, changed, make_chat("11111111-2222-4333-8444-555555555555")])
    assert [(str(e.kind), str(e.chat.id)) for e in events] == [
        ("deleted", OTHER),
        ("title_change", THIRD),
        ("status_change", CHAT),
        ("title_change", CHAT),
        ("diff_status_change", CHAT),
        ("created", "11111111-2222-4333-8444-555555555555"),
    ]
    assert [e.chat for e in events[1:5]] == [third, changed, changed, changed]


def test_nothing_changed_gives_nothing() -> None:
    state = WatchState()
    chats = [make_chat(diff_status=diff(url="https://x", additions=2)), make_chat(OTHER, diff_status=None)]
    state.resync(chats)
    again = [make_chat(diff_status=diff(url="https://x", additions=2)), make_chat(OTHER, diff_status=None)]
    assert state.resync(copy.deepcopy(again)) == []


def test_diff_status_compares_substance_not_refresh_times() -> None:
    state = WatchState()
    state.resync([make_chat(diff_status=diff(refreshed_at="2026-01-15T12:00:00Z"))])
    refreshed = make_chat(diff_status=diff(refreshed_at="2026-01-15T12:02:00Z", stale_at="2026-01-15T12:04:00Z"))
    assert state.resync([refreshed]) == []
    # Null, absent-from-list-entry and the empty status every new chat has are the same: nothing.
    assert state.resync([make_chat(diff_status=None)]) == []
    newer_field = make_chat(diff_status=diff(pull_request_title="chore: deps"))
    assert summary(state.resync([newer_field])) == [("diff_status_change", CHAT, "Fix the flaky test")]


def test_a_chat_without_diff_status_keeps_the_last_known_one() -> None:
    state = WatchState()
    state.resync([make_chat(diff_status=diff(additions=1))])
    # A seed watch event never carries a diff status: it says nothing about it.
    state.apply(ChatWatchEvent(ChatWatchEventKind.STATUS_CHANGE, make_chat(status="running")))
    assert state.resync([make_chat(status="running", diff_status=diff(additions=1))]) == []
    assert summary(state.resync([make_chat(status="running")])) == []
    changed = make_chat(status="running", diff_status=diff(additions=2))
    assert state.resync([changed]) == [ChatWatchEvent(ChatWatchEventKind.DIFF_STATUS_CHANGE, changed)]


def test_apply_keeps_the_state_current() -> None:
    state = WatchState()
    state.resync([make_chat()])
    created = make_chat(OTHER, title="Live")
    state.apply(ChatWatchEvent(ChatWatchEventKind.CREATED, created))
    state.apply(ChatWatchEvent(ChatWatchEventKind.TITLE_CHANGE, make_chat(title="Renamed live")))
    state.apply(ChatWatchEvent(ChatWatchEventKind("context_dirty"), make_chat(THIRD)))
    assert state.chats == {
        uuid.UUID(CHAT): make_chat(title="Renamed live"),
        uuid.UUID(OTHER): created,
        uuid.UUID(THIRD): make_chat(THIRD),
    }
    state.apply(ChatWatchEvent(ChatWatchEventKind.DELETED, make_chat(THIRD)))
    state.apply(ChatWatchEvent(ChatWatchEventKind.DELETED, make_chat("11111111-2222-4333-8444-555555555555")))
    assert list(state.chats) == [uuid.UUID(CHAT), uuid.UUID(OTHER)]
    # What the live events already said is no difference at the next resync; the rest is.
    events = state.resync([make_chat(title="Renamed live"), make_chat(OTHER, title="Live", status="waiting")])
    assert summary(events) == [("status_change", OTHER, "Live")]


def test_a_live_diff_status_change_with_the_status_updates_the_known_one() -> None:
    state = WatchState()
    state.resync([make_chat(diff_status=diff())])
    live = make_chat(diff_status=diff(additions=9))
    state.apply(ChatWatchEvent(ChatWatchEventKind.DIFF_STATUS_CHANGE, live))
    assert state.resync([make_chat(diff_status=diff(additions=9))]) == []


def test_resync_counts_a_listed_id_once_with_its_last_chat() -> None:
    state = WatchState()
    state.resync([make_chat()])
    last = make_chat(title="second")
    assert state.resync([make_chat(title="first"), last]) == [ChatWatchEvent(ChatWatchEventKind.TITLE_CHANGE, last)]
    assert state.chats == {uuid.UUID(CHAT): last}
