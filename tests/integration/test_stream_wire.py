"""``stream_chat`` on the wire, against a raw scripted websocket server (``tests/support/ws_script``).

What the fake Coder cannot show: the exact handshake request, every frame the client sends,
redirects, close codes, oversized frame headers, fragmented and invalid frames, TLS settings,
connect timeouts.
"""

from __future__ import annotations

import json
import socket
import ssl
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from coder_chat.client import AuthenticatedClient, Client
from coder_chat.client.errors import APIConnectionError, APIError, APITimeoutError
from coder_chat.streaming import (
    StreamDecodeError,
    StreamDisconnectedError,
    StreamFrameTooLargeError,
    stream_chat,
)
from tests.support.stream_view import TLS_DIR, collect
from tests.support.ws_script import BINARY, CLOSE, PING, PONG, TEXT, RawConnection, WSScriptServer

# Every test runs against stream_chat and against astream_chat (through the blocking bridge).
pytestmark = [pytest.mark.timeout(30), pytest.mark.usefixtures("flavour")]

CHAT_ID = str(uuid.UUID("5a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b"))
TOKEN = "abcdefghij-abcdefghijklmnopqrstuv"
# A scripted server is no Coder: the clients name their generation, so no probe reaches it (the probe
# and the v2 path have their own test, test_the_handshake_path_follows_the_generation).
GENERATION = "experimental"


def no_sleep(_seconds: float) -> None:
    """Backoff without waiting: reconnection tests need not sleep."""


Handler = Callable[[RawConnection], None]


def event(kind: str, **payload: object) -> dict[str, object]:
    return {"type": kind, "chat_id": CHAT_ID, **payload}


def status(value: str) -> dict[str, object]:
    return event("status", status={"status": value})


def message(message_id: int, text: str) -> dict[str, object]:
    body = {"id": message_id, "chat_id": CHAT_ID, "created_at": "2026-03-01T12:00:00Z", "role": "user"}
    return event("message", message={**body, "content": [{"type": "text", "text": text}]})


@pytest.fixture
def serve() -> Iterator[Callable[..., WSScriptServer]]:
    servers: list[WSScriptServer] = []

    def start(handler: Handler, tls: ssl.SSLContext | None = None) -> WSScriptServer:
        server = WSScriptServer(handler, tls=tls)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def client_for(server: WSScriptServer, **kwargs: object) -> AuthenticatedClient:
    return AuthenticatedClient(api_generation=GENERATION, base_url=server.url, token=TOKEN, **kwargs)  # type: ignore[arg-type]


def accept_then(*steps: Callable[[RawConnection], object]) -> Handler:
    """A handler that accepts, runs ``steps``, then reads client frames until EOF."""

    def handler(conn: RawConnection) -> None:
        conn.accept()
        for step in steps:
            step(conn)
        conn.drain(timeout=5)

    return handler


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


def test_handshake_request(serve: Callable[..., WSScriptServer]) -> None:
    server = serve(accept_then(lambda c: c.send_events(status("waiting"))))
    client = AuthenticatedClient(
        api_generation=GENERATION,
        base_url=f"{server.url}/coder/",
        token=TOKEN,
        headers={"X-Trace": "t-1"},
        cookies={"theme": "dark", "a": "b"},
    )
    with stream_chat(client, CHAT_ID, after_id=41) as stream:
        assert collect(stream, until=lambda e: True).statuses == ["waiting"]
    (conn,) = server.connections
    request = conn.request
    assert request.method == "GET"
    assert request.path == f"/coder/api/experimental/chats/{CHAT_ID}/stream"
    assert request.query == {"after_id": ["41"]}
    assert request.headers["coder-session-token"] == TOKEN
    assert request.headers["x-trace"] == "t-1"
    assert request.headers["cookie"] == "theme=dark; a=b"
    assert request.headers["upgrade"].lower() == "websocket"
    assert "origin" not in request.headers  # like the Go SDK: no browser origin check to pass
    assert "sec-websocket-extensions" not in request.headers  # no permessage-deflate


@pytest.mark.parametrize(
    ("setting", "prefix"),
    [("experimental", "/api/experimental"), ("v2", "/api/v2"), ("auto", "/api/v2")],
    ids=["experimental", "v2", "auto-probes-v2"],
)
def test_the_handshake_path_follows_the_generation(
    serve: Callable[..., WSScriptServer], setting: str, prefix: str, flavour: str
) -> None:
    def handler(conn: RawConnection) -> None:
        if "upgrade" not in conn.request.headers:  # the generation probe: any answer but 404 means v2
            conn.answer(200, [])
            return
        conn.accept()
        conn.send_text(json.dumps([status("waiting")]) + "\n")  # v2 frames: bare arrays
        conn.drain(timeout=5)

    server = serve(handler)
    with AuthenticatedClient(api_generation=setting, base_url=f"{server.url}/coder", token=TOKEN) as client:
        with stream_chat(client, CHAT_ID, after_id=3) as stream:
            assert collect(stream, until=lambda e: True).statuses == ["waiting"]
        with stream_chat(client, CHAT_ID) as stream:
            assert collect(stream, until=lambda e: True).statuses == ["waiting"]
    requests = [(c.request.path, "upgrade" in c.request.headers) for c in server.connections]
    probe = [("/coder/api/v2/chats", False)] if setting == "auto" else []
    socket = (f"/coder{prefix}/chats/{CHAT_ID}/stream", True)
    if flavour == "sync":  # the probe's answer is cached on the client: the second stream asks nothing
        assert requests == [*probe, socket, socket]
    else:  # the blocking bridge gives each async stream a client of its own, which probes once
        assert requests == [*probe, socket, *probe, socket]
    if setting == "auto":
        assert server.connections[0].request.query == {"limit": ["1"]}
    first_socket = next(c for c in server.connections if "upgrade" in c.request.headers)
    assert first_socket.request.query == {"after_id": ["3"]}


def test_unauthenticated_client_sends_no_token(serve: Callable[..., WSScriptServer]) -> None:
    server = serve(accept_then(lambda c: c.send_events(status("waiting"))))
    with stream_chat(Client(api_generation=GENERATION, base_url=server.url), CHAT_ID) as stream:
        next(stream)
    assert "coder-session-token" not in server.connections[0].request.headers


def test_client_sends_only_pongs_and_the_closing_handshake(serve: Callable[..., WSScriptServer]) -> None:
    done = threading.Event()

    def handler(conn: RawConnection) -> None:
        conn.accept()
        conn.send_frame(PING, b"ping-1")
        conn.send_events(status("running"))
        conn.send_frame(PING, b"ping-2")
        conn.send_events(status("waiting"))
        conn.drain(timeout=5)
        done.set()

    server = serve(handler)
    with stream_chat(client_for(server), CHAT_ID) as stream:
        view = collect(stream, until=lambda e: getattr(e.status, "status", None) == "waiting")
    assert view.statuses == ["running", "waiting"]
    assert done.wait(5)
    frames = [(f.opcode, f.payload) for f in server.connections[0].received]
    assert frames == [(PONG, b"ping-1"), (PONG, b"ping-2"), (CLOSE, struct.pack("!H", 1000))]


def test_redirects_are_refusals_and_not_followed(serve: Callable[..., WSScriptServer]) -> None:
    elsewhere = serve(accept_then(lambda c: c.send_events(status("waiting"))))
    location = f"ws://127.0.0.1:{elsewhere.port}/api/experimental/chats/{CHAT_ID}/stream"
    server = serve(lambda c: c.refuse(302, b"", {"Location": location}))
    with pytest.raises(APIError) as raised:
        stream_chat(client_for(server), CHAT_ID)
    assert raised.value.status_code == 302
    assert raised.value.headers["location"] == location
    assert elsewhere.connections == []  # the token never went anywhere else


def test_handshake_refusal_body_becomes_the_error(serve: Callable[..., WSScriptServer]) -> None:
    body = {"message": "Invalid after_id parameter.", "detail": "strconv.ParseInt: invalid syntax"}
    server = serve(lambda c: c.refuse(400, body))
    with pytest.raises(APIError) as raised:
        stream_chat(client_for(server), CHAT_ID)
    assert (raised.value.status_code, raised.value.message, raised.value.detail) == (
        400,
        body["message"],
        body["detail"],
    )


@pytest.mark.serial
def test_oversized_frame_header_is_refused_before_its_payload(
    serve: Callable[..., WSScriptServer], flavour: str
) -> None:
    done = threading.Event()

    def handler(conn: RawConnection) -> None:
        conn.accept()
        conn.send_events(status("running"))
        conn.send_frame(TEXT, b"", announce=1 << 40)  # a terabyte is announced, nothing follows
        conn.drain(timeout=5)
        done.set()

    server = serve(handler)
    stream = stream_chat(client_for(server), CHAT_ID, sleep=no_sleep)
    next(stream)
    started = time.monotonic()
    with pytest.raises(StreamFrameTooLargeError, match=f"{1 << 40} bytes exceeds max_frame_bytes={4 * 1024 * 1024}"):
        next(stream)
    assert time.monotonic() - started < 1.0
    assert done.wait(5)
    # 1009 tells the server why (websockets adds its own reason text).
    reason = (
        b"" if flavour == "sync" else f"frame with {1 << 40} bytes exceeds limit of {4 * 1024 * 1024} bytes".encode()
    )
    assert [(f.opcode, f.payload) for f in server.connections[0].received] == [
        (CLOSE, struct.pack("!H", 1009) + reason)
    ]
    assert len(server.connections) == 1 and stream.closed


def test_fragmented_messages_are_joined_and_limited_as_a_whole(serve: Callable[..., WSScriptServer]) -> None:
    frame = json.dumps({"type": "data", "data": [status("running")]}).encode()

    def handler(conn: RawConnection) -> None:
        conn.accept()
        conn.send_frame(TEXT, frame[:10], fin=False)
        conn.send_frame(PING, b"in between")  # control frames may interleave
        conn.send_frame(0x0, frame[10:], fin=True)
        conn.send_frame(TEXT, b"x" * 600, fin=False)
        conn.send_frame(0x0, b"x" * 600, fin=True)
        conn.drain(timeout=5)

    server = serve(handler)
    stream = stream_chat(client_for(server), CHAT_ID, max_frame_bytes=1000, sleep=no_sleep)
    assert getattr(next(stream).status, "status", None) == "running"
    with pytest.raises(StreamFrameTooLargeError, match="1200 bytes exceeds max_frame_bytes=1000"):
        next(stream)


def test_binary_frames_are_decoded_too(serve: Callable[..., WSScriptServer]) -> None:
    payload = json.dumps([status("waiting")]).encode()
    server = serve(accept_then(lambda c: c.send_frame(BINARY, payload)))
    with stream_chat(client_for(server), CHAT_ID) as stream:
        assert getattr(next(stream).status, "status", None) == "waiting"


def test_invalid_utf8_is_a_decode_error(serve: Callable[..., WSScriptServer]) -> None:
    server = serve(accept_then(lambda c: c.send_frame(TEXT, b'{"type":"data","data":[\xff]}')))
    stream = stream_chat(client_for(server), CHAT_ID, sleep=no_sleep)
    with pytest.raises(StreamDecodeError, match="not valid UTF-8"):
        next(stream)
    assert len(server.connections) == 1


@pytest.mark.usefixtures("json_backend")
def test_nesting_too_deep_to_process_is_a_decode_error(serve: Callable[..., WSScriptServer]) -> None:
    # Tool-call args nested ever deeper, one frame each, across the interpreter's recursion limit (the
    # Python limit on 3.11, a C limit from 3.12 on: the steps below cross both): the first that cannot be
    # handled must end the stream with StreamDecodeError, never a bare RecursionError from a later
    # stage (the exactly-once filter fingerprints what the decoder read). The server closes after the
    # last frame, so a client that accepted them all fails here instead of waiting.
    levels = [*range(700, 1600, 10), *range(1600, 12_000, 200), 50_000, 200_000]

    def deeper_and_deeper(conn: RawConnection) -> None:
        for level in levels:
            args = "[" * level + "1" + "]" * level
            part = '{"type":"tool-call","tool_call_id":"c","args":' + args + "}"
            conn.send_text('[{"type":"message_part","chat_id":"' + CHAT_ID + '","message_part":{"part":' + part + "}}]")
        conn.send_close(1003, "that was all")

    server = serve(accept_then(deeper_and_deeper))
    stream = stream_chat(client_for(server), CHAT_ID, sleep=no_sleep)
    read = 0
    with pytest.raises(StreamDecodeError) as raised:
        for _event in stream:
            read += 1
    assert 0 < read < len(levels)
    assert raised.value.reason.startswith("invalid JSON (RecursionError: ")
    assert stream.closed


@pytest.mark.parametrize("code", [1002, 1003, 1007, 1009, 1010])
def test_deliberate_close_codes_end_the_stream(serve: Callable[..., WSScriptServer], code: int) -> None:
    server = serve(accept_then(lambda c: c.send_events(status("running")), lambda c: c.send_close(code, "no")))
    stream = stream_chat(client_for(server), CHAT_ID, sleep=no_sleep)
    next(stream)
    with pytest.raises(StreamDisconnectedError, match=f"{code} no"):
        next(stream)
    time.sleep(0.1)
    assert len(server.connections) == 1


@pytest.mark.parametrize("code", [1000, 1001, 1011, 1012, 1013, 4000, None])
def test_other_closes_reconnect_with_after_id(
    serve: Callable[..., WSScriptServer], code: int | None, flavour: str
) -> None:
    def handler(conn: RawConnection) -> None:
        conn.accept()
        if len(server.connections) == 1:
            conn.send_events(status("running"), message(7, "hi"))
            if code is None:
                conn.send_frame(CLOSE, b"")  # a close frame without a code (1005)
            else:
                conn.send_close(code, "bye")
        else:
            conn.send_events(status("running"), message(8, "again"))
        conn.drain(timeout=5)

    server = serve(handler)
    with stream_chat(client_for(server), CHAT_ID, sleep=no_sleep) as stream:
        view = collect(stream, until=lambda e: getattr(e.message, "id", None) == 8)
        assert stream.reconnects == 1
    assert view.statuses == ["running"]
    assert view.message_ids == [7, 8]
    assert server.connections[1].request.query == {"after_id": ["7"]}
    # The client answered the server's close frame by echoing its code (websockets echoes the reason too).
    echo = b"" if code is None else struct.pack("!H", code) + (b"" if flavour == "sync" else b"bye")
    assert [(f.opcode, f.payload) for f in server.connections[0].received] == [(CLOSE, echo)]


def test_tcp_reset_mid_stream_reconnects(serve: Callable[..., WSScriptServer]) -> None:
    def handler(conn: RawConnection) -> None:
        conn.accept()
        conn.send_events(status("running"), message(len(server.connections), "m"))
        if len(server.connections) < 3:
            conn.abort()
            return
        conn.drain(timeout=5)

    server = serve(handler)
    with stream_chat(client_for(server), CHAT_ID, sleep=no_sleep) as stream:
        view = collect(stream, until=lambda e: getattr(e.message, "id", None) == 3)
        assert stream.reconnects == 2
    assert view.message_ids == [1, 2, 3]


def _server_tls() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS_DIR / "server.pem", TLS_DIR / "server.key")
    return context


@pytest.mark.parametrize("verify", ["ca-path", "context", "off"])
def test_tls_uses_the_clients_verification_setting(serve: Callable[..., WSScriptServer], verify: str) -> None:
    server = serve(accept_then(lambda c: c.send_events(status("waiting"))), tls=_server_tls())
    setting: object = {
        "ca-path": str(TLS_DIR / "ca.pem"),
        "context": ssl.create_default_context(cafile=TLS_DIR / "ca.pem"),
        "off": False,
    }[verify]
    with stream_chat(client_for(server, verify_ssl=setting), CHAT_ID) as stream:
        assert getattr(next(stream).status, "status", None) == "waiting"
    assert server.url.startswith("https://")


def test_tls_with_an_untrusted_certificate_fails(serve: Callable[..., WSScriptServer]) -> None:
    server = serve(accept_then(), tls=_server_tls())
    with pytest.raises(APIConnectionError) as raised:
        stream_chat(client_for(server), CHAT_ID)  # default: certifi's CAs, which do not include ours
    assert isinstance(raised.value.__cause__, ssl.SSLCertVerificationError)


@pytest.mark.serial
def test_connect_timeout_comes_from_the_client() -> None:
    listener = socket.create_server(("127.0.0.1", 0))  # accepts TCP, never answers the handshake
    try:
        port = listener.getsockname()[1]
        client = AuthenticatedClient(
            api_generation=GENERATION,
            base_url=f"http://127.0.0.1:{port}",
            token=TOKEN,
            timeout=httpx.Timeout(10.0, connect=0.3),
        )
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            stream_chat(client, CHAT_ID)
        assert 0.25 <= time.monotonic() - started < 2.0
    finally:
        listener.close()


def test_connection_refused() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(APIConnectionError) as raised:
        stream_chat(
            AuthenticatedClient(api_generation=GENERATION, base_url=f"http://127.0.0.1:{port}", token=TOKEN), CHAT_ID
        )
    assert isinstance(raised.value.__cause__, ConnectionRefusedError)


def test_arguments_are_checked() -> None:
    client = AuthenticatedClient(api_generation=GENERATION, base_url="http://127.0.0.1:9", token=TOKEN)
    with pytest.raises(ValueError):
        stream_chat(client, "not-a-uuid")
    with pytest.raises(TypeError):
        stream_chat(client, CHAT_ID, after_id="5")  # type: ignore[arg-type]
    for bad in ({"idle_timeout": 0}, {"max_frame_bytes": 0}, {"max_reconnect_attempts": -1}):
        with pytest.raises(ValueError):
            stream_chat(client, CHAT_ID, **bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="http"):
        stream_chat(AuthenticatedClient(api_generation=GENERATION, base_url="ftp://127.0.0.1", token=TOKEN), CHAT_ID)
