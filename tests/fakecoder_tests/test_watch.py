"""The watch socket (`GET /chats/watch`): ping first, every kind, both frame formats, only one's own
chats, and the fault knobs. Raw websocket-client against the fake on a loopback socket."""

from __future__ import annotations

import json
import struct
import time
from typing import Any

import httpx
import pytest
import websocket

from tests.fakecoder import FakeCoder, Script

from .conftest import API, create_chat, finish, wait_for

ZERO = "00000000-0000-0000-0000-000000000000"
PING = '{"type":"ping"}\n'


def open_watch(fake: FakeCoder, token: str | None = None, owner: str = "admin") -> websocket.WebSocket:
    """A watch socket, returned once the fake has it subscribed (the ping is not read here)."""
    token = fake.admin_token if token is None else token
    before = fake.watch_count(owner)
    ws = websocket.create_connection(f"{fake.ws_url}{API}/watch", header=[f"Coder-Session-Token: {token}"], timeout=5)
    wait_for(lambda: fake.watch_count(owner) == before + 1)
    return ws


def watch_chat(rest_chat: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """What the watch socket sends for a chat `GET /chats` lists: the row alone, as coderd builds it."""
    out = {k: v for k, v in rest_chat.items() if k not in ("diff_status", "workspace_agent_id")}
    out["last_model_config_id"] = ZERO
    out.update(changes)
    return out


def listed(client: httpx.Client, chat_id: str) -> dict[str, Any]:
    r = client.get(API)
    assert r.status_code == 200
    [chat] = [c for c in r.json() if c["id"] == chat_id]
    return dict(chat)


def data(ws: websocket.WebSocket) -> dict[str, Any]:
    """The event of the next frame, which must be a seed `data` envelope."""
    frame = ws.recv()
    assert isinstance(frame, str) and frame.endswith("\n")
    envelope = json.loads(frame)
    assert set(envelope) == {"type", "data"} and envelope["type"] == "data", envelope
    return dict(envelope["data"])


def bare(ws: websocket.WebSocket) -> dict[str, Any]:
    frame = ws.recv()
    assert isinstance(frame, str) and frame.endswith("\n")
    event = json.loads(frame)
    assert set(event) == {"kind", "chat"}, event
    return dict(event)


def nothing_pending(ws: websocket.WebSocket, wait: float = 0.2) -> None:
    ws.settimeout(wait)
    with pytest.raises(websocket.WebSocketTimeoutException):
        ws.recv()
    ws.settimeout(5)


@pytest.fixture(autouse=True)
def quiet_assistant(fake: FakeCoder) -> None:
    """No assistant turns: every status change in these tests is one the test makes."""
    fake.script = Script(auto_run=False)


def test_ping_first_then_every_kind_in_seed_envelopes(fake: FakeCoder, admin: httpx.Client) -> None:
    ws = open_watch(fake)
    assert ws.recv() == PING
    chat = create_chat(admin, "watch me change please")
    created = data(ws)
    assert created == {"kind": "created", "chat": watch_chat(chat)}
    assert created["chat"]["status"] == "pending" and created["chat"]["root_chat_id"] == chat["id"]

    assert admin.post(f"{API}/{chat['id']}/interrupt").status_code == 200
    assert data(ws) == {"kind": "status_change", "chat": watch_chat(listed(admin, chat["id"]))}
    assert listed(admin, chat["id"])["status"] == "waiting"

    fake.set_title(chat["id"], "A generated title")
    assert data(ws) == {"kind": "title_change", "chat": watch_chat(listed(admin, chat["id"]))}
    assert listed(admin, chat["id"])["title"] == "A generated title"

    fake.set_diff_status(chat["id"], pull_request_url="https://github.com/coder/coder/pull/1", additions=5)
    after = listed(admin, chat["id"])
    assert data(ws) == {"kind": "diff_status_change", "chat": watch_chat(after, diff_status=after["diff_status"])}
    assert after["diff_status"] == {
        "chat_id": chat["id"],
        "url": "https://github.com/coder/coder/pull/1",
        "changes_requested": False,
        "additions": 5,
        "deletions": 0,
        "changed_files": 0,
    }

    before_delete = watch_chat(listed(admin, chat["id"]))
    assert admin.delete(f"{API}/{chat['id']}").status_code == 204
    assert data(ws) == {"kind": "deleted", "chat": before_delete}
    nothing_pending(ws)
    finish(ws)


def test_status_changes_of_a_turn_and_of_a_new_message(fake: FakeCoder, admin: httpx.Client) -> None:
    chat = create_chat(admin)["id"]
    ws = open_watch(fake)
    assert ws.recv() == PING
    fake.start_turn(chat)
    assert fake.wait_idle(chat) == "waiting"
    assert [data(ws)["chat"]["status"] for _ in range(2)] == ["running", "waiting"]
    assert admin.post(f"{API}/{chat}/messages", json={"content": [{"type": "text", "text": "more"}]}).status_code == 200
    event = data(ws)
    assert (event["kind"], event["chat"]["status"]) == ("status_change", "pending")
    nothing_pending(ws)
    finish(ws)


def test_bare_frames_of_newer_servers_without_ping(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.set_watch_frame_format("bare")
    ws = open_watch(fake)
    chat = create_chat(admin)
    assert bare(ws) == {"kind": "created", "chat": watch_chat(chat)}
    fake.set_title(chat["id"], "Renamed")
    assert bare(ws) == {"kind": "title_change", "chat": watch_chat(listed(admin, chat["id"]))}
    fake.set_chat_status(chat["id"], "error")
    assert bare(ws) == {"kind": "status_change", "chat": watch_chat(listed(admin, chat["id"]))}
    fake.set_diff_status(chat["id"], changed_files=2)
    after = listed(admin, chat["id"])
    assert bare(ws) == {"kind": "diff_status_change", "chat": watch_chat(after, diff_status=after["diff_status"])}
    fake.delete_chat(chat["id"])
    assert bare(ws) == {"kind": "deleted", "chat": watch_chat(after)}
    finish(ws)
    fake.set_watch_frame_format("envelope")  # later sockets only
    ws = open_watch(fake)
    assert ws.recv() == PING
    finish(ws)
    with pytest.raises(ValueError, match="unknown watch frame format 'object'"):
        fake.set_watch_frame_format("object")  # type: ignore[arg-type]


def test_member_and_admin_each_see_only_their_own_chats(
    fake: FakeCoder, admin: httpx.Client, member: httpx.Client
) -> None:
    admin_ws = open_watch(fake)
    member_ws = open_watch(fake, fake.member_token, owner="member")
    assert admin_ws.recv() == PING and member_ws.recv() == PING
    first = create_chat(admin, "admin one")
    theirs = create_chat(member, "member one")
    second = create_chat(admin, "admin two")
    fake.set_title(theirs["id"], "member renamed")
    # Events reach a socket in publish order: the member's events were never in between.
    assert data(admin_ws) == {"kind": "created", "chat": watch_chat(first)}
    assert data(admin_ws) == {"kind": "created", "chat": watch_chat(second)}
    assert data(member_ws) == {"kind": "created", "chat": watch_chat(theirs)}
    assert data(member_ws) == {"kind": "title_change", "chat": watch_chat(listed(member, theirs["id"]))}
    assert member.delete(f"{API}/{theirs['id']}").status_code == 204
    assert data(member_ws)["kind"] == "deleted"
    nothing_pending(admin_ws)
    nothing_pending(member_ws)
    assert (fake.watch_count("admin"), fake.watch_count("member"), fake.watch_count()) == (1, 1, 2)
    finish(admin_ws)
    finish(member_ws)
    wait_for(lambda: fake.watch_count() == 0)


def test_sub_agent_chats_are_the_owners_and_delete_reports_the_parent_only(
    fake: FakeCoder, admin: httpx.Client
) -> None:
    parent = create_chat(admin)["id"]
    ws = open_watch(fake)
    assert ws.recv() == PING
    child = fake.create_child_chat(parent, title="Sub-agent", status="running")
    created, running = data(ws), data(ws)
    assert (created["kind"], created["chat"]["id"], created["chat"]["parent_chat_id"]) == ("created", child, parent)
    assert created["chat"]["root_chat_id"] == parent
    assert (running["kind"], running["chat"]["status"]) == ("status_change", "running")
    assert admin.delete(f"{API}/{parent}").status_code == 204
    deleted = data(ws)
    assert (deleted["kind"], deleted["chat"]["id"]) == ("deleted", parent)
    nothing_pending(ws)  # as the seed server: no event for the deleted descendants
    finish(ws)


def test_no_replay_of_changes_made_before_connecting(fake: FakeCoder, admin: httpx.Client) -> None:
    chat = create_chat(admin)["id"]
    fake.set_title(chat, "Before")
    ws = open_watch(fake)
    assert ws.recv() == PING
    nothing_pending(ws)
    fake.set_title(chat, "After")
    assert data(ws)["chat"]["title"] == "After"
    finish(ws)


def test_handshake_refusals_and_plain_get(fake: FakeCoder) -> None:
    with pytest.raises(websocket.WebSocketBadStatusException) as caught:
        websocket.create_connection(f"{fake.ws_url}{API}/watch", timeout=3)
    assert caught.value.status_code == 401
    assert caught.value.resp_body is not None
    assert json.loads(caught.value.resp_body)["detail"] == (
        'Cookie "coder_session_token" or query parameter must be provided.'
    )
    ws = websocket.create_connection(f"{fake.ws_url}{API}/watch?coder_session_token={fake.admin_token}", timeout=3)
    assert ws.recv() == PING
    finish(ws)


@pytest.mark.off_spec  # the watch socket is no HTTP operation of openapi.yaml
def test_plain_get_on_watch_is_426(fake: FakeCoder) -> None:
    with httpx.Client(base_url=fake.url, headers={"Coder-Session-Token": fake.admin_token}) as c:
        plain = c.get(f"{API}/watch")
    assert plain.status_code == 426
    assert plain.text == 'WebSocket protocol violation: Connection header "" does not contain Upgrade'


def test_refuse_next_watches(fake: FakeCoder) -> None:
    fake.refuse_next_watches(status=503, retry_after=2)
    with pytest.raises(websocket.WebSocketBadStatusException) as caught:
        open_watch(fake)
    assert caught.value.status_code == 503
    assert caught.value.resp_headers is not None and caught.value.resp_headers["retry-after"] == "2"
    ws = open_watch(fake)  # only the next handshake
    assert ws.recv() == PING
    finish(ws)


def _frames_then_cut(ws: websocket.WebSocket) -> list[str]:
    """Text frames until the connection dies; asserts it died without a close frame."""
    frames: list[str] = []
    try:
        with pytest.raises(websocket.WebSocketConnectionClosedException):
            while True:
                opcode, payload = ws.recv_data(control_frame=True)
                assert opcode != websocket.ABNF.OPCODE_CLOSE, "expected an abrupt drop, got a close frame"
                if opcode == websocket.ABNF.OPCODE_TEXT:
                    frames.append(payload.decode())
    finally:
        ws.shutdown()  # type: ignore[no-untyped-call]
    return frames


def test_drop_watches_now_cuts_every_watch_socket(fake: FakeCoder, member: httpx.Client) -> None:
    admin_ws = open_watch(fake)
    member_ws = open_watch(fake, fake.member_token, owner="member")
    assert admin_ws.recv() == PING and member_ws.recv() == PING
    stream_chat = create_chat(member)["id"]
    assert data(member_ws)["kind"] == "created"
    stream = websocket.create_connection(
        f"{fake.ws_url}{API}/{stream_chat}/stream", header=[f"Coder-Session-Token: {fake.member_token}"], timeout=5
    )
    wait_for(lambda: fake.stream_count(stream_chat) == 1)
    assert fake.drop_watches() == 2
    assert _frames_then_cut(admin_ws) == []
    assert _frames_then_cut(member_ws) == []
    wait_for(lambda: fake.watch_count() == 0)
    assert fake.stream_count(stream_chat) == 1  # chat streams are left alone
    finish(stream)
    assert fake.drop_watches() == 0


def test_drop_next_watches_after_n_frames(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.drop_next_watches(after_frames=2)
    ws = open_watch(fake)
    chat = create_chat(admin)
    fake.set_title(chat["id"], "never sent")
    frames = _frames_then_cut(ws)
    assert [frames[0], json.loads(frames[1])["data"]["kind"]] == [PING, "created"] and len(frames) == 2
    fake.drop_next_watches(after_frames=0)
    ws = websocket.create_connection(
        f"{fake.ws_url}{API}/watch", header=[f"Coder-Session-Token: {fake.admin_token}"], timeout=5
    )
    assert _frames_then_cut(ws) == []
    # The fake lets go of a cut socket after the client saw it die: counting from a watch still listed
    # would wait for a count the new one and the leaving one never add up to.
    wait_for(lambda: fake.watch_count("admin") == 0)
    ws = open_watch(fake)  # the knob is used up
    assert ws.recv() == PING
    finish(ws)


def test_error_next_watches(fake: FakeCoder) -> None:
    fake.error_next_watches("Internal error subscribing to chat events.", "pubsub down")
    ws = websocket.create_connection(
        f"{fake.ws_url}{API}/watch", header=[f"Coder-Session-Token: {fake.admin_token}"], timeout=5
    )
    assert json.loads(ws.recv()) == {
        "type": "error",
        "data": {"message": "Internal error subscribing to chat events.", "detail": "pubsub down"},
    }
    opcode, payload = ws.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE
    assert (struct.unpack("!H", payload[:2])[0], payload[2:].decode()) == (1000, "Connection closed")
    ws.shutdown()  # type: ignore[no-untyped-call]


def test_client_message_closes_1002(fake: FakeCoder) -> None:
    ws = open_watch(fake)
    assert ws.recv() == PING
    ws.send("hello")
    opcode, payload = ws.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE
    code, reason = struct.unpack("!H", payload[:2])[0], payload[2:].decode()
    assert (code, reason) == (1002, "Clients cannot send messages for one-way WebSockets")
    ws.shutdown()  # type: ignore[no-untyped-call]


@pytest.mark.serial
def test_protocol_pings_and_silence() -> None:
    with FakeCoder(script=Script(auto_run=False), ping_interval=0.2, ping_timeout=5) as fake:
        ws = open_watch(fake)
        assert ws.recv() == PING
        opcode, _ = ws.recv_data(control_frame=True)
        assert opcode == websocket.ABNF.OPCODE_PING
        assert fake.silence_watches() == 1
        time.sleep(0.05)  # let the loop apply it
        fake.create_chat("after silence")
        nothing_pending(ws, wait=0.6)  # no event frame and no ping for three ping periods
        finish(ws)
