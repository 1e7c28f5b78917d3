"""Fault knobs: canned REST failures, slow REST, and misbehaving streams."""

from __future__ import annotations

import json
import time

import httpx
import pytest
import websocket

from tests.fakecoder import FakeCoder, Script

from .conftest import API, create_chat, decode, finish, open_stream, read_until


def test_fail_next_requests(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.fail_next_requests(2, 503, retry_after=3)
    for _ in range(2):
        r = admin.get(API)
        assert r.status_code == 503 and r.headers["retry-after"] == "3"
        assert r.json() == {"message": "Injected 503 error."}
    assert admin.get(API).status_code == 200


def test_fail_with_429_and_text_body(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.fail_next_requests(1, 429)
    r = admin.get(API)
    assert (r.status_code, r.json()) == (429, {"message": "You've been rate limited for sending too many requests!"})
    assert "retry-after" not in r.headers
    fake.fail_next_requests(1, 502, body="<html>bad gateway</html>")
    r = admin.get(API)
    assert (r.status_code, r.text) == (502, "<html>bad gateway</html>")
    fake.fail_next_requests(1, 520)
    assert admin.get(API).status_code == 520


def test_faults_come_before_auth(fake: FakeCoder) -> None:
    fake.fail_next_requests(1, 500)
    assert httpx.get(f"{fake.url}{API}", timeout=5).status_code == 500


def test_rest_delay(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.set_rest_delay(0.3)
    started = time.monotonic()
    assert admin.get(API).status_code == 200
    assert time.monotonic() - started >= 0.3
    fake.set_rest_delay(0)
    with httpx.Client(base_url=fake.url, timeout=0.2, headers={"Coder-Session-Token": fake.admin_token}) as c:
        fake.set_rest_delay(0.4)
        with pytest.raises(httpx.ReadTimeout):
            c.get(API)
    fake.reset_faults()


def _frames_then_cut(ws: websocket.WebSocket) -> list[str]:
    """Frames until the connection dies; asserts it died without a close frame."""
    frames: list[str] = []
    try:
        with pytest.raises(websocket.WebSocketConnectionClosedException):
            while True:
                opcode, data = ws.recv_data(control_frame=True)
                assert opcode != websocket.ABNF.OPCODE_CLOSE, "expected an abrupt drop, got a close frame"
                if opcode == websocket.ABNF.OPCODE_TEXT:
                    frames.append(data.decode())
    finally:
        ws.shutdown()  # type: ignore[no-untyped-call]
    return frames


def test_drop_after_n_frames_is_abrupt(fake: FakeCoder, admin: httpx.Client) -> None:
    chat = create_chat(admin)["id"]
    fake.wait_idle(chat)
    fake.set_frame_format("object")  # one event per frame: the snapshot is 4 frames
    fake.drop_next_streams(after_frames=2)
    ws = open_stream(fake, chat)
    assert len(_frames_then_cut(ws)) == 2
    ws = open_stream(fake, chat)  # only the next connection was affected
    assert [e["type"] for e in read_until(ws, lambda ev: len(ev) == 4)] == ["status", "message", "message", "message"]
    finish(ws)


def test_drop_streams_now(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.script = Script(auto_run=False)
    chat = create_chat(admin)["id"]
    ws = open_stream(fake, chat)
    read_until(ws, lambda ev: len(ev) == 2)
    deadline = time.monotonic() + 3
    while fake.stream_count(chat) == 0:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    assert fake.drop_streams() == 1
    assert _frames_then_cut(ws) == []


def test_error_envelope(fake: FakeCoder, admin: httpx.Client) -> None:
    chat = create_chat(admin)["id"]
    fake.error_next_streams("Failed to subscribe.", "pubsub down")
    ws = open_stream(fake, chat)
    assert json.loads(ws.recv()) == {
        "type": "error",
        "data": {"message": "Failed to subscribe.", "detail": "pubsub down"},
    }
    opcode, data = ws.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE and data[:2] == b"\x03\xe8"  # 1000
    finish(ws)


def test_refuse_next_streams(fake: FakeCoder, admin: httpx.Client) -> None:
    chat = create_chat(admin)["id"]
    fake.refuse_next_streams(1, 503, retry_after=2)
    with pytest.raises(websocket.WebSocketBadStatusException) as caught:
        open_stream(fake, chat)
    assert caught.value.status_code == 503
    assert caught.value.resp_headers is not None and caught.value.resp_headers["retry-after"] == "2"
    finish(open_stream(fake, chat))


def test_ignore_after_id_replays_everything(fake: FakeCoder, admin: httpx.Client) -> None:
    chat = create_chat(admin)["id"]
    fake.wait_idle(chat)
    fake.set_ignore_after_id()
    ws = open_stream(fake, chat, query="?after_id=999999")
    assert sum(e["type"] == "message" for e in decode(ws.recv())) == 3
    finish(ws)


@pytest.mark.serial
def test_pings_and_silence() -> None:
    with (
        FakeCoder(ping_interval=0.1, ping_timeout=5) as fake,
        httpx.Client(base_url=fake.url, headers={"Coder-Session-Token": fake.admin_token}, timeout=5) as admin,
    ):
        chat = create_chat(admin)["id"]
        fake.wait_idle(chat)
        ws = open_stream(fake, chat)
        opcodes = set()
        deadline = time.monotonic() + 2
        while websocket.ABNF.OPCODE_PING not in opcodes:
            assert time.monotonic() < deadline
            opcodes.add(ws.recv_data(control_frame=True)[0])
        assert fake.silence_streams() == 1
        time.sleep(0.1)  # let the silencing land, then drain anything sent before it
        ws.settimeout(0.05)
        try:
            while True:
                ws.recv_data(control_frame=True)
        except websocket.WebSocketTimeoutException:
            pass
        fake.set_chat_status(chat, "running")  # would normally produce a frame
        ws.settimeout(0.6)
        with pytest.raises(websocket.WebSocketTimeoutException):
            ws.recv_data(control_frame=True)
        finish(ws)
