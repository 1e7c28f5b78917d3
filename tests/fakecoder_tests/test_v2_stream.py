"""The v2 stream (API-v2.md §4) and watch (§5) on both v2 generations: bare arrays, the connect
sync order, parts with `seq`, the live order of a promoted queue, `history_reset` after an edit,
websocket pings only."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
import websocket

from tests.fakecoder import FakeCoder, Script

from .conftest import (
    V2,
    Event,
    bare_events,
    finish,
    kinds,
    open_v2_stream,
    read_bare_until,
    text,
    v2_create,
)


def rests(value: str) -> Any:
    def done(events: list[Event]) -> bool:
        return any(e["type"] == "status" and e["status"]["status"] == value for e in events) and (
            events[-1]["type"] == "preview_reset"
        )

    return done


def message_ids(events: list[Event]) -> list[int]:
    return [e["message"]["id"] for e in events if e["type"] == "message"]


def test_connect_sync_order_and_a_live_turn(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    v2fake.script = Script(auto_run=False, text_deltas=4, args_fragments=2)
    chat = v2_create(v2admin, v2fake, "hi there")
    assert chat["status"] == "running"  # a new chat starts running (N -> R0)
    ws = open_v2_stream(v2fake, chat["id"])
    sync = bare_events(ws)
    assert kinds(sync) == ["message", "status", "preview_reset"]  # messages, then status (§4.5)
    assert sync[0]["message"]["role"] == "user" and sync[1]["status"] == {"status": "running"}
    v2fake.script = Script(text_deltas=4, args_fragments=2)
    v2fake.start_turn(chat["id"])
    live = read_bare_until(ws, rests("waiting"))
    parts = [e["message_part"] for e in live if e["type"] == "message_part"]
    assert kinds(live)[0] == "preview_reset"  # a new generation attempt is a new episode
    assert [p["seq"] for p in parts] == list(range(1, len(parts) + 1))
    assert {(p["history_version"], p["generation_attempt"]) for p in parts} == {(parts[0]["history_version"], 1)}
    assert "".join(p["part"]["text"] for p in parts if p["part"]["type"] == "text") == Script().reply_text("hi there")
    tail = live[len(parts) + 1 :]
    assert kinds(tail) == ["message", "message", "status", "preview_reset"]
    assert [e["message"]["role"] for e in tail[:2]] == ["assistant", "tool"]
    assert parts[0]["part"]["url"] == "" and parts[0]["part"]["file_id"] is None  # Go writes every field
    finish(ws)


def test_a_connection_mid_turn_gets_the_episode_from_seq_1(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    v2fake.script = Script(text_deltas=60, delay=0.01, reasoning=False, tool_call=False)
    chat = v2_create(v2admin, v2fake, "long one")["id"]
    first = open_v2_stream(v2fake, chat)
    read_bare_until(first, lambda ev: sum(e["type"] == "message_part" for e in ev) >= 5)
    late = open_v2_stream(v2fake, chat)
    events = read_bare_until(late, rests("waiting"))
    seqs = [e["message_part"]["seq"] for e in events if e["type"] == "message_part"]
    assert seqs == list(range(1, 61))  # the replayed prefix and the live rest, no gap, no repeat
    sync_kinds = kinds(events)[: kinds(events).index("message_part")]
    assert sync_kinds == ["message", "status", "preview_reset"]
    finish(first)
    finish(late)


def test_queued_prompt_is_persisted_before_the_queue_update(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    v2fake.script = Script(text_deltas=10, delay=0.01)
    chat = v2_create(v2admin, v2fake, "first")["id"]
    ws = open_v2_stream(v2fake, chat)
    queued = v2admin.post(f"{V2}/{chat}/messages", json=text("second"))
    assert queued.status_code == 200 and queued.json()["queued"] is True
    item = queued.json()["queued_message"]
    events = read_bare_until(ws, rests("waiting"), timeout=10)
    promoted = next(
        i for i, e in enumerate(events) if e["type"] == "message" and e["message"]["role"] == "user" and i > 1
    )
    # The promoted prompt, then the queue_update that empties its slot, and no status between
    # two turns: the chat stays running (R1 -> R0).
    assert events[promoted]["message"]["content"][0]["text"] == "second"
    assert events[promoted + 1] == {"type": "queue_update", "chat_id": chat}
    assert events[promoted - 2 : promoted] == [e for e in events[promoted - 2 : promoted] if e["type"] == "message"]
    statuses = [e["status"]["status"] for e in events if e["type"] == "status"]
    assert statuses == ["running", "waiting"]
    queue_events = [e for e in events if e["type"] == "queue_update"]
    assert queue_events[0]["queued_messages"] == [item]
    finish(ws)


def test_edit_publishes_history_reset_and_every_connection_then_starts_with_it(
    v2fake: FakeCoder, v2admin: httpx.Client
) -> None:
    chat = v2_create(v2admin, v2fake, "original")["id"]
    v2fake.wait_idle(chat)
    old = v2admin.get(f"{V2}/{chat}/messages").json()["messages"]
    user = next(m for m in old if m["role"] == "user")
    ws = open_v2_stream(v2fake, chat)
    read_bare_until(ws, lambda ev: bool(ev) and ev[-1]["type"] == "preview_reset")
    edited = v2admin.patch(f"{V2}/{chat}/messages/{user['id']}", json=text("replacement"))
    assert edited.status_code == 200
    body = edited.json()
    assert body["deleted_message_ids"] == sorted(m["id"] for m in old)
    assert body["message"]["id"] > max(m["id"] for m in old) and body["messages"] == [body["message"]]
    live = read_bare_until(ws, rests("waiting"))
    assert kinds(live)[:2] == ["history_reset", "message"]
    assert live[1]["message"] == body["message"]  # the whole (new) history: just the replacement
    finish(ws)
    newest = max(m["id"] for m in v2admin.get(f"{V2}/{chat}/messages").json()["messages"])
    again = open_v2_stream(v2fake, chat, query=f"?after_id={newest}")
    sync = bare_events(again)
    assert kinds(sync)[0] == "history_reset"  # after_id is ignored once the chat was edited
    assert message_ids(sync) == sorted(m["id"] for m in v2admin.get(f"{V2}/{chat}/messages").json()["messages"])
    finish(again)


def test_failed_turn_sends_a_chat_error(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    v2fake.script = Script(fail_with="The chat request failed unexpectedly.", text_deltas=1)
    chat = v2_create(v2admin, v2fake, "fail")["id"]
    assert v2fake.wait_idle(chat) == "error"
    error = {"message": "The chat request failed unexpectedly.", "kind": "generic", "retryable": False}
    assert v2admin.get(f"{V2}/{chat}").json()["last_error"] == error
    ws = open_v2_stream(v2fake, chat)
    sync = bare_events(ws)
    assert kinds(sync) == ["message", "status", "error", "preview_reset"]
    assert sync[2]["error"] == error
    finish(ws)


@pytest.mark.parametrize("generation", ["2.37", "current"])
def test_keepalive_is_websocket_pings_only(generation: str) -> None:
    with FakeCoder(generation=generation, ping_interval=0.1) as fake:  # type: ignore[arg-type]
        with httpx.Client(base_url=fake.url, headers={"Coder-Session-Token": fake.admin_token}) as c:
            chat = v2_create(c, fake, "quiet")["id"]
            fake.wait_idle(chat)
        for url in (f"{fake.ws_url}{V2}/{chat}/stream", f"{fake.ws_url}{V2}/watch"):
            ws = websocket.create_connection(url, header=[f"Coder-Session-Token: {fake.admin_token}"], timeout=3)
            ws.settimeout(1)
            texts: list[Any] = []
            pings = 0
            deadline = time.monotonic() + 0.6
            while time.monotonic() < deadline:
                opcode, data = ws.recv_data(control_frame=True)
                if opcode == websocket.ABNF.OPCODE_PING:
                    pings += 1
                    ws.pong(data)
                elif opcode == websocket.ABNF.OPCODE_TEXT:
                    texts.append(json.loads(data))
            assert pings >= 2
            # The stream's one frame is its connect sync (a bare array); the watch sends nothing.
            assert all(isinstance(t, list) for t in texts) and len(texts) == (1 if url.endswith("stream") else 0)
            finish(ws)


def test_watch_is_one_bare_chat_watch_event_per_frame(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    ws = websocket.create_connection(
        f"{v2fake.ws_url}{V2}/watch", header=[f"Coder-Session-Token: {v2fake.admin_token}"], timeout=3
    )
    chat = v2_create(v2admin, v2fake, "watched")
    created = json.loads(ws.recv())
    assert created["kind"] == "created" and created["chat"]["id"] == chat["id"]
    assert created["chat"]["organization_id"] == v2fake.organization_id and created["chat"]["status"] == "running"
    assert json.loads(ws.recv())["chat"]["status"] == "waiting"
    assert v2admin.patch(f"{V2}/{chat['id']}", json={"title": "Renamed"}).status_code == 204
    renamed = json.loads(ws.recv())
    assert (renamed["kind"], renamed["chat"]["title"]) == ("title_change", "Renamed")
    finish(ws)


def test_editing_a_later_prompt_resends_the_kept_history_on_the_same_connection(
    v2fake: FakeCoder, v2admin: httpx.Client
) -> None:
    chat = v2_create(v2admin, v2fake, "first")["id"]
    v2fake.wait_idle(chat)
    v2admin.post(f"{V2}/{chat}/messages", json=text("second"))
    v2fake.wait_idle(chat)
    before = sorted(v2admin.get(f"{V2}/{chat}/messages").json()["messages"], key=lambda m: m["id"])
    second = [m for m in before if m["role"] == "user"][1]
    kept = [m for m in before if m["id"] < second["id"]]
    ws = open_v2_stream(v2fake, chat)
    read_bare_until(ws, lambda ev: bool(ev) and ev[-1]["type"] == "preview_reset")
    body = v2admin.patch(f"{V2}/{chat}/messages/{second['id']}", json=text("second, edited")).json()
    assert body["deleted_message_ids"] == [m["id"] for m in before if m["id"] >= second["id"]]
    live = read_bare_until(ws, rests("waiting"))
    reset = kinds(live).index("history_reset")
    resent = [e["message"] for e in live[reset + 1 : reset + 1 + len(kept) + 1]]
    assert resent == [*kept, body["message"]]  # ids this connection already had, sent again after the reset
    finish(ws)


def test_fault_knobs_work_on_v2_and_reset_to_bare_frames(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    v2fake.script = Script(text_deltas=20, delay=0.005, reasoning=False, tool_call=False)
    chat = v2_create(v2admin, v2fake, "cut me")["id"]
    v2fake.drop_next_streams(after_frames=2)
    ws = open_v2_stream(v2fake, chat)
    got: list[Event] = []
    with pytest.raises((websocket.WebSocketConnectionClosedException, ConnectionError)):
        while True:
            got.extend(bare_events(ws))
    ws.close()
    assert len(got) >= 2
    v2fake.wait_idle(chat)
    v2fake.set_frame_format("envelope")
    v2fake.reset_faults()
    again = open_v2_stream(v2fake, chat, query=f"?after_id={max(message_ids(got) or [0])}")
    sync = bare_events(again)  # back to the generation's own format: a bare array
    assert kinds(sync)[-2:] == ["status", "preview_reset"] and sync[-2]["status"] == {"status": "waiting"}
    finish(again)
    v2fake.refuse_next_streams(1, 503)
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        open_v2_stream(v2fake, chat)
    assert refused.value.status_code == 503
