"""The chat stream's sans-I/O core, fed frames by hand: URLs, decoding, exactly-once across connections."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.models import ChatStreamEvent
from coder_chat.streaming import StreamDecodeError, StreamServerError
from coder_chat.streaming._connection.handshake import handshake_headers, websocket_url
from coder_chat.streaming._connection.protocol import ChatStreamProtocol
from coder_chat.streaming._routes import EXPERIMENTAL, V2

CHAT = UUID("7d9b5c3e-0a51-4d8e-9d5b-2f3c1a000001")


def frame(*events: dict[str, Any]) -> bytes:
    return json.dumps({"type": "data", "data": list(events)}).encode()


def part(text: str) -> dict[str, Any]:
    return {
        "type": "message_part",
        "chat_id": str(CHAT),
        "message_part": {"role": "assistant", "part": {"type": "text", "text": text}},
    }


def status(value: str) -> dict[str, Any]:
    return {"type": "status", "chat_id": str(CHAT), "status": {"status": value}}


def message(message_id: int, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "chat_id": str(CHAT),
        "message": {
            "id": message_id,
            "chat_id": str(CHAT),
            "created_at": "2026-03-01T12:00:00Z",
            "role": "assistant",
            "content": [{"type": "text", "text": text}],
        },
    }


def drain(core: ChatStreamProtocol) -> list[ChatStreamEvent]:
    events = []
    while (event := core.next_event()) is not None:
        events.append(event)
    return events


def texts(events: list[ChatStreamEvent]) -> list[str]:
    out = []
    for event in events:
        if event.message_part:
            out.append(f"part:{event.message_part.part.text}")
        elif event.message:
            out.append(f"message:{event.message.id}")
        elif event.status:
            out.append(f"status:{event.status.status}")
    return out


@pytest.mark.parametrize(
    ("base_url", "after_id", "expected"),
    [
        ("http://127.0.0.1:3000", None, f"ws://127.0.0.1:3000/api/experimental/chats/{CHAT}/stream"),
        ("https://coder.example/", 7, f"wss://coder.example/api/experimental/chats/{CHAT}/stream?after_id=7"),
        (
            "https://coder.example/prefix/#frag",
            0,
            f"wss://coder.example/prefix/api/experimental/chats/{CHAT}/stream?after_id=0",
        ),
    ],
)
def test_the_url_of_the_next_connection(base_url: str, after_id: int | None, expected: str) -> None:
    assert ChatStreamProtocol(CHAT, after_id=after_id).url(base_url, EXPERIMENTAL) == expected
    v2_expected = expected.replace("/api/experimental/chats/", "/api/v2/chats/")
    assert ChatStreamProtocol(CHAT, after_id=after_id).url(base_url, V2) == v2_expected


def test_after_id_follows_the_last_persisted_message() -> None:
    core = ChatStreamProtocol(CHAT)
    core.connection_opened()
    core.receive_frame(frame(status("running"), message(4, "a"), message(9, "b"), part("x")))
    assert texts(drain(core)) == ["status:running", "message:4", "message:9", "part:x"]
    assert core.last_message_id == 9
    assert core.url("http://h", V2) == f"ws://h/api/v2/chats/{CHAT}/stream?after_id=9"


def test_no_frame_means_no_event() -> None:
    core = ChatStreamProtocol(CHAT)
    assert core.next_event() is None
    core.receive_frame(b'{"type":"ping"}')
    assert core.next_event() is None


def test_a_reconnection_replay_is_not_handed_out_twice() -> None:
    core = ChatStreamProtocol(CHAT)
    core.connection_opened()
    core.receive_frame(frame(status("running"), part("a"), part("b")))
    assert texts(drain(core)) == ["status:running", "part:a", "part:b"]
    core.connection_opened()  # the same turn, replayed from its start, then one new part
    core.receive_frame(frame(status("running"), part("a"), part("b"), part("c")))
    assert texts(drain(core)) == ["part:c"]


def test_a_bad_frame_raises_after_its_good_events_and_the_core_goes_on() -> None:
    core = ChatStreamProtocol(CHAT)
    core.connection_opened()
    core.receive_frame(b'{"type":"data","data":[' + json.dumps(part("a")).encode() + b",")  # no JSON: no event
    with pytest.raises(StreamDecodeError):
        core.next_event()
    assert core.next_event() is None
    # A malformed event: the events before it come out, then the error, and nothing after it.
    core.receive_frame(frame(part("b"), part("c"), {"type": "message_part", "chat_id": "not-a-uuid"}, part("d")))
    assert texts([core.next_event(), core.next_event()]) == ["part:b", "part:c"]  # type: ignore[list-item]
    with pytest.raises(StreamDecodeError, match="event 2: "):
        core.next_event()
    assert core.next_event() is None
    core.receive_frame(b'{"type":"error","data":{"message":"boom","detail":"d"}}')
    with pytest.raises(StreamServerError, match="boom: d"):
        core.next_event()


def test_a_large_frame_is_handed_out_in_order() -> None:
    core = ChatStreamProtocol(CHAT)
    core.connection_opened()
    core.receive_frame(frame(*(part(str(i)) for i in range(300))))
    assert texts(drain(core)) == [f"part:{i}" for i in range(300)]


def test_after_id_must_be_an_int() -> None:
    with pytest.raises(TypeError, match="after_id"):
        ChatStreamProtocol(CHAT, after_id=True)
    with pytest.raises(TypeError, match="after_id"):
        ChatStreamProtocol(CHAT, after_id="3")  # type: ignore[arg-type]


def test_websocket_url_refuses_other_schemes() -> None:
    with pytest.raises(ValueError, match="ftp"):
        websocket_url("ftp://h", "/x")


def test_handshake_headers_carry_credentials_and_cookies_and_refuse_line_breaks() -> None:
    client = AuthenticatedClient(base_url="http://127.0.0.1", token="s3cr3t-token", headers={"X-A": "1"})
    client = client.with_cookies({"a": "1", "b": "2"})
    assert handshake_headers(client) == ({"X-A": "1", "Coder-Session-Token": "s3cr3t-token"}, "a=1; b=2")
    with pytest.raises(ValueError, match="X-B"):
        handshake_headers(client.with_headers({"X-B": "1\r\nInjected: yes"}))
