"""The one-way websocket stream (upstream §4): handshake, snapshot, live turn, protocol rules."""

from __future__ import annotations

import json
import struct
import uuid

import httpx
import pytest
import websocket

from tests.fakecoder import FakeCoder, Script

from .conftest import API, create_chat, decode, finish, open_stream, read_until, status_is, statuses, text

ONE_WAY = "Clients cannot send messages for one-way WebSockets"


def close_frame(ws: websocket.WebSocket) -> tuple[int, str]:
    """Read until the server's close frame; return (code, reason)."""
    while True:
        opcode, data = ws.recv_data(control_frame=True)
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            return struct.unpack("!H", data[:2])[0], data[2:].decode()


def refused(fake: FakeCoder, path: str, token: str | None) -> websocket.WebSocketBadStatusException:
    headers = [f"Coder-Session-Token: {token}"] if token else []
    with pytest.raises(websocket.WebSocketBadStatusException) as caught:
        websocket.create_connection(fake.ws_url + path, header=headers, timeout=3)
    return caught.value


def test_handshake_refusals_are_real_http_errors(fake: FakeCoder, admin: httpx.Client) -> None:
    chat = create_chat(admin)["id"]
    err = refused(fake, f"{API}/{chat}/stream", None)
    assert err.status_code == 401
    assert err.resp_headers is not None and err.resp_headers["content-type"] == "application/json"
    assert err.resp_body is not None
    assert json.loads(err.resp_body)["detail"] == 'Cookie "coder_session_token" or query parameter must be provided.'
    err = refused(fake, f"{API}/{chat}/stream", fake.member_token)
    assert err.status_code == 404
    assert err.resp_body is not None
    assert json.loads(err.resp_body) == {"message": "Resource not found or you do not have access to this resource"}
    err = refused(fake, f"{API}/not-a-uuid/stream", fake.admin_token)
    assert err.status_code == 400
    assert err.resp_body is not None
    assert json.loads(err.resp_body)["message"] == 'Invalid UUID "chat".'
    err = refused(fake, f"{API}/{chat}/stream?after_id=abc", fake.admin_token)
    assert err.status_code == 400
    assert err.resp_body is not None
    assert json.loads(err.resp_body) == {
        "message": "Invalid after_id parameter.",
        "detail": 'strconv.ParseInt: parsing "abc": invalid syntax',
    }


def test_stream_auth_by_query_parameter(fake: FakeCoder, admin: httpx.Client) -> None:
    chat = create_chat(admin)["id"]
    ws = websocket.create_connection(
        f"{fake.ws_url}{API}/{chat}/stream?coder_session_token={fake.admin_token}", timeout=3
    )
    assert decode(ws.recv())[0]["type"] == "status"
    finish(ws)


def test_plain_get_on_stream_is_426(fake: FakeCoder, admin: httpx.Client) -> None:
    chat = create_chat(admin)["id"]
    assert admin.get(f"{API}/{chat}/stream").status_code == 426


def test_full_scripted_turn(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.script = Script(auto_run=False, text_deltas=5, args_fragments=3)
    chat = create_chat(admin, "hi there")["id"]
    ws = open_stream(fake, chat)
    snapshot = read_until(ws, lambda ev: any(e["type"] == "message" for e in ev))
    assert [e["type"] for e in snapshot] == ["status", "message"]
    assert snapshot[0]["status"] == {"status": "pending"}
    fake.script = Script(text_deltas=5, args_fragments=3)
    fake.start_turn(chat)
    events = read_until(ws, status_is("waiting"))
    finish(ws)
    assert all(e["chat_id"] == chat for e in events)
    assert statuses(events) == ["running", "waiting"]
    parts = [e["message_part"] for e in events if e["type"] == "message_part"]
    assert all(p["role"] == "assistant" for p in parts)
    kinds = [p["part"]["type"] for p in parts]
    assert kinds == ["text"] * 5 + ["reasoning"] + ["tool-call"] * 4 + ["tool-result"]
    assert "".join(p["part"]["text"] for p in parts[:5]) == Script().reply_text("hi there")
    assert [p["part"]["text"] for p in parts[:5]] == Script(text_deltas=5).text_chunks("hi there")
    calls = [p["part"] for p in parts if p["part"]["type"] == "tool-call"]
    assert json.loads("".join(c["args_delta"] for c in calls[:3])) == {"command": "echo hi there"}
    assert calls[3]["args"] == {"command": "echo hi there"} and "args_delta" not in calls[3]
    messages = [e["message"] for e in events if e["type"] == "message"]
    assert [m["role"] for m in messages] == ["assistant", "tool"]
    assert [p["type"] for p in messages[0]["content"]] == ["text", "reasoning", "tool-call"]
    assert messages[0]["content"][0]["text"] == Script().reply_text("hi there")
    assert messages[1]["content"][0]["result"] == {"output": "hi there"}
    order = [e["type"] for e in events]
    assert order.index("message") > max(i for i, t in enumerate(order) if t == "message_part")


def test_snapshot_order_mid_turn_and_after_id(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.script = Script(text_deltas=400, delay=0.005)
    chat = create_chat(admin, "slow")["id"]
    ws = open_stream(fake, chat)
    read_until(ws, lambda ev: sum(e["type"] == "message_part" for e in ev) >= 20)
    fake.script = Script(auto_run=False)
    queued = admin.post(f"{API}/{chat}/messages", json=text("later")).json()
    assert queued["queued"] is True
    second = open_stream(fake, chat)
    snap = read_until(second, lambda ev: any(e["type"] == "queue_update" for e in ev))
    types = [e["type"] for e in snap]
    assert types[0] == "status" and snap[0]["status"]["status"] == "running"
    first_message = types.index("message")
    assert set(types[1:first_message]) == {"message_part"} and first_message > 20  # parts replayed from turn start
    assert types[first_message:] == ["message", "queue_update"]
    assert snap[-1]["queued_messages"][0]["id"] == queued["queued_message"]["id"]
    user_id = snap[first_message]["message"]["id"]
    finish(ws)
    finish(second)
    third = open_stream(fake, chat, query=f"?after_id={user_id}")
    snap = read_until(third, lambda ev: any(e["type"] == "queue_update" for e in ev))
    assert "message" not in [e["type"] for e in snap]
    finish(third)


def test_queue_update_omits_empty_list(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.script = Script(auto_run=False)
    chat = create_chat(admin)["id"]
    ws = open_stream(fake, chat)
    read_until(ws, lambda ev: any(e["type"] == "message" for e in ev))
    item = admin.post(f"{API}/{chat}/messages", json=text("q")).json()["queued_message"]
    update = read_until(ws, lambda ev: bool(ev))[0]
    assert update["type"] == "queue_update" and update["queued_messages"] == [item]
    admin.delete(f"{API}/{chat}/queue/{item['id']}")
    update = read_until(ws, lambda ev: bool(ev))[0]
    assert update == {"type": "queue_update", "chat_id": chat}
    finish(ws)


def test_message_ids_never_resent_on_one_connection(fake: FakeCoder, admin: httpx.Client) -> None:
    chat = create_chat(admin, "first")["id"]
    fake.wait_idle(chat)
    user = admin.get(f"{API}/{chat}").json()["messages"][0]
    fake.script = Script(auto_run=False)
    ws = open_stream(fake, chat)
    read_until(ws, lambda ev: sum(e["type"] == "message" for e in ev) == 3)
    admin.patch(f"{API}/{chat}/messages/{user['id']}", json=text("edited"))
    events = read_until(ws, status_is("pending"))
    assert [e["type"] for e in events] == ["queue_update", "status"]  # the edited id was already sent
    finish(ws)
    ws = open_stream(fake, chat)  # a new connection replays it, with the new content
    snap = read_until(ws, lambda ev: any(e["type"] == "message" for e in ev))
    assert snap[1]["message"]["content"] == [{"type": "text", "text": "edited"}]
    finish(ws)


def test_client_data_frame_closes_1002(fake: FakeCoder, admin: httpx.Client) -> None:
    ws = open_stream(fake, create_chat(admin)["id"])
    ws.send("hello?")
    assert close_frame(ws) == (1002, ONE_WAY)
    finish(ws)


def test_long_turn_is_batched_at_most_256(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.script = Script(auto_run=False, text_deltas=3000, reasoning=False, tool_call=False)
    chat = create_chat(admin, "long")["id"]
    ws = open_stream(fake, chat)
    read_until(ws, lambda ev: any(e["type"] == "message" for e in ev))
    fake.start_turn(chat)
    sizes: list[int] = []
    events: list[dict[str, object]] = []
    while not (events and events[-1].get("status") == {"status": "waiting"}):
        batch = decode(ws.recv())
        sizes.append(len(batch))
        events += batch
    assert max(sizes) <= 256
    parts = [e["message_part"] for e in events if e["type"] == "message_part"]
    assert len(parts) == 3000
    assert "".join(p["part"]["text"] for p in parts) == fake.script.reply_text("long")  # type: ignore[index]
    # A late joiner gets the 3000+ event snapshot in frames of at most 256 events too.
    late = open_stream(fake, chat)
    first = decode(late.recv())
    assert len(first) <= 256
    finish(late)
    finish(ws)


@pytest.mark.parametrize("fmt", ["bare", "object"])
def test_frame_formats(fake: FakeCoder, admin: httpx.Client, fmt: str) -> None:
    fake.set_frame_format(fmt)  # type: ignore[arg-type]
    chat = create_chat(admin)["id"]
    fake.wait_idle(chat)
    ws = open_stream(fake, chat)
    frame = json.loads(ws.recv())
    if fmt == "bare":
        assert isinstance(frame, list) and frame[0]["type"] == "status" and len(frame) == 4
    else:
        assert frame == {"type": "data", "data": {"type": "status", "chat_id": chat, "status": {"status": "waiting"}}}
    finish(ws)


def test_subagent_status_reaches_parent_stream(fake: FakeCoder, admin: httpx.Client) -> None:
    parent = create_chat(admin)["id"]
    fake.wait_idle(parent)
    ws = open_stream(fake, parent)
    read_until(ws, lambda ev: sum(e["type"] == "message" for e in ev) == 3)
    child = fake.create_child_chat(parent)
    fake.set_chat_status(child, "completed")
    events = read_until(ws, lambda ev: len(ev) == 2)
    assert [(e["chat_id"], e["status"]["status"]) for e in events] == [(child, "running"), (child, "completed")]
    finish(ws)


def test_publish_event_injects_anything(fake: FakeCoder, admin: httpx.Client) -> None:
    chat = create_chat(admin)["id"]
    fake.wait_idle(chat)
    ws = open_stream(fake, chat)
    read_until(ws, lambda ev: sum(e["type"] == "message" for e in ev) == 3)
    fake.publish_event(chat, {"type": "retry", "retry": {"attempt": 1, "error": "x", "delay_ms": 5}})
    event = read_until(ws, lambda ev: bool(ev))[0]
    assert event == {"chat_id": chat, "type": "retry", "retry": {"attempt": 1, "error": "x", "delay_ms": 5}}
    finish(ws)


def test_failed_turn_sends_error_event(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.script = Script(fail_with="Rate limit exceeded", tool_call=False)
    chat = create_chat(admin)["id"]
    assert fake.wait_idle(chat) == "error"
    fake.script = Script(auto_run=False)
    ws = open_stream(fake, chat)
    assert decode(ws.recv())[0]["status"] == {"status": "error"}
    finish(ws)


def test_unknown_websocket_path_is_refused_404(fake: FakeCoder) -> None:
    err = refused(fake, f"/api/experimental/chats/{uuid.uuid4()}/nope", fake.admin_token)
    assert err.status_code == 404


def test_interrupt_ends_the_turn_on_the_stream(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.script = Script(text_deltas=2000, delay=0.002)
    chat = create_chat(admin)["id"]
    ws = open_stream(fake, chat)
    read_until(ws, lambda ev: sum(e["type"] == "message_part" for e in ev) >= 5)
    assert admin.post(f"{API}/{chat}/interrupt").json()["status"] == "waiting"
    read_until(ws, status_is("waiting"))
    ws.settimeout(0.3)
    with pytest.raises(websocket.WebSocketTimeoutException):
        ws.recv()  # nothing more from the cancelled turn
    finish(ws)
